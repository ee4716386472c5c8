//! pluginkit: scaffold, validate, package, install and reload the plugins of plugin-based web
//! applications (Flask-PluginKit, FastAPI Best Architecture, FastCMS, Rust plugin crates, and
//! pluginkit's native `plugin.toml`).
//!
//! The binary is a thin shell around [`run`]. Dependencies run one way: `commands` (one thin
//! file per command) call `ops` (the operations), which use `source`, `host`, `transaction`,
//! `server`, `registry`, `scaffold` and `package`, which use `plugin` and `findings`; `cli`,
//! `env`, `settings`, `output`, `error` and `util` serve them all. Everything is `pub(crate)`
//! but what `main.rs` and the integration tests use: [`run`], [`complete_if_asked`], [`cli`], and
//! the readers and renderers in [`plugin`], [`findings`] and [`host::config`].

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

/// When this run is a shell asking what to complete (`PLUGINKIT_COMPLETE`, set by the scripts
/// `pluginkit completions SHELL` prints), print the answer and exit; otherwise return. Called
/// before the command line is parsed, since the words typed so far need not parse.
pub fn complete_if_asked() {
    commands::completions::answer();
}

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
    let machine = Machine::new(
        cli.command.format_name().unwrap_or_default(),
        &environment,
        cli.global.directory.as_deref(),
    );
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

/// A command line clap refused (exit 2), or the help or version it was asked for (exit 0),
/// printed as clap prints it. A refused one that asks for a machine format (`--format json`,
/// `sarif`, `github`) also prints that format's document of the failure on stdout, as every run
/// that cannot start does, unless `--format` itself is what is wrong.
pub fn refused(error: &clap::Error, args: &[std::ffi::OsString]) -> i32 {
    use clap::error::{ContextKind, ContextValue};
    let _ = error.print();
    let code = error.exit_code();
    if !error.use_stderr() {
        return code;
    }
    let about_format = matches!(
        error.get(ContextKind::InvalidArg),
        Some(ContextValue::String(arg)) if arg.starts_with("--format")
    );
    let Some(format) = requested_format(args).filter(|_| !about_format) else {
        return code;
    };
    let environment = Environment::capture();
    let printer = Printer::new(Verbosity::Normal, output::ColorChoice::Never, true);
    let machine = Machine::new(format, &environment, None);
    // clap's text: `error: MESSAGE`, then a `tip:` when it has one, then the usage.
    let text = error.render().to_string();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let report = Report {
        message: first.strip_prefix("error: ").unwrap_or(first).to_owned(),
        causes: Vec::new(),
        hint: lines
            .find_map(|line| line.trim().strip_prefix("tip: "))
            .map(str::to_owned)
            .or_else(|| Some("`pluginkit help` lists the commands and their options".into())),
        code,
    };
    failed_document(&printer, &machine, &report, None);
    code
}

/// The machine format a command line asks for with `--format X` or `--format=X`, if any.
fn requested_format(args: &[std::ffi::OsString]) -> Option<String> {
    let mut args = args.iter().filter_map(|arg| arg.to_str());
    let mut format = None;
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--format" {
            format = args.next();
        } else if let Some(value) = arg.strip_prefix("--format=") {
            format = Some(value);
        }
    }
    format
        .filter(|format| ["json", "sarif", "github"].contains(format))
        .map(str::to_owned)
}

/// The format a command prints in, for the document of a run that failed.
struct Machine {
    /// `--format`'s value (`human` when none was given; empty for a command without formats).
    format: String,
    /// The folder the run is in, and `GITHUB_WORKSPACE`: what SARIF's paths are relative to is
    /// found from them only when a SARIF document of a failure is printed, not on every run.
    cwd: std::path::PathBuf,
    workspace: Option<std::path::PathBuf>,
}

impl Machine {
    /// `format` for a run in the working folder (or `directory`, `-C`'s, in it).
    fn new(format: String, environment: &Environment, directory: Option<&std::path::Path>) -> Self {
        let cwd = environment
            .cwd()
            .map_or_else(|_| std::path::PathBuf::from("."), Clone::clone);
        let cwd = match directory {
            Some(dir) => cwd.join(dir),
            None => cwd,
        };
        Machine {
            format,
            cwd,
            workspace: environment.github_workspace(),
        }
    }
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
            &findings::render::root::SourceRoot::find(&machine.cwd, machine.workspace.as_deref()),
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
        .or_else(|| is::<registry::signing::Error>(cause))
        .or_else(|| is::<server::Error>(cause))
        .or_else(|| is::<transaction::TransactionError>(cause))
        .or_else(|| is::<host::lockfile::LockError>(cause))
        .or_else(|| is::<plugin::names::NameError>(cause))
        .or_else(|| is::<host::switch::fba_redis::Error>(cause))
}
