//! `pluginkit search QUERY`: plugins in the configured registries whose name or summary holds
//! every word of the query. The work is in [`crate::ops::search`].

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{HumanJson, SearchArgs};
use crate::ops::search::{self, Found};
use crate::output::table::Table;
use crate::output::{BOLD, Printer};
use crate::settings::Settings;

/// `search --format json`: the plugins that match.
#[derive(Serialize)]
struct FoundJson<'a> {
    plugins: &'a [Found],
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: SearchArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let found = search::search(settings, printer, &args.query, args.registry.as_deref())?;
    if format == HumanJson::Json {
        printer.json(&FoundJson { plugins: &found })?;
        return Ok(ExitStatus::Success);
    }
    if found.is_empty() {
        printer.out(format!("no plugin matches `{}`", args.query))?;
        return Ok(ExitStatus::Success);
    }
    let mut table = Table::new(["NAME", "VERSION", "REGISTRY", "SUMMARY"]);
    for f in found {
        table.row([f.name, f.version, f.registry, f.summary.unwrap_or_default()]);
    }
    printer.out(table.render(|h| printer.paint_out(BOLD, h)))?;
    Ok(ExitStatus::Success)
}
