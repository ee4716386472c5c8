//! A dotenv file (FBA's `backend/.env`, a plugin's `.env.example`) read as python-dotenv reads
//! it, which is how FBA's settings read it (pydantic-settings' `env_file` calls python-dotenv's
//! `dotenv_values`). A port of python-dotenv 1.2.4's `dotenv/parser.py` (`parse_binding` and
//! the regular expressions above it), binding by binding:
//!
//! - blank lines and whitespace between bindings are skipped; a line starting with `#` is a
//!   comment; `export ` before a key is dropped;
//! - a key is `'quoted'` or a run of characters other than `=`, `#` and whitespace;
//! - `KEY` alone (no `=`) is a binding without a value;
//! - a value is `'single quoted'` (`\\` and `\'` escapes), `"double quoted"` (`\\ \' \" \a \b
//!   \f \n \r \t \v`), either spanning lines, or unquoted up to the end of the line less a
//!   ` #comment` (whitespace then `#`) and trailing whitespace; `KEY= # comment` is empty;
//! - a line that does not parse (an unterminated quote, `A B=1`) is skipped up to its end, and
//!   reading goes on with the next line.
//!
//! Written here rather than taken from a dotenv crate: those follow the shell's rules (variable
//! expansion, other escapes, other comments) where python-dotenv has its own, and these files
//! are read as FBA reads them.

/// One binding of a dotenv file: a key, with its value unless the line names the key alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Binding {
    pub(crate) key: String,
    pub(crate) value: Option<String>,
    /// The 1-based line the key is on.
    pub(crate) line: usize,
    /// The binding's text as written, from its first character (after any leading whitespace)
    /// to the end of its value or comment, line end excluded.
    pub(crate) text: String,
}

/// The bindings of `text`, in order (a key given twice is there twice; python-dotenv keeps the
/// last). Comments, blank lines and lines that do not parse give none.
pub(crate) fn parse(text: &str) -> Vec<Binding> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        s: text,
        pos: 0,
        line: 1,
    };
    let mut bindings = Vec::new();
    while reader.pos < text.len() {
        if let Some(binding) = reader.binding() {
            bindings.push(binding);
        }
    }
    bindings
}

/// The variables of `text` as `dotenv_values` gives them to pydantic-settings: each key with a
/// value, the last one given.
pub(crate) fn values(text: &str) -> Vec<(String, String)> {
    let mut values: Vec<(String, String)> = Vec::new();
    for binding in parse(text) {
        let Some(value) = binding.value else { continue };
        values.retain(|(k, _)| *k != binding.key);
        values.push((binding.key, value));
    }
    values
}

/// `[^\S\r\n]`: whitespace that does not end a line.
fn is_blank(c: char) -> bool {
    c.is_whitespace() && c != '\r' && c != '\n'
}

/// A key, and its value unless it stands alone.
type KeyValue = (String, Option<String>);

/// A line of the file did not parse: it is skipped.
struct Malformed;

struct Reader<'a> {
    s: &'a str,
    /// A byte offset into `s`, always at a character boundary.
    pos: usize,
    /// The line `pos` is on.
    line: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.s[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Move `len` bytes on, counting the line ends passed (`\r\n`, `\n` or `\r`, as
    /// python-dotenv's `Position.advance` counts them).
    fn advance(&mut self, len: usize) {
        let passed = &self.s[self.pos..self.pos + len];
        let bytes = passed.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if (*b == b'\n' && !(i > 0 && bytes[i - 1] == b'\r')) || *b == b'\r' {
                self.line += 1;
            }
        }
        self.pos += len;
    }

    /// Move on over the characters that `keep` accepts; how many bytes that was.
    fn skip_while(&mut self, keep: impl Fn(char) -> bool) -> usize {
        let len = self
            .rest()
            .char_indices()
            .find(|(_, c)| !keep(*c))
            .map_or(self.rest().len(), |(i, _)| i);
        self.advance(len);
        len
    }

    /// One `parse_binding`: `None` for a comment, blank space at the end, or a line that does
    /// not parse.
    fn binding(&mut self) -> Option<Binding> {
        self.skip_while(char::is_whitespace);
        if self.pos >= self.s.len() {
            return None;
        }
        let start = self.pos;
        let line = self.line;
        match self.key_and_value() {
            Ok(Some((key, value))) => Some(Binding {
                key,
                value,
                line,
                text: self.s[start..self.pos]
                    .trim_end_matches(['\r', '\n'])
                    .to_owned(),
            }),
            Ok(None) => None,
            Err(Malformed) => {
                // `_rest_of_line`: `[^\r\n]*(?:\r|\n|\r\n)?`.
                self.skip_while(|c| c != '\r' && c != '\n');
                if matches!(self.peek(), Some('\r' | '\n')) {
                    self.advance(1);
                }
                None
            }
        }
    }

    /// The key and value of one binding; none for a comment.
    fn key_and_value(&mut self) -> Result<Option<KeyValue>, Malformed> {
        // `_export`: `(?:export[^\S\r\n]+)?`.
        if let Some(after) = self.rest().strip_prefix("export")
            && after.starts_with(is_blank)
        {
            self.advance("export".len());
            self.skip_while(is_blank);
        }
        let key = self.key()?;
        self.skip_while(is_blank);
        let value = if self.peek() == Some('=') {
            self.advance(1);
            let blanks = self.skip_while(is_blank);
            if blanks > 0 && self.peek() == Some('#') {
                Some(String::new())
            } else {
                Some(self.value()?)
            }
        } else {
            None
        };
        // `_comment`: `(?:[^\S\r\n]*#[^\r\n]*)?`.
        let after_blanks = self.rest().char_indices().find(|(_, c)| !is_blank(*c));
        if let Some((at, '#')) = after_blanks {
            self.advance(at);
            self.skip_while(|c| c != '\r' && c != '\n');
        }
        // `_end_of_line`: `[^\S\r\n]*(?:\r\n|\n|\r|$)`.
        self.skip_while(is_blank);
        match self.peek() {
            None => {}
            Some('\r') if self.rest().starts_with("\r\n") => self.advance(2),
            Some('\r' | '\n') => self.advance(1),
            Some(_) => return Err(Malformed),
        }
        Ok(key.map(|key| (key, value)))
    }

    /// `parse_key`: `None` at a comment.
    fn key(&mut self) -> Result<Option<String>, Malformed> {
        match self.peek() {
            Some('#') => Ok(None),
            Some('\'') => {
                // `'([^']+)'`
                let body = &self.rest()[1..];
                let end = body.find('\'').filter(|end| *end > 0).ok_or(Malformed)?;
                let key = body[..end].to_owned();
                self.advance(end + 2);
                Ok(Some(key))
            }
            _ => {
                // `([^=\#\s]+)`
                let len = self.skip_while(|c| c != '=' && c != '#' && !c.is_whitespace());
                if len == 0 {
                    return Err(Malformed);
                }
                Ok(Some(self.s[self.pos - len..self.pos].to_owned()))
            }
        }
    }

    /// `parse_value`, after the `=` and the blanks after it.
    fn value(&mut self) -> Result<String, Malformed> {
        match self.peek() {
            Some(quote @ ('\'' | '"')) => {
                // `'((?:\\.|[^'\\])*)'`, with DOTALL: a backslash escapes any character.
                let body = &self.rest()[1..];
                let mut chars = body.char_indices();
                let mut end = None;
                while let Some((i, c)) = chars.next() {
                    if c == '\\' {
                        if chars.next().is_none() {
                            break;
                        }
                    } else if c == quote {
                        end = Some(i);
                        break;
                    }
                }
                let end = end.ok_or(Malformed)?;
                let raw = body[..end].to_owned();
                self.advance(end + 2);
                Ok(unescape(&raw, quote))
            }
            None | Some('\r' | '\n') => Ok(String::new()),
            Some(_) => {
                // `([^\r\n]*)`, then `re.sub(r"\s+#.*", "", part).rstrip()`.
                let len = self.skip_while(|c| c != '\r' && c != '\n');
                let part = &self.s[self.pos - len..self.pos];
                Ok(cut_comment(part).trim_end().to_owned())
            }
        }
    }
}

/// An unquoted value without its comment: everything from the first run of whitespace that a
/// `#` follows.
fn cut_comment(part: &str) -> &str {
    let mut run_start = None;
    for (i, c) in part.char_indices() {
        if c.is_whitespace() {
            run_start.get_or_insert(i);
        } else if c == '#'
            && let Some(start) = run_start
        {
            return &part[..start];
        } else {
            run_start = None;
        }
    }
    part
}

/// python-dotenv's `decode_escapes`: in single quotes only `\\` and `\'`; in double quotes those
/// and `\"`, `\a`, `\b`, `\f`, `\n`, `\r`, `\t`, `\v`. Any other backslash stays.
fn unescape(raw: &str, quote: char) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match (quote, chars.peek()) {
            (_, Some('\\')) => Some('\\'),
            (_, Some('\'')) => Some('\''),
            ('"', Some('"')) => Some('"'),
            ('"', Some('a')) => Some('\u{7}'),
            ('"', Some('b')) => Some('\u{8}'),
            ('"', Some('f')) => Some('\u{c}'),
            ('"', Some('n')) => Some('\n'),
            ('"', Some('r')) => Some('\r'),
            ('"', Some('t')) => Some('\t'),
            ('"', Some('v')) => Some('\u{b}'),
            _ => None,
        };
        match decoded {
            Some(d) => {
                out.push(d);
                chars.next();
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(vars: &'a [(String, String)], key: &str) -> Option<&'a str> {
        vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    #[test]
    fn values_are_read_as_python_dotenv_reads_them() {
        let text = "# Redis\nREDIS_HOST='10.0.0.1'\nREDIS_PORT=6390 # the port\nexport REDIS_PASSWORD=\"p\\\"w\"\nREDIS_DATABASE = 2\nEMPTY=''\nMULTI=\"a\nb\"\nnot a line\nHASH=a#b\nTAB=x\t# c\nBLANK= # only a comment\nLONE\n'QUOTED KEY'=q\nESC=\"\\t\\x\"\nSINGLE='a\\'b\\n'\nUNCLOSED=\"x\nAFTER=1\nREDIS_PORT=6391\n";
        let vars = values(text);
        assert_eq!(get(&vars, "REDIS_HOST"), Some("10.0.0.1"));
        assert_eq!(get(&vars, "REDIS_PORT"), Some("6391"));
        assert_eq!(get(&vars, "REDIS_PASSWORD"), Some("p\"w"));
        assert_eq!(get(&vars, "REDIS_DATABASE"), Some("2"));
        assert_eq!(get(&vars, "EMPTY"), Some(""));
        assert_eq!(get(&vars, "MULTI"), Some("a\nb"));
        assert_eq!(get(&vars, "HASH"), Some("a#b"));
        assert_eq!(get(&vars, "TAB"), Some("x"));
        assert_eq!(get(&vars, "BLANK"), Some(""));
        assert_eq!(get(&vars, "LONE"), None);
        assert_eq!(get(&vars, "QUOTED KEY"), Some("q"));
        assert_eq!(get(&vars, "ESC"), Some("\t\\x"));
        assert_eq!(get(&vars, "SINGLE"), Some("a'b\\n"));
        // An unterminated quote spoils its own line only.
        assert_eq!(get(&vars, "UNCLOSED"), None);
        assert_eq!(get(&vars, "AFTER"), Some("1"));
        assert!(!vars.iter().any(|(k, _)| k == "not"));
    }

    #[test]
    fn bindings_keep_their_line_and_text() {
        let text = "\u{feff}A=1\r\n\r\n# c\r\n  export B='x\r\ny'  # note\r\nC\r\n";
        let bindings = parse(text);
        let got: Vec<(&str, usize, &str)> = bindings
            .iter()
            .map(|b| (b.key.as_str(), b.line, b.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("A", 1, "A=1"),
                ("B", 4, "export B='x\r\ny'  # note"),
                ("C", 6, "C")
            ]
        );
        assert_eq!(bindings[2].value, None);
    }
}
