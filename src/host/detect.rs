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
    let kind = host.kind.clone();
    let python_path = host.config.host.python.as_ref().map(|p| resolve(host, p));
    let probe = python_path.as_deref().map(probe_python);

    let version = if let Some(version) = &host.version {
        Some(Decided::new(
            version.clone(),
            "[host] version in pluginkit.toml",
        ))
    } else {
        match kind.as_ref().map(|k| k.value) {
            Some(HostKind::Fba) => fba_version(&host.root),
            Some(HostKind::FlaskPluginkit) | None => match (&probe, &python_path) {
                (Some(Ok(probe)), Some(path)) => probe.flask_pluginkit.clone().map(|v| {
                    Decided::new(
                        v,
                        format!("the Flask-PluginKit installed for {}", path.display()),
                    )
                }),
                _ => None,
            },
            Some(HostKind::Fastcms | HostKind::ClassBased) => None,
        }
    };

    let python = match (&probe, &python_path) {
        (Some(Ok(probe)), Some(path)) => Decided::new(
            probe.python,
            format!("the version of [host] python, {}", path.display()),
        ),
        (Some(Err(why)), Some(path)) => Decided::new(
            PythonVersion::DEFAULT,
            format!(
                "the default: [host] python, {}, did not say its version ({why})",
                path.display()
            ),
        ),
        _ => HostFacts::default().python,
    };
    HostFacts {
        kind,
        version,
        python,
    }
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
fn fba_version(root: &Path) -> Option<Decided<Version>> {
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

/// What `[host] python` says of itself.
#[derive(Debug)]
struct Probe {
    python: PythonVersion,
    flask_pluginkit: Option<Version>,
}

/// The script `[host] python` runs: its version, then the installed Flask-PluginKit's (an empty
/// line when there is none).
const PROBE: &str = "import sys\n\
print('%d.%d' % sys.version_info[:2])\n\
try:\n\
    from importlib.metadata import version\n\
    print(version('Flask-PluginKit'))\n\
except Exception:\n\
    print('')\n";

fn probe_python(python: &Path) -> Result<Probe, String> {
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
    let flask_pluginkit = lines.next().and_then(|v| Version::parse(v.trim()).ok());
    Ok(Probe {
        python,
        flask_pluginkit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
