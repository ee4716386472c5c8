//! `pluginkit upgrade [NAME...]`: move git and registry plugins to what `outdated` finds (the
//! newest tag within the pin's range, the branch's new tip, the newest registry version within
//! `[plugins]`' requirement, with its dependencies), each through the install
//! transaction with the installed version kept as a backup. `--dry-run` shows what would change.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cli::{Format, UpgradeArgs};
use crate::commands::add::{self, Options, Prepared};
use crate::commands::outdated::{self, Checked, Latest, Origin};
use crate::commands::{ExitStatus, reload};
use crate::output::Printer;
use crate::settings::Settings;
use crate::source::Source;
use crate::transaction::Context;

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
    let reload = reload::before_change(settings, printer, &args.reload)?;
    // Checked under the lock, so what is upgraded is what was installed a moment ago.
    let lock = settings.lock_host_unless(args.dry_run, printer)?;
    let checked = outdated::check(settings, printer, &args.names)?;
    let status = outdated::report_failures(printer, &checked);
    let dirs = settings.txn();
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
    let changed = done.iter().any(|u| u.upgraded);
    if format == Format::Json {
        printer.json(&done)?;
    }
    for upgrade in done.iter().filter(|_| format != Format::Json) {
        let what = format!("{}: {} -> {}", upgrade.name, upgrade.from, upgrade.to);
        match (&upgrade.backup, upgrade.upgraded) {
            (_, false) => printer.out(format!("would upgrade {what}"))?,
            (Some(backup), true) => {
                printer.out(format!("upgraded {what} (the old one is in {backup})"))?
            }
            (None, true) => printer.out(format!("upgraded {what}"))?,
        }
    }
    if done.is_empty() && status == ExitStatus::Success && format != Format::Json {
        printer.out(if checked.is_empty() {
            "no plugins installed from git or a registry"
        } else {
            "everything is up to date"
        })?;
    }
    drop(lock);
    reload::after_change(settings, printer, reload, changed)?;
    Ok(status)
}

fn upgrade_one(
    settings: &Settings,
    printer: &Printer,
    dirs: &Context,
    plugin: &Checked,
) -> Result<add::AddedJson, crate::error::Error> {
    let options = Options {
        force: true,
        ..Options::default()
    };
    match (&plugin.origin, &plugin.latest) {
        (Origin::Registry { url }, Latest::NewerVersion { version }) => {
            let registry = crate::ops::resolve::open_for_url(settings, url)?;
            let exact = semver::VersionReq::parse(&format!("={version}"))
                .map_err(|e| crate::error::Error::user(format!("version {version}: {e}")))?;
            let wanted = [(plugin.name.clone(), exact)];
            // `[plugins]` keeps its requirement, which the new version is within.
            let entries = BTreeMap::from([(plugin.name.clone(), None)]);
            let mut added = add::install_from_registry(
                settings, printer, dirs, &registry, &wanted, &entries, &options,
            )?;
            added.pop().ok_or_else(|| {
                crate::error::Error::user(format!("{} was not installed", plugin.name))
            })
        }
        _ => {
            let source = plugin
                .upgraded_source()
                .expect("a plugin that is not from a registry is from git");
            add::add_one(
                settings,
                printer,
                dirs,
                &Source::Git(source.url.clone()),
                &Prepared::Git(source),
                &options,
            )
        }
    }
}
