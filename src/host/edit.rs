//! Editing `pluginkit.toml`'s `[plugins]`: setting or removing one entry, keeping the rest of
//! the file as the user wrote it (comments, order, layout).

use std::io::{self, ErrorKind};
use std::path::Path;

use crate::host::HOST_FILE;
use crate::util::atomic::write_atomically;

/// Set (`Some`, an inline table or string in TOML) or remove (`None`) the entry for `name` in
/// the `[plugins]` table of the host's `pluginkit.toml` under `root`, keeping the rest of the
/// file as the user wrote it (comments, order, layout), and writing it atomically. A host
/// without `pluginkit.toml` gets none; a file that already says this is left alone, so a
/// recovery that runs this again changes nothing.
pub(crate) fn record_plugin(root: &Path, name: &str, entry: Option<&str>) -> io::Result<()> {
    let file = root.join(HOST_FILE);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let invalid = |what: String| io::Error::new(ErrorKind::InvalidData, what);
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| invalid(format!("{}: {e}", file.display())))?;
    match entry {
        Some(entry) => {
            let mut value: toml_edit::Value = entry
                .parse()
                .map_err(|e| invalid(format!("the [plugins] entry `{entry}`: {e}")))?;
            // The default spacing, `name = { ... }`, not the parsed text's.
            value.decor_mut().clear();
            let plugins = doc
                .entry("plugins")
                .or_insert_with(toml_edit::table)
                .as_table_like_mut()
                .ok_or_else(|| invalid(format!("{}: `plugins` is not a table", file.display())))?;
            plugins.insert(name, toml_edit::Item::Value(value));
        }
        None => {
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
