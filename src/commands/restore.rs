//! `pluginkit restore NAME [--backup ID]`: put back the latest (or a named) backup of a plugin.

use crate::cli::{Format, RestoreArgs};
use crate::commands::{ExitStatus, reload};
use crate::error::Error;
use crate::output::Printer;
use crate::plugin::read_plugin;
use crate::plugin::tree::DirTree;
use crate::settings::Settings;
use crate::source::Source;
use crate::source::id::SourceId;
use crate::transaction::staging::Staging;
use crate::transaction::{self as install, Record, backups};

pub fn run(
    settings: &Settings,
    printer: &Printer,
    args: RestoreArgs,
) -> anyhow::Result<ExitStatus> {
    let format = settings.format("restore", &[Format::Human, Format::Json])?;
    let reload = reload::before_change(settings, printer, &args.reload)?;
    let dirs = settings.txn();
    let name = &args.name;
    let lock = settings.lock_host(printer)?;
    let backups = backups::list(&dirs.dirs, name);
    if args.list {
        if format == Format::Json {
            printer.json(&backups)?;
        } else if backups.is_empty() {
            printer.note(format!("no backups of `{name}`"));
        } else {
            for id in backups.iter().rev() {
                printer.out(id)?;
            }
        }
        return Ok(ExitStatus::Success);
    }
    let id = match &args.backup {
        Some(id) if backups.contains(id) => id.clone(),
        Some(id) => {
            return Err(Error::user_hint(
                format!("`{name}` has no backup `{id}`"),
                format!("`pluginkit restore {name} --list` shows its backups"),
            )
            .into());
        }
        None => backups.last().cloned().ok_or_else(|| {
            Error::user_hint(
                format!("there is no backup of `{name}` to restore"),
                "backups are made by `pluginkit remove` and `pluginkit add --force`",
            )
        })?,
    };
    let backup = backups::dir(&dirs.dirs, name).join(&id);
    // Stage a copy, so the backup itself stays until the restore is complete.
    let staging = Staging::new(&dirs.dirs)?;
    backups::copy_dir(&backup, &staging.plugin_dir(name))
        .map_err(|e| install::io_error("cannot copy the backup", e))?;
    let tree = DirTree::new(staging.plugin_dir(name), settings.display(&backup));
    let plugin = read_plugin(&tree, settings.flavor, &settings.read_context());
    let earlier = backups::receipt(&dirs.dirs, name, &id);
    let record = Record {
        name: name.clone(),
        version: plugin.as_ref().and_then(|p| p.metadata.version.clone()),
        flavor: plugin
            .as_ref()
            .map_or("unknown", |p| p.flavor.as_str())
            .to_owned(),
        // The source it was installed from, when pluginkit installed it.
        source: earlier
            .as_ref()
            .map_or_else(|| SourceId::backup(&backup), |r| r.source.clone()),
        plugins_entry: earlier.as_ref().and_then(|r| {
            Source::from_id(&r.source)?.plugins_entry(
                &dirs.dirs.root,
                r.archive_sha256.as_deref(),
                false,
            )
        }),
        dependencies: plugin.as_ref().map_or_else(Vec::new, |p| {
            p.metadata
                .dependencies
                .iter()
                .map(|d| d.name.clone())
                .collect()
        }),
        archive_sha256: earlier.and_then(|r| r.archive_sha256),
        files: None,
    };
    let installed = install::commit_install(&dirs, &staging, record, args.force)?;
    // Replacing a plugin makes a backup, which may have pruned the oldest: this one.
    match std::fs::remove_dir_all(&backup) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(install::io_error("cannot remove the restored backup", e).into());
        }
        _ => {}
    }
    let _ = std::fs::remove_file(backup.with_extension("json"));
    let shown = settings.display(&installed.path);
    if format == Format::Json {
        printer.json(&serde_json::json!({
            "name": name, "backup": id, "path": shown,
            "replaced": installed.replaced.map(|p| settings.display(&p)),
        }))?;
    } else {
        printer.out(format!("restored {name} from backup {id} into {shown}"))?;
    }
    drop(lock);
    reload::after_change(settings, printer, reload, true)?;
    Ok(ExitStatus::Success)
}
