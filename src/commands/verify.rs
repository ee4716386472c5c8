//! `pluginkit verify [NAME...]`: compare installed plugins with their receipts and report files
//! changed, added or missing since they were installed, and symbolic links that lead outside a
//! plugin. The work is in [`crate::ops::verify`].

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{HumanJson, VerifyArgs};
use crate::ops::verify::{self, Verified};
use crate::output::{ERROR, GOOD, Printer};
use crate::settings::Settings;

/// `verify --format json`: each plugin's files against its receipt.
#[derive(Serialize)]
struct VerifiedJson<'a> {
    plugins: &'a [Verified],
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: VerifyArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let results = verify::verify(settings, printer, &args.names)?;
    let failed = results.iter().any(|r| r.status != "ok");
    if format == HumanJson::Json {
        printer.json(&VerifiedJson { plugins: &results })?;
    } else {
        if results.is_empty() {
            printer.note("no plugins installed by pluginkit to verify");
        }
        for r in &results {
            let status = if r.status == "ok" {
                printer.paint_out(GOOD, "ok")
            } else {
                printer.paint_out(ERROR, r.status)
            };
            printer.out(format!("{}: {status}", r.name))?;
            for (label, files) in [
                ("changed", &r.drift.changed),
                ("added", &r.drift.added),
                ("missing", &r.drift.missing),
                ("link outside the plugin", &r.drift.links_outside),
            ] {
                for file in files {
                    printer.out(format!("  {label}: {file}"))?;
                }
            }
        }
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
