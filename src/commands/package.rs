//! `pluginkit package [PATH]`: validate a plugin folder, then write `NAME-VERSION.zip`
//! reproducibly and print its path, size and sha256. The work is in [`crate::ops::package`].

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{HumanJson, PackageArgs};
use crate::ops::package::{self, Options, Packaged};
use crate::output::{GOOD, Printer};
use crate::settings::Settings;

/// `package --format json`: the package (its own `version` is the plugin's, so it is nested).
#[derive(Serialize)]
struct PackageJson<T> {
    package: T,
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: PackageArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let options = Options {
        path: args.path,
        output: args.output,
        list: args.list,
        source_date_epoch: args.source_date_epoch,
        allow_secrets: args.allow_secret,
    };
    match package::package(settings, printer, &options)? {
        Packaged::Listed(listed) if format == HumanJson::Json => {
            printer.json(&PackageJson { package: &listed })?
        }
        Packaged::Listed(listed) => {
            for name in &listed.entries {
                printer.out(name)?;
            }
        }
        Packaged::Built(built) if format == HumanJson::Json => {
            printer.json(&PackageJson { package: &built })?
        }
        Packaged::Built(built) => {
            printer.note(format!(
                "{} {} {}: {} files, {} packed into {}",
                printer.paint_err(GOOD, "Packaged"),
                built.name,
                built.version,
                built.entries.len(),
                indicatif::HumanBytes(built.unpacked),
                indicatif::HumanBytes(built.size),
            ));
            printer.out(format!("path    {}", built.path))?;
            printer.out(format!("size    {} bytes", built.size))?;
            printer.out(format!("sha256  {}", built.sha256))?;
        }
    }
    Ok(ExitStatus::Success)
}
