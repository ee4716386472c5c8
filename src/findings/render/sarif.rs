//! Findings as SARIF 2.1.0, the format GitHub code scanning (and most CI dashboards) ingest.
//! Every rule is listed in the tool's driver so a result's `ruleIndex` and the rule's help are
//! available to the viewer; columns count Unicode code points. Paths are relative to the
//! [`SourceRoot`] (the repository), which `%SRCROOT%` names, so code scanning attaches each
//! result to its file.

use std::path::Path;

use serde_json::{Value, json};

use crate::findings::Finding;
use crate::findings::render::root::SourceRoot;
use crate::findings::report::Report;
use crate::findings::rules;
use crate::findings::rules::{Rule, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// Where pluginkit is documented: its repository (Cargo.toml's `repository`), whose README has
/// an anchor per rule.
const HOME: &str = env!("CARGO_PKG_REPOSITORY");

/// The README's anchor for `rule`, its row in the rules table.
pub fn help_uri(rule: &Rule) -> String {
    format!("{HOME}#{}", rule.code.to_ascii_lowercase())
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Percent-encode a path for a URI, keeping `/` and the characters RFC 3986 allows in a path.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A `file://` URI for an absolute path (`/x` or `C:\x`).
fn file_uri(path: &str) -> String {
    // Windows' canonical paths are verbatim (`\\?\C:\x`); a URI has the plain form.
    let path = path
        .strip_prefix(r"\\?\")
        .unwrap_or(path)
        .replace('\\', "/");
    let slash = if path.starts_with('/') { "" } else { "/" };
    format!("file://{slash}{}", encode_path(&path))
}

/// A finding's file: relative to `%SRCROOT%`, or a `file://` URI when it lies outside.
fn artifact(path: &str, root: &SourceRoot) -> Value {
    let path = root.relative(path);
    if Path::new(&path).is_absolute() {
        json!({ "uri": file_uri(&path) })
    } else {
        json!({ "uri": encode_path(&path), "uriBaseId": SRCROOT })
    }
}

fn result(finding: &Finding, rule_index: usize, root: &SourceRoot) -> Value {
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": finding.rule.code,
        "ruleIndex": rule_index,
        "level": level(finding.severity()),
        "message": { "text": text },
    });
    if let Some(location) = &finding.location {
        let mut physical = json!({ "artifactLocation": artifact(&location.source.path, root) });
        if let Some((start, end)) = location.positions() {
            physical["region"] = json!({
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            });
        }
        result["locations"] = json!([{ "physicalLocation": physical }]);
    }
    result
}

/// The SARIF log for a report (printed by the JSON gateway), its paths relative to `root`.
pub fn render(report: &Report, root: &SourceRoot) -> Value {
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|finding| indexed_result(finding, root))
        .collect();
    log(results, None, root)
}

/// The SARIF log of a run that could not start (exit code `exit_code`): the configuration
/// finding that stopped it as a result, when there is one, and the failure as a tool execution
/// notification, so a dashboard shows a broken run, not a clean one.
pub fn failed(
    finding: Option<&Finding>,
    message: &str,
    exit_code: i32,
    root: &SourceRoot,
) -> Value {
    let results: Vec<Value> = finding
        .into_iter()
        .map(|finding| indexed_result(finding, root))
        .collect();
    let invocation = json!({
        "executionSuccessful": false,
        "exitCode": exit_code,
        "toolExecutionNotifications": [{
            "level": "error",
            "message": { "text": message },
        }],
    });
    log(results, Some(invocation), root)
}

fn indexed_result(finding: &Finding, root: &SourceRoot) -> Value {
    let index = rules::ALL
        .iter()
        .position(|rule| rule.code == finding.rule.code)
        .unwrap_or(0);
    result(finding, index, root)
}

fn log(results: Vec<Value>, invocation: Option<Value>, root: &SourceRoot) -> Value {
    let rules: Vec<Value> = rules::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "helpUri": help_uri(rule),
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "tags": ["pluginkit"] },
            })
        })
        .collect();
    let mut base_uri = file_uri(root.path().to_string_lossy().trim_end_matches(['/', '\\']));
    if !base_uri.ends_with('/') {
        base_uri.push('/');
    }
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "pluginkit",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": HOME,
                "rules": rules,
            }
        },
        "originalUriBaseIds": { SRCROOT: { "uri": base_uri } },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(invocation) = invocation {
        run["invocations"] = json!([invocation]);
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        assert_eq!(
            encode_path("plugins/my plugin/plugin.toml"),
            "plugins/my%20plugin/plugin.toml"
        );
        assert_eq!(encode_path("a/通知"), "a/%E9%80%9A%E7%9F%A5");
        assert_eq!(file_uri("/abs/x"), "file:///abs/x");
        assert_eq!(file_uri("C:\\abs\\x y"), "file:///C:/abs/x%20y");
        assert_eq!(
            help_uri(&rules::TOML_SYNTAX),
            "https://github.com/pluginkit/pluginkit#pk0101"
        );
    }
}
