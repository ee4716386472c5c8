//! Which plugin changes the running server has not loaded yet. The server loaded its plugins
//! when it started, when pluginkit last signalled it (recorded in `.pluginkit/reload.json`), or
//! when its oldest worker started, whichever is latest; a plugin whose files changed after that
//! (installed, upgraded, enabled, disabled, edited) is pending, and so is one removed after it.

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{Server, ServerSignal};
use crate::transaction::backups;

/// The record of the last signal pluginkit sent, in the host's `.pluginkit/`.
const RECORD: &str = "reload.json";

#[derive(Debug, Serialize, Deserialize)]
struct ReloadRecord {
    pid: i32,
    /// With the PID, the process that was signalled and no later one.
    start_ticks: u64,
    signal: String,
    /// When it was sent, in milliseconds since 1970.
    sent_ms: u64,
}

/// Write down that `server` was just sent `signal`.
pub(crate) fn record(state_dir: &Path, server: &Server, signal: ServerSignal) -> io::Result<()> {
    let record = ReloadRecord {
        pid: server.pid,
        start_ticks: server.start_ticks,
        signal: signal.name().to_owned(),
        sent_ms: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
    };
    fs::create_dir_all(state_dir)?;
    let json = serde_json::to_vec_pretty(&record).map_err(io::Error::other)?;
    // Renamed over the record itself, never written through a link in its place: nothing in
    // `.pluginkit/` leads pluginkit elsewhere.
    let mut temp = crate::util::atomic::temp_file(state_dir, crate::util::atomic::WRITE_PREFIX)?;
    temp.write_all(&json)?;
    temp.as_file().sync_all()?;
    temp.persist(state_dir.join(RECORD)).map_err(|e| e.error)?;
    Ok(())
}

/// The most a reload record can hold: a few numbers and a signal's name.
const RECORD_CAP: u64 = 4096;

/// Why the server's plugins are as of [`LiveSince::at`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum LiveWhy {
    /// The server started then.
    Started,
    /// pluginkit signalled it then.
    Reloaded,
    /// Its oldest worker started then (a reload pluginkit did not send, or a worker replaced).
    WorkersStarted,
}

impl LiveWhy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            LiveWhy::Started => "started",
            LiveWhy::Reloaded => "reloaded by pluginkit",
            LiveWhy::WorkersStarted => "workers started",
        }
    }
}

/// Since when the server runs the plugins as they are on disk now, unless changed since.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LiveSince {
    pub(crate) at: SystemTime,
    pub(crate) why: LiveWhy,
}

/// When the running `server`, whose workers are `workers` ([`Server::workers`]), last loaded
/// its plugins.
pub(crate) fn live_since(server: &Server, workers: &[(i32, u64)], state_dir: &Path) -> LiveSince {
    let mut live = LiveSince {
        at: server.started,
        why: LiveWhy::Started,
    };
    // Only a regular file, and only a small one: a FIFO in its place must not stop `status`.
    let recorded = super::read_regular(&state_dir.join(RECORD), RECORD_CAP)
        .ok()
        .flatten()
        .and_then(|bytes| serde_json::from_slice::<ReloadRecord>(&bytes).ok())
        .filter(|r| r.pid == server.pid && r.start_ticks == server.start_ticks)
        .map(|r| UNIX_EPOCH + Duration::from_millis(r.sent_ms));
    if let Some(sent) = recorded
        && sent > live.at
    {
        live = LiveSince {
            at: sent,
            why: LiveWhy::Reloaded,
        };
    }
    // Start times of processes are known to a clock tick (10 ms), so a worker counts only when
    // it started clearly after what is already known.
    if let Some(since) = super::oldest_start(workers)
        && since > live.at + Duration::from_millis(20)
    {
        live = LiveSince {
            at: since,
            why: LiveWhy::WorkersStarted,
        };
    }
    live
}

/// When something in the plugin folder `dir` changed after `since`, if it did: the change
/// time (ctime) of a file in it, which installing, enabling and disabling, and editing all
/// set. Python's `__pycache__` (written when the server imports the plugin), `.pyc` files and
/// `.git` do not count, nor do folders' own times, which Python's first import changes.
pub(crate) fn changed_since(dir: &Path, since: SystemTime) -> Option<SystemTime> {
    let Ok(entries) = fs::read_dir(dir) else {
        return None;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == "__pycache__" || name == ".git" || name.ends_with(".pyc") {
            continue;
        }
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if meta.is_dir() {
            if let Some(at) = changed_since(&entry.path(), since) {
                return Some(at);
            }
        } else if let Some(at) = change_time(&meta)
            && at > since
        {
            return Some(at);
        }
    }
    None
}

#[cfg(unix)]
fn change_time(meta: &fs::Metadata) -> Option<SystemTime> {
    use std::os::unix::fs::MetadataExt;
    let secs = u64::try_from(meta.ctime()).ok()?;
    let nanos = u32::try_from(meta.ctime_nsec()).ok()?;
    Some(UNIX_EPOCH + Duration::new(secs, nanos))
}

#[cfg(not(unix))]
fn change_time(meta: &fs::Metadata) -> Option<SystemTime> {
    meta.modified().ok()
}

/// The plugins removed after `since` and not installed again: their newest backup (the
/// folder `remove` moved into `.pluginkit/backups/NAME/`) changed after it.
pub(crate) fn removed_since(
    dirs: &crate::host::HostDirs,
    installed: &[&str],
    since: SystemTime,
) -> Vec<(String, SystemTime)> {
    let Ok(entries) = fs::read_dir(dirs.state.join("backups")) else {
        return Vec::new();
    };
    let mut removed: Vec<(String, SystemTime)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_owned();
            if installed.contains(&name.as_str()) {
                return None;
            }
            let newest = backups::list(dirs, &name).pop()?;
            let meta = backups::dir(dirs, &name)
                .join(newest)
                .symlink_metadata()
                .ok()?;
            let at = change_time(&meta)?;
            (at > since).then_some((name, at))
        })
        .collect();
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_a_file_changed_after_the_time_and_never_pythons_cache() {
        let dir = tempfile::tempdir().unwrap();
        let plugin = dir.path();
        fs::create_dir_all(plugin.join("sub")).unwrap();
        fs::write(plugin.join("sub/views.py"), "x = 1\n").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let loaded = SystemTime::now();
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(changed_since(plugin, loaded), None);

        fs::create_dir_all(plugin.join("__pycache__")).unwrap();
        fs::write(plugin.join("__pycache__/views.cpython-311.pyc"), "").unwrap();
        fs::write(plugin.join("sub/old.pyc"), "").unwrap();
        fs::create_dir_all(plugin.join("new_folder")).unwrap();
        assert_eq!(changed_since(plugin, loaded), None);

        fs::write(plugin.join("DISABLED"), "").unwrap();
        assert!(changed_since(plugin, loaded).is_some_and(|at| at > loaded));
        fs::remove_file(plugin.join("DISABLED")).unwrap();
        fs::write(plugin.join("sub/views.py"), "x = 2\n").unwrap();
        assert!(changed_since(plugin, loaded).is_some());
    }
}
