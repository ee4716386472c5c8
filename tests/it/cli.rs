//! The host, the plugins folder and the commands that read and switch plugins: `list`, `info`,
//! `enable`, `disable`; and the behaviour every command shares (exit codes, errors, pipes).

use serde_json::Value;

use crate::support::{Pluginkit, TestContext, native_plugin, write};

fn states(context: &TestContext, args: &[&str]) -> Vec<(String, String, String)> {
    let mut all = vec!["list", "--format", "json"];
    all.extend_from_slice(args);
    let (code, json) = context.run_json(&all);
    assert_eq!(code, 0, "{json:#}");
    json["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["state"].as_str().unwrap().to_owned(),
                p["state_source"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn row(name: &str, state: &str, source: &str) -> (String, String, String) {
    (name.into(), state.into(), source.into())
}

#[test]
fn enable_and_disable_round_trip_through_all_four_deciding_sources() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    native_plugin(&plugins, "alpha", "");
    native_plugin(&plugins, "beta", "state = \"disabled\"\n");
    native_plugin(&plugins, "gamma", "");
    native_plugin(&plugins, "delta", "");
    write(&plugins, "gamma/ENABLED", "");
    write(&plugins, "delta/DISABLED", "");
    write(&plugins, "delta/ENABLED", "");
    assert_eq!(
        states(&context, &[]),
        [
            row("alpha", "enabled", "default"),
            row("beta", "disabled", "metadata"),
            row("delta", "disabled", "disabled-file"),
            row("gamma", "enabled", "enabled-file"),
        ]
    );

    let (code, stdout, _) = context.run(&["disable", "alpha", "gamma"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "alpha: disabled (DISABLED file)\ngamma: disabled (DISABLED file)\n"
    );
    assert!(!plugins.join("gamma/ENABLED").exists());
    let (code, stdout, _) = context.run(&["enable", "beta", "delta"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "beta: enabled (ENABLED file)\ndelta: enabled (ENABLED file)\n"
    );
    assert!(!plugins.join("delta/DISABLED").exists());
    assert_eq!(
        states(&context, &[]),
        [
            row("alpha", "disabled", "disabled-file"),
            row("beta", "enabled", "enabled-file"),
            row("delta", "enabled", "enabled-file"),
            row("gamma", "disabled", "disabled-file"),
        ]
    );

    // Twice is harmless, and says so.
    let (code, stdout, _) = context.run(&["enable", "beta"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "beta: already enabled (ENABLED file)\n")
    );
    let (code, json) = context.run_json(&["disable", "alpha", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(json["version"], 1);
    assert_eq!(json["plugins"][0]["changed"], false);
    assert_eq!(json["plugins"][0]["state_source"], "disabled-file");

    // Filters.
    let enabled: Vec<String> = states(&context, &["--enabled"])
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(enabled, ["beta", "delta"]);
    let disabled: Vec<String> = states(&context, &["--disabled"])
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(disabled, ["alpha", "gamma"]);
}

#[test]
fn an_unknown_name_changes_nothing_and_lists_close_names() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    native_plugin(&plugins, "hello", "");
    native_plugin(&plugins, "help", "");
    insta::assert_snapshot!(context.run_snapshot(&["disable", "hello", "helo"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----

    ----- stderr -----
    error: no plugin named `helo` is installed
    hint: did you mean `hello` or `help`?

    ----- end -----
    ");
    assert!(
        !plugins.join("hello/DISABLED").exists(),
        "nothing is written when a name is unknown"
    );
}

#[test]
fn a_broken_plugin_is_listed_as_invalid_and_does_not_hide_the_others() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    native_plugin(&plugins, "good", "");
    write(&plugins, "broken/plugin.toml", "[plugin\nname = ");
    write(&plugins, "notaplugin/readme.txt", "just a folder");
    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0);
    let plugins_json = json["plugins"].as_array().unwrap();
    assert_eq!(plugins_json.len(), 2);
    assert_eq!(plugins_json[0]["name"], "broken");
    assert_eq!(plugins_json[0]["valid"], false);
    assert_eq!(plugins_json[0]["version"], Value::Null);
    assert_eq!(plugins_json[1]["name"], "good");
    assert_eq!(plugins_json[1]["valid"], true);

    insta::assert_snapshot!(context.run_snapshot(&["list"]));
    let (_, csv, _) = context.run(&["list", "--format", "csv"]);
    assert_eq!(
        csv,
        "name,version,flavor,state,state_source,valid,path,summary,pending_reload,source\n\
         broken,,pluginkit,enabled,default,false,plugins/broken,,,\n\
         good,1.0.0,pluginkit,enabled,default,true,plugins/good,The good plugin,,\n"
    );
}

#[test]
fn info_shows_everything_known() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    native_plugin(&plugins, "auth", "");
    native_plugin(
        &plugins,
        "hello",
        "description = \"Says hello\"\nhomepage = \"https://example.com/hello\"\nrequires = \">=2.0, <3\"\nstate = \"disabled\"\n[dependencies]\nauth = \"^1.0\"\n",
    );
    write(&plugins, "hello/ENABLED", "");
    insta::assert_snapshot!(context.run_snapshot(&["info", "hello"]));
    let (code, json) = context.run_json(&["info", "hello", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(json["state"], "enabled");
    assert_eq!(json["state_source"], "enabled-file");
    assert_eq!(json["metadata"]["state"], "disabled");
    assert_eq!(json["metadata"]["dependencies"][0]["requirement"], "^1.0");
    assert_eq!(json["valid"], true);
}

#[test]
fn the_plugins_folder_comes_from_the_flag_the_environment_the_host_or_the_default() {
    let context = TestContext::new();
    let root = context.root();
    native_plugin(&root.join("plugins"), "from_default", "");
    native_plugin(&root.join("configured"), "from_config", "");
    native_plugin(&root.join("env"), "from_env", "");
    native_plugin(&root.join("flag"), "from_flag", "");
    let names = |run: Pluginkit| -> Vec<String> {
        let out = run.args(["list", "--format", "json"]).output();
        assert_eq!(out.code, 0, "{}", out.stderr);
        let json = out.json();
        json["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(context.pluginkit()), ["from_default"]);

    // The host root is found from a subfolder, and its plugins-dir is relative to it.
    write(
        root,
        "pluginkit.toml",
        "[host]\nplugins-dir = \"configured\"\n",
    );
    std::fs::create_dir_all(root.join("deep/er")).unwrap();
    assert_eq!(
        names(context.pluginkit().current_dir(root.join("deep/er"))),
        ["from_config"]
    );
    assert_eq!(
        names(
            context
                .pluginkit()
                .current_dir(root.join("deep"))
                .env("PLUGINKIT_PLUGINS_DIR", root.join("env"))
        ),
        ["from_env"]
    );
    assert_eq!(
        names(
            context
                .pluginkit()
                .env("PLUGINKIT_PLUGINS_DIR", "env")
                .args(["--plugins-dir", "flag"])
        ),
        ["from_flag"]
    );
    // -C runs as if started elsewhere.
    let elsewhere = tempfile::tempdir().unwrap();
    assert_eq!(
        names(
            context
                .pluginkit()
                .current_dir(elsewhere.path())
                .arg("-C")
                .arg(root.join("deep"))
        ),
        ["from_config"]
    );
}

#[test]
fn a_malformed_host_file_is_reported_with_its_line_and_column() {
    let context = TestContext::new();
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\nplugins-dir = \"plugins\"\nflavor = \"django\"\n",
    );
    insta::assert_snapshot!(context.run_snapshot(&["list"]));

    write(
        context.root(),
        "pluginkit.toml",
        "[host]\nversion = \"2.4\"\n",
    );
    let snapshot = context.run_snapshot(&["list"]);
    assert!(snapshot.contains("pluginkit.toml:2:11"), "{snapshot}");
    assert!(
        snapshot.contains("[host] version `2.4` is not a SemVer version"),
        "{snapshot}"
    );
    insta::assert_snapshot!(
        "a_malformed_host_file_is_reported_with_its_line_and_column-version",
        snapshot
    );
}

#[test]
fn the_host_version_is_checked_against_requires() {
    let context = TestContext::new();
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\nversion = \"3.1.0\"\n",
    );
    native_plugin(
        &context.root().join("plugins"),
        "old",
        "requires = \">=2.0, <3\"\n",
    );
    native_plugin(
        &context.root().join("plugins"),
        "new",
        "requires = \">=3\"\n",
    );
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json:#}");
    assert_eq!(findings[0]["code"], "PK0212");
    assert_eq!(findings[0]["plugin"], "old");
    assert_eq!(
        findings[0]["message"],
        "the plugin requires host >=2.0, <3, but the host is 3.1.0"
    );
}

#[test]
fn usage_errors_exit_2_and_missing_folders_exit_1() {
    let context = TestContext::new();
    let mut all = String::new();
    for args in [
        &["frobnicate"][..],
        &["enable"],
        &["list"],
        &["validate", "nowhere"],
        &["-C", "nowhere", "list"],
        // `status` without a server says that none runs (exit 0), and how to name one.
        &["status"],
    ] {
        all.push_str(&context.run_transcript(args));
    }
    insta::assert_snapshot!(all);
    // No Rust debug output or panic text anywhere.
    assert!(!all.contains("panicked") && !all.contains("RUST_BACKTRACE"));
}

#[test]
fn help_describes_every_command() {
    let context = TestContext::new();
    let (code, stdout, _) = context.run(&["--help"]);
    assert_eq!(code, 0);
    for command in [
        "new",
        "validate",
        "list",
        "info",
        "enable",
        "disable",
        "package",
        "add",
        "remove",
        "restore",
        "upgrade",
        "outdated",
        "search",
        "sync",
        "verify",
        "registry",
        "reload",
        "status",
        "completions",
    ] {
        assert!(
            stdout.contains(&format!("\n  {command} ")),
            "--help lacks {command}:\n{stdout}"
        );
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::process::Stdio;
    let context = TestContext::new();
    for i in 0..200 {
        native_plugin(&context.root().join("plugins"), &format!("p{i:03}"), "");
    }
    let mut child = context
        .pluginkit()
        .arg("list")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let context = TestContext::new();
    native_plugin(&context.root().join("plugins"), "hello", "version = 1\n");
    // A pipe is not a terminal: no colour by default, nor with NO_COLOR and `auto`.
    let (_, plain, _) = context.run(&["validate"]);
    assert!(!plain.contains('\x1b'), "{plain}");
    let out = context
        .pluginkit()
        .args(["validate", "--color", "always"])
        .output();
    assert!(out.stdout.contains("\x1b["), "--color always colours");
    let out = context
        .pluginkit()
        .env_remove("NO_COLOR")
        .args(["validate", "--color", "never"])
        .output();
    assert!(!out.stdout.contains('\x1b'));
}
