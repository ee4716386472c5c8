//! What `list` and `info` show: the installed plugins, each with its effective state, where
//! pluginkit installed it from (`pluginkit.lock`), and, with a server running, whether it
//! changed since the server loaded its plugins. A broken plugin is listed, never hidden.

use std::collections::BTreeMap;
use std::time::SystemTime;

use crate::error::Error;
use crate::host::lockfile;
use crate::host::plugins_folder::{self, Installed};
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

/// What `list` shows.
#[derive(Debug)]
pub(crate) struct Listing {
    /// The plugins folder, as shown.
    pub(crate) plugins_dir: String,
    pub(crate) plugins: Vec<Listed>,
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
    let plugins = scan
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
    Ok(Listing {
        plugins_dir: settings.display(&settings.plugins_dir),
        plugins,
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
