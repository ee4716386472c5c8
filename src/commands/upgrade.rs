//! `pluginkit upgrade [NAME...]`: move git and registry plugins to what `outdated` finds, each
//! with the installed version kept as a backup; `--dry-run` shows what would change. The work is
//! in [`crate::ops::upgrade`].

use serde::Serialize;

use super::{ExitStatus, reload_request};
use crate::cli::{HumanJson, UpgradeArgs};
use crate::ops::upgrade::{self, Options, Upgrade, Upgraded};
use crate::output::Printer;
use crate::settings::Settings;

/// `upgrade --format json`: what was upgraded, or with `--dry-run` would be.
#[derive(Serialize)]
struct UpgradedJson<'a> {
    upgrades: &'a [Upgrade],
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: UpgradeArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let options = Options {
        names: args.names,
        dry_run: args.dry_run,
        install_deps: args.deps.install_deps,
        offline: args.deps.offline,
        configure: args.configure,
        reload: reload_request(&args.reload),
    };
    let upgraded = upgrade::upgrade(settings, printer, &options, |upgraded| {
        render(printer, format, upgraded)
    })?;
    Ok(if upgraded.failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn render(printer: &Printer, format: HumanJson, upgraded: &Upgraded) -> anyhow::Result<()> {
    if format == HumanJson::Json {
        printer.json(&UpgradedJson {
            upgrades: &upgraded.upgrades,
        })?;
        return Ok(());
    }
    for upgrade in &upgraded.upgrades {
        let what = format!("{}: {} -> {}", upgrade.name, upgrade.from, upgrade.to);
        match (&upgrade.backup, upgrade.upgraded) {
            (_, false) => printer.out(format!("would upgrade {what}"))?,
            (Some(backup), true) => {
                printer.out(format!("upgraded {what} (the old one is in {backup})"))?
            }
            (None, true) => printer.out(format!("upgraded {what}"))?,
        }
    }
    if upgraded.upgrades.is_empty() && !upgraded.failed {
        printer.out(if upgraded.checked == 0 {
            "no plugins installed from git or a registry"
        } else {
            "everything is up to date"
        })?;
    }
    Ok(())
}
