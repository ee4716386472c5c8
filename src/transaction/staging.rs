//! Staging folders: a hidden folder inside the plugins folder where a plugin is unpacked, fetched
//! or copied before it is swapped into place, so that the swap is a rename on one file system.
//! A staging folder goes when dropped; what a killed run left is swept by recovery.

use std::fs;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Error;
use crate::host::HostDirs;

/// How staging folders' names start (dotted, so never a plugin's).
pub(crate) const STAGING_PREFIX: &str = ".pluginkit-staging-";

/// A staging folder in the plugins folder, removed when dropped unless the plugin in it was
/// moved into place.
#[derive(Debug)]
pub(crate) struct Staging {
    pub(crate) dir: PathBuf,
    pub(crate) txn: String,
    /// Whether the plugins folder was made for this staging folder; a failed first install then
    /// leaves no empty plugins folder behind.
    made_plugins_dir: bool,
}

impl Staging {
    pub(crate) fn new(dirs: &HostDirs) -> Result<Staging, Error> {
        let made_plugins_dir = !dirs.plugins.is_dir();
        fs::create_dir_all(&dirs.plugins).map_err(|e| {
            Error::user(format!(
                "cannot create the plugins folder {}: {e}",
                dirs.plugins.display()
            ))
        })?;
        let txn = format!(
            "{}-{}",
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis()),
            std::process::id()
        );
        let dir = dirs.plugins.join(format!("{STAGING_PREFIX}{txn}"));
        fs::create_dir(&dir)
            .map_err(|e| Error::user(format!("cannot create {}: {e}", dir.display())))?;
        Ok(Staging {
            dir,
            txn,
            made_plugins_dir,
        })
    }

    /// The folder the plugin is staged in, named as it will be installed.
    pub(crate) fn plugin_dir(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
        if self.made_plugins_dir
            && let Some(plugins) = self.dir.parent()
        {
            // Fails, as it should, once a plugin is in it.
            let _ = fs::remove_dir(plugins);
        }
    }
}
