//! Writing a file so that readers see the old or the new content, never a part: a temporary
//! file beside it, flushed to disk, then renamed over it.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// The temporary files of [`write_atomically`]; a killed run can leave one, which the
/// transaction's recovery sweeps.
pub(crate) const WRITE_PREFIX: &str = ".pluginkit-write-";

/// Write `bytes` to `path` atomically: a temporary file beside it, flushed to disk, then
/// renamed over it.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(WRITE_PREFIX)
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// Make a rename durable. Best effort: not every platform can open a folder for syncing.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}
