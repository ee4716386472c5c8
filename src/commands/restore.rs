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

/// `restore --list NAME --format json`: the plugin's backups, oldest first.
#[derive(Serialize)]
struct BackupsJson<'a> {
    name: &'a str,
    backups: &'a [restore::Backup],
}

/// `restore --list --format json` without a name: every plugin that has backups, by name.
#[derive(Serialize)]
struct AllBackupsJson<'a> {
    plugins: Vec<BackupsJson<'a>>,
}

fn shown((name, backups): &(String, Vec<restore::Backup>)) -> BackupsJson<'_> {
    BackupsJson { name, backups }
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: RestoreArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let reload = reload_request(&args.reload);
    if args.list {
        let listed = restore::backups(settings, printer, args.name.as_deref(), &reload)?;
        if format == HumanJson::Json {
            match &args.name {
                Some(_) => printer.json(&shown(&listed[0]))?,
                None => printer.json(&AllBackupsJson {
                    plugins: listed.iter().map(shown).collect(),
                })?,
            }
        } else if listed.iter().all(|(_, backups)| backups.is_empty()) {
            match &args.name {
                Some(name) => printer.note(format!("no backups of `{name}`")),
                None => printer.note("no backups"),
            }
        } else {
            // One plugin's backups: their IDs first; everyone's: by plugin.
            let all = args.name.is_none();
            let headers = ["PLUGIN", "BACKUP", "VERSION", "SOURCE", "SIZE", "DATE"];
            let mut table = Table::new(headers[usize::from(!all)..].to_vec());
            for (name, backups) in &listed {
                for backup in backups.iter().rev() {
                    let unknown = || "-".to_owned();
                    let cells = [
                        name.clone(),
                        backup.id.clone(),
                        backup.version.clone().unwrap_or_else(unknown),
                        backup.source_short.clone().unwrap_or_else(unknown),
                        HumanBytes(backup.size).to_string(),
                        backup.date.replacen('T', " ", 1).replace('Z', " UTC"),
                    ];
                    table.row(cells[usize::from(!all)..].to_vec());
                }
            }
            printer.out(table.render(|h| printer.paint_out(BOLD, h)))?;
        }
        return Ok(ExitStatus::Success);
    }
    let Some(name) = args.name else {
        anyhow::bail!("restore needs the plugin's NAME (only --list goes without one)");
    };
    let options = Options {
        name,
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
