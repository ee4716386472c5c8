//! `pluginkit cache dir` and `pluginkit cache clean`: print and empty the download cache. The
//! work is in [`crate::ops::cache`].

use indicatif::HumanBytes;

use super::ExitStatus;
use crate::cli::{CacheCommand, HumanJson};
use crate::ops::cache;
use crate::output::Printer;
use crate::settings::Settings;

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    command: CacheCommand,
) -> anyhow::Result<ExitStatus> {
    match command {
        CacheCommand::Dir => printer.out(cache::dir(settings)?.display())?,
        CacheCommand::Clean(args) => {
            let cleaned = cache::clean(settings, printer)?;
            if args.format.get() == HumanJson::Json {
                printer.json(&cleaned)?;
            } else {
                printer.out(format!(
                    "removed {} file{} ({}) from {}",
                    cleaned.files,
                    if cleaned.files == 1 { "" } else { "s" },
                    HumanBytes(cleaned.bytes),
                    cleaned.path
                ))?;
            }
        }
    }
    Ok(ExitStatus::Success)
}
