//! Flask-PluginKit metadata as users see it (issue 18, item 2): `__description__` is the
//! plugin's summary (its first line) in `list`, in a registry's `search.json` and in `search`;
//! an `__init__.py` with `register` and Flask-PluginKit's other dunders but a misspelled
//! `__plugin_name__` is that flavor's plugin with a did-you-mean at the misspelled line, alone or
//! beside a valid plugin, and the real Flask-PluginKit 3.12.1 refuses it too.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::venvs::{self, must_run};
use crate::support::{self, TestContext};

const DESCRIBED: &str = "__plugin_name__ = \"greeter\"\n__version__ = \"0.1.0\"\n__author__ = \"Ada\"\n__description__ = \"\"\"\nGreets people by name.\n\nA longer text that no list shows.\n\"\"\"\n\n\ndef register():\n    return {}\n";

/// `__plugin_name__` misspelled on line 1; everything else Flask-PluginKit wants is there.
const MISSPELLED: &str = "__plugin_nmae__ = \"typo\"\n__version__ = \"0.1.0\"\n__author__ = \"Ada\"\n__description__ = \"Has a typo\"\n\n\ndef register():\n    return {}\n";

const VALID: &str = "__plugin_name__ = \"fine\"\n__version__ = \"0.1.0\"\n__author__ = \"Ada\"\n\n\ndef register():\n    return {}\n";

/// A Flask-PluginKit host: `pluginkit.toml`, and `plugins/` as a package.
fn flask_host(root: &Path, extra: &str) {
    support::write(
        root,
        "pluginkit.toml",
        &format!("[host]\nkind = \"flask-pluginkit\"\nplugins-dir = \"plugins\"\n{extra}"),
    );
    support::write(root, "plugins/__init__.py", "");
}

#[test]
fn the_description_is_the_summary_in_list_search_json_and_search() {
    let context = TestContext::new();
    let root = context.root();
    flask_host(
        root,
        &format!(
            "\n[registries.default]\nindex = \"{}\"\n",
            root.join("reg").display()
        ),
    );
    support::write(root, "plugins/greeter/__init__.py", DESCRIBED);

    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(
        json["plugins"][0]["summary"], "Greets people by name.",
        "{json:#}"
    );

    let (code, _, stderr) = context.run(&["package", "plugins/greeter", "-o", "greeter.zip"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = context.run(&["registry", "publish", "greeter.zip", "--dir", "reg"]);
    assert_eq!(code, 0, "{stderr}");
    let index: Value =
        serde_json::from_str(&fs::read_to_string(root.join("reg/search.json")).unwrap()).unwrap();
    assert_eq!(
        index["plugins"][0]["summary"], "Greets people by name.",
        "{index:#}"
    );

    let (code, stdout, stderr) = context.run(&["search", "greet"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Greets people by name."), "{stdout}");
    // A word of the summary finds it too.
    let (code, json) = context.run_json(&["search", "people", "--format", "json"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["plugins"][0]["name"], "greeter", "{json:#}");
}

/// Loads `plugins/` with the real Flask-PluginKit 3.12.1 as its documentation sets it up; prints
/// the plugins it loaded, or what it raised.
const LOADER: &str = r#"
import json, sys
import flask_pluginkit.pluginkit as fpk
from flask import Flask
from flask_pluginkit import PluginManager

fpk.pip_list = lambda target_dir="": {}  # the `pip list` it runs plays no part in loading
base = sys.argv[1]
sys.path.insert(0, base)
try:
    manager = PluginManager(Flask("host", root_path=base), plugins_base=base, plugins_folder="plugins")
    print(json.dumps({"loaded": sorted(p.plugin_package_name for p in manager.get_all_plugins)}))
except Exception as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
"#;

fn flask_pluginkit(root: &Path) -> Value {
    let driver = root.join("loader.py");
    fs::write(&driver, LOADER).unwrap();
    let stdout = must_run(
        Command::new(venvs::FLASK.python())
            .arg(&driver)
            .arg(root)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME"),
        "the Flask-PluginKit loader",
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("no JSON ({e}): {stdout}"))
}

/// The one finding `validate` gives about the misspelled plugin: at line 1, with a did-you-mean.
fn assert_did_you_mean(json: &Value) {
    let findings: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["plugin"] == "typo")
        .collect();
    assert_eq!(findings.len(), 1, "{json:#}");
    let finding = findings[0];
    assert_eq!(finding["code"], "PK0105", "{json:#}");
    assert_eq!(finding["severity"], "error", "{json:#}");
    assert_eq!(finding["file"], "plugins/typo/__init__.py", "{json:#}");
    assert_eq!(finding["line"], 1, "{json:#}");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("__plugin_nmae__"),
        "{json:#}"
    );
    assert!(
        finding["help"]
            .as_str()
            .unwrap()
            .contains("rename `__plugin_nmae__` to `__plugin_name__`"),
        "{json:#}"
    );
}

#[test]
fn a_misspelled_plugin_name_alone_is_a_flask_plugin_with_a_did_you_mean() {
    let context = TestContext::new();
    let root = context.root();
    flask_host(root, "");
    support::write(root, "plugins/typo/__init__.py", MISSPELLED);

    let (code, json) = context.run_json(&["validate", "plugins/typo", "--format", "json"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["summary"]["checked"], 1, "{json:#}");
    assert_did_you_mean(&json);
    // The human form points at the line and says what to write.
    let (_, stdout, _) = context.run(&["validate", "plugins/typo"]);
    assert!(
        stdout.contains("plugins/typo/__init__.py:1:")
            && stdout.contains("did you mean `__plugin_name__`?"),
        "{stdout}"
    );
    // `list` sees a Flask-PluginKit plugin that is not valid, not a stray folder.
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["flavor"], "flask-pluginkit", "{json:#}");
    assert_eq!(json["plugins"][0]["valid"], false, "{json:#}");

    // The real Flask-PluginKit refuses it: the whole app does not start.
    let real = flask_pluginkit(root);
    let error = real["error"].as_str().unwrap_or_default();
    assert!(
        error.starts_with("PEPError") && error.contains("metadata error"),
        "{real:#}"
    );
}

#[test]
fn a_misspelled_plugin_name_beside_a_valid_plugin_gets_the_same_finding() {
    let context = TestContext::new();
    let root = context.root();
    flask_host(root, "");
    support::write(root, "plugins/typo/__init__.py", MISSPELLED);
    support::write(root, "plugins/fine/__init__.py", VALID);

    let (code, json) = context.run_json(&["validate", "plugins", "--format", "json"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["summary"]["checked"], 2, "{json:#}");
    assert_did_you_mean(&json);
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["plugin"] != "fine"),
        "{json:#}"
    );
    let real = flask_pluginkit(root);
    assert!(
        real["error"]
            .as_str()
            .is_some_and(|e| e.contains("metadata error")),
        "{real:#}"
    );

    // Fixed as the help says, both load, in pluginkit and in Flask-PluginKit.
    support::write(
        root,
        "plugins/typo/__init__.py",
        &MISSPELLED.replace("__plugin_nmae__", "__plugin_name__"),
    );
    let (code, json) = context.run_json(&["validate", "plugins", "--format", "json"]);
    assert_eq!(code, 0, "{json:#}");
    let real = flask_pluginkit(root);
    assert_eq!(
        real["loaded"],
        serde_json::json!(["fine", "typo"]),
        "{real:#}"
    );
}
