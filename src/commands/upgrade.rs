//! `pluginkit upgrade [NAME...]`: move git-installed plugins to what `outdated` finds (the
//! newest tag within the pin's range, or the branch's new tip), each through the install
//! transaction with the installed version kept as a backup. `--dry-run` shows what would change.

use serde::Serialize;

use crate::cli::{Format, UpgradeArgs};
use crate::commands::add::{self, Options};
use crate::commands::outdated::{self, Checked};
use crate::commands::{ExitStatus, refuse_reload};
use crate::printer::Printer;
use crate::settings::Settings;
use crate::sources::Source;

#[derive(Serialize)]
struct Upgrade<'a> {
    name: &'a str,
    from: String,
    to: String,
    /// Whether it was done (false with `--dry-run`).
    upgraded: bool,
    /// Where the replaced version was kept.
    backup: Option<String>,
}

pub fn run(
    settings: &Settings,
    printer: &Printer,
    args: UpgradeArgs,
) -> anyhow::Result<ExitStatus> {
    let format = settings.format("upgrade", &[Format::Human, Format::Json])?;
    refuse_reload(&args.reload)?;
    // Checked under the lock, so what is upgraded is what was installed a moment ago.
    let _lock = if args.dry_run {
        settings.recover_if_needed(printer)?;
        None
    } else {
        Some(settings.lock_host(printer)?)
    };
    let checked = outdated::check(settings, printer, &args.names)?;
    let status = outdated::report_failures(printer, &checked);
    let dirs = settings.dirs();
    let mut done = Vec::new();
    for plugin in checked.iter().filter(|c| c.is_outdated()) {
        let from = plugin.installed();
        let to = plugin.latest_text();
        if args.dry_run {
            done.push(Upgrade {
                name: &plugin.name,
                from,
                to,
                upgraded: false,
                backup: None,
            });
            continue;
        }
        let added = upgrade_one(settings, printer, &dirs, plugin)?;
        done.push(Upgrade {
            name: &plugin.name,
            from,
            to,
            upgraded: true,
            backup: added.replaced,
        });
    }
    if format == Format::Json {
        printer.out(serde_json::to_string_pretty(&done)?)?;
        return Ok(status);
    }
    for upgrade in &done {
        let what = format!("{}: {} -> {}", upgrade.name, upgrade.from, upgrade.to);
        match (&upgrade.backup, upgrade.upgraded) {
            (_, false) => printer.out(format!("would upgrade {what}"))?,
            (Some(backup), true) => {
                printer.out(format!("upgraded {what} (the old one is in {backup})"))?
            }
            (None, true) => printer.out(format!("upgraded {what}"))?,
        }
    }
    if done.is_empty() && status == ExitStatus::Success {
        printer.out(if checked.is_empty() {
            "no plugins installed from git"
        } else {
            "everything is up to date"
        })?;
    }
    Ok(status)
}

fn upgrade_one(
    settings: &Settings,
    printer: &Printer,
    dirs: &crate::install::HostDirs,
    plugin: &Checked,
) -> Result<add::AddedJson, crate::error::Error> {
    let source = plugin.upgraded_source();
    let options = Options {
        force: true,
        ..Options::default()
    };
    add::add_one(
        settings,
        printer,
        dirs,
        &Source::Git(source.url.clone()),
        Some(&source),
        &options,
    )
}
