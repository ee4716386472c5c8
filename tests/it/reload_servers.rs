//! `reload` against the real servers, each started by the test on 127.0.0.1 from the
//! virtualenvs in target/ (uvicorn, granian and hypercorn from `servers-venv`, gunicorn from
//! `flask-venv`), serving a small app that answers with its worker's PID:
//! - a server that a signal would stop or that ignores it (one uvicorn process, `uvicorn
//!   --reload`, hypercorn `--workers 0`) is refused, nothing is sent, and it still answers;
//! - one that reloads on SIGHUP (uvicorn `--workers 2`, granian with `--pid-file`, hypercorn with
//!   workers) gets it, and `reload --wait` sees its real workers replaced (not multiprocessing's
//!   resource tracker), while the app answers throughout where the server replaces workers one
//!   at a time;
//! - gunicorn as PID 1 of a PID namespace, as in a container, is reloaded.

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::support::{TestContext, native_plugin, venvs, write};

/// An ASGI app (with the lifespan protocol, which granian and hypercorn speak) answering every
/// request with the PID of the worker that served it.
const ASGI_APP: &str = r#"
import os


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": str(os.getpid()).encode()})
"#;

/// The same as a WSGI app, for gunicorn.
const WSGI_APP: &str = r#"
import os


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
"#;

/// A server the test started, in a process group of its own; dropping it (also when the test
/// fails) stops the group: the server and every worker it started.
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

    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("wait on the child").is_none()
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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// The status code and body of GET / on 127.0.0.1:`port`, or `None` when nothing answers.
fn get(port: u16) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(stream, "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    Some((status, body))
}

/// A server's log, for failure messages.
fn log(root: &Path, name: &str) -> String {
    fs::read_to_string(root.join(name)).unwrap_or_default()
}

/// Start `cmd` (its output to `root/LOG`) and wait until its app answers on `port` from
/// `workers` different processes (each worker has loaded the app).
fn serve(root: &Path, log_name: &str, cmd: &mut Command, port: u16, workers: usize) -> Spawned {
    let out = fs::File::create(root.join(log_name)).unwrap();
    let server = Spawned::start(
        cmd.current_dir(root)
            .stdout(out.try_clone().unwrap())
            .stderr(out),
    );
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut seen = BTreeSet::new();
    while seen.len() < workers {
        if let Some((200, pid)) = get(port) {
            seen.insert(pid);
        }
        assert!(
            Instant::now() < deadline,
            "the server did not answer from {workers} workers:\n{}",
            log(root, log_name)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// GETs the app every 20 ms while a reload runs, counting the requests that failed and the
/// worker PIDs that answered.
struct Poller {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<(usize, usize, BTreeSet<String>)>,
}

impl Poller {
    fn start(port: u16) -> Poller {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let (mut ok, mut failed, mut pids) = (0, 0, BTreeSet::new());
            while !flag.load(Ordering::Relaxed) {
                match get(port) {
                    Some((200, pid)) => {
                        ok += 1;
                        pids.insert(pid);
                    }
                    _ => failed += 1,
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            (ok, failed, pids)
        });
        Poller { stop, thread }
    }

    /// (requests answered, requests failed, PIDs that answered).
    fn finish(self) -> (usize, usize, BTreeSet<String>) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("the poller")
    }
}

/// A host with one native plugin, `hello`, the ASGI app, and `[host]` lines from `host`.
fn host(host: &str) -> TestContext {
    let context = TestContext::new();
    write(
        context.root(),
        "pluginkit.toml",
        &format!("[host]\n{host}\n"),
    );
    write(context.root(), "app.py", ASGI_APP);
    native_plugin(&context.path("plugins"), "hello", "");
    fs::create_dir_all(context.path("run")).unwrap();
    context
}

/// Assert that a refused reload sent nothing: the server runs and answers as before.
fn assert_untouched(server: &mut Spawned, port: u16, root: &Path, log_name: &str) {
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        server.is_running(),
        "the server exited:\n{}",
        log(root, log_name)
    );
    assert_eq!(
        get(port).map(|(status, _)| status),
        Some(200),
        "{}",
        log(root, log_name)
    );
}

#[test]
fn a_single_uvicorn_process_is_refused_and_keeps_serving() {
    let bin = venvs::SERVERS.bin();
    let context = host("pidfile = \"run/uvicorn.pid\"");
    let root = context.root();
    let port = free_port();
    // As FastCMS's Dockerfile runs it: one `uvicorn app.main:app` process.
    let mut server = serve(
        root,
        "uvicorn.log",
        Command::new(bin.join("uvicorn"))
            .args(["--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg("app:app"),
        port,
        1,
    );
    let pid = server.pid().to_string();
    write(root, "run/uvicorn.pid", &pid);

    let (code, stdout, stderr) = context.run(&["reload"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: refusing to signal PID {pid} (one uvicorn process, from run/uvicorn.pid): \
             this server cannot reload on a signal: restart it\n"
        )) && stderr.contains("hint: a single uvicorn process (no --workers N)"),
        "{stderr}"
    );
    assert_untouched(&mut server, port, root, "uvicorn.log");

    // --reload on a change: refused before the change, which is not made.
    let (code, _, stderr) = context.run(&["disable", "hello", "--reload"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("this server cannot reload on a signal"),
        "{stderr}"
    );
    assert!(!root.join("plugins/hello/DISABLED").exists());
    assert_untouched(&mut server, port, root, "uvicorn.log");

    // Without --reload, the change is made and says that the server must be restarted.
    let (code, _, stderr) = context.run(&["disable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "uvicorn (PID {pid}) runs the plugins as they were: the change is not live until it \
             is restarted; this server cannot reload on a signal"
        )),
        "{stderr}"
    );
    assert!(root.join("plugins/hello/DISABLED").is_file());

    // `status` shows it, its one process and no worker, and the change to restart it for.
    let (code, json) = context.run_json(&["status", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["running"], true, "{json}");
    assert_eq!(json["server"]["name"], "uvicorn", "{json}");
    assert_eq!(json["server"]["workers"], serde_json::json!([]), "{json}");
    assert_eq!(json["pending"][0]["name"], "hello", "{json}");
    let (code, stdout, _) = context.run(&["status"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(
            "1 plugin change is not live yet; this server cannot reload on a signal: restart it \
             to load it:\n  hello"
        ),
        "{stdout}"
    );
    assert_untouched(&mut server, port, root, "uvicorn.log");
}

#[test]
fn uvicorn_with_reload_is_refused_and_keeps_serving() {
    let bin = venvs::SERVERS.bin();
    let context = host("");
    let root = context.root();
    let port = free_port();
    let mut server = serve(
        root,
        "uvicorn.log",
        Command::new(bin.join("uvicorn"))
            .args([
                "--reload",
                "--reload-dir",
                "plugins",
                "--host",
                "127.0.0.1",
                "--port",
            ])
            .arg(port.to_string())
            .arg("app:app"),
        port,
        1,
    );
    let pid = server.pid().to_string();
    let (code, _, stderr) = context.run(&["reload", "--pid", &pid]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "refusing to signal PID {pid} (uvicorn --reload, from --pid): this server cannot \
             reload on a signal: restart it"
        )) && stderr.contains("hint: uvicorn's --reload supervisor"),
        "{stderr}"
    );
    assert_untouched(&mut server, port, root, "uvicorn.log");
    // The same with the name given: what it is decides, not what it is called.
    let (code, _, stderr) = context.run(&["reload", "--pid", &pid, "--process-name", "uvicorn"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("this server cannot reload on a signal"),
        "{stderr}"
    );
    assert_untouched(&mut server, port, root, "uvicorn.log");

    // The server it runs is a worker of it, and refused as one.
    let (_, answered) = get(port).expect("it answers");
    let (code, _, stderr) = context.run(&["reload", "--pid", answered.trim()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("it is a worker of the uvicorn master, PID {pid}")),
        "{stderr}"
    );
    assert_untouched(&mut server, port, root, "uvicorn.log");
}

#[test]
fn uvicorn_workers_are_replaced_on_sighup_while_the_app_answers() {
    let bin = venvs::SERVERS.bin();
    let context = host("");
    let root = context.root();
    let port = free_port();
    let mut server = serve(
        root,
        "uvicorn.log",
        Command::new(bin.join("uvicorn"))
            .args(["--workers", "2", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg("app:app"),
        port,
        2,
    );
    let pid = server.pid().to_string();

    // Its workers are the two spawned servers, not multiprocessing's resource tracker, which
    // the supervisor also runs.
    let (code, json) = context.run_json(&["status", "--pid", &pid, "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    let workers: BTreeSet<String> = json["server"]["workers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert_eq!(workers.len(), 2, "{json}");
    let children = fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap();
    assert_eq!(children.split_whitespace().count(), 3, "{children}");

    let poller = Poller::start(port);
    std::thread::sleep(Duration::from_millis(200));
    let (code, stdout, stderr) =
        context.run(&["reload", "--pid", &pid, "--wait", "--timeout", "90"]);
    std::thread::sleep(Duration::from_millis(200));
    let (ok, failed, pids) = poller.finish();
    assert_eq!(code, 0, "{stdout}{stderr}\n{}", log(root, "uvicorn.log"));
    assert!(
        stdout.starts_with(&format!(
            "sent SIGHUP to uvicorn (PID {pid}, from --pid); its 2 workers were replaced in"
        )),
        "{stdout}"
    );
    assert_eq!(
        failed, 0,
        "{ok} requests answered, {failed} failed during the reload"
    );
    assert!(server.is_running());

    // New workers answer now, none of the old.
    let (_, json) = context.run_json(&["status", "--pid", &pid, "--format", "json"]);
    let now: BTreeSet<String> = json["server"]["workers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert_eq!(now.len(), 2, "{json}");
    assert!(now.is_disjoint(&workers), "{workers:?} {now:?}");
    let (_, answered) = get(port).unwrap();
    assert!(now.contains(answered.trim()), "{answered} {now:?} {pids:?}");

    // SIGUSR1, which this supervisor catches and ignores, is refused.
    let (code, _, stderr) = context.run(&["reload", "--pid", &pid, "--signal", "USR1"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "refusing to send SIGUSR1 to uvicorn (PID {pid}, from --pid): uvicorn --workers acts \
             only on SIGHUP, SIGINT, SIGTERM, SIGTTIN and SIGTTOU"
        )),
        "{stderr}"
    );
}

#[test]
fn granian_with_a_pid_file_reloads_its_workers_while_the_app_answers() {
    let bin = venvs::SERVERS.bin();
    // FBA's production server: granian, started with --pid-file.
    let context = host("pidfile = \"run/granian.pid\"");
    let root = context.root();
    let port = free_port();
    let mut server = serve(
        root,
        "granian.log",
        Command::new(bin.join("granian"))
            .args([
                "--interface",
                "asgi",
                "--workers",
                "2",
                "--host",
                "127.0.0.1",
            ])
            // Granian stops an old worker a fixed interval after starting its replacement,
            // listening or not: a worker that takes longer to start (on a loaded CI machine)
            // leaves a moment with no listener, and a request fails (granian #921: "know your
            // application, how much time it takes to boot, and instruct Granian accordingly").
            .args(["--respawn-interval", "8"])
            .args(["--pid-file", "run/granian.pid", "--port"])
            .arg(port.to_string())
            .arg("app:app"),
        port,
        2,
    );
    let pid = server.pid();

    // A change without --reload says it is not live yet.
    let (code, _, stderr) = context.run(&["disable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "granian (PID {pid}) runs the plugins as they were: the change is not live until \
             `pluginkit reload` (or pass --reload)"
        )),
        "{stderr}"
    );

    let poller = Poller::start(port);
    std::thread::sleep(Duration::from_millis(200));
    let (code, stdout, stderr) = context.run(&["reload", "--wait", "--timeout", "90"]);
    std::thread::sleep(Duration::from_millis(200));
    let (ok, failed, _) = poller.finish();
    assert_eq!(code, 0, "{stdout}{stderr}\n{}", log(root, "granian.log"));
    assert!(
        stdout.starts_with(&format!(
            "sent SIGHUP to granian (PID {pid}, from run/granian.pid); its 2 workers were replaced in"
        )),
        "{stdout}"
    );
    assert_eq!(
        failed, 0,
        "{ok} requests answered, {failed} failed during the reload"
    );
    assert!(server.is_running(), "{}", log(root, "granian.log"));
    assert!(log(root, "granian.log").contains("HUP signal received"));

    // --reload --wait on a change; `status` then has nothing pending.
    let (code, _, stderr) =
        context.run(&["enable", "hello", "--reload", "--wait", "--timeout", "90"]);
    assert_eq!(code, 0, "{stderr}\n{}", log(root, "granian.log"));
    assert!(stderr.contains("its 2 workers were replaced"), "{stderr}");
    let (_, json) = context.run_json(&["status", "--format", "json"]);
    assert_eq!(json["server"]["pid"], pid, "{json}");
    assert_eq!(json["pending"], serde_json::json!([]), "{json}");

    // A worker is refused, naming the main process.
    let worker = json["server"]["workers"][0].to_string();
    let (code, _, stderr) = context.run(&["reload", "--pid", &worker]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("it is a worker of the granian master, PID {pid}")),
        "{stderr}"
    );
}

#[test]
fn hypercorn_reloads_with_workers_and_is_refused_without() {
    let bin = venvs::SERVERS.bin();
    let context = host("");
    let root = context.root();

    let port = free_port();
    let mut lone = serve(
        root,
        "hypercorn0.log",
        Command::new(bin.join("hypercorn"))
            .args(["--workers", "0", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("app:app"),
        port,
        1,
    );
    let (code, _, stderr) = context.run(&["reload", "--pid", &lone.pid().to_string()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "(hypercorn --workers 0, from --pid): this server cannot reload on a \
             signal: restart it"
        ) && stderr.contains("hint: hypercorn with --workers 0"),
        "{stderr}"
    );
    assert_untouched(&mut lone, port, root, "hypercorn0.log");
    drop(lone);

    let port = free_port();
    let mut server = serve(
        root,
        "hypercorn.log",
        Command::new(bin.join("hypercorn"))
            .args(["--workers", "2", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("app:app"),
        port,
        2,
    );
    let pid = server.pid().to_string();
    let (code, stdout, stderr) =
        context.run(&["reload", "--pid", &pid, "--wait", "--timeout", "90"]);
    assert_eq!(code, 0, "{stdout}{stderr}\n{}", log(root, "hypercorn.log"));
    assert!(
        stdout.contains("its 2 workers were replaced in"),
        "{stdout}"
    );
    assert!(server.is_running());
    // hypercorn stops every worker before it starts the new ones: the app answers again once
    // they run.
    let deadline = Instant::now() + Duration::from_secs(60);
    while get(port).map(|(status, _)| status) != Some(200) {
        assert!(Instant::now() < deadline, "{}", log(root, "hypercorn.log"));
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The PID, in this test's PID namespace, of the child of `parent`.
fn child_of(parent: u32) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let children = fs::read_to_string(format!("/proc/{parent}/task/{parent}/children"))
            .unwrap_or_default();
        if let Some(child) = children.split_whitespace().next() {
            return child.parse().unwrap();
        }
        assert!(Instant::now() < deadline, "{parent} started no child");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn gunicorn_as_pid_1_of_a_pid_namespace_is_reloaded() {
    let gunicorn = venvs::FLASK.python().with_file_name("gunicorn");
    let context = host("pidfile = \"run/gunicorn.pid\"");
    let root = context.root();
    write(root, "wsgi.py", WSGI_APP);
    let port = free_port();
    // As in a container started with CMD ["gunicorn", ...]: the master is PID 1 of its PID
    // namespace, with a /proc of its own (util-linux's unshare; the tests run as root).
    let server = serve(
        root,
        "gunicorn.log",
        Command::new("unshare")
            .args(["--pid", "--fork", "--mount-proc"])
            .arg(&gunicorn)
            .args(["--workers", "2", "--graceful-timeout", "5"])
            .args(["--pid", "run/gunicorn.pid", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("wsgi:app"),
        port,
        2,
    );
    let master = child_of(server.pid());
    assert_eq!(
        fs::read_to_string(root.join("run/gunicorn.pid"))
            .unwrap()
            .trim(),
        "1",
        "{}",
        log(root, "gunicorn.log")
    );
    let before: BTreeSet<String> = (0..20)
        .filter_map(|_| get(port))
        .map(|(_, pid)| pid)
        .collect();

    // pluginkit in the same namespace, as `docker exec` runs it: the pidfile says 1.
    let target = master.to_string();
    let wd = format!("--wd={}", root.display());
    let in_namespace = |args: &[&str]| {
        context
            .pluginkit()
            .wrapped_in(
                "nsenter",
                ["--target", &target, "--pid", "--mount", &wd, "--"],
            )
            .args(args)
            .run()
    };
    let (code, stdout, stderr) = in_namespace(&["status", "--format", "json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["server"]["pid"], 1, "{json}");
    assert_eq!(json["server"]["name"], "gunicorn", "{json}");
    assert_eq!(
        json["server"]["workers"].as_array().unwrap().len(),
        2,
        "{json}"
    );

    // A worker (whose parent is PID 1) is refused, naming PID 1.
    let worker = json["server"]["workers"][0].to_string();
    let (code, _, stderr) = in_namespace(&["reload", "--pid", &worker]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("it is a worker of the gunicorn master, PID 1"),
        "{stderr}"
    );

    let (code, stdout, stderr) = in_namespace(&["reload", "--wait", "--timeout", "90"]);
    assert_eq!(code, 0, "{stdout}{stderr}\n{}", log(root, "gunicorn.log"));
    assert!(
        stdout.starts_with(
            "sent SIGHUP to gunicorn (PID 1, from run/gunicorn.pid); its 2 workers were replaced in"
        ),
        "{stdout}"
    );
    let after: BTreeSet<String> = (0..20)
        .filter_map(|_| get(port))
        .map(|(_, pid)| pid)
        .collect();
    assert!(
        !after.is_empty() && after.is_disjoint(&before),
        "{before:?} {after:?}"
    );
    assert!(
        log(root, "gunicorn.log").contains("Hang up"),
        "{}",
        log(root, "gunicorn.log")
    );
}
