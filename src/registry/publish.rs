//! Writing a registry folder: `pluginkit registry publish` adds a checked package and its index
//! entry, `pluginkit registry yank` marks a version yanked (or not), `pluginkit registry advise`
//! lists an advisory on the versions it affects. A registry is served as
//! static files, so every change is ordered for readers that never lock: the package first,
//! then the index that names it, then `search.json`, each put in place by a rename. Writers take
//! an exclusive lock on `DIR/.pluginkit-registry.lock`.
//!
//! A publish killed at any point leaves a registry whose readers see only complete packages: at
//! worst a package that no index names yet (which the next publish of the same bytes adopts), a
//! `search.json` that does not list the new version yet, and the hidden temporary files of
//! writes in progress (of the index files; a package being copied has no name on Linux, so it
//! leaves nothing). The next publish or yank, once it holds the lock, first repairs that: it
//! deletes the temporary files (no writer is left to finish them) and writes `search.json`
//! again when it does not say what the indexes do, even when it then refuses its own package.
//!
//! A signed registry (one with `snapshot.json`, see [`crate::registry::signing`]) gets a new
//! snapshot and signature with every change, written last, under the same lock: a reader never
//! sees a snapshot that vouches for files not there yet. Until it is written, hosts that check
//! signatures refuse the changed files (their hashes differ from the old snapshot's), so a
//! publish killed before it leaves the registry readable only as it was. A change that is not
//! signed is refused outright in a registry that has a snapshot.
//!
//! The steps, as the crash tests name them (`PLUGINKIT_TEST_PAUSE_AT`): `publish-copying` (the
//! package copied to its temporary file), `publish-copied` (in place), `publish-indexed` (its
//! index written), `publish-searched` (`search.json` written, the snapshot not yet).

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, Seek};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use semver::Version;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Domain, Error as UserError};
use crate::findings::rules;
use crate::findings::rules::Severity;
use crate::findings::{Finding, Location, SourceFile};
use crate::output::Printer;
use crate::package::build as package;
use crate::package::read::{self as archive, Limits};
use crate::plugin::flavor::Flavor;
use crate::plugin::{ReadContext, read_plugin};
use crate::registry::advisory::Advisory;
use crate::registry::signing::{self, SIGNATURE_PATH, SNAPSHOT_PATH, Signer, Snapshot};
use crate::registry::{
    FORMAT, IndexVersion, SEARCH_PATH, Search, SearchEntry, index_path, package_path,
};
use crate::util::atomic::{WRITE_PREFIX, write_atomically};
use crate::util::hash;

/// The lock file writers hold, in the registry's root.
pub(crate) const LOCK_FILE: &str = ".pluginkit-registry.lock";
/// The temporary file a package is copied into before it is renamed into place.
const TEMP_PREFIX: &str = ".pluginkit-publish-";
/// A dependency without a version requirement (FBA's `depends_on` names plugins only).
const ANY_VERSION: &str = "*";

/// How to check a package before it is published (as `pluginkit validate x.zip` checks it) and
/// what to record with it.
#[derive(Debug)]
pub(crate) struct Options {
    /// The package as the user should see it, in findings.
    pub(crate) shown: String,
    /// The archive limits of the host (`[limits]`).
    pub(crate) limits: Limits,
    /// The flavor pinned by `--flavor` or `[host] flavor`.
    pub(crate) flavor: Option<Flavor>,
    pub(crate) context: ReadContext,
    /// The time recorded as `published`, RFC 3339 in UTC (see [`timestamp`]).
    pub(crate) published: String,
    /// A step at which to stop and wait to be killed (crash tests only).
    pub(crate) pause_at: Option<String>,
    /// How to sign the new snapshot; `None` for a registry that is not signed.
    pub(crate) signing: Option<Signing>,
}

/// How a change of a registry is signed: the key, and how long the snapshot stays valid.
pub(crate) struct Signing {
    pub(crate) signer: Signer,
    pub(crate) expires_in_days: u64,
}

impl std::fmt::Debug for Signing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signing")
            .field("key", &self.signer.id)
            .field("expires_in_days", &self.expires_in_days)
            .finish()
    }
}

/// A snapshot written and signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sealed {
    pub(crate) serial: u64,
    pub(crate) key: String,
    pub(crate) expires: String,
    /// How many files it vouches for.
    pub(crate) files: usize,
}

/// A version added to a registry.
#[derive(Debug, Clone)]
pub(crate) struct Published {
    pub(crate) name: String,
    /// The entry appended to `index/NAME.json`; its `url` is the package's path in the registry.
    pub(crate) entry: IndexVersion,
    /// Whether a package with these bytes was already in `files/` (left by a publish that was
    /// killed before it wrote the index) and was adopted instead of copied.
    pub(crate) adopted: bool,
    /// What the check found that does not stop publishing.
    pub(crate) warnings: Vec<Finding>,
    /// The snapshot signed after it, in a signed registry.
    pub(crate) sealed: Option<Sealed>,
}

/// The outcome of [`yank`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Yanked {
    pub(crate) name: String,
    /// The version as the index lists it.
    pub(crate) version: String,
    /// Whether the version is yanked now.
    pub(crate) yanked: bool,
    /// False when it already was in that state, and nothing was written.
    pub(crate) changed: bool,
    /// The snapshot signed after it, in a signed registry that changed.
    pub(crate) sealed: Option<Sealed>,
}

/// The outcome of [`advise`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Advised {
    pub(crate) name: String,
    pub(crate) advisory: Advisory,
    /// The versions that list it now, in the index's order.
    pub(crate) versions: Vec<String>,
    /// False when the index already said exactly this, and nothing was written.
    pub(crate) changed: bool,
    /// The snapshot signed after it, in a signed registry that changed.
    pub(crate) sealed: Option<Sealed>,
}

/// Why publishing, yanking or advising did not happen.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// The package has errors, as `validate` would report them; nothing was written.
    #[error(
        "{package} has {errors} error{}, so nothing was published",
        if *.errors == 1 { "" } else { "s" }
    )]
    Invalid {
        package: String,
        /// How many of the findings are errors.
        errors: usize,
        /// Every finding, warnings too, in the order they were found.
        findings: Vec<Finding>,
    },
    #[error("SOURCE_DATE_EPOCH is `{text}`, not a number of seconds since 1970-01-01 UTC")]
    Timestamp { text: String },
    #[error("{shown}: no such file")]
    NoPackage { shown: String },
    /// A name given to `yank` that no registry holds.
    #[error("`{}` is not a plugin name", .name.escape_debug())]
    NotAName { name: String },
    /// A plugin whose name cannot be a file name in a registry.
    #[error("the plugin's name `{name}` cannot be a name in a registry")]
    BadName { name: String },
    #[error("{name}'s version `{declared}` is not a SemVer 2.0 version")]
    BadVersion {
        name: String,
        declared: String,
        manifest: String,
        #[source]
        source: semver::Error,
    },
    /// `as_listed` is how the index spells the version, when it does differently.
    #[error("{name} {version} is already published{}; publish a new version", .as_listed.as_ref().map(|v| format!(" (as {v})")).unwrap_or_default())]
    AlreadyPublished {
        name: String,
        version: String,
        as_listed: Option<String>,
    },
    #[error("{} exists but no index names it, and it differs from this package", .path.display())]
    Conflict { path: PathBuf },
    #[error("{name} is not published in {}", .dir.display())]
    NotPublished { name: String, dir: PathBuf },
    #[error("{name} {version} is not published")]
    VersionNotPublished {
        name: String,
        version: String,
        /// The versions the index lists.
        listed: Vec<String>,
    },
    #[error("the affected range `{range}` is not a SemVer requirement")]
    BadRange {
        range: String,
        #[source]
        source: semver::Error,
    },
    #[error("the fixed version `{version}` is not a SemVer 2.0 version")]
    BadFixed {
        version: String,
        #[source]
        source: semver::Error,
    },
    #[error("no published version of {name} is in the affected range `{range}`")]
    NoneAffected {
        name: String,
        range: String,
        /// The versions the index lists.
        listed: Vec<String>,
    },
    #[error("{} disappeared while pluginkit was waiting for the lock", .path.display())]
    Disappeared { path: PathBuf },
    #[error("{} is not a registry index", .path.display())]
    NotAnIndex {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{} is the index of `{found}`, not of `{name}`", .path.display())]
    WrongIndex {
        path: PathBuf,
        found: String,
        name: String,
    },
    #[error(
        "{} is in registry format {format}, newer than the format {FORMAT} this pluginkit ({}) knows",
        .path.display(),
        env!("CARGO_PKG_VERSION")
    )]
    NewerFormat { path: PathBuf, format: u64 },
    #[error("cannot encode {}", .path.display())]
    Encode {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// What was being done to which path.
    #[error("cannot {action} {}", .path.display())]
    Io {
        action: String,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The package's file name (`package::file_name`).
    #[error(transparent)]
    Package(UserError),
    /// Signing: a snapshot refused or that cannot be signed.
    #[error(transparent)]
    Signing(#[from] signing::Error),
}

impl Domain for Error {
    fn hint(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Error::Invalid { package, .. } => format!(
                "fix them, package again and publish that (`pluginkit validate {package}` checks without publishing)"
            )
            .into(),
            Error::Timestamp { .. } => "unset it, or set it to e.g. the last commit's time: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)".into(),
            Error::NoPackage { .. } => "pass the .zip package `pluginkit package` wrote".into(),
            Error::NotAName { .. } | Error::BadName { .. } => {
                "a registry's plugin names are made of letters, digits, `-`, `_` and `.`".into()
            }
            Error::BadVersion { manifest, .. } => format!(
                "a registry orders versions by SemVer: give the plugin a version such as 1.2.0 in {manifest}"
            )
            .into(),
            Error::AlreadyPublished {
                name,
                version,
                as_listed,
            } => format!(
                "published versions never change: raise the version, package it again and publish that (`pluginkit registry yank {name}@{}` hides a broken one)",
                as_listed.as_ref().unwrap_or(version)
            )
            .into(),
            Error::Conflict { .. } => "a publish was killed before it wrote the index; if that package was never announced, delete it and publish again".into(),
            Error::NotPublished { name, .. } => format!(
                "check the name and --dir: the registry has no {}",
                index_path(name)
            )
            .into(),
            Error::VersionNotPublished { name, listed, .. } => if listed.is_empty() {
                format!("{} lists no versions", index_path(name))
            } else {
                format!("the published versions are {}", listed.join(", "))
            }
            .into(),
            Error::BadRange { .. } => "write it as a SemVer requirement, e.g. `>=1.0.0, <1.2.3` or `<2`".into(),
            Error::BadFixed { .. } => "name the first version that is fixed, e.g. `1.2.3`".into(),
            Error::NoneAffected { listed, .. } => if listed.is_empty() {
                "the index lists no versions".to_owned()
            } else {
                format!("the published versions are {}", listed.join(", "))
            }
            .into(),
            Error::NotAnIndex { .. } => "fix it, or restore it from a backup; the registry format is in pluginkit's README".into(),
            Error::WrongIndex { name, .. } => {
                format!("an index's name is its file's name: {}", index_path(name)).into()
            }
            Error::NewerFormat { .. } => "upgrade pluginkit to change this registry".into(),
            Error::Package(error) => return error.hint(),
            Error::Signing(error) => return crate::error::Domain::hint(error),
            Error::Disappeared { .. } | Error::Encode { .. } | Error::Io { .. } => return None,
        })
    }
}

/// `published`: `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC) when it is set and not empty,
/// else now; as RFC 3339 in UTC (`2026-11-21T15:04:05Z`).
pub(crate) fn timestamp(source_date_epoch: Option<&str>) -> Result<String, Error> {
    // 9999-12-31T23:59:59Z: RFC 3339 has four-digit years.
    const MAX: i64 = 253_402_300_799;
    let seconds = match source_date_epoch.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|s| (0..=MAX).contains(s))
            .ok_or_else(|| Error::Timestamp {
                text: text.to_owned(),
            })?,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(MAX)),
    };
    Ok(crate::util::time::rfc3339(seconds))
}

/// Check `package` as `pluginkit validate` checks a `.zip`, then add it to the registry folder
/// `dir` (made when missing): the package to `files/NAME/NAME-VERSION.zip`, its entry to
/// `index/NAME.json`, and `search.json` rewritten. A version already in the index is refused:
/// published versions never change.
pub(crate) fn publish(
    dir: &Path,
    package: &Path,
    options: &Options,
    printer: &Printer,
) -> Result<Published, Error> {
    let release = check(package, options)?;
    let Release {
        name,
        version,
        mut entry,
        warnings,
    } = release;

    fs::create_dir_all(dir).map_err(|e| cannot("create", dir, &e))?;
    let _lock = lock(dir, printer)?;
    refuse_unsigned(dir, options.signing.as_ref())?;
    // Read before anything is written, so that an index this pluginkit cannot read stops the
    // publish here rather than between the index and search.json.
    let others = repair(dir, printer)?
        .into_iter()
        .filter(|entry| entry.name != name)
        .collect();

    let index_file = dir.join(index_path(&name));
    let mut index = read_index(&index_file, &name)?.unwrap_or_else(|| IndexFile::new(&name));
    if let Some(existing) = index.find(&version) {
        // 1.0.0+a and 1.0.0+b are one version to SemVer.
        let as_listed = (existing.version != entry.version).then(|| existing.version.clone());
        return Err(Error::AlreadyPublished {
            name,
            version: entry.version,
            as_listed,
        });
    }

    let pause = |step| crate::util::pause::checkpoint(options.pause_at.as_deref(), step);
    let target = dir.join(&entry.url);
    let (size, sha256, adopted) = copy_package(package, &target, &|| pause("publish-copying"))?;
    entry.size = size;
    entry.sha256 = sha256;
    pause("publish-copied");

    // An advisory already written for a range this version is in applies to it too.
    entry.advisories = inherited(&index, &version);
    index.versions.push(VersionFile {
        entry: entry.clone(),
        other: Map::new(),
    });
    write_json(&index_file, &index)?;
    pause("publish-indexed");
    write_search(dir, others, &index)?;
    pause("publish-searched");
    let sealed = options
        .signing
        .as_ref()
        .map(|signing| seal(dir, signing))
        .transpose()?;
    Ok(Published {
        name,
        entry,
        adopted,
        warnings,
        sealed,
    })
}

/// Mark `name` `version` yanked in the registry folder `dir` (or, with `undo`, not yanked) and
/// rewrite `search.json`. A yanked version stays listed and downloadable, for those who locked
/// it; resolution skips it.
pub(crate) fn yank(
    dir: &Path,
    name: &str,
    version: &str,
    undo: bool,
    signing: Option<&Signing>,
    printer: &Printer,
) -> Result<Yanked, Error> {
    edit_index(dir, name, signing, printer, |index| {
        let Some(found) = index.find_mut(version) else {
            return Err(Error::VersionNotPublished {
                name: name.to_owned(),
                version: version.to_owned(),
                listed: index
                    .versions
                    .iter()
                    .map(|v| v.entry.version.clone())
                    .collect(),
            });
        };
        let yanked = !undo;
        let changed = found.entry.yanked != yanked;
        found.entry.yanked = yanked;
        let outcome = Yanked {
            name: name.to_owned(),
            version: found.entry.version.clone(),
            yanked,
            changed,
            sealed: None,
        };
        Ok((outcome, changed))
    })
    .map(|(outcome, sealed)| Yanked { sealed, ..outcome })
}

/// `name` when it is a plugin name an index file can be named after.
fn plain_name(name: &str) -> Result<(), Error> {
    if is_plain_name(name) {
        Ok(())
    } else {
        Err(Error::NotAName {
            name: name.to_owned(),
        })
    }
}

/// Change the published index of `name` in the registry folder `dir` with `edit`, under the
/// registry's lock and after repairing what a killed publish left; `edit` says whether it
/// changed anything, and only then are the index file and `search.json` rewritten (the index
/// first, as publish does), and with `signing` the snapshot signed again. What yank and advise
/// share.
fn edit_index<T>(
    dir: &Path,
    name: &str,
    signing: Option<&Signing>,
    printer: &Printer,
    edit: impl FnOnce(&mut IndexFile) -> Result<(T, bool), Error>,
) -> Result<(T, Option<Sealed>), Error> {
    plain_name(name)?;
    let index_file = dir.join(index_path(name));
    if !index_file.is_file() {
        return Err(Error::NotPublished {
            name: name.to_owned(),
            dir: dir.to_path_buf(),
        });
    }
    let _lock = lock(dir, printer)?;
    refuse_unsigned(dir, signing)?;
    let others: Vec<SearchEntry> = repair(dir, printer)?
        .into_iter()
        .filter(|entry| entry.name != name)
        .collect();
    let Some(mut index) = read_index(&index_file, name)? else {
        return Err(Error::Disappeared { path: index_file });
    };
    let (outcome, changed) = edit(&mut index)?;
    let mut sealed = None;
    if changed {
        write_json(&index_file, &index)?;
        write_search(dir, others, &index)?;
        if let Some(signing) = signing {
            sealed = Some(seal(dir, signing)?);
        }
    }
    Ok((outcome, sealed))
}

/// Refuse a change that is not signed of a registry that is: one with a snapshot.
fn refuse_unsigned(dir: &Path, signing: Option<&Signing>) -> Result<(), Error> {
    if signing.is_none() && fs::symlink_metadata(dir.join(SNAPSHOT_PATH)).is_ok() {
        return Err(signing::Error::Unsigned {
            dir: dir.to_path_buf(),
        }
        .into());
    }
    Ok(())
}

/// Sign the registry folder `dir` again, under its lock and after repairing what a killed
/// publish left: `snapshot.json` made from the files as they are, with the next serial.
pub(crate) fn resign(dir: &Path, signing: &Signing, printer: &Printer) -> Result<Sealed, Error> {
    if !dir.is_dir() {
        return Err(cannot(
            "read",
            dir,
            &io::Error::from(io::ErrorKind::NotFound),
        ));
    }
    let _lock = lock(dir, printer)?;
    repair(dir, printer)?;
    seal(dir, signing)
}

/// Write `snapshot.json` for the registry folder `dir` as its files are now (every index file
/// and `search.json`, by sha256), with a serial one higher than the snapshot it replaces, and
/// its signature `snapshot.json.minisig`; each in one step, the snapshot first. Runs under the
/// registry's lock, after every other file of the change is written.
fn seal(dir: &Path, signing: &Signing) -> Result<Sealed, Error> {
    let snapshot_file = dir.join(SNAPSHOT_PATH);
    let previous = match fs::read(&snapshot_file) {
        Ok(bytes) => {
            let old: Snapshot =
                serde_json::from_slice(&bytes).map_err(|source| signing::Error::BadSnapshot {
                    path: snapshot_file.clone(),
                    source,
                })?;
            old.serial
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
        Err(e) => return Err(cannot("read", &snapshot_file, &e)),
    };
    let mut files = std::collections::BTreeMap::new();
    let mut relatives: Vec<String> = index_names(dir)?
        .into_iter()
        .map(|(name, _)| index_path(&name))
        .collect();
    relatives.push(SEARCH_PATH.to_owned());
    for relative in relatives {
        let path = dir.join(&relative);
        match hash::hash_file(&path) {
            Ok(sha256) => {
                files.insert(relative, sha256);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(cannot("read", &path, &e)),
        }
    }
    let now = signing::now();
    let days = i64::try_from(signing.expires_in_days).unwrap_or(i64::MAX / 86_400);
    let expires = now.saturating_add(days.saturating_mul(86_400));
    let snapshot = Snapshot {
        format: FORMAT,
        serial: previous + 1,
        published: crate::util::time::rfc3339(now),
        expires: crate::util::time::rfc3339(expires.min(253_402_300_799)),
        files,
    };
    let mut bytes = serde_json::to_vec_pretty(&snapshot).map_err(|source| Error::Encode {
        path: snapshot_file.clone(),
        source,
    })?;
    bytes.push(b'\n');
    let trusted = signing::trusted_comment(&snapshot, &bytes);
    let signature = signing.signer.sign(&snapshot_file, &bytes, &trusted)?;
    write_atomically(&snapshot_file, &bytes).map_err(|e| cannot("write", &snapshot_file, &e))?;
    let signature_file = dir.join(SIGNATURE_PATH);
    write_atomically(&signature_file, signature.as_bytes())
        .map_err(|e| cannot("write", &signature_file, &e))?;
    Ok(Sealed {
        serial: snapshot.serial,
        key: signing.signer.id.clone(),
        expires: snapshot.expires,
        files: snapshot.files.len(),
    })
}

/// List `advisory` on every version of `name` in the registry folder `dir` that its range
/// matches, replacing an advisory of the same id (and taking it off versions the range no
/// longer matches), and rewrite `search.json` as yank does. Writing the same advisory again
/// changes nothing.
pub(crate) fn advise(
    dir: &Path,
    name: &str,
    advisory: Advisory,
    signing: Option<&Signing>,
    printer: &Printer,
) -> Result<Advised, Error> {
    // The name first, then the advisory's own fields, then the registry.
    plain_name(name)?;
    let range =
        semver::VersionReq::parse(&advisory.affected).map_err(|source| Error::BadRange {
            range: advisory.affected.clone(),
            source,
        })?;
    if let Some(fixed) = &advisory.fixed {
        Version::parse(fixed).map_err(|source| Error::BadFixed {
            version: fixed.clone(),
            source,
        })?;
    }
    let index_file = dir.join(index_path(name));
    let encode = |index: &IndexFile| {
        serde_json::to_value(index).map_err(|source| Error::Encode {
            path: index_file.clone(),
            source,
        })
    };
    edit_index(dir, name, signing, printer, |index| {
        let before = encode(index)?;
        let mut versions = Vec::new();
        for listed in &mut index.versions {
            let entry = &mut listed.entry;
            let affected = Version::parse(&entry.version).is_ok_and(|v| range.matches(&v));
            match entry.advisories.iter().position(|a| a.id == advisory.id) {
                Some(at) if affected => entry.advisories[at] = advisory.clone(),
                Some(at) => {
                    entry.advisories.remove(at);
                }
                None if affected => entry.advisories.push(advisory.clone()),
                None => {}
            }
            if affected {
                versions.push(entry.version.clone());
            }
        }
        if versions.is_empty() {
            return Err(Error::NoneAffected {
                name: name.to_owned(),
                range: advisory.affected.clone(),
                listed: index
                    .versions
                    .iter()
                    .map(|v| v.entry.version.clone())
                    .collect(),
            });
        }
        let changed = before != encode(index)?;
        let outcome = Advised {
            name: name.to_owned(),
            advisory: advisory.clone(),
            versions,
            changed,
            sealed: None,
        };
        Ok((outcome, changed))
    })
    .map(|(outcome, sealed)| Advised { sealed, ..outcome })
}

/// The advisories listed on other versions of `index` whose range matches `version`, each id
/// once.
fn inherited(index: &IndexFile, version: &Version) -> Vec<Advisory> {
    let mut found: Vec<Advisory> = Vec::new();
    for advisory in index.versions.iter().flat_map(|v| &v.entry.advisories) {
        if advisory.affects(version) && !found.iter().any(|a| a.id == advisory.id) {
            found.push(advisory.clone());
        }
    }
    found
}

/// Whether `name` can be a plugin's name in a registry: it becomes `index/NAME.json` and a part
/// of URLs, so letters, digits, `-`, `_` and `.`, and nothing that could lead elsewhere (the
/// registry client reads the same names).
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// What the package says about itself, once it passed the check.
struct Release {
    name: String,
    version: Version,
    /// All but the size and hash of the copy, which come later.
    entry: IndexVersion,
    warnings: Vec<Finding>,
}

/// The checks of `pluginkit validate x.zip`: the archive's safety, then the flavor's rules on
/// the plugin inside; then what a registry needs on top (a SemVer version, a name and version
/// that make a file name).
fn check(package: &Path, options: &Options) -> Result<Release, Error> {
    let shown = &options.shown;
    if !package.is_file() {
        return Err(Error::NoPackage {
            shown: shown.clone(),
        });
    }
    // Every entry is read, as `add` reads it: a package whose headers misstate its data is
    // refused here, not by everyone who installs it.
    let inspection = archive::inspect_all(package, shown, options.limits);
    let mut findings = inspection.findings;
    let plugin = inspection
        .package
        .and_then(|tree| read_plugin(&tree, options.flavor, &options.context));
    let Some(mut plugin) = plugin else {
        if !findings.iter().any(|f| f.severity() == Severity::Error) {
            findings.push(
                Finding::new(
                    &rules::ARCHIVE_LAYOUT,
                    format!(
                        "{shown} holds no {} for the pinned flavor",
                        options.flavor.map_or("manifest", |f| f.manifest_file())
                    ),
                )
                .help("check --flavor, or rebuild the package with `pluginkit package`")
                .at(Location::file(&SourceFile::new(shown.as_str(), None))),
            );
        }
        return Err(invalid(shown, findings));
    };
    findings.append(&mut plugin.findings);
    if findings.iter().any(|f| f.severity() == Severity::Error) {
        return Err(invalid(shown, findings));
    }

    // Refuses a name or version that could not be a file name, such as `../x`.
    package::file_name(&plugin).map_err(Error::Package)?;
    let name = plugin.name().to_owned();
    if !is_plain_name(&name) {
        return Err(Error::BadName { name });
    }
    let declared = plugin.metadata.version.clone().unwrap_or_default();
    let version = Version::parse(&declared).map_err(|source| Error::BadVersion {
        name: name.clone(),
        declared: declared.clone(),
        manifest: plugin.manifest.to_string(),
        source,
    })?;
    let metadata = plugin.metadata;
    let entry = IndexVersion {
        version: version.to_string(),
        url: package_path(&name, &version.to_string()),
        sha256: String::new(),
        size: 0,
        summary: metadata.summary,
        flavor: plugin.flavor.as_str().to_owned(),
        requires: metadata.requires,
        dependencies: metadata
            .dependencies
            .into_iter()
            .map(|d| {
                let requirement = d
                    .requirement
                    .map_or(ANY_VERSION.to_owned(), |r| r.to_string());
                (d.name, requirement)
            })
            .collect(),
        yanked: false,
        published: options.published.clone(),
        advisories: Vec::new(),
    };
    Ok(Release {
        name,
        version,
        entry,
        warnings: findings,
    })
}

/// The refusal of a package whose check found errors.
fn invalid(shown: &str, findings: Vec<Finding>) -> Error {
    Error::Invalid {
        package: shown.to_owned(),
        errors: findings
            .iter()
            .filter(|f| f.severity() == Severity::Error)
            .count(),
        findings,
    }
}

/// Put a copy of `package` at `target` without ever replacing a file there: into a file beside
/// it that has no name yet ([`Incoming`]), flushed to disk, then linked into place. A file
/// already at `target` is a package that a killed publish left before writing the index: the
/// same bytes are adopted, other bytes refused. Returns the size, sha256, and whether the file
/// was adopted. `copied` runs once the copy is complete.
fn copy_package(
    package: &Path,
    target: &Path,
    copied: &dyn Fn(),
) -> Result<(u64, String, bool), Error> {
    let folder = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(folder).map_err(|e| cannot("create", folder, &e))?;
    let mut incoming =
        Incoming::create(folder).map_err(|e| cannot("create a temporary file in", folder, &e))?;
    let mut source = File::open(package).map_err(|e| cannot("read", package, &e))?;
    io::copy(&mut source, incoming.file()).map_err(|e| cannot("copy", package, &e))?;
    incoming
        .file()
        .sync_all()
        .map_err(|e| cannot("write", folder, &e))?;
    let (size, sha256) = incoming
        .file()
        .rewind()
        .and_then(|()| hash::hash_reader(incoming.file()))
        .map_err(|e| cannot("read", folder, &e))?;
    copied();

    if target.exists() {
        let theirs = hash::hash_file(target).map_err(|e| cannot("read", target, &e))?;
        if theirs == sha256 {
            return Ok((size, sha256, true));
        }
        return Err(Error::Conflict {
            path: target.to_path_buf(),
        });
    }
    incoming
        .link(target)
        .map_err(|e| cannot("write", target, &e))?;
    sync_dir(folder);
    Ok((size, sha256, false))
}

/// A package on its way into the registry. Where the system has them (Linux's `O_TMPFILE`), a
/// file without a name, in the folder it will be linked into: a publish killed while copying
/// leaves nothing that a web server serving the registry could hand out. Elsewhere (other
/// systems, file systems without unnamed files), a hidden temporary file beside the target,
/// which the next publish sweeps ([`repair`]).
enum Incoming {
    #[cfg(target_os = "linux")]
    Unnamed(File),
    Named(tempfile::NamedTempFile),
}

impl Incoming {
    fn create(folder: &Path) -> io::Result<Incoming> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            // 0666 less the umask, as any new file and as `util::atomic::temp_file`.
            let unnamed = rustix::fs::open(
                folder,
                OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o666),
            );
            // Any refusal (a file system without unnamed files says EOPNOTSUPP, an old kernel
            // EISDIR) leaves the named temporary file, which works everywhere.
            if let Ok(fd) = unnamed {
                return Ok(Incoming::Unnamed(File::from(fd)));
            }
        }
        crate::util::atomic::temp_file(folder, TEMP_PREFIX).map(Incoming::Named)
    }

    fn file(&mut self) -> &mut File {
        match self {
            #[cfg(target_os = "linux")]
            Incoming::Unnamed(file) => file,
            Incoming::Named(temp) => temp.as_file_mut(),
        }
    }

    /// Give the file the name `target`, failing (`AlreadyExists`) when a file has it.
    fn link(self, target: &Path) -> io::Result<()> {
        match self {
            #[cfg(target_os = "linux")]
            Incoming::Unnamed(file) => {
                use std::os::fd::AsRawFd;
                // Naming an unnamed file through its /proc link needs no privilege (linking
                // the descriptor itself, AT_EMPTY_PATH, needs CAP_DAC_READ_SEARCH).
                let fd = format!("/proc/self/fd/{}", file.as_raw_fd());
                rustix::fs::linkat(
                    rustix::fs::CWD,
                    fd.as_str(),
                    rustix::fs::CWD,
                    target,
                    rustix::fs::AtFlags::SYMLINK_FOLLOW,
                )
                .map_err(io::Error::from)
            }
            Incoming::Named(temp) => temp
                .persist_noclobber(target)
                .map(drop)
                .map_err(|e| e.error),
        }
    }
}

/// `index/NAME.json` as it is on disk: the fields pluginkit knows, and every other field (from a
/// newer pluginkit or another tool, at the top or in a version) kept as it was, so that
/// rewriting an index never loses what someone else put in it. [`crate::registry::Index`] is
/// the reader's view; this is the writer's.
#[derive(Debug, Serialize, Deserialize)]
struct IndexFile {
    format: u32,
    name: String,
    versions: Vec<VersionFile>,
    #[serde(flatten)]
    other: Map<String, Value>,
}

#[derive(Debug, Serialize, Deserialize)]
struct VersionFile {
    #[serde(flatten)]
    entry: IndexVersion,
    #[serde(flatten)]
    other: Map<String, Value>,
}

impl IndexFile {
    fn new(name: &str) -> IndexFile {
        IndexFile {
            format: FORMAT,
            name: name.to_owned(),
            versions: Vec::new(),
            other: Map::new(),
        }
    }

    /// The listed version that is `version` to SemVer (build metadata aside), else the one
    /// spelled exactly so.
    fn position(&self, version: &str) -> Option<usize> {
        let wanted = Version::parse(version).ok();
        self.versions.iter().position(|v| {
            v.entry.version == version
                || wanted.as_ref().is_some_and(|wanted| {
                    Version::parse(&v.entry.version)
                        .is_ok_and(|listed| listed.cmp_precedence(wanted).is_eq())
                })
        })
    }

    fn find(&self, version: &Version) -> Option<&IndexVersion> {
        let i = self.position(&version.to_string())?;
        Some(&self.versions[i].entry)
    }

    fn find_mut(&mut self, version: &str) -> Option<&mut VersionFile> {
        let i = self.position(version)?;
        Some(&mut self.versions[i])
    }
}

/// Read `index/NAME.json`, or `None` when there is none. A newer `format` than this pluginkit
/// knows is refused: rewriting it could drop what that format means.
fn read_index(path: &Path, name: &str) -> Result<Option<IndexFile>, Error> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot("read", path, &e)),
    };
    check_format(path, &bytes)?;
    let index: IndexFile = serde_json::from_slice(&bytes).map_err(|source| Error::NotAnIndex {
        path: path.to_path_buf(),
        source,
    })?;
    if index.name != name {
        return Err(Error::WrongIndex {
            path: path.to_path_buf(),
            found: index.name,
            name: name.to_owned(),
        });
    }
    Ok(Some(index))
}

/// Refuse a registry file written in a newer format than this pluginkit's.
fn check_format(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    #[derive(Deserialize)]
    struct Head {
        format: Option<u64>,
    }
    // A file that does not parse this far is reported by the full parse, with its position.
    let Ok(Head {
        format: Some(format),
    }) = serde_json::from_slice::<Head>(bytes)
    else {
        return Ok(());
    };
    if format > u64::from(FORMAT) {
        return Err(Error::NewerFormat {
            path: path.to_path_buf(),
            format,
        });
    }
    Ok(())
}

/// What a killed publish or yank can leave, repaired under the registry's lock before this one
/// writes: the temporary files of writes in progress deleted (no writer is left to finish them),
/// and `search.json` written again when it does not say what the indexes do. Returns the
/// `search.json` entries of every plugin, sorted by name, read from their indexes.
fn repair(dir: &Path, printer: &Printer) -> Result<Vec<SearchEntry>, Error> {
    sweep(dir, WRITE_PREFIX);
    sweep(&dir.join("index"), WRITE_PREFIX);
    let files = dir.join("files");
    sweep(&files, TEMP_PREFIX);
    if let Ok(folders) = fs::read_dir(&files) {
        for folder in folders.filter_map(Result::ok) {
            if folder.file_type().is_ok_and(|t| t.is_dir()) {
                sweep(&folder.path(), TEMP_PREFIX);
            }
        }
    }
    let entries = search_entries(dir)?;
    let path = dir.join(SEARCH_PATH);
    let search = Search {
        format: FORMAT,
        plugins: entries,
    };
    let on_disk: Option<Value> = fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let wanted = serde_json::to_value(&search).map_err(|source| Error::Encode {
        path: path.clone(),
        source,
    })?;
    let stale = match &on_disk {
        Some(on_disk) => on_disk != &wanted,
        // A registry that lists nothing yet needs no search.json.
        None => !search.plugins.is_empty(),
    };
    if stale {
        write_json(&path, &search)?;
        printer.note(format!(
            "{SEARCH_PATH} did not say what the indexes do (a publish or yank was interrupted); it is written again"
        ));
    }
    Ok(search.plugins)
}

/// Delete what in `dir` is a file whose name starts with `prefix`.
fn sweep(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The `search.json` entries of every plugin, sorted by name, read from their indexes.
fn search_entries(dir: &Path) -> Result<Vec<SearchEntry>, Error> {
    let mut entries = Vec::new();
    for (name, path) in index_names(dir)? {
        if let Some(entry) = read_index(&path, &name)?.and_then(|index| search_entry(&index)) {
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// Every index file of the registry folder `dir`: the plugin's name and the file, by name.
fn index_names(dir: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    let folder = dir.join("index");
    let items = match fs::read_dir(&folder) {
        Ok(items) => items,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(cannot("read", &folder, &e)),
    };
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for item in items {
        let item = item.map_err(|e| cannot("read", &folder, &e))?;
        let file_name = item.file_name().to_string_lossy().into_owned();
        // Hidden files are the temporary files of writes in progress (or killed).
        if file_name.starts_with('.') {
            continue;
        }
        if let Some(name) = file_name.strip_suffix(".json") {
            files.push((name.to_owned(), item.path()));
        }
    }
    files.sort();
    Ok(files)
}

/// What `search.json` says of one plugin; `None` for an index without versions.
fn search_entry(index: &IndexFile) -> Option<SearchEntry> {
    let latest = latest(&index.versions)?;
    Some(SearchEntry {
        name: index.name.clone(),
        version: latest.version.clone(),
        summary: latest.summary.clone(),
    })
}

/// Write `search.json`: the other plugins' entries and the one of `changed`, sorted by name.
fn write_search(
    dir: &Path,
    mut plugins: Vec<SearchEntry>,
    changed: &IndexFile,
) -> Result<(), Error> {
    plugins.extend(search_entry(changed));
    plugins.sort_by(|a, b| a.name.cmp(&b.name));
    write_json(
        &dir.join(SEARCH_PATH),
        &Search {
            format: FORMAT,
            plugins,
        },
    )
}

/// The version `search.json` shows: the highest by SemVer precedence that is not yanked, else
/// the highest yanked one. Versions that are not SemVer (written by hand) count only when no
/// listed version is.
fn latest(versions: &[VersionFile]) -> Option<&IndexVersion> {
    let highest = |yanked: bool| {
        versions
            .iter()
            .filter(|v| v.entry.yanked == yanked)
            .filter_map(|v| Some((Version::parse(&v.entry.version).ok()?, &v.entry)))
            .max_by(|(a, _), (b, _)| a.cmp_precedence(b))
            .map(|(_, entry)| entry)
    };
    highest(false)
        .or_else(|| highest(true))
        .or_else(|| versions.last().map(|v| &v.entry))
}

/// Write `value` as pretty JSON with a final newline, replacing the file in one step.
fn write_json(path: &Path, value: &impl Serialize) -> Result<(), Error> {
    let mut text = serde_json::to_vec_pretty(value).map_err(|source| Error::Encode {
        path: path.to_path_buf(),
        source,
    })?;
    text.push(b'\n');
    write_atomically(path, &text).map_err(|e| cannot("write", path, &e))
}

/// Held while this process changes the registry; the operating system releases it when the
/// process ends, however it ends.
struct RegistryLock {
    _file: File,
}

/// Take the registry's lock, waiting (and saying so) while another publisher holds it. The file
/// stays empty (no PID, unlike the host lock): a registry's bytes change only when it does.
fn lock(dir: &Path, printer: &Printer) -> Result<RegistryLock, Error> {
    let path = dir.join(LOCK_FILE);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| cannot("open the lock file", &path, &e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            printer.note(format!(
                "waiting for another pluginkit process to finish with this registry (lock: {})",
                path.display()
            ));
            file.lock().map_err(|e| cannot("lock", &path, &e))?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(cannot("lock", &path, &e)),
    }
    Ok(RegistryLock { _file: file })
}

/// Make a rename durable. Best effort: not every platform can open a folder for syncing.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// `cannot WHAT PATH`, caused by `e`. The call sites have the error by reference (a persist
/// error holds its file too); an OS error is rebuilt exactly from its code, any other from its
/// kind and message, which is all an `io::Error` shows.
fn cannot(what: &str, path: &Path, e: &io::Error) -> Error {
    let source = match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::new(e.kind(), e.to_string()),
    };
    Error::Io {
        action: what.to_owned(),
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(crate::util::time::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            crate::util::time::rfc3339(951_782_400),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            crate::util::time::rfc3339(1_763_737_445),
            "2025-11-21T15:04:05Z"
        );
        assert_eq!(
            timestamp(Some(" 1763737445 ")).unwrap(),
            "2025-11-21T15:04:05Z"
        );
        assert!(timestamp(Some("yesterday")).is_err());
        assert!(timestamp(Some("-1")).is_err());
        assert!(timestamp(Some("")).unwrap().ends_with('Z'));
    }

    fn version(v: &str, yanked: bool) -> VersionFile {
        VersionFile {
            entry: IndexVersion {
                version: v.to_owned(),
                url: format!("files/x/x-{v}.zip"),
                sha256: String::new(),
                size: 0,
                summary: None,
                flavor: "pluginkit".into(),
                requires: None,
                dependencies: BTreeMap::new(),
                yanked,
                published: "2025-11-21T15:04:05Z".into(),
                advisories: Vec::new(),
            },
            other: Map::new(),
        }
    }

    #[test]
    fn latest_is_the_highest_not_yanked_by_precedence() {
        let versions = [
            version("1.10.0", false),
            version("1.9.0", false),
            version("2.0.0-rc.1", true),
            version("1.2.0", false),
        ];
        assert_eq!(latest(&versions).unwrap().version, "1.10.0");
        let all_yanked = [version("1.0.0", true), version("1.1.0", true)];
        assert_eq!(latest(&all_yanked).unwrap().version, "1.1.0");
        assert_eq!(latest(&[version("one", false)]).unwrap().version, "one");
        assert!(latest(&[]).is_none());
    }

    #[test]
    fn versions_are_found_by_precedence() {
        let mut index = IndexFile::new("x");
        index.versions = vec![version("1.0.0+build.1", false), version("1.1.0", false)];
        assert_eq!(index.position("1.0.0"), Some(0));
        assert_eq!(index.position("1.0.0+build.2"), Some(0));
        assert_eq!(index.position("1.1.0"), Some(1));
        assert_eq!(index.position("1.2.0"), None);
    }

    #[test]
    fn unknown_fields_survive_a_rewrite_and_newer_formats_are_refused() {
        let text = r#"{"format": 1, "name": "x", "mirror": "m",
            "versions": [{"version": "1.0.0", "url": "u", "sha256": "s", "flavor": "fba",
                          "published": "p", "signature": {"k": 1}}]}"#;
        let index: IndexFile = serde_json::from_str(text).unwrap();
        assert_eq!(index.other["mirror"], "m");
        assert_eq!(index.versions[0].other["signature"]["k"], 1);
        assert_eq!(index.versions[0].entry.size, 0);
        let again = serde_json::to_value(&index).unwrap();
        assert_eq!(again["versions"][0]["signature"]["k"], 1);
        assert_eq!(again["versions"][0]["yanked"], false);

        let path = Path::new("index/x.json");
        assert!(check_format(path, br#"{"format": 1}"#).is_ok());
        let error = check_format(path, br#"{"format": 99, "name": 3}"#).unwrap_err();
        assert!(error.hint().unwrap().contains("upgrade pluginkit"));
    }
}
