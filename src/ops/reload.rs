//! The server: `pluginkit reload`, `--reload` on the commands that change plugins (the plan
//! checked before the change, the signal after it; see [`super::change`]), and the server that
//! `status`, `list` and `info` look at. The server is found (`--pid`, `--pidfile`,
//! `[host] pidfile`), checked to be the server, signalled once, and with `--wait` watched until
//! its workers were replaced.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;

use crate::error::Error;
use crate::host::config::ReloadPolicy;
use crate::output::Printer;
use crate::server::pending::{self, LiveSince};
use crate::server::{Expected, Lookup, PidSource, Server, ServerSignal, ServerSpec};
use crate::settings::Settings;

/// `pluginkit reload`: find the server the options or `[host]` name, check it, signal it, and
/// with `wait` wait until its workers were replaced.
pub(crate) fn reload(
    settings: &Settings,
    printer: &Printer,
    server: &ServerOptions,
    signal: Option<&str>,
    wait: Option<Duration>,
) -> Result<Reloaded, Error> {
    let spec = spec(settings, server, signal)?.ok_or_else(|| {
        Error::usage(
            "no server to signal",
            "pass --pid PID or --pidfile FILE, or set pidfile under [host] in pluginkit.toml",
        )
    })?;
    let server = spec.find()?.running()?;
    server.check_signal(spec.signal)?;
    send(settings, printer, &server, spec.signal, wait)
}

/// What `reload --format json` prints (documented in README.md, "JSON output").
#[derive(Debug, Serialize)]
pub(crate) struct Reloaded {
    pub(crate) pid: i32,
    pub(crate) name: String,
    /// Where the PID came from: the pidfile as shown, or `--pid`.
    pub(crate) from: String,
    pub(crate) signal: String,
    /// With --wait: how many workers the server had, all replaced.
    pub(crate) workers_replaced: Option<usize>,
    /// With --wait: how long the server took, in milliseconds.
    pub(crate) waited_ms: Option<u64>,
}

impl Reloaded {
    /// What was done, in a sentence.
    pub(crate) fn sentence(&self) -> String {
        let sent = format!(
            "sent SIG{} to {} (PID {}, from {})",
            self.signal, self.name, self.pid, self.from
        );
        match (self.workers_replaced, self.waited_ms) {
            (Some(workers), Some(ms)) => format!(
                "{sent}; its {workers} worker{} were replaced in {}",
                if workers == 1 { "" } else { "s" },
                crate::util::time::seconds(Duration::from_millis(ms))
            ),
            _ => sent,
        }
    }
}

/// `--reload`, `--no-reload`, `--wait` and `--timeout` of a command that changes plugins.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Request {
    pub(crate) reload: bool,
    pub(crate) no_reload: bool,
    pub(crate) wait: bool,
    /// How long `wait` waits, in seconds.
    pub(crate) timeout: u64,
}

/// Which process is the server, when the command line names it (`reload`, `status`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ServerOptions {
    pub(crate) pid: Option<i64>,
    pub(crate) pidfile: Option<PathBuf>,
    pub(crate) process_name: Option<String>,
}

/// The server to signal, from the options, else `[host]`; `None` when neither names one.
fn spec(
    settings: &Settings,
    args: &ServerOptions,
    signal: Option<&str>,
) -> Result<Option<ServerSpec>, Error> {
    let config = &settings.host.config.host;
    let source = match (args.pid, &args.pidfile, &config.pidfile) {
        (Some(pid), _, _) => PidSource::Pid(pid),
        (None, Some(file), _) => pidfile(settings, &settings.cwd.join(file)),
        (None, None, Some(file)) => pidfile(settings, &settings.host.root.join(file)),
        (None, None, None) => return Ok(None),
    };
    let expected = match args.process_name.as_ref().or(config.process_name.as_ref()) {
        Some(name) if name.trim().is_empty() => {
            return Err(Error::usage(
                "the process name is empty",
                "give the name the server runs under, e.g. --process-name gunicorn",
            ));
        }
        Some(name) => Expected::Named(name.trim().to_owned()),
        None => Expected::WellKnown,
    };
    let signal = match signal.or(config.signal.as_deref()) {
        Some(text) => ServerSignal::parse(text)?,
        None => ServerSignal::HUP,
    };
    Ok(Some(ServerSpec {
        source,
        expected,
        signal,
    }))
}

fn pidfile(settings: &Settings, path: &Path) -> PidSource {
    PidSource::Pidfile {
        path: path.to_owned(),
        shown: settings.display(path),
    }
}

/// The server `status` and `list` look at: the one the options or `[host]` name.
pub(crate) fn find_server(
    settings: &Settings,
    args: &ServerOptions,
) -> Result<Option<Lookup>, Error> {
    match spec(settings, args, None)? {
        Some(spec) => Ok(Some(spec.find()?)),
        None => Ok(None),
    }
}

/// The running server `[host]` names, and since when its plugins are live: for `list` and
/// `info`, which never fail for it. `None` when no server is configured or running, or the
/// process is refused (`--verbose` says why; `status` and `reload` report it as an error).
pub(crate) fn live_server(settings: &Settings, printer: &Printer) -> Option<(Server, LiveSince)> {
    match find_server(settings, &ServerOptions::default()) {
        Ok(Some(Lookup::Running(server))) => {
            // A server whose workers cannot be read is judged by its own start and reloads.
            let workers = server.workers().unwrap_or_default();
            let live = pending::live_since(&server, &workers, &settings.dirs().state);
            Some((server, live))
        }
        Ok(Some(Lookup::NotRunning(why))) => {
            printer.debug(format!("no pending reloads shown: {why}"));
            None
        }
        Err(why) => {
            printer.debug(format!("no pending reloads shown: {why}"));
            None
        }
        Ok(None) => None,
    }
}

/// Signal `server`; with `wait`, wait until its workers were replaced.
fn send(
    settings: &Settings,
    printer: &Printer,
    server: &Server,
    signal: ServerSignal,
    wait: Option<Duration>,
) -> Result<Reloaded, Error> {
    let waiting = match wait {
        Some(timeout) => Some((workers_to_wait_for(server)?, timeout)),
        None => None,
    };
    let started = Instant::now();
    server.signal(signal)?;
    if let Err(e) = pending::record(&settings.dirs().state, server, signal) {
        printer.warn(format!(
            "cannot record the reload in {}: {e}; `pluginkit status` may show changes as pending",
            settings.display(&settings.dirs().state)
        ));
    }
    let mut reloaded = Reloaded {
        pid: server.pid,
        name: server.name.clone(),
        from: server.from.clone(),
        signal: signal.name().to_owned(),
        workers_replaced: None,
        waited_ms: None,
    };
    if let Some((before, timeout)) = waiting {
        let spinner = printer.progress_spinner(format!(
            "waiting for {} (PID {}) to replace its workers",
            server.name, server.pid
        ));
        let waited = server.wait_reloaded(&before, signal, timeout, started);
        spinner.finish_and_clear();
        let waited = waited?;
        reloaded.workers_replaced = Some(before.len());
        reloaded.waited_ms = Some(u64::try_from(waited.as_millis()).unwrap_or(u64::MAX));
    }
    Ok(reloaded)
}

/// The workers `--wait` waits to see replaced. A server without workers shows no reload that
/// pluginkit could see, so `--wait` is refused for it before anything is sent.
fn workers_to_wait_for(server: &Server) -> Result<Vec<(i32, u64)>, Error> {
    let workers = server.workers()?;
    if workers.is_empty() {
        return Err(Error::user_hint(
            format!(
                "cannot wait for {} (PID {}) to reload: it has no worker processes, whose \
                 replacement would show it",
                server.name, server.pid
            ),
            "leave out --wait; a server that runs its workers (gunicorn, uWSGI, granian) shows \
             its reloads",
        ));
    }
    Ok(workers)
}

/// What a command that changes plugins does about the server after its change: signal it
/// (`--reload`: the server is found and checked before the change, so a wrong pidfile or
/// process, or a server that cannot reload on a signal, changes nothing; signalled once after
/// it), or say that the change is not live yet (a server is configured and runs, and no reload
/// was asked).
pub(crate) enum ReloadAfter {
    Signal {
        server: Server,
        signal: ServerSignal,
        wait: Option<Duration>,
    },
    Remind {
        server: Server,
        /// Why it cannot reload on a signal, when it cannot: then it must be restarted.
        restart: Option<crate::server::Error>,
    },
}

/// Whether the command should reload, and the server it will signal, checked now.
pub(crate) fn before_change(
    settings: &Settings,
    printer: &Printer,
    args: &Request,
) -> Result<Option<ReloadAfter>, Error> {
    let asked = args.reload || args.wait;
    let always = settings.host.config.host.reload == Some(ReloadPolicy::Always);
    if args.no_reload {
        return Ok(None);
    }
    if !(asked || always) {
        return Ok(remind(settings, printer));
    }
    let Some(spec) = spec(settings, &ServerOptions::default(), None)? else {
        let what = if asked {
            "--reload"
        } else {
            "[host] reload = \"always\""
        };
        return Err(Error::user_hint(
            format!("{what}: no server to signal"),
            "set pidfile under [host] in pluginkit.toml to the file the server writes its PID \
             to (gunicorn --pid FILE), or use `pluginkit reload --pid PID` after the change",
        ));
    };
    let server = match spec.find()? {
        Lookup::Running(server) => server,
        Lookup::NotRunning(error) if asked => return Err(error.into()),
        // With reload = "always", a server that is not running has nothing to reload.
        Lookup::NotRunning(error) => {
            printer.note(format!("not reloading: {error}"));
            return Ok(None);
        }
    };
    match server.check_signal(spec.signal) {
        Ok(()) => {}
        Err(error) if asked => return Err(error.into()),
        // With reload = "always", a server that cannot reload on a signal is left alone, and
        // the change is made; after it, the user is told to restart the server.
        Err(error) => {
            return Ok(Some(ReloadAfter::Remind {
                server,
                restart: Some(error),
            }));
        }
    }
    let wait = args.wait.then(|| Duration::from_secs(args.timeout));
    if wait.is_some() {
        workers_to_wait_for(&server)?;
    }
    Ok(Some(ReloadAfter::Signal {
        server,
        signal: spec.signal,
        wait,
    }))
}

/// The running server that `[host]` names, when no reload was asked: the change will not be
/// live until it reloads. Nothing when none is configured or running, or the process is refused
/// (`--verbose` says why; `reload` reports it as an error).
fn remind(settings: &Settings, printer: &Printer) -> Option<ReloadAfter> {
    let spec = match spec(settings, &ServerOptions::default(), None) {
        Ok(Some(spec)) => spec,
        Ok(None) => return None,
        Err(why) => {
            printer.debug(format!("no reload reminder: {why}"));
            return None;
        }
    };
    match spec.find() {
        Ok(Lookup::Running(server)) => {
            let restart = server.check_signal(spec.signal).err();
            Some(ReloadAfter::Remind { server, restart })
        }
        Ok(Lookup::NotRunning(why)) => {
            printer.debug(format!("no reload reminder: {why}"));
            None
        }
        Err(why) => {
            printer.debug(format!("no reload reminder: {why}"));
            None
        }
    }
}

/// After the change: signal the server once if anything changed, or say that the change is not
/// live yet. A reload that fails then says that the change stays, with why the reload failed
/// as its cause.
pub(crate) fn after_change(
    settings: &Settings,
    printer: &Printer,
    reload: Option<ReloadAfter>,
    changed: bool,
) -> anyhow::Result<()> {
    let Some(reload) = reload else {
        return Ok(());
    };
    let (server, signal, wait) = match reload {
        ReloadAfter::Signal {
            server,
            signal,
            wait,
        } => (server, signal, wait),
        ReloadAfter::Remind { .. } if !changed => return Ok(()),
        ReloadAfter::Remind {
            server,
            restart: None,
        } => {
            printer.note(format!(
                "{} (PID {}) runs the plugins as they were: the change is not live until \
                 `pluginkit reload` (or pass --reload)",
                server.name, server.pid
            ));
            return Ok(());
        }
        ReloadAfter::Remind {
            server,
            restart: Some(why),
        } => {
            let why = match why {
                crate::server::Error::CannotReload { why, .. } => {
                    format!("this server cannot reload on a signal: {why}")
                }
                other => other.to_string(),
            };
            printer.note(format!(
                "{} (PID {}) runs the plugins as they were: the change is not live until it is \
                 restarted; {why}",
                server.name, server.pid
            ));
            return Ok(());
        }
    };
    if !changed {
        printer.note(format!(
            "nothing changed, so {} (PID {}) was not signalled",
            server.name, server.pid
        ));
        return Ok(());
    }
    let reloaded = send(settings, printer, &server, signal, wait)
        .context("the plugins were changed, but the reload failed")?;
    printer.note(reloaded.sentence());
    Ok(())
}
