//! The process environment, taken once at start: the environment variables, the working folder
//! and whether stdin is a terminal. This is the only place pluginkit reads environment
//! variables; everything else gets typed values from the settings (or, for variables that
//! `pluginkit.toml` names, such as `[registries.NAME] token-env`, [`Environment::var_os`] on
//! the snapshot the settings carry). Clap's `env = "..."` attributes read theirs at parse time.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::IsTerminal;
use std::path::PathBuf;

/// A snapshot of the process environment.
#[derive(Debug, Clone)]
pub(crate) struct Environment {
    vars: BTreeMap<OsString, OsString>,
    /// The working folder, or why it cannot be read.
    cwd: Result<PathBuf, String>,
    stdin_is_terminal: bool,
    /// The width of the terminal stdout is, when it is one.
    stdout_width: Option<usize>,
}

impl Environment {
    /// Take the snapshot of this process's environment.
    pub(crate) fn capture() -> Environment {
        Environment {
            vars: std::env::vars_os().collect(),
            cwd: std::env::current_dir().map_err(|e| e.to_string()),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stdout_width: terminal_size::terminal_size_of(std::io::stdout())
                .map(|(width, _)| usize::from(width.0)),
        }
    }

    /// The variable `name`, as the OS gives it.
    pub(crate) fn var_os(&self, name: &str) -> Option<&OsStr> {
        self.vars.get(OsStr::new(name)).map(OsString::as_os_str)
    }

    /// The variable `name` when it is set, valid Unicode and not empty.
    pub(crate) fn var(&self, name: &str) -> Option<String> {
        self.var_os(name)
            .and_then(OsStr::to_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// The working folder, or why it cannot be read.
    pub(crate) fn cwd(&self) -> Result<&PathBuf, &str> {
        self.cwd.as_ref().map_err(String::as_str)
    }

    pub(crate) fn stdin_is_terminal(&self) -> bool {
        self.stdin_is_terminal
    }

    /// How many columns a table may take: `COLUMNS` when it is a positive number (as `ls` and
    /// clap read it), else the width of the terminal stdout is; `None` in a pipe.
    pub(crate) fn columns(&self) -> Option<usize> {
        self.var("COLUMNS")
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .or(self.stdout_width)
    }

    /// `NO_COLOR` set to anything but the empty string: no colours for `--color auto`.
    pub(crate) fn no_color(&self) -> bool {
        self.var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    /// `CI` set to anything but empty, `false` or `0`: never prompt.
    pub(crate) fn ci(&self) -> bool {
        self.var_os("CI")
            .is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
    }

    /// The cargo program: `$CARGO` when set (cargo sets it for the tools it runs), else `cargo`
    /// from PATH. Whether it exists shows only if a crate plugin ever needs it.
    pub(crate) fn cargo(&self) -> PathBuf {
        self.var_os("CARGO")
            .filter(|v| !v.is_empty())
            .map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
    }

    /// `PLUGINKIT_TEST_PAUSE_AT`: a transaction step to stop at (the crash tests kill it there).
    pub(crate) fn pause_at(&self) -> Option<String> {
        self.var("PLUGINKIT_TEST_PAUSE_AT")
    }

    /// `PLUGINKIT_HTTP_TIMEOUT`: seconds to wait for a connection, and then for data, before a
    /// download attempt gives up (like cargo's `CARGO_HTTP_TIMEOUT`).
    pub(crate) fn http_timeout(&self) -> Option<String> {
        self.var("PLUGINKIT_HTTP_TIMEOUT")
    }

    /// `PLUGINKIT_HTTP_RETRY_DELAY_MS`: the wait before the first retry of a download, doubled
    /// for each next one (the tests make it short).
    pub(crate) fn http_retry_delay_ms(&self) -> Option<String> {
        self.var("PLUGINKIT_HTTP_RETRY_DELAY_MS")
    }

    /// `PLUGINKIT_REGISTRY`: the registry a plain `[plugins]` requirement comes from.
    pub(crate) fn registry(&self) -> Option<String> {
        self.var("PLUGINKIT_REGISTRY")
    }

    /// `GITHUB_WORKSPACE`: the checkout a GitHub Actions job runs in, which annotations and SARIF
    /// locations are relative to (GitHub attaches them to the repository's files by that path).
    pub(crate) fn github_workspace(&self) -> Option<PathBuf> {
        self.var_os("GITHUB_WORKSPACE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    }

    /// `HOME`, where `~/.ssh` and `~/.netrc` are.
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.var_os("HOME").map(PathBuf::from)
    }

    /// The `.netrc` file git reads: `$NETRC`, else `~/.netrc`.
    pub(crate) fn netrc(&self) -> Option<PathBuf> {
        self.var_os("NETRC")
            .map(PathBuf::from)
            .or_else(|| self.home().map(|home| home.join(".netrc")))
    }

    /// The token for git over https, from the variable `[git] token-env` names (else
    /// `PLUGINKIT_GIT_TOKEN`), unless it is blank.
    pub(crate) fn git_token(&self, token_env: Option<&str>) -> Option<String> {
        self.var_os(token_env.unwrap_or("PLUGINKIT_GIT_TOKEN"))
            .and_then(OsStr::to_str)
            .filter(|t| !t.trim().is_empty())
            .map(str::to_owned)
    }

    /// One of FBA's Redis settings (`REDIS_HOST`, `REDIS_PORT`, `REDIS_PASSWORD`,
    /// `REDIS_DATABASE`, `PLUGIN_REDIS_PREFIX`) as FBA's pydantic settings read the environment:
    /// by its exact name, and set even when empty (an empty `REDIS_PASSWORD` is "no password").
    pub(crate) fn fba_redis_setting(&self, name: &str) -> Option<String> {
        self.var_os(name).and_then(OsStr::to_str).map(str::to_owned)
    }

    /// A variable for reading by name, as the OS gives it (the cache folder's rules).
    pub(crate) fn lookup(&self) -> impl Fn(&str) -> Option<OsString> + '_ {
        |name| self.var_os(name).map(OsStr::to_os_string)
    }
}
