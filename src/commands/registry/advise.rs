//! `pluginkit registry advise NAME --dir DIR ...`: list an advisory on a plugin's versions
//! ([`crate::ops::publish::advise`]).

use serde::Serialize;

use super::{SnapshotJson, sign_options, signed_line};
use crate::cli::{AdviseArgs, HumanJson};
use crate::commands::ExitStatus;
use crate::ops::publish;
use crate::output::Printer;
use crate::registry::advisory::Advisory;
use crate::settings::Settings;

/// `registry advise --format json`: the registry folder, the plugin, the advisory as written,
/// the versions that list it, and whether the index changed.
#[derive(Serialize)]
struct AdvisedJson<'a> {
    registry: &'a str,
    name: &'a str,
    advisory: &'a Advisory,
    versions: &'a [String],
    changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot: Option<SnapshotJson<'a>>,
}

pub(super) fn run(
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
    let sign = sign_options(args.sign);
    let advised = publish::advise(settings, printer, &args.name, &args.dir, advisory, &sign)?;
    if format == HumanJson::Json {
        printer.json(&AdvisedJson {
            registry: &shown_dir,
            name: &advised.name,
            advisory: &advised.advisory,
            versions: &advised.versions,
            changed: advised.changed,
            snapshot: SnapshotJson::of(advised.sealed.as_ref()),
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
    if let Some(sealed) = &advised.sealed {
        printer.out(signed_line(sealed))?;
    }
    Ok(ExitStatus::Success)
}
