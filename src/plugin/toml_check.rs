//! Typed reading of a parsed TOML manifest that turns every surprise into a finding with the exact
//! span: the shared toolkit of the TOML-based readers (native, FBA, crate).
//!
//! Manifests are parsed by `toml`'s borrowed, spanned parser ([`toml::de::DeTable`]): the values
//! point into the file's text, so a plugins folder of 10,000 manifests is read without copying
//! each key and value (toml_edit keeps every key's and value's formatting, which only an editor
//! needs). [`Table`] and [`Item`] are the views the readers use.

use std::ops::Range;
use std::sync::Arc;

use toml::de::{DeTable, DeValue};

use crate::findings::rules::{self, Rule};
use crate::findings::{Finding, SourceFile};
use crate::util::suggest;

/// A parsed TOML document, borrowing the manifest's text.
pub(crate) type Document<'d> = toml::Spanned<DeTable<'d>>;

/// Parse a manifest's text.
pub(crate) fn parse(text: &str) -> Result<Document<'_>, toml::de::Error> {
    DeTable::parse(text)
}

/// A value of the document, with where it is written.
#[derive(Clone, Copy)]
pub(crate) struct Item<'d>(&'d toml::Spanned<DeValue<'d>>);

impl<'d> Item<'d> {
    fn value(self) -> &'d DeValue<'d> {
        self.0.get_ref()
    }

    /// The span of the value: its literal, or for a table its header (`[plugin]`).
    pub(crate) fn span(self) -> Option<Range<usize>> {
        Some(self.0.span())
    }

    pub(crate) fn as_str(self) -> Option<&'d str> {
        match self.value() {
            DeValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(self) -> Option<bool> {
        self.value().as_bool()
    }

    pub(crate) fn as_integer(self) -> Option<i64> {
        let integer = self.value().as_integer()?;
        i64::from_str_radix(integer.as_str(), integer.radix()).ok()
    }

    pub(crate) fn as_array(self) -> Option<&'d [toml::Spanned<DeValue<'d>>]> {
        match self.value() {
            DeValue::Array(array) => Some(array),
            _ => None,
        }
    }

    /// The elements of an array, as items.
    pub(crate) fn elements(self) -> impl Iterator<Item = Item<'d>> {
        self.as_array().unwrap_or_default().iter().map(Item)
    }

    /// A table, standard (`[name]`), inline (`{ ... }`) or made by dotted keys.
    pub(crate) fn as_table_like(self) -> Option<Table<'d>> {
        match self.value() {
            DeValue::Table(table) => Some(Table(table)),
            _ => None,
        }
    }
}

/// A table of the document.
#[derive(Clone, Copy)]
pub(crate) struct Table<'d>(&'d DeTable<'d>);

impl<'d> Table<'d> {
    pub(crate) fn get(self, key: &str) -> Option<Item<'d>> {
        self.0.get(key).map(Item)
    }

    pub(crate) fn contains_key(self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0.is_empty()
    }

    /// The keys, in no particular order.
    pub(crate) fn keys(self) -> impl Iterator<Item = &'d str> {
        self.0.iter().map(|(key, _)| &**key.get_ref())
    }

    /// The keys and values in the order the file writes them (the parser keeps them sorted).
    pub(crate) fn iter(self) -> impl Iterator<Item = (&'d str, Item<'d>)> {
        let mut entries: Vec<_> = self.0.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        entries
            .into_iter()
            .map(|(key, value)| (&**key.get_ref(), Item(value)))
    }

    /// The span of `key` in the file.
    pub(crate) fn key_span(self, key: &str) -> Option<Range<usize>> {
        self.0.get_key_value(key).map(|(key, _)| key.span())
    }
}

/// A value with the span it was read from.
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Option<Range<usize>>,
}

/// A table found in the manifest, with its dotted name and span for messages.
#[derive(Clone)]
pub(crate) struct TableRef<'d> {
    pub(crate) table: Table<'d>,
    /// e.g. `[plugin]`, or `the top level`.
    pub(crate) name: &'d str,
    pub(crate) span: Option<Range<usize>>,
}

impl TableRef<'_> {
    /// The span of a key of this table, or of the table when the key has none.
    pub(crate) fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.table.key_span(key).or_else(|| self.span.clone())
    }
}

/// A finding just recorded, to add a label or help to.
pub(crate) struct Reported<'a>(&'a mut Finding);

impl Reported<'_> {
    pub(crate) fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.0.help = Some(help.into());
        self
    }

    pub(crate) fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.0.label = Some(label.into());
        self
    }

    /// Give the finding this severity instead of its rule's (a host version that only warns).
    pub(crate) fn severity(&mut self, severity: rules::Severity) -> &mut Self {
        self.0.severity = Some(severity);
        self
    }
}

/// Collects findings for one manifest file.
pub(crate) struct Checker<'a> {
    pub(crate) source: &'a Arc<SourceFile>,
    pub(crate) findings: Vec<Finding>,
}

/// The span of an item: for a value its literal, for a table its header.
pub(crate) fn item_span(item: Item<'_>) -> Option<Range<usize>> {
    item.span()
}

impl<'a> Checker<'a> {
    /// What a TOML item is, for "expected a string, found an integer" messages (the file's
    /// text tells a `[[name]]` array of tables and an inline `{ ... }` table apart).
    pub(crate) fn describe(&self, item: Item<'_>) -> &'static str {
        let text = self.source.text.as_deref().unwrap_or_default();
        let written = text.get(item.0.span()).unwrap_or_default();
        match item.value() {
            DeValue::String(_) => "a string",
            DeValue::Integer(_) => "an integer",
            DeValue::Float(_) => "a float",
            DeValue::Boolean(_) => "a boolean",
            DeValue::Datetime(_) => "a date-time",
            DeValue::Array(array)
                if written.starts_with("[[")
                    && !array.is_empty()
                    && array
                        .iter()
                        .all(|e| matches!(e.get_ref(), DeValue::Table(_))) =>
            {
                "an array of tables"
            }
            DeValue::Array(_) => "an array",
            DeValue::Table(_) if written.starts_with('{') => "an inline table",
            DeValue::Table(_) => "a table",
        }
    }

    pub(crate) fn new(source: &'a Arc<SourceFile>) -> Self {
        Checker {
            source,
            findings: Vec::new(),
        }
    }

    /// Record a finding at a span of this file, returning it for `help`/`label` additions.
    pub(crate) fn report(
        &mut self,
        rule: &'static Rule,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Reported<'_> {
        self.findings
            .push(Finding::new(rule, message).in_file(self.source, span));
        Reported(self.findings.last_mut().expect("a finding was just pushed"))
    }

    /// The finding for a document that does not parse.
    pub(crate) fn syntax_error(&mut self, error: &toml::de::Error) {
        let mut message = error.message().trim_end().to_owned();
        let text = self.source.text.as_deref().unwrap_or_default();
        let (rule, help) = if message.contains("duplicate key") {
            // The span covers the repeated key; name it.
            if let Some(key) = error.span().and_then(|span| text.get(span)) {
                message = format!("duplicate key `{}`", key.trim());
            }
            (
                &rules::DUPLICATE_KEY,
                "each key and table may be defined only once: remove or rename one of them",
            )
        } else {
            (
                &rules::TOML_SYNTAX,
                "fix the TOML syntax at the marked place (see https://toml.io)",
            )
        };
        let first_line = message.lines().next().unwrap_or("invalid TOML").to_owned();
        self.report(rule, error.span(), format!("invalid TOML: {first_line}"))
            .help(help);
    }

    /// The manifest's TOML document (of its `text`), or `None` after reporting why it does not
    /// parse.
    pub(crate) fn parse<'m>(&mut self, text: &'m str) -> Option<Document<'m>> {
        match parse(text) {
            Ok(doc) => Some(doc),
            Err(error) => {
                self.syntax_error(&error);
                None
            }
        }
    }

    /// The root table of a document.
    pub(crate) fn root<'d>(&self, doc: &'d Document<'d>) -> TableRef<'d> {
        TableRef {
            table: Table(doc.get_ref()),
            name: "the top level",
            span: None,
        }
    }

    /// A sub-table of `parent`, reporting a missing (when `required`) or mistyped one.
    pub(crate) fn table<'d>(
        &mut self,
        parent: &TableRef<'d>,
        key: &str,
        name: &'d str,
        required: bool,
    ) -> Option<TableRef<'d>> {
        let Some(item) = parent.table.get(key) else {
            if required {
                self.report(
                    &rules::MISSING_KEY,
                    parent.span.clone(),
                    format!("missing table `{name}`"),
                )
                .label(format!("`{name}` is required"))
                .help(format!("add a `{name}` table"));
            }
            return None;
        };
        match item.as_table_like() {
            Some(table) => Some(TableRef {
                table,
                name,
                span: item_span(item).or_else(|| parent.key_span(key)),
            }),
            None => {
                self.report(
                    &rules::WRONG_TYPE,
                    item_span(item).or_else(|| parent.key_span(key)),
                    format!(
                        "`{key}` must be a table `{name}`, found {}",
                        self.describe(item)
                    ),
                )
                .label("expected a table");
                None
            }
        }
    }

    /// An item of `table`, reporting it missing when `required`.
    pub(crate) fn item<'d>(
        &mut self,
        table: &TableRef<'d>,
        key: &str,
        required: bool,
    ) -> Option<Item<'d>> {
        let item = table.table.get(key);
        if item.is_none() && required {
            self.report(
                &rules::MISSING_KEY,
                table.span.clone(),
                format!("missing `{key}` in {}", table.name),
            )
            .label(format!("`{key}` is required here"))
            .help(format!("add `{key} = ...` to {}", table.name));
        }
        item
    }

    /// A string value, reporting a missing (when `required`) or mistyped one.
    pub(crate) fn string(
        &mut self,
        table: &TableRef<'_>,
        key: &str,
        required: bool,
    ) -> Option<Spanned<String>> {
        let item = self.item(table, key, required)?;
        match item.as_str() {
            Some(s) => Some(Spanned {
                value: s.to_owned(),
                span: item_span(item),
            }),
            None => {
                self.wrong_type(table, key, item, "a string");
                None
            }
        }
    }

    /// An array of strings; non-string elements are reported and skipped.
    pub(crate) fn string_array(
        &mut self,
        table: &TableRef<'_>,
        key: &str,
        required: bool,
    ) -> Option<Spanned<Vec<Spanned<String>>>> {
        let item = self.item(table, key, required)?;
        if item.as_array().is_none() {
            self.wrong_type(table, key, item, "an array of strings");
            return None;
        }
        let mut values = Vec::new();
        for element in item.elements() {
            match element.as_str() {
                Some(s) => values.push(Spanned {
                    value: s.to_owned(),
                    span: element.span(),
                }),
                None => {
                    self.report(
                        &rules::WRONG_TYPE,
                        element.span(),
                        format!(
                            "elements of `{key}` in {} must be strings, found {}",
                            table.name,
                            self.describe(element)
                        ),
                    )
                    .label("expected a string");
                }
            }
        }
        Some(Spanned {
            value: values,
            span: item_span(item),
        })
    }

    pub(crate) fn wrong_type(
        &mut self,
        table: &TableRef<'_>,
        key: &str,
        item: Item<'_>,
        expected: &str,
    ) {
        self.report(
            &rules::WRONG_TYPE,
            item_span(item).or_else(|| table.key_span(key)),
            format!(
                "`{key}` in {} must be {expected}, found {}",
                table.name,
                self.describe(item)
            ),
        )
        .label(format!("expected {expected}"));
    }

    /// Warn about keys that `known` does not list, suggesting the closest known key.
    /// `renamed` maps keys that older versions of a format used to their current names.
    pub(crate) fn unknown_keys(
        &mut self,
        table: &TableRef<'_>,
        known: &[&str],
        renamed: &[(&str, &str)],
    ) {
        // Most tables hold only known keys: only a table with others is walked in file order.
        if table.table.keys().all(|key| known.contains(&key)) {
            return;
        }
        for (key, _) in table.table.iter() {
            if !known.contains(&key) {
                self.unknown_key(table, key, known, renamed);
            }
        }
    }

    /// Warn about one key of `table` that `known` does not list, as [`Checker::unknown_keys`]
    /// does for each.
    pub(crate) fn unknown_key(
        &mut self,
        table: &TableRef<'_>,
        key: &str,
        known: &[&str],
        renamed: &[(&str, &str)],
    ) {
        let span = table.key_span(key);
        let suggestion = renamed
            .iter()
            .find(|(old, _)| *old == key)
            .map(|(_, new)| *new)
            .or_else(|| suggest::closest(key, known.iter().copied()));
        let mut finding = self.report(
            &rules::UNKNOWN_KEY,
            span,
            format!("unknown key `{key}` in {}", table.name),
        );
        match suggestion {
            Some(s) => {
                finding.label(format!("did you mean `{s}`?"));
                finding.help(format!(
                    "did you mean `{s}`? Known keys: {}",
                    known.join(", ")
                ));
            }
            None => {
                finding.label("not a known key");
                finding.help(format!(
                    "remove it; known keys here are: {}",
                    known.join(", ")
                ));
            }
        }
    }
}
