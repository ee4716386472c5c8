//! `pluginkit disable NAME...`: the mirror of `enable`, sharing its marker writing.

use crate::cli::ToggleArgs;
use crate::commands::ExitStatus;
use crate::commands::enable::set_state;
use crate::output::Printer;
use crate::plugin::state::State;
use crate::settings::Settings;

pub fn run(settings: &Settings, printer: &Printer, args: ToggleArgs) -> anyhow::Result<ExitStatus> {
    set_state(settings, printer, args, State::Disabled)
}
