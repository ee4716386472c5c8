//! `enable` and `disable`: switch plugins on or off with their marker files (`ENABLED`,
//! `DISABLED`), in the change frame, each switch made so that a killed run leaves the old state
//! or the new one ([`crate::transaction::toggle`]).

use anyhow::Context as _;
use serde::Serialize;

use crate::host::plugins_folder::{self, Installed};
use crate::ops::change::{self, Lock, Outcome};
use crate::ops::reload;
use crate::output::Printer;
use crate::plugin::state::{self, EffectiveState, State};
use crate::settings::Settings;
use crate::transaction::toggle;

/// One plugin switched (`enable --format json` prints a list of these).
#[derive(Debug, Serialize)]
pub(crate) struct Toggled {
    pub(crate) name: String,
    pub(crate) path: String,
    /// Whether its markers changed (false: it was in that state already).
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

/// Switch the plugins `names` to `wanted`. Every name is resolved before anything is written,
/// so an unknown name changes nothing. `render` shows what was done before the lock is released
/// and the server signalled.
pub(crate) fn set_state(
    settings: &Settings,
    printer: &Printer,
    names: &[String],
    wanted: State,
    reload: &reload::Request,
    render: impl FnOnce(&ToggleOutcome) -> anyhow::Result<()>,
) -> anyhow::Result<ToggleOutcome> {
    let frame = change::begin(settings, printer, reload)?;
    frame.run(
        Lock::IfManaged,
        || {
            let shown = settings.display(&settings.plugins_dir);
            let ctx = settings.read_context();
            let mut targets: Vec<Installed> = Vec::new();
            for name in names {
                let installed = plugins_folder::lookup(
                    &settings.plugins_dir,
                    &shown,
                    name,
                    settings.flavor,
                    &ctx,
                )?;
                if !targets.iter().any(|t| t.dir == installed.dir) {
                    targets.push(installed);
                }
            }
            let cx = super::transaction(settings);
            let mut toggled = Vec::new();
            for target in &targets {
                let changed = toggle::set_state(&cx, &target.dir, wanted).with_context(|| {
                    format!("cannot write the marker files in {}", target.plugin.path)
                })?;
                toggled.push(Toggled {
                    name: target.plugin.name().to_owned(),
                    path: target.plugin.path.clone(),
                    changed,
                    state: state::effective(&target.dir, target.plugin.metadata.state),
                });
            }
            Ok(ToggleOutcome { toggled })
        },
        render,
    )
}
