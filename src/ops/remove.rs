//! `remove`: uninstall plugins through the transaction, each moved to `.pluginkit/backups/`
//! (the last few are kept) unless no backup is wanted.

use serde::Serialize;

use crate::host::plugins_folder;
use crate::ops::change::{self, Lock, Outcome};
use crate::ops::reload;
use crate::output::Printer;
use crate::settings::Settings;
use crate::transaction;

/// What `remove` was asked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub(crate) names: Vec<String>,
    /// Keep a backup of each (not `--no-backup`).
    pub(crate) backup: bool,
    pub(crate) reload: reload::Request,
}

/// One plugin removed (`remove --format json` prints a list of these).
#[derive(Debug, Serialize)]
pub(crate) struct Removed {
    pub(crate) name: String,
    /// Where it was kept, as shown.
    pub(crate) backup: Option<String>,
}

/// What `remove` did.
#[derive(Debug)]
pub(crate) struct RemoveOutcome {
    pub(crate) removed: Vec<Removed>,
}

impl Outcome for RemoveOutcome {
    fn changed(&self) -> bool {
        !self.removed.is_empty()
    }
}

/// Remove the plugins `options` names; every name is resolved first, so an unknown one changes
/// nothing. `render` shows what was done before the lock is released and the server signalled.
pub(crate) fn remove(
    settings: &Settings,
    printer: &Printer,
    options: &Options,
    render: impl FnOnce(&RemoveOutcome) -> anyhow::Result<()>,
) -> anyhow::Result<RemoveOutcome> {
    let frame = change::begin(settings, printer, &options.reload)?;
    frame.run(
        Lock::Host,
        || {
            let shown = settings.display(&settings.plugins_dir);
            let ctx = settings.read_context();
            let mut folders = Vec::new();
            for name in &options.names {
                let installed = plugins_folder::lookup(
                    &settings.plugins_dir,
                    &shown,
                    name,
                    settings.flavor,
                    &ctx,
                )?;
                let folder = installed.plugin.folder.clone();
                if !folders.contains(&folder) {
                    folders.push(folder);
                }
            }
            let cx = super::transaction(settings);
            let mut removed = Vec::new();
            for folder in folders {
                let backup = transaction::remove(&cx, &folder, options.backup)?;
                removed.push(Removed {
                    name: folder,
                    backup: backup.map(|b| settings.display(&b)),
                });
            }
            Ok(RemoveOutcome { removed })
        },
        render,
    )
}
