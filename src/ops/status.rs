//! `status`: the running server (PID, name, uptime, workers) and the plugin changes it has not
//! loaded yet, so a user sees what a reload would bring.

use std::time::{Duration, SystemTime};

use crate::error::Error;
use crate::host::switch::Switch;
use crate::output::Printer;
use crate::server::pending::{self, LiveSince};
use crate::server::{self, Lookup, Server};
use crate::settings::Settings;

use super::reload::{ServerOptions, find_server};

/// FBA's "restart needed" flag, in an FBA host: FBA loads only the plugins enabled when it
/// started, and sets the flag on every change it does not load until it restarts.
#[derive(Debug)]
pub(crate) struct FbaRestart {
    /// The flag's Redis key.
    pub(crate) key: String,
    /// Whether it is set, or why it could not be read.
    pub(crate) needed: Result<bool, String>,
}

/// FBA's restart flag, when the host is FBA's.
pub(crate) fn fba_restart(settings: &Settings) -> Result<Option<FbaRestart>, Error> {
    let Switch::Redis(target) = super::switch(settings)? else {
        return Ok(None);
    };
    let key = target.changed_key();
    let needed = target
        .connect(&key)
        .and_then(|mut store| store.restart_needed())
        .map_err(|e| e.to_string());
    Ok(Some(FbaRestart { key, needed }))
}

/// The server, if it runs.
#[derive(Debug)]
pub(crate) enum Status {
    /// No server is configured (`--pid`, `--pidfile`, `[host] pidfile`): none to look at.
    NotConfigured,
    /// Why there is no server running.
    NotRunning(server::Error),
    Running(Running),
}

/// A running server and what it has not loaded.
#[derive(Debug)]
pub(crate) struct Running {
    pub(crate) server: Server,
    /// Its workers' PIDs.
    pub(crate) workers: Vec<i32>,
    pub(crate) uptime: Duration,
    /// Since when its plugins are live, and why then.
    pub(crate) live: LiveSince,
    /// The plugin changes it has not loaded, by name.
    pub(crate) pending: Vec<Pending>,
}

/// A plugin change the server has not loaded.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) name: String,
    /// `changed` (installed, upgraded, enabled, disabled or edited) or `removed`.
    pub(crate) change: &'static str,
    /// When the change was seen: a file's change time, or the removal.
    pub(crate) at: SystemTime,
}

/// The server the options or `[host]` name, and what it has not loaded, after finishing what a
/// killed run left.
pub(crate) fn status(
    settings: &Settings,
    printer: &Printer,
    server: &ServerOptions,
) -> Result<Status, Error> {
    super::recover_if_needed(settings, printer)?;
    let Some(lookup) = find_server(settings, server)? else {
        return Ok(Status::NotConfigured);
    };
    let server = match lookup {
        Lookup::Running(server) => server,
        Lookup::NotRunning(why) => return Ok(Status::NotRunning(why)),
    };
    let dirs = settings.dirs();
    let workers = server.workers()?;
    let live = pending::live_since(&server, &workers, &dirs.state);
    let scan = super::scan_plugins(settings)?;
    let mut changes: Vec<Pending> = scan
        .plugins
        .iter()
        .filter_map(|installed| {
            Some(Pending {
                name: installed.plugin.name().to_owned(),
                change: "changed",
                at: pending::changed_since(&installed.dir, live.at)?,
            })
        })
        .collect();
    let installed: Vec<&str> = scan.plugins.iter().map(|i| i.plugin.name()).collect();
    changes.extend(
        pending::removed_since(&dirs, &installed, live.at)
            .into_iter()
            .map(|(name, at)| Pending {
                name,
                change: "removed",
                at,
            }),
    );
    changes.sort_by(|a, b| a.name.cmp(&b.name));
    let uptime = SystemTime::now()
        .duration_since(server.started)
        .unwrap_or_default();
    Ok(Status::Running(Running {
        workers: workers.iter().map(|(pid, _)| *pid).collect(),
        uptime,
        live,
        pending: changes,
        server,
    }))
}
