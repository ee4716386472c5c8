//! The plugins folder: reading every plugin in it (in parallel: 10,000 plugins is a real size),
//! and finding one by name. A link whose folder is gone (a `--link`ed plugin whose target was
//! moved or deleted) is no plugin, but is kept as [`Broken`], so that it is shown and can be
//! removed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::Error;
use crate::findings::rules;
use crate::findings::{Finding, Location, SourceFile};
use crate::host::state as host_state;
use crate::host::switch::{fastcms_rename, moved_out};
use crate::plugin::flavor::Flavor;
use crate::plugin::host::HostKind;
use crate::plugin::names;
use crate::plugin::tree::{DirTree, EntryKind, Parent};
use crate::plugin::{Plugin, ReadContext, read_plugin};
use crate::util::suggest;

/// A plugin found in the plugins folder, and where it lives. The plugin is boxed: a scan of
/// 10,000 plugins moves them from rayon's threads into one list, and a list of boxes is
/// 30 times smaller to build and move than one of plugins (BENCHMARKS.md).
#[derive(Debug)]
pub(crate) struct Installed {
    pub(crate) plugin: Box<Plugin>,
    pub(crate) dir: PathBuf,
}

/// Everything in a plugins folder.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Plugins, sorted by folder name.
    pub(crate) plugins: Vec<Installed>,
    /// FastCMS plugins switched off (`_NAME/`, which FastCMS does not load, so `validate`
    /// does not check them), sorted by folder name; and, where the operations add them
    /// (`ops::scan_plugins`), the class-based plugins moved into `.pluginkit/disabled/`.
    pub(crate) switched_off: Vec<Installed>,
    /// Folders that hold no plugin manifest, as shown to the user.
    pub(crate) others: Vec<String>,
    /// Links whose folder is gone, by name.
    pub(crate) broken: Vec<Broken>,
    /// Problems of the plugins folder itself.
    pub(crate) findings: Vec<Finding>,
}

/// A link in the plugins folder whose folder is gone.
#[derive(Debug, Clone)]
pub(crate) struct Broken {
    /// Its name in the plugins folder.
    pub(crate) name: String,
    /// The link, as shown.
    pub(crate) path: String,
    /// Where it points.
    pub(crate) target: PathBuf,
}

/// The link `dir/name` (a plain name) when it leads to no folder: where it points.
pub(crate) fn broken_link(dir: &Path, name: &str) -> Option<PathBuf> {
    let plain = !name.is_empty() && !name.contains(['/', '\\']) && !skipped(name);
    let link = dir.join(name);
    let is_link = std::fs::symlink_metadata(&link).is_ok_and(|m| m.is_symlink());
    if !plain || !is_link || link.is_dir() {
        return None;
    }
    std::fs::read_link(&link).ok()
}

/// Entries that are never plugins: hidden ones (pluginkit's own staging folders among them),
/// Python's own (`__pycache__`), and any other name no plugin can have ([`names`]).
/// What reading one folder of the plugins folder gave: its plugin, or the folder as shown when
/// it holds none (`None`: a folder to say nothing of).
type Reading = Result<Box<Plugin>, Option<String>>;

/// How much of each plugin a [`scan`] keeps.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Keep {
    /// Everything read, to show it.
    All,
    /// What checking it needs ([`Plugin::keep_for_checks`], with `version_at` as there).
    Checks { version_at: bool },
}

fn skipped(name: &str) -> bool {
    !names::is_valid(name)
}

/// Read every plugin in `dir` (shown as `shown`).
pub(crate) fn scan(
    dir: &Path,
    shown: &str,
    pinned: Option<Flavor>,
    ctx: &ReadContext,
    keep: Keep,
) -> Result<Scan, Error> {
    let listed = Parent::open(dir).and_then(|parent| Ok((parent.entries()?, parent)));
    let (entries, parent) = listed.map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::user_hint(
                format!("the plugins folder {shown} does not exist"),
                "create it, or point pluginkit at yours with --plugins-dir or [host] plugins-dir in pluginkit.toml",
            )
        } else {
            Error::user(format!("cannot read the plugins folder {shown}: {e}"))
        }
    })?;
    let parent = Arc::new(parent);
    let display = |name: &str| {
        if shown == "." {
            name.to_owned()
        } else {
            format!("{}/{name}", shown.trim_end_matches('/'))
        }
    };
    let mut broken = Vec::new();
    let mut folders: Vec<(String, PathBuf)> = Vec::with_capacity(entries.len());
    for entry in entries {
        if skipped(&entry.name) || entry.kind == EntryKind::Other {
            continue;
        }
        let path = entry.path_in(dir);
        // The entry's type comes with the listing; only links need a look at their target.
        if entry.kind == EntryKind::Folder || path.is_dir() {
            folders.push((entry.name, path));
        } else if let Ok(target) = std::fs::read_link(&path) {
            broken.push(Broken {
                path: display(&entry.name),
                name: entry.name,
                target,
            });
        }
    }
    // Names in one folder differ: no order among equals to keep. On every core (10,000 names).
    folders.par_sort_unstable();
    broken.sort_by(|a, b| a.name.cmp(&b.name));
    let read_one = |name: &str, path: &Path, flavor: Option<Flavor>| -> Reading {
        // From the plugins folder opened once, when the name is the folder's own (a lossy
        // rendering of one that is not UTF-8 has a U+FFFD in it).
        let tree = if !name.contains(char::REPLACEMENT_CHARACTER) {
            DirTree::in_parent(&parent, name, display(name))
        } else {
            DirTree::new(path.to_path_buf(), display(name))
        };
        let read = read_plugin(&tree, flavor, ctx).map(|mut plugin| {
            if let Keep::Checks { version_at } = keep {
                plugin.keep_for_checks(version_at);
            }
            plugin
        });
        match read {
            // FastCMS skips folders whose names start with `_`: `_NAME/` is the plugin NAME
            // switched off, where FastCMS's `_` rule is the switch and `NAME/` is not there.
            Some(mut plugin)
                if name.starts_with('_')
                    && fastcms_rename::applies(ctx.host.kind(), plugin.flavor) =>
            {
                match disabled_fastcms(dir, name, ctx) {
                    Some(enabled) => {
                        plugin.folder = enabled.to_owned();
                        Ok(Box::new(plugin))
                    }
                    None => Err(None),
                }
            }
            Some(plugin) => Ok(Box::new(plugin)),
            None => Err(Some(display(name))),
        }
    };
    let read: Vec<(String, PathBuf, Reading)> = folders
        .into_par_iter()
        .map(|(name, path)| {
            let result = read_one(&name, &path, pinned);
            (name, path, result)
        })
        .collect();

    // Flask-PluginKit and FastCMS try every package in their plugins folder. So when the
    // detected plugins are all of one Python flavor, a package without metadata is one of its
    // plugins with the metadata missing, not a folder to ignore.
    let python_flavors: std::collections::BTreeSet<Flavor> = read
        .iter()
        .filter_map(|(_, _, r)| r.as_ref().ok())
        .map(|plugin| plugin.flavor)
        .filter(|f| matches!(f, Flavor::FlaskPluginkit | Flavor::Fastcms))
        .collect();
    let sibling_flavor = match python_flavors.into_iter().collect::<Vec<_>>().as_slice() {
        [only] if pinned.is_none() => Some(*only),
        _ => None,
    };

    let mut scan = Scan {
        broken,
        plugins: Vec::with_capacity(read.len()),
        ..Scan::default()
    };
    for (name, path, item) in read {
        let item = match (item, sibling_flavor) {
            (Err(Some(_)), Some(flavor)) if path.join("__init__.py").is_file() => {
                read_one(&name, &path, Some(flavor))
            }
            (item, _) => item,
        };
        // The folder's path moves into its plugin: made once, on the listing's thread.
        match item.map(|plugin| Installed { plugin, dir: path }) {
            // Read as the plugin NAME switched off (its folder is `_NAME`, its name NAME); any
            // other folder starting with `_` is a plugin of its own.
            Ok(installed)
                if fastcms_rename::is_disabled_folder(&installed.dir)
                    && !installed.plugin.folder.starts_with('_') =>
            {
                scan.switched_off.push(installed)
            }
            Ok(installed) => scan.plugins.push(installed),
            Err(Some(other)) => scan.others.push(other),
            Err(None) => {}
        }
    }
    let flask = scan
        .plugins
        .iter()
        .any(|p| p.plugin.flavor == Flavor::FlaskPluginkit);
    if flask && !dir.join("__init__.py").is_file() {
        scan.findings.push(not_a_package(shown));
    }
    Ok(scan)
}

/// The plugin NAME that the FastCMS folder `_NAME` in `dir` holds switched off: in a FastCMS
/// host (or one of no known kind), when `NAME/` is not there.
fn disabled_fastcms<'a>(dir: &Path, folder: &'a str, ctx: &ReadContext) -> Option<&'a str> {
    let fastcms = matches!(ctx.host.kind(), Some(HostKind::Fastcms) | None);
    let name = fastcms_rename::plugin_name(folder)?;
    let free = std::fs::symlink_metadata(dir.join(name)).is_err();
    (fastcms && free && names::is_valid(name)).then_some(name)
}

/// The folder `_NAME/` in `dir` when it holds the FastCMS plugin `name` switched off (see
/// [`disabled_fastcms`]).
pub(crate) fn switched_off(
    dir: &Path,
    name: &str,
    pinned: Option<Flavor>,
    ctx: &ReadContext,
) -> Option<PathBuf> {
    let folder = fastcms_rename::disabled_folder(name);
    let path = dir.join(&folder);
    if !names::is_valid(name) || !path.is_dir() {
        return None;
    }
    disabled_fastcms(dir, &folder, ctx)?;
    let tree = DirTree::new(path.clone(), folder.clone());
    let plugin = read_plugin(&tree, pinned, ctx)?;
    fastcms_rename::applies(ctx.host.kind(), plugin.flavor).then_some(path)
}

/// The plugins moved out of the plugins folder `plugins` into `.pluginkit/disabled/` (in the
/// state folder `state`) by the class-based pattern's switch ([`moved_out`]), sorted by folder
/// name: those whose switch that is, and whose name is not taken in the plugins folder (the
/// host loads that one). Read only through real folders; a link there is no plugin.
pub(crate) fn scan_moved(
    state: &Path,
    plugins: &Path,
    shown: &str,
    pinned: Option<Flavor>,
    ctx: &ReadContext,
) -> Vec<Installed> {
    let dir = moved_out::dir(state);
    if !host_state::check_dir(state, &dir).unwrap_or(false) {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| moved(state, plugins, shown, &name, pinned, ctx))
        .collect()
}

/// The plugin `name` moved into `.pluginkit/disabled/` (see [`scan_moved`]; `shown` is that
/// folder as the user sees it).
pub(crate) fn moved(
    state: &Path,
    plugins: &Path,
    shown: &str,
    name: &str,
    pinned: Option<Flavor>,
    ctx: &ReadContext,
) -> Option<Installed> {
    let dir = moved_out::dir(state);
    let path = dir.join(name);
    let real = host_state::check_dir(state, &path).unwrap_or(false);
    let free = std::fs::symlink_metadata(plugins.join(name)).is_err();
    if !names::is_valid(name) || !real || !free {
        return None;
    }
    let tree = DirTree::new(
        path.clone(),
        format!("{}/{name}", shown.trim_end_matches('/')),
    );
    let plugin = read_plugin(&tree, pinned, ctx)?;
    moved_out::applies(ctx.host.kind(), plugin.flavor).then_some(Installed {
        plugin: Box::new(plugin),
        dir: path,
    })
}

/// The finding for a plugins folder that Flask-PluginKit will not load plugins from.
pub(crate) fn not_a_package(shown: &str) -> Finding {
    Finding::new(
        &rules::PLUGINS_NOT_PACKAGE,
        format!("the plugins folder {shown} is not a Python package, so Flask-PluginKit loads none of its plugins"),
    )
    .help(format!("create an empty {}/__init__.py", shown.trim_end_matches('/')))
    .at(Location::file(&SourceFile::new(shown, None)))
}

impl Scan {
    /// The plugin called `name` (its folder's name, or failing that its declared name).
    pub(crate) fn find(&self, name: &str) -> Result<&Installed, Error> {
        let all = || self.plugins.iter().chain(&self.switched_off);
        all()
            .find(|p| p.plugin.folder == name)
            .or_else(|| all().find(|p| p.plugin.name() == name))
            .ok_or_else(|| self.unknown(name))
    }

    fn unknown(&self, name: &str) -> Error {
        let names: Vec<&str> = self
            .plugins
            .iter()
            .map(|p| p.plugin.folder.as_str())
            .collect();
        let close = suggest::close(name, names.iter().copied());
        let hint = if !close.is_empty() {
            format!(
                "did you mean {}?",
                close
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )
        } else if names.is_empty() {
            "the plugins folder holds no plugins".into()
        } else {
            "`pluginkit list` shows the installed plugins".into()
        };
        Error::user_hint(format!("no plugin named `{name}` is installed"), hint)
    }
}

/// The plugin called `name`: the folder of that name when it holds a plugin (the common case,
/// read without scanning), else the plugin that declares that name.
pub(crate) fn lookup(
    dir: &Path,
    shown: &str,
    name: &str,
    pinned: Option<Flavor>,
    ctx: &ReadContext,
) -> Result<Installed, Error> {
    let direct = dir.join(name);
    let plain = !name.is_empty()
        && !name.contains(['/', '\\'])
        && name != "."
        && name != ".."
        && !skipped(name);
    if plain && direct.is_dir() {
        let display = if shown == "." {
            name.to_owned()
        } else {
            format!("{}/{name}", shown.trim_end_matches('/'))
        };
        if let Some(plugin) = read_plugin(&DirTree::new(direct.clone(), display), pinned, ctx) {
            return Ok(Installed {
                plugin: Box::new(plugin),
                dir: direct,
            });
        }
    }
    let scan = scan(dir, shown, pinned, ctx, Keep::All)?;
    let found = scan.find(name)?.dir.clone();
    scan.plugins
        .into_iter()
        .chain(scan.switched_off)
        .find(|p| p.dir == found)
        .ok_or_else(|| Error::user(format!("no plugin named `{name}` is installed")))
}
