//! [`SourceId`]: where an installed plugin came from, exactly, as `pluginkit.lock`, the receipts,
//! the journal and the backups record it and `list` shows it. Its text is cargo's form, a kind
//! and a location: `registry+URL`, `git+URL?tag=v1.2.0&subdir=plugins/x#<commit>`, `zip+URL`,
//! `zip+./dist/x.zip` (a ZIP file), `path+../my-plugin` (a folder, copied), `link+../my-plugin`
//! (a folder, linked: `add --link`). Those prefixes are written here and nowhere else.
//!
//! A local path is recorded relative to the host's root, the folder that holds `pluginkit.toml`
//! and `pluginkit.lock` ([`LocalPath`]), so the records travel with the host: it always starts
//! with `./` or `../`, which tells it from a URL. Earlier versions wrote absolute paths,
//! `zip+file:///abs/x.zip` and `path+file:///abs/folder`; those still read (and write back the
//! same), and so does `backup+/abs/backup`, what `restore` recorded for a plugin pluginkit had
//! not installed.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::source::Source;
use crate::source::git::{GitSource, Pin};
use crate::util::paths::{absolute, relative_to};
use crate::util::url::without_credentials;

/// Where a ZIP file or a plugin folder is, as the records keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LocalPath {
    /// Relative to the host's root, with `/` between parts and no leading `./`: written `./x` or
    /// `../x`.
    Relative(String),
    /// An absolute path, written as a `file://` URL: what earlier versions recorded, and what a
    /// path that cannot be reached from the host's root (another drive) needs.
    Absolute(PathBuf),
}

impl LocalPath {
    /// `path` as recorded for a host whose root is `root` (links resolved first).
    pub(crate) fn new(root: &Path, path: &Path) -> LocalPath {
        let relative = relative_to(root, path);
        if Path::new(&relative).is_absolute() {
            LocalPath::Absolute(absolute(path))
        } else {
            LocalPath::Relative(relative)
        }
    }

    /// Where it is, for the host whose root is `root`.
    pub(crate) fn resolve(&self, root: &Path) -> PathBuf {
        match self {
            LocalPath::Relative(relative) => root.join(relative),
            LocalPath::Absolute(path) => path.clone(),
        }
    }

    /// Read what follows a `zip+`, `path+` or `link+`: `./x`, `../x` or `file:///x`.
    fn parse(text: &str) -> Option<LocalPath> {
        if let Some(path) = text.strip_prefix("file://") {
            return Some(LocalPath::Absolute(path.into()));
        }
        if let Some(relative) = text.strip_prefix("./") {
            return (!relative.is_empty()).then(|| LocalPath::Relative(relative.to_owned()));
        }
        (text == ".." || text.starts_with("../")).then(|| LocalPath::Relative(text.to_owned()))
    }
}

impl fmt::Display for LocalPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocalPath::Relative(relative) if relative == ".." || relative.starts_with("../") => {
                f.write_str(relative)
            }
            LocalPath::Relative(relative) => write!(f, "./{relative}"),
            LocalPath::Absolute(path) => write!(f, "file://{}", path.display()),
        }
    }
}

/// Where an installed plugin came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SourceId {
    /// A registry's package, by its absolute URL.
    Registry { url: String },
    /// A git repository at the commit installed, with the pin it was installed by.
    Git { source: GitSource, commit: String },
    /// A ZIP at an http(s) URL (never with credentials).
    ZipUrl { url: String },
    /// A ZIP file on disk.
    ZipFile { path: LocalPath },
    /// A plugin folder on disk, copied, or linked (`add --link`).
    Folder { path: LocalPath, link: bool },
    /// A backup that `restore` put back, of a plugin pluginkit had not installed.
    Backup { path: PathBuf },
}

impl SourceId {
    /// A registry's package, with any user name and password taken out of its URL.
    pub(crate) fn registry(url: impl Into<String>) -> Self {
        let url = url.into();
        SourceId::Registry {
            url: without_credentials(&url).into_owned(),
        }
    }

    /// A git commit, with any user name and password taken out of the repository's URL.
    pub(crate) fn git(source: &GitSource, commit: &str) -> Self {
        SourceId::Git {
            source: GitSource {
                url: without_credentials(&source.url).into_owned(),
                ..source.clone()
            },
            commit: commit.to_owned(),
        }
    }

    /// A ZIP URL, with any user name and password taken out.
    pub(crate) fn zip_url(url: &str) -> Self {
        SourceId::ZipUrl {
            url: without_credentials(url).into_owned(),
        }
    }

    /// A ZIP file, for the host whose root is `root` (links resolved).
    pub(crate) fn zip_file(root: &Path, path: &Path) -> Self {
        SourceId::ZipFile {
            path: LocalPath::new(root, path),
        }
    }

    /// A plugin folder, copied or linked, for the host whose root is `root` (links resolved).
    pub(crate) fn folder(root: &Path, path: &Path, link: bool) -> Self {
        SourceId::Folder {
            path: LocalPath::new(root, path),
            link,
        }
    }

    /// A backup put back; never recorded (a restored plugin that pluginkit did not install gets
    /// no records), but earlier versions recorded it.
    pub(crate) fn backup(path: &Path) -> Self {
        SourceId::Backup {
            path: path.to_path_buf(),
        }
    }

    /// Where a ZIP file or folder source is, for the host whose root is `root`, links
    /// resolved (so that two records of one place compare equal however they were written).
    pub(crate) fn local_path(&self, root: &Path) -> Option<PathBuf> {
        match self {
            SourceId::ZipFile { path } | SourceId::Folder { path, .. } => {
                Some(absolute(&path.resolve(root)))
            }
            _ => None,
        }
    }

    /// The source in a few words, for a table a person reads (`list`): `registry default`,
    /// `git v0.1.0 (0f883e7)`, `git main (0f883e7)`, `zip dist/x.zip`, `url host/…/x.zip`,
    /// `path ../x`, `link ../x`. `registry` is the configured registry's name the package came
    /// from, when the caller knows it; `local` shows a ZIP file's or folder's path. The records
    /// and JSON keep the whole [`Display`](fmt::Display) form.
    pub(crate) fn short(
        &self,
        registry: Option<&str>,
        local: impl Fn(&LocalPath) -> String,
    ) -> String {
        match self {
            SourceId::Registry { url } => match registry {
                Some(name) => format!("registry {name}"),
                None => format!("registry {}", short_url(url)),
            },
            SourceId::Git { source, commit } => {
                let commit = &commit[..commit.len().min(7)];
                let pin = match &source.pin {
                    Pin::Tag(pin) | Pin::Branch(pin) => pin.as_str(),
                    Pin::DefaultBranch | Pin::Rev(_) => return format!("git {commit}"),
                };
                format!("git {pin} ({commit})")
            }
            SourceId::ZipUrl { url } => format!("url {}", short_url(url)),
            SourceId::ZipFile { path } => format!("zip {}", local(path)),
            SourceId::Folder { path, link: false } => format!("path {}", local(path)),
            SourceId::Folder { path, link: true } => format!("link {}", local(path)),
            SourceId::Backup { .. } => "backup".to_owned(),
        }
    }

    /// Whether `outdated` and `upgrade` can look for a newer version: git and registries.
    pub(crate) fn is_upgradable(&self) -> bool {
        matches!(self, SourceId::Git { .. } | SourceId::Registry { .. })
    }
}

/// The text every record and message has: never a URL's user name or password, however the
/// source was made (`[plugins]` may hold them, an earlier version's lock may have recorded them).
impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceId::Registry { url } => write!(f, "registry+{}", without_credentials(url)),
            SourceId::Git { source, commit } => {
                let mut query = Vec::new();
                match &source.pin {
                    Pin::DefaultBranch => {}
                    Pin::Tag(tag) => query.push(("tag", tag.as_str())),
                    Pin::Branch(branch) => query.push(("branch", branch.as_str())),
                    Pin::Rev(rev) => query.push(("rev", rev.as_str())),
                }
                if let Some(subdir) = &source.subdir {
                    query.push(("subdir", subdir));
                }
                if let Some(semver) = &source.semver {
                    query.push(("semver", semver));
                }
                write!(f, "git+{}", without_credentials(&source.url))?;
                for (i, (key, value)) in query.iter().enumerate() {
                    let separator = if i == 0 { '?' } else { '&' };
                    write!(f, "{separator}{key}={}", encode(value))?;
                }
                write!(f, "#{commit}")
            }
            SourceId::ZipUrl { url } => write!(f, "zip+{}", without_credentials(url)),
            SourceId::ZipFile { path } => write!(f, "zip+{path}"),
            SourceId::Folder { path, link: false } => write!(f, "path+{path}"),
            SourceId::Folder { path, link: true } => write!(f, "link+{path}"),
            SourceId::Backup { path } => write!(f, "backup+{}", path.display()),
        }
    }
}

/// A URL as `host/…/file`: its host and last part, without scheme, credentials or query; a
/// `file://` URL as its path's last two parts.
fn short_url(url: &str) -> String {
    let url = without_credentials(url);
    let rest = url.split_once("://").map_or(url.as_ref(), |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [] => rest.to_owned(),
        [one] => (*one).to_owned(),
        [first, last] => format!("{first}/{last}"),
        [first, .., last] => format!("{first}/…/{last}"),
    }
}

/// What `sync --dry-run` says it would install from: the [`SourceId`] the install would record
/// in the host whose root is `root`, but a git source's without its commit (`git+URL`), which
/// is chosen only when it is fetched.
pub(crate) fn planned(source: &Source, root: &Path) -> String {
    match source {
        Source::ZipFile { path, .. } => SourceId::zip_file(root, path).to_string(),
        Source::Folder { path, link } => SourceId::folder(root, path, *link).to_string(),
        Source::ZipUrl { url, .. } => SourceId::zip_url(url).to_string(),
        Source::Git { source, .. } => format!("git+{}", without_credentials(&source.url)),
        Source::Registry { name, .. } => format!("registry+{name}"),
    }
}

/// A text that is no [`SourceId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a source pluginkit records")]
pub(crate) struct ParseError(String);

impl FromStr for SourceId {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, ParseError> {
        let invalid = || ParseError(text.to_owned());
        for (prefix, link) in [("path+", false), ("link+", true)] {
            if let Some(path) = text.strip_prefix(prefix) {
                let path = LocalPath::parse(path).ok_or_else(invalid)?;
                return Ok(SourceId::Folder { path, link });
            }
        }
        if let Some(url) = text.strip_prefix("zip+") {
            if let Some(path) = LocalPath::parse(url) {
                return Ok(SourceId::ZipFile { path });
            }
            let lower = url.to_ascii_lowercase();
            return if lower.starts_with("https://") || lower.starts_with("http://") {
                Ok(SourceId::zip_url(url))
            } else {
                Err(invalid())
            };
        }
        if let Some(url) = text.strip_prefix("registry+") {
            return Ok(SourceId::registry(url));
        }
        if let Some(path) = text.strip_prefix("backup+") {
            return Ok(SourceId::Backup { path: path.into() });
        }
        let rest = text.strip_prefix("git+").ok_or_else(invalid)?;
        let (rest, commit) = rest.rsplit_once('#').ok_or_else(invalid)?;
        let (url, query) = match rest.rsplit_once('?') {
            Some((url, query)) if query.split('&').all(|p| p.contains('=')) => (url, query),
            _ => (rest, ""),
        };
        let mut source = GitSource {
            url: without_credentials(url).into_owned(),
            pin: Pin::DefaultBranch,
            subdir: None,
            semver: None,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').ok_or_else(invalid)?;
            let value = decode(value).ok_or_else(invalid)?;
            match key {
                "tag" => source.pin = Pin::Tag(value),
                "branch" => source.pin = Pin::Branch(value),
                "rev" => source.pin = Pin::Rev(value),
                "subdir" => source.subdir = Some(value),
                "semver" => source.semver = Some(value),
                _ => return Err(invalid()),
            }
        }
        Ok(SourceId::Git {
            source,
            commit: commit.to_owned(),
        })
    }
}

impl Serialize for SourceId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SourceId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Percent-encode what would end a query value: `%`, `&`, `#`, `=`, `?`, `+`, spaces and
/// controls.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_graphic() && !b"%&#=?+".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_are_recorded_relative_to_the_host() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let root = base.join("host");
        std::fs::create_dir_all(root.join("dist")).unwrap();
        std::fs::create_dir_all(base.join("pkgs")).unwrap();
        let inside = SourceId::zip_file(&root, &root.join("dist/x.zip"));
        assert_eq!(inside.to_string(), "zip+./dist/x.zip");
        let beside = SourceId::folder(&root, &base.join("pkgs"), false);
        assert_eq!(beside.to_string(), "path+../pkgs");
        let linked = SourceId::folder(&root, &base.join("pkgs"), true);
        assert_eq!(linked.to_string(), "link+../pkgs");
        // Read back and resolved against the host's root, wherever it has moved.
        let moved = base.join("elsewhere/host");
        let id: SourceId = "zip+./dist/x.zip".parse().unwrap();
        assert_eq!(id.local_path(&moved), Some(moved.join("dist/x.zip")));
        // An absolute path recorded by an earlier version stays absolute.
        let old: SourceId = "zip+file:///srv/x.zip".parse().unwrap();
        assert_eq!(old.local_path(&moved), Some(PathBuf::from("/srv/x.zip")));
        assert_eq!(old.to_string(), "zip+file:///srv/x.zip");
    }

    #[test]
    fn git_sources_round_trip() {
        let sources = [
            GitSource {
                url: "https://example.com/acme/auth.git".into(),
                pin: Pin::Tag("v2.0.0".into()),
                subdir: Some("plugins/auth x".into()),
                semver: Some("^2.0, <3".into()),
            },
            GitSource {
                url: "git@example.com:acme/auth.git".into(),
                pin: Pin::DefaultBranch,
                subdir: None,
                semver: None,
            },
            GitSource {
                url: "file:///tmp/r?x".into(),
                pin: Pin::Branch("feature/a&b#c".into()),
                subdir: None,
                semver: None,
            },
        ];
        for source in sources {
            let id = SourceId::git(&source, "0123abcd");
            let text = id.to_string();
            assert_eq!(text.parse::<SourceId>(), Ok(id), "{text}");
        }
        let pinned = GitSource {
            url: "https://h/r.git".into(),
            pin: Pin::Tag("v1.0.0".into()),
            subdir: None,
            semver: None,
        };
        assert_eq!(
            SourceId::git(&pinned, "abc").to_string(),
            "git+https://h/r.git?tag=v1.0.0#abc"
        );
    }

    #[test]
    fn credentials_never_reach_the_records() {
        let source = GitSource {
            url: "https://ada:s3cret@h/r.git".into(),
            pin: Pin::Tag("v1.0.0".into()),
            subdir: None,
            semver: None,
        };
        let made = SourceId::git(&source, "abc");
        // A struct built around the constructor, as an earlier version's records were read.
        let built = SourceId::Git {
            source: source.clone(),
            commit: "abc".into(),
        };
        let malformed = SourceId::Git {
            source: GitSource {
                url: "https://ada:s3cret@h:99999/r.git".into(),
                ..source
            },
            commit: "abc".into(),
        };
        for id in [made, built] {
            assert_eq!(id.to_string(), "git+https://h/r.git?tag=v1.0.0#abc");
        }
        assert_eq!(
            malformed.to_string(),
            "git+https://h:99999/r.git?tag=v1.0.0#abc"
        );
        for (text, clean) in [
            (
                "git+https://ada:s3cret@h/r.git?tag=v1.0.0#abc",
                "git+https://h/r.git?tag=v1.0.0#abc",
            ),
            (
                "zip+https://ada:s3cret@h/x-1.0.zip",
                "zip+https://h/x-1.0.zip",
            ),
            (
                "registry+https://ada:s3cret@h/files/x-1.0.zip",
                "registry+https://h/files/x-1.0.zip",
            ),
        ] {
            let id: SourceId = text.parse().unwrap();
            assert_eq!(id.to_string(), clean);
            assert!(!format!("{id:?}").contains("s3cret"), "{id:?}");
        }
        let zip = SourceId::ZipUrl {
            url: "https://ada:s3cret@h/x.zip".into(),
        };
        assert_eq!(zip.to_string(), "zip+https://h/x.zip");
    }

    #[test]
    fn recorded_strings_read_back_the_same() {
        for text in [
            "registry+https://plugins.example.com/files/hello/hello-1.0.0.zip",
            "git+https://h/r.git?tag=v1.0.0&subdir=a/b%20c#0123abcd",
            "zip+https://example.com/x-1.0.zip",
            "zip+file:///tmp/a \"b\".zip",
            "path+file:///srv/my-plugin",
            "zip+./dist/x-1.0.0.zip",
            "zip+../pkgs/a b.zip",
            "path+../src/my-plugin",
            "link+./plugins-src/x",
            "path+./.",
            "backup+/srv/host/.pluginkit/backups/x/20250101T000000Z",
        ] {
            let id: SourceId = text.parse().unwrap();
            assert_eq!(id.to_string(), text);
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(serde_json::from_str::<SourceId>(&json).unwrap(), id);
        }
        assert!(matches!(
            "zip+file:///tmp/x.zip".parse(),
            Ok(SourceId::ZipFile { .. })
        ));
        for bad in [
            "",
            "hello",
            "zip+ftp://x",
            "zip+dist/x.zip",
            "zip+./",
            "path+src/x",
            "link+https://h/x",
            "git+https://h/r.git",
            "svn+x",
        ] {
            assert!(bad.parse::<SourceId>().is_err(), "{bad}");
        }
    }
}
