//! The command line: every command of DESIGN.md, its options and their `--help` text.

mod format;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    after_help = "Each command's help (`pluginkit help COMMAND`) ends with examples.\n\nExit codes: 0 success, 1 the operation failed or found errors, 2 bad usage."
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
            Command::Deps(a) => a.format.or_parse(name, &text),
            Command::Registry(RegistryCommand::Publish(a)) => a.format.or_parse(name, &text),
            Command::Registry(RegistryCommand::Yank(a)) => a.format.or_parse(name, &text),
            Command::Registry(RegistryCommand::Advise(a)) => a.format.or_parse(name, &text),
            Command::Registry(RegistryCommand::Keygen(a)) => a.format.or_parse(name, &text),
            Command::Registry(RegistryCommand::Resign(a)) => a.format.or_parse(name, &text),
            Command::Audit(a) => a.format.or_parse(name, &text),
            Command::Reload(a) => a.format.or_parse(name, &text),
            Command::Status(a) => a.format.or_parse(name, &text),
            Command::Cache(CacheCommand::Clean(a)) => a.format.or_parse(name, &text),
            Command::Cache(CacheCommand::Dir) | Command::Completions(_) => Err(unsupported()),
        }
    }
}

/// Options that every command takes, shown under their own heading in every command's help (as
/// cargo does), after the command's own.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global Options")]
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
    #[command(alias = "ls")]
    List(ListArgs),
    /// Show everything known about plugins
    ///
    /// Formats: human (default), json: the plugin's document for one NAME; for several, `plugins`
    /// lists them in the order named.
    Info(InfoArgs),
    /// Enable plugins, where their host reads it
    ///
    /// Flask-PluginKit and pluginkit plugins: ENABLED created and DISABLED removed in their
    /// folders; FBA: its Redis record; FastCMS: the folder renamed from `_NAME` to `NAME`; the
    /// class-based pattern: the folder moved back into the plugins folder. Several plugins (or
    /// --all) change together, or none does. Formats: human (default), json.
    #[command(after_help = ENABLE_EXAMPLES)]
    Enable(ToggleArgs),
    /// Disable plugins, where their host reads it
    ///
    /// Flask-PluginKit and pluginkit plugins: DISABLED created and ENABLED removed in their
    /// folders; FBA: its Redis record; FastCMS: the folder renamed to `_NAME`; the class-based
    /// pattern: the folder moved out to .pluginkit/disabled/. Several plugins (or --all) change
    /// together, or none does. Formats: human (default), json.
    #[command(after_help = DISABLE_EXAMPLES)]
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
    #[command(alias = "install")]
    Add(AddArgs),
    /// Uninstall plugins, keeping a backup
    #[command(alias = "uninstall", alias = "rm")]
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
    /// Resolve the enabled plugins' Python requirements together and install them
    ///
    /// Every enabled plugin's requirements.txt, with the host's own requirements.txt as
    /// constraints, goes to one resolver run: uv (`uv pip compile`) when it is on the PATH,
    /// else the host's pip (`pip install --dry-run --report`). A conflict names both plugins and
    /// both lines and exits 1, with nothing installed. Without --check the resolved set is
    /// installed into the host's Python ([host] python, else python3) and the pins recorded in
    /// pluginkit.lock. The index is the user's: UV_INDEX_URL, PIP_INDEX_URL, pip.conf, uv.toml.
    /// Formats: human (default), json.
    Deps(DepsArgs),
    /// List installed registry plugins that have published advisories
    ///
    /// Reads each installed registry plugin's index and lists the advisories whose affected
    /// range holds the installed version. Plugins from git, ZIP files or folders have no
    /// advisories to read, and are counted as not checked. Exits 1 when any advisory affects
    /// an installed plugin. Formats: human (default), json.
    Audit(AuditArgs),
    /// Manage a static registry folder
    #[command(subcommand, after_help = REGISTRY_EXAMPLES)]
    Registry(RegistryCommand),
    /// Signal the running server to reload, after checking that it is that server
    Reload(ReloadCommandArgs),
    /// Show the server's PID, name and uptime, and plugin changes that are not live yet
    Status(StatusArgs),
    /// Show or empty the download cache
    #[command(subcommand, after_help = CACHE_EXAMPLES)]
    Cache(CacheCommand),
    /// Print the script that makes a shell complete pluginkit's commands, options and plugins
    #[command(long_about = COMPLETIONS_ABOUT)]
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
            Command::Deps(a) => a.format.name(),
            Command::Registry(RegistryCommand::Publish(a)) => a.format.name(),
            Command::Registry(RegistryCommand::Yank(a)) => a.format.name(),
            Command::Registry(RegistryCommand::Advise(a)) => a.format.name(),
            Command::Registry(RegistryCommand::Keygen(a)) => a.format.name(),
            Command::Registry(RegistryCommand::Resign(a)) => a.format.name(),
            Command::Audit(a) => a.format.name(),
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
            Command::Deps(_) => "deps",
            Command::Registry(RegistryCommand::Publish(_)) => "registry publish",
            Command::Registry(RegistryCommand::Yank(_)) => "registry yank",
            Command::Registry(RegistryCommand::Advise(_)) => "registry advise",
            Command::Registry(RegistryCommand::Keygen(_)) => "registry keygen",
            Command::Registry(RegistryCommand::Resign(_)) => "registry resign",
            Command::Audit(_) => "audit",
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

const INIT_EXAMPLES: &str = "Examples:
  pluginkit init
  pluginkit init --kind flask-pluginkit --plugins-dir app/plugins
  pluginkit -C ~/src/fastapi_best_architecture init
  pluginkit init --format json";

#[derive(Debug, Args)]
#[command(after_help = INIT_EXAMPLES)]
pub(crate) struct InitArgs {
    /// The host kind, instead of detecting it
    #[arg(long, value_enum, value_name = "KIND")]
    pub(crate) kind: Option<HostKind>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const NEW_EXAMPLES: &str = "Examples:
  pluginkit new blog
  pluginkit new blog --flavor flask-pluginkit --description 'A blog for the site'
  pluginkit new notice --flavor fba --level extend --extend admin --into-plugins
  pluginkit new shop --template https://github.com/acme/plugin-template.git --tag v1
  pluginkit new blog --yes --no-git -d greeting=Hello -o /tmp/blog";

#[derive(Debug, Args)]
#[command(after_help = NEW_EXAMPLES)]
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

/// The end of `validate --help`: what its exit codes tell a pipeline.
macro_rules! validate_exit_codes {
    () => {
        "Exit codes:
  0  no errors (and, with --strict, no warnings)
  1  errors found (or warnings with --strict), or the check failed (a PATH that does not exist)
  2  bad usage, or a pluginkit.toml that cannot be read: nothing was checked
With --format json, sarif or github, stdout holds that format's document whatever the exit code:
the findings, or the failure."
    };
}

/// `validate`'s examples, a macro so that `--help` can add the exit codes after them (clap shows
/// `after_long_help` instead of `after_help` for `--help`).
macro_rules! validate_examples {
    () => {
        "Examples:
  pluginkit validate
  pluginkit validate plugins/blog dist/blog-1.0.0.zip --strict
  pluginkit validate --flavor fba backend/plugin
  pluginkit validate --format github
  pluginkit validate --format sarif > pluginkit.sarif
  pluginkit validate --expect-version v1.2.0"
    };
}

#[derive(Debug, Args)]
#[command(after_help = validate_examples!(), after_long_help = concat!(validate_examples!(), "\n\n", validate_exit_codes!()))]
pub(crate) struct ValidateArgs {
    /// Plugin folders, plugins folders, .zip packages, or files inside a plugin (each stands for
    /// its plugin) [default: the plugin the working folder is in, else the plugins folder]
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Fail on warnings too
    #[arg(long)]
    pub(crate) strict: bool,
    /// Fail when a plugin's version is not VERSION, e.g. the release tag being pushed (`v1.2.0`
    /// matches 1.2.0)
    #[arg(long, value_name = "VERSION", value_parser = release_version)]
    pub(crate) expect_version: Option<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<ValidateFormat>,
}

const LIST_EXAMPLES: &str = "Examples:
  pluginkit list
  pluginkit list --disabled
  pluginkit list --format csv > plugins.csv
  pluginkit list --enabled --format json";

/// `validate --expect-version`'s value: a version or a tag that names one.
fn release_version(tag: &str) -> Result<String, String> {
    let version = tag.strip_prefix('v').unwrap_or(tag);
    if version.is_empty() || version.chars().any(char::is_whitespace) {
        return Err(format!(
            "`{}` names no version: pass one such as 1.2.0 or v1.2.0",
            tag.escape_debug()
        ));
    }
    Ok(tag.to_owned())
}

#[derive(Debug, Args)]
#[command(after_help = LIST_EXAMPLES)]
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

const INFO_EXAMPLES: &str = "Examples:
  pluginkit info blog
  pluginkit info blog comments
  pluginkit info blog --format json";

#[derive(Debug, Args)]
#[command(after_help = INFO_EXAMPLES)]
pub(crate) struct InfoArgs {
    /// The plugins' names
    #[arg(value_parser = plugin_name, required = true, value_name = "NAME")]
    pub(crate) names: Vec<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const ENABLE_EXAMPLES: &str = "Examples:
  pluginkit enable blog
  pluginkit enable blog comments --reload
  pluginkit enable --all
  pluginkit enable blog --reload --wait --timeout 60
  pluginkit enable blog --format json";

const DISABLE_EXAMPLES: &str = "Examples:
  pluginkit disable blog
  pluginkit disable blog comments --reload
  pluginkit disable --all
  pluginkit disable blog --no-reload --format json";

#[derive(Debug, Args)]
#[group(id = "which", required = true, args = ["names", "all"])]
pub(crate) struct ToggleArgs {
    /// The plugins' names
    #[arg(value_parser = plugin_name, value_name = "NAME")]
    pub(crate) names: Vec<String>,
    /// Every installed plugin, those switched off included
    #[arg(long, conflicts_with = "names")]
    pub(crate) all: bool,
    #[command(flatten)]
    pub(crate) reload: ReloadArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const PACKAGE_EXAMPLES: &str = "Examples:
  pluginkit package
  pluginkit package plugins/blog -o dist/
  pluginkit package plugins/blog --list
  pluginkit package --source-date-epoch 1700000000 --format json";

#[derive(Debug, Args)]
#[command(after_help = PACKAGE_EXAMPLES)]
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
    /// Pack this file although it looks like a secret (a private key, credentials); a path
    /// inside the plugin, once per file
    #[arg(long, value_name = "PATH")]
    pub(crate) allow_secret: Vec<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const ADD_EXAMPLES: &str = "Examples:
  pluginkit add blog
  pluginkit add blog@^1.2 --registry internal
  pluginkit add https://github.com/acme/blog.git --tag v1.2.0 --semver ^1
  pluginkit add ./dist/blog-1.0.0.zip --disabled
  pluginkit add ../blog --link --force
  pluginkit add https://example.com/dist/blog-1.0.0.zip --reload";

#[derive(Debug, Args)]
#[command(after_help = ADD_EXAMPLES)]
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
    /// Resolve the plugin's requirements.txt together with every enabled plugin's (uv, else
    /// pip) and install them before the plugin is; record the pins in pluginkit.lock
    #[arg(long)]
    pub(crate) install_deps: bool,
    /// FBA: add the settings in the plugin's .env.example that backend/.env lacks (once, under a
    /// comment naming the plugin; the keys it has stay as they are)
    #[arg(long)]
    pub(crate) configure: bool,
    /// Registry to resolve names in [default: PLUGINKIT_REGISTRY, else the one named default]
    #[arg(long, value_name = "NAME")]
    pub(crate) registry: Option<String>,
    /// Use only what is cached
    #[arg(long)]
    pub(crate) offline: bool,
    /// Refuse to install a registry version that has a published advisory
    #[arg(long)]
    pub(crate) deny_advisories: bool,
    #[command(flatten)]
    pub(crate) reload: ReloadArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const REMOVE_EXAMPLES: &str = "Examples:
  pluginkit remove blog
  pluginkit remove blog comments --reload
  pluginkit remove blog --no-backup --force";

#[derive(Debug, Args)]
#[command(after_help = REMOVE_EXAMPLES)]
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

const RESTORE_EXAMPLES: &str = "Examples:
  pluginkit restore blog
  pluginkit restore blog --list
  pluginkit restore --list
  pluginkit restore blog --backup 20260101T120000Z --force";

#[derive(Debug, Args)]
#[command(after_help = RESTORE_EXAMPLES)]
pub(crate) struct RestoreArgs {
    /// The plugin's name (with --list, optional: every plugin's backups)
    #[arg(value_parser = plugin_name, required_unless_present = "list")]
    pub(crate) name: Option<String>,
    /// The backup to restore [default: the latest]
    #[arg(value_parser = backup_id, long, value_name = "BACKUP", conflicts_with = "list")]
    pub(crate) backup: Option<String>,
    /// List the plugin's backups (without NAME, every plugin's), and restore nothing
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

const UPGRADE_EXAMPLES: &str = "Examples:
  pluginkit upgrade
  pluginkit upgrade blog --dry-run
  pluginkit upgrade --all --reload --wait
  pluginkit upgrade --format json";

#[derive(Debug, Args)]
#[command(after_help = UPGRADE_EXAMPLES)]
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
    /// FBA: add the settings in each upgraded plugin's .env.example that backend/.env lacks (once, under a
    /// comment naming the plugin; the keys it has stay as they are)
    #[arg(long)]
    pub(crate) configure: bool,
    #[command(flatten)]
    pub(crate) deps: InstallDepsArgs,
    #[command(flatten)]
    pub(crate) reload: ReloadArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

/// `--install-deps` for `sync` and `upgrade`.
#[derive(Debug, Args)]
pub(crate) struct InstallDepsArgs {
    /// Resolve the Python requirements of every enabled plugin together (uv, else pip) and
    /// install them before the plugins change; record the pins in pluginkit.lock
    #[arg(long)]
    pub(crate) install_deps: bool,
    /// With --install-deps: resolve and install from what uv or pip has cached (uv --offline,
    /// pip --no-index)
    #[arg(long, requires = "install_deps")]
    pub(crate) offline: bool,
}

const DEPS_EXAMPLES: &str = "Examples:
  pluginkit deps --check
  pluginkit deps
  pluginkit deps --check --format json
  pluginkit deps --offline";

#[derive(Debug, Args)]
#[command(after_help = DEPS_EXAMPLES)]
pub(crate) struct DepsArgs {
    /// Resolve and report only: install nothing, write nothing
    #[arg(long)]
    pub(crate) check: bool,
    /// Resolve and install from what uv or pip has cached (uv --offline, pip --no-index)
    #[arg(long)]
    pub(crate) offline: bool,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const OUTDATED_EXAMPLES: &str = "Examples:
  pluginkit outdated
  pluginkit outdated blog comments
  pluginkit outdated --format json";

#[derive(Debug, Args)]
#[command(after_help = OUTDATED_EXAMPLES)]
pub(crate) struct OutdatedArgs {
    /// The plugins to check [default: all]
    #[arg(value_parser = plugin_name, value_name = "NAME")]
    pub(crate) names: Vec<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const SEARCH_EXAMPLES: &str = "Examples:
  pluginkit search blog
  pluginkit search 'markdown editor' --registry internal
  pluginkit search blog --format json";

#[derive(Debug, Args)]
#[command(after_help = SEARCH_EXAMPLES)]
pub(crate) struct SearchArgs {
    /// Words to look for in plugin names and summaries
    pub(crate) query: String,
    /// Search only this registry
    #[arg(long, value_name = "NAME")]
    pub(crate) registry: Option<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const SYNC_EXAMPLES: &str = "Examples:
  pluginkit sync
  pluginkit sync --locked
  pluginkit sync --dry-run --prune
  pluginkit sync --reload --format json";

#[derive(Debug, Args)]
#[command(after_help = SYNC_EXAMPLES)]
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
    /// Refuse to install a registry version that has a published advisory
    #[arg(long)]
    pub(crate) deny_advisories: bool,
    /// FBA: add the settings in each installed plugin's .env.example that backend/.env lacks (once, under a
    /// comment naming the plugin; the keys it has stay as they are)
    #[arg(long)]
    pub(crate) configure: bool,
    #[command(flatten)]
    pub(crate) deps: InstallDepsArgs,
    #[command(flatten)]
    pub(crate) reload: ReloadArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const VERIFY_EXAMPLES: &str = "Examples:
  pluginkit verify
  pluginkit verify blog comments
  pluginkit verify --format json";

#[derive(Debug, Args)]
#[command(after_help = VERIFY_EXAMPLES)]
pub(crate) struct VerifyArgs {
    /// The plugins to verify [default: all]
    #[arg(value_parser = plugin_name, value_name = "NAME")]
    pub(crate) names: Vec<String>,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const AUDIT_EXAMPLES: &str = "Examples:
  pluginkit audit
  pluginkit audit --format json
  pluginkit -C app audit --quiet";

#[derive(Debug, Args)]
#[command(after_help = AUDIT_EXAMPLES)]
pub(crate) struct AuditArgs {
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const REGISTRY_EXAMPLES: &str = "Examples:
  pluginkit registry publish dist/blog-1.0.0.zip --dir /srv/registry
  pluginkit registry yank blog@1.0.0 --dir /srv/registry
  pluginkit registry advise blog --dir reg --id PK-1 --affected '<1.2' --severity high
  pluginkit registry keygen --output keys/registry.key
  pluginkit registry resign --dir /srv/registry --sign-key keys/registry.key";

#[derive(Debug, Subcommand)]
pub(crate) enum RegistryCommand {
    /// Add a package to a static registry folder and update its index
    Publish(PublishArgs),
    /// Mark a version yanked: not chosen by new resolutions, still installable when locked
    Yank(YankArgs),
    /// List a security advisory on every published version its affected range matches
    ///
    /// Writing an advisory with an id the index has already replaces it (and takes it off
    /// versions the new range no longer matches); writing the same one again changes nothing.
    /// Formats: human (default), json.
    Advise(AdviseArgs),
    /// Make a minisign key pair for signing a registry
    ///
    /// The secret key is protected by a password (PLUGINKIT_SIGNING_PASSWORD, else asked for on
    /// a terminal) and readable by its owner only; the public key goes beside it (FILE.pub, or
    /// NAME.pub for NAME.key). Prints the line hosts put in `[registries.NAME] public-keys`.
    /// Formats: human (default), json.
    Keygen(KeygenArgs),
    /// Sign the registry's snapshot again: with a new key, or for a fresh expiry
    ///
    /// Writes snapshot.json (the sha256 of every index file and search.json, a serial one higher
    /// than before, and the expiry) and its signature snapshot.json.minisig. Formats: human
    /// (default), json.
    Resign(ResignArgs),
}

/// How a change of a registry is signed: `registry publish`, `yank`, `advise` and `resign`.
#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// Sign the registry's snapshot with this minisign secret key (its password from
    /// PLUGINKIT_SIGNING_PASSWORD, else asked for on a terminal)
    #[arg(long, value_name = "FILE", env = "PLUGINKIT_SIGNING_KEY")]
    pub(crate) sign_key: Option<PathBuf>,
    /// How many days the signed snapshot stays valid; hosts refuse it after that
    #[arg(long, value_name = "DAYS", default_value_t = crate::registry::signing::DEFAULT_EXPIRY_DAYS)]
    pub(crate) expires_in: u64,
}

const KEYGEN_EXAMPLES: &str = "Examples:
  pluginkit registry keygen --output keys/registry.key
  pluginkit registry keygen
  pluginkit registry keygen --output keys/2027.key --format json";

#[derive(Debug, Args)]
#[command(after_help = KEYGEN_EXAMPLES)]
pub(crate) struct KeygenArgs {
    /// Where to write the secret key (never overwritten); the public key goes beside it
    #[arg(short, long, value_name = "FILE", default_value = "registry.key")]
    pub(crate) output: PathBuf,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const RESIGN_EXAMPLES: &str = "Examples:
  pluginkit registry resign --dir /srv/registry --sign-key keys/registry.key
  pluginkit registry resign --dir /srv/registry --sign-key keys/2027.key --expires-in 90
  pluginkit registry resign --dir /srv/registry --sign-key keys/registry.key --format json";

#[derive(Debug, Args)]
#[command(after_help = RESIGN_EXAMPLES)]
pub(crate) struct ResignArgs {
    /// The registry folder
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: PathBuf,
    #[command(flatten)]
    pub(crate) sign: SignArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const PUBLISH_EXAMPLES: &str = "Examples:
  pluginkit registry publish dist/blog-1.0.0.zip --dir /srv/registry
  pluginkit registry publish blog-1.0.0.zip --dir registry --source-date-epoch 1700000000
  pluginkit registry publish dist/blog-1.0.0.zip --dir /srv/registry --format json
  pluginkit registry publish dist/blog-1.0.0.zip --dir /srv/registry --sign-key registry.key";

#[derive(Debug, Subcommand)]
pub(crate) enum CacheCommand {
    /// Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else
    /// ~/.cache/pluginkit
    #[command(after_help = CACHE_DIR_EXAMPLES)]
    Dir,
    /// Empty the cache: downloaded packages and registry index files, fetched again when needed
    ///
    /// Formats: human (default), json.
    Clean(CacheCleanArgs),
}

const CACHE_EXAMPLES: &str = "Examples:
  pluginkit cache dir
  pluginkit cache clean
  pluginkit cache clean --format json";

const CACHE_DIR_EXAMPLES: &str = "Examples:
  pluginkit cache dir
  pluginkit -C app cache dir
  pluginkit cache dir --quiet";

const CACHE_CLEAN_EXAMPLES: &str = "Examples:
  pluginkit cache clean
  pluginkit cache clean --format json
  pluginkit cache clean --quiet";

#[derive(Debug, Args)]
#[command(after_help = CACHE_CLEAN_EXAMPLES)]
pub(crate) struct CacheCleanArgs {
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

#[derive(Debug, Args)]
#[command(after_help = PUBLISH_EXAMPLES)]
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
    pub(crate) sign: SignArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const YANK_EXAMPLES: &str = "Examples:
  pluginkit registry yank blog@1.0.0 --dir /srv/registry
  pluginkit registry yank blog@1.0.0 --dir /srv/registry --undo
  pluginkit registry yank blog@1.0.0 --dir /srv/registry --format json";

#[derive(Debug, Args)]
#[command(after_help = YANK_EXAMPLES)]
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
    pub(crate) sign: SignArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const ADVISE_EXAMPLES: &str = "Examples:
  pluginkit registry advise blog --dir reg --id PK-1 --affected '<1.2' --severity high
  pluginkit registry advise blog --dir reg --id PK-1 --affected '<1.2' --fixed 1.2.0 --severity low
  pluginkit registry advise blog --dir reg --id PK-2 --affected '=1.0.0' --severity critical
  pluginkit registry advise blog --dir reg --id PK-2 --affected '1.0' --severity low --format json";

#[derive(Debug, Args)]
#[command(after_help = ADVISE_EXAMPLES)]
pub(crate) struct AdviseArgs {
    /// The plugin the advisory is about
    #[arg(value_name = "NAME")]
    pub(crate) name: String,
    /// The registry folder
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// The advisory's identifier (GHSA-..., CVE-..., or your own); one per plugin
    #[arg(long, value_name = "ID", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub(crate) id: String,
    /// The versions it affects, a SemVer requirement such as '<1.2.3' or '>=1.0.0, <1.1.0'
    #[arg(long, value_name = "RANGE")]
    pub(crate) affected: String,
    /// The first version that fixes it
    #[arg(long, value_name = "VERSION")]
    pub(crate) fixed: Option<String>,
    /// Where it is described
    #[arg(long, value_name = "URL")]
    pub(crate) url: Option<String>,
    /// How severe it is
    #[arg(long, value_name = "SEVERITY", value_parser = crate::registry::advisory::SEVERITIES)]
    pub(crate) severity: String,
    #[command(flatten)]
    pub(crate) sign: SignArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const RELOAD_EXAMPLES: &str = "Examples:
  pluginkit reload
  pluginkit reload --wait --timeout 60
  pluginkit reload --pidfile run/gunicorn.pid --signal HUP
  pluginkit reload --pid 4242 --process-name uvicorn --format json";

#[derive(Debug, Args)]
#[command(after_help = RELOAD_EXAMPLES)]
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

const STATUS_EXAMPLES: &str = "Examples:
  pluginkit status
  pluginkit status --pidfile run/gunicorn.pid
  pluginkit status --format json";

#[derive(Debug, Args)]
#[command(after_help = STATUS_EXAMPLES)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    pub(crate) server: ServerArgs,
    #[command(flatten)]
    pub(crate) format: FormatArg<HumanJson>,
}

const COMPLETIONS_EXAMPLES: &str = "Examples:
  pluginkit completions bash > ~/.local/share/bash-completion/completions/pluginkit
  pluginkit completions zsh > ~/.zfunc/_pluginkit
  pluginkit completions fish > ~/.config/fish/completions/pluginkit.fish
  pluginkit completions powershell >> $PROFILE";

#[derive(Debug, Args)]
#[command(after_help = COMPLETIONS_EXAMPLES)]
pub(crate) struct CompletionsArgs {
    /// The shell to print the script for
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

/// The variable that makes a pluginkit run answer its shell's completion request instead of
/// running a command (clap's dynamic completion): `PLUGINKIT_COMPLETE=bash pluginkit` prints
/// bash's registration, which then runs pluginkit with it at each TAB.
pub const COMPLETE_VAR: &str = "PLUGINKIT_COMPLETE";

/// The completion script of `shell` (what `pluginkit completions SHELL` prints and
/// completions/ keeps): it loads the registration from the pluginkit on the `PATH` each time
/// the shell starts (or first completes, where the shell loads completions lazily), so the
/// script never goes stale when pluginkit is upgraded.
pub fn completions(shell: clap_complete::Shell) -> String {
    use clap_complete::Shell;
    let var = COMPLETE_VAR;
    match shell {
        Shell::Bash => format!(
            "# pluginkit's completions for bash: `pluginkit completions --help` says where this goes.\n\
             if command -v pluginkit >/dev/null 2>&1; then\n    \
                 eval \"$({var}=bash pluginkit)\"\n\
             fi\n"
        ),
        // Autoloaded from $fpath, the file's body is the completion function `_pluginkit`,
        // run at the first TAB: it registers the real one and must also complete that TAB.
        Shell::Zsh => format!(
            "#compdef pluginkit\n\
             # pluginkit's completions for zsh: `pluginkit completions --help` says where this goes.\n\
             source <({var}=zsh pluginkit)\n\
             if [[ ${{funcstack[1]}} = _pluginkit ]]; then\n    \
                 _clap_dynamic_completer_pluginkit \"$@\"\n\
             fi\n"
        ),
        Shell::Fish => format!(
            "# pluginkit's completions for fish: `pluginkit completions --help` says where this goes.\n\
             {var}=fish pluginkit | source\n"
        ),
        Shell::Elvish => format!(
            "# pluginkit's completions for elvish: `pluginkit completions --help` says where this goes.\n\
             eval (E:{var}=elvish pluginkit | slurp)\n"
        ),
        Shell::PowerShell => format!(
            "# pluginkit's completions for PowerShell: `pluginkit completions --help` says where this goes.\n\
             $env:{var} = \"powershell\"\n\
             pluginkit | Out-String | Invoke-Expression\n\
             Remove-Item Env:\\{var}\n"
        ),
        // clap_complete's Shell is non-exhaustive; the value parser offers only the above.
        _ => String::new(),
    }
}

/// `pluginkit completions --help`: where each shell's script goes.
const COMPLETIONS_ABOUT: &str = "\
Print the script that makes a shell complete pluginkit's commands, options and plugins

The script asks pluginkit (the one on the PATH) what to complete at each TAB, so the names of \
the installed plugins complete wherever a command takes them (`pluginkit disable <TAB>`), in \
the host the line points at (-C, --plugins-dir). Install it once; it stays right when \
pluginkit is upgraded. The same scripts are in completions/.

bash (needs the bash-completion package, which loads it at the first TAB):
    pluginkit completions bash > ~/.local/share/bash-completion/completions/pluginkit
  or for every user: /usr/share/bash-completion/completions/pluginkit;
  or without bash-completion, in ~/.bashrc: eval \"$(pluginkit completions bash)\"

zsh (a folder on $fpath, before compinit runs in ~/.zshrc):
    mkdir -p ~/.zfunc && pluginkit completions zsh > ~/.zfunc/_pluginkit
  and in ~/.zshrc, above `autoload -Uz compinit && compinit`: fpath=(~/.zfunc $fpath)
  or for every user: /usr/local/share/zsh/site-functions/_pluginkit

fish (loaded at the first TAB):
    pluginkit completions fish > ~/.config/fish/completions/pluginkit.fish

elvish, in ~/.config/elvish/rc.elv:
    eval (pluginkit completions elvish | slurp)

PowerShell, in $PROFILE:
    pluginkit completions powershell | Out-String | Invoke-Expression

Open a new shell afterwards.";
