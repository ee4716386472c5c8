//! The exit-code table of README.md ("Exit codes and colour"), row by row, in every format of
//! `validate`: the code, and on stdout the document a pipeline reads (the findings, or the
//! failure), never nothing in a machine format.

use std::path::Path;

use serde_json::Value;

use crate::support::{TestContext, native_plugin, write};
use crate::validate_formats::sarif_schema;

/// The table's rows: (exit code, what the row says before its first `:`).
fn readme_rows() -> Vec<(i32, String)> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table = readme
        .split("| exit code | when |\n| --- | --- |\n")
        .nth(1)
        .expect("README.md has the exit-code table");
    table
        .lines()
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let code = cells[1].trim_matches('`').parse().unwrap();
            let what = cells[2].split(':').next().unwrap().to_owned();
            (code, what)
        })
        .collect()
}

/// A test folder in the situation a row names, and the arguments that get its exit code.
fn situation(what: &str) -> (TestContext, Vec<&'static str>) {
    let context = TestContext::new();
    native_plugin(&context.root().join("plugins"), "hello", "");
    let args = match what {
        "clean" => vec!["validate"],
        "findings" => {
            write(
                context.root(),
                "plugins/hello/plugin.toml",
                "[plugin]\nname = \"hello\"\nversion = \"1.0\"\nsummary = \"s\"\nauthor = \"a\"\nlicense = \"MIT\"\n",
            );
            vec!["validate"]
        }
        "a failed operation" => vec!["validate", "nowhere"],
        "bad usage" => vec!["validate", "--expect-version", "v"],
        "a configuration that cannot be read" => {
            write(
                context.root(),
                "pluginkit.toml",
                "[host]\nplugin-dir = \"x\"\n",
            );
            vec!["validate"]
        }
        other => panic!("no test for the README's row {other:?}"),
    };
    (context, args)
}

#[test]
fn every_row_of_the_exit_code_table_in_every_format() {
    let rows = readme_rows();
    assert_eq!(rows.len(), 5, "{rows:?}");
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for (code, what) in rows {
        let (context, args) = situation(&what);
        for format in ["human", "json", "sarif", "github"] {
            let mut all = args.clone();
            all.extend(["--format", format]);
            let output = context.pluginkit().args(&all).output();
            let case = format!("{what} ({all:?})");
            assert_eq!(output.code, code, "{case}: {}", output.stderr);
            let failed = what != "clean" && what != "findings";
            if failed {
                assert!(
                    output.stderr.starts_with("error"),
                    "{case}: {}",
                    output.stderr
                );
            }
            let stdout = output.stdout.as_str();
            match format {
                "human" if failed => assert_eq!(stdout, "", "{case}"),
                "human" => assert!(stdout.contains("1 plugin checked"), "{case}: {stdout}"),
                "json" => {
                    let json: Value = serde_json::from_str(stdout)
                        .unwrap_or_else(|e| panic!("{case}: no JSON ({e}): {stdout}"));
                    if failed {
                        assert_eq!(json["error"]["exit_code"], code, "{case}: {json}");
                    } else {
                        assert_eq!(json["summary"]["passed"], code == 0, "{case}: {json}");
                    }
                }
                "sarif" => {
                    let sarif: Value = serde_json::from_str(stdout)
                        .unwrap_or_else(|e| panic!("{case}: no SARIF ({e}): {stdout}"));
                    let errors: Vec<String> = validator
                        .iter_errors(&sarif)
                        .map(|e| e.to_string())
                        .collect();
                    assert!(errors.is_empty(), "{case}: {errors:#?}");
                    let run = &sarif["runs"][0];
                    if failed {
                        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
                        assert_eq!(run["invocations"][0]["exitCode"], code, "{case}");
                    } else {
                        let results = run["results"].as_array().unwrap();
                        assert_eq!(results.is_empty(), code == 0, "{case}: {run}");
                    }
                }
                _ => {
                    if failed {
                        assert!(
                            stdout.starts_with("::error title=pluginkit could not run::"),
                            "{case}: {stdout}"
                        );
                        assert_eq!(stdout.lines().count(), 1, "{case}: {stdout}");
                    } else if code == 0 {
                        assert_eq!(stdout, "", "{case}");
                    } else {
                        assert!(stdout.starts_with("::error file="), "{case}: {stdout}");
                    }
                }
            }
        }
    }
}

#[test]
fn bad_usage_in_a_machine_format_prints_its_document_too() {
    let context = TestContext::new();
    for args in [
        &["validate", "--format", "json", "--bogus"][..],
        &["validate", "--format=json", "--strict=yes"],
        &["--format", "json", "list", "--bogus"],
    ] {
        let (code, json) = context.run_json(args);
        assert_eq!(code, 2, "{args:?}: {json}");
        assert_eq!(json["error"]["exit_code"], 2, "{args:?}: {json}");
        assert!(
            json["error"]["message"].as_str().unwrap().contains('\''),
            "{args:?}: {json}"
        );
    }
    // Help and --version are not failures: they print as always, and exit 0.
    let (code, stdout, _) = context.run(&["validate", "--format", "json", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Usage:"), "{stdout}");
}
