//! What `list` and `info` show: the installed plugins, each with its effective state, where
//! pluginkit installed it from (`pluginkit.lock`), and, with a server running, whether it
//! changed since the server loaded its plugins. A broken plugin is listed, never hidden, and so
//! is a link whose folder is gone.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::Serialize;

use crate::error::Error;
use crate::host::lockfile;
use crate::host::plugins_folder::{self, Broken, Installed};
use crate::output::Printer;
use crate::plugin::state::{EffectiveState, State};
use crate::server::Server;
use crate::server::pending::{self, LiveSince};
use crate::settings::Settings;
use crate::source::id::SourceId;

/// Which plugins `list` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Filter {
    #[default]
    All,
    Enabled,
    Disabled,
}

/// One plugin in the plugins folder.
#[derive(Debug)]
pub(crate) struct Listed {
    pub(crate) installed: Installed,
    pub(crate) state: EffectiveState,
    /// Changed since the running server loaded its plugins; `None` when no server runs.
    pub(crate) pending_reload: Option<bool>,
    /// Where pluginkit installed it from; `None` for a plugin pluginkit did not install.
    pub(crate) source: Option<SourceId>,
}

/// A link in the plugins folder whose folder is gone (as `list --format json` prints it in
/// `broken`, documented in README.md).
#[derive(Debug, Serialize)]
pub(crate) struct ListedBroken {
    pub(crate) name: String,
    /// The link, as shown.
    pub(crate) path: String,
    /// Where it points.
    pub(crate) target: String,
    /// Where pluginkit installed it from (`link+...`); `None` when it did not.
    pub(crate) source: Option<SourceId>,
}

/// What `list` shows.
#[derive(Debug)]
pub(crate) struct Listing {
    /// The plugins folder, as shown.
    pub(crate) plugins_dir: String,
    pub(crate) plugins: Vec<Listed>,
    /// Links whose folder is gone (listed unless only enabled or disabled plugins are asked for).
    pub(crate) broken: Vec<ListedBroken>,
    /// Whether a server is running (so each plugin says whether it is live).
    pub(crate) server_running: bool,
}

/// The plugins in the plugins folder that `filter` lets through, after finishing what a killed
/// run left.
pub(crate) fn list(
    settings: &Settings,
    printer: &Printer,
    filter: Filter,
) -> Result<Listing, Error> {
    super::recover_if_needed(settings, printer)?;
    let scan = super::scan_plugins(settings)?;
    let live = super::reload::live_server(settings, printer).map(|(_, live)| live);
    // From the lock, one small file, rather than the receipts, which list every file.
    let mut sources: BTreeMap<String, SourceId> = lockfile::read_or_empty(&settings.host.root)
        .into_iter()
        .map(|l| (l.name, l.source))
        .collect();
    let plugins: Vec<Listed> = scan
        .plugins
        .into_iter()
        .map(|installed| {
            let state = installed.state();
            (installed, state)
        })
        .filter(|(_, state)| match filter {
            Filter::All => true,
            Filter::Enabled => state.state == State::Enabled,
            Filter::Disabled => state.state == State::Disabled,
        })
        .map(|(installed, state)| Listed {
            pending_reload: live.map(|l| pending::changed_since(&installed.dir, l.at).is_some()),
            source: sources.remove(&installed.plugin.folder),
            installed,
            state,
        })
        .collect();
    let broken = match filter {
        Filter::All => scan
            .broken
            .into_iter()
            .map(|link: Broken| ListedBroken {
                source: sources.remove(&link.name),
                target: link.target.display().to_string(),
                name: link.name,
                path: link.path,
            })
            .collect(),
        Filter::Enabled | Filter::Disabled => Vec::new(),
    };
    Ok(Listing {
        plugins_dir: settings.display(&settings.plugins_dir),
        plugins,
        broken,
        server_running: live.is_some(),
    })
}

/// What `info` shows.
#[derive(Debug)]
pub(crate) struct Info {
    pub(crate) installed: Installed,
    pub(crate) state: EffectiveState,
    /// The running server, and since when its plugins are live.
    pub(crate) live: Option<(Server, LiveSince)>,
    /// When the plugin changed after the server loaded it, if it did.
    pub(crate) changed: Option<SystemTime>,
}

/// The plugin called `name`, after finishing what a killed run left.
pub(crate) fn info(settings: &Settings, printer: &Printer, name: &str) -> Result<Info, Error> {
    super::recover_if_needed(settings, printer)?;
    if let Some(target) = plugins_folder::broken_link(&settings.plugins_dir, name) {
        let link = settings.display(&settings.plugins_dir.join(name));
        return Err(Error::user_hint(
            format!(
                "`{name}` is a broken link: {link} points to {}, which is not there",
                target.display()
            ),
            format!(
                "put the folder back, or `pluginkit remove {name}` removes the link and its records"
            ),
        ));
    }
    let installed = plugins_folder::lookup(
        &settings.plugins_dir,
        &settings.display(&settings.plugins_dir),
        name,
        settings.flavor,
        &settings.read_context(),
    )?;
    let state = installed.state();
    let live = super::reload::live_server(settings, printer);
    let changed = live
        .as_ref()
        .and_then(|(_, live)| pending::changed_since(&installed.dir, live.at));
    Ok(Info {
        installed,
        state,
        live,
        changed,
    })
}
