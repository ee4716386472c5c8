//! The host lock: one pluginkit process at a time changes a host. An exclusive lock on
//! `.pluginkit/lock` (the operating system releases it when the process dies, however it dies).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::output::Printer;
use crate::transaction::io_error;

/// Held while a command changes the host; released on drop.
#[derive(Debug)]
pub(crate) struct HostLock {
    _file: File,
}

impl HostLock {
    /// Take the lock, waiting (and saying so) while another process holds it.
    pub(crate) fn acquire(state: &Path, printer: &Printer) -> Result<HostLock, Error> {
        let (path, file) = open(state)?;
        // Every change comes here: a state folder without its .gitignore gets it back.
        crate::host::state::ensure_gitignore(state).map_err(|e| {
            io_error(
                &format!("cannot write {}", state.join(".gitignore").display()),
                e,
            )
        })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = crate::host::state::read(&path)
                    .ok()
                    .flatten()
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    .unwrap_or_default();
                // A PID, or nothing shown: the file is in a folder others may write.
                let holder = Some(holder.trim())
                    .filter(|h| h.len() <= 20 && h.chars().all(|c| c.is_ascii_digit()))
                    .unwrap_or_default();
                printer.note(format!(
                    "waiting for another pluginkit process{} to finish with this host (lock: {})",
                    if holder.is_empty() {
                        String::new()
                    } else {
                        format!(" (pid {holder})")
                    },
                    path.display()
                ));
                file.lock()
                    .map_err(|e| io_error(&format!("cannot lock {}", path.display()), e))?;
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(io_error(&format!("cannot lock {}", path.display()), e));
            }
        }
        Ok(HostLock::held(file))
    }

    /// Take the lock if no other process holds it; `None` when one does. For the commands that
    /// only read, which never wait for another process's change.
    pub(crate) fn try_acquire(state: &Path) -> Result<Option<HostLock>, Error> {
        let (path, file) = open(state)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(HostLock::held(file))),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(io_error(&format!("cannot lock {}", path.display()), e))
            }
        }
    }

    fn held(mut file: File) -> HostLock {
        // Who holds it, for the message above; the lock itself is what counts.
        let _ = file.set_len(0);
        let _ = write!(file, "{}", std::process::id());
        HostLock { _file: file }
    }
}

/// The lock file in the state folder `state` (both made when missing), opened: never through
/// a link, and only a regular file of its own (it is truncated to write the holder's PID).
fn open(state: &Path) -> Result<(PathBuf, File), Error> {
    crate::host::state::ensure_dir(state, state).map_err(|e| {
        io_error(
            &format!("cannot use the state folder {}", state.display()),
            e,
        )
    })?;
    let path = state.join("lock");
    let file = crate::host::state::open_rw(&path)
        .map_err(|e| io_error(&format!("cannot open the lock file {}", path.display()), e))?;
    Ok((path, file))
}
