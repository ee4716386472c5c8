//! `pluginkit reload`, `--reload`, `--wait`, `status` and the pending marks of `list` and `info`,
//! against real processes the tests start: `sleep` (which a SIGHUP would kill, so one still
//! running received nothing), small Python masters that replace their workers on SIGHUP or
//! ignore it, and a real Flask-PluginKit app under gunicorn from the virtualenv in target/.

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::venvs;
use crate::support::{TestContext, native_plugin, pluginkit_binary, write};

/// A process the test started, in a process group of its own; dropping it (also when the test
/// fails) stops the group: the process and every worker it started.
struct Spawned {
    child: Child,
}

impl Spawned {
    fn start(cmd: &mut Command) -> Spawned {
        let child = cmd
            .process_group(0)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
        Spawned { child }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether it still runs (it has not exited, by a signal or otherwise).
    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("wait on the child").is_none()
    }

    /// Assert it still runs a moment later: a signal it got would have ended it by then.
    fn assert_untouched(&mut self, what: &str) {
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            self.is_running(),
            "{what}: PID {} received a signal (it exited: {:?})",
            self.pid(),
            self.child.try_wait()
        );
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let kill = |signal: &str| {
            let _ = Command::new("kill")
                .args([signal, "--", &group])
                .stderr(Stdio::null())
                .status();
        };
        kill("-TERM");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        kill("-KILL");
        let _ = self.child.wait();
    }
}

fn sleep() -> Spawned {
    Spawned::start(Command::new("sleep").arg("600"))
}

/// A host with one native plugin, `hello`, and `[host]` lines from `host`, in a test context's
/// root.
fn host(host: &str) -> TestContext {
    let context = TestContext::new();
    write(
        context.root(),
        "pluginkit.toml",
        &format!("[host]\n{host}\n"),
    );
    native_plugin(&context.path("plugins"), "hello", "");
    context
}

fn wait_for(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// A stand-in for a server master, in Python: it runs two `sleep` workers and, on SIGHUP,
/// starts two new ones and stops the old (as gunicorn does), or with `ignore` ignores SIGHUP.
/// It writes its PID to the pidfile once its workers run.
const FAKE_MASTER: &str = r#"
import os, signal, subprocess, sys

mode, pidfile = sys.argv[1], sys.argv[2]
workers = []

def spawn():
    return [subprocess.Popen(["sleep", "600"]) for _ in range(2)]

def reload(*_):
    global workers
    old, workers = workers, spawn()
    for w in old:
        w.terminate()
        w.wait()

def stop(*_):
    for w in workers:
        w.kill()
    sys.exit(0)

workers = spawn()
signal.signal(signal.SIGHUP, reload if mode == "reload" else signal.SIG_IGN)
signal.signal(signal.SIGTERM, stop)
with open(pidfile + ".tmp", "w") as f:
    f.write(f"{os.getpid()}\n")
os.rename(pidfile + ".tmp", pidfile)
while True:
    signal.pause()
"#;

/// Start the fake master (`reload` or `ignore`) writing `pidfile`; it answers to `fakemaster`.
fn fake_master(dir: &Path, mode: &str, pidfile: &Path) -> Spawned {
    let script = dir.join("fakemaster");
    fs::write(&script, FAKE_MASTER).unwrap();
    let master = Spawned::start(Command::new("python3").arg(&script).arg(mode).arg(pidfile));
    wait_for("the fake master's pidfile", Duration::from_secs(20), || {
        pidfile.is_file()
    });
    master
}

#[test]
fn a_process_with_another_name_is_refused_and_gets_nothing() {
    let mut victim = sleep();
    let pid = victim.pid().to_string();
    let context = host("");
    write(context.root(), "run/server.pid", &format!("{pid}\n"));

    context.filter(format!("PID {pid}"), "PID [PID]");

    // No name configured: only well-known servers are accepted, and the message says how to
    // name another.
    insta::assert_snapshot!(
        "reload_pid_without_a_name",
        context.run_snapshot(&["reload", "--pid", &pid])
    );
    victim.assert_untouched("reload --pid, no name");

    // A configured name that does not match, through the pidfile.
    insta::assert_snapshot!(
        "reload_pidfile_with_another_name",
        context.run_snapshot(&[
            "reload",
            "--pidfile",
            "run/server.pid",
            "--process-name",
            "gunicorn",
        ])
    );
    victim.assert_untouched("reload --pidfile --process-name gunicorn");

    // The same from pluginkit.toml, for --reload on a change: refused before the change.
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\npidfile = \"run/server.pid\"\nprocess-name = \"gunicorn\"\n",
    );
    insta::assert_snapshot!(
        "disable_reload_with_another_name",
        context.run_snapshot(&["disable", "hello", "--reload"])
    );
    assert!(
        !context.root().join("plugins/hello/DISABLED").exists(),
        "a refused reload must change nothing"
    );
    victim.assert_untouched("disable --reload");

    insta::assert_snapshot!(
        "status_with_another_name",
        context.run_snapshot(&["status"])
    );
}

#[test]
fn pids_that_name_no_server_are_refused() {
    let context = host("");
    let mut all = String::new();
    for pid in ["0", "-1", "-4242", "2147483648", "abc"] {
        all.push_str(&context.run_transcript(&["reload", "--pid", pid]));
    }
    insta::assert_snapshot!(all);

    // PID 1 is checked like any other (in a container the server is PID 1:
    // reload_servers.rs), never refused for its number: here it is this machine's init, which
    // is no server.
    let (code, _, stderr) = context.run(&["reload", "--pid", "1"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with("error: refusing to signal PID 1 (") && !stderr.contains("is init"),
        "{stderr}"
    );
}

#[test]
fn stale_and_garbage_pidfiles_are_refused() {
    let context = host("pidfile = \"run/server.pid\"\nprocess-name = \"sleep\"");
    let mut bystander = sleep();

    // A PID that no longer exists: a process that ran and was collected.
    let mut gone = Command::new("true").spawn().unwrap();
    let gone_pid = gone.id();
    gone.wait().unwrap();
    write(context.root(), "run/server.pid", &format!("{gone_pid}\n"));
    context.filter(format!("PID {gone_pid}"), "PID [GONE]");
    insta::assert_snapshot!("reload_stale", context.run_snapshot(&["reload"]));
    insta::assert_snapshot!(
        "enable_reload_stale",
        context.run_snapshot(&["enable", "hello", "--reload"])
    );
    assert!(!context.root().join("plugins/hello/ENABLED").exists());

    // `status` reports a stopped server without failing.
    let (code, json) = context.run_json(&["status", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(json["running"], false);
    assert!(
        json["reason"].as_str().unwrap().contains("is stale"),
        "{json}"
    );

    let mut all = String::new();
    for content in [
        "",
        "\n",
        "gunicorn\n",
        "12 34\n",
        "0x1F\n",
        "\u{0}\u{1}\n",
        &"7".repeat(200),
        "99999999999999999999\n",
        "0\n",
        "-7\n",
    ] {
        write(context.root(), "run/server.pid", content);
        all.push_str(&format!(
            "$ pluginkit reload  # run/server.pid holds {content:?}\n{}\n",
            context.run_snapshot(&["reload"])
        ));
    }
    // A missing pidfile: the server is not running.
    fs::remove_file(context.root().join("run/server.pid")).unwrap();
    all.push_str(&format!(
        "$ pluginkit reload  # no run/server.pid\n{}",
        context.run_snapshot(&["reload"])
    ));
    insta::assert_snapshot!(all);
    bystander.assert_untouched("stale and garbage pidfiles");
}

#[test]
fn a_process_of_another_user_is_refused() {
    let context = TestContext::new();
    if rustix_free_is_root() {
        // As root pluginkit may signal anyone; run it as `nobody` against root's process.
        let mut victim = sleep();
        // A copy that `nobody` can run, wherever the checkout is (a clone under /root is not
        // readable to it).
        use std::os::unix::fs::PermissionsExt;
        let copy = tempfile::tempdir().unwrap();
        fs::set_permissions(copy.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let binary = copy.path().join("pluginkit");
        fs::copy(pluginkit_binary(), &binary).unwrap();
        fs::set_permissions(&binary, fs::Permissions::from_mode(0o755)).unwrap();
        let run = || {
            context
                .pluginkit()
                .binary(&binary)
                .wrapped_in(
                    "setpriv", // util-linux
                    ["--reuid=65534", "--regid=65534", "--clear-groups"],
                )
                .args(["reload", "--process-name", "sleep", "--pid"])
                .arg(victim.pid().to_string())
                .current_dir("/")
                .run()
        };
        // A process another test thread forks while the copy is being written holds it open
        // for writing until it execs, and exec refuses such a file ("Text file busy"): try
        // again then.
        let mut tries = 0;
        let (code, _, stderr) = loop {
            let (code, stdout, stderr) = run();
            tries += 1;
            if !stderr.contains("Text file busy") || tries == 10 {
                break (code, stdout, stderr);
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains("it belongs to user 0, not to you (user 65534)"),
            "{stderr}"
        );
        victim.assert_untouched("another user's process");
    } else {
        // As another user, a process of root's (not PID 1, which is refused for being PID 1).
        let root_process = fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| *pid > 1)
            .find(|pid| {
                fs::read_to_string(format!("/proc/{pid}/status")).is_ok_and(|s| {
                    s.lines()
                        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
                })
            })
            .expect("a process of root's runs");
        let (code, _, stderr) = context.run(&["reload", "--pid", &root_process.to_string()]);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains("it belongs to user 0, not to you"),
            "{stderr}"
        );
    }
}

/// Whether the tests run as root, from `id -u` (the tests have no libc of their own).
fn rustix_free_is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

#[test]
fn signal_names_are_checked_before_anything_is_sent() {
    let mut victim = sleep();
    let pid = victim.pid().to_string();
    let context = host("");
    context.filter(format!("--pid {pid} "), "--pid [PID] ");
    let mut all = String::new();
    for signal in ["KILL", "STOP", "9", "SIGFOO", ""] {
        all.push_str(&context.run_transcript(&[
            "reload",
            "--pid",
            &pid,
            "--process-name",
            "sleep",
            "--signal",
            signal,
        ]));
    }
    victim.assert_untouched("bad signal names");
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\nsignal = \"BOGUS\"\n",
    );
    all.push_str(&format!(
        "$ pluginkit reload --pid [PID] --process-name sleep  # [host] signal = \"BOGUS\"\n{}",
        context.run_snapshot(&["reload", "--pid", &pid, "--process-name", "sleep"])
    ));
    insta::assert_snapshot!(all);
    victim.assert_untouched("[host] signal = BOGUS");
}

#[test]
fn the_signal_reaches_the_named_process() {
    // `sleep` dies of SIGUSR1: proof that the signal, and that one, arrived.
    let mut victim = sleep();
    let context = host("");
    let (code, json) = context.run_json(&[
        "reload",
        "--pid",
        &victim.pid().to_string(),
        "--process-name",
        "sleep",
        "--signal",
        "usr1",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["name"], "sleep");
    assert_eq!(json["signal"], "USR1");
    assert_eq!(json["from"], "--pid");
    assert_eq!(json["waited_ms"], Value::Null);
    wait_for("sleep to die of SIGUSR1", Duration::from_secs(5), || {
        !victim.is_running()
    });
    use std::os::unix::process::ExitStatusExt;
    let status = victim.child.wait().unwrap();
    assert_eq!(status.signal(), Some(10), "{status:?}");
}

#[test]
fn wait_sees_the_workers_replaced() {
    let context = host("pidfile = \"run/master.pid\"\nprocess-name = \"fakemaster\"");
    fs::create_dir_all(context.root().join("run")).unwrap();
    let mut master = fake_master(
        context.root(),
        "reload",
        &context.root().join("run/master.pid"),
    );
    context.filter(format!("PID {}", master.pid()), "PID [MASTER]");
    context.filter_regex(
        r"were replaced in \d+(\.\d\d)? s\n",
        "were replaced in [TIME]\n",
    );
    insta::assert_snapshot!(context.run_snapshot(&["reload", "--wait", "--timeout", "20"]));
    assert!(master.is_running());

    // --reload --wait on a change: one reload after it.
    let (code, json) =
        context.run_json(&["disable", "hello", "--reload", "--wait", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["plugins"][0]["state"], "disabled");

    // Nothing changed: nothing is sent.
    insta::assert_snapshot!(
        "disable_twice_sends_nothing",
        context.run_snapshot(&["disable", "hello", "--reload"])
    );
    assert!(master.is_running());
}

#[test]
fn every_changing_command_reloads_once_after_its_change() {
    let context = host("pidfile = \"run/master.pid\"\nprocess-name = \"fakemaster\"");
    let root = context.root();
    fs::create_dir_all(root.join("run")).unwrap();
    native_plugin(&root.join("src"), "extra", "");
    let mut master = fake_master(root, "reload", &root.join("run/master.pid"));
    let sent = format!(
        "sent SIGHUP to fakemaster (PID {}, from run/master.pid)",
        master.pid()
    );
    let quiet = format!(
        "nothing changed, so fakemaster (PID {}) was not signalled",
        master.pid()
    );
    let reloads = |args: &[&str], expect: &str| {
        let (code, stdout, stderr) = context.run(args);
        assert_eq!(code, 0, "{args:?}: {stdout}{stderr}");
        assert_eq!(
            stderr.matches("sent SIGHUP").count(),
            usize::from(expect == sent),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
    };

    reloads(&["add", "src/extra", "--reload", "--wait"], &sent);
    reloads(&["remove", "extra", "--reload"], &sent);
    reloads(&["restore", "extra", "--reload", "--wait"], &sent);
    write(
        root,
        "pluginkit.toml",
        "[host]\npidfile = \"run/master.pid\"\nprocess-name = \"fakemaster\"\n\n[plugins]\n\
         extra = { path = \"src/extra\" }\nsecond = { path = \"src/second\" }\n",
    );
    native_plugin(&root.join("src"), "second", "");
    reloads(&["sync", "--reload", "--wait"], &sent);
    assert!(root.join("plugins/second/plugin.toml").is_file());
    reloads(&["sync", "--reload"], &quiet);
    reloads(&["sync", "--dry-run", "--prune", "--reload"], &quiet);
    reloads(&["upgrade", "--reload"], &quiet);
    reloads(&["enable", "hello", "--reload", "--wait"], &sent);
    reloads(&["enable", "hello", "--reload"], &quiet);
    assert!(master.is_running());
}

#[test]
fn wait_times_out_when_the_server_ignores_the_signal() {
    let context = host("pidfile = \"run/master.pid\"\nprocess-name = \"fakemaster\"");
    fs::create_dir_all(context.root().join("run")).unwrap();
    let mut master = fake_master(
        context.root(),
        "ignore",
        &context.root().join("run/master.pid"),
    );
    let started = Instant::now();
    let (code, stdout, stderr) = context.run(&["reload", "--wait", "--timeout", "2"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "fakemaster (PID {}) did not reload within 2.00 s: 2 of its 2 workers from before \
             SIGHUP still run, and 0 new ones started",
            master.pid()
        )),
        "{stderr}"
    );
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert!(master.is_running(), "the ignored signal left it running");

    // The same through --reload --wait: the change stays, and the message says so, also with
    // --quiet (which hides notes, never an error).
    let (code, _, stderr) = context.run(&[
        "-q",
        "disable",
        "hello",
        "--reload",
        "--wait",
        "--timeout",
        "1",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "error: the plugins were changed, but the reload failed\n  Caused by: fakemaster"
        ),
        "{stderr}"
    );
    assert!(context.root().join("plugins/hello/DISABLED").is_file());
}

#[test]
fn wait_is_refused_for_a_server_without_workers() {
    let mut victim = sleep();
    let context = host("pidfile = \"server.pid\"\nprocess-name = \"sleep\"");
    write(context.root(), "server.pid", &victim.pid().to_string());
    let (code, _, stderr) = context.run(&["disable", "hello", "--wait"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("it has no worker processes") && stderr.contains("leave out --wait"),
        "{stderr}"
    );
    assert!(!context.root().join("plugins/hello/DISABLED").exists());
    victim.assert_untouched("--wait without workers");
}

#[test]
fn reload_always_in_the_host_config() {
    // reload = "always": every change reloads; --no-reload opts out; a server that is not
    // running is noted, and the change is made.
    let mut victim = sleep();
    let context = host(
        "pidfile = \"server.pid\"\nprocess-name = \"sleep\"\nreload = \"always\"\nsignal = \"USR2\"",
    );
    let (code, _, stderr) = context.run(&["disable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("not reloading: the server is not running: server.pid does not exist"),
        "{stderr}"
    );
    assert!(context.root().join("plugins/hello/DISABLED").is_file());

    write(context.root(), "server.pid", &victim.pid().to_string());
    let (code, _, stderr) = context.run(&["enable", "hello", "--no-reload"]);
    assert_eq!(code, 0, "{stderr}");
    victim.assert_untouched("--no-reload");

    let (code, _, stderr) = context.run(&["disable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "sent SIGUSR2 to sleep (PID {}, from server.pid)",
            victim.pid()
        )),
        "{stderr}"
    );
    wait_for("sleep to die of SIGUSR2", Duration::from_secs(5), || {
        !victim.is_running()
    });
}

#[test]
fn reload_without_a_server_says_how_to_name_one() {
    let context = host("");
    insta::assert_snapshot!("no_server_reload", context.run_snapshot(&["reload"]));
    insta::assert_snapshot!(
        "no_server_enable_reload",
        context.run_snapshot(&["enable", "hello", "--reload"])
    );
    assert!(!context.root().join("plugins/hello/ENABLED").exists());
    insta::assert_snapshot!("no_server_status", context.run_snapshot(&["status"]));
}

// --- The real stack: Flask-PluginKit under gunicorn -------------------------------------------

/// The host app: Flask-PluginKit over `plugins/`, and a route of its own to see that it is up.
const APP: &str = r#"
import os

import flask_pluginkit.pluginkit as fpk
from flask import Flask
from flask_pluginkit import PluginManager

# PluginManager.init_app runs `pip list` in a subprocess for its install_packages option, which
# this app does not use; it would only slow down every worker's start.
fpk.pip_list = lambda target_dir="": {}

app = Flask(__name__)
PluginManager(app, plugins_base=os.path.dirname(os.path.abspath(__file__)), plugins_folder="plugins")

# Each worker loads the app (and its plugins) after the fork: say when this one has, so that the
# test knows no worker is still to read the plugins folder.
with open("loaded.txt", "a") as loaded:
    loaded.write(f"{os.getpid()}\n")


@app.route("/up")
def up():
    return "up"
"#;

/// A Flask-PluginKit plugin that answers on /hello/.
const PLUGIN: &str = r#"
from flask import Blueprint

__plugin_name__ = "hello"
__version__ = "1.0.0"
__author__ = "Ada <ada@example.com>"
__description__ = "Says hello"

bp = Blueprint("hello", __name__)


@bp.route("/")
def index():
    return "hello from the plugin"


def register():
    return {"bep": {"blueprint": bp, "prefix": "/hello"}}
"#;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// The status code of GET `path` on 127.0.0.1:`port`, or `None` when nothing answers.
fn get(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split_whitespace().nth(1)?.parse().ok()
}

fn gunicorn(venv_python: &Path) -> PathBuf {
    venv_python.with_file_name("gunicorn")
}

#[test]
fn gunicorn_serves_each_change_after_reload_wait() {
    let python = venvs::FLASK.python();
    let context = TestContext::new();
    let root = context.root();
    write(root, "app.py", APP);
    write(root, "plugins/__init__.py", "");
    write(
        root,
        "pluginkit.toml",
        "[host]\nflavor = \"flask-pluginkit\"\npidfile = \"run/gunicorn.pid\"\nprocess-name = \"gunicorn\"\n",
    );
    fs::create_dir_all(root.join("run")).unwrap();
    write(root, "src/hello/__init__.py", PLUGIN);
    let (code, _, stderr) = context.run(&["package", "src/hello", "--output", "hello-1.0.0.zip"]);
    assert_eq!(code, 0, "{stderr}");

    let port = free_port();
    let log = fs::File::create(root.join("gunicorn.log")).unwrap();
    let _server = Spawned::start(
        Command::new(gunicorn(python))
            .args(["--workers", "2", "--graceful-timeout", "5", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--pid")
            .arg(root.join("run/gunicorn.pid"))
            .arg("app:app")
            .current_dir(root)
            .stdout(log.try_clone().unwrap())
            .stderr(log),
    );
    let log = || fs::read_to_string(root.join("gunicorn.log")).unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(60);
    let loaded = || {
        fs::read_to_string(root.join("loaded.txt"))
            .unwrap_or_default()
            .lines()
            .count()
    };
    while get(port, "/up") != Some(200) || loaded() < 2 {
        assert!(
            Instant::now() < deadline,
            "gunicorn did not start:\n{}",
            log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let pid: u32 = fs::read_to_string(root.join("run/gunicorn.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(get(port, "/hello/"), Some(404), "{}", log());

    // `status` finds the master, and nothing pending.
    let (code, json) = context.run_json(&["status", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["server"]["pid"], pid);
    assert_eq!(json["server"]["name"], "gunicorn");
    assert_eq!(
        json["server"]["workers"].as_array().unwrap().len(),
        2,
        "{json}"
    );
    assert!(
        json["server"]["command"]
            .as_str()
            .unwrap()
            .starts_with("gunicorn: master"),
        "{json}"
    );
    assert_eq!(json["pending"], serde_json::json!([]));

    // A worker is refused: the master is the server.
    let worker = json["server"]["workers"][0].as_i64().unwrap().to_string();
    let (code, _, stderr) = context.run(&["reload", "--pid", &worker]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("it is a worker of the gunicorn master, PID {pid}")),
        "{stderr}"
    );

    // A change without --reload is pending until the reload.
    let (code, _, stderr) = context.run(&["add", "hello-1.0.0.zip"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        get(port, "/hello/"),
        Some(404),
        "not loaded before a reload"
    );
    let (_, json) = context.run_json(&["status", "--format", "json"]);
    assert_eq!(json["pending"][0]["name"], "hello", "{json}");
    assert_eq!(json["pending"][0]["change"], "changed", "{json}");
    let (_, list) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(list["plugins"][0]["pending_reload"], true, "{list}");
    let (_, stdout, _) = context.run(&["status"]);
    assert!(
        stdout.contains("1 plugin change is not live yet"),
        "{stdout}"
    );
    let (code, _, stderr) = context.run(&["remove", "hello"]);
    assert_eq!(code, 0, "{stderr}");

    // add --reload --wait: served as soon as pluginkit returns.
    let (code, _, stderr) = context.run(&["add", "hello-1.0.0.zip", "--reload", "--wait"]);
    assert_eq!(code, 0, "{stderr}\n{}", log());
    assert!(
        stderr.contains(&format!(
            "sent SIGHUP to gunicorn (PID {pid}, from run/gunicorn.pid)"
        )) && stderr.contains("its 2 workers were replaced in"),
        "{stderr}"
    );
    assert_eq!(get(port, "/hello/"), Some(200), "{}", log());
    let (_, json) = context.run_json(&["status", "--format", "json"]);
    assert_eq!(json["pending"], serde_json::json!([]), "{json}");
    let (_, list) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(list["plugins"][0]["pending_reload"], false, "{list}");

    let (code, _, stderr) = context.run(&["disable", "hello", "--reload", "--wait"]);
    assert_eq!(code, 0, "{stderr}\n{}", log());
    assert_eq!(get(port, "/hello/"), Some(404), "{}", log());

    let (code, _, stderr) = context.run(&["enable", "hello", "--reload", "--wait"]);
    assert_eq!(code, 0, "{stderr}\n{}", log());
    assert_eq!(get(port, "/hello/"), Some(200), "{}", log());

    let (code, _, stderr) = context.run(&["remove", "hello", "--reload", "--wait"]);
    assert_eq!(code, 0, "{stderr}\n{}", log());
    assert_eq!(get(port, "/hello/"), Some(404), "{}", log());

    // The master never changed: every reload went to it.
    let now: u32 = fs::read_to_string(root.join("run/gunicorn.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(now, pid);
}
