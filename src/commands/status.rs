//! `pluginkit status`: the running server (PID, name, uptime, workers) and the plugin changes it
//! has not loaded yet, so a user sees what a reload would bring.

use std::time::SystemTime;

use serde::Serialize;

use crate::cli::{Format, StatusArgs};
use crate::commands::ExitStatus;
use crate::commands::reload::find_server;
use crate::error::Error;
use crate::output::{BOLD, GOOD, Printer, WARNING};
use crate::server::Lookup;
use crate::server::pending::{self, LiveWhy};
use crate::settings::Settings;
use crate::util::time::{elapsed, rfc3339_of};

/// What `status --format json` prints (documented in README.md, "JSON output").
#[derive(Serialize)]
struct StatusJson {
    running: bool,
    /// Why there is no server running, when there is none.
    reason: Option<String>,
    server: Option<ServerJson>,
    /// The plugin changes the server has not loaded; empty when it is not running.
    pending: Vec<PendingJson>,
}

#[derive(Serialize)]
struct ServerJson {
    pid: i32,
    name: String,
    from: String,
    command: String,
    started: String,
    uptime_seconds: u64,
    workers: Vec<i32>,
    live_since: String,
    live_since_why: LiveWhy,
}

#[derive(Serialize)]
pub struct PendingJson {
    pub name: String,
    /// `changed` (installed, upgraded, enabled, disabled or edited) or `removed`.
    pub change: &'static str,
    /// When the change was seen: a file's change time, or the removal.
    pub at: String,
}

pub fn run(settings: &Settings, printer: &Printer, args: StatusArgs) -> anyhow::Result<ExitStatus> {
    let format = settings.format("status", &[Format::Human, Format::Json])?;
    settings.recover_if_needed(printer)?;
    let lookup = find_server(settings, &args.server)?.ok_or_else(|| {
        Error::usage(
            "no server to look at",
            "pass --pid PID or --pidfile FILE, or set pidfile under [host] in pluginkit.toml",
        )
    })?;
    let server = match lookup {
        Lookup::Running(server) => server,
        Lookup::NotRunning(why) => {
            if format == Format::Json {
                let json = StatusJson {
                    running: false,
                    reason: Some(why.to_string()),
                    server: None,
                    pending: Vec::new(),
                };
                printer.json(&json)?;
            } else {
                printer.out(format!("server: not running ({why})"))?;
            }
            return Ok(ExitStatus::Success);
        }
    };

    let dirs = settings.dirs();
    let workers = server.workers()?;
    let live = pending::live_since(&server, &workers, &dirs.state);
    let scan = settings.scan_plugins()?;
    let mut changes: Vec<PendingJson> = scan
        .plugins
        .iter()
        .filter_map(|installed| {
            let at = pending::changed_since(&installed.dir, live.at)?;
            Some(PendingJson {
                name: installed.plugin.name().to_owned(),
                change: "changed",
                at: rfc3339_of(at),
            })
        })
        .collect();
    let installed: Vec<&str> = scan.plugins.iter().map(|i| i.plugin.name()).collect();
    changes.extend(
        pending::removed_since(&dirs, &installed, live.at)
            .into_iter()
            .map(|(name, at)| PendingJson {
                name,
                change: "removed",
                at: rfc3339_of(at),
            }),
    );
    changes.sort_by(|a, b| a.name.cmp(&b.name));
    let uptime = SystemTime::now()
        .duration_since(server.started)
        .unwrap_or_default();

    if format == Format::Json {
        let json = StatusJson {
            running: true,
            reason: None,
            server: Some(ServerJson {
                pid: server.pid,
                name: server.name.clone(),
                from: server.from.clone(),
                command: server.description.clone(),
                started: rfc3339_of(server.started),
                uptime_seconds: uptime.as_secs(),
                workers: workers.iter().map(|(pid, _)| *pid).collect(),
                live_since: rfc3339_of(live.at),
                live_since_why: live.why,
            }),
            pending: changes,
        };
        printer.json(&json)?;
        return Ok(ExitStatus::Success);
    }

    let rows = [
        (
            "server",
            format!("{} (PID {}, from {})", server.name, server.pid, server.from),
        ),
        ("command", server.description.clone()),
        (
            "uptime",
            format!("{} (since {})", elapsed(uptime), rfc3339_of(server.started)),
        ),
        ("workers", workers.len().to_string()),
        (
            "plugins loaded",
            format!("{} ({})", rfc3339_of(live.at), live.why.as_str()),
        ),
    ];
    for (key, value) in rows {
        let label = format!("{:<15}", format!("{key}:"));
        printer.out(format!("{} {value}", printer.paint_out(BOLD, label)))?;
    }
    if changes.is_empty() {
        printer.out(printer.paint_out(GOOD, "every plugin change is live"))?;
        return Ok(ExitStatus::Success);
    }
    let n = changes.len();
    printer.out(format!(
        "{}; `pluginkit reload` loads {}:",
        printer.paint_out(
            WARNING,
            format!(
                "{n} plugin change{} not live yet",
                if n == 1 { " is" } else { "s are" }
            )
        ),
        if n == 1 { "it" } else { "them" }
    ))?;
    let width = changes.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for change in &changes {
        printer.out(format!(
            "  {:<width$}  {} at {}",
            change.name, change.change, change.at
        ))?;
    }
    Ok(ExitStatus::Success)
}
