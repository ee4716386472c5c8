//! `[plugins]` of `pluginkit.toml`: what `sync` installs, as the user wrote it. It is read once,
//! when the file is, into [`PluginsTable`]: an entry pluginkit cannot read keeps its finding,
//! which points at the line and column of the mistake, and is reported by the command that
//! needs the table (`sync`, `outdated`, `upgrade`), so a broken entry never stops `list`.
//!
//! [`Wanted::entry`] writes an entry back as `add` and `sync` record it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use semver::VersionReq;
use toml_edit::{Item, TableLike};

use crate::error::Error;
use crate::findings::rules;
use crate::findings::{Finding, SourceFile};
use crate::plugin::names;
use crate::source::git::{GitSource, Pin};

/// What to write, in the help of every finding about `[plugins]`.
const HOW_TO_WRITE: &str = "write `name = \"^1.2\"` (a registry), `{ version = \"^1.2\", registry = \"NAME\" }`, `{ git = \"URL\", tag = \"v1.0.0\" }`, `{ zip = \"URL or path\", sha256 = \"...\" }` or `{ path = \"../folder\" }`";

/// One entry of `[plugins]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// `name = "^1.2"` or `name = { version = "^1.2", registry = "NAME" }`.
    Registry {
        req: VersionReq,
        /// The requirement as written; `None` when the table gives none (any version).
        version: Option<String>,
        /// The registry named; `None` for the default one.
        registry: Option<String>,
    },
    /// `name = { git = "URL", tag = "v1.0.0", subdir = "...", semver = "^1" }`.
    Git(GitSource),
    /// `name = { zip = "URL or path", sha256 = "..." }`; a path is relative to the host's root.
    Zip { at: String, sha256: Option<String> },
    /// `name = { path = "../folder", link = true }`, relative to the host's root.
    Path { path: String, link: bool },
}

impl Wanted {
    /// A registry entry's requirement as written, `*` when it gives none.
    pub(crate) fn requirement_text(&self) -> Option<&str> {
        match self {
            Wanted::Registry { version, .. } => Some(version.as_deref().unwrap_or("*")),
            _ => None,
        }
    }

    /// The entry as `add` and `sync` write it: a string for a registry plugin of the default
    /// registry, else an inline table.
    pub(crate) fn entry(&self) -> String {
        let mut entry = toml_edit::InlineTable::new();
        match self {
            Wanted::Registry {
                version, registry, ..
            } => {
                return registry_entry(version.as_deref().unwrap_or("*"), registry.as_deref());
            }
            Wanted::Git(git) => {
                entry.insert("git", git.url.as_str().into());
                match &git.pin {
                    Pin::DefaultBranch => {}
                    Pin::Tag(tag) => {
                        entry.insert("tag", tag.as_str().into());
                    }
                    Pin::Branch(branch) => {
                        entry.insert("branch", branch.as_str().into());
                    }
                    Pin::Rev(rev) => {
                        entry.insert("rev", rev.as_str().into());
                    }
                }
                if let Some(subdir) = &git.subdir {
                    entry.insert("subdir", subdir.as_str().into());
                }
                if let Some(semver) = &git.semver {
                    entry.insert("semver", semver.as_str().into());
                }
            }
            Wanted::Zip { at, sha256 } => {
                entry.insert("zip", at.as_str().into());
                if let Some(sha256) = sha256 {
                    entry.insert("sha256", sha256.as_str().into());
                }
            }
            Wanted::Path { path, link } => {
                entry.insert("path", path.as_str().into());
                if *link {
                    entry.insert("link", true.into());
                }
            }
        }
        entry.fmt();
        entry.to_string()
    }
}

/// The entry of a registry plugin: `"^1.2"` for the default registry (`registry` is `None`),
/// `{ version = "^1.2", registry = "internal" }` for another.
pub(crate) fn registry_entry(req: &str, registry: Option<&str>) -> String {
    let Some(registry) = registry else {
        return toml_edit::Value::from(req).to_string().trim().to_owned();
    };
    let mut entry = toml_edit::InlineTable::new();
    entry.insert("version", req.into());
    entry.insert("registry", registry.into());
    entry.fmt();
    entry.to_string()
}

/// `[plugins]`, read: each entry, or what is wrong with it.
#[derive(Debug, Default)]
pub(crate) struct PluginsTable {
    entries: BTreeMap<String, Result<Wanted, Box<Finding>>>,
    /// Where each entry's key is written, to point at it.
    keys: BTreeMap<String, Option<Range<usize>>>,
    source: Option<Arc<SourceFile>>,
}

impl PluginsTable {
    /// Read `[plugins]` from the text of a `pluginkit.toml` (`source`), which TOML has accepted
    /// already.
    pub(crate) fn parse(source: &Arc<SourceFile>) -> PluginsTable {
        let text = source.text.as_deref().unwrap_or_default();
        let mut entries = BTreeMap::new();
        let doc = match toml_edit::Document::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                let finding = Finding::new(&rules::HOST_CONFIG, format!("[plugins]: {e}"))
                    .help(HOW_TO_WRITE)
                    .in_file(source, e.span());
                entries.insert(String::new(), Err(Box::new(finding)));
                return PluginsTable {
                    entries,
                    ..PluginsTable::default()
                };
            }
        };
        let mut keys = BTreeMap::new();
        if let Some(table) = doc.get("plugins").and_then(Item::as_table_like) {
            for (key, item) in table.iter() {
                let key_span = table.key(key).and_then(|k| k.span());
                let reader = EntryReader {
                    name: key,
                    source,
                    span: item.span().or_else(|| key_span.clone()),
                };
                // The key is the plugin's folder name: one that breaks the rule would be a path.
                let entry = match names::refusal(key) {
                    Some(why) => Err(reader.bad(
                        format!("`{}` is not a plugin name: it {why}", key.escape_debug()),
                        "not a plugin name",
                        key_span.clone(),
                    )),
                    None => reader.read(item),
                };
                entries.insert(key.to_owned(), entry);
                keys.insert(key.to_owned(), key_span);
            }
        }
        PluginsTable {
            entries,
            keys,
            source: Some(source.clone()),
        }
    }

    /// The error for the entry `key`, which installs a plugin named `installs`: an entry is
    /// named after its plugin (the folder it installs into), or `sync` would remove as not
    /// asked for what it has just installed. Drawn at the key.
    pub(crate) fn misnamed(&self, key: &str, installs: &str) -> Error {
        let mut finding = Finding::new(
            &rules::HOST_CONFIG,
            format!(
                "[plugins] {key}: the entry installs the plugin `{installs}`, not `{key}`",
                key = key.escape_debug(),
                installs = installs.escape_debug()
            ),
        )
        .label(format!("the plugin is named `{installs}`"))
        .help(format!(
            "name the entry after the plugin it installs: `{installs} = ...` instead of `{key} = ...`"
        ));
        if let Some(source) = &self.source {
            finding = finding.in_file(source, self.keys.get(key).cloned().flatten());
        }
        Error::Diagnostic(Box::new(finding))
    }

    /// Every entry, by name; the first one pluginkit cannot read (in name order) is the error,
    /// drawn where it is written.
    pub(crate) fn wanted(&self) -> Result<BTreeMap<String, Wanted>, Error> {
        self.entries
            .iter()
            .map(|(name, entry)| match entry {
                Ok(wanted) => Ok((name.clone(), wanted.clone())),
                Err(finding) => Err(Error::Diagnostic(finding.clone())),
            })
            .collect()
    }

    /// The entry for `name`, or what is wrong with it.
    pub(crate) fn get(&self, name: &str) -> Option<Result<&Wanted, &Finding>> {
        self.entries
            .get(name)
            .map(|entry| entry.as_ref().map_err(AsRef::as_ref))
    }
}

/// Reads one entry, named `name`, whose value is at `span`.
struct EntryReader<'a> {
    name: &'a str,
    source: &'a Arc<SourceFile>,
    span: Option<Range<usize>>,
}

impl EntryReader<'_> {
    /// A finding for this entry, at `span` (the entry's value when `None`).
    fn bad(&self, why: String, label: &str, span: Option<Range<usize>>) -> Box<Finding> {
        let finding = Finding::new(
            &rules::HOST_CONFIG,
            format!("[plugins] {}: {why}", self.name.escape_debug()),
        );
        Box::new(
            finding
                .label(label)
                .help(HOW_TO_WRITE)
                .in_file(self.source, span.or_else(|| self.span.clone())),
        )
    }

    fn req(&self, text: &str, span: Option<Range<usize>>) -> Result<VersionReq, Box<Finding>> {
        VersionReq::parse(text).map_err(|e| {
            self.bad(
                format!("`{text}` is not a SemVer requirement: {e}"),
                "not a SemVer requirement",
                span,
            )
        })
    }

    fn read(&self, item: &Item) -> Result<Wanted, Box<Finding>> {
        if let Some(text) = item.as_str() {
            return Ok(Wanted::Registry {
                req: self.req(text, item.span())?,
                version: Some(text.to_owned()),
                registry: None,
            });
        }
        let Some(table) = item.as_table_like() else {
            return Err(self.bad(
                "expected a version requirement or a table".into(),
                "neither a version requirement nor a table",
                None,
            ));
        };
        let known: &[&str] = if table.contains_key("git") {
            &["git", "tag", "branch", "rev", "subdir", "semver"]
        } else if table.contains_key("zip") {
            &["zip", "sha256"]
        } else if table.contains_key("path") {
            &["path", "link"]
        } else {
            &["version", "registry"]
        };
        if let Some((key, _)) = table.iter().find(|(k, _)| !known.contains(k)) {
            return Err(self.bad(
                format!(
                    "unknown key `{key}` (this entry takes {})",
                    known.join(", ")
                ),
                "unknown key",
                table.key(key).and_then(|k| k.span()),
            ));
        }
        let string = |key: &str| -> Result<Option<String>, Box<Finding>> {
            match table.get(key) {
                None => Ok(None),
                Some(value) => match value.as_str() {
                    Some(text) => Ok(Some(text.to_owned())),
                    None => Err(self.bad(
                        format!("`{key}` must be a string"),
                        "expected a string",
                        value.span(),
                    )),
                },
            }
        };
        if let Some(url) = string("git")? {
            return self.git(table, url, string);
        }
        if let Some(at) = string("zip")? {
            return Ok(Wanted::Zip {
                at,
                sha256: string("sha256")?,
            });
        }
        if let Some(path) = string("path")? {
            let link = match table.get("link") {
                None => false,
                Some(value) => value.as_bool().ok_or_else(|| {
                    self.bad(
                        "`link` must be true or false".into(),
                        "expected true or false",
                        value.span(),
                    )
                })?,
            };
            return Ok(Wanted::Path { path, link });
        }
        let version = string("version")?;
        let span = table.get("version").and_then(Item::span);
        Ok(Wanted::Registry {
            req: self.req(version.as_deref().unwrap_or("*"), span)?,
            version,
            registry: string("registry")?,
        })
    }

    fn git(
        &self,
        table: &dyn TableLike,
        url: String,
        string: impl Fn(&str) -> Result<Option<String>, Box<Finding>>,
    ) -> Result<Wanted, Box<Finding>> {
        let pins: Vec<&str> = ["tag", "branch", "rev"]
            .into_iter()
            .filter(|k| table.contains_key(k))
            .collect();
        if let [_, second, ..] = pins.as_slice() {
            return Err(self.bad(
                "give at most one of tag, branch and rev".into(),
                "a second pin",
                table.key(second).and_then(|k| k.span()),
            ));
        }
        let pin = if let Some(tag) = string("tag")? {
            Pin::Tag(tag)
        } else if let Some(branch) = string("branch")? {
            Pin::Branch(branch)
        } else if let Some(rev) = string("rev")? {
            Pin::Rev(rev)
        } else {
            Pin::DefaultBranch
        };
        Ok(Wanted::Git(GitSource {
            url,
            pin,
            subdir: string("subdir")?,
            semver: string("semver")?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Position;

    fn table(text: &str) -> PluginsTable {
        PluginsTable::parse(&SourceFile::new("pluginkit.toml", Some(text.to_owned())))
    }

    #[test]
    fn entries_are_typed() {
        let plugins = table(
            "[plugins]\nhello = \"^1.2\"\nauth = { git = \"https://h/a.git\", tag = \"v2.0.0\" }\n\
             any = { registry = \"internal\" }\n[plugins.local]\npath = \"../x\"\nlink = true\n",
        );
        let wanted = plugins.wanted().unwrap();
        assert_eq!(wanted.len(), 4);
        assert_eq!(wanted["hello"].requirement_text(), Some("^1.2"));
        assert_eq!(wanted["any"].requirement_text(), Some("*"));
        assert!(matches!(&wanted["auth"], Wanted::Git(g) if g.pin == Pin::Tag("v2.0.0".into())));
        assert_eq!(
            wanted["local"],
            Wanted::Path {
                path: "../x".into(),
                link: true
            }
        );
    }

    #[test]
    fn a_key_is_a_plugin_name_and_a_mismatch_points_at_it() {
        let plugins = table(
            "[plugins]\nhello = \"^1\"\n\"../x\" = { path = \"d\" }\n__pycache__ = \"^1\"\ndev = { path = \"d\" }\n",
        );
        for (key, line) in [("../x", 3), ("__pycache__", 4)] {
            let Some(Err(finding)) = plugins.get(key) else {
                panic!("{key} is read");
            };
            assert!(
                finding.message.contains("not a plugin name"),
                "{}",
                finding.message
            );
            let (start, _) = finding.location.as_ref().unwrap().positions().unwrap();
            assert_eq!(start, Position { line, column: 1 }, "{key}");
        }
        let Error::Diagnostic(finding) = plugins.misnamed("dev", "hello") else {
            panic!("a diagnostic");
        };
        assert!(
            finding.message.contains("`hello`") && finding.message.contains("`dev`"),
            "{}",
            finding.message
        );
        let (start, _) = finding.location.as_ref().unwrap().positions().unwrap();
        assert_eq!(start, Position { line: 5, column: 1 });
    }

    #[test]
    fn a_bad_entry_points_at_its_mistake() {
        let plugins = table(
            "[plugins]\nhello = \"^1.2\"\nauth = { git = \"https://h/a.git\", tga = \"v2\" }\n",
        );
        assert!(matches!(plugins.get("hello"), Some(Ok(_))));
        let Some(Err(finding)) = plugins.get("auth") else {
            panic!("auth is not readable");
        };
        assert!(
            finding.message.contains("unknown key `tga`"),
            "{}",
            finding.message
        );
        assert_eq!(finding.help.as_deref(), Some(HOW_TO_WRITE));
        let (start, _) = finding.location.as_ref().unwrap().positions().unwrap();
        assert_eq!(
            start,
            Position {
                line: 3,
                column: 35
            }
        );
        assert!(matches!(plugins.wanted(), Err(Error::Diagnostic(_))));
    }

    #[test]
    fn entries_are_written_as_add_records_them() {
        let registry = |registry: Option<&str>| Wanted::Registry {
            req: VersionReq::parse("^1.2").unwrap(),
            version: Some("^1.2".into()),
            registry: registry.map(str::to_owned),
        };
        assert_eq!(registry(None).entry(), "\"^1.2\"");
        assert_eq!(
            registry(Some("internal")).entry(),
            "{ version = \"^1.2\", registry = \"internal\" }"
        );
        let zip = Wanted::Zip {
            at: "dist/x.zip".into(),
            sha256: Some("ab".into()),
        };
        assert_eq!(zip.entry(), "{ zip = \"dist/x.zip\", sha256 = \"ab\" }");
    }
}
