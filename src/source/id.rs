//! [`SourceId`]: where an installed plugin came from, exactly, as `pluginkit.lock`, the receipts,
//! the journal and the backups record it and `list` shows it. Its text is cargo's form, a kind
//! and a location: `registry+URL`, `git+URL?tag=v1.2.0&subdir=plugins/x#<commit>`, `zip+URL`,
//! `zip+file:///abs/x.zip`, `path+file:///abs/folder`, `backup+/abs/backup`. Those prefixes are
//! written here and nowhere else.
//!
//! The text is what the files on disk hold, so it never changes: every string an earlier
//! pluginkit wrote reads back as the same value, and writes back the same. (A `--link`ed folder
//! records no link: the lock never did; phase 2 of issue 13 may add it.)

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::source::Source;
use crate::source::git::{GitSource, Pin};
use crate::util::paths::absolute;
use crate::util::url::without_credentials;

/// Where an installed plugin came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SourceId {
    /// A registry's package, by its absolute URL.
    Registry { url: String },
    /// A git repository at the commit installed, with the pin it was installed by.
    Git { source: GitSource, commit: String },
    /// A ZIP at an http(s) URL (never with credentials).
    ZipUrl { url: String },
    /// A ZIP file on disk, by its absolute path.
    ZipFile { path: PathBuf },
    /// A plugin folder on disk, by its absolute path.
    Folder { path: PathBuf },
    /// A backup that `restore` put back, of a plugin pluginkit had not installed.
    Backup { path: PathBuf },
}

impl SourceId {
    pub(crate) fn registry(url: impl Into<String>) -> Self {
        SourceId::Registry { url: url.into() }
    }

    pub(crate) fn git(source: &GitSource, commit: &str) -> Self {
        SourceId::Git {
            source: source.clone(),
            commit: commit.to_owned(),
        }
    }

    /// A ZIP URL, with any user name and password taken out.
    pub(crate) fn zip_url(url: &str) -> Self {
        SourceId::ZipUrl {
            url: without_credentials(url).into_owned(),
        }
    }

    /// A ZIP file, by its absolute path (links resolved).
    pub(crate) fn zip_file(path: &Path) -> Self {
        SourceId::ZipFile {
            path: absolute(path),
        }
    }

    /// A plugin folder, by its absolute path (links resolved).
    pub(crate) fn folder(path: &Path) -> Self {
        SourceId::Folder {
            path: absolute(path),
        }
    }

    pub(crate) fn backup(path: &Path) -> Self {
        SourceId::Backup {
            path: path.to_path_buf(),
        }
    }

    /// Whether `outdated` and `upgrade` can look for a newer version: git and registries.
    pub(crate) fn is_upgradable(&self) -> bool {
        matches!(self, SourceId::Git { .. } | SourceId::Registry { .. })
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceId::Registry { url } => write!(f, "registry+{url}"),
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
                write!(f, "git+{}", source.url)?;
                for (i, (key, value)) in query.iter().enumerate() {
                    let separator = if i == 0 { '?' } else { '&' };
                    write!(f, "{separator}{key}={}", encode(value))?;
                }
                write!(f, "#{commit}")
            }
            SourceId::ZipUrl { url } => write!(f, "zip+{url}"),
            SourceId::ZipFile { path } => write!(f, "zip+file://{}", path.display()),
            SourceId::Folder { path } => write!(f, "path+file://{}", path.display()),
            SourceId::Backup { path } => write!(f, "backup+{}", path.display()),
        }
    }
}

/// What `sync --dry-run` says it would install from: the [`SourceId`] the install would record,
/// but a git source's without its commit (`git+URL`), which is chosen only when it is fetched.
pub(crate) fn planned(source: &Source) -> String {
    match source {
        Source::ZipFile { path, .. } => SourceId::zip_file(path).to_string(),
        Source::Folder { path, .. } => SourceId::folder(path).to_string(),
        Source::ZipUrl { url, .. } => SourceId::zip_url(url).to_string(),
        Source::Git { source, .. } => format!("git+{}", source.url),
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
        if let Some(path) = text.strip_prefix("zip+file://") {
            return Ok(SourceId::ZipFile { path: path.into() });
        }
        if let Some(path) = text.strip_prefix("path+file://") {
            return Ok(SourceId::Folder { path: path.into() });
        }
        if let Some(url) = text.strip_prefix("zip+") {
            let lower = url.to_ascii_lowercase();
            return if lower.starts_with("https://") || lower.starts_with("http://") {
                Ok(SourceId::ZipUrl {
                    url: url.to_owned(),
                })
            } else {
                Err(invalid())
            };
        }
        if let Some(url) = text.strip_prefix("registry+") {
            return Ok(SourceId::Registry {
                url: url.to_owned(),
            });
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
            url: url.to_owned(),
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
    fn recorded_strings_read_back_the_same() {
        for text in [
            "registry+https://plugins.example.com/files/hello/hello-1.0.0.zip",
            "git+https://h/r.git?tag=v1.0.0&subdir=a/b%20c#0123abcd",
            "zip+https://example.com/x-1.0.zip",
            "zip+file:///tmp/a \"b\".zip",
            "path+file:///srv/my-plugin",
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
        for bad in ["", "hello", "zip+ftp://x", "git+https://h/r.git", "svn+x"] {
            assert!(bad.parse::<SourceId>().is_err(), "{bad}");
        }
    }
}
