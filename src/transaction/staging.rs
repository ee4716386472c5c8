//! Staging folders: a hidden folder inside the plugins folder where a plugin is unpacked, fetched
//! or copied before it is swapped into place, so that the swap is a rename on one file system.
//! Staging happens before the host lock is taken, while other runs may be recovering: each
//! staging folder is guarded by a [`Claim`] beside it (`.pluginkit-staging-TXN.lock`), taken
//! before the folder is made and removed after it is gone, so recovery sweeps only the staging
//! folders of runs that ended without cleaning up. A staging folder goes when dropped.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Error;
use crate::host::HostDirs;
use crate::transaction::claim::Claim;
use crate::transaction::io_error;
use crate::util::interrupt::{self, Remove};

/// How staging folders' names start (dotted, so never a plugin's).
pub(crate) const STAGING_PREFIX: &str = ".pluginkit-staging-";
/// What a staging folder's claim file adds to the folder's name.
pub(crate) const CLAIM_SUFFIX: &str = ".lock";

/// A staging folder in the plugins folder, removed when dropped unless the plugin in it was
/// moved into place.
#[derive(Debug)]
pub(crate) struct Staging {
    pub(crate) dir: PathBuf,
    pub(crate) txn: String,
    /// Whether the plugins folder was made for this staging folder; a failed first install then
    /// leaves no empty plugins folder behind.
    made_plugins_dir: bool,
    /// Says to recovery that a live run uses the folder; `None` once dropped.
    claim: Option<Claim>,
    /// What Ctrl-C removes while the folder exists: what dropping it removes. `None` once the
    /// folder is kept for recovery.
    interrupt: Mutex<Option<interrupt::Registered>>,
    /// Set by [`Staging::keep_for_recovery`]: the folder outlives the run.
    kept: AtomicBool,
}

/// The claim file of the staging folder `dir`.
pub(crate) fn claim_path(dir: &Path) -> PathBuf {
    let mut name = dir.as_os_str().to_owned();
    name.push(CLAIM_SUFFIX);
    PathBuf::from(name)
}

impl Staging {
    pub(crate) fn new(dirs: &HostDirs) -> Result<Staging, Error> {
        // Several staging folders of one run can be made within a millisecond.
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let made_plugins_dir = !dirs.plugins.is_dir();
        fs::create_dir_all(&dirs.plugins).map_err(|e| {
            io_error(
                &format!(
                    "cannot create the plugins folder {}",
                    dirs.plugins.display()
                ),
                e,
            )
        })?;
        let txn = format!(
            "{}-{}-{}",
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis()),
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let dir = dirs.plugins.join(format!("{STAGING_PREFIX}{txn}"));
        let claim_file = claim_path(&dir);
        let mut on_interrupt = vec![Remove::Tree(dir.clone()), Remove::File(claim_file.clone())];
        if made_plugins_dir {
            on_interrupt.push(Remove::EmptyDir(dirs.plugins.clone()));
        }
        let registered = interrupt::registered(on_interrupt);
        let claim = Claim::acquire(&claim_file)
            .map_err(|e| io_error(&format!("cannot create {}", claim_file.display()), e))?;
        let staging = Staging {
            dir,
            txn,
            made_plugins_dir,
            claim: Some(claim),
            interrupt: Mutex::new(Some(registered)),
            kept: AtomicBool::new(false),
        };
        fs::create_dir(&staging.dir).map_err(|e| {
            // Dropping `staging` removes the claim (and a plugins folder made for it).
            io_error(&format!("cannot create {}", staging.dir.display()), e)
        })?;
        Ok(staging)
    }

    /// Leave the folder where it is when this run ends: a change that failed after its swap
    /// has the replaced plugin in it, and the journal names it for the next run's recovery,
    /// which finishes the change (the replaced plugin into the backups) and then removes it.
    pub(crate) fn keep_for_recovery(&self) {
        self.kept.store(true, Ordering::SeqCst);
        if let Ok(mut registered) = self.interrupt.lock() {
            registered.take();
        }
    }

    /// The folder the plugin is staged in, named as it will be installed.
    pub(crate) fn plugin_dir(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if *self.kept.get_mut() {
            // Its claim goes all the same: no live run uses the folder any more.
            if let Some(claim) = self.claim.take() {
                claim.remove();
            }
            return;
        }
        let _ = fs::remove_dir_all(&self.dir);
        if let Some(claim) = self.claim.take() {
            claim.remove();
        }
        if self.made_plugins_dir
            && let Some(plugins) = self.dir.parent()
        {
            // Fails, as it should, once a plugin (or another run's staging folder) is in it.
            let _ = fs::remove_dir(plugins);
        }
    }
}
