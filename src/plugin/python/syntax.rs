//! Parsing with ruff's parser, judged by the grammar of the Python the host runs
//! ([`syntax_for`]): ruff reads the newest, in which `except A, B:` is valid, while every Python 3
//! before 3.14 refuses it. Nesting and chains are bounded before the parser sees them, so no
//! source exhausts the stack.

use std::ops::Range;

use ruff_python_ast::ModModule;

use super::values::{is_identifier, span};
use crate::plugin::host::PythonVersion;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::python::{Value, bindings};

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
