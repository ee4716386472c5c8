//! Everything a command needs to know from outside itself, resolved once from the global
//! arguments, the environment snapshot and `pluginkit.toml`: the working folder, the host and
//! its configuration, the plugins folder, the pinned flavor, whether prompting is allowed, and
//! the environment's values (download timeouts, the cache, git credentials). Plain data: the
//! methods here only compute paths and views of it.
//!
//! Only `lib.rs`, the commands and the operations see `Settings`; the layers below them are
//! handed the values they need, so this file sits just under the operations although it holds
//! their types.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::GlobalArgs;
use crate::env::Environment;
use crate::error::Error;
use crate::host::{Host, HostDirs};
use crate::plugin::ReadContext;
use crate::plugin::cargo::Cargo;
use crate::plugin::flavor::Flavor;
use crate::plugin::host::HostFacts;
use crate::registry::client;
use crate::source::download;
use crate::source::git::GitAuth;
use crate::util::paths::display_path;

#[derive(Debug)]
pub(crate) struct Settings {
    /// The working folder (after `-C`).
    pub(crate) cwd: PathBuf,
    pub(crate) host: Host,
    /// The plugins folder, absolute.
    pub(crate) plugins_dir: PathBuf,
    /// Whether `--plugins-dir` (or `PLUGINKIT_PLUGINS_DIR`) named it.
    pub(crate) plugins_dir_given: bool,
    /// The flavor pinned by `--flavor` or `[host] flavor`.
    pub(crate) flavor: Option<Flavor>,
    /// Whether prompts may appear (a terminal on stdin, no `--yes`, not in CI).
    pub(crate) interactive: bool,
    /// cargo, for crate plugins that inherit fields from their workspace.
    pub(crate) cargo: Cargo,
    /// A transaction step to stop at, for the crash tests.
    pub(crate) pause_at: Option<String>,
    /// Timeouts and retries for downloads.
    pub(crate) download: download::Options,
    /// Where registry downloads and index files are cached; `None` when the environment gives
    /// no place for it.
    pub(crate) cache_dir: Option<PathBuf>,
    /// `PLUGINKIT_REGISTRY`: the registry a plain `[plugins]` requirement comes from.
    pub(crate) registry: Option<String>,
    /// What git authenticates with: the token (`[git] token-env`), `~/.ssh`, `.netrc`.
    pub(crate) git: GitAuth,
    /// The environment, for the variables `pluginkit.toml` names (`[registries.NAME]
    /// token-env`).
    pub(crate) environment: Environment,
    /// The host's kind, version and Python, found the first time a command reads plugins
    /// (finding them may run `[host] python`).
    facts: std::sync::OnceLock<HostFacts>,
}

impl Settings {
    /// Resolve the global options. `--plugins-dir` (or `PLUGINKIT_PLUGINS_DIR`, which clap folds
    /// into it) beats `[host] plugins-dir`, which beats `plugins/`.
    pub(crate) fn resolve(
        global: &GlobalArgs,
        environment: Environment,
    ) -> Result<Settings, Error> {
        let start = environment
            .cwd()
            .map_err(|e| Error::caused("cannot read the current folder", e))?
            .clone();
        let cwd = match &global.directory {
            Some(dir) => {
                let dir = start.join(dir);
                if !dir.is_dir() {
                    return Err(Error::user_hint(
                        format!("-C {}: no such folder", dir.display()),
                        "pass an existing folder to -C/--directory",
                    ));
                }
                dir
            }
            None => start,
        };
        let host = Host::discover(&cwd, |p| display_path(&cwd, p))?;
        let plugins_dir = match (&global.plugins_dir, &host.config.host.plugins_dir) {
            (Some(dir), _) => cwd.join(dir),
            (None, Some(dir)) => host.root.join(dir),
            (None, None) => host.root.join(
                host.kind
                    .as_ref()
                    .map_or("plugins", |kind| kind.value.default_plugins_dir()),
            ),
        };
        let git = GitAuth {
            token: environment.git_token(host.config.git.token_env.as_deref()),
            token_hosts: host.config.git.token_hosts.clone(),
            home: environment.home(),
            netrc: environment.netrc(),
        };
        Ok(Settings {
            flavor: global.flavor.or(host.config.host.flavor),
            interactive: !global.yes && !environment.ci() && environment.stdin_is_terminal(),
            cargo: Cargo::new(Some(environment.cargo())),
            pause_at: environment.pause_at(),
            download: download_options(&environment)?,
            cache_dir: client::cache_dir(environment.lookup()),
            registry: environment.registry(),
            git,
            cwd,
            host,
            plugins_dir,
            plugins_dir_given: global.plugins_dir.is_some(),
            environment,
            facts: std::sync::OnceLock::new(),
        })
    }

    /// The host's folders for the install transaction.
    pub(crate) fn dirs(&self) -> HostDirs {
        HostDirs {
            root: self.host.root.clone(),
            plugins: self.plugins_dir.clone(),
            state: self.host.root.join(".pluginkit"),
        }
    }

    /// A path as the user should see it: relative to the working folder when inside it.
    pub(crate) fn display(&self, path: &Path) -> String {
        display_path(&self.cwd, path)
    }

    /// The host's kind, version and Python, with why.
    pub(crate) fn host_facts(&self) -> &HostFacts {
        self.facts
            .get_or_init(|| crate::host::detect::facts(&self.host))
    }

    /// Settle the host's facts without running `[host] python` ([`detect::facts_without_running`]):
    /// for what must never start a program the host's configuration names.
    pub(crate) fn without_running_python(self) -> Self {
        let _ = self
            .facts
            .set(crate::host::detect::facts_without_running(&self.host));
        self
    }

    pub(crate) fn read_context(&self) -> ReadContext {
        ReadContext {
            host: self.host_facts().clone(),
            cargo: self.cargo.clone(),
        }
    }
}

/// Download timeouts and retries: the defaults, adjusted by the environment.
fn download_options(env: &Environment) -> Result<download::Options, Error> {
    let mut options = download::Options::default();
    if let Some(text) = &env.http_timeout() {
        let timeout = text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| *s > 0.0)
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .ok_or_else(|| {
                Error::usage(
                    format!("PLUGINKIT_HTTP_TIMEOUT={text} is not a number of seconds"),
                    "set it to a positive number of seconds, e.g. 60, or unset it",
                )
            })?;
        options.connect_timeout = timeout;
        options.read_timeout = timeout;
    }
    if let Some(text) = &env.http_retry_delay_ms() {
        let millis = text.trim().parse::<u64>().map_err(|_| {
            Error::usage(
                format!("PLUGINKIT_HTTP_RETRY_DELAY_MS={text} is not a number of milliseconds"),
                "set it to a whole number of milliseconds, e.g. 500, or unset it",
            )
        })?;
        options.retry_delay = Duration::from_millis(millis);
    }
    Ok(options)
}
