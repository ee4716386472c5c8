//! `registry publish`, `registry yank` and `registry advise`: maintain a static registry folder
//! (the work is in [`crate::registry::publish`]). A package with errors is refused with its findings drawn as
//! `validate` draws them; its warnings are shown and do not stop it.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::output::Printer;
use crate::registry::advisory::Advisory;
use crate::registry::publish::{self, Advised, Published, Yanked};
use crate::settings::Settings;

/// What `registry publish` was asked.
#[derive(Debug, Clone)]
pub(crate) struct PublishOptions {
    /// The package, as given.
    pub(crate) package: PathBuf,
    /// The registry folder, as given.
    pub(crate) dir: PathBuf,
    /// The publication time, in seconds since 1970; now when `None`.
    pub(crate) source_date_epoch: Option<String>,
}

/// Publish the package `options` names into the registry folder.
pub(crate) fn publish(
    settings: &Settings,
    printer: &Printer,
    options: &PublishOptions,
) -> Result<Published, Error> {
    let shown = options.package.to_string_lossy().replace('\\', "/");
    let publish_options = publish::Options {
        shown: shown.clone(),
        limits: settings.host.config.limits.limits(),
        flavor: settings.flavor,
        context: settings.read_context(),
        published: publish::timestamp(options.source_date_epoch.as_deref())?,
        pause_at: settings.pause_at.clone(),
    };
    let dir = settings.cwd.join(&options.dir);
    let package = settings.cwd.join(&options.package);
    match publish::publish(&dir, &package, &publish_options, printer) {
        Ok(published) => {
            printer.findings(&published.warnings);
            Ok(published)
        }
        Err(error) => {
            if let publish::Error::Invalid { findings, .. } = &error {
                printer.findings(findings);
            }
            Err(error.into())
        }
    }
}

/// Yank the version `spec` (`NAME@VERSION`) in the registry folder `dir`, or un-yank it.
pub(crate) fn yank(
    settings: &Settings,
    printer: &Printer,
    spec: &str,
    dir: &PathBuf,
    undo: bool,
) -> Result<Yanked, Error> {
    let Some((name, version)) = spec
        .split_once('@')
        .filter(|(name, version)| !name.is_empty() && !version.is_empty())
    else {
        return Err(Error::usage(
            format!("`{spec}` is not NAME@VERSION"),
            "name the version to yank exactly, e.g. `pluginkit registry yank hello@1.2.0 --dir DIR`",
        ));
    };
    Ok(publish::yank(
        &settings.cwd.join(dir),
        name,
        version,
        undo,
        printer,
    )?)
}

/// List `advisory` on the versions of `name` it affects in the registry folder `dir`.
pub(crate) fn advise(
    settings: &Settings,
    printer: &Printer,
    name: &str,
    dir: &Path,
    advisory: Advisory,
) -> Result<Advised, Error> {
    Ok(publish::advise(
        &settings.cwd.join(dir),
        name,
        advisory,
        printer,
    )?)
}
