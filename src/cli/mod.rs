//! The command line: every command of DESIGN.md, its options and their `--help` text.

mod format;

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

pub(crate) use format::{FormatArg, HumanJson, ListFormat, ValidateFormat};

use crate::output::ColorChoice;
use crate::plugin::flavor::Flavor;
use crate::plugin::host::HostKind;
use crate::plugin::names;

/// Scaffold, validate, package, install and reload the plugins of a web application.
///
/// pluginkit manages a host's plugins folder from the outside, for Flask-PluginKit, FastAPI
/// Best Architecture (fba), FastCMS, Rust plugin crates and its native plugin.toml. The host is
/// the nearest folder upwards holding pluginkit.toml (else the current folder); its plugins live
/// in plugins/ unless configured otherwise.
#[derive(Debug, Parser)]
#[command(
    name = "pluginkit",
    version,
    arg_required_else_help = true,
    max_term_width = 100
)]
#[command(
    after_help = "Exit codes: 0 success, 1 the operation failed or found errors, 2 bad usage."
)]
pub struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,

    // `--format` before the command's name, where it was a global option, still works: it is
    // checked against the command's own formats by `Cli::resolve_format`. Hidden from the help,
    // which lists each command's formats under the command.
    /// Output format of the command (its help lists them)
    #[arg(long = "format", value_name = "FORMAT", hide = true)]
    pub(crate) format: Option<String>,

    #[command(subcommand)]
    pub(crate) command: Command,
}

impl Cli {
    /// Give the command a `--format` written before its name, unless it has its own.
    pub(crate) fn resolve_format(&mut self) -> Result<(), clap::Error> {
        let Some(text) = self.format.take() else {
            return Ok(());
        };
        let name = self.command.name();
        let unsupported = || format::unsupported(&format!("pluginkit {name}"), &text, &[]);
        let command = &mut self.command;
        match command {
            Command::Init(a) => a.format.or_parse(name, &text),
            Command::New(a) => a.format.or_parse(name, &text),
            Command::Validate(a) => a.format.or_parse(name, &text),
            Command::List(a) => a.format.or_parse(name, &text),
            Command::Info(a) => a.format.or_parse(name, &text),
            Command::Enable(a) | Command::Disable(a) => a.format.or_parse(name, &text),
            Command::Package(a) => a.format.or_parse(name, &text),
            Command::Add(a) => a.format.or_parse(name, &text),
            Command::Remove(a) => a.format.or_parse(name, &text),
            Command::Restore(a) => a.format.or_parse(name, &text),
            Command::Upgrade(a) => a.format.or_parse(name, &text),
            Command::Outdated(a) => a.format.or_parse(name, &text),
            Command::Search(a) => a.format.or_parse(name, &text),
            Command::Sync(a) => a.format.or_parse(name, &text),
            Command::Verify(a) => a.format.or_parse(name, &text),
            Command::Registry(RegistryCommand::Publish(a)) => a.format.or_parse(name, &text),
            Command::Registry(RegistryCommand::Yank(a)) => a.format.or_parse(name, &text),
            Command::Reload(a) => a.format.or_parse(name, &text),
            Command::Status(a) => a.format.or_parse(name, &text),
            Command::Cache(CacheCommand::Clean(a)) => a.format.or_parse(name, &text),
            Command::Cache(CacheCommand::Dir) | Command::Completions(_) => Err(unsupported()),
        }
    }
}

/// Options that every command takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Run as if pluginkit was started in DIR
    #[arg(short = 'C', long = "directory", value_name = "DIR", global = true)]
    pub(crate) directory: Option<PathBuf>,

    /// The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]
    #[arg(long, value_name = "DIR", env = "PLUGINKIT_PLUGINS_DIR", global = true)]
    pub(crate) plugins_dir: Option<PathBuf>,

    /// Check plugins against this flavor's rules instead of detecting it per plugin
    #[arg(long, value_enum, value_name = "FLAVOR", global = true)]
    pub(crate) flavor: Option<Flavor>,

    /// Print only results and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,

    /// Explain what is being done
    #[arg(short, long, global = true)]
    pub(crate) verbose: bool,

    /// When to use colours (NO_COLOR turns them off for `auto`)
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub(crate) color: ColorChoice,

    /// Never prompt: take defaults and proceed (implied without a terminal or with CI set)
    #[arg(short = 'y', long, global = true)]
    pub(crate) yes: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Write pluginkit.toml for the host in this folder, saying what was detected
    ///
    /// The host kind comes from --kind, else the folder's shape (an FBA checkout:
    /// backend/plugin/ beside backend/__init__.py), else a virtualenv here with Flask-PluginKit
    /// or FastCMS installed (.venv, venv, env), else the flavor of most plugins in the plugins
    /// folder (--plugins-dir, else the host kind's: backend/plugin for FBA, plugins otherwise).
    /// Nothing is written when pluginkit.toml exists. Formats: human (default), json.
    #[command(
        after_help = "Examples:\n  pluginkit init\n  pluginkit init --kind flask-pluginkit --plugins-dir app/plugins\n  pluginkit -C ~/src/fastapi_best_architecture init"
    )]
    Init(InitArgs),
    /// Scaffold a new plugin from a built-in or custom template
    New(NewArgs),
    /// Check plugin folders, a whole plugins folder, or .zip packages
    ///
    /// Each finding has a stable rule code (PKxxxx), a severity, the file, line and column, and
    /// says what would fix it. Formats: human (default), json, github, sarif.
    Validate(ValidateArgs),
    /// List the installed plugins with their version, flavor and effective state
    ///
    /// Formats: human (a table; default), json, csv.
    List(ListArgs),
    /// Show everything known about one plugin
    ///
    /// Formats: human (default), json.
    Info(InfoArgs),
    /// Enable plugins: remove DISABLED and create ENABLED in their folders
    Enable(ToggleArgs),
    /// Disable plugins: remove ENABLED and create DISABLED in their folders
    Disable(ToggleArgs),
    /// Build NAME-VERSION.zip from a plugin folder, reproducibly, and print its sha256
    ///
    /// The plugin is validated first and refused when it has errors. Every entry is NAME/<path>.
    /// Left out: __pycache__, *.pyc, *.pyo, .git, ENABLED, DISABLED, target/, editor and OS
    /// files, and what .gitignore and .pluginignore files inside the plugin exclude. The same
    /// files give the same bytes: sorted entries, fixed time stamps (SOURCE_DATE_EPOCH when
    /// set), permissions 0644 or 0755, deflate level 6 (files that do not compress are stored).
    /// Formats: human (default), json.
    Package(PackageArgs),
    /// Install plugins from a registry, git, a ZIP file or URL, or a local folder
    ///
    /// For git over https, the token in PLUGINKIT_GIT_TOKEN (or the variable [git] token-env
    /// names) is sent only over https, and only to the hosts [git] token-hosts in pluginkit.toml
    /// lists: by default github.com and gitlab.com. A user name and password in a URL are used
    /// for that command only, and never written or shown.
    Add(AddArgs),
    /// Uninstall plugins, keeping a backup
    Remove(RemoveArgs),
    /// Put back the latest (or a named) backup of a removed or replaced plugin
    Restore(RestoreArgs),
    /// Upgrade plugins to newer versions from their own source
    Upgrade(UpgradeArgs),
    /// List plugins that have newer versions at their source
    Outdated(OutdatedArgs),
    /// Search the configured registries
    Search(SearchArgs),
    /// Make the plugins folder match [plugins] in pluginkit.toml and pluginkit.lock
    Sync(SyncArgs),
    /// Compare installed files with what was installed
    Verify(VerifyArgs),
    /// Manage a static registry folder
    #[command(subcommand)]
    Registry(RegistryCommand),
    /// Signal the running server to reload, after checking that it is that server
    Reload(ReloadCommandArgs),
    /// Show the server's PID, name and uptime, and plugin changes that are not live yet
    Status(StatusArgs),
    /// Show or empty the download cache
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Print shell completions (the same files are kept in completions/)
    Completions(CompletionsArgs),
}

impl Command {
    /// The `--format` the command will print in (its default when none was given); `None` for
    /// a command without formats.
    pub(crate) fn format_name(&self) -> Option<String> {
        Some(match self {
            Command::Init(a) => a.format.name(),
            Command::New(a) => a.format.name(),
            Command::Validate(a) => a.format.name(),
            Command::List(a) => a.format.name(),
            Command::Info(a) => a.format.name(),
            Command::Enable(a) | Command::Disable(a) => a.format.name(),
            Command::Package(a) => a.format.name(),
            Command::Add(a) => a.format.name(),
            Command::Remove(a) => a.format.name(),
            Command::Restore(a) => a.format.name(),
            Command::Upgrade(a) => a.format.name(),
            Command::Outdated(a) => a.format.name(),
            Command::Search(a) => a.format.name(),
            Command::Sync(a) => a.format.name(),
            Command::Verify(a) => a.format.name(),
            Command::Registry(RegistryCommand::Publish(a)) => a.format.name(),
            Command::Registry(RegistryCommand::Yank(a)) => a.format.name(),
            Command::Reload(a) => a.format.name(),
            Command::Status(a) => a.format.name(),
            Command::Cache(CacheCommand::Clean(a)) => a.format.name(),
            Command::Cache(CacheCommand::Dir) | Command::Completions(_) => return None,
        })
    }

    /// The command's name as typed.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Command::Init(_) => "init",
            Command::New(_) => "new",
            Command::Validate(_) => "validate",
            Command::List(_) => "list",
            Command::Info(_) => "info",
            Command::Enable(_) => "enable",
            Command::Disable(_) => "disable",
            Command::Package(_) => "package",
            Command::Add(_) => "add",
            Command::Remove(_) => "remove",
            Command::Restore(_) => "restore",
            Command::Upgrade(_) => "upgrade",
            Command::Outdated(_) => "outdated",
            Command::Search(_) => "search",
            Command::Sync(_) => "sync",
            Command::Verify(_) => "verify",
            Command::Registry(RegistryCommand::Publish(_)) => "registry publish",
            Command::Registry(RegistryCommand::Yank(_)) => "registry yank",
            Command::Reload(_) => "reload",
            Command::Status(_) => "status",
            Command::Cache(CacheCommand::Dir) => "cache dir",
            Command::Cache(CacheCommand::Clean(_)) => "cache clean",
            Command::Completions(_) => "completions",
        }
    }
}

/// `--reload`, for every command that changes a plugin.
#[derive(Debug, Args)]
pub(crate) struct ReloadArgs {
    /// After the change succeeded, signal the server named by [host] pidfile to reload ([host]
    /// reload = "always" makes this the default)
    #[arg(long, conflicts_with = "no_reload")]
    pub(crate) reload: bool,

    /// Do not signal the server, even with [host] reload = "always"
    #[arg(long)]
    pub(crate) no_reload: bool,

    /// Reload, then wait until the server has (its workers were all replaced)
    #[arg(long, conflicts_with = "no_reload")]
    pub(crate) wait: bool,

    /// How long --wait waits, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 30, requires = "wait")]
    pub(crate) timeout: u64,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The host kind, instead of detecting it
    #[arg(long, value_enum, value_name = "KIND")]
    pub(crate) kind: Option<HostKind>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The new plugin's name
    pub(crate) name: String,
    /// A custom template: a folder, or a git URL, holding template.toml
    #[arg(long, value_name = "DIR|GIT-URL")]
    pub(crate) template: Option<String>,
    /// With a git --template: the branch to use
    #[arg(long, conflicts_with = "tag")]
    pub(crate) branch: Option<String>,
    /// With a git --template: the tag to use
    #[arg(long)]
    pub(crate) tag: Option<String>,
    /// Where to create the plugin [default: ./NAME]
    #[arg(short, long, value_name = "DIR", conflicts_with = "into_plugins")]
    pub(crate) output: Option<PathBuf>,
    /// Create the plugin straight in the host's plugins folder
    #[arg(long)]
    pub(crate) into_plugins: bool,
    /// fba: the plugin level
    #[arg(long, value_parser = ["app", "extend"])]
    pub(crate) level: Option<String>,
    /// fba, with --level extend: the app the plugin extends
    #[arg(long, value_name = "APP")]
    pub(crate) extend: Option<String>,
    /// One line saying what the plugin does
    #[arg(long)]
    pub(crate) description: Option<String>,
    /// The author [default: git config user.name and user.email]
    #[arg(long)]
    pub(crate) author: Option<String>,
    /// The first version [default: 0.1.0]
    #[arg(long = "plugin-version", value_name = "VERSION")]
    pub(crate) plugin_version: Option<String>,
    /// The license, as an SPDX identifier [default: MIT]
    #[arg(long)]
    pub(crate) license: Option<String>,
    /// Set any template value
    #[arg(short = 'd', long = "define", value_name = "KEY=VALUE")]
    pub(crate) define: Vec<String>,
    /// Do not run `git init` in the new plugin
    #[arg(long)]
    pub(crate) no_git: bool,
    /// Write into a folder that is not empty
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Plugin folders, plugins folders, .zip packages, or files inside a plugin (each stands for
    /// its plugin) [default: the plugin the working folder is in, else the plugins folder]
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Fail on warnings too
    #[arg(long)]
    pub(crate) strict: bool,
    #[command(flatten)]
    pub(crate) format: FormatArg<ValidateFormat>,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only enabled plugins
    #[arg(long, conflicts_with = "disabled")]
    pub(crate) enabled: bool,
    /// Only disabled plugins
    #[arg(long)]
    pub(crate) disabled: bool,
    #[command(flatten)]
    pub(crate) format: FormatArg<ListFormat>,
}

#[derive(Debug, Args)]
pub(crate) struct InfoArgs {
    /// The plugin's name
    #[arg(value_parser = plugin_name)]
    pub(crate) name: String,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct ToggleArgs {
    /// The plugins' names
    #[arg(value_parser = plugin_name, required = true, value_name = "NAME")]
    pub(crate) names: Vec<String>,
    #[command(flatten)]
    pub(crate) reload: ReloadArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct PackageArgs {
    /// The plugin folder [default: the current folder]
    #[arg(value_name = "PATH")]
    pub(crate) path: Option<PathBuf>,
    /// Where to write the package: a file, or a folder to put NAME-VERSION.zip in [default: the
    /// current folder]
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Print what would go into the package, and write nothing
    #[arg(long)]
    pub(crate) list: bool,
    /// The time stamp of every entry, in seconds since 1970-01-01 UTC [default: 1980-01-01]
    #[arg(long, value_name = "SECONDS", env = "SOURCE_DATE_EPOCH")]
    pub(crate) source_date_epoch: Option<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// What to install: NAME[@REQ] from a registry, a git URL, a .zip file or URL, or a folder
    #[arg(required = true, value_name = "SOURCE")]
    pub(crate) sources: Vec<String>,
    /// git: install this tag
    #[arg(long, conflicts_with_all = ["branch", "rev"])]
    pub(crate) tag: Option<String>,
    /// git: install the tip of this branch
    #[arg(long, conflicts_with = "rev")]
    pub(crate) branch: Option<String>,
    /// git: install this commit (full or short)
    #[arg(long)]
    pub(crate) rev: Option<String>,
    /// git: the plugin lives in this folder of the repository
    #[arg(long, value_name = "PATH")]
    pub(crate) subdir: Option<String>,
    /// git with --tag: the SemVer range that `upgrade` may move within
    #[arg(long, value_name = "REQ")]
    pub(crate) semver: Option<String>,
    /// ZIP URL or file: the expected sha256 of the archive
    #[arg(long, value_name = "HEX")]
    pub(crate) sha256: Option<String>,
    /// Local folder: link to it instead of copying (for plugin development)
    #[arg(long)]
    pub(crate) link: bool,
    /// Replace an installed plugin of the same name, keeping a backup
    #[arg(long)]
    pub(crate) force: bool,
    /// Install the plugin switched off
    #[arg(long)]
    pub(crate) disabled: bool,
    /// Install the plugin's requirements.txt with uv or pip
    #[arg(long)]
    pub(crate) install_deps: bool,
    /// Registry to resolve names in [default: PLUGINKIT_REGISTRY, else the one named default]
    #[arg(long, value_name = "NAME")]
    pub(crate) registry: Option<String>,
    /// Use only what is cached
    #[arg(long)]
    pub(crate) offline: bool,
    #[command(flatten)]
    pub(crate) reload: ReloadArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct RemoveArgs {
    /// The plugins' names
    #[arg(value_parser = plugin_name, required = true, value_name = "NAME")]
    pub(crate) names: Vec<String>,
    /// Delete the plugins instead of keeping a backup in .pluginkit/backups/
    #[arg(long)]
    pub(crate) no_backup: bool,
    /// Remove them even when other installed plugins depend on them
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) reload: ReloadArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct RestoreArgs {
    /// The plugin's name
    #[arg(value_parser = plugin_name)]
    pub(crate) name: String,
    /// The backup to restore [default: the latest]
    #[arg(value_parser = backup_id, long, value_name = "BACKUP", conflicts_with = "list")]
    pub(crate) backup: Option<String>,
    /// List the plugin's backups, and restore nothing
    #[arg(long)]
    pub(crate) list: bool,
    /// Replace an installed plugin of that name (it is backed up first)
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) reload: ReloadArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct UpgradeArgs {
    /// The plugins to upgrade [default: all]
    #[arg(value_parser = plugin_name, value_name = "NAME")]
    pub(crate) names: Vec<String>,
    /// Upgrade every plugin installed from git or a registry (the default without NAMEs)
    #[arg(long, conflicts_with = "names")]
    pub(crate) all: bool,
    /// Show what would change, and change nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    #[command(flatten)]
    pub(crate) reload: ReloadArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct OutdatedArgs {
    /// The plugins to check [default: all]
    #[arg(value_parser = plugin_name, value_name = "NAME")]
    pub(crate) names: Vec<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// Words to look for in plugin names and summaries
    pub(crate) query: String,
    /// Search only this registry
    #[arg(long, value_name = "NAME")]
    pub(crate) registry: Option<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// Install exactly what pluginkit.lock says, and fail if it would change
    #[arg(long)]
    pub(crate) locked: bool,
    /// Show what would change, and change nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Also remove (with a backup) plugins that pluginkit did not install and [plugins] does not list
    #[arg(long)]
    pub(crate) prune: bool,
    #[command(flatten)]
    pub(crate) reload: ReloadArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The plugins to verify [default: all]
    #[arg(value_parser = plugin_name, value_name = "NAME")]
    pub(crate) names: Vec<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RegistryCommand {
    /// Add a package to a static registry folder and update its index
    Publish(PublishArgs),
    /// Mark a version yanked: not chosen by new resolutions, still installable when locked
    Yank(YankArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum CacheCommand {
    /// Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else
    /// ~/.cache/pluginkit
    Dir,
    /// Empty the cache: downloaded packages and registry index files, fetched again when needed
    ///
    /// Formats: human (default), json.
    Clean(CacheCleanArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CacheCleanArgs {
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct PublishArgs {
    /// The package to publish
    #[arg(value_name = "ZIP")]
    pub(crate) package: PathBuf,
    /// The registry folder
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// The publication time to record, in seconds since 1970-01-01 UTC [default: now]
    #[arg(long, value_name = "SECONDS", env = "SOURCE_DATE_EPOCH")]
    pub(crate) source_date_epoch: Option<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct YankArgs {
    /// The version to yank
    #[arg(value_name = "NAME@VERSION")]
    pub(crate) spec: String,
    /// The registry folder
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// Un-yank the version
    #[arg(long)]
    pub(crate) undo: bool,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct ReloadCommandArgs {
    #[command(flatten)]
    pub(crate) server: ServerArgs,
    /// The signal to send: HUP, USR1, USR2, TERM, INT, QUIT, WINCH, TTIN or TTOU [default:
    /// [host] signal, else HUP]
    #[arg(long, value_name = "SIGNAL")]
    pub(crate) signal: Option<String>,
    /// Wait until the server has reloaded: every worker it had was replaced by a new one
    #[arg(long)]
    pub(crate) wait: bool,
    /// How long --wait waits, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 30, requires = "wait")]
    pub(crate) timeout: u64,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

/// Which process is the server, for `reload` and `status`.
#[derive(Debug, Default, Args)]
pub(crate) struct ServerArgs {
    /// The server's process id
    #[arg(long, conflicts_with = "pidfile", allow_negative_numbers = true)]
    pub(crate) pid: Option<i64>,
    /// A file holding the server's process id [default: [host] pidfile]
    #[arg(long, value_name = "FILE")]
    pub(crate) pidfile: Option<PathBuf>,
    /// What the process must be called: its name, its title's first word or the script it runs
    /// [default: [host] process-name, else gunicorn, uwsgi, granian, uvicorn or hypercorn]
    #[arg(long, value_name = "NAME")]
    pub(crate) process_name: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    pub(crate) server: ServerArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to generate completions for
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

/// A plugin name on the command line: refused (exit 2) unless it can only be an entry of the
/// plugins folder ([`names`]).
fn plugin_name(name: &str) -> Result<String, names::NameError> {
    names::check_argument(name)?;
    Ok(name.to_owned())
}

/// A backup's ID (`restore --backup`): one folder of `.pluginkit/backups/NAME/`, by the same rule.
fn backup_id(id: &str) -> Result<String, String> {
    match names::refusal(id) {
        None => Ok(id.to_owned()),
        Some(reason) => Err(format!(
            "`{}` is not a backup: it {reason}; `pluginkit restore NAME --list` shows the backups",
            id.escape_debug()
        )),
    }
}

/// The completion script of `shell` (what `pluginkit completions SHELL` prints and
/// completions/ keeps).
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "pluginkit", &mut out);
    String::from_utf8(out).expect("completion scripts are UTF-8")
}
