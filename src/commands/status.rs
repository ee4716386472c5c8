//! `pluginkit status`: the running server (PID, name, uptime, workers) and the plugin changes it
//! has not loaded yet, so a user sees what a reload would bring. The work is in
//! [`crate::ops::status`].

use serde::Serialize;

use super::{ExitStatus, server_options};
use crate::cli::{HumanJson, StatusArgs};
use crate::ops::status::{self, FbaRestart, Running, Status};
use crate::output::{BOLD, GOOD, Printer, WARNING};
use crate::server::pending::LiveWhy;
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
    /// In an FBA host, FBA's own "restart needed" flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    fba: Option<FbaJson>,
}

#[derive(Serialize)]
struct FbaJson {
    key: String,
    /// `null` when FBA's Redis could not be read (`error` says why).
    restart_needed: Option<bool>,
    error: Option<String>,
}

impl From<FbaRestart> for FbaJson {
    fn from(fba: FbaRestart) -> Self {
        let (restart_needed, error) = match fba.needed {
            Ok(needed) => (Some(needed), None),
            Err(why) => (None, Some(why)),
        };
        FbaJson {
            key: fba.key,
            restart_needed,
            error,
        }
    }
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
struct PendingJson {
    name: String,
    /// `changed` (installed, upgraded, enabled, disabled or edited) or `removed`.
    change: &'static str,
    /// When the change was seen: a file's change time, or the removal.
    at: String,
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: StatusArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let fba = status::fba_restart(settings)?;
    let why = match status::status(settings, printer, &server_options(&args.server))? {
        Status::Running(running) => {
            if format == HumanJson::Json {
                let mut document = json(running);
                document.fba = fba.map(FbaJson::from);
                printer.json(&document)?;
            } else {
                human(printer, &running)?;
                fba_human(printer, fba)?;
            }
            return Ok(ExitStatus::Success);
        }
        Status::NotRunning(why) => why.to_string(),
        Status::NotConfigured => NOT_CONFIGURED.to_owned(),
    };
    if format == HumanJson::Json {
        printer.json(&StatusJson {
            running: false,
            reason: Some(why),
            server: None,
            pending: Vec::new(),
            fba: fba.map(FbaJson::from),
        })?;
    } else {
        printer.out(format!("server: not running ({why})"))?;
        fba_human(printer, fba)?;
    }
    Ok(ExitStatus::Success)
}

/// FBA's restart flag, for people: FBA's own record of changes it has not loaded (a switch in
/// Redis changes no file, so only the flag tells).
fn fba_human(printer: &Printer, fba: Option<FbaRestart>) -> anyhow::Result<()> {
    let Some(fba) = fba else {
        return Ok(());
    };
    match fba.needed {
        Ok(true) => printer.out(printer.paint_out(
            WARNING,
            format!(
                "FBA reports a restart is needed ({} is set): plugin changes are live once FBA restarts",
                fba.key
            ),
        ))?,
        Ok(false) => printer.out(format!("FBA reports no restart is needed ({} is not set)", fba.key))?,
        Err(why) => printer.warn(format!("cannot read FBA's restart flag: {why}")),
    }
    Ok(())
}

/// Why no server runs when none is configured, and how to name one.
const NOT_CONFIGURED: &str = "no server is configured: pass --pid PID or --pidfile FILE, or set \
     pidfile under [host] in pluginkit.toml";

fn json(running: Running) -> StatusJson {
    let Running {
        server,
        workers,
        uptime,
        live,
        pending,
    } = running;
    StatusJson {
        fba: None,
        running: true,
        reason: None,
        server: Some(ServerJson {
            pid: server.pid,
            name: server.name,
            from: server.from,
            command: server.description,
            started: rfc3339_of(server.started),
            uptime_seconds: uptime.as_secs(),
            workers,
            live_since: rfc3339_of(live.at),
            live_since_why: live.why,
        }),
        pending: pending
            .into_iter()
            .map(|p| PendingJson {
                name: p.name,
                change: p.change,
                at: rfc3339_of(p.at),
            })
            .collect(),
    }
}

fn human(printer: &Printer, running: &Running) -> anyhow::Result<()> {
    let Running {
        server,
        workers,
        uptime,
        live,
        pending,
    } = running;
    let rows = [
        (
            "server",
            format!("{} (PID {}, from {})", server.name, server.pid, server.from),
        ),
        ("command", server.description.clone()),
        (
            "uptime",
            format!(
                "{} (since {})",
                elapsed(*uptime),
                rfc3339_of(server.started)
            ),
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
    if pending.is_empty() {
        printer.out(printer.paint_out(GOOD, "every plugin change is live"))?;
        return Ok(());
    }
    let n = pending.len();
    let it = if n == 1 { "it" } else { "them" };
    // A server that cannot reload on a signal loads them only when it starts again.
    let how = if server.reloads_on_a_signal() {
        format!("`pluginkit reload` loads {it}")
    } else {
        format!("this server cannot reload on a signal: restart it to load {it}")
    };
    printer.out(format!(
        "{}; {how}:",
        printer.paint_out(
            WARNING,
            format!(
                "{n} plugin change{} not live yet",
                if n == 1 { " is" } else { "s are" }
            )
        ),
    ))?;
    let width = pending.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for change in pending {
        printer.out(format!(
            "  {:<width$}  {} at {}",
            change.name,
            change.change,
            rfc3339_of(change.at)
        ))?;
    }
    Ok(())
}
