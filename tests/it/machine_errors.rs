//! A run in a machine format never goes silent: one that cannot start (an unreadable
//! `pluginkit.toml`, exit 2) or fails (exit 1) still prints a well-formed document on stdout, as
//! the error goes to stderr: a JSON object with the error and its exit code, a SARIF log with the
//! configuration finding as a result and the failure as a tool execution notification, a GitHub
//! `::error` line.

use serde_json::Value;

use crate::support::{TestContext, write};
use crate::validate_formats::sarif_schema;

fn broken_host() -> TestContext {
    let context = TestContext::new();
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\nplugin-dir = \"x\"\n",
    );
    context
}

#[test]
fn a_run_that_cannot_start_prints_a_json_document_with_its_error() {
    let context = broken_host();
    for args in [
        &["validate", "--format", "json"][..],
        &["list", "--format", "json"],
        &["status", "--format", "json"],
        &["--format", "json", "validate"],
    ] {
        let output = context.pluginkit().args(args).output();
        assert_eq!(output.code, 2, "{args:?}: {}", output.stderr);
        assert!(output.stderr.contains("error[PK0004]"), "{}", output.stderr);
        let json: Value = serde_json::from_str(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: stdout is no JSON document ({e}):\n{}",
                output.stdout
            )
        });
        assert_eq!(json["version"], 1, "{json}");
        let error = &json["error"];
        assert_eq!(error["exit_code"], 2, "{json}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .starts_with("malformed pluginkit.toml: unknown field `plugin-dir`"),
            "{json}"
        );
        assert_eq!(error["finding"]["code"], "PK0004");
        assert_eq!(error["finding"]["file"], "pluginkit.toml");
        assert_eq!(error["finding"]["line"], 2);
    }
    // The human format prints nothing on stdout: the error is on stderr.
    let output = context.pluginkit().args(["validate"]).output();
    assert_eq!((output.code, output.stdout.as_str()), (2, ""));
}

#[test]
fn a_run_that_cannot_start_prints_sarif_and_a_github_annotation() {
    let context = broken_host();
    let (code, sarif) = context.run_json(&["validate", "--format", "sarif"]);
    assert_eq!(code, 2, "{sarif}");
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{sarif:#}");
    let run = &sarif["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert_eq!(run["invocations"][0]["exitCode"], 2);
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"][0]["level"],
        "error"
    );
    assert_eq!(run["results"][0]["ruleId"], "PK0004");
    assert_eq!(
        run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );

    let (code, stdout, stderr) = context.run(&["validate", "--format", "github"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stdout.starts_with(
            "::error title=pluginkit could not run::malformed pluginkit.toml: unknown field `plugin-dir`"
        ),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn a_failed_operation_prints_its_error_document_with_exit_code_1() {
    let context = TestContext::new();
    let (code, json) = context.run_json(&["validate", "nowhere", "--format", "json"]);
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["error"]["exit_code"], 1);
    assert_eq!(json["error"]["message"], "nowhere: no such file or folder");
    assert_eq!(json["error"]["finding"], Value::Null);
    std::fs::create_dir_all(context.path("plugins")).unwrap();
    let (code, json) = context.run_json(&["info", "ghost", "--format", "json"]);
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["version"], 1);
    assert!(
        json["error"]["message"].as_str().unwrap().contains("ghost"),
        "{json}"
    );
    // A run that did print its document adds no second one: findings are a result, not a
    // failure to run.
    write(
        context.root(),
        "plugins/bad/plugin.toml",
        "[plugin]\nname = \"bad\"\nversion = \"1.0\"\nsummary = \"s\"\nauthor = \"a\"\n",
    );
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1, "{json}");
    assert!(json.get("error").is_none(), "{json}");
}
