//! `validate` in each output format: human snippets, JSON, GitHub annotations, and SARIF checked
//! against the SARIF 2.1.0 schema.

use std::path::Path;

use serde_json::Value;

use crate::support;
use crate::support::{TestContext, native_plugin, write};

/// A plugins folder with one valid plugin and one with three mistakes.
fn plugins_with_mistakes(root: &Path) {
    native_plugin(&root.join("plugins"), "good", "");
    write(
        root,
        "plugins/bad/plugin.toml",
        "[plugin]\nname = \"bad\"\nversion = \"1.0\"\nsummary = \"Bad\"\nauthor = \"Ada\"\nlicence = \"MIT\"\n",
    );
    write(root, "plugins/bad/README.md", "# bad\n");
}

#[test]
fn human_output_draws_rustc_style_snippets() {
    let context = TestContext::new();
    plugins_with_mistakes(context.root());
    insta::assert_snapshot!(context.run_snapshot(&["validate"]));
}

#[test]
fn json_output_has_one_object_per_finding_and_a_summary() {
    let context = TestContext::new();
    plugins_with_mistakes(context.root());
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1);
    insta::assert_json_snapshot!(json);
    let (code, json) = context.run_json(&["validate", "plugins/good", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        json["summary"],
        serde_json::json!({"checked": 1, "errors": 0, "warnings": 0, "passed": true})
    );
}

#[test]
fn github_output_is_workflow_commands() {
    let context = TestContext::new();
    plugins_with_mistakes(context.root());
    let outcome = context
        .pluginkit()
        .args(["validate", "--format", "github"])
        .output();
    insta::assert_snapshot!(outcome.snapshot());
    for line in outcome.stdout.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
        assert!(!line.contains('\n'));
    }
}

#[test]
fn strict_makes_warnings_fail() {
    let context = TestContext::new();
    native_plugin(
        &context.root().join("plugins"),
        "hello",
        "homepage = \"example.com\"\n",
    );
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(
        (code, json["summary"]["warnings"].as_u64()),
        (0, Some(1)),
        "{json:#}"
    );
    let (code, json) = context.run_json(&["validate", "--strict", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(json["summary"]["passed"], false);
}

/// The SARIF 2.1.0 schema, as shipped in the serde-sarif crate (a dev-dependency, so cargo has
/// downloaded it).
pub(crate) fn sarif_schema() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let manifest = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .expect("serde-sarif is a dev-dependency")["manifest_path"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = Path::new(&manifest)
        .parent()
        .unwrap()
        .join("src/schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(schema["title"].as_str().unwrap().contains("2.1.0"));
    schema
}

#[test]
fn sarif_output_matches_the_sarif_2_1_0_schema() {
    let context = TestContext::new();
    plugins_with_mistakes(context.root());
    // A package and an FBA plugin too, so every location shape appears.
    support::rebuild_fba_corpus(&context.root().join("fba"));
    write(
        context.root(),
        "fba/dict/plugin.toml",
        "[plugin]\nsummary = 1\n",
    );
    let (code, sarif) = context.run_json(&["validate", "plugins", "fba/dict", "--format", "sarif"]);
    assert_eq!(code, 1);

    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not match the schema: {errors:#?}"
    );
    // And it reads back through a typed SARIF model.
    let typed: serde_sarif::sarif::Sarif = serde_json::from_value(sarif.clone()).unwrap();
    assert_eq!(typed.runs.len(), 1);

    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(
            !location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with('/')
        );
    }
    let version = results
        .iter()
        .find(|r| r["ruleId"] == "PK0203")
        .expect("the bad version is reported");
    assert_eq!(
        version["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "plugins/bad/plugin.toml"
    );
    assert_eq!(
        version["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(
        version["locations"][0]["physicalLocation"]["region"]["startColumn"],
        11
    );
}

#[test]
fn unsupported_formats_are_usage_errors() {
    let context = TestContext::new();
    native_plugin(&context.root().join("plugins"), "hello", "");
    insta::assert_snapshot!(context.run_snapshot(&["validate", "--format", "csv"]));
}
