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
    let settings = match Settings::resolve(&cli.global, environment) {
        Ok(settings) => settings,
        Err(error) => return report_error(&printer, error.into()),
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
        Err(error) => report_error(&printer, error),
    }
}

/// Print an error the way users expect (`error:`, `Caused by:`, `hint:`) and choose the exit
/// code. A closed stdout (`pluginkit list | head`) is not an error.
fn report_error(printer: &Printer, error: anyhow::Error) -> i32 {
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
        return report.code;
    }
    printer.error(&report.message, &report.causes, report.hint.as_deref());
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
