//! Findings as GitHub Actions workflow commands (`::error file=...,line=...::message`), which
//! GitHub shows as annotations on the pull request's files. GitHub finds the file by its path
//! from the repository's root, so paths are made relative to the [`SourceRoot`].

use crate::findings::Finding;
use crate::findings::render::root::SourceRoot;
use crate::findings::rules::Severity;

/// Escape a command's message (per GitHub's runner: `%`, CR and LF).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (additionally `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The annotation of a run that could not start: one `::error` line, titled so.
pub fn failed(message: &str) -> String {
    format!(
        "::error title={}::{}\n",
        escape_property("pluginkit could not run"),
        escape_data(message)
    )
}

/// One annotation line per finding, its file relative to `root`.
pub fn render(findings: &[Finding], root: &SourceRoot) -> String {
    let mut out = String::new();
    for finding in findings {
        let command = match finding.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(location) = &finding.location {
            properties.push(format!(
                "file={}",
                escape_property(&root.relative(&location.source.path))
            ));
            if let Some((start, end)) = location.positions() {
                properties.push(format!("line={}", start.line));
                properties.push(format!("col={}", start.column));
                properties.push(format!("endLine={}", end.line));
                if end.line == start.line {
                    properties.push(format!("endColumn={}", end.column));
                }
            }
        }
        // The title GitHub shows above the message: the rule's code and name.
        properties.push(format!(
            "title={}",
            escape_property(&format!("{} {}", finding.rule.code, finding.rule.name))
        ));
        let mut message = finding.message.clone();
        if let Some(help) = &finding.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_runner() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
