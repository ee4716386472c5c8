//! Python sources read without running Python: decoding as Python does (a UTF-8 BOM, or a
//! PEP 263 `coding` line in the first two lines), parsing with ruff's parser, and collecting what
//! the module's top level binds to each name. Only literals are read as values (and module-level
//! names bound once to one); anything Python would have to run to know (an f-string, a call, a
//! name imported from elsewhere, an assignment inside an `if`) is recorded as such, never
//! guessed. The grammar is that of the Python the host runs ([`syntax_for`]): ruff's parser reads
//! the newest, in which `except A, B:` is valid, while every Python 3 before 3.14 refuses it.
//!
//! `decode.rs` reads the bytes, `syntax.rs` parses and judges the grammar, `values.rs` reads what
//! the module binds.

mod decode;
mod syntax;
mod values;

pub(crate) use decode::{DecodeError, decode};
#[cfg(test)]
pub(crate) use syntax::parse;
pub(crate) use syntax::{SyntaxError, parse_checked, syntax_for};
pub(crate) use values::{
    Binding, DictEntry, DictLiteral, Function, Value, bindings, dict_literal, evaluate, function,
    is_identifier, span,
};
