//! The outdated check, for `outdated` and `upgrade`: for plugins installed from git or a
//! registry, whether their source has moved on: a newer SemVer tag for a `--tag` pin (within its
//! `--semver` range), a new commit for a branch (a `--rev` pin never moves), a newer version in
//! the registry within `[plugins]`' requirement (and the registry's advisories on the installed
//! version). Asks each remote for its refs and fetches nothing.

use serde::Serialize;

use crate::error::{Error, Report};
use crate::host::plugins::Wanted;
use crate::host::receipts::Receipt;
use crate::output::Printer;
use crate::registry::IndexVersion;
use crate::registry::advisory::Advisory;
use crate::settings::Settings;
use crate::source::git::{self, GitSource, Listing, Pin};
use crate::source::id::SourceId;

/// What a git-installed plugin could move to.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub(crate) enum Latest {
    /// Nothing newer within the pin.
    UpToDate,
    /// A newer tag (the highest SemVer tag within the range).
    NewerTag { tag: String, commit: String },
    /// The branch moved to another commit.
    NewerCommit { commit: String },
    /// A `--rev` pin, or a tag that is not a SemVer version: never moves.
    Pinned,
    /// The remote could not be asked (unreachable, gone, refused): the others are still
    /// checked, and the command fails at the end. `error` is the message and its causes on one
    /// line; `hint` what to do; `chain` the message and each cause, for people.
    Failed {
        error: String,
        hint: Option<String>,
        #[serde(skip)]
        chain: Vec<String>,
    },
    /// A newer version in the registry (within `[plugins]`' requirement for it, if any).
    NewerVersion { version: String },
}

/// Where a checked plugin comes from.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    Git(GitSource),
    /// A registry, by the URL of the installed package.
    Registry {
        url: String,
    },
}

/// One git-installed plugin, checked against its remote.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Checked {
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) url: String,
    /// The source in a few words, for a table, as `list` shows it (JSON has `url`).
    #[serde(skip)]
    pub(crate) source_short: String,
    /// `tag`, `branch`, `rev`, `default-branch`, or `registry`.
    pub(crate) pin: &'static str,
    /// The tag, branch or commit pinned (none for the default branch); for a registry plugin,
    /// `[plugins]`' requirement.
    pub(crate) pinned: Option<String>,
    /// The installed commit, for a git plugin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) commit: Option<String>,
    pub(crate) latest: Latest,
    /// The newest version the requirement allows (`[plugins]`' for a registry plugin, the
    /// `--semver` range for a git tag): what `upgrade` moves to. cargo-outdated's Compat.
    pub(crate) compat: Option<String>,
    /// The newest version published, whatever the requirement (not yanked; a pre-release only
    /// for a plugin on one). cargo-outdated's Latest.
    pub(crate) newest: Option<String>,
    /// The installed version is yanked from the registry.
    pub(crate) yanked: bool,
    /// The registry's advisories that affect the installed version.
    pub(crate) advisories: Vec<Advisory>,
    #[serde(skip)]
    pub(crate) origin: Origin,
}

impl Checked {
    pub(crate) fn is_outdated(&self) -> bool {
        matches!(
            self.latest,
            Latest::NewerTag { .. } | Latest::NewerCommit { .. } | Latest::NewerVersion { .. }
        )
    }

    /// How the installed state reads: `v1.0.0 (0123abcd4567)`, `main@0123abcd4567`, `1.0.0
    /// (yanked)`.
    pub(crate) fn installed(&self) -> String {
        let Origin::Git(source) = &self.origin else {
            let version = self.version.clone().unwrap_or_default();
            return if self.yanked {
                format!("{version} (yanked)")
            } else {
                version
            };
        };
        let commit = git::short(self.commit.as_deref().unwrap_or_default());
        match &source.pin {
            Pin::Tag(tag) => format!("{tag} ({commit})"),
            Pin::Branch(branch) => format!("{branch}@{commit}"),
            Pin::DefaultBranch | Pin::Rev(_) => commit.to_owned(),
        }
    }

    /// How the newest published version reads: the version, or the tag; what Compat says when
    /// the source has no versions beyond the pin (a branch, a commit).
    pub(crate) fn newest_text(&self) -> String {
        match &self.newest {
            Some(newest) => newest.clone(),
            None => self.latest_text(),
        }
    }

    /// How the latest within the pin reads (Compat).
    pub(crate) fn latest_text(&self) -> String {
        match &self.latest {
            Latest::UpToDate => "up to date".to_owned(),
            Latest::NewerTag { tag, commit } => format!("{tag} ({})", git::short(commit)),
            Latest::NewerCommit { commit } => match &self.origin {
                Origin::Git(GitSource {
                    pin: Pin::Branch(branch),
                    ..
                }) => format!("{branch}@{}", git::short(commit)),
                _ => git::short(commit).to_owned(),
            },
            Latest::NewerVersion { version } => version.clone(),
            Latest::Pinned => "pinned".to_owned(),
            Latest::Failed { .. } => "unknown".to_owned(),
        }
    }
}

/// The git-installed plugins among `names` (all of them when empty), checked against their
/// remotes. A name not installed, or not from git, is an error.
pub(crate) fn check(
    settings: &Settings,
    printer: &Printer,
    names: &[String],
) -> Result<Vec<Checked>, Error> {
    let dirs = settings.dirs();
    let receipts = Receipt::load_all(&dirs.state);
    let mut chosen: Vec<&Receipt> = Vec::new();
    for name in names {
        let receipt = receipts.iter().find(|r| &r.name == name).ok_or_else(|| {
            let known = receipts.iter().map(|r| r.name.as_str());
            Error::user_hint(
                format!("`{name}` was not installed by pluginkit"),
                match crate::util::suggest::closest(name, known) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => "`pluginkit list` shows what is installed".to_owned(),
                },
            )
        })?;
        if !receipt.source.is_upgradable() {
            return Err(Error::user_hint(
                format!(
                    "`{name}` was installed from {}, not from git or a registry, so it has no newer version to look for",
                    receipt.source
                ),
                "reinstall it with `pluginkit add --force` from its new package",
            ));
        }
        chosen.push(receipt);
    }
    if names.is_empty() {
        chosen = receipts
            .iter()
            .filter(|r| r.source.is_upgradable())
            .collect();
    }
    // The configured registries' roots, to name a registry plugin's registry.
    let registries = if chosen
        .iter()
        .any(|r| matches!(r.source, SourceId::Registry { .. }))
    {
        super::resolve::roots(settings)
    } else {
        Vec::new()
    };
    let mut checked = Vec::new();
    for receipt in chosen {
        let source_short = super::show::short_source(settings, &registries, &receipt.source);
        let (source, commit) = match &receipt.source {
            SourceId::Git { source, commit } => (source.clone(), commit.clone()),
            SourceId::Registry { url } => {
                checked.push(Checked {
                    source_short,
                    ..check_registry(settings, printer, receipt, url)
                });
                continue;
            }
            _ => continue,
        };
        let mut newest = None;
        let latest = match &source.pin {
            Pin::Rev(_) => Latest::Pinned,
            _ => {
                let credentials = git::Credentials::for_url(&source.url, &settings.git);
                let fetcher = git::Fetcher {
                    source: &source,
                    url: &source.url,
                    credentials: &credentials,
                    printer,
                };
                match fetcher.list().map_err(Error::from).and_then(|listing| {
                    Ok((
                        latest(&source, &commit, &listing)?,
                        newest_tag(&source, &listing),
                    ))
                }) {
                    Ok((latest, tag)) => {
                        newest = tag;
                        latest
                    }
                    Err(error) => failed(&error),
                }
            }
        };
        let compat = match (&latest, &source.pin) {
            (Latest::NewerTag { tag, .. }, _) => Some(tag.clone()),
            (Latest::UpToDate, Pin::Tag(tag)) => Some(tag.clone()),
            _ => None,
        };
        let (pin, pinned) = match &source.pin {
            Pin::DefaultBranch => ("default-branch", None),
            Pin::Tag(tag) => ("tag", Some(tag.clone())),
            Pin::Branch(branch) => ("branch", Some(branch.clone())),
            Pin::Rev(rev) => ("rev", Some(rev.clone())),
        };
        checked.push(Checked {
            name: receipt.name.clone(),
            version: receipt.version.clone(),
            url: source.url.clone(),
            source_short,
            pin,
            pinned,
            commit: Some(commit),
            latest,
            compat,
            newest,
            yanked: false,
            advisories: Vec::new(),
            origin: Origin::Git(source),
        });
    }
    Ok(checked)
}

/// A registry plugin against its registry's index: the highest version that is not yanked, fits
/// the host, and is within `[plugins]`' requirement for it (any higher one without).
fn check_registry(settings: &Settings, printer: &Printer, receipt: &Receipt, url: &str) -> Checked {
    // `[plugins]`' requirement for it, as written, when it is a registry entry that gives one.
    let (req_text, req) = match settings.host.config.plugins.get(&receipt.name) {
        Some(Ok(Wanted::Registry {
            req,
            version: Some(text),
            ..
        })) => (Some(text.clone()), Ok(Some(req.clone()))),
        Some(Err(finding)) => (None, Err(Error::Diagnostic(Box::new(finding.clone())))),
        _ => (None, Ok(None)),
    };
    let installed = receipt
        .version
        .as_deref()
        .and_then(|v| semver::Version::parse(v).ok());
    let mut found = Found::default();
    let latest = (|| -> Result<Latest, Error> {
        let req = req?;
        let registry = crate::ops::resolve::open_for_url(settings, url)?;
        let Some(index) = registry.index(&receipt.name, printer)? else {
            return Err(Error::user(format!(
                "the registry no longer lists {}",
                receipt.name
            )));
        };
        let host = settings.host.version.as_ref();
        let published: Vec<(semver::Version, &IndexVersion)> = index
            .versions
            .iter()
            .filter_map(|v| Some((semver::Version::parse(&v.version).ok()?, v)))
            .collect();
        found.advisories = receipt
            .version
            .as_deref()
            .map(|v| index.advisories_for(v).into_iter().cloned().collect())
            .unwrap_or_default();
        found.yanked = published
            .iter()
            .any(|(v, entry)| entry.yanked && Some(v) == installed.as_ref());
        let on_pre = installed.as_ref().is_some_and(|v| !v.pre.is_empty());
        let available = || {
            published
                .iter()
                .filter(|(_, entry)| !entry.yanked)
                .map(|(v, entry)| (v, *entry))
        };
        let compat = available()
            .filter(|(v, _)| req.as_ref().is_none_or(|r| r.matches(v)))
            .filter(|(v, _)| v.pre.is_empty() || req.is_some())
            .filter(|(_, entry)| match (&entry.requires, host) {
                (Some(requires), Some(host)) => {
                    semver::VersionReq::parse(requires).is_ok_and(|r| r.matches(host))
                }
                _ => true,
            })
            .map(|(v, _)| v)
            .max();
        found.newest = available()
            .filter(|(v, _)| v.pre.is_empty() || on_pre)
            .map(|(v, _)| v)
            .max()
            .map(ToString::to_string);
        found.compat = compat.map(ToString::to_string);
        Ok(match (compat, &installed) {
            (Some(newest), Some(installed)) if newest > installed => Latest::NewerVersion {
                version: newest.to_string(),
            },
            (Some(newest), None) => Latest::NewerVersion {
                version: newest.to_string(),
            },
            _ => Latest::UpToDate,
        })
    })()
    .unwrap_or_else(|error| failed(&error));
    Checked {
        name: receipt.name.clone(),
        version: receipt.version.clone(),
        url: url.to_owned(),
        source_short: String::new(),
        pin: "registry",
        pinned: req_text,
        commit: None,
        latest,
        compat: found.compat,
        newest: found.newest,
        yanked: found.yanked,
        advisories: found.advisories,
        origin: Origin::Registry {
            url: url.to_owned(),
        },
    }
}

/// What a registry's index says of a plugin besides what `upgrade` would move to.
#[derive(Default)]
struct Found {
    compat: Option<String>,
    newest: Option<String>,
    yanked: bool,
    advisories: Vec<Advisory>,
}

/// The highest SemVer tag of a `--tag` pinned repository, whatever its `--semver` range (a
/// pre-release only for a plugin on one).
fn newest_tag(source: &GitSource, listing: &Listing) -> Option<String> {
    let Pin::Tag(tag) = &source.pin else {
        return None;
    };
    let current = tag_version(tag)?;
    listing
        .refs
        .iter()
        .filter_map(|r| {
            let name = r.name.strip_prefix("refs/tags/")?;
            Some((tag_version(name)?, name))
        })
        .filter(|(version, _)| version.pre.is_empty() || !current.pre.is_empty())
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, name)| name.to_owned())
}

/// Why a plugin's source could not be asked.
fn failed(error: &Error) -> Latest {
    let report = Report::of(error, |_| None);
    Latest::Failed {
        error: crate::error::one_line(error),
        hint: report.hint,
        chain: std::iter::once(report.message)
            .chain(report.causes)
            .collect(),
    }
}

/// A tag as a SemVer version: `1.2.0` or `v1.2.0`.
pub(crate) fn tag_version(tag: &str) -> Option<semver::Version> {
    semver::Version::parse(tag.strip_prefix('v').unwrap_or(tag)).ok()
}

fn latest(source: &GitSource, commit: &str, listing: &Listing) -> Result<Latest, Error> {
    match &source.pin {
        Pin::Rev(_) => Ok(Latest::Pinned),
        Pin::Tag(tag) => {
            let Some(current) = tag_version(tag) else {
                return Ok(Latest::Pinned);
            };
            let range = match &source.semver {
                Some(req) => Some(semver::VersionReq::parse(req).map_err(|e| {
                    Error::caused(format!("the recorded --semver range `{req}` is invalid"), e)
                })?),
                None => None,
            };
            let newest = listing
                .refs
                .iter()
                .filter_map(|r| {
                    let name = r.name.strip_prefix("refs/tags/")?;
                    Some((tag_version(name)?, name, &r.commit))
                })
                .filter(|(version, _, _)| *version > current)
                .filter(|(version, _, _)| match &range {
                    Some(range) => range.matches(version),
                    // Pre-releases only for a plugin already on one.
                    None => version.pre.is_empty() || !current.pre.is_empty(),
                })
                .max_by(|a, b| a.0.cmp(&b.0));
            Ok(match newest {
                Some((_, name, commit)) => Latest::NewerTag {
                    tag: name.to_owned(),
                    commit: commit.clone(),
                },
                None => Latest::UpToDate,
            })
        }
        Pin::Branch(_) | Pin::DefaultBranch => {
            let head = match &source.pin {
                Pin::Branch(branch) => format!("refs/heads/{branch}"),
                _ => listing.head.clone().unwrap_or_else(|| "HEAD".to_owned()),
            };
            let Some(remote) = listing.find(&head) else {
                return Err(Error::user_hint(
                    format!(
                        "{} has no branch {} any more",
                        source.url,
                        head.trim_start_matches("refs/heads/")
                    ),
                    "reinstall the plugin from another branch or tag with `pluginkit add --force`",
                ));
            };
            Ok(if remote.commit == commit {
                Latest::UpToDate
            } else {
                Latest::NewerCommit {
                    commit: remote.commit.clone(),
                }
            })
        }
    }
}

/// `outdated`: the plugins among `names` (all of them when empty) installed from git or a
/// registry, checked against their sources, after finishing what a killed run left.
pub(crate) fn outdated(
    settings: &Settings,
    printer: &Printer,
    names: &[String],
) -> Result<Vec<Checked>, Error> {
    super::recover_if_needed(settings, printer)?;
    check(settings, printer, names)
}

/// Say on stderr which sources could not be asked, as errors (which `--quiet` never hides);
/// whether any could not.
pub(crate) fn report_failures(printer: &Printer, checked: &[Checked]) -> bool {
    let mut failed = false;
    for c in checked {
        if let Latest::Failed { hint, chain, .. } = &c.latest {
            printer.error(
                format_args!("cannot check {}", c.name),
                chain,
                hint.as_deref(),
            );
            failed = true;
        }
    }
    failed
}
