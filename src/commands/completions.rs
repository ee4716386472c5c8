//! `pluginkit completions SHELL`: shell completions, generated from the command line definition
//! ([`crate::cli::completions`]; the same text is kept in completions/ and checked by a test).

use super::ExitStatus;
use crate::cli::{self, CompletionsArgs};
use crate::output::Printer;

pub(crate) fn run(printer: &Printer, args: CompletionsArgs) -> anyhow::Result<ExitStatus> {
    printer.out_raw(&cli::completions(args.shell))?;
    Ok(ExitStatus::Success)
}
