//! Findings as SARIF 2.1.0, the format GitHub code scanning (and most CI dashboards) ingest.
//! Every rule is listed in the tool's driver so a result's `ruleIndex` and the rule's help are
//! available to the viewer; columns count Unicode code points.

use std::path::Path;

use serde_json::{Value, json};

use crate::findings::Finding;
use crate::findings::report::Report;
use crate::findings::rules;
use crate::findings::rules::Severity;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

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

fn artifact(path: &str) -> Value {
    if Path::new(path).is_absolute() {
        json!({ "uri": format!("file://{}", encode_path(path)) })
    } else {
        json!({ "uri": encode_path(path), "uriBaseId": SRCROOT })
    }
}

fn result(finding: &Finding, rule_index: usize) -> Value {
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
        let mut physical = json!({ "artifactLocation": artifact(&location.source.path) });
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

/// The SARIF log for a report (printed by the JSON gateway); relative paths are resolved against
/// `base` (the working folder).
pub fn render(report: &Report, base: &Path) -> Value {
    let results: Vec<Value> = report.findings.iter().map(indexed_result).collect();
    log(results, None, base)
}

/// The SARIF log of a run that could not start (exit code `exit_code`): the configuration
/// finding that stopped it as a result, when there is one, and the failure as a tool execution
/// notification, so a dashboard shows a broken run, not a clean one.
pub fn failed(finding: Option<&Finding>, message: &str, exit_code: i32, base: &Path) -> Value {
    let results: Vec<Value> = finding.into_iter().map(indexed_result).collect();
    let invocation = json!({
        "executionSuccessful": false,
        "exitCode": exit_code,
        "toolExecutionNotifications": [{
            "level": "error",
            "message": { "text": message },
        }],
    });
    log(results, Some(invocation), base)
}

fn indexed_result(finding: &Finding) -> Value {
    let index = rules::ALL
        .iter()
        .position(|rule| rule.code == finding.rule.code)
        .unwrap_or(0);
    result(finding, index)
}

fn log(results: Vec<Value>, invocation: Option<Value>, base: &Path) -> Value {
    let rules: Vec<Value> = rules::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "tags": ["pluginkit"] },
            })
        })
        .collect();
    let base_uri = format!(
        "file://{}/",
        encode_path(base.to_string_lossy().trim_end_matches('/'))
    );
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "pluginkit",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
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
        assert_eq!(artifact("/abs/x")["uri"], "file:///abs/x");
    }
}
