//! The frame every command that changes plugins runs in (add, remove, restore, upgrade, sync,
//! enable, disable): the reload plan is checked before anything changes (a wrong pidfile or
//! process changes nothing), what can be prepared without the host lock is (downloads, clones,
//! unpacking into staging folders: [`Frame::run_prepared`]), the host lock is taken (finishing
//! what a killed run left), the change is committed and its result rendered, the lock is
//! released, and the server is signalled once if anything changed. So the lock is held only
//! while the plugins folder and the records change, never for a download.

use crate::error::Error;
use crate::ops::reload::{self, ReloadAfter, Request};
use crate::ops::{lock_host, recover_if_needed};
use crate::output::Printer;
use crate::settings::Settings;
use crate::util::pause::checkpoint;

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
        self.run_in_steps(lock, None, || Ok(()), |()| change(), render)
    }

    /// [`run`](Self::run) for a change prepared first: `prepare` runs before the lock is taken
    /// (it fetches and stages, and may take long), then `commit` under the lock with what it
    /// prepared. `commit` re-checks what may have changed meanwhile, since another process may
    /// have committed in between. The crash tests can stop a run between the two
    /// (`install-staged`).
    pub(crate) fn run_prepared<P, T: Outcome>(
        self,
        lock: Lock,
        prepare: impl FnOnce() -> anyhow::Result<P>,
        commit: impl FnOnce(P) -> anyhow::Result<T>,
        render: impl FnOnce(&T) -> anyhow::Result<()>,
    ) -> anyhow::Result<T> {
        self.run_in_steps(lock, Some("install-staged"), prepare, commit, render)
    }

    fn run_in_steps<P, T: Outcome>(
        self,
        lock: Lock,
        pause: Option<&str>,
        prepare: impl FnOnce() -> anyhow::Result<P>,
        commit: impl FnOnce(P) -> anyhow::Result<T>,
        render: impl FnOnce(&T) -> anyhow::Result<()>,
    ) -> anyhow::Result<T> {
        let (settings, printer) = (self.settings, self.printer);
        let prepared = prepare()?;
        if let Some(step) = pause {
            checkpoint(settings.pause_at.as_deref(), step);
        }
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
        let outcome = commit(prepared)?;
        render(&outcome)?;
        drop(held);
        reload::after_change(settings, printer, self.reload, outcome.changed())?;
        Ok(outcome)
    }
}
