//! A plugin's `requirements.txt`, read as pip and uv read one: comments (`#` at the start of a
//! line or after whitespace), blank lines, `\` continuation lines, the options both accept, and
//! PEP 508 requirement lines (names, extras, versions, environment markers, `name @ URL`), which
//! `pep508_rs` (uv's parser) reads. `-r`/`-c` includes are followed inside the plugin only.
//!
//! The options are the ones pip's `req_file.py` accepts and uv's `uv-requirements-txt` reads
//! (uv warns about and skips `--pre`, `--prefer-binary`, `--require-hashes`, `--trusted-host`
//! and `--use-feature`): anything else makes `uv pip install -r` fail, so it is an error here
//! too, at its line and column, before an install would fail over it.

use std::collections::BTreeSet;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

use pep508_rs::{Requirement, VerbatimUrl};

use crate::findings::rules;
use crate::findings::{Finding, SourceFile};
use crate::plugin::tree::Tree;

/// The file a plugin's Python requirements are in, at its root (FBA's, and pip's convention).
pub(crate) const FILE: &str = "requirements.txt";

/// How deep `-r` includes may nest: far more than any real file needs.
const MAX_DEPTH: usize = 8;

/// Global options that take a value.
const VALUE_OPTIONS: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--no-binary",
    "--only-binary",
    "--trusted-host",
    "--use-feature",
];

/// Global options without a value.
const FLAG_OPTIONS: &[&str] = &["--no-index", "--pre", "--prefer-binary", "--require-hashes"];

/// Options that follow a requirement on its line (pip's per-requirement options).
const REQUIREMENT_OPTIONS: &[&str] = &["--hash", "--config-settings", "--global-option"];

/// One requirement of a plugin, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The file it is in, relative to the plugin's root.
    pub(crate) file: String,
    /// The line it starts on, from 1.
    pub(crate) line: usize,
    /// The requirement as written, without its comment and options (`-e PATH` for an editable).
    pub(crate) text: String,
    /// Its package name, normalized as PEP 503 says (`Foo_Bar` is `foo-bar`); `None` for a
    /// requirement written as a bare path or URL.
    pub(crate) name: Option<String>,
    /// From a `-c` file: limits a version without asking for the package.
    pub(crate) constraint: bool,
}

/// A plugin's requirements, read: what it asks for, its global option lines, and what is wrong.
#[derive(Debug, Default)]
pub(crate) struct Requirements {
    pub(crate) entries: Vec<Entry>,
    /// `--index-url`, `--find-links`... lines, as written.
    pub(crate) options: Vec<String>,
    pub(crate) findings: Vec<Finding>,
}

impl Requirements {
    /// Whether the plugin asks for any Python package.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.iter().all(|e| e.constraint)
    }
}

/// Read the `requirements.txt` of the plugin in `tree`; empty when it has none. A file that
/// cannot be read is a finding, as a malformed line is.
pub(crate) fn read(tree: &dyn Tree) -> Requirements {
    let mut out = Requirements::default();
    if !tree.exists(FILE) {
        return out;
    }
    let mut seen = BTreeSet::new();
    read_file(tree, FILE, false, 0, &mut seen, &mut out, None);
    out
}

/// Read the requirements file at `text` (the host's own, outside any plugin), shown as
/// `shown`; includes are not followed.
pub(crate) fn parse_text(shown: &str, text: &str) -> Requirements {
    let mut out = Requirements::default();
    let source = SourceFile::new(shown, Some(text.to_owned()));
    parse(
        None,
        shown,
        &source,
        text,
        false,
        0,
        &mut BTreeSet::new(),
        &mut out,
    );
    out
}

/// Where an include comes from, for an include that cannot be read.
struct IncludedAt {
    source: Arc<SourceFile>,
    span: Range<usize>,
}

fn read_file(
    tree: &dyn Tree,
    rel: &str,
    constraint: bool,
    depth: usize,
    seen: &mut BTreeSet<String>,
    out: &mut Requirements,
    included_at: Option<IncludedAt>,
) {
    if !seen.insert(rel.to_owned()) {
        // Read already (an include cycle, or a file included twice): pip reads it again and
        // again until it fails; once is what it means.
        return;
    }
    let shown = tree.display(rel);
    let text = match tree.read_text(rel) {
        Ok(Some(text)) => text,
        Ok(None) if included_at.is_none() => return,
        result => {
            let why = match result {
                Err(e) => e.to_string(),
                _ => "it does not exist".to_owned(),
            };
            let message = format!("cannot read {shown}: {why}");
            out.findings.push(match included_at {
                // The line that includes it is what is wrong.
                Some(at) => Finding::new(&rules::REQUIREMENTS_SYNTAX, message)
                    .help(format!(
                        "include a UTF-8 file that the plugin ships, by its path relative to {}",
                        at.source.path
                    ))
                    .in_file(&at.source, Some(at.span)),
                // A FIFO, a device, a file too large or not UTF-8: a file that cannot be read,
                // as any other of a plugin's.
                None => Finding::new(&rules::UNREADABLE, message)
                    .help("make requirements.txt a regular file of UTF-8 text")
                    .in_file(&SourceFile::new(shown, None), None),
            });
            return;
        }
    };
    let source = SourceFile::new(shown.clone(), Some(text.clone()));
    parse(
        Some(tree),
        rel,
        &source,
        &text,
        constraint,
        depth,
        seen,
        out,
    );
}

/// One logical line: its text (continuations joined, the comment cut), and for each piece of
/// it the offset in the file it came from.
struct Logical {
    text: String,
    /// `(offset in text, offset in the file)`, ascending.
    pieces: Vec<(usize, usize)>,
    line: usize,
}

impl Logical {
    /// The file's byte offset of `at` (an offset in the logical text).
    fn file_offset(&self, at: usize) -> usize {
        let (text_at, file_at) = self
            .pieces
            .iter()
            .rev()
            .find(|(t, _)| *t <= at)
            .copied()
            .unwrap_or((0, 0));
        file_at + (at - text_at)
    }

    fn span(&self, range: Range<usize>) -> Range<usize> {
        let start = self.file_offset(range.start);
        let end = self
            .file_offset(range.end.max(range.start + 1) - 1)
            .saturating_add(1)
            .max(start);
        start..end
    }
}

/// Split `text` into logical lines as pip does: a line ending in `\` goes on with the next, and
/// a `#` at the start or after whitespace starts a comment.
fn logical_lines(text: &str) -> Vec<Logical> {
    let mut out = Vec::new();
    let mut current: Option<Logical> = None;
    let mut offset = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let logical = current.get_or_insert_with(|| Logical {
            text: String::new(),
            pieces: Vec::new(),
            line: index + 1,
        });
        let (body, continues) = match line.strip_suffix('\\') {
            Some(body) => (body, true),
            None => (line, false),
        };
        logical.pieces.push((logical.text.len(), start));
        logical.text.push_str(body);
        if !continues {
            out.extend(current.take());
        }
    }
    out.extend(current);
    for logical in &mut out {
        let cut = comment_start(&logical.text);
        logical.text.truncate(cut);
    }
    out
}

/// Where a comment starts: `#` at the start of the line or after whitespace.
fn comment_start(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()))
        .map_or(text.len(), |(i, _)| i)
}

#[allow(clippy::too_many_arguments)] // one recursive walk; the arguments are its state
fn parse(
    tree: Option<&dyn Tree>,
    rel: &str,
    source: &Arc<SourceFile>,
    text: &str,
    constraint: bool,
    depth: usize,
    seen: &mut BTreeSet<String>,
    out: &mut Requirements,
) {
    for logical in logical_lines(text) {
        let body = logical.text.trim_end();
        let indent = body.len() - body.trim_start().len();
        let body = body.trim_start();
        if body.is_empty() {
            continue;
        }
        let error = |out: &mut Requirements, at: Range<usize>, message: String, help: &str| {
            let span = logical.span(at);
            out.findings.push(
                Finding::new(&rules::REQUIREMENTS_SYNTAX, message)
                    .help(help.to_owned())
                    .in_file(source, Some(span)),
            );
        };
        if body.starts_with('-') {
            let (option, value, value_at) = split_option(body);
            let value_at = indent + value_at;
            let option_at = indent..indent + option.len();
            match option {
                "-r" | "--requirement" | "-c" | "--constraint" => {
                    let Some(value) = value else {
                        error(
                            out,
                            option_at,
                            format!("`{option}` needs the path of a requirements file"),
                            "write it as `-r other.txt`",
                        );
                        continue;
                    };
                    let constraint =
                        constraint || option.starts_with("-c") || option == "--constraint";
                    let at = value_at..value_at + value.len();
                    let Some(tree) = tree else {
                        // The host's own file: its includes are its own business.
                        continue;
                    };
                    match include_path(rel, value) {
                        Some(_) if depth >= MAX_DEPTH => error(
                            out,
                            at,
                            format!("`{value}` is included more than {MAX_DEPTH} files deep"),
                            "include the files from requirements.txt itself",
                        ),
                        Some(path) => read_file(
                            tree,
                            &path,
                            constraint,
                            depth + 1,
                            seen,
                            out,
                            Some(IncludedAt {
                                source: Arc::clone(source),
                                span: logical.span(at),
                            }),
                        ),
                        None => error(
                            out,
                            at,
                            format!("`{value}` is not a file inside the plugin"),
                            "a plugin's requirements may include only files it ships, by a relative path that stays inside it",
                        ),
                    }
                }
                "-e" | "--editable" => match value {
                    Some(value) => out.entries.push(Entry {
                        file: rel.to_owned(),
                        line: logical.line,
                        text: format!("-e {value}"),
                        name: None,
                        constraint,
                    }),
                    None => error(
                        out,
                        option_at,
                        format!("`{option}` needs a path or a VCS URL"),
                        "write it as `-e ./path` or `-e git+https://...#egg=name`",
                    ),
                },
                option if VALUE_OPTIONS.contains(&option) => {
                    if value.is_none() {
                        error(
                            out,
                            option_at,
                            format!("`{option}` needs a value"),
                            "write it as `--option value` or `--option=value`",
                        );
                    } else {
                        out.options.push(body.to_owned());
                    }
                }
                option if FLAG_OPTIONS.contains(&option) => out.options.push(body.to_owned()),
                option => {
                    let known = VALUE_OPTIONS
                        .iter()
                        .chain(FLAG_OPTIONS)
                        .chain(REQUIREMENT_OPTIONS)
                        .chain(&[
                            "-r",
                            "--requirement",
                            "-c",
                            "--constraint",
                            "-e",
                            "--editable",
                        ]);
                    let help = match crate::util::suggest::closest(option, known.copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "pip and uv read -r, -c, -e, --index-url, --extra-index-url, --find-links, --no-index, --no-binary, --only-binary and --hash here; remove the line, or pass the option to the installer instead".to_owned(),
                    };
                    error(
                        out,
                        option_at,
                        format!("`{option}` is not an option of a requirements file"),
                        &help,
                    );
                }
            }
            continue;
        }
        // The requirement, then its own options (`--hash=...`) after whitespace.
        let (requirement, options_at) = match find_requirement_options(body) {
            Some(at) => (body[..at].trim_end(), Some(at)),
            None => (body, None),
        };
        if let Some(at) = options_at {
            let mut rest = &body[at..];
            let mut rest_at = at;
            while !rest.is_empty() {
                let (option, value, _) = split_option(rest);
                if !REQUIREMENT_OPTIONS.contains(&option) {
                    error(
                        out,
                        indent + rest_at..indent + rest_at + option.len(),
                        format!("`{option}` is not an option of a requirement line"),
                        "after a requirement, pip and uv read --hash, --config-settings and --global-option",
                    );
                    break;
                }
                if value.is_none() {
                    error(
                        out,
                        indent + rest_at..indent + rest_at + option.len(),
                        format!("`{option}` needs a value"),
                        "write it as `--hash=sha256:...`",
                    );
                    break;
                }
                // The option and its value, up to the next whitespace.
                let used = next_token_end(rest, option.len());
                let skipped = rest[used..].len() - rest[used..].trim_start().len();
                rest_at += used + skipped;
                rest = rest[used..].trim_start();
            }
        }
        let is_bare_path_or_url = requirement.starts_with(['.', '/', '~'])
            || requirement.split_once("://").is_some_and(|(scheme, _)| {
                scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            })
            || (!requirement.contains(['@', ' '])
                && [".whl", ".tar.gz", ".zip"]
                    .iter()
                    .any(|s| requirement.ends_with(s)));
        let name = if is_bare_path_or_url {
            None
        } else {
            match Requirement::<VerbatimUrl>::from_str(requirement) {
                Ok(parsed) => Some(parsed.name.to_string()),
                Err(e) => {
                    let start = indent + e.start.min(requirement.len());
                    let message = e.message.to_string();
                    error(
                        out,
                        start..start + e.len.max(1),
                        format!("`{requirement}` is not a valid requirement: {message}"),
                        "write a PEP 508 requirement, such as `requests>=2.31`, `name[extra]==1.0; python_version >= \"3.10\"` or `name @ https://...`",
                    );
                    continue;
                }
            }
        };
        out.entries.push(Entry {
            file: rel.to_owned(),
            line: logical.line,
            text: requirement.to_owned(),
            name,
            constraint,
        });
    }
}

/// Where a requirement's own options start: `--` after whitespace.
fn find_requirement_options(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    (1..bytes.len()).find(|&i| bytes[i - 1].is_ascii_whitespace() && body[i..].starts_with("--"))
}

/// The end of the option token starting `text` (whose name is `name_len` long) and its value.
fn next_token_end(text: &str, name_len: usize) -> usize {
    let after = &text[name_len..];
    let value_start = if let Some(rest) = after.strip_prefix('=') {
        name_len + 1 + (rest.len() - rest.trim_start().len())
    } else {
        name_len + (after.len() - after.trim_start().len())
    };
    let value = &text[value_start..];
    value_start + value.find(char::is_whitespace).unwrap_or(value.len())
}

/// An option line split into the option, its value (`--opt value`, `--opt=value`, or a short
/// option's attached `-rfile`) and where the value starts.
fn split_option(body: &str) -> (&str, Option<&str>, usize) {
    let name_end = body
        .find(|c: char| c == '=' || c.is_whitespace())
        .unwrap_or(body.len());
    let mut name = &body[..name_end];
    let mut value_at = name_end;
    // `-rfile.txt`: a short option with its value attached, as optparse reads it.
    if !name.starts_with("--") && name.len() > 2 {
        value_at = 2;
        name = &body[..2];
    } else if body[value_at..].starts_with('=') {
        value_at += 1;
    }
    let rest = &body[value_at..];
    let skipped = rest.len() - rest.trim_start().len();
    let value = rest.trim();
    let value = (!value.is_empty()).then_some(value);
    // Only the first word: `--hash=a --hash=b` is two options.
    let value = value.map(|v| {
        if REQUIREMENT_OPTIONS.contains(&name) {
            v.split_whitespace().next().unwrap_or(v)
        } else {
            v
        }
    });
    (name, value, value_at + skipped)
}

/// The path of a file `value` includes from the file `from` (both relative to the plugin's
/// root), or `None` when it would leave the plugin (absolute, a URL, or too many `..`).
fn include_path(from: &str, value: &str) -> Option<String> {
    let value = value.trim_matches(['"', '\'']);
    if value.starts_with('/') || value.contains("://") || value.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in value.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::position_at;

    fn parse_one(text: &str) -> Requirements {
        parse_text("requirements.txt", text)
    }

    #[test]
    fn lines_comments_continuations_options_and_markers() {
        let text = "# pinned\nrequests==2.32.3  # why\n\nflask>=3 ; python_version >= \"3.9\"\n\
                    Foo_Bar[extra] \\\n  >=1.0\n--index-url https://example.com/simple\n\
                    pkg==1.0 --hash=sha256:abc --hash sha256:def\nname @ https://example.com/x.whl\n\
                    ./local/pkg\n-e ./other\n--no-index\n";
        let read = parse_one(text);
        assert!(read.findings.is_empty(), "{:?}", read.findings);
        let got: Vec<(usize, &str, Option<&str>)> = read
            .entries
            .iter()
            .map(|e| (e.line, e.text.as_str(), e.name.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "requests==2.32.3", Some("requests")),
                (4, "flask>=3 ; python_version >= \"3.9\"", Some("flask")),
                (5, "Foo_Bar[extra]   >=1.0", Some("foo-bar")),
                (8, "pkg==1.0", Some("pkg")),
                (9, "name @ https://example.com/x.whl", Some("name")),
                (10, "./local/pkg", None),
                (11, "-e ./other", None),
            ]
        );
        assert_eq!(
            read.options,
            vec!["--index-url https://example.com/simple", "--no-index"]
        );
    }

    #[test]
    fn a_malformed_line_is_an_error_at_its_line_and_column() {
        let text = "flask>=3\nrequests==2.*.3\n";
        let read = parse_one(text);
        assert_eq!(read.findings.len(), 1, "{:?}", read.findings);
        let finding = &read.findings[0];
        let span = finding.location.as_ref().unwrap().span.clone().unwrap();
        let at = position_at(text, span.start);
        assert_eq!((at.line, at.column), (2, 9), "{}", finding.message);
        // An unknown option, and a malformed line after a continuation.
        let read = parse_one("--trusted-hosts x\nok \\\n  ==1.0 ; nope\n");
        assert_eq!(read.findings.len(), 2, "{:?}", read.findings);
        let text = "--trusted-hosts x\nok \\\n  ==1.0 ; nope\n";
        let spans: Vec<(usize, usize)> = read
            .findings
            .iter()
            .map(|f| {
                let at = position_at(
                    text,
                    f.location.as_ref().unwrap().span.clone().unwrap().start,
                );
                (at.line, at.column)
            })
            .collect();
        assert_eq!(spans[0], (1, 1));
        assert_eq!(spans[1].0, 3, "{:?}", read.findings[1].message);
        assert_eq!(
            read.findings[0].help.as_deref(),
            Some("did you mean `--trusted-host`?")
        );
    }

    /// requirements.txt is looked for before it is read: what is there and cannot be read as a
    /// file is still a finding, and what is not a file (a folder, a link to nothing) is absent.
    #[cfg(unix)]
    #[test]
    fn a_requirements_file_that_is_no_regular_file_is_judged_as_before() {
        use crate::plugin::tree::DirTree;
        let findings_of = |setup: &dyn Fn(&std::path::Path)| {
            let dir = tempfile::tempdir().unwrap();
            setup(dir.path());
            let tree = DirTree::new(dir.path().to_path_buf(), "plugins/hello".into());
            read(&tree)
                .findings
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
        };
        assert!(findings_of(&|_| {}).is_empty());
        assert!(findings_of(&|d| std::fs::create_dir(d.join(FILE)).unwrap()).is_empty());
        assert!(
            findings_of(&|d| std::os::unix::fs::symlink("gone.txt", d.join(FILE)).unwrap())
                .is_empty()
        );
        let device =
            findings_of(&|d| std::os::unix::fs::symlink("/dev/zero", d.join(FILE)).unwrap());
        assert!(
            device.len() == 1 && device[0].contains("a device"),
            "{device:?}"
        );
        let fifo = findings_of(&|d| {
            let made = std::process::Command::new("mkfifo")
                .arg(d.join(FILE))
                .status()
                .unwrap();
            assert!(made.success());
        });
        assert!(
            fifo.len() == 1 && fifo[0].contains("named pipe"),
            "{fifo:?}"
        );
        let malformed =
            findings_of(&|d| std::fs::write(d.join(FILE), "flask>=3\n==1.0\n").unwrap());
        assert_eq!(malformed.len(), 1, "{malformed:?}");
    }

    #[test]
    fn includes_stay_inside_the_plugin() {
        assert_eq!(
            include_path("requirements.txt", "base.txt").as_deref(),
            Some("base.txt")
        );
        assert_eq!(
            include_path("req/a.txt", "../b.txt").as_deref(),
            Some("b.txt")
        );
        assert_eq!(include_path("requirements.txt", "../x.txt"), None);
        assert_eq!(include_path("requirements.txt", "/etc/passwd"), None);
        assert_eq!(include_path("requirements.txt", "https://x/y.txt"), None);
    }
}
