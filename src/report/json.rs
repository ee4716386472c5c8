//! Findings as JSON. The shape is part of pluginkit's interface (documented in README.md,
//! "JSON output"); fields are only ever added.

use serde::Serialize;

use crate::diagnostic::{Finding, Severity, Tally};
use crate::report::Report;

/// The version of the JSON shape.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    pub help: Option<&'a str>,
    pub plugin: Option<&'a str>,
    pub file: Option<&'a str>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(finding: &'a Finding) -> Self {
        let positions = finding.location.as_ref().and_then(|l| l.positions());
        JsonFinding {
            code: finding.rule.code,
            rule: finding.rule.name,
            severity: finding.severity(),
            message: &finding.message,
            help: finding.help.as_deref(),
            plugin: finding.plugin.as_deref(),
            file: finding.path(),
            line: positions.map(|(start, _)| start.line),
            column: positions.map(|(start, _)| start.column),
            end_line: positions.map(|(_, end)| end.line),
            end_column: positions.map(|(_, end)| end.column),
        }
    }
}

#[derive(Debug, Serialize)]
struct Summary {
    checked: usize,
    errors: usize,
    warnings: usize,
    passed: bool,
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

pub fn render(report: &Report) -> String {
    let Tally { errors, warnings } = report.tally();
    let json = JsonReport {
        version: FORMAT_VERSION,
        findings: report.findings.iter().map(JsonFinding::from).collect(),
        summary: Summary {
            checked: report.checked,
            errors,
            warnings,
            passed: !report.failed(),
        },
    };
    serde_json::to_string_pretty(&json).expect("findings always serialise")
}
