//! Which server a process is, and what a signal does to it. A signal only reloads a server that
//! handles it by starting its workers afresh; sent to any other, it stops the server (the
//! default action of SIGHUP, SIGUSR1, SIGUSR2 is to end a process) or does nothing. So before
//! anything is sent, the server is identified from what `/proc` shows (its names, its command
//! line, its environment where the server reads its settings from there, and its children), and
//! only a kind whose own code reloads on the signal is signalled.
//!
//! What each server does, read in its own code (the versions the tests run, in
//! `target/servers-venv`):
//! - gunicorn (`arbiter.py`): the master handles HUP (new workers, then the old ones stop),
//!   TTIN, TTOU, USR1, USR2, WINCH, QUIT, INT and TERM.
//! - granian 2.8 (`_signals.py` `set_main_signals`, `server/common.py` `_reload`): the main
//!   process handles INT and TERM (stop) and HUP, on which it respawns its workers one by one;
//!   also under `--reload`, whose loop handles the same flag. Its workers are processes (forked,
//!   so they carry the main process's command line, or spawned) or, with free-threaded Python,
//!   threads. Nothing else is handled: USR1 and USR2 would end it, TTIN and TTOU stop it.
//! - uvicorn 0.54: one process (`uvicorn app:app`, `server.py` `HANDLED_SIGNALS`) handles INT
//!   and TERM only, so SIGHUP ends it. `--reload` runs `supervisors/basereload.py`, which also
//!   handles INT and TERM only. `--workers N` with N > 1 (or `$UVICORN_WORKERS`, else
//!   `$WEB_CONCURRENCY`; `--reload` wins over it, `main.py` `run`) runs
//!   `supervisors/multiprocess.py`: `handle_hup` replaces each worker (the new one serving before
//!   the old one stops), TTIN and TTOU add and remove one, INT and TERM stop; QUIT, USR1, USR2
//!   and WINCH are caught and ignored. Its workers are `multiprocessing` spawn children; the
//!   same supervisor also runs multiprocessing's resource tracker, which is no worker.
//! - hypercorn 0.18 (`run.py`): with workers (`--workers N`, default 1 there), the main process
//!   handles HUP (every worker stops, then new ones start), INT and TERM; `--workers 0` serves
//!   in the one process, which handles INT and TERM only (`asyncio/run.py`), so SIGHUP ends it.
//!   Its workers, like uvicorn's, are spawn children beside a resource tracker.
//! - uWSGI: its master reloads on HUP (gracefully; TERM brutally), and handles INT, QUIT, USR1,
//!   USR2 and WINCH; without the master, SIGHUP makes the lone worker shut down. A master is
//!   recognised by its worker children (uWSGI forks them, so they carry its name).
//! - waitress (`waitress-serve`) and Flask's development server (`flask run`, Werkzeug's
//!   reloader) handle no SIGHUP: they must be restarted.

use std::fmt;

use super::ServerSignal;
use super::process::Process;

/// A server pluginkit knows, as it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Gunicorn,
    Granian,
    /// uvicorn's multiprocess supervisor (`--workers N`, N > 1).
    UvicornWorkers,
    /// One uvicorn process, serving itself.
    Uvicorn,
    /// uvicorn's `--reload` supervisor.
    UvicornReload,
    /// hypercorn's main process running workers.
    HypercornWorkers,
    /// hypercorn with `--workers 0`, serving in its one process.
    Hypercorn,
    UwsgiMaster,
    /// uWSGI without its master process.
    Uwsgi,
    Waitress,
    /// `flask run` (Werkzeug's development server).
    FlaskRun,
}

/// What a server does with the signals `reload --signal` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reloads {
    /// It acts on these signals (HUP among them reloads it).
    On(&'static [&'static str]),
    /// It cannot reload on any signal: the sentence says why, and what to do.
    Never(&'static str),
}

impl Kind {
    /// The kind of server `process` is, from its names, command line, environment and
    /// `children`; `None` for a process that is none of these.
    pub(crate) fn identify(process: &Process, children: &[Process]) -> Option<Kind> {
        let is = |name: &str| process.answers_to(name, true);
        if is("gunicorn") {
            return Some(Kind::Gunicorn);
        }
        if is("granian") {
            return Some(Kind::Granian);
        }
        if is("uvicorn") {
            return Some(uvicorn(process));
        }
        if is("hypercorn") {
            return Some(hypercorn(process, children));
        }
        if is("uwsgi") {
            // A master's workers are forks of it: they answer to its name.
            return Some(if children.iter().any(|c| c.answers_to("uwsgi", true)) {
                Kind::UwsgiMaster
            } else {
                Kind::Uwsgi
            });
        }
        if is("waitress-serve") || is("waitress") {
            return Some(Kind::Waitress);
        }
        if is("flask") && process.args.iter().any(|a| a == "run") {
            return Some(Kind::FlaskRun);
        }
        None
    }

    /// The name messages give it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Gunicorn => "gunicorn",
            Kind::Granian => "granian",
            Kind::UvicornWorkers | Kind::Uvicorn | Kind::UvicornReload => "uvicorn",
            Kind::HypercornWorkers | Kind::Hypercorn => "hypercorn",
            Kind::UwsgiMaster | Kind::Uwsgi => "uwsgi",
            Kind::Waitress => "waitress",
            Kind::FlaskRun => "flask",
        }
    }

    /// Which signals it acts on, or why it cannot reload on one.
    pub(crate) fn reloads(self) -> Reloads {
        match self {
            Kind::Gunicorn => Reloads::On(&[
                "HUP", "USR1", "USR2", "TERM", "INT", "QUIT", "WINCH", "TTIN", "TTOU",
            ]),
            Kind::Granian | Kind::HypercornWorkers => Reloads::On(&["HUP", "INT", "TERM"]),
            Kind::UvicornWorkers => Reloads::On(&["HUP", "INT", "TERM", "TTIN", "TTOU"]),
            Kind::UwsgiMaster => {
                Reloads::On(&["HUP", "TERM", "INT", "QUIT", "USR1", "USR2", "WINCH"])
            }
            Kind::Uvicorn => Reloads::Never(
                "a single uvicorn process (no --workers N) handles only SIGINT and SIGTERM, so \
                 SIGHUP would stop it; restart it to load the changed plugins, or run it as \
                 `uvicorn --workers N`, whose supervisor replaces its workers on SIGHUP",
            ),
            Kind::UvicornReload => Reloads::Never(
                "uvicorn's --reload supervisor handles only SIGINT and SIGTERM (SIGHUP would stop \
                 it); it restarts its server when a watched file changes, so restart it if the \
                 plugins folder is not among --reload-dir",
            ),
            Kind::Hypercorn => Reloads::Never(
                "hypercorn with --workers 0 serves in one process that handles only SIGINT and \
                 SIGTERM, so SIGHUP would stop it; restart it, or run it with --workers N, whose \
                 main process restarts its workers on SIGHUP",
            ),
            Kind::Uwsgi => Reloads::Never(
                "uWSGI without its master process shuts down on SIGHUP; restart it, or run it \
                 with --master, which reloads its workers on SIGHUP",
            ),
            Kind::Waitress => Reloads::Never(
                "waitress serves in one process with no SIGHUP handler, so SIGHUP would stop \
                 it; restart it to load the changed plugins",
            ),
            Kind::FlaskRun => Reloads::Never(
                "Flask's development server (flask run) has no SIGHUP handler, so SIGHUP would \
                 stop it; restart it, or run it with --reload (--debug), which restarts it when \
                 a file changes",
            ),
        }
    }

    /// Whether `child`, a child process of this server, is one of its workers: a fork of it
    /// (which carries its name) or a `multiprocessing` spawn child, never a helper such as
    /// multiprocessing's resource tracker.
    pub(crate) fn is_worker(self, child: &Process) -> bool {
        child.is_spawn_child() || child.answers_to(self.name(), true)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::UvicornWorkers => "uvicorn --workers",
            Kind::Uvicorn => "one uvicorn process",
            Kind::UvicornReload => "uvicorn --reload",
            Kind::HypercornWorkers => "hypercorn with workers",
            Kind::Hypercorn => "hypercorn --workers 0",
            Kind::UwsgiMaster => "uwsgi master",
            Kind::Uwsgi => "uwsgi without its master",
            Kind::FlaskRun => "flask run",
            other => other.name(),
        })
    }
}

impl Reloads {
    /// Whether `signal` is one the server acts on.
    pub(crate) fn acts_on(self, signal: ServerSignal) -> bool {
        matches!(self, Reloads::On(signals) if signals.contains(&signal.name()))
    }
}

/// uvicorn's mode, as its `main.py` decides it: `--reload` (or `$UVICORN_RELOAD`, click's
/// variable for it) runs the reload supervisor, whatever the workers; else `--workers N` (or
/// `$UVICORN_WORKERS`, else `$WEB_CONCURRENCY`) above 1 runs the multiprocess supervisor.
fn uvicorn(process: &Process) -> Kind {
    let env = |name: &str| process.environ_var(name);
    let reload = process.args.iter().any(|a| a == "--reload")
        || env("UVICORN_RELOAD").is_some_and(|v| click_true(&v));
    if reload {
        return Kind::UvicornReload;
    }
    let workers = option_value(&process.args, &["--workers"], None)
        .or_else(|| env("UVICORN_WORKERS"))
        .or_else(|| env("WEB_CONCURRENCY"))
        .and_then(|n| n.trim().parse::<i64>().ok())
        .unwrap_or(1);
    if workers > 1 {
        Kind::UvicornWorkers
    } else {
        Kind::Uvicorn
    }
}

/// hypercorn's mode: `--workers N` / `-w N` as given; else a configuration file (`--config`)
/// may set it, so its spawn children say whether it runs workers; else its default, 1 worker.
fn hypercorn(process: &Process, children: &[Process]) -> Kind {
    let workers = option_value(&process.args, &["--workers", "-w"], Some("-w"))
        .and_then(|n| n.trim().parse::<i64>().ok());
    let configured = option_value(&process.args, &["--config", "-c"], None).is_some();
    let runs_workers = match workers {
        Some(n) => n > 0,
        None if configured => children.iter().any(Process::is_spawn_child),
        None => true,
    };
    if runs_workers {
        Kind::HypercornWorkers
    } else {
        Kind::Hypercorn
    }
}

/// The value of the last of `names` in `args` (`--workers 2`, `--workers=2`, and with `glued`,
/// `-w2`), as the argument parsers read it (the last one wins).
fn option_value(args: &[String], names: &[&str], glued: Option<&str>) -> Option<String> {
    let mut value = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if names.contains(&arg.as_str()) {
            value = args.next().cloned();
        } else if let Some((name, v)) = arg.split_once('=')
            && names.contains(&name)
            && name.starts_with("--")
        {
            value = Some(v.to_owned());
        } else if let Some(short) = glued
            && let Some(v) = arg.strip_prefix(short)
            && !v.is_empty()
            && !arg.starts_with("--")
        {
            value = Some(v.to_owned());
        }
    }
    value
}

/// click's reading of a boolean flag's environment variable.
fn click_true(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "t" | "yes" | "y" | "on"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(args: &[&str], env: &[(&str, &str)]) -> Process {
        let mut p = Process::for_tests(args);
        p.environ = Some(
            env.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        p
    }

    fn spawn_child() -> Process {
        Process::for_tests(&[
            "/v/bin/python3",
            "-B",
            "-c",
            "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=7, pipe_handle=9)",
            "--multiprocessing-fork",
        ])
    }

    #[test]
    fn uvicorn_as_its_main_decides() {
        let kind = |args: &[&str], env: &[(&str, &str)]| {
            let mut all = vec!["/v/bin/python3", "/v/bin/uvicorn"];
            all.extend(args);
            Kind::identify(&process(&all, env), &[])
        };
        assert_eq!(kind(&["app:app"], &[]), Some(Kind::Uvicorn));
        assert_eq!(
            kind(&["--workers", "2", "app:app"], &[]),
            Some(Kind::UvicornWorkers)
        );
        assert_eq!(
            kind(&["--workers=3", "app:app"], &[]),
            Some(Kind::UvicornWorkers)
        );
        assert_eq!(
            kind(&["--workers", "1", "app:app"], &[]),
            Some(Kind::Uvicorn)
        );
        assert_eq!(
            kind(&["--workers", "2", "--reload", "app:app"], &[]),
            Some(Kind::UvicornReload)
        );
        assert_eq!(
            kind(&["app:app"], &[("WEB_CONCURRENCY", "4")]),
            Some(Kind::UvicornWorkers)
        );
        assert_eq!(
            kind(
                &["app:app"],
                &[("UVICORN_WORKERS", "1"), ("WEB_CONCURRENCY", "4")]
            ),
            Some(Kind::Uvicorn)
        );
        assert_eq!(
            kind(
                &["--workers", "2", "app:app"],
                &[("UVICORN_RELOAD", "true")]
            ),
            Some(Kind::UvicornReload)
        );
        assert_eq!(
            kind(&["app:app"], &[("UVICORN_RELOAD", "false")]),
            Some(Kind::Uvicorn)
        );
    }

    #[test]
    fn hypercorn_by_its_workers() {
        let kind = |args: &[&str], children: &[Process]| {
            let mut all = vec!["/v/bin/python3", "/v/bin/hypercorn"];
            all.extend(args);
            Kind::identify(&process(&all, &[]), children)
        };
        assert_eq!(kind(&["app:app"], &[]), Some(Kind::HypercornWorkers));
        assert_eq!(kind(&["-w", "0", "app:app"], &[]), Some(Kind::Hypercorn));
        assert_eq!(kind(&["-w0", "app:app"], &[]), Some(Kind::Hypercorn));
        assert_eq!(
            kind(&["--workers=0", "app:app"], &[]),
            Some(Kind::Hypercorn)
        );
        assert_eq!(
            kind(&["--workers", "2", "app:app"], &[]),
            Some(Kind::HypercornWorkers)
        );
        assert_eq!(
            kind(&["-c", "h.toml", "app:app"], &[]),
            Some(Kind::Hypercorn)
        );
        assert_eq!(
            kind(&["-c", "h.toml", "app:app"], &[spawn_child()]),
            Some(Kind::HypercornWorkers)
        );
    }

    #[test]
    fn servers_that_cannot_reload_are_known_too() {
        let kind = |args: &[&str]| Kind::identify(&process(args, &[]), &[]);
        assert_eq!(
            kind(&["/v/bin/python3", "/v/bin/waitress-serve", "app:app"]),
            Some(Kind::Waitress)
        );
        assert_eq!(
            kind(&["/v/bin/python3", "-m", "flask", "run"]),
            Some(Kind::FlaskRun)
        );
        assert_eq!(kind(&["/v/bin/python3", "/v/bin/flask", "routes"]), None);
        assert_eq!(kind(&["gunicorn: master [app:app]"]), Some(Kind::Gunicorn));
        assert_eq!(
            kind(&["/usr/bin/uwsgi", "--ini", "a.ini"]),
            Some(Kind::Uwsgi)
        );
        assert_eq!(kind(&["sleep", "600"]), None);
    }

    #[test]
    fn a_resource_tracker_is_no_worker() {
        let tracker = Process::for_tests(&[
            "/v/bin/python3",
            "-B",
            "-c",
            "from multiprocessing.resource_tracker import main;main(6)",
        ]);
        assert!(!Kind::UvicornWorkers.is_worker(&tracker));
        assert!(Kind::UvicornWorkers.is_worker(&spawn_child()));
        let fork = Process::for_tests(&["/v/bin/python3", "/v/bin/granian", "app:app"]);
        assert!(Kind::Granian.is_worker(&fork));
        assert!(!Kind::Granian.is_worker(&tracker));
    }

    #[test]
    fn signals_each_server_acts_on() {
        let hup = ServerSignal::HUP;
        let usr1 = ServerSignal::parse("USR1").unwrap();
        assert!(Kind::Granian.reloads().acts_on(hup));
        assert!(!Kind::Granian.reloads().acts_on(usr1));
        assert!(Kind::Gunicorn.reloads().acts_on(usr1));
        assert!(!Kind::UvicornWorkers.reloads().acts_on(usr1));
        assert!(!Kind::Uvicorn.reloads().acts_on(hup));
    }
}
