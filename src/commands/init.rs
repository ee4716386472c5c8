//! `pluginkit init`: write `pluginkit.toml` for the host found in the working folder, saying
//! what was detected (the work is [`crate::ops::init`]'s).

use std::path::Path;

use super::ExitStatus;
use crate::cli::{HumanJson, InitArgs};
use crate::ops::init;
use crate::output::{BOLD, GOOD, Printer};
use crate::settings::Settings;

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: InitArgs,
    plugins_dir: Option<&Path>,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let done = init::init(settings, args.kind, plugins_dir)?;
    if format == HumanJson::Json {
        printer.json(&done)?;
        return Ok(ExitStatus::Success);
    }
    let detected = match done.kind {
        Some(kind) => format!(
            "{} ({})",
            printer.paint_out(BOLD, kind.as_str()),
            done.kind_reason
        ),
        None => format!("no host kind ({})", done.kind_reason),
    };
    printer.out(format!("detected: {detected}"))?;
    let plural = if done.plugins == 1 { "" } else { "s" };
    if done.created_plugins_dir {
        printer.out(format!("plugins folder: {} (created)", done.plugins_dir))?;
    } else {
        printer.out(format!(
            "plugins folder: {} ({} plugin{plural})",
            done.plugins_dir, done.plugins
        ))?;
    }
    if let Some(python) = &done.python {
        printer.out(format!("python: {python}"))?;
    }
    if let (Some(version), Some(why)) = (&done.host_version, &done.host_version_reason) {
        printer.out(format!("host version: {version} ({why})"))?;
    }
    printer.out(printer.paint_out(GOOD, format!("wrote {}", done.path)))?;
    if done.kind.is_none() {
        printer.note("set [host] kind in it when the host is Flask-PluginKit, FBA, FastCMS or the class-based pattern");
    }
    Ok(ExitStatus::Success)
}
