//! The install transaction, shared by every source: a plugin is staged in a hidden folder inside
//! the plugins folder (so the final move is a rename on one file system), checked, then swapped
//! into place in one step, then recorded (receipt, `pluginkit.lock`). A journal written before the
//! swap lets the next run finish or undo what a killed run left, and a lock file keeps two
//! pluginkit processes from interleaving their changes.
//!
//! Host state lives in `.pluginkit/` under the host root: `lock`, `journal.json`, `receipts/`
//! and `backups/NAME/ID/`.
//!
//! The steps, as the crash tests name them (`PLUGINKIT_TEST_PAUSE_AT`): an install is staged
//! before the host lock is taken (`install-staged`, in the change frame), then
//! `install-journaled`, then the swap, `install-swapped`, the replaced plugin into the backups,
//! `install-backed-up`, receipt and lockfile, `install-recorded`; a removal is
//! `remove-journaled`, then the plugin out of the plugins folder in one rename into a staging
//! folder, `remove-moved`, into the backups, `remove-backed-up`, the records, `remove-recorded`.
//! Killed before the swap (or the rename), the next run undoes the change; after it, it
//! finishes it.

//!
//! The parts: [`staging`] folders and the [`claim`]s that tell a live run's from a killed one's,
//! [`backups`], the [`journal`], the host [`lock`], switching a plugin's state markers
//! ([`toggle`]), and the [`recovery`] of a killed run. [`commit_install`] and [`remove`] are the
//! two changes; what
//! they write to the host's records (receipt, `pluginkit.lock`, `[plugins]`) is written in one
//! place, [`record_install`] and [`record_removal`], as the run's [`Records`] say: the lock and
//! `[plugins]` entry by entry, never from this machine's receipts, and not at all by a
//! `--locked` run. A restore puts a plugin's records back as its backup kept them
//! ([`AsRecorded`]), in the same transaction.

pub(crate) mod backups;
pub(crate) mod claim;
mod error;
pub(crate) mod journal;
pub(crate) mod lock;
pub(crate) mod recovery;
pub(crate) mod staging;
pub(crate) mod toggle;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::host::HostDirs;
use crate::host::edit::{self, Change};
use crate::host::lockfile;
use crate::host::receipts::{self, Receipt};
use crate::host::state;
use crate::source::id::SourceId;
use crate::util::atomic::sync_dir;
pub(crate) use error::Error as TransactionError;
use journal::Journal;
use staging::{STAGING_PREFIX, Staging};

/// A file put in a staged plugin so that, after a crash, the journal can tell whether the swap
/// happened (the file is then in the plugins folder) or not.
const TXN_MARKER: &str = ".pluginkit-txn";
/// Where the two-rename swap (for file systems without an exchange) parks the old plugin.
const SWAP_EXTENSION: &str = "pluginkit-swap";

/// Where transactions run: a host's folders, which records they keep, and the step at which the
/// crash tests stop one.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub(crate) dirs: HostDirs,
    /// What the changes write to the host's records.
    pub(crate) records: Records,
    /// A named step at which to stop and wait to be killed (crash tests only).
    pub(crate) pause_at: Option<String>,
    /// How many backups of a plugin to keep once a change is committed (`[host] keep-backups`).
    pub(crate) keep_backups: usize,
}

/// What a transaction writes to the host's records about the plugin it changes. The journal
/// keeps it, so that a recovery records what the killed run would have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Records {
    /// The receipt, the entry in `pluginkit.lock` and the one in `[plugins]`.
    #[default]
    All,
    /// The receipt only: a `--locked` run installs what `pluginkit.toml` and `pluginkit.lock`
    /// say and leaves both as they are (the receipts are this machine's).
    ReceiptOnly,
    /// Nothing, and what was recorded about the name goes: the plugin put in place is not one
    /// pluginkit installed (a restored backup of such a plugin).
    Nothing,
}

/// A plugin's records as its backup kept them, put back by `restore` instead of records made
/// afresh from the restored files (which may have been edited since they were installed, as
/// `verify` is to go on saying).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AsRecorded {
    /// The receipt's files and their hashes, as installed (none when nothing is recorded).
    pub(crate) files: BTreeMap<String, String>,
    /// Its `[[plugin]]` entry in `pluginkit.lock` as written there; `None`: written from the
    /// receipt (a backup made by an earlier version, which kept only the receipt).
    pub(crate) lock_entry: Option<String>,
    /// Its `[plugins]` entry as written there, comments included.
    pub(crate) plugins_entry: Option<String>,
    /// The backup restored, dropped once the restore is recorded.
    pub(crate) backup: PathBuf,
}

impl Context {
    /// Stop at `step` when the crash tests asked for it; they kill the process there.
    pub(crate) fn checkpoint(&self, step: &str) {
        crate::util::pause::checkpoint(self.pause_at.as_deref(), step);
    }
}

/// What to record about a plugin being installed.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) flavor: String,
    pub(crate) source: SourceId,
    pub(crate) archive_sha256: Option<String>,
    /// The staged files' hashes, when whoever staged them took them while writing (unpacking
    /// an archive does); otherwise the staged tree is read again to hash it.
    pub(crate) files: Option<BTreeMap<String, String>>,
    /// What `pluginkit.toml`'s `[plugins]` gets for this plugin (an inline table in TOML), when
    /// the host has that file; `None` leaves the file alone.
    pub(crate) plugins_entry: Option<String>,
    /// The plugins it depends on, by name.
    pub(crate) dependencies: Vec<String>,
    /// The records to put back as they were (`restore`), instead of making them from the files.
    pub(crate) as_recorded: Option<AsRecorded>,
    /// Whether the plugin it replaces is switched off where its folder is (its backup says so).
    pub(crate) replaces_switched_off: bool,
}

/// The result of installing.
#[derive(Debug)]
pub(crate) struct Installed {
    pub(crate) path: PathBuf,
    pub(crate) replaced: Option<PathBuf>,
}

/// Move the staged plugin `staged` (inside `staging`) into the plugins folder as `record.name`,
/// replacing an existing plugin only with `force` (which is backed up first), then record it.
pub(crate) fn commit_install(
    cx: &Context,
    staging: &Staging,
    record: Record,
    force: bool,
) -> Result<Installed, Error> {
    let dirs = &cx.dirs;
    check_name(&record.name)?;
    let staged = staging.plugin_dir(&record.name);
    let target = dirs.plugins.join(&record.name);
    let exists = fs::symlink_metadata(&target).is_ok();
    if exists && !force {
        return Err(TransactionError::AlreadyInstalled {
            name: record.name.clone(),
            target,
        }
        .into());
    }
    check_lock(cx)?;
    check_state(dirs)?;
    if exists {
        check_backups(dirs, &record.name)?;
    }
    // Hash before the swap: the tree is complete and nobody else writes to the staging folder.
    let files = match (&record.as_recorded, &record.files) {
        (Some(kept), _) => kept.files.clone(),
        (None, Some(files)) => files.clone(),
        (None, None) => receipts::hash_tree(&staged)
            .map_err(|e| io_error("cannot read the staged plugin", e))?,
    };
    let receipt = Receipt {
        name: record.name.clone(),
        version: record.version.clone(),
        flavor: record.flavor.clone(),
        source: record.source.clone(),
        archive_sha256: record.archive_sha256.clone(),
        tree: crate::util::hash::tree_hash(&files),
        dependencies: record.dependencies.clone(),
        files,
    };
    // How recovery tells whether the swap happened: a marker file in the staged folder, or, for a
    // development link (`add --link`), where the link points: a marker would be written into
    // the developer's own folder.
    let link = if is_link(&staged) {
        Some(fs::read_link(&staged).map_err(|e| io_error("cannot read the staged link", e))?)
    } else {
        fs::write(staged.join(TXN_MARKER), &staging.txn)
            .map_err(|e| io_error("cannot write to the staging folder", e))?;
        None
    };

    // From the journal on, Ctrl-C waits for the change to be committed.
    let _commit = crate::util::interrupt::deferred();
    let journal = Journal::install(
        &record,
        cx.records,
        &staging.dir,
        &staging.txn,
        exists,
        link.clone(),
    );
    journal
        .save(&dirs.state)
        .map_err(|e| io_error("cannot write the journal", e))?;
    cx.checkpoint("install-journaled");

    let moved = if exists {
        swap(&staged, &target)
            .map_err(|e| io_error(&format!("cannot replace {}", target.display()), e))
    } else {
        place(&staged, &target)
            .map_err(|e| io_error(&format!("cannot install into {}", target.display()), e))
    };
    if let Err(e) = moved {
        // Unless the new plugin got in place all the same (the three-rename swap failing at its
        // last step), nothing changed and the staging folder goes when `staging` is dropped.
        let placed = link.is_none() && marker_is(&target.join(TXN_MARKER), &staging.txn);
        if !placed {
            let _ = Journal::clear(&dirs.state);
            return Err(e);
        }
    }
    sync_dir(&dirs.plugins);
    cx.checkpoint("install-swapped");

    // Past the swap, the replaced plugin is in the staging folder: a failure from here on
    // leaves it, and the journal, for the next run to finish the change.
    let replaced = finish_install(cx, &journal, Some(&receipt)).inspect_err(|_| {
        staging.keep_for_recovery();
    })?;
    Ok(Installed {
        path: target,
        replaced,
    })
}

/// After the swap: the old plugin (now in the staging folder) goes to the backups, the marker
/// goes, and the install is recorded. Also what recovery runs for a swap a killed run made, so
/// every step may find itself already done.
fn finish_install(
    cx: &Context,
    journal: &Journal,
    receipt: Option<&Receipt>,
) -> Result<Option<PathBuf>, Error> {
    let dirs = &cx.dirs;
    let name = &journal.name;
    let target = plugins_of(journal, dirs).join(name);
    if journal.link.is_none() {
        let _ = fs::remove_file(target.join(TXN_MARKER));
    }
    let staged = journal.staging.join(name);
    // The old plugin: where the exchange put it, or where the two-rename swap parked it.
    let old = [staged.clone(), staged.with_extension(SWAP_EXTENSION)]
        .into_iter()
        .find(|path| fs::symlink_metadata(path).is_ok());
    let replaced = match old {
        Some(old) if journal.had_old && !is_link(&old) => Some(
            backups::make(dirs, name, &old, journal.switched_off)
                .map_err(|e| io_error("cannot keep the replaced plugin as a backup", e))?,
        ),
        // A replaced development link is dropped with the staging folder, as `remove` does.
        _ => None,
    };
    cx.checkpoint("install-backed-up");
    let receipt = match receipt {
        _ if journal.records == Records::Nothing => None,
        Some(receipt) => Some(receipt.clone()),
        None => {
            let files = match &journal.as_recorded {
                Some(kept) => kept.files.clone(),
                None => receipts::hash_tree(&target)
                    .map_err(|e| io_error("cannot read the installed plugin", e))?,
            };
            Some(Receipt {
                name: name.clone(),
                version: journal.version.clone(),
                flavor: journal.flavor.clone(),
                source: journal
                    .source
                    .clone()
                    .ok_or_else(|| Error::from(TransactionError::JournalWithoutSource))?,
                archive_sha256: journal.archive_sha256.clone(),
                tree: crate::util::hash::tree_hash(&files),
                dependencies: journal.dependencies.clone(),
                files,
            })
        }
    };
    record_install(dirs, journal, receipt.as_ref())?;
    if let Some(kept) = &journal.as_recorded {
        backups::discard(dirs, name, &kept.backup)
            .map_err(|e| io_error("cannot remove the restored backup", e))?;
    }
    cx.checkpoint("install-recorded");
    let replaced = prune(cx, name, replaced);
    remove_staging(&journal.staging);
    Journal::clear(&dirs.state).map_err(|e| io_error("cannot remove the journal", e))?;
    Ok(replaced)
}

/// Once a change of `name` is committed (in place and recorded, and a restored backup dropped,
/// so that no step left needs a backup), keep only the newest `keep-backups` of them; before
/// the journal goes, so that a run killed while pruning is finished, pruning included, by the
/// next. `backup`, the one the change made, is returned while it is kept. A failure to prune is
/// no failure of the change, which is done: the next change of the plugin prunes again.
fn prune(cx: &Context, name: &str, backup: Option<PathBuf>) -> Option<PathBuf> {
    let _ = backups::prune(&cx.dirs, name, cx.keep_backups);
    backup.filter(|path| fs::symlink_metadata(path).is_ok())
}

/// The plugins folder a journal's transaction changed: the one its staging folder is in, which
/// is not necessarily the one this run was given (`--plugins-dir`).
fn plugins_of<'a>(journal: &'a Journal, dirs: &'a HostDirs) -> &'a Path {
    journal
        .staging
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(&dirs.plugins)
}

/// Delete a staging folder, only ever one: the path comes from the journal, a file on disk. Its
/// claim goes after it: the journal's run holds the host lock, or held it when it was killed.
fn remove_staging(dir: &Path) {
    if dir
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(STAGING_PREFIX))
    {
        let _ = fs::remove_dir_all(dir);
        let _ = fs::remove_file(staging::claim_path(dir));
    }
}

/// Whether the marker file `path` says `txn`: read as a state file (a regular file, not a link,
/// of a bounded size), since a plugin's folder may hold anything under that name.
fn marker_is(path: &Path, txn: &str) -> bool {
    state::read(path).is_ok_and(|bytes| bytes.is_some_and(|b| b == txn.as_bytes()))
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink())
}

/// Move `from` to the new path `to`, refusing to overwrite anything there.
fn place(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE).map_err(io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        if fs::symlink_metadata(to).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "the target exists",
            ));
        }
        fs::rename(from, to)
    }
}

/// Exchange two paths: after it, `a` holds what `b` held and the reverse. On Linux this is one
/// atomic step (`renameat2(RENAME_EXCHANGE)`); elsewhere three renames, so that a crash between
/// them leaves the plugins folder without the plugin for a moment, never with a mix (recovery
/// puts the parked one back).
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // Some file systems do not support the exchange; fall back to renames.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    let aside = a.with_extension(SWAP_EXTENSION);
    fs::rename(b, &aside)?;
    if let Err(e) = fs::rename(a, b) {
        let _ = fs::rename(&aside, b);
        return Err(e);
    }
    fs::rename(&aside, a)
}

/// Remove `name` from the plugins folder: into a backup (which says whether it was
/// `switched_off`), or deleted with `keep == false`. Returns the backup's folder.
pub(crate) fn remove(
    cx: &Context,
    name: &str,
    keep: bool,
    switched_off: bool,
) -> Result<Option<PathBuf>, Error> {
    let dirs = &cx.dirs;
    check_name(name)?;
    let target = dirs.plugins.join(name);
    check_lock(cx)?;
    check_state(dirs)?;
    check_backups(dirs, name)?;
    let staging = Staging::new(dirs)?;
    let aside = staging.plugin_dir(name);
    // From the journal on, Ctrl-C waits for the change to be committed.
    let _commit = crate::util::interrupt::deferred();
    let journal = Journal::remove(name, cx.records, &staging.dir, keep, switched_off);
    journal
        .save(&dirs.state)
        .map_err(|e| io_error("cannot write the journal", e))?;
    cx.checkpoint("remove-journaled");
    // Out of the plugins folder in one rename (a development link moves as a link), whatever
    // the backup then takes: a copy when the backups are on another file system.
    if let Err(e) = fs::rename(&target, &aside) {
        let _ = Journal::clear(&dirs.state);
        return Err(io_error(&format!("cannot remove {}", target.display()), e));
    }
    sync_dir(&dirs.plugins);
    cx.checkpoint("remove-moved");
    match finish_remove(cx, &journal) {
        Ok(backup) => Ok(backup),
        Err(e) => {
            // Put it back rather than lose it with the staging folder; if it cannot go back,
            // the staging folder stays with it, for the next run's recovery.
            if fs::symlink_metadata(&aside).is_ok() && fs::rename(&aside, &target).is_ok() {
                let _ = Journal::clear(&dirs.state);
            } else {
                staging.keep_for_recovery();
            }
            Err(e)
        }
    }
}

/// After the plugin left the plugins folder: into the backups (unless it was a development
/// link or `--no-backup`), then the records. Also what recovery runs.
fn finish_remove(cx: &Context, journal: &Journal) -> Result<Option<PathBuf>, Error> {
    let dirs = &cx.dirs;
    let name = &journal.name;
    let aside = journal.staging.join(name);
    let backup = if journal.backup
        && !journal.staging.as_os_str().is_empty()
        && fs::symlink_metadata(&aside).is_ok_and(|m| m.is_dir())
    {
        Some(
            backups::make(dirs, name, &aside, journal.switched_off).map_err(|e| {
                io_error(
                    &format!(
                        "cannot move {} to the backups",
                        plugins_of(journal, dirs).join(name).display()
                    ),
                    e,
                )
            })?,
        )
    } else {
        None
    };
    cx.checkpoint("remove-backed-up");
    record_removal(dirs, journal.records, name)?;
    cx.checkpoint("remove-recorded");
    let backup = prune(cx, name, backup);
    remove_staging(&journal.staging);
    Journal::clear(&dirs.state).map_err(|e| io_error("cannot remove the journal", e))?;
    Ok(backup)
}

/// What an install writes to the host's records once the plugin is in place, as the journal's
/// [`Records`] say: its receipt; its entry in `pluginkit.lock` (made from the receipt, or as
/// the backup kept it), every other entry left as it is; and its `[plugins]` entry (the new
/// value in place of the old one, or as the backup kept it). A plugin recorded with nothing
/// leaves no record of its name behind. With [`record_removal`], the one place a transaction
/// writes the records. Each write may find itself done already (recovery runs it again), and
/// then writes nothing.
fn record_install(
    dirs: &HostDirs,
    journal: &Journal,
    receipt: Option<&Receipt>,
) -> Result<(), Error> {
    let name = &journal.name;
    let Some(receipt) = receipt.filter(|_| journal.records != Records::Nothing) else {
        return record_removal(dirs, Records::All, name);
    };
    receipt
        .save(&dirs.state)
        .map_err(|e| io_error("cannot write the receipt", e))?;
    if journal.records == Records::ReceiptOnly {
        return Ok(());
    }
    let kept = journal.as_recorded.as_ref();
    let entry = match kept.and_then(|k| k.lock_entry.clone()) {
        Some(entry) => entry,
        None => lockfile::entry(receipt),
    };
    lockfile::upsert(&dirs.root, name, &entry)?;
    let change = match (
        kept.and_then(|k| k.plugins_entry.as_deref()),
        &journal.plugins_entry,
    ) {
        (Some(as_written), _) => Change::AsWritten(as_written),
        (None, Some(entry)) => Change::Set(entry),
        (None, None) => return Ok(()),
    };
    edit::record_plugin(&dirs.root, name, change)
        .map_err(|e| io_error("cannot record the plugin in pluginkit.toml", e))
}

/// What a removal writes to the host's records: the receipt goes, and, unless only receipts are
/// kept, the plugin's entries in `pluginkit.lock` and `[plugins]`, every other entry left as it
/// is.
fn record_removal(dirs: &HostDirs, records: Records, name: &str) -> Result<(), Error> {
    Receipt::delete(&dirs.state, name).map_err(|e| io_error("cannot delete the receipt", e))?;
    if records == Records::ReceiptOnly {
        return Ok(());
    }
    lockfile::delete(&dirs.root, name)?;
    edit::record_plugin(&dirs.root, name, Change::Remove)
        .map_err(|e| io_error("cannot remove the plugin from pluginkit.toml", e))
}

/// Refuse to start a change that would have to write a `pluginkit.lock` that cannot be read
/// (it is never overwritten), before anything changes.
fn check_lock(cx: &Context) -> Result<(), Error> {
    if cx.records == Records::ReceiptOnly {
        return Ok(());
    }
    Ok(lockfile::check(&cx.dirs.root)?)
}

/// Refuse to start a change whose backup would go through a link in the state folder (see
/// [`state`]), before anything changes.
fn check_backups(dirs: &HostDirs, name: &str) -> Result<(), Error> {
    backups::check(dirs, name)
        .map(drop)
        .map_err(|e| io_error(&format!("cannot keep a backup of `{name}`"), e))
}

/// Refuse to start a change whose records would go through a link in the state folder (the
/// receipts folder, the backups folder), before anything changes: found after the swap, it
/// would leave a change that no run can record.
fn check_state(dirs: &HostDirs) -> Result<(), Error> {
    for dir in [receipts::dir(&dirs.state), dirs.state.join("backups")] {
        state::check_dir(&dirs.state, &dir)
            .map_err(|e| io_error(&format!("cannot use {}", dirs.state.display()), e))?;
    }
    Ok(())
}

/// Refuse a name that is not a plugin's before it becomes a path (the callers check theirs; this
/// is the last line).
fn check_name(name: &str) -> Result<(), Error> {
    match crate::plugin::names::refusal(name) {
        None => Ok(()),
        Some(why) => Err(io_error(
            "cannot change the plugins folder",
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("`{}` is not a plugin name: it {why}", name.escape_debug()),
            ),
        )),
    }
}

/// An I/O failure of the transaction, saying what it was doing.
pub(crate) fn io_error(what: &str, error: io::Error) -> Error {
    TransactionError::io(what, error).into()
}
