//! Choosing versions: for each plugin asked for, the highest version that is not yanked, matches
//! every requirement on it (the user's and other plugins' `[dependencies]`), and whose
//! `requires` fits the host's version; with its dependencies chosen the same way, backtracking
//! to lower versions when a choice leaves a requirement unsatisfiable. The result is in install
//! order, dependencies first; a dependency cycle is refused.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use semver::{Version, VersionReq};

use crate::error::Domain;
use crate::registry::client;
use crate::registry::{Index, IndexVersion};

/// Why no set of versions could be chosen.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// Reading an index failed (boxed: the client's errors are large, and this type is
    /// returned all through the solver).
    #[error(transparent)]
    Registry(Box<client::Error>),
    /// `close`: the registry's names a typo away from it; `folder`: a folder of that name in
    /// the working folder, which `add` would install written `./NAME`. Filled in by
    /// `ops::resolve`, which can ask the registry's search.json and knows the working folder.
    #[error("the registry has no plugin named `{name}`")]
    Unknown {
        name: String,
        close: Vec<String>,
        folder: Option<String>,
    },
    #[error("{name} {version} in the registry has an invalid requirement on {dep}: `{req}`")]
    BadRequirement {
        name: String,
        version: Version,
        dep: String,
        req: String,
        #[source]
        source: semver::Error,
    },
    /// Two requirements on one plugin that no version meets together: `who` asked for `req`,
    /// and `picked` was chosen for the `others`.
    #[error(
        "{who} {name} {req}, but {name} {picked} was chosen ({})",
        if .others.is_empty() { "for another requirement".to_owned() } else { .others.join("; ") }
    )]
    Conflict {
        who: String,
        name: String,
        req: String,
        picked: String,
        others: Vec<String>,
    },
    #[error("no version of {name} matching {wanted} works with this host (version {host})")]
    NotForThisHost {
        name: String,
        wanted: String,
        host: String,
    },
    /// No published version matches; `published` says what there is.
    #[error("{who} {name} {wanted}, but the registry has no such version")]
    NoSuchVersion {
        who: String,
        name: String,
        wanted: String,
        published: String,
    },
    #[error("the plugins depend on each other in a cycle: {}", .cycle.join(" -> "))]
    Cycle { cycle: Vec<String> },
    #[error("no set of versions satisfies every requirement")]
    Unsatisfiable,
    /// The search reached [`MAX_TRIES`].
    #[error("gave up choosing versions after trying {tries} of them (last: {name})")]
    TooHard { tries: usize, name: String },
}

impl From<client::Error> for Error {
    fn from(error: client::Error) -> Self {
        Error::Registry(Box::new(error))
    }
}

impl Domain for Error {
    fn hint(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Error::Registry(error) => return error.hint(),
            Error::Unknown {
                folder: Some(folder),
                ..
            } => format!(
                "there is a folder {folder} here: a folder is written with ./ (pluginkit add ./{folder})"
            )
            .into(),
            Error::Unknown { close, .. } if !close.is_empty() => {
                let names: Vec<String> = close.iter().map(|n| format!("`{n}`")).collect();
                format!("did you mean {}?", names.join(" or ")).into()
            }
            Error::Unknown { .. } => {
                "check the name (`pluginkit search WORD` lists what there is)".into()
            }
            Error::BadRequirement { .. } | Error::Unsatisfiable => return None,
            Error::Conflict { .. } => {
                "the requirements on it cannot all be met; relax one of them".into()
            }
            Error::NotForThisHost { .. } => {
                "each matching version's `requires` excludes [host] version; upgrade the host or ask for an older plugin".into()
            }
            Error::NoSuchVersion { published, .. } => published.as_str().into(),
            Error::Cycle { .. } => {
                "a plugin cannot be installed before itself; the cycle must be broken in the plugins' [dependencies]".into()
            }
            Error::TooHard { .. } => {
                "the plugins' requirements leave too many combinations to try; ask for exact versions (NAME@=VERSION) of the plugins involved".into()
            }
        })
    }
}

/// A plugin chosen: its name and the version entry from its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chosen {
    pub(crate) name: String,
    pub(crate) version: IndexVersion,
}

/// What resolution starts from.
pub(crate) struct Problem<'a> {
    /// The plugins asked for, with their requirements.
    pub(crate) wanted: &'a [(String, VersionReq)],
    /// The host's own version, for `requires`; unknown hosts accept any.
    pub(crate) host: Option<&'a Version>,
    /// Plugins already installed (name -> version): a dependency they satisfy is kept as it is.
    pub(crate) installed: &'a BTreeMap<String, Version>,
    /// Versions to choose from first when any of them fits (`--offline`: those whose package
    /// is at hand); the others only when none does.
    pub(crate) prefer: Option<&'a dyn Fn(&IndexVersion) -> bool>,
}

/// How many versions resolution tries at most before giving up. Backjumping (see [`Solver`])
/// keeps real problems far below it, so reaching it means requirements that only an exhaustive
/// search could settle.
const MAX_TRIES: usize = 100_000;

/// Resolve `problem`, reading indexes through `lookup` (each name at most once). Returns the
/// plugins to install, dependencies first; installed plugins that already satisfy a dependency
/// are not in it.
pub(crate) fn resolve(
    problem: &Problem<'_>,
    lookup: &mut dyn FnMut(&str) -> Result<Option<Index>, client::Error>,
) -> Result<Vec<Chosen>, Error> {
    resolve_bounded(problem, lookup, MAX_TRIES)
}

/// [`resolve`], trying at most `limit` versions.
fn resolve_bounded(
    problem: &Problem<'_>,
    lookup: &mut dyn FnMut(&str) -> Result<Option<Index>, client::Error>,
    limit: usize,
) -> Result<Vec<Chosen>, Error> {
    let mut indexes: BTreeMap<String, Index> = BTreeMap::new();
    let mut solver = Solver {
        problem,
        indexes: &mut indexes,
        lookup,
        chosen: BTreeMap::new(),
        constraints: Vec::new(),
        on_name: HashMap::new(),
        failure: None,
        tries: 0,
        limit,
    };
    for (name, req) in problem.wanted {
        solver.push(Constraint {
            name: name.clone(),
            req: req.clone(),
            from: None,
        });
    }
    if !solver.solve()? {
        return Err(solver.failure.take().unwrap_or(Error::Unsatisfiable));
    }
    let chosen = solver.chosen.clone();
    order(&chosen, problem)
}

#[derive(Debug, Clone)]
struct Constraint {
    name: String,
    req: VersionReq,
    /// The plugin (and version) whose `[dependencies]` asks for it; `None` for the user.
    from: Option<(String, Version)>,
}

impl Constraint {
    /// The plugin whose choice put this requirement there, if any (not the user's).
    fn source(&self) -> Option<&String> {
        self.from.as_ref().map(|(name, _)| name)
    }
}

/// What was picked for a name: a version from the index, or the installed one kept.
#[derive(Debug, Clone)]
enum Pick {
    Index(Version, Box<IndexVersion>),
    Installed(Version),
}

impl Pick {
    fn version(&self) -> &Version {
        match self {
            Pick::Index(v, _) | Pick::Installed(v) => v,
        }
    }
}

/// The names of the plugins whose choices together explain a dead end: choosing another
/// version of one of them may help, choosing another version of anything else cannot.
type Culprits = BTreeSet<String>;

/// One choice made: which plugin, what is left to try, and why earlier tries failed.
struct Frame {
    name: String,
    /// The constraint that asked for it (resolution goes on after it).
    at: usize,
    /// Its candidates, best first; `next` is the first not yet tried.
    candidates: Vec<Pick>,
    next: usize,
    /// How many constraints there were before the choice added its dependencies.
    mark: usize,
    /// The plugins whose requirements narrowed the candidates.
    reasons: Culprits,
    /// The culprits of the candidates tried so far.
    conflict: Culprits,
}

/// A depth-first search over versions with conflict-directed backjumping: each dead end names
/// the choices that caused it (the plugins whose requirements clash, or whose requirements left
/// no candidate), and going back skips every choice that is not among them, since another
/// version of it would meet the same dead end. A dead end caused by the user's requirements
/// alone ends the search at once. The search is a loop over an explicit stack of choices, so a
/// plugin with thousands of dependencies costs memory, not native stack.
struct Solver<'p, 'l> {
    problem: &'p Problem<'p>,
    indexes: &'l mut BTreeMap<String, Index>,
    lookup: &'l mut dyn FnMut(&str) -> Result<Option<Index>, client::Error>,
    chosen: BTreeMap<String, Pick>,
    constraints: Vec<Constraint>,
    /// The indices in `constraints` of the constraints on each name.
    on_name: HashMap<String, Vec<usize>>,
    /// Why the last dead end was one, for the message when everything fails.
    failure: Option<Error>,
    /// Versions tried so far, and how many may be ([`MAX_TRIES`]).
    tries: usize,
    limit: usize,
}

impl Solver<'_, '_> {
    fn index(&mut self, name: &str) -> Result<&Index, Error> {
        if !self.indexes.contains_key(name) {
            let index = (self.lookup)(name)?.ok_or_else(|| Error::Unknown {
                name: name.to_owned(),
                close: Vec::new(),
                folder: None,
            })?;
            self.indexes.insert(name.to_owned(), index);
        }
        Ok(&self.indexes[name])
    }

    fn push(&mut self, constraint: Constraint) {
        self.on_name
            .entry(constraint.name.clone())
            .or_default()
            .push(self.constraints.len());
        self.constraints.push(constraint);
    }

    /// Drop the constraints from `mark` on.
    fn truncate(&mut self, mark: usize) {
        while self.constraints.len() > mark {
            let Some(constraint) = self.constraints.pop() else {
                break;
            };
            if let Some(list) = self.on_name.get_mut(&constraint.name) {
                list.pop();
            }
        }
    }

    fn constraints_on(&self, name: &str) -> impl Iterator<Item = &Constraint> {
        self.on_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.constraints[i])
    }

    /// Satisfy every constraint; false when no choice of versions does.
    fn solve(&mut self) -> Result<bool, Error> {
        let mut frames: Vec<Frame> = Vec::new();
        let mut cursor = 0;
        loop {
            let mut culprits = match self.forward(&mut frames, cursor)? {
                None => return Ok(true),
                Some(culprits) => culprits,
            };
            // Back to the latest choice among the culprits, undoing the choices after it.
            loop {
                let Some(frame) = frames.last_mut() else {
                    return Ok(false);
                };
                self.chosen.remove(&frame.name);
                let (mark, at) = (frame.mark, frame.at);
                if !culprits.remove(&frame.name) {
                    frames.pop();
                    self.truncate(mark);
                    continue;
                }
                frame.conflict.append(&mut culprits);
                self.truncate(mark);
                if self.apply_next(&mut frames)? {
                    cursor = at + 1;
                    break;
                }
                let Some(mut frame) = frames.pop() else {
                    return Ok(false);
                };
                culprits = std::mem::take(&mut frame.conflict);
                culprits.append(&mut frame.reasons);
                culprits.remove(&frame.name);
            }
        }
    }

    /// Satisfy the constraints from `cursor` on, choosing the best candidate for each plugin
    /// not chosen yet; `None` when every one is satisfied, else the culprits of the dead end.
    fn forward(
        &mut self,
        frames: &mut Vec<Frame>,
        mut cursor: usize,
    ) -> Result<Option<Culprits>, Error> {
        loop {
            let Some(constraint) = self.constraints.get(cursor).cloned() else {
                return Ok(None);
            };
            if let Some(pick) = self.chosen.get(&constraint.name) {
                if constraint.req.matches(pick.version()) {
                    cursor += 1;
                    continue;
                }
                self.failure = Some(conflict(
                    &constraint,
                    pick.version(),
                    self.constraints_on(&constraint.name),
                ));
                let mut culprits: Culprits = constraint.source().into_iter().cloned().collect();
                culprits.insert(constraint.name.clone());
                return Ok(Some(culprits));
            }
            let reasons: Culprits = self
                .constraints_on(&constraint.name)
                .filter_map(Constraint::source)
                .cloned()
                .collect();
            let candidates = self.candidates(&constraint)?;
            if candidates.is_empty() {
                return Ok(Some(reasons));
            }
            frames.push(Frame {
                name: constraint.name.clone(),
                at: cursor,
                candidates,
                next: 0,
                mark: self.constraints.len(),
                reasons,
                conflict: Culprits::new(),
            });
            // The first candidate always applies (the list is not empty).
            self.apply_next(frames)?;
            cursor += 1;
        }
    }

    /// Choose the next candidate of the latest choice: its version, and its dependencies as new
    /// constraints. False when none is left.
    fn apply_next(&mut self, frames: &mut [Frame]) -> Result<bool, Error> {
        let Some(frame) = frames.last_mut() else {
            return Ok(false);
        };
        let Some(pick) = frame.candidates.get(frame.next).cloned() else {
            return Ok(false);
        };
        frame.next += 1;
        self.tries += 1;
        if self.tries > self.limit {
            return Err(Error::TooHard {
                tries: self.limit,
                name: frame.name.clone(),
            });
        }
        let name = frame.name.clone();
        if let Pick::Index(version, entry) = &pick {
            for (dep, req) in &entry.dependencies {
                let req = VersionReq::parse(req).map_err(|source| Error::BadRequirement {
                    name: name.clone(),
                    version: version.clone(),
                    dep: dep.clone(),
                    req: req.clone(),
                    source,
                })?;
                self.push(Constraint {
                    name: dep.clone(),
                    req,
                    from: Some((name.clone(), version.clone())),
                });
            }
        }
        self.chosen.insert(name, pick);
        Ok(true)
    }

    /// The versions `constraint`'s plugin may take given every requirement on it, best first:
    /// the installed one when it is a dependency that one satisfies, then the index's. When
    /// there are none, `failure` says why.
    fn candidates(&mut self, constraint: &Constraint) -> Result<Vec<Pick>, Error> {
        let on_name: Vec<VersionReq> = self
            .constraints_on(&constraint.name)
            .map(|c| c.req.clone())
            .collect();
        let mut out = Vec::new();
        // A dependency an installed plugin already satisfies stays as it is.
        if constraint.from.is_some()
            && let Some(installed) = self.problem.installed.get(&constraint.name)
            && on_name.iter().all(|r| r.matches(installed))
        {
            out.push(Pick::Installed(installed.clone()));
        }
        let host = self.problem.host;
        let prefer = self.problem.prefer;
        let index = self.index(&constraint.name)?;
        let mut candidates: Vec<(Version, &IndexVersion)> = index
            .versions
            .iter()
            .filter(|v| !v.yanked)
            .filter_map(|v| Some((Version::parse(&v.version).ok()?, v)))
            .filter(|(version, _)| on_name.iter().all(|r| r.matches(version)))
            .collect();
        let before_host = candidates.len();
        candidates.retain(|(_, v)| fits_host(v, host));
        if let Some(prefer) = prefer
            && candidates.iter().any(|(_, v)| prefer(v))
        {
            candidates.retain(|(_, v)| prefer(v));
        }
        candidates.sort_by(|a, b| b.0.cmp(&a.0));
        if candidates.is_empty() && out.is_empty() {
            let error = nothing_matches(constraint, index, &on_name, host, before_host > 0);
            drop(candidates);
            self.failure = Some(error);
            return Ok(out);
        }
        out.extend(
            candidates
                .into_iter()
                .map(|(version, entry)| Pick::Index(version, Box::new(entry.clone()))),
        );
        Ok(out)
    }
}

fn fits_host(entry: &IndexVersion, host: Option<&Version>) -> bool {
    match (&entry.requires, host) {
        (Some(requires), Some(host)) => VersionReq::parse(requires).is_ok_and(|r| r.matches(host)),
        _ => true,
    }
}

fn who(constraint: &Constraint) -> String {
    match &constraint.from {
        Some((name, version)) => format!("{name} {version} needs"),
        None => "you asked for".to_owned(),
    }
}

fn conflict<'c>(
    constraint: &Constraint,
    picked: &Version,
    on_name: impl Iterator<Item = &'c Constraint>,
) -> Error {
    let others: Vec<String> = on_name
        .filter(|c| c.req.matches(picked))
        .map(|c| format!("{} {} {}", who(c), c.name, c.req))
        .collect();
    Error::Conflict {
        who: who(constraint),
        name: constraint.name.clone(),
        req: constraint.req.to_string(),
        picked: picked.to_string(),
        others,
    }
}

fn nothing_matches(
    constraint: &Constraint,
    index: &Index,
    reqs: &[VersionReq],
    host: Option<&Version>,
    host_excluded: bool,
) -> Error {
    let published: Vec<&str> = index.versions.iter().map(|v| v.version.as_str()).collect();
    let wanted = reqs
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if host_excluded {
        return Error::NotForThisHost {
            name: constraint.name.clone(),
            wanted,
            host: host.map(ToString::to_string).unwrap_or_default(),
        };
    }
    let yanked: Vec<&str> = index
        .versions
        .iter()
        .filter(|v| v.yanked)
        .map(|v| v.version.as_str())
        .collect();
    Error::NoSuchVersion {
        who: who(constraint),
        name: constraint.name.clone(),
        wanted,
        published: format!(
            "published: {}{}{}",
            if published.is_empty() {
                "none".to_owned()
            } else {
                published.join(", ")
            },
            if yanked.is_empty() {
                String::new()
            } else {
                format!(" (yanked: {})", yanked.join(", "))
            },
            if reqs
                .iter()
                .any(|r| r.comparators.iter().any(|c| !c.pre.is_empty()))
            {
                ""
            } else {
                "; pre-releases are chosen only when the requirement names one, e.g. @^2.0.0-beta.1"
            }
        ),
    }
}

/// Dependencies first; a cycle is an error naming it. A depth-first walk over an explicit
/// stack: a chain of thousands of dependencies costs no native stack.
fn order(chosen: &BTreeMap<String, Pick>, problem: &Problem<'_>) -> Result<Vec<Chosen>, Error> {
    type Deps<'a> = std::collections::btree_map::Keys<'a, String, String>;
    let mut out = Vec::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    // The plugins being visited, each with its dependencies not visited yet, and where each
    // name is on that path.
    let mut path: Vec<(&str, &IndexVersion, Deps<'_>)> = Vec::new();
    let mut on_path: HashMap<&str, usize> = HashMap::new();
    for (wanted, _) in problem.wanted {
        let mut next = Some(wanted.as_str());
        loop {
            if let Some(name) = next.take()
                && !done.contains(name)
            {
                if let Some(&at) = on_path.get(name) {
                    let mut cycle: Vec<String> =
                        path[at..].iter().map(|(n, _, _)| (*n).to_owned()).collect();
                    cycle.push(name.to_owned());
                    return Err(Error::Cycle { cycle });
                }
                match chosen.get_key_value(name) {
                    Some((name, Pick::Index(_, entry))) => {
                        on_path.insert(name.as_str(), path.len());
                        path.push((name.as_str(), &**entry, entry.dependencies.keys()));
                    }
                    _ => {
                        done.insert(name);
                    }
                }
            }
            let Some((name, entry, deps)) = path.last_mut() else {
                break;
            };
            if let Some(dep) = deps.next() {
                next = Some(dep.as_str());
                continue;
            }
            let (name, entry) = (*name, *entry);
            path.pop();
            on_path.remove(name);
            done.insert(name);
            out.push(Chosen {
                name: name.to_owned(),
                version: entry.clone(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(
        v: &str,
        deps: &[(&str, &str)],
        requires: Option<&str>,
        yanked: bool,
    ) -> IndexVersion {
        IndexVersion {
            version: v.into(),
            url: format!("files/x-{v}.zip"),
            sha256: "00".into(),
            size: 0,
            summary: None,
            flavor: "pluginkit".into(),
            requires: requires.map(Into::into),
            dependencies: deps
                .iter()
                .map(|(a, b)| ((*a).into(), (*b).into()))
                .collect(),
            yanked,
            published: "2026-01-01T00:00:00Z".into(),
            advisories: Vec::new(),
        }
    }

    fn registry(entries: Vec<(&str, Vec<IndexVersion>)>) -> BTreeMap<String, Index> {
        entries
            .into_iter()
            .map(|(name, versions)| {
                (
                    name.to_owned(),
                    Index {
                        format: 1,
                        name: name.into(),
                        versions,
                    },
                )
            })
            .collect()
    }

    fn run(
        reg: &BTreeMap<String, Index>,
        wanted: &[(&str, &str)],
        host: Option<&str>,
        installed: &[(&str, &str)],
    ) -> Result<Vec<(String, String)>, String> {
        run_bounded(reg, wanted, host, installed, MAX_TRIES)
    }

    fn run_bounded(
        reg: &BTreeMap<String, Index>,
        wanted: &[(&str, &str)],
        host: Option<&str>,
        installed: &[(&str, &str)],
        limit: usize,
    ) -> Result<Vec<(String, String)>, String> {
        let wanted: Vec<(String, VersionReq)> = wanted
            .iter()
            .map(|(n, r)| ((*n).to_owned(), VersionReq::parse(r).unwrap()))
            .collect();
        let host = host.map(|h| Version::parse(h).unwrap());
        let installed = installed
            .iter()
            .map(|(n, v)| ((*n).to_owned(), Version::parse(v).unwrap()))
            .collect();
        let mut lookups = Vec::new();
        let result = resolve_bounded(
            &Problem {
                wanted: &wanted,
                host: host.as_ref(),
                installed: &installed,
                prefer: None,
            },
            &mut |name| {
                lookups.push(name.to_owned());
                Ok(reg.get(name).cloned())
            },
            limit,
        );
        let mut seen = lookups.clone();
        seen.sort();
        seen.dedup();
        assert_eq!(
            seen.len(),
            lookups.len(),
            "each index is read once: {lookups:?}"
        );
        result
            .map(|chosen| {
                chosen
                    .into_iter()
                    .map(|c| (c.name, c.version.version))
                    .collect()
            })
            .map_err(|e| match e.hint() {
                Some(hint) => format!("{e} / {hint}"),
                None => e.to_string(),
            })
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect()
    }

    #[test]
    fn carets_tildes_ranges_and_prereleases() {
        let reg = registry(vec![(
            "hello",
            ["1.0.0", "1.2.0", "1.2.5", "1.3.0", "2.0.0", "2.1.0-beta.1"]
                .iter()
                .map(|v| version(v, &[], None, false))
                .collect(),
        )]);
        let one = |req: &str| {
            run(&reg, &[("hello", req)], None, &[]).unwrap()[0]
                .1
                .clone()
        };
        assert_eq!(one("*"), "2.0.0");
        assert_eq!(one("^1.2"), "1.3.0");
        assert_eq!(one("~1.2"), "1.2.5");
        assert_eq!(one(">=1.0, <1.3"), "1.2.5");
        assert_eq!(one("=1.0.0"), "1.0.0");
        assert_eq!(one("^2.1.0-beta.1"), "2.1.0-beta.1");
        let err = run(&reg, &[("hello", "^3")], None, &[]).unwrap_err();
        assert!(
            err.contains("you asked for hello ^3, but the registry has no such version"),
            "{err}"
        );
        let err = run(&reg, &[("nope", "*")], None, &[]).unwrap_err();
        assert!(err.contains("no plugin named `nope`"), "{err}");
    }

    #[test]
    fn yanked_versions_and_host_requires_are_skipped() {
        let reg = registry(vec![(
            "hello",
            vec![
                version("1.0.0", &[], Some(">=2.0, <3"), false),
                version("1.1.0", &[], Some(">=3.0"), false),
                version("1.2.0", &[], None, true),
            ],
        )]);
        assert_eq!(
            run(&reg, &[("hello", "*")], Some("2.4.0"), &[]).unwrap(),
            pairs(&[("hello", "1.0.0")])
        );
        assert_eq!(
            run(&reg, &[("hello", "*")], Some("3.1.0"), &[]).unwrap(),
            pairs(&[("hello", "1.1.0")])
        );
        assert_eq!(
            run(&reg, &[("hello", "*")], None, &[]).unwrap(),
            pairs(&[("hello", "1.1.0")])
        );
        let err = run(&reg, &[("hello", "*")], Some("1.0.0"), &[]).unwrap_err();
        assert!(
            err.contains("works with this host (version 1.0.0)"),
            "{err}"
        );
        let err = run(&reg, &[("hello", "=1.2.0")], None, &[]).unwrap_err();
        assert!(err.contains("yanked: 1.2.0"), "{err}");
    }

    #[test]
    fn dependencies_come_first_and_backtrack() {
        let reg = registry(vec![
            (
                "app",
                vec![
                    version("1.0.0", &[("auth", "^1")], None, false),
                    // The newest needs an auth that does not exist: falls back to 1.0.0.
                    version("1.1.0", &[("auth", "^9")], None, false),
                ],
            ),
            (
                "auth",
                vec![
                    version("1.0.0", &[("base", "^1")], None, false),
                    version("1.4.0", &[("base", "^1.1")], None, false),
                ],
            ),
            (
                "base",
                vec![
                    version("1.0.0", &[], None, false),
                    version("1.1.0", &[], None, false),
                ],
            ),
        ]);
        assert_eq!(
            run(&reg, &[("app", "*")], None, &[]).unwrap(),
            pairs(&[("base", "1.1.0"), ("auth", "1.4.0"), ("app", "1.0.0")])
        );
        // An installed base that satisfies ^1.1 is kept; one that does not is replaced.
        assert_eq!(
            run(&reg, &[("app", "*")], None, &[("base", "1.1.0")]).unwrap(),
            pairs(&[("auth", "1.4.0"), ("app", "1.0.0")])
        );
        // Two requirements on one plugin meet in a version that satisfies both.
        assert_eq!(
            run(&reg, &[("auth", "*"), ("base", "<1.1")], None, &[]).unwrap(),
            pairs(&[("base", "1.0.0"), ("auth", "1.0.0")])
        );
    }

    #[test]
    fn a_cycle_is_refused() {
        let reg = registry(vec![
            ("a", vec![version("1.0.0", &[("b", "*")], None, false)]),
            ("b", vec![version("1.0.0", &[("c", "*")], None, false)]),
            ("c", vec![version("1.0.0", &[("a", "*")], None, false)]),
        ]);
        let err = run(&reg, &[("a", "*")], None, &[]).unwrap_err();
        assert!(err.contains("cycle: a -> b -> c -> a"), "{err}");
    }

    /// `count` plugins `p0`... with `versions` versions each (1.0.0, 2.0.0...), no dependencies.
    fn many(count: usize, versions: usize) -> Vec<(String, Vec<IndexVersion>)> {
        (0..count)
            .map(|i| {
                let list = (1..=versions)
                    .map(|v| version(&format!("{v}.0.0"), &[], None, false))
                    .collect();
                (format!("p{i}"), list)
            })
            .collect()
    }

    fn registry_of(entries: Vec<(String, Vec<IndexVersion>)>) -> BTreeMap<String, Index> {
        registry(
            entries
                .iter()
                .map(|(name, versions)| (name.as_str(), versions.clone()))
                .collect(),
        )
    }

    fn deps_on(names: &[String], extra: &[(&str, &str)]) -> Vec<(String, String)> {
        names
            .iter()
            .map(|n| (n.clone(), "*".to_owned()))
            .chain(
                extra
                    .iter()
                    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned())),
            )
            .collect()
    }

    fn version_with(v: &str, deps: &[(String, String)]) -> IndexVersion {
        let deps: Vec<(&str, &str)> = deps.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        version(v, &deps, None, false)
    }

    /// The case: a plugin needing ten others of ten versions each and a version of one
    /// more that does not exist. Backtracking over the others took 10^10 tries; the dead end
    /// depends only on app's choice, so the search goes straight back to app.
    #[test]
    fn an_unsatisfiable_requirement_fails_fast() {
        let mut entries = many(10, 10);
        let names: Vec<String> = entries.iter().map(|(n, _)| n.clone()).collect();
        entries.push(("zz".into(), vec![version("1.0.0", &[], None, false)]));
        let deps = deps_on(&names, &[("zz", "^9")]);
        entries.push((
            "app".into(),
            vec![version_with("1.0.0", &deps), version_with("1.1.0", &deps)],
        ));
        let reg = registry_of(entries);
        let started = std::time::Instant::now();
        let err = run_bounded(&reg, &[("app", "*")], None, &[], 1000).unwrap_err();
        assert!(
            err.contains("app 1.0.0 needs zz ^9, but the registry has no such version"),
            "{err}"
        );
        assert!(started.elapsed().as_secs() < 5);
        // The user's own requirement that nothing meets ends the search at its first try.
        let err = run_bounded(&reg, &[("app", "*"), ("p3", "^99")], None, &[], 50).unwrap_err();
        assert!(err.contains("you asked for p3 ^99"), "{err}");
    }

    /// A dead end deep down goes back to the choice that caused it, over the unrelated ones in
    /// between, and still finds the answer.
    #[test]
    fn backjumping_still_finds_a_solution() {
        let mut entries = many(5, 3);
        let names: Vec<String> = entries.iter().map(|(n, _)| n.clone()).collect();
        entries.push((
            "a".into(),
            vec![
                version("1.0.0", &[], None, false),
                version("2.0.0", &[], None, false),
            ],
        ));
        // `zz` exists only in a version that needs the older `a`.
        entries.push((
            "zz".into(),
            vec![version("1.0.0", &[("a", "^1")], None, false)],
        ));
        let mut deps = vec![("a".to_owned(), "*".to_owned())];
        deps.extend(deps_on(&names, &[("zz", "*")]));
        entries.push(("app".into(), vec![version_with("1.0.0", &deps)]));
        let reg = registry_of(entries);
        let chosen = run_bounded(&reg, &[("app", "*")], None, &[], 20).unwrap();
        assert!(chosen.contains(&("a".into(), "1.0.0".into())), "{chosen:?}");
        assert!(
            chosen.contains(&("p4".into(), "3.0.0".into())),
            "{chosen:?}"
        );
        assert_eq!(chosen.last().unwrap().0, "app");
    }

    #[test]
    fn the_search_is_bounded() {
        let reg = registry(vec![
            (
                "app",
                (1..=50)
                    .map(|v| version(&format!("{v}.0.0"), &[("base", "^9")], None, false))
                    .collect(),
            ),
            ("base", vec![version("1.0.0", &[], None, false)]),
        ]);
        let err = run_bounded(&reg, &[("app", "*")], None, &[], 10).unwrap_err();
        assert!(
            err.contains("gave up choosing versions after trying 10"),
            "{err}"
        );
        assert!(err.contains("NAME@=VERSION"), "{err}");
        assert!(run(&reg, &[("app", "*")], None, &[]).is_err());
    }

    /// Thousands of dependencies, side by side and in one long chain: no recursion per
    /// dependency, and no pass over every constraint per constraint.
    #[test]
    fn wide_and_deep_dependencies_use_no_stack() {
        let count = 20_000;
        let mut entries = many(count, 1);
        let names: Vec<String> = entries.iter().map(|(n, _)| n.clone()).collect();
        entries.push((
            "wide".into(),
            vec![version_with("1.0.0", &deps_on(&names, &[]))],
        ));
        for (i, (_, versions)) in entries.iter_mut().enumerate().take(count - 1) {
            versions[0] = version_with("1.0.0", &[(format!("p{}", i + 1), "*".to_owned())]);
        }
        let reg = registry_of(entries);
        // Run on a thread with a small stack: the old recursion needed a frame per constraint.
        let chosen = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || run(&reg, &[("wide", "*")], None, &[]))
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        assert_eq!(chosen.len(), count + 1);
        assert_eq!(chosen[0].0, format!("p{}", count - 1));
        assert_eq!(chosen.last().unwrap().0, "wide");
    }
}
