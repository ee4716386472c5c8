//! The test host harness, modelled on uv's `TestContext` (crates/uv/tests/it/common/mod.rs):
//! each test gets a temp folder of its own, with a HOME and a download cache beside it, and runs
//! the real `pluginkit` binary through [`Pluginkit`], the one place that makes a pluginkit
//! process. That place gives the child a clean environment, so nothing of the developer's or the
//! CI machine's settings leaks in: every `PLUGINKIT_*`, `GIT_*` and `XDG_*` variable is removed,
//! and so are `CI`, the colour switches, `COLUMNS`, `NETRC`, the SSH agent, proxies and
//! `SOURCE_DATE_EPOCH`; `NO_COLOR` and `RUST_BACKTRACE=0` are set; `HOME`, the XDG folders,
//! git's global configuration and pluginkit's cache (`PLUGINKIT_CACHE_DIR`) point into the test's
//! temp folder, and git's system configuration is off (cargo's and rustup's homes stay where they
//! are, for the `cargo` that crate plugins need). A test then sets what it is about with
//! [`Pluginkit::env`]: `CI`, a token, a timeout.
//!
//! A run gives an [`Outcome`]: the exit code, stdout and stderr. [`Outcome::snapshot`] renders the
//! three together for insta, with the test's temp folders, and whatever else the test names with
//! [`TestContext::filter`] (a server's address, a PID) or [`TestContext::filter_regex`] (a time
//! taken), replaced by placeholders.
//!
//! The same builder also runs pluginkit in the background ([`Pluginkit::spawn`]), stopped at a
//! step of its transaction ([`Pluginkit::pause_at`]), under another program such as `setpriv`,
//! `/usr/bin/time` or a pseudo-terminal driver ([`Pluginkit::wrapped_in`]), or as a copy of the
//! binary ([`Pluginkit::binary`]). `PLUGINKIT_TEST_BINARY=PATH` in the test's environment runs
//! another build instead of cargo's (`cargo test --test it lock_scope::` against an older
//! release shows which tests it fails).

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

use regex::Regex;
use serde_json::Value;

/// How long one run may take before the test fails (instead of hanging CI): far more than any
/// pluginkit command takes here, even on a busy machine.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// The binary under test: as cargo built it for this test target, or the one
/// `PLUGINKIT_TEST_BINARY` names (to run the tests against another build, such as an earlier
/// version's, to see which of them it fails).
pub fn pluginkit_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        std::env::var_os("PLUGINKIT_TEST_BINARY")
            .filter(|path| !path.is_empty())
            .map_or_else(
                || PathBuf::from(env!("CARGO_BIN_EXE_pluginkit")),
                PathBuf::from,
            )
    })
}

/// One test's world: a temp folder `root` where pluginkit runs unless told otherwise (tests build
/// their hosts, plugins, repositories and registries in it), and beside it the `home` and the
/// download `cache` pluginkit is given. Clones share the folders, which are removed when the
/// last clone is dropped.
#[derive(Clone)]
pub struct TestContext {
    inner: Arc<Inner>,
}

struct Inner {
    /// Holds the folders below; removes them when dropped.
    _temp: tempfile::TempDir,
    root: PathBuf,
    home: PathBuf,
    cache: PathBuf,
    /// What snapshots show otherwise.
    filters: Mutex<Vec<Filter>>,
}

impl TestContext {
    pub fn new() -> TestContext {
        let temp = tempfile::tempdir().expect("a temp folder");
        // The canonical path, which is what pluginkit prints (/tmp is a link on some systems).
        let base = temp
            .path()
            .canonicalize()
            .expect("the temp folder has a canonical path");
        let root = base.join("root");
        let home = base.join("home");
        let cache = base.join("cache");
        for dir in [&root, &home, &cache] {
            std::fs::create_dir_all(dir).expect("create the test's folders");
        }
        let filters = vec![
            Filter::exact(display(&root), "[ROOT]"),
            Filter::exact(display(&home), "[HOME]"),
            Filter::exact(display(&cache), "[CACHE]"),
            Filter::exact(display(&base), "[TEMP]"),
        ];
        TestContext {
            inner: Arc::new(Inner {
                _temp: temp,
                root,
                home,
                cache,
                filters: Mutex::new(filters),
            }),
        }
    }

    /// The test's folder, where pluginkit runs by default.
    pub fn root(&self) -> &Path {
        &self.inner.root
    }

    /// `rel` under [`root`](Self::root).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// The `HOME` pluginkit (and git under it) sees: empty unless the test writes there.
    pub fn home(&self) -> &Path {
        &self.inner.home
    }

    /// pluginkit's download cache (`PLUGINKIT_CACHE_DIR`), shared by every run of the test.
    pub fn cache_dir(&self) -> &Path {
        &self.inner.cache
    }

    /// Show `value` as `placeholder` in snapshots: a server's address, a PID, a checksum. Only
    /// that exact value is replaced, so a wrong one still shows.
    pub fn filter(&self, value: impl Into<String>, placeholder: impl Into<String>) {
        let value = value.into();
        assert!(!value.is_empty(), "an empty filter would match everywhere");
        self.push_filter(Filter::exact(value, placeholder));
    }

    /// Show every match of `pattern` as `replacement` (which may use `$1`) in snapshots, for what
    /// differs from run to run, such as a time taken. Make the pattern name the words around the
    /// value, so that it hides nothing else.
    pub fn filter_regex(&self, pattern: &str, replacement: &str) {
        let regex = Regex::new(pattern).unwrap_or_else(|e| panic!("filter {pattern:?}: {e}"));
        self.push_filter(Filter::Pattern(regex, replacement.to_owned()));
    }

    fn push_filter(&self, filter: Filter) {
        self.inner.filters.lock().expect("the filters").push(filter);
    }

    /// A pluginkit run in [`root`](Self::root), to add arguments and settings to.
    pub fn pluginkit(&self) -> Pluginkit {
        Pluginkit {
            context: self.clone(),
            program: pluginkit_binary().to_path_buf(),
            wrapper: Vec::new(),
            args: Vec::new(),
            dir: self.root().to_path_buf(),
            env: Vec::new(),
            stdin: None,
            stdout: None,
            stderr: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Run `pluginkit ARGS` in [`root`](Self::root): (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.pluginkit().args(args).run()
    }

    /// Run `pluginkit ARGS` in `dir`: (exit code, stdout, stderr).
    pub fn run_in(&self, dir: &Path, args: &[&str]) -> (i32, String, String) {
        self.pluginkit().current_dir(dir).args(args).run()
    }

    /// Run in [`root`](Self::root) and parse stdout as JSON: (exit code, document).
    pub fn run_json(&self, args: &[&str]) -> (i32, Value) {
        self.pluginkit().args(args).run_json()
    }

    /// Run in `dir` and parse stdout as JSON: (exit code, document).
    pub fn run_json_in(&self, dir: &Path, args: &[&str]) -> (i32, Value) {
        self.pluginkit().current_dir(dir).args(args).run_json()
    }

    /// Run in [`root`](Self::root), and render the outcome for a snapshot.
    pub fn run_snapshot(&self, args: &[&str]) -> String {
        self.pluginkit().args(args).output().snapshot()
    }

    /// Run in [`root`](Self::root), and render it as [`Pluginkit::transcript`] does.
    pub fn run_transcript(&self, args: &[&str]) -> String {
        self.pluginkit().args(args).transcript()
    }

    /// `text` with the test's temp folders and every [`filter`](Self::filter)ed value replaced, as
    /// in snapshots: for a line a test adds to one.
    pub fn filtered(&self, text: &str) -> String {
        apply(&self.filters(), text)
    }

    fn filters(&self) -> Vec<Filter> {
        let mut filters = self.inner.filters.lock().expect("the filters").clone();
        // Exact values first, the longest first, so that a folder is replaced before the folder
        // it is in; then the patterns, in the order given.
        filters.sort_by_key(|filter| match filter {
            Filter::Exact(value, _) => (0, std::cmp::Reverse(value.len())),
            Filter::Pattern(..) => (1, std::cmp::Reverse(0)),
        });
        filters
    }
}

/// What a snapshot shows in place of something else.
#[derive(Clone, Debug)]
enum Filter {
    /// This exact text, and its placeholder.
    Exact(String, String),
    /// Every match, and its replacement.
    Pattern(Regex, String),
}

impl Filter {
    fn exact(value: impl Into<String>, placeholder: impl Into<String>) -> Filter {
        Filter::Exact(value.into(), placeholder.into())
    }
}

/// Apply each filter, in order.
fn apply(filters: &[Filter], text: &str) -> String {
    filters
        .iter()
        .fold(text.to_owned(), |text, filter| match filter {
            Filter::Exact(value, placeholder) => text.replace(value.as_str(), placeholder),
            Filter::Pattern(regex, replacement) => {
                regex.replace_all(&text, replacement.as_str()).into_owned()
            }
        })
}

fn display(path: &Path) -> String {
    path.to_str().expect("a UTF-8 temp path").to_owned()
}

/// Variables removed from every child's environment, besides every `PLUGINKIT_*`, `GIT_*` and
/// `XDG_*` one: whatever would change what pluginkit does or prints.
const LEAKS: &[&str] = &[
    "CI",
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "FORCE_COLOR",
    "COLUMNS",
    "LINES",
    "RUST_BACKTRACE",
    "RUST_LIB_BACKTRACE",
    "SOURCE_DATE_EPOCH",
    "NETRC",
    "SSH_ASKPASS",
    "SSH_AUTH_SOCK",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

fn leaks(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    // GITHUB_: a test run inside GitHub Actions must not make paths relative to its workspace.
    ["PLUGINKIT_", "GIT_", "GITHUB_", "XDG_"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        || LEAKS.contains(&name)
}

/// Where cargo and rustup keep their toolchains, which a new `HOME` would hide from a `cargo`
/// that pluginkit runs for a crate plugin: the developer's, as before the test.
fn toolchain_homes() -> [(&'static str, Option<PathBuf>); 2] {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let dir = |var: &str, default: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(default)))
    };
    [
        ("CARGO_HOME", dir("CARGO_HOME", ".cargo")),
        ("RUSTUP_HOME", dir("RUSTUP_HOME", ".rustup")),
    ]
}

/// One pluginkit run being set up: arguments, folder, environment, and how it is run.
#[must_use = "a Pluginkit does nothing until it is run"]
pub struct Pluginkit {
    context: TestContext,
    program: PathBuf,
    /// A program, and its arguments, that pluginkit runs under.
    wrapper: Vec<OsString>,
    args: Vec<OsString>,
    dir: PathBuf,
    /// Set (`Some`) or removed (`None`) after the clean environment, in order.
    env: Vec<(OsString, Option<OsString>)>,
    stdin: Option<Vec<u8>>,
    stdout: Option<Stdio>,
    stderr: Option<Stdio>,
    timeout: Duration,
}

impl Pluginkit {
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Pluginkit {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Pluginkit
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Run in `dir` instead of the test's root.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Pluginkit {
        self.dir = dir.as_ref().to_path_buf();
        self
    }

    /// Set a variable for this run, over the clean environment.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Pluginkit {
        self.env
            .push((key.as_ref().to_owned(), Some(value.as_ref().to_owned())));
        self
    }

    /// Set each `(key, value)`.
    pub fn envs(mut self, vars: &[(&str, &str)]) -> Pluginkit {
        for (key, value) in vars {
            self = self.env(key, value);
        }
        self
    }

    /// Remove a variable the clean environment sets (`NO_COLOR`, `HOME`, `CARGO`...).
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Pluginkit {
        self.env.push((key.as_ref().to_owned(), None));
        self
    }

    /// Stop at a named step of the transaction (`PLUGINKIT_TEST_PAUSE_AT`): pluginkit prints
    /// `pluginkit: paused at STEP` on stderr and stops there (SIGSTOP), for a test to kill it
    /// or let it go on ([`spawn_paused`](Self::spawn_paused)).
    pub fn pause_at(self, step: &str) -> Pluginkit {
        self.env("PLUGINKIT_TEST_PAUSE_AT", step)
    }

    /// Feed `bytes` to stdin (else stdin is empty: never the test's own, never a terminal).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Pluginkit {
        self.stdin = Some(bytes.into());
        self
    }

    /// Where stdout goes when [`spawn`](Self::spawn)ed (piped unless set).
    pub fn stdout(mut self, stdout: Stdio) -> Pluginkit {
        self.stdout = Some(stdout);
        self
    }

    /// Where stderr goes when [`spawn`](Self::spawn)ed (piped unless set).
    pub fn stderr(mut self, stderr: Stdio) -> Pluginkit {
        self.stderr = Some(stderr);
        self
    }

    /// Fail the test when the run takes longer than this (two minutes unless set).
    pub fn timeout(mut self, timeout: Duration) -> Pluginkit {
        self.timeout = timeout;
        self
    }

    /// Run this copy of the pluginkit binary instead of cargo's (for another user, who cannot
    /// read the build folder).
    pub fn binary(mut self, program: impl AsRef<Path>) -> Pluginkit {
        self.program = program.as_ref().to_path_buf();
        self
    }

    /// Run pluginkit under `program`: `program ARGS... pluginkit PLUGINKIT-ARGS...` (`setpriv`,
    /// `/usr/bin/time`, a pseudo-terminal driver). The exit code and output are then the
    /// wrapper's.
    pub fn wrapped_in<I, S>(mut self, program: impl AsRef<OsStr>, args: I) -> Pluginkit
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.wrapper = std::iter::once(program.as_ref().to_owned())
            .chain(args.into_iter().map(|a| a.as_ref().to_owned()))
            .collect();
        self
    }

    /// The process, in the clean environment: the one place a pluginkit process is made.
    fn command(&mut self) -> Command {
        let mut cmd = match self.wrapper.split_first() {
            Some((wrapper, wrapper_args)) => {
                let mut cmd = Command::new(wrapper);
                cmd.args(wrapper_args).arg(&self.program);
                cmd
            }
            None => Command::new(&self.program),
        };
        cmd.args(&self.args).current_dir(&self.dir);
        for (name, _) in std::env::vars_os() {
            if leaks(&name) {
                cmd.env_remove(name);
            }
        }
        let home = self.context.home();
        cmd.env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("PLUGINKIT_CACHE_DIR", self.context.cache_dir())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
            .env("GIT_TERMINAL_PROMPT", "0")
            // The tests' servers are on 127.0.0.1: never through a proxy.
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost");
        for (name, dir) in toolchain_homes() {
            if let Some(dir) = dir {
                cmd.env(name, dir);
            }
        }
        for (key, value) in &self.env {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
        cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        cmd.stdout(self.stdout.take().unwrap_or_else(Stdio::piped));
        cmd.stderr(self.stderr.take().unwrap_or_else(Stdio::piped));
        cmd
    }

    /// Start it in the background (stdin empty, stdout and stderr piped unless set); the test
    /// waits for it, reads it or kills it.
    pub fn spawn(mut self) -> Child {
        let mut cmd = self.command();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
        if let Some(bytes) = self.stdin.take() {
            let mut stdin = child.stdin.take().expect("stdin is piped");
            std::thread::spawn(move || {
                let _ = stdin.write_all(&bytes);
            });
        }
        child
    }

    /// Run it to the end: exit code, stdout and stderr. Fails the test when it is ended by a
    /// signal or outlives its timeout.
    pub fn output(self) -> Outcome {
        self.start().finish()
    }

    /// Start it in the background, its output collected: the test goes on, then
    /// [`finish`](Running::finish)es it.
    pub fn start(self) -> Running {
        self.start_watching(None).0
    }

    /// Start it in the background stopped at `step` ([`pause_at`](Self::pause_at)): returns once
    /// it says it paused there, for the test to [`kill`](Running::kill) it or let it
    /// [`resume`](Running::resume). Fails the test when it ends first, or does not get there
    /// within its timeout.
    pub fn spawn_paused(self, step: &str) -> Running {
        let line = format!("pluginkit: paused at {step}");
        let (running, paused) = self.pause_at(step).start_watching(Some(line));
        let paused = paused.expect("a line is watched for");
        if paused.recv_timeout(running.timeout).is_err() {
            let shown = running.shown.clone();
            let stderr = running.kill_if_running().stderr;
            panic!("{shown} never paused at {step}:\n{stderr}");
        }
        // The line comes just before the run stops itself: a SIGCONT sent in between would be
        // lost and leave it stopped for good, so wait until it is stopped.
        let deadline = Instant::now() + running.timeout;
        while !running.is_stopped() {
            if Instant::now() > deadline {
                let shown = running.shown.clone();
                let stderr = running.kill_if_running().stderr;
                panic!("{shown} said it paused at {step} but never stopped:\n{stderr}");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        running
    }

    /// Start it, and tell on the channel returned when stderr shows a line containing `line`.
    fn start_watching(mut self, line: Option<String>) -> (Running, Option<mpsc::Receiver<()>>) {
        self.stdout = None;
        self.stderr = None;
        let timeout = self.timeout;
        let filters = self.context.filters();
        let shown = format!("pluginkit {:?} in {}", self.args, self.dir.display());
        let mut child = self.spawn();
        // Each pipe is read to its end on a thread of its own (so a full pipe never blocks the
        // child), which says when it is done: both done is the child ending.
        let (done, finished) = mpsc::channel();
        let stdout = drain(child.stdout.take().expect("stdout is piped"), done.clone());
        let stderr_pipe = child.stderr.take().expect("stderr is piped");
        let (stderr, seen) = match line {
            None => (drain(stderr_pipe, done), None),
            Some(line) => {
                let (tell, seen) = mpsc::channel();
                (drain_watching(stderr_pipe, done, line, tell), Some(seen))
            }
        };
        let running = Running {
            child,
            shown,
            timeout,
            finished,
            stdout: Some(stdout),
            stderr: Some(stderr),
            filters,
        };
        (running, seen)
    }

    /// [`output`](Self::output) as (exit code, stdout, stderr).
    pub fn run(self) -> (i32, String, String) {
        self.output().parts()
    }

    /// Run, and render the command line (`$ pluginkit ARGS`) and then the outcome's snapshot,
    /// filtered alike: several of them make a snapshot that reads like a terminal session.
    pub fn transcript(self) -> String {
        let line = self
            .args
            .iter()
            .map(|arg| arg.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ");
        let line = self.context.filtered(&format!("$ pluginkit {line}"));
        format!("{line}\n{}\n", self.output().snapshot())
    }

    /// Run, and parse stdout as JSON: (exit code, document).
    pub fn run_json(self) -> (i32, Value) {
        let outcome = self.output();
        (outcome.code, outcome.json())
    }
}

/// A pluginkit run in the background ([`Pluginkit::start`], [`Pluginkit::spawn_paused`]), its
/// output collected; killed if dropped unfinished, so a test that fails halfway leaves no
/// process behind.
pub struct Running {
    child: Child,
    shown: String,
    timeout: Duration,
    /// Told once per pipe read to its end.
    finished: mpsc::Receiver<()>,
    stdout: Option<std::thread::JoinHandle<Vec<u8>>>,
    stderr: Option<std::thread::JoinHandle<Vec<u8>>>,
    filters: Vec<Filter>,
}

impl Running {
    /// Wait for it to end (within its timeout, counted from now): exit code, stdout and
    /// stderr. Fails the test when it is ended by a signal or outlives the timeout.
    pub fn finish(mut self) -> Outcome {
        let deadline = Instant::now() + self.timeout;
        for _ in 0..2 {
            let left = deadline.saturating_duration_since(Instant::now());
            if self.finished.recv_timeout(left).is_err() {
                panic!("{} did not finish within {:?}", self.shown, self.timeout);
            }
        }
        let status = self.child.wait().expect("wait for pluginkit");
        let outcome = self.collect(status.code());
        if status.code().is_none() {
            panic!("{} was ended by a signal ({status})", self.shown);
        }
        outcome
    }

    /// Whether the process is stopped by a signal (state `T` in `/proc/PID/stat`).
    pub fn is_stopped(&self) -> bool {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // The state follows the command name, which is in parentheses and may hold spaces.
        let state = stat
            .rsplit_once(") ")
            .and_then(|(_, rest)| rest.chars().next());
        state == Some('T')
    }

    /// Let a run stopped at its pause point go on (SIGCONT), and [`finish`](Self::finish) it.
    pub fn resume(self) -> Outcome {
        rustix::process::kill_process(
            rustix::process::Pid::from_child(&self.child),
            rustix::process::Signal::CONT,
        )
        .expect("continue the paused run");
        self.finish()
    }

    /// Kill it (SIGKILL) where it is, as a crash would.
    pub fn kill(self) {
        let shown = self.shown.clone();
        let outcome = self.kill_if_running();
        assert_eq!(
            outcome.code, -9,
            "{shown} had ended before it was killed:\n{}",
            outcome.stderr
        );
    }

    /// Kill it unless it has ended, and collect what it printed; the exit code is minus the
    /// signal's number when a signal ended it.
    pub fn kill_if_running(mut self) -> Outcome {
        use std::os::unix::process::ExitStatusExt;
        let _ = self.child.kill();
        let status = self.child.wait().expect("wait for the killed run");
        let code = status.code().or(status.signal().map(|s| -s));
        self.collect(code)
    }

    fn collect(&mut self, code: Option<i32>) -> Outcome {
        let text = |bytes: Option<std::thread::JoinHandle<Vec<u8>>>, what: &str| {
            let bytes = bytes
                .expect("collected once")
                .join()
                .expect("read the output");
            String::from_utf8(bytes).unwrap_or_else(|e| panic!("{what} is not UTF-8: {e}"))
        };
        Outcome {
            code: code.unwrap_or(i32::MIN),
            stdout: text(self.stdout.take(), "stdout"),
            stderr: text(self.stderr.take(), "stderr"),
            filters: std::mem::take(&mut self.filters),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Read a pipe to its end on a thread of its own, then say so on `done`.
fn drain(
    mut pipe: impl Read + Send + 'static,
    done: mpsc::Sender<()>,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = done.send(());
        bytes
    })
}

/// [`drain`], telling on `seen` (once) when a line containing `line` goes by.
fn drain_watching(
    pipe: impl Read + Send + 'static,
    done: mpsc::Sender<()>,
    line: String,
    seen: mpsc::Sender<()>,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut pipe = std::io::BufReader::new(pipe);
        let mut bytes = Vec::new();
        let mut told = false;
        loop {
            let start = bytes.len();
            match std::io::BufRead::read_until(&mut pipe, b'\n', &mut bytes) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            if !told && String::from_utf8_lossy(&bytes[start..]).contains(&line) {
                told = true;
                let _ = seen.send(());
            }
        }
        let _ = done.send(());
        bytes
    })
}

/// How a run ended.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    filters: Vec<Filter>,
}

impl Outcome {
    /// (exit code, stdout, stderr).
    pub fn parts(self) -> (i32, String, String) {
        (self.code, self.stdout, self.stderr)
    }

    /// stdout as JSON; fails the test, showing both outputs, when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Exit code, stdout and stderr together, as uv's snapshots show them, with the test's
    /// temp folders and every value given to [`TestContext::filter`] replaced. Each stream is
    /// followed by a `-----` line, so that its end (the last newline, a trailing blank line)
    /// shows too: insta ignores whitespace at the end of a snapshot.
    pub fn snapshot(&self) -> String {
        let filter = |text: &str| apply(&self.filters, text);
        format!(
            "success: {}\nexit_code: {}\n----- stdout -----\n{}\n----- stderr -----\n{}\n----- end -----\n",
            self.code == 0,
            self.code,
            filter(&self.stdout),
            filter(&self.stderr)
        )
    }
}
