//! The running server, seen from outside: which process it is (`--pid`, `--pidfile`, `[host]
//! pidfile`), whether that process really is the server (alive, ours, and called what it must
//! be) before anything is sent to it, the signal itself, waiting until its workers were
//! replaced, and which plugin changes it has not loaded yet (`pending`).
//!
//! Linux only: the checks read `/proc`, and the signal goes through a pidfd opened before the
//! checks, so a PID that is reused meanwhile can never receive it.

#[cfg(target_os = "linux")]
mod kind;
pub(crate) mod pending;
#[cfg(target_os = "linux")]
mod process;

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::error::Domain;

/// Servers whose master pluginkit signals without `--process-name` / `[host] process-name`
/// (each where it reloads on the signal: `kind.rs`).
pub(crate) const WELL_KNOWN: &[&str] = &["gunicorn", "uwsgi", "granian", "uvicorn", "hypercorn"];

/// Why the server cannot be found, checked, signalled or waited for. Each refusal says which
/// process and where its PID came from.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("`{text}` is not a signal pluginkit sends to a server")]
    UnknownSignal { text: String },
    #[error("the server is not running: {shown} does not exist")]
    NoPidfile { shown: String },
    /// No process has the PID given or read; `message` says which and from where.
    #[error("{message}")]
    NoProcess { message: String },
    #[error("refusing to signal PID {pid} (from {from}): {why}")]
    InvalidPid {
        pid: i64,
        from: String,
        why: &'static str,
    },
    #[error(
        "refusing to signal PID {pid} ({description}, from {from}): it belongs to user {owner}, not to you (user {me})"
    )]
    NotYours {
        pid: i32,
        description: String,
        from: String,
        owner: u32,
        me: u32,
    },
    #[error("refusing to signal PID {pid} (from {from}): it is `{description}`, not {wanted}")]
    WrongName {
        pid: i32,
        from: String,
        description: String,
        wanted: String,
        hint: String,
    },
    #[error(
        "refusing to signal PID {pid} (from {from}): it is a worker of the {name} master, PID {master}"
    )]
    Worker {
        pid: i32,
        from: String,
        name: String,
        master: i32,
    },
    /// A server that a signal would stop or that ignores it: it must be restarted.
    #[error(
        "refusing to signal PID {pid} ({kind}, from {from}): this server cannot reload on a signal: restart it"
    )]
    CannotReload {
        pid: i32,
        from: String,
        /// What it is: `one uvicorn process`, `uvicorn --reload`...
        kind: String,
        /// Why, and what to do, from `kind.rs`.
        why: &'static str,
    },
    /// A server that does not act on the signal asked for (it would stop, or ignore it).
    #[error(
        "refusing to send {signal} to {name} (PID {pid}, from {from}): {kind} acts only on {handled}"
    )]
    SignalNotHandled {
        signal: ServerSignal,
        name: String,
        kind: String,
        pid: i32,
        from: String,
        handled: String,
    },
    /// The ID of a thread that is not its process's main thread: `kill` would reach the whole
    /// process, which is another process than the one named.
    #[error(
        "refusing to signal PID {pid} (from {from}): it is a thread of the process {process} (`{description}`), not a process"
    )]
    Thread {
        pid: i32,
        from: String,
        process: i32,
        description: String,
    },
    /// The kernel has pidfds but would not give one for the process: signalling it without one
    /// could reach another process (a thread's, or a later one with the PID).
    #[error("cannot open a pidfd for PID {pid} (from {from}), through which alone it is signalled")]
    Pidfd {
        pid: i32,
        from: String,
        #[source]
        source: io::Error,
    },
    /// What `/proc` (or a pidfile) could not be read: `what` names it.
    #[error("cannot read {what}")]
    Read {
        what: String,
        #[source]
        source: io::Error,
    },
    /// A pidfile that holds no PID.
    #[error("{shown}{problem}")]
    NotAPidfile {
        shown: String,
        problem: PidfileProblem,
    },
    #[error("{name} (PID {pid}) exited before {signal} reached it")]
    ExitedBeforeSignal {
        name: String,
        pid: i32,
        signal: ServerSignal,
    },
    #[error("cannot send {signal} to {name} (PID {pid})")]
    Signal {
        signal: ServerSignal,
        name: String,
        pid: i32,
        #[source]
        source: io::Error,
    },
    #[error("{name} (PID {pid}) exited after {signal}")]
    ExitedAfterSignal {
        name: String,
        pid: i32,
        signal: ServerSignal,
    },
    #[error(
        "{name} (PID {pid}) did not reload within {}: {old} of its {before} workers from before {signal} still run, and {new} new ones started",
        crate::util::time::seconds(*.timeout)
    )]
    NotReloaded {
        name: String,
        pid: i32,
        timeout: Duration,
        old: usize,
        before: usize,
        new: usize,
        signal: ServerSignal,
    },
    /// This system has no way to check a process before signalling it.
    #[cfg(not(target_os = "linux"))]
    #[error("cannot signal the server here: {system}")]
    Unsupported { system: &'static str },
}

impl Domain for Error {
    fn hint(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Error::UnknownSignal { .. } => format!("use one of {}", SIGNALS.join(", ")).into(),
            Error::NoPidfile { .. } => {
                "start the server so that it writes its PID there (gunicorn: --pid FILE), or point [host] pidfile or --pidfile at the file it writes".into()
            }
            Error::NoProcess { .. } => {
                "start the server, or give the PID of the one that runs".into()
            }
            Error::InvalidPid { .. } => {
                "give the server master's own PID: gunicorn writes it with --pid FILE".into()
            }
            Error::NotYours { .. } => "run pluginkit as the user the server runs as".into(),
            Error::WrongName { hint, .. } => hint.as_str().into(),
            Error::Worker { master, .. } => format!("signal the master: --pid {master}").into(),
            Error::CannotReload { why, .. } => (*why).into(),
            Error::SignalNotHandled { kind, .. } => format!(
                "leave out --signal (and [host] signal): {kind} reloads on SIGHUP"
            )
            .into(),
            Error::Thread { process, .. } => format!(
                "a server is signalled by its process's own PID: if process {process} is your server, give --pid {process}, or fix the pidfile that names the thread"
            )
            .into(),
            Error::NotAPidfile { .. } => {
                "a pidfile holds the server's PID and nothing else: is this the file the server writes (gunicorn --pid FILE)?".into()
            }
            Error::ExitedAfterSignal { .. } => {
                "see the server's log for why; start it again".into()
            }
            Error::NotReloaded { signal, .. } => format!(
                "check that the server reloads on {signal} (gunicorn does on SIGHUP) and look at its log; a server with slow workers needs a longer --timeout"
            )
            .into(),
            #[cfg(not(target_os = "linux"))]
            Error::Unsupported { .. } => {
                "restart the server to load the changed plugins".into()
            }
            Error::Read { .. }
            | Error::Pidfd { .. }
            | Error::ExitedBeforeSignal { .. }
            | Error::Signal { .. } => {
                return None;
            }
        })
    }
}

/// What a file that should hold a PID holds instead; shown after the file's name.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PidfileProblem {
    /// A FIFO, a device, a folder: reading it could wait forever or never end.
    #[error(": not a pidfile: it is {0}, not a regular file")]
    NotAFile(&'static str),
    #[error(": not a pidfile: it holds more than a process id")]
    TooLong,
    #[error(":1: the pidfile is empty (a server that is starting or stopping?)")]
    Empty,
    #[error(":1: `{0}` is beyond the largest PID")]
    TooLarge(String),
    /// The start of what it holds, escaped.
    #[error(":1: not a process id: `{0}`")]
    NotANumber(String),
}

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
            .ok_or_else(|| Error::UnknownSignal {
                text: text.to_owned(),
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
    /// Which server it is, where pluginkit knows it (`None`: a process named by
    /// `--process-name` that is none of those, which is signalled as the user says).
    #[cfg(target_os = "linux")]
    kind: Option<kind::Kind>,
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
    Error::Unsupported { system }
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
                    return Ok(Lookup::NotRunning(Error::NoPidfile {
                        shown: shown.clone(),
                    }));
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
            Lookup::NotRunning(Error::NoProcess { message })
        };
        // Opened before the checks: if the process exits and its PID is reused by another
        // after this, the signal fails instead of reaching the other.
        let (pidfd, refused) = match rustix::process::pidfd_open(
            rustix::process::Pid::from_raw(pid)
                .ok_or_else(|| invalid_pid(i64::from(pid), &from))?,
            rustix::process::PidfdFlags::empty(),
        ) {
            Ok(fd) => (Some(fd), None),
            Err(rustix::io::Errno::SRCH) => return Ok(not_running()),
            // Kernels before 5.3 have no pidfd: the checks and the signal (by `kill`) are then
            // as close together as they can be. Only then: any other refusal (a thread's ID gets
            // ENOENT, or EINVAL before Linux 6.9) means `kill` would reach what the kernel
            // would not name.
            Err(rustix::io::Errno::NOSYS) => (None, None),
            Err(e) => (None, Some(e)),
        };
        let Some(found) = Process::read(pid).map_err(|e| read_error(pid, e))? else {
            return Ok(not_running());
        };
        // `/proc` shows threads by their IDs too, with their process's command line and owner.
        if found.tgid != pid {
            return Err(Error::Thread {
                pid,
                from,
                process: found.tgid,
                description: found.describe(),
            });
        }
        if let Some(e) = refused {
            return Err(Error::Pidfd {
                pid,
                from,
                source: e.into(),
            });
        }

        let me = rustix::process::getuid().as_raw();
        let root = rustix::process::geteuid().is_root();
        if found.uid != me && !root {
            return Err(Error::NotYours {
                pid,
                description: found.describe(),
                from,
                owner: found.uid,
                me,
            });
        }

        // What it is: its children tell a supervisor from a lone process (and are read once,
        // here, for that).
        let children = process::children(pid).map_err(|e| read_error(pid, e))?;
        let kind = kind::Kind::identify(&found, &children);
        let name = match &self.expected {
            Expected::Named(name) => found.answers_to(name, false).then(|| name.clone()),
            Expected::WellKnown => kind.map(|kind| kind.name().to_owned()),
        };

        // A worker is not the server, its master is: a gunicorn or granian worker (a fork,
        // with its master's name), a uvicorn or hypercorn worker (a multiprocessing child). Its
        // master may be PID 1, in a container.
        if found.ppid > 0
            && let Ok(Some(parent)) = Process::read(found.ppid)
            && !is_master_title(&found)
        {
            let parent_kind = process::children(parent.pid)
                .ok()
                .and_then(|siblings| kind::Kind::identify(&parent, &siblings));
            let worker_of = match (&name, parent_kind) {
                (_, Some(parent_kind)) if parent_kind.is_worker(&found) => {
                    Some(parent_kind.name().to_owned())
                }
                (Some(name), _)
                    if parent.answers_to(name, matches!(self.expected, Expected::WellKnown)) =>
                {
                    Some(name.clone())
                }
                _ => None,
            };
            if let Some(name) = worker_of {
                return Err(Error::Worker {
                    pid,
                    from,
                    name,
                    master: parent.pid,
                });
            }
        }

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
            return Err(Error::WrongName {
                pid,
                from,
                description: found.describe(),
                wanted,
                hint,
            });
        };

        Ok(Lookup::Running(Server {
            pid,
            name,
            kind,
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
fn read_error(pid: i32, source: std::io::Error) -> Error {
    Error::Read {
        what: format!("/proc/{pid}"),
        source,
    }
}

fn invalid_pid(pid: i64, from: &str) -> Error {
    let why = match pid {
        0 => "0 would signal every process of pluginkit's own process group",
        p if p < 0 => "a negative PID would signal a whole process group",
        _ => "it is beyond the largest PID",
    };
    Error::InvalidPid {
        pid,
        from: from.to_owned(),
        why,
    }
}

/// A PID that names one process: above 0 (0 and negative PIDs name process groups). PID 1 is
/// one like any other here: in a container the server is often PID 1 (`CMD ["gunicorn", ...]`),
/// and it is signalled only once the checks found it to be the server.
fn check_range(pid: i64, from: &str) -> Result<i32, Error> {
    match i32::try_from(pid) {
        Ok(pid) if pid > 0 => Ok(pid),
        _ => Err(invalid_pid(pid, from)),
    }
}

/// The PID a pidfile holds, or `None` when there is no such file. A pidfile holds one number
/// and maybe a newline; anything else is refused, since a file that is not a pidfile names no
/// process to signal.
fn read_pidfile(path: &Path, shown: &str) -> Result<Option<i64>, Error> {
    let refuse = |problem| Error::NotAPidfile {
        shown: shown.to_owned(),
        problem,
    };
    // 64 bytes hold any PID with room to spare; more is no pidfile.
    let bytes = match read_regular(path, 64) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(None),
        Err(Unreadable::NotAFile(kind)) => return Err(refuse(PidfileProblem::NotAFile(kind))),
        Err(Unreadable::TooLarge) => return Err(refuse(PidfileProblem::TooLong)),
        Err(Unreadable::Io(source)) => {
            return Err(Error::Read {
                what: shown.to_owned(),
                source,
            });
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(refuse(PidfileProblem::Empty));
    }
    match trimmed.parse::<i64>() {
        Ok(pid) => Ok(Some(pid)),
        Err(_) if is_integer(trimmed) => Err(refuse(PidfileProblem::TooLarge(trimmed.to_owned()))),
        Err(_) => Err(refuse(PidfileProblem::NotANumber(
            trimmed
                .escape_debug()
                .to_string()
                .chars()
                .take(40)
                .collect(),
        ))),
    }
}

/// Why [`read_regular`] read nothing.
#[derive(Debug)]
pub(crate) enum Unreadable {
    /// What the path is instead of a regular file: `a named pipe (FIFO)`, `a folder`...
    NotAFile(&'static str),
    /// It holds more than the cap.
    TooLarge,
    Io(io::Error),
}

/// The bytes of the regular file at `path` (through links), at most `cap` of them; `None` when
/// there is no such file. Anything else is refused before a byte is read: a FIFO would make the
/// read wait for a writer forever, and a device such as `/dev/zero` never ends. The file is
/// opened without waiting (`O_NONBLOCK`, which a FIFO's open would otherwise do) and judged by
/// what was opened, so it cannot be swapped between the check and the read.
pub(crate) fn read_regular(path: &Path, cap: u64) -> Result<Option<Vec<u8>>, Unreadable> {
    use crate::util::read::{Refused, read_regular_file, refusal};
    match read_regular_file(path, cap) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::IsADirectory => Err(Unreadable::NotAFile("a folder")),
        Err(e) => Err(match refusal(&e) {
            Some(Refused::NotRegular(kind)) => Unreadable::NotAFile(kind),
            Some(Refused::TooLarge { .. }) => Unreadable::TooLarge,
            None => Unreadable::Io(e),
        }),
    }
}

/// `SIGHUP, SIGINT and SIGTERM`.
#[cfg(target_os = "linux")]
fn list(signals: &[&str]) -> String {
    let names: Vec<String> = signals.iter().map(|s| format!("SIG{s}")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
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
    /// Whether `signal` reloads this server: refused, before anything is sent, for a server
    /// that a signal would stop or that ignores it (`kind.rs` says which, from each server's
    /// code). A process named by `--process-name` that pluginkit does not know is signalled as
    /// the user says.
    pub(crate) fn check_signal(&self, signal: ServerSignal) -> Result<(), Error> {
        #[cfg(target_os = "linux")]
        {
            let Some(kind) = self.kind else {
                return Ok(());
            };
            match kind.reloads() {
                kind::Reloads::Never(why) => Err(Error::CannotReload {
                    pid: self.pid,
                    from: self.from.clone(),
                    kind: kind.to_string(),
                    why,
                }),
                reloads @ kind::Reloads::On(handled) if !reloads.acts_on(signal) => {
                    Err(Error::SignalNotHandled {
                        signal,
                        name: self.name.clone(),
                        kind: kind.to_string(),
                        pid: self.pid,
                        from: self.from.clone(),
                        handled: list(handled),
                    })
                }
                kind::Reloads::On(_) => Ok(()),
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = signal;
            Err(unsupported())
        }
    }

    /// Whether it reloads on some signal (false for a server that must be restarted: one
    /// uvicorn process, `uvicorn --reload`...).
    pub(crate) fn reloads_on_a_signal(&self) -> bool {
        #[cfg(target_os = "linux")]
        return !matches!(
            self.kind.map(kind::Kind::reloads),
            Some(kind::Reloads::Never(_))
        );
        #[cfg(not(target_os = "linux"))]
        return false;
    }

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
                rustix::io::Errno::SRCH => Error::ExitedBeforeSignal {
                    name: self.name.clone(),
                    pid: self.pid,
                    signal,
                },
                e => Error::Signal {
                    signal,
                    name: self.name.clone(),
                    pid: self.pid,
                    source: e.into(),
                },
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = signal;
            Err(unsupported())
        }
    }

    /// The server's worker processes, as (PID, start ticks): of a server pluginkit knows, the
    /// children that are its workers (not a helper such as multiprocessing's resource tracker,
    /// which uvicorn's and hypercorn's supervisors also run); of another, all its children.
    pub(crate) fn workers(&self) -> Result<Vec<(i32, u64)>, Error> {
        #[cfg(target_os = "linux")]
        {
            let children = process::children(self.pid).map_err(|source| Error::Read {
                what: "/proc".into(),
                source,
            })?;
            Ok(children
                .iter()
                .filter(|child| self.kind.is_none_or(|kind| kind.is_worker(child)))
                .map(|child| (child.pid, child.start_ticks))
                .collect())
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
                return Err(Error::ExitedAfterSignal {
                    name: self.name.clone(),
                    pid: self.pid,
                    signal,
                });
            }
            let now = self.workers()?;
            let old = now.iter().filter(|w| before.contains(w)).count();
            let new = now.len() - old;
            if old == 0 && new >= before.len() {
                return Ok(started.elapsed());
            }
            if started.elapsed() >= timeout {
                return Err(Error::NotReloaded {
                    name: self.name.clone(),
                    pid: self.pid,
                    timeout,
                    old,
                    before: before.len(),
                    new,
                    signal,
                });
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
        for pid in [0, -1, -4242, i64::from(i32::MAX) + 1] {
            assert!(check_range(pid, "--pid").is_err(), "{pid}");
        }
        assert_eq!(check_range(1, "--pid").unwrap(), 1);
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

    #[cfg(target_os = "linux")]
    #[test]
    fn a_threads_id_is_refused_naming_its_process() {
        let (told, tid) = std::sync::mpsc::channel();
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            // `/proc/thread-self` leads to `PID/task/TID`.
            let me = std::fs::read_link("/proc/thread-self").unwrap();
            let tid: i64 = me.file_name().unwrap().to_str().unwrap().parse().unwrap();
            told.send(tid).unwrap();
            let _ = stopped.recv();
        });
        let tid = tid.recv().unwrap();
        let spec = ServerSpec {
            source: PidSource::Pid(tid),
            expected: Expected::Named("anything".into()),
            signal: ServerSignal::HUP,
        };
        let error = spec.find().unwrap_err();
        let me = i32::try_from(std::process::id()).unwrap();
        assert!(
            matches!(error, Error::Thread { process, .. } if process == me),
            "{error:?}"
        );
        assert!(error.hint().unwrap().contains(&format!("--pid {me}")));
        drop(stop);
        thread.join().unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn only_regular_files_are_read_and_never_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.pid");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let link = dir.path().join("link.pid");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        for (path, is) in [
            (fifo.as_path(), "a named pipe (FIFO)"),
            (link.as_path(), "a named pipe (FIFO)"),
            (Path::new("/dev/zero"), "a device"),
            (dir.path(), "a folder"),
        ] {
            let error = read_pidfile(path, "server.pid").unwrap_err().to_string();
            assert_eq!(
                error,
                format!("server.pid: not a pidfile: it is {is}, not a regular file"),
                "{}",
                path.display()
            );
        }
        let big = dir.path().join("big");
        std::fs::write(&big, [b'7'; 100]).unwrap();
        assert!(matches!(read_regular(&big, 99), Err(Unreadable::TooLarge)));
        assert_eq!(read_regular(&big, 100).unwrap().unwrap().len(), 100);
    }
}
