//! Everything a command needs to know from outside itself, resolved once: the working folder,
//! the host and its `pluginkit.toml`, the plugins folder, the pinned flavor, the output format and
//! whether prompting is allowed. Commands receive this and never read arguments or the
//! environment themselves.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::{Format, GlobalArgs};
use crate::error::Error;
use crate::host::Host;
use crate::host::HostDirs;
use crate::plugin::ReadContext;
use crate::plugin::cargo::Cargo;
use crate::plugin::flavor::Flavor;
use crate::source::download;
use crate::util::paths::display_path;

#[derive(Debug)]
pub struct Settings {
    /// The working folder (after `-C`).
    pub cwd: PathBuf,
    pub host: Host,
    /// The plugins folder, absolute.
    pub plugins_dir: PathBuf,
    /// The flavor pinned by `--flavor` or `[host] flavor`.
    pub flavor: Option<Flavor>,
    /// The output format asked for; each command has its own default.
    pub format: Option<Format>,
    /// Whether prompts may appear (a terminal on stdin, no `--yes`, not in CI).
    pub interactive: bool,
    /// cargo, for crate plugins that inherit fields from their workspace.
    pub cargo: Cargo,
    /// A transaction step to stop at, for the crash tests.
    pub pause_at: Option<String>,
    /// Timeouts and retries for downloads.
    pub download: download::Options,
}

/// What the environment says, gathered in one place so it is read once.
#[derive(Debug, Default)]
pub struct Environment {
    pub ci: bool,
    pub stdin_is_terminal: bool,
    /// The cargo program: `$CARGO` when set (cargo sets it for the tools it runs), else `cargo`
    /// from PATH. Whether it exists shows only if a crate plugin ever needs it.
    pub cargo: Option<PathBuf>,
    /// `PLUGINKIT_TEST_PAUSE_AT`: a transaction step to stop at (the crash tests kill it there).
    pub pause_at: Option<String>,
    /// `PLUGINKIT_HTTP_TIMEOUT`: seconds to wait for a connection, and then for data, before a
    /// download attempt gives up (like cargo's `CARGO_HTTP_TIMEOUT`).
    pub http_timeout: Option<String>,
    /// `PLUGINKIT_HTTP_RETRY_DELAY_MS`: the wait before the first retry of a download, doubled
    /// for each next one (the tests make it short).
    pub http_retry_delay_ms: Option<String>,
}

impl Environment {
    pub fn from_process() -> Self {
        Environment {
            ci: std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0"),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            cargo: Some(
                std::env::var_os("CARGO")
                    .filter(|v| !v.is_empty())
                    .map_or_else(|| PathBuf::from("cargo"), PathBuf::from),
            ),
            pause_at: std::env::var("PLUGINKIT_TEST_PAUSE_AT")
                .ok()
                .filter(|v| !v.is_empty()),
            http_timeout: std::env::var("PLUGINKIT_HTTP_TIMEOUT")
                .ok()
                .filter(|v| !v.is_empty()),
            http_retry_delay_ms: std::env::var("PLUGINKIT_HTTP_RETRY_DELAY_MS")
                .ok()
                .filter(|v| !v.is_empty()),
        }
    }
}

impl Settings {
    /// Resolve the global options. `--plugins-dir` (or `PLUGINKIT_PLUGINS_DIR`, which clap folds
    /// into it) beats `[host] plugins-dir`, which beats `plugins/`.
    pub fn resolve(global: &GlobalArgs, env: &Environment) -> Result<Settings, Error> {
        let start = std::env::current_dir()
            .map_err(|e| Error::user(format!("cannot read the current folder: {e}")))?;
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
            (None, None) => host.root.join("plugins"),
        };
        Ok(Settings {
            flavor: global.flavor.or(host.config.host.flavor),
            format: global.format,
            interactive: !global.yes && !env.ci && env.stdin_is_terminal,
            cargo: Cargo::new(env.cargo.clone()),
            pause_at: env.pause_at.clone(),
            download: download_options(env)?,
            cwd,
            host,
            plugins_dir,
        })
    }

    /// The host's folders for the install transaction.
    pub fn dirs(&self) -> HostDirs {
        HostDirs {
            root: self.host.root.clone(),
            plugins: self.plugins_dir.clone(),
            state: self.host.root.join(".pluginkit"),
        }
    }

    /// A path as the user should see it: relative to the working folder when inside it.
    pub fn display(&self, path: &Path) -> String {
        display_path(&self.cwd, path)
    }

    pub fn read_context(&self) -> ReadContext {
        ReadContext {
            host_version: self.host.version.clone(),
            cargo: self.cargo.clone(),
        }
    }

    /// The format asked for, checked against the ones the command supports (the first is the
    /// default).
    pub fn format(&self, command: &str, supported: &[Format]) -> Result<Format, Error> {
        match self.format {
            None => Ok(supported[0]),
            Some(format) if supported.contains(&format) => Ok(format),
            Some(format) => Err(Error::usage(
                format!("`pluginkit {command}` has no `{}` format", format.as_str()),
                format!(
                    "use one of: {}",
                    supported
                        .iter()
                        .map(|f| f.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
}

/// Download timeouts and retries: the defaults, adjusted by the environment.
fn download_options(env: &Environment) -> Result<download::Options, Error> {
    let mut options = download::Options::default();
    if let Some(text) = &env.http_timeout {
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
    if let Some(text) = &env.http_retry_delay_ms {
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
