//! `pluginkit add SOURCE...`: install plugins from ZIP files, ZIP URLs and local folders through
//! the install transaction (git and registries arrive with their own sources).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command as Process;

use serde::Serialize;

use crate::cli::{AddArgs, Format};
use crate::commands::{ExitStatus, reload};
use crate::error::Error;
use crate::findings::Finding;
use crate::findings::rules::Severity;
use crate::host::plugins::{Wanted, registry_entry};
use crate::output::{FindingsShown, Printer, WARNING};
use crate::package::read as archive;
use crate::plugin::state::{DISABLED_FILE, ENABLED_FILE};
use crate::plugin::tree::{DirTree, Tree};
use crate::plugin::{Plugin, read_plugin};
use crate::registry::{self, IndexVersion};
use crate::settings::Settings;
use crate::source::download;
use crate::source::git::{self, GitSource, Pin};
use crate::source::id::SourceId;
use crate::source::{self, Source};
use crate::transaction::staging::Staging;
use crate::transaction::{self as install, Context, Record};

/// How to install, from `add`'s flags (and `upgrade`'s).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub force: bool,
    pub disabled: bool,
    pub install_deps: bool,
    pub link: bool,
    pub sha256: Option<String>,
    /// The tree hash the installed files must have (`sync --locked`): anything else is refused
    /// before the plugins folder changes.
    pub expected_tree: Option<String>,
    /// The source to record instead of the one installed from (`sync --locked` installs a git
    /// plugin by its commit but records the pin the lock has).
    pub locked_source: Option<SourceId>,
}

impl Options {
    fn of(args: &AddArgs) -> Options {
        Options {
            force: args.force,
            disabled: args.disabled,
            install_deps: args.install_deps,
            link: args.link,
            sha256: args.sha256.clone(),
            ..Options::default()
        }
    }
}

#[derive(Serialize)]
pub struct AddedJson {
    pub name: String,
    pub version: Option<String>,
    pub flavor: String,
    pub path: String,
    pub source: SourceId,
    pub replaced: Option<String>,
    pub sha256: Option<String>,
}

pub fn run(settings: &Settings, printer: &Printer, args: AddArgs) -> anyhow::Result<ExitStatus> {
    let format = settings.format("add", &[Format::Human, Format::Json])?;
    let reload = reload::before_change(settings, printer, &args.reload)?;
    let git_flags = args.tag.is_some()
        || args.branch.is_some()
        || args.rev.is_some()
        || args.subdir.is_some()
        || args.semver.is_some();
    let sources: Vec<Source> = args
        .sources
        .iter()
        .map(|s| match Source::parse(s, &settings.cwd) {
            // A local repository is a git source when git flags say so, or when it is bare
            // (no working tree to copy); otherwise its working tree is copied as a folder.
            Source::Folder(path) if git_flags || git::is_bare_repository(&path) => {
                Source::Git(path.display().to_string())
            }
            source => source,
        })
        .collect();
    for source in &sources {
        match source {
            Source::ZipFile(_) | Source::ZipUrl(_) | Source::Folder(_) | Source::Git(_) => {}
            Source::Registry(text) => {
                crate::source::registry::parse_request(text)?;
            }
        }
    }
    if git_flags && !sources.iter().all(|s| matches!(s, Source::Git(_))) {
        return Err(Error::usage(
            "--tag, --branch, --rev, --subdir and --semver apply to git sources",
            "give a git URL or repository path, or leave these flags out",
        )
        .into());
    }
    if let Some(req) = &args.semver {
        if args.tag.is_none() {
            return Err(Error::usage(
                "--semver is the range `upgrade` moves a --tag pin within",
                "give it with --tag, e.g. --tag v1.2.0 --semver ^1.2",
            )
            .into());
        }
        semver::VersionReq::parse(req).map_err(|e| {
            Error::usage(
                format!("--semver {req} is not a SemVer requirement: {e}"),
                "write a range such as ^1.2 or >=1.2, <2",
            )
        })?;
    }
    if args.sha256.is_some()
        && !matches!(sources.as_slice(), [Source::ZipFile(_) | Source::ZipUrl(_)])
    {
        return Err(Error::usage(
            "--sha256 pins one ZIP archive",
            "give exactly one .zip SOURCE with --sha256",
        )
        .into());
    }
    if let Some(sha) = &args.sha256
        && !(sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(Error::usage(
            format!("--sha256 {sha} is not a sha256 checksum"),
            "give the 64 hexadecimal digits that `pluginkit package` or `sha256sum` prints",
        )
        .into());
    }
    if args.link && sources.iter().any(|s| !matches!(s, Source::Folder(_))) {
        return Err(Error::usage(
            "--link links a local folder",
            "use --link only with folder sources",
        )
        .into());
    }

    let lock = settings.lock_host(printer)?;
    let dirs = settings.txn();
    let options = Options::of(&args);
    let mut added = Vec::new();
    // Registry plugins are resolved together (a dependency two of them share is chosen once)
    // and fetched before anything is installed.
    let requests: Vec<&str> = sources
        .iter()
        .filter_map(|s| match s {
            Source::Registry(text) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    if !requests.is_empty() {
        added.extend(add_from_registry(
            settings, printer, &dirs, &requests, &args, &options,
        )?);
    }
    for source in &sources {
        let prepared = match source {
            Source::Git(given) => Prepared::Git(git_source(given, &args)),
            Source::Registry(_) => continue,
            _ => Prepared::Nothing,
        };
        added.push(add_one(
            settings, printer, &dirs, source, &prepared, &options,
        )?);
    }
    if format == Format::Json {
        printer.json(&added)?;
    } else {
        for a in &added {
            let version = a
                .version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default();
            match &a.replaced {
                Some(backup) => printer.out(format!(
                    "replaced {}{version} in {} (the old one is in {backup})",
                    a.name, a.path
                ))?,
                None => printer.out(format!("installed {}{version} into {}", a.name, a.path))?,
            }
        }
    }
    drop(lock);
    reload::after_change(settings, printer, reload, !added.is_empty())?;
    Ok(ExitStatus::Success)
}

/// The git source `given` names, with the pin the flags ask for; the URL loses any credentials.
fn git_source(given: &str, args: &AddArgs) -> GitSource {
    let pin = match (&args.tag, &args.branch, &args.rev) {
        (Some(tag), _, _) => Pin::Tag(tag.clone()),
        (_, Some(branch), _) => Pin::Branch(branch.clone()),
        (_, _, Some(rev)) => Pin::Rev(rev.clone()),
        _ => Pin::DefaultBranch,
    };
    GitSource {
        url: source::without_credentials(given).into_owned(),
        pin,
        subdir: args
            .subdir
            .as_deref()
            .map(|s| s.trim_matches('/').to_owned())
            .filter(|s| !s.is_empty()),
        semver: args.semver.clone(),
    }
}

/// What a source needs besides itself: the git pin, or the registry package fetched for it.
pub enum Prepared {
    Nothing,
    Git(GitSource),
    Registry(RegistryPackage),
}

/// A registry plugin's package, resolved and fetched (verified, in the cache).
pub struct RegistryPackage {
    pub name: String,
    pub version: IndexVersion,
    pub path: std::path::PathBuf,
    /// The package's absolute URL, as `pluginkit.lock` records it.
    pub url: String,
    /// What `[plugins]` records for it: for what the user asked for, not for dependencies.
    pub plugins_entry: Option<String>,
}

/// Resolve and fetch the registry plugins `requests` (`NAME` or `NAME@REQ`), then install
/// them, dependencies first.
fn add_from_registry(
    settings: &Settings,
    printer: &Printer,
    dirs: &Context,
    requests: &[&str],
    args: &AddArgs,
    options: &Options,
) -> Result<Vec<AddedJson>, Error> {
    let registry = crate::ops::resolve::open(settings, args.registry.as_deref(), args.offline)?;
    let mut wanted = Vec::new();
    let mut written = BTreeMap::new();
    for text in requests {
        let (name, req, as_written) = crate::source::registry::parse_request(text)?;
        refuse_existing(dirs, &name, options.force)?;
        written.insert(name.clone(), Some(as_written));
        wanted.push((name, req));
    }
    install_from_registry(
        settings, printer, dirs, &registry, &wanted, &written, options,
    )
}

/// Resolve `wanted` in `registry`, fetch the packages and install them, dependencies first.
/// `entries` are the plugins asked for, with the requirement to record in `[plugins]` as the
/// user wrote it (`Some(None)`: record `^VERSION`; `None`: leave `[plugins]` alone).
pub fn install_from_registry(
    settings: &Settings,
    printer: &Printer,
    dirs: &Context,
    registry: &registry::client::Registry,
    wanted: &[(String, semver::VersionReq)],
    entries: &BTreeMap<String, Option<Option<String>>>,
    options: &Options,
) -> Result<Vec<AddedJson>, Error> {
    let mut installed = installed_versions(settings);
    for (name, _) in wanted {
        installed.remove(name);
    }
    let chosen = crate::source::registry::plan(
        printer,
        registry,
        wanted,
        settings.host.version.as_ref(),
        &installed,
    )?;
    let paths = crate::source::registry::fetch_all(registry, &chosen, printer)?;
    // Every package is checked before the first is installed, so a plugin the host refuses
    // leaves its dependencies uninstalled too.
    for (c, path) in chosen.iter().zip(&paths) {
        precheck_package(settings, printer, path, &c.name, &c.version.version)?;
    }
    let default_registry = crate::ops::resolve::default_name(settings);
    let mut added = Vec::new();
    for (chosen, path) in chosen.into_iter().zip(paths) {
        let plugins_entry = entries
            .get(&chosen.name)
            .cloned()
            .flatten()
            .map(|as_written| {
                let req = as_written.unwrap_or_else(|| format!("^{}", chosen.version.version));
                registry_entry(
                    &req,
                    Some(registry.name()).filter(|n| Some(*n) != default_registry.as_deref()),
                )
            });
        // A dependency already installed at a version that does not fit is replaced.
        let force = options.force || !entries.contains_key(&chosen.name);
        let package = RegistryPackage {
            url: registry.package_url(&chosen.version),
            name: chosen.name.clone(),
            version: chosen.version,
            path,
            plugins_entry,
        };
        let options = Options {
            force,
            ..options.clone()
        };
        added.push(add_one(
            settings,
            printer,
            dirs,
            &Source::Registry(package.name.clone()),
            &Prepared::Registry(package),
            &options,
        )?);
    }
    Ok(added)
}

/// The plugins in the plugins folder, by name, with their versions.
pub fn installed_versions(settings: &Settings) -> BTreeMap<String, semver::Version> {
    versions_of(&installed_manifests(settings))
}

/// The versions in `manifests` (the plugins that have a SemVer one).
pub fn versions_of(manifests: &Manifests) -> BTreeMap<String, semver::Version> {
    manifests
        .iter()
        .filter_map(|(name, (version, _))| Some((name.clone(), version.clone()?)))
        .collect()
}

/// Each installed plugin's version and what its manifest depends on.
pub type Manifests = BTreeMap<
    String,
    (
        Option<semver::Version>,
        Vec<(String, Option<semver::VersionReq>)>,
    ),
>;

/// The plugins in the plugins folder, by folder name: the version of each and what its manifest
/// depends on (with the requirements).
pub fn installed_manifests(settings: &Settings) -> Manifests {
    let Ok(scan) = settings.scan_plugins() else {
        return BTreeMap::new();
    };
    scan.plugins
        .iter()
        .filter_map(|p| {
            let name = p.dir.file_name()?.to_str()?.to_owned();
            let version = p
                .plugin
                .metadata
                .version
                .as_deref()
                .and_then(|v| semver::Version::parse(v).ok());
            let deps = p
                .plugin
                .metadata
                .dependencies
                .iter()
                .map(|d| (d.name.clone(), d.requirement.clone()))
                .collect();
            Some((name, (version, deps)))
        })
        .collect()
}

/// Install one source through the transaction, with what `prepared` fetched for it.
pub fn add_one(
    settings: &Settings,
    printer: &Printer,
    dirs: &Context,
    source: &Source,
    prepared: &Prepared,
    args: &Options,
) -> Result<AddedJson, Error> {
    let staging = Staging::new(&dirs.dirs)?;
    let mut recorded = None;
    let (plugin, name, archive_sha256, files) = match source {
        Source::ZipFile(path) => {
            let shown = settings.display(path);
            if !path.is_file() {
                return Err(Error::user_hint(
                    format!("{shown}: no such file"),
                    "give the path of a .zip package",
                ));
            }
            let hash = || {
                crate::util::hash::hash_file(path)
                    .map_err(|e| Error::user(format!("cannot read {shown}: {e}")))
            };
            let stage = || stage_zip(settings, printer, dirs, &staging, path, &shown, args);
            let (sha256, (plugin, name, files)) = if let Some(pin) = &args.sha256 {
                // A pinned package is checked before anything else is said about it.
                let sha256 = hash()?;
                check_pin(pin, &sha256, &shown)?;
                (sha256, stage()?)
            } else {
                // Otherwise its sha256 (for pluginkit.lock) is taken on another thread while
                // it is checked and unpacked: the same bytes, read from the page cache twice
                // at once rather than one pass after the other.
                std::thread::scope(|scope| {
                    let hashing = scope.spawn(hash);
                    let staged = stage();
                    let sha256 = hashing
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    Ok::<_, Error>((sha256?, staged?))
                })?
            };
            (plugin, name, Some(sha256), Some(files))
        }
        Source::ZipUrl(url) => {
            let shown = source::without_credentials(url);
            if shown != url.as_str() {
                printer.note(format!(
                    "{}: the user name and password in the URL are used for this download only, never written to pluginkit.lock or pluginkit.toml",
                    printer.paint_err(WARNING, "warning")
                ));
            }
            // Inside the staging folder, so a failed or killed download leaves nothing behind;
            // the leading dot keeps it apart from the plugin's folder (names never start so).
            let path = staging.dir.join(".download.zip");
            let downloaded = download::download(url, &path, &settings.download, printer)?;
            printer.debug(format_args!(
                "downloaded {shown}: {} bytes, sha256 {}",
                downloaded.size, downloaded.sha256
            ));
            if let Some(pin) = &args.sha256 {
                check_pin(pin, &downloaded.sha256, &shown)?;
            }
            let (plugin, name, files) =
                stage_zip(settings, printer, dirs, &staging, &path, &shown, args)?;
            (plugin, name, Some(downloaded.sha256), Some(files))
        }
        Source::Folder(path) => {
            let shown = settings.display(path);
            if !path.is_dir() {
                return Err(Error::user_hint(
                    format!("{shown}: no such folder"),
                    "give the path of a plugin folder",
                ));
            }
            let tree = DirTree::source(path.clone(), shown.clone());
            let ctx = settings.read_context();
            let plugin = checked_plugin(settings, printer, &tree, &ctx, &shown)?;
            let name = source::install_name(&plugin, tree.archive_folder())?;
            refuse_existing(dirs, &name, args.force)?;
            if args.link {
                link(path, &staging.plugin_dir(&name))?;
            } else {
                source::copy_plugin(path, &staging.plugin_dir(&name))?;
            }
            (plugin, name, None, None)
        }
        Source::Git(given) => {
            let Prepared::Git(spec) = prepared else {
                unreachable!("a git source comes with its spec")
            };
            let (plugin, name, checked_out) =
                stage_git(settings, printer, dirs, &staging, given, spec, args)?;
            recorded = Some((
                SourceId::git(spec, &checked_out.commit),
                Wanted::Git(spec.clone()).entry(),
            ));
            (plugin, name, None, Some(checked_out.files))
        }
        Source::Registry(_) => {
            let Prepared::Registry(package) = prepared else {
                unreachable!("a registry source comes with its package")
            };
            let shown = format!("{} {}", package.name, package.version.version);
            let (plugin, name, files) = stage_zip(
                settings,
                printer,
                dirs,
                &staging,
                &package.path,
                &shown,
                args,
            )?;
            // The registry's word is checked against the package's own.
            check_registry_word(&plugin, &name, &package.name, &package.version.version)?;
            recorded = Some((
                SourceId::registry(&package.url),
                package.plugins_entry.clone().unwrap_or_default(),
            ));
            (
                plugin,
                name,
                Some(package.version.sha256.clone()),
                Some(files),
            )
        }
    };
    let (mut locked, plugins_entry) = recorded.unwrap_or_else(|| {
        (
            match source {
                Source::ZipFile(path) => SourceId::zip_file(path),
                Source::Folder(path) => SourceId::folder(path),
                Source::ZipUrl(url) => SourceId::zip_url(url),
                Source::Git(_) | Source::Registry(_) => {
                    unreachable!("git and registry sources are recorded above")
                }
            },
            source
                .plugins_entry(&dirs.dirs.root, archive_sha256.as_deref(), args.link)
                .unwrap_or_default(),
        )
    });
    if let Some(source) = &args.locked_source {
        locked.clone_from(source);
    }
    let staged = staging.plugin_dir(&name);
    if let Some(expected) = &args.expected_tree {
        let hashed = match &files {
            Some(files) => files.clone(),
            None => crate::host::receipts::hash_tree(&staged)
                .map_err(|e| install::io_error("cannot read the staged plugin", e))?,
        };
        let tree = crate::util::hash::tree_hash(&hashed);
        if &tree != expected {
            return Err(Error::user_hint(
                format!(
                    "{name} from {locked} is not what pluginkit.lock records: its files hash to {tree}, not {expected}"
                ),
                "the source changed since the lock was written; nothing was installed. Run `pluginkit sync` without --locked to take the new version into the lock",
            ));
        }
    }
    if args.disabled {
        std::fs::write(staged.join(DISABLED_FILE), "")
            .map_err(|e| install::io_error("cannot write the DISABLED marker", e))?;
    } else if !args.link {
        // A replaced plugin's state goes to its replacement: switched off stays off.
        for marker in [ENABLED_FILE, DISABLED_FILE] {
            let old = dirs.dirs.plugins.join(&name).join(marker);
            if old.is_file() && !staged.join(marker).exists() {
                std::fs::write(staged.join(marker), "")
                    .map_err(|e| install::io_error("cannot carry the state marker over", e))?;
            }
        }
    }
    requirements(
        settings,
        printer,
        &staged,
        &dirs.dirs.plugins.join(&name),
        args.install_deps,
    )?;
    let record = Record {
        name: name.clone(),
        version: plugin.metadata.version.clone(),
        flavor: plugin.flavor.as_str().to_owned(),
        source: locked.clone(),
        archive_sha256: archive_sha256.clone(),
        files,
        plugins_entry: Some(plugins_entry).filter(|e| !e.is_empty()),
        dependencies: dependency_names(&plugin),
    };
    let installed = install::commit_install(dirs, &staging, record, args.force)?;
    Ok(AddedJson {
        name,
        version: plugin.metadata.version.clone(),
        flavor: plugin.flavor.as_str().to_owned(),
        path: settings.display(&installed.path),
        source: locked,
        replaced: installed.replaced.map(|p| settings.display(&p)),
        sha256: archive_sha256,
    })
}

/// The names of the plugins `plugin` depends on.
fn dependency_names(plugin: &Plugin) -> Vec<String> {
    plugin
        .metadata
        .dependencies
        .iter()
        .map(|d| d.name.clone())
        .collect()
}

/// Refuse a package whose sha256 is not the one `--sha256` pins.
fn check_pin(expected: &str, actual: &str, shown: &str) -> Result<(), Error> {
    if expected.eq_ignore_ascii_case(actual) {
        return Ok(());
    }
    Err(Error::user_hint(
        format!("{shown} has sha256 {actual}, not the {expected} that --sha256 expects"),
        "the archive is not the one you meant to install; nothing was installed",
    ))
}

/// The hashes of the files a package unpacked, for the receipt.
type Unpacked = BTreeMap<String, String>;

/// Check the ZIP package at `path` (its entries, the plugin in it) and unpack it into the
/// staging folder. Returns the plugin, the name it installs under and the unpacked files'
/// hashes. `shown` is how the user named the package: its path or URL.
fn stage_zip(
    settings: &Settings,
    printer: &Printer,
    dirs: &Context,
    staging: &Staging,
    path: &Path,
    shown: &str,
    args: &Options,
) -> Result<(Plugin, String, Unpacked), Error> {
    let ctx = settings.read_context();
    let inspection = archive::inspect(path, shown, settings.host.config.limits.limits());
    refuse_findings(printer, &inspection.findings, shown)?;
    let package = inspection
        .package
        .ok_or_else(|| Error::user(format!("cannot read {shown}")))?;
    let plugin = checked_plugin(settings, printer, &package, &ctx, shown)?;
    let name = source::install_name(&plugin, package.archive_folder())?;
    refuse_existing(dirs, &name, args.force)?;
    let files = package
        .extract_to(&staging.plugin_dir(&name))
        .map_err(|e| {
            Error::user_hint(
                format!("cannot unpack {shown}: {e}"),
                "the archive is damaged; nothing was installed",
            )
        })?;
    Ok((plugin, name, files))
}

/// Check a registry package as an install will, without unpacking it or saying anything unless
/// it is refused: the archive's entries, the plugin's manifest, and that it is the plugin and
/// version the registry's index says.
fn precheck_package(
    settings: &Settings,
    printer: &Printer,
    path: &Path,
    name: &str,
    version: &str,
) -> Result<(), Error> {
    let shown = format!("{name} {version}");
    let inspection = archive::inspect(path, &shown, settings.host.config.limits.limits());
    let has_errors =
        |findings: &[Finding]| findings.iter().any(|f| f.severity() == Severity::Error);
    if has_errors(&inspection.findings) {
        return refuse_findings(printer, &inspection.findings, &shown);
    }
    let package = inspection
        .package
        .ok_or_else(|| Error::user(format!("cannot read {shown}")))?;
    let Some(plugin) = read_plugin(&package, settings.flavor, &settings.read_context()) else {
        return Err(Error::user_hint(
            format!("the registry's package of {shown} holds no plugin manifest"),
            "the registry's index is wrong about this package; nothing was installed",
        ));
    };
    if has_errors(&plugin.findings) {
        return refuse_findings(printer, &plugin.findings, &shown);
    }
    let installs_as = source::install_name(&plugin, package.archive_folder())?;
    check_registry_word(&plugin, &installs_as, name, version)
}

/// Refuse a registry package whose plugin (installing as `installs_as`) is not the `name` and
/// `version` the registry's index gives it.
fn check_registry_word(
    plugin: &Plugin,
    installs_as: &str,
    name: &str,
    version: &str,
) -> Result<(), Error> {
    if installs_as == name && plugin.metadata.version.as_deref() == Some(version) {
        return Ok(());
    }
    Err(Error::user_hint(
        format!(
            "the registry's package of {name} {version} holds {installs_as} {}",
            plugin.metadata.version.as_deref().unwrap_or("(no version)")
        ),
        "the registry's index is wrong about this package; nothing was installed",
    ))
}

/// Fetch the git source into the staging folder, check the plugin in it, and move it to where
/// it installs from. Returns the plugin, its name and what was checked out.
fn stage_git(
    settings: &Settings,
    printer: &Printer,
    dirs: &Context,
    staging: &Staging,
    given: &str,
    spec: &GitSource,
    args: &Options,
) -> Result<(Plugin, String, git::CheckedOut), Error> {
    let token_env = settings.host.config.git.token_env.as_deref();
    let credentials = git::Credentials::for_url(given, token_env);
    if spec.url != given {
        printer.note(format!(
            "{}: the credentials in the URL are used for this install only, never written to pluginkit.lock or pluginkit.toml",
            printer.paint_err(WARNING, "warning")
        ));
    }
    let fetcher = git::Fetcher {
        source: spec,
        url: given,
        credentials: &credentials,
        printer,
    };
    // Dotted names, so they can never be a plugin's; the checkout's own folder is named as the
    // repository (or --subdir) is, which is what a Python host's plugin is named after.
    let scratch = staging.dir.join(".git-fetch");
    let folder = git::folder_name(spec);
    let checkout = staging.dir.join(".git-checkout").join(&folder);
    let checked_out =
        fetcher.checkout(&scratch, &checkout, settings.host.config.limits.limits())?;
    // The fetched objects are not needed any more; the staging folder would go anyway.
    let _ = std::fs::remove_dir_all(&scratch);
    let at = match &spec.subdir {
        Some(subdir) => format!(
            "{} ({subdir} at {})",
            spec.url,
            git::short(&checked_out.commit)
        ),
        None => format!("{} at {}", spec.url, git::short(&checked_out.commit)),
    };
    printer.debug(format_args!(
        "checked out {at}: {} files",
        checked_out.files.len()
    ));
    let tree = DirTree::source(checkout.clone(), at.clone());
    let ctx = settings.read_context();
    let Some(plugin) = read_plugin(&tree, settings.flavor, &ctx) else {
        return Err(Error::user_hint(
            format!(
                "{at} holds no plugin manifest{}",
                if spec.subdir.is_some() {
                    ""
                } else {
                    " at the repository's root"
                }
            ),
            "a plugin has plugin.toml, Cargo.toml with [package.metadata.pluginkit], or __init__.py with plugin metadata; for a plugin in a folder of the repository, add --subdir PATH",
        ));
    };
    refuse_findings(printer, &plugin.findings, &at)?;
    let name = source::install_name(&plugin, Some(&folder))?;
    refuse_existing(dirs, &name, args.force)?;
    std::fs::rename(&checkout, staging.plugin_dir(&name))
        .map_err(|e| install::io_error("cannot move the checkout into place", e))?;
    Ok((plugin, name, checked_out))
}

/// Refuse early, before anything is unpacked, to replace an installed plugin without `--force`.
fn refuse_existing(dirs: &Context, name: &str, force: bool) -> Result<(), Error> {
    let target = dirs.dirs.plugins.join(name);
    if !force && std::fs::symlink_metadata(&target).is_ok() {
        return Err(Error::user_hint(
            format!(
                "a plugin named `{name}` is already installed in {}",
                target.display()
            ),
            "pass --force to replace it (the installed one is kept as a backup), or remove it first",
        ));
    }
    Ok(())
}

/// Read and validate the plugin in `tree`, refusing it (with its findings) when it has errors.
fn checked_plugin(
    settings: &Settings,
    printer: &Printer,
    tree: &dyn Tree,
    ctx: &crate::plugin::ReadContext,
    shown: &str,
) -> Result<Plugin, Error> {
    let Some(plugin) = read_plugin(tree, settings.flavor, ctx) else {
        return Err(Error::user_hint(
            format!("{shown} holds no plugin manifest"),
            "a plugin has plugin.toml, Cargo.toml with [package.metadata.pluginkit], or __init__.py with plugin metadata",
        ));
    };
    refuse_findings(printer, &plugin.findings, shown)?;
    Ok(plugin)
}

/// Show findings; refuse when any is an error.
fn refuse_findings(printer: &Printer, findings: &[Finding], shown: &str) -> Result<(), Error> {
    let errors = printer.findings(findings, FindingsShown::Always).errors;
    if errors > 0 {
        return Err(Error::user_hint(
            format!(
                "refusing to install {shown}: {errors} error{}",
                if errors == 1 { "" } else { "s" }
            ),
            "fix what is reported above; nothing was installed",
        ));
    }
    Ok(())
}

fn link(target: &Path, at: &Path) -> Result<(), Error> {
    let target = target
        .canonicalize()
        .map_err(|e| Error::user(format!("cannot resolve {}: {e}", target.display())))?;
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink(&target, at);
    #[cfg(windows)]
    let made = std::os::windows::fs::symlink_dir(&target, at);
    made.map_err(|e| Error::user(format!("cannot link {}: {e}", target.display())))
}

/// Show the plugin's `requirements.txt`, and install it with `--install-deps` (uv when it is
/// there, else the host's Python's pip). A failure stops the install before anything changed.
fn requirements(
    settings: &Settings,
    printer: &Printer,
    staged: &Path,
    installed: &Path,
    install_deps: bool,
) -> Result<(), Error> {
    let file = staged.join("requirements.txt");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Ok(());
    };
    let wanted: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    if !install_deps {
        printer.note(format!(
            "this plugin needs Python packages (requirements.txt): {}\n  install them with --install-deps, or: python -m pip install -r {}",
            wanted.join(", "),
            settings.display(&installed.join("requirements.txt"))
        ));
        return Ok(());
    }
    let python = settings
        .host
        .config
        .host
        .python
        .clone()
        .unwrap_or_else(|| "python3".into());
    let uv = Process::new("uv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut command = if uv {
        let mut c = Process::new("uv");
        c.args(["pip", "install", "--python"])
            .arg(&python)
            .arg("-r")
            .arg(&file);
        c
    } else {
        let mut c = Process::new(&python);
        c.args(["-m", "pip", "install", "-r"]).arg(&file);
        c
    };
    printer.note(format!("installing requirements: {}", wanted.join(", ")));
    let status = command.status().map_err(|e| {
        Error::user_hint(
            format!("cannot run {}: {e}", python.display()),
            "set [host] python in pluginkit.toml to the host's interpreter",
        )
    })?;
    if !status.success() {
        return Err(Error::user_hint(
            format!("installing the plugin's requirements failed ({status})"),
            "nothing was installed; fix the requirements or install them yourself, then add the plugin without --install-deps",
        ));
    }
    Ok(())
}
