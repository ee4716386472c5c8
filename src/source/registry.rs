//! What `add NAME@REQ` and `sync` do with a registry: resolve the plugins asked for (and their
//! dependencies) against the host, and fetch their packages, up to sixteen at once, verified and
//! cached. Which configured registry to use is chosen by the operations (`ops::resolve`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

use semver::{Version, VersionReq};

use crate::error::Error;
use crate::output::Printer;
use crate::registry::Index;
use crate::registry::client::Registry;
use crate::registry::resolve::{self, Chosen, Problem};

/// How many index files or packages are fetched at once: enough that a registry 50 ms away
/// answers fifty plugins in a few round trips, few enough for any web server or CDN.
const PARALLEL_DOWNLOADS: usize = 16;

/// `NAME` or `NAME@REQ` as `add` takes it. Returns the name, the requirement (`*` when none)
/// and the requirement as written.
pub fn parse_request(text: &str) -> Result<(String, VersionReq, Option<String>), Error> {
    let (name, req) = match text.split_once('@') {
        Some((name, req)) => (name, Some(req)),
        None => (text, None),
    };
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid_name {
        return Err(Error::usage(
            format!("`{text}` is neither a path, a URL nor a plugin name"),
            "give a plugin name (hello, hello@^1.2), a .zip file or URL, a folder, or a git URL",
        ));
    }
    let parsed = match req {
        None => VersionReq::STAR,
        Some(req) => VersionReq::parse(req).map_err(|e| {
            Error::usage(
                format!("`{req}` in {text} is not a SemVer requirement: {e}"),
                "write e.g. hello@^1.2, hello@~1.2.3, hello@\">=1.0, <2\" or hello@1.2.0",
            )
        })?,
    };
    Ok((name.to_owned(), parsed, req.map(str::to_owned)))
}

/// Resolve `wanted` against `registry` for a host of version `host`; `installed` is what the
/// plugins folder holds (name -> version).
pub fn plan(
    printer: &Printer,
    registry: &Registry,
    wanted: &[(String, VersionReq)],
    host: Option<&Version>,
    installed: &BTreeMap<String, Version>,
) -> Result<Vec<Chosen>, Error> {
    let at_hand = |v: &crate::registry::IndexVersion| registry.available_offline(v);
    let problem = Problem {
        wanted,
        host,
        installed,
        // Offline, a version whose package is cached beats a newer one that would need the
        // network.
        prefer: registry
            .is_offline()
            .then_some(&at_hand as &dyn Fn(&crate::registry::IndexVersion) -> bool),
    };
    let mut prefetched = prefetch_indexes(registry, wanted, printer);
    resolve::resolve(&problem, &mut |name| match prefetched.remove(name) {
        Some(result) => result,
        None => registry.index(name, printer),
    })
}

/// The index files resolution will want, fetched [`PARALLEL_DOWNLOADS`] at once: the plugins
/// asked for, then every plugin any of their versions depends on, level by level. One after
/// another, each index would cost a round trip (a request, or a revalidation of the cached
/// copy), and over a real network those add up to most of a sync.
fn prefetch_indexes(
    registry: &Registry,
    wanted: &[(String, VersionReq)],
    printer: &Printer,
) -> BTreeMap<String, Result<Option<Index>, Error>> {
    let mut fetched: BTreeMap<String, Result<Option<Index>, Error>> = BTreeMap::new();
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
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
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
pub fn fetch_all(
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
    results.into_iter().collect()
}
