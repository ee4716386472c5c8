//! Python sources read without running Python: decoding as Python does (a UTF-8 BOM, or a
//! PEP 263 `coding` line in the first two lines), parsing with ruff's parser, and collecting what
//! the module's top level binds to each name. Only literals are read as values (and module-level
//! names bound once to one); anything Python would have to run to know (an f-string, a call, a
//! name imported from elsewhere, an assignment inside an `if`) is recorded as such, never
//! guessed. The grammar is that of the Python the host runs ([`syntax_for`]): ruff's parser reads
//! the newest, in which `except A, B:` is valid, while every Python 3 before 3.14 refuses it.

use std::collections::HashMap;
use std::ops::Range;

use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::plugin::host::PythonVersion;

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

/// A syntax error: what and where.
#[derive(Debug, Clone)]
pub(crate) struct SyntaxError {
    pub(crate) message: String,
    pub(crate) span: Range<usize>,
    /// Whether the source nests deeper than pluginkit parses ([`MAX_NESTING`], [`MAX_CHAIN`])
    /// rather than being invalid Python.
    pub(crate) too_deep: bool,
    /// What would fix it, when pluginkit knows better than "fix the syntax" (a Python 2 form).
    pub(crate) help: Option<String>,
}

/// The oldest grammar a module is parsed for first: a module that uses nothing newer (most do)
/// is valid on every Python 3 a host runs, and is parsed once; one that does is parsed again for
/// the host's own Python by [`syntax_for`].
const OLDEST: ruff_python_ast::PythonVersion = ruff_python_ast::PythonVersion::PY37;

/// Parse a module; one that nests deeper than pluginkit reads (see [`nesting`]) is refused
/// before the parser sees it. The grammar is the newest Python's: what an older Python refuses
/// is [`syntax_for`]'s to say.
// The readers parse through `ManifestText::parse_python` (`parse_checked`); this plain form is
// for code that reads other Python files of a plugin.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn parse(text: &str) -> Result<ModModule, SyntaxError> {
    parse_checked(text).0
}

/// [`parse`], and whether the module uses syntax that some Python 3 refuses (newer than 3.7, or
/// Python 2's `except X, e:`, which only 3.14 accepts, with another meaning): only then does
/// [`syntax_for`] need to parse it again.
pub(crate) fn parse_checked(text: &str) -> (Result<ModModule, SyntaxError>, bool) {
    if let Some(error) = too_deep(text) {
        return (Err(error), false);
    }
    let options = ruff_python_parser::ParseOptions::from(ruff_python_parser::Mode::Module)
        .with_target_version(OLDEST);
    let parsed = ruff_python_parser::parse_unchecked(text, options);
    let newer = !parsed.unsupported_syntax_errors().is_empty();
    if let Some(error) = parsed.errors().first() {
        let span = span(error.location);
        let (message, help) = match python2_form(text, &span, &error.error.to_string()) {
            Some((what, fix)) => (
                format!("{what}; Python 3 raises SyntaxError on it"),
                Some(fix),
            ),
            None => (error.error.to_string(), None),
        };
        return (
            Err(SyntaxError {
                message,
                span,
                too_deep: false,
                help,
            }),
            false,
        );
    }
    // Mode::Module always gives a module.
    match parsed.try_into_module() {
        Some(parsed) => (Ok(parsed.into_syntax()), newer),
        None => (
            Err(SyntaxError {
                message: "the parser did not read it as a module".into(),
                span: 0..0,
                too_deep: false,
                help: None,
            }),
            false,
        ),
    }
}

/// The first construct of `text` that `python` does not have, as the SyntaxError that Python
/// raises when it imports the module: `except X, e:` on every Python before 3.14, `match` before
/// 3.10, a PEP 701 f-string before 3.12, ... `text` must parse (see [`parse`]).
pub(crate) fn syntax_for(text: &str, python: PythonVersion) -> Option<SyntaxError> {
    let target = ruff_python_ast::PythonVersion {
        major: python.major,
        minor: python.minor,
    };
    let options = ruff_python_parser::ParseOptions::from(ruff_python_parser::Mode::Module)
        .with_target_version(target);
    let parsed = ruff_python_parser::parse_unchecked(text, options);
    let error = parsed.unsupported_syntax_errors().first()?;
    let span = span(error.range);
    let python2 = matches!(
        error.kind,
        ruff_python_parser::UnsupportedSyntaxErrorKind::UnparenthesizedExceptionTypes
    );
    let (message, help) = if python2 {
        let clause = text[span.clone()].trim();
        (
            format!(
                "`except {clause}:` is Python 2 syntax; Python {python} raises SyntaxError on it \
                 (multiple exception types must be parenthesized; Python 3.14 accepts it, as the \
                 tuple `except ({clause}):`, which binds no name)"
            ),
            match clause.split_once(',') {
                Some((types, name)) if is_identifier(name.trim()) => format!(
                    "write `except {} as {}:` to bind the exception, or `except ({clause}):` to catch both",
                    types.trim(),
                    name.trim()
                ),
                _ => format!("parenthesize the exception types: `except ({clause}):`"),
            },
        )
    } else {
        (
            format!(
                "Python {python} raises SyntaxError here: {}",
                error.to_string().replace(" on Python ", ", as on Python ")
            ),
            format!(
                "write it the way Python {python} accepts, or set [host] python to the newer Python the host runs"
            ),
        )
    };
    Some(SyntaxError {
        message,
        span,
        too_deep: false,
        help: Some(help),
    })
}

/// The Python 2 construct at a parse error, if that is what it is: what it is, and the Python 3
/// way to write it. Ruff's messages for these ("Simple statements must be separated by newlines
/// or semicolons") do not say; CPython's only sometimes do.
fn python2_form(text: &str, span: &Range<usize>, message: &str) -> Option<(String, String)> {
    let at = span.start.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let statement = line.trim_start();
    let word: String = statement
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let rest = statement[word.len()..].trim_start();
    let here = &text[at..line_end];
    let before = &text[line_start..at];
    if matches!(word.as_str(), "print" | "exec")
        && !rest.starts_with(['(', '=', '.', '[', ')', ',', ':'])
        && !rest.is_empty()
    {
        // `exec code in ns` is `exec(code, ns)`.
        let arguments = match word.as_str() {
            "exec" => rest.trim_end().replacen(" in ", ", ", 1),
            _ => rest.trim_end().to_owned(),
        };
        return Some((
            format!("`{}` is Python 2's {word} statement", statement.trim()),
            format!("call the function: {word}({arguments})"),
        ));
    }
    if here.starts_with('`') || message.contains("unexpected token `") {
        return Some((
            "backticks are Python 2's repr()".into(),
            "write repr(...) instead of `...`".into(),
        ));
    }
    if message.contains("Invalid decimal integer literal") {
        let literal: String = here
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if literal.len() > 1
            && literal.starts_with('0')
            && literal.bytes().all(|b| b.is_ascii_digit())
        {
            return Some((
                format!("`{literal}` is a Python 2 octal literal"),
                format!("write it as 0o{}", literal.trim_start_matches('0')),
            ));
        }
    }
    if here.starts_with('>') && before.ends_with('<') {
        return Some((
            "`<>` is Python 2's not-equal operator".into(),
            "write != instead of <>".into(),
        ));
    }
    if here.starts_with(['\'', '"']) {
        let prefix: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_alphabetic)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if prefix.eq_ignore_ascii_case("ur") {
            return Some((
                format!("the string prefix `{prefix}` is Python 2 only"),
                "write r'...' (every Python 3 string is Unicode)".into(),
            ));
        }
        if prefix.is_empty() && word == "exec" {
            return Some((
                format!("`{}` is Python 2's exec statement", statement.trim()),
                format!("call the function: exec({rest})"),
            ));
        }
    }
    if (here.starts_with(['l', 'L'])) && before.ends_with(|c: char| c.is_ascii_digit()) {
        return Some((
            "a number ending in L is a Python 2 long literal".into(),
            "drop the L: Python 3's int has no size limit".into(),
        ));
    }
    if word == "raise" && message.contains("Unparenthesized tuple") {
        let (kind, value) = rest.split_once(',').unwrap_or((rest, ""));
        return Some((
            format!("`{}` is Python 2's raise statement", statement.trim()),
            format!("write raise {}({})", kind.trim(), value.trim()),
        ));
    }
    None
}

/// How deeply a source may nest what the parser reads by recursion: brackets (and f-string
/// replacement fields), indented blocks, and the operators whose operand is parsed by a call of
/// its own (unary `-`, `+`, `~`, `not`, `await`, `lambda`, `yield`, `x if c else y`, `**`,
/// `:=`). CPython refuses 200 nested brackets and 100 nested blocks with a SyntaxError; ruff's
/// parser has no limit and overflows the stack, which aborts the process.
pub(crate) const MAX_NESTING: usize = 200;

/// How long a chain of left-associative operations (`a.b.c`, `a + b + c`, `f()()`, `x[0][0]`)
/// may be inside one item of a bracket: the parser reads those in a loop, but the tree it builds
/// is as deep as the chain, and that tree is dropped (and read) by recursion.
pub(crate) const MAX_CHAIN: usize = 5000;

/// What one bracket (or the statement level) has seen in its current item (since the last
/// comma, `=`, `;` or line end).
#[derive(Default, Clone, Copy)]
struct Level {
    prefix: usize,
    chain: usize,
    /// `lambda`s whose parameters are being read: a comma or `=` there does not end the item
    /// (`lambda a, b=1: lambda a, b=1: ...` nests as deep as it is long).
    lambdas: usize,
}

/// Which limit a source exceeds, if any: `Some(true)` for [`MAX_NESTING`], `Some(false)` for
/// [`MAX_CHAIN`]. Reads ruff's lexer, which keeps its own state in vectors: lexing never
/// recurses, whatever the input.
fn nesting(text: &str) -> Option<bool> {
    use ruff_python_ast::token::TokenKind as T;
    let mut lexer = ruff_python_parser::lexer::lex(text, ruff_python_parser::Mode::Module);
    // The statement level, and one level per open bracket.
    let mut top = Level::default();
    let mut levels: Vec<Level> = Vec::new();
    let (mut indent, mut prefix, mut chain) = (0usize, 0usize, 0usize);
    // The last token that was not a comment or a line break inside brackets: whether an
    // operator is in prefix position depends on it.
    let mut previous = T::Newline;
    loop {
        let kind = lexer.next_token();
        let after_operand = matches!(
            previous,
            T::Name
                | T::Int
                | T::Float
                | T::Complex
                | T::String
                | T::FStringEnd
                | T::TStringEnd
                | T::Rpar
                | T::Rsqb
                | T::Rbrace
                | T::True
                | T::False
                | T::None
                | T::Ellipsis
                | T::Match
                | T::Case
                | T::Type
                | T::Lazy
        );
        let level = match levels.last_mut() {
            Some(level) => level,
            None => &mut top,
        };
        match kind {
            T::EndOfFile => return None,
            T::Comment | T::NonLogicalNewline => continue,
            T::Indent => indent += 1,
            T::Dedent => indent = indent.saturating_sub(1),
            T::Comma | T::Equal if level.lambdas > 0 => {}
            T::Colon if level.lambdas > 0 => level.lambdas -= 1,
            T::Newline | T::Semi | T::Comma | T::Equal => {
                prefix = prefix.saturating_sub(level.prefix);
                chain = chain.saturating_sub(level.chain);
                *level = Level::default();
            }
            T::Lpar | T::Lsqb | T::Lbrace | T::FStringStart | T::TStringStart => {
                if after_operand && matches!(kind, T::Lpar | T::Lsqb) {
                    // A call or a subscript: one more link of the chain it ends.
                    level.chain += 1;
                    chain += 1;
                }
                levels.push(Level::default());
            }
            T::Rpar | T::Rsqb | T::Rbrace | T::FStringEnd | T::TStringEnd => {
                if let Some(closed) = levels.pop() {
                    prefix = prefix.saturating_sub(closed.prefix);
                    chain = chain.saturating_sub(closed.chain);
                }
            }
            T::Minus | T::Plus | T::Tilde | T::Star if !after_operand => {
                level.prefix += 1;
                prefix += 1;
            }
            T::Lambda => {
                level.lambdas += 1;
                level.prefix += 1;
                prefix += 1;
            }
            // (`x if c else y` recurses for what follows `else`; its `if` parts do not.)
            T::DoubleStar | T::Not | T::Await | T::Yield | T::Else | T::ColonEqual => {
                level.prefix += 1;
                prefix += 1;
            }
            // `.`, binary operators, comparisons, `and`, `or`...
            _ if kind.is_operator() => {
                level.chain += 1;
                chain += 1;
            }
            _ => {}
        }
        previous = kind;
        let nested = indent + levels.len() + prefix;
        if nested > MAX_NESTING {
            return Some(true);
        }
        if nested + chain > MAX_CHAIN {
            return Some(false);
        }
    }
}

/// Whether `text` surely nests within both limits, by a bound cheaper than [`nesting`] (one
/// pass over the bytes, no tokens): what [`nesting`] counts is at most the deepest bracket, plus
/// the widest indentation in columns (each block indents further), plus every operator and
/// keyword that can nest, and `nesting + chain` is at most the number of tokens, so at most the
/// number of bytes. `false` when the bound says nothing, or for what this scan does not follow
/// (f- and t-strings, whose fields nest): [`nesting`] then decides.
fn surely_shallow(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() > MAX_CHAIN {
        return false;
    }
    let (mut depth, mut deepest, mut prefixes) = (0usize, 0usize, 0usize);
    let (mut column, mut widest, mut line_start) = (0usize, 0usize, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if line_start {
            match b {
                b' ' | b'\x0c' => column += 1,
                b'\t' => column += 8,
                _ => {
                    widest = widest.max(column);
                    line_start = false;
                }
            }
            if line_start {
                i += 1;
                continue;
            }
        }
        match b {
            b'\n' | b'\r' => {
                line_start = true;
                column = 0;
            }
            b'#' => {
                while i + 1 < bytes.len() && !matches!(bytes[i + 1], b'\n' | b'\r') {
                    i += 1;
                }
            }
            b'\'' | b'"' => match skip_string(bytes, i) {
                Some(end) => i = end,
                None => return false,
            },
            b'(' | b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'-' | b'+' | b'~' | b'*' => prefixes += 1,
            b':' if bytes.get(i + 1) == Some(&b'=') => prefixes += 1,
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while bytes
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                if matches!(
                    &bytes[start..=i],
                    b"not" | b"await" | b"lambda" | b"yield" | b"else"
                ) {
                    prefixes += 1;
                }
            }
            // Anything else (and any byte outside ASCII) is no operator: passing over it loses
            // nothing of the bound.
            _ => {}
        }
        i += 1;
    }
    widest = widest.max(column);
    deepest + widest + prefixes <= MAX_NESTING
}

/// The index of the last byte of the string literal whose opening quote is at `at`; `None` for
/// an f- or t-string (its fields nest) or a string that does not end where it should.
fn skip_string(bytes: &[u8], at: usize) -> Option<usize> {
    let quote = bytes[at];
    let mut prefix = at;
    while prefix > 0 && bytes[prefix - 1].is_ascii_alphabetic() {
        prefix -= 1;
    }
    if bytes[prefix..at]
        .iter()
        .any(|c| matches!(c, b'f' | b'F' | b't' | b'T'))
    {
        return None;
    }
    let triple = bytes.get(at + 1) == Some(&quote) && bytes.get(at + 2) == Some(&quote);
    let mut i = at + if triple { 3 } else { 1 };
    loop {
        match *bytes.get(i)? {
            b'\\' => i += 2,
            c if c == quote && !triple => return Some(i),
            c if c == quote
                && bytes.get(i + 1) == Some(&quote)
                && bytes.get(i + 2) == Some(&quote) =>
            {
                return Some(i + 2);
            }
            b'\n' | b'\r' if !triple => return None,
            _ => i += 1,
        }
    }
}

/// The error for a source that nests too deeply, pointing where it first goes past the limit.
fn too_deep(text: &str) -> Option<SyntaxError> {
    if surely_shallow(text) {
        return None;
    }
    let nested = nesting(text)?;
    // Where: the shortest prefix that is too deep as well (lexing prefixes, a few dozen times
    // for the largest file read; this happens only for a file that is refused anyway).
    let (mut fine, mut deep) = (0, text.len());
    while deep - fine > 1 {
        let mut mid = fine + (deep - fine) / 2;
        while !text.is_char_boundary(mid) {
            mid += 1;
        }
        if mid >= deep {
            break;
        }
        if nesting(&text[..mid]).is_some() {
            deep = mid;
        } else {
            fine = mid;
        }
    }
    let start = text[..deep]
        .char_indices()
        .next_back()
        .map_or(0, |(at, _)| at);
    let message = if nested {
        format!(
            "it nests brackets, blocks and operators more than {MAX_NESTING} levels deep, more than pluginkit reads (CPython refuses 200 nested brackets)"
        )
    } else {
        format!(
            "it chains more than {MAX_CHAIN} operations (`.`, `+`, calls...) in one expression, more than pluginkit reads"
        )
    };
    Some(SyntaxError {
        message,
        span: start..deep,
        too_deep: true,
        help: None,
    })
}

pub(crate) fn span(range: TextRange) -> Range<usize> {
    range.start().to_usize()..range.end().to_usize()
}

/// What a name is bound to at the top of a module, as far as can be known without running it.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// A string literal (implicitly concatenated parts joined).
    Str(String),
    /// A dict literal: its entries with their key's text (when the key is a string literal).
    Dict(Vec<DictEntry>),
    /// A literal of another type (`"an integer"`, `"a list"`, ...).
    Other(&'static str),
    /// Something Python would have to run: why, in words (`"an f-string"`, `"a call"`...).
    Computed(&'static str),
    /// A function defined with `def`.
    Function,
    /// A function defined with `async def`.
    AsyncFunction,
    /// A name imported from another module.
    Imported,
}

/// One entry of a dict literal.
#[derive(Debug, Clone)]
pub(crate) struct DictEntry {
    /// The key, when it is a string literal.
    pub(crate) key: Option<String>,
    pub(crate) key_span: Range<usize>,
    pub(crate) value: Value,
    pub(crate) value_span: Range<usize>,
}

/// The last binding of a name at the module's top level.
#[derive(Debug, Clone)]
pub(crate) struct Binding {
    pub(crate) value: Value,
    /// The value (or the `def`, or the import), for findings about the value.
    pub(crate) span: Range<usize>,
    /// Whether the binding happens inside a block (`if`, `try`, `with`, ...), so it may not
    /// happen at all.
    pub(crate) conditional: bool,
}

/// The names a module binds at its top level, each with its last binding. A value that is
/// another module-level name is followed (`NAME = "x"` then `__plugin_name__ = NAME`, and
/// chains of them) when that name is bound once, outside any block, before it is read, and no
/// function declares it `global`: then it holds that value whatever else the module runs.
pub(crate) fn bindings(module: &ModModule) -> HashMap<String, Binding> {
    let mut counts = HashMap::new();
    count(&module.body, &mut counts);
    let mut scope = Scope {
        out: HashMap::new(),
        counts,
    };
    collect(&module.body, false, &mut scope);
    scope.out
}

type Bindings = HashMap<String, Binding>;

/// The bindings so far, and how often each name is bound in the whole module.
struct Scope {
    out: Bindings,
    /// Every binding of the name at the top level or in a block there; a name some function
    /// declares `global` counts as bound again.
    counts: HashMap<String, usize>,
}

impl Scope {
    /// The value of the module-level name `name` where it is read, when that is certain.
    fn follow(&self, name: &str) -> Value {
        let Some(binding) = self.out.get(name) else {
            return Value::Computed("a name defined elsewhere");
        };
        if self.counts.get(name).copied().unwrap_or(0) > 1 {
            return Value::Computed("a name bound more than once in the module");
        }
        if binding.conditional {
            return Value::Computed("a name assigned inside a block (if, try, ...)");
        }
        binding.value.clone()
    }
}

/// Count the names each statement of `body` binds (as [`collect`] reads them, and the targets
/// of `for`, `with ... as` and `except ... as`), and the names functions and classes declare
/// `global`. Recursion follows the statements' nesting, which [`MAX_NESTING`] bounds.
fn count(body: &[Stmt], counts: &mut HashMap<String, usize>) {
    fn names(target: &Expr, counts: &mut HashMap<String, usize>) {
        match target {
            Expr::Name(name) => *counts.entry(name.id.to_string()).or_default() += 1,
            Expr::Tuple(ruff_python_ast::ExprTuple { elts, .. })
            | Expr::List(ruff_python_ast::ExprList { elts, .. }) => {
                for elt in elts {
                    names(elt, counts);
                }
            }
            Expr::Starred(starred) => names(&starred.value, counts),
            _ => {}
        }
    }
    fn globals(body: &[Stmt], counts: &mut HashMap<String, usize>) {
        for stmt in body {
            match stmt {
                Stmt::Global(global) => {
                    for name in &global.names {
                        *counts.entry(name.to_string()).or_default() += 2;
                    }
                }
                Stmt::FunctionDef(def) => globals(&def.body, counts),
                Stmt::ClassDef(class) => globals(&class.body, counts),
                Stmt::If(block) => {
                    globals(&block.body, counts);
                    for clause in &block.elif_else_clauses {
                        globals(&clause.body, counts);
                    }
                }
                Stmt::Try(block) => {
                    globals(&block.body, counts);
                    for handler in &block.handlers {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                        globals(&handler.body, counts);
                    }
                    globals(&block.orelse, counts);
                    globals(&block.finalbody, counts);
                }
                Stmt::With(block) => globals(&block.body, counts),
                Stmt::For(block) => {
                    globals(&block.body, counts);
                    globals(&block.orelse, counts);
                }
                Stmt::While(block) => {
                    globals(&block.body, counts);
                    globals(&block.orelse, counts);
                }
                _ => {}
            }
        }
    }
    fn bump(name: &str, counts: &mut HashMap<String, usize>) {
        *counts.entry(name.to_owned()).or_default() += 1;
    }
    for stmt in body {
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    names(target, counts);
                }
            }
            Stmt::AnnAssign(assign) if assign.value.is_some() => names(&assign.target, counts),
            Stmt::AugAssign(assign) => names(&assign.target, counts),
            Stmt::FunctionDef(def) => {
                bump(def.name.as_str(), counts);
                globals(&def.body, counts);
            }
            Stmt::ClassDef(class) => {
                bump(class.name.as_str(), counts);
                globals(&class.body, counts);
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(
                        || alias.name.as_str().split('.').next().unwrap_or_default(),
                        |a| a.as_str(),
                    );
                    bump(bound, counts);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    bump(
                        alias.asname.as_ref().unwrap_or(&alias.name).as_str(),
                        counts,
                    );
                }
            }
            Stmt::If(block) => {
                count(&block.body, counts);
                for clause in &block.elif_else_clauses {
                    count(&clause.body, counts);
                }
            }
            Stmt::Try(block) => {
                count(&block.body, counts);
                for handler in &block.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(name) = &handler.name {
                        bump(name.as_str(), counts);
                    }
                    count(&handler.body, counts);
                }
                count(&block.orelse, counts);
                count(&block.finalbody, counts);
            }
            Stmt::With(block) => {
                for item in &block.items {
                    if let Some(target) = &item.optional_vars {
                        names(target, counts);
                    }
                }
                count(&block.body, counts);
            }
            Stmt::For(block) => {
                names(&block.target, counts);
                count(&block.body, counts);
                count(&block.orelse, counts);
            }
            Stmt::While(block) => {
                count(&block.body, counts);
                count(&block.orelse, counts);
            }
            _ => {}
        }
    }
}

fn insert(scope: &mut Scope, conditional: bool, name: &str, value: Value, span: Range<usize>) {
    scope.out.insert(
        name.to_owned(),
        Binding {
            value,
            span,
            conditional,
        },
    );
}

fn collect(body: &[Stmt], conditional: bool, out: &mut Scope) {
    for stmt in body {
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    bind_target(target, &assign.value, out, conditional);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    bind_target(&assign.target, value, out, conditional);
                }
            }
            Stmt::AugAssign(assign) => {
                if let Expr::Name(name) = assign.target.as_ref() {
                    insert(
                        out,
                        conditional,
                        name.id.as_str(),
                        Value::Computed("an augmented assignment"),
                        span(assign.range()),
                    );
                }
            }
            Stmt::FunctionDef(def) => {
                let value = if def.is_async {
                    Value::AsyncFunction
                } else {
                    Value::Function
                };
                insert(
                    out,
                    conditional,
                    def.name.as_str(),
                    value,
                    span(def.name.range),
                );
            }
            Stmt::ClassDef(class) => insert(
                out,
                conditional,
                class.name.as_str(),
                Value::Other("a class"),
                span(class.name.range),
            ),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(
                        || alias.name.as_str().split('.').next().unwrap_or_default(),
                        |a| a.as_str(),
                    );
                    insert(out, conditional, bound, Value::Imported, span(alias.range));
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    // `from x import *` may bind anything: it is kept under the name `*` so a
                    // reader can say that a missing name may come from there.
                    insert(
                        out,
                        conditional,
                        bound.as_str(),
                        Value::Imported,
                        span(alias.range),
                    );
                }
            }
            Stmt::If(block) => {
                collect(&block.body, true, out);
                for clause in &block.elif_else_clauses {
                    collect(&clause.body, true, out);
                }
            }
            Stmt::Try(block) => {
                collect(&block.body, true, out);
                for handler in &block.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                    collect(&handler.body, true, out);
                }
                collect(&block.orelse, true, out);
                collect(&block.finalbody, true, out);
            }
            Stmt::With(block) => collect(&block.body, true, out),
            Stmt::For(block) => {
                collect(&block.body, true, out);
                collect(&block.orelse, true, out);
            }
            Stmt::While(block) => {
                collect(&block.body, true, out);
                collect(&block.orelse, true, out);
            }
            _ => {}
        }
    }
}

/// Bind `target = value`, pairing tuple targets with tuple values element by element.
fn bind_target(target: &Expr, value: &Expr, out: &mut Scope, conditional: bool) {
    match (target, value) {
        (Expr::Name(name), _) => insert(
            out,
            conditional,
            name.id.as_str(),
            evaluate_in(value, Some(out)),
            span(value.range()),
        ),
        (Expr::Tuple(targets), Expr::Tuple(values)) if targets.elts.len() == values.elts.len() => {
            for (target, value) in targets.elts.iter().zip(&values.elts) {
                bind_target(target, value, out, conditional);
            }
        }
        (Expr::List(targets), Expr::List(values)) if targets.elts.len() == values.elts.len() => {
            for (target, value) in targets.elts.iter().zip(&values.elts) {
                bind_target(target, value, out, conditional);
            }
        }
        (
            Expr::Tuple(ruff_python_ast::ExprTuple { elts, .. })
            | Expr::List(ruff_python_ast::ExprList { elts, .. }),
            _,
        ) => {
            for target in elts {
                if let Expr::Name(name) = target {
                    insert(
                        out,
                        conditional,
                        name.id.as_str(),
                        Value::Computed("an unpacked value"),
                        span(value.range()),
                    );
                }
            }
        }
        _ => {}
    }
}

/// The value of a literal expression, or why it is not one.
pub(crate) fn evaluate(expr: &Expr) -> Value {
    evaluate_in(expr, None)
}

/// [`evaluate`], following module-level names through `scope` (see [`bindings`]).
fn evaluate_in(expr: &Expr, scope: Option<&Scope>) -> Value {
    match expr {
        Expr::StringLiteral(s) => Value::Str(s.value.to_str().to_owned()),
        Expr::Dict(dict) => Value::Dict(
            dict.items
                .iter()
                .map(|item| {
                    let (key, key_span) = match &item.key {
                        Some(Expr::StringLiteral(s)) => {
                            (Some(s.value.to_str().to_owned()), span(s.range()))
                        }
                        Some(other) => (None, span(other.range())),
                        // `**other`: the value is a mapping spread into this one.
                        None => (None, span(item.value.range())),
                    };
                    DictEntry {
                        key,
                        key_span,
                        value: if item.key.is_some() {
                            evaluate_in(&item.value, scope)
                        } else {
                            Value::Computed("a `**` expansion")
                        },
                        value_span: span(item.value.range()),
                    }
                })
                .collect(),
        ),
        Expr::FString(_) => Value::Computed("an f-string"),
        Expr::TString(_) => Value::Computed("a t-string"),
        Expr::Call(_) => Value::Computed("a call"),
        Expr::Name(name) => match scope {
            Some(scope) => scope.follow(name.id.as_str()),
            None => Value::Computed("a name defined elsewhere"),
        },
        Expr::Attribute(_) => Value::Computed("an attribute of another object"),
        Expr::Subscript(_) => Value::Computed("a subscript"),
        Expr::BinOp(_) => Value::Computed("an expression"),
        Expr::BoolOp(_) | Expr::UnaryOp(_) | Expr::Compare(_) | Expr::If(_) | Expr::Named(_) => {
            Value::Computed("an expression")
        }
        Expr::Lambda(_) => Value::Computed("a lambda"),
        Expr::BytesLiteral(_) => Value::Other("bytes"),
        Expr::NumberLiteral(_) => Value::Other("a number"),
        Expr::BooleanLiteral(_) => Value::Other("a boolean"),
        Expr::NoneLiteral(_) => Value::Other("None"),
        Expr::List(_) | Expr::ListComp(_) => Value::Other("a list"),
        Expr::Tuple(_) => Value::Other("a tuple"),
        Expr::Set(_) | Expr::SetComp(_) => Value::Other("a set"),
        Expr::DictComp(_) => Value::Computed("a dict comprehension"),
        _ => Value::Computed("an expression"),
    }
}

/// A module-level function, as far as its signature and results can be read.
#[derive(Clone)]
pub(crate) struct Function<'a> {
    /// `None` for a lambda without parameters.
    pub(crate) parameters: Option<&'a ruff_python_ast::Parameters>,
    /// The values its `return` statements return (a lambda's body), `None` for a bare `return`.
    pub(crate) returns: Vec<Option<&'a Expr>>,
    /// Its name in the `def`, or the lambda.
    pub(crate) span: Range<usize>,
}

impl Function<'_> {
    /// Why calling it with `given` positional arguments and no others raises TypeError, if it
    /// does.
    pub(crate) fn refuses(&self, given: usize) -> Option<String> {
        let Some(params) = self.parameters else {
            return (given > 0)
                .then(|| format!("it takes no arguments, and is called with {given}"));
        };
        let positional: Vec<_> = params.posonlyargs.iter().chain(&params.args).collect();
        let required = positional.iter().filter(|p| p.default.is_none()).count();
        if given < required {
            let names: Vec<String> = positional[given..]
                .iter()
                .filter(|p| p.default.is_none())
                .map(|p| format!("`{}`", p.parameter.name))
                .collect();
            return Some(format!(
                "it requires {} positional argument{} and is called with {given} (missing {})",
                required,
                if required == 1 { "" } else { "s" },
                names.join(", ")
            ));
        }
        if given > positional.len() && params.vararg.is_none() {
            return Some(format!(
                "it takes {} positional argument{} and is called with {given}",
                positional.len(),
                if positional.len() == 1 { "" } else { "s" }
            ));
        }
        params
            .kwonlyargs
            .iter()
            .find(|p| p.default.is_none())
            .map(|p| {
                format!(
                    "its keyword-only parameter `{}` has no default",
                    p.parameter.name
                )
            })
    }
}

/// The function `name` is bound to at the top of `module`: its last unconditional `def` there,
/// a `name = lambda ...`, or `name = other` where `other` is such a `def` defined before. `None`
/// when it is anything else (imported, bound in a block, computed).
pub(crate) fn function<'a>(module: &'a ModModule, name: &str) -> Option<Function<'a>> {
    let mut found: Option<Function<'a>> = None;
    let mut defs: HashMap<&str, Function<'a>> = HashMap::new();
    for stmt in &module.body {
        match stmt {
            Stmt::FunctionDef(def) if !def.is_async => {
                let mut returns = Vec::new();
                returns_in(&def.body, &mut returns);
                let function = Function {
                    parameters: Some(&def.parameters),
                    returns,
                    span: span(def.name.range),
                };
                if def.name.as_str() == name {
                    found = Some(function.clone());
                }
                defs.insert(def.name.as_str(), function);
            }
            Stmt::Assign(assign)
                if assign
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)) =>
            {
                found = match assign.value.as_ref() {
                    Expr::Lambda(lambda) => Some(Function {
                        parameters: lambda.parameters.as_deref(),
                        returns: vec![Some(lambda.body.as_ref())],
                        span: span(lambda.range),
                    }),
                    Expr::Name(other) => defs.get(other.id.as_str()).cloned(),
                    _ => None,
                };
            }
            _ => {}
        }
    }
    found
}

/// The `return` statements of a function body, not those of functions and classes inside it.
/// Recursion follows the statements' nesting, which [`MAX_NESTING`] bounds.
fn returns_in<'a>(body: &'a [Stmt], out: &mut Vec<Option<&'a Expr>>) {
    for stmt in body {
        match stmt {
            Stmt::Return(ret) => out.push(ret.value.as_deref()),
            Stmt::If(block) => {
                returns_in(&block.body, out);
                for clause in &block.elif_else_clauses {
                    returns_in(&clause.body, out);
                }
            }
            Stmt::Try(block) => {
                returns_in(&block.body, out);
                for handler in &block.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                    returns_in(&handler.body, out);
                }
                returns_in(&block.orelse, out);
                returns_in(&block.finalbody, out);
            }
            Stmt::With(block) => returns_in(&block.body, out),
            Stmt::For(block) => {
                returns_in(&block.body, out);
                returns_in(&block.orelse, out);
            }
            Stmt::While(block) => {
                returns_in(&block.body, out);
                returns_in(&block.orelse, out);
            }
            Stmt::Match(block) => {
                for case in &block.cases {
                    returns_in(&case.body, out);
                }
            }
            _ => {}
        }
    }
}

/// What a literal expression makes, for a caller that wants a dict: its entries whose keys are
/// written out (`{"k": v}`, `dict(k=v)`), and whether others may come from elsewhere (`**x`, a
/// computed key); or, for a literal of another type, that type.
pub(crate) enum DictLiteral<'a> {
    Dict {
        /// (key, key span, value).
        entries: Vec<(String, Range<usize>, &'a Expr)>,
        /// Whether keys not written out may be in it.
        open: bool,
    },
    /// A literal of another type: "a list", "None", ...
    Other(&'static str),
    /// Not a literal.
    Unknown,
}

/// Read `expr` as a dict literal (see [`DictLiteral`]).
pub(crate) fn dict_literal(expr: &Expr) -> DictLiteral<'_> {
    match expr {
        Expr::Dict(dict) => {
            let mut entries = Vec::new();
            let mut open = false;
            for item in &dict.items {
                match &item.key {
                    Some(Expr::StringLiteral(key)) => entries.push((
                        key.value.to_str().to_owned(),
                        span(key.range()),
                        &item.value,
                    )),
                    _ => open = true,
                }
            }
            DictLiteral::Dict { entries, open }
        }
        Expr::Call(call)
            if matches!(call.func.as_ref(), Expr::Name(f) if f.id.as_str() == "dict")
                && call.arguments.args.is_empty() =>
        {
            let mut entries = Vec::new();
            let mut open = false;
            for keyword in &call.arguments.keywords {
                match &keyword.arg {
                    Some(arg) => entries.push((arg.to_string(), span(arg.range), &keyword.value)),
                    None => open = true,
                }
            }
            DictLiteral::Dict { entries, open }
        }
        Expr::Call(_) | Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {
            DictLiteral::Unknown
        }
        other => match evaluate(other) {
            Value::Str(_) => DictLiteral::Other("a string"),
            Value::Other(kind) => DictLiteral::Other(kind),
            _ => DictLiteral::Unknown,
        },
    }
}

/// Python's `str.isidentifier()`: a letter or `_`, then letters, digits or `_` (Unicode XID).
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(source: &str) -> HashMap<String, Binding> {
        bindings(&parse(source).expect("parses"))
    }

    #[test]
    fn reads_literals_the_ways_authors_write_them() {
        let b = bound(
            "__plugin_name__ = 'Demo'\n__version__ = (\n    \"0.1\"\n    '.1'\n)\n__author__: str = \"\"\"Mr.tao <>\"\"\"\n\
             __url__ = f'https://x/{1}'\n__license__ = get()\nfrom .core import register\n",
        );
        assert!(matches!(&b["__plugin_name__"].value, Value::Str(s) if s == "Demo"));
        assert!(matches!(&b["__version__"].value, Value::Str(s) if s == "0.1.1"));
        assert!(matches!(&b["__author__"].value, Value::Str(s) if s == "Mr.tao <>"));
        assert!(matches!(b["__url__"].value, Value::Computed("an f-string")));
        assert!(matches!(b["__license__"].value, Value::Computed("a call")));
        assert!(matches!(b["register"].value, Value::Imported));
    }

    #[test]
    fn last_binding_wins_and_blocks_are_conditional() {
        let b = bound(
            "x = '1'\nx = '2'\nif a:\n    y = '3'\n__a__, __b__ = 'p', 'q'\ndef register():\n    pass\n",
        );
        assert!(matches!(&b["x"].value, Value::Str(s) if s == "2"));
        assert!(b["y"].conditional);
        assert!(matches!(&b["__b__"].value, Value::Str(s) if s == "q"));
        assert!(matches!(b["register"].value, Value::Function));
    }

    #[test]
    fn module_level_constants_are_followed_when_they_hold_one_value() {
        let b = bound(
            "NAME = 'demo'\nALIAS = NAME\n__plugin_name__ = ALIAS\nVERSION: str = '1.2.0'\n__version__ = VERSION\n\
             META = {'id': NAME, 'version': VERSION, 'author': AUTHOR}\nAUTHOR = 'late'\n\
             TWICE = 'a'\nTWICE = 'b'\n__author__ = TWICE\n\
             if x:\n    MAYBE = 'm'\n__url__ = MAYBE\n\
             GLOBAL = 'g'\ndef f():\n    global GLOBAL\n    GLOBAL = 'h'\n__license__ = GLOBAL\n\
             __description__ = UNDEFINED\nfor LOOP in 'ab':\n    pass\nLOOP = 'c'\n__state__ = LOOP\n\
             def _register():\n    return {}\nregister = _register\n",
        );
        assert!(matches!(&b["__plugin_name__"].value, Value::Str(s) if s == "demo"));
        assert!(matches!(&b["__version__"].value, Value::Str(s) if s == "1.2.0"));
        let Value::Dict(meta) = &b["META"].value else {
            panic!("{:?}", b["META"])
        };
        assert!(matches!(&meta[0].value, Value::Str(s) if s == "demo"));
        assert!(matches!(&meta[1].value, Value::Str(s) if s == "1.2.0"));
        // Read before it is bound: Python raises NameError there.
        assert!(matches!(
            meta[2].value,
            Value::Computed("a name defined elsewhere")
        ));
        assert!(matches!(
            b["__author__"].value,
            Value::Computed("a name bound more than once in the module")
        ));
        assert!(matches!(
            b["__url__"].value,
            Value::Computed("a name assigned inside a block (if, try, ...)")
        ));
        assert!(matches!(
            b["__license__"].value,
            Value::Computed("a name bound more than once in the module")
        ));
        assert!(matches!(b["__description__"].value, Value::Computed(_)));
        assert!(matches!(b["__state__"].value, Value::Computed(_)));
        assert!(matches!(b["register"].value, Value::Function));
    }

    /// (source, what the message says, what the help says) for each Python 2 form.
    const PYTHON2: &[(&str, &str, &str)] = &[
        (
            "print \"hello\"\n",
            "Python 2's print statement",
            "print(\"hello\")",
        ),
        (
            "def f():\n    print 'x', 1\n",
            "Python 2's print statement",
            "print('x', 1)",
        ),
        ("x = `1`\n", "backticks", "repr("),
        (
            "exec \"x = 1\"\n",
            "Python 2's exec statement",
            "exec(\"x = 1\")",
        ),
        (
            "exec code in ns\n",
            "Python 2's exec statement",
            "exec(code, ns)",
        ),
        (
            "MODE = 0777\n",
            "`0777` is a Python 2 octal literal",
            "0o777",
        ),
        ("if 1 <> 2:\n    pass\n", "`<>`", "!="),
        ("x = ur'abc'\n", "prefix `ur`", "r'...'"),
        (
            "raise ValueError, \"bad\"\n",
            "Python 2's raise statement",
            "raise ValueError(\"bad\")",
        ),
        ("x = 10L\n", "long literal", "drop the L"),
    ];

    #[test]
    fn python_2_forms_are_named_and_fixed() {
        for (source, what, fix) in PYTHON2 {
            let error = parse(source).unwrap_err();
            assert!(
                error.message.contains(what),
                "{source:?}: {}",
                error.message
            );
            assert!(
                error.message.contains("Python 3 raises SyntaxError"),
                "{source:?}: {}",
                error.message
            );
            let help = error.help.unwrap_or_default();
            assert!(help.contains(fix), "{source:?}: {help}");
        }
        // Python 3 code that merely looks like it is left alone.
        for source in [
            "print('x')\n",
            "print\n",
            "exec('x')\n",
            "x = 0o777\n",
            "x = 0\n",
            "x = r'a'\n",
        ] {
            assert!(parse(source).is_ok(), "{source:?}");
        }
    }

    #[test]
    fn except_with_a_comma_is_judged_by_the_hosts_python() {
        let source = "try:\n    pass\nexcept ValueError, e:\n    pass\n";
        let (parsed, newer) = parse_checked(source);
        assert!(parsed.is_ok() && newer, "3.14's grammar parses it");
        let v = |minor| PythonVersion { major: 3, minor };
        for minor in [8, 11, 13] {
            let error = syntax_for(source, v(minor)).expect("refused before 3.14");
            assert!(
                error
                    .message
                    .contains("`except ValueError, e:` is Python 2 syntax")
                    && error
                        .message
                        .contains(&format!("Python 3.{minor} raises SyntaxError")),
                "{}",
                error.message
            );
            assert_eq!(&source[error.span.clone()], "ValueError, e");
            assert!(error.help.unwrap().contains("except ValueError as e:"));
        }
        assert!(syntax_for(source, v(14)).is_none());
        // Other syntax newer than the host's Python.
        let walrus = "if (n := 1):\n    pass\n";
        assert!(parse_checked(walrus).1);
        assert!(
            syntax_for(walrus, v(7))
                .unwrap()
                .message
                .contains("Python 3.7")
        );
        assert!(syntax_for(walrus, v(8)).is_none());
        let matching = "match x:\n    case 1:\n        pass\n";
        assert!(syntax_for(matching, v(9)).is_some());
        assert!(syntax_for(matching, v(10)).is_none());
        // Plain code is parsed once.
        assert!(!parse_checked("x = 1\n").1);
    }

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

    #[test]
    fn identifiers_follow_python() {
        assert!(is_identifier("local_plugin_demo"));
        assert!(is_identifier("_private"));
        assert!(is_identifier("插件"));
        assert!(!is_identifier("my-plugin"));
        assert!(!is_identifier("1plugin"));
        assert!(!is_identifier(""));
    }

    /// Each way to nest, `depth` deep: (what, source).
    fn nested(depth: usize) -> Vec<(&'static str, String)> {
        let wrap = |open: &str, close: &str| {
            format!("x = {}1{}\n", open.repeat(depth), close.repeat(depth))
        };
        let half = |open: &str, close: &str| {
            let depth = depth.div_ceil(2);
            format!("x = {}1{}\n", open.repeat(depth), close.repeat(depth))
        };
        // (Indentation grows with the square of the depth: 2,000 blocks are 2 MB.)
        let blocks = depth.min(2000);
        let blocks: String = (0..blocks)
            .map(|i| format!("{}if x:\n", " ".repeat(i)))
            .chain([format!("{}pass\n", " ".repeat(blocks))])
            .collect();
        vec![
            ("parentheses", wrap("(", ")")),
            ("lists", wrap("[", "]")),
            ("dicts", wrap("{'a': ", "}")),
            ("calls", wrap("f(", ")")),
            // Two levels each: the string and its replacement field.
            ("f-strings", half("f\"{", "}\"")),
            ("unary", wrap("-", "")),
            ("not", wrap("not ", "")),
            (
                "await",
                format!("async def f():\n    x = {}1\n", "await ".repeat(depth)),
            ),
            ("lambda", wrap("lambda: ", "")),
            ("lambda with parameters", wrap("lambda a, b=1: ", "")),
            ("conditional", wrap("1 if 1 else ", "")),
            ("power", wrap("2 ** ", "")),
            ("walrus", half("(y := ", ")")),
            ("blocks", blocks),
        ]
    }

    /// Parse on a thread with the main thread's usual stack (8 MiB), as the command line does.
    fn parse_on_main_stack(text: String) -> Result<(), SyntaxError> {
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || parse(&text).map(drop))
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn the_quick_bound_never_passes_what_the_lexer_refuses() {
        let mut cases: Vec<String> = nested(MAX_NESTING + 1)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        cases.extend(nested(MAX_NESTING / 2).into_iter().map(|(_, t)| t));
        for n in [50, 150, 199, 200, 201, 400] {
            let open = |c: &str| c.repeat(n);
            cases.push(format!("x = {}1{}\n", open("("), open(")")));
            cases.push(format!("x = {}1\n", open("-")));
            cases.push(format!("x = {}1\n", open("not ")));
            cases.push(format!("x = {}1\n", open("lambda: ")));
            for indent in [" ", "\t"] {
                let blocks: String = (0..n)
                    .map(|d| format!("{}if x:\n", indent.repeat(d)))
                    .collect();
                cases.push(format!("{blocks}{}pass\n", indent.repeat(n)));
            }
            cases.push(format!(
                "s = '{}'\nx = {}1{}\n",
                open(")"),
                open("("),
                open(")")
            ));
            cases.push(format!(
                "# {}\nx = {}1{}\n",
                open(")"),
                open("("),
                open(")")
            ));
            cases.push(format!(
                "s = \"\"\"{}\"\"\"\nx = {}1{}\n",
                open(")'\""),
                open("["),
                open("]")
            ));
            cases.push(format!(
                "s = '\\'{}'\nx = {}1{}\n",
                open(")"),
                open("("),
                open(")")
            ));
            cases.push(format!("s = f'{}{}'\n", open("{"), open("}")));
            cases.push(format!(
                "s = rb'{}'\nx = {}1{}\n",
                open(")"),
                open("{"),
                open("}")
            ));
            cases.push(format!("x = a{}\n", ".b".repeat(n * 20)));
        }
        for text in &cases {
            if surely_shallow(text) {
                assert_eq!(nesting(text), None, "{text:?}");
            }
        }
        // Ordinary code takes the quick way; deep code does not.
        assert!(surely_shallow(
            "import os\n\n\ndef f(a, b=-1):\n    \"\"\"Doc (with a paren.\"\"\"\n    return {'k': [a, (b,)]}  # )\n"
        ));
        assert!(!surely_shallow(&format!(
            "x = {}1{}\n",
            "(".repeat(300),
            ")".repeat(300)
        )));
    }

    #[test]
    fn nesting_up_to_the_limit_parses_and_beyond_it_is_refused() {
        // Statements around it count nothing.
        for (what, source) in nested(MAX_NESTING - 2) {
            assert!(nesting(&source).is_none(), "{what}");
            // Parsed without overflowing (`await await x` is not Python, but it is read).
            if let Err(error) = parse_on_main_stack(source) {
                assert!(
                    what == "await" && !error.too_deep,
                    "{what}: {}",
                    error.message
                );
            }
        }
        for (what, source) in nested(MAX_NESTING + 1) {
            let error = parse_on_main_stack(source.clone()).unwrap_err();
            assert!(error.too_deep, "{what}: {}", error.message);
            assert!(error.message.contains("200 levels"), "{what}");
            // It points at the place the limit is passed, not at the start.
            assert!(error.span.start > 100, "{what}: {:?}", error.span);
            assert!(source.is_char_boundary(error.span.end), "{what}");
        }
        // The input, and ones far past it.
        for (what, source) in nested(4000).into_iter().chain(nested(50_000)) {
            assert!(parse_on_main_stack(source).unwrap_err().too_deep, "{what}");
        }
    }

    #[test]
    fn chains_are_bounded_and_flat_sequences_are_not() {
        let chains = [
            format!("x = a{}\n", ".b".repeat(MAX_CHAIN + 1)),
            format!("x = 'a'{}\n", " + 'a'".repeat(MAX_CHAIN + 1)),
            format!("x = f{}\n", "()".repeat(MAX_CHAIN + 1)),
            format!("x = a{}\n", "[0]".repeat(MAX_CHAIN + 1)),
            format!("x = 1{}\n", " < 1 and 1".repeat(MAX_CHAIN)),
        ];
        for source in chains {
            let error = parse_on_main_stack(source).unwrap_err();
            assert!(
                error.too_deep && error.message.contains("chains"),
                "{}",
                error.message
            );
        }
        let fine = [
            format!("x = a{}\n", ".b".repeat(MAX_CHAIN / 2)),
            format!("x = ({})\n", "'a' ".repeat(100_000)),
            format!("x = [{}]\n", "-1, ".repeat(100_000)),
            format!("x = {{{}}}\n", "'k': not 1, ".repeat(50_000)),
            "y = a.b.c + -d if not e else f(g)[h]; z = lambda q: q\n".repeat(20_000),
        ];
        for source in fine {
            assert!(parse_on_main_stack(source).is_ok());
        }
        // A long chain is dropped (and the module's bindings read) without overflowing.
        let module = parse(&format!("x = a{}\n", ".b".repeat(MAX_CHAIN - 10))).unwrap();
        assert!(matches!(bindings(&module)["x"].value, Value::Computed(_)));
    }

    /// A file too deep at its very end is located by bisection, a few dozen lexes of it (about
    /// a second for the largest file read, in a release build; this is a debug one).
    #[test]
    fn the_place_is_found_in_a_long_file() {
        let text = format!("{}x = {}", "x = 1\n".repeat(40_000), "(".repeat(300));
        let error = too_deep(&text).unwrap();
        let at = 40_000 * 6 + 4 + MAX_NESTING;
        assert_eq!(error.span, at..at + 1);
    }
}
