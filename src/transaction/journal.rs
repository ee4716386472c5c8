//! The journal: what an install or removal in progress is doing, written (and flushed) before
//! the plugins folder changes, removed when the change is recorded. Finding one means a run was
//! killed halfway.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::source::id::SourceId;
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
        }
    }

    pub(crate) fn remove(name: &str, records: Records, staging: &Path, backup: bool) -> Journal {
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
        }
    }

    pub(crate) fn save(&self, state: &Path) -> io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        crate::util::atomic::write_atomically(&state.join(FILE), text.as_bytes())
    }

    pub(crate) fn load(state: &Path) -> io::Result<Option<Journal>> {
        match fs::read(state.join(FILE)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(crate) fn exists(state: &Path) -> bool {
        state.join(FILE).exists()
    }

    pub(crate) fn clear(state: &Path) -> io::Result<()> {
        match fs::remove_file(state.join(FILE)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
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
