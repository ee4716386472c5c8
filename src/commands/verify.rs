//! `pluginkit verify [NAME...]`: compare installed plugins with their receipts and report files
//! changed, added or missing since they were installed.

use serde::Serialize;

use crate::cli::{Format, VerifyArgs};
use crate::commands::ExitStatus;
use crate::error::Error;
use crate::host::receipts::{self as receipt, Drift, Receipt};
use crate::output::{ERROR, GOOD, Printer};
use crate::settings::Settings;

#[derive(Serialize)]
struct Verified {
    name: String,
    /// `ok`, `modified`, or `missing` (the plugin's folder is gone).
    status: &'static str,
    #[serde(flatten)]
    drift: Drift,
}

pub fn run(settings: &Settings, printer: &Printer, args: VerifyArgs) -> anyhow::Result<ExitStatus> {
    let format = settings.format("verify", &[Format::Human, Format::Json])?;
    settings.recover_if_needed(printer)?;
    let dirs = settings.dirs();
    let receipts = Receipt::load_all(&dirs.state);
    let chosen: Vec<&Receipt> = if args.names.is_empty() {
        receipts.iter().collect()
    } else {
        let mut chosen = Vec::new();
        for name in &args.names {
            let receipt = receipts.iter().find(|r| &r.name == name).ok_or_else(|| {
                Error::user_hint(
                    format!("`{name}` was not installed by pluginkit, so there is nothing to verify it against"),
                    "verify checks plugins installed with `pluginkit add`",
                )
            })?;
            chosen.push(receipt);
        }
        chosen
    };
    let mut results = Vec::new();
    for receipt in chosen {
        let dir = dirs.plugins.join(&receipt.name);
        let result = match receipt::hash_tree(&dir) {
            Ok(now) => {
                let drift = receipt::drift(receipt, &now);
                Verified {
                    name: receipt.name.clone(),
                    status: if drift.is_clean() { "ok" } else { "modified" },
                    drift,
                }
            }
            Err(_) => Verified {
                name: receipt.name.clone(),
                status: "missing",
                drift: Drift::default(),
            },
        };
        results.push(result);
    }
    let failed = results.iter().any(|r| r.status != "ok");
    if format == Format::Json {
        printer.json(&results)?;
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
