//! Decoding a Python source as Python does: a UTF-8 BOM, or a PEP 263 `coding` line in the
//! first two lines.

use std::ops::Range;

/// Why a source could not be decoded, and where.
#[derive(Debug, Clone)]
pub(crate) struct DecodeError {
    pub(crate) message: String,
    pub(crate) span: Option<Range<usize>>,
}

/// Decode a Python source file. The result never holds the BOM. On failure the text is still
/// returned (decoded lossily) so findings can point into it.
pub(crate) fn decode(bytes: &[u8]) -> (String, Option<DecodeError>) {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return utf8(rest);
    }
    let Some((label, span)) = declared_encoding(bytes) else {
        return utf8(bytes);
    };
    let normal = label.to_ascii_lowercase().replace('_', "-");
    if matches!(normal.as_str(), "utf-8" | "utf8" | "utf-8-sig") {
        return utf8(bytes);
    }
    // Python's latin-1 is ISO-8859-1 proper; WHATWG maps that label to windows-1252, which
    // differs only in 0x80-0x9F, where ISO-8859-1 has control characters.
    if matches!(
        normal.as_str(),
        "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1"
    ) {
        return (bytes.iter().map(|&b| b as char).collect(), None);
    }
    let Some(encoding) = encoding_rs::Encoding::for_label(normal.as_bytes()) else {
        let (text, _) = utf8(bytes);
        return (
            text,
            Some(DecodeError {
                message: format!(
                    "the file declares the encoding `{label}`, which Python does not know"
                ),
                span: Some(span),
            }),
        );
    };
    let (text, _, had_errors) = encoding.decode(bytes);
    let error = had_errors.then(|| DecodeError {
        message: format!("the file is not valid {label}, the encoding it declares"),
        span: Some(span.clone()),
    });
    (text.into_owned(), error)
}

fn utf8(bytes: &[u8]) -> (String, Option<DecodeError>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(e) => {
            let at = e.valid_up_to();
            (
                String::from_utf8_lossy(bytes).into_owned(),
                Some(DecodeError {
                    message: format!(
                        "the file is not valid UTF-8 (byte {at}), and declares no other encoding"
                    ),
                    span: Some(at..at + 1),
                }),
            )
        }
    }
}

/// The PEP 263 declaration: `# -*- coding: NAME -*-` or `# vim: set fileencoding=NAME :` on
/// the first line, or on the second when the first is a comment or blank. Returns the name and
/// its byte span.
fn declared_encoding(bytes: &[u8]) -> Option<(String, Range<usize>)> {
    let mut start = 0;
    for line_number in 0..2 {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        let trimmed = line
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\x0c'))
            .map_or(&line[line.len()..], |i| &line[i..]);
        if trimmed.first() == Some(&b'#') {
            if let Some((name, offset)) = coding_in_comment(line) {
                return Some((
                    name,
                    start + offset..start + offset + name_len(line, offset),
                ));
            }
        } else if !trimmed.iter().all(|b| b.is_ascii_whitespace()) || line_number == 1 {
            // A first line with code ends the search; PEP 263 only looks at two lines.
            return None;
        }
        if end >= bytes.len() {
            return None;
        }
        start = end + 1;
    }
    None
}

/// `coding[:=]\s*([-\w.]+)` inside a comment line: the name and its offset in the line.
fn coding_in_comment(line: &[u8]) -> Option<(String, usize)> {
    let text = std::str::from_utf8(line).ok()?;
    let mut from = 0;
    while let Some(found) = text[from..].find("coding") {
        let after = from + found + "coding".len();
        let rest = &text[after..];
        if let Some(value) = rest.strip_prefix([':', '=']) {
            let skipped = value.len() - value.trim_start_matches([' ', '\t']).len();
            let offset = after + 1 + skipped;
            let name: String = text[offset..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            if !name.is_empty() {
                return Some((name, offset));
            }
        }
        from = after;
    }
    None
}

fn name_len(line: &[u8], offset: usize) -> usize {
    line[offset..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_as_python_does() {
        assert_eq!(decode(b"\xef\xbb\xbfx = 1").0, "x = 1");
        let (text, error) = decode(b"# -*- coding: latin-1 -*-\nx = '\xe9'\n");
        assert!(error.is_none());
        assert!(text.contains("'é'"));
        let (text, error) =
            decode(b"#!/usr/bin/env python\n# vim: set fileencoding=gbk :\nx = '\xc4\xe3'\n");
        assert!(error.is_none(), "{error:?}");
        assert!(text.contains("'你'"));
        let (_, error) = decode(b"# coding: klingon\nx = 1\n");
        assert!(error.unwrap().message.contains("klingon"));
        let (_, error) = decode(b"x = 1\n# coding: latin-1\n\xe9");
        assert!(error.is_some(), "a declaration after code does not count");
        let (_, error) = decode(b"x = '\xe9'");
        assert!(error.unwrap().message.contains("not valid UTF-8"));
    }
}
