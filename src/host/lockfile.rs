//! `pluginkit.lock`: one entry per plugin with its version, exact source and checksums, in name
//! order. It is the team's record, shared like `pluginkit.toml`, so it is changed entry by
//! entry: an install puts its plugin's entry in (or replaces it), a removal takes it out, and
//! every other entry stays as it was, byte for byte, whatever this machine has installed (the
//! receipts are this machine's). A `--locked` run never writes it. Read back by
//! `sync --locked`, and by `list` for where each plugin came from.
//!
//! A lock that cannot be read is never overwritten: the command that would change it stops
//! with the line and column of the mistake ([`LockError`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use crate::error::Domain;
use crate::host::receipts::Receipt;
use crate::plugin::names;
use crate::source::id::SourceId;
use crate::util::atomic::write_atomically;

pub(crate) const LOCK_FILE: &str = "pluginkit.lock";

/// What a new lock starts with.
const HEADER: &str = "# This file is written by pluginkit: do not edit it by hand.\n# It records exactly what is installed, so that `pluginkit sync --locked` can install it again.\nversion = 1\n";

/// One `[[plugin]]` of `pluginkit.lock`, as [`entry`] writes it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Locked {
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) source: SourceId,
    pub(crate) sha256: Option<String>,
    /// The id of the public key that verified the registry's snapshot it was installed by.
    #[serde(default, rename = "verified-by")]
    pub(crate) verified_by: Option<String>,
    pub(crate) tree: String,
    #[serde(default)]
    pub(crate) dependencies: Vec<String>,
    /// The plugin's Python requirement lines, as `deps` resolved them (older locks have none).
    #[serde(default, rename = "python-requirements")]
    pub(crate) python_requirements: Option<Vec<String>>,
    /// What they resolved to: every package they install, pinned (`name==version`).
    #[serde(default, rename = "python-pins")]
    pub(crate) python_pins: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct LockFile {
    #[serde(default)]
    plugin: Vec<Locked>,
}

/// A `pluginkit.lock` that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LockError {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}:{line}:{column}: not a pluginkit lockfile: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// An entry to put in that is not one `[[plugin]]` table (a damaged backup record).
    #[error("the pluginkit.lock entry kept for {name} is not one [[plugin]] table: {message}")]
    Entry { name: String, message: String },
}

impl Domain for LockError {
    fn hint(&self) -> Option<Cow<'_, str>> {
        match self {
            LockError::Invalid { .. } => Some(Cow::Borrowed(
                "pluginkit.lock is written by pluginkit: mend that line, or take the file back from version control, then run the command again",
            )),
            LockError::Entry { .. } => Some(Cow::Borrowed(
                "the backup's record is damaged: install the plugin again instead of restoring it",
            )),
            LockError::Read { .. } | LockError::Write { .. } => None,
        }
    }

    /// A lock that cannot be read is a configuration that cannot be read (exit 2), to mend by
    /// hand before any command changes the host.
    fn is_usage(&self) -> bool {
        matches!(self, LockError::Invalid { .. })
    }
}

/// Where `at` (a byte offset) is in `text`: 1-based line and column (in characters).
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before, |newline| &before[newline + 1..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The entries of a `pluginkit.lock`'s text, or what is wrong with it, at which line and column.
/// The entries must be `[[plugin]]` tables (not an inline array), which is what is edited.
fn parse_at(path: &Path, text: &str) -> Result<Vec<Locked>, LockError> {
    let invalid = |at: usize, message: &str| {
        let (line, column) = line_column(text, at);
        LockError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: message.lines().next().unwrap_or("invalid TOML").to_owned(),
        }
    };
    let entries = toml::from_str::<LockFile>(text)
        .map(|lock| lock.plugin)
        .map_err(|e| invalid(e.span().map_or(0, |span| span.start), e.message()))?;
    if let Ok(doc) = toml_edit::Document::parse(text)
        && let Some(item) = doc.get("plugin")
    {
        let Some(tables) = item.as_array_of_tables() else {
            let at = item.span().map_or(0, |span| span.start);
            return Err(invalid(
                at,
                "`plugin` is to be written as [[plugin]] tables",
            ));
        };
        // A name becomes a path in the plugins folder: one that breaks the rule is refused
        // where it is written.
        for (entry, table) in entries.iter().zip(tables.iter()) {
            if let Some(why) = names::refusal(&entry.name) {
                let at = table
                    .get("name")
                    .and_then(Item::span)
                    .or_else(|| table.span())
                    .map_or(0, |span| span.start);
                return Err(invalid(
                    at,
                    &format!(
                        "`{}` is not a plugin name: it {why}",
                        entry.name.escape_debug()
                    ),
                ));
            }
        }
    }
    Ok(entries)
}

/// The lock's text, `None` when there is none.
fn read_text(path: &Path) -> Result<Option<String>, LockError> {
    match read_regular(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(LockError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The text of the file `path` (links followed: a lock may be shared as one), read only when it
/// is a regular file of a bounded size: a FIFO or a device there neither hangs nor exhausts a
/// command.
fn read_regular(path: &Path) -> io::Result<String> {
    crate::util::read::read_regular_text(path, crate::host::state::MAX_STATE_FILE)
}

/// The entries of the lock under `host_root` (`None` when there is none), or why it cannot be
/// read.
pub(crate) fn load(host_root: &Path) -> Result<Option<Vec<Locked>>, LockError> {
    let path = host_root.join(LOCK_FILE);
    read_text(&path)?
        .map(|text| parse_at(&path, &text))
        .transpose()
}

/// The entries of the lock under `host_root`; none when there is no lock or it cannot be read
/// (for listings, which must not fail over it; the commands that change it report why).
pub(crate) fn read_or_empty(host_root: &Path) -> Vec<Locked> {
    load(host_root).ok().flatten().unwrap_or_default()
}

/// The `[[plugin]]` entry for what `receipt` records, as a new lock has it.
pub(crate) fn entry(receipt: &Receipt) -> String {
    let mut out = String::from("\n[[plugin]]\n");
    let _ = writeln!(out, "name = {}", quote(&receipt.name));
    if let Some(version) = &receipt.version {
        let _ = writeln!(out, "version = {}", quote(version));
    }
    let _ = writeln!(out, "flavor = {}", quote(&receipt.flavor));
    let _ = writeln!(out, "source = {}", quote(&receipt.source.to_string()));
    if let Some(sha) = &receipt.archive_sha256 {
        let _ = writeln!(out, "sha256 = {}", quote(sha));
    }
    if let Some(key) = &receipt.verified_by {
        let _ = writeln!(out, "verified-by = {}", quote(key));
    }
    let _ = writeln!(out, "tree = {}", quote(&receipt.tree));
    if !receipt.dependencies.is_empty() {
        let names: Vec<String> = receipt.dependencies.iter().map(|d| quote(d)).collect();
        let _ = writeln!(out, "dependencies = [{}]", names.join(", "));
    }
    out
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    toml_edit::Value::from(text).to_string().trim().to_owned()
}

/// The lock under `host_root`, to change: its path, its text as it is (`None`: no lock yet) and
/// the document. Refuses a lock that cannot be read, which must not be overwritten.
struct Editing {
    path: PathBuf,
    before: Option<String>,
    doc: DocumentMut,
}

impl Editing {
    fn open(host_root: &Path) -> Result<Editing, LockError> {
        let path = host_root.join(LOCK_FILE);
        let before = read_text(&path)?;
        let text = before.as_deref().unwrap_or(HEADER);
        parse_at(&path, text)?;
        let doc = text.parse::<DocumentMut>().map_err(|e| {
            let (line, column) = line_column(text, e.span().map_or(0, |span| span.start));
            LockError::Invalid {
                path: path.clone(),
                line,
                column,
                message: e.message().to_owned(),
            }
        })?;
        Ok(Editing { path, before, doc })
    }

    /// The `[[plugin]]` entries, made when there are none.
    fn entries(&mut self) -> Option<&mut ArrayOfTables> {
        self.doc
            .entry("plugin")
            .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()))
            .as_array_of_tables_mut()
    }

    /// Write the lock when its text changed (a run that changes nothing leaves the file as it
    /// is, so a recovery that runs again writes nothing).
    fn save(self) -> Result<(), LockError> {
        let text = self.doc.to_string();
        if self.before.as_deref() == Some(text.as_str()) {
            return Ok(());
        }
        write_atomically(&self.path, text.as_bytes()).map_err(|source| LockError::Write {
            path: self.path,
            source,
        })
    }
}

fn name_of(table: &Table) -> Option<&str> {
    table.get("name").and_then(Item::as_str)
}

/// The name an entry's text (as [`entry_text`] read it, kept by a backup) gives, when it is one
/// `[[plugin]]` table with a name.
pub(crate) fn entry_name(text: &str) -> Option<String> {
    let doc = text.parse::<DocumentMut>().ok()?;
    let tables = doc.get("plugin")?.as_array_of_tables()?;
    match tables.len() {
        1 => name_of(tables.get(0)?).map(str::to_owned),
        _ => None,
    }
}

/// Check that the lock under `host_root`, if there is one, can be read: before a change that
/// will write it, so that nothing changes when it would stop at the lock.
pub(crate) fn check(host_root: &Path) -> Result<(), LockError> {
    load(host_root).map(drop)
}

/// Put `text`, one `[[plugin]]` entry (as [`entry`] writes it, or as [`entry_text`] read it),
/// into the lock under `host_root` as the entry for `name`: in place of the one there, or in
/// name order. Every other entry stays as it was; a lock that already holds this entry is not
/// written. A host without a lock gets one.
pub(crate) fn upsert(host_root: &Path, name: &str, text: &str) -> Result<(), LockError> {
    let mut lock = Editing::open(host_root)?;
    let invalid = |message: String| LockError::Entry {
        name: name.to_owned(),
        message,
    };
    let mut new = text
        .parse::<DocumentMut>()
        .map_err(|e| invalid(e.to_string()))?
        .remove("plugin")
        .and_then(|item| item.into_array_of_tables().ok())
        .filter(|tables| tables.len() == 1)
        .map(|mut tables| tables.remove(0))
        .ok_or_else(|| invalid("not one [[plugin]] entry".into()))?;
    // Placed by its index in the array, not by where it was in its own text.
    new.set_position(None);
    let Some(entries) = lock.entries() else {
        // Not reachable: opening checked that `plugin` holds [[plugin]] tables.
        return Err(invalid(
            "the lock's `plugin` is not [[plugin]] tables".into(),
        ));
    };
    let found = entries.iter().position(|t| name_of(t) == Some(name));
    match found {
        Some(at) => {
            let old = entries.get(at).map(Table::to_string);
            if old != Some(new.to_string()) {
                let position = entries.get(at).and_then(Table::position);
                new.set_position(position);
                entries.replace(at, new);
            }
        }
        None => {
            let after = entries
                .iter()
                .position(|t| name_of(t).is_some_and(|other| other > name));
            let at = after.unwrap_or(entries.len());
            entries.insert(at, new);
        }
    }
    lock.save()
}

/// Record in `name`'s entry of the lock under `host_root` its Python requirement lines and the
/// pins they resolved to (`python-requirements`, `python-pins`), leaving its other keys and
/// every other entry as they were. Returns whether the lock has an entry for `name` (a plugin
/// pluginkit did not install has none, and nothing is recorded for it).
pub(crate) fn set_python(
    host_root: &Path,
    name: &str,
    requirements: &[String],
    pins: &[String],
) -> Result<bool, LockError> {
    if !host_root.join(LOCK_FILE).exists() {
        return Ok(false);
    }
    let mut lock = Editing::open(host_root)?;
    let Some(entry) = lock
        .doc
        .get_mut("plugin")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|entries| entries.iter_mut().find(|t| name_of(t) == Some(name)))
    else {
        return Ok(false);
    };
    for (key, values) in [("python-requirements", requirements), ("python-pins", pins)] {
        let mut array = toml_edit::Array::new();
        for value in values {
            array.push_formatted(toml_edit::Value::from(value.as_str()).decorated("\n  ", ""));
        }
        if !values.is_empty() {
            array.set_trailing("\n");
            array.set_trailing_comma(true);
        }
        let same = entry.get(key).and_then(Item::as_array).is_some_and(|old| {
            old.iter()
                .map(|v| v.as_str())
                .eq(values.iter().map(|v| Some(v.as_str())))
        });
        if !same {
            entry.insert(key, toml_edit::value(array));
        }
    }
    lock.save()?;
    Ok(true)
}

/// Take the entry for `name` out of the lock under `host_root`, leaving every other one as it
/// was. Nothing to do without a lock or without that entry.
pub(crate) fn delete(host_root: &Path, name: &str) -> Result<(), LockError> {
    retain(host_root, |other| other != name)
}

/// Keep only the entries whose names `keep` says, leaving those as they were.
pub(crate) fn retain(host_root: &Path, keep: impl Fn(&str) -> bool) -> Result<(), LockError> {
    if !host_root.join(LOCK_FILE).exists() {
        return Ok(());
    }
    let mut lock = Editing::open(host_root)?;
    if let Some(entries) = lock
        .doc
        .get_mut("plugin")
        .and_then(Item::as_array_of_tables_mut)
    {
        entries.retain(|t| name_of(t).is_none_or(&keep));
    }
    lock.save()
}

/// The text of `name`'s entry in the lock under `host_root`, as it is written there (with the
/// comments and blank lines before it), for [`upsert`] to put back; `None` when the lock has no
/// such entry or cannot be read.
pub(crate) fn entry_text(host_root: &Path, name: &str) -> Option<String> {
    let text = read_regular(&host_root.join(LOCK_FILE)).ok()?;
    let doc = text.parse::<DocumentMut>().ok()?;
    let table = doc
        .get("plugin")?
        .as_array_of_tables()?
        .iter()
        .find(|t| name_of(t) == Some(name))?
        .clone();
    let mut alone = DocumentMut::new();
    let mut tables = ArrayOfTables::new();
    tables.push(table);
    alone.insert("plugin", Item::ArrayOfTables(tables));
    Some(alone.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::id::LocalPath;

    fn receipt(name: &str, version: &str) -> Receipt {
        Receipt {
            name: name.into(),
            version: Some(version.into()),
            flavor: "pluginkit".into(),
            source: SourceId::ZipFile {
                path: LocalPath::Relative(format!("dist/{name} \"x\".zip")),
            },
            archive_sha256: None,
            verified_by: None,
            tree: "sha256:00".into(),
            dependencies: Vec::new(),
            files: Default::default(),
        }
    }

    fn put(root: &Path, r: &Receipt) {
        upsert(root, &r.name, &entry(r)).unwrap();
    }

    fn lock(root: &Path) -> String {
        std::fs::read_to_string(root.join(LOCK_FILE)).unwrap()
    }

    #[test]
    fn entries_are_quoted_and_ordered() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), &receipt("b", "1.0.0"));
        put(dir.path(), &receipt("a", "1.0.0"));
        let text = lock(dir.path());
        assert!(text.starts_with(HEADER), "{text}");
        let parsed = load(dir.path()).unwrap().unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].name, "a");
        assert_eq!(parsed[1].name, "b");
        assert_eq!(parsed[0].source, receipt("a", "1").source);
        // What a fresh lock of both looks like, entry after entry.
        let fresh = format!(
            "{HEADER}{}{}",
            entry(&receipt("a", "1.0.0")),
            entry(&receipt("b", "1.0.0"))
        );
        assert_eq!(text, fresh);
    }

    #[test]
    fn one_entry_changes_and_the_others_stay_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Entries written by hand or by another version, with comments and odd spacing.
        let zip = |name: &str| SourceId::zip_file(root, &root.join(format!("{name}.zip")));
        let (a, c) = (zip("a"), zip("c"));
        let before = format!(
            "# team lock\nversion = 1\n\n[[plugin]]\nname = \"a\"   # pinned by ops\nversion='1.0.0'\nsource = \"{a}\"\ntree = \"sha256:aa\"\nfuture = {{ kept = true }}\n\n# c is next\n[[plugin]]\nname = \"c\"\nsource = \"{c}\"\ntree = \"sha256:cc\"\n"
        );
        let before = before.as_str();
        std::fs::write(root.join(LOCK_FILE), before).unwrap();
        put(root, &receipt("b", "2.0.0"));
        let with_b = lock(root);
        let b = entry(&receipt("b", "2.0.0"));
        let (head, tail) = before.split_at(before.find("\n# c is next").unwrap());
        assert_eq!(with_b, format!("{head}{b}{tail}"));
        // The same entry again writes nothing new; another version of it replaces it in place.
        put(root, &receipt("b", "2.0.0"));
        assert_eq!(lock(root), with_b);
        put(root, &receipt("b", "3.0.0"));
        let b3 = entry(&receipt("b", "3.0.0"));
        assert_eq!(lock(root), format!("{head}{b3}{tail}"));
        // Taken out again: the file is what it was.
        delete(root, "b").unwrap();
        assert_eq!(lock(root), before);
        delete(root, "nothing").unwrap();
        assert_eq!(lock(root), before);
        // An entry read out of the lock goes back as it was.
        let c = entry_text(root, "c").unwrap();
        assert!(c.contains("# c is next"), "{c}");
        delete(root, "c").unwrap();
        upsert(root, "c", &c).unwrap();
        assert_eq!(lock(root), before);
        retain(root, |name| name == "c").unwrap();
        assert_eq!(lock(root), format!("# team lock\nversion = 1\n{tail}"));
    }

    #[test]
    fn python_pins_go_into_one_entry_and_older_locks_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // No lock, or no entry for the plugin: nothing is recorded.
        assert!(!set_python(root, "a", &[], &[]).unwrap());
        put(root, &receipt("a", "1.0.0"));
        put(root, &receipt("b", "1.0.0"));
        let before = lock(root);
        assert!(load(root).unwrap().unwrap()[0].python_pins.is_none());
        assert!(!set_python(root, "c", &["x".into()], &["x==1".into()]).unwrap());
        let (requirements, pins) = (
            vec!["pkapp>=1.0".to_owned()],
            vec!["pkapp==1.0".to_owned(), "pkdep==1.9".to_owned()],
        );
        assert!(set_python(root, "a", &requirements, &pins).unwrap());
        let text = lock(root);
        let a = entry(&receipt("a", "1.0.0"));
        assert_eq!(
            text,
            before.replacen(
                &a,
                &format!(
                    "{a}python-requirements = [\n  \"pkapp>=1.0\",\n]\npython-pins = [\n  \"pkapp==1.0\",\n  \"pkdep==1.9\",\n]\n"
                ),
                1
            )
        );
        let parsed = load(root).unwrap().unwrap();
        assert_eq!(
            parsed[0].python_requirements.as_deref(),
            Some(&requirements[..])
        );
        assert_eq!(parsed[0].python_pins.as_deref(), Some(&pins[..]));
        // The same again writes nothing; a reinstall's entry has none (its pins may no longer
        // hold).
        set_python(root, "a", &requirements, &pins).unwrap();
        assert_eq!(lock(root), text);
        put(root, &receipt("a", "1.0.0"));
        assert_eq!(lock(root), before);
    }

    #[test]
    fn a_lock_that_cannot_be_read_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let broken = "version = 1\n\n[[plugin]]\nname = \"a\"\nsource = \"svn+x\"\ntree = \"t\"\n";
        std::fs::write(root.join(LOCK_FILE), broken).unwrap();
        let error = upsert(root, "b", &entry(&receipt("b", "1.0.0"))).unwrap_err();
        let LockError::Invalid { line, column, .. } = &error else {
            panic!("{error}");
        };
        assert_eq!((*line, *column), (5, 10), "{error}");
        assert!(delete(root, "a").is_err());
        assert!(check(root).is_err());
        assert_eq!(lock(root), broken);
        // Entries written as an inline array are refused too, not replaced.
        let a = SourceId::zip_file(root, &root.join("a.zip"));
        let inline =
            format!("version = 1\nplugin = [{{ name = \"a\", source = \"{a}\", tree = \"t\" }}]\n");
        let inline = inline.as_str();
        std::fs::write(root.join(LOCK_FILE), inline).unwrap();
        let error = upsert(root, "b", &entry(&receipt("b", "1.0.0"))).unwrap_err();
        assert!(
            matches!(
                error,
                LockError::Invalid {
                    line: 2,
                    column: 10,
                    ..
                }
            ),
            "{error}"
        );
        assert_eq!(lock(root), inline);
        // No lock at all is fine: there is nothing to keep.
        let empty = tempfile::tempdir().unwrap();
        assert!(check(empty.path()).is_ok());
        delete(empty.path(), "a").unwrap();
        assert!(!empty.path().join(LOCK_FILE).exists());
    }
}
