//! `pluginkit.lock`: one entry per installed plugin with its version, exact source and checksums,
//! in name order, written atomically by every command that changes the plugins folder. It is
//! derived from the receipts, so it always lists exactly what pluginkit installed. Read back by
//! `sync --locked`, and by `list` for where each plugin came from.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use serde::Deserialize;

use crate::host::receipts::Receipt;
use crate::source::id::SourceId;

pub(crate) const LOCK_FILE: &str = "pluginkit.lock";

/// One `[[plugin]]` of `pluginkit.lock`, as [`render`] writes it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Locked {
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) source: SourceId,
    pub(crate) sha256: Option<String>,
    pub(crate) tree: String,
    #[serde(default)]
    pub(crate) dependencies: Vec<String>,
}

/// The entries of a `pluginkit.lock`'s text.
pub(crate) fn parse(text: &str) -> Result<Vec<Locked>, toml::de::Error> {
    #[derive(Deserialize)]
    struct LockFile {
        #[serde(default)]
        plugin: Vec<Locked>,
    }
    toml::from_str::<LockFile>(text).map(|lock| lock.plugin)
}

/// The entries of the lock under `host_root`; none when there is no lock or it cannot be read
/// (for listings, which must not fail over it; `sync --locked` reports why).
pub(crate) fn read_or_empty(host_root: &Path) -> Vec<Locked> {
    std::fs::read_to_string(host_root.join(LOCK_FILE))
        .ok()
        .and_then(|text| parse(&text).ok())
        .unwrap_or_default()
}

/// The text of the lockfile for these receipts (already sorted by name).
pub(crate) fn render(receipts: &[Receipt]) -> String {
    let mut out = String::from(
        "# This file is written by pluginkit: do not edit it by hand.\n# It records exactly what is installed, so that `pluginkit sync --locked` can install it again.\nversion = 1\n",
    );
    for receipt in receipts {
        out.push_str("\n[[plugin]]\n");
        let _ = writeln!(out, "name = {}", quote(&receipt.name));
        if let Some(version) = &receipt.version {
            let _ = writeln!(out, "version = {}", quote(version));
        }
        let _ = writeln!(out, "flavor = {}", quote(&receipt.flavor));
        let _ = writeln!(out, "source = {}", quote(&receipt.source.to_string()));
        if let Some(sha) = &receipt.archive_sha256 {
            let _ = writeln!(out, "sha256 = {}", quote(sha));
        }
        let _ = writeln!(out, "tree = {}", quote(&receipt.tree));
        if !receipt.dependencies.is_empty() {
            let names: Vec<String> = receipt.dependencies.iter().map(|d| quote(d)).collect();
            let _ = writeln!(out, "dependencies = [{}]", names.join(", "));
        }
    }
    out
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    toml_edit::Value::from(text).to_string().trim().to_owned()
}

/// Rewrite `pluginkit.lock` under `host_root` from the receipts in `state_dir`.
pub(crate) fn write(host_root: &Path, state_dir: &Path) -> io::Result<()> {
    let receipts = Receipt::load_all(state_dir);
    crate::util::atomic::write_atomically(&host_root.join(LOCK_FILE), render(&receipts).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_quoted_and_ordered() {
        let source = SourceId::ZipFile {
            path: "/tmp/a \"b\".zip".into(),
        };
        let receipt = |name: &str| Receipt {
            name: name.into(),
            version: Some("1.0.0".into()),
            flavor: "pluginkit".into(),
            source: source.clone(),
            archive_sha256: None,
            tree: "sha256:00".into(),
            dependencies: Vec::new(),
            files: Default::default(),
        };
        let text = render(&[receipt("a"), receipt("b")]);
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1].name, "b");
        assert_eq!(parsed[0].source, source);
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        let plugins = doc["plugin"].as_array_of_tables().unwrap();
        assert_eq!(plugins.len(), 2);
        assert_eq!(
            plugins.get(0).unwrap()["source"].as_str(),
            Some(source.to_string().as_str())
        );
    }
}
