//! `pluginkit remove NAME...`: uninstall plugins, moving each to `.pluginkit/backups/` (the last
//! few are kept) unless `--no-backup`; a plugin others depend on only with `--force`. The work is in [`crate::ops::remove`].

use serde::Serialize;

use super::{ExitStatus, reload_request};
use crate::cli::{HumanJson, RemoveArgs};
use crate::ops::remove::{self, Options, RemoveOutcome, Removed};
use crate::output::Printer;
use crate::settings::Settings;

/// `remove --format json`: what was removed.
#[derive(Serialize)]
struct RemovedJson<'a> {
    removed: &'a [Removed],
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: RemoveArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let options = Options {
        reload: reload_request(&args.reload),
        names: args.names,
        backup: !args.no_backup,
        force: args.force,
    };
    remove::remove(settings, printer, &options, |outcome| {
        render(printer, format, outcome)
    })?;
    Ok(ExitStatus::Success)
}

fn render(printer: &Printer, format: HumanJson, outcome: &RemoveOutcome) -> anyhow::Result<()> {
    if format == HumanJson::Json {
        printer.json(&RemovedJson {
            removed: &outcome.removed,
        })?;
        return Ok(());
    }
    for r in &outcome.removed {
        match &r.backup {
            Some(backup) => printer.out(format!(
                "removed {} (backup: {backup}; `pluginkit restore {}` puts it back)",
                r.name, r.name
            ))?,
            None => printer.out(format!("removed {}", r.name))?,
        }
    }
    Ok(())
}
