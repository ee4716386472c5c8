//! Claims: an exclusively locked file beside something a run is working on in the plugins
//! folder without the host lock (a staging folder while a plugin is fetched and unpacked, a
//! plugin whose markers are being switched). The operating system drops the lock when its
//! process ends, however it ends, so recovery can tell what a killed run abandoned (a claim it
//! can lock) from what a live run is still using (a claim it cannot), and sweeps only the former.
//!
//! A claim's file is taken before the thing it guards exists and removed after it is gone, and
//! only ever removed by whoever holds its lock. Taking one checks, once locked, that the file is
//! still the one at its path: a sweeper may have locked and removed it in the moment between
//! its creation and its locking, and the claim is then taken again.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// A held claim; released (the file left for the next taker) when dropped, unless
/// [`removed`](Claim::remove).
#[derive(Debug)]
pub(crate) struct Claim {
    path: PathBuf,
    file: File,
}

impl Claim {
    /// Take the claim at `path`, creating its file when missing, and waiting while another live
    /// run holds it.
    pub(crate) fn acquire(path: &Path) -> io::Result<Claim> {
        loop {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)?;
            file.lock()?;
            if is_at(&file, path) {
                return Ok(Claim {
                    path: path.to_path_buf(),
                    file,
                });
            }
        }
    }

    /// The claim at `path` when nobody holds it: left by a run that ended without removing it.
    /// `None` when a live run holds it, or when there is no such file.
    pub(crate) fn abandoned(path: &Path) -> io::Result<Option<Claim>> {
        let file = match fs::OpenOptions::new().write(true).open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        match file.try_lock() {
            Ok(()) if is_at(&file, path) => Ok(Some(Claim {
                path: path.to_path_buf(),
                file,
            })),
            // Removed meanwhile by another sweeper: nothing left to take.
            Ok(()) => Ok(None),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }

    /// Whether the claim at `path` is abandoned, without taking it.
    pub(crate) fn is_abandoned(path: &Path) -> bool {
        Claim::abandoned(path).is_ok_and(|claim| claim.is_some())
    }

    /// Write `note` into the claim's file, for recovery to read should the run be killed while
    /// it holds the claim (what a FastCMS plugin's switch is to end as).
    pub(crate) fn note(&mut self, note: &str) -> io::Result<()> {
        use std::io::{Seek, Write};
        self.file.set_len(0)?;
        self.file.seek(io::SeekFrom::Start(0))?;
        self.file.write_all(note.as_bytes())?;
        self.file.sync_all()
    }

    /// What [`note`](Self::note) wrote, if anything.
    pub(crate) fn read_note(&self) -> String {
        fs::read_to_string(&self.path).unwrap_or_default()
    }

    /// Remove the claim's file, then release it: what it guarded is gone.
    pub(crate) fn remove(self) {
        let _ = fs::remove_file(&self.path);
        drop(self.file);
    }
}

/// Whether the open `file` is the file at `path` now.
#[cfg(unix)]
fn is_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(open), Ok(there)) => open.dev() == there.dev() && open.ino() == there.ino(),
        _ => false,
    }
}

/// Whether the open `file` is the file at `path` now. Without inode numbers, a file that is
/// still there is taken to be the one opened.
#[cfg(not(unix))]
fn is_at(_file: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_claim_is_not_abandoned_and_a_released_one_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        assert!(
            Claim::abandoned(&path).unwrap().is_none(),
            "no file, no claim"
        );
        let held = Claim::acquire(&path).unwrap();
        assert!(!Claim::is_abandoned(&path));
        drop(held);
        assert!(Claim::is_abandoned(&path), "released but not removed");
        let swept = Claim::abandoned(&path).unwrap().expect("abandoned");
        swept.remove();
        assert!(!path.exists());
        // Taken again after a sweep: a new file.
        let again = Claim::acquire(&path).unwrap();
        assert!(path.exists());
        again.remove();
        assert!(!path.exists());
    }
}
