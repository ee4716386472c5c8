//! `pluginkit audit`: installed plugins that published advisories affect; exit 1 when any.
//! The work is in [`crate::ops::audit`].

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{AuditArgs, HumanJson};
use crate::ops::audit::{self, Affected, NotChecked};
use crate::output::table::Table;
use crate::output::{BOLD, ERROR, Printer};
use crate::settings::Settings;

/// `audit --format json` (documented in the README's JSON table).
#[derive(Serialize)]
struct AuditJson<'a> {
    advisories: &'a [Affected],
    checked: usize,
    not_checked: &'a [NotChecked],
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: AuditArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let audit = audit::audit(settings, printer)?;
    let status = if audit.advisories.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    };
    if format == HumanJson::Json {
        printer.json(&AuditJson {
            advisories: &audit.advisories,
            checked: audit.checked,
            not_checked: &audit.not_checked,
        })?;
        return Ok(status);
    }
    if !audit.not_checked.is_empty() {
        let names: Vec<&str> = audit
            .not_checked
            .iter()
            .map(|n| n.plugin.as_str())
            .collect();
        printer.note(format!(
            "not checked: {} (installed from git, a ZIP file or a folder, which publish no advisories)",
            names.join(", ")
        ));
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if audit.advisories.is_empty() {
        printer.out(format!(
            "no advisories affect the {} registry plugin{} checked",
            audit.checked,
            plural(audit.checked)
        ))?;
        return Ok(status);
    }
    let mut table = Table::new(["PLUGIN", "VERSION", "ID", "SEVERITY", "FIXED", "URL"]);
    for a in &audit.advisories {
        table.row([
            a.plugin.clone(),
            a.installed.clone(),
            a.id.clone(),
            printer.paint_out(ERROR, a.severity.clone()),
            a.fixed.clone().unwrap_or_else(|| "-".to_owned()),
            a.url.clone().unwrap_or_else(|| "-".to_owned()),
        ]);
    }
    printer.out(table.render(|h| printer.paint_out(BOLD, h)))?;
    let plugins = {
        let mut names: Vec<&str> = audit.advisories.iter().map(|a| a.plugin.as_str()).collect();
        names.dedup();
        names.len()
    };
    printer.out(format!(
        "{} advisor{} affect{} {plugins} of {} registry plugin{} checked; `pluginkit upgrade` moves to newer versions",
        audit.advisories.len(),
        if audit.advisories.len() == 1 { "y" } else { "ies" },
        if audit.advisories.len() == 1 { "s" } else { "" },
        audit.checked,
        plural(audit.checked)
    ))?;
    Ok(status)
}
