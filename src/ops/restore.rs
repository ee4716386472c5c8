//! `restore`: put back the latest (or a named) backup of a plugin through the transaction, with
//! its records as the backup kept them when pluginkit installed it: the receipt written at
//! install (so `verify` goes on reporting what was edited before the removal), its
//! `pluginkit.lock` entry and its `[plugins]` entry as they were written. The backup goes in
//! the same transaction. A plugin pluginkit did not install comes back without records.

use clap::ValueEnum as _;

use std::fs;
use std::path::Path;

use serde::Serialize;

use crate::error::Error;
use crate::host::plugins::Wanted;
use crate::host::receipts::Receipt;
use crate::host::{HostDirs, lockfile};
use crate::ops::change::{self, Lock, Outcome};
use crate::ops::toggle::{self as toggle_ops, OffPlace};
use crate::ops::{recover_if_needed, reload};
use crate::output::Printer;
use crate::plugin::flavor::Flavor;
use crate::settings::Settings;
use crate::source::id::SourceId;
use crate::transaction::staging::Staging;
use crate::transaction::{self, AsRecorded, Record, Records, backups};
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

/// One backup of a plugin, as `restore --list` shows it.
#[derive(Debug, Serialize)]
pub(crate) struct Backup {
    /// Its ID, what `--backup` takes.
    pub(crate) id: String,
    /// The version it holds, when pluginkit installed it (its record says).
    pub(crate) version: Option<String>,
    /// Where it had been installed from, in full (the receipt's source), when pluginkit
    /// installed it.
    pub(crate) source: Option<String>,
    /// The same, short, for a table.
    #[serde(skip)]
    pub(crate) source_short: Option<String>,
    /// Bytes on disk: its files and its record.
    pub(crate) size: u64,
    /// When it was made, UTC, RFC 3339 (from its ID).
    pub(crate) date: String,
}

/// The backups of `name`, or of every plugin that has some, each plugin's oldest first, plugins
/// by name. Like a restore, the reload plan is checked; like every command that only reads, it
/// never waits for another process's change.
pub(crate) fn backups(
    settings: &Settings,
    printer: &Printer,
    name: Option<&str>,
    reload: &reload::Request,
) -> Result<Vec<(String, Vec<Backup>)>, Error> {
    change::begin(settings, printer, reload)?;
    recover_if_needed(settings, printer)?;
    let dirs = settings.dirs();
    let names = match name {
        Some(name) => {
            checked(&dirs, name)?;
            vec![name.to_owned()]
        }
        None => backups::backed_up(&dirs)
            .into_iter()
            .map(|(name, _)| name)
            .collect(),
    };
    Ok(names
        .into_iter()
        .map(|name| {
            let kept = backups_of(&dirs, &name);
            (name, kept)
        })
        .collect())
}

/// The backups of `name`, oldest first.
fn backups_of(dirs: &HostDirs, name: &str) -> Vec<Backup> {
    backups::list(dirs, name)
        .into_iter()
        .map(|id| {
            let kept = backups::kept(dirs, name, &id).map(|kept| kept.receipt);
            let folder = backups::dir(dirs, name).join(&id);
            let record = fs::symlink_metadata(folder.with_extension("json")).map_or(0, |m| m.len());
            Backup {
                version: kept.as_ref().and_then(|r| r.version.clone()),
                source: kept.as_ref().map(|r| r.source.to_string()),
                source_short: kept.as_ref().map(|r| {
                    r.source.short(None, |path| {
                        relative_to(&dirs.root, &path.resolve(&dirs.root))
                    })
                }),
                size: size_on_disk(&folder) + record,
                date: backups::made_at(&id),
                id,
            }
        })
        .collect()
}

/// The bytes of the files under `path`, links counted as themselves and never followed.
fn size_on_disk(path: &Path) -> u64 {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| size_on_disk(&entry.path()))
                .sum()
        })
        .unwrap_or(0)
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
    let mut cx = super::transaction(settings);
    let dirs = &cx.dirs.clone();
    let name = &options.name;
    checked(dirs, name)?;
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
    let kept = backups::kept(dirs, name, &id);
    // Switched off where its folder was (FastCMS's `_NAME/`, a class-based plugin moved out):
    // restored there.
    let wanted_off = kept
        .as_ref()
        .filter(|kept| kept.switched_off)
        .and_then(|kept| Flavor::from_str(&kept.receipt.flavor, true).ok());
    let mut record = match kept {
        Some(kept) => {
            let receipt = kept.receipt;
            // A backup of an earlier version kept only the receipt: the `[plugins]` entry is
            // made from it, for the kinds that install again as they are.
            let (lock_entry, as_written, made) = match kept.entries {
                Some(entries) => (entries.lock, entries.plugins, None),
                None => (None, None, plugins_entry(&dirs.root, &receipt)),
            };
            // The kept entry goes into pluginkit.lock after the plugin is in place: one that
            // names another plugin (or none) would be recorded under that name.
            if let Some(entry) = &lock_entry
                && lockfile::entry_name(entry).as_deref() != Some(name.as_str())
            {
                return Err(Error::user_hint(
                    format!(
                        "the record of backup `{id}` of `{name}` keeps a pluginkit.lock entry for another plugin"
                    ),
                    format!(
                        "the backup's record {} is damaged: restore another backup, or install the plugin again",
                        backups::dir(dirs, name)
                            .join(&id)
                            .with_extension("json")
                            .display()
                    ),
                ));
            }
            Record {
                name: name.clone(),
                version: receipt.version,
                flavor: receipt.flavor,
                source: receipt.source,
                archive_sha256: receipt.archive_sha256,
                files: None,
                plugins_entry: made,
                dependencies: receipt.dependencies,
                as_recorded: Some(AsRecorded {
                    files: receipt.files,
                    lock_entry,
                    plugins_entry: as_written,
                    backup: backup.clone(),
                }),
                replaces_switched_off: false,
            }
        }
        None => {
            // Not pluginkit's: put back with no records (and none left of the name), so what
            // would be recorded about it is not read.
            cx.records = Records::Nothing;
            Record {
                name: name.clone(),
                version: None,
                flavor: String::new(),
                source: SourceId::backup(&backup),
                archive_sha256: None,
                files: None,
                plugins_entry: None,
                dependencies: Vec::new(),
                as_recorded: Some(AsRecorded {
                    files: Default::default(),
                    lock_entry: None,
                    plugins_entry: None,
                    backup: backup.clone(),
                }),
                replaces_switched_off: false,
            }
        }
    };
    // A plugin of the name switched off now is replaced as `NAME/` and switched off again, as
    // an install does.
    let current = super::switched_off(settings, name);
    record.replaces_switched_off = current.is_some();
    let off = match (current, wanted_off) {
        (Some(path), _) => Some(OffPlace::of(path)),
        (None, Some(flavor)) => {
            let switch = super::switch(settings)?;
            let kind = settings.read_context().host.kind();
            toggle_ops::off_place(&cx, switch.for_flavor(flavor, kind), name)
        }
        (None, None) => None,
    };
    let commit = || transaction::commit_install(&cx, &staging, record, options.force);
    let installed = match &off {
        Some(off) => toggle_ops::install_switched_off(&cx, name, off, commit)?,
        None => commit()?,
    };
    Ok(Restored {
        backup: id,
        name: name.clone(),
        path: settings.display(&installed.path),
        replaced: installed.replaced.map(|p| settings.display(&p)),
    })
}

/// Refuse to read the backups of `name` from anywhere but a real folder of `.pluginkit/backups/`.
fn checked(dirs: &HostDirs, name: &str) -> Result<(), Error> {
    backups::check(dirs, name)
        .map(drop)
        .map_err(|e| transaction::io_error(&format!("cannot read the backups of `{name}`"), e))
}

/// The `[plugins]` entry that installs again what `receipt` records, for a backup made by an
/// earlier version (which kept no entry): for the kinds installed again as they are (ZIP files
/// and URLs, folders, git); paths relative to the host's `root`.
fn plugins_entry(root: &Path, receipt: &Receipt) -> Option<String> {
    let sha256 = receipt.archive_sha256.clone();
    let wanted = match &receipt.source {
        SourceId::ZipFile { path } => Wanted::Zip {
            at: relative_to(root, &path.resolve(root)),
            sha256,
        },
        SourceId::ZipUrl { url } => Wanted::Zip {
            at: url.clone(),
            sha256,
        },
        SourceId::Folder { path, link } => Wanted::Path {
            path: relative_to(root, &path.resolve(root)),
            link: *link,
        },
        SourceId::Git { source, .. } => Wanted::Git(source.clone()),
        SourceId::Registry { .. } | SourceId::Backup { .. } => return None,
    };
    Some(wanted.entry())
}
