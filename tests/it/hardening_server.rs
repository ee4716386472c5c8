//! Issue 14's attacks on the server signal and the registry client, each with variants:
//! - a pidfile (or `--pid`) naming a thread of a process, not the process: refused, and the
//!   process gets nothing (`kill` on a thread's ID reaches its whole process);
//! - a FIFO, a device or a folder where the server's files are (`[host] pidfile`,
//!   `.pluginkit/reload.json`): refused at once, never a read that waits forever;
//! - a package `url` in a registry's index that leads outside the registry once a server or the
//!   file system resolves it (`%2e%2e`, double encoding, `..%2f`, `..;`, links): refused, and the
//!   registry's token never goes to a URL outside the registry's root.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::install::{Host, package};
use crate::support::registry::{RegistryServer, sha256};
use crate::support::{TestContext, native_plugin, write};

/// Longer than any of these commands takes, far shorter than a read that waits forever.
const NO_HANG: Duration = Duration::from_secs(20);

/// A process the test started; dropping it (also when the test fails) kills it.
struct Spawned {
    child: Child,
}

impl Spawned {
    fn start(cmd: &mut Command) -> Spawned {
        let child = cmd
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
        Spawned { child }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Assert it still runs a moment later: any signal these tests could send ends it.
    fn assert_untouched(&mut self, what: &str) {
        std::thread::sleep(Duration::from_millis(150));
        let exited = self.child.try_wait().expect("wait on the child");
        assert!(
            exited.is_none(),
            "{what}: PID {} received a signal ({exited:?})",
            self.pid()
        );
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Write `bytes` to `path`, creating folders.
fn put(path: &Path, bytes: &[u8]) {
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
}

fn mkfifo(path: &Path) {
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

// ---------------------------------------------------------------------------------------------
// Item 10: a thread's ID

/// A Python process (it answers to `threadserver`, its script's name) with a second thread,
/// whose thread ID it writes to the file given; SIGHUP, SIGTERM and SIGUSR1 end it.
const THREAD_SERVER: &str = r#"
import os, sys, threading, time

out = sys.argv[1]

def second():
    with open(out + ".tmp", "w") as f:
        f.write(f"{threading.get_native_id()}\n")
    os.rename(out + ".tmp", out)
    while True:
        time.sleep(60)

threading.Thread(target=second, daemon=True).start()
while True:
    time.sleep(60)
"#;

/// A host whose `[host]` section is `host`, with one plugin, `hello`, and the thread server
/// running: (context, the server, its PID, its second thread's ID).
fn thread_server(host: &str) -> (TestContext, Spawned, u32, String) {
    let context = TestContext::new();
    write(
        context.root(),
        "pluginkit.toml",
        &format!("[host]\n{host}\n"),
    );
    native_plugin(&context.path("plugins"), "hello", "");
    let script = context.path("threadserver");
    fs::write(&script, THREAD_SERVER).expect("write the script");
    let tid_file = context.path("run/thread.pid");
    fs::create_dir_all(context.path("run")).expect("mkdir run");
    let server = Spawned::start(Command::new("python3").arg(&script).arg(&tid_file));
    wait_for("the thread's ID", || tid_file.is_file());
    let tid = fs::read_to_string(&tid_file)
        .expect("the thread's ID")
        .trim()
        .to_owned();
    let pid = server.pid();
    assert_ne!(
        tid,
        pid.to_string(),
        "the second thread has an ID of its own"
    );
    (context, server, pid, tid)
}

#[test]
fn a_thread_id_is_refused_and_its_process_gets_nothing() {
    let (context, mut server, pid, tid) =
        thread_server("pidfile = \"run/thread.pid\"\nprocess-name = \"threadserver\"");
    let refused = format!("refusing to signal PID {tid}");
    let thread_of = format!("it is a thread of the process {pid}");
    let runs: &[&[&str]] = &[
        // The pidfile from pluginkit.toml, as the issue found it.
        &["reload"],
        &["reload", "--signal", "TERM"],
        &["reload", "--signal", "USR1", "--wait", "--timeout", "2"],
        &["reload", "--pidfile", "run/thread.pid"],
        &["reload", "--pid", &tid],
        &["status"],
        &["status", "--pid", &tid],
        // A change with --reload is refused before it changes anything.
        &["disable", "hello", "--reload"],
    ];
    for args in runs {
        let outcome = context.pluginkit().args(*args).timeout(NO_HANG).output();
        let what = format!("pluginkit {}", args.join(" "));
        assert_eq!(outcome.code, 1, "{what}:\n{}", outcome.stderr);
        assert!(
            outcome.stderr.contains(&refused) && outcome.stderr.contains(&thread_of),
            "{what}:\n{}",
            outcome.stderr
        );
        assert!(
            outcome.stderr.contains(&format!("--pid {pid}")),
            "{what}: the hint names the process:\n{}",
            outcome.stderr
        );
        server.assert_untouched(&what);
    }
    assert!(
        !context.path("plugins/hello/DISABLED").exists(),
        "a refused reload must change nothing"
    );

    // reload = "always" on a change, and `list`, which never fails for the server.
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\npidfile = \"run/thread.pid\"\nprocess-name = \"threadserver\"\nreload = \"always\"\n",
    );
    let outcome = context
        .pluginkit()
        .args(["disable", "hello"])
        .timeout(NO_HANG)
        .output();
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert!(outcome.stderr.contains(&thread_of), "{}", outcome.stderr);
    assert!(!context.path("plugins/hello/DISABLED").exists());
    let outcome = context.pluginkit().args(["list"]).timeout(NO_HANG).output();
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    server.assert_untouched("reload = \"always\" and list");

    // The process's own PID is the server: status shows it.
    let outcome = context
        .pluginkit()
        .args(["status", "--pid", &pid.to_string(), "--format", "json"])
        .timeout(NO_HANG)
        .output();
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let json = outcome.json();
    assert_eq!(json["running"], true, "{json}");
    server.assert_untouched("status of the process itself");
}

// ---------------------------------------------------------------------------------------------
// Item 16: the server's files are read only when they are regular files

#[test]
fn a_fifo_or_device_as_the_pidfile_is_refused_without_waiting() {
    let context = TestContext::new();
    native_plugin(&context.path("plugins"), "hello", "");
    mkfifo(&context.path("run/fifo.pid"));
    fs::create_dir_all(context.path("run/folder.pid")).expect("mkdir");
    std::os::unix::fs::symlink("fifo.pid", context.path("run/link.pid")).expect("a link");
    for (pidfile, is) in [
        ("run/fifo.pid", "a named pipe (FIFO)"),
        ("run/link.pid", "a named pipe (FIFO)"),
        ("/dev/zero", "a device"),
        ("run/folder.pid", "a folder"),
    ] {
        for reload in ["", "reload = \"always\"\n"] {
            write(
                context.root(),
                "pluginkit.toml",
                &format!("[host]\npidfile = \"{pidfile}\"\nprocess-name = \"sleep\"\n{reload}"),
            );
            let runs: &[&[&str]] = if reload.is_empty() {
                &[
                    &["status"],
                    &["reload"],
                    &["reload", "--pidfile", pidfile],
                    &["status", "--pidfile", pidfile],
                    &["enable", "hello", "--reload"],
                ]
            } else {
                &[&["disable", "hello"], &["enable", "hello"]]
            };
            for args in runs {
                let what = format!("pidfile {pidfile} {reload:?}: pluginkit {}", args.join(" "));
                let outcome = context.pluginkit().args(*args).timeout(NO_HANG).output();
                assert_eq!(outcome.code, 1, "{what}:\n{}", outcome.stderr);
                assert!(
                    outcome
                        .stderr
                        .contains(&format!("it is {is}, not a regular file")),
                    "{what}:\n{}",
                    outcome.stderr
                );
                assert!(
                    !context.path("plugins/hello/DISABLED").exists()
                        && !context.path("plugins/hello/ENABLED").exists(),
                    "{what}: a refused reload must change nothing"
                );
            }
            // `list` and `info` show the plugins without the server's state.
            for args in [&["list"][..], &["info", "hello"]] {
                let what = format!("pidfile {pidfile}: pluginkit {}", args.join(" "));
                let outcome = context.pluginkit().args(args).timeout(NO_HANG).output();
                assert_eq!(outcome.code, 0, "{what}:\n{}", outcome.stderr);
            }
        }
    }
}

#[test]
fn a_fifo_as_the_reload_record_does_not_stop_status() {
    let context = TestContext::new();
    native_plugin(&context.path("plugins"), "hello", "");
    let server = Spawned::start(Command::new("sleep").arg("600"));
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\npidfile = \"run/server.pid\"\nprocess-name = \"sleep\"\n",
    );
    write(
        context.root(),
        "run/server.pid",
        &format!("{}\n", server.pid()),
    );
    mkfifo(&context.path(".pluginkit/reload.json"));
    for args in [&["status"][..], &["list"], &["info", "hello"]] {
        let outcome = context.pluginkit().args(args).timeout(NO_HANG).output();
        assert_eq!(
            outcome.code,
            0,
            "pluginkit {}:\n{}",
            args.join(" "),
            outcome.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Item 15: package URLs that leave the registry

const TOKEN: &str = "s3cret-registry-token-7d1e";

/// Package URLs that leave a registry whose root is `/reg/` for `/secret/hello-1.0.0.zip` once
/// the client, the server or a proxy resolves them; `{base}` is the server's origin.
const ESCAPES: &[&str] = &[
    "%2e%2e/secret/hello-1.0.0.zip",
    "files/hello/%2E%2E/%2e%2E/%2e%2e/secret/hello-1.0.0.zip",
    "files/.%2e/.%2e/secret/hello-1.0.0.zip",
    "files/%252e%252e/%252e%252e/secret/hello-1.0.0.zip",
    "files/..%2f..%2fsecret/hello-1.0.0.zip",
    "files/..%5c..%5csecret/hello-1.0.0.zip",
    "files/..;/..;/secret/hello-1.0.0.zip",
    "{base}/reg/%2e%2e/secret/hello-1.0.0.zip",
    "{base}/reg/files/../../secret/hello-1.0.0.zip",
    "{base}/secret/hello-1.0.0.zip",
];

/// `index/hello.json` with one version whose package is at `url`.
fn index_json(url: &str, package: &[u8]) -> String {
    serde_json::json!({
        "format": 1,
        "name": "hello",
        "versions": [{
            "version": "1.0.0",
            "url": url,
            "sha256": sha256(package),
            "size": package.len(),
            "flavor": "pluginkit",
            "published": "2026-11-21T15:04:05Z",
        }],
    })
    .to_string()
}

/// A host whose default registry is `index`, read with the token in `REG_TOKEN`.
fn registry_host(context: &TestContext, index: &str) -> Host {
    let host = Host::at(context, &context.path("host"));
    host.put(
        "pluginkit.toml",
        format!(
            "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{index}\"\ntoken-env = \"REG_TOKEN\"\n"
        )
        .as_bytes(),
    );
    host
}

/// `pluginkit add hello` in `host`, with an empty package cache (a cached package is used
/// without asking where it is).
fn add_hello(host: &Host) -> (i32, String) {
    let _ = fs::remove_dir_all(host.context().cache_dir().join("packages"));
    let outcome = host
        .pluginkit()
        .args(["add", "hello"])
        .env("REG_TOKEN", TOKEN)
        .env("PLUGINKIT_HTTP_RETRY_DELAY_MS", "10")
        .timeout(NO_HANG)
        .output();
    assert!(
        !outcome.stderr.contains(TOKEN) && !outcome.stdout.contains(TOKEN),
        "the token is shown:\n{}",
        outcome.stderr
    );
    (outcome.code, outcome.stderr)
}

#[test]
fn the_token_never_leaves_an_http_registrys_root() {
    let context = TestContext::new();
    let www = context.path("www");
    let zip = package("hello", "1.0.0", |_| {});
    put(&www.join("secret/hello-1.0.0.zip"), &zip);
    put(&www.join("reg/files/hello/hello-1.0.0.zip"), &zip);
    let server = RegistryServer::start(&www);
    server.require_token(TOKEN);
    let base = server.url();
    let base = base.trim_end_matches('/');
    let host = registry_host(&context, &format!("{base}/reg/"));

    for escape in ESCAPES {
        let url = escape.replace("{base}", base);
        write(&www, "reg/index/hello.json", &index_json(&url, &zip));
        let before = server.hits();
        let (code, stderr) = add_hello(&host);
        let hits = &server.log()[before..];
        let leaked: Vec<_> = hits
            .iter()
            .filter(|hit| !hit.path.starts_with("/reg/") && hit.authorized)
            .collect();
        assert!(leaked.is_empty(), "{url}: the token went to {leaked:?}");
        assert_eq!(code, 1, "{url} was installed:\n{stderr}");
        assert!(!host.path("plugins/hello").exists(), "{url}");
        if !escape.starts_with("{base}") {
            // Relative: refused before any request for it.
            assert!(
                stderr.contains("leads outside the registry"),
                "{url}:\n{stderr}"
            );
            assert!(
                hits.iter()
                    .all(|hit| hit.path.starts_with("/reg/") && !hit.path.ends_with(".zip")),
                "{url}: {hits:?}"
            );
        }
    }

    // Inside the root, the token goes along and the plugin installs.
    write(
        &www,
        "reg/index/hello.json",
        &index_json("files/hello/hello-1.0.0.zip", &zip),
    );
    let (code, stderr) = add_hello(&host);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        server
            .hits_for("/reg/files/hello/hello-1.0.0.zip")
            .iter()
            .any(|hit| hit.authorized)
    );
}

#[test]
fn a_folder_registry_gives_only_regular_files_inside_its_folder() {
    let context = TestContext::new();
    let zip = package("hello", "1.0.0", |_| {});
    let registry = context.path("reg");
    put(&registry.join("files/hello/hello-1.0.0.zip"), &zip);
    put(&context.path("secret/hello-1.0.0.zip"), &zip);
    let host = registry_host(&context, &registry.display().to_string());
    let root_url = format!("file://{}/", registry.display());
    let mut escapes: Vec<String> = ESCAPES
        .iter()
        .filter(|e| !e.starts_with("{base}"))
        .map(|e| (*e).to_owned())
        .collect();
    escapes.push(format!(
        "file://{}",
        context.path("secret/hello-1.0.0.zip").display()
    ));
    escapes.push(format!(
        "{root_url}files/..%2f..%2f..%2fsecret/hello-1.0.0.zip"
    ));
    escapes.push(format!("{root_url}%2e%2e/secret/hello-1.0.0.zip"));
    // A link in the registry that leads out of it.
    std::os::unix::fs::symlink(
        context.path("secret/hello-1.0.0.zip"),
        registry.join("files/hello/link.zip"),
    )
    .expect("a link");
    escapes.push("files/hello/link.zip".to_owned());
    for url in &escapes {
        write(&registry, "index/hello.json", &index_json(url, &zip));
        let (code, stderr) = add_hello(&host);
        assert_eq!(code, 1, "{url} was installed:\n{stderr}");
        assert!(
            stderr.contains("leads outside the registry"),
            "{url}:\n{stderr}"
        );
        assert!(!host.path("plugins/hello").exists(), "{url}");
    }

    // A FIFO as the package or as the index: refused, without waiting for a writer.
    mkfifo(&registry.join("files/hello/fifo.zip"));
    write(
        &registry,
        "index/hello.json",
        &index_json("files/hello/fifo.zip", &zip),
    );
    let (code, stderr) = add_hello(&host);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    fs::remove_file(registry.join("index/hello.json")).expect("rm the index");
    mkfifo(&registry.join("index/hello.json"));
    let (code, stderr) = add_hello(&host);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");

    // The package where the index says, inside: installed.
    fs::remove_file(registry.join("index/hello.json")).expect("rm the FIFO");
    write(
        &registry,
        "index/hello.json",
        &index_json("files/hello/hello-1.0.0.zip", &zip),
    );
    let (code, stderr) = add_hello(&host);
    assert_eq!(code, 0, "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Item 12: a killed `registry publish`

/// A registry folder `reg/` in a test context, published to with `pluginkit registry publish`,
/// and a host that reads it.
struct Published {
    context: TestContext,
    host: Host,
}

impl Published {
    fn new() -> Published {
        let context = TestContext::new();
        let host = Host::at(&context, &context.path("host"));
        host.put(
            "pluginkit.toml",
            format!(
                "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{}\"\n",
                context.path("reg").display()
            )
            .as_bytes(),
        );
        Published { context, host }
    }

    fn registry(&self) -> std::path::PathBuf {
        self.context.path("reg")
    }

    /// Write the package of `name` `version` beside the registry; returns its file name.
    fn put(&self, name: &str, version: &str) -> String {
        let file = format!("{name}-{version}.zip");
        fs::write(self.context.path(&file), package(name, version, |_| {}))
            .expect("write the package");
        file
    }

    fn pluginkit(&self, args: &[&str]) -> crate::support::Pluginkit {
        self.context
            .pluginkit()
            .args(args)
            .args(["--dir", "reg"])
            .timeout(NO_HANG)
    }

    fn publish(&self, zip: &str) -> crate::support::Outcome {
        self.pluginkit(&["registry", "publish", zip]).output()
    }

    fn published(&self, name: &str, version: &str) -> String {
        let zip = self.put(name, version);
        let outcome = self.publish(&zip);
        assert_eq!(outcome.code, 0, "publish {zip}: {}", outcome.stderr);
        zip
    }

    /// What `pluginkit search QUERY --format json` in the host finds: (name, version).
    fn search(&self, query: &str) -> Vec<(String, String)> {
        let outcome = self
            .host
            .pluginkit()
            .args(["search", query, "--format", "json"])
            .timeout(NO_HANG)
            .output();
        assert_eq!(outcome.code, 0, "search {query}: {}", outcome.stderr);
        let json = outcome.json();
        let results = json["plugins"]
            .as_array()
            .unwrap_or_else(|| panic!("no plugins in {json}"));
        results
            .iter()
            .map(|r| {
                (
                    r["name"].as_str().expect("a name").to_owned(),
                    r["version"].as_str().expect("a version").to_owned(),
                )
            })
            .collect()
    }

    /// `search.json` as (name, version) pairs.
    fn search_json(&self) -> Vec<(String, String)> {
        let text = fs::read(self.registry().join("search.json")).expect("search.json");
        let json: serde_json::Value = serde_json::from_slice(&text).expect("JSON");
        json["plugins"]
            .as_array()
            .expect("plugins")
            .iter()
            .map(|e| {
                (
                    e["name"].as_str().expect("a name").to_owned(),
                    e["version"].as_str().expect("a version").to_owned(),
                )
            })
            .collect()
    }

    /// Every file in the registry but its lock, by path inside it.
    fn files(&self) -> Vec<String> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            for entry in fs::read_dir(dir).expect("a folder").filter_map(Result::ok) {
                let path = entry.path();
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    walk(&path, base, out);
                } else {
                    let rel = path
                        .strip_prefix(base)
                        .expect("inside")
                        .to_string_lossy()
                        .into_owned();
                    if rel != ".pluginkit-registry.lock" {
                        out.push(rel);
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.registry(), &self.registry(), &mut out);
        out.sort();
        out
    }
}

fn pair(name: &str, version: &str) -> (String, String) {
    (name.to_owned(), version.to_owned())
}

/// A publish killed while its package is being copied leaves nothing in the registry, not even
/// a temporary file for a web server to hand out: the copy has no name until it is complete.
#[test]
fn a_publish_killed_while_copying_leaves_no_file_in_the_registry() {
    let lab = Published::new();
    lab.published("hello", "1.0.0");
    let before = lab.files();
    let zip = lab.put("hello", "1.1.0");
    lab.pluginkit(&["registry", "publish", &zip])
        .spawn_paused("publish-copying")
        .kill();
    assert_eq!(lab.files(), before, "a killed copy left files");
    assert_eq!(lab.search("hello"), [pair("hello", "1.0.0")]);
    // Killed again after the copy is in place: the package is there, unlisted.
    lab.pluginkit(&["registry", "publish", &zip])
        .spawn_paused("publish-copied")
        .kill();
    assert!(
        lab.files()
            .contains(&"files/hello/hello-1.1.0.zip".to_owned())
    );
    let outcome = lab.publish(&zip);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert_eq!(lab.search("hello"), [pair("hello", "1.1.0")]);
}

/// The issue's case, then another version of the same plugin: a publish killed between its
/// index and search.json; readers find the version by name meanwhile, and the next publish
/// (of another version) leaves search.json saying what the indexes do.
#[test]
fn a_publish_killed_after_its_index_is_repaired_by_the_next_version() {
    let lab = Published::new();
    lab.published("hello", "1.0.0");
    let zip = lab.put("hello", "1.1.0");
    lab.pluginkit(&["registry", "publish", &zip])
        .spawn_paused("publish-indexed")
        .kill();
    // Readers: the index lists 1.1.0, so `add` gets it; search.json is behind until repaired.
    let (code, _, stderr) = lab.host.run(&["add", "hello@1.1.0"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lab.search_json(), [pair("hello", "1.0.0")]);

    // Publishing the same again: refused, and repaired.
    let again = lab.publish(&zip);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again.stderr.contains("is already published"),
        "{}",
        again.stderr
    );
    assert_eq!(lab.search_json(), [pair("hello", "1.1.0")]);

    // Killed once more (1.2.0, after its index), then 1.3.0: both listed.
    let zip = lab.put("hello", "1.2.0");
    lab.pluginkit(&["registry", "publish", &zip])
        .spawn_paused("publish-indexed")
        .kill();
    lab.published("hello", "1.3.0");
    assert_eq!(lab.search_json(), [pair("hello", "1.3.0")]);
    assert_eq!(lab.search("hello"), [pair("hello", "1.3.0")]);
    let left: Vec<String> = lab
        .files()
        .into_iter()
        .filter(|f| f.rsplit('/').next().is_some_and(|n| n.starts_with('.')))
        .collect();
    assert!(left.is_empty(), "left in the registry: {left:?}");
}

/// What an interrupted yank leaves (its index written, search.json not) is repaired by the next
/// yank even when that one changes nothing, and by a publish of another version; temporary files
/// of interrupted writes go with it.
#[test]
fn an_interrupted_yank_is_repaired_by_the_next_yank_or_publish() {
    let lab = Published::new();
    lab.published("hello", "1.0.0");
    lab.published("hello", "1.1.0");
    let current = fs::read(lab.registry().join("search.json")).expect("search.json");
    let yank = lab.pluginkit(&["registry", "yank", "hello@1.1.0"]).output();
    assert_eq!(yank.code, 0, "{}", yank.stderr);
    assert_eq!(lab.search_json(), [pair("hello", "1.0.0")]);
    // As a yank killed between the index and search.json leaves it.
    fs::write(lab.registry().join("search.json"), &current).expect("search.json");
    for left in ["index/.pluginkit-write-a1B2c3", ".pluginkit-write-a1B2c3"] {
        fs::write(lab.registry().join(left), "{\"half").expect("a temporary file");
    }
    let again = lab.pluginkit(&["registry", "yank", "hello@1.1.0"]).output();
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(lab.search_json(), [pair("hello", "1.0.0")]);
    assert_eq!(
        lab.files(),
        [
            "files/hello/hello-1.0.0.zip",
            "files/hello/hello-1.1.0.zip",
            "index/hello.json",
            "search.json"
        ]
    );

    // Again, repaired this time by publishing another version.
    fs::write(lab.registry().join("search.json"), &current).expect("search.json");
    fs::write(
        lab.registry().join("files/hello/.pluginkit-publish-a1B2c3"),
        "half a package",
    )
    .expect("a temporary file");
    lab.published("hello", "0.9.0");
    assert_eq!(lab.search_json(), [pair("hello", "1.0.0")]);
    assert_eq!(lab.search("hello"), [pair("hello", "1.0.0")]);
    assert!(
        !lab.files().iter().any(|f| f.contains(".pluginkit-")),
        "{:?}",
        lab.files()
    );

    // A FIFO where search.json is: readers refuse it rather than wait.
    fs::remove_file(lab.registry().join("search.json")).expect("rm search.json");
    mkfifo(&lab.registry().join("search.json"));
    let outcome = lab
        .host
        .pluginkit()
        .args(["search", "hello"])
        .timeout(NO_HANG)
        .output();
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("not a regular file"),
        "{}",
        outcome.stderr
    );
}
