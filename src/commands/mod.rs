//! One module per command. Each takes the resolved [`Settings`], the [`Printer`] and its own
//! arguments, turns the arguments into the options of one call into [`crate::ops`], renders
//! what it returns, and returns the exit status. No command imports another.

mod add;
mod audit;
mod cache;
pub(crate) mod completions;
mod deps;
mod disable;
mod enable;
mod info;
mod init;
mod list;
mod new;
mod outdated;
mod package;
mod registry;
mod reload;
mod remove;
mod restore;
mod search;
mod status;
mod sync;
mod toggle;
mod upgrade;
mod validate;
mod verify;

use crate::cli::{Cli, Command, ReloadArgs, ServerArgs};
use crate::ops::reload::{Request, ServerOptions};
use crate::output::Printer;
use crate::settings::Settings;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    /// It did what was asked.
    Success,
    /// It ran, and found errors or could not do it (exit 1).
    Failure,
}

impl ExitStatus {
    pub(crate) fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
        }
    }
}

/// Run the command the user asked for.
pub(crate) fn run(cli: Cli, settings: &Settings, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Init(args) => {
            init::run(settings, printer, args, cli.global.plugins_dir.as_deref())
        }
        Command::New(args) => new::run(settings, printer, args),
        Command::Validate(args) => validate::run(settings, printer, args),
        Command::List(args) => list::run(settings, printer, args),
        Command::Info(args) => info::run(settings, printer, args),
        Command::Enable(args) => enable::run(settings, printer, args),
        Command::Disable(args) => disable::run(settings, printer, args),
        Command::Completions(args) => completions::run(printer, args),
        Command::Package(args) => package::run(settings, printer, args),
        Command::Add(args) => add::run(settings, printer, args),
        Command::Remove(args) => remove::run(settings, printer, args),
        Command::Restore(args) => restore::run(settings, printer, args),
        Command::Verify(args) => verify::run(settings, printer, args),
        Command::Deps(args) => deps::run(settings, printer, args),
        Command::Audit(args) => audit::run(settings, printer, args),
        Command::Outdated(args) => outdated::run(settings, printer, args),
        Command::Sync(args) => sync::run(settings, printer, args),
        Command::Search(args) => search::run(settings, printer, args),
        Command::Upgrade(args) => upgrade::run(settings, printer, args),
        Command::Registry(command) => registry::run(settings, printer, command),
        Command::Reload(args) => reload::run(settings, printer, args),
        Command::Status(args) => status::run(settings, printer, args),
        Command::Cache(command) => cache::run(settings, printer, command),
    }
}

/// `--reload`, `--no-reload`, `--wait` and `--timeout`, for the change frame.
fn reload_request(args: &ReloadArgs) -> Request {
    Request {
        reload: args.reload,
        no_reload: args.no_reload,
        wait: args.wait,
        timeout: args.timeout,
    }
}

/// `--pid`, `--pidfile` and `--process-name`, for `reload` and `status`.
fn server_options(args: &ServerArgs) -> ServerOptions {
    ServerOptions {
        pid: args.pid,
        pidfile: args.pidfile.clone(),
        process_name: args.process_name.clone(),
    }
}
