//! `pluginkit deps [--check]`: the enabled plugins' Python requirements, resolved together and
//! installed into the host's Python. The work is in [`crate::ops::deps`].

use super::ExitStatus;
use crate::cli::{DepsArgs, HumanJson};
use crate::ops::deps::{self, Deps};
use crate::output::Printer;
use crate::settings::Settings;

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: DepsArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let done = deps::deps(settings, printer, args.check, args.offline)?;
    if format == HumanJson::Json {
        printer.json(&done)?;
    } else {
        render(printer, &done)?;
    }
    Ok(ExitStatus::Success)
}

fn render(printer: &Printer, done: &Deps) -> anyhow::Result<()> {
    let Some(resolved) = &done.resolved else {
        printer.out("no enabled plugin asks for Python packages")?;
        return Ok(());
    };
    for plugin in &resolved.plugins {
        printer.out(format!("{}: {}", plugin.name, plugin.pins.join(", ")))?;
    }
    let count = resolved.pins.len();
    let plural = if count == 1 { "" } else { "s" };
    let plugins = resolved.plugins.len();
    let plugins_plural = if plugins == 1 { "" } else { "s" };
    if done.installed {
        printer.out(format!(
            "installed {count} Python package{plural} for {plugins} plugin{plugins_plural}; pins recorded in pluginkit.lock"
        ))?;
    } else {
        printer.out(format!(
            "the requirements of {plugins} plugin{plugins_plural} resolve together to {count} Python package{plural}; nothing was installed (--check)"
        ))?;
    }
    Ok(())
}
