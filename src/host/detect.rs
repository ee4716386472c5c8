//! What the host is, found from its checkout (DESIGN.md "Words"): its kind (`[host] kind`, else
//! an FBA checkout's shape), the version whose rules apply (`[host] version`, else FBA's
//! `__version__` in `backend/__init__.py`, else the Flask-PluginKit installed in `[host]
//! python`), and the Python that reads the plugins (`[host] python`'s own version).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use semver::Version;

use crate::host::Host;
use crate::plugin::host::{Decided, HostFacts, HostKind, PythonVersion};

/// FBA's `backend/__init__.py`, whose `__version__` is FBA's version.
pub(crate) const FBA_INIT: &str = "backend/__init__.py";
/// FBA's plugins folder.
pub(crate) const FBA_PLUGINS: &str = "backend/plugin";

/// How long `[host] python` may take to say its version before it is given up on.
const PYTHON_TIMEOUT: Duration = Duration::from_secs(20);

/// Whether `dir` is the root of an FBA checkout: `backend/plugin/` beside `backend/__init__.py`.
pub(crate) fn is_fba_checkout(dir: &Path) -> bool {
    dir.join(FBA_PLUGINS).is_dir() && dir.join(FBA_INIT).is_file()
}

/// The nearest folder from `start` upwards that is an FBA checkout.
pub(crate) fn find_fba_checkout(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| is_fba_checkout(dir))
        .map(Path::to_path_buf)
}

/// The host's kind: `[host] kind`, else what the root's shape says.
pub(crate) fn kind(host: &Host) -> Option<Decided<HostKind>> {
    if let Some(kind) = host.config.host.kind {
        return Some(Decided::new(kind, "[host] kind in pluginkit.toml"));
    }
    is_fba_checkout(&host.root).then(|| {
        Decided::new(
            HostKind::Fba,
            "an FBA checkout: backend/plugin/ beside backend/__init__.py",
        )
    })
}

/// Everything the readers need to know of `host`. Runs `[host] python` once when one is set.
pub(crate) fn facts(host: &Host) -> HostFacts {
    facts_with(host, true)
}

/// [`facts`] without running anything: `[host] python` is not asked, so the versions it would
/// tell are unknown (shell completion, which runs at every TAB, possibly in a checkout just
/// cloned).
pub(crate) fn facts_without_running(host: &Host) -> HostFacts {
    facts_with(host, false)
}

fn facts_with(host: &Host, run_python: bool) -> HostFacts {
    let kind = host.kind.clone();
    let python_path = host
        .config
        .host
        .python
        .as_ref()
        .filter(|_| run_python)
        .map(|p| resolve(host, p));
    // As the user wrote it, for the whys.
    let python_shown = host
        .config
        .host
        .python
        .as_ref()
        .map(|p| p.display().to_string());
    let probe = python_path.as_deref().map(probe_python);

    let version = if let Some(version) = &host.version {
        Some(Decided::new(
            version.clone(),
            "[host] version in pluginkit.toml",
        ))
    } else {
        let installed =
            |name: &str, pick: fn(&Probe) -> Option<Version>| match (&probe, &python_shown) {
                (Some(Ok(probe)), Some(shown)) => pick(probe).map(|v| {
                    Decided::new(v, format!("the {name} installed for [host] python {shown}"))
                }),
                _ => None,
            };
        match kind.as_ref().map(|k| k.value) {
            Some(HostKind::Fba) => fba_version(&host.root),
            Some(HostKind::FlaskPluginkit) | None => {
                installed("Flask-PluginKit", |p| p.flask_pluginkit.clone())
            }
            Some(HostKind::Fastcms) => installed("FastCMS (pyfastcms)", |p| p.fastcms.clone()),
            // The pattern is code in the app, not a distribution with a version.
            Some(HostKind::ClassBased) => None,
        }
    };

    let python = match (&probe, &python_shown) {
        (Some(Ok(probe)), Some(shown)) => Decided::new(
            probe.python,
            format!("the version of [host] python {shown}"),
        ),
        (Some(Err(why)), Some(shown)) => Decided::new(
            PythonVersion::DEFAULT,
            format!("the default: [host] python {shown} did not say its version ({why})"),
        ),
        _ => HostFacts::default().python,
    };
    HostFacts {
        kind,
        version,
        python,
    }
}

/// The host's Python: `[host] python` ([`resolve`]d), else `python3` on the PATH.
pub(crate) fn python(host: &Host) -> PathBuf {
    host.config
        .host
        .python
        .as_ref()
        .map_or_else(|| PathBuf::from("python3"), |p| resolve(host, p))
}

/// A relative `[host] python` with a folder in it is relative to the host root; a bare name is
/// looked up on the PATH.
fn resolve(host: &Host, python: &Path) -> PathBuf {
    if python.is_relative() && python.components().count() > 1 {
        host.root.join(python)
    } else {
        python.to_path_buf()
    }
}

/// FBA's version: the `__version__ = '1.13.4'` line of `backend/__init__.py`.
pub(crate) fn fba_version(root: &Path) -> Option<Decided<Version>> {
    let path = root.join(FBA_INIT);
    let text = crate::util::read::read_regular_text(&path, 1 << 20).ok()?;
    let version = text.lines().find_map(|line| {
        let rest = line.strip_prefix("__version__")?.trim_start();
        let rest = rest.strip_prefix('=')?.trim();
        let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        let inner = rest[1..].split(quote).next()?;
        Version::parse(inner.trim()).ok()
    })?;
    Some(Decided::new(version, format!("__version__ in {FBA_INIT}")))
}

/// What a Python interpreter says of itself.
#[derive(Debug)]
pub(crate) struct Probe {
    pub(crate) python: PythonVersion,
    /// The installed Flask-PluginKit's version.
    pub(crate) flask_pluginkit: Option<Version>,
    /// The installed FastCMS's (`pyfastcms`) version.
    pub(crate) fastcms: Option<Version>,
}

/// The script a Python runs for [`probe_python`]: its version, then the installed versions of
/// the hosts' distributions (an empty line for each one that is not installed).
const PROBE: &str = concat!(
    "import sys\n",
    "print('%d.%d' % sys.version_info[:2])\n",
    "from importlib.metadata import version\n",
    "for name in ('Flask-PluginKit', 'pyfastcms'):\n",
    "    try:\n",
    "        print(version(name))\n",
    "    except Exception:\n",
    "        print('')\n",
);

/// Ask `python` its version and which hosts' distributions it has installed; a Python that
/// does not answer in [`PYTHON_TIMEOUT`] is stopped.
pub(crate) fn probe_python(python: &Path) -> Result<Probe, String> {
    let mut child = Command::new(python)
        .args(["-I", "-c", PROBE])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > PYTHON_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no answer in {} s", PYTHON_TIMEOUT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(e.to_string()),
        }
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("it exited with {}", output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    let python = lines
        .next()
        .and_then(PythonVersion::parse)
        .ok_or("it printed no version")?;
    let mut installed = || lines.next().and_then(|v| Version::parse(v.trim()).ok());
    let flask_pluginkit = installed();
    let fastcms = installed();
    Ok(Probe {
        python,
        flask_pluginkit,
        fastcms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_is_valid_python() {
        // The machine's python3 (every host's Python is a python3): it answers its version.
        let probe = probe_python(Path::new("python3")).unwrap();
        assert!(probe.python.major == 3, "{probe:?}");
    }

    #[test]
    fn fba_version_is_read_from_its_init() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(FBA_PLUGINS)).unwrap();
        std::fs::write(
            dir.path().join(FBA_INIT),
            "import sqlalchemy as sa\n\n__version__ = '1.13.4'\n",
        )
        .unwrap();
        assert!(is_fba_checkout(dir.path()));
        let found = fba_version(dir.path()).unwrap();
        assert_eq!(found.value, Version::new(1, 13, 4));
        std::fs::write(dir.path().join(FBA_INIT), "__version__ = \"1.8.0\"\n").unwrap();
        assert_eq!(
            fba_version(dir.path()).unwrap().value,
            Version::new(1, 8, 0)
        );
        std::fs::write(dir.path().join(FBA_INIT), "VERSION = '1.8.0'\n").unwrap();
        assert!(fba_version(dir.path()).is_none());
    }
}
