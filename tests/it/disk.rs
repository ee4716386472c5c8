//! Disk that stops growing: `[host] keep-backups` (the newest three of a plugin by default),
//! `restore --list` with what each backup holds and weighs, `cache dir` and `cache clean`, Ctrl-C
//! (and SIGTERM) removing the staging folder and the partial download, and `.pluginkit/` keeping
//! itself out of git.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::install::{self, Host, package, snapshot};
use crate::support::registry::{Plugin, RegistryDir, RegistryServer};
use crate::support::{TestContext, write};

/// `hello` at `version`, with a file saying which version it is.
fn hello_zip(host: &Host, version: &str) -> String {
    let file = format!("hello-{version}.zip");
    host.put(
        &file,
        &package("hello", version, |zip| {
            install::add_file(zip, "hello/version.txt", version.as_bytes());
        }),
    );
    file
}

fn ok(host: &Host, args: &[&str]) -> String {
    let (code, stdout, stderr) = host.run(args);
    assert_eq!(code, 0, "pluginkit {args:?}:\n{stdout}\n{stderr}");
    stdout
}

fn backup_versions(host: &Host) -> Vec<String> {
    host.backups("hello")
        .iter()
        .map(|b| std::fs::read_to_string(b.join("version.txt")).expect("a backup of hello"))
        .collect()
}

/// Install `hello` 1.0.0, then reinstall it over itself at 2.0.0 to 5.0.0 (`add --force`).
fn four_reinstalls(host: &Host) {
    let first = hello_zip(host, "1.0.0");
    ok(host, &["add", &first]);
    for version in ["2.0.0", "3.0.0", "4.0.0", "5.0.0"] {
        let zip = hello_zip(host, version);
        ok(host, &["add", "--force", &zip]);
    }
}

#[test]
fn reinstalls_keep_the_newest_backups_that_keep_backups_says() {
    let host = Host::new();
    four_reinstalls(&host);
    assert_eq!(backup_versions(&host), ["2.0.0", "3.0.0", "4.0.0"]);

    let host = Host::new();
    write(
        host.root(),
        "pluginkit.toml",
        "[host]\nplugins-dir = \"plugins\"\nkeep-backups = 1\n",
    );
    four_reinstalls(&host);
    assert_eq!(backup_versions(&host), ["4.0.0"]);
    // A removal is a change that backs up too.
    let stdout = ok(&host, &["remove", "hello"]);
    assert!(
        stdout.contains("backup: .pluginkit/backups/hello/"),
        "{stdout}"
    );
    assert_eq!(backup_versions(&host), ["5.0.0"]);
    // Nothing but whole backups and their records is left in the folder.
    let left: Vec<String> = std::fs::read_dir(host.path(".pluginkit/backups/hello"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".json"))
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");

    // 0 keeps none: the replaced plugin goes once the change is done, and nothing says it was
    // kept.
    let host = Host::new();
    write(
        host.root(),
        "pluginkit.toml",
        "[host]\nplugins-dir = \"plugins\"\nkeep-backups = 0\n",
    );
    four_reinstalls(&host);
    assert_eq!(backup_versions(&host), Vec::<String>::new());
    let stdout = ok(&host, &["remove", "hello"]);
    assert!(!stdout.contains("backup:"), "{stdout}");
    assert_eq!(backup_versions(&host), Vec::<String>::new());
}

#[test]
fn a_keep_backups_that_is_not_a_count_is_bad_configuration_at_its_line() {
    for bad in ["-1", "\"three\"", "2.5"] {
        let host = Host::new();
        write(
            host.root(),
            "pluginkit.toml",
            &format!("[host]\nplugins-dir = \"plugins\"\nkeep-backups = {bad}\n"),
        );
        let zip = hello_zip(&host, "1.0.0");
        let (code, _, stderr) = host.run(&["add", &zip]);
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains("pluginkit.toml:3:"), "{bad}: {stderr}");
        assert!(stderr.contains("keep-backups"), "{bad}: {stderr}");
        // Said as a setting pluginkit knows, with what it takes.
        assert!(!stderr.contains("unknown field"), "{bad}: {stderr}");
        if bad == "-1" {
            assert!(stderr.contains("0 or more"), "{stderr}");
            assert!(stderr.contains("0 keeps none"), "{stderr}");
        }
        assert!(!host.plugins().exists(), "{bad}: nothing is installed");
    }
}

#[test]
fn restore_list_shows_each_backups_version_source_size_and_date() {
    let host = Host::new();
    let first = hello_zip(&host, "1.0.0");
    ok(&host, &["add", &first]);
    let second = hello_zip(&host, "2.0.0");
    ok(&host, &["add", "--force", &second]);
    ok(&host, &["remove", "hello"]);
    let ids: Vec<String> = host
        .backups("hello")
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(ids.len(), 2);

    let listed = ok(&host, &["restore", "hello", "--list"]);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 3, "{listed}");
    for header in ["BACKUP", "VERSION", "SOURCE", "SIZE", "DATE"] {
        assert!(lines[0].contains(header), "{listed}");
    }
    // Newest first: the one `remove` made holds 2.0.0, the one `add --force` made 1.0.0.
    for (line, (id, version)) in lines[1..]
        .iter()
        .zip([(&ids[1], "2.0.0"), (&ids[0], "1.0.0")])
    {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells[0], id, "{listed}");
        assert_eq!(cells[1], version, "{listed}");
        assert_eq!(
            cells[2..4],
            ["zip", &format!("hello-{version}.zip")],
            "{listed}"
        );
        assert!(cells[5].ends_with("B"), "a size: {listed}");
        let date = format!("{}-{}-{}", &id[..4], &id[4..6], &id[6..8]);
        assert_eq!(cells[6], date, "{listed}");
        assert!(line.ends_with(" UTC"), "{listed}");
    }

    let (code, json) = host.run_json(&["restore", "hello", "--list", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["name"], "hello");
    let backups = json["backups"].as_array().expect("backups");
    assert_eq!(backups.len(), 2);
    for (backup, (id, version)) in backups.iter().zip([(&ids[0], "1.0.0"), (&ids[1], "2.0.0")]) {
        assert_eq!(backup["id"], id.as_str());
        assert_eq!(backup["version"], version);
        assert_eq!(
            backup["source"],
            format!("zip+./hello-{version}.zip"),
            "{backup}"
        );
        let on_disk = du(&host.backups("hello")[if version == "1.0.0" { 0 } else { 1 }])
            + std::fs::metadata(
                host.path(".pluginkit/backups/hello")
                    .join(format!("{id}.json")),
            )
            .unwrap()
            .len();
        assert_eq!(backup["size"], on_disk, "{backup}");
        let date = backup["date"].as_str().unwrap();
        assert_eq!(date.len(), "2026-01-01T00:00:00Z".len(), "{date}");
        assert_eq!(date.replace(['-', ':'], "")[..15], id[..15], "{date}");
    }
}

/// The bytes of the files under `dir`.
fn du(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                du(&e.path())
            } else {
                e.metadata().unwrap().len()
            }
        })
        .sum()
}

#[test]
fn cache_dir_prints_the_cache_and_cache_clean_empties_it() {
    let context = TestContext::new();
    let cache = context.cache_dir().to_path_buf();
    let (code, stdout, stderr) = context.run(&["cache", "dir"]);
    assert_eq!(
        (code, stdout),
        (0, format!("{}\n", cache.display())),
        "{stderr}"
    );

    // Nothing to clean yet.
    let (code, json) = context.run_json(&["cache", "clean", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(
        (json["files"].as_u64(), json["bytes"].as_u64()),
        (Some(0), Some(0))
    );

    write(&cache, "packages/aaaa.zip", &"x".repeat(1000));
    write(&cache, "index/127.0.0.1/index/hello.json", "{}");
    write(
        &cache,
        "index/127.0.0.1/index/hello.json.etag",
        "abc\n\"e\"\n",
    );
    let (code, json) = context.run_json(&["cache", "clean", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["path"], cache.display().to_string());
    assert_eq!(json["files"], 3);
    assert_eq!(json["bytes"], 1000 + 2 + 8);
    assert!(!cache.join("packages").exists());
    assert!(!cache.join("index").exists());

    write(&cache, "packages/bbbb.zip", &"y".repeat(2048));
    let (code, stdout, stderr) = context.run(&["cache", "clean"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        format!("removed 1 file (2.00 KiB) from {}\n", cache.display())
    );
}

/// A registry on 127.0.0.1 whose packages stall halfway, and a host using it.
struct Stalled {
    context: TestContext,
    server: RegistryServer,
    host: Host,
    _reg: RegistryDir,
}

fn stalled() -> Stalled {
    let context = TestContext::new();
    let reg = RegistryDir::new(&context, &context.path("reg"), &context.path("packages"));
    reg.publish(&Plugin::new("hello", "1.0.0").padding(20_000));
    let server = RegistryServer::start(&reg.dir);
    server.stall_packages(true);
    let host = Host::at(&context, &context.path("host"));
    write(
        host.root(),
        "pluginkit.toml",
        &format!(
            "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{}\"\n",
            server.url()
        ),
    );
    Stalled {
        context,
        server,
        host,
        _reg: reg,
    }
}

/// The names in `dir` starting with `prefix` (none when there is no `dir`).
fn named(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// Wait (20 s at most) until `found` finds something: what a run in progress made.
fn wait_for(what: &str, found: impl Fn() -> Vec<PathBuf>) -> Vec<PathBuf> {
    let started = Instant::now();
    loop {
        let paths = found();
        if !paths.is_empty() {
            return paths;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what} never appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Send `signal` to `child` and wait for it: (exit code, stderr).
fn interrupt(mut child: std::process::Child, signal: rustix::process::Signal) -> (i32, String) {
    rustix::process::kill_process(rustix::process::Pid::from_child(&child), signal)
        .expect("signal pluginkit");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for pluginkit") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("pluginkit did not end after {signal:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    use std::os::unix::process::ExitStatusExt;
    (
        status.code().unwrap_or(-status.signal().unwrap_or(0)),
        stderr,
    )
}

#[test]
fn ctrl_c_during_a_registry_download_removes_the_partial_download_and_exits_130() {
    let world = stalled();
    let before = snapshot(&world.host);
    let child = world
        .host
        .pluginkit()
        .args(["add", "hello"])
        .timeout(Duration::from_secs(40))
        .spawn();
    let packages = world.context.cache_dir().join("packages");
    let partial = wait_for("a .download-*.zip in the cache", || {
        named(&packages, ".download-")
            .into_iter()
            .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0))
            .collect()
    });
    let (code, stderr) = interrupt(child, rustix::process::Signal::INT);
    assert_eq!(code, 130, "{stderr}");
    assert!(!partial[0].exists(), "the partial download is removed");
    assert_eq!(named(&packages, ".download-"), Vec::<PathBuf>::new());
    assert_eq!(world.host.staging(), Vec::<String>::new());
    assert_eq!(snapshot(&world.host), before, "nothing else changed");
    assert!(!world.host.plugins().exists(), "no plugins folder is left");
    drop(world.server);
}

#[test]
fn sigterm_during_a_zip_download_removes_the_staging_folder_and_exits_143() {
    let world = stalled();
    // A plugin already there, which stays as it is.
    world
        .host
        .put("other-1.0.0.zip", &package("other", "1.0.0", |_| {}));
    ok(&world.host, &["add", "other-1.0.0.zip"]);
    let before = snapshot(&world.host);
    let url = format!("{}files/hello/hello-1.0.0.zip", world.server.url());
    let child = world
        .host
        .pluginkit()
        .args(["add", &url])
        .timeout(Duration::from_secs(40))
        .spawn();
    let plugins = world.host.plugins();
    let staging = wait_for("a staging folder with a download", || {
        named(&plugins, ".pluginkit-staging-")
            .into_iter()
            .filter(|dir| dir.join(".download.zip").is_file())
            .collect()
    });
    let (code, stderr) = interrupt(child, rustix::process::Signal::TERM);
    assert_eq!(code, 143, "{stderr}");
    assert!(!staging[0].exists(), "the staging folder is removed");
    assert_eq!(
        named(&plugins, ".pluginkit-staging-"),
        Vec::<PathBuf>::new(),
        "nor its claim"
    );
    assert_eq!(snapshot(&world.host), before, "nothing else changed");
    ok(&world.host, &["verify"]);
}

#[test]
fn the_state_folder_keeps_itself_out_of_git() {
    let host = Host::new();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(host.root())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", host.context().home())
            .output()
            .expect("run git");
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q"]);
    let zip = hello_zip(&host, "1.0.0");
    ok(&host, &["add", &zip]);
    let two = hello_zip(&host, "2.0.0");
    ok(&host, &["add", "--force", &two]);
    assert!(host.path(".pluginkit/.gitignore").is_file());
    assert!(host.path(".pluginkit/receipts").is_dir());
    assert!(!host.backups("hello").is_empty());
    let status = git(&["status", "--porcelain", "--untracked-files=all"]);
    let mut untracked: Vec<&str> = status
        .lines()
        .map(|l| l.trim_start_matches("?? "))
        .filter(|p| !p.ends_with(".zip"))
        .collect();
    untracked.sort();
    assert_eq!(
        untracked,
        [
            "pluginkit.lock",
            "pluginkit.toml",
            "plugins/hello/README.md",
            "plugins/hello/plugin.toml",
            "plugins/hello/version.txt",
        ],
        "{status}"
    );

    // Removed, it comes back with the next change.
    std::fs::remove_file(host.path(".pluginkit/.gitignore")).unwrap();
    ok(&host, &["remove", "hello"]);
    assert!(host.path(".pluginkit/.gitignore").is_file());
}

/// Ctrl-C typed in a terminal: pluginkit runs with a pseudo-terminal as its controlling
/// terminal, and `^C` typed there (the terminal sends SIGINT to its foreground process group,
/// not to one process) once the partial download exists.
const TYPE_CTRL_C: &str = r#"
import os, pty, select, sys, time
watched, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
seen = b""
deadline = time.time() + 30
typed = False
while time.time() < deadline:
    if not typed and os.path.isdir(watched) and any(
        n.startswith(".download-") and os.path.getsize(os.path.join(watched, n)) > 0
        for n in os.listdir(watched)
    ):
        os.write(fd, b"\x03")
        typed = True
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
if time.time() >= deadline:
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode("utf-8", "replace"))
sys.stdout.write(f"\n--- typed {typed} exit {os.waitstatus_to_exitcode(status)}\n")
"#;

#[test]
fn ctrl_c_typed_in_a_terminal_removes_the_partial_download_and_exits_130() {
    let world = stalled();
    let before = snapshot(&world.host);
    let script = world.context.home().join("type_ctrl_c.py");
    std::fs::write(&script, TYPE_CTRL_C).unwrap();
    let packages = world.context.cache_dir().join("packages");
    let (_, stdout, stderr) = world
        .host
        .pluginkit()
        .wrapped_in("python3", [script.as_os_str(), packages.as_os_str()])
        .env_remove("CI")
        .env("TERM", "xterm-256color")
        .args(["add", "hello"])
        .timeout(Duration::from_secs(40))
        .run();
    assert!(
        stdout.contains("--- typed True exit 130"),
        "{stdout}\n{stderr}"
    );
    assert_eq!(named(&packages, ".download-"), Vec::<PathBuf>::new());
    assert_eq!(world.host.staging(), Vec::<String>::new());
    assert_eq!(snapshot(&world.host), before, "nothing else changed");
    drop(world.server);
}

/// Without a NAME, `restore --list` lists every plugin's backups, by plugin.
#[test]
fn restore_list_without_a_name_shows_every_plugins_backups() {
    let host = Host::new();
    assert!(ok(&host, &["restore", "--list"]).is_empty());
    for name in ["zeta", "alpha"] {
        let zip = format!("{name}-1.0.0.zip");
        host.put(&zip, &package(name, "1.0.0", |_| {}));
        ok(&host, &["add", &zip]);
        ok(&host, &["remove", name]);
    }
    let hello = hello_zip(&host, "1.0.0");
    ok(&host, &["add", &hello]);

    let listed = ok(&host, &["restore", "--list"]);
    let plugins: Vec<&str> = listed
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(plugins, ["alpha", "zeta"], "{listed}");

    let (code, json) = host.run_json(&["restore", "--list", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    let plugins = json["plugins"].as_array().expect("plugins");
    let names: Vec<&str> = plugins
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alpha", "zeta"]);
    for plugin in plugins {
        assert_eq!(plugin["backups"].as_array().unwrap().len(), 1, "{plugin}");
        assert_eq!(plugin["backups"][0]["version"], "1.0.0");
    }
    // Restoring still needs the plugin's name.
    let (code, _, stderr) = host.run(&["restore"]);
    assert_eq!(code, 2, "{stderr}");
}
