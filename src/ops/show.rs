//! What `list` and `info` show: the installed plugins, each with its effective state, where
//! pluginkit installed it from (`pluginkit.lock`), and, with a server running, whether it
//! changed since the server loaded its plugins. A broken plugin is listed, never hidden, and so
//! is a link whose folder is gone. Each state is read where the host keeps it
//! ([`crate::host::switch`]): in an FBA host, from its Redis, with its "restart needed" flag.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::Serialize;

use crate::error::Error;
use crate::host::lockfile;
use crate::host::plugins_folder::{self, Broken, Installed};
use crate::host::switch;
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
    /// `None` when it could not be read (FBA's Redis unreachable).
    pub(crate) state: Option<EffectiveState>,
    /// Changed since the running server loaded its plugins; `None` when no server runs.
    pub(crate) pending_reload: Option<bool>,
    /// Where pluginkit installed it from; `None` for a plugin pluginkit did not install.
    pub(crate) source: Option<SourceId>,
    /// The same in a few words, for a table ([`short_source`]).
    pub(crate) source_short: Option<String>,
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
    /// The same in a few words, for a table ([`short_source`]).
    #[serde(skip)]
    pub(crate) source_short: Option<String>,
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
    /// FBA's "restart needed" flag (`{prefix}:changed`); `None` for other hosts.
    pub(crate) restart_needed: Option<bool>,
}

/// The plugins in the plugins folder that `filter` lets through, after finishing what a killed
/// run left.
pub(crate) fn list(
    settings: &Settings,
    printer: &Printer,
    filter: Filter,
) -> Result<Listing, Error> {
    super::recover_if_needed(settings, printer)?;
    let mut scan = super::scan_plugins(settings)?;
    // Switched-off FastCMS plugins are listed with the others, in folder-name order.
    scan.plugins.append(&mut scan.switched_off);
    scan.plugins
        .sort_by(|a, b| a.plugin.folder.cmp(&b.plugin.folder));
    let live = super::reload::live_server(settings, printer).map(|(_, live)| live);
    // From the lock, one small file, rather than the receipts, which list every file.
    let mut sources: BTreeMap<String, SourceId> = lockfile::read_or_empty(&settings.host.root)
        .into_iter()
        .map(|l| (l.name, l.source))
        .collect();
    // The configured registries' roots, to name the registry of a package, only when a plugin
    // came from one.
    let registries = if sources
        .values()
        .any(|s| matches!(s, SourceId::Registry { .. }))
    {
        super::resolve::roots(settings)
    } else {
        Vec::new()
    };
    let short = |source: &Option<SourceId>| {
        source
            .as_ref()
            .map(|s| short_source(settings, &registries, s))
    };
    let switch = super::switch(settings)?;
    let read = {
        let all: Vec<&Installed> = scan.plugins.iter().collect();
        switch::states(&switch, settings.host_facts().kind(), &all)
    };
    unknown_states(printer, read.error.as_ref());
    let (states, restart_needed) = (read.states, read.restart_needed);
    let plugins: Vec<Listed> = scan
        .plugins
        .into_iter()
        .zip(states)
        .filter(|(_, state)| match filter {
            Filter::All => true,
            Filter::Enabled => state.as_ref().is_some_and(|s| s.state == State::Enabled),
            Filter::Disabled => state.as_ref().is_some_and(|s| s.state == State::Disabled),
        })
        .map(|(installed, state)| {
            let source = sources.remove(&installed.plugin.folder);
            Listed {
                pending_reload: live
                    .map(|l| pending::changed_since(&installed.dir, l.at).is_some()),
                source_short: short(&source),
                source,
                installed,
                state,
            }
        })
        .collect();
    let broken = match filter {
        Filter::All => scan
            .broken
            .into_iter()
            .map(|link: Broken| {
                let source = sources.remove(&link.name);
                ListedBroken {
                    source_short: short(&source),
                    source,
                    target: link.target.display().to_string(),
                    name: link.name,
                    path: link.path,
                }
            })
            .collect(),
        Filter::Enabled | Filter::Disabled => Vec::new(),
    };
    Ok(Listing {
        plugins_dir: settings.display(&settings.plugins_dir),
        plugins,
        broken,
        server_running: live.is_some(),
        restart_needed,
    })
}

/// A source as a person reads it, in a few words ([`SourceId::short`]): a local ZIP file or
/// folder by its path from the working folder, a registry by its name in `pluginkit.toml`
/// (`registries`: each configured registry's name and root). JSON and CSV keep the whole
/// source, as the lock has it.
pub(crate) fn short_source(
    settings: &Settings,
    registries: &[(String, String)],
    source: &SourceId,
) -> String {
    let registry = match source {
        SourceId::Registry { url } => registries
            .iter()
            .find(|(_, root)| url.starts_with(root.trim_end_matches('/')))
            .map(|(name, _)| name.as_str()),
        _ => None,
    };
    source.short(registry, |path| {
        settings.display(&path.resolve(&settings.host.root))
    })
}

/// What `info` shows.
#[derive(Debug)]
pub(crate) struct Info {
    pub(crate) installed: Installed,
    /// `None` when it could not be read (FBA's Redis unreachable).
    pub(crate) state: Option<EffectiveState>,
    /// The running server, and since when its plugins are live.
    pub(crate) live: Option<(Server, LiveSince)>,
    /// When the plugin changed after the server loaded it, if it did.
    pub(crate) changed: Option<SystemTime>,
    /// FBA's "restart needed" flag (`{prefix}:changed`); `None` for other hosts.
    pub(crate) restart_needed: Option<bool>,
}

/// The plugins called `names`, each once, in the order named; every one is found before any is
/// returned, so an unknown name shows nothing.
pub(crate) fn infos(
    settings: &Settings,
    printer: &Printer,
    names: &[String],
) -> Result<Vec<Info>, Error> {
    let mut unique: Vec<&str> = Vec::new();
    for name in names {
        if !unique.contains(&name.as_str()) {
            unique.push(name);
        }
    }
    unique
        .into_iter()
        .map(|name| info(settings, printer, name))
        .collect()
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
    let installed = super::lookup(settings, name)?;
    let switch = super::switch(settings)?;
    let read = switch::states(&switch, settings.host_facts().kind(), &[&installed]);
    unknown_states(printer, read.error.as_ref());
    let state = read.states.into_iter().next().flatten();
    let restart_needed = read.restart_needed;
    let live = super::reload::live_server(settings, printer);
    let changed = live
        .as_ref()
        .and_then(|(_, live)| pending::changed_since(&installed.dir, live.at));
    Ok(Info {
        installed,
        state,
        live,
        changed,
        restart_needed,
    })
}

/// Say why the states could not be read (`list` and `info` go on without them).
fn unknown_states(printer: &Printer, error: Option<&switch::fba_redis::Error>) {
    use crate::error::Domain as _;
    if let Some(error) = error {
        let cause = std::error::Error::source(error)
            .map(|c| format!(": {c}"))
            .unwrap_or_default();
        printer.warn(format!("{error}{cause}; the states are unknown"));
        if let Some(hint) = error.hint() {
            printer.note(format!("hint: {hint}"));
        }
    }
}
