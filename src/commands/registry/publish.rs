//! `pluginkit registry publish ZIP --dir DIR`: add a package to a registry folder
//! ([`crate::ops::publish::publish`]).

use serde::Serialize;

use super::{SnapshotJson, sign_options, signed_line};
use crate::cli::{HumanJson, PublishArgs};
use crate::commands::ExitStatus;
use crate::ops::publish::{self, PublishOptions};
use crate::output::Printer;
use crate::settings::Settings;

/// `registry publish --format json`: the registry folder and the package added to it (nested:
/// its `version` is the plugin's).
#[derive(Serialize)]
struct PublishedJson<'a> {
    registry: &'a str,
    package: PublishedPackage<'a>,
    /// The snapshot signed after the change; left out for a registry that is not signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot: Option<SnapshotJson<'a>>,
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

pub(super) fn run(
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
        sign: sign_options(args.sign),
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
            snapshot: SnapshotJson::of(published.sealed.as_ref()),
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
    if let Some(sealed) = &published.sealed {
        printer.out(signed_line(sealed))?;
    }
    Ok(ExitStatus::Success)
}
