//! Backups: what `remove` and a replacing install keep of a plugin, in
//! `.pluginkit/backups/NAME/ID/`, each beside `ID.json`, what was recorded about it ([`Kept`]):
//! the receipt it was installed with, and its entries in `pluginkit.lock` and `[plugins]` as
//! they were written, so that a restore puts all three back as they were. (A backup made by an
//! earlier version has the receipt alone as its `ID.json`; a plugin pluginkit did not install
//! has none.) IDs are UTC times (`YYYYMMDDTHHMMSSZ`, `-N` added within a second). Once a change
//! is committed (in place and recorded), the newest `[host] keep-backups` of the plugin are kept
//! ([`crate::host::config::DEFAULT_KEEP_BACKUPS`] by default; 0 keeps none): a backup is made whatever that number,
//! since a killed change is finished from it, and pruned only after, before the journal goes
//! (so a run killed while pruning has the next finish it).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::host::receipts::Receipt;
use crate::host::state;
use crate::host::{HostDirs, edit, lockfile};
use crate::plugin::names;
use crate::util::atomic::sync_dir;
use crate::util::time::civil_from_days;

/// The folder of `name`'s backups.
pub(crate) fn dir(dirs: &HostDirs, name: &str) -> PathBuf {
    dirs.state.join("backups").join(name)
}

/// The plugins that have backups, each with how many, in name order (for the shell's
/// completion of `restore`).
pub(crate) fn backed_up(dirs: &HostDirs) -> Vec<(String, usize)> {
    let Ok(entries) = fs::read_dir(dirs.state.join("backups")) else {
        return Vec::new();
    };
    let mut names: Vec<(String, usize)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| names::is_valid(name))
        .map(|name| {
            let count = list(dirs, &name).len();
            (name, count)
        })
        .filter(|(_, count)| *count > 0)
        .collect();
    names.sort();
    names
}

/// Check that `name` is a plugin's name and that its backups folder, where it exists, is a real
/// folder of the state folder (no link on the way): what is moved into it, listed, restored
/// and pruned stays in `.pluginkit/backups/`. Returns whether the folder exists.
pub(crate) fn check(dirs: &HostDirs, name: &str) -> io::Result<bool> {
    if let Some(why) = names::refusal(name) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{}` is not a plugin name: it {why}", name.escape_debug()),
        ));
    }
    state::check_dir(&dirs.state, &dir(dirs, name))
}

/// Move a plugin folder into a new backup of `name`; returns the backup's folder. The oldest
/// beyond what is kept go once the change is committed ([`prune`]).
pub(crate) fn make(
    dirs: &HostDirs,
    name: &str,
    from: &Path,
    switched_off: bool,
) -> io::Result<PathBuf> {
    check(dirs, name)?;
    let parent = dir(dirs, name);
    state::ensure_dir(&dirs.state, &parent)?;
    let dest = parent.join(next_backup_id(&list(dirs, name)));
    // What was recorded about it goes first, so that a restore records the same: a record
    // without its folder is ignored, a folder without its record would lose it.
    let record = dest.with_extension("json");
    match Receipt::load(&dirs.state, name) {
        Ok(Some(receipt)) => {
            let kept = KeptFile {
                receipt,
                switched_off,
                entries: Entries {
                    lock: lockfile::entry_text(&dirs.root, name),
                    plugins: edit::entry_text(&dirs.root, name),
                },
            };
            let text = serde_json::to_string_pretty(&kept).map_err(io::Error::other)?;
            state::write(&dirs.state, &record, text.as_bytes())?;
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

/// When the backup `id` was made, as RFC 3339 (`2026-12-06T09:20:34Z`); the ID as it is when it
/// is not a time stamp.
pub(crate) fn made_at(id: &str) -> String {
    let (stamp, _) = backup_order(id);
    let digits = |range: std::ops::Range<usize>| {
        stamp
            .get(range)
            .filter(|part| part.bytes().all(|b| b.is_ascii_digit()))
    };
    match (
        digits(0..4),
        digits(4..6),
        digits(6..8),
        digits(9..11),
        digits(11..13),
        digits(13..15),
    ) {
        (Some(y), Some(m), Some(d), Some(hh), Some(mm), Some(ss))
            if stamp.len() == 16 && &stamp[8..9] == "T" && stamp.ends_with('Z') =>
        {
            format!("{y}-{m}-{d}T{hh}:{mm}:{ss}Z")
        }
        _ => id.to_owned(),
    }
}

/// `YYYYMMDDTHHMMSSZ` in UTC, now.
fn backup_stamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// What was recorded about the plugin a backup holds, when pluginkit installed it.
#[derive(Debug, Clone)]
pub(crate) struct Kept {
    pub(crate) receipt: Receipt,
    /// Its entries in `pluginkit.lock` and `[plugins]`; `None` for a backup made by an earlier
    /// version, which kept only the receipt.
    pub(crate) entries: Option<Entries>,
    /// Whether it was switched off where its folder was (FastCMS's `_NAME/`, a class-based
    /// plugin in `.pluginkit/disabled/`), which a restore puts back.
    pub(crate) switched_off: bool,
}

/// A plugin's entries in `pluginkit.lock` and `[plugins]`, as they were written there (`None`:
/// it had none).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entries {
    #[serde(default)]
    pub(crate) lock: Option<String>,
    #[serde(default)]
    pub(crate) plugins: Option<String>,
}

/// `ID.json` as it is written now.
#[derive(Serialize, Deserialize)]
struct KeptFile {
    receipt: Receipt,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    switched_off: bool,
    #[serde(flatten)]
    entries: Entries,
}

/// `ID.json` as it may be found.
#[derive(Deserialize)]
#[serde(untagged)]
enum OnDisk {
    Now(KeptFile),
    /// An earlier version's: the receipt alone.
    Before(Receipt),
}

/// What was recorded about the plugin a backup holds, when it was installed by pluginkit.
pub(crate) fn kept(dirs: &HostDirs, name: &str, id: &str) -> Option<Kept> {
    if !check(dirs, name).ok()? || !is_backup_id(id) {
        return None;
    }
    let text = state::read(&dir(dirs, name).join(id).with_extension("json")).ok()??;
    Some(match serde_json::from_slice(&text).ok()? {
        OnDisk::Now(file) => Kept {
            receipt: file.receipt,
            entries: Some(file.entries),
            switched_off: file.switched_off,
        },
        OnDisk::Before(receipt) => Kept {
            receipt,
            entries: None,
            switched_off: false,
        },
    })
}

/// Drop the backup at `backup` (a folder of `name`'s backups) and its record, once restored: out
/// of the list in one rename first, as [`prune`] does. Nothing to do when it is gone already.
pub(crate) fn discard(dirs: &HostDirs, name: &str, backup: &Path) -> io::Result<()> {
    if !check(dirs, name)? {
        return Ok(());
    }
    let parent = dir(dirs, name);
    let Some(id) = backup
        .file_name()
        .map(|id| id.to_string_lossy().into_owned())
        .filter(|id| is_backup_id(id) && backup.parent() == Some(parent.as_path()))
    else {
        // Not a backup of this plugin (the path comes from the journal, a file on disk).
        return Ok(());
    };
    let trash = parent.join(format!(".trash-{id}"));
    match fs::rename(backup, &trash) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    match fs::remove_file(backup.with_extension("json")) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    match fs::remove_dir_all(&trash) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The backups of `name`, oldest first; none when its backups folder is not a real one (see
/// [`check`]).
pub(crate) fn list(dirs: &HostDirs, name: &str) -> Vec<String> {
    if !check(dirs, name).unwrap_or(false) {
        return Vec::new();
    }
    let mut ids: Vec<String> = fs::read_dir(dir(dirs, name))
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

/// Drop the oldest backups of `name` beyond the newest `keep`, and what an interrupted backup or
/// prune left. Run under the host lock once a change is committed (the backup a restore put back
/// dropped already), so no step left needs a backup it drops; each goes whole or not at all
/// (renamed out of the list, then deleted).
pub(crate) fn prune(dirs: &HostDirs, name: &str, keep: usize) -> io::Result<()> {
    if !check(dirs, name)? {
        return Ok(());
    }
    let parent = dir(dirs, name);
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
        // The record of a backup an interrupted prune took away (or a backup never made).
        if let Some(id) = file.strip_suffix(".json")
            && is_backup_id(id)
            && fs::symlink_metadata(parent.join(id)).is_err()
        {
            let _ = fs::remove_file(entry.path());
        }
    }
    let ids = list(dirs, name);
    for id in ids.iter().take(ids.len().saturating_sub(keep)) {
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
pub(crate) fn move_dir(from: &Path, to: &Path) -> io::Result<()> {
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
pub(crate) fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
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
        assert_eq!(made_at("20250102T030405Z-3"), "2025-01-02T03:04:05Z");
        assert_eq!(made_at("2025"), "2025");
        for leftover in [
            ".trash-20250101T000000Z",
            "20250101T000000Z.pluginkit-partial",
        ] {
            assert!(!is_backup_id(leftover), "{leftover}");
        }
    }
}
