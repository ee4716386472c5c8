//! Findings: what `validate` reports and what every other command shows when a manifest is
//! broken. A finding knows its rule, its file and the byte span in that file, so each output
//! format (human, JSON, GitHub annotations, SARIF) can place it exactly.
//!
//! The rule catalogue is in [`rules`], what one `validate` run found in [`report`], and the
//! formats in [`render`]. This folder imports nothing of pluginkit's but itself.

pub mod render;
pub mod report;
pub mod rules;

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use rules::{Rule, Severity};

/// A file that findings point into: its path as the user should see it and, when it was read,
/// its text (needed to turn byte spans into lines and columns and to draw snippets).
#[derive(Debug)]
pub(crate) struct SourceFile {
    pub(crate) path: String,
    pub(crate) text: Option<String>,
}

impl SourceFile {
    pub(crate) fn new(path: impl Into<String>, text: Option<String>) -> Arc<Self> {
        Arc::new(SourceFile {
            path: path.into(),
            text,
        })
    }
}

/// A one-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// Where a finding points: a file, and the span in it when there is one.
#[derive(Debug, Clone)]
pub struct Location {
    pub(crate) source: Arc<SourceFile>,
    pub(crate) span: Option<Range<usize>>,
}

impl Location {
    pub(crate) fn file(source: &Arc<SourceFile>) -> Self {
        Location {
            source: Arc::clone(source),
            span: None,
        }
    }

    pub(crate) fn span(source: &Arc<SourceFile>, span: Option<Range<usize>>) -> Self {
        Location {
            source: Arc::clone(source),
            span,
        }
    }

    /// Start and end positions of the span, when the span and the text are known.
    pub fn positions(&self) -> Option<(Position, Position)> {
        let text = self.source.text.as_deref()?;
        let span = self.span.clone()?;
        Some((position_at(text, span.start), position_at(text, span.end)))
    }
}

/// The line and column of a byte offset (clamped to the text, and to a char boundary).
pub(crate) fn position_at(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// One problem found in a plugin.
#[derive(Debug, Clone)]
pub struct Finding {
    pub(crate) rule: &'static Rule,
    pub(crate) message: String,
    /// What would fix it, when that is more than the message already says.
    pub(crate) help: Option<String>,
    /// A short label drawn under the span in human output.
    pub(crate) label: Option<String>,
    pub location: Option<Location>,
    /// The plugin it belongs to (its folder name), when there is one.
    pub(crate) plugin: Option<String>,
    /// The severity, when it is not the rule's: a host that only warns where a later version
    /// of it fails (FBA 1.13.0 warns about a missing `tags`, 1.13.2 refuses it). The rule's
    /// severity is what the newest host does.
    pub(crate) severity: Option<Severity>,
}

impl Finding {
    pub(crate) fn new(rule: &'static Rule, message: impl Into<String>) -> Self {
        Finding {
            rule,
            message: message.into(),
            help: None,
            label: None,
            location: None,
            plugin: None,
            severity: None,
        }
    }

    pub(crate) fn severity(&self) -> Severity {
        self.severity.unwrap_or(self.rule.severity)
    }

    /// Give this finding `severity` instead of its rule's (see [`Finding::severity`]'s field).
    pub(crate) fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub(crate) fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub(crate) fn in_file(self, source: &Arc<SourceFile>, span: Option<Range<usize>>) -> Self {
        self.at(Location::span(source, span))
    }

    pub(crate) fn plugin(mut self, plugin: impl Into<String>) -> Self {
        self.plugin = Some(plugin.into());
        self
    }

    /// The file path, when the finding has one.
    pub(crate) fn path(&self) -> Option<&str> {
        self.location.as_ref().map(|l| l.source.path.as_str())
    }
}

/// Order one plugin's findings by file and position, the order a reader scans them in.
pub(crate) fn sort_by_place(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.place().cmp(&b.place()));
}

impl Finding {
    /// Where it is, to order findings by: the file, then the position in it.
    pub(crate) fn place(&self) -> (Option<&str>, Option<usize>) {
        (
            self.path(),
            self.location
                .as_ref()
                .and_then(|l| l.span.as_ref().map(|s| s.start)),
        )
    }
}

/// Counts of findings by severity.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub(crate) struct Tally {
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
}

impl Tally {
    pub(crate) fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut tally = Tally::default();
        for finding in findings {
            match finding.severity() {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
            }
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_chars() {
        let text = "a = 1\nname = \"é\"\n";
        assert_eq!(position_at(text, 0), Position { line: 1, column: 1 });
        assert_eq!(position_at(text, 6), Position { line: 2, column: 1 });
        // the byte after `é` is column 10 in chars, 11 in bytes
        let after = text.find('é').unwrap() + 'é'.len_utf8();
        assert_eq!(
            position_at(text, after),
            Position {
                line: 2,
                column: 10
            }
        );
        // offsets past the end and inside a char are clamped
        assert_eq!(position_at(text, 999).line, 3);
        assert_eq!(position_at(text, after - 1).column, 9);
    }
}
