//! FBA's plugin rules as the host version applies them: each rule at the FBA release where it
//! starts to apply and at the one before (pinned with `[host] version`, and once through an FBA
//! checkout's `__version__`), the rules every version shares (api/router.py, the API files'
//! places, README.md only in packages), and which plugin.toml is FBA's.
//!
//! The versions come from FBA's own code at each tag (`backend/plugin/tools.py`, `core.py`,
//! `validator.py`); src/plugin/fba/versions.rs names the commit behind each threshold.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::support::venvs::must_run;
use crate::support::{TestContext, write};

use pluginkit::findings::rules;

/// An extend-level plugin as FBA HEAD has it (tests/fixtures/fba/notice).
const EXTEND: &str = r#"[plugin]
summary = "通知公告"
version = "0.0.2"
description = "用于发布系统内部通知、公告"
author = "wu-clan"
tags = ["other"]
database = ["mysql", "postgresql"]

[app]
extend = "admin"

[api.notice]
prefix = "/notices"
tags = "系统通知公告"
"#;

/// The files of the extend-level plugin besides plugin.toml, in FBA's layout.
const EXTEND_FILES: &[(&str, &str)] = &[
    ("__init__.py", ""),
    ("api/__init__.py", ""),
    ("api/v1/__init__.py", ""),
    ("api/v1/sys/__init__.py", ""),
    (
        "api/v1/sys/notice.py",
        "from fastapi import APIRouter\nrouter = APIRouter()\n",
    ),
];

/// An app-level plugin as FBA HEAD has it (tests/fixtures/fba/email).
const APP: &str = r#"[plugin]
summary = "电子邮件"
version = "0.0.3"
description = "提供邮件发送功能"
author = "wu-clan"
tags = ["other"]
database = ["mysql", "postgresql"]

[app]
router = ["v1"]
"#;

const APP_FILES: &[(&str, &str)] = &[
    ("__init__.py", ""),
    ("api/__init__.py", ""),
    (
        "api/router.py",
        "from fastapi import APIRouter\nv1 = APIRouter()\n",
    ),
];

/// A capability-level plugin (FBA 1.15): [plugin] and [settings] only.
const CAPABILITY: &str = r#"[plugin]
summary = "Object storage"
version = "1.0.0"
description = "Stores files in S3"
author = "ada"
tags = ["storage"]

[settings]
S3_BUCKET = "files"
"#;

const SQL: &[&str] = &[
    "sql/mysql/init.sql",
    "sql/mysql/destroy.sql",
    "sql/mysql/init_snowflake.sql",
    "sql/mysql/destroy_snowflake.sql",
];

/// [plugin] as it was before tags and database (FBA 1.3.0 to 1.12.x).
const OLD_PLUGIN: &str = "[plugin]\nsummary = \"通知公告\"\nversion = \"0.0.2\"\ndescription = \"用于发布系统内部通知、公告\"\nauthor = \"wu-clan\"\n";

/// One plugin, one FBA version, and what validate must say.
struct Case {
    what: &'static str,
    /// `[host] version`; `None`: no version (the newest rules).
    version: Option<&'static str>,
    manifest: String,
    files: Vec<(&'static str, String)>,
    remove: Vec<&'static str>,
    /// The findings, as (code, severity), in any order.
    expect: Vec<(&'static str, &'static str)>,
    /// Words that some message must hold.
    words: Vec<&'static str>,
}

impl Case {
    fn extend(what: &'static str, version: &'static str) -> Case {
        Case::of(what, Some(version), EXTEND, EXTEND_FILES)
    }

    fn app(what: &'static str, version: &'static str) -> Case {
        Case::of(what, Some(version), APP, APP_FILES)
    }

    fn capability(what: &'static str, version: &'static str) -> Case {
        Case::of(what, Some(version), CAPABILITY, &[("__init__.py", "")])
    }

    fn of(
        what: &'static str,
        version: Option<&'static str>,
        manifest: &str,
        files: &[(&'static str, &'static str)],
    ) -> Case {
        Case {
            what,
            version,
            manifest: manifest.to_owned(),
            files: files.iter().map(|(p, t)| (*p, (*t).to_owned())).collect(),
            remove: Vec::new(),
            expect: Vec::new(),
            words: Vec::new(),
        }
    }

    fn edit(mut self, from: &str, to: &str) -> Case {
        assert!(self.manifest.contains(from), "{}: no `{from}`", self.what);
        self.manifest = self.manifest.replacen(from, to, 1);
        self
    }

    fn add(mut self, rel: &'static str, text: &str) -> Case {
        self.files.push((rel, text.to_owned()));
        self
    }

    fn remove(mut self, rel: &'static str) -> Case {
        self.remove.push(rel);
        self
    }

    fn error(mut self, code: &'static str) -> Case {
        self.expect.push((code, "error"));
        self
    }

    fn warning(mut self, code: &'static str) -> Case {
        self.expect.push((code, "warning"));
        self
    }

    fn says(mut self, words: &'static str) -> Case {
        self.words.push(words);
        self
    }

    /// Write the plugin (as `notice`) and the host config into `root`.
    fn build(&self, root: &Path) {
        let dir = root.join("plugins/notice");
        for (rel, text) in &self.files {
            if !self.remove.contains(rel) {
                write(&dir, rel, text);
            }
        }
        write(&dir, "plugin.toml", &self.manifest);
        if let Some(version) = self.version {
            write(
                root,
                "pluginkit.toml",
                &format!(
                    "[host]\nkind = \"fba\"\nplugins-dir = \"plugins\"\nversion = \"{version}\"\n"
                ),
            );
        }
    }

    fn check(&self) -> Result<(), String> {
        let context = TestContext::new();
        self.build(context.root());
        let (code, json) = context.run_json(&["validate", "plugins/notice", "--format", "json"]);
        check(&json, code, &self.expect, &self.words)
    }
}

/// The findings of `json` are `expect` (in any order), the exit code follows, and the messages
/// hold `words`.
fn check(json: &Value, code: i32, expect: &[(&str, &str)], words: &[&str]) -> Result<(), String> {
    let Some(findings) = json["findings"].as_array() else {
        return Err(format!("no findings in {json:#}"));
    };
    let mut got: Vec<(String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["severity"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = expect
        .iter()
        .map(|(c, s)| ((*c).to_owned(), (*s).to_owned()))
        .collect();
    want.sort();
    if got != want {
        return Err(format!("expected {want:?}, got {got:?}: {json:#}"));
    }
    let errors = expect.iter().any(|(_, s)| *s == "error");
    if code != i32::from(errors) {
        return Err(format!("exit code {code}: {json:#}"));
    }
    for word in words {
        if !findings
            .iter()
            .any(|f| f["message"].as_str().is_some_and(|m| m.contains(word)))
        {
            return Err(format!("no message says {word:?}: {json:#}"));
        }
    }
    Ok(())
}

fn run_all(cases: &[Case]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            case.check().err().map(|e| {
                format!(
                    "{} (FBA {}): {e}",
                    case.what,
                    case.version.unwrap_or("newest")
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Each version-dependent rule at the release where it starts to apply and the one before.
fn by_version() -> Vec<Case> {
    let old_extend = |what, version| {
        // The manifest of that time: [plugin] without tags/database, `include`.
        Case::extend(what, version)
            .edit(
                "tags = [\"other\"]\ndatabase = [\"mysql\", \"postgresql\"]\n",
                "",
            )
            .edit("extend = ", "include = ")
    };
    vec![
        // [plugin]: tools.py v1.3.0 `parse_plugin_config`.
        old_extend("no [plugin]", "1.2.0").edit(OLD_PLUGIN, ""),
        old_extend("no [plugin]", "1.3.0")
            .edit(OLD_PLUGIN, "")
            .error("PK0105")
            .says("missing table `[plugin]`: FBA 1.3.0 requires it"),
        old_extend("no author", "1.2.0").edit("author = \"wu-clan\"\n", ""),
        old_extend("no author", "1.3.0")
            .edit("author = \"wu-clan\"\n", "")
            .error("PK0105")
            .says("missing `author` in [plugin]: FBA 1.3.0 requires it"),
        // The reverse check: tools.py v1.4.0 `plugin['api'][file[:-3]]`.
        old_extend("an API file without its table", "1.3.0")
            .add("api/v1/sys/notice_extra.py", "router = None\n")
            .warning("PK0318")
            .says("FBA 1.3.0 mounts it with no prefix"),
        old_extend("an API file without its table", "1.4.0")
            .add("api/v1/sys/notice_extra.py", "router = None\n")
            .error("PK0318")
            .says("KeyError: 'notice_extra'"),
        old_extend("an API table without prefix", "1.3.0").edit("prefix = \"/notices\"\n", ""),
        old_extend("an API table without prefix", "1.4.0")
            .edit("prefix = \"/notices\"\n", "")
            .error("PK0105"),
        // `include` and `extend`: tools.py v1.6.0 and v1.11.0.
        old_extend("`include`", "1.5.2"),
        old_extend("`extend`", "1.5.2")
            .edit("include = ", "extend = ")
            .error("PK0307")
            .says("FBA 1.5.2 reads the app an extend-level plugin extends from `include`"),
        old_extend("`extend`", "1.6.0").edit("include = ", "extend = "),
        old_extend("`include`", "1.6.0")
            .warning("PK0321")
            .says("`include` is deprecated: FBA 1.6.0 warns"),
        old_extend("`include`", "1.10.4").warning("PK0321"),
        old_extend("`include`", "1.11.0")
            .error("PK0307")
            .says("FBA 1.11.0 no longer reads"),
        // The validator: validator.py v1.13.0.
        old_extend("a two-part version", "1.12.3")
            .edit("include = ", "extend = ")
            .edit("\"0.0.2\"", "\"0.2\""),
        old_extend("a two-part version", "1.13.0")
            .edit("include = ", "extend = ")
            .edit("\"0.0.2\"", "\"0.2\"")
            .error("PK0302")
            .warning("PK0304")
            .warning("PK0305"),
        Case::extend("a lower-case settings key", "1.12.3")
            .edit("\n[app]", "\n[settings]\nnotice_limit = 1\n\n[app]"),
        Case::extend("a lower-case settings key", "1.13.0")
            .edit("\n[app]", "\n[settings]\nnotice_limit = 1\n\n[app]")
            .error("PK0313"),
        // tags and database: ignored, warned (validator.py v1.13.0), required (v1.13.2).
        Case::extend("no tags, no database", "1.12.3")
            .edit("tags = [\"other\"]\ndatabase = [\"mysql\", \"postgresql\"]\n", ""),
        Case::extend("no tags, no database", "1.13.1")
            .edit("tags = [\"other\"]\ndatabase = [\"mysql\", \"postgresql\"]\n", "")
            .warning("PK0304")
            .warning("PK0305")
            .says("FBA 1.13.1 warns about it, and FBA 1.13.2 and later require it"),
        Case::extend("no tags, no database", "1.13.2")
            .edit("tags = [\"other\"]\ndatabase = [\"mysql\", \"postgresql\"]\n", "")
            .error("PK0304")
            .error("PK0305")
            .says("missing `tags` in [plugin]: FBA 1.13.2 and later require it"),
        Case::extend("a database FBA does not know", "1.12.3")
            .edit("[\"mysql\", \"postgresql\"]", "[\"mysql\", \"pgsql\"]"),
        Case::extend("a database FBA does not know", "1.13.0")
            .edit("[\"mysql\", \"postgresql\"]", "[\"mysql\", \"pgsql\"]")
            .error("PK0305"),
        // An empty [api]: the loader's `if data.get('api')` made it app-level; the validator's
        // `'api' in config` extend-level (validator.py v1.13.0).
        Case::extend("an empty [api]", "1.12.3")
            .edit("[api.notice]\nprefix = \"/notices\"\ntags = \"系统通知公告\"\n", "[api]\n")
            .error("PK0308"),
        Case::extend("an empty [api]", "1.13.0")
            .edit("[api.notice]\nprefix = \"/notices\"\ntags = \"系统通知公告\"\n", "[api]\n")
            .error("PK0105")
            .says("[api] holds no API"),
        // The SQL scripts of a plugin with models: validator.py v1.13.2.
        Case::extend("models without SQL", "1.13.1").add("model/__init__.py", ""),
        Case::extend("models without SQL", "1.13.2")
            .add("model/__init__.py", "")
            .error("PK0314"),
        // depends_on: validator.py and core.py v1.13.4.
        Case::extend("depends_on names the plugin itself", "1.13.3")
            .edit("\n[app]", "depends_on = [\"notice\"]\n\n[app]"),
        Case::extend("depends_on names the plugin itself", "1.13.4")
            .edit("\n[app]", "depends_on = [\"notice\"]\n\n[app]")
            .error("PK0306"),
        // Capability level: 1.15 (DESIGN.md).
        Case::capability("neither [app] nor [api]", "1.14.0")
            .error("PK0105")
            .error("PK0305")
            .says("missing table `[app]`"),
        Case::capability("neither [app] nor [api]", "1.15.0"),
        Case::capability("a capability plugin with another table", "1.14.0")
            .edit("\n[settings]", "\n[extra]\nx = 1\n\n[settings]")
            .error("PK0105")
            .error("PK0305")
            .warning("PK0103"),
        Case::capability("a capability plugin with another table", "1.15.0")
            .edit("\n[settings]", "\n[extra]\nx = 1\n\n[settings]")
            .error("PK0322")
            .says("`extra` is not allowed in a capability-level plugin: FBA 1.15.0 reads only [plugin] and [settings]"),
        Case::capability("models without `database`", "1.14.0")
            .add("model/__init__.py", "")
            .add(SQL[0], "")
            .add(SQL[1], "")
            .add(SQL[2], "")
            .add(SQL[3], "")
            .error("PK0105")
            .error("PK0305"),
        Case::capability("models without `database`", "1.15.0")
            .add("model/__init__.py", "")
            .add(SQL[0], "")
            .add(SQL[1], "")
            .add(SQL[2], "")
            .add(SQL[3], "")
            .error("PK0323")
            .says("the plugin has a model/ folder, and [plugin] declares no `database`: FBA 1.15.0 requires it"),
        Case::capability("models with `database` and SQL", "1.15.0")
            .edit("tags = [\"storage\"]\n", "tags = [\"storage\"]\ndatabase = [\"mysql\"]\n")
            .add("model/__init__.py", "")
            .add(SQL[0], "")
            .add(SQL[1], "")
            .add(SQL[2], "")
            .add(SQL[3], ""),
    ]
}

/// The rules every FBA version applies.
fn every_version() -> Vec<Case> {
    let mut cases = Vec::new();
    for version in ["1.0.0", "1.13.4"] {
        let extend = |what| {
            if version == "1.0.0" {
                Case::extend(what, version)
                    .edit("extend = ", "include = ")
                    .edit(
                        "tags = [\"other\"]\ndatabase = [\"mysql\", \"postgresql\"]\n",
                        "",
                    )
            } else {
                Case::extend(what, version)
            }
        };
        cases.extend([
            // core.py `inject_app_router` imports api/router.py: start-up fails without it.
            Case::app("no api/router.py", version)
                .remove("api/router.py")
                .error("PK0316")
                .says("FBA imports app-level routers from api/router.py at start-up"),
            // An API file directly in api/: mounted on `backend.app.admin.api.` (no module).
            extend("an API file directly in api/")
                .remove("api/v1/sys/notice.py")
                .add("api/notice.py", "router = None\n")
                .error("PK0319")
                .says("sits directly in api/"),
            extend("no api/ folder")
                .remove("api/__init__.py")
                .remove("api/v1/__init__.py")
                .remove("api/v1/sys/__init__.py")
                .remove("api/v1/sys/notice.py")
                .error("PK0320")
                .warning("PK0312"),
            // A table without a file is never looked up.
            extend("a table that matches no file")
                .edit(
                    "\n[api.notice]",
                    "\n[api.gone]\nprefix = \"/gone\"\ntags = \"g\"\n\n[api.notice]",
                )
                .warning("PK0312")
                .says("[api.gone] matches no gone.py under plugins/notice/api/, so FBA ignores it"),
            // FBA's layout, and deeper: any depth, looked up by stem.
            // Any depth: looked up by stem (whether the extended app has a package at that path
            // is the checkout's, not the plugin's).
            extend("an API file deeper down")
                .edit(
                    "\n[api.notice]",
                    "\n[api.deep]\nprefix = \"/deep\"\ntags = \"d\"\n\n[api.notice]",
                )
                .add("api/v2/a/b/__init__.py", "")
                .add("api/v2/a/b/deep.py", "router = None\n"),
            // A folder needs no README.md (FBA checks it only in a ZIP upload).
            extend("no README.md"),
            extend("no __init__.py")
                .remove("__init__.py")
                .error("PK0315"),
        ]);
    }
    cases
}

#[test]
fn each_rule_starts_at_its_fba_release() {
    run_all(&by_version());
}

#[test]
fn rules_every_fba_version_shares() {
    run_all(&every_version());
}

/// Every rule of the FBA catalogue from PK0318 on has a case here (tests/it/rules.rs leaves
/// them to this file).
#[test]
fn every_version_rule_has_a_case() {
    let covered: Vec<&str> = by_version()
        .iter()
        .chain(every_version().iter())
        .flat_map(|case| case.expect.iter().map(|(code, _)| *code))
        .collect();
    let missing: Vec<&str> = rules::ALL
        .iter()
        .map(|rule| rule.code)
        .filter(|code| code.starts_with("PK03") && *code >= "PK0318")
        .filter(|code| !covered.contains(code))
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

/// The version read from an FBA checkout's `backend/__init__.py`, with no pluginkit.toml.
#[test]
fn the_version_comes_from_the_checkouts_version_file() {
    for (version, expect) in [("1.5.2", vec![("PK0307", "error")]), ("1.6.0", vec![])] {
        let context = TestContext::new();
        let root = context.root();
        write(
            root,
            "backend/__init__.py",
            &format!("__version__ = '{version}'\n"),
        );
        write(root, "backend/plugin/__init__.py", "");
        let dir = root.join("backend/plugin/notice");
        for (rel, text) in EXTEND_FILES {
            write(&dir, rel, text);
        }
        // notice/plugin.toml of 2025-06-27: `extend`, which FBA reads from 1.6.0.
        write(
            &dir,
            "plugin.toml",
            &EXTEND.replace(
                "tags = [\"other\"]\ndatabase = [\"mysql\", \"postgresql\"]\n",
                "",
            ),
        );
        let (code, json) = context.run_json(&["validate", "--format", "json"]);
        // `info` says which FBA's rules the plugin was read by.
        let (_, info) = context.run_json(&["info", "notice", "--format", "json"]);
        assert_eq!(
            info["metadata"]["details"]["rules"],
            format!("FBA {version}"),
            "{info:#}"
        );
        let words: &[&str] = if expect.is_empty() {
            &[]
        } else {
            &["FBA 1.5.2 reads the app an extend-level plugin extends from `include`"]
        };
        check(&json, code, &expect, words).unwrap_or_else(|e| panic!("FBA {version}: {e}"));
    }
}

/// README.md: FBA's ZIP install (installer.py `install_zip_plugin`) wants it in a package; a
/// plugin folder needs none.
#[test]
fn readme_is_required_in_packages_only() {
    let context = TestContext::new();
    let case = Case::of("no README.md", None, EXTEND, EXTEND_FILES);
    case.build(context.root());
    let (code, json) = context.run_json(&["validate", "plugins/notice", "--format", "json"]);
    check(&json, code, &[], &[]).unwrap_or_else(|e| panic!("folder: {e}"));

    // The same plugin as a ZIP: refused.
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    let mut entries: Vec<(String, String)> = EXTEND_FILES
        .iter()
        .map(|(rel, text)| (format!("notice/{rel}"), (*text).to_owned()))
        .collect();
    entries.insert(0, ("notice/plugin.toml".into(), EXTEND.to_owned()));
    for (name, text) in &entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    std::fs::write(context.root().join("handmade.zip"), bytes).unwrap();
    let (code, json) = context.run_json(&["validate", "handmade.zip", "--format", "json"]);
    check(
        &json,
        code,
        &[("PK0315", "error")],
        &["FBA's ZIP install refuses a package without README.md"],
    )
    .unwrap_or_else(|e| panic!("package: {e}"));

    // `pluginkit package` builds the package the host would refuse: it refuses too.
    let (code, _, stderr) = context.run(&["package", "plugins/notice", "--flavor", "fba"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("README.md"), "{stderr}");
    assert!(!context.root().join("notice-0.0.2.zip").exists());
    // With a README.md it packages, and the package validates.
    write(
        &context.root().join("plugins/notice"),
        "README.md",
        "# notice\n",
    );
    std::fs::create_dir(context.root().join("out")).unwrap();
    let (code, _, stderr) = context.run(&["package", "plugins/notice", "-o", "out/"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, json) = context.run_json(&["validate", "out/notice-0.0.2.zip", "--format", "json"]);
    check(&json, code, &[], &[]).unwrap_or_else(|e| panic!("built package: {e}"));
}

/// Which plugin.toml is FBA's: one with [app] or [api]; an FBA-shaped [plugin] (a summary and no
/// name) without them; any in an FBA host. A native one (with `name`) stays native elsewhere.
#[test]
fn fba_shaped_manifests_are_detected_as_fba() {
    let context = TestContext::new();
    let root = context.root();
    write(&root.join("plugins/storage"), "__init__.py", "");
    write(&root.join("plugins/storage"), "plugin.toml", CAPABILITY);
    write(
        &root.join("plugins/hello"),
        "plugin.toml",
        "[plugin]\nname = \"hello\"\nversion = \"1.0.0\"\nsummary = \"Greets people\"\nauthor = \"Ada <ada@example.com>\"\nlicense = \"MIT\"\n",
    );
    write(&root.join("plugins/hello"), "README.md", "# hello\n");
    let flavors = |context: &TestContext| -> Vec<(String, String, bool)> {
        let (_, json) = context.run_json(&["list", "--format", "json"]);
        json["plugins"]
            .as_array()
            .unwrap_or_else(|| panic!("{json:#}"))
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["flavor"].as_str().unwrap().to_owned(),
                    p["valid"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    // No host kind, no version: the capability plugin is FBA's (valid under the newest rules),
    // the native one native.
    assert_eq!(
        flavors(&context),
        [
            ("hello".to_owned(), "pluginkit".to_owned(), true),
            ("storage".to_owned(), "fba".to_owned(), true),
        ]
    );
    // In an FBA host every plugin.toml is FBA's: `hello` is then judged by FBA's rules (and
    // fails them: no [app]).
    write(
        root,
        "pluginkit.toml",
        "[host]\nkind = \"fba\"\nplugins-dir = \"plugins\"\n",
    );
    let listed = flavors(&context);
    assert_eq!(listed[0].0, "hello");
    assert_eq!(listed[0].1, "fba");
    assert!(!listed[0].2);
    assert_eq!(listed[1], ("storage".to_owned(), "fba".to_owned(), true));
}

// ---------------------------------------------------------------------------------------------
// Against FBA's own validator

/// FBA's validator's Python: `target/fba-venv`, with pydantic.
fn validator_python() -> &'static Path {
    crate::support::venvs::FBA_VALIDATOR.python()
}

/// Manifests FBA's validator and pluginkit must agree on: (what, base, the edit made to it).
/// `{name}` stands for the plugin's folder name.
fn validator_cases() -> Vec<(&'static str, &'static str, String)> {
    let extend = |from: &str, to: &str| EXTEND.replacen(from, to, 1);
    let app = |from: &str, to: &str| APP.replacen(from, to, 1);
    let mut cases = vec![
        ("extend-level", "extend", EXTEND.to_owned()),
        ("app-level", "app", APP.to_owned()),
        ("two-part version", "extend", extend("\"0.0.2\"", "\"0.2\"")),
        (
            "pre-release version",
            "extend",
            extend("\"0.0.2\"", "\"0.0.2-beta\""),
        ),
        (
            "two-digit version parts",
            "extend",
            extend("\"0.0.2\"", "\"10.0.11\""),
        ),
        (
            "version with a newline",
            "extend",
            extend("\"0.0.2\"", "\"0.0.2\\n\""),
        ),
        (
            "prefix with a newline",
            "extend",
            extend("\"/notices\"", "\"/notices\\n\""),
        ),
        ("empty summary", "extend", extend("\"通知公告\"", "\"\"")),
        (
            "summary of 100",
            "extend",
            extend("\"通知公告\"", &format!("\"{}\"", "通".repeat(100))),
        ),
        (
            "summary of 101",
            "extend",
            extend("\"通知公告\"", &format!("\"{}\"", "通".repeat(101))),
        ),
        ("summary a number", "extend", extend("\"通知公告\"", "1")),
        (
            "author of 51",
            "extend",
            extend("\"wu-clan\"", &format!("\"{}\"", "w".repeat(51))),
        ),
        (
            "no description",
            "extend",
            extend("description = \"用于发布系统内部通知、公告\"\n", ""),
        ),
        (
            "empty tags",
            "extend",
            extend("tags = [\"other\"]", "tags = []"),
        ),
        (
            "unknown tag",
            "extend",
            extend("tags = [\"other\"]", "tags = [\"x\"]"),
        ),
        ("no tags", "extend", extend("tags = [\"other\"]\n", "")),
        (
            "no database",
            "extend",
            extend("database = [\"mysql\", \"postgresql\"]\n", ""),
        ),
        ("pgsql", "extend", extend("\"postgresql\"]", "\"pgsql\"]")),
        (
            "icon a number",
            "extend",
            extend("\n[app]", "icon = 1\n\n[app]"),
        ),
        (
            "lower-case settings",
            "app",
            format!("{APP}\n[settings]\nemail_host = \"x\"\n"),
        ),
        (
            "upper-case settings with digits",
            "app",
            format!("{APP}\n[settings]\nA1 = 1\n"),
        ),
        (
            "API name not an identifier",
            "extend",
            extend("[api.notice]", "[api.1notice]"),
        ),
        (
            "prefix without /",
            "extend",
            extend("\"/notices\"", "\"notices\""),
        ),
        (
            "prefix with a space",
            "extend",
            extend("\"/notices\"", "\"/a b\""),
        ),
        (
            "prefix of just /",
            "extend",
            extend("\"/notices\"", "\"/\""),
        ),
        (
            "empty API tags",
            "extend",
            extend("tags = \"系统通知公告\"", "tags = \"\""),
        ),
        (
            "API tags a list",
            "extend",
            extend("tags = \"系统通知公告\"", "tags = [\"a\"]"),
        ),
        (
            "empty extend",
            "extend",
            extend("extend = \"admin\"", "extend = \"\""),
        ),
        ("include", "extend", extend("extend = ", "include = ")),
        (
            "empty [api]",
            "extend",
            extend(
                "[api.notice]\nprefix = \"/notices\"\ntags = \"系统通知公告\"\n",
                "[api]\n",
            ),
        ),
        ("no routers", "app", app("router = [\"v1\"]", "router = []")),
        (
            "an empty router",
            "app",
            app("router = [\"v1\"]", "router = [\"\"]"),
        ),
        ("no router", "app", app("router = [\"v1\"]\n", "")),
        (
            "depends on itself",
            "extend",
            extend("\n[app]", "depends_on = [\"{name}\"]\n\n[app]"),
        ),
        (
            "depends on an empty name",
            "extend",
            extend("\n[app]", "depends_on = [\"\"]\n\n[app]"),
        ),
        (
            "no [plugin]",
            "extend",
            EXTEND.replacen("[plugin]", "[other]", 1),
        ),
        (
            "no [app]",
            "extend",
            extend("[app]\nextend = \"admin\"\n", ""),
        ),
    ];
    let history = crate::support::corpus().join("notice-plugin.toml-history");
    for revision in [
        "2025-02-13_d9985f9d.toml",
        "2025-02-17_5e7a4e1e.toml",
        "2025-05-15_1e54b0ba.toml",
        "2025-06-27_bd4acf81.toml",
        "2025-09-02_8420ccf1.toml",
        "2026-01-25_08674ab9.toml",
        "2026-01-26_eb27b5bf.toml",
        "2026-02-04_f5af4113.toml",
    ] {
        let text = std::fs::read_to_string(history.join(revision)).expect("a revision");
        cases.push(("a notice revision", "extend", text));
    }
    cases
}

/// FBA's own validator (validator.py of 1.13.0, 1.13.2 and 1.13.4, run by Python with pydantic)
/// and pluginkit pinned to that version give every manifest the same verdict: refused, warned
/// about, or passed. The plugins are otherwise complete, so only the manifest decides.
#[test]
fn manifests_get_the_verdict_of_fbas_own_validator() {
    let python = validator_python();
    let host = crate::support::corpus().join("host");
    let context = TestContext::new();
    let root = context.root();
    let cases = validator_cases();
    let mut names = Vec::new();
    for (i, (_, base, manifest)) in cases.iter().enumerate() {
        let name = format!("c{i:02}");
        let dir = root.join("plugins").join(&name);
        let files = if *base == "app" {
            APP_FILES
        } else {
            EXTEND_FILES
        };
        for (rel, text) in files {
            write(&dir, rel, text);
        }
        write(&dir, "plugin.toml", &manifest.replace("{name}", &name));
        names.push(name);
    }
    // One plugin with models and no SQL: the SQL check (1.13.2).
    let name = format!("c{:02}", cases.len());
    let dir = root.join("plugins").join(&name);
    for (rel, text) in EXTEND_FILES {
        write(&dir, rel, text);
    }
    write(&dir, "plugin.toml", EXTEND);
    write(&dir, "model/__init__.py", "");
    names.push(name);
    let what = |i: usize| cases.get(i).map_or("models without SQL", |c| c.0);

    let mut disagreements = Vec::new();
    for version in ["1.13.0", "1.13.2", "1.13.4"] {
        let out = must_run(
            Command::new(python)
                .arg(host.join("run_validator.py"))
                .arg(host.join(format!("validator-v{version}.py")))
                .arg(root.join("plugins"))
                .args(&names),
            "FBA's validator",
        );
        let fba: Value = serde_json::from_str(&out).expect("the runner prints JSON");

        write(
            root,
            "pluginkit.toml",
            &format!(
                "[host]\nkind = \"fba\"\nplugins-dir = \"plugins\"\nversion = \"{version}\"\n"
            ),
        );
        let (_, json) = context.run_json(&["validate", "plugins", "--format", "json"]);
        for (i, name) in names.iter().enumerate() {
            let ours: Vec<(&str, &str)> = json["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .filter(|f| f["plugin"] == name.as_str())
                .map(|f| {
                    (
                        f["code"].as_str().unwrap_or(""),
                        f["severity"].as_str().unwrap_or(""),
                    )
                })
                .collect();
            let ours_verdict = if ours.iter().any(|(_, s)| *s == "error") {
                "error"
            } else if ours
                .iter()
                .any(|(c, s)| *s == "warning" && matches!(*c, "PK0304" | "PK0305"))
            {
                "warning"
            } else {
                "ok"
            };
            let theirs = fba[name.as_str()].as_str().unwrap_or("missing");
            let theirs_verdict = theirs.split(':').next().unwrap_or(theirs);
            if ours_verdict != theirs_verdict {
                disagreements.push(format!(
                    "{} ({name}) under FBA {version}: FBA says {theirs}, pluginkit {ours_verdict} {ours:?}",
                    what(i)
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
