//! sha256 of files, streams and whole folders, in lower-case hex, and the tree hash that
//! `pluginkit.lock` records for a plugin's files.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// Lower-case hex of `bytes` (sha2 0.11 digests do not format with `{:x}`).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The sha256 of `bytes`, in lower-case hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The sha256 of a file, read in blocks.
pub(crate) fn hash_file(path: &Path) -> io::Result<String> {
    hash_reader(&mut fs::File::open(path)?).map(|(_, hash)| hash)
}

/// The number of bytes and the sha256 of everything `reader` yields.
pub(crate) fn hash_reader(reader: &mut impl Read) -> io::Result<(u64, String)> {
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

/// Every regular file under `root` that `keep` accepts (by its relative path, with `/`), and
/// its hash; links are left out. The files are hashed on rayon's threads: a big plugin is
/// mostly hashing.
pub(crate) fn hash_tree(
    root: &Path,
    keep: impl Fn(&str) -> bool,
) -> io::Result<BTreeMap<String, String>> {
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
            } else if kind.is_file() && keep(&shown) {
                files.push((shown, rel));
            }
        }
    }
    files
        .into_par_iter()
        .map(|(shown, rel)| Ok((shown, hash_file(&root.join(rel))?)))
        .collect()
}

/// The tree hash of a file list: `sha256:<hex>` over the sorted paths and their hashes.
pub(crate) fn tree_hash(files: &BTreeMap<String, String>) -> String {
    let mut hasher = Sha256::new();
    for (path, hash) in files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(hash.as_bytes());
        hasher.update([b'\n']);
    }
    format!("sha256:{}", hex(&hasher.finalize()))
}
