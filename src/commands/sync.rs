//! `pluginkit sync`: make the plugins folder what `pluginkit.toml`'s `[plugins]` says (or with
//! `--locked`, exactly what `pluginkit.lock` says). The work is in [`crate::ops::sync`].

use serde::Serialize;

use super::{ExitStatus, reload_request};
use crate::cli::{HumanJson, SyncArgs};
use crate::ops::sync::{self, Action, Options, Synced};
use crate::output::Printer;
use crate::settings::Settings;

/// `sync --format json`: what was done, or with `--dry-run` would be.
#[derive(Serialize)]
struct SyncedJson<'a> {
    dry_run: bool,
    actions: &'a [Action],
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: SyncArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let options = Options {
        locked: args.locked,
        dry_run: args.dry_run,
        prune: args.prune,
        deny_advisories: args.deny_advisories,
        install_deps: args.deps.install_deps,
        offline: args.deps.offline,
        configure: args.configure,
        reload: reload_request(&args.reload),
    };
    sync::sync(settings, printer, &options, |synced| {
        if format == HumanJson::Json {
            printer.json(&SyncedJson {
                dry_run: synced.dry_run,
                actions: &synced.actions,
            })?;
            return Ok(());
        }
        report(printer, synced, args.locked)
    })?;
    Ok(ExitStatus::Success)
}

/// What `sync` did (or with --dry-run would do), a line each.
fn report(printer: &Printer, synced: &Synced, locked: bool) -> anyhow::Result<()> {
    let would = if synced.dry_run { "would " } else { "" };
    for a in &synced.actions {
        let line = match a.action {
            "install" => format!(
                "{would}install {} {}",
                a.name,
                a.to.as_deref().unwrap_or("")
            ),
            "replace" => format!(
                "{would}replace {} {} with {}",
                a.name,
                a.from.as_deref().unwrap_or("?"),
                a.to.as_deref().unwrap_or("?")
            ),
            _ => format!(
                "{would}remove {} {}",
                a.name,
                a.from.as_deref().unwrap_or("")
            ),
        };
        let line = line.trim_end().to_owned();
        match &a.backup {
            Some(backup) => printer.out(format!("{line} (the old one is in {backup})"))?,
            None => printer.out(line)?,
        }
    }
    if synced.actions.is_empty() {
        let n = synced.wanted;
        printer.out(format!(
            "{n} plugin{} in sync with {}",
            if n == 1 { "" } else { "s" },
            if locked {
                "pluginkit.lock"
            } else {
                "pluginkit.toml"
            }
        ))?;
    }
    Ok(())
}
