//! Everything a command needs to know from outside itself, resolved once: the working folder,
//! the host and its `pluginkit.toml`, the plugins folder, the pinned flavor, the output format and
//! whether prompting is allowed. Commands receive this and never read arguments or the
//! environment themselves.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{Format, GlobalArgs};
use crate::error::Error;
use crate::host::Host;
use crate::plugin::ReadContext;
use crate::plugin::cargo::Cargo;
use crate::plugin::flavor::Flavor;

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
}

/// What the environment says, gathered in one place so it is read once.
#[derive(Debug, Default)]
pub struct Environment {
    pub ci: bool,
    pub stdin_is_terminal: bool,
    /// The cargo program: `$CARGO` when set (cargo sets it for the tools it runs), else `cargo`
    /// from PATH. Whether it exists shows only if a crate plugin ever needs it.
    pub cargo: Option<PathBuf>,
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
            cwd,
            host,
            plugins_dir,
        })
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

/// `path` relative to `base` when it is inside it, with `/` separators; else as it is.
pub fn display_path(base: &Path, path: &Path) -> String {
    let shown = match path.strip_prefix(base) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    };
    shown.to_string_lossy().replace('\\', "/")
}
