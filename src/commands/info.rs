//! `pluginkit info NAME...`: everything known about plugins (gathered by [`crate::ops::show`]),
//! one after the other; in JSON, one plugin's document, or for several names `plugins`, a list
//! of them.

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{HumanJson, InfoArgs};
use crate::findings::Tally;
use crate::findings::render::json::JsonFinding;
use crate::ops::show::{self, Info};
use crate::output::{BOLD, ERROR, GOOD, Printer, WARNING};
use crate::plugin::Metadata;
use crate::plugin::host::HostJson;
use crate::plugin::state::EffectiveState;
use crate::settings::Settings;

#[derive(Serialize)]
struct InfoJson<'a> {
    name: &'a str,
    folder: &'a str,
    flavor: &'static str,
    flavor_reason: &'a str,
    path: &'a str,
    manifest: &'a str,
    #[serde(flatten)]
    state: StateJson,
    metadata: &'a Metadata,
    valid: bool,
    findings: Vec<JsonFinding<'a>>,
    /// Changed since the running server loaded its plugins; `null` when no server runs.
    pending_reload: Option<bool>,
    /// Which host's rules the plugin was judged by, and why.
    host: HostJson,
    /// FBA's "restart needed" flag; only for FBA hosts.
    #[serde(skip_serializing_if = "Option::is_none")]
    restart_needed: Option<bool>,
    /// The key that verified the signed registry it came from; `null` when its source was not
    /// verified.
    verified: Option<VerifiedJson<'a>>,
}

#[derive(Serialize)]
struct VerifiedJson<'a> {
    key: &'a str,
}

/// `info --format json` with several names.
#[derive(Serialize)]
struct InfosJson<'a> {
    plugins: Vec<InfoJson<'a>>,
}

/// The state in `info --format json`: `null`s when it could not be read.
#[derive(Serialize)]
#[serde(untagged)]
enum StateJson {
    Known(EffectiveState),
    Unknown {
        state: Option<()>,
        state_source: Option<()>,
    },
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: InfoArgs,
) -> anyhow::Result<ExitStatus> {
    let infos = show::infos(settings, printer, &args.names)?;

    if args.format.get() == HumanJson::Json {
        // One NAME keeps the document it always was; several are listed in `plugins`, in the
        // order named.
        match infos.as_slice() {
            [info] => printer.json(&json(settings, info))?,
            _ => printer.json(&InfosJson {
                plugins: infos.iter().map(|i| json(settings, i)).collect(),
            })?,
        }
        return Ok(ExitStatus::Success);
    }
    for (i, info) in infos.iter().enumerate() {
        if i > 0 {
            printer.out("")?;
        }
        human(settings, printer, info)?;
    }
    Ok(ExitStatus::Success)
}

fn json<'a>(settings: &Settings, info: &'a Info) -> InfoJson<'a> {
    let plugin = &info.installed.plugin;
    InfoJson {
        name: plugin.name(),
        folder: &plugin.folder,
        flavor: plugin.flavor.as_str(),
        flavor_reason: &plugin.flavor_reason,
        path: &plugin.path,
        manifest: &plugin.manifest,
        state: match info.state.clone() {
            Some(state) => StateJson::Known(state),
            None => StateJson::Unknown {
                state: None,
                state_source: None,
            },
        },
        metadata: &plugin.metadata,
        valid: plugin.is_valid(),
        findings: plugin.findings.iter().map(JsonFinding::from).collect(),
        pending_reload: info.live.as_ref().map(|_| info.changed.is_some()),
        host: settings.host_facts().json(),
        restart_needed: info.restart_needed,
        verified: info.verified_by.as_deref().map(|key| VerifiedJson { key }),
    }
}

fn human(settings: &Settings, printer: &Printer, info: &Info) -> anyhow::Result<()> {
    let Info {
        installed,
        state,
        live,
        changed,
        restart_needed,
        verified_by,
    } = info;
    let (changed, restart_needed) = (*changed, *restart_needed);
    let plugin = &installed.plugin;
    let meta = &plugin.metadata;
    let mut rows: Vec<(String, String)> = vec![
        ("name".into(), plugin.name().to_owned()),
        (
            "version".into(),
            meta.version.clone().unwrap_or_else(|| "-".into()),
        ),
        (
            "flavor".into(),
            format!("{} ({})", plugin.flavor, plugin.flavor_reason),
        ),
        ("rules".into(), settings.host_facts().describe()),
        (
            "state".into(),
            state.as_ref().map_or_else(
                || "unknown (FBA's Redis unreachable)".to_owned(),
                |s| format!("{} ({})", s.state, s.reason()),
            ),
        ),
        ("path".into(), plugin.path.clone()),
        ("manifest".into(), plugin.manifest.clone()),
    ];
    let optional = [
        ("summary", &meta.summary),
        ("description", &meta.description),
        ("author", &meta.author),
        ("license", &meta.license),
        ("homepage", &meta.homepage),
        ("requires", &meta.requires),
    ];
    rows.extend(
        optional
            .into_iter()
            .filter_map(|(key, value)| Some((key.to_owned(), value.clone()?))),
    );
    if let Some(key) = verified_by {
        rows.push((
            "verified".into(),
            format!("by the signed registry's key {key}"),
        ));
    }
    if let Some(declared) = meta.state {
        rows.push(("declared state".into(), declared.to_string()));
    }
    if !meta.dependencies.is_empty() {
        let deps: Vec<String> = meta
            .dependencies
            .iter()
            .map(|d| match &d.requirement {
                Some(req) => format!("{} {req}", d.name),
                None => d.name.clone(),
            })
            .collect();
        rows.push(("dependencies".into(), deps.join(", ")));
    }
    rows.extend(
        meta.details
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone())),
    );
    for (other, why) in &plugin.other_flavors {
        rows.push((
            "also matches".into(),
            format!(
                "{other} ({why}); read as {} because it comes first",
                plugin.flavor
            ),
        ));
    }

    let tally = Tally::of(&plugin.findings);
    let validity = match (tally.errors, tally.warnings) {
        (0, 0) => printer.paint_out(GOOD, "valid"),
        (0, w) => printer.paint_out(WARNING, format!("valid, {w} warning{}", plural(w))),
        (e, w) => printer.paint_out(
            ERROR,
            format!("invalid: {e} error{}, {w} warning{}", plural(e), plural(w)),
        ),
    };
    rows.push(("validation".into(), validity));
    if let Some((server, live)) = &live {
        let loaded = format!(
            "{} (PID {}) loaded its plugins at {} ({})",
            server.name,
            server.pid,
            crate::util::time::rfc3339_of(live.at),
            live.why.as_str()
        );
        let reload = match changed {
            Some(at) => printer.paint_out(
                WARNING,
                format!(
                    "pending: changed at {}, after {loaded}; `pluginkit reload` loads it",
                    crate::util::time::rfc3339_of(at)
                ),
            ),
            None => format!("live: {loaded}"),
        };
        rows.push(("reload".into(), reload));
    }
    if let Some(restart) = restart_needed {
        let text = if restart {
            printer.paint_out(
                WARNING,
                "FBA reports a restart is needed: plugins changed since it started",
            )
        } else {
            "no plugin changed since FBA started".to_owned()
        };
        rows.push(("fba restart".into(), text));
    }

    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    for (key, value) in &rows {
        let label = format!("{:<width$}", format!("{key}:"));
        printer.out(format!("{} {value}", printer.paint_out(BOLD, label)))?;
    }
    for finding in &plugin.findings {
        let at = finding
            .location
            .as_ref()
            .map(|l| match l.positions() {
                Some((start, _)) => format!(" ({}:{}:{})", l.source.path, start.line, start.column),
                None => format!(" ({})", l.source.path),
            })
            .unwrap_or_default();
        printer.out(format!(
            "  {}[{}]: {}{at}",
            finding.severity(),
            finding.rule.code,
            finding.message
        ))?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
