//! What Linux's `/proc` says about a process: the names it goes by, its owner, its parent, its
//! start time and its children. `reload` reads these to decide whether a PID really is the
//! server before anything is sent to it, and `--wait` to see its workers replaced.

use std::fs;
use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A running process, as `/proc/PID` showed it when read.
#[derive(Debug, Clone)]
pub(crate) struct Process {
    pub(crate) pid: i32,
    /// The parent's PID.
    pub(crate) ppid: i32,
    /// `/proc/PID/comm`: the kernel's name, at most 15 bytes.
    pub(crate) comm: String,
    /// The file name of the executable (`/proc/PID/exe`), when it can be read.
    pub(crate) exe: Option<String>,
    /// The command line, or the title a server set with setproctitle (one string then).
    pub(crate) args: Vec<String>,
    /// The real user id.
    pub(crate) uid: u32,
    /// The thread group's ID: the PID of the process this thread belongs to. A process's own
    /// PID is its `tgid`; any other thread of it has an ID of its own, which `/proc` also shows
    /// (a signal sent to that ID with `kill` reaches the whole process).
    pub(crate) tgid: i32,
    /// Clock ticks from boot to the start; with the PID, this tells one process from a later
    /// one that got the same PID.
    pub(crate) start_ticks: u64,
    /// Its environment as given instead of `/proc/PID/environ` (tests); `None`: read that.
    pub(crate) environ: Option<Vec<(String, String)>>,
}

impl Process {
    /// The process `pid`, or `None` when there is none (or only its zombie).
    pub(crate) fn read(pid: i32) -> io::Result<Option<Process>> {
        let dir = Path::new("/proc").join(pid.to_string());
        let stat = match fs::read_to_string(dir.join("stat")) {
            Ok(stat) => stat,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let Some(stat) = Stat::parse(&stat) else {
            return Err(io::Error::other(format!(
                "/proc/{pid}/stat is not in the form Linux writes"
            )));
        };
        if stat.state == 'Z' || stat.state == 'X' {
            return Ok(None);
        }
        // The other files vanish if the process exits meanwhile; a process that did is gone.
        let Some(comm) = unless_gone(fs::read_to_string(dir.join("comm")))? else {
            return Ok(None);
        };
        let comm = comm.trim_end_matches('\n').to_owned();
        let Some(status) = unless_gone(fs::read_to_string(dir.join("status")))? else {
            return Ok(None);
        };
        let uid = status
            .lines()
            .find_map(|line| line.strip_prefix("Uid:"))
            .and_then(|uids| uids.split_whitespace().next())
            .and_then(|real| real.parse().ok())
            .ok_or_else(|| io::Error::other(format!("/proc/{pid}/status has no Uid line")))?;
        let tgid = status
            .lines()
            .find_map(|line| line.strip_prefix("Tgid:"))
            .and_then(|tgid| tgid.trim().parse().ok())
            .ok_or_else(|| io::Error::other(format!("/proc/{pid}/status has no Tgid line")))?;
        let Some(cmdline) = unless_gone(fs::read(dir.join("cmdline")))? else {
            return Ok(None);
        };
        let args = split_cmdline(&cmdline);
        // Unreadable for other users' processes, which are refused before this matters.
        let exe = fs::read_link(dir.join("exe")).ok().and_then(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            // A replaced executable reads as "python3.11 (deleted)".
            Some(name.trim_end_matches(" (deleted)").to_owned())
        });
        Ok(Some(Process {
            pid,
            ppid: stat.ppid,
            comm,
            exe,
            args,
            uid,
            tgid,
            start_ticks: stat.start_ticks,
            environ: None,
        }))
    }

    /// A process that only has a command line, for tests.
    #[cfg(test)]
    pub(crate) fn for_tests(args: &[&str]) -> Process {
        let first = args
            .first()
            .map_or("", |a| file_name(a.split(' ').next().unwrap_or(a)));
        Process {
            pid: 10,
            ppid: 1,
            comm: first.chars().take(15).collect(),
            exe: Some(first.to_owned()),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            uid: 0,
            tgid: 10,
            start_ticks: 0,
            environ: Some(Vec::new()),
        }
    }

    /// The value of the variable `name` in the environment the process started with
    /// (`/proc/PID/environ`), where it can be read: a server reads some settings from there.
    pub(crate) fn environ_var(&self, name: &str) -> Option<String> {
        if let Some(environ) = &self.environ {
            return environ
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone());
        }
        let bytes = fs::read(
            Path::new("/proc")
                .join(self.pid.to_string())
                .join("environ"),
        )
        .ok()?;
        bytes.split(|&b| b == 0).find_map(|entry| {
            let entry = String::from_utf8_lossy(entry);
            let (key, value) = entry.split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
    }

    /// Whether this is a child that Python's `multiprocessing` started with its spawn method
    /// (`python -c "from multiprocessing.spawn import spawn_main; ..." --multiprocessing-fork`):
    /// how uvicorn and hypercorn start their workers. Multiprocessing's other helpers (the
    /// resource tracker, the forkserver) run other code.
    pub(crate) fn is_spawn_child(&self) -> bool {
        self.args.iter().any(|a| a == "--multiprocessing-fork")
            && self
                .args
                .iter()
                .any(|a| a.contains("multiprocessing.spawn") && a.contains("spawn_main"))
    }

    /// The names this process answers to, in the order a message shows them: the kernel's
    /// name, a setproctitle title's first word, the executable's file name, and for an
    /// interpreter the script or module it runs (`python3 venv/bin/gunicorn` is gunicorn).
    pub(crate) fn names(&self) -> Vec<String> {
        let mut names = vec![self.comm.clone()];
        if let Some(title) = self.title() {
            names.push(title_word(&title).to_owned());
        }
        if let Some(exe) = &self.exe {
            names.push(exe.clone());
        }
        if let Some(first) = self.args.first() {
            names.push(file_name(first.split(' ').next().unwrap_or(first)).to_owned());
        }
        if let Some(script) = self.script() {
            names.push(script);
        }
        names.retain(|name| !name.is_empty());
        let mut seen = Vec::new();
        names.retain(|name| {
            let new = !seen.contains(name);
            seen.push(name.clone());
            new
        });
        names
    }

    /// Whether `wanted` is one of this process's names. The kernel cuts its name to 15 bytes,
    /// so a longer `wanted` also matches a 15-byte name it starts with.
    pub(crate) fn answers_to(&self, wanted: &str, ignore_case: bool) -> bool {
        let same = |name: &str| {
            if ignore_case {
                name.eq_ignore_ascii_case(wanted)
            } else {
                name == wanted
            }
        };
        self.names().iter().any(|name| same(name))
            || (self.comm.len() == 15 && wanted.len() > 15 && wanted.starts_with(&self.comm))
    }

    /// A title set with setproctitle: the command line as one string holding spaces, such as
    /// `gunicorn: master [app:app]`.
    pub(crate) fn title(&self) -> Option<String> {
        match self.args.as_slice() {
            [one] if one.contains(' ') => Some(one.clone()),
            _ => None,
        }
    }

    /// How the process shows in messages: its title, else its command line, else its name; on
    /// one line (an argument may hold line breaks: `python3 -c "..."`).
    pub(crate) fn describe(&self) -> String {
        let line: String = self
            .args
            .join(" ")
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let line = if line.is_empty() {
            self.comm.clone()
        } else {
            line
        };
        if line.chars().count() > 80 {
            let cut: String = line.chars().take(77).collect();
            format!("{cut}...")
        } else {
            line
        }
    }

    /// The script or module an interpreter runs: `python3 /venv/bin/gunicorn app:app` runs
    /// gunicorn, `python -m uvicorn main:app` runs uvicorn.
    fn script(&self) -> Option<String> {
        let interpreter = self
            .exe
            .as_deref()
            .or_else(|| self.args.first().map(|a| file_name(a)))?;
        if !["python", "pypy"]
            .iter()
            .any(|p| interpreter.starts_with(p))
        {
            return None;
        }
        let mut args = self.args.iter().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "-m" => return args.next().cloned(),
                "-c" => return None,
                // Options that take a value: skip it too.
                "-W" | "-X" | "--check-hash-based-pycs" => {
                    args.next();
                }
                option if option.starts_with('-') => {}
                script => return Some(file_name(script).to_owned()),
            }
        }
        None
    }

    /// When the process started, from its start in clock ticks after boot and the time since
    /// boot now (CLOCK_BOOTTIME, the clock the kernel counts start times in).
    pub(crate) fn started(&self) -> SystemTime {
        started_at(self.start_ticks)
    }
}

/// The wall-clock time of `ticks` after boot.
pub(crate) fn started_at(ticks: u64) -> SystemTime {
    let per_second = rustix::param::clock_ticks_per_second().max(1);
    let since_boot = Duration::from_secs(ticks / per_second)
        + Duration::from_nanos((ticks % per_second) * 1_000_000_000 / per_second);
    let now = SystemTime::now();
    let Ok(boot) = rustix::time::clock_gettime_dynamic(rustix::time::DynamicClockId::Known(
        rustix::time::ClockId::Boottime,
    )) else {
        return now;
    };
    let uptime = Duration::new(
        u64::try_from(boot.tv_sec).unwrap_or(0),
        u32::try_from(boot.tv_nsec).unwrap_or(0),
    );
    now - uptime.saturating_sub(since_boot)
}

/// The living children of `pid`, each as [`Process::read`] shows it (one that exits meanwhile
/// is left out).
pub(crate) fn children(pid: i32) -> io::Result<Vec<Process>> {
    let mut children = Vec::new();
    for (child, _) in child_pids(pid)? {
        if let Some(process) = Process::read(child)?
            && process.ppid == pid
        {
            children.push(process);
        }
    }
    Ok(children)
}

/// The living children of `pid`, as (PID, start ticks).
fn child_pids(pid: i32) -> io::Result<Vec<(i32, u64)>> {
    let mut children = Vec::new();
    for entry in fs::read_dir("/proc")? {
        let entry = entry?;
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<i32>().ok())
        else {
            continue;
        };
        // A process that exits while the folder is read has no stat file any more.
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        if let Some(stat) = Stat::parse(&stat)
            && stat.ppid == pid
            && stat.state != 'Z'
            && stat.state != 'X'
        {
            children.push((child, stat.start_ticks));
        }
    }
    children.sort_unstable();
    Ok(children)
}

/// The fields of `/proc/PID/stat` that pluginkit reads.
struct Stat {
    state: char,
    ppid: i32,
    start_ticks: u64,
}

impl Stat {
    /// `PID (COMM) STATE PPID ... STARTTIME ...`; COMM may hold spaces and parentheses, so the
    /// fields start after the last `)`.
    fn parse(stat: &str) -> Option<Stat> {
        let rest = &stat[stat.rfind(')')? + 1..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // Field 3 of proc(5) is fields[0]; starttime is field 22.
        Some(Stat {
            state: fields.first()?.chars().next()?,
            ppid: fields.get(1)?.parse().ok()?,
            start_ticks: fields.get(19)?.parse().ok()?,
        })
    }
}

/// `None` for a file that is not there (its process exited).
fn unless_gone<T>(read: io::Result<T>) -> io::Result<Option<T>> {
    match read {
        Ok(value) => Ok(Some(value)),
        Err(e)
            if e.kind() == io::ErrorKind::NotFound
                || e.raw_os_error() == Some(rustix::io::Errno::SRCH.raw_os_error()) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn split_cmdline(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|&b| b == 0)
        .map(|arg| String::from_utf8_lossy(arg).into_owned())
        .filter(|arg| !arg.is_empty())
        .collect()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `gunicorn: master [app:app]` → `gunicorn`; `uWSGI master` → `uWSGI`.
fn title_word(title: &str) -> &str {
    let word = title.split_whitespace().next().unwrap_or("");
    word.trim_end_matches(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_after_a_name_with_parentheses_and_spaces() {
        let stat = "4242 (gunicorn: (x) y) S 17 4242 4242 0 -1 4194560 2519 0 0 0 10 3 0 0 20 0 \
                    1 0 987654 23412736 5120 18446744073709551615";
        let stat = Stat::parse(stat).unwrap();
        assert_eq!(stat.state, 'S');
        assert_eq!(stat.ppid, 17);
        assert_eq!(stat.start_ticks, 987654);
        assert!(Stat::parse("12 (cut").is_none());
    }

    fn process(comm: &str, exe: &str, args: &[&str]) -> Process {
        Process {
            pid: 10,
            ppid: 1,
            comm: comm.into(),
            exe: Some(exe.into()),
            args: args.iter().map(|a| a.to_string()).collect(),
            uid: 1000,
            tgid: 10,
            start_ticks: 0,
            environ: None,
        }
    }

    #[test]
    fn a_server_is_known_by_its_title_its_script_or_its_module() {
        let titled = process("gunicorn", "python3.11", &["gunicorn: master [app:app]"]);
        assert!(titled.answers_to("gunicorn", false));
        assert_eq!(
            titled.title().as_deref(),
            Some("gunicorn: master [app:app]")
        );

        let script = process(
            "python3",
            "python3.11",
            &["/v/bin/python3", "-u", "/v/bin/gunicorn", "app:app"],
        );
        assert!(script.answers_to("gunicorn", false));
        assert!(script.answers_to("python3.11", false));
        assert!(!script.answers_to("uvicorn", false));

        let module = process(
            "python",
            "python3.11",
            &["python", "-m", "uvicorn", "main:app"],
        );
        assert!(module.answers_to("uvicorn", false));
        assert!(!module.answers_to("main:app", false));

        let inline = process("python", "python3.11", &["python", "-c", "import gunicorn"]);
        assert!(!inline.answers_to("gunicorn", false));

        let sleep = process("sleep", "sleep", &["sleep", "gunicorn"]);
        assert!(!sleep.answers_to("gunicorn", false), "{:?}", sleep.names());
    }

    #[test]
    fn a_long_name_matches_the_kernels_cut_name() {
        let long = process("my-long-server-", "other", &[]);
        assert!(long.answers_to("my-long-server-name", false));
        assert!(!long.answers_to("my-long-server", false));
        assert!(process("uWSGI", "uwsgi", &[]).answers_to("UWSGI", true));
        assert!(!process("uWSGI", "x", &[]).answers_to("UWSGI", false));
    }
}
