//! Every `--format json` document is an object that starts with `"version": 1`, never a bare
//! array, with its lists in named fields (README.md, "JSON output"): one session on one host
//! runs every command that has a JSON format, and checks that none was left out.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};

use clap::CommandFactory;
use serde_json::Value;

use crate::support::TestContext;
use crate::support::registry::Plugin;

/// The commands whose `--format` takes `json`, by their full names (`registry publish`).
fn commands_with_json() -> BTreeSet<String> {
    fn walk(command: &clap::Command, prefix: &str, out: &mut BTreeSet<String>) {
        for sub in command.get_subcommands() {
            let name = format!("{prefix}{}", sub.get_name());
            let json = sub.get_arguments().any(|arg| {
                arg.get_long() == Some("format")
                    && arg
                        .get_possible_values()
                        .iter()
                        .any(|value| value.get_name() == "json")
            });
            if json {
                out.insert(name.clone());
            }
            walk(sub, &format!("{name} "), out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&pluginkit::cli::Cli::command(), "", &mut out);
    out
}

/// Runs pluginkit with `--format json` and checks the document's envelope.
struct Session {
    context: TestContext,
    seen: BTreeSet<String>,
}

impl Session {
    /// `pluginkit ARGS --format json` (the command's name is the leading words of `args` that
    /// `command` gives): it exits `code`, and prints an object whose first field is
    /// `"version": 1` and which has every field in `fields`. Returns the document.
    fn json(&mut self, command: &str, args: &[&str], code: i32, fields: &[&str]) -> Value {
        self.json_env(command, &[], args, code, fields)
    }

    /// [`Session::json`], with the variables `env` set.
    fn json_env(
        &mut self,
        command: &str,
        env: &[(&str, &str)],
        args: &[&str],
        code: i32,
        fields: &[&str],
    ) -> Value {
        let output = self
            .context
            .pluginkit()
            .envs(env)
            .args(args)
            .args(["--format", "json"])
            .output();
        assert_eq!(output.code, code, "pluginkit {args:?}:\n{}", output.stderr);
        assert!(
            output.stdout.starts_with("{\n  \"version\": 1,\n"),
            "pluginkit {args:?}: not an object starting with its version:\n{}",
            output.stdout
        );
        let json = output.json();
        for field in fields {
            assert!(
                json.get(field).is_some(),
                "pluginkit {args:?}: no `{field}` in {json:#}"
            );
        }
        self.seen.insert(command.to_owned());
        json
    }
}

#[test]
fn every_json_document_is_an_object_with_version_1() {
    let context = TestContext::new();
    let root = context.root().to_path_buf();
    std::fs::write(
        root.join("pluginkit.toml"),
        "[registries.default]\nindex = \"reg\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("plugins")).unwrap();
    std::fs::create_dir_all(root.join("reg")).unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    let mut s = Session {
        context: context.clone(),
        seen: BTreeSet::new(),
    };

    // Make a plugin, package it, publish it.
    let created = s.json(
        "new",
        &[
            "--flavor",
            "pluginkit",
            "new",
            "hello",
            "-o",
            "src/hello",
            "--no-git",
            "--author",
            "Ada <ada@example.com>",
            "--plugin-version",
            "1.0.0",
        ],
        0,
        &["name", "flavor", "path", "files"],
    );
    assert_eq!(created["name"], "hello");
    let listed = s.json(
        "package",
        &["package", "src/hello", "--list"],
        0,
        &["package"],
    );
    assert_eq!(
        listed["package"]["version"], "1.0.0",
        "the plugin's, nested"
    );
    let built = s.json("package", &["package", "src/hello"], 0, &["package"]);
    assert_eq!(built["package"]["path"], "hello-1.0.0.zip");
    let published = s.json(
        "registry publish",
        &["registry", "publish", "hello-1.0.0.zip", "--dir", "reg"],
        0,
        &["registry", "package"],
    );
    assert_eq!(published["package"]["version"], "1.0.0");

    // Read what there is, install it, look at it.
    let found = s.json("search", &["search", "hello"], 0, &["plugins"]);
    assert_eq!(found["plugins"][0]["name"], "hello");
    let added = s.json("add", &["add", "hello"], 0, &["added"]);
    assert_eq!(added["added"][0]["version"], "1.0.0");
    let list = s.json("list", &["list"], 0, &["plugins_dir", "plugins"]);
    assert_eq!(list["plugins"][0]["version"], "1.0.0");
    s.json(
        "info",
        &["info", "hello"],
        0,
        &["name", "metadata", "findings", "host"],
    );
    s.json(
        "validate",
        &["validate", "plugins/hello"],
        0,
        &["findings", "summary", "host"],
    );
    let verified = s.json("verify", &["verify"], 0, &["plugins"]);
    assert_eq!(verified["plugins"][0]["status"], "ok");
    // No plugin asks for a Python package: nothing to resolve.
    let deps = s.json("deps", &["deps", "--check"], 0, &["installed"]);
    assert_eq!(deps["installed"], false);

    // SARIF is its own format, with its own version.
    let (code, sarif, stderr) = context.run(&["validate", "plugins/hello", "--format", "sarif"]);
    assert_eq!(code, 0, "{stderr}");
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["version"], "2.1.0", "{sarif:#}");

    // Switch it off and on.
    let toggled = s.json("disable", &["disable", "hello"], 0, &["plugins"]);
    assert_eq!(toggled["plugins"][0]["state"], "disabled");
    let toggled = s.json("enable", &["enable", "hello"], 0, &["plugins"]);
    assert_eq!(toggled["plugins"][0]["state"], "enabled");

    // A newer version: outdated, upgrade, sync.
    std::fs::write(
        root.join("hello-1.1.0.zip"),
        Plugin::new("hello", "1.1.0").zip(),
    )
    .unwrap();
    let (code, _, stderr) =
        context.run(&["registry", "publish", "hello-1.1.0.zip", "--dir", "reg"]);
    assert_eq!(code, 0, "{stderr}");
    let outdated = s.json("outdated", &["outdated"], 0, &["plugins"]);
    assert_eq!(outdated["plugins"][0]["latest"]["status"], "newer-version");
    let planned = s.json("upgrade", &["upgrade", "--dry-run"], 0, &["upgrades"]);
    assert_eq!(planned["upgrades"][0]["upgraded"], false);
    let upgraded = s.json("upgrade", &["upgrade"], 0, &["upgrades"]);
    assert_eq!(upgraded["upgrades"][0]["to"], "1.1.0");
    let synced = s.json("sync", &["sync", "--dry-run"], 0, &["dry_run", "actions"]);
    assert_eq!(synced["actions"], serde_json::json!([]));
    s.json("sync", &["sync"], 0, &["dry_run", "actions"]);

    // Remove it and put it back.
    let removed = s.json("remove", &["remove", "hello"], 0, &["removed"]);
    assert_eq!(removed["removed"][0]["name"], "hello");
    let backups = s.json(
        "restore",
        &["restore", "hello", "--list"],
        0,
        &["name", "backups"],
    );
    assert_eq!(backups["backups"].as_array().map(Vec::len), Some(2));
    s.json(
        "restore",
        &["restore", "hello"],
        0,
        &["backup", "name", "path"],
    );
    s.json(
        "cache clean",
        &["cache", "clean"],
        0,
        &["path", "files", "bytes"],
    );
    let yanked = s.json(
        "registry yank",
        &["registry", "yank", "hello@1.0.0", "--dir", "reg"],
        0,
        &["registry", "package", "yanked", "changed"],
    );
    assert_eq!(yanked["package"]["version"], "1.0.0");
    let advised = s.json(
        "registry advise",
        &[
            "registry",
            "advise",
            "hello",
            "--dir",
            "reg",
            "--id",
            "PK-1",
            "--affected",
            "<1.1.0",
            "--severity",
            "low",
        ],
        0,
        &["registry", "name", "advisory", "versions", "changed"],
    );
    assert_eq!(advised["versions"], serde_json::json!(["1.0.0"]));
    let audited = s.json(
        "audit",
        &["audit"],
        0,
        &["advisories", "checked", "not_checked"],
    );
    assert_eq!(audited["checked"], 1);
    let password = [("PLUGINKIT_SIGNING_PASSWORD", "pw")];
    let key = s.json_env(
        "registry keygen",
        &password,
        &["registry", "keygen", "--output", "reg.key"],
        0,
        &["secret_key", "public_key_file", "key", "public_key"],
    );
    let resigned = s.json_env(
        "registry resign",
        &password,
        &[
            "registry",
            "resign",
            "--dir",
            "reg",
            "--sign-key",
            "reg.key",
        ],
        0,
        &["registry", "snapshot"],
    );
    assert_eq!(resigned["snapshot"]["key"], key["key"]);

    // The server: none running, then one signalled.
    let status = s.json(
        "status",
        &["status", "--pidfile", "run/none.pid"],
        0,
        &["running", "reason", "pending"],
    );
    assert_eq!(status["running"], false);
    let mut sleeper = Command::new("sleep")
        .arg("600")
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let pid = sleeper.id().to_string();
    let reloaded = s.json(
        "reload",
        &["reload", "--pid", &pid, "--process-name", "sleep"],
        0,
        &["pid", "name", "from", "signal"],
    );
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    assert_eq!(reloaded["signal"], "HUP");

    // A new host of its own.
    std::fs::create_dir_all(root.join("other/plugins")).unwrap();
    let initialised = s.json(
        "init",
        &["-C", "other", "init", "--kind", "fastcms"],
        0,
        &["path", "kind", "kind_reason", "plugins_dir", "plugins"],
    );
    assert_eq!(initialised["kind"], "fastcms");

    assert_eq!(
        s.seen,
        commands_with_json(),
        "every command with a JSON format is run here"
    );
}
