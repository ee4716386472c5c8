//! `pluginkit search QUERY`: plugins in the configured registries whose name or summary holds
//! every word of the query (case-insensitive), from each registry's `search.json`.

use serde::Serialize;

use crate::cli::{Format, SearchArgs};
use crate::commands::ExitStatus;
use crate::error::Error;
use crate::output::table::Table;
use crate::output::{BOLD, Printer};
use crate::settings::Settings;

#[derive(Serialize)]
struct Found {
    name: String,
    version: String,
    summary: Option<String>,
    registry: String,
}

pub fn run(settings: &Settings, printer: &Printer, args: SearchArgs) -> anyhow::Result<ExitStatus> {
    let format = settings.format("search", &[Format::Human, Format::Json])?;
    let names: Vec<String> = match &args.registry {
        Some(name) => vec![name.clone()],
        None => settings.host.config.registries.keys().cloned().collect(),
    };
    if names.is_empty() {
        return Err(Error::user_hint(
            "no registry is configured",
            "add one to pluginkit.toml:\n  [registries.default]\n  index = \"https://plugins.example.com/\"",
        )
        .into());
    }
    let words: Vec<String> = args
        .query
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let mut found = Vec::new();
    for name in &names {
        let registry = crate::ops::resolve::open(settings, Some(name), false)?;
        let search = registry.search(printer)?;
        for entry in search.plugins {
            let haystack = format!(
                "{} {}",
                entry.name.to_lowercase(),
                entry.summary.as_deref().unwrap_or("").to_lowercase()
            );
            if words.iter().all(|w| haystack.contains(w.as_str())) {
                found.push(Found {
                    name: entry.name,
                    version: entry.version,
                    summary: entry.summary,
                    registry: name.clone(),
                });
            }
        }
    }
    if format == Format::Json {
        printer.json(&found)?;
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
