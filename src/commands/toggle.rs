//! What `enable` and `disable` share, being mirror images: their arguments to the one call into
//! [`crate::ops::toggle`], and their output. Not a command itself.

use serde::Serialize;

use super::{ExitStatus, reload_request};
use crate::cli::{HumanJson, ToggleArgs};
use crate::ops::toggle::{self, Plugins, ToggleOutcome, Toggled};
use crate::output::{GOOD, Printer, WARNING};
use crate::plugin::state::State;
use crate::settings::Settings;

/// `enable` and `disable --format json`: each plugin's state now.
#[derive(Serialize)]
struct ToggledJson<'a> {
    plugins: &'a [Toggled],
}

/// Switch the plugins `args` names (or all of them) to `wanted`, and say what each is now.
pub(super) fn run(
    settings: &Settings,
    printer: &Printer,
    args: ToggleArgs,
    wanted: State,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let reload = reload_request(&args.reload);
    let plugins = if args.all {
        Plugins::All
    } else {
        Plugins::Named(&args.names)
    };
    toggle::set_state(settings, printer, plugins, wanted, &reload, |outcome| {
        render(printer, format, outcome)
    })?;
    Ok(ExitStatus::Success)
}

fn render(printer: &Printer, format: HumanJson, outcome: &ToggleOutcome) -> anyhow::Result<()> {
    if format == HumanJson::Json {
        printer.json(&ToggledJson {
            plugins: &outcome.toggled,
        })?;
        return Ok(());
    }
    if outcome.toggled.is_empty() {
        printer.note("no plugin is installed: nothing to switch");
    }
    for toggled in &outcome.toggled {
        let style = if toggled.state.state == State::Enabled {
            GOOD
        } else {
            WARNING
        };
        printer.out(format!(
            "{}: {}{} ({})",
            toggled.name,
            if toggled.changed { "" } else { "already " },
            printer.paint_out(style, toggled.state.state),
            toggled.state.reason()
        ))?;
    }
    Ok(())
}
