//! `pluginkit enable NAME...` (or `--all`): switch plugins on (remove `DISABLED`, create
//! `ENABLED`, or what the host kind reads).

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
    toggle::run(settings, printer, args, State::Enabled)
}
