//! `cache dir` and `cache clean`: where downloaded packages and registry index files are kept
//! ([`client::cache_dir`]), and emptying it. Git sources are fetched into each install's staging
//! folder and never cached. Cleaning takes the cache's lock exclusively, so it waits for the
//! downloads that other pluginkit processes are writing into it, and none starts meanwhile.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Error;
use crate::output::Printer;
use crate::registry::client::{self, CACHE_LOCK};
use crate::settings::Settings;

/// What `cache clean` removed.
#[derive(Debug, Serialize)]
pub(crate) struct Cleaned {
    /// The cache folder, absolute.
    pub(crate) path: String,
    /// How many files were removed.
    pub(crate) files: u64,
    /// Their bytes.
    pub(crate) bytes: u64,
}

/// The cache folder, whether or not it exists yet.
pub(crate) fn dir(settings: &Settings) -> Result<PathBuf, Error> {
    settings.cache_dir.clone().ok_or_else(|| {
        Error::usage(
            "there is no cache folder: none of PLUGINKIT_CACHE_DIR, XDG_CACHE_HOME and HOME is set",
            "set PLUGINKIT_CACHE_DIR to the folder to cache downloads in",
        )
    })
}

/// Empty the cache folder (it and its lock file stay), once no other process writes into it.
pub(crate) fn clean(settings: &Settings, printer: &Printer) -> Result<Cleaned, Error> {
    let dir = dir(settings)?;
    let mut cleaned = Cleaned {
        path: dir.display().to_string(),
        files: 0,
        bytes: 0,
    };
    match fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(cleaned),
        Ok(meta) if !meta.is_dir() => {
            return Err(Error::user_hint(
                format!("the cache {} is not a folder", dir.display()),
                "remove it, or set PLUGINKIT_CACHE_DIR to a folder",
            ));
        }
        _ => {}
    }
    let failed =
        |e: io::Error| Error::caused(format!("cannot empty the cache {}", dir.display()), e);
    let _lock = client::lock_cache(&dir, true, || {
        printer.note(format!(
            "waiting for other pluginkit processes to finish their downloads into the cache (lock: {})",
            dir.join(CACHE_LOCK).display()
        ));
    })
    .map_err(failed)?;
    for entry in fs::read_dir(&dir).map_err(failed)? {
        let entry = entry.map_err(failed)?;
        if entry.file_name() == CACHE_LOCK {
            continue;
        }
        let (files, bytes) = remove(&entry.path()).map_err(failed)?;
        cleaned.files += files;
        cleaned.bytes += bytes;
    }
    Ok(cleaned)
}

/// Remove `path` (a folder with all it holds; a link as itself, never followed), counting the
/// files and their bytes.
fn remove(path: &Path) -> io::Result<(u64, u64)> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.is_dir() {
        fs::remove_file(path)?;
        return Ok((1, meta.len()));
    }
    let (mut files, mut bytes) = (0, 0);
    for entry in fs::read_dir(path)? {
        let (f, b) = remove(&entry?.path())?;
        files += f;
        bytes += b;
    }
    fs::remove_dir(path)?;
    Ok((files, bytes))
}
