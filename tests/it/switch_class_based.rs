//! The class-based pattern's switch: the pattern has none. Its loader (WhisperNet's
//! `ControlServer.load_plugins`, reproduced in tests/it/class_based.rs) imports every `.py` of
//! every folder in its plugins folder, and reads no marker file and no name rule. So `disable
//! NAME` moves `plugins/NAME/` into `.pluginkit/disabled/NAME/` and `enable` moves it back, in
//! one rename that a killed run leaves done or not done; `list` and `info` show it disabled,
//! with where it is; its records keep its name and follow it; `add --force` keeps it disabled;
//! `remove` takes it (keeping a backup). Each state is checked against the loader, started
//! anew (a restart) after each change.

use std::collections::BTreeMap;
use std::path::Path;

use crate::class_based::{run_app, serves, standard};
use crate::support::{TestContext, write};

const CLASS_BASED_HOST: &str = "[host]\nkind = \"class-based\"\n";

/// The plugin `Hello` as the pattern's template writes it, with `Info.version`.
fn hello(dir: &Path, version: &str) {
    let text = standard("Hello").replacen(
        "    plugin_type = \"Portable\"\n",
        &format!("    plugin_type = \"Portable\"\n    version = \"{version}\"\n"),
        1,
    );
    write(dir, "Hello.py", &text);
}

fn version_in(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("Hello.py")).unwrap();
    let at = text.find("version = \"").unwrap() + 11;
    text[at..at + 5].to_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// What the loader, started on `root`, answers at `/hello`: the status, and whether it loaded
/// the plugin.
fn loader_answers(root: &Path) -> (u16, bool) {
    let routes = BTreeMap::from([("Hello".to_owned(), "/hello".to_owned())]);
    let report = run_app(root, &routes);
    assert!(report["crashed"].is_null(), "{report:#}");
    let status = report["served"]["Hello"][0].as_u64().unwrap() as u16;
    let loaded = report["loaded"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l == "Hello");
    if status == 200 {
        assert!(serves(&report, "Hello"), "{report:#}");
    }
    (status, loaded)
}

/// A class-based host (`[host] kind`) where pluginkit installed `Hello` 1.0.0 from `../src/Hello`.
fn installed(context: &TestContext) {
    write(context.root(), "pluginkit.toml", CLASS_BASED_HOST);
    std::fs::create_dir_all(context.path("plugins")).unwrap();
    hello(&context.path("../src/Hello"), "1.0.0");
    let (code, _, stderr) = context.run(&["add", "../src/Hello"]);
    assert_eq!(code, 0, "{stderr}");
}

/// `installed`, then disabled.
fn installed_and_disabled(context: &TestContext) {
    installed(context);
    let (code, _, stderr) = context.run(&["disable", "Hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names(&context.path("plugins")), Vec::<String>::new());
    assert_eq!(names(&context.path(".pluginkit/disabled")), ["Hello"]);
}

#[test]
fn disable_moves_the_plugin_out_of_the_loaders_folder_and_enable_moves_it_back() {
    let context = TestContext::new();
    installed(&context);
    assert_eq!(loader_answers(context.root()), (200, true));

    let (code, stdout, stderr) = context.run(&["disable", "Hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "Hello: disabled (moved to .pluginkit/disabled/Hello)\n"
    );
    assert_eq!(names(&context.path("plugins")), Vec::<String>::new());
    assert_eq!(names(&context.path(".pluginkit/disabled")), ["Hello"]);
    // Moved whole, and nothing written into it: the loader reads no marker.
    assert_eq!(
        names(&context.path(".pluginkit/disabled/Hello")),
        ["Hello.py"]
    );
    // Restarted, the loader neither loads nor serves it.
    assert_eq!(loader_answers(context.root()), (404, false));

    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    let listed = &json["plugins"][0];
    assert_eq!(listed["name"], "Hello");
    assert_eq!(listed["state"], "disabled");
    assert_eq!(listed["state_source"], "moved-out");
    assert_eq!(listed["state_key"], ".pluginkit/disabled/Hello");
    assert_eq!(listed["path"], ".pluginkit/disabled/Hello");
    assert_eq!(listed["source"], "path+../src/Hello", "{json}");
    let (_, stdout, _) = context.run(&["list", "--disabled"]);
    assert!(
        stdout.contains("Hello")
            && stdout.contains("disabled (moved to .pluginkit/disabled/Hello)"),
        "{stdout}"
    );
    let (_, stdout, _) = context.run(&["list", "--enabled"]);
    assert!(!stdout.contains("Hello"), "{stdout}");
    let (code, json) = context.run_json(&["info", "Hello", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["state"], "disabled");
    assert_eq!(json["state_source"], "moved-out");
    let (code, stdout, _) = context.run(&["info", "Hello"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("moved to .pluginkit/disabled/Hello"),
        "{stdout}"
    );
    // The records keep its name and find it where it is.
    let (code, stdout, stderr) = context.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "Hello: ok\n"), "{stderr}");
    // The loader does not load it, so validate does not check it.
    let (_, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(json["summary"]["checked"], 0, "{json}");

    let (code, stdout, _) = context.run(&["disable", "Hello"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "Hello: already disabled (moved to .pluginkit/disabled/Hello)\n"
    );

    let (code, stdout, stderr) = context.run(&["enable", "Hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "Hello: enabled (default)\n");
    assert_eq!(names(&context.path("plugins")), ["Hello"]);
    assert_eq!(
        names(&context.path(".pluginkit/disabled")),
        Vec::<String>::new()
    );
    assert_eq!(loader_answers(context.root()), (200, true));
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["state"], "enabled");
    assert_eq!(json["plugins"][0]["path"], "plugins/Hello");
}

#[test]
fn marker_files_are_not_the_class_based_switch() {
    // The loader reads no DISABLED file: a plugin with one is loaded, so pluginkit says enabled.
    let context = TestContext::new();
    installed(&context);
    write(&context.path("plugins/Hello"), "DISABLED", "");
    assert_eq!(loader_answers(context.root()), (200, true));
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["state"], "enabled", "{json}");
}

#[test]
fn in_a_host_of_no_known_kind_a_class_based_plugin_is_moved_out() {
    let context = TestContext::new();
    hello(&context.path("plugins/Hello"), "1.0.0");
    let (code, stdout, stderr) = context.run(&["disable", "Hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "Hello: disabled (moved to .pluginkit/disabled/Hello)\n"
    );
    assert_eq!(loader_answers(context.root()), (404, false));
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["state"], "disabled", "{json}");
    let (code, _, stderr) = context.run(&["enable", "Hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names(&context.path("plugins")), ["Hello"]);
    assert_eq!(loader_answers(context.root()), (200, true));
}

#[test]
fn both_places_taken_is_refused_and_nothing_moves() {
    let context = TestContext::new();
    installed(&context);
    // The loader loads plugins/Hello; a folder of that name in .pluginkit/disabled/ is a
    // leftover, not the plugin disabled.
    hello(&context.path(".pluginkit/disabled/Hello"), "0.9.0");
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["plugins"][0]["state"], "enabled");
    let (code, _, stderr) = context.run(&["disable", "Hello"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("Hello is there too")
            && stderr.contains("the host loads the one in its plugins folder"),
        "{stderr}"
    );
    assert_eq!(names(&context.path("plugins")), ["Hello"]);
    assert_eq!(version_in(&context.path("plugins/Hello")), "1.0.0");
    assert_eq!(
        version_in(&context.path(".pluginkit/disabled/Hello")),
        "0.9.0"
    );
}

#[cfg(unix)]
#[test]
fn links_are_never_followed_into_or_out_of_the_disabled_folder() {
    use std::os::unix::fs::symlink;
    // `.pluginkit/disabled` as a link to another folder: refused, nothing moved through it.
    let context = TestContext::new();
    installed(&context);
    let elsewhere = context.path("../elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    symlink(&elsewhere, context.path(".pluginkit/disabled")).unwrap();
    let (code, _, stderr) = context.run(&["disable", "Hello"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(names(&context.path("plugins")), ["Hello"]);
    assert_eq!(names(&elsewhere), Vec::<String>::new());
    // A plugin in the folder it points to is not read as one disabled.
    hello(&elsewhere.join("Other"), "1.0.0");
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"].as_array().unwrap().len(), 1, "{json}");

    // A linked plugin is not moved into the state folder (where pluginkit keeps no link).
    let context = TestContext::new();
    write(context.root(), "pluginkit.toml", CLASS_BASED_HOST);
    std::fs::create_dir_all(context.path("plugins")).unwrap();
    hello(&context.path("../src/Hello"), "1.0.0");
    let (code, _, stderr) = context.run(&["add", "--link", "../src/Hello"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = context.run(&["disable", "Hello"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("is a link") && stderr.contains("pluginkit remove Hello"),
        "{stderr}"
    );
    assert!(
        std::fs::symlink_metadata(context.path("plugins/Hello"))
            .unwrap()
            .is_symlink()
    );
    assert_eq!(names(&context.path("plugins")), ["Hello"]);
}

/// A plugins folder on another file system than the host root (here tmpfs): the plugin is not
/// copied, and the refusal says what to do.
#[cfg(target_os = "linux")]
#[test]
fn a_move_across_file_systems_is_refused_and_nothing_moves() {
    use std::os::unix::fs::MetadataExt;
    let context = TestContext::new();
    let other = tempfile::tempdir_in("/dev/shm").expect("a folder on /dev/shm (tmpfs)");
    let root_dev = std::fs::metadata(context.root()).unwrap().dev();
    assert_ne!(
        std::fs::metadata(other.path()).unwrap().dev(),
        root_dev,
        "/dev/shm is on another file system than the test's temp folder"
    );
    let plugins = other.path().join("plugins");
    hello(&plugins.join("Hello"), "1.0.0");
    write(
        context.root(),
        "pluginkit.toml",
        &format!(
            "{CLASS_BASED_HOST}plugins-dir = \"{}\"\n",
            plugins.display()
        ),
    );
    let (code, _, stderr) = context.run(&["disable", "Hello"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("are on different file systems")
            && stderr.contains("put the plugins folder on the file system of the host root"),
        "{stderr}"
    );
    assert_eq!(names(&plugins), ["Hello"], "not moved, no claim left");
    assert_eq!(
        names(&context.path(".pluginkit/disabled")),
        Vec::<String>::new()
    );
}

/// Where each step of a switch by moving leaves it when killed there.
#[test]
fn a_switch_killed_at_each_step_leaves_the_plugin_in_one_place_and_the_next_run_tidies() {
    for (command, step, disabled_after) in [
        ("disable", "toggle-claimed", false),
        ("disable", "toggle-renamed", true),
        ("enable", "toggle-claimed", true),
        ("enable", "toggle-renamed", false),
    ] {
        let context = TestContext::new();
        if command == "enable" {
            installed_and_disabled(&context);
        } else {
            installed(&context);
        }
        context
            .pluginkit()
            .args([command, "Hello"])
            .spawn_paused(step)
            .kill();
        let plugins = context.path("plugins");
        let disabled = context.path(".pluginkit/disabled");
        let (in_plugins, moved) = (plugins.join("Hello"), disabled.join("Hello"));
        assert_eq!(
            (in_plugins.is_dir(), moved.is_dir()),
            (!disabled_after, disabled_after),
            "{command} killed at {step}: in exactly one place"
        );
        let (code, json) = context.run_json(&["list", "--format", "json"]);
        assert_eq!(code, 0, "{json}");
        let state = if disabled_after {
            "disabled"
        } else {
            "enabled"
        };
        assert_eq!(json["plugins"][0]["state"], state, "{command} at {step}");
        let wanted_plugins: Vec<String> = if disabled_after {
            Vec::new()
        } else {
            vec!["Hello".into()]
        };
        assert_eq!(
            names(&plugins),
            wanted_plugins,
            "{command} at {step}: tidied"
        );
        assert_eq!(
            loader_answers(context.root()),
            if disabled_after {
                (404, false)
            } else {
                (200, true)
            },
            "{command} at {step}"
        );
        let (code, _, stderr) = context.run(&[command, "Hello"]);
        assert_eq!(code, 0, "{stderr}");
        let done = command == "disable";
        assert_eq!((in_plugins.is_dir(), moved.is_dir()), (!done, done));
        assert_eq!(context.run(&["verify"]).1, "Hello: ok\n");
    }
}

#[test]
fn add_force_and_sync_keep_a_disabled_plugin_disabled() {
    let context = TestContext::new();
    installed_and_disabled(&context);
    let disabled = context.path(".pluginkit/disabled/Hello");
    // Installed already, disabled or not.
    let (code, _, stderr) = context.run(&["add", "../src/Hello"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("already installed"), "{stderr}");

    hello(&context.path("../src/Hello"), "2.0.0");
    let (code, stdout, stderr) = context.run(&["add", "--force", "../src/Hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(".pluginkit/disabled/Hello"), "{stdout}");
    assert_eq!(names(&context.path("plugins")), Vec::<String>::new());
    assert_eq!(version_in(&disabled), "2.0.0");
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["state"], "disabled");
    assert_eq!(json["plugins"][0]["version"], "2.0.0");
    let (code, stdout, _) = context.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "Hello: ok\n"));
    assert_eq!(loader_answers(context.root()), (404, false));

    // sync: [plugins] names it (add wrote it); a disabled plugin is present.
    let (code, stdout, stderr) = context.run(&["sync"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("install"), "{stdout}");
    // ...and replaced when [plugins] names another source, still disabled.
    hello(&context.path("../src3/Hello"), "3.0.0");
    write(
        context.root(),
        "pluginkit.toml",
        &format!("{CLASS_BASED_HOST}\n[plugins]\nHello = {{ path = \"../src3/Hello\" }}\n"),
    );
    let (code, stdout, stderr) = context.run(&["sync"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("replace"), "{stdout}");
    assert_eq!(names(&context.path("plugins")), Vec::<String>::new());
    assert_eq!(version_in(&disabled), "3.0.0");

    // Enabled again, it is the new version that the loader serves.
    let (code, _, stderr) = context.run(&["enable", "Hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(version_in(&context.path("plugins/Hello")), "3.0.0");
    assert_eq!(loader_answers(context.root()), (200, true));
}

/// `add --force` of a disabled plugin killed at each step: after the next run, the plugin is
/// disabled, in its old version or its new one, and its records say which.
#[test]
fn an_install_into_a_disabled_plugin_killed_at_each_step_leaves_it_disabled() {
    for step in [
        "toggle-claimed",
        "toggle-renamed",
        "install-journaled",
        "install-swapped",
        "install-backed-up",
        "install-recorded",
    ] {
        let context = TestContext::new();
        installed_and_disabled(&context);
        hello(&context.path("../src/Hello"), "2.0.0");
        context
            .pluginkit()
            .args(["add", "--force", "../src/Hello"])
            .spawn_paused(step)
            .kill();
        let (code, json) = context.run_json(&["list", "--format", "json"]);
        assert_eq!(code, 0, "{json}");
        assert_eq!(
            names(&context.path("plugins")),
            Vec::<String>::new(),
            "killed at {step}"
        );
        assert_eq!(json["plugins"][0]["state"], "disabled", "{step}");
        let version = version_in(&context.path(".pluginkit/disabled/Hello"));
        assert!(
            version == "1.0.0" || version == "2.0.0",
            "{step}: {version}"
        );
        let (code, stdout, _) = context.run(&["verify"]);
        assert_eq!((code, stdout.as_str()), (0, "Hello: ok\n"), "{step}");
    }
}

#[test]
fn remove_takes_a_disabled_plugin_and_keeps_a_backup() {
    let context = TestContext::new();
    installed_and_disabled(&context);
    let (code, stdout, stderr) = context.run(&["remove", "Hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("backup"), "{stdout}");
    assert_eq!(names(&context.path("plugins")), Vec::<String>::new());
    assert_eq!(
        names(&context.path(".pluginkit/disabled")),
        Vec::<String>::new()
    );
    let backups = context.path(".pluginkit/backups/Hello");
    let kept: Vec<String> = names(&backups)
        .into_iter()
        .filter(|n| !n.ends_with(".json"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(version_in(&backups.join(&kept[0])), "1.0.0");
    let lock = std::fs::read_to_string(context.path("pluginkit.lock")).unwrap_or_default();
    assert!(!lock.contains("name = \"Hello\""), "{lock}");
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"], serde_json::json!([]), "{json}");
    // A removal killed halfway leaves it disabled or removed, never enabled.
    for step in ["toggle-renamed", "remove-journaled", "remove-moved"] {
        let context = TestContext::new();
        installed_and_disabled(&context);
        context
            .pluginkit()
            .args(["remove", "Hello"])
            .spawn_paused(step)
            .kill();
        let (code, json) = context.run_json(&["list", "--format", "json"]);
        assert_eq!(code, 0, "{json}");
        assert_eq!(
            names(&context.path("plugins")),
            Vec::<String>::new(),
            "{step}"
        );
        assert_eq!(loader_answers(context.root()), (404, false), "{step}");
    }
}

/// `add --disabled` moves the plugin out as `disable` does (the loader reads no marker: a
/// `DISABLED` file left it loaded), and a plugin removed while moved out is restored moved out.
#[test]
fn add_disabled_and_restore_keep_a_plugin_out_of_the_loaders_folder() {
    let context = TestContext::new();
    write(context.root(), "pluginkit.toml", CLASS_BASED_HOST);
    std::fs::create_dir_all(context.path("plugins")).unwrap();
    hello(&context.path("../src/Hello"), "1.0.0");
    let (code, stdout, stderr) = context.run(&["add", "../src/Hello", "--disabled"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(".pluginkit/disabled/Hello"), "{stdout}");
    assert_eq!(names(&context.path("plugins")), Vec::<String>::new());
    assert_eq!(
        names(&context.path(".pluginkit/disabled/Hello")),
        ["Hello.py"]
    );
    assert_eq!(loader_answers(context.root()), (404, false));

    let (code, _, stderr) = context.run(&["remove", "Hello"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = context.run(&["restore", "Hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names(&context.path("plugins")), Vec::<String>::new());
    assert_eq!(names(&context.path(".pluginkit/disabled")), ["Hello"]);
    assert_eq!(loader_answers(context.root()), (404, false));
    let (code, stdout, stderr) = context.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "Hello: ok\n"), "{stderr}");

    let (code, _, stderr) = context.run(&["enable", "Hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(loader_answers(context.root()), (200, true));
}
