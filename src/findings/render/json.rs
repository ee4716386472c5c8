//! Findings as JSON documents (printed by the output's JSON gateway). The shape is part of
//! pluginkit's interface (documented in README.md, "JSON output"); fields are only ever added.

use serde::Serialize;

use crate::findings::report::Report;
use crate::findings::rules::Severity;
use crate::findings::{Finding, Tally};

#[derive(Debug, Serialize)]
pub(crate) struct JsonFinding<'a> {
    pub(crate) code: &'static str,
    pub(crate) rule: &'static str,
    pub(crate) severity: Severity,
    pub(crate) message: &'a str,
    pub(crate) help: Option<&'a str>,
    pub(crate) plugin: Option<&'a str>,
    pub(crate) file: Option<&'a str>,
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
    pub(crate) end_line: Option<usize>,
    pub(crate) end_column: Option<usize>,
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

/// What `validate --format json` prints (the JSON output adds `version`).
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

pub fn render(report: &Report) -> JsonReport<'_> {
    let Tally { errors, warnings } = report.tally();
    JsonReport {
        findings: report.findings.iter().map(JsonFinding::from).collect(),
        summary: Summary {
            checked: report.checked,
            errors,
            warnings,
            passed: !report.failed(),
        },
    }
}
