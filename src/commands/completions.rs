//! `pluginkit completions SHELL`: shell completions, generated from the command line definition
//! (the same text is kept in completions/ and checked by a test).

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, CompletionsArgs};
use crate::commands::ExitStatus;
use crate::output::Printer;

/// The completion script for `shell`.
pub fn generate(shell: Shell) -> String {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "pluginkit", &mut out);
    String::from_utf8(out).expect("completion scripts are UTF-8")
}

pub fn run(printer: &Printer, args: CompletionsArgs) -> anyhow::Result<ExitStatus> {
    printer.out_raw(&generate(args.shell))?;
    Ok(ExitStatus::Success)
}
