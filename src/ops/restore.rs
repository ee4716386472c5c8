//! `restore`: put back the latest (or a named) backup of a plugin through the transaction,
//! recorded with the source it was installed from when pluginkit installed it.

use std::path::Path;

use serde::Serialize;

use crate::error::Error;
use crate::host::plugins::Wanted;
use crate::host::receipts::Receipt;
use crate::ops::change::{self, Lock, Outcome};
use crate::ops::{lock_host, reload};
use crate::output::Printer;
use crate::plugin::read_plugin;
use crate::plugin::tree::DirTree;
use crate::settings::Settings;
use crate::source::id::SourceId;
use crate::transaction::staging::Staging;
use crate::transaction::{self, Record, backups};
use crate::util::paths::relative_to;

/// What `restore` was asked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub(crate) name: String,
    /// The backup to restore; the latest when `None`.
    pub(crate) backup: Option<String>,
    /// Replace an installed plugin of that name (it is backed up first).
    pub(crate) force: bool,
    pub(crate) reload: reload::Request,
}

/// What `restore --format json` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Restored {
    /// The backup's ID.
    pub(crate) backup: String,
    pub(crate) name: String,
    /// Where it was put back, as shown.
    pub(crate) path: String,
    /// Where the plugin it replaced was kept, as shown.
    pub(crate) replaced: Option<String>,
}

impl Outcome for Restored {
    fn changed(&self) -> bool {
        true
    }
}

/// The backups of `name`, oldest first. Like a restore, the reload plan is checked and the
/// lock taken, but nothing changes and nothing is signalled.
pub(crate) fn backups(
    settings: &Settings,
    printer: &Printer,
    name: &str,
    reload: &reload::Request,
) -> Result<Vec<String>, Error> {
    change::begin(settings, printer, reload)?;
    let _lock = lock_host(settings, printer)?;
    Ok(backups::list(&settings.dirs(), name))
}

/// Restore what `options` names; `render` shows it before the lock is released and the server
/// signalled.
pub(crate) fn restore(
    settings: &Settings,
    printer: &Printer,
    options: &Options,
    render: impl FnOnce(&Restored) -> anyhow::Result<()>,
) -> anyhow::Result<Restored> {
    let frame = change::begin(settings, printer, &options.reload)?;
    frame.run(
        Lock::Host,
        || Ok(restore_locked(settings, options)?),
        render,
    )
}

fn restore_locked(settings: &Settings, options: &Options) -> Result<Restored, Error> {
    let cx = super::transaction(settings);
    let dirs = &cx.dirs;
    let name = &options.name;
    let backups = backups::list(dirs, name);
    let id = match &options.backup {
        Some(id) if backups.contains(id) => id.clone(),
        Some(id) => {
            return Err(Error::user_hint(
                format!("`{name}` has no backup `{id}`"),
                format!("`pluginkit restore {name} --list` shows its backups"),
            ));
        }
        None => backups.last().cloned().ok_or_else(|| {
            Error::user_hint(
                format!("there is no backup of `{name}` to restore"),
                "backups are made by `pluginkit remove` and `pluginkit add --force`",
            )
        })?,
    };
    let backup = backups::dir(dirs, name).join(&id);
    // Stage a copy, so the backup itself stays until the restore is complete.
    let staging = Staging::new(dirs)?;
    backups::copy_dir(&backup, &staging.plugin_dir(name))
        .map_err(|e| transaction::io_error("cannot copy the backup", e))?;
    let tree = DirTree::new(staging.plugin_dir(name), settings.display(&backup));
    let plugin = read_plugin(&tree, settings.flavor, &settings.read_context());
    let earlier = backups::receipt(dirs, name, &id);
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
        plugins_entry: earlier.as_ref().and_then(|r| plugins_entry(&dirs.root, r)),
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
    let installed = transaction::commit_install(&cx, &staging, record, options.force)?;
    // Replacing a plugin makes a backup, which may have pruned the oldest: this one.
    match std::fs::remove_dir_all(&backup) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(transaction::io_error(
                "cannot remove the restored backup",
                e,
            ));
        }
        _ => {}
    }
    let _ = std::fs::remove_file(backup.with_extension("json"));
    Ok(Restored {
        backup: id,
        name: name.clone(),
        path: settings.display(&installed.path),
        replaced: installed.replaced.map(|p| settings.display(&p)),
    })
}

/// The `[plugins]` entry that installs again what `receipt` records, for the kinds installed
/// again as they are (ZIP files and URLs, folders); paths relative to the host's `root`.
fn plugins_entry(root: &Path, receipt: &Receipt) -> Option<String> {
    let sha256 = receipt.archive_sha256.clone();
    let wanted = match &receipt.source {
        SourceId::ZipFile { path } => Wanted::Zip {
            at: relative_to(root, path),
            sha256,
        },
        SourceId::ZipUrl { url } => Wanted::Zip {
            at: url.clone(),
            sha256,
        },
        SourceId::Folder { path } => Wanted::Path {
            path: relative_to(root, path),
            link: false,
        },
        SourceId::Registry { .. } | SourceId::Git { .. } | SourceId::Backup { .. } => {
            return None;
        }
    };
    Some(wanted.entry())
}
