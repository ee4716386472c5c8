//! Reading a registry (its layout is in [`super`]): over HTTP(S), or straight from a folder given
//! as a path or a `file://` URL.
//!
//! - Index files and `search.json` from an HTTP registry are cached under
//!   `CACHE/index/HOST-HASH/` (the registry's layout below a folder named for its root URL), each
//!   beside a `.etag` file holding the sha256 of the body it belongs to and its `ETag`. The next
//!   request sends `If-None-Match` and a 304 answer uses the cached copy. The `.etag` file names
//!   its body's hash because the two files cannot be replaced in one step: after a crash between
//!   them, a stale `ETag` must not vouch for another body. Offline, only the cache is read. A
//!   folder registry's files are read in place, online or offline: there is no network to save.
//! - Packages are cached as `CACHE/packages/SHA256.zip`, from any registry (a folder registry's
//!   too, so that what the caller unpacks is a verified copy that nobody changes meanwhile). Each
//!   arrives in a temporary file in that folder and is renamed into place only after its sha256
//!   matched the index, so concurrent threads and processes never see half a package. A cached
//!   package is hashed again before use: a damaged cache is found, and fetched again, rather than
//!   installed.
//! - The bearer token goes only to URLs inside the registry's root (its origin, and a path below
//!   the root's however a server decodes it): a package that the index places on another server,
//!   or elsewhere on the same one, is fetched without it. reqwest also drops it on a redirect to
//!   another origin.
//! - With public keys (`[registries.NAME] public-keys`), every index file and `search.json` is
//!   checked against the registry's signed `snapshot.json` ([`super::signing`]), which is read
//!   fresh once per run (the cached copy serves only `--offline`): its signature by one of the
//!   keys, its expiry, and its serial against the highest this host has seen (kept in the
//!   host's state folder, raised only by a snapshot that verified). A cached index file is
//!   checked as a downloaded one is.
//! - A relative package URL must stay inside the registry's root as the server (or, for a
//!   folder registry, the file system) will resolve it: after percent-decoding, once or more
//!   (`%2e%2e`, `%252e%252e`), with `\` read as `/`, no segment may be `.` or `..`. A folder
//!   registry's package must be a regular file inside its folder, links resolved.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::util::interrupt::{self, Remove};

use indicatif::ProgressBar;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, IF_NONE_MATCH};
use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use crate::error::Domain;
use crate::output::Printer;
use crate::registry::signing::{
    self, Refusal, SIGNATURE_PATH, SNAPSHOT_PATH, TrustedKey, Verified,
};
use crate::registry::{FORMAT, Index, IndexVersion, SEARCH_PATH, Search, index_path};
use crate::source::download::{self, Answer, Downloader, Request};
use crate::util::hash::{hash_reader, hex};
use crate::util::url::without_credentials;

/// The largest index or search file read: a registry's files are small, and this stops a broken
/// or hostile server from filling the disk.
const MAX_DOCUMENT: u64 = 64 * 1024 * 1024;

/// How many times a package URL's path is percent-decoded to see where it leads: a server decodes
/// once, a proxy in front of it maybe once more; a path still encoded after this is refused.
const MAX_DECODES: usize = 3;

/// What `Url::join` and `Url::parse` fail with (the `url` crate's `ParseError`).
type UrlError = <Url as std::str::FromStr>::Err;

/// The hint of every error that only the registry's maintainer can fix.
const TELL_THE_MAINTAINER: &str = "tell the registry's maintainer; nothing was installed";

/// Why reading a registry failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// `[registries.NAME] index` is not something pluginkit can read.
    #[error("[registries.{registry}] index = \"{index}\" {why}")]
    BadIndex {
        registry: String,
        index: String,
        why: String,
    },
    #[error("the registry `{registry}` is the folder {}, which does not exist", .path.display())]
    NoFolder { registry: String, path: PathBuf },
    #[error("the token in the environment variable {var} cannot be sent in an HTTP header")]
    BadToken { var: String },
    #[error("`{name}` is not a plugin name a registry can hold")]
    BadName { name: String },
    #[error("{shown} is the index of `{found}`, not of `{name}`")]
    WrongIndex {
        shown: String,
        found: String,
        name: String,
    },
    #[error("the registry `{registry}` has no {SEARCH_PATH}")]
    NoSearch { registry: String },
    #[error("{what} from the registry `{registry}` is not in the cache (--offline)")]
    DocumentNotCached { what: String, registry: String },
    #[error("the package of `{name}` {version} is not in the cache (--offline)")]
    PackageNotCached { name: String, version: String },
    /// The index gives a package URL pluginkit will not follow: `why`, and the parse error
    /// when it is one.
    #[error(
        "the registry `{registry}` gives `{name}` {version} the package URL `{url}`, which {why}"
    )]
    BadPackageUrl {
        registry: String,
        name: String,
        version: String,
        url: String,
        why: &'static str,
        #[source]
        source: Option<UrlError>,
    },
    #[error(
        "the registry `{registry}` gives `{name}` {version} the sha256 `{sha256}`, which is not 64 hexadecimal digits"
    )]
    BadSha256 {
        registry: String,
        name: String,
        version: String,
        sha256: String,
    },
    /// The index lists a version whose package is not where it says.
    #[error("the registry `{registry}` lists `{name}` {version}, but {missing}")]
    PackageMissing {
        registry: String,
        name: String,
        version: String,
        /// `URL was not found (HTTP 404)`, `there is no PATH`.
        missing: String,
    },
    #[error(
        "the package of `{name}` {version} from {url} has sha256 {got}, but the registry's index says {expected}"
    )]
    Checksum {
        name: String,
        version: String,
        url: String,
        got: String,
        expected: String,
    },
    #[error("the registry `{registry}` refused to send {url} (HTTP {status})")]
    Refused {
        registry: String,
        url: String,
        status: StatusCode,
        hint: String,
    },
    #[error("cannot read {what} from {shown}")]
    Malformed {
        what: String,
        shown: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("{shown} is in registry format {format}, but this pluginkit reads format {FORMAT}")]
    NewerFormat { shown: String, format: u32 },
    #[error("cannot make a URL of {root} and {relative}")]
    Join {
        root: String,
        relative: String,
        #[source]
        source: UrlError,
    },
    #[error("cannot read {shown}")]
    Read {
        shown: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot copy {} into the cache at {}", .from.display(), .to.display())]
    CopyToCache {
        from: PathBuf,
        to: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot use the cache at {}", .path.display())]
    Cache {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Download(#[from] download::Error),
    /// A signed registry that does not verify, or the host's record of it.
    #[error(transparent)]
    Signing(Box<signing::Error>),
}

impl From<signing::Error> for Error {
    fn from(error: signing::Error) -> Self {
        Error::Signing(Box::new(error))
    }
}

impl Domain for Error {
    fn hint(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Error::BadIndex { .. } => {
                "give an http:// or https:// URL, a file:// URL or a folder's path".into()
            }
            Error::NoFolder { registry, .. } => {
                format!("check `index` in [registries.{registry}] in pluginkit.toml").into()
            }
            Error::BadToken { .. } => {
                "a token is printable ASCII without spaces or line breaks; check how it was set"
                    .into()
            }
            Error::BadName { .. } => {
                "plugin names are made of letters, digits, `-`, `_` and `.`".into()
            }
            Error::WrongIndex { .. } => "the registry is damaged; tell its maintainer".into(),
            Error::NoSearch { .. } => {
                "its maintainer can write one with `pluginkit registry publish`".into()
            }
            Error::DocumentNotCached { .. } => {
                "run the command once without --offline to fetch it".into()
            }
            Error::PackageNotCached { .. } => {
                "run the command once without --offline to download it".into()
            }
            Error::BadPackageUrl { .. } | Error::BadSha256 { .. } | Error::PackageMissing { .. } => {
                TELL_THE_MAINTAINER.into()
            }
            Error::Checksum { .. } => {
                "the download was damaged, or the package was changed after it was published; nothing was installed or cached".into()
            }
            Error::Refused { hint, .. } => hint.as_str().into(),
            Error::Malformed { .. } => {
                "the registry's file is damaged; tell the registry's maintainer".into()
            }
            Error::NewerFormat { .. } => "upgrade pluginkit to read this registry".into(),
            Error::Cache { .. } => {
                "set PLUGINKIT_CACHE_DIR to a folder pluginkit may write to".into()
            }
            Error::Download(error) => return error.hint(),
            Error::Signing(error) => return error.hint(),
            Error::Join { .. } | Error::Read { .. } | Error::CopyToCache { .. } => return None,
        })
    }
}

/// A registry to read, chosen for a command.
pub(crate) struct Registry {
    name: String,
    root: Root,
    /// `Bearer TOKEN`, marked sensitive so that it never shows in debug output.
    token: Option<HeaderValue>,
    /// The environment variable `token-env` names, for messages.
    token_env: Option<String>,
    cache_dir: PathBuf,
    offline: bool,
    options: download::Options,
    /// The HTTP client, started on first use: a folder registry, or an offline one, may never
    /// need it.
    http: OnceLock<Downloader>,
    /// The public keys its snapshot must be signed by; none: not verified.
    keys: Vec<TrustedKey>,
    /// Where the host records the highest snapshot serial it has seen of each registry.
    serials: Option<Box<dyn Serials>>,
    /// The snapshot, once verified in this run.
    verified: Mutex<Option<Verified>>,
    /// The serial of the verified snapshot, until it is recorded: once a file it vouches for
    /// was read, and never in a run that refused a file (which leaves the host as it was).
    serial: Mutex<Serial>,
}

/// Where a verified snapshot's serial is in being recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Serial {
    None,
    ToRecord(u64),
    Recorded,
    /// A file was refused in this run: nothing is recorded.
    Refused,
}

/// Where a registry's files are.
#[derive(Debug)]
enum Root {
    /// An http(s) URL whose path ends in `/`.
    Http(Url),
    /// An absolute folder, and its `file://` URL (ending in `/`).
    Folder { path: PathBuf, url: Url },
}

impl Registry {
    /// `name` from [registries.NAME]; `index` as written there: an http(s) URL, a file:// URL,
    /// or a path (relative paths are relative to `host_root`). `token`: the environment
    /// variable `token-env` names (if any), and its value when it is set. `cache_dir`: where
    /// downloads and index files are cached. `offline`: use only the cache.
    pub(crate) fn open(
        name: &str,
        index: &str,
        host_root: &Path,
        token: Option<(&str, Option<&OsStr>)>,
        cache_dir: &Path,
        offline: bool,
        options: &download::Options,
    ) -> Result<Registry, Error> {
        let token_env = token.map(|(var, _)| var);
        let token = match token {
            Some((var, Some(value))) => bearer(value, var)?,
            _ => None,
        };
        Ok(Registry {
            name: name.to_owned(),
            root: parse_root(name, index, host_root)?,
            token,
            token_env: token_env.map(str::to_owned),
            cache_dir: cache_dir.to_path_buf(),
            offline,
            options: options.clone(),
            http: OnceLock::new(),
            keys: Vec::new(),
            serials: None,
            verified: Mutex::new(None),
            serial: Mutex::new(Serial::None),
        })
    }

    /// Trust only what a snapshot signed by one of `keys` vouches for (no keys: everything,
    /// as before), recording the highest serial seen in `serials`.
    pub(crate) fn trusting(mut self, keys: Vec<TrustedKey>, serials: Box<dyn Serials>) -> Registry {
        self.keys = keys;
        self.serials = Some(serials);
        self
    }

    /// Whether this registry is checked against public keys.
    pub(crate) fn is_signed(&self) -> bool {
        !self.keys.is_empty()
    }

    /// The ids of the keys this registry's snapshot may be signed by.
    pub(crate) fn key_ids(&self) -> Vec<String> {
        self.keys.iter().map(|k| k.id.clone()).collect()
    }

    /// The id of the key whose signature of the snapshot verified, verifying it if that is not
    /// done yet; `None` for a registry without public keys.
    pub(crate) fn verified_key(&self, printer: &Printer) -> Result<Option<String>, Error> {
        if !self.is_signed() {
            return Ok(None);
        }
        Ok(Some(self.verified(printer)?.key))
    }

    /// The registry's snapshot, verified ([`signing::verify_snapshot`]) once per run: fetched
    /// fresh, with its signature, checked against the keys, the clock and the serial this host
    /// has seen, which is raised once a file the snapshot vouches for was read ([`Self::vouch`]).
    fn verified(&self, printer: &Printer) -> Result<Verified, Error> {
        let mut done = self.verified.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(verified) = &*done {
            return Ok(verified.clone());
        }
        let untrusted = |refusal| {
            Error::from(signing::Error::Untrusted {
                registry: self.name.clone(),
                refusal: Box::new(refusal),
            })
        };
        let snapshot_fetched = self.fetch(SNAPSHOT_PATH, "the signed snapshot", printer, true)?;
        let snapshot_shown = snapshot_fetched.shown.clone();
        let Some(snapshot) = snapshot_fetched.bytes.clone() else {
            return Err(untrusted(Refusal::NoSnapshot {
                shown: snapshot_shown,
            }));
        };
        let signature_fetched =
            self.fetch(SIGNATURE_PATH, "the snapshot's signature", printer, true)?;
        let signature_shown = signature_fetched.shown.clone();
        let Some(signature) = signature_fetched.bytes.clone() else {
            return Err(untrusted(Refusal::NoSignature {
                shown: signature_shown,
            }));
        };
        let seen = self.seen_serial();
        let verified = signing::verify_snapshot(
            &self.keys,
            &snapshot,
            &String::from_utf8_lossy(&signature),
            (&snapshot_shown, &signature_shown),
            signing::now(),
            seen,
        )
        .map_err(untrusted)?;
        printer.debug(format_args!(
            "{snapshot_shown}: serial {}, signed by the key {}",
            verified.snapshot.serial, verified.key
        ));
        if seen.is_none_or(|seen| verified.snapshot.serial > seen) {
            let mut serial = self.serial.lock().unwrap_or_else(|p| p.into_inner());
            if *serial == Serial::None {
                *serial = Serial::ToRecord(verified.snapshot.serial);
            }
        }
        // For --offline, which verifies the cached pair again.
        snapshot_fetched.keep()?;
        signature_fetched.keep()?;
        *done = Some(verified.clone());
        Ok(verified)
    }

    /// The highest snapshot serial this host has seen of this registry (by its root URL).
    fn seen_serial(&self) -> Option<u64> {
        self.serials.as_ref()?.seen(&self.root())
    }

    /// Record `serial` as the highest seen of this registry, in one step.
    fn record_serial(&self, serial: u64) -> Result<(), Error> {
        let Some(serials) = &self.serials else {
            return Ok(());
        };
        serials.record(&self.root(), serial).map_err(|source| {
            Error::from(signing::Error::Io {
                action: "write",
                path: serials.path().to_path_buf(),
                source,
            })
        })
    }

    /// Check a registry file against the verified snapshot, when the registry is signed.
    fn vouch(
        &self,
        relative: &str,
        shown: &str,
        bytes: Option<&[u8]>,
        printer: &Printer,
    ) -> Result<(), Error> {
        if !self.is_signed() {
            return Ok(());
        }
        let vouched = self.verified(printer).and_then(|verified| {
            verified.vouch(relative, shown, bytes).map_err(|refusal| {
                Error::from(signing::Error::Untrusted {
                    registry: self.name.clone(),
                    refusal: Box::new(refusal),
                })
            })
        });
        let mut serial = self.serial.lock().unwrap_or_else(|p| p.into_inner());
        match (&vouched, *serial) {
            (Err(Error::Signing(error)), _)
                if matches!(**error, signing::Error::Untrusted { .. }) =>
            {
                *serial = Serial::Refused;
            }
            (Ok(()), Serial::ToRecord(number)) => {
                self.record_serial(number)?;
                *serial = Serial::Recorded;
            }
            _ => {}
        }
        vouched
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Whether this registry may use only the cache (`--offline`).
    pub(crate) fn is_offline(&self) -> bool {
        self.offline
    }

    /// Whether [`Registry::package`] can give this version without the network: always, unless
    /// offline; offline, when its package is in the cache or in a folder registry.
    pub(crate) fn available_offline(&self, version: &IndexVersion) -> bool {
        if !self.offline || matches!(self.root, Root::Folder { .. }) {
            return true;
        }
        self.checked_sha256("", version).is_ok_and(|sha256| {
            self.cache_dir
                .join("packages")
                .join(format!("{sha256}.zip"))
                .is_file()
        })
    }

    /// The index of plugin `name`; Ok(None) when the registry has no such plugin (404 / no
    /// file).
    pub(crate) fn index(&self, name: &str, printer: &Printer) -> Result<Option<Index>, Error> {
        check_name(name)?;
        let what = format!("the index of `{name}`");
        let Some((index, shown)) = self.document::<Index>(&index_path(name), &what, printer)?
        else {
            return Ok(None);
        };
        if index.name != name {
            return Err(Error::WrongIndex {
                shown,
                found: index.name,
                name: name.to_owned(),
            });
        }
        Ok(Some(index))
    }

    /// search.json.
    pub(crate) fn search(&self, printer: &Printer) -> Result<Search, Error> {
        match self.document::<Search>(SEARCH_PATH, "the list of plugins", printer)? {
            Some((search, _)) => Ok(search),
            None => Err(Error::NoSearch {
                registry: self.name.clone(),
            }),
        }
    }

    /// The package of one version, from the cache (keyed by sha256) or downloaded into it; its
    /// sha256 is checked against `version.sha256` before the path is returned (a mismatch: an
    /// error naming the plugin, version and both checksums, the bad download deleted, nothing
    /// cached). Returns the path of the verified package in the cache. `progress`: a bar
    /// counting bytes that several concurrent downloads share (may be hidden); every byte of the
    /// package counts on it once, whether downloaded, copied or hashed again from the cache.
    pub(crate) fn package(
        &self,
        name: &str,
        version: &IndexVersion,
        printer: &Printer,
        progress: &ProgressBar,
    ) -> Result<PathBuf, Error> {
        check_name(name)?;
        let sha256 = self.checked_sha256(name, version)?;
        let packages = self.cache_dir.join("packages");
        let cached = packages.join(format!("{sha256}.zip"));
        if verify_cached(&cached, &sha256, progress, printer)? {
            printer.debug(format_args!(
                "{name} {}: using {}",
                version.version,
                cached.display()
            ));
            return Ok(cached);
        }
        let source = self.package_source(name, version)?;
        let shown = without_credentials(source.as_str()).into_owned();
        if self.offline && source.scheme() != "file" {
            return Err(Error::PackageNotCached {
                name: name.to_owned(),
                version: version.version.clone(),
            });
        }
        fs::create_dir_all(&packages).map_err(cache_error(&packages))?;
        let _using = lock_cache(&self.cache_dir, false, || {
            printer.note("waiting for `pluginkit cache clean` to finish");
        })
        .map_err(cache_error(&self.cache_dir))?;
        let temp = tempfile::Builder::new()
            .prefix(".download-")
            .suffix(".zip")
            .tempfile_in(&packages)
            .map_err(cache_error(&packages))?;
        let _interrupt = interrupt::registered(vec![Remove::File(temp.path().to_owned())]);
        let got = if source.scheme() == "file" {
            self.copy_package(name, version, &source, temp.path(), progress)?
        } else {
            let request = Request {
                headers: self.headers_for(&source),
                progress: Some(progress),
                limit: (version.size > 0).then_some(version.size),
            };
            match self.http()?.get(&source, temp.path(), &request, printer)? {
                Answer::Body { downloaded, .. } => downloaded.sha256,
                Answer::Refused(status @ (StatusCode::NOT_FOUND | StatusCode::GONE)) => {
                    return Err(Error::PackageMissing {
                        registry: self.name.clone(),
                        name: name.to_owned(),
                        version: version.version.clone(),
                        missing: format!("{shown} was not found (HTTP {status})"),
                    });
                }
                Answer::NotModified => return Err(self.refused(&shown, StatusCode::NOT_MODIFIED)),
                Answer::Refused(status) => return Err(self.refused(&shown, status)),
            }
        };
        if got != sha256 {
            // Dropping `temp` deletes the download.
            return Err(Error::Checksum {
                name: name.to_owned(),
                version: version.version.clone(),
                url: shown,
                got,
                expected: sha256,
            });
        }
        persist(temp, &cached)?;
        Ok(cached)
    }

    /// The package's absolute URL (what pluginkit.lock records): the registry's index root
    /// joined with a relative `url`, or the absolute one. For a path registry, a file:// URL. A
    /// user name or password in the registry's URL is left out.
    pub(crate) fn package_url(&self, version: &IndexVersion) -> String {
        match self.join(&version.url) {
            Some(url) => without_credentials(url.as_str()).into_owned(),
            None => version.url.clone(),
        }
    }

    /// `url` from an index: absolute as it is, or relative to the registry's root.
    fn join(&self, url: &str) -> Option<Url> {
        Url::parse(url)
            .ok()
            .or_else(|| self.root_url().join(url).ok())
    }

    /// The registry's root URL, without any credentials: what package URLs under it start with.
    pub(crate) fn root(&self) -> String {
        without_credentials(self.root_url().as_str()).into_owned()
    }

    fn root_url(&self) -> &Url {
        match &self.root {
            Root::Http(url) | Root::Folder { url, .. } => url,
        }
    }

    /// Where to fetch a version's package from, after checking that the index gives a URL
    /// pluginkit should follow: an http(s) one (anywhere: a CDN; the token goes only inside the
    /// root, see [`Registry::headers_for`]), a `file://` one inside a folder registry, or a
    /// relative path that stays inside the registry however the server decodes it.
    fn package_source(&self, name: &str, version: &IndexVersion) -> Result<Url, Error> {
        let refuse = |why: &'static str, source: Option<UrlError>| Error::BadPackageUrl {
            registry: self.name.clone(),
            name: name.to_owned(),
            version: version.version.clone(),
            url: version.url.clone(),
            why,
            source,
        };
        let outside = "leads outside the registry once a server decodes it";
        let url = match Url::parse(&version.url) {
            Ok(url) => match url.scheme() {
                "http" | "https" => return Ok(url),
                "file" if matches!(self.root, Root::Folder { .. }) => url,
                "file" => {
                    return Err(refuse(
                        "points into this computer from a remote registry",
                        None,
                    ));
                }
                _ => return Err(refuse("is not an http, https or file URL", None)),
            },
            Err(_) => {
                let relative = &version.url;
                if relative.is_empty() || relative.starts_with('/') || relative.contains('\\') {
                    return Err(refuse("is not a path inside the registry", None));
                }
                // As written, before `Url::join` resolves the dots it knows of: a server may
                // resolve others (`%252e%252e`, `..%5c`, `..;x`).
                let path = relative.split(['?', '#']).next().unwrap_or_default();
                if !plain_path(path) {
                    return Err(refuse(outside, None));
                }
                self.root_url()
                    .join(relative)
                    .map_err(|e| refuse("is not a valid URL", Some(e)))?
            }
        };
        if !inside(self.root_url(), &url) {
            return Err(refuse(outside, None));
        }
        Ok(url)
    }

    /// `version.sha256`, checked to be one (it names a file in the cache), in lower case.
    fn checked_sha256(&self, name: &str, version: &IndexVersion) -> Result<String, Error> {
        let sha256 = &version.sha256;
        if sha256.len() == 64 && sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(sha256.to_ascii_lowercase());
        }
        Err(Error::BadSha256 {
            registry: self.name.clone(),
            name: name.to_owned(),
            version: version.version.clone(),
            sha256: sha256.clone(),
        })
    }

    /// Copy a package from a folder registry into `dest`, returning its sha256.
    fn copy_package(
        &self,
        name: &str,
        version: &IndexVersion,
        source: &Url,
        dest: &Path,
        progress: &ProgressBar,
    ) -> Result<String, Error> {
        let refuse = |why: &'static str| Error::BadPackageUrl {
            registry: self.name.clone(),
            name: name.to_owned(),
            version: version.version.clone(),
            url: source.to_string(),
            why,
            source: None,
        };
        let Root::Folder { path: root, .. } = &self.root else {
            return Err(refuse("points into this computer from a remote registry"));
        };
        let path = source
            .to_file_path()
            .map_err(|()| refuse("is not a local file"))?;
        // Where the file system leads, through links: it must be inside the registry's folder
        // (whose path was resolved when it was opened).
        let real = path.canonicalize().map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                Error::PackageMissing {
                    registry: self.name.clone(),
                    name: name.to_owned(),
                    version: version.version.clone(),
                    missing: format!("there is no {}", path.display()),
                }
            } else {
                Error::Read {
                    shown: path.display().to_string(),
                    source: e,
                }
            }
        })?;
        if !real.starts_with(root) {
            return Err(refuse("leads outside the registry's folder"));
        }
        let file = crate::util::read::open_regular(&real).map_err(|e| Error::Read {
            shown: path.display().to_string(),
            source: e,
        })?;
        // A package larger than the index says is refused by its checksum; no need to read all.
        let limit = match version.size {
            0 => u64::MAX,
            size => size.saturating_add(1),
        };
        let out = File::create(dest).map_err(cache_error(dest))?;
        let mut tee = Tee {
            reader: file.take(limit),
            copy: out,
            progress,
        };
        let (_, sha256) = hash_reader(&mut tee).map_err(|source| Error::CopyToCache {
            from: path.clone(),
            to: dest.to_path_buf(),
            source,
        })?;
        Ok(sha256)
    }

    /// A registry file parsed, and how messages name where it came from; `None` when the
    /// registry has no such file. In a signed registry, the file is first checked against the
    /// snapshot.
    fn document<T: DeserializeOwned>(
        &self,
        relative: &str,
        what: &str,
        printer: &Printer,
    ) -> Result<Option<(T, String)>, Error> {
        let fetched = self.fetch(relative, what, printer, false)?;
        let shown = fetched.shown.clone();
        self.vouch(relative, &shown, fetched.bytes.as_deref(), printer)?;
        let Some(bytes) = &fetched.bytes else {
            return Ok(None);
        };
        let parsed = parse(bytes, &shown, what)?;
        // Only a file that was vouched for and read is cached.
        fetched.keep()?;
        Ok(Some((parsed, shown)))
    }

    /// A registry file's bytes (`None` when the registry has no such file), and how messages
    /// name where it came from. Over HTTP, cached by ETag once the caller [keeps](Fetched::keep)
    /// it; `fresh` asks without the ETag, so that the server sends the file whatever is cached
    /// (the cached copy then serves only `--offline`).
    fn fetch(
        &self,
        relative: &str,
        what: &str,
        printer: &Printer,
        fresh: bool,
    ) -> Result<Fetched, Error> {
        let done = |bytes: Option<Vec<u8>>, shown: String| Fetched {
            bytes,
            shown,
            download: None,
        };
        let root = match &self.root {
            Root::Http(root) => root,
            Root::Folder { path, .. } => {
                let file = path.join(relative);
                let shown = file.display().to_string();
                return match read_document(&file) {
                    Ok(bytes) => Ok(done(Some(bytes), shown)),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(done(None, shown)),
                    Err(source) => Err(Error::Read { shown, source }),
                };
            }
        };
        let url = root.join(relative).map_err(|source| Error::Join {
            root: root.to_string(),
            relative: relative.to_owned(),
            source,
        })?;
        let shown = without_credentials(url.as_str()).into_owned();
        let cache_file = self.documents_cache(root).join(relative);
        let cached = read_cached(&cache_file);
        if self.offline {
            return match cached {
                Some(cached) => Ok(done(Some(cached.body), shown)),
                None => Err(Error::DocumentNotCached {
                    what: what.to_owned(),
                    registry: self.name.clone(),
                }),
            };
        }
        let folder = cache_file.parent().unwrap_or(&self.cache_dir);
        fs::create_dir_all(folder).map_err(cache_error(folder))?;
        let using = lock_cache(&self.cache_dir, false, || {
            printer.note("waiting for `pluginkit cache clean` to finish");
        })
        .map_err(cache_error(&self.cache_dir))?;
        let temp = tempfile::Builder::new()
            .prefix(".download-")
            .tempfile_in(folder)
            .map_err(cache_error(folder))?;
        let interrupt = interrupt::registered(vec![Remove::File(temp.path().to_owned())]);
        let mut headers = self.headers_for(&url);
        if !fresh
            && let Some(etag) = cached.as_ref().and_then(|c| c.etag.as_deref())
            && let Ok(value) = HeaderValue::from_str(etag)
        {
            headers.insert(IF_NONE_MATCH, value);
        }
        // These files are small: a bar would only flicker.
        let hidden = ProgressBar::hidden();
        let request = Request {
            headers,
            progress: Some(&hidden),
            limit: Some(MAX_DOCUMENT),
        };
        match self.http()?.get(&url, temp.path(), &request, printer)? {
            Answer::NotModified => match cached {
                Some(cached) if !fresh => {
                    printer.debug(format_args!("{shown}: not modified, using the cached copy"));
                    Ok(done(Some(cached.body), shown))
                }
                // Only a cached copy's ETag asks for a 304.
                _ => Err(self.refused(&shown, StatusCode::NOT_MODIFIED)),
            },
            Answer::Body { downloaded, etag } => {
                let body = fs::read(temp.path()).map_err(cache_error(temp.path()))?;
                Ok(Fetched {
                    bytes: Some(body),
                    shown,
                    download: Some(Download {
                        temp,
                        cache_file,
                        sha256: downloaded.sha256,
                        etag,
                        _using: using,
                        _interrupt: interrupt,
                    }),
                })
            }
            Answer::Refused(StatusCode::NOT_FOUND | StatusCode::GONE) => Ok(done(None, shown)),
            Answer::Refused(status) => Err(self.refused(&shown, status)),
        }
    }

    /// Where the index files of the registry at `root` are cached: a folder named for the host
    /// (for people looking) and a hash of the root URL (to tell registries apart).
    fn documents_cache(&self, root: &Url) -> PathBuf {
        let url = without_credentials(root.as_str());
        let hash = hex(&Sha256::digest(url.as_bytes()));
        let host: String = root
            .host_str()
            .unwrap_or("registry")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.cache_dir
            .join("index")
            .join(format!("{host}-{}", &hash[..16]))
    }

    /// The headers for a request to `url`: the bearer token, when there is one and `url` is
    /// inside the registry's root (on its origin, below its path however the server decodes it).
    fn headers_for(&self, url: &Url) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let (Some(token), Root::Http(root)) = (&self.token, &self.root)
            && inside(root, url)
        {
            headers.insert(AUTHORIZATION, token.clone());
        }
        headers
    }

    fn http(&self) -> Result<&Downloader, Error> {
        if let Some(http) = self.http.get() {
            return Ok(http);
        }
        // Started outside `get_or_init`, whose closure cannot fail; threads that race here each
        // start one, and the first kept serves all.
        let http = Downloader::new(&self.options)?;
        Ok(self.http.get_or_init(|| http))
    }

    /// The error for an answer that is neither the file nor a "not found".
    fn refused(&self, shown: &str, status: StatusCode) -> Error {
        let hint = match (status, &self.token_env, &self.token) {
            (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, Some(var), None) => {
                format!("set the token in the environment variable {var}")
            }
            (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, Some(var), Some(_)) => format!(
                "the token in the environment variable {var} was refused: set the token in the environment variable {var} to one that may read this registry"
            ),
            (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, None, _) => format!(
                "no token-env is configured: add `token-env = \"VARIABLE\"` to [registries.{}] in pluginkit.toml and set the token in the environment variable VARIABLE",
                self.name
            ),
            _ => format!(
                "check `index` in [registries.{}] in pluginkit.toml",
                self.name
            ),
        };
        Error::Refused {
            registry: self.name.clone(),
            url: shown.to_owned(),
            status,
            hint,
        }
    }
}

impl fmt::Debug for Registry {
    // By hand, to say whether there is a token without a chance of showing it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("name", &self.name)
            .field("root", &self.root)
            .field("token_env", &self.token_env)
            .field("token", &self.token.as_ref().map(|_| "set"))
            .field("cache_dir", &self.cache_dir)
            .field("offline", &self.offline)
            .finish_non_exhaustive()
    }
}

/// A registry file as [`Registry::fetch`] read it.
struct Fetched {
    bytes: Option<Vec<u8>>,
    /// How messages name it: its URL or path.
    shown: String,
    /// A download, not cached yet.
    download: Option<Download>,
}

/// A registry file downloaded into a temporary file in the cache, with its `ETag`; until it
/// is kept or dropped, the cache stays locked for `cache clean` and Ctrl-C deletes the file.
struct Download {
    temp: NamedTempFile,
    cache_file: PathBuf,
    sha256: String,
    etag: Option<String>,
    _using: File,
    _interrupt: interrupt::Registered,
}

impl Fetched {
    /// Cache a download (with its `ETag`), once it was found good; a file that is not kept is
    /// deleted with its temporary file.
    fn keep(self) -> Result<(), Error> {
        if let Some(download) = self.download {
            persist(download.temp, &download.cache_file)?;
            write_etag(
                &download.cache_file,
                &download.sha256,
                download.etag.as_deref(),
            )?;
        }
        Ok(())
    }
}

/// Where a host keeps the highest snapshot serial it has seen of each registry, by the
/// registry's root URL: a snapshot with a lower one is a replay (`host::serials` keeps them in
/// the host's state folder).
pub(crate) trait Serials: Send + Sync {
    fn seen(&self, root: &str) -> Option<u64>;
    /// Record `serial` for `root` unless a higher one is recorded, in one step.
    fn record(&self, root: &str, serial: u64) -> std::io::Result<()>;
    /// Where they are kept, for messages.
    fn path(&self) -> &Path;
}

/// The lock file of the cache folder `dir`, which it keeps when emptied.
pub(crate) const CACHE_LOCK: &str = ".lock";

/// Lock the cache folder `dir`: shared by every process writing into it (a download, from its
/// temporary file until it is in place), exclusive for `cache clean`, which so never deletes a
/// download in progress nor has one written into a folder it is deleting. Held until the file
/// is dropped. `waiting` is called before waiting for another process to let go of it.
pub(crate) fn lock_cache(dir: &Path, exclusive: bool, waiting: impl FnOnce()) -> io::Result<File> {
    fs::create_dir_all(dir)?;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(CACHE_LOCK))?;
    let tried = if exclusive {
        file.try_lock()
    } else {
        file.try_lock_shared()
    };
    match tried {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            waiting();
            if exclusive {
                file.lock()?;
            } else {
                file.lock_shared()?;
            }
        }
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    Ok(file)
}

/// The cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else
/// $HOME/.cache/pluginkit, reading variables with `var`. Empty variables count as unset;
/// relative `XDG_CACHE_HOME` and `HOME` are ignored, as the XDG specification says. Without
/// `HOME` (on Windows), `%LOCALAPPDATA%\pluginkit\cache`.
pub(crate) fn cache_dir(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set("PLUGINKIT_CACHE_DIR") {
        return std::path::absolute(&dir).ok();
    }
    if let Some(dir) = set("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return Some(dir.join("pluginkit"));
    }
    if let Some(home) = set("HOME").filter(|d| d.is_absolute()) {
        return Some(home.join(".cache").join("pluginkit"));
    }
    set("LOCALAPPDATA")
        .filter(|d| d.is_absolute())
        .map(|dir| dir.join("pluginkit").join("cache"))
}

/// `index` from [registries.NAME], read.
fn parse_root(name: &str, index: &str, host_root: &Path) -> Result<Root, Error> {
    let shown = without_credentials(index);
    let refuse = |why: String| Error::BadIndex {
        registry: name.to_owned(),
        index: shown.clone().into_owned(),
        why,
    };
    let path = match Url::parse(index) {
        Ok(mut url) if matches!(url.scheme(), "http" | "https") => {
            url.set_query(None);
            url.set_fragment(None);
            if !url.path().ends_with('/') {
                let path = format!("{}/", url.path());
                url.set_path(&path);
            }
            return Ok(Root::Http(url));
        }
        Ok(url) if url.scheme() == "file" => url
            .to_file_path()
            .map_err(|()| refuse("is not the URL of a local folder".into()))?,
        // A Windows path (`C:\plugins`) reads as a URL with a one-letter scheme.
        Ok(url) if url.scheme().len() > 1 => {
            return Err(refuse(format!(
                "is a `{}:` URL, which pluginkit cannot read",
                url.scheme()
            )));
        }
        _ => host_root.join(index),
    };
    let path = std::path::absolute(&path).map_err(|e| refuse(format!("is not usable: {e}")))?;
    if !path.is_dir() {
        return Err(Error::NoFolder {
            registry: name.to_owned(),
            path,
        });
    }
    // `../reg` is recorded as the folder itself, not as a way there.
    let path = path.canonicalize().unwrap_or(path);
    let url = Url::from_directory_path(&path)
        .map_err(|()| refuse("is not a folder pluginkit can name with a URL".into()))?;
    Ok(Root::Folder { path, url })
}

/// Whether `url` is inside the registry whose root is `root`, as the server that answers it (or
/// the file system, for a `file://` root) sees it: on the root's origin, below its path, and
/// naming a file there however the rest of the path is decoded ([`plain_path`]).
fn inside(root: &Url, url: &Url) -> bool {
    root.scheme() == url.scheme()
        && root.host_str() == url.host_str()
        && root.port_or_known_default() == url.port_or_known_default()
        && url.path().strip_prefix(root.path()).is_some_and(plain_path)
}

/// Whether `path`, a relative URL path, names a file below where it is resolved from, however a
/// server decodes it: as written, and after each of up to [`MAX_DECODES`] rounds of
/// percent-decoding (a server decodes once, a proxy before it maybe again), split at `/` and at
/// `\` (which Windows servers and some proxies take for `/`), no segment is one a server or
/// file system resolves as `.` or `..` ([`is_dot_segment`]) or is empty, and there is no NUL.
fn plain_path(path: &str) -> bool {
    let mut text = Cow::Borrowed(path);
    for _ in 0..=MAX_DECODES {
        if text.is_empty() || text.contains('\0') || text.split(['/', '\\']).any(is_dot_segment) {
            return false;
        }
        let decoded = percent_encoding::percent_decode_str(&text).decode_utf8_lossy();
        if decoded == text {
            return true;
        }
        text = Cow::Owned(decoded.into_owned());
    }
    // Still encoded after so many rounds: no honest registry writes that.
    false
}

/// Whether a server or file system could take `segment` for `.` or `..`, or for nothing: dots
/// and spaces only (Windows drops trailing ones), also before a `;` (servers that drop path
/// parameters read `..;x` as `..`).
fn is_dot_segment(segment: &str) -> bool {
    let segment = segment.split(';').next().unwrap_or_default();
    segment.trim_end_matches(['.', ' ']).is_empty()
}

/// `Bearer TOKEN` from the value of the environment variable `var`; `None` when it is empty.
fn bearer(value: &OsStr, var: &str) -> Result<Option<HeaderValue>, Error> {
    // The message never shows the token, not even part of it.
    let unusable = || Error::BadToken {
        var: var.to_owned(),
    };
    let token = value.to_str().ok_or_else(unusable)?.trim();
    if token.is_empty() {
        return Ok(None);
    }
    let mut header = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| unusable())?;
    header.set_sensitive(true);
    Ok(Some(header))
}

/// A plugin name that is safe in a URL and as a file name.
fn check_name(name: &str) -> Result<(), Error> {
    let valid = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(())
    } else {
        Err(Error::BadName {
            name: name.to_owned(),
        })
    }
}

/// An index or `search.json` of a folder registry: a regular file of at most [`MAX_DOCUMENT`]
/// bytes.
fn read_document(path: &Path) -> io::Result<Vec<u8>> {
    crate::util::read::read_regular_file(path, MAX_DOCUMENT)
}

/// A registry file: its `format` checked first, so that a newer format is refused with a
/// message to upgrade rather than with whatever field it changed.
fn parse<T: DeserializeOwned>(bytes: &[u8], shown: &str, what: &str) -> Result<T, Error> {
    #[derive(Deserialize)]
    struct Head {
        format: u32,
    }
    let malformed = |source: serde_json::Error| Error::Malformed {
        what: what.to_owned(),
        shown: shown.to_owned(),
        source,
    };
    let head: Head = serde_json::from_slice(bytes).map_err(malformed)?;
    if head.format > FORMAT {
        return Err(Error::NewerFormat {
            shown: shown.to_owned(),
            format: head.format,
        });
    }
    serde_json::from_slice(bytes).map_err(malformed)
}

/// A cached registry file, and its `ETag` when the `.etag` file belongs to it.
struct Cached {
    body: Vec<u8>,
    etag: Option<String>,
}

fn read_cached(path: &Path) -> Option<Cached> {
    let body = fs::read(path).ok()?;
    let etag = fs::read_to_string(etag_path(path))
        .ok()
        .and_then(|text| {
            let (sha256, etag) = text.split_once('\n')?;
            (sha256 == hex(&Sha256::digest(&body))).then(|| etag.trim_end().to_owned())
        })
        .filter(|etag| !etag.is_empty());
    Some(Cached { body, etag })
}

/// Record `etag` for the cached file at `path` whose sha256 is `sha256`, or forget the old one.
fn write_etag(path: &Path, sha256: &str, etag: Option<&str>) -> Result<(), Error> {
    let etag_file = etag_path(path);
    let Some(etag) = etag else {
        return match fs::remove_file(&etag_file) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(cache_error(&etag_file)(e)),
            _ => Ok(()),
        };
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".download-")
        .tempfile_in(folder)
        .map_err(cache_error(folder))?;
    temp.write_all(format!("{sha256}\n{etag}\n").as_bytes())
        .map_err(cache_error(temp.path()))?;
    persist(temp, &etag_file)
}

fn etag_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".etag");
    PathBuf::from(name)
}

/// Whether the cached package at `path` is there and has the sha256 `sha256`. A damaged one is
/// deleted, to be fetched again.
fn verify_cached(
    path: &Path,
    sha256: &str,
    progress: &ProgressBar,
    printer: &Printer,
) -> Result<bool, Error> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(cache_error(path)(e)),
    };
    let mut tee = Tee {
        reader: file,
        copy: io::sink(),
        progress,
    };
    let (size, got) = hash_reader(&mut tee).map_err(cache_error(path))?;
    if got == sha256 {
        return Ok(true);
    }
    progress.dec(size);
    printer.warn(format_args!(
        "the cached package {} is damaged (its sha256 is {got}); fetching it again",
        path.display()
    ));
    match fs::remove_file(path) {
        // Another process may have replaced it already.
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(cache_error(path)(e)),
        _ => Ok(false),
    }
}

/// Rename a finished temporary file into its place in the cache.
fn persist(temp: NamedTempFile, path: &Path) -> Result<(), Error> {
    match temp.persist(path) {
        Ok(_) => Ok(()),
        // Windows will not replace a file another process holds open; that process put the same
        // verified content there.
        Err(_) if path.is_file() && cfg!(windows) => Ok(()),
        Err(e) => Err(cache_error(path)(e.error)),
    }
}

/// The cache at `path` failed with the error given next.
fn cache_error(path: &Path) -> impl FnOnce(io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Cache { path, source }
}

/// Reads `reader`, writing what it reads to `copy` and counting it on `progress`.
struct Tee<'a, R, W> {
    reader: R,
    copy: W,
    progress: &'a ProgressBar,
}

impl<R: Read, W: Write> Read for Tee<'_, R, W> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let n = self.reader.read(buffer)?;
        self.copy.write_all(&buffer[..n])?;
        self.progress.inc(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    use tempfile::TempDir;

    use super::*;
    use crate::output::{ColorChoice, Verbosity};

    /// How long a test server lives at most, even if its test never stops it.
    const SERVER_LIFETIME: Duration = Duration::from_secs(30);

    type Reply = tiny_http::Response<Cursor<Vec<u8>>>;

    /// What a test server saw of one request.
    #[derive(Debug, Clone)]
    struct Seen {
        path: String,
        authorization: Option<String>,
        if_none_match: Option<String>,
    }

    /// A tiny_http server on 127.0.0.1 in a thread, answering with `respond` (given the
    /// 1-based number of the request); stops when dropped.
    struct Server {
        port: u16,
        seen: Arc<Mutex<Vec<Seen>>>,
        stop: Arc<AtomicBool>,
        thread: Option<JoinHandle<()>>,
    }

    impl Server {
        fn start(respond: impl Fn(usize, &Seen) -> Reply + Send + 'static) -> Server {
            let server = tiny_http::Server::http("127.0.0.1:0").expect("a port on 127.0.0.1");
            let port = server.server_addr().to_ip().expect("an IP address").port();
            let seen = Arc::new(Mutex::new(Vec::new()));
            let stop = Arc::new(AtomicBool::new(false));
            let thread = {
                let (seen, stop) = (seen.clone(), stop.clone());
                let hits = AtomicUsize::new(0);
                std::thread::spawn(move || {
                    let started = Instant::now();
                    while !stop.load(Ordering::SeqCst) && started.elapsed() < SERVER_LIFETIME {
                        let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(10))
                        else {
                            continue;
                        };
                        let header = |name: &'static str| {
                            request
                                .headers()
                                .iter()
                                .find(|h| h.field.equiv(name))
                                .map(|h| h.value.to_string())
                        };
                        let one = Seen {
                            path: request.url().to_owned(),
                            authorization: header("Authorization"),
                            if_none_match: header("If-None-Match"),
                        };
                        seen.lock().unwrap().push(one.clone());
                        let reply = respond(hits.fetch_add(1, Ordering::SeqCst) + 1, &one);
                        let _ = request.respond(reply);
                    }
                })
            };
            Server {
                port,
                seen,
                stop,
                thread: Some(thread),
            }
        }

        /// A server that hands out the files of `files` (path -> body) and 404 for the rest.
        fn files(files: Vec<(String, Vec<u8>)>) -> Server {
            Server::start(
                move |_, seen| match files.iter().find(|(path, _)| *path == seen.path) {
                    Some((_, body)) => reply(200, body, &[]),
                    None => reply(404, b"not here", &[]),
                },
            )
        }

        fn url(&self, path: &str) -> String {
            format!("http://127.0.0.1:{}{path}", self.port)
        }

        fn seen(&self) -> Vec<Seen> {
            self.seen.lock().unwrap().clone()
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }

    fn reply(status: u16, body: &[u8], headers: &[(&str, &str)]) -> Reply {
        let mut response = tiny_http::Response::from_data(body.to_vec()).with_status_code(status);
        for (name, value) in headers {
            response.add_header(
                tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap(),
            );
        }
        response
    }

    /// Bytes standing for a package: the client never opens them, and they span many reads.
    fn package_bytes() -> Vec<u8> {
        (0..200_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect()
    }

    fn sha256(bytes: &[u8]) -> String {
        hex(&Sha256::digest(bytes))
    }

    fn index_json(url: &str, sha256: &str, size: usize) -> Vec<u8> {
        serde_json::json!({
            "format": 1,
            "name": "hello",
            "versions": [{
                "version": "1.0.0",
                "url": url,
                "sha256": sha256,
                "size": size,
                "summary": "Greets people",
                "flavor": "pluginkit",
                "published": "2026-11-21T15:04:05Z",
            }],
        })
        .to_string()
        .into_bytes()
    }

    fn search_json() -> Vec<u8> {
        br#"{"format": 1, "plugins": [{"name": "hello", "version": "1.0.0", "summary": "Greets people"}]}"#.to_vec()
    }

    fn options() -> download::Options {
        download::Options {
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(5),
            retries: 2,
            retry_delay: Duration::from_millis(1),
        }
    }

    fn printer() -> Printer {
        Printer::new(Verbosity::Quiet, ColorChoice::Never, true)
    }

    fn open(index: &str, root: &Path, cache: &Path, offline: bool) -> Registry {
        Registry::open("default", index, root, None, cache, offline, &options()).unwrap()
    }

    /// What the user would read: the message and the hint.
    fn text(error: &Error) -> String {
        format!(
            "{}\nhint: {}",
            crate::error::one_line(error),
            error.hint().unwrap_or_default()
        )
    }

    fn cached_packages(cache: &Path) -> Vec<String> {
        match fs::read_dir(cache.join("packages")) {
            Ok(entries) => entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    #[test]
    fn registry_can_be_shared_between_threads() {
        fn send_and_sync<T: Send + Sync>() {}
        send_and_sync::<Registry>();
    }

    #[test]
    fn an_index_is_cached_and_revalidated_with_its_etag() {
        let body = index_json("files/hello/hello-1.0.0.zip", &"a".repeat(64), 0);
        let server = {
            let body = body.clone();
            Server::start(move |_, seen| match seen.if_none_match.as_deref() {
                Some("\"v1\"") => reply(304, b"", &[("ETag", "\"v1\"")]),
                _ => reply(200, &body, &[("ETag", "\"v1\"")]),
            })
        };
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        let first = registry.index("hello", &printer()).unwrap().unwrap();
        assert_eq!(first.name, "hello");
        assert_eq!(first.versions[0].version, "1.0.0");
        let second = registry.index("hello", &printer()).unwrap().unwrap();
        assert_eq!(first, second);
        // Another run, with the same cache, revalidates too.
        let again = open(&server.url("/"), temp.path(), temp.path(), false);
        assert_eq!(again.index("hello", &printer()).unwrap().unwrap(), first);
        let seen = server.seen();
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0].path, "/index/hello.json");
        assert_eq!(seen[0].if_none_match, None);
        assert_eq!(seen[1].if_none_match.as_deref(), Some("\"v1\""));
        assert_eq!(seen[2].if_none_match.as_deref(), Some("\"v1\""));
    }

    #[test]
    fn a_304_returns_the_cached_index_not_a_new_one() {
        // The server's file changes, but it says "not modified": the cache is what counts.
        let server = Server::start(|hit, _| match hit {
            1 => reply(
                200,
                &index_json("files/hello/hello-1.0.0.zip", &"a".repeat(64), 0),
                &[("ETag", "W/\"1\"")],
            ),
            _ => reply(304, b"", &[]),
        });
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/reg"), temp.path(), temp.path(), false);
        registry.index("hello", &printer()).unwrap().unwrap();
        let index = registry.index("hello", &printer()).unwrap().unwrap();
        assert_eq!(index.versions[0].sha256, "a".repeat(64));
        // A root without a trailing `/` is still a folder.
        assert_eq!(server.seen()[1].path, "/reg/index/hello.json");
        assert_eq!(server.seen()[1].if_none_match.as_deref(), Some("W/\"1\""));
    }

    #[test]
    fn an_etag_that_belongs_to_another_body_is_not_sent() {
        let server = Server::start(|_, _| {
            reply(
                200,
                &index_json("files/hello/hello-1.0.0.zip", &"a".repeat(64), 0),
                &[("ETag", "\"v1\"")],
            )
        });
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        registry.index("hello", &printer()).unwrap();
        // A crash between writing the body and its ETag leaves a body the ETag does not name.
        let cached = fs::read_dir(temp.path().join("index"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path()
            .join("index/hello.json");
        fs::write(&cached, b"{\"format\": 1}").unwrap();
        registry.index("hello", &printer()).unwrap();
        assert_eq!(server.seen()[1].if_none_match, None);
    }

    #[test]
    fn a_missing_plugin_is_none() {
        let server = Server::files(Vec::new());
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        assert_eq!(registry.index("nothing", &printer()).unwrap(), None);
        let error = registry.search(&printer()).unwrap_err();
        assert!(
            text(&error).contains("has no search.json"),
            "{}",
            text(&error)
        );
    }

    #[test]
    fn the_bearer_token_goes_to_the_registry_only() {
        let package = package_bytes();
        let elsewhere = Server::files(vec![("/hello.zip".into(), package.clone())]);
        let absolute = index_json(&elsewhere.url("/hello.zip"), &sha256(&package), 0);
        let registry_server = Server::files(vec![
            ("/index/hello.json".into(), absolute),
            ("/search.json".into(), search_json()),
        ]);
        let temp = TempDir::new().unwrap();
        let mut registry = open(&registry_server.url("/"), temp.path(), temp.path(), false);
        registry.token = bearer("s3cret".as_ref(), "PLUGINS_TOKEN").unwrap();
        let index = registry.index("hello", &printer()).unwrap().unwrap();
        registry.search(&printer()).unwrap();
        let bar = ProgressBar::hidden();
        registry
            .package("hello", &index.versions[0], &printer(), &bar)
            .unwrap();
        for seen in registry_server.seen() {
            assert_eq!(seen.authorization.as_deref(), Some("Bearer s3cret"));
        }
        assert_eq!(elsewhere.seen().len(), 1);
        assert_eq!(elsewhere.seen()[0].authorization, None);
        assert!(!format!("{registry:?}").contains("s3cret"));
    }

    #[test]
    fn the_token_goes_as_a_bearer_token() {
        let server = Server::files(vec![("/search.json".into(), search_json())]);
        let temp = TempDir::new().unwrap();
        let registry = Registry::open(
            "default",
            &server.url("/"),
            temp.path(),
            Some(("PLUGINS_TOKEN", Some(OsStr::new("pluginkit")))),
            temp.path(),
            false,
            &options(),
        )
        .unwrap();
        registry.search(&printer()).unwrap();
        assert_eq!(
            server.seen()[0].authorization.as_deref(),
            Some("Bearer pluginkit")
        );
        assert!(bearer("two\nlines".as_ref(), "X").is_err());
        assert_eq!(bearer(" ".as_ref(), "X").unwrap(), None);
    }

    #[test]
    fn a_refusal_says_which_variable_holds_the_token() {
        let server = Server::start(|_, _| reply(401, b"who are you?", &[]));
        let temp = TempDir::new().unwrap();
        let url = server.url("/");
        let unset = Registry::open(
            "internal",
            &url,
            temp.path(),
            Some(("PLUGINKIT_TEST_TOKEN_THAT_IS_NEVER_SET", None)),
            temp.path(),
            false,
            &options(),
        )
        .unwrap();
        let error = text(&unset.index("hello", &printer()).unwrap_err());
        assert!(
            error.contains("the registry `internal` refused to send")
                && error.contains("(HTTP 401 Unauthorized)")
                && error.contains(
                    "set the token in the environment variable PLUGINKIT_TEST_TOKEN_THAT_IS_NEVER_SET"
                ),
            "{error}"
        );

        let none = open(&url, temp.path(), temp.path(), false);
        let error = text(&none.index("hello", &printer()).unwrap_err());
        assert!(error.contains("no token-env is configured"), "{error}");
        assert!(error.contains("[registries.default]"), "{error}");

        let mut wrong = open(&url, temp.path(), temp.path(), false);
        wrong.token_env = Some("PLUGINS_TOKEN".into());
        wrong.token = bearer("s3cret".as_ref(), "PLUGINS_TOKEN").unwrap();
        let error = text(&wrong.index("hello", &printer()).unwrap_err());
        assert!(error.contains("PLUGINS_TOKEN was refused"), "{error}");
        assert!(!error.contains("s3cret"), "{error}");
        // Not retried: a 401 will not pass by itself.
        assert_eq!(server.seen().len(), 3);
    }

    #[test]
    fn server_errors_are_retried() {
        let package = package_bytes();
        let index = index_json(
            "files/hello/hello-1.0.0.zip",
            &sha256(&package),
            package.len(),
        );
        let server = {
            let package = package.clone();
            Server::start(move |hit, seen| match (hit, seen.path.as_str()) {
                (1, _) => reply(500, b"oops", &[]),
                (3, _) => reply(503, b"busy", &[("Retry-After", "0")]),
                (_, "/index/hello.json") => reply(200, &index, &[]),
                (_, "/files/hello/hello-1.0.0.zip") => reply(200, &package, &[]),
                _ => reply(404, b"", &[]),
            })
        };
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        let index = registry.index("hello", &printer()).unwrap().unwrap();
        let bar = ProgressBar::hidden();
        let path = registry
            .package("hello", &index.versions[0], &printer(), &bar)
            .unwrap();
        assert_eq!(fs::read(&path).unwrap(), package);
        assert_eq!(server.seen().len(), 4);
        assert_eq!(bar.position(), package.len() as u64);
    }

    #[test]
    fn a_package_with_another_checksum_is_refused_and_not_cached() {
        let package = package_bytes();
        let listed = sha256(b"what was published");
        let server = Server::files(vec![
            (
                "/index/hello.json".into(),
                index_json("files/hello/hello-1.0.0.zip", &listed, 0),
            ),
            ("/files/hello/hello-1.0.0.zip".into(), package.clone()),
        ]);
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        let index = registry.index("hello", &printer()).unwrap().unwrap();
        let bar = ProgressBar::hidden();
        let error = registry
            .package("hello", &index.versions[0], &printer(), &bar)
            .unwrap_err();
        let error = text(&error);
        assert!(
            error.contains("`hello` 1.0.0")
                && error.contains(&sha256(&package))
                && error.contains(&listed),
            "{error}"
        );
        assert_eq!(cached_packages(temp.path()), Vec::<String>::new());
    }

    #[test]
    fn a_package_larger_than_listed_is_cut_off() {
        let package = package_bytes();
        let server = Server::files(vec![("/hello.zip".into(), package.clone())]);
        let index = index_json("hello.zip", &sha256(&package), 1000);
        let index: Index = serde_json::from_slice(&index).unwrap();
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        let bar = ProgressBar::hidden();
        let error = registry
            .package("hello", &index.versions[0], &printer(), &bar)
            .unwrap_err();
        assert!(
            text(&error).contains("larger than the 1000 bytes expected"),
            "{}",
            text(&error)
        );
        assert_eq!(cached_packages(temp.path()), Vec::<String>::new());
    }

    #[test]
    fn a_damaged_cached_package_is_fetched_again() {
        let package = package_bytes();
        let server = Server::files(vec![("/files/hello.zip".into(), package.clone())]);
        let index: Index =
            serde_json::from_slice(&index_json("files/hello.zip", &sha256(&package), 0)).unwrap();
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        let bar = ProgressBar::hidden();
        let version = &index.versions[0];
        let path = registry
            .package("hello", version, &printer(), &bar)
            .unwrap();
        assert_eq!(
            path,
            temp.path()
                .join("packages")
                .join(format!("{}.zip", sha256(&package)))
        );
        // From the cache: no second request.
        registry
            .package("hello", version, &printer(), &bar)
            .unwrap();
        assert_eq!(server.seen().len(), 1);
        fs::write(&path, b"bit rot").unwrap();
        let again = registry
            .package("hello", version, &printer(), &bar)
            .unwrap();
        assert_eq!(fs::read(again).unwrap(), package);
        assert_eq!(server.seen().len(), 2);
    }

    #[test]
    fn parallel_downloads_share_one_registry_and_one_bar() {
        let package = package_bytes();
        let server = Server::files(vec![("/files/hello.zip".into(), package.clone())]);
        let index: Index =
            serde_json::from_slice(&index_json("files/hello.zip", &sha256(&package), 0)).unwrap();
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        let bar = ProgressBar::hidden();
        let paths: Vec<PathBuf> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        registry
                            .package("hello", &index.versions[0], &printer(), &bar)
                            .unwrap()
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert!(paths.iter().all(|p| *p == paths[0]));
        assert_eq!(fs::read(&paths[0]).unwrap(), package);
        // No temporary files left behind.
        assert_eq!(
            cached_packages(temp.path()),
            vec![format!("{}.zip", sha256(&package))]
        );
    }

    #[test]
    fn offline_reads_only_the_cache() {
        let package = package_bytes();
        let index = index_json("files/hello/hello-1.0.0.zip", &sha256(&package), 0);
        let server = Server::files(vec![
            ("/index/hello.json".into(), index),
            ("/files/hello/hello-1.0.0.zip".into(), package.clone()),
        ]);
        let temp = TempDir::new().unwrap();
        let url = server.url("/");
        let online = open(&url, temp.path(), temp.path(), false);
        let index = online.index("hello", &printer()).unwrap().unwrap();
        let bar = ProgressBar::hidden();
        online
            .package("hello", &index.versions[0], &printer(), &bar)
            .unwrap();
        drop(server);

        let offline = open(&url, temp.path(), temp.path(), true);
        assert_eq!(offline.index("hello", &printer()).unwrap().unwrap(), index);
        let path = offline
            .package("hello", &index.versions[0], &printer(), &bar)
            .unwrap();
        assert_eq!(fs::read(path).unwrap(), package);

        let error = text(&offline.index("other", &printer()).unwrap_err());
        assert!(
            error.contains("the index of `other` from the registry `default` is not in the cache")
                && error.contains("without --offline"),
            "{error}"
        );
        let empty = TempDir::new().unwrap();
        let cold = open(&url, empty.path(), empty.path(), true);
        let error = text(
            &cold
                .package("hello", &index.versions[0], &printer(), &bar)
                .unwrap_err(),
        );
        assert!(
            error.contains("is not in the cache") && error.contains("without --offline"),
            "{error}"
        );
        assert!(cold.search(&printer()).is_err());
    }

    /// A registry folder holding `hello` 1.0.0, as `pluginkit registry publish` lays it out.
    fn registry_folder(dir: &Path) -> Vec<u8> {
        let package = package_bytes();
        fs::create_dir_all(dir.join("index")).unwrap();
        fs::create_dir_all(dir.join("files/hello")).unwrap();
        fs::write(dir.join("files/hello/hello-1.0.0.zip"), &package).unwrap();
        fs::write(
            dir.join("index/hello.json"),
            index_json("files/hello/hello-1.0.0.zip", &sha256(&package), 0),
        )
        .unwrap();
        fs::write(dir.join("search.json"), search_json()).unwrap();
        package
    }

    #[test]
    fn folder_registries_are_read_in_place() {
        let host = TempDir::new().unwrap();
        let cache = TempDir::new().unwrap();
        let package = registry_folder(&host.path().join("registry"));
        let by_path = open("registry", host.path(), cache.path(), false);
        let by_url = open(
            Url::from_directory_path(host.path().join("registry"))
                .unwrap()
                .as_str(),
            Path::new("/elsewhere"),
            cache.path(),
            // No network is involved, so offline changes nothing.
            true,
        );
        for registry in [by_path, by_url] {
            let index = registry.index("hello", &printer()).unwrap().unwrap();
            assert_eq!(index.versions[0].summary.as_deref(), Some("Greets people"));
            assert_eq!(registry.index("nothing", &printer()).unwrap(), None);
            assert_eq!(
                registry.search(&printer()).unwrap().plugins[0].name,
                "hello"
            );
            let url = registry.package_url(&index.versions[0]);
            assert_eq!(
                Url::parse(&url).unwrap().to_file_path().unwrap(),
                host.path().join("registry/files/hello/hello-1.0.0.zip")
            );
            let bar = ProgressBar::hidden();
            let path = registry
                .package("hello", &index.versions[0], &printer(), &bar)
                .unwrap();
            assert!(path.starts_with(cache.path().join("packages")));
            assert_eq!(fs::read(path).unwrap(), package);
            assert_eq!(bar.position(), package.len() as u64);
        }
        // The folder registry's index files are not copied into the cache.
        assert!(!cache.path().join("index").exists());
    }

    #[test]
    fn a_changed_package_in_a_folder_registry_is_refused() {
        let host = TempDir::new().unwrap();
        let cache = TempDir::new().unwrap();
        registry_folder(host.path());
        fs::write(host.path().join("files/hello/hello-1.0.0.zip"), b"swapped").unwrap();
        let registry = open(".", host.path(), cache.path(), false);
        let index = registry.index("hello", &printer()).unwrap().unwrap();
        let bar = ProgressBar::hidden();
        let error = registry
            .package("hello", &index.versions[0], &printer(), &bar)
            .unwrap_err();
        assert!(
            text(&error).contains(&sha256(b"swapped")),
            "{}",
            text(&error)
        );
        assert_eq!(cached_packages(cache.path()), Vec::<String>::new());
    }

    #[test]
    fn a_missing_registry_folder_is_an_error() {
        let host = TempDir::new().unwrap();
        let error = Registry::open(
            "local",
            "no-such-folder",
            host.path(),
            None,
            host.path(),
            false,
            &options(),
        )
        .unwrap_err();
        assert!(text(&error).contains("does not exist"), "{}", text(&error));
        let error = Registry::open(
            "local",
            "ftp://example.com/",
            host.path(),
            None,
            host.path(),
            false,
            &options(),
        )
        .unwrap_err();
        assert!(text(&error).contains("`ftp:` URL"), "{}", text(&error));
    }

    #[test]
    fn a_newer_format_is_refused() {
        let server = Server::files(vec![(
            "/index/hello.json".into(),
            br#"{"format": 99, "name": "hello", "everything": "changed"}"#.to_vec(),
        )]);
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        let error = text(&registry.index("hello", &printer()).unwrap_err());
        assert!(
            error.contains("is in registry format 99, but this pluginkit reads format 1")
                && error.contains("upgrade pluginkit"),
            "{error}"
        );
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let index = br#"{
            "format": 1, "name": "hello", "mirrors": ["x"],
            "versions": [{"version": "1.0.0", "url": "files/hello/hello-1.0.0.zip",
                "sha256": "0000000000000000000000000000000000000000000000000000000000000000",
                "flavor": "pluginkit", "published": "2026-11-21T15:04:05Z",
                "signature": {"alg": "ed25519"}}]
        }"#;
        let search = br#"{"format": 1, "generated": "now", "plugins": [{"name": "hello", "version": "1.0.0", "stars": 5}]}"#;
        let server = Server::files(vec![
            ("/index/hello.json".into(), index.to_vec()),
            ("/search.json".into(), search.to_vec()),
        ]);
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        let index = registry.index("hello", &printer()).unwrap().unwrap();
        assert_eq!(index.versions[0].size, 0);
        assert!(!index.versions[0].yanked);
        let search = registry.search(&printer()).unwrap();
        assert_eq!(search.plugins[0].summary, None);
    }

    #[test]
    fn malformed_json_names_the_url_and_the_place() {
        let server = Server::files(vec![(
            "/index/hello.json".into(),
            b"{\"format\": 1,\n \"name\": }".to_vec(),
        )]);
        let temp = TempDir::new().unwrap();
        let registry = open(&server.url("/"), temp.path(), temp.path(), false);
        let error = text(&registry.index("hello", &printer()).unwrap_err());
        assert!(
            error.contains(&format!(
                "cannot read the index of `hello` from {}: expected value at line 2 column 10",
                server.url("/index/hello.json")
            )),
            "{error}"
        );
        // Nothing that cannot be read is cached.
        assert!(
            read_cached(
                &registry
                    .documents_cache(&Url::parse(&server.url("/")).unwrap())
                    .join("index/hello.json")
            )
            .is_none()
        );
    }

    #[test]
    fn names_urls_and_checksums_that_lead_elsewhere_are_refused() {
        let temp = TempDir::new().unwrap();
        let registry = open(
            "https://plugins.example.com/",
            temp.path(),
            temp.path(),
            false,
        );
        for name in ["../etc", "a/b", "", ".hidden", "a b"] {
            assert!(registry.index(name, &printer()).is_err(), "{name}");
        }
        let good = "files/hello/hello-1.0.0.zip";
        let sha = "a".repeat(64);
        let bar = ProgressBar::hidden();
        for (url, sha256) in [
            ("../../elsewhere.zip", sha.as_str()),
            ("%2e%2e/%2e%2e/elsewhere.zip", &sha),
            ("files/%2E%2e/%2e./%2e%2E/elsewhere.zip", &sha),
            ("files/%252e%252e/%252e%252e/elsewhere.zip", &sha),
            ("files/..%2f..%2felsewhere.zip", &sha),
            ("files/..%5c..%5celsewhere.zip", &sha),
            ("files/..;/..;/elsewhere.zip", &sha),
            ("files/.../elsewhere.zip", &sha),
            ("files//elsewhere.zip", &sha),
            ("/elsewhere.zip", &sha),
            ("//elsewhere.example.com/x.zip", &sha),
            ("files\\hello.zip", &sha),
            ("file:///etc/passwd", &sha),
            ("ftp://example.com/x.zip", &sha),
            (good, "../../x"),
            (good, "abc"),
        ] {
            let index: Index = serde_json::from_slice(&index_json(url, sha256, 0)).unwrap();
            let error = registry
                .package("hello", &index.versions[0], &printer(), &bar)
                .unwrap_err();
            assert!(
                text(&error).contains("tell the registry's maintainer"),
                "{url} {sha256}: {}",
                text(&error)
            );
        }
        assert_eq!(cached_packages(temp.path()), Vec::<String>::new());
    }

    #[test]
    fn paths_a_server_would_resolve_elsewhere_are_not_plain() {
        for plain in [
            "files/hello/hello-1.0.0.zip",
            "files/hello/hello-1.0.0+build.5.zip",
            "files/my%20plugin.zip",
            "files/a%2Fb.zip",
            "files/.hello.zip",
            "files/hello..zip",
        ] {
            assert!(plain_path(plain), "{plain}");
        }
        for dotted in [
            "",
            ".",
            "..",
            "files/../x.zip",
            "files/./x.zip",
            "files/%2e%2e/x.zip",
            "files/%2E%2E/x.zip",
            "files/.%2e/x.zip",
            "files/%252e%252e/x.zip",
            "files/%25252e%25252e/x.zip",
            "files/..%2fx.zip",
            "files/..%2Fx.zip",
            "files/..%5cx.zip",
            "files/..\\x.zip",
            "files/..;jsessionid=1/x.zip",
            "files/.. /x.zip",
            "files/.../x.zip",
            "files//x.zip",
            "files/",
            "files/x%00.zip",
            // Encoded four times: more than any server decodes, so not judged but refused.
            "files/%2525252e%2525252e/x.zip",
        ] {
            assert!(!plain_path(dotted), "{dotted}");
        }
    }

    #[test]
    fn inside_the_root_is_on_its_origin_and_below_its_path() {
        let root = Url::parse("https://reg.example.com/plugins/").unwrap();
        let inside_root = |url: &str| inside(&root, &Url::parse(url).unwrap());
        assert!(inside_root(
            "https://reg.example.com/plugins/files/a/a-1.0.0.zip"
        ));
        assert!(inside_root(
            "https://reg.example.com:443/plugins/files/a.zip?x=../.."
        ));
        for outside in [
            "https://reg.example.com/plugins/files/%2e%2e/%2e%2e/admin",
            "https://reg.example.com/plugins/files/%252e%252e/%252e%252e/admin",
            "https://reg.example.com/plugins/files/..%2f..%2fadmin",
            "https://reg.example.com/plugins/files\\..\\..\\admin",
            "https://reg.example.com/other/a.zip",
            "https://reg.example.com/plugins",
            "https://reg.example.com/pluginsX/a.zip",
            "https://reg.example.com:8443/plugins/a.zip",
            "http://reg.example.com/plugins/a.zip",
            "https://reg.example.com.evil.example/plugins/a.zip",
            "https://evil.example/plugins/a.zip",
        ] {
            assert!(!inside_root(outside), "{outside}");
        }
    }

    #[test]
    fn the_token_never_goes_outside_the_root() {
        let package = package_bytes();
        let sha = sha256(&package);
        let server = Server::start({
            let package = package.clone();
            move |_, seen| {
                if seen.path.ends_with(".zip") {
                    reply(200, &package, &[])
                } else {
                    reply(404, b"not here", &[])
                }
            }
        });
        let temp = TempDir::new().unwrap();
        let mut registry = open(&server.url("/reg/"), temp.path(), temp.path(), false);
        registry.token = bearer("s3cret".as_ref(), "PLUGINS_TOKEN").unwrap();
        let bar = ProgressBar::hidden();
        let fetch = |url: &str| {
            let index: Index = serde_json::from_slice(&index_json(url, &sha, 0)).unwrap();
            let got = registry.package("hello", &index.versions[0], &printer(), &bar);
            // Each is fetched anew: the next one must not find it in the cache.
            let _ = fs::remove_dir_all(temp.path().join("packages"));
            got
        };
        // Escapes in a relative URL: refused before any request.
        for escape in [
            "%2e%2e/outside.zip",
            "files/%2e%2e/%2e%2e/outside.zip",
            "files/%252e%252e/%252e%252e/outside.zip",
        ] {
            let error = fetch(escape).unwrap_err();
            assert!(
                text(&error).contains("leads outside the registry"),
                "{escape}: {}",
                text(&error)
            );
        }
        assert_eq!(server.seen().len(), 0, "{:?}", server.seen());
        // Absolute URLs elsewhere on the same server are fetched, but without the token.
        for elsewhere in [
            server.url("/outside.zip"),
            server.url("/reg/%2e%2e/outside.zip"),
            server.url("/reg/files/%252e%252e/%252e%252e/outside.zip"),
        ] {
            fetch(&elsewhere).unwrap();
        }
        fetch("files/inside.zip").unwrap();
        let seen: Vec<(String, Option<String>)> = server
            .seen()
            .into_iter()
            .map(|s| (s.path, s.authorization))
            .collect();
        assert_eq!(
            seen,
            [
                ("/outside.zip".to_owned(), None),
                ("/outside.zip".to_owned(), None),
                (
                    "/reg/files/%252e%252e/%252e%252e/outside.zip".to_owned(),
                    None
                ),
                (
                    "/reg/files/inside.zip".to_owned(),
                    Some("Bearer s3cret".to_owned())
                ),
            ]
        );
    }

    #[test]
    fn a_folder_registry_gives_only_regular_files_inside_its_folder() {
        let host = TempDir::new().unwrap();
        let cache = TempDir::new().unwrap();
        let package = registry_folder(&host.path().join("registry"));
        let sha = sha256(&package);
        fs::write(host.path().join("outside.zip"), &package).unwrap();
        let registry = open("registry", host.path(), cache.path(), false);
        let bar = ProgressBar::hidden();
        let fetch = |url: &str| {
            let index: Index = serde_json::from_slice(&index_json(url, &sha, 0)).unwrap();
            registry
                .package("hello", &index.versions[0], &printer(), &bar)
                .map_err(|e| text(&e))
        };
        let outside_url = Url::from_file_path(host.path().join("outside.zip")).unwrap();
        let escaped = format!(
            "{}files/..%2f..%2f..%2foutside.zip",
            Url::from_directory_path(host.path().join("registry")).unwrap()
        );
        for escape in [
            "%2e%2e/outside.zip",
            "files/..%2f..%2f..%2foutside.zip",
            outside_url.as_str(),
            escaped.as_str(),
        ] {
            let error = fetch(escape).unwrap_err();
            assert!(
                error.contains("leads outside the registry"),
                "{escape}: {error}"
            );
        }
        // A link inside the folder that leads out of it.
        std::os::unix::fs::symlink(
            host.path().join("outside.zip"),
            host.path().join("registry/files/hello/link.zip"),
        )
        .unwrap();
        let error = fetch("files/hello/link.zip").unwrap_err();
        assert!(
            error.contains("leads outside the registry's folder"),
            "{error}"
        );
        assert_eq!(cached_packages(cache.path()), Vec::<String>::new());
    }

    #[test]
    fn package_urls_are_absolute_and_without_credentials() {
        let temp = TempDir::new().unwrap();
        let registry = open(
            "https://user:pw@plugins.example.com/reg",
            temp.path(),
            temp.path(),
            false,
        );
        let version = |url: &str| -> IndexVersion {
            let index: Index = serde_json::from_slice(&index_json(url, "", 0)).unwrap();
            index.versions[0].clone()
        };
        assert_eq!(
            registry.package_url(&version("files/hello/hello-1.0.0.zip")),
            "https://plugins.example.com/reg/files/hello/hello-1.0.0.zip"
        );
        assert_eq!(
            registry.package_url(&version("https://cdn.example.com/hello.zip")),
            "https://cdn.example.com/hello.zip"
        );
    }

    #[test]
    fn the_cache_folder_comes_from_the_environment() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let dir = |vars| cache_dir(env(vars));
        assert_eq!(
            dir(&[
                ("PLUGINKIT_CACHE_DIR", "/c"),
                ("XDG_CACHE_HOME", "/x"),
                ("HOME", "/h")
            ]),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(
            dir(&[
                ("PLUGINKIT_CACHE_DIR", ""),
                ("XDG_CACHE_HOME", "/x"),
                ("HOME", "/h")
            ]),
            Some(PathBuf::from("/x/pluginkit"))
        );
        assert_eq!(
            dir(&[("XDG_CACHE_HOME", "relative"), ("HOME", "/h")]),
            Some(PathBuf::from("/h/.cache/pluginkit"))
        );
        assert_eq!(dir(&[]), None);
        assert!(
            dir(&[("PLUGINKIT_CACHE_DIR", "rel")])
                .unwrap()
                .is_absolute()
        );
    }
}
