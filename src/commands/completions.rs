//! Shell completion. `pluginkit completions SHELL` prints a small script ([`cli::completions`],
//! the same text kept in completions/) that asks pluginkit itself, through clap's dynamic
//! completion, what to complete: `PLUGINKIT_COMPLETE=SHELL pluginkit` prints the shell's
//! registration, and at each TAB the shell runs pluginkit again with the words typed so far
//! ([`answer`]). So the installed plugins' names complete wherever a command takes them, the
//! hidden aliases (`rm`, `ls`...) complete like their commands, and a script installed once
//! stays right when pluginkit is upgraded, since the part that knows the protocol comes from
//! the binary that answers.

use std::ffi::OsString;

use clap::{CommandFactory, FromArgMatches};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::CompleteEnv;

use super::ExitStatus;
use crate::cli::{self, Cli, CompletionsArgs, GlobalArgs};
use crate::env::Environment;
use crate::ops::complete::{self, Candidate};
use crate::output::Printer;
use crate::settings::Settings;

pub(crate) fn run(printer: &Printer, args: CompletionsArgs) -> anyhow::Result<ExitStatus> {
    printer.out_raw(&cli::completions(args.shell))?;
    Ok(ExitStatus::Success)
}

/// Which names an argument takes.
#[derive(Clone, Copy)]
enum Names {
    /// The installed plugins'.
    Installed,
    /// Those of the plugins that have backups.
    BackedUp,
}

/// The arguments that take plugin names, by command and argument (a unit test checks that no
/// argument taking plugin names is missing).
const NAME_ARGUMENTS: &[(&str, &str, Names)] = &[
    ("info", "names", Names::Installed),
    ("enable", "names", Names::Installed),
    ("disable", "names", Names::Installed),
    ("remove", "names", Names::Installed),
    ("restore", "name", Names::BackedUp),
    ("upgrade", "names", Names::Installed),
    ("outdated", "names", Names::Installed),
    ("verify", "names", Names::Installed),
];

/// When this run is the shell asking what to complete (`PLUGINKIT_COMPLETE` is set), answer and
/// exit; otherwise return.
pub(crate) fn answer() {
    CompleteEnv::with_factory(command)
        .var(cli::COMPLETE_VAR)
        .complete();
}

/// The command line, with the plugins' names as what their arguments complete to.
fn command() -> clap::Command {
    let mut command = Cli::command();
    for &(name, id, names) in NAME_ARGUMENTS {
        command = command.mut_subcommand(name, |sub| {
            sub.mut_arg(id, |arg| {
                arg.add(ArgValueCandidates::new(move || candidates(names)))
            })
        });
    }
    command
}

/// The names to offer, in the host the command line being completed points at (its `-C`,
/// `--plugins-dir` and `--flavor`); none when it cannot be read. Errors are not printed: the
/// shell would show them in the middle of the line being typed.
fn candidates(names: Names) -> Vec<CompletionCandidate> {
    let Some(global) = global_args(std::env::args_os()) else {
        return Vec::new();
    };
    let Ok(settings) = Settings::resolve(&global, Environment::capture()) else {
        return Vec::new();
    };
    // A TAB never starts a program the host's pluginkit.toml names.
    let settings = settings.without_running_python();
    let found = match names {
        Names::Installed => complete::installed(&settings),
        Names::BackedUp => complete::backed_up(&settings),
    };
    found
        .into_iter()
        .map(|Candidate { name, about }| CompletionCandidate::new(name).help(about.map(Into::into)))
        .collect()
}

/// The global options of the command line being completed: the shell runs
/// `pluginkit -- pluginkit WORDS...`, the words typed so far (the one being completed last).
fn global_args(args: impl IntoIterator<Item = OsString>) -> Option<GlobalArgs> {
    let words: Vec<OsString> = args.into_iter().skip_while(|a| a != "--").skip(1).collect();
    let matches = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(words)
        .ok()?;
    GlobalArgs::from_arg_matches(&matches).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every argument that takes plugin names (shown as NAME) is one the shell completes; `new`'s
    /// NAME is a plugin still to be made.
    #[test]
    fn every_plugin_name_argument_completes() {
        let command = Cli::command();
        let mut missing = Vec::new();
        for sub in command.get_subcommands() {
            for arg in sub.get_positionals() {
                let takes_names = arg
                    .get_value_names()
                    .is_some_and(|names| names.iter().any(|n| n == "NAME"));
                let listed = NAME_ARGUMENTS
                    .iter()
                    .any(|(c, id, _)| *c == sub.get_name() && *id == arg.get_id());
                if takes_names && !listed && sub.get_name() != "new" {
                    missing.push(format!("{} {}", sub.get_name(), arg.get_id()));
                }
            }
        }
        assert!(missing.is_empty(), "not completed: {missing:?}");
        for (name, id, _) in NAME_ARGUMENTS {
            let sub = command.find_subcommand(name).expect(name);
            assert!(sub.get_arguments().any(|a| a.get_id() == id), "{name} {id}");
        }
    }

    #[test]
    fn the_global_options_of_the_line_being_completed_are_read() {
        let args = [
            "pluginkit",
            "--",
            "pluginkit",
            "disable",
            "-C",
            "host",
            "--plugins-dir",
            "p",
            "",
        ];
        let global = global_args(args.map(OsString::from)).expect("parsed");
        assert_eq!(
            global.directory.as_deref(),
            Some(std::path::Path::new("host"))
        );
        assert_eq!(
            global.plugins_dir.as_deref(),
            Some(std::path::Path::new("p"))
        );
    }
}
