//! FastAPI Best Architecture's own plugins, in the exact folder shapes of the real ones
//! (tests/fixtures/fba/*/FILES.txt), and every revision of the notice plugin's manifest, each
//! judged by the FBA release of its day (DESIGN.md, "Flavors").

use std::path::Path;

use serde_json::Value;

use crate::support;
use crate::support::{TestContext, rebuild_fba_corpus, write};

const SIX: [&str; 6] = [
    "code_generator",
    "config",
    "dict",
    "email",
    "notice",
    "oauth2",
];

/// The (code, severity) of every finding, sorted.
fn found(json: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array: {json:#}"))
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

fn errors(json: &Value) -> Vec<String> {
    found(json)
        .into_iter()
        .filter(|(_, severity)| severity == "error")
        .map(|(code, _)| code)
        .collect()
}

fn messages(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect()
}

/// An FBA checkout: `backend/__init__.py` with `__version__`, the six plugins in
/// `backend/plugin/`, and no pluginkit.toml.
fn checkout(root: &Path, version: &str) {
    write(
        root,
        "backend/__init__.py",
        &format!("__version__ = '{version}'\n"),
    );
    write(root, "backend/plugin/__init__.py", "");
    rebuild_fba_corpus(&root.join("backend/plugin"));
}

#[test]
fn the_six_plugins_are_rebuilt_in_their_real_shapes() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    assert_eq!(rebuild_fba_corpus(&plugins), SIX);
    for name in SIX {
        let listing =
            std::fs::read_to_string(support::corpus().join(name).join("FILES.txt")).unwrap();
        let mut want: Vec<&str> = listing.lines().collect();
        want.sort_unstable();
        let mut have: Vec<String> = walk(&plugins.join(name));
        have.sort();
        assert_eq!(have, want, "{name}");
    }
    // The layout the issue is about: extend-level API modules are not in api/ itself.
    assert!(plugins.join("notice/api/v1/sys/notice.py").is_file());
    assert!(plugins.join("dict/api/v1/sys/dict_type.py").is_file());
    assert!(!plugins.join("notice/api/notice.py").exists());
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn the_six_corpus_plugins_are_valid() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    rebuild_fba_corpus(&plugins);

    // Pinned, and with --strict: not even a warning.
    let (code, json) = context.run_json(&[
        "validate", "plugins", "--flavor", "fba", "--strict", "--format", "json",
    ]);
    assert_eq!(json["findings"], Value::Array(vec![]), "{json:#}");
    assert_eq!(json["summary"]["checked"], 6);
    assert_eq!(code, 0);

    // Detected: every one of them is fba.
    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json:#}");
    for plugin in json["plugins"].as_array().unwrap() {
        assert_eq!(plugin["flavor"], "fba", "{plugin}");
        assert_eq!(plugin["valid"], true, "{plugin}");
    }
}

#[test]
fn the_six_are_found_and_valid_from_an_fba_checkout() {
    let context = TestContext::new();
    checkout(context.root(), "1.13.4");

    // From the checkout's root and from folders inside it, with no pluginkit.toml: the host is
    // the checkout, its plugins folder backend/plugin; inside one plugin, that plugin.
    for (cwd, checked) in [
        (context.root().to_path_buf(), 6),
        (context.root().join("backend"), 6),
        (context.root().join("backend/plugin"), 6),
        (context.root().join("backend/plugin/dict/api"), 1),
    ] {
        let (code, json) = context.run_json_in(&cwd, &["validate", "--strict", "--format", "json"]);
        assert_eq!(
            json["findings"],
            Value::Array(vec![]),
            "{}: {json:#}",
            cwd.display()
        );
        assert_eq!(
            json["summary"]["checked"],
            checked,
            "{}: {json:#}",
            cwd.display()
        );
        assert_eq!(code, 0);
    }

    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json:#}");
    let listed: Vec<&str> = json["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, SIX);
    for plugin in json["plugins"].as_array().unwrap() {
        assert_eq!(plugin["flavor"], "fba", "{plugin}");
        assert_eq!(plugin["valid"], true, "{plugin}");
    }
    let (code, stdout, stderr) = context.run(&["list"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("does not exist"), "{stderr}");
    for name in SIX {
        assert!(
            stdout.contains(&format!("backend/plugin/{name}")),
            "{stdout}"
        );
    }
}

/// One revision of notice/plugin.toml: what the newest rules say (error codes, and words the
/// messages must hold), and its verdict under FBA releases around its date.
struct Revision {
    file: &'static str,
    newest: &'static [&'static str],
    words: &'static [&'static str],
    /// (FBA version, the error codes it gives: none means that release loads it).
    releases: &'static [(&'static str, &'static [&'static str])],
}

/// The tags: v1.0.0 2025-02-24, v1.2.0 04-28, v1.3.0 05-16, v1.5.2 06-24, v1.6.0 06-30,
/// v1.8.0 08-15, v1.8.1 09-09, v1.12.3 2026-01-13, v1.13.0 02-14 (`git tag --contains` gives
/// the release that shipped each commit).
const HISTORY: &[Revision] = &[
    // FBA's plugin system before its first release: `app` a string, one [api] for every file.
    // No release reads it: v1.0.0 (five days later) already wanted [app] include and
    // [api.<file>] tables (tools.py v1.0.0: `'admin'.get` is an AttributeError).
    Revision {
        file: "2025-02-13_d9985f9d.toml",
        newest: &["PK0104", "PK0104", "PK0104", "PK0105", "PK0318"],
        words: &[
            "missing table `[plugin]`",
            "`app` must be the table `[app]`",
            "`prefix` is misplaced",
            "`tags` is misplaced",
            "has no [api.notice] table",
        ],
        releases: &[
            ("1.0.0", &["PK0104"]),
            ("1.4.0", &["PK0104", "PK0105", "PK0318"]),
        ],
    },
    // Before v1.0.0; shipped in it.
    Revision {
        file: "2025-02-17_5e7a4e1e.toml",
        newest: &["PK0105", "PK0307"],
        words: &[
            "missing table `[plugin]`",
            "missing `extend` in [app]",
            "`include` is its old name",
        ],
        releases: &[("1.0.0", &[]), ("1.2.0", &[]), ("1.3.0", &["PK0105"])],
    },
    // The day before v1.3.0, which shipped it (and required [plugin]); v1.2.0 loads it too.
    Revision {
        file: "2025-05-15_1e54b0ba.toml",
        newest: &["PK0304", "PK0305", "PK0307"],
        words: &["missing `tags`", "missing `database`", "missing `extend`"],
        releases: &[("1.2.0", &[]), ("1.3.0", &[]), ("1.11.0", &["PK0307"])],
    },
    // `extend` replaced `include` in this commit, shipped in v1.6.0; v1.5.2 reads only
    // `include`.
    Revision {
        file: "2025-06-27_bd4acf81.toml",
        newest: &["PK0304", "PK0305"],
        words: &[
            "missing `tags`",
            "missing `database`",
            "FBA 1.13.2 and later require",
        ],
        releases: &[("1.5.2", &["PK0307"]), ("1.6.0", &[]), ("1.13.1", &[])],
    },
    Revision {
        file: "2025-09-02_8420ccf1.toml",
        newest: &["PK0304", "PK0305"],
        words: &["missing `tags`", "missing `database`"],
        releases: &[
            ("1.8.0", &[]),
            ("1.8.1", &[]),
            ("1.13.2", &["PK0304", "PK0305"]),
        ],
    },
    // `pgsql`: v1.12.3 (the release of its day) ignores `database`; v1.13.0, which shipped
    // the validator a day later, refuses it.
    Revision {
        file: "2026-01-25_08674ab9.toml",
        newest: &["PK0305"],
        words: &["`pgsql` is not a valid database value"],
        releases: &[("1.12.3", &[]), ("1.13.0", &["PK0305"])],
    },
    Revision {
        file: "2026-01-26_eb27b5bf.toml",
        newest: &[],
        words: &[],
        releases: &[("1.12.3", &[]), ("1.13.0", &[])],
    },
    Revision {
        file: "2026-02-04_f5af4113.toml",
        newest: &[],
        words: &[],
        releases: &[("1.12.3", &[]), ("1.13.0", &[]), ("1.13.4", &[])],
    },
];

fn validate_notice(context: &TestContext) -> (i32, Value) {
    context.run_json(&[
        "validate",
        "plugins/notice",
        "--flavor",
        "fba",
        "--format",
        "json",
    ])
}

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
                HISTORY.iter().any(|r| r.file == file),
                "a revision {file} has no expectation"
            );
        }
    }
    assert_eq!(seen, HISTORY.len());

    // The newest rules (no version known), and FBA HEAD's (1.13.4, the commit the corpus is
    // from): the same verdicts, as every revision has [app] or [api].
    for head in [None, Some("1.13.4")] {
        if let Some(version) = head {
            write(
                context.root(),
                "pluginkit.toml",
                &format!("[host]\nkind = \"fba\"\nversion = \"{version}\"\n"),
            );
        }
        for revision in HISTORY {
            let file = revision.file;
            std::fs::copy(history.join(file), plugins.join("notice/plugin.toml")).unwrap();
            let (code, json) = validate_notice(&context);
            assert_eq!(
                errors(&json),
                revision.newest,
                "{file} ({head:?}): {json:#}"
            );
            assert_eq!(code, i32::from(!revision.newest.is_empty()), "{file}");
            let messages = messages(&json);
            for word in revision.words {
                assert!(
                    messages.iter().any(|m| m.contains(word)),
                    "{file} ({head:?}): no message says {word:?}: {messages:#?}"
                );
            }
            assert_eq!(file < "2026-01-26", !revision.newest.is_empty(), "{file}");
        }
    }
}

#[test]
fn every_notice_revision_is_judged_by_the_fba_release_of_its_day() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    rebuild_fba_corpus(&plugins);
    let history = support::corpus().join("notice-plugin.toml-history");
    for revision in HISTORY {
        let file = revision.file;
        std::fs::copy(history.join(file), plugins.join("notice/plugin.toml")).unwrap();
        for (version, want) in revision.releases {
            write(
                context.root(),
                "pluginkit.toml",
                &format!("[host]\nkind = \"fba\"\nversion = \"{version}\"\n"),
            );
            let (code, json) = validate_notice(&context);
            assert_eq!(errors(&json), *want, "{file} under FBA {version}: {json:#}");
            assert_eq!(
                code,
                i32::from(!want.is_empty()),
                "{file} under FBA {version}"
            );
        }
        std::fs::remove_file(context.root().join("pluginkit.toml")).unwrap();
    }
}
