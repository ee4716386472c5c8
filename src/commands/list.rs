//! `pluginkit list`: the installed plugins, their version, flavor, effective state and why, as
//! a table, JSON or CSV. A broken plugin is listed (marked invalid) and never hides the others.

use serde::Serialize;

use crate::cli::{Format, ListArgs};
use crate::commands::ExitStatus;
use crate::plugin::state::{EffectiveState, State, StateSource};
use crate::plugins_folder::{self, Installed};
use crate::printer::{BOLD, ERROR, Printer};
use crate::settings::Settings;
use crate::table::Table;

/// One plugin in `list --format json` (documented in README.md, "JSON output").
#[derive(Debug, Serialize)]
pub struct ListEntry<'a> {
    pub name: &'a str,
    pub folder: &'a str,
    pub version: Option<&'a str>,
    pub flavor: &'static str,
    pub state: State,
    pub state_source: StateSource,
    pub path: &'a str,
    pub summary: Option<&'a str>,
    pub valid: bool,
    pub errors: usize,
}

impl<'a> ListEntry<'a> {
    fn new(installed: &'a Installed, state: EffectiveState) -> Self {
        let plugin = &installed.plugin;
        ListEntry {
            name: plugin.name(),
            folder: &plugin.folder,
            version: plugin.metadata.version.as_deref(),
            flavor: plugin.flavor.as_str(),
            state: state.state,
            state_source: state.source,
            path: &plugin.path,
            summary: plugin.metadata.summary.as_deref(),
            valid: plugin.is_valid(),
            errors: plugin.errors(),
        }
    }
}

#[derive(Serialize)]
struct ListJson<'a> {
    version: u32,
    plugins_dir: String,
    plugins: Vec<ListEntry<'a>>,
}

pub fn run(settings: &Settings, printer: &Printer, args: ListArgs) -> anyhow::Result<ExitStatus> {
    let format = settings.format("list", &[Format::Human, Format::Json, Format::Csv])?;
    settings.recover_if_needed(printer)?;
    let shown = settings.display(&settings.plugins_dir);
    let scan = plugins_folder::scan(
        &settings.plugins_dir,
        &shown,
        settings.flavor,
        &settings.read_context(),
    )?;
    let wanted = |state: &EffectiveState| match (args.enabled, args.disabled) {
        (true, _) => state.state == State::Enabled,
        (_, true) => state.state == State::Disabled,
        _ => true,
    };
    let entries: Vec<ListEntry> = scan
        .plugins
        .iter()
        .map(|installed| (installed, installed.state()))
        .filter(|(_, state)| wanted(state))
        .map(|(installed, state)| ListEntry::new(installed, state))
        .collect();

    match format {
        Format::Json => {
            let json = ListJson {
                version: crate::report::json::FORMAT_VERSION,
                plugins_dir: shown,
                plugins: entries,
            };
            printer.out(serde_json::to_string_pretty(&json)?)?;
        }
        Format::Csv => {
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
            ])?;
            for e in &entries {
                writer.write_record([
                    e.name,
                    e.version.unwrap_or_default(),
                    e.flavor,
                    e.state.as_str(),
                    e.state_source.as_str(),
                    if e.valid { "true" } else { "false" },
                    e.path,
                    e.summary.unwrap_or_default(),
                ])?;
            }
            printer.out_raw(&String::from_utf8(writer.into_inner()?)?)?;
        }
        _ => {
            if entries.is_empty() {
                printer.note(format!("no plugins in {shown}"));
                return Ok(ExitStatus::Success);
            }
            let mut table = Table::new(["NAME", "VERSION", "FLAVOR", "STATE", "PATH", "SUMMARY"]);
            for e in &entries {
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
                table.row([
                    e.name.to_owned(),
                    e.version.unwrap_or("-").to_owned(),
                    e.flavor.to_owned(),
                    format!("{} ({})", e.state.as_str(), e.state_source.as_str()),
                    e.path.to_owned(),
                    summary,
                ]);
            }
            printer.out(table.render(|header| printer.paint_out(BOLD, header)))?;
        }
    }
    Ok(ExitStatus::Success)
}
