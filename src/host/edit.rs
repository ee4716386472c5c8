//! Editing `pluginkit.toml`'s `[plugins]`: setting, removing or putting back one entry, keeping
//! the rest of the file as the user wrote it (comments, order, layout) and the entry's own
//! layout too: a changed entry gets its new value in place, with the comment lines above it,
//! its trailing comment and the blank lines around it as they were. (toml_edit's
//! `Table::insert` on a key that is there formats the key afresh, which drops the comment
//! lines above it; so the value is replaced in place instead.)

use std::io::{self, ErrorKind};
use std::path::Path;

use toml_edit::{DocumentMut, Item, Key, TableLike, Value};

use crate::host::HOST_FILE;
use crate::util::atomic::write_atomically;

/// What to do to one entry of `[plugins]`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Change<'a> {
    /// Give it this value (an inline table or a string, in TOML), keeping its layout; an entry
    /// that already says the same thing is left as it is.
    Set(&'a str),
    /// Put it back as [`entry_text`] read it (`name = value` with its comments), unless an
    /// entry for the name is there already, which then only gets the value.
    AsWritten(&'a str),
    /// Take it out.
    Remove,
}

/// Make `change` to the entry for `name` in the `[plugins]` table of the host's
/// `pluginkit.toml` under `root`, keeping the rest of the file as the user wrote it, and write
/// it atomically (through a link, with its mode). A host without `pluginkit.toml` gets none; a
/// file that already says this is left alone, so a recovery that runs this again changes
/// nothing.
pub(crate) fn record_plugin(root: &Path, name: &str, change: Change) -> io::Result<()> {
    let file = root.join(HOST_FILE);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| invalid(format!("{}: {e}", file.display())))?;
    let not_a_table = || invalid(format!("{}: `plugins` is not a table", file.display()));
    match change {
        Change::Set(entry) => {
            let mut value: Value = entry
                .parse()
                .map_err(|e| invalid(format!("the [plugins] entry `{entry}`: {e}")))?;
            // The default spacing, `name = { ... }`, not the parsed text's.
            value.decor_mut().clear();
            let plugins = doc
                .entry("plugins")
                .or_insert_with(toml_edit::table)
                .as_table_like_mut()
                .ok_or_else(not_a_table)?;
            set(plugins, name, value);
        }
        Change::AsWritten(entry) => {
            let (key, item) = parse_entry(name, entry)?;
            let plugins = doc.entry("plugins").or_insert_with(toml_edit::table);
            if let Some(table) = plugins.as_table_mut().filter(|t| !t.contains_key(name)) {
                table.insert_formatted(&key, item);
            } else {
                let plugins = plugins.as_table_like_mut().ok_or_else(not_a_table)?;
                let value = item.into_value().map_err(|_| {
                    invalid(format!(
                        "the [plugins] entry kept for {name} is not a value"
                    ))
                })?;
                set(plugins, name, value);
            }
        }
        Change::Remove => {
            if let Some(plugins) = doc.get_mut("plugins").and_then(|p| p.as_table_like_mut()) {
                plugins.remove(name);
            }
        }
    }
    let edited = doc.to_string();
    if edited != text {
        write_atomically(&file, edited.as_bytes())?;
    }
    Ok(())
}

/// The entry for `name` in the `[plugins]` of the host's `pluginkit.toml` under `root`, as it is
/// written there: `name = value`, with the comment lines above it and its trailing comment, for
/// [`Change::AsWritten`] to put back. `None` when there is none (or no readable file). An entry
/// written as a table of its own (`[plugins.name]`) comes back as an inline table.
pub(crate) fn entry_text(root: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(root.join(HOST_FILE)).ok()?;
    let doc: DocumentMut = text.parse().ok()?;
    let (key, item) = doc.get("plugins")?.as_table_like()?.get_key_value(name)?;
    let (key, item) = match item {
        Item::Value(_) => (key.clone(), item.clone()),
        other => {
            let mut inline = other.as_table_like()?.iter().fold(
                toml_edit::InlineTable::new(),
                |mut inline, (k, v)| {
                    if let Some(v) = v.as_value() {
                        inline.insert(k, v.clone());
                    }
                    inline
                },
            );
            inline.fmt();
            (Key::new(name), Item::Value(Value::InlineTable(inline)))
        }
    };
    let mut alone = DocumentMut::new();
    alone.insert_formatted(&key, item);
    Some(alone.to_string())
}

fn invalid(what: String) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, what)
}

/// The key and value of an entry [`entry_text`] wrote.
fn parse_entry(name: &str, entry: &str) -> io::Result<(Key, Item)> {
    let doc: DocumentMut = entry
        .parse()
        .map_err(|e| invalid(format!("the [plugins] entry kept for {name}: {e}")))?;
    let (key, item) = doc
        .as_table()
        .get_key_value(name)
        .ok_or_else(|| invalid(format!("the [plugins] entry kept for {name} names another")))?;
    Ok((key.clone(), item.clone()))
}

/// Give the entry `name` of `plugins` the value `value`: a new entry goes at the end; an entry
/// that says the same already is left as it is; another gets the new value in its place, with
/// the old value's surrounding spaces and trailing comment (the key, and with it the comment
/// lines above, is not touched).
fn set(plugins: &mut dyn TableLike, name: &str, value: Value) {
    let new = Item::Value(value);
    let Some(item) = plugins.get_mut(name) else {
        plugins.insert(name, new);
        return;
    };
    if same(item, &new) {
        return;
    }
    let Item::Value(value) = new else {
        return;
    };
    match item {
        Item::Value(old) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        // `[plugins.name]`, a table of its own: it stays one, where it is.
        Item::Table(old) if !old.is_dotted() => match value {
            Value::InlineTable(inline) => {
                let mut table = inline.into_table();
                table.fmt();
                *table.decor_mut() = old.decor().clone();
                table.set_position(old.position());
                *old = table;
            }
            other => *item = Item::Value(other),
        },
        _ => *item = Item::Value(value),
    }
}

/// Whether two entries say the same thing, however each is written.
fn same(a: &Item, b: &Item) -> bool {
    if let (Some(a), Some(b)) = (a.as_table_like(), b.as_table_like()) {
        return a.iter().count() == b.iter().count()
            && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)));
    }
    match (a.as_value(), b.as_value()) {
        (Some(Value::String(a)), Some(Value::String(b))) => a.value() == b.value(),
        (Some(Value::Boolean(a)), Some(Value::Boolean(b))) => a.value() == b.value(),
        (Some(Value::Integer(a)), Some(Value::Integer(b))) => a.value() == b.value(),
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|(a, b)| same(&Item::Value(a.clone()), &Item::Value(b.clone())))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "# the host\n[host]\nplugins-dir = \"plugins\"\n\n[plugins]\n# Auth, pinned for the audit (OPS-12)\nauth = { git = \"https://h/auth.git\", tag = \"v1.0.0\" }  # do not move\n\n# Reports\nreport = { zip = \"dist/report.zip\" } # nightly\n[plugins.local]\n# the dev copy\npath = \"../local\"\n";

    fn host(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(HOST_FILE), text).unwrap();
        let file = dir.path().join(HOST_FILE);
        (dir, file)
    }

    #[test]
    fn a_changed_entry_keeps_its_comments_and_layout() {
        let (dir, file) = host(HOST);
        record_plugin(
            dir.path(),
            "report",
            Change::Set("{ zip = \"dist/report.zip\", sha256 = \"ab\" }"),
        )
        .unwrap();
        let expected = HOST.replace(
            "report = { zip = \"dist/report.zip\" } # nightly",
            "report = { zip = \"dist/report.zip\", sha256 = \"ab\" } # nightly",
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
        // The same thing written otherwise: left as it is.
        record_plugin(
            dir.path(),
            "auth",
            Change::Set("{ tag = \"v1.0.0\", git = \"https://h/auth.git\" }"),
        )
        .unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
        // A table of its own stays one.
        record_plugin(
            dir.path(),
            "local",
            Change::Set("{ path = \"../local\", link = true }"),
        )
        .unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.ends_with("[plugins.local]\npath = \"../local\"\nlink = true\n"),
            "{text}"
        );
    }

    #[test]
    fn an_entry_taken_out_goes_back_as_it_was_written() {
        let (dir, file) = host(HOST);
        let auth = entry_text(dir.path(), "auth").unwrap();
        assert_eq!(
            auth,
            "# Auth, pinned for the audit (OPS-12)\nauth = { git = \"https://h/auth.git\", tag = \"v1.0.0\" }  # do not move\n"
        );
        record_plugin(dir.path(), "auth", Change::Remove).unwrap();
        let removed = std::fs::read_to_string(&file).unwrap();
        assert!(!removed.contains("auth"), "{removed}");
        record_plugin(dir.path(), "auth", Change::AsWritten(&auth)).unwrap();
        let back = std::fs::read_to_string(&file).unwrap();
        assert!(back.contains(&auth), "{back}");
        // Again: nothing changes.
        record_plugin(dir.path(), "auth", Change::AsWritten(&auth)).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), back);
        // A table of its own comes back inline.
        assert_eq!(
            entry_text(dir.path(), "local").unwrap(),
            "local = { path = \"../local\" }\n"
        );
        assert_eq!(entry_text(dir.path(), "nothing"), None);
    }
}
