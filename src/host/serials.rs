//! The highest snapshot serial this host has seen of each signed registry, kept in
//! `.pluginkit/registry-serials.json` (registry root URL -> serial): what tells a replayed,
//! older snapshot from the current one ([`crate::registry::client::Serials`]).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::host::state;

/// The file in the state folder.
const FILE: &str = "registry-serials.json";

/// The serials file of the host whose state folder is `state`.
pub(crate) struct SerialsFile {
    state: PathBuf,
    path: PathBuf,
}

impl SerialsFile {
    pub(crate) fn new(state: PathBuf) -> SerialsFile {
        let path = state.join(FILE);
        SerialsFile { state, path }
    }

    /// Every serial recorded; empty when there is no such file or it cannot be read (it is
    /// written again whole).
    fn read(&self) -> BTreeMap<String, u64> {
        state::read(&self.path)
            .ok()
            .flatten()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }
}

impl crate::registry::client::Serials for SerialsFile {
    fn seen(&self, root: &str) -> Option<u64> {
        self.read().get(root).copied()
    }

    fn record(&self, root: &str, serial: u64) -> io::Result<()> {
        let mut serials = self.read();
        let entry = serials.entry(root.to_owned()).or_insert(0);
        *entry = (*entry).max(serial);
        let mut text = serde_json::to_vec_pretty(&serials).map_err(io::Error::other)?;
        text.push(b'\n');
        state::write(&self.state, &self.path, &text)
    }

    fn path(&self) -> &Path {
        &self.path
    }
}
