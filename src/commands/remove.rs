//! `pluginkit remove NAME...`: uninstall plugins, moving each to `.pluginkit/backups/` (the last
//! few are kept) unless `--no-backup`.

use serde::Serialize;

use crate::cli::{Format, RemoveArgs};
use crate::commands::{ExitStatus, reload};
use crate::host::plugins_folder;
use crate::output::Printer;
use crate::settings::Settings;
use crate::transaction as install;

#[derive(Serialize)]
struct Removed {
    name: String,
    backup: Option<String>,
}

pub fn run(settings: &Settings, printer: &Printer, args: RemoveArgs) -> anyhow::Result<ExitStatus> {
    let format = settings.format("remove", &[Format::Human, Format::Json])?;
    let reload = reload::before_change(settings, printer, &args.reload)?;
    let lock = settings.lock_host(printer)?;
    let dirs = settings.txn();
    let shown = settings.display(&settings.plugins_dir);
    let ctx = settings.read_context();
    // Resolve every name first: an unknown one changes nothing.
    let mut folders = Vec::new();
    for name in &args.names {
        let installed =
            plugins_folder::lookup(&settings.plugins_dir, &shown, name, settings.flavor, &ctx)?;
        let folder = installed.plugin.folder.clone();
        if !folders.contains(&folder) {
            folders.push(folder);
        }
    }
    let mut removed = Vec::new();
    for folder in folders {
        let backup = install::remove(&dirs, &folder, !args.no_backup)?;
        removed.push(Removed {
            name: folder,
            backup: backup.map(|b| settings.display(&b)),
        });
    }
    if format == Format::Json {
        printer.json(&removed)?;
    } else {
        for r in &removed {
            match &r.backup {
                Some(backup) => printer.out(format!(
                    "removed {} (backup: {backup}; `pluginkit restore {}` puts it back)",
                    r.name, r.name
                ))?,
                None => printer.out(format!("removed {}", r.name))?,
            }
        }
    }
    drop(lock);
    reload::after_change(settings, printer, reload, !removed.is_empty())?;
    Ok(ExitStatus::Success)
}
