//! `search`: plugins in the configured registries whose name or summary holds every word of the
//! query (case-insensitive), from each registry's `search.json`.

use serde::Serialize;

use crate::error::Error;
use crate::output::Printer;
use crate::settings::Settings;

/// A plugin found (`search --format json` prints a list of these).
#[derive(Debug, Serialize)]
pub(crate) struct Found {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) summary: Option<String>,
    pub(crate) registry: String,
}

/// Search `registry` (every configured one when `None`) for `query`.
pub(crate) fn search(
    settings: &Settings,
    printer: &Printer,
    query: &str,
    registry: Option<&str>,
) -> Result<Vec<Found>, Error> {
    let names: Vec<String> = match registry {
        Some(name) => vec![name.to_owned()],
        None => settings.host.config.registries.keys().cloned().collect(),
    };
    if names.is_empty() {
        return Err(Error::user_hint(
            "no registry is configured",
            "add one to pluginkit.toml:\n  [registries.default]\n  index = \"https://plugins.example.com/\"",
        ));
    }
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut found = Vec::new();
    for name in &names {
        let registry = super::resolve::open(settings, Some(name), false)?;
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
    Ok(found)
}
