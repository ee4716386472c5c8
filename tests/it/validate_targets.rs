//! What `validate` checks: files stand for the plugin they are in (what pre-commit passes, so
//! only the touched plugins are checked), each plugin once however many paths name it, and
//! without a path the plugin the working folder is in, else the plugins folder.

use serde_json::Value;

use crate::support::{TestContext, write};

const GOOD: &str = "[plugin]\nname = \"NAME\"\nversion = \"1.0.0\"\nsummary = \"s\"\nauthor = \"Ada\"\nlicense = \"MIT\"\n";

fn native(context: &TestContext, dir: &str, name: &str) {
    write(
        context.root(),
        &format!("{dir}/plugin.toml"),
        &GOOD.replace("NAME", name),
    );
    write(context.root(), &format!("{dir}/README.md"), "# r");
    write(context.root(), &format!("{dir}/api/v1/views.py"), "x = 1\n");
}

/// (checked, the plugins the findings name).
fn checked(json: &Value) -> (u64, Vec<String>) {
    let mut plugins: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["plugin"].as_str().map(str::to_owned))
        .collect();
    plugins.dedup();
    (json["summary"]["checked"].as_u64().unwrap(), plugins)
}

#[test]
fn files_stand_for_their_plugin_and_each_plugin_is_checked_once() {
    let context = TestContext::new();
    write(context.root(), "pluginkit.toml", "[host]\n");
    native(&context, "plugins/hello", "hello");
    native(&context, "plugins/broken", "broken");
    // broken's version is no version: an error, at its line.
    write(
        context.root(),
        "plugins/broken/plugin.toml",
        &GOOD.replace("NAME", "broken").replace("1.0.0", "1.0"),
    );

    // What pre-commit passes for a commit touching hello's files: hello alone, once.
    let (code, json) = context.run_json(&[
        "validate",
        "--format",
        "json",
        "plugins/hello/plugin.toml",
        "plugins/hello/api/v1/views.py",
        "plugins/hello/README.md",
        "plugins/hello",
    ]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(checked(&json), (1, vec![]), "{json}");

    // A touched file of the broken plugin: its findings, exit 1.
    let (code, json) = context.run_json(&[
        "validate",
        "--format",
        "json",
        "plugins/hello/api/v1/views.py",
        "plugins/broken/api/v1/views.py",
    ]);
    assert_eq!(code, 1, "{json}");
    assert_eq!(checked(&json), (2, vec!["broken".to_owned()]), "{json}");
    assert_eq!(json["findings"][0]["code"], "PK0203");

    // A file in no plugin is refused, saying what a path may be.
    write(context.root(), "notes.txt", "x");
    let (code, _, stderr) = context.run(&["validate", "notes.txt"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("notes.txt is a file in no plugin folder, and not a .zip package"),
        "{stderr}"
    );
    // A file of the plugins folder itself stands for no plugin either.
    write(context.root(), "plugins/README.md", "# the plugins");
    let (code, _, stderr) = context.run(&["validate", "plugins/README.md"]);
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn without_a_path_the_plugin_the_working_folder_is_in_is_checked() {
    let context = TestContext::new();
    write(context.root(), "pluginkit.toml", "[host]\n");
    native(&context, "plugins/hello", "hello");
    native(&context, "plugins/other", "other");

    // Deep inside a plugin: that plugin only.
    let (code, json) = context.run_json_in(
        &context.path("plugins/hello/api/v1"),
        &["validate", "--format", "json"],
    );
    assert_eq!(code, 0, "{json}");
    assert_eq!(checked(&json).0, 1, "{json}");
    // In the plugins folder, and at the host root: every plugin.
    for dir in ["plugins", "."] {
        let (code, json) =
            context.run_json_in(&context.path(dir), &["validate", "--format", "json"]);
        assert_eq!(code, 0, "{json}");
        assert_eq!(checked(&json).0, 2, "in {dir}: {json}");
    }

    // A plugin developed in a folder of its own, with no host around it: itself.
    let alone = TestContext::new();
    native(&alone, "hello", "hello");
    let (code, json) = alone.run_json_in(&alone.path("hello"), &["validate", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(checked(&json).0, 1, "{json}");
    let (code, stdout, stderr) = alone.run_in(&alone.path("hello/api"), &["validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 plugin checked"), "{stdout}");
}
