//! `pluginkit add SOURCE...`: install plugins from a registry, git, a ZIP file or URL, or a
//! local folder. The work is in [`crate::ops::add`] and the install pipeline.

use serde::Serialize;

use super::{ExitStatus, reload_request};
use crate::cli::{AddArgs, HumanJson};
use crate::ops::add::{self, AddOutcome, Options};
use crate::ops::install::Added;
use crate::ops::install::Options as InstallOptions;
use crate::output::Printer;
use crate::settings::Settings;

/// `add --format json`: what was installed.
#[derive(Serialize)]
struct AddedJson<'a> {
    added: &'a [Added],
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: AddArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let options = Options {
        reload: reload_request(&args.reload),
        sources: args.sources,
        tag: args.tag,
        branch: args.branch,
        rev: args.rev,
        subdir: args.subdir,
        semver: args.semver,
        sha256: args.sha256,
        link: args.link,
        registry: args.registry,
        configure: args.configure,
        install: InstallOptions {
            force: args.force,
            disabled: args.disabled,
            install_deps: args.install_deps,
            offline: args.offline,
            deny_advisories: args.deny_advisories,
            ..InstallOptions::default()
        },
    };
    add::add(settings, printer, &options, |outcome| {
        render(printer, format, outcome)
    })?;
    Ok(ExitStatus::Success)
}

fn render(printer: &Printer, format: HumanJson, outcome: &AddOutcome) -> anyhow::Result<()> {
    if format == HumanJson::Json {
        printer.json(&AddedJson {
            added: &outcome.added,
        })?;
        return Ok(());
    }
    for a in &outcome.added {
        let version = a
            .version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default();
        match &a.replaced {
            Some(backup) => printer.out(format!(
                "replaced {}{version} in {} (the old one is in {backup})",
                a.name, a.path
            ))?,
            None => printer.out(format!("installed {}{version} into {}", a.name, a.path))?,
        }
    }
    Ok(())
}
