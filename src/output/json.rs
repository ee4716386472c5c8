//! The one place JSON is printed. Every `--format json` document goes through
//! [`Printer::json`], so its shape is decided here: an object whose first field is
//! `"version": 1` (the version of pluginkit's JSON shapes, README.md "JSON output"), followed by
//! the document's own fields; pretty-printed, one document per run. A document is therefore a
//! struct (a list goes in a named field of one), never a bare array: [`Printer::json`] refuses
//! anything that does not serialize as an object. SARIF, a format with its own `"version"`, is
//! printed as it is by [`Printer::json_foreign`].

use std::io;

use serde::Serialize;

use super::Printer;

/// The version of pluginkit's JSON shapes (documented in README.md, "JSON output"); fields are
/// only ever added.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// A document as `{"version": 1, ...its fields}`.
#[derive(Debug, Serialize)]
struct Versioned<'a, T: Serialize> {
    version: u32,
    #[serde(flatten)]
    document: &'a T,
}

impl Printer {
    /// Print `document`, a struct, to stdout as `{"version": 1, ...its fields}` in pretty JSON.
    /// A closed pipe surfaces as an error that `run` treats as success.
    pub(crate) fn json<T: Serialize>(&self, document: &T) -> io::Result<()> {
        let versioned = Versioned {
            version: FORMAT_VERSION,
            document,
        };
        let text = serde_json::to_string_pretty(&versioned).map_err(io::Error::other)?;
        self.out(text)
    }

    /// Print a document of another format (SARIF) as it is: it carries its own `"version"`.
    pub(crate) fn json_foreign(&self, document: &serde_json::Value) -> io::Result<()> {
        let text = serde_json::to_string_pretty(document).map_err(io::Error::other)?;
        self.out(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Doc {
        plugins: Vec<u32>,
    }

    #[test]
    fn a_document_is_an_object_that_starts_with_its_version() {
        let versioned = Versioned {
            version: FORMAT_VERSION,
            document: &Doc { plugins: vec![1] },
        };
        assert_eq!(
            serde_json::to_string(&versioned).unwrap(),
            r#"{"version":1,"plugins":[1]}"#
        );
        // A bare list cannot be a document.
        let bare = Versioned {
            version: FORMAT_VERSION,
            document: &vec![1],
        };
        assert!(serde_json::to_string(&bare).is_err());
    }
}
