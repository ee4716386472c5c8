//! The frame every command that changes plugins runs in (add, remove, restore, upgrade, sync,
//! enable, disable): the reload plan is checked before anything changes (a wrong pidfile or
//! process changes nothing), the host lock is taken (finishing what a killed run left), the
//! change is made and its result rendered, the lock is released, and the server is signalled
//! once if anything changed.

use crate::error::Error;
use crate::ops::reload::{self, ReloadAfter, Request};
use crate::ops::{lock_host, recover_if_needed};
use crate::output::Printer;
use crate::settings::Settings;

/// What a change did, as far as the frame needs to know.
pub(crate) trait Outcome {
    /// Whether the plugins changed, so the server is to reload.
    fn changed(&self) -> bool;
}

/// Which lock a change takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// The host lock.
    Host,
    /// The host lock when pluginkit manages this host (its `.pluginkit/` exists): a change in
    /// place (`enable`, `disable`) never lands in a plugin an install is swapping out, and a
    /// host pluginkit never installed into gets no `.pluginkit/` from it.
    IfManaged,
    /// The host lock, unless this is a dry run (which changes nothing and only finishes what a
    /// killed run left).
    UnlessDryRun(bool),
}

/// A change about to be made, its reload plan checked.
pub(crate) struct Frame<'a> {
    settings: &'a Settings,
    printer: &'a Printer,
    reload: Option<ReloadAfter>,
}

/// Check the reload plan of a change: whether the server is to be signalled after it, and that
/// it is the server.
pub(crate) fn begin<'a>(
    settings: &'a Settings,
    printer: &'a Printer,
    reload: &Request,
) -> Result<Frame<'a>, Error> {
    Ok(Frame {
        settings,
        printer,
        reload: reload::before_change(settings, printer, reload)?,
    })
}

impl Frame<'_> {
    /// Make the change under `lock`, render its result, release the lock, and signal the
    /// server once if the change says it changed anything. A reload that fails after the
    /// change says that the change stays.
    pub(crate) fn run<T: Outcome>(
        self,
        lock: Lock,
        change: impl FnOnce() -> anyhow::Result<T>,
        render: impl FnOnce(&T) -> anyhow::Result<()>,
    ) -> anyhow::Result<T> {
        let (settings, printer) = (self.settings, self.printer);
        let held = match lock {
            Lock::Host => Some(lock_host(settings, printer)?),
            Lock::IfManaged if settings.dirs().state.is_dir() => {
                Some(lock_host(settings, printer)?)
            }
            Lock::IfManaged => None,
            Lock::UnlessDryRun(true) => {
                recover_if_needed(settings, printer)?;
                None
            }
            Lock::UnlessDryRun(false) => Some(lock_host(settings, printer)?),
        };
        let outcome = change()?;
        render(&outcome)?;
        drop(held);
        reload::after_change(settings, printer, self.reload, outcome.changed())?;
        Ok(outcome)
    }
}
