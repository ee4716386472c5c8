//! `pluginkit validate [PATH...]`: check plugin folders, whole plugins folders and `.zip`
//! packages (the targets are [`crate::ops::validate`]'s), and report in the format CI wants.

use super::ExitStatus;
use crate::cli::{ValidateArgs, ValidateFormat};
use crate::findings::render;
use crate::findings::render::root::SourceRoot;
use crate::ops::validate;
use crate::output::{DIM, ERROR, GOOD, Printer, Verbosity};
use crate::plugin::host::HostJson;
use crate::settings::Settings;
use serde::Serialize;

/// `validate --format json`: the findings and summary, and which host's rules applied.
#[derive(Serialize)]
struct ValidateJson<'a> {
    #[serde(flatten)]
    report: render::json::JsonReport<'a>,
    host: HostJson,
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: ValidateArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let report = validate::validate(
        settings,
        &args.paths,
        args.strict,
        args.expect_version.as_deref(),
    )?;
    match format {
        ValidateFormat::Human => {
            let color = printer.color_stdout();
            printer.out_raw(&render::human::render_list(&report.findings, color))?;
            if printer.verbosity() != Verbosity::Quiet {
                let rules = format!("rules: {}", settings.host_facts().describe());
                printer.out(printer.paint_out(DIM, rules))?;
            }
            if printer.verbosity() != Verbosity::Quiet || report.failed() {
                let summary = render::human::summary(report.checked, report.tally());
                let style = if report.failed() { ERROR } else { GOOD };
                printer.out(printer.paint_out(style, summary))?;
            }
        }
        ValidateFormat::Json => printer.json(&ValidateJson {
            report: render::json::render(&report),
            host: settings.host_facts().json(),
        })?,
        ValidateFormat::Github => printer.out_raw(&render::github::render(
            &report.findings,
            &source_root(settings),
        ))?,
        ValidateFormat::Sarif => {
            printer.json_foreign(&render::sarif::render(&report, &source_root(settings)))?
        }
    }
    Ok(if report.failed() {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// What GitHub annotations and SARIF locations are relative to: the workspace of a GitHub
/// Actions job, else the git repository, else the working folder.
fn source_root(settings: &Settings) -> SourceRoot {
    SourceRoot::find(
        &settings.cwd,
        settings.environment.github_workspace().as_deref(),
    )
}
