//! `pluginkit registry resign --dir DIR`: sign the registry's snapshot again
//! ([`crate::ops::publish::resign`]).

use serde::Serialize;

use super::{SnapshotJson, sign_options, signed_line};
use crate::cli::{HumanJson, ResignArgs};
use crate::commands::ExitStatus;
use crate::ops::publish;
use crate::output::Printer;
use crate::settings::Settings;

/// `registry resign --format json`.
#[derive(Serialize)]
struct ResignedJson<'a> {
    registry: &'a str,
    snapshot: SnapshotJson<'a>,
}

pub(super) fn run(
    settings: &Settings,
    printer: &Printer,
    args: ResignArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let shown_dir = settings.display(&settings.cwd.join(&args.dir));
    let sealed = publish::resign(settings, printer, &args.dir, &sign_options(args.sign))?;
    if format == HumanJson::Json {
        printer.json(&ResignedJson {
            registry: &shown_dir,
            snapshot: SnapshotJson::new(&sealed),
        })?;
        return Ok(ExitStatus::Success);
    }
    printer.out(format!("{} in {shown_dir}", signed_line(&sealed)))?;
    Ok(ExitStatus::Success)
}
