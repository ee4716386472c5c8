//! Plugin registries: a static folder (served over HTTP by any web server, object store or CDN,
//! or read directly as a path or `file://` URL) of
//! - `index/NAME.json`: every published version of one plugin ([`Index`]);
//! - `search.json`: every plugin's name, latest version and summary ([`Search`]);
//! - `files/NAME/NAME-VERSION.zip`: the packages, immutable once published.
//!
//! Every file carries `format` ([`FORMAT`]); fields a reader does not know are ignored, so
//! later versions of the format stay readable. The README's "The registry format" section is
//! the specification other tools can implement.

pub(crate) mod advisory;
pub(crate) mod client;
pub(crate) mod publish;
pub(crate) mod resolve;
pub(crate) mod signing;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use advisory::Advisory;

/// The version of the registry format this pluginkit writes and reads.
pub(crate) const FORMAT: u32 = 1;

/// `index/NAME.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Index {
    pub(crate) format: u32,
    pub(crate) name: String,
    /// In the order published; every version stays listed, yanked ones too.
    pub(crate) versions: Vec<IndexVersion>,
}

/// One published version of a plugin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IndexVersion {
    /// SemVer 2.0.
    pub(crate) version: String,
    /// Where the package is: relative to the registry's root (`files/NAME/NAME-VERSION.zip`)
    /// or absolute (`https://...`).
    pub(crate) url: String,
    /// The package's sha256, in lower-case hex.
    pub(crate) sha256: String,
    /// The package's size in bytes.
    #[serde(default)]
    pub(crate) size: u64,
    #[serde(default)]
    pub(crate) summary: Option<String>,
    /// The plugin's flavor (`pluginkit`, `fba`, `flask-pluginkit`, `fastcms`, `crate`).
    pub(crate) flavor: String,
    /// The host versions it works with (a SemVer requirement), if it says.
    #[serde(default)]
    pub(crate) requires: Option<String>,
    /// Other plugins it needs: name -> SemVer requirement.
    #[serde(default)]
    pub(crate) dependencies: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) yanked: bool,
    /// When it was published, RFC 3339 in UTC (`2026-11-21T15:04:05Z`).
    pub(crate) published: String,
    /// The security advisories that affect it (`pluginkit registry advise`); left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) advisories: Vec<Advisory>,
}

/// `search.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Search {
    pub(crate) format: u32,
    /// Sorted by name.
    pub(crate) plugins: Vec<SearchEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SearchEntry {
    pub(crate) name: String,
    /// The highest version that is not yanked (the highest yanked one when all are).
    pub(crate) version: String,
    #[serde(default)]
    pub(crate) summary: Option<String>,
}

/// Where an index file and a package live in a registry folder.
pub(crate) fn index_path(name: &str) -> String {
    format!("index/{name}.json")
}

pub(crate) fn package_path(name: &str, version: &str) -> String {
    format!("files/{name}/{name}-{version}.zip")
}

pub(crate) const SEARCH_PATH: &str = "search.json";
