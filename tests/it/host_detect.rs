//! The host's kind, version and Python (DESIGN.md "Words"): found from the checkout, pinned by
//! `pluginkit.toml`, written by `pluginkit init`, and said by `validate` and `info` with why.
//! A plugins folder with nothing recognisable is `PK0001` in every format.

use std::os::unix::fs::symlink;
use std::path::Path;

use serde_json::Value;

use crate::support::{TestContext, venvs, write};

const FLASK_PLUGIN: &str = "__plugin_name__ = \"hello\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada\"\n\ndef register():\n    return {}\n";
const FASTCMS_PLUGIN: &str = "PLUGIN_META = {\"id\": \"x\", \"name\": \"X\", \"version\": \"1.0.0\"}\n\ndef register(ctx):\n    pass\n";
const NATIVE_PLUGIN: &str = "[plugin]\nname = \"native\"\nversion = \"1.0.0\"\nsummary = \"s\"\nauthor = \"a\"\nlicense = \"MIT\"\n";

/// An FBA checkout: `backend/plugin/` beside `backend/__init__.py` with FBA's version.
fn fba_checkout(root: &Path, version: &str) {
    write(
        root,
        "backend/__init__.py",
        &format!("import sqlalchemy as sa\n\n__version__ = '{version}'\n"),
    );
    write(root, "backend/plugin/__init__.py", "");
}

/// `.venv` in `root`: the tests' virtualenv, with Flask-PluginKit 3.12.1 installed.
fn flask_venv_in(root: &Path) {
    let venv = venvs::FLASK
        .python()
        .parent()
        .and_then(Path::parent)
        .expect("the venv of its python");
    symlink(venv, root.join(".venv")).unwrap();
}

#[test]
fn init_recognises_an_fba_checkout_and_validate_says_which_rules_applied() {
    let context = TestContext::new();
    let root = context.root();
    fba_checkout(root, "1.13.2");

    let (code, json) = context.run_json(&["init", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["kind"], "fba");
    assert_eq!(json["plugins_dir"], "backend/plugin");
    assert_eq!(json["host_version"], "1.13.2");
    let written = std::fs::read_to_string(root.join("pluginkit.toml")).unwrap();
    assert!(written.contains("kind = \"fba\"\n"), "{written}");
    assert!(
        written.contains("plugins-dir = \"backend/plugin\"\n"),
        "{written}"
    );

    // From a folder inside the host, the rules are FBA 1.13.2's, and both formats say why.
    let (code, json) =
        context.run_json_in(&root.join("backend"), &["validate", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    let host = &json["host"];
    assert_eq!(host["kind"], "fba");
    assert_eq!(host["kind_reason"], "[host] kind in pluginkit.toml");
    assert_eq!(host["version"], "1.13.2");
    assert_eq!(host["version_reason"], "__version__ in backend/__init__.py");
    assert_eq!(host["python"], "3.13", "the documented default");
    let (code, stdout, stderr) = context.run(&["validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("rules: host fba ([host] kind in pluginkit.toml); version 1.13.2 (__version__ in backend/__init__.py); Python 3.13"),
        "{stdout}"
    );

    // A pinned version wins over the checkout's, and says so.
    std::fs::write(
        root.join("pluginkit.toml"),
        "[host]\nkind = \"fba\"\nversion = \"1.12.0\"\n",
    )
    .unwrap();
    let (_, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(json["host"]["version"], "1.12.0");
    assert_eq!(
        json["host"]["version_reason"],
        "[host] version in pluginkit.toml"
    );
}

#[test]
fn an_fba_checkout_is_a_host_without_pluginkit_toml() {
    let context = TestContext::new();
    let root = context.root();
    fba_checkout(root, "1.13.4");
    write(
        root,
        "backend/plugin/email/plugin.toml",
        "[plugin]\nsummary = \"e\"\nversion = \"0.0.1\"\ndescription = \"d\"\nauthor = \"a\"\ntags = [\"other\"]\ndatabase = [\"mysql\"]\n\n[app]\nrouter = [\"v1\"]\n",
    );
    write(root, "backend/plugin/email/__init__.py", "");
    write(root, "backend/plugin/email/api/__init__.py", "");
    write(root, "backend/plugin/email/api/router.py", "v1 = None\n");

    // `list` from the root and from inside the checkout reads backend/plugin/.
    for dir in [root.to_path_buf(), root.join("backend/plugin/email")] {
        let (code, json) = context.run_json_in(&dir, &["list", "--format", "json"]);
        assert_eq!(code, 0, "{json}");
        let names: Vec<&str> = json["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["email"], "from {}", dir.display());
    }
    let (code, json) = context.run_json(&["info", "email", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["host"]["kind"], "fba");
    assert_eq!(
        json["host"]["kind_reason"],
        "an FBA checkout: backend/plugin/ beside backend/__init__.py"
    );
    assert_eq!(json["host"]["version"], "1.13.4");
    let (_, stdout, _) = context.run(&["info", "email"]);
    assert!(
        stdout.contains("rules:       host fba (an FBA checkout"),
        "{stdout}"
    );
    // A folder that only looks half like one is not an FBA checkout.
    let other = TestContext::new();
    write(
        other.root(),
        "backend/__init__.py",
        "__version__ = '1.13.4'\n",
    );
    let (_, json) = other.run_json(&["validate", "--format", "json", "."]);
    assert_eq!(json["host"]["kind"], Value::Null, "{json}");
}

#[test]
fn the_host_python_gives_the_grammar_and_the_flask_pluginkit_version() {
    let context = TestContext::new();
    let root = context.root();
    flask_venv_in(root);
    write(root, "plugins/__init__.py", "");
    write(
        root,
        "plugins/hello/__init__.py",
        &FLASK_PLUGIN.replace("__author__", "__appversion__ = \">=3.12.2\"\n__author__"),
    );
    write(
        root,
        "plugins/older/__init__.py",
        &FLASK_PLUGIN
            .replace("hello", "older")
            .replace("__author__", "__appversion__ = \">=3.12.0\"\n__author__"),
    );

    let (code, json) = context.run_json(&["init", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["kind"], "flask-pluginkit");
    assert_eq!(
        json["kind_reason"],
        "Flask-PluginKit 3.12.1 is installed for .venv/bin/python"
    );
    assert_eq!(json["python"], ".venv/bin/python");
    assert_eq!(json["host_version"], "3.12.1");

    // Without `[host] version`, `__appversion__` is checked against the installed
    // Flask-PluginKit, as Flask-PluginKit itself checks it.
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1, "{json}");
    let failing: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["plugin"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(failing, [("hello", "PK0212")]);
    let host = &json["host"];
    assert_eq!(host["version"], "3.12.1");
    assert_eq!(
        host["version_reason"],
        "the Flask-PluginKit installed for [host] python .venv/bin/python"
    );
    let python = venvs::FLASK.python();
    let out = std::process::Command::new(python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .unwrap();
    assert_eq!(
        host["python"],
        String::from_utf8_lossy(&out.stdout).trim(),
        "the venv's own Python"
    );
    assert_eq!(
        host["python_reason"],
        "the version of [host] python .venv/bin/python"
    );
}

#[test]
fn a_host_python_that_does_not_answer_leaves_the_default() {
    let context = TestContext::new();
    let root = context.root();
    write(
        root,
        "pluginkit.toml",
        "[host]\nkind = \"flask-pluginkit\"\npython = \"bin/python\"\n",
    );
    write(root, "plugins/__init__.py", "");
    write(root, "plugins/hello/__init__.py", FLASK_PLUGIN);
    for script in [
        None,
        Some("#!/bin/sh\nexit 3\n"),
        Some("#!/bin/sh\necho nonsense\n"),
    ] {
        if let Some(script) = script {
            write(root, "bin/python", script);
            std::fs::set_permissions(
                root.join("bin/python"),
                std::os::unix::fs::PermissionsExt::from_mode(0o755),
            )
            .unwrap();
        }
        let (code, json) = context.run_json(&["validate", "--format", "json"]);
        assert_eq!(code, 0, "{json}");
        assert_eq!(json["host"]["python"], "3.13");
        let why = json["host"]["python_reason"].as_str().unwrap();
        assert!(
            why.starts_with("the default: [host] python bin/python did not say its version ("),
            "{why}"
        );
        assert_eq!(json["host"]["version"], Value::Null);
    }
}

#[test]
fn init_takes_the_kind_most_plugins_are_for() {
    let context = TestContext::new();
    let root = context.root();
    write(root, "plugins/a/__init__.py", FASTCMS_PLUGIN);
    write(root, "plugins/b/__init__.py", FASTCMS_PLUGIN);
    write(root, "plugins/native/plugin.toml", NATIVE_PLUGIN);
    write(root, "plugins/native/README.md", "# n");
    let (code, stdout, stderr) = context.run(&["init"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("detected: fastcms (2 of the 3 plugins in plugins are fastcms plugins)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("plugins folder: plugins (3 plugins)"),
        "{stdout}"
    );
    let (_, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(json["host"]["kind"], "fastcms");

    // --kind and --plugins-dir decide over what is found.
    let other = TestContext::new();
    write(other.root(), "app/plugins/a/__init__.py", FASTCMS_PLUGIN);
    let (code, json) = other.run_json(&[
        "init",
        "--kind",
        "flask-pluginkit",
        "--plugins-dir",
        "app/plugins",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["kind"], "flask-pluginkit");
    assert_eq!(json["kind_reason"], "--kind");
    assert_eq!(json["plugins_dir"], "app/plugins");
    assert_eq!(json["plugins"], 1);
    let (code, json) = other.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["plugins"].as_array().unwrap().len(), 1);
}

#[test]
fn init_without_a_host_writes_a_file_to_fill_in_and_never_overwrites() {
    let context = TestContext::new();
    let root = context.root();
    let (code, json) = context.run_json(&["init", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["kind"], Value::Null);
    assert!(
        json["kind_reason"]
            .as_str()
            .unwrap()
            .starts_with("no host recognised"),
        "{json}"
    );
    let written = std::fs::read_to_string(root.join("pluginkit.toml")).unwrap();
    assert!(
        written.contains("# kind = \"flask-pluginkit\""),
        "{written}"
    );
    assert_eq!(json["created_plugins_dir"], true);
    assert!(root.join("plugins").is_dir());
    // What it wrote is a valid host file, and every command reads it.
    let (code, _, stderr) = context.run(&["list"]);
    assert_eq!(code, 0, "{stderr}");
    // A Flask-PluginKit host's plugins folder is made a package, as the host needs.
    let flask = TestContext::new();
    let (code, stdout, stderr) = flask.run(&["init", "--kind", "flask-pluginkit"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("plugins folder: plugins (created)"),
        "{stdout}"
    );
    assert!(flask.root().join("plugins/__init__.py").is_file());

    // A second init changes nothing.
    std::fs::write(root.join("pluginkit.toml"), "# mine\n[host]\n").unwrap();
    let (code, stdout, stderr) = context.run(&["init", "--kind", "fba"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.contains("pluginkit.toml already exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(root.join("pluginkit.toml")).unwrap(),
        "# mine\n[host]\n"
    );
    // A bad kind is bad usage.
    let other = TestContext::new();
    let (code, _, stderr) = other.run(&["init", "--kind", "django"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(!other.root().join("pluginkit.toml").exists());
}

#[test]
fn a_plugins_folder_with_nothing_recognisable_is_pk0001_in_every_format() {
    for layout in [&[][..], &["notes/todo.txt", "static/app.css"][..]] {
        let context = TestContext::new();
        let root = context.root();
        std::fs::create_dir_all(root.join("plugins")).unwrap();
        for file in layout {
            write(root, &format!("plugins/{file}"), "x");
        }
        let (code, json) = context.run_json(&["validate", "--format", "json"]);
        assert_eq!(code, 0, "{json}");
        let codes: Vec<&str> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert!(
            !codes.is_empty() && codes.iter().all(|c| *c == "PK0001"),
            "{json}"
        );
        assert_eq!(json["summary"]["warnings"], codes.len());

        let (code, stdout, stderr) = context.run(&["validate"]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("warning[PK0001]"), "{stdout}");
        let (code, stdout, _) = context.run(&["validate", "--format", "github"]);
        assert_eq!(code, 0);
        assert!(
            stdout.contains("::warning") && stdout.contains("PK0001"),
            "{stdout}"
        );
        let (code, stdout, _) = context.run(&["validate", "--format", "sarif"]);
        assert_eq!(code, 0);
        let sarif: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(
            sarif["runs"][0]["results"][0]["ruleId"], "PK0001",
            "{sarif}"
        );

        // --strict makes the warning fail, in every format.
        for format in ["human", "json", "github", "sarif"] {
            let (code, _, _) = context.run(&["validate", "--strict", "--format", format]);
            assert_eq!(code, 1, "--strict --format {format}");
        }
    }
}
