//! The install pipeline shared by `add`, `sync`, `upgrade` (and, for its commit, `restore`), in
//! two halves. [`Installer::stage`] fetches a [`Source`] into a staging folder and checks the
//! plugin in it (its findings shown, refused when it has errors), without the host lock: a
//! download never holds up another process. [`Installer::commit`], under the host lock,
//! re-checks what another process may have changed meanwhile (a plugin installed under that
//! name) and commits through the transaction, which swaps the plugin into place and records it.
//! Registry plugins asked for together are resolved together (a dependency two of them share is
//! chosen once), fetched, and all checked before the first is staged, dependencies first.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use semver::VersionReq;
use serde::Serialize;

use crate::error::Error;
use crate::findings::Finding;
use crate::findings::rules::Severity;
use crate::host::plugins::{Wanted, registry_entry};
use crate::host::receipts;
use crate::host::switch::Switch;
use crate::ops::toggle::{self as toggle_ops, OffPlace};
use crate::ops::{requirements, resolve};
use crate::output::{Printer, WARNING};
use crate::package::read as archive;
use crate::plugin::flavor::Flavor;
use crate::plugin::names;
use crate::plugin::state::{DISABLED_FILE, ENABLED_FILE};
use crate::plugin::tree::{DirTree, Tree};
use crate::plugin::{Plugin, read_plugin};
use crate::registry::IndexVersion;
use crate::registry::client::Registry;
use crate::settings::Settings;
use crate::source::git::{self, GitSource};
use crate::source::id::SourceId;
use crate::source::{Source, folder, install_name, zip};
use crate::transaction::staging::Staging;
use crate::transaction::{self, Context, Record, Records};
use crate::util::hash;
use crate::util::paths::relative_to;
use crate::util::url::without_credentials;

/// How to install.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// Replace an installed plugin of the same name (it is backed up).
    pub(crate) force: bool,
    /// Install it switched off.
    pub(crate) disabled: bool,
    /// Resolve its `requirements.txt` together with the other enabled plugins' and install the
    /// result before it is committed ([`super::deps`]); without it, the requirements are shown.
    pub(crate) install_deps: bool,
    /// Registries: use only what is cached.
    pub(crate) offline: bool,
    /// Registries: refuse a version that has a published advisory.
    pub(crate) deny_advisories: bool,
    /// The tree hash the installed files must have (`sync --locked`): anything else is refused
    /// before the plugins folder changes.
    pub(crate) expected_tree: Option<String>,
    /// The source to record instead of the one installed from (`sync --locked` installs a git
    /// plugin by its commit but records the pin the lock has).
    pub(crate) locked_source: Option<SourceId>,
    /// With `force`: replace only what was installed under the name when the plugin was staged
    /// (`sync` and `upgrade` planned to replace that one), refusing when another process
    /// installed, replaced or removed it meanwhile.
    pub(crate) only_if_unchanged: bool,
}

/// What one install did (`add --format json` prints a list of these).
#[derive(Debug, Serialize)]
pub(crate) struct Added {
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) flavor: String,
    /// Where it was installed, as shown.
    pub(crate) path: String,
    pub(crate) source: SourceId,
    /// Where the plugin it replaced was kept, as shown.
    pub(crate) replaced: Option<String>,
    /// The sha256 of the archive it came from.
    pub(crate) sha256: Option<String>,
}

/// A registry plugin's package, resolved and fetched (verified, in the cache).
#[derive(Debug)]
pub(crate) struct Package {
    pub(crate) name: String,
    pub(crate) version: IndexVersion,
    pub(crate) path: PathBuf,
    /// The package's absolute URL, as `pluginkit.lock` records it.
    pub(crate) url: String,
    /// What `[plugins]` records for it: for what the user asked for, not for dependencies.
    pub(crate) plugins_entry: Option<String>,
    /// The id of the key that verified the registry's snapshot, when it is signed.
    pub(crate) verified_by: Option<String>,
}

/// What `[plugins]` records for a registry plugin asked for (dependencies get no entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entry {
    /// The requirement as the user wrote it.
    Written(String),
    /// `^VERSION` of the version installed.
    Caret,
    /// Whatever `[plugins]` says now (`upgrade` stays within it).
    Unchanged,
}

/// A plugin staged for installing, and what to record about it.
struct Checked {
    plugin: Plugin,
    name: String,
    source: SourceId,
    archive_sha256: Option<String>,
    /// The key that verified the registry's snapshot the package came by.
    verified_by: Option<String>,
    /// The staged files' hashes, when staging took them.
    files: Option<BTreeMap<String, String>>,
    plugins_entry: Option<String>,
}

/// Warn (stderr) about each file of the package, repository or folder `shown`, at `dir` and
/// installed as the plugin `name`, that looks like a secret: it goes in (the plugin is as its
/// author made it), but its author may have shipped a key by mistake, and the host now holds it.
/// `files` are the plugin's files, `/`-separated paths inside it.
fn warn_secrets<'f>(
    printer: &Printer,
    dir: &Path,
    files: impl IntoIterator<Item = &'f String>,
    name: &str,
    shown: &str,
) {
    for rel in files {
        if let Ok(Some(why)) = crate::package::secrets::judge_file(rel, &dir.join(rel)) {
            printer.warn(format!(
                "{shown} holds {name}/{rel}, which looks like a secret ({why}): ask the plugin's author whether it should ship, and rotate the key if it is a real one"
            ));
        }
    }
}

/// A plugin fetched, checked and staged, ready to be committed under the host lock; its staging
/// folder goes when it is dropped uncommitted.
pub(crate) struct Staged {
    staging: Staging,
    checked: Checked,
    options: Options,
    /// Whether a replaced plugin's state markers are carried over (not into a development link,
    /// whose markers would be written into the developer's folder).
    carry_state: bool,
    /// What was installed under the name when the plugin was staged.
    seen: Option<Seen>,
    /// The switch to turn it off with once it is committed (`--disabled`, a host whose switch
    /// is not a marker in the plugin's folder).
    switch_off: Option<Switch>,
}

impl Staged {
    /// The name it installs under.
    pub(crate) fn name(&self) -> &str {
        &self.checked.name
    }

    /// Its version, as its manifest says.
    pub(crate) fn version(&self) -> Option<&str> {
        self.checked.plugin.metadata.version.as_deref()
    }

    /// Its staged folder (a link, for a development link).
    pub(crate) fn dir(&self) -> PathBuf {
        self.staging.plugin_dir(&self.checked.name)
    }

    /// The staged plugin's folder, its name, and whether it installs switched off: what
    /// `--install-deps` resolves before it is committed.
    pub(crate) fn for_deps(&self) -> (String, PathBuf, bool) {
        (self.checked.name.clone(), self.dir(), self.options.disabled)
    }
}

/// What is installed under a name, told apart from what another install, restore or removal
/// puts there: the folder's (or link's) identity. Toggling or editing the plugin in place does
/// not change it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    #[cfg(unix)]
    id: (u64, u64),
    created: Option<std::time::SystemTime>,
}

impl Seen {
    fn at(path: &Path) -> Option<Seen> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        Some(Seen {
            #[cfg(unix)]
            id: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            },
            created: meta.created().ok(),
        })
    }
}

/// Installs into one host.
pub(crate) struct Installer<'a> {
    settings: &'a Settings,
    printer: &'a Printer,
    cx: Context,
    /// The names this installer committed: a name staged twice in one run (a dependency two
    /// registries resolved) changed under the second because of the first, not another process.
    committed: RefCell<BTreeSet<String>>,
}

impl<'a> Installer<'a> {
    pub(crate) fn new(settings: &'a Settings, printer: &'a Printer) -> Self {
        Installer {
            settings,
            printer,
            cx: super::transaction(settings),
            committed: RefCell::default(),
        }
    }

    /// Write only these of the host's records (`sync --locked`: the receipts).
    pub(crate) fn keeping(mut self, records: Records) -> Self {
        self.cx.records = records;
        self
    }

    pub(crate) fn printer(&self) -> &Printer {
        self.printer
    }

    /// Stage `sources`, without the host lock: the registry requests first, resolved together
    /// per registry, dependencies first; then the others, in order. Returns every plugin
    /// staged, dependencies included, in the order to commit them. Nothing is staged when one
    /// fails.
    pub(crate) fn stage(
        &self,
        sources: &[Source],
        options: &Options,
    ) -> Result<Vec<Staged>, Error> {
        // The registry requests, by registry: name, requirement, and what `[plugins]` records.
        let mut requests: BTreeMap<Option<&str>, Vec<(&str, &VersionReq, Entry)>> = BTreeMap::new();
        for source in sources {
            if let Source::Registry {
                name,
                req,
                written,
                registry,
            } = source
            {
                let entry = match written {
                    Some(text) => Entry::Written(text.clone()),
                    None => Entry::Caret,
                };
                requests
                    .entry(registry.as_deref())
                    .or_default()
                    .push((name, req, entry));
            }
        }
        // Asked for by name (on the command line, as a `[plugins]` key): bad usage when it
        // cannot be a plugin's, before any registry is asked or the plugins folder looked in.
        for (name, _, _) in requests.values().flatten() {
            names::check_argument(name)?;
        }
        let mut staged = Vec::new();
        for (registry, requests) in requests {
            let registry = resolve::open(self.settings, registry, options.offline)?;
            let mut wanted = Vec::new();
            let mut asked = BTreeMap::new();
            for (name, req, entry) in requests {
                self.refuse_existing(name, options.force)?;
                asked.insert(name.to_owned(), entry);
                wanted.push((name.to_owned(), req.clone()));
            }
            staged.extend(self.stage_from_registry(&registry, &wanted, &asked, options)?);
        }
        for source in sources {
            staged.push(match source {
                // Resolved together, above.
                Source::Registry { .. } => continue,
                Source::ZipFile { path, sha256 } => {
                    self.zip_file(path, sha256.as_deref(), options)?
                }
                Source::ZipUrl { url, sha256 } => self.zip_url(url, sha256.as_deref(), options)?,
                Source::Folder { path, link } => self.folder(path, *link, options)?,
                Source::Git { given, source } => self.git(given, source, options)?,
            });
        }
        Ok(staged)
    }

    /// Resolve `wanted` in `registry`, fetch the packages and stage them, dependencies first.
    /// `asked` are the plugins asked for, with what `[plugins]` records for each; a dependency
    /// already installed at a version that does not fit is to be replaced.
    pub(crate) fn stage_from_registry(
        &self,
        registry: &Registry,
        wanted: &[(String, VersionReq)],
        asked: &BTreeMap<String, Entry>,
        options: &Options,
    ) -> Result<Vec<Staged>, Error> {
        let settings = self.settings;
        let mut installed = resolve::installed_versions(settings);
        for (name, _) in wanted {
            installed.remove(name);
        }
        let host = settings.host.version.as_ref();
        let chosen = resolve::plan(
            self.printer,
            registry,
            wanted,
            host,
            &installed,
            Some(&settings.cwd),
        )?;
        resolve::check_advisories(self.printer, &chosen, options.deny_advisories)?;
        let paths = resolve::fetch_all(registry, &chosen, self.printer)?;
        let verified_by = registry.verified_key(self.printer)?;
        // Every package is checked before the first is staged, so a plugin the host refuses
        // leaves its dependencies uninstalled too.
        for (c, path) in chosen.iter().zip(&paths) {
            self.precheck_package(path, &c.name, &c.version.version)?;
        }
        let default_registry = resolve::default_name(settings);
        let registry_name =
            Some(registry.name()).filter(|n| Some(*n) != default_registry.as_deref());
        let mut staged = Vec::new();
        for (chosen, path) in chosen.into_iter().zip(paths) {
            let plugins_entry = match asked.get(&chosen.name) {
                Some(Entry::Written(req)) => Some(registry_entry(req, registry_name)),
                Some(Entry::Caret) => Some(registry_entry(
                    &format!("^{}", chosen.version.version),
                    registry_name,
                )),
                Some(Entry::Unchanged) | None => None,
            };
            let options = Options {
                force: options.force || !asked.contains_key(&chosen.name),
                ..options.clone()
            };
            let package = Package {
                url: registry.package_url(&chosen.version),
                name: chosen.name,
                version: chosen.version,
                path,
                plugins_entry,
                verified_by: verified_by.clone(),
            };
            staged.push(self.stage_package(&package, &options)?);
        }
        Ok(staged)
    }

    /// Stage a registry package that was fetched already.
    pub(crate) fn stage_package(
        &self,
        package: &Package,
        options: &Options,
    ) -> Result<Staged, Error> {
        let staging = Staging::new(&self.cx.dirs)?;
        let shown = format!("{} {}", package.name, package.version.version);
        let (plugin, name, files) =
            self.stage_zip(&staging, &package.path, &shown, options.force)?;
        // The registry's word is checked against the package's own.
        check_registry_word(&plugin, &name, &package.name, &package.version.version)?;
        let checked = Checked {
            plugin,
            name,
            source: SourceId::registry(&package.url),
            archive_sha256: Some(package.version.sha256.clone()),
            verified_by: package.verified_by.clone(),
            files: Some(files),
            plugins_entry: package.plugins_entry.clone(),
        };
        self.staged(staging, checked, options, true)
    }

    fn zip_file(&self, path: &Path, pin: Option<&str>, options: &Options) -> Result<Staged, Error> {
        let staging = Staging::new(&self.cx.dirs)?;
        let shown = self.settings.display(path);
        if !path.is_file() {
            return Err(Error::user_hint(
                format!("{shown}: no such file"),
                "give the path of a .zip package",
            ));
        }
        let hash =
            || hash::hash_file(path).map_err(|e| Error::caused(format!("cannot read {shown}"), e));
        let stage = || self.stage_zip(&staging, path, &shown, options.force);
        let (sha256, (plugin, name, files)) = if let Some(pin) = pin {
            // A pinned package is checked before anything else is said about it.
            let sha256 = hash()?;
            zip::check_pin(pin, &sha256, &shown)?;
            (sha256, stage()?)
        } else {
            // Otherwise its sha256 (for pluginkit.lock) is taken on another thread while it is
            // checked and unpacked: the same bytes, read from the page cache twice at once
            // rather than one pass after the other.
            std::thread::scope(|scope| {
                let hashing = scope.spawn(hash);
                let staged = stage();
                let sha256 = hashing
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                Ok::<_, Error>((sha256?, staged?))
            })?
        };
        let entry = Wanted::Zip {
            at: relative_to(&self.cx.dirs.root, path),
            sha256: Some(sha256.clone()),
        };
        let checked = Checked {
            plugin,
            name,
            source: SourceId::zip_file(&self.cx.dirs.root, path),
            archive_sha256: Some(sha256),
            verified_by: None,
            files: Some(files),
            plugins_entry: Some(entry.entry()),
        };
        self.staged(staging, checked, options, true)
    }

    fn zip_url(&self, url: &str, pin: Option<&str>, options: &Options) -> Result<Staged, Error> {
        let staging = Staging::new(&self.cx.dirs)?;
        let shown = without_credentials(url);
        // The leading dot keeps the download apart from the plugin's folder (names never
        // start so).
        let path = staging.dir.join(".download.zip");
        let settings = self.settings;
        let sha256 = zip::fetch(url, &path, pin, &settings.download, self.printer)?;
        let (plugin, name, files) = self.stage_zip(&staging, &path, &shown, options.force)?;
        // The download is not needed any more; the staging folder would go anyway.
        let _ = std::fs::remove_file(&path);
        let entry = Wanted::Zip {
            at: shown.clone().into_owned(),
            sha256: Some(sha256.clone()),
        };
        let checked = Checked {
            plugin,
            name,
            source: SourceId::zip_url(url),
            archive_sha256: Some(sha256),
            verified_by: None,
            files: Some(files),
            plugins_entry: Some(entry.entry()),
        };
        self.staged(staging, checked, options, true)
    }

    fn folder(&self, path: &Path, link: bool, options: &Options) -> Result<Staged, Error> {
        let staging = Staging::new(&self.cx.dirs)?;
        let shown = self.settings.display(path);
        if !path.is_dir() {
            return Err(Error::user_hint(
                format!("{shown}: no such folder"),
                "give the path of a plugin folder",
            ));
        }
        let tree = DirTree::source(path.to_path_buf(), shown.clone());
        let plugin = self.checked_plugin(&tree, &shown)?;
        let name = folder_name(&plugin, tree.archive_folder(), &shown)?;
        self.refuse_existing(&name, options.force)?;
        // A copy leaves out only version control and caches; a link takes everything.
        let files = refuse_own_names(path, &shown)?;
        warn_secrets(self.printer, path, &files, &name, &shown);
        if link {
            folder::link(path, &staging.plugin_dir(&name))?;
        } else {
            folder::copy_plugin(path, &staging.plugin_dir(&name))?;
        }
        let entry = Wanted::Path {
            path: relative_to(&self.cx.dirs.root, path),
            link,
        };
        let checked = Checked {
            plugin,
            name,
            source: SourceId::folder(&self.cx.dirs.root, path, link),
            archive_sha256: None,
            verified_by: None,
            files: None,
            plugins_entry: Some(entry.entry()),
        };
        self.staged(staging, checked, options, !link)
    }

    /// Fetch the git source into the staging folder, check the plugin in it, and move it to
    /// where it installs from.
    fn git(&self, given: &str, spec: &GitSource, options: &Options) -> Result<Staged, Error> {
        let (settings, printer) = (self.settings, self.printer);
        let staging = Staging::new(&self.cx.dirs)?;
        let credentials = git::Credentials::for_url(given, &settings.git);
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
        // Dotted names, so they can never be a plugin's; the checkout's own folder is named as
        // the repository (or --subdir) is, which is what a Python host's plugin is named after.
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
        let Some(plugin) = read_plugin(&tree, settings.flavor, &settings.read_context()) else {
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
        let name = folder_name(&plugin, Some(&folder), &at)?;
        self.refuse_existing(&name, options.force)?;
        std::fs::rename(&checkout, staging.plugin_dir(&name))
            .map_err(|e| transaction::io_error("cannot move the checkout into place", e))?;
        warn_secrets(
            printer,
            &staging.plugin_dir(&name),
            checked_out.files.keys(),
            &name,
            &at,
        );
        let checked = Checked {
            plugin,
            name,
            source: SourceId::git(spec, &checked_out.commit),
            archive_sha256: None,
            verified_by: None,
            files: Some(checked_out.files),
            plugins_entry: Some(Wanted::Git(spec.clone()).entry()),
        };
        self.staged(staging, checked, options, true)
    }

    /// Check the ZIP package at `path` (its entries, the plugin in it) and unpack it into the
    /// staging folder. Returns the plugin, the name it installs under and the unpacked files'
    /// hashes. `shown` is how the user named the package: its path or URL.
    fn stage_zip(
        &self,
        staging: &Staging,
        path: &Path,
        shown: &str,
        force: bool,
    ) -> Result<(Plugin, String, BTreeMap<String, String>), Error> {
        let limits = self.settings.host.config.limits.limits();
        let inspection = archive::inspect(path, shown, limits);
        refuse_findings(self.printer, &inspection.findings, shown)?;
        let package = inspection
            .package
            .ok_or_else(|| Error::user(format!("cannot read {shown}")))?;
        let plugin = self.checked_plugin(&package, shown)?;
        let name = folder_name(&plugin, package.archive_folder(), shown)?;
        self.refuse_existing(&name, force)?;
        let files = package
            .extract_to(&staging.plugin_dir(&name))
            .map_err(|e| {
                Error::caused_hint(
                    format!("cannot unpack {shown}"),
                    "the archive is damaged; nothing was installed",
                    e,
                )
            })?;
        warn_secrets(
            self.printer,
            &staging.plugin_dir(&name),
            files.keys(),
            &name,
            shown,
        );
        Ok((plugin, name, files))
    }

    /// Check a registry package as an install will, without unpacking it or saying anything
    /// unless it is refused: the archive's entries, the plugin's manifest, and that it is the
    /// plugin and version the registry's index says.
    fn precheck_package(&self, path: &Path, name: &str, version: &str) -> Result<(), Error> {
        let settings = self.settings;
        let shown = format!("{name} {version}");
        let inspection = archive::inspect(path, &shown, settings.host.config.limits.limits());
        let has_errors =
            |findings: &[Finding]| findings.iter().any(|f| f.severity() == Severity::Error);
        if has_errors(&inspection.findings) {
            return refuse_findings(self.printer, &inspection.findings, &shown);
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
            return refuse_findings(self.printer, &plugin.findings, &shown);
        }
        let installs_as = folder_name(&plugin, package.archive_folder(), &shown)?;
        check_registry_word(&plugin, &installs_as, name, version)
    }

    /// Read and validate the plugin in `tree`, refusing it (with its findings) when it has
    /// errors.
    fn checked_plugin(&self, tree: &dyn Tree, shown: &str) -> Result<Plugin, Error> {
        let settings = self.settings;
        let Some(plugin) = read_plugin(tree, settings.flavor, &settings.read_context()) else {
            return Err(Error::user_hint(
                format!("{shown} holds no plugin manifest"),
                "a plugin has plugin.toml, Cargo.toml with [package.metadata.pluginkit], or __init__.py with plugin metadata",
            ));
        };
        refuse_findings(self.printer, &plugin.findings, shown)?;
        Ok(plugin)
    }

    /// Refuse early, before anything is unpacked, to replace an installed plugin without
    /// `--force`, or to install one beside a plugin whose name differs only in case.
    fn refuse_existing(&self, name: &str, force: bool) -> Result<(), Error> {
        self.refuse_case_twin(name)?;
        let target = super::switched_off(self.settings, name)
            .unwrap_or_else(|| self.cx.dirs.plugins.join(name));
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

    /// Refuse to install `name` beside an installed plugin whose name differs from it only in
    /// case (`Hello` and `hello`): one folder on a case-insensitive file system (macOS's and
    /// Windows' defaults, so in a checkout of the host there), two on Linux. `--force` does not
    /// replace it: that would be a plugin of another name.
    fn refuse_case_twin(&self, name: &str) -> Result<(), Error> {
        let plugins = &self.cx.dirs.plugins;
        // No plugins folder yet: nothing installed to clash with.
        let Ok(entries) = std::fs::read_dir(plugins) else {
            return Ok(());
        };
        let twin = entries
            .filter_map(Result::ok)
            .filter_map(|entry| entry.file_name().into_string().ok())
            .find(|installed| {
                names::is_valid(installed) && names::same_folder_ignoring_case(installed, name)
            });
        match twin {
            None => Ok(()),
            Some(installed) => Err(Error::user_hint(
                format!(
                    "cannot install `{name}`: `{installed}` is installed in {}, and the two names differ only in case",
                    plugins.display()
                ),
                format!(
                    "on macOS and Windows both would be one folder; remove `{installed}` first (`pluginkit remove {installed}`) to install `{name}` in its place"
                ),
            )),
        }
    }

    /// The last steps of staging, still without the lock: the tree hash the lock records
    /// checked, the state asked for marked, the plugin's Python requirements shown (with
    /// `--install-deps` they are resolved with the others' once all are staged), and what is installed under its name now noted.
    fn staged(
        &self,
        staging: Staging,
        checked: Checked,
        options: &Options,
        carry_state: bool,
    ) -> Result<Staged, Error> {
        let dirs = &self.cx.dirs;
        let name = &checked.name;
        let staged = staging.plugin_dir(name);
        if let Some(expected) = &options.expected_tree {
            let hashed = match &checked.files {
                Some(files) => files.clone(),
                None => receipts::hash_tree(&staged)
                    .map_err(|e| transaction::io_error("cannot read the staged plugin", e))?,
            };
            let tree = hash::tree_hash(&hashed);
            if &tree != expected {
                let source = options.locked_source.as_ref().unwrap_or(&checked.source);
                return Err(Error::user_hint(
                    format!(
                        "{name} from {source} is not what pluginkit.lock records: its files hash to {tree}, not {expected}"
                    ),
                    "the source changed since the lock was written; nothing was installed. Run `pluginkit sync` without --locked to take the new version into the lock",
                ));
            }
        }
        // Switched off as the host reads it: a marker in the staged folder, or (`switch_off`)
        // where the folder goes or FBA's record, when it is committed.
        let switch_off = match options.disabled {
            true => Some(self.switch_of(checked.plugin.flavor)?),
            false => None,
        }
        .filter(|switch| !matches!(switch, Switch::Markers));
        if options.disabled && switch_off.is_none() {
            std::fs::write(staged.join(DISABLED_FILE), "")
                .map_err(|e| transaction::io_error("cannot write the DISABLED marker", e))?;
        }
        if !options.install_deps {
            requirements::show(
                self.settings,
                self.printer,
                name,
                &staged,
                &dirs.plugins.join(name),
            )?;
        }
        let seen = Seen::at(&dirs.plugins.join(name));
        Ok(Staged {
            staging,
            checked,
            options: options.clone(),
            carry_state: carry_state && !options.disabled,
            seen,
            switch_off,
        })
    }

    /// The switch of a plugin of `flavor` in this host ([`Switch::for_flavor`]).
    fn switch_of(&self, flavor: Flavor) -> Result<Switch, Error> {
        let host = super::switch(self.settings)?;
        let kind = self.settings.read_context().host.kind();
        Ok(host.for_flavor(flavor, kind).clone())
    }

    /// Commit staged plugins, in order, under the host lock.
    pub(crate) fn commit_all(&self, staged: Vec<Staged>) -> Result<Vec<Added>, Error> {
        staged.into_iter().map(|s| self.commit(s)).collect()
    }

    /// Commit a staged plugin, under the host lock: refuse it when what is installed under its
    /// name changed since it was staged in a way its options do not allow (a plugin of that
    /// name installed meanwhile, without `--force`), carry the replaced plugin's state over,
    /// then swap it into place and record it.
    pub(crate) fn commit(&self, staged: Staged) -> Result<Added, Error> {
        let dirs = &self.cx.dirs;
        let Staged {
            staging,
            checked,
            options,
            carry_state,
            seen,
            switch_off,
        } = staged;
        let Checked {
            plugin,
            name,
            source,
            archive_sha256,
            verified_by,
            files,
            plugins_entry,
        } = checked;
        let target = dirs.plugins.join(&name);
        if options.force
            && options.only_if_unchanged
            && !self.committed.borrow().contains(&name)
            && Seen::at(&target) != seen
        {
            return Err(Error::user_hint(
                format!(
                    "another pluginkit process changed `{name}` in {} while this one fetched its replacement",
                    dirs.plugins.display()
                ),
                "nothing was installed; run the command again to work from what is installed now",
            ));
        }
        // Another process may have installed one meanwhile; checked again under the lock.
        self.refuse_case_twin(&name)?;
        let source = options.locked_source.clone().unwrap_or(source);
        let staged = staging.plugin_dir(&name);
        if carry_state {
            // A replaced plugin's state goes to its replacement: switched off stays off.
            for marker in [ENABLED_FILE, DISABLED_FILE] {
                let old = target.join(marker);
                if old.is_file() && !staged.join(marker).exists() {
                    std::fs::write(staged.join(marker), "").map_err(|e| {
                        transaction::io_error("cannot carry the state marker over", e)
                    })?;
                }
            }
        }
        let version = plugin.metadata.version.clone();
        let flavor = plugin.flavor.as_str().to_owned();
        // A switched-off plugin (FastCMS's `_NAME/`, or moved into `.pluginkit/disabled/`) is
        // replaced as `NAME/`, then switched off again: an install keeps it off. So does
        // `--disabled` where the switch is the folder's place.
        let switched_off = super::switched_off(self.settings, &name);
        let record = Record {
            name: name.clone(),
            version: version.clone(),
            flavor: flavor.clone(),
            source: source.clone(),
            archive_sha256: archive_sha256.clone(),
            verified_by,
            files,
            plugins_entry: plugins_entry.filter(|e| !e.is_empty()),
            dependencies: plugin
                .metadata
                .dependencies
                .iter()
                .map(|d| d.name.clone())
                .collect(),
            as_recorded: None,
            replaces_switched_off: switched_off.is_some(),
        };
        let off = match switched_off {
            Some(path) => Some(OffPlace::of(path)),
            None => switch_off
                .as_ref()
                .and_then(|switch| toggle_ops::off_place(&self.cx, switch, &name)),
        };
        let commit = || transaction::commit_install(&self.cx, &staging, record, options.force);
        let installed = match &off {
            Some(off) => toggle_ops::install_switched_off(&self.cx, &name, off, commit)?,
            None => commit()?,
        };
        self.committed.borrow_mut().insert(name.clone());
        if let Some(Switch::Redis(target)) = &switch_off {
            let shown = self.settings.display(&installed.path);
            toggle_ops::switch_off_in_redis(target, &name, &installed.path, &shown).map_err(
                |e| {
                    Error::caused_hint(
                        format!("{name} was installed into {shown}, but not switched off"),
                        format!("switch it off with `pluginkit disable {name}`"),
                        e,
                    )
                },
            )?;
        }
        Ok(Added {
            name,
            version,
            flavor,
            path: self.settings.display(&installed.path),
            source,
            replaced: installed.replaced.map(|p| self.settings.display(&p)),
            sha256: archive_sha256,
        })
    }
}

/// The folder name to install `plugin` under: the source's rule ([`install_name`]), and then
/// the one rule of every plugin folder's name ([`names`]), which every install path meets
/// here: a name that could not be listed, removed or loaded (`__pycache__`, a hidden name) is
/// refused before anything is unpacked. `folder` is the name the source gives the plugin's
/// folder; `shown` names the source.
fn folder_name(plugin: &Plugin, folder: Option<&str>, shown: &str) -> Result<String, Error> {
    let name = install_name(plugin, folder)?;
    names::check_read(&name).map_err(|e| {
        Error::caused_hint(
            format!("cannot install {shown}"),
            match plugin.flavor {
                Flavor::FlaskPluginkit | Flavor::Fastcms | Flavor::Fba | Flavor::ClassBased => {
                    "the host names a plugin after its folder: rename the plugin's folder; nothing was installed"
                }
                Flavor::Pluginkit | Flavor::Crate => {
                    "rename the plugin in its manifest; nothing was installed"
                }
            },
            e,
        )
    })?;
    Ok(name)
}

/// Refuse a plugin folder (a source folder, copied or linked) holding an entry with one of
/// pluginkit's own names (`.pluginkit-txn`...), anywhere in it: pluginkit would take it for
/// its own record, or overwrite it and then find the plugin changed. Archives and git
/// checkouts are refused for the same names as their entries are checked. Returns the regular
/// files it holds (`/`-separated paths inside it), for [`warn_secrets`].
fn refuse_own_names(root: &Path, shown: &str) -> Result<Vec<String>, Error> {
    let mut files = Vec::new();
    // Iterative, and not through links (a copy refuses them; a linked folder's links are its
    // own business), so neither a deep tree nor a loop can make it fail to end.
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        let dir = root.join(&rel);
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| Error::caused(format!("cannot read {}", dir.display()), e))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| Error::caused(format!("cannot read {}", dir.display()), e))?;
            let name = entry.file_name();
            let rel = rel.join(&name);
            if names::is_reserved(&name.to_string_lossy()) {
                return Err(Error::user_hint(
                    format!(
                        "cannot install {shown}: `{}` uses a `.pluginkit` name, which pluginkit keeps for its own files",
                        rel.display()
                    ),
                    "rename or remove it from the plugin; nothing was installed",
                ));
            }
            let skipped = [".git", "__pycache__", ".hg", ".svn"]
                .iter()
                .any(|skip| name == *skip);
            let kind = entry.file_type();
            if !skipped && kind.as_ref().is_ok_and(|t| t.is_dir()) {
                pending.push(rel);
            } else if kind.is_ok_and(|t| t.is_file()) {
                files.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    Ok(files)
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

/// Show findings; refuse when any is an error.
fn refuse_findings(printer: &Printer, findings: &[Finding], shown: &str) -> Result<(), Error> {
    let errors = printer.findings(findings).errors;
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
