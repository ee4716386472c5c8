//! `pluginkit init`: find out what host the current folder is, and write the `pluginkit.toml`
//! that says so. The host kind comes from `--kind`, else the checkout's shape (an FBA checkout),
//! else the host's Python (a virtualenv beside the host with Flask-PluginKit or FastCMS
//! installed), else the flavor most of the plugins folder's plugins have. Nothing is written
//! when a `pluginkit.toml` is already there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Error;
use crate::host::detect::{self, Probe};
use crate::host::{HOST_FILE, plugins_folder};
use crate::plugin::flavor::Flavor;
use crate::plugin::host::{Decided, HostKind};
use crate::settings::Settings;
use crate::util::atomic::write_atomically;

/// Where virtualenvs beside a host usually are, as `[host] python` would name them.
const VENVS: &[&str] = &[
    ".venv/bin/python",
    "venv/bin/python",
    "env/bin/python",
    "backend/.venv/bin/python",
];

/// What `init` found and wrote.
#[derive(Debug, Serialize)]
pub(crate) struct Initialised {
    /// The file written, as shown.
    pub(crate) path: String,
    pub(crate) kind: Option<HostKind>,
    /// Why that kind (or why none).
    pub(crate) kind_reason: String,
    /// The plugins folder, relative to the host root.
    pub(crate) plugins_dir: String,
    /// How many plugins it holds now.
    pub(crate) plugins: usize,
    /// Whether `init` created it.
    pub(crate) created_plugins_dir: bool,
    /// The host's Python, relative to the host root, when one was found.
    pub(crate) python: Option<String>,
    /// The host's version, when it could be read, and from where.
    pub(crate) host_version: Option<String>,
    pub(crate) host_version_reason: Option<String>,
}

/// Detect the host in the working folder and write its `pluginkit.toml`.
pub(crate) fn init(
    settings: &Settings,
    kind: Option<HostKind>,
    plugins_dir: Option<&Path>,
) -> Result<Initialised, Error> {
    let root = &settings.cwd;
    let file = root.join(HOST_FILE);
    if file.symlink_metadata().is_ok() {
        return Err(Error::user_hint(
            format!("{} already exists", settings.display(&file)),
            "edit it (its keys are in README.md, \"pluginkit.toml\"), or remove it and run init again",
        ));
    }

    let python = VENVS
        .iter()
        .find(|rel| root.join(rel).is_file())
        .map(|rel| (rel.to_string(), detect::probe_python(&root.join(rel))));
    let probe = python.as_ref().and_then(|(_, p)| p.as_ref().ok());
    let fba = detect::is_fba_checkout(root);

    let mut kind: Option<Decided<HostKind>> = kind
        .map(|k| Decided::new(k, "--kind"))
        .or_else(|| {
            fba.then(|| {
                Decided::new(
                    HostKind::Fba,
                    "an FBA checkout: backend/plugin/ beside backend/__init__.py",
                )
            })
        })
        .or_else(|| kind_of_python(python.as_ref().map(|(rel, _)| rel.as_str()), probe));
    let plugins_rel: PathBuf = plugins_dir.map(Path::to_path_buf).unwrap_or_else(|| {
        PathBuf::from(
            kind.as_ref()
                .map_or("plugins", |k| k.value.default_plugins_dir()),
        )
    });
    let plugins_path = root.join(&plugins_rel);
    let (plugins, by_flavor) = count_plugins(settings, &plugins_path);
    if kind.is_none() {
        kind = kind_of_plugins(&plugins_rel, plugins, &by_flavor);
    }
    let kind_reason = match &kind {
        Some(kind) => kind.why.clone(),
        None => format!(
            "no host recognised: no FBA checkout, no virtualenv with Flask-PluginKit or FastCMS, and {}",
            if plugins == 0 {
                format!("no plugins in {}", slash(&plugins_rel))
            } else {
                format!("no host's plugins in {}", slash(&plugins_rel))
            }
        ),
    };
    let host_version = match kind.as_ref().map(|k| k.value) {
        Some(HostKind::Fba) => fba.then(|| detect::fba_version(root)).flatten(),
        Some(HostKind::FlaskPluginkit) => probe
            .and_then(|p| p.flask_pluginkit.clone())
            .map(|v| Decided::new(v, "installed in the host's Python")),
        Some(HostKind::Fastcms) => probe
            .and_then(|p| p.fastcms.clone())
            .map(|v| Decided::new(v, "installed in the host's Python")),
        Some(HostKind::ClassBased) | None => None,
    };

    // The plugins folder the file names exists afterwards (Flask-PluginKit also needs it to be a
    // package); one that is there is left as it is.
    let created = !plugins_path.exists();
    if created {
        std::fs::create_dir_all(&plugins_path)
            .and_then(|()| match kind.as_ref().map(|k| k.value) {
                Some(HostKind::FlaskPluginkit) => {
                    write_atomically(&plugins_path.join("__init__.py"), b"")
                }
                _ => Ok(()),
            })
            .map_err(|e| {
                Error::caused_hint(
                    format!("cannot create {}", settings.display(&plugins_path)),
                    "check that the folder is writable",
                    e,
                )
            })?;
    }

    let python_rel = python.as_ref().map(|(rel, _)| rel.clone());
    let text = render(
        kind.as_ref(),
        &kind_reason,
        &slash(&plugins_rel),
        python_rel.as_deref(),
        host_version.as_ref(),
    );
    write_atomically(&file, text.as_bytes()).map_err(|e| {
        Error::caused_hint(
            format!("cannot write {}", settings.display(&file)),
            "check that the folder is writable",
            e,
        )
    })?;
    Ok(Initialised {
        path: settings.display(&file),
        kind: kind.as_ref().map(|k| k.value),
        kind_reason,
        plugins_dir: slash(&plugins_rel),
        plugins,
        created_plugins_dir: created,
        python: python_rel,
        host_version: host_version.as_ref().map(|v| v.value.to_string()),
        host_version_reason: host_version.map(|v| v.why),
    })
}

/// The host kind a virtualenv's installed distributions say.
fn kind_of_python(rel: Option<&str>, probe: Option<&Probe>) -> Option<Decided<HostKind>> {
    let (rel, probe) = (rel?, probe?);
    if let Some(version) = &probe.flask_pluginkit {
        return Some(Decided::new(
            HostKind::FlaskPluginkit,
            format!("Flask-PluginKit {version} is installed for {rel}"),
        ));
    }
    probe.fastcms.as_ref().map(|version| {
        Decided::new(
            HostKind::Fastcms,
            format!("FastCMS (pyfastcms {version}) is installed for {rel}"),
        )
    })
}

/// The host kind most of the plugins folder's plugins are for.
fn kind_of_plugins(
    plugins_rel: &Path,
    plugins: usize,
    by_flavor: &BTreeMap<HostKind, usize>,
) -> Option<Decided<HostKind>> {
    let (kind, count) = by_flavor.iter().max_by_key(|(_, n)| **n)?;
    Some(Decided::new(
        *kind,
        format!(
            "{count} of the {plugins} plugins in {} are {} plugins",
            slash(plugins_rel),
            Flavor::of_host(*kind)
        ),
    ))
}

/// How many plugins the folder holds, and how many of them each host kind loads.
fn count_plugins(settings: &Settings, dir: &Path) -> (usize, BTreeMap<HostKind, usize>) {
    let mut by_kind = BTreeMap::new();
    if !dir.is_dir() {
        return (0, by_kind);
    }
    let shown = settings.display(dir);
    let Ok(scan) = plugins_folder::scan(
        dir,
        &shown,
        None,
        &settings.read_context(),
        plugins_folder::Keep::Checks { version_at: false },
    ) else {
        return (0, by_kind);
    };
    for installed in &scan.plugins {
        if let Some(kind) = installed.plugin.flavor.host_kind() {
            *by_kind.entry(kind).or_insert(0) += 1;
        }
    }
    (scan.plugins.len(), by_kind)
}

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The file `init` writes: what was detected, as settings, and what else can be set, as
/// comments.
fn render(
    kind: Option<&Decided<HostKind>>,
    kind_reason: &str,
    plugins_dir: &str,
    python: Option<&str>,
    version: Option<&Decided<semver::Version>>,
) -> String {
    let quote = |s: &str| toml_edit::Value::from(s).to_string();
    let mut out = String::from(
        "# The host whose plugins pluginkit manages; written by `pluginkit init`.\n\
         # Every key is described in pluginkit's README, \"pluginkit.toml\".\n\n[host]\n",
    );
    match kind {
        Some(kind) => {
            out.push_str(&format!("# Detected: {}.\n", kind_reason));
            out.push_str(&format!("kind = {}\n", quote(kind.value.as_str())));
        }
        None => {
            out.push_str(&format!("# Not detected: {kind_reason}.\n"));
            out.push_str(
                "# kind = \"flask-pluginkit\"  # or \"fba\", \"fastcms\", \"class-based\"\n",
            );
        }
    }
    out.push_str(&format!("plugins-dir = {}\n", quote(plugins_dir)));
    match python {
        Some(python) => out.push_str(&format!(
            "# The host's Python: its version judges the plugins' syntax, and it installs their requirements.\npython = {}\n",
            quote(python)
        )),
        None => out.push_str(
            "# The host's Python: its version judges the plugins' syntax, and it installs their requirements.\n# python = \".venv/bin/python\"\n",
        ),
    }
    match version {
        Some(version) => out.push_str(&format!(
            "# The host's version is read each time ({}: {}); pin it to judge by another version's rules:\n# version = {}\n",
            version.why,
            version.value,
            quote(&version.value.to_string())
        )),
        None => out.push_str(
            "# The host's version, when it cannot be read from the host: picks the rules of that version.\n# version = \"1.0.0\"\n",
        ),
    }
    out.push_str(
        "# The running server, for --reload:\n# pidfile = \"run/server.pid\"\n\n\
         # What `pluginkit sync` installs; `add` and `remove` edit it.\n[plugins]\n",
    );
    out
}
