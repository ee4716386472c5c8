//! The one place JSON is printed. Every `--format json` document goes through
//! [`Printer::json`], so its shape is decided here: pretty-printed, one document per run.
//!
//! The documents whose shape already carries `"version"` (`list`, `info`, `validate`) are
//! wrapped in [`Versioned`] rather than each holding the field. The other commands still print
//! bare arrays and objects: their shape stays as it is until every document becomes a
//! versioned object (issue 13, point 4).

use std::io;

use serde::Serialize;

use super::Printer;

/// The version of pluginkit's JSON shapes (documented in README.md, "JSON output"); fields are
/// only ever added.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// A document as `{"version": 1, ...its fields}`.
#[derive(Debug, Serialize)]
pub(crate) struct Versioned<'a, T: Serialize> {
    version: u32,
    #[serde(flatten)]
    document: &'a T,
}

impl<'a, T: Serialize> Versioned<'a, T> {
    pub(crate) fn new(document: &'a T) -> Self {
        Versioned {
            version: FORMAT_VERSION,
            document,
        }
    }
}

impl Printer {
    /// Print `document` to stdout as pretty JSON. A closed pipe surfaces as an error that `run`
    /// treats as success.
    pub(crate) fn json<T: Serialize + ?Sized>(&self, document: &T) -> io::Result<()> {
        let text = serde_json::to_string_pretty(document).map_err(io::Error::other)?;
        self.out(text)
    }
}
