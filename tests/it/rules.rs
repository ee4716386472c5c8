//! Each rule in the catalogue (src/rules.rs) fires on a minimal bad plugin, and only there.
//!
//! Every case starts from a baseline that `pluginkit validate` passes with zero findings (a
//! native plugin, an extend-level and an app-level FBA plugin, a ZIP package, a plugins folder)
//! and makes exactly one mistake. The test runs the real binary with `--format json` and checks
//! that the findings are exactly that rule (several of it where one mistake naturally makes
//! several), that the exit code follows the rule's severity (and `--strict` for warnings), and
//! that the finding points at the offending token.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::Path;

use serde_json::Value;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::support::TestContext;

use pluginkit::findings::rules;
use pluginkit::findings::rules::Severity;

// ---------------------------------------------------------------------------------------------
// Baselines

const README: &str = "# A plugin\n";

const NATIVE: &str = r#"[plugin]
name = "hello"
version = "1.0.0"
summary = "Greets people"
author = "Ada <ada@example.com>"
license = "MIT"
"#;

/// Extend-level FBA plugin, as tests/fixtures/fba/notice (non-ASCII text on purpose: columns
/// count characters, not bytes).
const FBA_EXTEND: &str = r#"[plugin]
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

/// App-level FBA plugin, as tests/fixtures/fba/email.
const FBA_APP: &str = r#"[plugin]
summary = "电子邮件"
version = "0.0.3"
description = "提供邮件发送功能，支持验证码、通知等场景"
author = "wu-clan"
tags = ["other"]
database = ["mysql", "postgresql"]

[app]
router = ["v1"]

[settings]
EMAIL_HOST = "smtp.qq.com"
EMAIL_PORT = 465
EMAIL_SSL = true
"#;

const SQL_SCRIPTS: &[&str] = &[
    "init.sql",
    "destroy.sql",
    "init_snowflake.sql",
    "destroy_snowflake.sql",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Base {
    Native,
    FbaExtend,
    FbaApp,
}

impl Base {
    fn folder(self) -> &'static str {
        match self {
            Base::Native => "hello",
            Base::FbaExtend => "notice",
            Base::FbaApp => "email",
        }
    }

    fn manifest(self) -> &'static str {
        match self {
            Base::Native => NATIVE,
            Base::FbaExtend => FBA_EXTEND,
            Base::FbaApp => FBA_APP,
        }
    }

    /// The files besides plugin.toml.
    fn files(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Base::Native => &[("README.md", README)],
            Base::FbaExtend => &[
                ("README.md", README),
                ("__init__.py", ""),
                ("api/__init__.py", ""),
                // FBA's own layout: the router mounts on backend.app.admin.api.v1.sys.
                ("api/v1/__init__.py", ""),
                ("api/v1/sys/__init__.py", ""),
                ("api/v1/sys/notice.py", "router = None\n"),
            ],
            Base::FbaApp => &[
                ("README.md", README),
                ("__init__.py", ""),
                ("api/__init__.py", ""),
                ("api/router.py", "v1 = None\n"),
            ],
        }
    }

    fn is_fba(self) -> bool {
        self != Base::Native
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Write `text` to `dir/rel`, creating the folders on the way.
fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write");
}

/// A plugin of `base` in `root/folder` with `manifest` as its plugin.toml.
fn plugin(root: &Path, base: Base, folder: &str, manifest: &str) {
    for (rel, text) in base.files() {
        write(root, &format!("{folder}/{rel}"), text);
    }
    write(root, &format!("{folder}/plugin.toml"), manifest);
}

/// One finding of the JSON report, the parts these tests look at.
#[derive(Debug, Clone)]
struct Found {
    code: String,
    file: Option<String>,
    line: Option<u64>,
    column: Option<u64>,
    end_line: Option<u64>,
    end_column: Option<u64>,
}

/// What one `validate` run gave.
#[derive(Debug)]
struct Outcome {
    exit: i32,
    findings: Vec<Found>,
    summary: Value,
    stderr: String,
}

impl Outcome {
    fn codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self.findings.iter().map(|f| f.code.as_str()).collect();
        codes.sort_unstable();
        codes
    }
}

/// Run `pluginkit validate ARGS --format json` in the test's root.
fn validate(context: &TestContext, args: &[&str]) -> Outcome {
    validate_in(context, context.root(), args)
}

/// Run `pluginkit validate ARGS --format json` in `cwd`.
fn validate_in(context: &TestContext, cwd: &Path, args: &[&str]) -> Outcome {
    let (exit, stdout, stderr) = context
        .pluginkit()
        .current_dir(cwd)
        .arg("validate")
        .args(args)
        .args(["--format", "json"])
        .run();
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("validate {args:?} printed no JSON ({e}); exit {exit}\nstdout: {stdout}\nstderr: {stderr}")
    });
    let text = |f: &Value, key: &str| f[key].as_str().map(str::to_owned);
    let findings = json["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| Found {
            code: text(f, "code").expect("every finding has a code"),
            file: text(f, "file"),
            line: f["line"].as_u64(),
            column: f["column"].as_u64(),
            end_line: f["end_line"].as_u64(),
            end_column: f["end_column"].as_u64(),
        })
        .collect();
    Outcome {
        exit,
        findings,
        summary: json["summary"].clone(),
        stderr,
    }
}

fn severity(code: &str) -> Severity {
    rules::find(code)
        .unwrap_or_else(|| panic!("{code} is not in the rule catalogue"))
        .severity
}

/// Line and column (1-based, in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() as u64 + 1,
        before[line_start..].chars().count() as u64 + 1,
    )
}

/// Start and end of the token that `marked` names in `text`. `marked` is text to search for
/// (its first occurrence counts) with the token between two `^`; a single `^` starts a token
/// that runs to the end of `marked`; without `^`, all of `marked` is the token.
/// `"version = ^1^\n"` names the `1` of the first `version = 1` line.
fn locate(text: &str, marked: &str) -> ((u64, u64), (u64, u64)) {
    let mut parts = marked.splitn(3, '^');
    let (before, token, after) = match (parts.next(), parts.next(), parts.next()) {
        (Some(token), None, _) => ("", token, ""),
        (Some(before), Some(token), after) => (before, token, after.unwrap_or("")),
        (None, _, _) => unreachable!("splitn yields at least one part"),
    };
    let found = text
        .find(&format!("{before}{token}{after}"))
        .unwrap_or_else(|| panic!("`{marked}` is not in\n{text}"));
    let start = found + before.len();
    (position(text, start), position(text, start + token.len()))
}

/// Check the parts of a run that every case shares: findings exactly `expected` (a multiset of
/// codes), exit code and summary following the severities.
fn check_findings(outcome: &Outcome, expected: &[&str], checked: u64) -> Result<(), String> {
    let mut want: Vec<&str> = expected.to_vec();
    want.sort_unstable();
    if outcome.codes() != want {
        return Err(format!(
            "expected findings {want:?}, got {:?}\n{:#?}\nstderr: {}",
            outcome.codes(),
            outcome.findings,
            outcome.stderr
        ));
    }
    let errors = want
        .iter()
        .filter(|c| severity(c) == Severity::Error)
        .count() as u64;
    let warnings = want.len() as u64 - errors;
    let exit = if errors > 0 { 1 } else { 0 };
    if outcome.exit != exit {
        return Err(format!(
            "expected exit {exit}, got {}\nstderr: {}",
            outcome.exit, outcome.stderr
        ));
    }
    let summary = serde_json::json!({
        "checked": checked, "errors": errors, "warnings": warnings, "passed": errors == 0,
    });
    if outcome.summary != summary {
        return Err(format!(
            "expected summary {summary}, got {}",
            outcome.summary
        ));
    }
    Ok(())
}

/// Run every case, then fail once, listing every case that failed.
fn run_all(cases: &[Case]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let code = if case.code.is_empty() {
                "no finding"
            } else {
                case.code
            };
            case.check()
                .err()
                .map(|e| format!("{code} ({}): {e}", case.what))
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

// ---------------------------------------------------------------------------------------------
// Cases on one plugin folder

/// Where a case's finding must point.
#[derive(Debug, Clone)]
enum Where {
    /// At a token of plugin.toml, as [`locate`] finds it; start and end are checked.
    Token(String),
    /// On this line of plugin.toml (syntax errors, whose exact column is the parser's choice).
    Line(u64),
    /// Nowhere inside a file: the rule is about the plugin folder or a file as a whole.
    NoSpan,
    /// At this line and column of another file of the plugin.
    File(&'static str, u64, u64),
}

/// One mistake in one plugin folder.
struct Case {
    code: &'static str,
    what: &'static str,
    base: Base,
    folder: &'static str,
    manifest: String,
    /// Files of the baseline to leave out.
    remove: Vec<&'static str>,
    /// Files to add (or replace), relative to the plugin folder.
    add: Vec<(&'static str, Vec<u8>)>,
    /// A host `pluginkit.toml` in the folder validate runs in.
    host: Option<&'static str>,
    /// How many findings of `code` the mistake makes.
    count: usize,
    at: Where,
}

impl Case {
    fn new(base: Base, code: &'static str, what: &'static str) -> Case {
        Case {
            code,
            what,
            base,
            folder: base.folder(),
            manifest: base.manifest().to_owned(),
            remove: Vec::new(),
            add: Vec::new(),
            host: None,
            count: 1,
            at: Where::NoSpan,
        }
    }

    fn native(code: &'static str, what: &'static str) -> Case {
        Case::new(Base::Native, code, what)
    }

    fn fba(code: &'static str, what: &'static str) -> Case {
        Case::new(Base::FbaExtend, code, what)
    }

    fn fba_app(code: &'static str, what: &'static str) -> Case {
        Case::new(Base::FbaApp, code, what)
    }

    /// Replace the first `from` in the manifest with `to` (`from` must be there).
    fn edit(mut self, from: &str, to: &str) -> Case {
        assert!(
            self.manifest.contains(from),
            "{}: `{from}` is not in the manifest",
            self.code
        );
        self.manifest = self.manifest.replacen(from, to, 1);
        self
    }

    fn append(mut self, text: &str) -> Case {
        self.manifest.push_str(text);
        self
    }

    fn folder(mut self, folder: &'static str) -> Case {
        self.folder = folder;
        self
    }

    fn remove(mut self, rel: &'static str) -> Case {
        self.remove.push(rel);
        self
    }

    fn add(mut self, rel: &'static str, bytes: impl Into<Vec<u8>>) -> Case {
        self.add.push((rel, bytes.into()));
        self
    }

    fn host(mut self, text: &'static str) -> Case {
        self.host = Some(text);
        self
    }

    fn count(mut self, count: usize) -> Case {
        self.count = count;
        self
    }

    fn at(mut self, marked: impl Into<String>) -> Case {
        self.at = Where::Token(marked.into());
        self
    }

    /// Write the manifest with Windows line ends.
    fn crlf(mut self) -> Case {
        self.manifest = self.manifest.replace('\n', "\r\n");
        self
    }

    /// At `line` and `column` of the plugin's file `rel`.
    fn at_file(mut self, rel: &'static str, line: u64, column: u64) -> Case {
        self.at = Where::File(rel, line, column);
        self
    }

    fn at_line(mut self, line: u64) -> Case {
        self.at = Where::Line(line);
        self
    }

    /// Run the case: FBA cases twice, with the flavor detected and pinned with `--flavor fba`
    /// (every FBA case keeps an `[app]` or `[api]` table, so detection finds FBA).
    fn check(&self) -> Result<(), String> {
        let mut pins: Vec<&[&str]> = vec![&[]];
        if self.base.is_fba() {
            pins.push(&["--flavor", "fba"]);
        }
        for pin in pins {
            self.check_with(pin).map_err(|e| {
                format!(
                    "{}{e}",
                    if pin.is_empty() {
                        ""
                    } else {
                        "with --flavor fba: "
                    }
                )
            })?;
        }
        Ok(())
    }

    fn check_with(&self, pin: &[&str]) -> Result<(), String> {
        let context = TestContext::new();
        let root = context.root();
        plugin(root, self.base, self.folder, &self.manifest);
        for rel in &self.remove {
            std::fs::remove_file(root.join(self.folder).join(rel)).expect("remove a file");
        }
        for (rel, bytes) in &self.add {
            write(root, &format!("{}/{rel}", self.folder), bytes);
        }
        if let Some(host) = self.host {
            write(root, "pluginkit.toml", host);
        }
        let mut args = vec![self.folder];
        args.extend(pin);
        let outcome = validate(&context, &args);
        let expected = vec![self.code; self.count];
        check_findings(&outcome, &expected, 1)?;
        if expected.is_empty() {
            args.push("--strict");
            return check_findings(&validate(&context, &args), &[], 1);
        }

        let first = &outcome.findings[0];
        let manifest = format!("{}/plugin.toml", self.folder);
        match &self.at {
            Where::Token(marked) => {
                let ((line, column), (end_line, end_column)) = locate(&self.manifest, marked);
                let want = (
                    Some(manifest.as_str()),
                    Some(line),
                    Some(column),
                    Some(end_line),
                    Some(end_column),
                );
                let got = (
                    first.file.as_deref(),
                    first.line,
                    first.column,
                    first.end_line,
                    first.end_column,
                );
                if got != want {
                    return Err(format!(
                        "expected the finding at `{marked}` (file, line, column, end line, end column) {want:?}, got {got:?}"
                    ));
                }
            }
            Where::Line(line) => {
                let got = (first.file.as_deref(), first.line);
                if got != (Some(manifest.as_str()), Some(*line)) {
                    return Err(format!(
                        "expected the finding on {manifest} line {line}, got {got:?}"
                    ));
                }
            }
            Where::File(rel, line, column) => {
                let file = format!("{}/{rel}", self.folder);
                let want = (Some(file.as_str()), Some(*line), Some(*column));
                let got = (first.file.as_deref(), first.line, first.column);
                if got != want {
                    return Err(format!(
                        "expected the finding at (file, line, column) {want:?}, got {got:?}"
                    ));
                }
            }
            Where::NoSpan => {
                if first.line.is_some() {
                    return Err(format!(
                        "expected a finding without a position, got {first:?}"
                    ));
                }
            }
        }

        if severity(self.code) == Severity::Warning {
            args.push("--strict");
            let strict = validate(&context, &args);
            if strict.exit != 1 || strict.codes() != outcome.codes() {
                return Err(format!(
                    "with --strict expected exit 1 and the same findings, got exit {} and {:?}",
                    strict.exit,
                    strict.codes()
                ));
            }
        }
        Ok(())
    }
}

fn native_cases() -> Vec<Case> {
    vec![
        Case::native("PK0901", "a malformed requirement in requirements.txt")
            .add(
                "requirements.txt",
                "# pinned\nrequests==2.32.3\nflask >=3,<<4\n",
            )
            .at_file("requirements.txt", 3, 11),
        Case::native("PK0901", "an option pip and uv do not read")
            .add(
                "requirements.txt",
                "requests\n--trusted-hosts example.com\n",
            )
            .at_file("requirements.txt", 2, 1),
        Case::native("PK0901", "an include that leaves the plugin")
            .add("requirements.txt", "-r ../other/requirements.txt\n")
            .at_file("requirements.txt", 1, 4),
        Case::native("PK0002", "plugin.toml is not UTF-8")
            .add("plugin.toml", b"[plugin]\nname = \"hel\xfflo\"\n".to_vec()),
        Case::native("PK0101", "an unterminated string")
            .edit("\"Greets people\"", "\"Greets people")
            .at_line(4),
        Case::native("PK0102", "a key given twice")
            .append("version = \"1.0.1\"\n")
            .at("MIT\"\n^version"),
        Case::native("PK0102", "a table given twice")
            .append("\n[plugin]\ndescription = \"again\"\n")
            .at_line(8),
        Case::native("PK0103", "a misspelt key")
            .append("descripton = \"Longer text\"\n")
            .at("^descripton"),
        Case::native("PK0103", "an unknown table")
            .append("\n[tool]\nx = 1\n")
            .at("^tool"),
        Case::native("PK0104", "a number for the version")
            .edit("\"1.0.0\"", "1")
            .at("version = ^1"),
        Case::native("PK0104", "a number for a dependency")
            .append("\n[dependencies]\nauth = 1\n")
            .at("auth = ^1"),
        Case::native("PK0105", "no author")
            .edit("author = \"Ada <ada@example.com>\"\n", "")
            .at("^[plugin]"),
        Case::native("PK0201", "an upper-case name")
            .edit("\"hello\"", "\"Hello\"")
            .at("^\"Hello\""),
        Case::native("PK0202", "a name that is not the folder's")
            .edit("\"hello\"", "\"hola\"")
            .at("^\"hola\""),
        Case::native("PK0203", "a version that is not SemVer")
            .edit("\"1.0.0\"", "\"1.0\"")
            .at("^\"1.0\""),
        Case::native(
            "PK0203",
            "a version that is not SemVer, with Windows line ends",
        )
        .edit("\"1.0.0\"", "\"1.0\"")
        .crlf()
        .at("version = ^\"1.0\""),
        Case::native("PK0204", "a summary of 101 characters")
            .edit("\"Greets people\"", &format!("\"{}\"", "x".repeat(101)))
            .at(format!("summary = ^\"{}\"", "x".repeat(101))),
        Case::native("PK0204", "an empty summary")
            .edit("\"Greets people\"", "\"\"")
            .at("summary = ^\"\""),
        Case::native("PK0204", "a summary of two lines")
            .edit("\"Greets people\"", "\"\"\"Greets\npeople\"\"\"")
            .at("summary = ^\"\"\"Greets\npeople\"\"\""),
        Case::native("PK0205", "an empty author")
            .edit("\"Ada <ada@example.com>\"", "\"\"")
            .at("author = ^\"\""),
        Case::native("PK0206", "no license")
            .edit("license = \"MIT\"\n", "")
            .at("^[plugin]"),
        Case::native("PK0207", "no README.md")
            .remove("README.md")
            .at("^[plugin]"),
        Case::native("PK0207", "a readme that does not exist")
            .append("readme = \"docs/README.md\"\n")
            .at("readme = ^\"docs/README.md\""),
        Case::native("PK0207", "a readme outside the plugin")
            .append("readme = \"../README.md\"\n")
            .at("readme = ^\"../README.md\""),
        Case::native("PK0208", "a state that is not enabled or disabled")
            .append("state = \"on\"\n")
            .at("state = ^\"on\""),
        Case::native("PK0209", "requires that is not a requirement")
            .append("requires = \">>2\"\n")
            .at("requires = ^\">>2\""),
        Case::native("PK0210", "a dependency with an invalid name")
            .append("\n[dependencies]\nAuth = \"^1\"\n")
            .at("^Auth"),
        Case::native("PK0210", "a dependency on itself")
            .append("\n[dependencies]\nhello = \"^1\"\n")
            .at("[dependencies]\n^hello"),
        Case::native("PK0210", "a dependency with an invalid requirement")
            .append("\n[dependencies]\nauth = \"one\"\n")
            .at("auth = ^\"one\""),
        Case::native("PK0211", "a homepage that is not http(s)")
            .append("homepage = \"ftp://example.com/hello\"\n")
            .at("homepage = ^\"ftp://example.com/hello\""),
        Case::native("PK0212", "requires a host version the host is not")
            .append("requires = \">=2\"\n")
            .host("[host]\nversion = \"1.4.0\"\n")
            .at("requires = ^\">=2\""),
        Case::native("PK0213", "an empty description")
            .append("description = \"\"\n")
            .at("description = ^\"\""),
        // An empty license is an optional text field present but empty, like an empty
        // description.
        Case::native("PK0213", "an empty license")
            .edit("license = \"MIT\"", "license = \"\"")
            .at("license = ^\"\""),
        // What `pluginkit package` refuses (src/package/secrets.rs): a key by its content, in a
        // file of any name, and an SSH key by its name.
        Case::native("PK0508", "a private key in the plugin folder").add(
            "certs/server.key",
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
        ),
        Case::native("PK0508", "an SSH key by its name").add("deploy/id_ed25519", "key"),
    ]
}

fn fba_cases() -> Vec<Case> {
    vec![
        // The rules every TOML flavor shares, in FBA's reader.
        Case::fba("PK0101", "an unterminated string")
            .edit("\"0.0.2\"", "\"0.0.2")
            .at_line(3),
        Case::fba("PK0102", "a key given twice")
            .edit(
                "extend = \"admin\"\n",
                "extend = \"admin\"\nextend = \"user\"\n",
            )
            .at("\"admin\"\n^extend"),
        Case::fba("PK0103", "a misspelt key")
            .edit("author =", "icon_url = \"x.svg\"\nauthor =")
            .at("^icon_url"),
        Case::fba("PK0104", "the old `app = \"...\"` form")
            .edit("[app]\nextend = \"admin\"\n", "")
            .edit("[plugin]", "app = \"admin\"\n\n[plugin]")
            .at("app = ^\"admin\""),
        Case::fba("PK0105", "no [app] table").edit("[app]\nextend = \"admin\"\n", ""),
        Case::fba("PK0105", "an API without a prefix")
            .edit("prefix = \"/notices\"\n", "")
            .at("^[api.notice]"),
        Case::fba("PK0301", "a folder name with a dash").folder("notice-board"),
        Case::fba("PK0302", "a two-part version")
            .edit("\"0.0.2\"", "\"0.2\"")
            .at("^\"0.2\""),
        Case::fba("PK0302", "a pre-release version")
            .edit("\"0.0.2\"", "\"0.0.2-beta\"")
            .at("^\"0.0.2-beta\""),
        Case::fba("PK0303", "an author of 51 characters")
            .edit("\"wu-clan\"", &format!("\"{}\"", "w".repeat(51)))
            .at(format!("author = ^\"{}\"", "w".repeat(51))),
        Case::fba("PK0303", "an empty summary")
            .edit("\"通知公告\"", "\"\"")
            .at("summary = ^\"\""),
        Case::fba("PK0303", "a description of 501 characters")
            .edit(
                "\"用于发布系统内部通知、公告\"",
                &format!("\"{}\"", "说".repeat(501)),
            )
            .at(format!("description = ^\"{}\"", "说".repeat(501))),
        Case::fba("PK0304", "a tag FBA does not know")
            .edit("[\"other\"]", "[\"news\"]")
            .at("^\"news\""),
        Case::fba("PK0304", "two tags FBA does not know")
            .edit("[\"other\"]", "[\"news\", \"blog\"]")
            .count(2)
            .at("^\"news\""),
        Case::fba("PK0304", "no tags")
            .edit("[\"other\"]", "[]")
            .at("tags = ^[]"),
        Case::fba("PK0304", "tags left out")
            .edit("tags = [\"other\"]\n", "")
            .at("^[plugin]"),
        Case::fba("PK0305", "a database FBA does not know")
            .edit("\"postgresql\"]", "\"pgsql\"]")
            .at("^\"pgsql\""),
        Case::fba("PK0306", "depends_on names the plugin itself")
            .append_to_plugin("depends_on = [\"notice\"]\n")
            .at("depends_on = [^\"notice\"^]"),
        Case::fba("PK0306", "depends_on holds an empty name")
            .append_to_plugin("depends_on = [\"\"]\n")
            .at("depends_on = [^\"\"^]"),
        Case::fba("PK0307", "[app] without extend")
            .edit("extend = \"admin\"\n", "")
            .at("^[app]"),
        Case::fba("PK0307", "an empty extend")
            .edit("\"admin\"", "\"\"")
            .at("extend = ^\"\""),
        Case::fba_app("PK0308", "no routers")
            .edit("[\"v1\"]", "[]")
            .at("router = ^[]"),
        Case::fba_app("PK0308", "[app] without router")
            .edit("router = [\"v1\"]\n", "")
            .at("^[app]"),
        Case::fba_app("PK0308", "an empty router name")
            .edit("[\"v1\"]", "[\"\"]")
            .at("router = [^\"\"^]"),
        Case::fba("PK0309", "an API name that is not an identifier")
            .edit("[api.notice]", "[api.1notice]")
            .remove("api/v1/sys/notice.py")
            .add("api/v1/sys/1notice.py", "")
            .at("[api.^1notice^]"),
        Case::fba("PK0310", "a prefix without a leading /")
            .edit("\"/notices\"", "\"notices\"")
            .at("^\"notices\""),
        Case::fba("PK0311", "an API with empty tags")
            .edit("\"系统通知公告\"", "\"\"")
            .at("prefix = \"/notices\"\ntags = ^\"\""),
        Case::fba("PK0312", "an API without its file")
            .remove("api/v1/sys/notice.py")
            .at("[api.^notice^]"),
        Case::fba("PK0313", "a lower-case settings key")
            .append("\n[settings]\nnotice_limit = 10\n")
            .at("^notice_limit"),
        Case::fba("PK0314", "models without SQL").add("model/__init__.py", ""),
        // FBA installs a plugin's requirements.txt at every start: a bad line stops it there.
        Case::fba_app("PK0901", "a malformed requirement in an FBA plugin")
            .add("requirements.txt", "wechatpy>=1.8.18\nsqlalchemy[asyncio\n")
            .at_file("requirements.txt", 2, 11),
        Case::fba("PK0315", "no __init__.py").remove("__init__.py"),
        Case::fba_app("PK0316", "no api/router.py")
            .remove("api/router.py")
            .at("router = ^[\"v1\"]"),
        Case::fba("PK0317", "SQL for mysql only, both databases declared")
            .add("model/__init__.py", "")
            .add("sql/mysql/init.sql", "")
            .add("sql/mysql/destroy.sql", "")
            .add("sql/mysql/init_snowflake.sql", "")
            .add("sql/mysql/destroy_snowflake.sql", ""),
    ]
}

/// Edits that come as close to a rule as the rule allows, and must give no finding at all.
fn near_misses() -> Vec<Case> {
    let native = |what| Case::valid(Base::Native, what);
    let fba = |what| Case::valid(Base::FbaExtend, what);
    vec![
        native("a requirements.txt with everything pip and uv read")
            .add(
                "requirements.txt",
                "# pins\n-r base.txt\n-c constraints.txt\n--index-url https://pypi.org/simple\nrequests[socks]==2.32.3 ; python_version >= \"3.9\" \\\n    --hash=sha256:abc\nname @ https://example.com/name-1.0-py3-none-any.whl\n-e ./vendored\n",
            )
            .add("base.txt", "flask>=3  # web\n")
            .add("constraints.txt", "werkzeug<4\n"),
        native("a summary of exactly 100 characters")
            .edit("\"Greets people\"", &format!("\"{}\"", "é".repeat(100))),
        native("a name of exactly 64 characters")
            .edit(
                "\"hello\"",
                "\"plugin_with_a_name_of_exactly_sixty_four_characters_0123456789ab\"",
            )
            .folder("plugin_with_a_name_of_exactly_sixty_four_characters_0123456789ab"),
        native("a pre-release version with build metadata")
            .edit("\"1.0.0\"", "\"0.1.0-beta.1+build.5\""),
        native("every optional field, filled in")
            .append(concat!(
                "description = \"Longer text\"\n",
                "readme = \"docs/README.md\"\n",
                "homepage = \"http://example.com/hello\"\n",
                "state = \"disabled\"\n",
                "requires = \">=2.0, <3\"\n",
                "\n[dependencies]\nauth = \"*\"\nreport_tools = \">=1.2, <2\"\n",
            ))
            .add("docs/README.md", README)
            .host("[host]\nversion = \"2.4.0\"\n"),
        fba("an author of exactly 50 characters")
            .edit("\"wu-clan\"", &format!("\"{}\"", "w".repeat(50))),
        fba("a summary and a description of exactly 100 and 500 characters")
            .edit("\"通知公告\"", &format!("\"{}\"", "通".repeat(100)))
            .edit(
                "\"用于发布系统内部通知、公告\"",
                &format!("\"{}\"", "说".repeat(500)),
            ),
        fba("a version with two-digit parts").edit("\"0.0.2\"", "\"10.0.11\""),
        fba("every tag, one database, an icon and a dependency")
            .edit(
                "[\"other\"]",
                "[\"ai\", \"mcp\", \"agent\", \"auth\", \"storage\", \"notification\", \"task\", \"payment\", \"other\"]",
            )
            .edit("[\"mysql\", \"postgresql\"]", "[\"postgresql\"]")
            .append_to_plugin("icon = \"icon.svg\"\ndepends_on = [\"email\"]\n"),
        fba("a prefix of just /, and a second API")
            .edit("\"/notices\"", "\"/\"")
            .append("\n[api.notice_v2]\nprefix = \"/v2/notice-items\"\ntags = \"v2\"\n")
            .add("api/v1/sys/notice_v2.py", ""),
        fba("upper-case settings keys with digits")
            .append("\n[settings]\nNOTICE_LIMIT_2 = 10\nA1 = true\n"),
        fba("models with the SQL of the one database declared")
            .edit("[\"mysql\", \"postgresql\"]", "[\"postgresql\"]")
            .add("model/__init__.py", "")
            .add("sql/postgresql/init.sql", "")
            .add("sql/postgresql/destroy.sql", "")
            .add("sql/postgresql/init_snowflake.sql", "")
            .add("sql/postgresql/destroy_snowflake.sql", ""),
    ]
}

impl Case {
    /// A case that must give no finding.
    fn valid(base: Base, what: &'static str) -> Case {
        Case {
            count: 0,
            ..Case::new(base, "", what)
        }
    }

    /// Add a line at the end of the FBA [plugin] table (before [app]).
    fn append_to_plugin(self, line: &str) -> Case {
        self.edit("\n[app]", &format!("{line}\n[app]"))
    }
}

#[test]
fn baselines_are_valid() {
    for base in [Base::Native, Base::FbaExtend, Base::FbaApp] {
        let context = TestContext::new();
        plugin(context.root(), base, base.folder(), base.manifest());
        // Detected and pinned flavor alike; --strict shows there is not even a warning.
        let mut runs = vec![vec![base.folder(), "--strict"]];
        if base.is_fba() {
            runs.push(vec![base.folder(), "--strict", "--flavor", "fba"]);
        }
        for args in runs {
            let outcome = validate(&context, &args);
            check_findings(&outcome, &[], 1).unwrap_or_else(|e| panic!("{base:?} {args:?}: {e}"));
        }
    }
}

#[test]
fn fba_baseline_with_models_and_sql_is_valid() {
    let context = TestContext::new();
    plugin(context.root(), Base::FbaExtend, "notice", FBA_EXTEND);
    write(context.root(), "notice/model/__init__.py", "");
    for db in ["mysql", "postgresql"] {
        for script in SQL_SCRIPTS {
            write(context.root(), &format!("notice/sql/{db}/{script}"), "");
        }
    }
    let outcome = validate(&context, &["notice", "--strict"]);
    check_findings(&outcome, &[], 1).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn native_rules_fire_on_one_mistake_each() {
    run_all(&native_cases());
}

#[test]
fn fba_rules_fire_on_one_mistake_each() {
    run_all(&fba_cases());
}

#[test]
fn near_misses_give_no_finding() {
    run_all(&near_misses());
}

/// PK0212 with the host found from `-C` rather than the current folder.
#[test]
fn host_version_is_read_from_the_folder_given_with_c() {
    let context = TestContext::new();
    let host = context.root().join("site");
    write(&host, "pluginkit.toml", "[host]\nversion = \"1.4.0\"\n");
    plugin(
        &host,
        Base::Native,
        "hello",
        &format!("{NATIVE}requires = \">=2\"\n"),
    );
    let outside = tempfile::tempdir().expect("tempdir");
    let dir = host.to_str().expect("a UTF-8 temp path");
    let outcome = validate_in(&context, outside.path(), &["-C", dir, "hello"]);
    check_findings(&outcome, &["PK0212"], 1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome.findings[0].line, Some(7));

    // The same plugin passes under a host it fits.
    write(&host, "pluginkit.toml", "[host]\nversion = \"2.1.0\"\n");
    let outcome = validate_in(&context, outside.path(), &["-C", dir, "hello"]);
    check_findings(&outcome, &[], 1).unwrap_or_else(|e| panic!("{e}"));
}

/// PK0004 is reachable through `validate`, but not as a finding of the report: a malformed
/// pluginkit.toml stops every command before it starts, and is printed as a diagnostic on
/// stderr, also under `--format json`.
#[test]
fn malformed_host_config_stops_validate() {
    let context = TestContext::new();
    plugin(context.root(), Base::Native, "hello", NATIVE);
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\nplugin-dir = \"p\"\n",
    );
    let snapshot = context.run_snapshot(&["validate", "hello", "--format", "json"]);
    assert!(snapshot.contains("error[PK0004]"), "{snapshot}");
    assert!(snapshot.contains("pluginkit.toml:2:1"), "{snapshot}");
    insta::assert_snapshot!(snapshot);
}

// ---------------------------------------------------------------------------------------------
// Packages

type Zip = ZipWriter<Cursor<Vec<u8>>>;

fn add_file(zip: &mut Zip, name: &str, bytes: &[u8]) {
    zip.start_file(name, SimpleFileOptions::default())
        .expect("start a file");
    zip.write_all(bytes).expect("write a file");
}

/// A package of the native baseline in `hello/`, plus whatever `extra` adds.
fn package(extra: impl FnOnce(&mut Zip)) -> Vec<u8> {
    package_of(|zip| {
        add_file(zip, "hello/plugin.toml", NATIVE.as_bytes());
        add_file(zip, "hello/README.md", README.as_bytes());
        extra(zip);
    })
}

fn package_of(entries: impl FnOnce(&mut Zip)) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    entries(&mut zip);
    zip.finish().expect("finish the zip").into_inner()
}

/// Where `name` is stored: (header offset, name offset) for its local (`PK\3\4`) and central
/// (`PK\1\2`) headers.
fn header_names(bytes: &[u8], name: &str) -> Vec<(usize, usize)> {
    let name = name.as_bytes();
    let mut found = Vec::new();
    for at in 0..bytes.len().saturating_sub(name.len()) {
        if &bytes[at..at + name.len()] != name {
            continue;
        }
        let length_at = |field: usize| u16::from_le_bytes([bytes[field], bytes[field + 1]]);
        // Local header: name at +30, its length at +26.
        if at >= 30
            && bytes[at - 30..at - 26] == *b"PK\x03\x04"
            && usize::from(length_at(at - 30 + 26)) == name.len()
        {
            found.push((at - 30, at));
        }
        // Central header: name at +46, its length at +28.
        if at >= 46
            && bytes[at - 46..at - 42] == *b"PK\x01\x02"
            && usize::from(length_at(at - 46 + 28)) == name.len()
        {
            found.push((at - 46, at));
        }
    }
    found
}

/// Rename an entry in place, in both its headers (`to` as long as `from`).
fn rename_entry(bytes: &mut [u8], from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let headers = header_names(bytes, from);
    assert_eq!(
        headers.len(),
        2,
        "`{from}` has a local and a central header"
    );
    for (_, name_at) in headers {
        bytes[name_at..name_at + to.len()].copy_from_slice(to.as_bytes());
    }
}

/// Set the "encrypted" flag (general purpose bit 0) of an entry in both its headers. The zip
/// crate cannot write encrypted entries with the features pluginkit enables (ZipCrypto writing
/// is crate-private, AES needs `aes-crypto`), and pluginkit only looks at the flag, so flipping
/// the bit makes a faithful encrypted-entry package for this check.
fn set_encrypted(bytes: &mut [u8], name: &str) {
    let headers = header_names(bytes, name);
    assert_eq!(
        headers.len(),
        2,
        "`{name}` has a local and a central header"
    );
    for (header, _) in headers {
        // Flags are at +6 in a local header, +8 in a central one.
        let flags = if bytes[header + 2] == 3 {
            header + 6
        } else {
            header + 8
        };
        bytes[flags] |= 1;
    }
}

/// One package case: the bytes of `hello.zip`, and the findings it must give.
struct PackageCase {
    what: &'static str,
    bytes: Vec<u8>,
    expected: Vec<&'static str>,
}

fn package_cases() -> Vec<PackageCase> {
    let case = |what, bytes, expected: &[&'static str]| PackageCase {
        what,
        bytes,
        expected: expected.to_vec(),
    };
    let mut duplicate = package(|zip| add_file(zip, "hello/README.mX", b"# again\n"));
    rename_entry(&mut duplicate, "hello/README.mX", "hello/README.md");
    let mut encrypted = package(|_| {});
    set_encrypted(&mut encrypted, "hello/README.md");
    vec![
        case("the baseline package", package(|_| {}), &[]),
        case(
            "a GitHub \"Download ZIP\" folder named NAME-main",
            package_of(|zip| {
                add_file(zip, "hello-main/plugin.toml", NATIVE.as_bytes());
                add_file(zip, "hello-main/README.md", README.as_bytes());
            }),
            &[],
        ),
        case(
            "the manifest at the archive root",
            package_of(|zip| {
                add_file(zip, "plugin.toml", NATIVE.as_bytes());
                add_file(zip, "README.md", README.as_bytes());
            }),
            &[],
        ),
        case(
            "not a ZIP archive",
            b"PK\x03\x04 but nothing more".to_vec(),
            &["PK0501"],
        ),
        case(
            "an entry that leads out with ..",
            package(|zip| add_file(zip, "hello/../../evil.sh", b"rm -rf ~\n")),
            &["PK0502"],
        ),
        case(
            "an absolute entry",
            package(|zip| add_file(zip, "/etc/evil.sh", b"rm -rf ~\n")),
            &["PK0502"],
        ),
        case(
            "an entry with a drive letter",
            package(|zip| add_file(zip, "C:/evil.bat", b"del\n")),
            &["PK0502"],
        ),
        case(
            "a symbolic link",
            package(|zip| {
                zip.add_symlink("hello/link", "/etc/passwd", SimpleFileOptions::default())
                    .expect("add a symlink");
            }),
            &["PK0503"],
        ),
        case(
            "an entry with a `.` part",
            package(|zip| add_file(zip, "hello/./extra.txt", b"")),
            &["PK0502"],
        ),
        case(
            "an entry with \\ separators",
            package(|zip| add_file(zip, "hello\\..\\evil.bat", b"")),
            &["PK0502"],
        ),
        case(
            "a special file (a FIFO)",
            package(|zip| {
                let fifo = SimpleFileOptions::default().external_attributes(0o010644 << 16);
                zip.start_file("hello/fifo", fifo).expect("start a file");
            }),
            &["PK0503"],
        ),
        case(
            "two names that differ only in case",
            package(|zip| add_file(zip, "hello/readme.md", b"# again\n")),
            &["PK0504"],
        ),
        // The zip crate folds an exact duplicate into one entry; pluginkit asks it whether it did.
        case("an entry given twice", duplicate, &["PK0504"]),
        case("an encrypted entry", encrypted, &["PK0505"]),
        case(
            "no manifest in the single top-level folder",
            package_of(|zip| add_file(zip, "hello/README.md", README.as_bytes())),
            &["PK0506"],
        ),
        case(
            "no manifest and two top-level folders",
            package_of(|zip| {
                add_file(zip, "hello/README.md", README.as_bytes());
                add_file(zip, "other/README.md", README.as_bytes());
            }),
            &["PK0506"],
        ),
        case("an empty archive", package_of(|_| {}), &["PK0506"]),
        case(
            // 2 MiB of zeros deflate to a few KiB: a ratio far beyond the limit of 200.
            "a highly compressed entry (a ZIP bomb)",
            package(|zip| add_file(zip, "hello/data.bin", &vec![0u8; 2 * 1024 * 1024])),
            &["PK0507"],
        ),
        case(
            "a plugin mistake inside a package",
            package_of(|zip| {
                add_file(
                    zip,
                    "hello/plugin.toml",
                    NATIVE.replace("\"1.0.0\"", "\"1.0\"").as_bytes(),
                );
                add_file(zip, "hello/README.md", README.as_bytes());
            }),
            &["PK0203"],
        ),
    ]
}

#[test]
fn package_rules_fire_on_one_mistake_each() {
    let mut failures = Vec::new();
    let cases = package_cases();
    for case in &cases {
        let context = TestContext::new();
        write(context.root(), "hello.zip", &case.bytes);
        let outcome = validate(&context, &["hello.zip"]);
        if let Err(e) = check_findings(&outcome, &case.expected, 1) {
            failures.push(format!("{}: {e}", case.what));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} package cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// A finding inside a package points into the manifest in it, by line and column.
#[test]
fn findings_inside_a_package_point_into_its_manifest() {
    let context = TestContext::new();
    let manifest = NATIVE.replace("\"1.0.0\"", "\"1.0\"");
    let bytes = package_of(|zip| {
        add_file(zip, "hello/plugin.toml", manifest.as_bytes());
        add_file(zip, "hello/README.md", README.as_bytes());
    });
    write(context.root(), "hello.zip", bytes);
    let outcome = validate(&context, &["hello.zip"]);
    check_findings(&outcome, &["PK0203"], 1).unwrap_or_else(|e| panic!("{e}"));
    let found = &outcome.findings[0];
    let ((line, column), _) = locate(&manifest, "^\"1.0\"");
    assert_eq!(found.file.as_deref(), Some("hello.zip!hello/plugin.toml"));
    assert_eq!((found.line, found.column), (Some(line), Some(column)));
}

// ---------------------------------------------------------------------------------------------
// Plugins folders

/// A native plugin `folder` declaring `name` and `version`, with extra text after [plugin].
fn native(root: &Path, folder: &str, name: &str, version: &str, extra: &str) {
    let manifest = NATIVE
        .replace("\"hello\"", &format!("\"{name}\""))
        .replace("\"1.0.0\"", &format!("\"{version}\""));
    plugin(root, Base::Native, folder, &format!("{manifest}{extra}"));
}

#[test]
fn a_plugins_folder_of_valid_plugins_passes() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    native(&plugins, "auth", "auth", "1.2.0", "");
    native(
        &plugins,
        "hello",
        "hello",
        "1.0.0",
        "\n[dependencies]\nauth = \"^1.0\"\n",
    );
    plugin(&plugins, Base::FbaApp, "email", FBA_APP);
    plugin(
        &plugins,
        Base::FbaExtend,
        "notice",
        &FBA_EXTEND.replace("\n[app]", "depends_on = [\"email\"]\n\n[app]"),
    );
    // Hidden folders and Python's caches are not plugins.
    write(&plugins, ".staging/file", "");
    write(&plugins, "__pycache__/x.pyc", "");
    let outcome = validate(&context, &["plugins", "--strict"]);
    check_findings(&outcome, &[], 4).unwrap_or_else(|e| panic!("{e}"));
    // Without PATH, validate checks the host's plugins folder.
    let outcome = validate(&context, &["--strict"]);
    check_findings(&outcome, &[], 4).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_folder_without_a_manifest_is_a_warning() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    native(&plugins, "hello", "hello", "1.0.0", "");
    write(&plugins, "junk/notes.txt", "");
    let outcome = validate(&context, &["plugins"]);
    check_findings(&outcome, &["PK0001"], 1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome.findings[0].file.as_deref(), Some("plugins/junk"));
    assert_eq!(validate(&context, &["plugins", "--strict"]).exit, 1);
}

#[test]
fn two_plugins_with_one_name() {
    // Native plugins must be named after their folder, so a second plugin named `x` sits in a
    // folder of another name and also breaks PK0202: the two co-occur by construction (FBA
    // plugins are named by their folder and cannot collide at all).
    let context = TestContext::new();
    native(context.root(), "x", "x", "1.0.0", "");
    native(context.root(), "y", "x", "1.0.0", "");
    let outcome = validate(&context, &["."]);
    check_findings(&outcome, &["PK0202", "PK0401", "PK0401"], 2).unwrap_or_else(|e| panic!("{e}"));
    let files: BTreeMap<&str, Vec<&str>> =
        outcome
            .findings
            .iter()
            .fold(BTreeMap::new(), |mut by_code, f| {
                by_code
                    .entry(f.code.as_str())
                    .or_default()
                    .push(f.file.as_deref().unwrap_or("-"));
                by_code
            });
    assert_eq!(files["PK0202"], ["y/plugin.toml"]);
    assert_eq!(files["PK0401"], ["x/plugin.toml", "y/plugin.toml"]);
}

#[test]
fn a_missing_dependency() {
    let context = TestContext::new();
    native(
        context.root(),
        "hello",
        "hello",
        "1.0.0",
        "\n[dependencies]\nauth = \"^1\"\n",
    );
    let outcome = validate(&context, &["."]);
    check_findings(&outcome, &["PK0402"], 1).unwrap_or_else(|e| panic!("{e}"));
    let found = &outcome.findings[0];
    assert_eq!(found.file.as_deref(), Some("hello/plugin.toml"));
    // At the dependency's key, below NATIVE's six lines, a blank one and [dependencies].
    assert_eq!((found.line, found.column), (Some(9), Some(1)));
}

#[test]
fn a_missing_fba_dependency() {
    let context = TestContext::new();
    let manifest = FBA_EXTEND.replace("\n[app]", "depends_on = [\"email\"]\n\n[app]");
    plugin(context.root(), Base::FbaExtend, "notice", &manifest);
    let outcome = validate(&context, &["."]);
    check_findings(&outcome, &["PK0402"], 1).unwrap_or_else(|e| panic!("{e}"));
    let found = &outcome.findings[0];
    let ((line, column), _) = locate(&manifest, "depends_on = [^\"email\"]");
    assert_eq!(found.file.as_deref(), Some("notice/plugin.toml"));
    assert_eq!((found.line, found.column), (Some(line), Some(column)));
}

#[test]
fn a_dependency_cycle_of_three() {
    let context = TestContext::new();
    for (name, dep) in [("a", "b"), ("b", "c"), ("c", "a")] {
        native(
            context.root(),
            name,
            name,
            "1.0.0",
            &format!("\n[dependencies]\n{dep} = \"^1\"\n"),
        );
    }
    let outcome = validate(&context, &["."]);
    // One cycle, one finding: on the plugin that sorts first, at its dependency on the next.
    check_findings(&outcome, &["PK0403"], 3).unwrap_or_else(|e| panic!("{e}"));
    let found = &outcome.findings[0];
    assert_eq!(found.file.as_deref(), Some("a/plugin.toml"));
    assert_eq!((found.line, found.column), (Some(9), Some(1)));
}

#[test]
fn a_dependency_of_the_wrong_version() {
    let context = TestContext::new();
    native(context.root(), "auth", "auth", "1.0.0", "");
    native(
        context.root(),
        "hello",
        "hello",
        "1.0.0",
        "\n[dependencies]\nauth = \"^2\"\n",
    );
    let outcome = validate(&context, &["."]);
    check_findings(&outcome, &["PK0404"], 2).unwrap_or_else(|e| panic!("{e}"));
    let found = &outcome.findings[0];
    assert_eq!(found.file.as_deref(), Some("hello/plugin.toml"));
    assert_eq!(found.line, Some(9));
}

// ---------------------------------------------------------------------------------------------
// Coverage

/// Every rule in the catalogue has a case here, so a new rule cannot go untested.
#[test]
fn every_rule_has_a_case() {
    let mut covered: Vec<&str> = native_cases()
        .iter()
        .chain(fba_cases().iter())
        .map(|case| case.code)
        .collect();
    for case in package_cases() {
        covered.extend(case.expected);
    }
    // Checked by the tests above outside the tables.
    covered.extend(["PK0001", "PK0004", "PK0401", "PK0402", "PK0403", "PK0404"]);
    // `--expect-version`'s finding has its cases, one per flavor, in tests/it/action.rs.
    covered.push("PK0214");
    // The crate flavor's rules have their cases in tests/it/crate_flavor.rs, which checks that each
    // has one.
    covered.extend(
        rules::ALL
            .iter()
            .map(|rule| rule.code)
            .filter(|code| code.starts_with("PK07")),
    );
    // The FBA rules that depend on the host's version (PK0318 on) have their cases in
    // tests/it/fba_versions.rs, at the version where each starts to apply and the one before;
    // it checks that each has one.
    covered.extend(
        rules::ALL
            .iter()
            .map(|rule| rule.code)
            .filter(|code| code.starts_with("PK03") && *code >= "PK0318"),
    );
    // The Python flavors' rules have their cases in tests/it/python_flavors.rs.
    covered.extend(
        rules::ALL
            .iter()
            .map(|rule| rule.code)
            .filter(|code| code.starts_with("PK06")),
    );
    // The class-based flavor's rules have theirs in tests/it/class_based.rs, against the
    // pattern's own loader.
    covered.extend(
        rules::ALL
            .iter()
            .map(|rule| rule.code)
            .filter(|code| code.starts_with("PK08")),
    );
    let missing: Vec<&str> = rules::ALL
        .iter()
        .map(|rule| rule.code)
        .filter(|code| !covered.contains(code))
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}
