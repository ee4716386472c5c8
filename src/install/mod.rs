//! The install transaction, shared by every source: a plugin is staged in a hidden folder inside
//! the plugins folder (so the final move is a rename on one file system), checked, then swapped
//! into place in one step, then recorded (receipt, `pluginkit.lock`). A journal written before the
//! swap lets the next run finish or undo what a killed run left, and a lock file keeps two
//! pluginkit processes from interleaving their changes.
//!
//! Host state lives in `.pluginkit/` under the host root: `lock`, `journal.json`, `receipts/`
//! and `backups/NAME/ID/`.
//!
//! The steps, as the crash tests name them (`PLUGINKIT_TEST_PAUSE_AT`): an install is
//! `install-journaled`, then the swap, `install-swapped`, the replaced plugin into the backups,
//! `install-backed-up`, receipt and lockfile, `install-recorded`; a removal is
//! `remove-journaled`, then the plugin out of the plugins folder in one rename into a staging
//! folder, `remove-moved`, into the backups, `remove-backed-up`, the records, `remove-recorded`.
//! Killed before the swap (or the rename), the next run undoes the change; after it, it
//! finishes it.

mod journal;
mod lock;

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};

use crate::util::atomic::{WRITE_PREFIX, sync_dir, write_atomically};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Error;
use crate::host::receipts::{self as receipt, Receipt};
use crate::host::{edit, lockfile};
use crate::output::Printer;
use crate::source::id::SourceId;
pub use journal::Journal;
pub use lock::HostLock;

/// How many backups of one plugin `remove` and `add --force` keep.
pub const KEEP_BACKUPS: usize = 3;
const STAGING_PREFIX: &str = ".pluginkit-staging-";
/// A file put in a staged plugin so that, after a crash, the journal can tell whether the swap
/// happened (the file is then in the plugins folder) or not.
const TXN_MARKER: &str = ".pluginkit-txn";
/// Where the two-rename swap (for file systems without an exchange) parks the old plugin.
const SWAP_EXTENSION: &str = "pluginkit-swap";

/// Where a host keeps its plugins and its records.
#[derive(Debug, Clone)]
pub struct HostDirs {
    pub root: PathBuf,
    pub plugins: PathBuf,
    /// `.pluginkit/` under the root.
    pub state: PathBuf,
    /// A named step at which to stop and wait to be killed (crash tests only).
    pub pause_at: Option<String>,
}

impl HostDirs {
    pub fn backups(&self, name: &str) -> PathBuf {
        self.state.join("backups").join(name)
    }

    /// Wait forever at `step` when the crash tests asked for it; they kill the process there.
    pub fn checkpoint(&self, step: &str) {
        if self.pause_at.as_deref() == Some(step) {
            let _ = writeln!(io::stderr(), "pluginkit: paused at {step}");
            loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        }
    }
}

/// A staging folder in the plugins folder, removed when dropped unless the plugin in it was
/// moved into place.
#[derive(Debug)]
pub struct Staging {
    pub dir: PathBuf,
    pub txn: String,
    /// Whether the plugins folder was made for this staging folder; a failed first install then
    /// leaves no empty plugins folder behind.
    made_plugins_dir: bool,
}

impl Staging {
    pub fn new(dirs: &HostDirs) -> Result<Staging, Error> {
        let made_plugins_dir = !dirs.plugins.is_dir();
        fs::create_dir_all(&dirs.plugins).map_err(|e| {
            Error::user(format!(
                "cannot create the plugins folder {}: {e}",
                dirs.plugins.display()
            ))
        })?;
        let txn = format!(
            "{}-{}",
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis()),
            std::process::id()
        );
        let dir = dirs.plugins.join(format!("{STAGING_PREFIX}{txn}"));
        fs::create_dir(&dir)
            .map_err(|e| Error::user(format!("cannot create {}: {e}", dir.display())))?;
        Ok(Staging {
            dir,
            txn,
            made_plugins_dir,
        })
    }

    /// The folder the plugin is staged in, named as it will be installed.
    pub fn plugin_dir(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
        if self.made_plugins_dir
            && let Some(plugins) = self.dir.parent()
        {
            // Fails, as it should, once a plugin is in it.
            let _ = fs::remove_dir(plugins);
        }
    }
}

/// What to record about a plugin being installed.
#[derive(Debug, Clone)]
pub struct Record {
    pub name: String,
    pub version: Option<String>,
    pub flavor: String,
    pub source: SourceId,
    pub archive_sha256: Option<String>,
    /// The staged files' hashes, when whoever staged them took them while writing (unpacking
    /// an archive does); otherwise the staged tree is read again to hash it.
    pub files: Option<BTreeMap<String, String>>,
    /// What `pluginkit.toml`'s `[plugins]` gets for this plugin (an inline table in TOML), when
    /// the host has that file; `None` leaves the file alone.
    pub plugins_entry: Option<String>,
    /// The plugins it depends on, by name.
    pub dependencies: Vec<String>,
}

/// The result of installing.
#[derive(Debug)]
pub struct Installed {
    pub path: PathBuf,
    pub replaced: Option<PathBuf>,
    pub receipt: Receipt,
}

/// Move the staged plugin `staged` (inside `staging`) into the plugins folder as `record.name`,
/// replacing an existing plugin only with `force` (which is backed up first), then record it.
pub fn commit_install(
    dirs: &HostDirs,
    staging: &Staging,
    record: Record,
    force: bool,
) -> Result<Installed, Error> {
    let staged = staging.plugin_dir(&record.name);
    let target = dirs.plugins.join(&record.name);
    let exists = fs::symlink_metadata(&target).is_ok();
    if exists && !force {
        return Err(Error::user_hint(
            format!(
                "a plugin named `{}` is already installed in {}",
                record.name,
                target.display()
            ),
            "pass --force to replace it (the installed one is kept as a backup), or remove it first",
        ));
    }
    // Hash before the swap: the tree is complete and nobody else writes to the staging folder.
    let files = match &record.files {
        Some(files) => files.clone(),
        None => {
            receipt::hash_tree(&staged).map_err(|e| io_error("cannot read the staged plugin", e))?
        }
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

    let journal = Journal::install(&record, &staging.dir, &staging.txn, exists, link.clone());
    journal
        .save(&dirs.state)
        .map_err(|e| io_error("cannot write the journal", e))?;
    dirs.checkpoint("install-journaled");

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
        let placed = link.is_none()
            && fs::read_to_string(target.join(TXN_MARKER)).is_ok_and(|t| t == staging.txn);
        if !placed {
            let _ = Journal::clear(&dirs.state);
            return Err(e);
        }
    }
    sync_dir(&dirs.plugins);
    dirs.checkpoint("install-swapped");

    let replaced = finish_install(dirs, &journal, Some(&receipt))?;
    Ok(Installed {
        path: target,
        replaced,
        receipt,
    })
}

/// After the swap: the old plugin (now in the staging folder) goes to the backups, the marker
/// goes, and the install is recorded. Also what recovery runs for a swap a killed run made, so
/// every step may find itself already done.
fn finish_install(
    dirs: &HostDirs,
    journal: &Journal,
    receipt: Option<&Receipt>,
) -> Result<Option<PathBuf>, Error> {
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
            backup_into(dirs, name, &old)
                .map_err(|e| io_error("cannot keep the replaced plugin as a backup", e))?,
        ),
        // A replaced development link is dropped with the staging folder, as `remove` does.
        _ => None,
    };
    if journal.had_old && replaced.is_none() {
        // A killed run may have made the backup without pruning.
        prune_backups(dirs, name).map_err(|e| io_error("cannot prune the backups", e))?;
    }
    dirs.checkpoint("install-backed-up");
    let receipt = match receipt {
        Some(receipt) => receipt.clone(),
        None => {
            let files = receipt::hash_tree(&target)
                .map_err(|e| io_error("cannot read the installed plugin", e))?;
            Receipt {
                name: name.clone(),
                version: journal.version.clone(),
                flavor: journal.flavor.clone(),
                source: journal.source.clone().ok_or_else(|| {
                    Error::user("the journal of the interrupted install records no source")
                })?,
                archive_sha256: journal.archive_sha256.clone(),
                tree: crate::util::hash::tree_hash(&files),
                dependencies: journal.dependencies.clone(),
                files,
            }
        }
    };
    receipt
        .save(&dirs.state)
        .map_err(|e| io_error("cannot write the receipt", e))?;
    lockfile::write(&dirs.root, &dirs.state)
        .map_err(|e| io_error("cannot write pluginkit.lock", e))?;
    if let Some(entry) = &journal.plugins_entry {
        edit::record_plugin(&dirs.root, name, Some(entry))
            .map_err(|e| io_error("cannot record the plugin in pluginkit.toml", e))?;
    }
    dirs.checkpoint("install-recorded");
    remove_staging(&journal.staging);
    Journal::clear(&dirs.state).map_err(|e| io_error("cannot remove the journal", e))?;
    Ok(replaced)
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

/// Delete a staging folder, only ever one: the path comes from the journal, a file on disk.
fn remove_staging(dir: &Path) {
    if dir
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(STAGING_PREFIX))
    {
        let _ = fs::remove_dir_all(dir);
    }
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

/// Move a plugin folder into a new backup of `name`, dropping the oldest beyond
/// [`KEEP_BACKUPS`]; returns the backup's folder.
pub fn backup_into(dirs: &HostDirs, name: &str, from: &Path) -> io::Result<PathBuf> {
    let parent = dirs.backups(name);
    fs::create_dir_all(&parent)?;
    let dest = parent.join(next_backup_id(&list_backups(dirs, name)));
    // What was recorded about it goes first, so that a restore records the same source: a
    // record without its folder is ignored, a folder without its record would lose the source.
    let record = dest.with_extension("json");
    match Receipt::load(&dirs.state, name) {
        Ok(Some(receipt)) => {
            let text = serde_json::to_string_pretty(&receipt).map_err(io::Error::other)?;
            write_atomically(&record, text.as_bytes())?;
        }
        _ => {
            let _ = fs::remove_file(&record);
        }
    }
    if let Err(e) = move_dir(from, &dest) {
        let _ = fs::remove_file(&record);
        return Err(e);
    }
    sync_dir(&parent);
    prune_backups(dirs, name)?;
    Ok(dest)
}

/// A new backup ID: the time as `YYYYMMDDTHHMMSSZ` in UTC, with `-N` added when the newest
/// backup is from the same second (or a later one: the clock went back), so that IDs never
/// repeat and sort in the order the backups were made.
fn next_backup_id(existing: &[String]) -> String {
    let now = backup_stamp();
    match existing.last().map(|id| backup_order(id)) {
        Some((stamp, n)) if stamp >= now.as_str() => format!("{stamp}-{}", n + 1),
        _ => now,
    }
}

/// A backup ID as (time stamp, sequence number): the order of backups.
fn backup_order(id: &str) -> (&str, u64) {
    match id.split_once('-') {
        Some((stamp, n)) => (stamp, n.parse().unwrap_or(0)),
        None => (id, 0),
    }
}

/// Whether a name in a plugin's backups folder is a backup (and not a leftover of a copy or a
/// prune that was interrupted).
fn is_backup_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_digit())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// `YYYYMMDDTHHMMSSZ` in UTC, now.
fn backup_stamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = crate::util::time::civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// What was recorded about the plugin a backup holds, when it was installed by pluginkit.
pub fn backup_receipt(dirs: &HostDirs, name: &str, id: &str) -> Option<Receipt> {
    let text = fs::read(dirs.backups(name).join(id).with_extension("json")).ok()?;
    serde_json::from_slice(&text).ok()
}

/// The backups of `name`, oldest first.
pub fn list_backups(dirs: &HostDirs, name: &str) -> Vec<String> {
    let mut ids: Vec<String> = fs::read_dir(dirs.backups(name))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|id| is_backup_id(id))
                .collect()
        })
        .unwrap_or_default();
    ids.sort_by(|a, b| backup_order(a).cmp(&backup_order(b)));
    ids
}

/// Drop the oldest backups of `name` beyond [`KEEP_BACKUPS`], and what an interrupted backup or
/// prune left.
fn prune_backups(dirs: &HostDirs, name: &str) -> io::Result<()> {
    let parent = dirs.backups(name);
    let entries = match fs::read_dir(&parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    // What an interrupted prune, copy or write left: never a backup.
    for entry in entries.filter_map(Result::ok) {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with('.') || file.ends_with(".pluginkit-partial") {
            let _ = fs::remove_dir_all(entry.path()).or_else(|_| fs::remove_file(entry.path()));
        }
    }
    let ids = list_backups(dirs, name);
    for id in ids.iter().take(ids.len().saturating_sub(KEEP_BACKUPS)) {
        let dir = parent.join(id);
        // Out of the list in one rename before the slow delete, so an interrupted prune never
        // leaves a part of a backup that looks like a whole one.
        let trash = parent.join(format!(".trash-{id}"));
        fs::rename(&dir, &trash)?;
        let _ = fs::remove_file(dir.with_extension("json"));
        fs::remove_dir_all(&trash)?;
    }
    Ok(())
}

/// Rename a folder, or copy and delete it when the destination is on another file system.
pub fn move_dir(from: &Path, to: &Path) -> io::Result<()> {
    match fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::CrossesDevices => {
            let partial = to.with_extension("pluginkit-partial");
            if partial.exists() {
                fs::remove_dir_all(&partial)?;
            }
            copy_dir(from, &partial)?;
            fs::rename(&partial, to)?;
            // The copy is whole: take the original out of sight in one step before the slow
            // delete, so that an interrupted delete never leaves a part of it under its name.
            let moved = from.with_extension("pluginkit-moved");
            fs::rename(from, &moved)?;
            fs::remove_dir_all(&moved)
        }
        Err(e) => Err(e),
    }
}

/// Copy a folder's regular files and folders (links are not followed or copied).
pub fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

/// Remove `name` from the plugins folder: into a backup, or deleted with `keep == false`.
/// Returns the backup's folder.
pub fn remove(dirs: &HostDirs, name: &str, keep: bool) -> Result<Option<PathBuf>, Error> {
    let target = dirs.plugins.join(name);
    let staging = Staging::new(dirs)?;
    let aside = staging.plugin_dir(name);
    let journal = Journal::remove(name, &staging.dir, keep);
    journal
        .save(&dirs.state)
        .map_err(|e| io_error("cannot write the journal", e))?;
    dirs.checkpoint("remove-journaled");
    // Out of the plugins folder in one rename (a development link moves as a link), whatever
    // the backup then takes: a copy when the backups are on another file system.
    if let Err(e) = fs::rename(&target, &aside) {
        let _ = Journal::clear(&dirs.state);
        return Err(io_error(&format!("cannot remove {}", target.display()), e));
    }
    sync_dir(&dirs.plugins);
    dirs.checkpoint("remove-moved");
    match finish_remove(dirs, &journal) {
        Ok(backup) => Ok(backup),
        Err(e) => {
            // Put it back rather than lose it with the staging folder.
            if fs::symlink_metadata(&aside).is_ok() && fs::rename(&aside, &target).is_ok() {
                let _ = Journal::clear(&dirs.state);
            }
            Err(e)
        }
    }
}

/// After the plugin left the plugins folder: into the backups (unless it was a development
/// link or `--no-backup`), then the records. Also what recovery runs.
fn finish_remove(dirs: &HostDirs, journal: &Journal) -> Result<Option<PathBuf>, Error> {
    let name = &journal.name;
    let aside = journal.staging.join(name);
    let backup = if journal.backup
        && !journal.staging.as_os_str().is_empty()
        && fs::symlink_metadata(&aside).is_ok_and(|m| m.is_dir())
    {
        Some(backup_into(dirs, name, &aside).map_err(|e| {
            io_error(
                &format!(
                    "cannot move {} to the backups",
                    plugins_of(journal, dirs).join(name).display()
                ),
                e,
            )
        })?)
    } else {
        // A killed run may have made the backup without pruning.
        prune_backups(dirs, name).map_err(|e| io_error("cannot prune the backups", e))?;
        None
    };
    dirs.checkpoint("remove-backed-up");
    Receipt::delete(&dirs.state, name).map_err(|e| io_error("cannot delete the receipt", e))?;
    lockfile::write(&dirs.root, &dirs.state)
        .map_err(|e| io_error("cannot write pluginkit.lock", e))?;
    edit::record_plugin(&dirs.root, name, None)
        .map_err(|e| io_error("cannot remove the plugin from pluginkit.toml", e))?;
    dirs.checkpoint("remove-recorded");
    remove_staging(&journal.staging);
    Journal::clear(&dirs.state).map_err(|e| io_error("cannot remove the journal", e))?;
    Ok(backup)
}

/// Finish or undo what a killed run left: an interrupted transaction in the journal, staging
/// folders and temporary files. Says what it did. Runs under the host lock.
pub fn recover(dirs: &HostDirs, printer: &Printer) -> Result<(), Error> {
    let journal = Journal::load(&dirs.state).map_err(|e| io_error("cannot read the journal", e))?;
    if let Some(journal) = &journal {
        let plugins = plugins_of(journal, dirs);
        let target = plugins.join(&journal.name);
        match journal.op.as_str() {
            "install" => {
                let staged = journal.staging.join(&journal.name);
                let swapped = match &journal.link {
                    Some(link) => fs::read_link(&target).is_ok_and(|t| &t == link),
                    None => {
                        let marked = |dir: &Path| {
                            fs::read_to_string(dir.join(TXN_MARKER)).is_ok_and(|t| t == journal.txn)
                        };
                        // The marker is in the new plugin: in place, or still staged. When it
                        // is in neither, finishing had removed it already.
                        marked(&target)
                            || (!marked(&staged) && fs::symlink_metadata(&target).is_ok())
                    }
                };
                if swapped {
                    finish_install(dirs, journal, None)?;
                    printer.note(format!(
                        "pluginkit: finished installing `{}`, which an interrupted run had put in place",
                        journal.name
                    ));
                } else {
                    // The two-rename swap may have parked the old plugin already.
                    let parked = staged.with_extension(SWAP_EXTENSION);
                    if fs::symlink_metadata(&target).is_err()
                        && fs::symlink_metadata(&parked).is_ok()
                    {
                        fs::rename(&parked, &target).map_err(|e| {
                            io_error(&format!("cannot put back {}", target.display()), e)
                        })?;
                    }
                    // The journal goes first: the staging folder (swept below) is what tells an
                    // unfinished swap from a finished one.
                    Journal::clear(&dirs.state)
                        .map_err(|e| io_error("cannot remove the journal", e))?;
                    remove_staging(&journal.staging);
                    printer.note(format!(
                        "pluginkit: undid an interrupted install of `{}`; the plugins folder is as it was",
                        journal.name
                    ));
                }
            }
            _ => {
                if fs::symlink_metadata(&target).is_err() {
                    finish_remove(dirs, journal)?;
                    printer.note(format!(
                        "pluginkit: finished removing `{}` after an interrupted run",
                        journal.name
                    ));
                } else {
                    Journal::clear(&dirs.state)
                        .map_err(|e| io_error("cannot remove the journal", e))?;
                    remove_staging(&journal.staging);
                    printer.note(format!(
                        "pluginkit: an interrupted run had not removed `{}` yet; it is still installed",
                        journal.name
                    ));
                }
            }
        }
    }
    let left = sweep(&dirs.plugins, STAGING_PREFIX);
    if left > 0 && journal.is_none() {
        printer.note(format!(
            "pluginkit: removed {} staging folder{} that an interrupted run left; nothing had been installed from {}",
            left,
            if left == 1 { "" } else { "s" },
            if left == 1 { "it" } else { "them" },
        ));
    }
    for dir in [
        dirs.root.clone(),
        dirs.state.clone(),
        receipt::dir(&dirs.state),
    ] {
        sweep(&dir, WRITE_PREFIX);
    }
    Ok(())
}

/// Delete what in `dir` starts with `prefix`; returns how many were deleted.
fn sweep(dir: &Path, prefix: &str) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut count = 0;
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let path = entry.path();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let removed = if is_dir {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            count += usize::from(removed.is_ok());
        }
    }
    count
}

/// Whether a killed run may have left something to clean up: a journal, or a staging folder
/// (a run killed before it wrote its journal). Cheap: one file test and one folder listing.
pub fn needs_recovery(dirs: &HostDirs) -> bool {
    Journal::exists(&dirs.state)
        || fs::read_dir(&dirs.plugins).is_ok_and(|entries| {
            entries
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().starts_with(STAGING_PREFIX))
        })
}

pub fn io_error(what: &str, error: io::Error) -> Error {
    Error::user(format!("{what}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_ids_never_repeat_and_sort_in_the_order_made() {
        let now = backup_stamp();
        assert_eq!(next_backup_id(&[]), now);
        // The same second already has backups, however many (`-10` after `-9`, not `-1`).
        assert_eq!(
            next_backup_id(std::slice::from_ref(&now)),
            format!("{now}-1")
        );
        assert_eq!(next_backup_id(&[format!("{now}-9")]), format!("{now}-10"));
        // The clock went back: still after the newest.
        assert_eq!(
            next_backup_id(&["29991231T235959Z".to_owned()]),
            "29991231T235959Z-1"
        );
        let mut ids = vec![
            "20250101T000000Z-10",
            "20250101T000000Z-9",
            "20250101T000000Z",
        ];
        ids.sort_by(|a, b| backup_order(a).cmp(&backup_order(b)));
        assert_eq!(
            ids,
            [
                "20250101T000000Z",
                "20250101T000000Z-9",
                "20250101T000000Z-10"
            ]
        );
        assert!(is_backup_id("20250101T000000Z-3"));
        for leftover in [
            ".trash-20250101T000000Z",
            "20250101T000000Z.pluginkit-partial",
        ] {
            assert!(!is_backup_id(leftover), "{leftover}");
        }
    }
}
