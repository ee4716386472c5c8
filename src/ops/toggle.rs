//! `enable` and `disable`: switch plugins on or off the way the host reads it
//! ([`crate::host::switch`]), in the change frame: marker files (`ENABLED`, `DISABLED`),
//! FastCMS's `_` rename and the class-based pattern's move out of the plugins folder through [`crate::transaction::toggle`], so a killed run leaves the old
//! state or the new one; FBA's Redis records in one Redis transaction with FBA's "restart
//! needed" flag, every record read and checked before any is written.

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
    let (off, both) = match switch {
        // FastCMS: `NAME/` is enabled, `_NAME/` disabled.
        Switch::Underscore => (
            settings
                .plugins_dir
                .join(fastcms_rename::disabled_folder(name)),
            "FastCMS loads the one without `_`",
        ),
        // The class-based pattern: the plugins folder's are loaded, the moved ones not.
        Switch::Moved => (
            moved_out::dir(&cx.dirs.state).join(name),
            "the host loads the one in its plugins folder",
        ),
        Switch::Markers | Switch::Redis(_) => {
            let changed = toggle::set_state(cx, &target.dir, wanted)
                .with_context(|| format!("cannot write the marker files in {}", plugin.path))?;
            return Ok(Toggled {
                name: plugin.name().to_owned(),
                path: plugin.path.clone(),
                changed,
                state: switch::local_state(switch, target)
                    .unwrap_or_else(|| EffectiveState::new(wanted, StateSource::Default)),
            });
        }
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

/// Switch FBA plugins in its Redis: all in one transaction, or none.
fn switch_in_redis(
    target: &fba_redis::Target,
    plugins: &[Installed],
    wanted: State,
) -> Result<Vec<Toggled>, Error> {
    let first = plugins.first().map_or("", |p| p.plugin.folder.as_str());
    let mut store = target.connect(&target.key(first))?;
    let readers: Vec<Box<dyn Fn() -> Result<String, String>>> = plugins
        .iter()
        .map(|p| {
            let path = p.dir.join("plugin.toml");
            let shown = format!("{}/plugin.toml", p.plugin.path);
            Box::new(move || {
                read_regular_text(&path, MANIFEST_CAP)
                    .map_err(|e| format!("cannot read {shown}: {e}"))
            }) as Box<dyn Fn() -> Result<String, String>>
        })
        .collect();
    let to_switch: Vec<ToSwitch> = plugins
        .iter()
        .zip(&readers)
        .map(|(p, read)| ToSwitch {
            name: &p.plugin.folder,
            plugin_toml: read.as_ref(),
        })
        .collect();
    let changed = store.switch(&to_switch, wanted)?;
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
