//! The frame every command that changes plugins runs in (add, remove, restore, upgrade, sync,
//! enable, disable): the reload plan is checked before anything changes (a wrong pidfile or
//! process changes nothing), what can be prepared without the host lock is (downloads, clones,
//! unpacking into staging folders: [`Frame::run_prepared`]), the host lock is taken (finishing
//! what a killed run left), the change is committed and its result rendered, the lock is
//! released, and the server is signalled once if anything changed. So the lock is held only
//! while the plugins folder and the records change, never for a download.
//!
//! In an FBA host the frame also keeps FBA's Redis informed: Redis is reached (connected,
//! authenticated, pinged) before anything changes, so an unreachable one changes nothing; after
//! a change, one Redis transaction sets `{prefix}:changed` (FBA's "restart needed" flag) and
//! deletes the keys of removed plugins, as FBA's own install and uninstall do. The folder change
//! and that write cannot be one atomic step; the order makes the only gap harmless: should Redis
//! fail in the moment between, the plugins folder is changed and the flag is not, which the
//! error says (FBA's start-up rebuilds its keys from the folder either way). A toggle's Redis
//! write is the change itself (`ops::toggle`), flag included.
//!
//! A change that the server will not see until it reloads says so, when a server is configured
//! (`[host] pidfile` or `process-name`) and was not signalled.

use crate::error::Error;
use crate::host::switch::{Switch, fba_redis};
use crate::ops::reload::{self, ReloadAfter, Request};
use crate::ops::{lock_host, recover_if_needed};
use crate::output::Printer;
use crate::settings::Settings;
use crate::util::pause::checkpoint;

/// What a change did, as far as the frame needs to know.
pub(crate) trait Outcome {
    /// Whether the plugins changed, so the server is to reload.
    fn changed(&self) -> bool;

    /// The plugins (by folder name) taken out of the host, whose state records go with them.
    fn removed(&self) -> Vec<String> {
        Vec::new()
    }
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
    /// FBA's Redis, reached before the change.
    fba: Option<fba_redis::Target>,
}

/// Check the reload plan of a change: whether the server is to be signalled after it, and that
/// it is the server; and, in an FBA host, that its Redis answers.
pub(crate) fn begin<'a>(
    settings: &'a Settings,
    printer: &'a Printer,
    reload: &Request,
) -> Result<Frame<'a>, Error> {
    begin_for(settings, printer, reload, &[])
}

/// Outside a host (no `pluginkit.toml` up from here, no host recognised, no `--plugins-dir`, and
/// no plugins folder), a change would make `.pluginkit/` (and `add` `plugins/` and a lock)
/// wherever it was run, and `sync` would say an empty folder is in sync: refused, as the other
/// commands refuse a plugins folder that does not exist.
pub(crate) fn refuse_outside_a_host(settings: &Settings) -> Result<(), Error> {
    let host = &settings.host;
    if host.file.is_some()
        || host.kind.is_some()
        || settings.plugins_dir_given
        || settings.plugins_dir.is_dir()
    {
        return Ok(());
    }
    Err(Error::usage(
        format!(
            "{} is not in a host: no pluginkit.toml here or above, and no plugins folder {}",
            settings.display(&settings.cwd),
            settings.display(&settings.plugins_dir)
        ),
        "run `pluginkit init` in the application's folder first, or name the plugins folder with --plugins-dir DIR",
    ))
}

/// [`begin`] for a change of the plugins `names` (by folder name, as given), which an error
/// about FBA's Redis names by their keys.
pub(crate) fn begin_for<'a>(
    settings: &'a Settings,
    printer: &'a Printer,
    reload: &Request,
    names: &[String],
) -> Result<Frame<'a>, Error> {
    refuse_outside_a_host(settings)?;
    let fba = match super::switch(settings)? {
        Switch::Redis(target) => {
            let keys = if names.is_empty() {
                target.changed_key()
            } else {
                let keys: Vec<String> = names.iter().map(|n| target.key(n)).collect();
                keys.join(", ")
            };
            target.connect(&keys)?.ping()?;
            Some(target)
        }
        _ => None,
    };
    Ok(Frame {
        settings,
        printer,
        reload: reload::before_change(settings, printer, reload)?,
        fba,
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
        if outcome.changed()
            && let Some(target) = &self.fba
        {
            target
                .connect(&target.changed_key())
                .and_then(|mut store| store.record_change(&outcome.removed()))
                .map_err(|e| {
                    Error::caused_hint(
                        "the plugins changed, but FBA's Redis could not be told",
                        format!(
                            "FBA rebuilds its plugin records when it restarts; restart it, or set {} to true yourself",
                            target.changed_key()
                        ),
                        e,
                    )
                })?;
            printer.note(format!(
                "FBA reports a restart is needed ({} is set): the change is live once FBA restarts",
                target.changed_key()
            ));
        }
        // A change the running server has not loaded says so there (`reload::after_change`).
        reload::after_change(settings, printer, self.reload, outcome.changed())?;
        Ok(outcome)
    }
}
