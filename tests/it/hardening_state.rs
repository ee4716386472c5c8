//! Issue 14, items 4 and 6: pluginkit's own state in `.pluginkit/` is not trusted, and a
//! `[plugins]` key is a plugin's name.
//!
//! The host is in a folder of its own (`host/`) beside a `victim/` folder that stands for
//! everything outside it: a crafted journal, receipt or lock, or a link in the state folder,
//! never makes pluginkit move, delete, truncate or write anything there; each is an error
//! naming the file, and a FIFO there hangs nothing (every run is bounded by a timeout). A
//! `[plugins]` entry whose key is not the name of the plugin it installs (the README's own
//! `dev = { path = ... }`) is refused with both names and its line, instead of being installed
//! and then removed as not asked for by the same `sync`, which said it succeeded.

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::TestContext;
use crate::support::install::{Host, manifest, package};

/// A run that must not hang: far more than it needs.
const PROMPT: Duration = Duration::from_secs(30);

/// A host in `host/` and a `victim/` folder beside it, holding a secret and a few folders that
/// look like backups (which a prune through a link would delete).
struct Lab {
    context: TestContext,
    host: Host,
}

impl Lab {
    fn new() -> Lab {
        let context = TestContext::new();
        let host = Host::at(&context, &context.root().join("host"));
        let lab = Lab { context, host };
        let victim = lab.victim();
        for dir in [
            ".ssh",
            "ssh",
            "20200101T000000Z",
            "20200102T000000Z",
            "20200103T000000Z",
            "20200104T000000Z",
            ".config",
        ] {
            std::fs::create_dir_all(victim.join(dir)).unwrap();
            std::fs::write(victim.join(dir).join("id_rsa"), "secret").unwrap();
        }
        std::fs::write(victim.join("notes.txt"), "keep me").unwrap();
        lab
    }

    fn victim(&self) -> PathBuf {
        self.context.root().join("victim")
    }

    /// Every file under `victim/` and its content: what must not change.
    fn victim_files(&self) -> BTreeMap<String, String> {
        files(&self.victim())
    }

    /// Install `hello` from a ZIP file.
    fn install_hello(&self) {
        self.host
            .put("hello.zip", &package("hello", "1.0.0", |_| {}));
        let (code, _, stderr) = self.host.run(&["add", "hello.zip"]);
        assert_eq!(code, 0, "{stderr}");
    }

    /// Install `hello` again, whatever is left of it.
    fn install_hello_again(&self) {
        let (code, _, stderr) = self.host.run(&["add", "hello.zip", "--force"]);
        assert_eq!(code, 0, "{stderr}");
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.host
            .pluginkit()
            .args(args)
            .timeout(PROMPT)
            .output()
            .parts()
    }
}

fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(path.clone());
            }
            let content = if kind.is_file() {
                std::fs::read_to_string(&path).unwrap_or_default()
            } else if kind.is_dir() {
                "<dir>".to_owned()
            } else {
                "<other>".to_owned()
            };
            out.insert(path.display().to_string(), content);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The journal

/// The input: a journal that "finishes removing" `victim/.ssh` into the backups, run
/// by a read-only `list`; and variants: a valid name with a staging folder outside the plugins
/// folder, one reached with `..`, the staging folder of another host's plugins folder, an
/// install that would record and back up outside, an unknown operation. Each is an error
/// naming the journal, which stays for the user to look at, and nothing outside moves.
#[test]
fn a_crafted_journal_never_moves_anything_outside_the_plugins_folder() {
    let lab = Lab::new();
    lab.install_hello();
    let victim = lab.victim();
    let plugins = lab.host.plugins();
    // Another host's plugins folder, with what looks like a killed removal's staging folder.
    let other = lab
        .context
        .root()
        .join("other/plugins/.pluginkit-staging-1-1-0");
    std::fs::create_dir_all(other.join("ssh")).unwrap();
    std::fs::write(other.join("ssh/id_rsa"), "other host's").unwrap();
    let before = lab.victim_files();
    let other_before = files(&lab.context.root().join("other"));
    let json = |value: serde_json::Value| value.to_string();
    let journals = [
        json(serde_json::json!({
            "op": "remove", "name": ".ssh", "staging": victim, "backup": true, "source": ""
        })),
        json(serde_json::json!({
            "op": "remove", "name": "ssh", "staging": victim, "backup": true, "source": ""
        })),
        json(serde_json::json!({
            "op": "remove", "name": "ssh",
            "staging": plugins.join(".pluginkit-staging-1-1-0/../../../victim"),
            "backup": true, "source": ""
        })),
        json(serde_json::json!({
            "op": "remove", "name": "ssh", "staging": other, "backup": true, "source": ""
        })),
        json(serde_json::json!({
            "op": "remove", "name": "../../victim/ssh",
            "staging": plugins.join(".pluginkit-staging-1-1-0"), "backup": true, "source": ""
        })),
        json(serde_json::json!({
            "op": "install", "name": "ssh", "staging": victim, "txn": "x", "had_old": true,
            "source": "zip+file:hello.zip"
        })),
        json(serde_json::json!({
            "op": "chmod", "name": "hello", "staging": plugins.join(".pluginkit-staging-1-1-0")
        })),
    ];
    for journal in journals {
        lab.host.put(".pluginkit/journal.json", journal.as_bytes());
        for args in [&["list"][..], &["remove", "hello"][..], &["verify"][..]] {
            let (code, stdout, stderr) = lab.run(args);
            assert_eq!(
                lab.victim_files(),
                before,
                "{journal}: `{args:?}` changed the victim's files:\n{stdout}{stderr}"
            );
            assert_eq!(
                files(&lab.context.root().join("other")),
                other_before,
                "{journal}: `{args:?}` changed another host's plugins folder"
            );
            if args[0] == "list" {
                assert_eq!(code, 1, "{journal}: {stdout}{stderr}");
                assert!(
                    stderr.contains("journal.json") && stderr.contains("hint:"),
                    "{journal}: the error names the journal and how to mend it: {stderr}"
                );
            }
        }
        assert!(
            lab.host.path(".pluginkit/journal.json").exists(),
            "{journal}: the journal is left for the user to look at"
        );
        assert!(lab.host.plugins().join("hello/plugin.toml").exists());
    }
    // Mended as the hint says, the host works again.
    std::fs::remove_file(lab.host.path(".pluginkit/journal.json")).unwrap();
    let (code, _, stderr) = lab.run(&["remove", "hello"]);
    assert_eq!(code, 0, "{stderr}");
}

/// A FIFO or a link to a device as the journal hangs nothing and reads nothing: an error
/// naming it.
#[test]
fn a_journal_that_is_no_regular_file_is_refused_without_waiting() {
    let lab = Lab::new();
    lab.install_hello();
    let journal = lab.host.path(".pluginkit/journal.json");
    let status = std::process::Command::new("mkfifo")
        .arg(&journal)
        .status()
        .unwrap();
    assert!(status.success());
    let (code, stdout, stderr) = lab.run(&["list"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("journal.json"), "{stderr}");
    std::fs::remove_file(&journal).unwrap();
    symlink("/dev/zero", &journal).unwrap();
    let (code, stdout, stderr) = lab.run(&["list"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Links in the state folder

/// The input: `.pluginkit/backups/hello` as a link to another folder made `remove`
/// move the plugin there and the pruning delete what looked like old backups. Now `remove`
/// refuses before anything moves, naming the link; so do `add --force` (which backs up the
/// plugin it replaces) and `restore` (which reads the backups).
#[test]
fn a_linked_backups_folder_is_never_moved_into_or_pruned() {
    let lab = Lab::new();
    lab.install_hello();
    let before = lab.victim_files();
    std::fs::create_dir_all(lab.host.path(".pluginkit/backups")).unwrap();
    symlink(lab.victim(), lab.host.path(".pluginkit/backups/hello")).unwrap();
    for args in [
        &["remove", "hello"][..],
        &["add", "hello.zip", "--force"][..],
        &["restore", "hello"][..],
    ] {
        let (code, stdout, stderr) = lab.run(args);
        assert_eq!(
            lab.victim_files(),
            before,
            "{args:?} changed the victim: {stdout}{stderr}"
        );
        assert_eq!(code, 1, "{args:?}: {stdout}{stderr}");
        assert!(
            stderr.contains("backups/hello") && stderr.contains("symbolic link"),
            "{args:?}: {stderr}"
        );
        assert!(
            lab.host.plugins().join("hello/plugin.toml").exists(),
            "{args:?}"
        );
        assert!(lab.host.staging().is_empty(), "{args:?}");
    }
    // The whole backups folder as a link: the same.
    std::fs::remove_file(lab.host.path(".pluginkit/backups/hello")).unwrap();
    std::fs::remove_dir(lab.host.path(".pluginkit/backups")).unwrap();
    symlink(lab.victim(), lab.host.path(".pluginkit/backups")).unwrap();
    let (code, stdout, stderr) = lab.run(&["remove", "hello"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(lab.victim_files(), before);
    assert!(lab.host.plugins().join("hello/plugin.toml").exists());
}

/// The input: `.pluginkit/lock` as a link truncated its target (and wrote a PID in
/// it). Variants: a hard link, the receipts folder as a link (the receipt would be written
/// there), a receipt as a link (written through), `.pluginkit` itself as a link.
#[test]
fn links_in_the_state_folder_are_never_written_through() {
    let lab = Lab::new();
    lab.host
        .put("hello.zip", &package("hello", "1.0.0", |_| {}));
    let before = lab.victim_files();
    let state = lab.host.path(".pluginkit");
    std::fs::create_dir_all(&state).unwrap();

    symlink(lab.victim().join("notes.txt"), state.join("lock")).unwrap();
    let (code, stdout, stderr) = lab.run(&["add", "hello.zip"]);
    assert_eq!(
        lab.victim_files(),
        before,
        "the lock's link target changed: {stdout}{stderr}"
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains("lock") && stderr.contains("symbolic link"),
        "{stderr}"
    );
    std::fs::remove_file(state.join("lock")).unwrap();

    std::fs::hard_link(lab.victim().join("notes.txt"), state.join("lock")).unwrap();
    let (code, stdout, stderr) = lab.run(&["add", "hello.zip"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(lab.victim_files(), before, "the lock's other name changed");
    std::fs::remove_file(state.join("lock")).unwrap();

    symlink(lab.victim().join(".config"), state.join("receipts")).unwrap();
    let (code, stdout, stderr) = lab.run(&["add", "hello.zip"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("receipts"), "{stderr}");
    assert_eq!(
        lab.victim_files(),
        before,
        "a receipt was written through a link"
    );
    assert!(
        !lab.host.plugins().join("hello").exists(),
        "refused before anything changed"
    );
    std::fs::remove_file(state.join("receipts")).unwrap();

    std::fs::create_dir_all(state.join("receipts")).unwrap();
    symlink(
        lab.victim().join("notes.txt"),
        state.join("receipts/hello.json"),
    )
    .unwrap();
    let (code, stdout, stderr) = lab.run(&["add", "hello.zip"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        lab.victim_files(),
        before,
        "a receipt was written through a link"
    );
    assert!(
        !std::fs::symlink_metadata(state.join("receipts/hello.json"))
            .unwrap()
            .is_symlink(),
        "the link is replaced by the receipt"
    );
    let (code, stdout, stderr) = lab.run(&["remove", "hello", "--no-backup"]);
    assert_eq!(code, 0, "{stdout}{stderr}");

    std::fs::remove_dir_all(&state).unwrap();
    symlink(lab.victim().join(".config"), &state).unwrap();
    let (code, stdout, stderr) = lab.run(&["add", "hello.zip"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains(".pluginkit"), "{stderr}");
    assert_eq!(
        lab.victim_files(),
        before,
        "written through a linked .pluginkit"
    );
}

/// A receipt whose name is a path (or not its file's) is not acted on: `sync` would remove
/// "what nobody asks for any more" by that name, from outside the plugins folder.
#[test]
fn a_receipt_naming_a_path_is_never_removed_by_sync() {
    let lab = Lab::new();
    lab.install_hello();
    let receipt = lab.host.path(".pluginkit/receipts/hello.json");
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&receipt).unwrap()).unwrap();
    // A folder in the host for a `..`-name's staging path to resolve to: a removal by that name
    // then moves the victim's folder into the host (which the attacker's checkout may be).
    std::fs::create_dir_all(lab.host.path("victim")).unwrap();
    let before = lab.victim_files();
    for (file, name) in [
        ("evil.json", "../../victim/ssh"),
        ("ssh.json", "../../victim/ssh"),
        ("x.json", "../../victim"),
    ] {
        value["name"] = name.into();
        lab.host.put(
            &format!(".pluginkit/receipts/{file}"),
            value.to_string().as_bytes(),
        );
    }
    std::fs::write(
        lab.host.path("pluginkit.toml"),
        "[host]\nplugins-dir = \"plugins\"\n\n[plugins]\n",
    )
    .unwrap();
    let (_, stdout, stderr) = lab.run(&["sync"]);
    assert_eq!(lab.victim_files(), before, "{stdout}{stderr}");
    let (_, stdout, stderr) = lab.run(&["verify"]);
    assert_eq!(lab.victim_files(), before, "{stdout}{stderr}");
}

/// A `pluginkit.lock` entry whose name is a path is refused where it is written.
#[test]
fn a_lock_entry_naming_a_path_is_refused_with_its_line() {
    let lab = Lab::new();
    lab.install_hello();
    let lock = std::fs::read_to_string(lab.host.path("pluginkit.lock")).unwrap();
    let crafted = lock.replace("name = \"hello\"", "name = \"../../victim/ssh\"");
    assert_ne!(crafted, lock);
    std::fs::write(lab.host.path("pluginkit.lock"), &crafted).unwrap();
    let before = lab.victim_files();
    let (code, stdout, stderr) = lab.run(&["sync", "--locked"]);
    // As for any lock that cannot be read.
    assert!(code == 1 || code == 2, "{code}: {stdout}{stderr}");
    assert!(
        stderr.contains("pluginkit.lock:") && stderr.contains("not a plugin name"),
        "{stderr}"
    );
    assert_eq!(lab.victim_files(), before);
}

// ---------------------------------------------------------------------------------------------
// [plugins] keys

/// A plugin folder `dev-plugin/` holding the plugin `hello`.
fn dev_plugin(host: &Host) {
    host.put(
        "dev-plugin/plugin.toml",
        manifest("hello", "1.0.0").as_bytes(),
    );
    host.put("dev-plugin/README.md", b"# hello\n");
}

/// The README's own example, `dev = { path = ... }` for a plugin named otherwise: `sync`
/// installed it, removed it as not asked for, said it succeeded, and did it again on every
/// run. Now refused, with both names and the line, before anything is installed; linked or
/// not, and on every run alike.
#[test]
fn a_plugins_key_that_is_not_the_plugins_name_is_refused_with_its_line() {
    for link in [false, true] {
        let lab = Lab::new();
        dev_plugin(&lab.host);
        std::fs::write(
            lab.host.path("pluginkit.toml"),
            format!(
                "[host]\nplugins-dir = \"plugins\"\n\n[plugins]\ndev = {{ path = \"dev-plugin\", link = {link} }}\n"
            ),
        )
        .unwrap();
        for _ in 0..2 {
            let (code, stdout, stderr) = lab.run(&["sync"]);
            assert_eq!(code, 2, "link = {link}: {stdout}{stderr}");
            assert!(
                stderr.contains("`dev`")
                    && stderr.contains("`hello`")
                    && stderr.contains("pluginkit.toml:5:"),
                "link = {link}: {stderr}"
            );
            assert!(
                !lab.host.plugins().join("hello").exists()
                    && !lab.host.plugins().join("dev").exists(),
                "link = {link}: nothing is installed"
            );
            assert!(lab.host.staging().is_empty());
            assert!(!lab.host.path("pluginkit.lock").exists());
        }
        // Named after the plugin, it installs and stays.
        std::fs::write(
            lab.host.path("pluginkit.toml"),
            format!(
                "[host]\nplugins-dir = \"plugins\"\n\n[plugins]\nhello = {{ path = \"dev-plugin\", link = {link} }}\n"
            ),
        )
        .unwrap();
        for _ in 0..2 {
            let (code, stdout, stderr) = lab.run(&["sync"]);
            assert_eq!(code, 0, "{stdout}{stderr}");
            assert!(lab.host.plugins().join("hello/plugin.toml").exists());
        }
    }
}

/// A key that breaks the plugin-name rule (a path, Python's own name, hidden) is refused
/// with its line, before anything is fetched or written.
#[test]
fn a_plugins_key_that_is_no_plugin_name_is_refused_with_its_line() {
    for key in [
        "\"../x\"",
        "__pycache__",
        "\".hidden\"",
        "\"a/b\"",
        "\"..\"",
    ] {
        let lab = Lab::new();
        dev_plugin(&lab.host);
        std::fs::write(
            lab.host.path("pluginkit.toml"),
            format!("[host]\nplugins-dir = \"plugins\"\n\n[plugins]\n{key} = {{ path = \"dev-plugin\" }}\n"),
        )
        .unwrap();
        let outside = |lab: &Lab| {
            let mut all = files(lab.host.root());
            all.retain(|path, _| !path.contains("/.pluginkit"));
            all.extend(lab.victim_files());
            all
        };
        let before = outside(&lab);
        let (code, stdout, stderr) = lab.run(&["sync"]);
        assert_eq!(code, 2, "{key}: {stdout}{stderr}");
        assert!(
            stderr.contains("not a plugin name") && stderr.contains("pluginkit.toml:5:"),
            "{key}: {stderr}"
        );
        assert_eq!(outside(&lab), before, "{key}: sync wrote files");
    }
}

// ---------------------------------------------------------------------------------------------
// Item 11: what a killed switch leaves in the plugin

/// The temporary file of a marker that a killed `enable` or `disable` left in the plugin (of
/// this version, or an earlier one's `.pluginkit-marker-*`) is swept by the next switch of the
/// plugin, and `verify` then finds nothing added. (The kill itself, at `toggle-writing`, is in
/// toggle_crash.rs.)
#[test]
fn a_markers_leftover_temporary_file_is_swept_by_the_next_switch() {
    for leftover in [".pluginkit-marker-Ab12Cd", ".pluginkit-write-Ab12Cd"] {
        let lab = Lab::new();
        lab.install_hello();
        let path = lab.host.plugins().join("hello").join(leftover);
        std::fs::write(&path, "").unwrap();
        for command in ["disable", "enable"] {
            let (code, stdout, stderr) = lab.run(&[command, "hello"]);
            assert_eq!(code, 0, "{stdout}{stderr}");
            assert!(!path.exists(), "{leftover} is left after {command}");
            let (code, stdout, stderr) = lab.run(&["verify"]);
            assert_eq!(code, 0, "{leftover}: verify: {stdout}{stderr}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Mutated state files

/// Journals, receipts and locks mutated at random (bytes flipped, cut short, names and paths
/// replaced by hostile ones): every command that reads them ends with 0, 1 or 2 (no panic, no
/// abort, no hang: each run is bounded), and nothing outside the host changes. A failure prints
/// the seed; `PLUGINKIT_STATE_SEED=N` replays it.
#[test]
fn mutated_state_files_never_crash_or_reach_outside() {
    let seed = std::env::var("PLUGINKIT_STATE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    let mut rng = seed;
    let mut random = move |below: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % below.max(1) as u64) as usize
    };
    let lab = Lab::new();
    lab.install_hello();
    let victim = lab.victim();
    let hostile: Vec<String> = vec![
        "../../victim/ssh".into(),
        ".ssh".into(),
        "..".into(),
        "".into(),
        "__pycache__".into(),
        victim.display().to_string(),
        victim.join("ssh").display().to_string(),
        lab.host
            .plugins()
            .join(".pluginkit-staging-1/../../../victim")
            .display()
            .to_string(),
        "a\u{0}b".into(),
        "x".repeat(300),
    ];
    let files = [
        ".pluginkit/journal.json",
        ".pluginkit/receipts/hello.json",
        "pluginkit.lock",
    ];
    let journal = serde_json::json!({
        "op": "remove", "name": "hello",
        "staging": lab.host.plugins().join(".pluginkit-staging-1-2-3"),
        "backup": true, "source": ""
    })
    .to_string();
    let originals: Vec<Vec<u8>> = files
        .iter()
        .map(|file| match *file {
            ".pluginkit/journal.json" => journal.clone().into_bytes(),
            _ => std::fs::read(lab.host.path(file)).unwrap(),
        })
        .collect();
    let before = lab.victim_files();
    for round in 0..36 {
        let which = round % files.len();
        let mut bytes = originals[which].clone();
        match random(4) {
            0 => {
                for _ in 0..=random(8) {
                    let at = random(bytes.len());
                    bytes[at] = random(256) as u8;
                }
            }
            1 => bytes.truncate(random(bytes.len())),
            _ => {
                // A name or path replaced by a hostile one, as JSON or TOML would write it.
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let with = &hostile[random(hostile.len())];
                let quoted = serde_json::to_string(with).unwrap();
                let text = text.replacen("\"hello\"", &quoted, 1).replacen(
                    &serde_json::to_string(&lab.host.plugins().join(".pluginkit-staging-1-2-3"))
                        .unwrap(),
                    &quoted,
                    1,
                );
                bytes = text.into_bytes();
            }
        }
        lab.host.put(files[which], &bytes);
        for args in [&["list"][..], &["verify"][..], &["remove", "hello"][..]] {
            let (code, stdout, stderr) = lab.run(args);
            let context = format!(
                "seed {seed}, round {round}, {} = {:?}, {args:?}",
                files[which],
                String::from_utf8_lossy(&bytes)
            );
            assert!(
                (0..=2).contains(&code),
                "{context}: exit {code}: {stdout}{stderr}"
            );
            assert!(!stderr.contains("panicked"), "{context}: {stderr}");
            assert_eq!(lab.victim_files(), before, "{context}: {stdout}{stderr}");
            if args[0] == "remove" && code == 0 {
                lab.install_hello_again();
            }
        }
        // Put the file back as it was (the journal: gone) for the next round.
        let _ = std::fs::remove_file(lab.host.path(".pluginkit/journal.json"));
        for (file, original) in files.iter().zip(&originals).skip(1) {
            lab.host.put(file, original);
        }
        if !lab.host.plugins().join("hello").exists() {
            lab.install_hello_again();
        }
    }
}
