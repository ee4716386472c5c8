//! A plugin folder on disk, installed by copying it into the staging folder, or for plugin
//! development by linking to it (`add --link`).

use std::fs;
use std::path::Path;

use crate::error::Error;

/// Copy a plugin folder for installing: regular files and folders, leaving out version-control
/// and cache folders. A symbolic link is refused: it could point anywhere.
pub(crate) fn copy_plugin(from: &Path, to: &Path) -> Result<(), Error> {
    fn walk(from: &Path, to: &Path, rel: &Path) -> Result<(), Error> {
        fs::create_dir_all(to.join(rel))
            .map_err(|e| Error::user(format!("cannot create {}: {e}", to.join(rel).display())))?;
        let entries = fs::read_dir(from.join(rel))
            .map_err(|e| Error::user(format!("cannot read {}: {e}", from.join(rel).display())))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| Error::user(format!("cannot read {}: {e}", from.display())))?;
            let name = entry.file_name();
            let rel = rel.join(&name);
            let kind = entry
                .file_type()
                .map_err(|e| Error::user(format!("cannot read {}: {e}", entry.path().display())))?;
            if kind.is_dir() {
                if [".git", "__pycache__", ".hg", ".svn"]
                    .iter()
                    .any(|skip| name == *skip)
                {
                    continue;
                }
                walk(from, to, &rel)?;
            } else if kind.is_symlink() {
                return Err(Error::user_hint(
                    format!("{} is a symbolic link", from.join(&rel).display()),
                    "installed plugins hold only regular files: replace the link with the file, or use --link to link the whole folder",
                ));
            } else if kind.is_file() {
                fs::copy(entry.path(), to.join(&rel)).map_err(|e| {
                    Error::user(format!("cannot copy {}: {e}", entry.path().display()))
                })?;
            }
        }
        Ok(())
    }
    walk(from, to, Path::new(""))
}

/// Link `at` (in the staging folder) to the folder `target`, resolved to an absolute path.
pub(crate) fn link(target: &Path, at: &Path) -> Result<(), Error> {
    let target = target
        .canonicalize()
        .map_err(|e| Error::user(format!("cannot resolve {}: {e}", target.display())))?;
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink(&target, at);
    #[cfg(windows)]
    let made = std::os::windows::fs::symlink_dir(&target, at);
    made.map_err(|e| Error::user(format!("cannot link {}: {e}", target.display())))
}
