//! `pluginkit restore NAME [--backup ID]`: put back the latest (or a named) backup of a plugin;
//! `--list` lists its backups (ID, version, source, size and date). The work is in [`crate::ops::restore`].

use indicatif::HumanBytes;
use serde::Serialize;

use super::{ExitStatus, reload_request};
use crate::cli::{HumanJson, RestoreArgs};
use crate::ops::restore::{self, Options};
use crate::output::table::Table;
use crate::output::{BOLD, Printer};
use crate::settings::Settings;

/// `restore --list --format json`: the plugin's backups, oldest first.
#[derive(Serialize)]
struct BackupsJson<'a> {
    name: &'a str,
    backups: &'a [restore::Backup],
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: RestoreArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let reload = reload_request(&args.reload);
    if args.list {
        let backups = restore::backups(settings, printer, &args.name, &reload)?;
        if format == HumanJson::Json {
            printer.json(&BackupsJson {
                name: &args.name,
                backups: &backups,
            })?;
        } else if backups.is_empty() {
            printer.note(format!("no backups of `{}`", args.name));
        } else {
            let mut table = Table::new(["BACKUP", "VERSION", "SOURCE", "SIZE", "DATE"]);
            for backup in backups.iter().rev() {
                let unknown = || "-".to_owned();
                table.row([
                    backup.id.clone(),
                    backup.version.clone().unwrap_or_else(unknown),
                    backup.source_short.clone().unwrap_or_else(unknown),
                    HumanBytes(backup.size).to_string(),
                    backup.date.replacen('T', " ", 1).replace('Z', " UTC"),
                ]);
            }
            printer.out(table.render(|h| printer.paint_out(BOLD, h)))?;
        }
        return Ok(ExitStatus::Success);
    }
    let options = Options {
        name: args.name,
        backup: args.backup,
        force: args.force,
        reload,
    };
    restore::restore(settings, printer, &options, |restored| {
        if format == HumanJson::Json {
            printer.json(restored)?;
        } else {
            printer.out(format!(
                "restored {} from backup {} into {}",
                restored.name, restored.backup, restored.path
            ))?;
        }
        Ok(())
    })?;
    Ok(ExitStatus::Success)
}
