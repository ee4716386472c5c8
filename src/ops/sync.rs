//! `sync`: make the plugins folder what `pluginkit.toml`'s `[plugins]` says. Installs
//! what is missing, replaces what does not match (a registry plugin outside its requirement, a
//! git plugin from another pin, a ZIP with another checksum), and removes, with a backup, what
//! pluginkit installed and nothing lists any more (a registry plugin another one depends on is
//! kept). Plugins pluginkit did not install are left alone unless `--prune`.
//!
//! `sync --locked` installs exactly what `pluginkit.lock` records (the same versions, commits and
//! checksums, and the same tree hashes) and fails, changing nothing, when `[plugins]` and the
//! lock disagree. It writes only this machine's receipts, never `pluginkit.toml` or
//! `pluginkit.lock`. Nothing to do costs no network: every check is against the local records.
//!
//! `sync` changes the lock entry by entry, as each install and removal does, and at the end
//! drops the entries that neither `[plugins]` nor what it needs asks for any more; a sync that
//! fails halfway leaves every other entry as it was.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context as _;
use semver::VersionReq;
use serde::Serialize;

use crate::error::Error;
use crate::host::lockfile::{self, Locked};
use crate::host::plugins::{Wanted, registry_entry};
use crate::host::receipts::Receipt;
use crate::ops::change::{self, Lock, Outcome};
use crate::ops::install::{Installer, Options as InstallOptions, Package, Staged};
use crate::ops::{configure, deps, reload, resolve};
use crate::output::Printer;
use crate::registry::IndexVersion;
use crate::registry::client::Registry;
use crate::registry::resolve::Chosen;
use crate::settings::Settings;
use crate::source::Source;
use crate::source::git::{GitSource, Pin};
use crate::source::id::{self, SourceId};
use crate::transaction;
use crate::transaction::Records;
use crate::util::paths::absolute;
use crate::util::url::without_credentials;

/// What `sync` was asked.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    /// Install exactly what `pluginkit.lock` says, and fail if it would change.
    pub(crate) locked: bool,
    /// Change nothing; say what would change.
    pub(crate) dry_run: bool,
    /// Also remove plugins pluginkit did not install and `[plugins]` does not list.
    pub(crate) prune: bool,
    /// Refuse to install a registry version that has a published advisory.
    pub(crate) deny_advisories: bool,
    /// Resolve the Python requirements of the plugins after the sync together and install
    /// them (with `locked`, the pins the lock records) before the plugins change.
    pub(crate) install_deps: bool,
    /// With `install_deps`: the resolver and installer use only what they have cached.
    pub(crate) offline: bool,
    /// FBA: add the installed plugins' `.env.example` settings that `backend/.env` lacks.
    pub(crate) configure: bool,
    pub(crate) reload: reload::Request,
}

/// One change `sync` made (or with `--dry-run` would make); `sync --format json` prints a list.
#[derive(Debug, Serialize)]
pub(crate) struct Action {
    pub(crate) name: String,
    /// `install`, `replace` or `remove`.
    pub(crate) action: &'static str,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    /// Where a replaced or removed plugin was kept.
    pub(crate) backup: Option<String>,
}

/// What `sync` did.
#[derive(Debug)]
pub(crate) struct Synced {
    pub(crate) actions: Vec<Action>,
    /// How many plugins `[plugins]` lists.
    pub(crate) wanted: usize,
    pub(crate) dry_run: bool,
}

impl Outcome for Synced {
    fn changed(&self) -> bool {
        !self.dry_run && !self.actions.is_empty()
    }

    fn removed(&self) -> Vec<String> {
        self.actions
            .iter()
            .filter(|a| a.action == "remove")
            .map(|a| a.name.clone())
            .collect()
    }
}

/// What `sync` does, worked out (and its installs fetched and staged) before the host lock is
/// taken; applied under it.
struct Plan {
    actions: Vec<Action>,
    /// Each install's staged plugin, with the index of its action.
    staged: Vec<(usize, Staged)>,
    /// With `--locked`, the lock's plugins: those with a receipt that are not among them go.
    /// Without, what `[plugins]` no longer asks for goes.
    locked: Option<BTreeSet<String>>,
}

/// Make the plugins folder what `[plugins]` (or with `locked`, `pluginkit.lock`) says: what to
/// install is fetched and staged first, then committed under the host lock, where what goes is
/// removed; `render` shows what was done before the lock is released and the server signalled.
pub(crate) fn sync(
    settings: &Settings,
    printer: &Printer,
    options: &Options,
    render: impl FnOnce(&Synced) -> anyhow::Result<()>,
) -> anyhow::Result<Synced> {
    let frame = change::begin(settings, printer, &options.reload)?;
    let installer = Installer::new(settings, printer);
    // `--locked` installs what the lock says and writes only this machine's receipts.
    let installer = if options.locked {
        installer.keeping(Records::ReceiptOnly)
    } else {
        installer
    };
    frame.run_prepared(
        Lock::UnlessDryRun(options.dry_run),
        || {
            let wants = settings.host.config.plugins.wanted()?;
            let receipts: BTreeMap<String, Receipt> = Receipt::load_all(&settings.dirs().state)
                .into_iter()
                .map(|r| (r.name.clone(), r))
                .collect();
            let plan = if options.locked {
                sync_locked(settings, printer, &installer, &wants, &receipts, options)?
            } else {
                sync_wanted(settings, printer, &installer, &wants, &receipts, options)?
            };
            // --install-deps: the plugins as they will be, resolved together (with --locked,
            // the lock's pins, checked against their requirement files) before anything
            // changes.
            let deps = if options.install_deps && !options.dry_run {
                let staged: Vec<_> = plan.staged.iter().map(|(_, s)| s.for_deps()).collect();
                let lock = match options.locked {
                    true => Some(lockfile::load(&settings.host.root)?.unwrap_or_default()),
                    false => None,
                };
                deps::Plan::new(settings, printer, &staged, options.offline, lock.as_deref())?
            } else {
                None
            };
            Ok((wants, plan, deps))
        },
        |(wants, plan, deps)| {
            let Plan {
                mut actions,
                staged,
                locked,
            } = plan;
            let env = configure::prepare(
                settings,
                printer,
                options.configure,
                staged.iter().map(|(_, s)| s),
            )?;
            // Installed before the plugins change: a failed install changes none of them.
            if let Some(deps) = &deps {
                deps.install(printer)?;
            }
            env.around(|| {
                for (i, staged) in staged {
                    actions[i].backup = installer.commit(staged)?.replaced;
                }
                Ok(())
            })?;
            actions.extend(match locked {
                Some(locked) => remove_unlocked(settings, &locked, options.dry_run)?,
                None => remove_unwanted(settings, &wants, options)?,
            });
            if let Some(deps) = &deps {
                deps.record(settings)?;
            }
            Ok(Synced {
                actions,
                wanted: wants.len(),
                dry_run: options.dry_run,
            })
        },
        render,
    )
}

/// The source a git, ZIP or folder entry installs from (paths are relative to the host).
fn source_of(settings: &Settings, want: &Wanted) -> Option<Source> {
    let root = &settings.host.root;
    match want {
        Wanted::Registry { .. } => None,
        // The URL as written (credentials and all) to fetch with; what is recorded and shown
        // has them taken out.
        Wanted::Git(git) => Some(Source::git(
            &git.url,
            git.pin.clone(),
            git.subdir.clone(),
            git.semver.clone(),
        )),
        Wanted::Zip { at, sha256 } => {
            let lower = at.to_ascii_lowercase();
            Some(
                if lower.starts_with("https://") || lower.starts_with("http://") {
                    Source::ZipUrl {
                        url: at.clone(),
                        sha256: sha256.clone(),
                    }
                } else {
                    Source::ZipFile {
                        path: root.join(at),
                        sha256: sha256.clone(),
                    }
                },
            )
        }
        Wanted::Path { path, link } => Some(Source::Folder {
            path: root.join(path),
            link: *link,
        }),
    }
}

/// Whether `recorded` is the ZIP file, ZIP URL or folder of a ZIP or folder entry: local paths
/// compared where they lead (the records may hold an earlier version's absolute path, or a path
/// relative to the host's root).
fn same_place(settings: &Settings, want: &Wanted, recorded: &SourceId) -> bool {
    let root = &settings.host.root;
    match source_of(settings, want) {
        Some(Source::ZipFile { path, .. }) => {
            matches!(recorded, SourceId::ZipFile { .. })
                && recorded.local_path(root) == Some(absolute(&path))
        }
        Some(Source::Folder { path, .. }) => {
            matches!(recorded, SourceId::Folder { .. })
                && recorded.local_path(root) == Some(absolute(&path))
        }
        Some(Source::ZipUrl { url, .. }) => *recorded == SourceId::zip_url(&url),
        Some(Source::Git { .. } | Source::Registry { .. }) | None => false,
    }
}

/// Whether the installed plugin (its receipt) is what `want` asks for.
fn satisfied(settings: &Settings, want: &Wanted, receipt: &Receipt) -> bool {
    match want {
        Wanted::Registry { req, .. } => {
            matches!(receipt.source, SourceId::Registry { .. })
                && receipt
                    .version
                    .as_deref()
                    .and_then(|v| semver::Version::parse(v).ok())
                    .is_some_and(|v| req.matches(&v))
        }
        Wanted::Git(git) => match &receipt.source {
            SourceId::Git {
                source: installed, ..
            } => {
                without_credentials(&installed.url) == without_credentials(&git.url)
                    && installed.pin == git.pin
                    && installed.subdir == git.subdir
            }
            _ => false,
        },
        Wanted::Zip { sha256, .. } => {
            same_place(settings, want, &receipt.source)
                && sha256.as_ref().is_none_or(|sha| {
                    receipt
                        .archive_sha256
                        .as_deref()
                        .is_some_and(|have| have.eq_ignore_ascii_case(sha))
                })
        }
        Wanted::Path { .. } => same_place(settings, want, &receipt.source),
    }
}

/// Sync with `[plugins]`.
fn sync_wanted(
    settings: &Settings,
    printer: &Printer,
    installer: &Installer,
    wants: &BTreeMap<String, Wanted>,
    receipts: &BTreeMap<String, Receipt>,
    args: &Options,
) -> anyhow::Result<Plan> {
    let dirs = settings.dirs();
    let mut actions = Vec::new();
    let mut staged = Vec::new();
    let present = |name: &str| {
        std::fs::symlink_metadata(dirs.plugins.join(name)).is_ok()
            || super::switched_off(settings, name).is_some()
    };
    let describe = |r: &Receipt| r.version.clone().unwrap_or_else(|| r.source.to_string());
    // What is there now: a plugin counts as installed only when its folder is, and a registry
    // plugin is in order only when what it depends on is too.
    let receipts: BTreeMap<String, Receipt> = receipts
        .iter()
        .filter(|(name, _)| present(name))
        .map(|(name, r)| (name.clone(), r.clone()))
        .collect();
    let receipts = &receipts;
    let manifests = resolve::installed_manifests(settings);
    let installed = resolve::versions_of(&manifests);

    // Registry plugins, per registry: resolved together, fetched in parallel.
    let mut by_registry: BTreeMap<Option<String>, Vec<(String, VersionReq, String)>> =
        BTreeMap::new();
    for (name, want) in wants {
        if let Wanted::Registry { req, registry, .. } = want {
            let text = want.requirement_text().unwrap_or("*").to_owned();
            let ok = receipts
                .get(name)
                .is_some_and(|r| satisfied(settings, want, r))
                && dependencies_in_order(name, &manifests, &mut BTreeSet::new());
            if !ok {
                by_registry.entry(registry.clone()).or_default().push((
                    name.clone(),
                    req.clone(),
                    text,
                ));
            }
        }
    }
    let default_registry = resolve::default_name(settings);
    let force = InstallOptions {
        force: true,
        only_if_unchanged: true,
        install_deps: args.install_deps,
        ..InstallOptions::default()
    };
    for (registry_name, list) in &by_registry {
        let registry = resolve::open(settings, registry_name.as_deref(), false)?;
        let wanted: Vec<(String, VersionReq)> = list
            .iter()
            .map(|(n, r, _)| (n.clone(), r.clone()))
            .collect();
        // What is asked for is chosen afresh, whatever version is installed now.
        let mut others = installed.clone();
        for (name, _) in &wanted {
            others.remove(name);
        }
        let chosen = resolve::plan(
            printer,
            &registry,
            &wanted,
            settings.host.version.as_ref(),
            &others,
            None,
        )?;
        let chosen: Vec<_> = chosen
            .into_iter()
            .filter(|c| {
                receipts.get(&c.name).and_then(|r| r.version.as_deref())
                    != Some(c.version.version.as_str())
                    || !present(&c.name)
            })
            .collect();
        resolve::check_advisories(printer, &chosen, args.deny_advisories)?;
        if args.dry_run {
            for c in &chosen {
                actions.push(planned(&c.name, receipts, Some(&c.version), describe));
            }
            continue;
        }
        let paths = resolve::fetch_all(&registry, &chosen, printer)?;
        let verified_by = registry.verified_key(printer)?;
        for (c, path) in chosen.into_iter().zip(paths) {
            let entry = list
                .iter()
                .find(|(n, _, _)| n == &c.name)
                .map(|(_, _, text)| {
                    registry_entry(
                        text,
                        Some(registry.name()).filter(|n| Some(*n) != default_registry.as_deref()),
                    )
                });
            let before = receipts.get(&c.name).map(describe);
            let to = c.version.version.clone();
            let package = Package {
                url: registry.package_url(&c.version),
                name: c.name.clone(),
                version: c.version,
                path,
                plugins_entry: entry,
                verified_by: verified_by.clone(),
            };
            staged.push((actions.len(), installer.stage_package(&package, &force)?));
            actions.push(done(&c.name, before, Some(to), None));
        }
    }

    // Git, ZIP and folder entries.
    for (name, want) in wants {
        let Some(source) = source_of(settings, want) else {
            continue;
        };
        // A folder entry is also to be linked, or not, as it says (an earlier version's
        // records do not say whether a folder was linked: the plugins folder does).
        let linked_as_wanted = match want {
            Wanted::Path { link, .. } => {
                std::fs::symlink_metadata(dirs.plugins.join(name)).is_ok_and(|m| m.is_symlink())
                    == *link
            }
            _ => true,
        };
        if receipts
            .get(name)
            .is_some_and(|r| satisfied(settings, want, r))
            && present(name)
            && linked_as_wanted
        {
            continue;
        }
        let before = receipts.get(name).map(describe);
        if args.dry_run {
            actions.push(Action {
                name: name.clone(),
                action: if before.is_some() {
                    "replace"
                } else {
                    "install"
                },
                from: before,
                to: Some(id::planned(&source, &settings.host.root)),
                backup: None,
            });
            continue;
        }
        let plugins = installer
            .stage(std::slice::from_ref(&source), &force)
            .with_context(|| format!("cannot install `{name}` as [plugins] asks"))?;
        for plugin in plugins {
            // Installed under another name, it would be removed below as not asked for, and
            // installed again by every run: refused before anything is installed.
            if plugin.name() != name {
                return Err(settings
                    .host
                    .config
                    .plugins
                    .misnamed(name, plugin.name())
                    .into());
            }
            let version = plugin.version().map(str::to_owned);
            staged.push((actions.len(), plugin));
            actions.push(done(name, before.clone(), version, None));
        }
    }
    Ok(Plan {
        actions,
        staged,
        locked: None,
    })
}

/// What pluginkit installed and nothing asks for any more, except dependencies of what stays
/// (and with `--prune`, what pluginkit did not install either): removed, under the host lock,
/// after the installs.
fn remove_unwanted(
    settings: &Settings,
    wants: &BTreeMap<String, Wanted>,
    args: &Options,
) -> Result<Vec<Action>, Error> {
    let dirs = settings.dirs();
    let present = |name: &str| {
        std::fs::symlink_metadata(dirs.plugins.join(name)).is_ok()
            || super::switched_off(settings, name).is_some()
    };
    let describe = |r: &Receipt| r.version.clone().unwrap_or_else(|| r.source.to_string());
    let all = Receipt::load_all(&dirs.state);
    let receipts_now: BTreeSet<String> = all.iter().map(|r| r.name.clone()).collect();
    let receipts: BTreeMap<String, Receipt> = all
        .into_iter()
        .filter(|r| present(&r.name))
        .map(|r| (r.name.clone(), r))
        .collect();
    let manifests = resolve::installed_manifests(settings);
    let installed = resolve::versions_of(&manifests);
    let mut actions = Vec::new();
    let needed = needed_dependencies(&manifests, wants);
    let mut going: Vec<String> = receipts_now
        .iter()
        .filter(|n| !wants.contains_key(*n) && !needed.contains(*n))
        .cloned()
        .collect();
    if args.prune {
        going.extend(
            installed
                .keys()
                .filter(|n| {
                    !wants.contains_key(*n) && !needed.contains(*n) && !receipts_now.contains(*n)
                })
                .cloned(),
        );
    }
    for name in going {
        let from = receipts.get(&name).map(describe);
        let backup = if args.dry_run {
            None
        } else {
            super::remove_plugin(settings, &super::transaction(settings), &name, true)?
                .map(|p| settings.display(&p))
        };
        actions.push(Action {
            name,
            action: "remove",
            from,
            to: None,
            backup,
        });
    }
    if !args.dry_run {
        tidy_lock(settings, wants, &needed)?;
    }
    Ok(actions)
}

/// Drop the lock's entries that neither `[plugins]` nor what its plugins need asks for any more
/// (those of plugins not installed here too), leaving the others as they are. What is needed is
/// read from the installed manifests and, for what is not installed here, from the lock's own
/// record of each plugin's dependencies.
fn tidy_lock(
    settings: &Settings,
    wants: &BTreeMap<String, Wanted>,
    needed: &BTreeSet<String>,
) -> Result<(), Error> {
    let root = &settings.host.root;
    let Some(locked) = lockfile::load(root)? else {
        return Ok(());
    };
    let mut keep: BTreeSet<String> = wants.keys().chain(needed).cloned().collect();
    let mut stack: Vec<String> = keep.iter().cloned().collect();
    while let Some(name) = stack.pop() {
        for entry in locked.iter().filter(|l| l.name == name) {
            for dep in &entry.dependencies {
                if keep.insert(dep.clone()) {
                    stack.push(dep.clone());
                }
            }
        }
    }
    Ok(lockfile::retain(root, |name| keep.contains(name))?)
}

fn planned(
    name: &str,
    receipts: &BTreeMap<String, Receipt>,
    version: Option<&IndexVersion>,
    describe: impl Fn(&Receipt) -> String,
) -> Action {
    let from = receipts.get(name).map(describe);
    Action {
        name: name.to_owned(),
        action: if from.is_some() { "replace" } else { "install" },
        from,
        to: version.map(|v| v.version.clone()),
        backup: None,
    }
}

fn done(name: &str, from: Option<String>, to: Option<String>, backup: Option<String>) -> Action {
    Action {
        name: name.to_owned(),
        action: if from.is_some() { "replace" } else { "install" },
        from,
        to,
        backup,
    }
}

/// Whether every plugin `name` depends on (transitively) is installed at a version its
/// requirement accepts.
fn dependencies_in_order(
    name: &str,
    manifests: &resolve::Manifests,
    seen: &mut BTreeSet<String>,
) -> bool {
    if !seen.insert(name.to_owned()) {
        return true;
    }
    let Some((_, deps)) = manifests.get(name) else {
        return false;
    };
    deps.iter().all(|(dep, req)| {
        manifests
            .get(dep)
            .is_some_and(|(version, _)| match (req, version) {
                (Some(req), Some(version)) => req.matches(version),
                (Some(_), None) => false,
                (None, _) => true,
            })
            && dependencies_in_order(dep, manifests, seen)
    })
}

/// The plugins the wanted ones depend on, transitively, by their installed manifests.
fn needed_dependencies(
    manifests: &resolve::Manifests,
    wants: &BTreeMap<String, Wanted>,
) -> BTreeSet<String> {
    let mut needed = BTreeSet::new();
    let mut stack: Vec<String> = wants.keys().cloned().collect();
    while let Some(name) = stack.pop() {
        for (dep, _) in manifests
            .get(&name)
            .map(|(_, deps)| deps.as_slice())
            .unwrap_or_default()
        {
            if needed.insert(dep.clone()) {
                stack.push(dep.clone());
            }
        }
    }
    needed
}

/// Sync with `pluginkit.lock`, which must agree with `[plugins]`.
fn sync_locked(
    settings: &Settings,
    printer: &Printer,
    installer: &Installer,
    wants: &BTreeMap<String, Wanted>,
    receipts: &BTreeMap<String, Receipt>,
    options: &Options,
) -> anyhow::Result<Plan> {
    let dry_run = options.dry_run;
    let dirs = settings.dirs();
    let path = dirs.root.join(lockfile::LOCK_FILE);
    let shown = settings.display(&path);
    let lock = lockfile::load(&dirs.root)?.ok_or_else(|| {
        Error::user_hint(
            format!("cannot read {shown}: there is no such file"),
            "run `pluginkit sync` (without --locked) to install from pluginkit.toml and write the lock",
        )
    })?;
    let locked: BTreeMap<String, Locked> = lock.into_iter().map(|l| (l.name.clone(), l)).collect();

    // Every disagreement first, so nothing changes when there is one.
    let mut disagreements = Vec::new();
    for (name, want) in wants {
        match locked.get(name) {
            None => disagreements.push(format!("{name} is in [plugins] but not in the lock")),
            Some(l) if !lock_matches(settings, want, l) => disagreements.push(format!(
                "[plugins] {name} asks for something else than the lock's {} ({})",
                l.version.as_deref().unwrap_or("?"),
                l.source
            )),
            Some(_) => {}
        }
    }
    // The lock may hold more than [plugins] lists only for what a listed plugin depends on.
    let mut needed: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = wants.keys().map(String::as_str).collect();
    while let Some(name) = stack.pop() {
        for dep in locked
            .get(name)
            .map(|l| l.dependencies.as_slice())
            .unwrap_or_default()
        {
            if needed.insert(dep.as_str()) {
                stack.push(dep.as_str());
            }
        }
    }
    for name in locked.keys() {
        if !wants.contains_key(name) && !needed.contains(name.as_str()) {
            disagreements.push(format!(
                "{name} is in the lock, but neither [plugins] nor a plugin it lists needs it"
            ));
        }
    }
    if !disagreements.is_empty() {
        return Err(Error::user_hint(
            format!(
                "pluginkit.toml and {shown} disagree: {}",
                disagreements.join("; ")
            ),
            "nothing was changed; run `pluginkit sync` without --locked to update the lock, or restore pluginkit.toml",
        )
        .into());
    }

    let mut going_in = Vec::new();
    for (name, l) in &locked {
        let present = std::fs::symlink_metadata(dirs.plugins.join(name)).is_ok()
            || super::switched_off(settings, name).is_some();
        let current = receipts.get(name).filter(|_| present);
        if current.is_some_and(|r| r.tree == l.tree) {
            continue;
        }
        going_in.push((name, l, current));
    }
    // The registry versions the lock installs are checked against their registries' advisories
    // as `sync` checks what it chooses, before anything is fetched; their indexes are read
    // several at once, as `sync` reads them.
    let chosen = resolve::parallel_map(&going_in, |(_, l, _)| {
        locked_advisories(settings, printer, l)
    })
    .into_iter()
    .collect::<Result<Vec<_>, Error>>()?;
    resolve::check_advisories(
        printer,
        &chosen.into_iter().flatten().collect::<Vec<_>>(),
        options.deny_advisories,
    )?;

    let mut actions = Vec::new();
    let mut staged = Vec::new();
    for (name, l, current) in going_in {
        let before = current.map(|r| r.version.clone().unwrap_or_default());
        if !dry_run {
            let plugin = stage_locked(settings, installer, l, wants.get(name), options)
                .with_context(|| format!("cannot install `{name}` as pluginkit.lock has it"))?;
            staged.push((actions.len(), plugin));
        }
        actions.push(done(name, before, l.version.clone(), None));
    }
    Ok(Plan {
        actions,
        staged,
        locked: Some(locked.into_keys().collect()),
    })
}

/// A registry lock entry as resolution would have chosen it, with the advisories its registry's
/// index lists for its version today; `None` for other sources, which publish none, and for a
/// plugin the index no longer lists.
fn locked_advisories(
    settings: &Settings,
    printer: &Printer,
    l: &Locked,
) -> Result<Option<Chosen>, Error> {
    let (SourceId::Registry { url }, Some(version)) = (&l.source, &l.version) else {
        return Ok(None);
    };
    let registry = resolve::open_for_url(settings, url)?;
    check_recorded_key(&registry, l)?;
    let Some(index) = registry.index(&l.name, printer)? else {
        return Ok(None);
    };
    let advisories: Vec<_> = index.advisories_for(version).into_iter().cloned().collect();
    Ok(Some(Chosen {
        name: l.name.clone(),
        version: IndexVersion {
            advisories,
            ..locked_version(l, url, String::new())
        },
    }))
}

/// What pluginkit installed that the lock does not list: removed, under the host lock, after
/// the installs.
fn remove_unlocked(
    settings: &Settings,
    locked: &BTreeSet<String>,
    dry_run: bool,
) -> Result<Vec<Action>, Error> {
    let mut actions = Vec::new();
    for receipt in Receipt::load_all(&settings.dirs().state) {
        let name = receipt.name;
        if locked.contains(&name) {
            continue;
        }
        let backup = if dry_run {
            None
        } else {
            let cx = transaction::Context {
                records: Records::ReceiptOnly,
                ..super::transaction(settings)
            };
            super::remove_plugin(settings, &cx, &name, true)?.map(|p| settings.display(&p))
        };
        actions.push(Action {
            name,
            action: "remove",
            from: receipt.version,
            to: None,
            backup,
        });
    }
    Ok(actions)
}

/// Whether a lock entry is one that `want` could have written.
fn lock_matches(settings: &Settings, want: &Wanted, l: &Locked) -> bool {
    let receipt = Receipt {
        name: l.name.clone(),
        version: l.version.clone(),
        flavor: String::new(),
        source: l.source.clone(),
        archive_sha256: l.sha256.clone(),
        verified_by: l.verified_by.clone(),
        tree: l.tree.clone(),
        dependencies: l.dependencies.clone(),
        files: BTreeMap::new(),
    };
    satisfied(settings, want, &receipt)
}

/// Stage a lock entry exactly: the same package (checked by its sha256), commit or folder,
/// refused unless the staged files have the tree hash the lock records. A git entry is fetched
/// with the credentials its `[plugins]` entry `want` has in its URL, which the lock never does.
fn stage_locked(
    settings: &Settings,
    installer: &Installer,
    l: &Locked,
    want: Option<&Wanted>,
    sync: &Options,
) -> Result<Staged, Error> {
    let options = InstallOptions {
        // Only so that the plugin's requirements are not shown as to be installed by hand:
        // the lock's pins are installed for every plugin before the commit.
        install_deps: sync.install_deps,
        force: true,
        only_if_unchanged: true,
        expected_tree: Some(l.tree.clone()),
        locked_source: Some(l.source.clone()),
        ..InstallOptions::default()
    };
    let source = match &l.source {
        SourceId::Registry { url } => {
            let package = locked_package(settings, installer, l, url)?;
            return installer.stage_package(&package, &options);
        }
        SourceId::Git { source, commit } => Source::Git {
            given: match want {
                Some(Wanted::Git(git))
                    if without_credentials(&git.url) == without_credentials(&source.url) =>
                {
                    git.url.clone()
                }
                _ => source.url.clone(),
            },
            source: GitSource {
                pin: Pin::Rev(commit.clone()),
                ..source.clone()
            },
        },
        SourceId::ZipFile { path } => Source::ZipFile {
            path: path.resolve(&settings.host.root),
            sha256: l.sha256.clone(),
        },
        SourceId::ZipUrl { url } => Source::ZipUrl {
            url: url.clone(),
            sha256: l.sha256.clone(),
        },
        // A folder has no archive to check.
        SourceId::Folder { path, link } => Source::Folder {
            path: path.resolve(&settings.host.root),
            link: *link,
        },
        SourceId::Backup { .. } => {
            return Err(Error::user(format!(
                "cannot install {} from the lock's source {}",
                l.name, l.source
            )));
        }
    };
    installer
        .stage(&[source], &options)?
        .pop()
        .ok_or_else(|| Error::user(format!("{} was not installed", l.name)))
}

/// The registry package a lock entry names, fetched by its URL and checked by its sha256.
fn locked_package(
    settings: &Settings,
    installer: &Installer,
    l: &Locked,
    url: &str,
) -> Result<Package, Error> {
    let sha256 = l.sha256.clone().ok_or_else(|| {
        Error::user(format!(
            "the lock records no sha256 for {}, a registry plugin",
            l.name
        ))
    })?;
    let registry = resolve::open_for_url(settings, url)?;
    let verified_by = verify_locked(&registry, l, &sha256, installer.printer())?;
    let version = locked_version(l, url, sha256);
    let bar = indicatif::ProgressBar::hidden();
    let path = registry.package(&l.name, &version, installer.printer(), &bar)?;
    Ok(Package {
        url: url.to_owned(),
        name: l.name.clone(),
        version,
        path,
        plugins_entry: None,
        verified_by,
    })
}

/// The index entry a lock entry stands for: its version, URL and sha256, nothing else known.
fn locked_version(l: &Locked, url: &str, sha256: String) -> IndexVersion {
    IndexVersion {
        version: l.version.clone().unwrap_or_default(),
        url: url.to_owned(),
        sha256,
        size: 0,
        summary: None,
        flavor: String::new(),
        requires: None,
        dependencies: BTreeMap::new(),
        yanked: false,
        published: String::new(),
        advisories: Vec::new(),
    }
}

/// For a lock entry from a registry with public keys: refuse it unless the lock records that
/// one of them verified it, and the registry's snapshot, verified now, vouches for an index
/// that lists the package the lock records. Returns the key that verified it now (`None` for
/// a registry without keys, which is trusted as served).
fn verify_locked(
    registry: &Registry,
    l: &Locked,
    sha256: &str,
    printer: &Printer,
) -> Result<Option<String>, Error> {
    if !registry.is_signed() {
        return Ok(None);
    }
    check_recorded_key(registry, l)?;
    let name = &l.name;
    let listed = registry.index(name, printer)?.is_some_and(|index| {
        index
            .versions
            .iter()
            .any(|v| v.sha256.eq_ignore_ascii_case(sha256))
    });
    if !listed {
        return Err(Error::user_hint(
            format!(
                "the signed index of the registry `{}` does not list the package of {name} that pluginkit.lock records (sha256 {sha256})",
                registry.name()
            ),
            "nothing was installed; the registry no longer vouches for it: run `pluginkit sync` without --locked to install what it lists now",
        ));
    }
    Ok(registry.verified_key(printer)?)
}

/// Refuse a lock entry from a registry with public keys unless the lock records that one of
/// them verified it: checked before any file of the registry is read, so such a refusal
/// leaves the host as it was.
fn check_recorded_key(registry: &Registry, l: &Locked) -> Result<(), Error> {
    if !registry.is_signed() {
        return Ok(());
    }
    let keys = registry.key_ids();
    let name = &l.name;
    let recorded = l.verified_by.as_deref();
    if recorded.is_some_and(|key| keys.iter().any(|k| k == key)) {
        return Ok(());
    }
    let recorded = match recorded {
        Some(key) => format!("was verified by the key {key}"),
        None => "was not verified by any key".to_owned(),
    };
    Err(Error::user_hint(
        format!(
            "pluginkit.lock says {name} {recorded}, which is not one of the public keys of the registry `{}` ({})",
            registry.name(),
            keys.join(", ")
        ),
        format!(
            "nothing was installed; `pluginkit sync` without --locked installs {name} as the registry's keys vouch for it now and records the key"
        ),
    ))
}
