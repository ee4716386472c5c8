//! The host lock is held only to commit (issue 13, records case 7): `add` downloads and stages
//! without it, so while one `add` is stalled halfway through a download, `list`, `info` and
//! `verify` answer at once and correctly, and another `add` commits; and when two runs install
//! the same name, the one that commits second is refused (without `--force`), with nothing
//! half-done. Every run here is bounded by a timeout: on a build that holds the lock for the
//! whole download, the test fails instead of hanging.

use std::io::Write;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::support::install::{Host, add_file, installed_files, locked, package};
use crate::support::{Outcome, Pluginkit};

/// How long a run that must not wait for another may take: far more than it needs, far less
/// than the stalled download lasts.
const PROMPT: Duration = Duration::from_secs(20);
/// How long the test server waits, at most, to be released.
const SERVER_LIFETIME: Duration = Duration::from_secs(120);

/// A package served on 127.0.0.1 that stalls halfway through its body until the test releases
/// it: the headers and the first half are sent and flushed, the rest waits.
struct StalledServer {
    url: String,
    stalled: mpsc::Receiver<()>,
    release: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl StalledServer {
    fn serve(path: &str, body: Vec<u8>) -> StalledServer {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("a port on 127.0.0.1");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let (stalled_tx, stalled) = mpsc::channel();
        let (release, release_rx) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut first = true;
            while started.elapsed() < SERVER_LIFETIME {
                let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(50)) else {
                    continue;
                };
                let mut out = request.into_writer();
                let half = body.len() / 2;
                let _ = write!(
                    out,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = out.write_all(&body[..half]);
                let _ = out.flush();
                if first {
                    first = false;
                    let _ = stalled_tx.send(());
                    // Released by the test, or by its end (the sender dropped).
                    let _ = release_rx.recv();
                }
                let _ = out.write_all(&body[half..]);
                let _ = out.flush();
            }
        });
        StalledServer {
            url: format!("http://127.0.0.1:{port}{path}"),
            stalled,
            release: Some(release),
            thread: Some(thread),
        }
    }

    /// Wait until the download is stalled halfway.
    fn wait_stalled(&self, running: &str) {
        self.stalled
            .recv_timeout(PROMPT)
            .unwrap_or_else(|_| panic!("{running} never started its download"));
    }

    /// Send the rest of the package.
    fn release(&mut self) {
        self.release.take();
    }
}

impl Drop for StalledServer {
    fn drop(&mut self) {
        self.release.take();
        // The thread ends by itself when its lifetime is over; a failed test does not wait.
        drop(self.thread.take());
    }
}

/// A plugin package big enough that half of it is many reads into the body.
fn padded(name: &str, version: &str) -> Vec<u8> {
    package(name, version, |zip| {
        let mut data = Vec::new();
        for i in 0..20_000 {
            writeln!(data, "line {i} of the {name} plugin's data").unwrap();
        }
        add_file(zip, &format!("{name}/data.txt"), &data);
    })
}

/// A run that must finish without waiting for another process.
fn prompt(host: &Host, args: &[&str]) -> Outcome {
    host.pluginkit().args(args).timeout(PROMPT).output()
}

/// The names and versions `list --format json` shows.
fn listed(host: &Host) -> Vec<(String, String)> {
    let outcome = prompt(host, &["list", "--format", "json"]);
    assert_eq!(outcome.code, 0, "list: {}", outcome.stderr);
    outcome.json()["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().expect("a name").to_owned(),
                p["version"].as_str().expect("a version").to_owned(),
            )
        })
        .collect()
}

/// `verify --format json`: each plugin's status; no note on stderr.
fn verified(host: &Host) -> Vec<(String, String)> {
    let outcome = prompt(host, &["verify", "--format", "json"]);
    assert_eq!(outcome.code, 0, "verify: {}", outcome.stderr);
    assert_eq!(outcome.stderr, "", "verify had something to say");
    outcome.json()["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .map(|v| {
            (
                v["name"].as_str().expect("a name").to_owned(),
                v["status"].as_str().expect("a status").to_owned(),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// `[plugins]` in pluginkit.toml: name -> entry, as TOML text.
fn recorded(host: &Host) -> Vec<String> {
    let text = std::fs::read_to_string(host.path("pluginkit.toml")).expect("pluginkit.toml");
    let doc: toml::Table = text.parse().expect("pluginkit.toml stays TOML");
    doc.get("plugins")
        .and_then(|p| p.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

/// Nothing of an unfinished change is left: no staging folder or its claim, no journal.
fn assert_nothing_half_done(host: &Host) {
    assert!(
        host.staging().is_empty(),
        "staging left: {:?}",
        host.staging()
    );
    assert!(
        !host.path(".pluginkit/journal.json").exists(),
        "a journal is left"
    );
}

/// The first `add` downloading, stalled halfway.
fn stalled_add(host: &Host, server: &StalledServer) -> crate::support::Running {
    let running = host
        .pluginkit()
        .args(["add", &server.url])
        // Far longer than the stall: the download waits, it does not time out.
        .env("PLUGINKIT_HTTP_TIMEOUT", "300")
        .start();
    server.wait_stalled("add URL");
    running
}

#[test]
fn reads_and_another_add_go_on_while_an_add_downloads() {
    let host = Host::new();
    host.put("other.zip", &package("other", "1.0.0", |_| {}));
    host.put("second.zip", &package("second", "1.0.0", |_| {}));
    let (code, _, stderr) = host.run(&["add", "other.zip"]);
    assert_eq!(code, 0, "{stderr}");
    let mut server = StalledServer::serve("/hello-1.0.0.zip", padded("hello", "1.0.0"));
    let first = stalled_add(&host, &server);

    // While it downloads, the commands that read answer at once, with what is installed.
    assert_eq!(listed(&host), pairs(&[("other", "1.0.0")]));
    let info = prompt(&host, &["info", "other"]);
    assert_eq!(info.code, 0, "info: {}", info.stderr);
    assert!(
        info.stdout.contains("other") && info.stdout.contains("1.0.0"),
        "info other:\n{}",
        info.stdout
    );
    let info = prompt(&host, &["info", "hello"]);
    assert_eq!(info.code, 1, "hello is not installed yet: {}", info.stdout);
    assert_eq!(verified(&host), pairs(&[("other", "ok")]));

    // Another add commits meanwhile.
    let second = prompt(&host, &["add", "second.zip"]);
    assert_eq!(second.code, 0, "the second add: {}", second.stderr);
    assert_eq!(
        listed(&host),
        pairs(&[("other", "1.0.0"), ("second", "1.0.0")])
    );
    assert!(!host.plugins().join("hello").exists());
    // The download's staging folder, which the second add's recovery left alone: it is
    // claimed by a live run.
    assert!(
        host.staging().iter().any(|name| !name.ends_with(".lock")),
        "staging: {:?}",
        host.staging()
    );

    // Then the first finishes, and both are recorded.
    server.release();
    let first = first.finish();
    assert_eq!(first.code, 0, "the first add: {}", first.stderr);
    let all = pairs(&[("hello", "1.0.0"), ("other", "1.0.0"), ("second", "1.0.0")]);
    assert_eq!(listed(&host), all);
    assert_eq!(locked(host.root()), all);
    assert_eq!(recorded(&host), ["hello", "other", "second"]);
    assert_eq!(
        verified(&host),
        pairs(&[("hello", "ok"), ("other", "ok"), ("second", "ok")])
    );
    assert_nothing_half_done(&host);
}

/// An `add` whose download is overtaken by another `add` of the same name is refused once it
/// has the package, and leaves the other's plugin and records as they were.
#[test]
fn an_add_overtaken_during_its_download_by_one_of_the_same_name_is_refused() {
    let host = Host::new();
    host.put("hello-2.zip", &package("hello", "2.0.0", |_| {}));
    let mut server = StalledServer::serve("/hello-1.0.0.zip", padded("hello", "1.0.0"));
    let first = stalled_add(&host, &server);

    let second = prompt(&host, &["add", "hello-2.zip"]);
    assert_eq!(second.code, 0, "the second add: {}", second.stderr);
    let before = std::fs::read(host.path("pluginkit.lock")).expect("pluginkit.lock");

    server.release();
    let first = first.finish();
    assert_eq!(first.code, 1, "the first add:\n{}", first.stderr);
    assert!(
        first
            .stderr
            .contains("a plugin named `hello` is already installed"),
        "{}",
        first.stderr
    );
    assert_eq!(listed(&host), pairs(&[("hello", "2.0.0")]));
    assert_eq!(std::fs::read(host.path("pluginkit.lock")).unwrap(), before);
    assert_eq!(verified(&host), pairs(&[("hello", "ok")]));
    assert_nothing_half_done(&host);
}

/// Two `add`s of one name, the first stopped after staging (before it takes the host lock)
/// while the second installs: the first, let go, re-checks under the lock and is refused
/// without `--force`; the second's plugin and records stay whole.
#[test]
fn two_adds_of_one_name_the_one_that_commits_second_is_refused() {
    let host = Host::new();
    host.put("hello-1.zip", &package("hello", "1.0.0", |_| {}));
    host.put("hello-2.zip", &package("hello", "2.0.0", |_| {}));
    let add = |zip: &str| -> Pluginkit { host.pluginkit().args(["add", zip]).timeout(PROMPT) };
    let first = add("hello-1.zip").spawn_paused("install-staged");

    let second = add("hello-2.zip").output();
    assert_eq!(second.code, 0, "the second add: {}", second.stderr);
    let installed = installed_files(&host.plugins().join("hello"));
    let records = (
        std::fs::read(host.path("pluginkit.lock")).expect("pluginkit.lock"),
        std::fs::read(host.path("pluginkit.toml")).expect("pluginkit.toml"),
    );

    let first = first.resume();
    assert_eq!(first.code, 1, "the first add:\n{}", first.stderr);
    assert!(
        first
            .stderr
            .contains("a plugin named `hello` is already installed"),
        "{}",
        first.stderr
    );
    assert_eq!(installed_files(&host.plugins().join("hello")), installed);
    assert_eq!(
        (
            std::fs::read(host.path("pluginkit.lock")).unwrap(),
            std::fs::read(host.path("pluginkit.toml")).unwrap(),
        ),
        records
    );
    assert_eq!(listed(&host), pairs(&[("hello", "2.0.0")]));
    assert_eq!(verified(&host), pairs(&[("hello", "ok")]));
    assert_nothing_half_done(&host);
}

/// `sync` plans from what is installed before it takes the lock: a plugin it staged a
/// replacement for, replaced meanwhile by another run, is left as that run made it.
#[test]
fn a_sync_does_not_replace_what_another_run_installed_after_it_planned() {
    let host = Host::new();
    for version in ["1", "2", "3"] {
        host.put(
            &format!("hello-{version}.zip"),
            &package("hello", &format!("{version}.0.0"), |_| {}),
        );
    }
    let (code, _, stderr) = host.run(&["add", "hello-1.zip"]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::write(
        host.path("pluginkit.toml"),
        "[host]\nplugins-dir = \"plugins\"\n\n[plugins]\nhello = { zip = \"hello-2.zip\" }\n",
    )
    .expect("write pluginkit.toml");
    let sync = host
        .pluginkit()
        .arg("sync")
        .timeout(PROMPT)
        .spawn_paused("install-staged");

    let other = prompt(&host, &["add", "hello-3.zip", "--force"]);
    assert_eq!(other.code, 0, "add --force: {}", other.stderr);
    let records = std::fs::read(host.path("pluginkit.lock")).expect("pluginkit.lock");

    let sync = sync.resume();
    assert_eq!(sync.code, 1, "sync:\n{}", sync.stderr);
    assert!(
        sync.stderr
            .contains("another pluginkit process changed `hello`"),
        "{}",
        sync.stderr
    );
    assert_eq!(listed(&host), pairs(&[("hello", "3.0.0")]));
    assert_eq!(std::fs::read(host.path("pluginkit.lock")).unwrap(), records);
    assert_eq!(verified(&host), pairs(&[("hello", "ok")]));
    assert_nothing_half_done(&host);
}

/// While another run holds the host lock (stopped inside its commit), the commands that only
/// read answer at once, with the host as it is: `list`, `info`, `verify` and `restore --list`.
#[test]
fn reads_answer_while_another_run_holds_the_host_lock() {
    let host = Host::new();
    host.put("other.zip", &package("other", "1.0.0", |_| {}));
    host.put("hello.zip", &package("hello", "1.0.0", |_| {}));
    for args in [["add", "other.zip", ""], ["add", "other.zip", "--force"]] {
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let outcome = prompt(&host, &args);
        assert_eq!(outcome.code, 0, "{args:?}: {}", outcome.stderr);
    }
    let holder = host
        .pluginkit()
        .args(["add", "hello.zip"])
        .spawn_paused("install-journaled");

    assert_eq!(listed(&host), pairs(&[("other", "1.0.0")]));
    let info = prompt(&host, &["info", "other"]);
    assert_eq!(info.code, 0, "info: {}", info.stderr);
    assert_eq!(verified(&host), pairs(&[("other", "ok")]));
    let backups = prompt(&host, &["restore", "other", "--list", "--format", "json"]);
    assert_eq!(backups.code, 0, "restore --list: {}", backups.stderr);
    assert_eq!(
        backups.json()["backups"].as_array().map(Vec::len),
        Some(1),
        "{}",
        backups.stdout
    );

    let holder = holder.resume();
    assert_eq!(holder.code, 0, "the paused add: {}", holder.stderr);
    assert_eq!(
        listed(&host),
        pairs(&[("hello", "1.0.0"), ("other", "1.0.0")])
    );
}
