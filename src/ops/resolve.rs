//! Registry resolution and fetching, shared by `add`, `sync` and `upgrade`: choosing the
//! registry a command uses from the host's configuration and opening it with the settings it
//! needs (download options, the cache); resolving the plugins asked for (and their
//! dependencies) against the host and what the plugins folder holds; fetching their packages,
//! up to sixteen at once, verified and cached.
//!
//! This is the registry kind of [`crate::source`]: it lives here rather than in `source/`
//! because the registry client downloads through `source::download`, and `source/` importing
//! `registry/` back would tie the two folders in a loop.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use semver::{Version, VersionReq};

use crate::error::Error;
use crate::output::Printer;
use crate::registry::advisory::{self, Advisory};
use crate::registry::client::{self, Registry};
use crate::registry::resolve::{self, Chosen, Problem};
use crate::registry::{Index, IndexVersion};
use crate::settings::Settings;

/// The registry a command uses: `name` (from `--registry`), else `PLUGINKIT_REGISTRY`, else the
/// one called `default`, else the only one configured.
pub(crate) fn open(
    settings: &Settings,
    name: Option<&str>,
    offline: bool,
) -> Result<Registry, Error> {
    let configured = &settings.host.config.registries;
    let Some(chosen) = name.map(str::to_owned).or_else(|| default_name(settings)) else {
        return Err(Error::user_hint(
            "no registry is configured",
            "add one to pluginkit.toml:\n  [registries.default]\n  index = \"https://plugins.example.com/\"",
        ));
    };
    let config = configured.get(&chosen).ok_or_else(|| {
        let names: Vec<&str> = configured.keys().map(String::as_str).collect();
        Error::user_hint(
            format!("pluginkit.toml has no registry named `{chosen}`"),
            if names.is_empty() {
                "add [registries.NAME] with an index to pluginkit.toml".to_owned()
            } else {
                format!("the configured registries: {}", names.join(", "))
            },
        )
    })?;
    Ok(Registry::open(
        &chosen,
        &config.index,
        &settings.host.root,
        token(settings, config.token_env.as_deref()),
        &cache(settings)?,
        offline,
        &settings.download,
    )?
    .trusting(config.keys.clone(), serials(settings)))
}

/// The host's record of the highest snapshot serial seen of each signed registry.
fn serials(settings: &Settings) -> Box<dyn crate::registry::client::Serials> {
    Box::new(crate::host::serials::SerialsFile::new(
        settings.dirs().state,
    ))
}

/// The variable `token-env` names, and its value in the environment.
fn token<'s>(
    settings: &'s Settings,
    token_env: Option<&'s str>,
) -> Option<(&'s str, Option<&'s OsStr>)> {
    token_env.map(|var| (var, settings.environment.var_os(var)))
}

/// The registry a package URL from `pluginkit.lock` comes from: the configured one whose index
/// it is under (for its token), else one opened at the URL's registry root (the part before
/// `files/`), without a token.
pub(crate) fn open_for_url(settings: &Settings, url: &str) -> Result<Registry, Error> {
    let cache = cache(settings)?;
    let open = |name: &str, index: &str, token_env: Option<&str>| {
        Registry::open(
            name,
            index,
            &settings.host.root,
            token(settings, token_env),
            &cache,
            false,
            &settings.download,
        )
    };
    for (name, config) in &settings.host.config.registries {
        let registry = open(name, &config.index, config.token_env.as_deref())?;
        if crate::util::url::is_under(url, &registry.root()) {
            return Ok(registry.trusting(config.keys.clone(), serials(settings)));
        }
    }
    let root = url.rfind("/files/").map_or(url, |at| &url[..=at]);
    Ok(open("lock", root, None)?)
}

/// Each configured registry's name and root URL (what its packages' URLs start with), for
/// naming the registry a recorded package came from; a registry that cannot be opened is left
/// out.
pub(crate) fn roots(settings: &Settings) -> Vec<(String, String)> {
    let Ok(cache) = cache(settings) else {
        return Vec::new();
    };
    settings
        .host
        .config
        .registries
        .iter()
        .filter_map(|(name, config)| {
            let registry = Registry::open(
                name,
                &config.index,
                &settings.host.root,
                None,
                &cache,
                true,
                &settings.download,
            )
            .ok()?;
            Some((name.clone(), registry.root()))
        })
        .collect()
}

/// The download cache's folder, or why there is none.
fn cache(settings: &Settings) -> Result<PathBuf, Error> {
    settings.cache_dir.clone().ok_or_else(|| {
        Error::user_hint(
            "cannot tell where to keep the download cache",
            "set PLUGINKIT_CACHE_DIR (or XDG_CACHE_HOME or HOME)",
        )
    })
}

/// The registry a plain `name = "^1.2"` in `[plugins]` comes from: `PLUGINKIT_REGISTRY`, else
/// the one called `default`, else the only one configured.
pub(crate) fn default_name(settings: &Settings) -> Option<String> {
    let configured = &settings.host.config.registries;
    settings
        .registry
        .clone()
        .or_else(|| {
            configured
                .contains_key("default")
                .then(|| "default".to_owned())
        })
        .or_else(|| {
            (configured.len() == 1)
                .then(|| configured.keys().next().cloned())
                .flatten()
        })
}

/// The plugins in the plugins folder, by name, with their versions.
pub(crate) fn installed_versions(settings: &Settings) -> BTreeMap<String, semver::Version> {
    versions_of(&installed_manifests(settings))
}

/// The versions in `manifests` (the plugins that have a SemVer one).
pub(crate) fn versions_of(manifests: &Manifests) -> BTreeMap<String, semver::Version> {
    manifests
        .iter()
        .filter_map(|(name, (version, _))| Some((name.clone(), version.clone()?)))
        .collect()
}

/// Each installed plugin's version and what its manifest depends on.
pub(crate) type Manifests = BTreeMap<
    String,
    (
        Option<semver::Version>,
        Vec<(String, Option<semver::VersionReq>)>,
    ),
>;

/// The plugins in the plugins folder, by folder name: the version of each and what its manifest
/// depends on (with the requirements).
pub(crate) fn installed_manifests(settings: &Settings) -> Manifests {
    let Ok(scan) = super::scan_plugins(settings) else {
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

/// How many index files or packages are fetched at once: enough that a registry 50 ms away
/// answers fifty plugins in a few round trips, few enough for any web server or CDN.
const PARALLEL_DOWNLOADS: usize = 16;

/// Resolve `wanted` against `registry` for a host of version `host`; `installed` is what the
/// plugins folder holds (name -> version). `here` is the working folder when the names were
/// typed there (`add`): a name the registry lacks that is a folder there is pointed out.
pub(crate) fn plan(
    printer: &Printer,
    registry: &Registry,
    wanted: &[(String, VersionReq)],
    host: Option<&Version>,
    installed: &BTreeMap<String, Version>,
    here: Option<&Path>,
) -> Result<Vec<Chosen>, Error> {
    let at_hand = |v: &IndexVersion| registry.available_offline(v);
    let problem = Problem {
        wanted,
        host,
        installed,
        // Offline, a version whose package is cached beats a newer one that would need the
        // network.
        prefer: registry
            .is_offline()
            .then_some(&at_hand as &dyn Fn(&IndexVersion) -> bool),
    };
    let mut prefetched = prefetch_indexes(registry, wanted, printer);
    resolve::resolve(&problem, &mut |name| match prefetched.remove(name) {
        Some(result) => result,
        None => registry.index(name, printer),
    })
    .map_err(|error| match error {
        resolve::Error::Unknown { name, .. } => {
            let folder = here
                .filter(|here| here.join(&name).is_dir())
                .map(|_| name.clone());
            let close = if folder.is_some() {
                Vec::new()
            } else {
                close_names(registry, &name, printer)
            };
            resolve::Error::Unknown {
                name,
                close,
                folder,
            }
            .into()
        }
        error => error.into(),
    })
}

/// The names in the registry's search.json a typo away from `name`; none when it cannot be read
/// (the error at hand is that `name` is not there, whatever else is).
fn close_names(registry: &Registry, name: &str, printer: &Printer) -> Vec<String> {
    let Ok(search) = registry.search(printer) else {
        return Vec::new();
    };
    let names = search.plugins.iter().map(|p| p.name.as_str());
    crate::util::suggest::close(name, names)
        .into_iter()
        .take(3)
        .map(str::to_owned)
        .collect()
}

/// Say which of the versions `chosen` to install have published advisories, a warning each
/// naming them; with `deny` (`--deny-advisories`), refuse them all before anything is fetched.
pub(crate) fn check_advisories(
    printer: &Printer,
    chosen: &[Chosen],
    deny: bool,
) -> Result<(), Error> {
    let affected: Vec<(&Chosen, Vec<&Advisory>)> = chosen
        .iter()
        .map(|c| (c, c.version.advisories.iter().collect::<Vec<_>>()))
        .filter(|(_, advisories)| !advisories.is_empty())
        .collect();
    if affected.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = affected
        .iter()
        .map(|(c, advisories)| {
            format!(
                "{} {} has {} {}",
                c.name,
                c.version.version,
                if advisories.len() == 1 {
                    "an advisory:"
                } else {
                    "advisories:"
                },
                advisory::describe(advisories)
            )
        })
        .collect();
    if deny {
        return Err(Error::user_hint(
            format!(
                "{}; with --deny-advisories nothing was installed",
                lines.join("; ")
            ),
            "ask for a version the advisories do not affect (NAME@VERSION), or leave out --deny-advisories to install it anyway",
        ));
    }
    for line in lines {
        printer.warn(format!(
            "{line} (`pluginkit audit` lists what is installed)"
        ));
    }
    Ok(())
}

/// The index files resolution will want, fetched [`PARALLEL_DOWNLOADS`] at once: the plugins
/// asked for, then every plugin any of their versions depends on, level by level. One after
/// another, each index would cost a round trip (a request, or a revalidation of the cached
/// copy), and over a real network those add up to most of a sync.
fn prefetch_indexes(
    registry: &Registry,
    wanted: &[(String, VersionReq)],
    printer: &Printer,
) -> BTreeMap<String, Result<Option<Index>, client::Error>> {
    let mut fetched: BTreeMap<String, Result<Option<Index>, client::Error>> = BTreeMap::new();
    let mut frontier: Vec<String> = wanted.iter().map(|(name, _)| name.clone()).collect();
    frontier.sort();
    frontier.dedup();
    while !frontier.is_empty() {
        let results = parallel_map(&frontier, |name| registry.index(name, printer));
        let mut next = BTreeSet::new();
        for (name, result) in frontier.drain(..).zip(results) {
            if let Ok(Some(index)) = &result {
                for version in &index.versions {
                    next.extend(version.dependencies.keys().cloned());
                }
            }
            fetched.insert(name, result);
        }
        frontier = next
            .into_iter()
            .filter(|name| !fetched.contains_key(name))
            .collect();
    }
    fetched
}

/// `f` over `items` on up to [`PARALLEL_DOWNLOADS`] threads; the results in the items' order.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL_DOWNLOADS.min(items.len()) {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut next = next.lock().unwrap_or_else(|p| p.into_inner());
                        let i = *next;
                        *next += 1;
                        i
                    };
                    let Some(item) = items.get(i) else { break };
                    let result = f(item);
                    results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.expect("every item is taken by a worker"))
        .collect()
}

/// The packages of `chosen`, verified and cached, in the same order; fetched up to
/// [`PARALLEL_DOWNLOADS`] at once behind one progress bar.
pub(crate) fn fetch_all(
    registry: &Registry,
    chosen: &[Chosen],
    printer: &Printer,
) -> Result<Vec<PathBuf>, Error> {
    let total: u64 = chosen.iter().map(|c| c.version.size).sum();
    let bar = printer.progress_download(
        (total > 0).then_some(total),
        format!(
            "Fetching {} package{}",
            chosen.len(),
            if chosen.len() == 1 { "" } else { "s" }
        ),
    );
    let results = parallel_map(chosen, |c| {
        registry.package(&c.name, &c.version, printer, &bar)
    });
    bar.finish_and_clear();
    Ok(results.into_iter().collect::<Result<_, _>>()?)
}
