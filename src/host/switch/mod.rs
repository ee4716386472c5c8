//! Where a plugin's enabled state lives, per host kind (DESIGN.md "Enabled or disabled, per host
//! kind"), and reading it:
//!
//! - [`Switch::Markers`]: the `ENABLED` / `DISABLED` files Flask-PluginKit defined, in the
//!   plugin's folder (Flask-PluginKit hosts, and native and crate plugins; `plugin::state`).
//! - [`Switch::Redis`]: FBA keeps each plugin's state in Redis and checks it on every request
//!   ([`fba_redis`]).
//! - [`Switch::Underscore`]: FastCMS has no switch but skips folders whose name starts with `_`,
//!   so `NAME/` is enabled and `_NAME/` is the plugin NAME disabled ([`fastcms_rename`]).
//!
//! - [`Switch::Moved`]: the class-based pattern's loader has no switch and skips nothing, so a
//!   disabled plugin is moved out of the plugins folder into `.pluginkit/disabled/NAME`
//!   ([`moved_out`]).
//!
//! Writing a state is `ops::toggle`'s, through `transaction::toggle` (markers, renames) or
//! [`fba_redis::Store::switch`].

pub(crate) mod fastcms_rename;
pub(crate) mod fba_json;
pub(crate) mod fba_redis;
pub(crate) mod moved_out;

use std::path::Path;

use crate::env::Environment;
use crate::host::Host;
use crate::host::plugins_folder::Installed;
use crate::plugin::flavor::Flavor;
use crate::plugin::host::HostKind;
use crate::plugin::state::{self, EffectiveState, State, StateSource};

/// How the host switches its plugins on and off.
#[derive(Debug, Clone)]
pub(crate) enum Switch {
    Markers,
    Underscore,
    Moved,
    Redis(fba_redis::Target),
}

impl Switch {
    /// The switch of `host` (its kind, `[host] kind` or detected); a host of no known kind
    /// uses marker files, except for FastCMS and class-based plugins ([`Switch::for_flavor`]).
    pub(crate) fn of_host(host: &Host, env: &Environment) -> Result<Switch, fba_redis::Error> {
        Ok(match host.kind.as_ref().map(|k| k.value) {
            Some(HostKind::Fba) => Switch::Redis(fba_redis::Target::resolve(
                env,
                &host.root,
                &host.config.fba,
            )?),
            Some(HostKind::Fastcms) => Switch::Underscore,
            Some(HostKind::ClassBased) => Switch::Moved,
            Some(HostKind::FlaskPluginkit) | None => Switch::Markers,
        })
    }

    /// The switch for one plugin of `flavor`: the host's, but in a host of no known kind a
    /// FastCMS plugin's is the `_` prefix and a class-based plugin's the move out.
    pub(crate) fn for_flavor(&self, flavor: Flavor, host_kind: Option<HostKind>) -> &Switch {
        match (self, host_kind, flavor) {
            (Switch::Markers, None, Flavor::Fastcms) => &Switch::Underscore,
            (Switch::Markers, None, Flavor::ClassBased) => &Switch::Moved,
            (switch, _, _) => switch,
        }
    }
}

/// The state of a plugin whose switch lives in its folder (markers, the `_` prefix, or where the
/// folder is).
pub(crate) fn local_state(switch: &Switch, installed: &Installed) -> Option<EffectiveState> {
    match switch {
        Switch::Markers => Some(state::effective(
            &installed.dir,
            installed.plugin.metadata.state,
        )),
        Switch::Underscore => Some(underscore_state(&installed.dir)),
        Switch::Moved => Some(moved_state(&installed.dir, &installed.plugin.folder)),
        Switch::Redis(_) => None,
    }
}

/// FastCMS's state: a folder whose name starts with `_` is not loaded.
pub(crate) fn underscore_state(dir: &Path) -> EffectiveState {
    if fastcms_rename::is_disabled_folder(dir) {
        EffectiveState::new(State::Disabled, StateSource::UnderscoreFolder)
    } else {
        EffectiveState::new(State::Enabled, StateSource::Default)
    }
}

/// The class-based pattern's state: a plugin in `.pluginkit/disabled/` is not loaded; one in
/// the plugins folder is, whatever its folder holds.
pub(crate) fn moved_state(dir: &Path, name: &str) -> EffectiveState {
    if moved_out::is_moved(dir) {
        EffectiveState {
            state: State::Disabled,
            source: StateSource::MovedOut,
            key: Some(moved_out::shown(name)),
        }
    } else {
        EffectiveState::new(State::Enabled, StateSource::Default)
    }
}

/// The states of `plugins`, each read where its switch keeps it: FBA's with one Redis request
/// for all; and whether FBA reports a restart is needed (`None` for other hosts). When FBA's
/// Redis cannot be read, no state is known (`None` each), and the error says why: `list` and
/// `info` show the plugins all the same.
pub(crate) fn states(switch: &Switch, host_kind: Option<HostKind>, plugins: &[&Installed]) -> Read {
    let Switch::Redis(target) = switch else {
        let states = plugins
            .iter()
            .map(|p| {
                let switch = switch.for_flavor(p.plugin.flavor, host_kind);
                local_state(switch, p).or_else(|| Some(state::effective(&p.dir, None)))
            })
            .collect();
        return Read {
            states,
            restart_needed: None,
            error: None,
        };
    };
    let names: Vec<&str> = plugins.iter().map(|p| p.plugin.folder.as_str()).collect();
    let read = || -> Result<_, fba_redis::Error> {
        let mut store = target.connect(&target.key(names.first().copied().unwrap_or("*")))?;
        Ok((store.states(&names)?, store.restart_needed()?))
    };
    match read() {
        Ok((recorded, restart)) => Read {
            states: names
                .iter()
                .zip(recorded)
                .map(|(name, recorded)| {
                    let (state, source) = match recorded {
                        fba_redis::Recorded::Missing => (State::Enabled, StateSource::RedisDefault),
                        fba_redis::Recorded::Present(state) => (state, StateSource::Redis),
                    };
                    Some(EffectiveState {
                        state,
                        source,
                        key: Some(target.key(name)),
                    })
                })
                .collect(),
            restart_needed: Some(restart),
            error: None,
        },
        Err(error) => Read {
            states: vec![None; names.len()],
            restart_needed: None,
            error: Some(error),
        },
    }
}

/// What [`states`] read.
#[derive(Debug)]
pub(crate) struct Read {
    /// Each plugin's state, in order; `None` where it could not be read.
    pub(crate) states: Vec<Option<EffectiveState>>,
    /// FBA's "restart needed" flag; `None` for other hosts, or when it could not be read.
    pub(crate) restart_needed: Option<bool>,
    /// Why FBA's Redis could not be read.
    pub(crate) error: Option<fba_redis::Error>,
}
