//! `pluginkit enable NAME...`, and the marker writing that `disable` shares.

use serde::Serialize;

use crate::cli::{Format, ToggleArgs};
use crate::commands::{ExitStatus, reload};
use crate::host::plugins_folder::{self, Installed};
use crate::output::{GOOD, Printer, WARNING};
use crate::plugin::state::{self, EffectiveState, State};
use crate::settings::Settings;

pub fn run(settings: &Settings, printer: &Printer, args: ToggleArgs) -> anyhow::Result<ExitStatus> {
    set_state(settings, printer, args, State::Enabled)
}

#[derive(Serialize)]
struct Toggled<'a> {
    name: &'a str,
    path: &'a str,
    changed: bool,
    #[serde(flatten)]
    state: EffectiveState,
}

/// Switch the named plugins to `wanted`. Every name is resolved before anything is written, so
/// an unknown name changes nothing.
pub fn set_state(
    settings: &Settings,
    printer: &Printer,
    args: ToggleArgs,
    wanted: State,
) -> anyhow::Result<ExitStatus> {
    let command = match wanted {
        State::Enabled => "enable",
        State::Disabled => "disable",
    };
    let format = settings.format(command, &[Format::Human, Format::Json])?;
    let reload = reload::before_change(settings, printer, &args.reload)?;
    let lock = settings.lock_host_if_managed(printer)?;
    let shown = settings.display(&settings.plugins_dir);
    let ctx = settings.read_context();
    let mut targets: Vec<Installed> = Vec::new();
    for name in &args.names {
        let installed =
            plugins_folder::lookup(&settings.plugins_dir, &shown, name, settings.flavor, &ctx)?;
        if !targets.iter().any(|t| t.dir == installed.dir) {
            targets.push(installed);
        }
    }

    let mut results = Vec::new();
    for target in &targets {
        let changed = state::write_markers(&target.dir, wanted).map_err(|e| {
            anyhow::anyhow!(e).context(format!(
                "cannot write the marker files in {}",
                target.plugin.path
            ))
        })?;
        let effective = state::effective(&target.dir, target.plugin.metadata.state);
        results.push(Toggled {
            name: target.plugin.name(),
            path: &target.plugin.path,
            changed,
            state: effective,
        });
    }

    let changed = results.iter().any(|r| r.changed);
    if format == Format::Json {
        printer.json(&results)?;
    }
    for result in results.iter().filter(|_| format != Format::Json) {
        let style = if result.state.state == State::Enabled {
            GOOD
        } else {
            WARNING
        };
        printer.out(format!(
            "{}: {}{} ({})",
            result.name,
            if result.changed { "" } else { "already " },
            printer.paint_out(style, result.state.state),
            result.state.source.as_str()
        ))?;
    }
    drop(lock);
    reload::after_change(settings, printer, reload, changed)?;
    Ok(ExitStatus::Success)
}
