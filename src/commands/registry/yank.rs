//! `pluginkit registry yank NAME@VERSION --dir DIR`: yank a version, or with `--undo` take the
//! yank back ([`crate::ops::publish::yank`]).

use serde::Serialize;

use super::{SnapshotJson, sign_options, signed_line};
use crate::cli::{HumanJson, YankArgs};
use crate::commands::ExitStatus;
use crate::ops::publish;
use crate::output::Printer;
use crate::settings::Settings;

/// `registry yank --format json`: the registry folder, the package, and its state now.
#[derive(Serialize)]
struct YankedJson<'a> {
    registry: &'a str,
    package: YankedPackage<'a>,
    yanked: bool,
    changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot: Option<SnapshotJson<'a>>,
}

#[derive(Serialize)]
struct YankedPackage<'a> {
    name: &'a str,
    version: &'a str,
}

pub(super) fn run(
    settings: &Settings,
    printer: &Printer,
    args: YankArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let shown_dir = settings.display(&settings.cwd.join(&args.dir));
    let sign = sign_options(args.sign);
    let yanked = publish::yank(settings, printer, &args.spec, &args.dir, args.undo, &sign)?;
    let (name, version) = (&yanked.name, &yanked.version);
    if format == HumanJson::Json {
        printer.json(&YankedJson {
            registry: &shown_dir,
            package: YankedPackage { name, version },
            yanked: yanked.yanked,
            changed: yanked.changed,
            snapshot: SnapshotJson::of(yanked.sealed.as_ref()),
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
    if let Some(sealed) = &yanked.sealed {
        printer.out(signed_line(sealed))?;
    }
    Ok(ExitStatus::Success)
}
