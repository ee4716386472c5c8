//! Ctrl-C (SIGINT) and SIGTERM: pluginkit removes what it was making and exits itself (130 for
//! SIGINT, 143 for SIGTERM, as a shell reports a process those signals ended), instead of being
//! killed with its temporary files left behind.
//!
//! What a run makes and would delete on its way out (a staging folder, a download in the cache)
//! is [`registered`] while it exists; the [`Registered`] guard takes it off the list when it is
//! dropped, once it was deleted or moved into place. A change being committed is [`deferred`]:
//! the signal waits for its commit to end (the journal cleared), so a change is either done or
//! not started, as when a run is killed (which the journal then finishes or undoes).
//!
//! Without [`handle_signals`] (the library used on its own) nothing is handled, and the lists
//! are merely kept.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Something to remove on an interrupt.
#[derive(Debug, Clone)]
pub(crate) enum Remove {
    /// A folder and everything in it.
    Tree(PathBuf),
    /// A file.
    File(PathBuf),
    /// A folder, only when empty (one made for what is removed with it).
    EmptyDir(PathBuf),
}

/// What is to be removed on an interrupt, by registration.
static REGISTERED: Mutex<BTreeMap<u64, Vec<Remove>>> = Mutex::new(BTreeMap::new());
/// Held while a change commits; the signal thread takes it before exiting.
static COMMITTING: Mutex<()> = Mutex::new(());
/// Set once a signal came: no commit starts after it.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Removes its paths from the list when dropped.
#[derive(Debug)]
#[must_use = "the paths are off the list once this is dropped"]
pub(crate) struct Registered(u64);

impl Drop for Registered {
    fn drop(&mut self) {
        lock(&REGISTERED).remove(&self.0);
    }
}

/// Remove `what`, in order, if the run is interrupted before the guard is dropped.
pub(crate) fn registered(what: Vec<Remove>) -> Registered {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    lock(&REGISTERED).insert(id, what);
    Registered(id)
}

/// Defer an interrupt until the guard is dropped: a commit in progress finishes. After an
/// interrupt came, no new commit starts: the thread waits here for the exit.
pub(crate) fn deferred() -> MutexGuard<'static, ()> {
    let guard = lock(&COMMITTING);
    if INTERRUPTED.load(Ordering::SeqCst) {
        drop(guard);
        loop {
            std::thread::park();
        }
    }
    guard
}

/// Handle SIGINT and SIGTERM from now on: on the first, wait for a commit in progress, remove
/// what is registered, and exit 128 + the signal's number. Fails only when the handlers cannot
/// be installed; the run then goes on without them.
pub fn handle_signals() -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                INTERRUPTED.store(true, Ordering::SeqCst);
                let _commit = lock(&COMMITTING);
                clean_up();
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// Remove what is registered, newest first (a download inside a staging folder before it).
fn clean_up() {
    let registered = lock(&REGISTERED);
    for what in registered.values().rev().flatten() {
        let _ = match what {
            Remove::Tree(path) => fs::remove_dir_all(path),
            Remove::File(path) => fs::remove_file(path),
            Remove::EmptyDir(path) => fs::remove_dir(path),
        };
    }
}

/// A lock, whether or not a thread panicked holding it (what it guards stays usable).
fn lock<T>(mutex: &'static Mutex<T>) -> MutexGuard<'static, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_registered_is_removed_until_its_guard_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let (kept, removed) = (dir.path().join("kept"), dir.path().join("removed"));
        fs::create_dir_all(removed.join("sub")).unwrap();
        fs::write(&kept, "x").unwrap();
        let guard = registered(vec![Remove::Tree(removed.clone())]);
        drop(registered(vec![Remove::File(kept.clone())]));
        clean_up();
        drop(guard);
        assert!(kept.exists());
        assert!(!removed.exists());
    }
}
