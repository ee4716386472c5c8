//! Validation targets, for `validate` and `package`: a PATH is a `.zip` package, a plugin
//! folder or a whole plugins folder (with the checks across its plugins), and each gives its
//! findings, sorted by file and position, into one [`Report`].

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;
use crate::findings::report::Report;
use crate::findings::rules;
use crate::findings::{Finding, Location, SourceFile};
use crate::host::plugins_folder;
use crate::package::read as archive;
use crate::plugin::flavor::{self, Flavor};
use crate::plugin::names;
use crate::plugin::tree::{DirTree, Tree};
use crate::plugin::{Plugin, ReadContext, class_based, dependencies, read_plugin};
use crate::settings::Settings;
use crate::source::install_name;

/// Check `paths`, each a package, a plugin folder, a plugins folder, or a file inside a plugin
/// (which stands for its plugin: what pre-commit passes); without paths, the plugin the working
/// folder is in, else the plugins folder. Each plugin is checked once, however many paths name
/// it. With `strict`, warnings fail the report too; with `expect_version`, every plugin's version
/// must be that one.
pub(crate) fn validate(
    settings: &Settings,
    paths: &[PathBuf],
    strict: bool,
    expect_version: Option<&str>,
) -> Result<Report, Error> {
    let ctx = settings.read_context();
    let mut targets: Vec<(PathBuf, String)> = Vec::new();
    if paths.is_empty() {
        let target = plugin_around(settings, &settings.cwd, &ctx)
            .unwrap_or_else(|| settings.plugins_dir.clone());
        let shown = settings.display(&target);
        targets.push((target, if shown.is_empty() { ".".into() } else { shown }));
    }
    for p in paths {
        let path = settings.cwd.join(p);
        let shown = p.to_string_lossy().replace('\\', "/");
        let is_package = shown.to_ascii_lowercase().ends_with(".zip") || looks_like_zip(&path);
        if path.is_file() && !is_package {
            let plugin = path
                .parent()
                .and_then(|parent| plugin_around(settings, parent, &ctx))
                .ok_or_else(|| {
                    Error::user_hint(
                        format!("{shown} is a file in no plugin folder, and not a .zip package"),
                        "pass a plugin folder, a file inside one, a plugins folder, or a .zip package",
                    )
                })?;
            let shown = settings.display(&plugin);
            targets.push((plugin, shown));
        } else {
            targets.push((path, shown));
        }
    }
    // The same plugin (or package, or folder) named twice, or by two of its files: checked once.
    let mut seen = std::collections::HashSet::new();
    targets.retain(|(path, _)| seen.insert(path.canonicalize().unwrap_or_else(|_| path.clone())));

    let mut report = Report {
        findings: Vec::new(),
        checked: 0,
        strict,
    };
    for (path, shown) in &targets {
        check_target(settings, &ctx, path, shown, expect_version, &mut report)?;
    }
    Ok(report)
}

/// The plugin folder `start` is, or is inside: the nearest of it and its parents that holds a
/// plugin, looking no higher than the host root when there is a host (`pluginkit.toml`, or a
/// checkout a host kind is recognised from; the root may itself be the plugin), and as high as
/// it takes when there is none (a plugin developed in a folder of its own, as cargo finds its
/// package). The plugins folder is never one.
fn plugin_around(settings: &Settings, start: &Path, ctx: &ReadContext) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    let plugins = settings.plugins_dir.canonicalize().ok();
    let has_host = settings.host.file.is_some() || settings.host.kind.is_some();
    let root = has_host
        .then(|| settings.host.root.canonicalize().ok())
        .flatten();
    for dir in start.ancestors() {
        if plugins.as_deref() == Some(dir) {
            return None;
        }
        let tree = DirTree::new(dir.to_path_buf(), settings.display(dir));
        if read_plugin(&tree, settings.flavor, ctx)
            .is_some_and(|plugin| !is_python_plugins_folder(&tree, plugin.flavor, dir))
        {
            return Some(dir.to_path_buf());
        }
        if root.as_deref() == Some(dir) {
            return None;
        }
    }
    None
}

/// Check one PATH argument: a package, a plugin folder, or a plugins folder.
fn check_target(
    settings: &Settings,
    ctx: &ReadContext,
    path: &Path,
    shown: &str,
    expect_version: Option<&str>,
    report: &mut Report,
) -> Result<(), Error> {
    if path.is_file() {
        // Files inside a plugin were made their plugin's folder by `validate`: a file here is
        // a package.
        let plugin = check_package(settings, ctx, path, shown, Entries::Read, report);
        if let (Some(plugin), Some(tag)) = (plugin, expect_version) {
            report.findings.extend(version_mismatch(&plugin, tag));
        }
        return Ok(());
    }
    if !path.is_dir() {
        return Err(Error::user_hint(
            format!("{shown}: no such file or folder"),
            "pass a plugin folder, a plugins folder, or a .zip package",
        ));
    }
    let tree = DirTree::new(path.to_path_buf(), shown.to_owned());
    let plugin = read_plugin(&tree, settings.flavor, ctx)
        .filter(|plugin| !is_python_plugins_folder(&tree, plugin.flavor, path));
    if let Some(mut plugin) = plugin {
        report.checked += 1;
        if let Some(tag) = expect_version {
            plugin.findings.extend(version_mismatch(&plugin, tag));
        }
        let secrets = secret_files(path, &plugin, shown);
        plugin.findings.extend(secrets);
        // Flask-PluginKit imports a plugin as `<plugins folder>.<plugin>`: a plugin in the
        // host's plugins folder needs that folder to be a package. One being developed
        // elsewhere (what `pluginkit new` makes) is not judged by where it lies.
        if plugin.flavor == Flavor::FlaskPluginkit {
            let plugins_dir = settings.plugins_dir.canonicalize().ok();
            let parent = path
                .canonicalize()
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .filter(|parent| Some(parent) == plugins_dir.as_ref());
            if let Some(parent) = parent.filter(|p| !p.join("__init__.py").is_file()) {
                report
                    .findings
                    .push(plugins_folder::not_a_package(&settings.display(&parent)));
            }
        }
        push_sorted(&mut report.findings, plugin.findings);
        return Ok(());
    }

    let scan = plugins_folder::scan(
        path,
        shown,
        settings.flavor,
        ctx,
        plugins_folder::Keep::Checks {
            version_at: expect_version.is_some(),
        },
    )?;
    if scan.plugins.is_empty() && scan.others.is_empty() {
        // Nothing at all: a warning (an error with --strict), in every format.
        let what = match settings.flavor {
            Some(flavor) => format!("no plugin of the flavor {flavor}"),
            None => "no plugin: no folder with a plugin manifest".into(),
        };
        report.findings.push(
            Finding::new(&rules::NOT_A_PLUGIN, format!("{shown} holds {what}"))
                .help("pass a plugin's folder or the plugins folder (--plugins-dir), or pin the flavor with --flavor")
                .at(Location::file(&SourceFile::new(shown, None))),
        );
        return Ok(());
    }
    for other in &scan.others {
        report.findings.push(
            Finding::new(
                &rules::NOT_A_PLUGIN,
                format!("{other} holds no plugin manifest"),
            )
            .help("add a manifest, or move the folder out of the plugins folder")
            .at(Location::file(&SourceFile::new(other.clone(), None))),
        );
    }
    report.checked += scan.plugins.len();
    report.findings.extend(scan.findings);
    let plugins: Vec<&Plugin> = scan.plugins.iter().map(|i| &*i.plugin).collect();
    let mut cross = dependencies::check(&plugins);
    cross.extend(class_based::check(&plugins));
    // Each plugin's findings, sorted, and the rest of the plugin let go, on every core (a
    // plugins folder may hold 10,000 plugins); then in folder order.
    let per_plugin: Vec<Vec<Finding>> = scan
        .plugins
        .into_par_iter()
        .map(|installed| {
            let mut plugin = installed.plugin;
            if let Some(tag) = expect_version {
                plugin.findings.extend(version_mismatch(&plugin, tag));
            }
            let mut findings = std::mem::take(&mut plugin.findings);
            crate::findings::sort_by_place(&mut findings);
            findings
        })
        .collect();
    report.findings.extend(per_plugin.into_iter().flatten());
    report.findings.extend(cross);
    Ok(())
}

/// With a Python flavor pinned, any package reads as a plugin, the plugins folder too (it must
/// be a package for Flask-PluginKit). A package that carries no plugin metadata of its own but
/// holds packages is the plugins folder.
fn is_python_plugins_folder(tree: &DirTree, flavor: Flavor, path: &Path) -> bool {
    if !matches!(flavor, Flavor::FlaskPluginkit | Flavor::Fastcms)
        || flavor::detect(tree, None).is_some()
    {
        return false;
    }
    std::fs::read_dir(path).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|entry| entry.path().join("__init__.py").is_file())
    })
}

/// How much of a package's entries [`check_package`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entries {
    /// Their headers: names, types, sizes, ratios. Enough for a package pluginkit has just
    /// written itself.
    Headers,
    /// Their headers, then their data, streamed: sizes and checksums as an install checks them
    /// while it unpacks.
    Read,
}

/// Check the package at `path` (shown as `shown`): its entries and the plugin in it. Returns the
/// plugin (its findings moved into the report), when the package holds one.
pub(crate) fn check_package(
    settings: &Settings,
    ctx: &ReadContext,
    path: &Path,
    shown: &str,
    entries: Entries,
    report: &mut Report,
) -> Option<Plugin> {
    report.checked += 1;
    let limits = settings.host.config.limits.limits();
    let inspection = match entries {
        Entries::Headers => archive::inspect(path, shown, limits),
        Entries::Read => archive::inspect_all(path, shown, limits),
    };
    report.findings.extend(inspection.findings);
    let package = inspection.package?;
    match read_plugin(&package, settings.flavor, ctx) {
        Some(mut plugin) => {
            report
                .findings
                .extend(unusable_folder_name(&plugin, &package, shown));
            push_sorted(&mut report.findings, std::mem::take(&mut plugin.findings));
            Some(plugin)
        }
        None => {
            report.findings.push(
                Finding::new(
                    &rules::ARCHIVE_LAYOUT,
                    format!(
                        "{shown} holds no {} for the pinned flavor",
                        settings.flavor.map_or("manifest", |f| f.manifest_file())
                    ),
                )
                .help("check --flavor, or rebuild the package with `pluginkit package`")
                .at(Location::file(&SourceFile::new(shown, None))),
            );
            None
        }
    }
}

/// `--expect-version`'s finding for a plugin whose version is not `tag` (a leading `v` allowed),
/// at the place the version is written. FBA's plugin-release action makes the same check in
/// shell (fastapi-practices/plugin-release, action.yml: `plugin.toml`'s version must equal
/// `github.ref_name` without its `v`); this one reads every flavor and compares as versions.
fn version_mismatch(plugin: &Plugin, tag: &str) -> Option<Finding> {
    let expected = tag.strip_prefix('v').unwrap_or(tag);
    let declared = plugin.metadata.version.as_deref();
    if declared.is_some_and(|declared| same_version(plugin.flavor, declared, expected)) {
        return None;
    }
    let message = match declared {
        Some(declared) => format!(
            "{} is version {declared}, but --expect-version says {expected}",
            plugin.name()
        ),
        None => format!(
            "{} declares no version that can be read, but --expect-version says {expected}",
            plugin.name()
        ),
    };
    let location = plugin
        .metadata
        .version_at
        .clone()
        .unwrap_or_else(|| plugin.manifest_location());
    Some(
        Finding::new(&rules::EXPECTED_VERSION, message)
            .label(format!("expected {expected}"))
            .help(format!(
                "set the version to {expected}, or tag the release with the plugin's version"
            ))
            .at(location)
            .plugin(plugin.folder.clone()),
    )
}

/// Whether a plugin's `declared` version is `expected`: compared as the flavor's versions when
/// both parse as such (SemVer, by precedence, so build metadata does not count; PEP 440 for
/// FastCMS, whose plugins are Python packages, so `1.0` is `1.0.0`), else as text.
fn same_version(flavor: Flavor, declared: &str, expected: &str) -> bool {
    if flavor == Flavor::Fastcms {
        if let (Ok(declared), Ok(expected)) = (
            declared.parse::<pep440_rs::Version>(),
            expected.parse::<pep440_rs::Version>(),
        ) {
            return declared == expected;
        }
    } else if let (Ok(declared), Ok(expected)) = (
        semver::Version::parse(declared),
        semver::Version::parse(expected),
    ) {
        return declared.cmp_precedence(&expected).is_eq();
    }
    declared == expected
}

/// The refusal an install would make of the folder name the package's plugin installs under,
/// when it breaks the one rule of plugin folder names ([`names`]): a Python plugin whose top
/// folder is `__pycache__`, say. (A name the source cannot give at all is the flavor's
/// finding.)
fn unusable_folder_name(plugin: &Plugin, package: &dyn Tree, shown: &str) -> Option<Finding> {
    let name = install_name(plugin, package.archive_folder()).ok()?;
    let reason = names::refusal(&name)?;
    Some(
        Finding::new(
            &rules::ARCHIVE_LAYOUT,
            format!(
                "{shown} would install as `{}`, which {reason}",
                name.escape_debug()
            ),
        )
        .help("the host names this plugin after its folder: rename the package's top folder")
        .at(Location::file(&SourceFile::new(shown, None))),
    )
}

/// A warning for each file of the plugin folder `path` (shown as `shown`) that its package would
/// hold and that looks like a secret: `package` would refuse it. (A folder that cannot be walked
/// gives none here; `package` reports it.)
fn secret_files(path: &Path, plugin: &Plugin, shown: &str) -> Vec<Finding> {
    let Ok(found) = crate::package::build::secrets(path, plugin) else {
        return Vec::new();
    };
    found
        .into_iter()
        .map(|(rel, why)| {
            let file = match shown.trim_end_matches('/') {
                "" | "." => rel.clone(),
                base => format!("{base}/{rel}"),
            };
            Finding::new(
                &rules::SECRET_FILE,
                format!("{file} looks like a secret ({why}), so `pluginkit package` would refuse to pack it"),
            )
            .help(format!(
                "leave it out of the package with a line in the plugin's .pluginignore (`/{rel}`), or, if it must ship, pass `pluginkit package --allow-secret {rel}`; and rotate the key if it is a real one"
            ))
            .at(Location::file(&SourceFile::new(file, None)))
            .plugin(plugin.folder.clone())
        })
        .collect()
}

/// A ZIP file starts with a local file header (or, when empty, the end record).
fn looks_like_zip(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06")
}

/// Add one plugin's findings ordered by file and position, the order a reader scans them in.
fn push_sorted(out: &mut Vec<Finding>, mut findings: Vec<Finding>) {
    crate::findings::sort_by_place(&mut findings);
    out.extend(findings);
}
