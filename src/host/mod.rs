//! The host: the application whose plugins pluginkit manages. Its root is the nearest folder
//! upwards holding `pluginkit.toml` ([`config`], with `[plugins]` typed in [`plugins`] and
//! edited by [`edit`]); its records of what pluginkit installed are the [`receipts`] and
//! `pluginkit.lock` ([`lockfile`]); its plugins are in the [`plugins_folder`].
//!
//! The host never changes its plugins itself: the install transaction does, and writes these
//! records through the functions here.

pub mod config;
pub(crate) mod detect;
pub(crate) mod edit;
pub(crate) mod env_file;
pub(crate) mod lockfile;
pub(crate) mod plugins;
pub(crate) mod plugins_folder;
pub(crate) mod receipts;
pub(crate) mod serials;
pub(crate) mod state;
pub(crate) mod switch;

use std::path::{Path, PathBuf};

use crate::error::Error;
use config::HostConfig;

pub(crate) const HOST_FILE: &str = "pluginkit.toml";

/// The most of `pluginkit.toml` that is read: far more than any host's configuration.
const CONFIG_CAP: u64 = 16 << 20;

/// Where a host keeps its plugins and its records.
#[derive(Debug, Clone)]
pub(crate) struct HostDirs {
    pub(crate) root: PathBuf,
    /// The plugins folder.
    pub(crate) plugins: PathBuf,
    /// `.pluginkit/` under the root: the receipts, backups, journal and lock.
    pub(crate) state: PathBuf,
}

/// A loaded host: where it is, and its configuration (defaults when there is no file).
#[derive(Debug)]
pub(crate) struct Host {
    pub(crate) root: PathBuf,
    /// The `pluginkit.toml` that was read, if there is one.
    pub(crate) file: Option<PathBuf>,
    pub(crate) config: HostConfig,
    /// `[host] version`, parsed.
    pub(crate) version: Option<semver::Version>,
    /// Which application this is: `[host] kind`, else detected from the root's shape.
    pub(crate) kind: Option<crate::plugin::host::Decided<crate::plugin::host::HostKind>>,
}

/// The nearest folder from `start` upwards that holds `pluginkit.toml`. (Without one, the host is
/// found by [`Host::discover`].)
pub(crate) fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(HOST_FILE).is_file())
        .map(Path::to_path_buf)
}

impl Host {
    /// Find and load the host for the folder `cwd`; `display` turns paths into what the user
    /// should see.
    pub(crate) fn discover(cwd: &Path, display: impl Fn(&Path) -> String) -> Result<Host, Error> {
        let Some(root) = find_root(cwd) else {
            // No pluginkit.toml: the host is the checkout a host kind is recognised from, else
            // the current folder.
            let root = detect::find_fba_checkout(cwd).unwrap_or_else(|| cwd.to_path_buf());
            let mut host = Host {
                root,
                file: None,
                config: HostConfig::default(),
                version: None,
                kind: None,
            };
            host.kind = detect::kind(&host);
            return Ok(host);
        };
        let file = root.join(HOST_FILE);
        let shown = display(&file);
        // Only a regular file, of a size no configuration reaches: a FIFO or a link to a device
        // there would hang or exhaust every command.
        let text = crate::util::read::read_regular_text(&file, CONFIG_CAP).map_err(|source| {
            Error::Config {
                shown: shown.clone(),
                source,
            }
        })?;
        let (config, version) = config::parse(&text, &shown)?;
        let mut host = Host {
            root,
            file: Some(file),
            config,
            version,
            kind: None,
        };
        host.kind = detect::kind(&host);
        Ok(host)
    }
}
