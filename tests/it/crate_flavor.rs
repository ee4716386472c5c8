//! The `crate` flavor: a Rust crate whose Cargo.toml carries `[package.metadata.pluginkit]`.
//! A valid plugin crate is listed with its name and version from `[package]`; each rule fires
//! on one minimal mistake; a version inherited from a real cargo workspace is resolved through
//! `cargo metadata`, and without cargo the plugin gets a finding that says so.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use pluginkit::findings::rules;
use pluginkit::findings::rules::Severity;

use crate::support;
use crate::support::{TestContext, write};

/// A valid plugin crate's manifest.
const CRATE: &str = r#"[package]
name = "hello"
version = "1.0.0"
edition = "2021"
license = "MIT"

[package.metadata.pluginkit]
summary = "Greets people"
author = "Ada <ada@example.com>"
"#;

/// A plugin crate in `dir/folder` with `manifest` as its Cargo.toml, a lib and a README.
fn crate_plugin(dir: &Path, folder: &str, manifest: &str) -> PathBuf {
    let plugin = dir.join(folder);
    write(&plugin, "Cargo.toml", manifest);
    write(&plugin, "src/lib.rs", "pub fn hello() {}\n");
    write(&plugin, "README.md", "# hello\n");
    plugin
}

/// A folder holding no cargo, for PATH when cargo must not be found.
fn no_cargo_path(dir: &Path) -> PathBuf {
    let empty = dir.join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    empty
}

/// Run pluginkit with cargo out of reach: an empty PATH and no `CARGO` (which `cargo test` sets
/// for the processes it starts, and which pluginkit honours as cargo's tools do).
fn run_without_cargo(context: &TestContext, args: &[&str]) -> (i32, Value) {
    context
        .pluginkit()
        .env("PATH", no_cargo_path(context.root()))
        .env_remove("CARGO")
        .args(args)
        .run_json()
}

fn codes(report: &Value) -> Vec<String> {
    let mut codes: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    codes
}

/// Line and column (1-based, in characters) where `token` starts in `text`, after the first
/// `after` (empty: from the start).
fn position(text: &str, after: &str, token: &str) -> (u64, u64) {
    let from = text
        .find(after)
        .unwrap_or_else(|| panic!("`{after}` is not in\n{text}"));
    let at = from
        + text[from..]
            .find(token)
            .unwrap_or_else(|| panic!("`{token}` is not after `{after}` in\n{text}"));
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() as u64 + 1,
        before[line_start..].chars().count() as u64 + 1,
    )
}

// ---------------------------------------------------------------------------------------------
// A valid plugin crate

#[test]
fn a_valid_plugin_crate_validates_clean_and_is_listed_as_a_crate() {
    let context = TestContext::new();
    crate_plugin(&context.root().join("plugins"), "hello", CRATE);
    let (code, report) =
        context.run_json(&["validate", "plugins/hello", "--strict", "--format", "json"]);
    assert_eq!((code, codes(&report)), (0, vec![]), "{report:#}");

    let (code, list) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0);
    let plugins = list["plugins"].as_array().unwrap();
    assert_eq!(plugins.len(), 1, "{list:#}");
    let hello = &plugins[0];
    assert_eq!(hello["name"], "hello");
    assert_eq!(hello["version"], "1.0.0");
    assert_eq!(hello["flavor"], "crate");
    assert_eq!(hello["summary"], "Greets people");
    assert_eq!(hello["valid"], true);

    let (code, info) = context.run_json(&["info", "hello", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(info["manifest"], "plugins/hello/Cargo.toml");
    assert_eq!(info["metadata"]["author"], "Ada <ada@example.com>");
    assert_eq!(info["metadata"]["license"], "MIT");
}

/// Where the metadata table is silent, cargo's own fields stand in.
#[test]
fn cargo_fields_stand_in_for_missing_metadata() {
    let context = TestContext::new();
    let manifest = r#"[package]
name = "hello"
version = "1.0.0"
authors = ["Ada <ada@example.com>", "Grace <grace@example.com>"]
description = "Greets people, politely"
license = "MIT OR Apache-2.0"
readme = "docs/GUIDE.md"
repository = "https://example.com/hello.git"

[package.metadata.pluginkit]
summary = "Greets people"
requires = ">=2"
state = "disabled"

[package.metadata.pluginkit.dependencies]
auth = "^1"
"#;
    let plugins = context.root().join("plugins");
    let dir = crate_plugin(&plugins, "hello", manifest);
    write(&dir, "docs/GUIDE.md", "# Guide\n");
    support::native_plugin(&plugins, "auth", "");
    let (code, report) = context.run_json(&["validate", "--strict", "--format", "json"]);
    assert_eq!((code, codes(&report)), (0, vec![]), "{report:#}");

    let (_, info) = context.run_json(&["info", "hello", "--format", "json"]);
    let meta = &info["metadata"];
    assert_eq!(
        meta["author"],
        "Ada <ada@example.com>, Grace <grace@example.com>"
    );
    assert_eq!(meta["description"], "Greets people, politely");
    assert_eq!(meta["license"], "MIT OR Apache-2.0");
    assert_eq!(meta["homepage"], "https://example.com/hello.git");
    assert_eq!(meta["requires"], ">=2");
    assert_eq!(meta["dependencies"][0]["name"], "auth");
    assert_eq!(info["state"], "disabled");
    assert_eq!(info["state_source"], "metadata");

    // The metadata table wins over cargo's fields; a licence file declares a licence; a git
    // repository is no homepage; `readme = false` leaves the default README.md.
    let manifest = r#"[package]
name = "hello"
version = "1.0.0"
authors = ["Grace <grace@example.com>"]
license-file = "LICENSE"
readme = false
repository = "git@example.com:hello.git"

[package.metadata.pluginkit]
summary = "Greets people"
author = "Ada <ada@example.com>"
"#;
    std::fs::remove_dir_all(plugins.join("hello")).unwrap();
    crate_plugin(&plugins, "hello", manifest);
    let (code, report) = context.run_json(&["validate", "--strict", "--format", "json"]);
    assert_eq!((code, codes(&report)), (0, vec![]), "{report:#}");
    let (_, info) = context.run_json(&["info", "hello", "--format", "json"]);
    assert_eq!(info["metadata"]["author"], "Ada <ada@example.com>");
    assert_eq!(info["metadata"]["license"], Value::Null);
    assert_eq!(info["metadata"]["homepage"], Value::Null);
    assert_eq!(info["metadata"]["details"]["license file"], "LICENSE");
}

#[test]
fn enable_and_disable_work_on_a_crate_plugin() {
    let context = TestContext::new();
    let dir = crate_plugin(&context.root().join("plugins"), "hello", CRATE);
    let (code, stdout, _) = context.run(&["disable", "hello"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "hello: disabled (DISABLED file)\n")
    );
    assert!(dir.join("DISABLED").is_file());
    let (_, list) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(list["plugins"][0]["state"], "disabled");
    assert_eq!(list["plugins"][0]["state_source"], "disabled-file");

    let (code, stdout, _) = context.run(&["enable", "hello"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "hello: enabled (ENABLED file)\n")
    );
    assert!(dir.join("ENABLED").is_file() && !dir.join("DISABLED").exists());
    let (_, list) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(list["plugins"][0]["state"], "enabled");
    assert_eq!(list["plugins"][0]["state_source"], "enabled-file");
}

// ---------------------------------------------------------------------------------------------
// One mistake each

/// One mistake in the plugin crate `hello`.
struct Case {
    code: &'static str,
    what: &'static str,
    manifest: String,
    remove: Vec<&'static str>,
    /// Extra arguments to `validate`.
    args: Vec<&'static str>,
    /// Run with cargo out of reach.
    no_cargo: bool,
    /// The first finding starts at the first `token` after `after`; `None`: no position.
    at: Option<(&'static str, &'static str)>,
    /// Text the first finding's message or help must hold.
    says: Option<&'static str>,
}

impl Case {
    fn new(code: &'static str, what: &'static str) -> Case {
        Case {
            code,
            what,
            manifest: CRATE.to_owned(),
            remove: Vec::new(),
            args: Vec::new(),
            no_cargo: false,
            at: None,
            says: None,
        }
    }

    fn edit(mut self, from: &str, to: &str) -> Case {
        assert!(self.manifest.contains(from), "{}: no `{from}`", self.what);
        self.manifest = self.manifest.replacen(from, to, 1);
        self
    }

    fn append(mut self, text: &str) -> Case {
        self.manifest.push_str(text);
        self
    }

    fn remove(mut self, rel: &'static str) -> Case {
        self.remove.push(rel);
        self
    }

    /// Validate with `--flavor crate` (a Cargo.toml that does not parse, or lacks the metadata
    /// table, is no plugin to detection).
    fn pinned(mut self) -> Case {
        self.args.extend(["--flavor", "crate"]);
        self
    }

    fn without_cargo(mut self) -> Case {
        self.no_cargo = true;
        self
    }

    fn at(mut self, after: &'static str, token: &'static str) -> Case {
        self.at = Some((after, token));
        self
    }

    fn says(mut self, text: &'static str) -> Case {
        self.says = Some(text);
        self
    }

    fn check(&self) -> Result<(), String> {
        let context = TestContext::new();
        let dir = crate_plugin(context.root(), "hello", &self.manifest);
        for rel in &self.remove {
            std::fs::remove_file(dir.join(rel)).unwrap();
        }
        let mut args = vec!["validate", "hello", "--format", "json"];
        args.extend(&self.args);
        let (code, report) = if self.no_cargo {
            run_without_cargo(&context, &args)
        } else {
            context.run_json(&args)
        };
        let got = codes(&report);
        let want: Vec<&str> = [self.code].into_iter().filter(|c| !c.is_empty()).collect();
        if got != want {
            return Err(format!("expected {want:?}, got {got:?}\n{report:#}"));
        }
        if want.is_empty() {
            return if code == 0 {
                Ok(())
            } else {
                Err(format!("expected exit 0, got {code}"))
            };
        }
        let severity = rules::find(self.code).unwrap().severity;
        let want_exit = if severity == Severity::Error { 1 } else { 0 };
        if code != want_exit {
            return Err(format!("expected exit {want_exit}, got {code}"));
        }
        let finding = &report["findings"][0];
        assert_eq!(finding["file"], "hello/Cargo.toml");
        if let Some((after, token)) = self.at {
            let want = position(&self.manifest, after, token);
            let got = (
                finding["line"].as_u64().unwrap_or(0),
                finding["column"].as_u64().unwrap_or(0),
            );
            if got != want {
                return Err(format!("expected the finding at {want:?}, got {got:?}"));
            }
        }
        if let Some(text) = self.says {
            let said = format!("{} {}", finding["message"], finding["help"]);
            if !said.contains(text) {
                return Err(format!("expected the finding to say `{text}`: {said}"));
            }
        }
        Ok(())
    }
}

fn cases() -> Vec<Case> {
    vec![
        Case::new("PK0101", "a Cargo.toml that is not TOML")
            .pinned()
            .edit("\"Greets people\"", "\"Greets people"),
        Case::new("PK0102", "a key given twice")
            .pinned()
            .edit("edition", "name = \"again\"\nedition")
            .at("1.0.0\"\n", "name"),
        Case::new("PK0103", "a misspelt metadata key")
            .append("descripton = \"Longer text\"\n")
            .at("", "descripton")
            .says("did you mean `description`?"),
        Case::new("PK0103", "a version in the metadata table")
            .append("version = \"1.0.0\"\n")
            .at("[package.metadata.pluginkit]", "version")
            .says("[package] version"),
        Case::new("PK0104", "a number for the version")
            .edit("\"1.0.0\"", "1")
            .at("version = ", "1"),
        Case::new("PK0104", "a name inherited from the workspace")
            .edit("name = \"hello\"", "name.workspace = true")
            .at("", "name")
            .says("cannot be inherited"),
        Case::new("PK0105", "no version in [package]")
            .edit("version = \"1.0.0\"\n", "")
            .at("", "[package]"),
        Case::new("PK0105", "no summary")
            .edit("summary = \"Greets people\"\n", "")
            .at("", "[package.metadata.pluginkit]"),
        Case::new("PK0105", "no author and no [package] authors")
            .edit("author = \"Ada <ada@example.com>\"\n", "")
            .at("", "[package.metadata.pluginkit]")
            .says("[package] authors"),
        Case::new("PK0105", "no author and empty [package] authors")
            .edit("author = \"Ada <ada@example.com>\"\n", "")
            .edit("edition", "authors = []\nedition"),
        Case::new("PK0105", "Cargo.toml without the metadata table")
            .pinned()
            .edit(
                "\n[package.metadata.pluginkit]\n",
                "\n[package.metadata.other]\n",
            )
            .edit(
                "summary = \"Greets people\"\nauthor = \"Ada <ada@example.com>\"\n",
                "",
            ),
        Case::new("PK0201", "a crate name with a dash")
            .edit("\"hello\"", "\"hello-world\"")
            .at("", "\"hello-world\"")
            .says("try `hello_world`"),
        Case::new("PK0202", "a crate named otherwise than its folder")
            .edit("\"hello\"", "\"hola\"")
            .at("", "\"hola\""),
        Case::new("PK0203", "a version that is not SemVer")
            .edit("\"1.0.0\"", "\"1.0\"")
            .at("", "\"1.0\""),
        Case::new("PK0204", "a summary of two lines")
            .edit("\"Greets people\"", "\"\"\"Greets\npeople\"\"\"")
            .at("summary = ", "\"\"\""),
        Case::new("PK0205", "an empty author")
            .edit("\"Ada <ada@example.com>\"", "\"\"")
            .at("author = ", "\"\""),
        Case::new("PK0206", "no license anywhere")
            .edit("license = \"MIT\"\n", "")
            .at("", "[package.metadata.pluginkit]"),
        Case::new("PK0207", "no README.md")
            .remove("README.md")
            .at("", "[package.metadata.pluginkit]"),
        Case::new("PK0207", "a [package] readme that does not exist")
            .edit("edition", "readme = \"docs/README.md\"\nedition")
            .at("readme = ", "\"docs/README.md\""),
        Case::new("PK0208", "a state that is not enabled or disabled")
            .append("state = \"on\"\n")
            .at("state = ", "\"on\""),
        Case::new("PK0209", "requires that is not a requirement")
            .append("requires = \">>2\"\n")
            .at("requires = ", "\">>2\""),
        Case::new("PK0210", "a dependency with an invalid name")
            .append("\n[package.metadata.pluginkit.dependencies]\nAuth = \"^1\"\n")
            .at("", "Auth"),
        Case::new("PK0210", "a dependency on itself")
            .append("\n[package.metadata.pluginkit.dependencies]\nhello = \"^1\"\n")
            .at("dependencies]\n", "hello")
            .says("remove it from [package.metadata.pluginkit.dependencies]"),
        Case::new("PK0211", "a [package] homepage that is not http(s)")
            .edit("edition", "homepage = \"ftp://example.com/hello\"\nedition")
            .at("homepage = ", "\"ftp"),
        Case::new("PK0213", "an empty [package] description")
            .edit("edition", "description = \"\"\nedition")
            .at("description = ", "\"\""),
        Case::new("PK0701", "an inherited version without cargo")
            .without_cargo()
            .edit("version = \"1.0.0\"", "version.workspace = true")
            .at("", "version.workspace")
            .says("no `cargo` on PATH"),
        Case::new(
            "PK0701",
            "inherited authors standing in for author, without cargo",
        )
        .without_cargo()
        .edit("author = \"Ada <ada@example.com>\"\n", "")
        .edit("edition", "authors = { workspace = true }\nedition")
        .at("authors = ", "{ workspace = true }"),
        Case::new("PK0702", "an inherited license without cargo")
            .without_cargo()
            .edit("license = \"MIT\"", "license.workspace = true")
            .at("", "license.workspace")
            .says("cannot check it"),
        // Nothing inherited: cargo is never needed.
        Case::new("", "a crate that inherits nothing, without cargo").without_cargo(),
    ]
}

#[test]
fn each_crate_rule_fires_on_one_mistake() {
    let cases = cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            case.check()
                .err()
                .map(|e| format!("{} ({}): {e}", case.code, case.what))
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

/// Every PK07xx rule has a case above.
#[test]
fn every_crate_rule_has_a_case() {
    let covered: Vec<&str> = cases().iter().map(|case| case.code).collect();
    for rule in rules::ALL.iter().filter(|r| r.code.starts_with("PK07")) {
        assert!(covered.contains(&rule.code), "{} has no case", rule.code);
    }
}

// ---------------------------------------------------------------------------------------------
// Workspaces

/// A cargo workspace in `root` whose `plugins/` members are plugin crates inheriting their
/// version from `[workspace.package]`.
fn workspace(root: &Path, members: &[&str]) {
    let list: Vec<String> = members.iter().map(|m| format!("\"plugins/{m}\"")).collect();
    write(
        root,
        "Cargo.toml",
        &format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"2.3.4\"\nlicense = \"MIT\"\n",
            list.join(", ")
        ),
    );
    for member in members {
        crate_plugin(
            &root.join("plugins"),
            member,
            &format!(
                "[package]\nname = \"{member}\"\nversion.workspace = true\nlicense = {{ workspace = true }}\nedition = \"2021\"\n\n[package.metadata.pluginkit]\nsummary = \"The {member} plugin\"\nauthor = \"Ada <ada@example.com>\"\n"
            ),
        );
    }
}

#[test]
fn a_version_inherited_from_the_workspace_is_resolved_through_cargo() {
    let context = TestContext::new();
    workspace(context.root(), &["hello"]);
    let (code, list) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{list:#}");
    let hello = &list["plugins"][0];
    assert_eq!(
        (
            &hello["name"],
            &hello["version"],
            &hello["flavor"],
            &hello["valid"]
        ),
        (
            &Value::from("hello"),
            &Value::from("2.3.4"),
            &Value::from("crate"),
            &Value::from(true)
        ),
        "{list:#}"
    );
    let (code, report) = context.run_json(&["validate", "--strict", "--format", "json"]);
    assert_eq!((code, codes(&report)), (0, vec![]), "{report:#}");
    let (_, info) = context.run_json(&["info", "hello", "--format", "json"]);
    assert_eq!(info["metadata"]["license"], "MIT");
    assert_eq!(info["metadata"]["details"]["inherited"], "version, license");
}

#[test]
fn without_cargo_an_inherited_version_is_a_clear_error() {
    let context = TestContext::new();
    workspace(context.root(), &["hello"]);
    let (code, report) = run_without_cargo(&context, &["validate", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["PK0701", "PK0702"], "{report:#}");
    let finding = &report["findings"][0];
    assert_eq!(finding["file"], "plugins/hello/Cargo.toml");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(3), Some(1))
    );
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains("`version` is inherited from the workspace")
            && message.contains("no `cargo` on PATH"),
        "{message}"
    );
    assert!(
        finding["help"].as_str().unwrap().contains("install cargo"),
        "{finding:#}"
    );

    // `list` still lists it, without a version, as invalid.
    let (code, list) = run_without_cargo(&context, &["list", "--format", "json"]);
    assert_eq!(code, 0);
    let hello = &list["plugins"][0];
    assert_eq!(
        (&hello["version"], &hello["valid"]),
        (&Value::Null, &Value::from(false))
    );
}

#[test]
fn a_workspace_cargo_rejects_is_reported_with_cargo_s_reason() {
    let context = TestContext::new();
    workspace(context.root(), &["hello"]);
    // The workspace no longer gives a version to inherit.
    write(
        context.root(),
        "Cargo.toml",
        "[workspace]\nmembers = [\"plugins/hello\"]\n\n[workspace.package]\nlicense = \"MIT\"\n",
    );
    let (code, report) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1);
    let found = codes(&report);
    assert!(found.contains(&"PK0701".to_owned()), "{report:#}");
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("`cargo metadata` failed") && message.contains("version"),
        "{message}"
    );
}

#[test]
fn an_inherited_version_inside_a_package_cannot_be_resolved() {
    let context = TestContext::new();
    let manifest = CRATE.replace("version = \"1.0.0\"", "version.workspace = true");
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in [
        ("hello/Cargo.toml", manifest.as_str()),
        ("hello/README.md", "# hello\n"),
        ("hello/src/lib.rs", ""),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    std::fs::write(context.root().join("hello-1.0.0.zip"), bytes).unwrap();
    let (code, report) = context.run_json(&["validate", "hello-1.0.0.zip", "--format", "json"]);
    assert_eq!(
        (code, codes(&report)),
        (1, vec!["PK0701".to_owned()]),
        "{report:#}"
    );
    let finding = &report["findings"][0];
    assert_eq!(finding["file"], "hello-1.0.0.zip!hello/Cargo.toml");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("a package does not contain the workspace"),
        "{finding:#}"
    );
}

/// cargo runs only for crates that inherit something, and once for a whole workspace.
#[cfg(unix)]
#[test]
fn cargo_runs_once_per_workspace_and_never_for_crates_that_inherit_nothing() {
    use std::os::unix::fs::PermissionsExt;

    let context = TestContext::new();
    workspace(context.root(), &["alpha", "beta", "gamma"]);
    crate_plugin(&context.root().join("plugins"), "hello", CRATE);
    let real = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let log = context.root().join("cargo.log");
    let spy = context.root().join("spy-cargo");
    std::fs::write(
        &spy,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nexec '{real}' \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&spy, std::fs::Permissions::from_mode(0o755)).unwrap();

    let output = context
        .pluginkit()
        .env("CARGO", &spy)
        // One reader at a time, so the first run's answer is there for the others.
        .env("RAYON_NUM_THREADS", "1")
        .args(["list", "--format", "json"])
        .output();
    assert_eq!(output.code, 0, "{}", output.stderr);
    let list = output.json();
    let versions: Vec<(&str, &str)> = list["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["version"].as_str().unwrap()))
        .collect();
    assert_eq!(
        versions,
        [
            ("alpha", "2.3.4"),
            ("beta", "2.3.4"),
            ("gamma", "2.3.4"),
            ("hello", "1.0.0")
        ]
    );
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(calls.lines().count(), 1, "cargo ran:\n{calls}");
}

/// Odd manifests never crash the reader: every one gives a JSON report.
#[test]
fn odd_cargo_manifests_give_findings_not_crashes() {
    let odd = [
        "[package]\n[package.metadata.pluginkit]\n",
        "package = 1\n",
        "[package]\nmetadata = 1\n",
        "[package]\nname = \"hello\"\n[package.metadata]\npluginkit = []\n",
        "[package]\nname = \"hello\"\nversion = { workspace = false }\nauthors = [1, \"\"]\nreadme = 3\nlicense = []\nhomepage = {}\n[package.metadata.pluginkit]\nsummary = 1\nauthor = []\nstate = true\nrequires = 2\ndependencies = 1\n",
        "[package]\nname = \"hello\"\nversion = \"1.0.0\"\nrepository = \"ftp://x\"\nreadme = \"../../etc/passwd\"\n[package.metadata.pluginkit]\nsummary = \"s\"\nauthor = \"a\"\n[package.metadata.pluginkit.dependencies]\nhello = \"^1\"\nx = { version = \"1\" }\n",
    ];
    for manifest in odd {
        let context = TestContext::new();
        crate_plugin(context.root(), "hello", manifest);
        let (code, report) = run_without_cargo(
            &context,
            &["validate", "hello", "--flavor", "crate", "--format", "json"],
        );
        assert!(code == 0 || code == 1, "{manifest}: exit {code}");
        assert!(report["findings"].is_array(), "{manifest}");
    }
}
