//! `pluginkit list`: the installed plugins, their version, flavor, effective state and why, as
//! a table, JSON or CSV. A broken plugin is listed (marked invalid) and never hides the others.
//! A plugin pluginkit installed shows where it came from (`pluginkit.lock`). With a server
//! running (`[host] pidfile`), each plugin also says whether it changed since the server loaded
//! it. A link whose folder is gone is listed as broken, with where it points. What is listed
//! comes from [`crate::ops::show`].

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{ListArgs, ListFormat};
use crate::ops::show::{self, Filter, Listed, ListedBroken};
use crate::output::table::{Cut, Table};
use crate::output::{BOLD, ERROR, Printer, WARNING};
use crate::plugin::state::{State, StateSource};
use crate::settings::Settings;
use crate::source::id::SourceId;

/// One plugin in `list --format json` (documented in README.md, "JSON output").
#[derive(Debug, Serialize)]
pub(crate) struct ListEntry<'a> {
    pub(crate) name: &'a str,
    pub(crate) folder: &'a str,
    pub(crate) version: Option<&'a str>,
    pub(crate) flavor: &'static str,
    /// `null` when it could not be read (FBA's Redis unreachable).
    pub(crate) state: Option<State>,
    pub(crate) state_source: Option<StateSource>,
    /// The Redis key FBA keeps the state in; only for FBA hosts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) state_key: Option<&'a str>,
    #[serde(skip)]
    pub(crate) state_reason: String,
    pub(crate) path: &'a str,
    pub(crate) summary: Option<&'a str>,
    pub(crate) valid: bool,
    pub(crate) errors: usize,
    /// Changed since the running server loaded its plugins; `null` when no server runs.
    pub(crate) pending_reload: Option<bool>,
    /// Where pluginkit installed it from, as `pluginkit.lock` records it; `null` for a plugin
    /// pluginkit did not install.
    pub(crate) source: Option<&'a SourceId>,
    #[serde(skip)]
    pub(crate) source_short: Option<&'a str>,
}

impl<'a> ListEntry<'a> {
    fn new(listed: &'a Listed) -> Self {
        let plugin = &listed.installed.plugin;
        let state = listed.state.as_ref();
        ListEntry {
            name: plugin.name(),
            folder: &plugin.folder,
            version: plugin.metadata.version.as_deref(),
            flavor: plugin.flavor.as_str(),
            state: state.map(|s| s.state),
            state_source: state.map(|s| s.source),
            state_key: state.and_then(|s| s.key.as_deref()),
            state_reason: state
                .map_or_else(|| "FBA's Redis unreachable".to_owned(), |s| s.reason()),
            path: &plugin.path,
            summary: plugin.metadata.summary.as_deref(),
            valid: plugin.is_valid(),
            errors: plugin.errors(),
            pending_reload: listed.pending_reload,
            source: listed.source.as_ref(),
            source_short: listed.source_short.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct ListJson<'a> {
    plugins_dir: String,
    plugins: Vec<ListEntry<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    broken: &'a [ListedBroken],
    /// FBA's "restart needed" flag; only for FBA hosts.
    #[serde(skip_serializing_if = "Option::is_none")]
    restart_needed: Option<bool>,
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: ListArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let filter = match (args.enabled, args.disabled) {
        (true, _) => Filter::Enabled,
        (_, true) => Filter::Disabled,
        _ => Filter::All,
    };
    let listing = show::list(settings, printer, filter)?;
    let entries: Vec<ListEntry> = listing.plugins.iter().map(ListEntry::new).collect();
    match format {
        ListFormat::Json => printer.json(&ListJson {
            plugins_dir: listing.plugins_dir.clone(),
            plugins: entries,
            broken: &listing.broken,
            restart_needed: listing.restart_needed,
        })?,
        ListFormat::Csv => printer.out_raw(&csv(&entries, &listing.broken)?)?,
        _ => table(settings, printer, &listing, &entries)?,
    }
    Ok(ExitStatus::Success)
}

/// `list --format csv`: one record per plugin, and one per broken link.
fn csv(entries: &[ListEntry], broken: &[ListedBroken]) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "name",
        "version",
        "flavor",
        "state",
        "state_source",
        "valid",
        "path",
        "summary",
        "pending_reload",
        "source",
    ])?;
    for e in entries {
        let source = e.source.map(SourceId::to_string).unwrap_or_default();
        writer.write_record([
            e.name,
            e.version.unwrap_or_default(),
            e.flavor,
            e.state.map_or("unknown", State::as_str),
            e.state_source.map_or("", StateSource::as_str),
            if e.valid { "true" } else { "false" },
            e.path,
            e.summary.unwrap_or_default(),
            match e.pending_reload {
                Some(true) => "true",
                Some(false) => "false",
                None => "",
            },
            source.as_str(),
        ])?;
    }
    for b in broken {
        let source = b.source.as_ref().map(SourceId::to_string);
        let summary = format!("broken link to {}", b.target);
        let (path, source) = (b.path.as_str(), source.unwrap_or_default());
        writer.write_record([
            &b.name, "", "", "broken", "", "false", path, &summary, "", &source,
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// The table people read, and the notes under it.
fn table(
    settings: &Settings,
    printer: &Printer,
    listing: &show::Listing,
    entries: &[ListEntry],
) -> anyhow::Result<()> {
    let (shown, live, broken) = (
        &listing.plugins_dir,
        listing.server_running,
        &listing.broken,
    );
    if entries.is_empty() && broken.is_empty() {
        printer.note(format!("no plugins in {shown}"));
        return Ok(());
    }
    let mut header = vec!["NAME", "VERSION", "FLAVOR", "STATE", "PATH", "SUMMARY"];
    let sources =
        entries.iter().any(|e| e.source.is_some()) || broken.iter().any(|b| b.source.is_some());
    if sources {
        header.insert(4, "SOURCE");
    }
    if live {
        header.insert(4, "RELOAD");
    }
    let mut table = Table::new(header);
    // What gives way when the terminal is narrow, in this order: the summary, the path (mostly
    // the plugins folder and the name again: left out whole; `info` and JSON give it), the
    // state's reason, the source; a name only when it is very long.
    table.cut("SUMMARY", Cut::End, 12);
    table.cut("PATH", Cut::Middle, 0);
    table.cut("STATE", Cut::End, 8);
    table.cut("SOURCE", Cut::Middle, 12);
    table.cut("NAME", Cut::End, 16);
    for e in entries {
        let summary = if e.valid {
            e.summary.unwrap_or_default().to_owned()
        } else {
            let n = e.errors;
            printer.paint_out(
                ERROR,
                format!(
                    "invalid: {n} error{} (pluginkit validate {})",
                    if n == 1 { "" } else { "s" },
                    e.path
                ),
            )
        };
        let mut row = vec![
            e.name.to_owned(),
            e.version.unwrap_or("-").to_owned(),
            e.flavor.to_owned(),
            format!(
                "{} ({})",
                e.state.map_or("unknown", State::as_str),
                e.state_reason
            ),
            e.path.to_owned(),
            summary,
        ];
        if sources {
            row.insert(4, e.source_short.unwrap_or("-").to_owned());
        }
        if let Some(pending) = e.pending_reload {
            let cell = if pending {
                printer.paint_out(WARNING, "pending")
            } else {
                "live".to_owned()
            };
            row.insert(4, cell);
        }
        table.row(row);
    }
    for b in broken {
        let why = format!("broken link to {} (pluginkit remove {})", b.target, b.name);
        let mut row = vec![b.name.clone(), "-".into(), "-".into()];
        row.extend([printer.paint_out(ERROR, "broken"), b.path.clone()]);
        row.push(printer.paint_out(ERROR, why));
        if sources {
            row.insert(4, b.source_short.clone().unwrap_or_else(|| "-".into()));
        }
        if live {
            row.insert(4, "-".to_owned());
        }
        table.row(row);
    }
    printer.out(
        table.render_within(settings.environment.columns(), |header| {
            printer.paint_out(BOLD, header)
        }),
    )?;
    let pending = entries
        .iter()
        .filter(|e| e.pending_reload == Some(true))
        .count();
    if listing.restart_needed == Some(true) {
        printer.note(
            "FBA reports a restart is needed: plugins changed since it started (its changed flag in Redis is set)",
        );
    }
    if pending > 0 {
        printer.note(format!(
            "{pending} plugin{} changed since the server loaded its plugins; \
             `pluginkit reload` loads the changes",
            if pending == 1 { "" } else { "s" }
        ));
    }
    Ok(())
}
