//! Records that always agree (issue 13, point 5; the cases of the plan's records-cases.md): the
//! plugins folder, the receipts, `pluginkit.lock` and `[plugins]` in `pluginkit.toml`, as a team
//! that shares the last two in version control sees them.
//!
//! - `--locked` runs write neither `pluginkit.toml` nor `pluginkit.lock`, also when a plugin
//!   fails or the run is killed (case 1);
//! - the lock is changed entry by entry, never made again from one machine's receipts (case 2);
//! - `restore` puts back the plugin with its receipt as installed, its lock entry and its
//!   `[plugins]` entry (case 3);
//! - records keep their mode, owner and links; new ones get `0666 & ~umask` (case 4);
//! - comments and layout of `[plugins]` entries survive rewrites (case 5);
//! - `remove` refuses to break another plugin's dependency unless `--force` (case 6);
//! - local paths are recorded relative to the host in both files (case 8);
//! - a `--link`ed plugin whose folder is gone is listed as broken and can be removed (case 9);
//! - a lock that cannot be read stops a change instead of being overwritten.
//!
//! Each test fails on pluginkit before the redesign (run them against another build with
//! `PLUGINKIT_TEST_BINARY=PATH cargo test --test it records::`).

use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use crate::support::git::{Workspace, file_url};
use crate::support::install::{self, Host, add_file, package, snapshot, zip_of};
use crate::support::registry::{Plugin, RegistryDir};
use crate::support::{Pluginkit, TestContext, native_plugin, write};

fn ok(host: &Host, args: &[&str]) -> String {
    let (code, stdout, stderr) = host.run(args);
    assert_eq!(
        code,
        0,
        "pluginkit {}:\nstdout:\n{stdout}\nstderr:\n{stderr}",
        args.join(" ")
    );
    stdout
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The folders in a host's plugins folder.
fn installed(host: &Host) -> Vec<String> {
    let mut names = install::names_with_prefix(&host.plugins(), "");
    names.retain(|n| !n.starts_with('.'));
    names.sort();
    names
}

/// The receipts a host has, by plugin name.
fn receipts(host: &Host) -> Vec<String> {
    let mut names: Vec<String> = install::names_with_prefix(&host.path(".pluginkit/receipts"), "")
        .into_iter()
        .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// The entry for `name` in a `[plugins]` text as written: the comment lines right above it and
/// its own line.
fn entry_as_written(toml: &str, name: &str) -> String {
    let lines: Vec<&str> = toml.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(&format!("{name} =")))
        .unwrap_or_else(|| panic!("no entry {name} in:\n{toml}"));
    let first = (0..at)
        .rev()
        .take_while(|i| lines[*i].starts_with('#'))
        .last()
        .unwrap_or(at);
    lines[first..=at].join("\n") + "\n"
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("metadata").mode() & 0o7777
}

/// Run pluginkit until it pauses at `step` (`PLUGINKIT_TEST_PAUSE_AT`), then kill it there.
fn kill_at(run: Pluginkit, step: &str) {
    let mut child = run.pause_at(step).stdout(Stdio::null()).spawn();
    let stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("pluginkit: paused at") {
                let _ = tx.send(Ok(()));
                return;
            }
            seen.push_str(&line);
            seen.push('\n');
        }
        let _ = tx.send(Err(seen));
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(())) => {}
        Ok(Err(stderr)) => {
            let status = child.wait().expect("wait");
            panic!("pluginkit never paused at {step} ({status}):\n{stderr}");
        }
        Err(_) => {
            let _ = child.kill();
            panic!("pluginkit did not pause at {step} within 60 s");
        }
    }
    child.kill().expect("kill");
    let status = child.wait().expect("wait");
    assert_eq!(status.signal(), Some(9), "killed at {step}: {status}");
}

/// A team's plugins, one of every kind of source, beside the hosts that use them: `auth` from a
/// git repository at tag v1.0.0, `hello` from a registry folder (with its dependency `base`),
/// `report` a ZIP file in `pkgs/`, `local` a plugin folder in `src/`. Each host is a folder of
/// the test's root, so `../pkgs` and `../src` are beside every one of them.
struct Team {
    context: TestContext,
    _git: Workspace,
    auth_url: String,
}

impl Team {
    fn new() -> Team {
        let context = TestContext::new();
        let git = Workspace::new();
        let repo = git.repo("auth");
        repo.plugin("", "auth", "1.0.0");
        repo.commit("auth 1.0.0");
        repo.tag("v1.0.0");
        let bare = repo.bare_clone(&git.served().join("auth.git"));
        let auth_url = file_url(&bare);
        let registry = RegistryDir::new(&context, &context.path("reg"), &context.path("packages"));
        registry.publish(&Plugin::new("base", "1.0.0"));
        registry.publish(&Plugin::new("hello", "1.0.0").depends("base", "^1"));
        let zip = context.path("pkgs/report-1.0.0.zip");
        std::fs::create_dir_all(zip.parent().expect("pkgs")).expect("mkdir pkgs");
        std::fs::write(&zip, package("report", "1.0.0", |_| {})).expect("write the zip");
        native_plugin(&context.path("src"), "local", "");
        Team {
            context,
            _git: git,
            auth_url,
        }
    }

    /// `pluginkit.toml` as the team writes it, with comments on the entries.
    fn toml(&self) -> String {
        format!(
            "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{}\"\n\n[plugins]\n# Auth, at its release tag (OPS-12)\nauth = {{ git = \"{}\", tag = \"v1.0.0\" }}  # reviewed\nhello = \"^1.0\" # greets\n\n# Built here\nreport = {{ zip = \"../pkgs/report-1.0.0.zip\" }}\nlocal = {{ path = \"../src/local\" }}\n",
            self.context.path("reg").display(),
            self.auth_url
        )
    }

    /// A host in the folder `rel` of the test's root, with the team's `pluginkit.toml`.
    fn host(&self, rel: &str) -> Host {
        let host = Host::at(&self.context, &self.context.path(rel));
        host.put("pluginkit.toml", self.toml().as_bytes());
        host
    }

    /// A host that `sync` installed everything in: (host, its pluginkit.toml, its lock).
    fn synced(&self, rel: &str) -> (Host, String, String) {
        let host = self.host(rel);
        ok(&host, &["sync"]);
        let toml = read(&host.path("pluginkit.toml"));
        let lock = read(&host.path("pluginkit.lock"));
        (host, toml, lock)
    }

    /// A fresh checkout of a host: only these pluginkit.toml and pluginkit.lock.
    fn checkout(&self, rel: &str, toml: &str, lock: &str) -> Host {
        let host = Host::at(&self.context, &self.context.path(rel));
        host.put("pluginkit.toml", toml.as_bytes());
        host.put("pluginkit.lock", lock.as_bytes());
        host
    }
}

const EVERYTHING: [&str; 5] = ["auth", "base", "hello", "local", "report"];

// ---------------------------------------------------------------------------------------------
// Case 1: `--locked` runs never write pluginkit.toml or pluginkit.lock

#[test]
fn sync_locked_writes_neither_pluginkit_toml_nor_the_lock() {
    let team = Team::new();
    let (_, toml, lock) = team.synced("a");
    let b = team.checkout("b", &toml, &lock);
    ok(&b, &["sync", "--locked"]);
    assert_eq!(installed(&b), EVERYTHING);
    assert_eq!(receipts(&b), EVERYTHING);
    assert_eq!(read(&b.path("pluginkit.toml")), toml, "sync --locked");
    assert_eq!(read(&b.path("pluginkit.lock")), lock, "sync --locked");
    // The tag pin stays a tag pin, which `outdated` follows.
    let outdated = ok(&b, &["outdated", "auth"]);
    assert!(
        outdated.contains("v1.0.0") && !outdated.contains("pinned"),
        "{outdated}"
    );
    // Nothing to do for either sync afterwards, and still nothing written.
    ok(&b, &["sync", "--locked"]);
    ok(&b, &["sync"]);
    assert_eq!(read(&b.path("pluginkit.toml")), toml, "sync");
    assert_eq!(read(&b.path("pluginkit.lock")), lock, "sync");
    assert_eq!(ok(&b, &["verify"]).lines().count(), EVERYTHING.len());
}

#[test]
fn a_failing_sync_locked_writes_nothing_and_its_retry_installs_everything() {
    let team = Team::new();
    let (_, toml, lock) = team.synced("a");
    let b = team.checkout("b", &toml, &lock);
    // `report` comes last, and its file is gone.
    let zip = team.context.path("pkgs/report-1.0.0.zip");
    let aside = team.context.path("report.zip");
    std::fs::rename(&zip, &aside).unwrap();
    let (code, _, stderr) = b.run(&["sync", "--locked"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("report-1.0.0.zip"), "{stderr}");
    assert_eq!(read(&b.path("pluginkit.toml")), toml);
    assert_eq!(read(&b.path("pluginkit.lock")), lock);

    std::fs::rename(&aside, &zip).unwrap();
    ok(&b, &["sync", "--locked"]);
    assert_eq!(installed(&b), EVERYTHING);
    assert_eq!(read(&b.path("pluginkit.toml")), toml);
    assert_eq!(read(&b.path("pluginkit.lock")), lock);
}

#[test]
fn a_sync_locked_killed_between_two_plugins_writes_nothing_and_its_retry_finishes() {
    let team = Team::new();
    let (_, toml, lock) = team.synced("a");
    let b = team.checkout("b", &toml, &lock);
    // Killed once the first plugin (auth) is in place and recorded, before the next one.
    kill_at(b.pluginkit().args(["sync", "--locked"]), "install-recorded");
    assert_eq!(installed(&b), ["auth"]);
    assert_eq!(read(&b.path("pluginkit.toml")), toml);
    assert_eq!(read(&b.path("pluginkit.lock")), lock);

    let (code, _, stderr) = b.run(&["sync", "--locked"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("finished installing `auth`"),
        "the retry first finishes what the killed run left: {stderr}"
    );
    assert_eq!(installed(&b), EVERYTHING);
    assert_eq!(receipts(&b), EVERYTHING);
    assert_eq!(read(&b.path("pluginkit.toml")), toml);
    assert_eq!(read(&b.path("pluginkit.lock")), lock);
    assert_eq!(ok(&b, &["verify"]).lines().count(), EVERYTHING.len());
}

// ---------------------------------------------------------------------------------------------
// Case 2: the lock is updated entry by entry

/// The `[[plugin]]` entries of a lock's text, each as written.
fn lock_entries(lock: &str) -> Vec<String> {
    lock.split("\n[[plugin]]\n")
        .skip(1)
        .map(|entry| format!("[[plugin]]\n{}", entry.trim_end()))
        .collect()
}

#[test]
fn add_and_remove_on_a_fresh_checkout_change_only_their_own_lock_entry() {
    let team = Team::new();
    let (_, toml, lock) = team.synced("a");
    let b = team.checkout("b", &toml, &lock);
    b.put("extra.zip", &package("extra", "1.0.0", |_| {}));

    // Before any `sync --locked`: nothing of the others is installed here.
    ok(&b, &["add", "extra.zip"]);
    let with_extra = read(&b.path("pluginkit.lock"));
    let entries = lock_entries(&with_extra);
    assert_eq!(entries.len(), EVERYTHING.len() + 1, "{with_extra}");
    for entry in lock_entries(&lock) {
        assert!(entries.contains(&entry), "{entry} went:\n{with_extra}");
    }
    assert!(with_extra.contains("name = \"extra\""), "{with_extra}");

    ok(&b, &["remove", "extra"]);
    assert_eq!(read(&b.path("pluginkit.lock")), lock);
}

#[test]
fn a_failing_sync_keeps_the_other_lock_entries_and_a_whole_one_drops_what_nothing_asks_for() {
    let team = Team::new();
    let (_, toml, lock) = team.synced("a");
    // This checkout no longer asks for `local`, and `report`'s file is gone for now.
    let toml = toml.replace("local = { path = \"../src/local\" }\n", "");
    let b = team.checkout("b", &toml, &lock);
    let zip = team.context.path("pkgs/report-1.0.0.zip");
    let aside = team.context.path("report.zip");
    std::fs::rename(&zip, &aside).unwrap();
    let (code, _, stderr) = b.run(&["sync"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        read(&b.path("pluginkit.lock")),
        lock,
        "a sync that failed halfway keeps every entry as it was"
    );

    std::fs::rename(&aside, &zip).unwrap();
    ok(&b, &["sync"]);
    let now = read(&b.path("pluginkit.lock"));
    let kept: Vec<String> = lock_entries(&lock)
        .into_iter()
        .filter(|e| !e.contains("name = \"local\""))
        .collect();
    assert_eq!(lock_entries(&now), kept, "{now}");
    assert_eq!(installed(&b), ["auth", "base", "hello", "report"]);
}

#[test]
fn a_lock_that_cannot_be_read_stops_a_change_and_is_kept() {
    let host = Host::new();
    host.put("hello.zip", &package("hello", "1.0.0", |_| {}));
    let broken =
        "version = 1\n\n[[plugin]]\nname = \"other\"\nsource = \"zip+./other.zip\"\ntree = \n";
    host.put("pluginkit.lock", broken.as_bytes());
    let before = snapshot(&host);
    insta::assert_snapshot!(host.run_snapshot(&["add", "hello.zip"]));
    assert_eq!(snapshot(&host), before);
    assert!(!host.plugins().join("hello").exists());

    // `sync --locked` reads it first of all: the same configuration error, with its line.
    let (code, _, stderr) = host.run(&["sync", "--locked"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("pluginkit.lock:6:")
            && stderr.contains("hint: pluginkit.lock is written by pluginkit"),
        "{stderr}"
    );
    assert_eq!(snapshot(&host), before);
}

// ---------------------------------------------------------------------------------------------
// Case 3: restore puts back the plugin and its three records

#[test]
fn remove_then_restore_puts_back_the_plugin_its_receipt_lock_entry_and_plugins_entry() {
    let team = Team::new();
    let (a, toml, lock) = team.synced("a");
    for name in ["hello", "auth", "report", "local"] {
        let receipt = a.path(&format!(".pluginkit/receipts/{name}.json"));
        let installed_receipt = read(&receipt);
        let entry = entry_as_written(&read(&a.path("pluginkit.toml")), name);
        // Edited after it was installed: `verify` is to go on saying so.
        let readme = a.plugins().join(name).join("README.md");
        std::fs::write(&readme, "edited on the server\n").unwrap();

        ok(&a, &["remove", name]);
        assert!(!read(&a.path("pluginkit.lock")).contains(&format!("name = \"{name}\"")));
        ok(&a, &["restore", name]);
        assert_eq!(read(&readme), "edited on the server\n");
        assert_eq!(read(&a.path("pluginkit.lock")), lock, "{name}: the lock");
        assert_eq!(read(&receipt), installed_receipt, "{name}: the receipt");
        let now = read(&a.path("pluginkit.toml"));
        assert!(
            now.contains(&entry),
            "{name}: [plugins] lacks\n{entry}in\n{now}"
        );
        let (code, stdout, _) = a.run(&["verify", name]);
        assert_eq!(code, 1, "{name}: {stdout}");
        assert!(stdout.contains("README.md"), "{name}: {stdout}");
        assert!(
            a.backups(name).is_empty(),
            "{name}: the restored backup stays"
        );
    }
    // Another server installs exactly what the lock says.
    let toml_now = read(&a.path("pluginkit.toml"));
    assert_eq!(
        toml_now.len(),
        toml.len(),
        "only the order of entries changed"
    );
    let c = team.checkout("c", &toml_now, &lock);
    ok(&c, &["sync", "--locked"]);
    assert_eq!(installed(&c), EVERYTHING);
    assert_eq!(read(&c.path("pluginkit.lock")), lock);
}

#[test]
fn a_plugin_pluginkit_did_not_install_is_restored_without_records() {
    let host = Host::new();
    native_plugin(&host.plugins(), "stranger", "");
    ok(&host, &["remove", "stranger"]);
    ok(&host, &["restore", "stranger"]);
    assert!(host.plugins().join("stranger/plugin.toml").is_file());
    assert_eq!(receipts(&host), Vec::<String>::new());
    let lock = std::fs::read_to_string(host.path("pluginkit.lock")).unwrap_or_default();
    assert!(!lock.contains("stranger"), "{lock}");
    assert!(!read(&host.path("pluginkit.toml")).contains("stranger"));
    let (code, stdout, _) = host.run(&["verify", "stranger"]);
    assert_eq!(code, 1, "not pluginkit's to verify: {stdout}");
}

#[test]
fn a_backup_that_kept_only_the_receipt_still_restores() {
    let host = Host::new();
    host.put("pkgs/report.zip", &package("report", "1.0.0", |_| {}));
    ok(&host, &["add", "pkgs/report.zip"]);
    let lock = read(&host.path("pluginkit.lock"));
    let toml = read(&host.path("pluginkit.toml"));
    std::fs::write(host.plugins().join("report/README.md"), "edited\n").unwrap();
    ok(&host, &["remove", "report"]);
    // What an earlier version kept beside a backup: the receipt alone.
    let backup = host.backups("report").pop().expect("a backup");
    let record = backup.with_extension("json");
    let kept: serde_json::Value = serde_json::from_str(&read(&record)).unwrap();
    let receipt = kept.get("receipt").unwrap_or(&kept);
    std::fs::write(&record, serde_json::to_string_pretty(receipt).unwrap()).unwrap();

    ok(&host, &["restore", "report"]);
    assert_eq!(read(&host.path("pluginkit.lock")), lock);
    assert_eq!(read(&host.path("pluginkit.toml")), toml);
    let (code, stdout, _) = host.run(&["verify", "report"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("README.md"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// Case 4: file modes, owners and links

/// Run pluginkit with `umask` set first.
fn with_umask(run: Pluginkit, umask: &str) -> Pluginkit {
    run.wrapped_in(
        "sh",
        ["-c", &format!("umask {umask} && exec \"$0\" \"$@\"")],
    )
}

#[test]
fn new_records_get_the_default_mode_and_rewritten_ones_keep_theirs_and_their_owner() {
    let host = Host::new();
    for name in ["a", "b", "c"] {
        host.put(&format!("{name}.zip"), &package(name, "1.0.0", |_| {}));
    }
    let run = |args: &[&str]| {
        let (code, stdout, stderr) = with_umask(host.pluginkit().args(args), "027").run();
        assert_eq!(code, 0, "{args:?}:\n{stdout}\n{stderr}");
    };
    // Made with umask 027: 0640 for everything new.
    run(&["add", "a.zip"]);
    run(&["disable", "a"]);
    run(&["enable", "a"]);
    for new in [
        "pluginkit.lock",
        ".pluginkit/receipts/a.json",
        "plugins/a/ENABLED",
    ] {
        assert_eq!(mode(&host.path(new)), 0o640, "{new}");
    }

    // Shared with a deploy group, owned by the app's user.
    let (toml, lock) = (host.path("pluginkit.toml"), host.path("pluginkit.lock"));
    for (path, mode) in [(&toml, 0o640), (&lock, 0o644)] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
    }
    host.put(
        "pluginkit.toml",
        format!("{}c = {{ zip = \"c.zip\" }}\n", read(&toml)).as_bytes(),
    );
    let toml_before = read(&toml);
    run(&["add", "b.zip"]);
    run(&["remove", "a"]);
    run(&["sync"]);
    assert_ne!(
        read(&toml),
        toml_before,
        "the commands rewrote pluginkit.toml"
    );
    for (path, expected) in [(&toml, 0o640), (&lock, 0o644)] {
        let meta = std::fs::metadata(path).unwrap();
        assert_eq!(meta.mode() & 0o7777, expected, "{}", path.display());
        assert_eq!(
            (meta.uid(), meta.gid()),
            (65534, 65534),
            "{}",
            path.display()
        );
    }
    // The backup's record is new too.
    let backup = host.backups("a").pop().expect("a backup");
    assert_eq!(mode(&backup.with_extension("json")), 0o640);
}

#[test]
fn a_published_registry_can_be_served_by_another_user() {
    let context = TestContext::new();
    let plugin = Plugin::new("hello", "1.0.0");
    std::fs::write(context.path("hello-1.0.0.zip"), plugin.zip()).unwrap();
    let (code, _, stderr) = with_umask(
        context
            .pluginkit()
            .args(["registry", "publish", "hello-1.0.0.zip", "--dir", "reg"]),
        "022",
    )
    .run();
    assert_eq!(code, 0, "{stderr}");
    for file in [
        "reg/index/hello.json",
        "reg/search.json",
        "reg/files/hello/hello-1.0.0.zip",
    ] {
        assert_eq!(mode(&context.path(file)), 0o644, "{file}");
    }
}

#[test]
fn a_symlinked_pluginkit_toml_and_lock_are_written_through_their_links() {
    let context = TestContext::new();
    // Capistrano's layout: the release links its configuration from `shared/`.
    let shared = context.path("shared");
    write(
        &shared,
        "pluginkit.toml",
        "[host]\nplugins-dir = \"plugins\"\n\n[plugins]\n",
    );
    std::fs::set_permissions(
        shared.join("pluginkit.toml"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let release = context.path("releases/1");
    std::fs::create_dir_all(&release).unwrap();
    symlink(
        "../../shared/pluginkit.toml",
        release.join("pluginkit.toml"),
    )
    .unwrap();
    // The lock's link points at a file that `add` is to create.
    symlink(
        "../../shared/pluginkit.lock",
        release.join("pluginkit.lock"),
    )
    .unwrap();
    std::fs::write(release.join("hello.zip"), package("hello", "1.0.0", |_| {})).unwrap();

    let run = |args: &[&str]| {
        let (code, stdout, stderr) = context.run_in(&release, args);
        assert_eq!(code, 0, "{args:?}:\n{stdout}\n{stderr}");
    };
    run(&["add", "hello.zip"]);
    for file in ["pluginkit.toml", "pluginkit.lock"] {
        let link = release.join(file);
        assert!(link.is_symlink(), "{file} is no longer a link");
        assert!(read(&shared.join(file)).contains("hello"), "{file}");
    }
    assert_eq!(mode(&shared.join("pluginkit.toml")), 0o640);
    run(&["remove", "hello"]);
    assert!(release.join("pluginkit.toml").is_symlink());
    assert!(!read(&shared.join("pluginkit.toml")).contains("hello"));
    assert!(!read(&shared.join("pluginkit.lock")).contains("hello"));
}

// ---------------------------------------------------------------------------------------------
// Case 5: comments and layout of [plugins] entries survive rewrites

#[test]
fn comments_and_layout_of_plugins_entries_survive_sync_and_add_force() {
    let host = Host::new();
    host.put("pkgs/report.zip", &package("report", "1.0.0", |_| {}));
    host.put("pkgs/hello-1.zip", &package("hello", "1.0.0", |_| {}));
    host.put("pkgs/hello-2.zip", &package("hello", "2.0.0", |_| {}));
    let toml = "# the host\n[host]\nplugins-dir = \"plugins\"\n\n[plugins]\n# Reports, the nightly build\nreport = { zip = \"pkgs/report.zip\" }  # not pinned yet\n\n# Greetings\n#   (ask Ada before changing)\nhello = { zip = \"pkgs/hello-1.zip\" } # v1\n";
    host.put("pluginkit.toml", toml.as_bytes());
    ok(&host, &["sync"]);
    let sha = |zip: &str| crate::support::registry::sha256(&std::fs::read(host.path(zip)).unwrap());
    let synced = toml
        .replace(
            "{ zip = \"pkgs/report.zip\" }",
            &format!(
                "{{ zip = \"pkgs/report.zip\", sha256 = \"{}\" }}",
                sha("pkgs/report.zip")
            ),
        )
        .replace(
            "{ zip = \"pkgs/hello-1.zip\" }",
            &format!(
                "{{ zip = \"pkgs/hello-1.zip\", sha256 = \"{}\" }}",
                sha("pkgs/hello-1.zip")
            ),
        );
    assert_eq!(read(&host.path("pluginkit.toml")), synced);

    ok(&host, &["add", "pkgs/hello-2.zip", "--force"]);
    let forced = synced.replace(
        &format!(
            "{{ zip = \"pkgs/hello-1.zip\", sha256 = \"{}\" }}",
            sha("pkgs/hello-1.zip")
        ),
        &format!(
            "{{ zip = \"pkgs/hello-2.zip\", sha256 = \"{}\" }}",
            sha("pkgs/hello-2.zip")
        ),
    );
    assert_eq!(read(&host.path("pluginkit.toml")), forced);
}

// ---------------------------------------------------------------------------------------------
// Case 6: remove refuses to break a dependency

/// `report`, which depends on `base` ^1.
fn report_zip() -> Vec<u8> {
    zip_of(|zip| {
        let manifest = format!(
            "{}\n[dependencies]\nbase = \"^1\"\n",
            install::manifest("report", "1.0.0")
        );
        add_file(zip, "report/plugin.toml", manifest.as_bytes());
        add_file(zip, "report/README.md", b"# report\n");
    })
}

#[test]
fn remove_refuses_to_break_a_dependency_unless_forced() {
    let host = Host::new();
    host.put("base.zip", &package("base", "1.0.0", |_| {}));
    host.put("report.zip", &report_zip());
    ok(&host, &["add", "base.zip", "report.zip"]);
    let before = snapshot(&host);
    insta::assert_snapshot!(host.run_snapshot(&["remove", "base"]));
    assert_eq!(snapshot(&host), before);
    // Both together.
    ok(&host, &["remove", "base", "report"]);
    assert_eq!(installed(&host), Vec::<String>::new());
    // Or on purpose.
    ok(&host, &["add", "base.zip", "report.zip"]);
    ok(&host, &["remove", "base", "--force"]);
    assert_eq!(installed(&host), ["report"]);
}

// ---------------------------------------------------------------------------------------------
// Case 8: local paths relative to the host, in both files

/// The `source` of each `[[plugin]]` entry of a lock.
fn lock_sources(host: &Host) -> Vec<(String, String)> {
    let doc: toml::Table = read(&host.path("pluginkit.lock")).parse().unwrap();
    doc["plugin"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["source"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn local_paths_are_recorded_relative_to_the_host_and_travel_with_it() {
    let context = TestContext::new();
    let site = context.path("site");
    std::fs::create_dir_all(site.join("pkgs")).unwrap();
    std::fs::write(site.join("pkgs/x-1.0.0.zip"), package("x", "1.0.0", |_| {})).unwrap();
    native_plugin(&site.join("src"), "myplugin", "");
    native_plugin(&site.join("src"), "dev", "");
    let host = Host::at(&context, &site.join("host"));
    ok(&host, &["add", "../pkgs/x-1.0.0.zip", "../src/myplugin"]);
    ok(&host, &["add", "--link", "../src/dev"]);
    assert_eq!(
        lock_sources(&host),
        [
            ("dev".to_owned(), "link+../src/dev".to_owned()),
            ("myplugin".to_owned(), "path+../src/myplugin".to_owned()),
            ("x".to_owned(), "zip+../pkgs/x-1.0.0.zip".to_owned()),
        ]
    );
    let toml = read(&host.path("pluginkit.toml"));
    assert!(toml.contains("zip = \"../pkgs/x-1.0.0.zip\""), "{toml}");
    assert!(toml.contains("path = \"../src/myplugin\""), "{toml}");

    // The whole site moves; a fresh checkout of the host there installs from the lock.
    let moved = context.path("elsewhere/site");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&site, &moved).unwrap();
    let host = Host::at(&context, &moved.join("host"));
    host.put("pluginkit.toml", toml.as_bytes());
    std::fs::remove_dir_all(host.plugins()).unwrap();
    std::fs::remove_dir_all(host.path(".pluginkit")).unwrap();
    ok(&host, &["sync", "--locked"]);
    assert_eq!(installed(&host), ["dev", "myplugin", "x"]);
    assert!(host.plugins().join("dev").is_symlink());
    assert_eq!(read(&host.path("pluginkit.toml")), toml);
    let list = ok(&host, &["list"]);
    assert!(list.contains("  zip ../pkgs/x-1.0.0.zip  "), "{list}");

    // A lock written by an earlier version, with absolute paths, still installs.
    let old = Host::at(&context, &context.path("old"));
    old.put(
        "pluginkit.toml",
        format!(
            "[host]\nplugins-dir = \"plugins\"\n\n[plugins]\nx = {{ zip = \"{0}/pkgs/x-1.0.0.zip\" }}\nmyplugin = {{ path = \"{0}/src/myplugin\" }}\n",
            moved.display()
        )
        .as_bytes(),
    );
    let locked = read(&host.path("pluginkit.lock"))
        .replace(
            "zip+../pkgs",
            &format!("zip+file://{}/pkgs", moved.display()),
        )
        .replace(
            "path+../src",
            &format!("path+file://{}/src", moved.display()),
        );
    let locked: String = locked
        .split("\n[[plugin]]\n")
        .filter(|entry| !entry.contains("name = \"dev\""))
        .collect::<Vec<_>>()
        .join("\n[[plugin]]\n");
    old.put("pluginkit.lock", locked.as_bytes());
    ok(&old, &["sync", "--locked"]);
    assert_eq!(installed(&old), ["myplugin", "x"]);
    assert_eq!(read(&old.path("pluginkit.lock")), locked);
}

// ---------------------------------------------------------------------------------------------
// Case 9: a dangling --link

#[test]
fn a_link_whose_folder_is_gone_is_listed_as_broken_and_can_be_removed() {
    let context = TestContext::new();
    let host = Host::at(&context, &context.path("host"));
    native_plugin(&context.path("src"), "dev", "");
    native_plugin(&host.plugins(), "kept", "");
    ok(&host, &["add", "--link", "../src/dev"]);
    std::fs::remove_dir_all(context.path("src/dev")).unwrap();
    let target = std::fs::read_link(host.plugins().join("dev")).unwrap();
    context.filter(target.display().to_string(), "[TARGET]");

    insta::assert_snapshot!(host.run_snapshot(&["list"]));
    let (code, json) = host.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(json["broken"][0]["name"], "dev", "{json}");
    assert_eq!(
        json["broken"][0]["target"],
        target.display().to_string(),
        "{json}"
    );
    insta::assert_snapshot!(host.run_snapshot(&["info", "dev"]));

    ok(&host, &["remove", "dev"]);
    assert!(std::fs::symlink_metadata(host.plugins().join("dev")).is_err());
    assert_eq!(receipts(&host), Vec::<String>::new());
    assert!(!read(&host.path("pluginkit.lock")).contains("dev"));
    assert!(!read(&host.path("pluginkit.toml")).contains("dev"));
    assert_eq!(installed(&host), ["kept"]);
}
