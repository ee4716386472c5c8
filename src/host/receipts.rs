//! What was installed: a receipt per plugin under `.pluginkit/receipts/` holding the hash of every
//! file, from which `verify` tells what changed since, and the tree hash that `pluginkit.lock`
//! records.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::host::state;
use crate::plugin::is_runtime_file;
use crate::plugin::names;
use crate::source::id::SourceId;
use crate::util::hash;

/// A plugin as installed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Receipt {
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) flavor: String,
    /// Where it came from, as recorded in `pluginkit.lock`.
    pub(crate) source: SourceId,
    /// The sha256 of the archive it was installed from, when there was one.
    pub(crate) archive_sha256: Option<String>,
    /// The id of the public key whose signature of the registry's snapshot vouched for the
    /// package, when it came from a signed registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) verified_by: Option<String>,
    /// `sha256:<hex>` over the sorted list of files and their hashes.
    pub(crate) tree: String,
    /// The plugins it depends on (its manifest's `[dependencies]`), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) dependencies: Vec<String>,
    /// Relative path (with `/`) -> sha256 of each installed file.
    pub(crate) files: BTreeMap<String, String>,
}

/// Every installed file of the plugin folder `root` and its hash (links and runtime files left
/// out).
pub(crate) fn hash_tree(root: &Path) -> io::Result<BTreeMap<String, String>> {
    hash::hash_tree(root, |rel| !is_runtime_file(rel))
}

/// Where receipts live.
pub(crate) fn dir(state_dir: &Path) -> PathBuf {
    state_dir.join("receipts")
}

pub(crate) fn path(state_dir: &Path, name: &str) -> PathBuf {
    dir(state_dir).join(format!("{name}.json"))
}

impl Receipt {
    /// The receipt of `name`, `None` when there is none. Read as a state file (never through a
    /// link, a regular file of a bounded size); one that records another name is damaged.
    pub(crate) fn load(state_dir: &Path, name: &str) -> io::Result<Option<Receipt>> {
        checked_name(name)?;
        if !state::check_dir(state_dir, &dir(state_dir))? {
            return Ok(None);
        }
        let Some(bytes) = state::read(&path(state_dir, name))? else {
            return Ok(None);
        };
        let receipt: Receipt = serde_json::from_slice(&bytes)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        if receipt.name != name {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the receipt of `{name}` records the name `{}`",
                    receipt.name.escape_debug()
                ),
            ));
        }
        Ok(Some(receipt))
    }

    /// Every receipt, sorted by name. Unreadable ones are skipped: a receipt is a record, and a
    /// damaged one must not stop commands (verify reports it). So is one that is a link, one in
    /// a receipts folder that is a link, and one whose name is not a plugin's or not its file's:
    /// a receipt's name becomes a path in the plugins folder.
    pub(crate) fn load_all(state_dir: &Path) -> Vec<Receipt> {
        if !state::check_dir(state_dir, &dir(state_dir)).unwrap_or(false) {
            return Vec::new();
        }
        let Ok(entries) = fs::read_dir(dir(state_dir)) else {
            return Vec::new();
        };
        let mut out: Vec<Receipt> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let file = e.file_name();
                let stem = file.to_str()?.strip_suffix(".json")?.to_owned();
                let bytes = state::read(&e.path()).ok()??;
                let receipt: Receipt = serde_json::from_slice(&bytes).ok()?;
                (receipt.name == stem && names::is_valid(&receipt.name)).then_some(receipt)
            })
            .collect();
        out.sort_by(|a: &Receipt, b| a.name.cmp(&b.name));
        out
    }

    pub(crate) fn save(&self, state_dir: &Path) -> io::Result<()> {
        checked_name(&self.name)?;
        let text = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        state::write(state_dir, &path(state_dir, &self.name), text.as_bytes())
    }

    pub(crate) fn delete(state_dir: &Path, name: &str) -> io::Result<()> {
        checked_name(name)?;
        if !state::check_dir(state_dir, &dir(state_dir))? {
            return Ok(());
        }
        match fs::remove_file(path(state_dir, name)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// A receipt is only ever kept under a plugin's name: one that is not would be a path.
fn checked_name(name: &str) -> io::Result<()> {
    match names::refusal(name) {
        None => Ok(()),
        Some(why) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{}` is not a plugin name: it {why}", name.escape_debug()),
        )),
    }
}

/// How an installed tree differs from its receipt.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Drift {
    pub(crate) changed: Vec<String>,
    pub(crate) added: Vec<String>,
    pub(crate) missing: Vec<String>,
    /// Symbolic links that lead outside the plugin (or do not resolve), as `path -> target`:
    /// never installed so, whatever made them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) links_outside: Vec<String>,
}

impl Drift {
    pub(crate) fn is_clean(&self) -> bool {
        self.changed.is_empty()
            && self.added.is_empty()
            && self.missing.is_empty()
            && self.links_outside.is_empty()
    }
}

/// Compare what is on disk with what was installed.
pub(crate) fn drift(receipt: &Receipt, now: &BTreeMap<String, String>) -> Drift {
    let mut drift = Drift::default();
    for (path, hash) in &receipt.files {
        match now.get(path) {
            None => drift.missing.push(path.clone()),
            Some(current) if current != hash => drift.changed.push(path.clone()),
            Some(_) => {}
        }
    }
    for path in now.keys() {
        if !receipt.files.contains_key(path) {
            drift.added.push(path.clone());
        }
    }
    drift
}
