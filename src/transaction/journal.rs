//! The journal: what an install or removal in progress is doing, written (and flushed) before
//! the plugins folder changes, removed when the change is recorded. Finding one means a run was
//! killed halfway.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plugin::names;
use crate::source::id::SourceId;
use crate::transaction::staging::STAGING_PREFIX;
use crate::transaction::{AsRecorded, Record, Records};

const FILE: &str = "journal.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Journal {
    /// `install` or `remove`.
    pub(crate) op: String,
    pub(crate) name: String,
    /// The staging folder, in the plugins folder: of an install, it holds the new plugin before
    /// the swap and the old one after; of a removal, the plugin on its way to the backups.
    #[serde(default)]
    pub(crate) staging: PathBuf,
    /// Identifies this install's marker file in the staged plugin.
    #[serde(default)]
    pub(crate) txn: String,
    /// Whether an installed plugin is being replaced.
    #[serde(default)]
    pub(crate) had_old: bool,
    /// Where the new plugin points when it is a development link (`add --link`).
    #[serde(default)]
    pub(crate) link: Option<PathBuf>,
    /// Whether a removed plugin goes to the backups (not `--no-backup`).
    #[serde(default)]
    pub(crate) backup: bool,
    #[serde(default)]
    pub(crate) version: Option<String>,
    #[serde(default)]
    pub(crate) flavor: String,
    /// Where the plugin being installed comes from; none for a removal (written as `""`).
    #[serde(default, with = "no_source_is_empty")]
    pub(crate) source: Option<SourceId>,
    #[serde(default)]
    pub(crate) archive_sha256: Option<String>,
    /// The entry `pluginkit.toml`'s `[plugins]` gets when the install is recorded.
    #[serde(default)]
    pub(crate) plugins_entry: Option<String>,
    #[serde(default)]
    pub(crate) dependencies: Vec<String>,
    /// What the change writes to the host's records (a journal of an earlier version: all).
    #[serde(default)]
    pub(crate) records: Records,
    /// The records a restore puts back as they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) as_recorded: Option<AsRecorded>,
    /// Whether the plugin removed or replaced was switched off where its folder was (FastCMS's
    /// `_NAME/`, a class-based plugin in `.pluginkit/disabled/`): its backup says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) switched_off: bool,
}

impl Journal {
    pub(crate) fn install(
        record: &Record,
        records: Records,
        staging: &Path,
        txn: &str,
        had_old: bool,
        link: Option<PathBuf>,
    ) -> Journal {
        Journal {
            op: "install".into(),
            name: record.name.clone(),
            staging: staging.to_path_buf(),
            txn: txn.into(),
            had_old,
            link,
            backup: false,
            version: record.version.clone(),
            flavor: record.flavor.clone(),
            source: Some(record.source.clone()),
            archive_sha256: record.archive_sha256.clone(),
            plugins_entry: record.plugins_entry.clone(),
            dependencies: record.dependencies.clone(),
            records,
            as_recorded: record.as_recorded.clone(),
            switched_off: record.replaces_switched_off,
        }
    }

    pub(crate) fn remove(
        name: &str,
        records: Records,
        staging: &Path,
        backup: bool,
        switched_off: bool,
    ) -> Journal {
        Journal {
            op: "remove".into(),
            name: name.into(),
            staging: staging.to_path_buf(),
            txn: String::new(),
            had_old: true,
            link: None,
            backup,
            version: None,
            flavor: String::new(),
            source: None,
            archive_sha256: None,
            plugins_entry: None,
            dependencies: Vec::new(),
            records,
            as_recorded: None,
            switched_off,
        }
    }

    pub(crate) fn save(&self, state: &Path) -> io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        crate::host::state::write(state, &path(state), text.as_bytes())
    }

    /// The journal in the state folder `state`, `None` when there is none. It is read, never
    /// followed (see [`super::state`]); what it says is checked by [`Journal::refusal`].
    pub(crate) fn load(state: &Path) -> io::Result<Option<Journal>> {
        match crate::host::state::read(&path(state))? {
            Some(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            None => Ok(None),
        }
    }

    pub(crate) fn exists(state: &Path) -> bool {
        fs::symlink_metadata(path(state)).is_ok()
    }

    pub(crate) fn clear(state: &Path) -> io::Result<()> {
        match fs::remove_file(path(state)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Why this journal cannot be one that pluginkit wrote for the plugins folder `plugins`, so
    /// that finishing or undoing it could move or delete something else: a name that breaks the
    /// plugin-name rule, an operation it does not know, or a staging folder that is not one of
    /// pluginkit's own in `plugins` (a removal of an earlier version may name none). `None`
    /// when it can be.
    pub(crate) fn refusal(&self, plugins: &Path) -> Option<String> {
        if !matches!(self.op.as_str(), "install" | "remove") {
            return Some(format!(
                "its operation `{}` is not one pluginkit writes",
                self.op.escape_debug()
            ));
        }
        if let Some(why) = names::refusal(&self.name) {
            return Some(format!(
                "the plugin name it records, `{}`, {why}",
                self.name.escape_debug()
            ));
        }
        if self.staging.as_os_str().is_empty() && self.op == "remove" {
            return None;
        }
        let own = self
            .staging
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix(STAGING_PREFIX))
            .is_some_and(|txn| {
                !txn.is_empty() && txn.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        let plain = self.staging.components().all(|c| {
            matches!(
                c,
                Component::RootDir | Component::Prefix(_) | Component::Normal(_)
            )
        });
        let inside = self
            .staging
            .parent()
            .is_some_and(|parent| same_folder(parent, plugins));
        if !(own && plain) {
            return Some(format!(
                "its staging folder {} is not one of pluginkit's own (`{STAGING_PREFIX}*`)",
                self.staging.display()
            ));
        }
        if !inside {
            return Some(format!(
                "its staging folder {} is not in the plugins folder {}",
                self.staging.display(),
                plugins.display()
            ));
        }
        None
    }
}

/// Where the journal is kept in the state folder `state`.
pub(crate) fn path(state: &Path) -> PathBuf {
    state.join(FILE)
}

/// Whether `a` and `b` name the same folder: the same path, or the same folder once links are
/// resolved.
fn same_folder(a: &Path, b: &Path) -> bool {
    a == b
        || match (fs::canonicalize(a), fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
}

/// A journal's `source`: `""` when there is none, as a removal's journal has always written it.
mod no_source_is_empty {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::source::id::SourceId;

    pub(crate) fn serialize<S: Serializer>(
        source: &Option<SourceId>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match source {
            Some(source) => serializer.collect_str(source),
            None => serializer.serialize_str(""),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<SourceId>, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal(op: &str, name: &str, staging: &Path) -> Journal {
        let mut journal = Journal::remove(name, Records::All, staging, true, false);
        journal.op = op.into();
        journal
    }

    #[test]
    fn only_a_journal_of_this_plugins_folder_is_acted_on() {
        let dir = tempfile::tempdir().unwrap();
        let plugins = dir.path().join("plugins");
        fs::create_dir_all(&plugins).unwrap();
        let staging = plugins.join(format!("{STAGING_PREFIX}1-2-0"));
        assert_eq!(journal("remove", "hello", &staging).refusal(&plugins), None);
        assert_eq!(
            journal("install", "hello", &staging).refusal(&plugins),
            None
        );
        // An earlier version's removal named no staging folder.
        assert_eq!(
            journal("remove", "hello", Path::new("")).refusal(&plugins),
            None
        );
        for (op, name, staging) in [
            ("remove", ".ssh", staging.clone()),
            ("remove", "../../x", staging.clone()),
            ("remove", "__pycache__", staging.clone()),
            ("chmod", "hello", staging.clone()),
            ("install", "hello", PathBuf::new()),
            ("remove", "hello", dir.path().to_path_buf()),
            (
                "remove",
                "hello",
                dir.path().join(format!("{STAGING_PREFIX}1")),
            ),
            (
                "remove",
                "hello",
                plugins.join(format!("{STAGING_PREFIX}1/../../{STAGING_PREFIX}2")),
            ),
            ("remove", "hello", plugins.join(".pluginkit-other")),
            ("remove", "hello", plugins.join(STAGING_PREFIX)),
        ] {
            assert!(
                journal(op, name, &staging).refusal(&plugins).is_some(),
                "{op} {name} {}",
                staging.display()
            );
        }
    }
}
