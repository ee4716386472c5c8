//! Writing a file so that readers see the old or the new content, never a part: a temporary
//! file beside it, flushed to disk, then renamed over it. Every record pluginkit keeps
//! (`pluginkit.toml`, `pluginkit.lock`, receipts, the journal, backups' records, state markers,
//! a registry's index files and packages) is written here, so that they all treat the file
//! they replace alike:
//! - a new file gets `0666 & ~umask`, as any program's new file does (tempfile's own default,
//!   0600, would hide a published registry from the web server and `pluginkit.toml` from the
//!   app's user);
//! - a rewritten file keeps its mode, and its owner and group where this process may give them
//!   (as root, or the same owner with a group it belongs to);
//! - a symbolic link is written through: the file it points to is replaced, in its own folder,
//!   and the link stays (a capistrano-style `pluginkit.toml -> ../shared/pluginkit.toml`).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The temporary files of [`write_atomically`]; a killed run can leave one, which the
/// transaction's recovery sweeps.
pub(crate) const WRITE_PREFIX: &str = ".pluginkit-write-";

/// How many links [`through_links`] follows before giving up, as the kernel does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// Write `bytes` to `path` atomically: a temporary file beside the file (beside a link's target
/// for a link), flushed to disk, then renamed over it, with the replaced file's mode, owner and
/// group (see the module's comment).
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let path = through_links(path)?;
    let dir = parent(&path);
    fs::create_dir_all(dir)?;
    let mut temp = temp_file(dir, WRITE_PREFIX)?;
    temp.write_all(bytes)?;
    match fs::metadata(&path) {
        Ok(old) => keep_attributes(temp.as_file(), &old)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    temp.as_file().sync_all()?;
    temp.persist(&path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// A new temporary file in `dir`, named with `prefix`, created `0666 & ~umask` (the operating
/// system applies the umask) rather than tempfile's private 0600, since it becomes a file that
/// others read. Removed when dropped unless persisted.
pub(crate) fn temp_file(dir: &Path, prefix: &str) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

/// The file `path` names, following symbolic links (relative ones from the link's folder); the
/// path itself when it is no link. A link whose target does not exist yet leads to that
/// target, which the write then creates.
pub(crate) fn through_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                path = parent(&path).join(target);
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// The folder a file is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Give the new file `file` the mode of the file it replaces, and its owner and group where
/// this process may: changing the owner takes root, changing the group belonging to it, so a
/// refusal leaves the file this process's (a rewrite must not fail over it). The owner goes
/// first, since changing it clears the set-id bits that the mode then restores.
#[cfg(unix)]
fn keep_attributes(file: &fs::File, old: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt, fchown};
    let new = file.metadata()?;
    if new.uid() != old.uid() || new.gid() != old.gid() {
        let whole = fchown(file, Some(old.uid()), Some(old.gid()));
        if whole.is_err() && new.gid() != old.gid() {
            let _ = fchown(file, None, Some(old.gid()));
        }
    }
    file.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))
}

#[cfg(not(unix))]
fn keep_attributes(file: &fs::File, old: &fs::Metadata) -> io::Result<()> {
    file.set_permissions(old.permissions())
}

/// Make a rename durable. Best effort: not every platform can open a folder for syncing.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};

    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().mode() & 0o7777
    }

    #[test]
    fn a_new_file_gets_the_default_mode_and_a_rewritten_one_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub/pluginkit.lock");
        write_atomically(&file, b"one").unwrap();
        // 0666 less the umask; read the umask without changing it for the other tests' threads.
        let umask = fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Umask:"))
                    .and_then(|m| u32::from_str_radix(m.trim(), 8).ok())
            })
            .unwrap_or(0o022);
        assert_eq!(mode(&file), 0o666 & !umask);
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&file, b"two").unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"two");
        assert_eq!(mode(&file), 0o640);
        let left: Vec<_> = fs::read_dir(file.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["pluginkit.lock"]);
    }

    #[test]
    fn owner_and_group_are_kept_where_permitted() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pluginkit.toml");
        fs::write(&file, "one").unwrap();
        let me = fs::metadata(&file).unwrap();
        // Only root may give a file away; elsewhere the file stays ours and the write works.
        let given = std::os::unix::fs::chown(&file, Some(65534), Some(65534)).is_ok();
        write_atomically(&file, b"two").unwrap();
        let now = fs::metadata(&file).unwrap();
        if given {
            assert_eq!((now.uid(), now.gid()), (65534, 65534));
        } else {
            assert_eq!((now.uid(), now.gid()), (me.uid(), me.gid()));
        }
    }

    #[test]
    fn a_link_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        let release = dir.path().join("releases/1");
        fs::create_dir_all(&shared).unwrap();
        fs::create_dir_all(&release).unwrap();
        fs::write(shared.join("pluginkit.toml"), "old").unwrap();
        fs::set_permissions(
            shared.join("pluginkit.toml"),
            fs::Permissions::from_mode(0o640),
        )
        .unwrap();
        let link = release.join("pluginkit.toml");
        symlink("../../shared/pluginkit.toml", &link).unwrap();
        // A link to a link, too.
        let again = dir.path().join("current.toml");
        symlink(&link, &again).unwrap();
        write_atomically(&again, b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert!(fs::symlink_metadata(&again).unwrap().is_symlink());
        assert_eq!(fs::read(shared.join("pluginkit.toml")).unwrap(), b"new");
        assert_eq!(mode(&shared.join("pluginkit.toml")), 0o640);
        // The temporary file was made beside the target, not beside the link.
        assert_eq!(fs::read_dir(&release).unwrap().count(), 1);
        // A loop is an error, not a hang.
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        symlink(&b, &a).unwrap();
        symlink(&a, &b).unwrap();
        assert!(write_atomically(&a, b"x").is_err());
    }
}
