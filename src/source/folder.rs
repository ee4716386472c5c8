//! A plugin folder on disk, installed by copying it into the staging folder, or for plugin
//! development by linking to it (`add --link`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::source::Error;

/// What was being done to which path when `source` happened.
fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Error {
    let path = path.into();
    move |source| Error::Io {
        action,
        path,
        source,
    }
}

/// Copy a plugin folder for installing: regular files and folders, leaving out version-control
/// and cache folders. A symbolic link is refused: it could point anywhere.
pub(crate) fn copy_plugin(from: &Path, to: &Path) -> Result<(), Error> {
    fn walk(from: &Path, to: &Path, rel: &Path) -> Result<(), Error> {
        fs::create_dir_all(to.join(rel)).map_err(io("create", to.join(rel)))?;
        let entries = fs::read_dir(from.join(rel)).map_err(io("read", from.join(rel)))?;
        for entry in entries {
            let entry = entry.map_err(io("read", from.join(rel)))?;
            let name = entry.file_name();
            let rel = rel.join(&name);
            let kind = entry.file_type().map_err(io("read", entry.path()))?;
            if kind.is_dir() {
                if [".git", "__pycache__", ".hg", ".svn"]
                    .iter()
                    .any(|skip| name == *skip)
                {
                    continue;
                }
                walk(from, to, &rel)?;
            } else if kind.is_symlink() {
                return Err(Error::Link {
                    path: from.join(&rel),
                });
            } else if kind.is_file() {
                fs::copy(entry.path(), to.join(&rel)).map_err(io("copy", entry.path()))?;
            }
        }
        Ok(())
    }
    walk(from, to, Path::new(""))
}

/// Link `at` (in the staging folder) to the folder `target`, resolved to an absolute path.
pub(crate) fn link(target: &Path, at: &Path) -> Result<(), Error> {
    let target = target.canonicalize().map_err(io("resolve", target))?;
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink(&target, at);
    #[cfg(windows)]
    let made = std::os::windows::fs::symlink_dir(&target, at);
    made.map_err(io("link", &target))
}
