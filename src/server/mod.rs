//! The running server, seen from outside: which process it is (`--pid`, `--pidfile`, `[host]
//! pidfile`), whether that process really is the server (alive, ours, and called what it must
//! be) before anything is sent to it, the signal itself, waiting until its workers were
//! replaced, and which plugin changes it has not loaded yet (`pending`).
//!
//! Linux only: the checks read `/proc`, and the signal goes through a pidfd opened before the
//! checks, so a PID that is reused meanwhile can never receive it.

pub(crate) mod pending;
#[cfg(target_os = "linux")]
mod process;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::error::Error;

/// Servers whose master pluginkit signals without `--process-name` / `[host] process-name`.
pub(crate) const WELL_KNOWN: &[&str] = &["gunicorn", "uwsgi", "granian", "uvicorn", "hypercorn"];

/// Where the server's PID comes from.
#[derive(Debug, Clone)]
pub(crate) enum PidSource {
    /// `--pid N`, as typed (it may be out of range).
    Pid(i64),
    /// `--pidfile` or `[host] pidfile`: the file, and how messages show it.
    Pidfile { path: PathBuf, shown: String },
}

/// What the process must be called.
#[derive(Debug, Clone)]
pub(crate) enum Expected {
    Named(String),
    /// One of [`WELL_KNOWN`].
    WellKnown,
}

/// A signal a server can be told to act on. KILL and STOP are not among them: no server
/// reloads on those.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServerSignal(&'static str);

/// The signals `--signal` accepts, by name; gunicorn alone acts on all of them.
const SIGNALS: &[&str] = &[
    "HUP", "USR1", "USR2", "TERM", "INT", "QUIT", "WINCH", "TTIN", "TTOU",
];

impl ServerSignal {
    pub(crate) const HUP: ServerSignal = ServerSignal("HUP");

    /// `HUP`, `hup`, `SIGHUP` or `1` alike.
    pub(crate) fn parse(text: &str) -> Result<ServerSignal, Error> {
        let upper = text.trim().to_ascii_uppercase();
        let name = upper.strip_prefix("SIG").unwrap_or(&upper);
        let number = name.parse::<i32>().ok();
        SIGNALS
            .iter()
            .map(|s| ServerSignal(s))
            .find(|s| s.0 == name || (number.is_some() && s.number() == number))
            .ok_or_else(|| {
                Error::user_hint(
                    format!("`{text}` is not a signal pluginkit sends to a server"),
                    format!("use one of {}", SIGNALS.join(", ")),
                )
            })
    }

    pub(crate) fn name(self) -> &'static str {
        self.0
    }

    /// The signal's number on this system.
    fn number(self) -> Option<i32> {
        #[cfg(target_os = "linux")]
        return Some(self.raw().as_raw());
        #[cfg(not(target_os = "linux"))]
        return None;
    }

    #[cfg(target_os = "linux")]
    fn raw(self) -> rustix::process::Signal {
        use rustix::process::Signal;
        match self.0 {
            "USR1" => Signal::USR1,
            "USR2" => Signal::USR2,
            "TERM" => Signal::TERM,
            "INT" => Signal::INT,
            "QUIT" => Signal::QUIT,
            "WINCH" => Signal::WINCH,
            "TTIN" => Signal::TTIN,
            "TTOU" => Signal::TTOU,
            _ => Signal::HUP,
        }
    }
}

impl fmt::Display for ServerSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SIG{}", self.0)
    }
}

/// Which server to signal, how, and what it must be called.
#[derive(Debug, Clone)]
pub(crate) struct ServerSpec {
    pub(crate) source: PidSource,
    pub(crate) expected: Expected,
    pub(crate) signal: ServerSignal,
}

/// The server, found and checked.
#[derive(Debug)]
pub(crate) struct Server {
    pub(crate) pid: i32,
    /// The name it was matched by.
    pub(crate) name: String,
    /// Its command line or title.
    pub(crate) description: String,
    /// Where its PID came from, for messages: `run/gunicorn.pid` or `--pid`.
    pub(crate) from: String,
    pub(crate) started: SystemTime,
    /// Clock ticks from boot to its start: with the PID, this process and no later one.
    pub(crate) start_ticks: u64,
    #[cfg(target_os = "linux")]
    pidfd: Option<std::os::fd::OwnedFd>,
}

/// What looking for the server found.
#[derive(Debug)]
pub(crate) enum Lookup {
    Running(Server),
    /// No pidfile, or no process with its PID: the server is not running. The error says which.
    NotRunning(Error),
}

impl Lookup {
    /// The server, or why there is none as an error.
    pub(crate) fn running(self) -> Result<Server, Error> {
        match self {
            Lookup::Running(server) => Ok(server),
            Lookup::NotRunning(error) => Err(error),
        }
    }
}

/// The answer on systems where pluginkit cannot check a process before signalling it.
#[cfg(not(target_os = "linux"))]
fn unsupported() -> Error {
    let system = if cfg!(windows) {
        "Windows has no signals such as SIGHUP"
    } else {
        "pluginkit checks the server through Linux's /proc before signalling it, and this \
         system has none"
    };
    Error::user_hint(
        format!("cannot signal the server here: {system}"),
        "restart the server to load the changed plugins",
    )
}

impl ServerSpec {
    /// Find the process and check that it is the server. Refusals (a PID that is no server's, a
    /// pidfile that holds no number, a process of another user or with another name) are
    /// errors; a server that is not running is [`Lookup::NotRunning`].
    pub(crate) fn find(&self) -> Result<Lookup, Error> {
        let (pid, from) = match &self.source {
            PidSource::Pid(pid) => (*pid, "--pid".to_owned()),
            PidSource::Pidfile { path, shown } => match read_pidfile(path, shown)? {
                Some(pid) => (pid, shown.clone()),
                None => {
                    return Ok(Lookup::NotRunning(Error::user_hint(
                        format!("the server is not running: {shown} does not exist"),
                        "start the server so that it writes its PID there (gunicorn: \
                         --pid FILE), or point [host] pidfile or --pidfile at the file it writes",
                    )));
                }
            },
        };
        let pid = check_range(pid, &from)?;
        self.check(pid, from)
    }

    #[cfg(not(target_os = "linux"))]
    fn check(&self, _pid: i32, _from: String) -> Result<Lookup, Error> {
        Err(unsupported())
    }

    #[cfg(target_os = "linux")]
    fn check(&self, pid: i32, from: String) -> Result<Lookup, Error> {
        use process::Process;

        let not_running = || {
            let message = match &self.source {
                PidSource::Pid(_) => format!("no process has PID {pid}"),
                PidSource::Pidfile { shown, .. } => {
                    format!("{shown} is stale: no process has PID {pid}, which it names")
                }
            };
            Lookup::NotRunning(Error::user_hint(
                message,
                "start the server, or give the PID of the one that runs",
            ))
        };
        // Opened before the checks: if the process exits and its PID is reused by another
        // after this, the signal fails instead of reaching the other.
        let pidfd = match rustix::process::pidfd_open(
            rustix::process::Pid::from_raw(pid)
                .ok_or_else(|| invalid_pid(i64::from(pid), &from))?,
            rustix::process::PidfdFlags::empty(),
        ) {
            Ok(fd) => Some(fd),
            Err(rustix::io::Errno::SRCH) => return Ok(not_running()),
            // Kernels before 5.3 have no pidfd: the checks and the signal are then as close
            // together as they can be.
            Err(_) => None,
        };
        let Some(found) = Process::read(pid).map_err(|e| read_error(pid, e))? else {
            return Ok(not_running());
        };

        let me = rustix::process::getuid().as_raw();
        let root = rustix::process::geteuid().is_root();
        if found.uid != me && !root {
            return Err(Error::user_hint(
                format!(
                    "refusing to signal PID {pid} ({}, from {from}): it belongs to user {}, \
                     not to you (user {me})",
                    found.describe(),
                    found.uid
                ),
                "run pluginkit as the user the server runs as",
            ));
        }

        let name = match &self.expected {
            Expected::Named(name) => found.answers_to(name, false).then(|| name.clone()),
            Expected::WellKnown => WELL_KNOWN
                .iter()
                .find(|known| found.answers_to(known, true))
                .map(|known| (*known).to_owned()),
        };
        let Some(name) = name else {
            let (wanted, hint) = match &self.expected {
                Expected::Named(name) => (
                    format!("`{name}`"),
                    format!(
                        "if PID {pid} is your server, set --process-name or [host] \
                         process-name to one of its names ({}); otherwise fix {from}",
                        found.names().join(", ")
                    ),
                ),
                Expected::WellKnown => (
                    format!(
                        "one of the servers pluginkit knows ({})",
                        WELL_KNOWN.join(", ")
                    ),
                    format!(
                        "for another server, name it: --process-name NAME, or process-name = \
                         \"NAME\" under [host] in pluginkit.toml (this process answers to {})",
                        found.names().join(", ")
                    ),
                ),
            };
            return Err(Error::user_hint(
                format!(
                    "refusing to signal PID {pid} (from {from}): it is `{}`, not {wanted}",
                    found.describe()
                ),
                hint,
            ));
        };

        // A gunicorn worker also answers to gunicorn; its master is the server.
        if found.ppid > 1
            && let Ok(Some(parent)) = Process::read(found.ppid)
            && parent.answers_to(&name, matches!(self.expected, Expected::WellKnown))
            && !is_master_title(&found)
        {
            return Err(Error::user_hint(
                format!(
                    "refusing to signal PID {pid} (from {from}): it is a worker of the {name} \
                     master, PID {}",
                    parent.pid
                ),
                format!("signal the master: --pid {}", parent.pid),
            ));
        }

        Ok(Lookup::Running(Server {
            pid,
            name,
            description: found.describe(),
            from,
            started: found.started(),
            start_ticks: found.start_ticks,
            pidfd,
        }))
    }
}

/// A setproctitle title that says master (`gunicorn: master [app]`, `uWSGI master`): such a
/// process is the server even under a parent with the same name (a supervisor's).
#[cfg(target_os = "linux")]
fn is_master_title(found: &process::Process) -> bool {
    found
        .title()
        .is_some_and(|title| title.split_whitespace().any(|word| word == "master"))
}

#[cfg(target_os = "linux")]
fn read_error(pid: i32, error: std::io::Error) -> Error {
    Error::user(format!("cannot read /proc/{pid}: {error}"))
}

fn invalid_pid(pid: i64, from: &str) -> Error {
    let why = match pid {
        0 => "0 would signal every process of pluginkit's own process group",
        1 => "PID 1 is init (or the container's first process), never a server to reload",
        p if p < 0 => "a negative PID would signal a whole process group",
        _ => "it is beyond the largest PID",
    };
    Error::user_hint(
        format!("refusing to signal PID {pid} (from {from}): {why}"),
        "give the server master's own PID: gunicorn writes it with --pid FILE",
    )
}

fn check_range(pid: i64, from: &str) -> Result<i32, Error> {
    match i32::try_from(pid) {
        Ok(pid) if pid > 1 => Ok(pid),
        _ => Err(invalid_pid(pid, from)),
    }
}

/// The PID a pidfile holds, or `None` when there is no such file. A pidfile holds one number
/// and maybe a newline; anything else is refused, since a file that is not a pidfile names no
/// process to signal.
fn read_pidfile(path: &Path, shown: &str) -> Result<Option<i64>, Error> {
    use std::io::Read;

    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::user(format!("cannot read {shown}: {e}"))),
    };
    // 64 bytes hold any PID with room to spare; more is no pidfile.
    let mut bytes = Vec::new();
    file.take(65)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::user(format!("cannot read {shown}: {e}")))?;
    let text = String::from_utf8_lossy(&bytes);
    let trimmed = text.trim();
    let hint = "a pidfile holds the server's PID and nothing else: is this the file the server \
                writes (gunicorn --pid FILE)?";
    if bytes.len() > 64 {
        return Err(Error::user_hint(
            format!("{shown}: not a pidfile: it holds more than a process id"),
            hint,
        ));
    }
    if trimmed.is_empty() {
        return Err(Error::user_hint(
            format!("{shown}:1: the pidfile is empty (a server that is starting or stopping?)"),
            hint,
        ));
    }
    match trimmed.parse::<i64>() {
        Ok(pid) => Ok(Some(pid)),
        Err(_) if is_integer(trimmed) => Err(Error::user_hint(
            format!("{shown}:1: `{trimmed}` is beyond the largest PID"),
            hint,
        )),
        Err(_) => Err(Error::user_hint(
            format!(
                "{shown}:1: not a process id: `{}`",
                trimmed
                    .escape_debug()
                    .to_string()
                    .chars()
                    .take(40)
                    .collect::<String>()
            ),
            hint,
        )),
    }
}

/// An optional `-` and then only ASCII digits.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// When the oldest of `workers` (from [`Server::workers`]) started: since then, every worker
/// runs the plugins as they were then.
pub(crate) fn oldest_start(workers: &[(i32, u64)]) -> Option<SystemTime> {
    #[cfg(target_os = "linux")]
    {
        workers
            .iter()
            .map(|(_, ticks)| *ticks)
            .min()
            .map(process::started_at)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = workers;
        None
    }
}

impl Server {
    /// Send `signal`. Through the pidfd where there is one, so only this very process gets it.
    pub(crate) fn signal(&self, signal: ServerSignal) -> Result<(), Error> {
        #[cfg(target_os = "linux")]
        {
            let sent = match &self.pidfd {
                Some(pidfd) => rustix::process::pidfd_send_signal(pidfd, signal.raw()),
                None => rustix::process::Pid::from_raw(self.pid)
                    .map_or(Err(rustix::io::Errno::SRCH), |pid| {
                        rustix::process::kill_process(pid, signal.raw())
                    }),
            };
            sent.map_err(|e| match e {
                rustix::io::Errno::SRCH => Error::user(format!(
                    "{} (PID {}) exited before {signal} reached it",
                    self.name, self.pid
                )),
                e => Error::user(format!(
                    "cannot send {signal} to {} (PID {}): {e}",
                    self.name, self.pid
                )),
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = signal;
            Err(unsupported())
        }
    }

    /// The server's worker processes (its children), as (PID, start ticks).
    pub(crate) fn workers(&self) -> Result<Vec<(i32, u64)>, Error> {
        #[cfg(target_os = "linux")]
        {
            process::children(self.pid).map_err(|e| Error::user(format!("cannot read /proc: {e}")))
        }
        #[cfg(not(target_os = "linux"))]
        {
            Err(unsupported())
        }
    }

    /// Whether this process (not a later one with its PID) still runs.
    pub(crate) fn is_alive(&self) -> bool {
        #[cfg(target_os = "linux")]
        {
            matches!(process::Process::read(self.pid), Ok(Some(p)) if p.start_ticks == self.start_ticks)
        }
        #[cfg(not(target_os = "linux"))]
        {
            false
        }
    }

    /// Wait until every worker in `before` has exited and as many new ones run: how a gunicorn
    /// master (and uWSGI, granian) reloads. Returns how long it took.
    pub(crate) fn wait_reloaded(
        &self,
        before: &[(i32, u64)],
        signal: ServerSignal,
        timeout: Duration,
        started: Instant,
    ) -> Result<Duration, Error> {
        loop {
            if !self.is_alive() {
                return Err(Error::user_hint(
                    format!("{} (PID {}) exited after {signal}", self.name, self.pid),
                    "see the server's log for why; start it again",
                ));
            }
            let now = self.workers()?;
            let old = now.iter().filter(|w| before.contains(w)).count();
            let new = now.len() - old;
            if old == 0 && new >= before.len() {
                return Ok(started.elapsed());
            }
            if started.elapsed() >= timeout {
                return Err(Error::user_hint(
                    format!(
                        "{} (PID {}) did not reload within {}: {old} of its {} workers from \
                         before {signal} still run, and {new} new ones started",
                        self.name,
                        self.pid,
                        crate::util::time::seconds(timeout),
                        before.len()
                    ),
                    format!(
                        "check that the server reloads on {signal} (gunicorn does on SIGHUP) \
                         and look at its log; a server with slow workers needs a longer --timeout"
                    ),
                ));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_by_name_with_or_without_sig_and_by_number() {
        assert_eq!(ServerSignal::parse("HUP").unwrap(), ServerSignal::HUP);
        assert_eq!(ServerSignal::parse("sighup").unwrap(), ServerSignal::HUP);
        assert_eq!(ServerSignal::parse("USR2").unwrap().name(), "USR2");
        #[cfg(target_os = "linux")]
        assert_eq!(ServerSignal::parse("1").unwrap(), ServerSignal::HUP);
        assert!(ServerSignal::parse("KILL").is_err());
        assert!(ServerSignal::parse("9").is_err());
        assert!(ServerSignal::parse("").is_err());
        assert_eq!(ServerSignal::HUP.to_string(), "SIGHUP");
    }

    #[test]
    fn pids_that_are_no_server_are_refused() {
        for pid in [0, 1, -1, -4242, i64::from(i32::MAX) + 1] {
            assert!(check_range(pid, "--pid").is_err(), "{pid}");
        }
        assert_eq!(check_range(2, "--pid").unwrap(), 2);
    }

    #[test]
    fn pidfiles_hold_one_number() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("server.pid");
        let read = |text: &str| {
            std::fs::write(&file, text).unwrap();
            read_pidfile(&file, "server.pid")
        };
        assert_eq!(read("4242\n").unwrap(), Some(4242));
        assert_eq!(read("  77  ").unwrap(), Some(77));
        assert_eq!(read("-5").unwrap(), Some(-5));
        for garbage in [
            "",
            "\n",
            "12 13",
            "abc",
            "4242x",
            "0x10",
            "1.5",
            "-",
            "99999999999999999999",
        ] {
            let error = read(garbage).unwrap_err().to_string();
            assert!(error.starts_with("server.pid"), "{garbage:?}: {error}");
        }
        assert!(read(&"1".repeat(100)).is_err());
        std::fs::remove_file(&file).unwrap();
        assert_eq!(read_pidfile(&file, "server.pid").unwrap(), None);
    }
}
