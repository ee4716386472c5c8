//! `pluginkit registry publish ZIP --dir DIR`, `pluginkit registry yank NAME@VERSION --dir
//! DIR` and `pluginkit registry advise NAME --dir DIR ...`: maintain a static registry folder.
//! The work is in [`crate::ops::publish`].

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{AdviseArgs, HumanJson, PublishArgs, RegistryCommand, YankArgs};
use crate::ops::publish::{self, PublishOptions};
use crate::output::Printer;
use crate::registry::advisory::Advisory;
use crate::settings::Settings;

/// `registry publish --format json`: the registry folder and the package added to it (nested:
/// its `version` is the plugin's).
#[derive(Serialize)]
struct PublishedJson<'a> {
    registry: &'a str,
    package: PublishedPackage<'a>,
}

#[derive(Serialize)]
struct PublishedPackage<'a> {
    name: &'a str,
    version: &'a str,
    flavor: &'a str,
    url: &'a str,
    size: u64,
    sha256: &'a str,
    published: &'a str,
}

/// `registry yank --format json`: the registry folder, the package, and its state now.
#[derive(Serialize)]
struct YankedJson<'a> {
    registry: &'a str,
    package: YankedPackage<'a>,
    yanked: bool,
    changed: bool,
}

#[derive(Serialize)]
struct YankedPackage<'a> {
    name: &'a str,
    version: &'a str,
}

/// `registry advise --format json`: the registry folder, the plugin, the advisory as written,
/// the versions that list it, and whether the index changed.
#[derive(Serialize)]
struct AdvisedJson<'a> {
    registry: &'a str,
    name: &'a str,
    advisory: &'a Advisory,
    versions: &'a [String],
    changed: bool,
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    command: RegistryCommand,
) -> anyhow::Result<ExitStatus> {
    match command {
        RegistryCommand::Publish(args) => run_publish(settings, printer, args),
        RegistryCommand::Yank(args) => run_yank(settings, printer, args),
        RegistryCommand::Advise(args) => run_advise(settings, printer, args),
    }
}

fn run_publish(
    settings: &Settings,
    printer: &Printer,
    args: PublishArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let shown_dir = settings.display(&settings.cwd.join(&args.dir));
    let options = PublishOptions {
        package: args.package,
        dir: args.dir,
        source_date_epoch: args.source_date_epoch,
    };
    let published = publish::publish(settings, printer, &options)?;
    let entry = &published.entry;
    if format == HumanJson::Json {
        printer.json(&PublishedJson {
            registry: &shown_dir,
            package: PublishedPackage {
                name: &published.name,
                version: &entry.version,
                flavor: &entry.flavor,
                url: &entry.url,
                size: entry.size,
                sha256: &entry.sha256,
                published: &entry.published,
            },
        })?;
        return Ok(ExitStatus::Success);
    }
    if published.adopted {
        printer.note(format!(
            "{} was left by a publish that did not finish; it holds the same bytes, so it is kept",
            entry.url
        ));
    }
    printer.out(format!(
        "published {} {} to {shown_dir} ({}, {} bytes, sha256 {})",
        published.name, entry.version, entry.url, entry.size, entry.sha256
    ))?;
    Ok(ExitStatus::Success)
}

fn run_yank(settings: &Settings, printer: &Printer, args: YankArgs) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let shown_dir = settings.display(&settings.cwd.join(&args.dir));
    let yanked = publish::yank(settings, printer, &args.spec, &args.dir, args.undo)?;
    let (name, version) = (&yanked.name, &yanked.version);
    if format == HumanJson::Json {
        printer.json(&YankedJson {
            registry: &shown_dir,
            package: YankedPackage { name, version },
            yanked: yanked.yanked,
            changed: yanked.changed,
        })?;
        return Ok(ExitStatus::Success);
    }
    printer.out(match (yanked.changed, yanked.yanked) {
        (true, true) => format!("yanked {name} {version} in {shown_dir}"),
        (true, false) => format!("un-yanked {name} {version} in {shown_dir}"),
        (false, true) => {
            format!("{name} {version} is already yanked in {shown_dir}; nothing changed")
        }
        (false, false) => {
            format!("{name} {version} is not yanked in {shown_dir}; nothing changed")
        }
    })?;
    Ok(ExitStatus::Success)
}

fn run_advise(
    settings: &Settings,
    printer: &Printer,
    args: AdviseArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let shown_dir = settings.display(&settings.cwd.join(&args.dir));
    let advisory = Advisory {
        id: args.id,
        affected: args.affected,
        fixed: args.fixed,
        url: args.url,
        severity: args.severity,
    };
    let advised = publish::advise(settings, printer, &args.name, &args.dir, advisory)?;
    if format == HumanJson::Json {
        printer.json(&AdvisedJson {
            registry: &shown_dir,
            name: &advised.name,
            advisory: &advised.advisory,
            versions: &advised.versions,
            changed: advised.changed,
        })?;
        return Ok(ExitStatus::Success);
    }
    let (name, id) = (&advised.name, &advised.advisory.id);
    let versions = advised.versions.join(", ");
    printer.out(if advised.changed {
        format!("advisory {id} listed on {name} {versions} in {shown_dir}")
    } else {
        format!(
            "advisory {id} is already listed on {name} {versions} in {shown_dir}; nothing changed"
        )
    })?;
    Ok(ExitStatus::Success)
}
