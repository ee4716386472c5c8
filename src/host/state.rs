//! The host's state folder, `.pluginkit/`, read and written without trusting what is in it: it
//! sits in the host's folder, which may come from a checkout or an archive that someone else
//! made. So pluginkit never follows a symbolic link there: `.pluginkit` itself, `receipts/`,
//! `backups/`, `backups/NAME/`, the lock, the journal and every record must be the real folder
//! or regular file, or the command stops and names it (a link is never written through, moved
//! into, listed or pruned). Files are read only when they are regular files, up to
//! [`MAX_STATE_FILE`] bytes, so a FIFO or a device there cannot hang or exhaust a command.
//!
//! `.pluginkit` as a link to another folder is refused too: the state folder is the host's own
//! (DESIGN.md: "Host state lives in `.pluginkit/` under the host root"), and a link would let a
//! checkout make pluginkit write, move and delete in a folder outside the host.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::util::atomic::{WRITE_PREFIX, sync_dir, temp_file};

/// The largest state file read: receipts list a hash per installed file, so a big plugin's is
/// some megabytes; nothing pluginkit writes comes near this.
pub(crate) const MAX_STATE_FILE: u64 = 64 * 1024 * 1024;

/// Something in the state folder that pluginkit did not make: the cause of the I/O error a
/// transaction reports, recognised by its hint.
#[derive(Debug, thiserror::Error)]
#[error("{} {why}", path.display())]
pub(crate) struct Unsafe {
    pub(crate) path: PathBuf,
    pub(crate) why: &'static str,
}

fn refuse(path: &Path, why: &'static str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        Unsafe {
            path: path.to_path_buf(),
            why,
        },
    )
}

/// The [`Unsafe`] under an I/O error, if that is what it is.
pub(crate) fn unsafe_cause(error: &io::Error) -> Option<&Unsafe> {
    error.get_ref().and_then(|e| e.downcast_ref::<Unsafe>())
}

/// Whether `path` is a real folder: `Ok(false)` when there is nothing there, an error naming it
/// when it is a link or not a folder.
pub(crate) fn is_real_dir(path: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(refuse(path, LINK)),
        Ok(meta) if meta.is_dir() => Ok(true),
        Ok(_) => Err(refuse(path, "is not a folder")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Check that `dir`, a folder in the state folder `state` (or `state` itself), and every folder
/// between them are real folders where they exist; `Ok(false)` when one is missing.
pub(crate) fn check_dir(state: &Path, dir: &Path) -> io::Result<bool> {
    for path in chain(state, dir) {
        if !is_real_dir(&path)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Make `dir`, a folder in the state folder `state` (or `state` itself), with the folders
/// between, refusing any of them that is a link or not a folder.
pub(crate) fn ensure_dir(state: &Path, dir: &Path) -> io::Result<()> {
    for path in chain(state, dir) {
        if !is_real_dir(&path)? {
            match fs::create_dir(&path) {
                Ok(()) if path == state => ensure_gitignore(state)?,
                Ok(()) => {}
                // Made meanwhile by another run: checked again.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if !is_real_dir(&path)? {
                        return Err(e);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound && path == state => {
                    // The host's root is missing: made as any program makes its folders.
                    fs::create_dir_all(&path)?;
                    ensure_gitignore(state)?;
                }
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// What `.pluginkit/.gitignore` says: the state folder is this machine's, but for the plugins
/// switched off by moving them here, which are the plugins folder's.
const GITIGNORE: &str = "\
# Written by pluginkit. This folder is this machine's state: receipts of what was installed
# here, backups, the journal and lock of a change, pending reloads. Commit pluginkit.toml and
# pluginkit.lock instead (`pluginkit sync --locked` installs what they say).
*
# Class-based plugins switched off are moved here: they go with the plugins folder.
!/disabled/
!/disabled/**
";

/// Write `.gitignore` in the state folder `state` when it has none (a removed one comes back
/// with the next change), so that what is this machine's is never committed by mistake.
pub(crate) fn ensure_gitignore(state: &Path) -> io::Result<()> {
    let path = state.join(".gitignore");
    match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => write(state, &path, GITIGNORE.as_bytes()),
        _ => Ok(()),
    }
}

/// `state`, then each folder from it down to `dir` (just `state` when `dir` is not inside it).
fn chain(state: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![state.to_path_buf()];
    if let Ok(rest) = dir.strip_prefix(state) {
        let mut path = state.to_path_buf();
        for part in rest.components() {
            path.push(part);
            out.push(path.clone());
        }
    }
    out
}

const LINK: &str = "is a symbolic link, and pluginkit never follows one in its state folder";

/// Open `path` with `options`, never following a link at its end nor blocking on a FIFO.
fn open(path: &Path, options: &mut fs::OpenOptions) -> io::Result<File> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    // Elsewhere a link is caught by this check alone.
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refuse(path, LINK));
    }
    options
        .open(path)
        .map_err(|e| if is_loop(&e) { refuse(path, LINK) } else { e })
}

/// Whether `error` is what O_NOFOLLOW answers for a link (`ELOOP`).
#[cfg(target_os = "linux")]
fn is_loop(error: &io::Error) -> bool {
    error.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
}

#[cfg(not(target_os = "linux"))]
fn is_loop(_error: &io::Error) -> bool {
    false
}

/// The bytes of the state file `path` (`None` when there is none): a regular file, not a link,
/// of at most [`MAX_STATE_FILE`] bytes.
pub(crate) fn read(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let file = match open(path, fs::OpenOptions::new().read(true)) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refuse(path, "is not a regular file"));
    }
    if meta.len() > MAX_STATE_FILE {
        return Err(refuse(path, "is larger than any file pluginkit writes"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_STATE_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_STATE_FILE {
        return Err(refuse(path, "is larger than any file pluginkit writes"));
    }
    Ok(Some(bytes))
}

/// Write the state file `path` atomically (a temporary file beside it, renamed over it) in its
/// folder under `state`, made when missing. A link at `path` is replaced, never written
/// through; a link or file in place of one of the folders is refused.
pub(crate) fn write(state: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(state);
    ensure_dir(state, dir)?;
    let mut temp = temp_file(dir, WRITE_PREFIX)?;
    temp.write_all(bytes)?;
    // A rewritten record keeps its mode, as every record pluginkit writes does.
    #[cfg(unix)]
    if let Ok(old) = fs::symlink_metadata(path)
        && old.is_file()
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(fs::Permissions::from_mode(old.permissions().mode() & 0o777))?;
    }
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// Open (made when missing) the state file `path` for reading and writing, refusing a link
/// and anything but a regular file with one name (a hard link would have pluginkit truncate
/// another file).
pub(crate) fn open_rw(path: &Path) -> io::Result<File> {
    let file = open(
        path,
        fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true),
    )?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refuse(path, "is not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(refuse(
                path,
                "has other names (hard links), so writing it would change another file",
            ));
        }
    }
    Ok(file)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn links_in_the_state_folder_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join(".pluginkit");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("secret"), "keep").unwrap();
        ensure_dir(&state, &state.join("receipts")).unwrap();
        // A link as a record: not read, and replaced (not written through) by a write.
        let record = state.join("receipts/a.json");
        symlink(elsewhere.join("secret"), &record).unwrap();
        assert!(unsafe_cause(&read(&record).unwrap_err()).is_some());
        assert!(unsafe_cause(&open_rw(&record).unwrap_err()).is_some());
        write(&state, &record, b"{}").unwrap();
        assert_eq!(
            fs::read_to_string(elsewhere.join("secret")).unwrap(),
            "keep"
        );
        assert!(!fs::symlink_metadata(&record).unwrap().is_symlink());
        // A link as a folder: refused, nothing made through it.
        symlink(&elsewhere, state.join("backups")).unwrap();
        let error = ensure_dir(&state, &state.join("backups/a")).unwrap_err();
        assert!(unsafe_cause(&error).is_some(), "{error}");
        assert!(check_dir(&state, &state.join("backups/a")).is_err());
        assert!(!elsewhere.join("a").exists());
        let error = write(&state, &state.join("backups/a.json"), b"x").unwrap_err();
        assert!(unsafe_cause(&error).is_some(), "{error}");
        // A FIFO is not read (nor waited on).
        let fifo = state.join("journal.json");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert!(unsafe_cause(&read(&fifo).unwrap_err()).is_some());
        // A hard link is not opened to be written.
        let lock = state.join("lock");
        fs::hard_link(elsewhere.join("secret"), &lock).unwrap();
        assert!(unsafe_cause(&open_rw(&lock).unwrap_err()).is_some());
        assert!(read(&state.join("missing")).unwrap().is_none());
    }
}
