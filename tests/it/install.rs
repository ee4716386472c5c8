//! Installing, removing and restoring, as a user does it: `add` from a ZIP, a folder or a link,
//! `--force` and `--disabled`; `remove` with and without a backup; `restore` of the latest or a
//! named backup; `verify`; and eight pluginkit processes changing one host at once.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::install;
use crate::support::install::{Host, Node, installed_files, package, snapshot, tree};
use crate::support::{native_plugin, write};

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

fn installed_version(host: &Host) -> String {
    std::fs::read_to_string(host.plugins().join("hello/version.txt")).expect("hello is installed")
}

fn backup_versions(host: &Host) -> Vec<String> {
    host.backups("hello")
        .iter()
        .map(|b| std::fs::read_to_string(b.join("version.txt")).expect("a backup of hello"))
        .collect()
}

fn id(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn remove_keeps_the_last_three_backups_and_restore_puts_them_back() {
    let host = Host::new();
    // Five removals in quick succession, most often within one second.
    for version in ["1.0.0", "2.0.0", "3.0.0", "4.0.0", "5.0.0"] {
        let zip = hello_zip(&host, version);
        ok(&host, &["add", &zip]);
        let stdout = ok(&host, &["remove", "hello"]);
        let newest = host.backups("hello").pop().expect("a backup");
        assert_eq!(
            stdout,
            format!(
                "removed hello (backup: .pluginkit/backups/hello/{}; `pluginkit restore hello` puts it back)\n",
                id(&newest)
            )
        );
    }
    assert!(!host.plugins().join("hello").exists());
    assert_eq!(host.locked(), []);
    assert_eq!(backup_versions(&host), ["3.0.0", "4.0.0", "5.0.0"]);
    let ids: Vec<String> = host.backups("hello").iter().map(|p| id(p)).collect();

    // --list: newest first for people (a table, the IDs first), oldest first in JSON.
    let listed = ok(&host, &["restore", "hello", "--list"]);
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    let listed_ids: Vec<&str> = listed
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(listed_ids, newest_first, "{listed}");
    let (code, json) = host.run_json(&["restore", "hello", "--list", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["name"], "hello");
    let json_ids: Vec<&str> = json["backups"]
        .as_array()
        .expect("backups")
        .iter()
        .map(|b| b["id"].as_str().expect("an ID"))
        .collect();
    assert_eq!(json_ids, ids);

    // The latest, recorded with the source it was installed from.
    let stdout = ok(&host, &["restore", "hello"]);
    assert_eq!(
        stdout,
        format!("restored hello from backup {} into plugins/hello\n", ids[2])
    );
    assert_eq!(installed_version(&host), "5.0.0");
    assert_eq!(host.locked(), [("hello".to_owned(), "5.0.0".to_owned())]);
    let lock = std::fs::read_to_string(host.path("pluginkit.lock")).unwrap();
    assert!(lock.contains("hello-5.0.0.zip\""), "{lock}");
    assert!(lock.contains("sha256 = \""), "{lock}");
    assert_eq!(ok(&host, &["verify"]), "hello: ok\n");
    assert_eq!(backup_versions(&host), ["3.0.0", "4.0.0"]);

    // Over an installed plugin only with --force, which backs that one up.
    let before = snapshot(&host);
    insta::assert_snapshot!(
        "restore_over_an_installed_plugin",
        host.run_snapshot(&["restore", "hello", "--backup", &ids[0]])
    );
    assert_eq!(snapshot(&host), before);
    ok(&host, &["restore", "hello", "--backup", &ids[0], "--force"]);
    assert_eq!(installed_version(&host), "3.0.0");
    assert_eq!(host.locked(), [("hello".to_owned(), "3.0.0".to_owned())]);
    assert_eq!(backup_versions(&host), ["4.0.0", "5.0.0"]);

    // A backup that is not there.
    insta::assert_snapshot!(
        "restore_a_backup_that_is_not_there",
        host.run_snapshot(&["restore", "hello", "--backup", "19990101T000000Z"])
    );
    insta::assert_snapshot!(
        "restore_a_plugin_without_backups",
        host.run_snapshot(&["restore", "nothing"])
    );
}

/// Restoring the oldest of three backups over an installed plugin: the backup of the replaced
/// one prunes the very backup being restored, which must not fail the restore.
#[test]
fn restoring_the_oldest_backup_over_an_installed_plugin() {
    let host = Host::new();
    for version in ["1.0.0", "2.0.0", "3.0.0", "4.0.0"] {
        let zip = hello_zip(&host, version);
        ok(&host, &["add", &zip, "--force"]);
    }
    assert_eq!(backup_versions(&host), ["1.0.0", "2.0.0", "3.0.0"]);
    let oldest = id(&host.backups("hello")[0]);
    ok(&host, &["restore", "hello", "--backup", &oldest, "--force"]);
    assert_eq!(installed_version(&host), "1.0.0");
    assert_eq!(backup_versions(&host), ["2.0.0", "3.0.0", "4.0.0"]);
    assert_eq!(ok(&host, &["verify"]), "hello: ok\n");
}

/// Backups made faster than the clock ticks (or after the clock went back) still sort in the
/// order they were made: the newest is restored and the oldest pruned.
#[test]
fn backup_ids_follow_the_order_of_making_even_when_the_clock_does_not() {
    let host = Host::new();
    // A backup stamped far in the future, as after the clock was set back.
    let future = host.path(".pluginkit/backups/hello/29991231T235959Z");
    write(&future, "plugin.toml", &install::manifest("hello", "0.0.1"));
    write(&future, "version.txt", "0.0.1");
    for version in ["1.0.0", "2.0.0"] {
        let zip = hello_zip(&host, version);
        ok(&host, &["add", &zip]);
        ok(&host, &["remove", "hello"]);
    }
    let ids: Vec<String> = host.backups("hello").iter().map(|p| id(p)).collect();
    assert_eq!(
        ids,
        [
            "29991231T235959Z",
            "29991231T235959Z-1",
            "29991231T235959Z-2"
        ]
    );
    ok(&host, &["restore", "hello"]);
    assert_eq!(installed_version(&host), "2.0.0");
}

#[test]
fn remove_no_backup_deletes_the_plugin() {
    let host = Host::new();
    let zip = hello_zip(&host, "1.0.0");
    ok(&host, &["add", &zip]);
    assert_eq!(
        ok(&host, &["remove", "hello", "--no-backup"]),
        "removed hello\n"
    );
    assert!(!host.plugins().join("hello").exists());
    assert!(host.backups("hello").is_empty());
    assert_eq!(host.locked(), []);
    assert!(!host.path(".pluginkit/receipts/hello.json").exists());
    assert_eq!(tree(&host.plugins()), BTreeMap::new());
    let (code, _, stderr) = host.run(&["restore", "hello"]);
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn verify_reports_changed_added_and_missing_files() {
    let host = Host::new();
    host.put(
        "hello.zip",
        &package("hello", "1.0.0", |zip| {
            install::add_file(zip, "hello/a.txt", b"a\n");
            install::add_file(zip, "hello/sub/b.txt", b"b\n");
        }),
    );
    host.put("other.zip", &package("other", "1.0.0", |_| {}));
    ok(&host, &["add", "hello.zip", "other.zip"]);
    assert_eq!(ok(&host, &["verify"]), "hello: ok\nother: ok\n");

    let dir = host.plugins().join("hello");
    std::fs::write(dir.join("a.txt"), "changed\n").unwrap();
    std::fs::remove_file(dir.join("sub/b.txt")).unwrap();
    std::fs::write(dir.join("sub/c.txt"), "new\n").unwrap();
    // What the host and the state commands write is not a change.
    ok(&host, &["disable", "hello"]);
    write(&dir, "__pycache__/x.cpython-311.pyc", "");

    insta::assert_snapshot!("verify_a_modified_plugin", host.run_snapshot(&["verify"]));
    let (code, json) = host.run_json(&["verify", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        json,
        serde_json::json!({"version": 1, "plugins": [
            {"name": "hello", "status": "modified", "changed": ["a.txt"],
             "added": ["sub/c.txt"], "missing": ["sub/b.txt"]},
            {"name": "other", "status": "ok", "changed": [], "added": [], "missing": []},
        ]})
    );
    // One plugin at a time.
    assert_eq!(ok(&host, &["verify", "other"]), "other: ok\n");
    // A plugin folder gone altogether.
    std::fs::remove_dir_all(host.plugins().join("other")).unwrap();
    let (code, json) = host.run_json(&["verify", "other", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(json["plugins"][0]["status"], "missing");
    // A plugin pluginkit did not install.
    insta::assert_snapshot!(
        "verify_a_plugin_pluginkit_did_not_install",
        host.run_snapshot(&["verify", "stranger"])
    );
}

#[test]
fn add_disabled_installs_it_switched_off() {
    let host = Host::new();
    let zip = hello_zip(&host, "1.0.0");
    ok(&host, &["add", &zip, "--disabled"]);
    assert!(host.plugins().join("hello/DISABLED").is_file());
    let (_, list) = host.run_json(&["list", "--format", "json"]);
    assert_eq!(list["plugins"][0]["state"], "disabled");
    assert_eq!(list["plugins"][0]["state_source"], "disabled-file");
    assert_eq!(ok(&host, &["verify"]), "hello: ok\n");

    // `list` says where a plugin came from (a local path relative to the host, as
    // pluginkit.lock has it), and `-` for one pluginkit did not install.
    native_plugin(&host.plugins(), "local", "");
    let (_, list) = host.run_json(&["list", "--format", "json"]);
    assert_eq!(list["plugins"][0]["source"], format!("zip+./{zip}"));
    assert_eq!(list["plugins"][1]["name"], "local");
    assert!(list["plugins"][1]["source"].is_null());
    let table = ok(&host, &["list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].contains("  SOURCE  "), "{table}");
    assert!(
        lines[1].contains(&format!("  zip {zip}  plugins/hello")),
        "{table}"
    );
    assert!(lines[2].contains("  -  "), "{table}");
}

#[test]
fn add_force_replaces_and_keeps_the_old_one() {
    let host = Host::new();
    let one = hello_zip(&host, "1.0.0");
    let two = hello_zip(&host, "2.0.0");
    ok(&host, &["add", &one]);

    let before = snapshot(&host);
    let (code, _, stderr) = host.run(&["add", &two]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "error: cannot install {two}\n  Caused by: a plugin named `hello` is already installed in"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: pass --force to replace it"),
        "{stderr}"
    );
    assert_eq!(snapshot(&host), before);

    let stdout = ok(&host, &["add", &two, "--force"]);
    let backup = host.backups("hello").pop().expect("a backup");
    assert_eq!(
        stdout,
        format!(
            "replaced hello 2.0.0 in plugins/hello (the old one is in .pluginkit/backups/hello/{})\n",
            id(&backup)
        )
    );
    assert_eq!(installed_version(&host), "2.0.0");
    assert_eq!(
        std::fs::read_to_string(backup.join("version.txt")).unwrap(),
        "1.0.0"
    );
    // The backup keeps what was recorded about it, for a restore: the receipt, the lock's
    // entry and the [plugins] entry.
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backup.with_extension("json")).unwrap()).unwrap();
    assert_eq!(record["receipt"]["version"], "1.0.0");
    assert!(
        record["lock"]
            .as_str()
            .is_some_and(|entry| entry.contains("version = \"1.0.0\"")),
        "{record}"
    );
    assert!(
        record["plugins"]
            .as_str()
            .is_some_and(|entry| entry.starts_with("hello = { zip = \"hello-1.0.0.zip\"")),
        "{record}"
    );
    assert_eq!(host.locked(), [("hello".to_owned(), "2.0.0".to_owned())]);
    assert_eq!(ok(&host, &["verify"]), "hello: ok\n");
}

#[test]
fn add_a_folder_copies_it() {
    let host = Host::new();
    let src = host.path("src/hello");
    write(&src, "plugin.toml", &install::manifest("hello", "1.0.0"));
    write(&src, "README.md", "# hello\n");
    write(&src, "lib/code.py", "x = 1\n");
    write(&src, ".git/HEAD", "ref: refs/heads/main\n");
    write(&src, "__pycache__/code.cpython-311.pyc", "");

    let stdout = ok(&host, &["add", "./src/hello"]);
    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    let files: Vec<String> = installed_files(&host.plugins().join("hello"))
        .into_keys()
        .collect();
    assert_eq!(files, ["README.md", "lib/code.py", "plugin.toml"]);
    assert!(!host.plugins().join("hello").is_symlink());
    let lock = std::fs::read_to_string(host.path("pluginkit.lock")).unwrap();
    assert!(lock.contains("source = \"path+./src/hello\""), "{lock}");
    // A copy: changing the source changes nothing installed.
    write(&src, "lib/code.py", "x = 2\n");
    assert_eq!(ok(&host, &["verify"]), "hello: ok\n");

    // A link inside a folder could point anywhere: refused, nothing changed.
    let other = host.path("src/linked");
    write(&other, "plugin.toml", &install::manifest("linked", "1.0.0"));
    write(&other, "README.md", "# linked\n");
    std::os::unix::fs::symlink("/etc/passwd", other.join("passwd")).unwrap();
    let before = snapshot(&host);
    let (code, _, stderr) = host.run(&["add", "./src/linked"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("passwd is a symbolic link"), "{stderr}");
    assert_eq!(snapshot(&host), before);
}

#[test]
fn add_link_links_a_folder_for_development() {
    let host = Host::new();
    let src = host.path("src/hello");
    write(&src, "plugin.toml", &install::manifest("hello", "1.0.0"));
    write(&src, "README.md", "# hello\n");
    let source_before = tree(&src);

    ok(&host, &["add", "--link", "./src/hello"]);
    let installed = host.plugins().join("hello");
    assert_eq!(
        std::fs::read_link(&installed).unwrap(),
        src.canonicalize().unwrap()
    );
    // Nothing of pluginkit's was written into the developer's folder.
    assert_eq!(tree(&src), source_before);
    assert_eq!(ok(&host, &["verify"]), "hello: ok\n");
    // Edits show at once, and verify says what changed since it was linked.
    write(&src, "README.md", "# hello, edited\n");
    let (code, stdout, _) = host.run(&["verify"]);
    assert_eq!(
        (code, stdout.as_str()),
        (1, "hello: modified\n  changed: README.md\n")
    );

    // Removing a link removes the link only: no backup, the folder stays.
    assert_eq!(ok(&host, &["remove", "hello"]), "removed hello\n");
    assert!(std::fs::symlink_metadata(&installed).is_err());
    assert!(src.join("plugin.toml").is_file());
    assert!(host.backups("hello").is_empty());
    assert_eq!(host.locked(), []);

    // --link is for folders.
    let zip = hello_zip(&host, "1.0.0");
    let (code, _, stderr) = host.run(&["add", "--link", &zip]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--link links a local folder"), "{stderr}");
}

/// Replacing a linked plugin with `--force` drops the link (the folder it points to stays) and
/// keeps no backup of it, as `remove` does.
#[test]
fn add_force_over_a_link() {
    let host = Host::new();
    let src = host.path("src/hello");
    write(&src, "plugin.toml", &install::manifest("hello", "1.0.0"));
    write(&src, "README.md", "# hello\n");
    ok(&host, &["add", "--link", "./src/hello"]);
    let zip = hello_zip(&host, "2.0.0");
    ok(&host, &["add", &zip, "--force"]);
    assert!(!host.plugins().join("hello").is_symlink());
    assert_eq!(installed_version(&host), "2.0.0");
    assert!(src.join("plugin.toml").is_file());
    assert!(host.backups("hello").is_empty());
    assert_eq!(ok(&host, &["verify"]), "hello: ok\n");
}

/// With the plugins folder on another file system than the host root (here: /dev/shm), backups
/// are copies, and nothing is left behind in either place.
#[test]
fn backups_across_file_systems() {
    use std::os::unix::fs::MetadataExt;
    let shm = Path::new("/dev/shm");
    let host = Host::new();
    let other_fs = shm.is_dir()
        && std::fs::metadata(shm).map(|m| m.dev()).ok()
            != std::fs::metadata(host.root()).map(|m| m.dev()).ok();
    if !other_fs {
        eprintln!("skipped: /dev/shm is not another file system here");
        return;
    }
    let plugins = tempfile::tempdir_in(shm).expect("a folder in /dev/shm");
    let dir = plugins.path().to_str().unwrap();
    let one = hello_zip(&host, "1.0.0");
    let two = hello_zip(&host, "2.0.0");
    ok(&host, &["--plugins-dir", dir, "add", &one]);
    ok(&host, &["--plugins-dir", dir, "add", &two, "--force"]);
    ok(&host, &["--plugins-dir", dir, "remove", "hello"]);
    assert_eq!(backup_versions(&host), ["1.0.0", "2.0.0"]);
    assert_eq!(tree(plugins.path()), BTreeMap::new());
    ok(&host, &["--plugins-dir", dir, "restore", "hello"]);
    assert_eq!(
        std::fs::read_to_string(plugins.path().join("hello/version.txt")).unwrap(),
        "2.0.0"
    );
    let leftovers: Vec<String> = tree(&host.path(".pluginkit/backups"))
        .into_keys()
        .filter(|k| k.contains(".pluginkit-") || k.contains(".trash-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A second process waits for the host lock, saying so, and when the first is killed it
/// cleans up after it before doing its own work.
#[test]
fn a_second_process_waits_for_the_lock_and_recovers_after_a_killed_first() {
    use std::io::{BufRead, BufReader};
    let host = Host::new();
    let zip = hello_zip(&host, "1.0.0");
    host.put("other.zip", &package("other", "1.0.0", |_| {}));
    let spawn = |args: &[&str], pause: Option<&str>| {
        let pluginkit = host.pluginkit().args(args);
        match pause {
            Some(step) => pluginkit.pause_at(step),
            None => pluginkit,
        }
        .spawn()
    };
    let first_line = |child: &mut std::process::Child| {
        let mut line = String::new();
        BufReader::new(child.stderr.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        line
    };
    let mut first = spawn(&["add", &zip], Some("install-journaled"));
    assert_eq!(
        first_line(&mut first),
        "pluginkit: paused at install-journaled\n"
    );
    let second = spawn(&["add", "other.zip"], None);
    let mut second = second;
    let waiting = first_line(&mut second);
    assert!(
        waiting.starts_with(&format!(
            "waiting for another pluginkit process (pid {}) to finish with this host",
            first.id()
        )),
        "{waiting}"
    );
    first.kill().unwrap();
    first.wait().unwrap();
    let output = second.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "pluginkit: undid an interrupted install of `hello`; the plugins folder is as it was"
        ),
        "{stderr}"
    );
    assert_eq!(host.locked(), [("other".to_owned(), "1.0.0".to_owned())]);
    assert_eq!(
        tree(&host.plugins())
            .into_keys()
            .filter(|k| !k.contains('/'))
            .collect::<Vec<_>>(),
        ["other"]
    );
}

/// Eight pluginkit processes at once, each adding, toggling, replacing and removing its own
/// plugin: the lock keeps them from interleaving, and the lockfile ends up listing exactly the
/// plugins present.
#[test]
fn eight_processes_at_once_leave_a_lockfile_that_matches_the_plugins() {
    const PROCESSES: usize = 8;
    const ROUNDS: usize = 3;
    let host = Host::new();
    host.put("anchor.zip", &package("anchor", "1.0.0", |_| {}));
    ok(&host, &["add", "anchor.zip"]);
    for i in 0..PROCESSES {
        for version in ["1.0.0", "2.0.0"] {
            host.put(
                &format!("c{i}-{version}.zip"),
                &package(&format!("c{i}"), version, |_| {}),
            );
        }
    }
    let waits: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..PROCESSES)
            .map(|i| {
                let host = &host;
                scope.spawn(move || {
                    let name = format!("c{i}");
                    let one = format!("c{i}-1.0.0.zip");
                    let two = format!("c{i}-2.0.0.zip");
                    let mut waits = 0;
                    for round in 0..ROUNDS {
                        let mut steps: Vec<Vec<&str>> = vec![
                            vec!["add", &one],
                            vec!["disable", &name],
                            vec!["add", &two, "--force"],
                            vec!["enable", &name],
                        ];
                        // The odd ones end removed.
                        if round + 1 < ROUNDS || i % 2 == 1 {
                            steps.push(vec!["remove", &name]);
                        }
                        for args in steps {
                            let (code, stdout, stderr) = host.run(&args);
                            assert_eq!(code, 0, "{args:?}:\n{stdout}\n{stderr}");
                            waits += usize::from(stderr.contains("waiting for another pluginkit"));
                        }
                    }
                    waits
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a worker"))
            .sum()
    });
    eprintln!("{waits} commands waited for the lock");

    let present: Vec<String> = tree(&host.plugins())
        .into_iter()
        .filter(|(path, node)| !path.contains('/') && *node == Node::Dir)
        .map(|(path, _)| path)
        .collect();
    assert_eq!(present, ["anchor", "c0", "c2", "c4", "c6"]);
    let mut expected = vec![("anchor".to_owned(), "1.0.0".to_owned())];
    expected.extend(["c0", "c2", "c4", "c6"].map(|n| (n.to_owned(), "2.0.0".to_owned())));
    assert_eq!(host.locked(), expected);
    let host_toml: toml::Table = std::fs::read_to_string(host.path("pluginkit.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let recorded: Vec<&String> = host_toml["plugins"].as_table().unwrap().keys().collect();
    assert_eq!(recorded, present.iter().collect::<Vec<_>>(), "[plugins]");
    assert_eq!(
        ok(&host, &["verify"]),
        "anchor: ok\nc0: ok\nc2: ok\nc4: ok\nc6: ok\n"
    );
    let (_, list) = host.run_json(&["list", "--format", "json"]);
    for plugin in list["plugins"].as_array().unwrap() {
        assert_eq!(plugin["state"], "enabled", "{plugin}");
    }
    assert!(host.staging().is_empty());
    assert!(!host.path(".pluginkit/journal.json").exists());
    // Each odd plugin was removed three times, each even one twice: all kept as backups.
    for i in 0..PROCESSES {
        let kept = host.backups(&format!("c{i}")).len();
        assert_eq!(kept, 3, "c{i}");
    }
}

/// `add` records what it installed in `pluginkit.toml`'s `[plugins]` (what `sync` installs),
/// keeping the user's comments and layout; `remove` takes the entry out again, leaving the file
/// as it was; a host without `pluginkit.toml` gets none.
#[test]
fn add_and_remove_keep_plugins_in_pluginkit_toml() {
    let host = Host::new();
    let original = "# the host\n[host]\nplugins-dir = \"plugins\"   # where they live\n\n[plugins]\n# pinned by hand\nauth = \"^1.2\"\n";
    std::fs::write(host.path("pluginkit.toml"), original).unwrap();
    let zip = hello_zip(&host, "1.0.0");
    let sha = {
        use sha2::Digest;
        let bytes = std::fs::read(host.path(&zip)).unwrap();
        sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    ok(&host, &["add", &zip]);
    let toml = std::fs::read_to_string(host.path("pluginkit.toml")).unwrap();
    assert_eq!(
        toml,
        format!("{original}hello = {{ zip = \"{zip}\", sha256 = \"{sha}\" }}\n")
    );

    // A folder beside the host is recorded by its path from the host, a link as one.
    let beside = tempfile::tempdir_in(host.root().parent().unwrap()).unwrap();
    let src = beside.path().join("other");
    write(&src, "plugin.toml", &install::manifest("other", "1.0.0"));
    write(&src, "README.md", "# other\n");
    let src_arg = src.display().to_string();
    ok(&host, &["add", "--link", &src_arg]);
    let toml = std::fs::read_to_string(host.path("pluginkit.toml")).unwrap();
    let relative = format!(
        "../{}/other",
        beside.path().file_name().unwrap().to_string_lossy()
    );
    assert!(
        toml.ends_with(&format!(
            "other = {{ path = \"{relative}\", link = true }}\n"
        )),
        "{toml}"
    );

    ok(&host, &["remove", "hello", "other"]);
    assert_eq!(
        std::fs::read_to_string(host.path("pluginkit.toml")).unwrap(),
        original
    );

    // Restoring the backup records it again, from the source it was installed from.
    ok(&host, &["restore", "hello"]);
    let toml = std::fs::read_to_string(host.path("pluginkit.toml")).unwrap();
    assert!(
        toml.contains(&format!(
            "hello = {{ zip = \"{zip}\", sha256 = \"{sha}\" }}"
        )),
        "{toml}"
    );

    // No pluginkit.toml, none made.
    let bare = tempfile::tempdir().unwrap();
    let zip_path = host.path(&zip);
    let (code, _, stderr) = host.context().run_in(
        bare.path(),
        &[
            "--plugins-dir",
            "plugins",
            "add",
            zip_path.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(bare.path().join("plugins/hello").is_dir());
    assert!(!bare.path().join("pluginkit.toml").exists());
}

/// A plugin's `requirements.txt` is shown; `--install-deps` resolves it with uv when uv is on
/// `PATH` (for the host's Python), else with `[host] python -m pip`, and a resolver that fails
/// installs nothing. (tests/it/python_deps.rs runs the real uv and pip against an index.)
#[test]
fn requirements_are_shown_and_installed_with_install_deps() {
    use std::os::unix::fs::PermissionsExt;
    let host = Host::new();
    let zip = "deps-1.0.0.zip";
    host.put(
        zip,
        &package("deps", "1.0.0", |zip| {
            install::add_file(
                zip,
                "deps/requirements.txt",
                b"# pinned\nrequests==2.32.3\n\nflask>=3\n",
            );
        }),
    );
    // Stand-ins for Python and uv that log how they were called, and fail when asked to.
    let bin = host.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = host.path("calls.log");
    let tool = |name: &str| {
        let path = bin.join(name);
        std::fs::write(
            &path,
            format!(
                "#!/bin/sh\nif [ \"$1\" = --version ]; then exit 0; fi\n# pluginkit asks the host's Python its version: not an install.\nif [ \"$1\" = -I ]; then echo 3.11; exit 0; fi\necho \"{name} $*\" >> '{}'\n[ -f '{}' ] && exit 1\nexit 0\n",
                log.display(),
                host.path("fail").display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    };
    let python = tool("python");
    std::fs::write(
        host.path("pluginkit.toml"),
        format!(
            "[host]\nplugins-dir = \"plugins\"\npython = \"{}\"\n",
            python.display()
        ),
    )
    .unwrap();
    let run_with_path = |path: &str, args: &[&str]| {
        let (code, _, stderr) = host.pluginkit().env("PATH", path).args(args).run();
        (code, stderr)
    };
    let no_uv = format!("{}:/usr/bin:/bin", host.path("empty").display());

    // Without --install-deps: shown, not run.
    let (code, stderr) = run_with_path(&no_uv, &["add", zip]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "this plugin needs Python packages (requirements.txt): requests==2.32.3, flask>=3"
        ),
        "{stderr}"
    );
    assert!(!log.exists(), "nothing was run");

    // A resolver that fails installs nothing: the plugin stays as it was.
    std::fs::write(host.path("fail"), "").unwrap();
    let before = snapshot(&host);

    // pip's resolver, with the host's Python, when there is no uv.
    let (code, stderr) = run_with_path(&no_uv, &["add", zip, "--force", "--install-deps"]);
    assert_eq!(code, 1, "{stderr}");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(
        calls.starts_with("python -m pip install --dry-run --ignore-installed --quiet --report "),
        "{calls}"
    );
    assert!(
        stderr.contains("cannot resolve the plugins' Python requirements"),
        "{stderr}"
    );
    assert_eq!(snapshot(&host), before);

    // uv when it is on PATH, for the host's Python.
    std::fs::remove_file(&log).unwrap();
    tool("uv");
    let with_uv = format!("{}:/usr/bin:/bin", bin.display());
    let (code, stderr) = run_with_path(&with_uv, &["add", zip, "--force", "--install-deps"]);
    assert_eq!(code, 1, "{stderr}");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(calls.starts_with("uv pip compile "), "{calls}");
    assert!(
        calls.contains(&format!(" --python {}", python.display())),
        "{calls}"
    );
    assert_eq!(snapshot(&host), before);
    assert!(host.staging().is_empty());
}
