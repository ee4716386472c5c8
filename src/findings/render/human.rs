//! Findings for people: rustc-style, with the offending line and a caret under the exact span;
//! one finding ([`render`]), a list of them ([`render_list`]), and the closing summary line.

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::findings::rules::Severity;
use crate::findings::{Finding, Tally, position_at};

/// Render one finding as a multi-line block (no trailing newline).
pub fn render(finding: &Finding, color: bool) -> String {
    let level = match finding.severity() {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .primary_title(finding.message.as_str())
        .id(finding.rule.code);
    let mut group = Group::with_title(title);
    if let Some(location) = &finding.location {
        let path = location.source.path.as_str();
        match (location.source.text.as_deref(), location.span.clone()) {
            (Some(text), Some(span)) => {
                let (excerpt, line_start, local) = excerpt(text, span);
                let mut annotation = AnnotationKind::Primary.span(local);
                if let Some(label) = &finding.label {
                    annotation = annotation.label(label.as_str());
                }
                group = group.element(
                    Snippet::source(excerpt)
                        .path(path)
                        .line_start(line_start)
                        .annotation(annotation),
                );
            }
            _ => group = group.element(Origin::path(path)),
        }
    }
    let mut report = vec![group];
    if let Some(help) = &finding.help {
        report.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&report)
}

/// A list of findings as every command draws them, on stdout (`validate`) or stderr (the
/// others): each as [`render`] draws it, followed by an empty line.
pub(crate) fn render_list<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    color: bool,
) -> String {
    findings
        .into_iter()
        .map(|finding| format!("{}\n\n", render(finding, color)))
        .collect()
}

/// The whole lines of `text` that `span` touches, the number of the first, and the span
/// relative to them. Drawing only these keeps large files cheap to report on.
fn excerpt(text: &str, span: std::ops::Range<usize>) -> (&str, usize, std::ops::Range<usize>) {
    let clamp = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = clamp(span.start);
    let end = clamp(span.end.max(start));
    let first = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let last = text[end..].find('\n').map_or(text.len(), |i| end + i);
    (
        &text[first..last],
        position_at(text, first).line,
        start - first..end - first,
    )
}

/// The closing line: `3 plugins checked: 2 errors, 1 warning`.
pub(crate) fn summary(checked: usize, tally: Tally) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{} checked: {}, {}",
        plural(checked, "plugin"),
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::SourceFile;
    use crate::findings::rules;

    #[test]
    fn caret_sits_under_the_span() {
        let source = SourceFile::new(
            "plugins/hello/plugin.toml",
            Some("[plugin]\nname = \"hello\"\nversion = \"1.0\"\n".into()),
        );
        let finding = crate::findings::Finding::new(&rules::INVALID_VERSION, "bad version")
            .label("not MAJOR.MINOR.PATCH")
            .help("write 1.0.0")
            .in_file(&source, Some(34..39));
        let text = render(&finding, false);
        assert!(text.contains("error[PK0203]: bad version"), "{text}");
        assert!(
            text.contains("--> plugins/hello/plugin.toml:3:11"),
            "{text}"
        );
        assert!(text.contains("3 | version = \"1.0\""), "{text}");
        assert!(text.contains("^^^^^ not MAJOR.MINOR.PATCH"), "{text}");
        assert!(text.contains("help: write 1.0.0"), "{text}");
    }

    #[test]
    fn excerpt_is_clamped() {
        let (text, line, span) = excerpt("a\nbé\nc", 3..999);
        assert_eq!((text, line), ("bé\nc", 2));
        assert_eq!(span, 1..5);
    }
}
