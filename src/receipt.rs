//! What was installed: a receipt per plugin under `.pluginkit/receipts/` holding the hash of every
//! file, from which `verify` tells what changed since, and the tree hash that `pluginkit.lock`
//! records.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::plugin::state::{DISABLED_FILE, ENABLED_FILE};

/// Files that are not part of what was installed: the state markers (switched by `enable` and
/// `disable`) and Python's caches (written by the host at run time).
pub fn is_runtime_file(rel: &str) -> bool {
    rel == ENABLED_FILE
        || rel == DISABLED_FILE
        || rel.split('/').any(|part| part == "__pycache__")
        || rel.ends_with(".pyc")
}

/// A plugin as installed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub name: String,
    pub version: Option<String>,
    pub flavor: String,
    /// Where it came from, as recorded in `pluginkit.lock`.
    pub source: String,
    /// The sha256 of the archive it was installed from, when there was one.
    pub archive_sha256: Option<String>,
    /// `sha256:<hex>` over the sorted list of files and their hashes.
    pub tree: String,
    /// The plugins it depends on (its manifest's `[dependencies]`), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    /// Relative path (with `/`) -> sha256 of each installed file.
    pub files: BTreeMap<String, String>,
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The sha256 of a file, read in blocks.
pub fn hash_file(path: &Path) -> io::Result<String> {
    hash_reader(&mut fs::File::open(path)?).map(|(_, hash)| hash)
}

/// The number of bytes and the sha256 of everything `reader` yields.
pub fn hash_reader(reader: &mut impl Read) -> io::Result<(u64, String)> {
    thread_local! {
        // One per thread, not one per file: zeroing a fresh buffer for each of thousands of
        // small files cost more than hashing them.
        static BUFFER: RefCell<Vec<u8>> = RefCell::new(vec![0; 256 * 1024]);
    }
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    BUFFER.with_borrow_mut(|buffer| {
        loop {
            let n = reader.read(buffer)?;
            if n == 0 {
                return Ok((size, hex(&hasher.finalize_reset())));
            }
            hasher.update(&buffer[..n]);
            size += n as u64;
        }
    })
}

/// Every installed file of the plugin folder `root` and its hash (links and runtime files left
/// out). The files are hashed on rayon's threads: a big plugin is mostly hashing.
pub fn hash_tree(root: &Path) -> io::Result<BTreeMap<String, String>> {
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        for entry in fs::read_dir(root.join(&rel))? {
            let entry = entry?;
            let name = entry.file_name();
            let rel = rel.join(&name);
            let kind = entry.file_type()?;
            let shown = rel.to_string_lossy().replace('\\', "/");
            if kind.is_dir() {
                pending.push(rel);
            } else if kind.is_file() && !is_runtime_file(&shown) {
                files.push((shown, rel));
            }
        }
    }
    files
        .into_par_iter()
        .map(|(shown, rel)| Ok((shown, hash_file(&root.join(rel))?)))
        .collect()
}

/// The tree hash of a file list.
pub fn tree_hash(files: &BTreeMap<String, String>) -> String {
    let mut hasher = Sha256::new();
    for (path, hash) in files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(hash.as_bytes());
        hasher.update([b'\n']);
    }
    format!("sha256:{}", hex(&hasher.finalize()))
}

/// Where receipts live.
pub fn dir(state_dir: &Path) -> PathBuf {
    state_dir.join("receipts")
}

pub fn path(state_dir: &Path, name: &str) -> PathBuf {
    dir(state_dir).join(format!("{name}.json"))
}

impl Receipt {
    pub fn load(state_dir: &Path, name: &str) -> io::Result<Option<Receipt>> {
        match fs::read(path(state_dir, name)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every receipt, sorted by name. Unreadable ones are skipped: a receipt is a record, and a
    /// damaged one must not stop commands (verify reports it).
    pub fn load_all(state_dir: &Path) -> Vec<Receipt> {
        let Ok(entries) = fs::read_dir(dir(state_dir)) else {
            return Vec::new();
        };
        let mut out: Vec<Receipt> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| serde_json::from_slice(&fs::read(e.path()).ok()?).ok())
            .collect();
        out.sort_by(|a: &Receipt, b| a.name.cmp(&b.name));
        out
    }

    pub fn save(&self, state_dir: &Path) -> io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        crate::install::write_atomically(&path(state_dir, &self.name), text.as_bytes())
    }

    pub fn delete(state_dir: &Path, name: &str) -> io::Result<()> {
        match fs::remove_file(path(state_dir, name)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// How an installed tree differs from its receipt.
#[derive(Debug, Default, Serialize)]
pub struct Drift {
    pub changed: Vec<String>,
    pub added: Vec<String>,
    pub missing: Vec<String>,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.missing.is_empty()
    }
}

/// Compare what is on disk with what was installed.
pub fn drift(receipt: &Receipt, now: &BTreeMap<String, String>) -> Drift {
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
