//! pluginkit: scaffold, validate, package, install and reload the plugins of plugin-based web
//! applications (Flask-PluginKit, FastAPI Best Architecture, FastCMS, Rust plugin crates, and
//! pluginkit's native `plugin.toml`).
//!
//! The binary is a thin shell around [`run`]. Dependencies run one way: `commands` (one thin
//! file per command) call `ops` (the operations), which use `source`, `host`, `transaction`,
//! `server`, `registry`, `scaffold` and `package`, which use `plugin` and `findings`; `cli`,
//! `env`, `settings`, `output`, `error` and `util` serve them all. Everything is `pub(crate)`
//! but what `main.rs` and the integration tests use: [`run`], [`cli`], and the readers and
//! renderers in [`plugin`], [`findings`] and [`host::config`].

pub mod cli;
pub(crate) mod commands;
pub(crate) mod env;
pub(crate) mod error;
pub mod findings;
pub mod host;
pub(crate) mod ops;
pub(crate) mod output;
pub(crate) mod package;
pub mod plugin;
pub(crate) mod registry;
pub(crate) mod scaffold;
pub(crate) mod server;
pub(crate) mod settings;
pub(crate) mod source;
pub(crate) mod transaction;
pub(crate) mod util;

use std::io;

use cli::Cli;
use env::Environment;
use error::{Domain, Error, Report};
use output::{Printer, Verbosity};
use settings::Settings;

pub use util::interrupt::handle_signals;

/// Run a parsed command line and return the process exit code.
pub fn run(mut cli: Cli) -> i32 {
    if let Err(error) = cli.resolve_format() {
        // A usage error, printed the way clap prints its own (exit 2).
        let _ = error.print();
        return error.exit_code();
    }
    let verbosity = if cli.global.quiet {
        Verbosity::Quiet
    } else if cli.global.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let environment = Environment::capture();
    let printer = Printer::new(verbosity, cli.global.color, environment.no_color());
    // A run in a machine format that cannot start, or fails, still prints a document of it.
    let machine = Machine {
        format: cli.command.format_name().unwrap_or_default(),
        base: environment
            .cwd()
            .map_or_else(|_| std::path::PathBuf::from("."), Clone::clone),
    };
    let settings = match Settings::resolve(&cli.global, environment) {
        Ok(settings) => settings,
        Err(error) => return report_error(&printer, error.into(), &machine),
    };
    printer.debug(format_args!(
        "host root {}, config {}, plugins folder {}",
        settings.host.root.display(),
        settings
            .host
            .file
            .as_deref()
            .map_or("none".into(), |f| f.display().to_string()),
        settings.plugins_dir.display()
    ));
    match commands::run(cli, &settings, &printer) {
        Ok(status) => status.code(),
        Err(error) => report_error(&printer, error, &machine),
    }
}

/// The format a command prints in, for the document of a run that failed.
struct Machine {
    /// `--format`'s value (`human` when none was given; empty for a command without formats).
    format: String,
    /// The working folder, which SARIF's relative paths are resolved against.
    base: std::path::PathBuf,
}

/// `--format json`'s document of a run that failed: what `error:` says on stderr, and the exit
/// code.
#[derive(serde::Serialize)]
struct FailedRun<'a> {
    error: FailedError<'a>,
}

#[derive(serde::Serialize)]
struct FailedError<'a> {
    message: &'a str,
    causes: &'a [String],
    hint: Option<&'a str>,
    exit_code: i32,
    /// The configuration finding that stopped the run, with its file and position.
    finding: Option<findings::render::json::JsonFinding<'a>>,
}

/// Print the document of a failed run in the machine format asked for, on stdout (stderr has the
/// error as people read it).
fn failed_document(
    printer: &Printer,
    machine: &Machine,
    report: &Report,
    finding: Option<&findings::Finding>,
) {
    if printer.wrote_stdout() {
        return;
    }
    let message = finding.map_or(report.message.as_str(), |f| f.message.as_str());
    let hint = report
        .hint
        .as_deref()
        .or_else(|| finding.and_then(|f| f.help.as_deref()));
    // Nothing more can be said if stdout is closed too.
    let _ = match machine.format.as_str() {
        "json" => printer.json(&FailedRun {
            error: FailedError {
                message,
                causes: &report.causes,
                hint,
                exit_code: report.code,
                finding: finding.map(findings::render::json::JsonFinding::from),
            },
        }),
        "sarif" => printer.json_foreign(&findings::render::sarif::failed(
            finding,
            message,
            report.code,
            &machine.base,
        )),
        "github" => printer.out_raw(&findings::render::github::failed(message)),
        _ => Ok(()),
    };
}

/// Print an error the way users expect (`error:`, `Caused by:`, `hint:`) and choose the exit
/// code. A closed stdout (`pluginkit list | head`) is not an error.
fn report_error(printer: &Printer, error: anyhow::Error, machine: &Machine) -> i32 {
    let broken_pipe = error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe);
    if broken_pipe {
        return 0;
    }
    let report = Report::of(error.as_ref(), area_error);
    if let Some(Error::Diagnostic(finding)) = error.downcast_ref::<Error>() {
        printer.diagnostic(finding);
        failed_document(printer, machine, &report, Some(finding));
        return report.code;
    }
    printer.error(&report.message, &report.causes, report.hint.as_deref());
    failed_document(printer, machine, &report, None);
    report.code
}

/// `cause` as one of the areas' error types, for its hint and exit code: lib.rs sits above every
/// area, so it is the one place that knows them all.
fn area_error<'a>(cause: &'a (dyn std::error::Error + 'static)) -> Option<&'a dyn Domain> {
    fn is<'a, E: Domain>(cause: &'a (dyn std::error::Error + 'static)) -> Option<&'a dyn Domain> {
        cause.downcast_ref::<E>().map(|e| e as &dyn Domain)
    }
    is::<source::download::Error>(cause)
        .or_else(|| is::<source::Error>(cause))
        .or_else(|| is::<source::git::Error>(cause))
        .or_else(|| is::<registry::client::Error>(cause))
        .or_else(|| is::<registry::resolve::Error>(cause))
        .or_else(|| is::<registry::publish::Error>(cause))
        .or_else(|| is::<server::Error>(cause))
        .or_else(|| is::<transaction::TransactionError>(cause))
        .or_else(|| is::<host::lockfile::LockError>(cause))
        .or_else(|| is::<plugin::names::NameError>(cause))
        .or_else(|| is::<host::switch::fba_redis::Error>(cause))
}
