//! `pluginkit disable NAME...` (or `--all`): switch plugins off (remove `ENABLED`, create
//! `DISABLED`, or what the host kind reads); the mirror of `enable`.

use super::{ExitStatus, toggle};
use crate::cli::ToggleArgs;
use crate::output::Printer;
use crate::plugin::state::State;
use crate::settings::Settings;

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: ToggleArgs,
) -> anyhow::Result<ExitStatus> {
    toggle::run(settings, printer, args, State::Disabled)
}
