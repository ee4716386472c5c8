//! `validate --flavor fba` against FastAPI Best Architecture's own plugins and against every
//! revision of the notice plugin's manifest (DESIGN.md, "Flavors").

use serde_json::Value;

use crate::support;
use crate::support::{TestContext, rebuild_fba_corpus};

fn codes(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_six_corpus_plugins_are_valid() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    let names = rebuild_fba_corpus(&plugins);
    assert_eq!(
        names,
        [
            "code_generator",
            "config",
            "dict",
            "email",
            "notice",
            "oauth2"
        ]
    );

    let (code, json) =
        context.run_json(&["validate", "plugins", "--flavor", "fba", "--format", "json"]);
    assert_eq!(json["findings"], Value::Array(vec![]), "{json:#}");
    assert_eq!(json["summary"]["checked"], 6);
    assert_eq!(code, 0);

    // Auto-detection picks fba for every one of them too.
    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0);
    for plugin in json["plugins"].as_array().unwrap() {
        assert_eq!(plugin["flavor"], "fba", "{plugin}");
        assert_eq!(plugin["valid"], true, "{plugin}");
    }
}

/// What each revision of notice/plugin.toml must be told: (file, error codes, words that the
/// messages must contain).
const HISTORY: &[(&str, &[&str], &[&str])] = &[
    (
        "2025-02-13_d9985f9d.toml",
        &["PK0105", "PK0104", "PK0104", "PK0104"],
        &[
            "missing table `[plugin]`",
            "`app` must be the table `[app]`",
            "`prefix` is misplaced",
            "`tags` is misplaced",
        ],
    ),
    (
        "2025-02-17_5e7a4e1e.toml",
        &["PK0105", "PK0307"],
        &["missing table `[plugin]`", "missing `extend` in [app]"],
    ),
    (
        "2025-05-15_1e54b0ba.toml",
        &["PK0304", "PK0305", "PK0307"],
        &["missing `tags`", "missing `database`", "missing `extend`"],
    ),
    (
        "2025-06-27_bd4acf81.toml",
        &["PK0304", "PK0305"],
        &["missing `tags`", "missing `database`"],
    ),
    (
        "2025-09-02_8420ccf1.toml",
        &["PK0304", "PK0305"],
        &["missing `tags`", "missing `database`"],
    ),
    (
        "2026-01-25_08674ab9.toml",
        &["PK0305"],
        &["`pgsql` is not a valid database value"],
    ),
    ("2026-01-26_eb27b5bf.toml", &[], &[]),
    ("2026-02-04_f5af4113.toml", &[], &[]),
];

#[test]
fn every_notice_revision_before_2026_01_26_fails_naming_what_is_wrong() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    rebuild_fba_corpus(&plugins);
    let history = support::corpus().join("notice-plugin.toml-history");
    let mut seen = 0;
    for entry in std::fs::read_dir(&history).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if file.ends_with(".toml") {
            seen += 1;
            assert!(
                HISTORY.iter().any(|(name, ..)| *name == file),
                "a revision {file} has no expectation"
            );
        }
    }
    assert_eq!(seen, HISTORY.len());

    for (file, expected, words) in HISTORY {
        std::fs::copy(history.join(file), plugins.join("notice/plugin.toml")).unwrap();
        let (code, json) = context.run_json(&[
            "validate",
            "plugins/notice",
            "--flavor",
            "fba",
            "--format",
            "json",
        ]);
        let mut got = codes(&json);
        got.sort();
        let mut want: Vec<String> = expected.iter().map(|c| (*c).to_owned()).collect();
        want.sort();
        assert_eq!(got, want, "{file}: {json:#}");
        assert_eq!(code, if expected.is_empty() { 0 } else { 1 }, "{file}");
        let messages: Vec<&str> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["message"].as_str().unwrap())
            .collect();
        for word in *words {
            assert!(
                messages.iter().any(|m| m.contains(word)),
                "{file}: no message says {word:?}: {messages:#?}"
            );
        }
        let before_cutoff = *file < "2026-01-26";
        assert_eq!(before_cutoff, !expected.is_empty(), "{file}");
    }
}
