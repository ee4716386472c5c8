//! `enable` and `disable`: switch plugins on or off the way the host reads it
//! ([`crate::host::switch`]), in the change frame: marker files (`ENABLED`, `DISABLED`),
//! FastCMS's `_` rename and the class-based pattern's move out of the plugins folder through [`crate::transaction::toggle`], so a killed run leaves the old
//! state or the new one; FBA's Redis records in one Redis transaction with FBA's "restart
//! needed" flag, every record read and checked before any is written.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;

use crate::error::Error;
use crate::host::plugins_folder::Installed;
use crate::host::switch::fba_redis::{self, ToSwitch};
use crate::host::switch::{self, Switch};
use crate::host::switch::{fastcms_rename, moved_out};
use crate::ops::change::{self, Lock, Outcome};
use crate::ops::reload;
use crate::output::Printer;
use crate::plugin::state::{EffectiveState, State, StateSource};
use crate::settings::Settings;
use crate::transaction::toggle;
use crate::util::read::read_regular_text;

/// The most of a `plugin.toml` read to write FBA's record of it.
const MANIFEST_CAP: u64 = 1 << 20;

/// One plugin switched (`enable --format json` prints a list of these).
#[derive(Debug, Serialize)]
pub(crate) struct Toggled {
    pub(crate) name: String,
    pub(crate) path: String,
    /// Whether its state changed (false: it was in that state already).
    pub(crate) changed: bool,
    #[serde(flatten)]
    pub(crate) state: EffectiveState,
}

/// What `enable` or `disable` did.
#[derive(Debug)]
pub(crate) struct ToggleOutcome {
    pub(crate) toggled: Vec<Toggled>,
}

impl Outcome for ToggleOutcome {
    fn changed(&self) -> bool {
        self.toggled.iter().any(|t| t.changed)
    }
}

/// Which plugins `enable` or `disable` switches.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Plugins<'a> {
    /// Those named.
    Named(&'a [String]),
    /// Every installed plugin, those switched off included (`--all`).
    All,
}

/// Switch `plugins` to `wanted`, all in one change. Every name is resolved before anything is
/// written, so an unknown name changes nothing. `render` shows what was done before the lock
/// is released and the server signalled.
pub(crate) fn set_state(
    settings: &Settings,
    printer: &Printer,
    plugins: Plugins<'_>,
    wanted: State,
    reload: &reload::Request,
    render: impl FnOnce(&ToggleOutcome) -> anyhow::Result<()>,
) -> anyhow::Result<ToggleOutcome> {
    let host_switch = super::switch(settings)?;
    let names = match plugins {
        Plugins::Named(names) => names,
        Plugins::All => &[],
    };
    let frame = change::begin_for(settings, printer, reload, names)?;
    frame.run(
        Lock::IfManaged,
        || {
            let ctx = settings.read_context();
            let mut targets: Vec<Installed> = Vec::new();
            if let Plugins::All = plugins {
                let scan = super::scan_plugins(settings)?;
                targets.extend(scan.plugins.into_iter().chain(scan.switched_off));
            }
            for name in names {
                let installed = super::lookup(settings, name)?;
                if !targets.iter().any(|t| t.dir == installed.dir) {
                    targets.push(installed);
                }
            }
            if targets.is_empty() {
                return Ok(ToggleOutcome {
                    toggled: Vec::new(),
                });
            }
            let toggled = match &host_switch {
                Switch::Redis(target) => switch_in_redis(target, &targets, wanted)?,
                local => {
                    let kind = ctx.host.kind();
                    let cx = super::transaction(settings);
                    let mut toggled = Vec::new();
                    for target in &targets {
                        let switch = local.for_flavor(target.plugin.flavor, kind);
                        toggled.push(switch_locally(settings, &cx, switch, target, wanted)?);
                    }
                    toggled
                }
            };
            Ok(ToggleOutcome { toggled })
        },
        render,
    )
}

/// Switch one plugin whose state lives in its folder: its marker files, its folder's name
/// (FastCMS), or where its folder is (the class-based pattern).
fn switch_locally(
    settings: &Settings,
    cx: &crate::transaction::Context,
    switch: &Switch,
    target: &Installed,
    wanted: State,
) -> anyhow::Result<Toggled> {
    let plugin = &target.plugin;
    let name = plugin.folder.as_str();
    let on = settings.plugins_dir.join(name);
    let Some(OffPlace { path: off, both }) = off_place(cx, switch, name) else {
        let changed = toggle::set_state(cx, &target.dir, wanted)
            .with_context(|| format!("cannot write the marker files in {}", plugin.path))?;
        return Ok(Toggled {
            name: plugin.name().to_owned(),
            path: plugin.path.clone(),
            changed,
            state: switch::local_state(switch, target)
                .unwrap_or_else(|| EffectiveState::new(wanted, StateSource::Default)),
        });
    };
    let (from, to) = match wanted {
        State::Enabled => (&off, &on),
        State::Disabled => (&on, &off),
    };
    let changed = target.dir != *to;
    if changed {
        toggle::rename(cx, name, from, to, both).with_context(|| {
            format!(
                "cannot move {} to {}",
                settings.display(from),
                settings.display(to)
            )
        })?;
    }
    let state = match switch {
        Switch::Moved => switch::moved_state(to, name),
        _ => switch::underscore_state(to),
    };
    Ok(Toggled {
        name: plugin.name().to_owned(),
        path: settings.display(to),
        changed,
        state,
    })
}

/// Where a plugin is switched off when its switch is where its folder is: FastCMS's `_NAME/`,
/// the class-based pattern's `.pluginkit/disabled/NAME/`; `None` for a switch kept elsewhere
/// (marker files, FBA's records).
pub(crate) struct OffPlace {
    pub(crate) path: PathBuf,
    /// Which of the two the host loads, said when both are there.
    pub(crate) both: &'static str,
}

impl OffPlace {
    /// The place `path` (`_NAME/`, or in `.pluginkit/disabled/`).
    pub(crate) fn of(path: PathBuf) -> OffPlace {
        let both = if moved_out::is_moved(&path) {
            // The class-based pattern: the plugins folder's are loaded, the moved ones not.
            "the host loads the one in its plugins folder"
        } else {
            // FastCMS: `NAME/` is enabled, `_NAME/` disabled.
            "FastCMS loads the one without `_`"
        };
        OffPlace { path, both }
    }
}

/// Where `name` goes switched off with `switch`, when that is a place ([`OffPlace`]).
pub(crate) fn off_place(
    cx: &crate::transaction::Context,
    switch: &Switch,
    name: &str,
) -> Option<OffPlace> {
    match switch {
        Switch::Underscore => Some(OffPlace::of(
            cx.dirs.plugins.join(fastcms_rename::disabled_folder(name)),
        )),
        Switch::Moved => Some(OffPlace::of(moved_out::dir(&cx.dirs.state).join(name))),
        Switch::Markers | Switch::Redis(_) => None,
    }
}

/// Commit an install of `name` (`commit`) that is to end switched off in `off`: a plugin
/// switched off there already is brought back to `NAME/` for the install and switched off
/// again after it, the claim on it saying so throughout (so a killed run's recovery switches it
/// off); an enabled one is switched off first, so that a run killed at any point leaves the
/// plugin switched off, old or new; with nothing installed under the name, the claim is taken
/// before the install. A failed install leaves the plugin as it was. Returns the install, with
/// the plugin's place switched off.
pub(crate) fn install_switched_off(
    cx: &crate::transaction::Context,
    name: &str,
    off: &OffPlace,
    commit: impl FnOnce() -> Result<crate::transaction::Installed, Error>,
) -> Result<crate::transaction::Installed, Error> {
    let on = cx.dirs.plugins.join(name);
    let there = |path: &Path| std::fs::symlink_metadata(path).is_ok();
    let moving =
        |e: std::io::Error| crate::transaction::io_error("cannot move the switched-off plugin", e);
    let switched_first = there(&on) && !there(&off.path);
    if switched_first {
        toggle::rename(cx, name, &on, &off.path, off.both).map_err(moving)?;
    }
    let switched = if there(&off.path) {
        toggle::switch_on_for_change(cx, name, &off.path)
    } else {
        toggle::switch_off_after_install(cx, name, &off.path)
    }
    .map_err(moving)?;
    match commit() {
        Ok(mut installed) => {
            switched.restore().map_err(|e| {
                crate::transaction::io_error("cannot switch the plugin off again", e)
            })?;
            installed.path = off.path.clone();
            Ok(installed)
        }
        Err(e) => {
            // Put back where it was: switched off again by the drop, then on if it was on.
            drop(switched);
            if switched_first {
                let _ = toggle::rename(cx, name, &off.path, &on, off.both);
            }
            Err(e)
        }
    }
}

/// Write FBA's record of the installed plugin `name` (in `dir`, shown as `shown`) switched off,
/// with the "restart needed" flag, as `disable` does.
pub(crate) fn switch_off_in_redis(
    target: &fba_redis::Target,
    name: &str,
    dir: &Path,
    shown: &str,
) -> Result<(), Error> {
    switch_records(target, &[(name, dir, shown)], State::Disabled).map(drop)
}

/// Switch FBA plugins in its Redis: all in one transaction, or none.
fn switch_in_redis(
    target: &fba_redis::Target,
    plugins: &[Installed],
    wanted: State,
) -> Result<Vec<Toggled>, Error> {
    let named: Vec<(&str, &Path, &str)> = plugins
        .iter()
        .map(|p| {
            (
                p.plugin.folder.as_str(),
                p.dir.as_path(),
                p.plugin.path.as_str(),
            )
        })
        .collect();
    let changed = switch_records(target, &named, wanted)?;
    Ok(plugins
        .iter()
        .zip(changed)
        .map(|(p, changed)| Toggled {
            name: p.plugin.name().to_owned(),
            path: p.plugin.path.clone(),
            changed,
            state: EffectiveState {
                state: wanted,
                source: StateSource::Redis,
                key: Some(target.key(&p.plugin.folder)),
            },
        })
        .collect())
}

/// Switch the FBA records of `plugins` (each its folder name, folder and how its folder is
/// shown) in one Redis transaction, every record read and checked first; whether each changed.
fn switch_records(
    target: &fba_redis::Target,
    plugins: &[(&str, &Path, &str)],
    wanted: State,
) -> Result<Vec<bool>, Error> {
    let first = plugins.first().map_or("", |(name, _, _)| *name);
    let mut store = target.connect(&target.key(first))?;
    let readers: Vec<Box<dyn Fn() -> Result<String, String>>> = plugins
        .iter()
        .map(|(_, dir, shown)| {
            let path = dir.join("plugin.toml");
            let shown = format!("{shown}/plugin.toml");
            Box::new(move || {
                read_regular_text(&path, MANIFEST_CAP)
                    .map_err(|e| format!("cannot read {shown}: {e}"))
            }) as Box<dyn Fn() -> Result<String, String>>
        })
        .collect();
    let to_switch: Vec<ToSwitch> = plugins
        .iter()
        .zip(&readers)
        .map(|((name, _, _), read)| ToSwitch {
            name,
            plugin_toml: read.as_ref(),
        })
        .collect();
    Ok(store.switch(&to_switch, wanted)?)
}
