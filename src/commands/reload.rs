//! `pluginkit reload`: signal the server named by `--pid`, `--pidfile` or `[host] pidfile`,
//! after checking that it is that server, and with `--wait` wait until it has reloaded. The work
//! is in [`crate::ops::reload`], which `--reload` on the changing commands shares.

use std::time::Duration;

use super::{ExitStatus, server_options};
use crate::cli::{HumanJson, ReloadCommandArgs};
use crate::ops::reload;
use crate::output::Printer;
use crate::settings::Settings;

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: ReloadCommandArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let wait = args.wait.then(|| Duration::from_secs(args.timeout));
    let server = server_options(&args.server);
    let reloaded = reload::reload(settings, printer, &server, args.signal.as_deref(), wait)?;
    if format == HumanJson::Json {
        printer.json(&reloaded)?;
    } else {
        printer.out(reloaded.sentence())?;
    }
    Ok(ExitStatus::Success)
}
