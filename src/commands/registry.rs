//! `pluginkit registry publish ZIP --dir DIR` and `pluginkit registry yank NAME@VERSION --dir DIR`:
//! maintain a static registry folder. The work is in [`crate::registry::publish`].

use serde::Serialize;

use crate::cli::{Format, PublishArgs, RegistryCommand, YankArgs};
use crate::commands::ExitStatus;
use crate::error::Error;
use crate::output::{FindingsShown, Printer};
use crate::registry::publish::{self, Options};
use crate::settings::Settings;

/// `registry publish --format json`.
#[derive(Serialize)]
struct PublishedJson<'a> {
    registry: &'a str,
    name: &'a str,
    version: &'a str,
    flavor: &'a str,
    url: &'a str,
    size: u64,
    sha256: &'a str,
    published: &'a str,
}

/// `registry yank --format json`.
#[derive(Serialize)]
struct YankedJson<'a> {
    registry: &'a str,
    name: &'a str,
    version: &'a str,
    yanked: bool,
    changed: bool,
}

pub fn run(
    settings: &Settings,
    printer: &Printer,
    command: RegistryCommand,
) -> anyhow::Result<ExitStatus> {
    match command {
        RegistryCommand::Publish(args) => run_publish(settings, printer, args),
        RegistryCommand::Yank(args) => run_yank(settings, printer, args),
    }
}

fn run_publish(
    settings: &Settings,
    printer: &Printer,
    args: PublishArgs,
) -> anyhow::Result<ExitStatus> {
    let format = settings.format("registry publish", &[Format::Human, Format::Json])?;
    let epoch = args.source_date_epoch.clone();
    let dir = settings.cwd.join(&args.dir);
    let shown_dir = settings.display(&dir);
    let shown = args.package.to_string_lossy().replace('\\', "/");
    let options = Options {
        shown: shown.clone(),
        limits: settings.host.config.limits.limits(),
        flavor: settings.flavor,
        context: settings.read_context(),
        published: publish::timestamp(epoch.as_deref())?,
    };
    let published = match publish::publish(
        &dir,
        &settings.cwd.join(&args.package),
        &options,
        printer,
    ) {
        Ok(published) => published,
        Err(publish::Error::Invalid { findings, .. }) => {
            let mut findings = findings;
            crate::findings::sort_by_place(&mut findings);
            printer.findings(&findings, FindingsShown::WithSummary);
            return Err(Error::user_hint(
                format!("{shown} has errors, so nothing was published"),
                format!(
                    "fix them, package again and publish that (`pluginkit validate {shown}` checks without publishing)"
                ),
            )
            .into());
        }
        Err(publish::Error::Refused(error)) => return Err(error.into()),
    };
    let mut warnings = published.warnings;
    crate::findings::sort_by_place(&mut warnings);
    printer.findings(&warnings, FindingsShown::WithSummary);

    let entry = &published.entry;
    match format {
        Format::Json => printer.json(&PublishedJson {
            registry: &shown_dir,
            name: &published.name,
            version: &entry.version,
            flavor: &entry.flavor,
            url: &entry.url,
            size: entry.size,
            sha256: &entry.sha256,
            published: &entry.published,
        })?,
        _ => {
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
        }
    }
    Ok(ExitStatus::Success)
}

fn run_yank(settings: &Settings, printer: &Printer, args: YankArgs) -> anyhow::Result<ExitStatus> {
    let format = settings.format("registry yank", &[Format::Human, Format::Json])?;
    let Some((name, version)) = args
        .spec
        .split_once('@')
        .filter(|(name, version)| !name.is_empty() && !version.is_empty())
    else {
        return Err(Error::usage(
            format!("`{}` is not NAME@VERSION", args.spec),
            "name the version to yank exactly, e.g. `pluginkit registry yank hello@1.2.0 --dir DIR`",
        )
        .into());
    };
    let dir = settings.cwd.join(&args.dir);
    let shown_dir = settings.display(&dir);
    let yanked = publish::yank(&dir, name, version, args.undo, printer)?;
    match format {
        Format::Json => printer.json(&YankedJson {
            registry: &shown_dir,
            name: &yanked.name,
            version: &yanked.version,
            yanked: yanked.yanked,
            changed: yanked.changed,
        })?,
        _ => {
            let line = match (yanked.changed, yanked.yanked) {
                (true, true) => format!("yanked {name} {} in {shown_dir}", yanked.version),
                (true, false) => format!("un-yanked {name} {} in {shown_dir}", yanked.version),
                (false, true) => format!(
                    "{name} {} is already yanked in {shown_dir}; nothing changed",
                    yanked.version
                ),
                (false, false) => format!(
                    "{name} {} is not yanked in {shown_dir}; nothing changed",
                    yanked.version
                ),
            };
            printer.out(line)?;
        }
    }
    Ok(ExitStatus::Success)
}
