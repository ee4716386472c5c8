//! `pluginkit outdated [NAME...]`: plugins installed from git or a registry whose source has
//! moved on. The check is in [`crate::ops::outdated`], which `upgrade` shares.

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{HumanJson, OutdatedArgs};
use crate::ops::outdated::{self, Checked, Latest};
use crate::output::table::Table;
use crate::output::{BOLD, ERROR, GOOD, Printer, WARNING};
use crate::registry::advisory::{self, Advisory};
use crate::settings::Settings;

/// `outdated --format json`: each plugin checked against its source.
#[derive(Serialize)]
struct CheckedJson<'a> {
    plugins: &'a [Checked],
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: OutdatedArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let checked = outdated::outdated(settings, printer, &args.names)?;
    let status = if outdated::report_failures(printer, &checked) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    if format == HumanJson::Json {
        printer.json(&CheckedJson { plugins: &checked })?;
        return Ok(status);
    }
    if checked.is_empty() {
        printer.out("no plugins installed from git or a registry")?;
        return Ok(ExitStatus::Success);
    }
    // As cargo-outdated's columns: Compat, the newest the requirement allows (what `upgrade`
    // moves to); Latest, the newest published.
    let mut table = Table::new(["NAME", "INSTALLED", "COMPAT", "LATEST", "SOURCE"]);
    for c in &checked {
        let latest = c.latest_text();
        let latest = match c.latest {
            Latest::UpToDate => printer.paint_out(GOOD, latest),
            Latest::NewerTag { .. } | Latest::NewerCommit { .. } | Latest::NewerVersion { .. } => {
                printer.paint_out(WARNING, latest)
            }
            Latest::Pinned => latest,
            Latest::Failed { .. } => printer.paint_out(ERROR, latest),
        };
        let installed = if c.advisories.is_empty() {
            c.installed()
        } else {
            format!("{} (advisory)", c.installed())
        };
        let installed = if c.yanked || !c.advisories.is_empty() {
            printer.paint_out(ERROR, installed)
        } else {
            installed
        };
        table.row([
            c.name.clone(),
            installed,
            latest,
            c.newest_text(),
            c.source_short.clone(),
        ]);
    }
    printer.out(table.render(|h| printer.paint_out(BOLD, h)))?;
    let yanked: Vec<&str> = checked
        .iter()
        .filter(|c| c.yanked)
        .map(|c| c.name.as_str())
        .collect();
    if !yanked.is_empty() {
        printer.warn(format!(
            "the installed version of {} is yanked from its registry: `pluginkit upgrade` or `pluginkit add --force NAME@VERSION` moves to another",
            yanked.join(", ")
        ));
    }
    for c in checked.iter().filter(|c| !c.advisories.is_empty()) {
        let advisories: Vec<&Advisory> = c.advisories.iter().collect();
        printer.warn(format!(
            "{} {} has {} {}: `pluginkit upgrade` or `pluginkit add --force NAME@VERSION` moves to another (`pluginkit audit` lists them all)",
            c.name,
            c.version.as_deref().unwrap_or_default(),
            if advisories.len() == 1 { "an advisory:" } else { "advisories:" },
            advisory::describe(&advisories)
        ));
    }
    let outdated = checked.iter().filter(|c| c.is_outdated()).count();
    if outdated > 0 {
        printer.note(format!(
            "{outdated} plugin{} can be upgraded: `pluginkit upgrade` (add --dry-run to see what would change)",
            if outdated == 1 { "" } else { "s" }
        ));
    }
    Ok(status)
}
