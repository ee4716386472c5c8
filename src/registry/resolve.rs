//! Choosing versions: for each plugin asked for, the highest version that is not yanked, matches
//! every requirement on it (the user's and other plugins' `[dependencies]`), and whose
//! `requires` fits the host's version; with its dependencies chosen the same way, backtracking
//! to lower versions when a choice leaves a requirement unsatisfiable. The result is in install
//! order, dependencies first; a dependency cycle is refused.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

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
    #[error("the registry has no plugin named `{name}`")]
    Unknown { name: String },
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

/// Resolve `problem`, reading indexes through `lookup` (each name at most once). Returns the
/// plugins to install, dependencies first; installed plugins that already satisfy a dependency
/// are not in it.
pub(crate) fn resolve(
    problem: &Problem<'_>,
    lookup: &mut dyn FnMut(&str) -> Result<Option<Index>, client::Error>,
) -> Result<Vec<Chosen>, Error> {
    let mut indexes: BTreeMap<String, Index> = BTreeMap::new();
    let mut solver = Solver {
        problem,
        indexes: &mut indexes,
        lookup,
        chosen: BTreeMap::new(),
        constraints: Vec::new(),
        failure: None,
    };
    for (name, req) in problem.wanted {
        solver.constraints.push(Constraint {
            name: name.clone(),
            req: req.clone(),
            from: None,
        });
    }
    if !solver.solve(0)? {
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

struct Solver<'p, 'l> {
    problem: &'p Problem<'p>,
    indexes: &'l mut BTreeMap<String, Index>,
    lookup: &'l mut dyn FnMut(&str) -> Result<Option<Index>, client::Error>,
    chosen: BTreeMap<String, Pick>,
    constraints: Vec<Constraint>,
    /// Why the last dead end was one, for the message when everything fails.
    failure: Option<Error>,
}

impl Solver<'_, '_> {
    fn index(&mut self, name: &str) -> Result<&Index, Error> {
        if !self.indexes.contains_key(name) {
            let index = (self.lookup)(name)?.ok_or_else(|| Error::Unknown {
                name: name.to_owned(),
            })?;
            self.indexes.insert(name.to_owned(), index);
        }
        Ok(&self.indexes[name])
    }

    /// Satisfy the constraints from `next` on; true when every one is.
    fn solve(&mut self, next: usize) -> Result<bool, Error> {
        let Some(constraint) = self.constraints.get(next).cloned() else {
            return Ok(true);
        };
        if let Some(pick) = self.chosen.get(&constraint.name) {
            if constraint.req.matches(pick.version()) {
                return self.solve(next + 1);
            }
            self.failure = Some(conflict(&constraint, pick.version(), &self.constraints));
            return Ok(false);
        }
        let on_name: Vec<VersionReq> = self
            .constraints
            .iter()
            .filter(|c| c.name == constraint.name)
            .map(|c| c.req.clone())
            .collect();
        // A dependency an installed plugin already satisfies stays as it is.
        if constraint.from.is_some()
            && let Some(installed) = self.problem.installed.get(&constraint.name)
            && on_name.iter().all(|r| r.matches(installed))
        {
            self.chosen
                .insert(constraint.name.clone(), Pick::Installed(installed.clone()));
            if self.solve(next + 1)? {
                return Ok(true);
            }
            self.chosen.remove(&constraint.name);
        }
        let host = self.problem.host;
        let index = self.index(&constraint.name)?.clone();
        let mut candidates: Vec<(Version, IndexVersion)> = index
            .versions
            .iter()
            .filter(|v| !v.yanked)
            .filter_map(|v| Some((Version::parse(&v.version).ok()?, v.clone())))
            .filter(|(version, _)| on_name.iter().all(|r| r.matches(version)))
            .collect();
        let before_host = candidates.len();
        candidates.retain(|(_, v)| fits_host(v, host));
        if let Some(prefer) = self.problem.prefer
            && candidates.iter().any(|(_, v)| prefer(v))
        {
            candidates.retain(|(_, v)| prefer(v));
        }
        candidates.sort_by(|a, b| b.0.cmp(&a.0));
        if candidates.is_empty() {
            self.failure = Some(nothing_matches(
                &constraint,
                &index,
                &on_name,
                host,
                before_host > 0,
            ));
            return Ok(false);
        }
        for (version, entry) in candidates {
            let mark = self.constraints.len();
            for (dep, req) in &entry.dependencies {
                let req = VersionReq::parse(req).map_err(|source| Error::BadRequirement {
                    name: constraint.name.clone(),
                    version: version.clone(),
                    dep: dep.clone(),
                    req: req.clone(),
                    source,
                })?;
                self.constraints.push(Constraint {
                    name: dep.clone(),
                    req,
                    from: Some((constraint.name.clone(), version.clone())),
                });
            }
            self.chosen.insert(
                constraint.name.clone(),
                Pick::Index(version.clone(), Box::new(entry.clone())),
            );
            if self.solve(next + 1)? {
                return Ok(true);
            }
            self.chosen.remove(&constraint.name);
            self.constraints.truncate(mark);
        }
        Ok(false)
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

fn conflict(constraint: &Constraint, picked: &Version, all: &[Constraint]) -> Error {
    let others: Vec<String> = all
        .iter()
        .filter(|c| c.name == constraint.name && c.req.matches(picked))
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

/// Dependencies first; a cycle is an error naming it.
fn order(chosen: &BTreeMap<String, Pick>, problem: &Problem<'_>) -> Result<Vec<Chosen>, Error> {
    let mut out = Vec::new();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut path: Vec<String> = Vec::new();
    fn visit(
        name: &str,
        chosen: &BTreeMap<String, Pick>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
        out: &mut Vec<Chosen>,
    ) -> Result<(), Error> {
        if done.contains(name) {
            return Ok(());
        }
        if let Some(at) = path.iter().position(|p| p == name) {
            let mut cycle: Vec<&str> = path[at..].iter().map(String::as_str).collect();
            cycle.push(name);
            return Err(Error::Cycle {
                cycle: cycle.into_iter().map(str::to_owned).collect(),
            });
        }
        let Some(Pick::Index(_, entry)) = chosen.get(name) else {
            done.insert(name.to_owned());
            return Ok(());
        };
        path.push(name.to_owned());
        for dep in entry.dependencies.keys() {
            visit(dep, chosen, done, path, out)?;
        }
        path.pop();
        done.insert(name.to_owned());
        out.push(Chosen {
            name: name.to_owned(),
            version: (**entry).clone(),
        });
        Ok(())
    }
    for (name, _) in problem.wanted {
        visit(name, chosen, &mut done, &mut path, &mut out)?;
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
        let result = resolve(
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
}
