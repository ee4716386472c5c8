//! Where a plugin comes from: [`Source`], what a `SOURCE` argument of `add`, a `[plugins]` entry
//! or a lock entry asks to install, and how each kind is fetched into the staging folder the
//! operations give: [`zip`] (files and URLs, through [`download`]), [`folder`], and [`git`]
//! (its `Fetcher` checks out into the staging folder). [`id::SourceId`] is where an installed
//! plugin came from, as the records write it.
//!
//! Two deviations from the planned layout: git's fetch is `git::Fetcher` (no `fetch.rs`), and
//! the registry kind is resolved and fetched by `ops::resolve`, not a `registry.rs` here: the
//! registry client downloads through [`download`], so a `source/registry.rs` using the client
//! would tie `source/` and `registry/` in a loop.
//!
//! Nothing here knows the host or the transaction: the operations hand a source the paths and
//! the settings' values it needs.

pub(crate) mod download;
pub(crate) mod folder;
pub(crate) mod git;
pub(crate) mod id;
pub(crate) mod zip;

use std::borrow::Cow;
use std::io;
use std::path::{Path, PathBuf};

use semver::VersionReq;

use crate::error::Domain;
use crate::plugin::flavor::Flavor;
use crate::plugin::{Plugin, python};
use crate::util::url::without_credentials;
use git::{GitSource, Pin};

/// Why a source cannot be read, fetched or installed from: a `SOURCE` argument, a ZIP file or
/// URL ([`zip`]; downloads fail with [`download::Error`]), a folder ([`folder`]).
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// A `SOURCE` argument that names nothing pluginkit can install (bad usage); shown without
    /// the credentials a mistyped URL may hold.
    #[error("`{}` is neither a path, a URL nor a plugin name", without_credentials(.text))]
    NotASource { text: String },
    /// `NAME@REQ` whose requirement is not SemVer (bad usage); `suggestion` is pluginkit's
    /// spelling of a pip-style one (`==1.0` is `=1.0`).
    #[error("`{req}` in {text} is not a SemVer requirement")]
    Requirement {
        req: String,
        text: String,
        suggestion: Option<String>,
        #[source]
        source: semver::Error,
    },
    /// A requirement written as pip writes it, `NAME==1.0` (bad usage), and how pluginkit
    /// writes it.
    #[error("`{text}` is pip's way of writing a requirement")]
    PipRequirement { text: String, suggestion: String },
    #[error(transparent)]
    Download(#[from] download::Error),
    /// The package is not the one `--sha256` (or the lock) pins.
    #[error("{shown} has sha256 {actual}, not the {expected} that --sha256 expects")]
    Checksum {
        shown: String,
        actual: String,
        expected: String,
    },
    /// Copying or linking a folder failed: what was being done to which path.
    #[error("cannot {action} {}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A link inside a plugin folder that is copied.
    #[error("{} is a symbolic link", .path.display())]
    Link { path: PathBuf },
    #[error("cannot tell what folder name to install this {flavor} plugin under")]
    NoFolderName { flavor: Flavor },
    #[error("the plugin's name `{}` cannot be a folder name", .name.escape_debug())]
    UnsafeName { name: String },
}

impl Domain for Error {
    fn hint(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(match self {
            Error::NotASource { .. } => {
                "give a plugin name (hello, hello@^1.2), a .zip file or URL, a folder, or a git URL"
            }
            Error::Requirement {
                suggestion: Some(suggestion),
                ..
            }
            | Error::PipRequirement { suggestion, .. } => {
                return Some(Cow::Owned(format!(
                    "pluginkit writes a requirement after `@`: did you mean {suggestion}?"
                )));
            }
            Error::Requirement { .. } => {
                "write e.g. hello@^1.2, hello@~1.2.3, hello@\">=1.0, <2\" or hello@=1.2.0"
            }
            Error::Download(error) => return error.hint(),
            Error::Checksum { .. } => {
                "the archive is not the one you meant to install; nothing was installed"
            }
            Error::Io { .. } => return None,
            Error::Link { .. } => {
                "installed plugins hold only regular files: replace the link with the file, or use --link to link the whole folder"
            }
            Error::NoFolderName { .. } => {
                "put the plugin in a folder named after its package (e.g. my_plugin/) at the top of the archive"
            }
            Error::UnsafeName { .. } => "plugin names are letters, digits, `_` and `-`",
        }))
    }

    fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::NotASource { .. } | Error::Requirement { .. } | Error::PipRequirement { .. }
        )
    }
}

/// What to install, with what each kind needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A plugin in a registry, by name and version requirement, resolved with its dependencies.
    Registry {
        name: String,
        req: VersionReq,
        /// The requirement as the user wrote it, for `[plugins]`; `None` records `^VERSION`.
        written: Option<String>,
        /// The registry to resolve in; `None` for the default one.
        registry: Option<String>,
    },
    /// A git repository.
    Git {
        /// The URL as given: a user name and password in it are used to fetch, never recorded.
        given: String,
        source: GitSource,
    },
    /// A ZIP file on disk, and the sha256 it must have.
    ZipFile {
        path: PathBuf,
        sha256: Option<String>,
    },
    /// A ZIP at an http(s) URL (perhaps with credentials, used for the download only), and the
    /// sha256 it must have.
    ZipUrl { url: String, sha256: Option<String> },
    /// A plugin folder on disk, copied, or linked to with `link` (for plugin development).
    Folder { path: PathBuf, link: bool },
}

impl Source {
    /// What `text`, a `SOURCE` argument, names; paths are resolved against `cwd`. A name that is
    /// neither a path nor a URL is a registry request, `NAME` or `NAME@REQ`.
    pub(crate) fn parse(text: &str, cwd: &Path) -> Result<Source, Error> {
        let lower = text.to_ascii_lowercase();
        let is_git = lower.starts_with("git@")
            || lower.starts_with("ssh://")
            || lower.starts_with("git://")
            || lower.ends_with(".git")
            || (lower.starts_with("file://") && !lower.ends_with(".zip"));
        if is_git {
            return Ok(Source::git(text, Pin::DefaultBranch, None, None));
        }
        if lower.contains("://")
            && !lower.starts_with("https://")
            && !lower.starts_with("http://")
            && !lower.starts_with("file://")
        {
            // A URL of a kind pluginkit does not fetch (a mistyped scheme): not a path either.
            return Err(Error::NotASource {
                text: text.to_owned(),
            });
        }
        if lower.starts_with("https://") || lower.starts_with("http://") {
            let zip = lower
                .split(['?', '#'])
                .next()
                .is_some_and(|p| p.ends_with(".zip"));
            return Ok(if zip {
                Source::ZipUrl {
                    url: text.to_owned(),
                    sha256: None,
                }
            } else {
                Source::git(text, Pin::DefaultBranch, None, None)
            });
        }
        let path = cwd.join(text);
        if looks_like_path(text) {
            return Ok(if path.is_file() || lower.ends_with(".zip") {
                Source::ZipFile { path, sha256: None }
            } else {
                Source::Folder { path, link: false }
            });
        }
        // A bare word is a plugin name, whatever folder of that name is here: as pip reads
        // `pip install hello` and cargo `cargo add hello` (a folder is `./hello`). Only an
        // archive's name is a file without a `./`, as pip takes `x.whl`.
        if lower.ends_with(".zip") {
            return Ok(Source::ZipFile { path, sha256: None });
        }
        let (name, req, written) = parse_request(text)?;
        Ok(Source::Registry {
            name,
            req,
            written,
            registry: None,
        })
    }

    /// A git source from the URL as given (credentials are taken out of what is recorded).
    pub(crate) fn git(
        given: &str,
        pin: Pin,
        subdir: Option<String>,
        semver: Option<String>,
    ) -> Source {
        Source::Git {
            given: given.to_owned(),
            source: GitSource {
                url: without_credentials(given).into_owned(),
                pin,
                subdir,
                semver,
            },
        }
    }
}

/// Whether a `SOURCE` argument is written as a path: with a path separator, or starting with
/// `.` or `~` (or a drive letter on Windows). pip's rule (`_looks_like_path` in
/// pip/_internal/req/constructors.py): anything else is a requirement, folder or not.
fn looks_like_path(text: &str) -> bool {
    let drive = cfg!(windows) && {
        let bytes = text.as_bytes();
        bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
    };
    text.contains('/')
        || text.contains('\\')
        || text.starts_with('.')
        || text.starts_with('~')
        || drive
}

/// `NAME` or `NAME@REQ` as `add` takes it. Returns the name, the requirement (`*` when none)
/// and the requirement as written. pip's spellings (`NAME==1.0`, `NAME>=1`, `NAME~=1.2`) are
/// refused with pluginkit's (`NAME@=1.0`).
pub(crate) fn parse_request(text: &str) -> Result<(String, VersionReq, Option<String>), Error> {
    let (name, req) = match text.split_once('@') {
        Some((name, req)) => (name, Some(req)),
        None => (text, None),
    };
    let is_name = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if !is_name(name) {
        if req.is_none()
            && let Some(at) = name.find(['=', '<', '>', '~', '!'])
            && is_name(name[..at].trim_end())
            && let Some(req) = from_pip(&name[at..])
        {
            return Err(Error::PipRequirement {
                text: text.to_owned(),
                suggestion: shell_word(&format!("{}@{req}", name[..at].trim_end())),
            });
        }
        return Err(Error::NotASource {
            text: text.to_owned(),
        });
    }
    let parsed = match req {
        None => VersionReq::STAR,
        Some(req) => VersionReq::parse(req).map_err(|source| Error::Requirement {
            req: req.to_owned(),
            text: text.to_owned(),
            suggestion: from_pip(req)
                .filter(|r| r != req)
                .map(|r| shell_word(&format!("{name}@{r}"))),
            source,
        })?,
    };
    Ok((name.to_owned(), parsed, req.map(str::to_owned)))
}

/// A PEP 440 version specifier (`==1.0`, `>=1, <2`, `~=1.2`) as the SemVer requirement that
/// means the same, when there is one (`!=` has none).
fn from_pip(spec: &str) -> Option<String> {
    let mut parts = Vec::new();
    for part in spec.split(',') {
        let part = part.trim();
        let (op, version) = ["===", "==", "~=", ">=", "<=", ">", "<", "="]
            .iter()
            .find_map(|op| Some((*op, part.strip_prefix(op)?.trim())))?;
        let version = version.strip_suffix(".*").unwrap_or(version);
        parts.push(match op {
            "===" | "==" | "=" => format!("={version}"),
            // `~=X.Y` is `>=X.Y, ==X.*`; `~=X.Y.Z` is `>=X.Y.Z, ==X.Y.*`, SemVer's `~X.Y.Z`.
            "~=" => {
                let numbers: Vec<&str> = version.split('.').collect();
                match numbers.as_slice() {
                    [major, _] => {
                        let next = major.parse::<u64>().ok()? + 1;
                        format!(">={version}, <{next}")
                    }
                    [_, _, _] => format!("~{version}"),
                    _ => return None,
                }
            }
            _ => format!("{op}{version}"),
        });
    }
    let req = parts.join(", ");
    VersionReq::parse(&req).is_ok().then_some(req)
}

/// `word` as it is typed in a shell: quoted when it holds `<`, `>` or a blank.
fn shell_word(word: &str) -> String {
    if word.contains(['<', '>', ' ', '*']) {
        format!("'{word}'")
    } else {
        word.to_owned()
    }
}

/// The folder name a plugin is installed under, from its own metadata, validated so that it
/// can only ever be one folder inside the plugins folder. `folder` is the name the source gives
/// the plugin's folder (an archive's top folder, a source folder's name).
pub(crate) fn install_name(plugin: &Plugin, folder: Option<&str>) -> Result<String, Error> {
    let name = match plugin.flavor {
        // A class-based plugin's name is its folder's, which its module `NAME.py` is named after.
        Flavor::Pluginkit | Flavor::Crate | Flavor::ClassBased => plugin.metadata.name.clone(),
        // FBA installs a plugin under its folder's leading `[a-zA-Z0-9_]+` (what its own ZIP
        // install does); the reader already derived that.
        Flavor::Fba => plugin.metadata.name.clone().filter(|n| !n.is_empty()),
        // Python hosts import the package by its folder name.
        Flavor::FlaskPluginkit | Flavor::Fastcms => folder
            .map(|f| {
                f.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .filter(|f| python::is_identifier(f)),
    };
    let Some(name) = name else {
        return Err(Error::NoFolderName {
            flavor: plugin.flavor,
        });
    };
    let safe = !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !safe {
        return Err(Error::UnsafeName { name });
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_told_apart() {
        let cwd = Path::new("/nonexistent");
        let parse = |text: &str| Source::parse(text, cwd).unwrap();
        assert!(matches!(
            parse("https://example.com/x-1.0.zip"),
            Source::ZipUrl { .. }
        ));
        assert!(matches!(
            parse("https://github.com/acme/auth.git"),
            Source::Git { .. }
        ));
        assert!(matches!(
            parse("git@github.com:acme/auth.git"),
            Source::Git { .. }
        ));
        assert!(matches!(parse("./dist/x.zip"), Source::ZipFile { .. }));
        assert!(matches!(parse("../my-plugin"), Source::Folder { .. }));
        assert!(matches!(parse("./hello"), Source::Folder { .. }));
        assert!(matches!(parse("x.zip"), Source::ZipFile { .. }));
        assert!(matches!(
            parse("hello@^1.2"),
            Source::Registry { name, written: Some(req), .. } if name == "hello" && req == "^1.2"
        ));
        assert!(Source::parse("hello world", cwd).is_err());
        // A bare word is a name even when a folder of that name is here.
        let here = std::env::temp_dir();
        // tempfile's random part is letters and digits: a word that could be a plugin's name.
        let folder = tempfile::Builder::new()
            .prefix("plugin")
            .tempdir_in(&here)
            .unwrap();
        let word = folder.path().file_name().unwrap().to_str().unwrap();
        assert!(folder.path().is_dir());
        assert!(matches!(
            Source::parse(word, &here),
            Ok(Source::Registry { name, .. }) if name == word
        ));
        // A URL of no kind pluginkit fetches, shown without its password.
        let error = Source::parse("htps://ada:s3cret@host/x", cwd).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`htps://host/x` is neither a path, a URL nor a plugin name"
        );
        let error = Source::parse("ada:s3cret@host", cwd).unwrap_err();
        assert!(!error.to_string().contains("s3cret"), "{error}");
    }

    #[test]
    fn pip_requirements_are_answered_with_pluginkits_spelling() {
        let suggestion = |text: &str| match Source::parse(text, Path::new("/nonexistent")) {
            Err(Error::PipRequirement { suggestion, .. }) => suggestion,
            Err(Error::Requirement {
                suggestion: Some(suggestion),
                ..
            }) => suggestion,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(suggestion("hello==0.1.0"), "hello@=0.1.0");
        assert_eq!(suggestion("hello===0.1.0"), "hello@=0.1.0");
        assert_eq!(suggestion("hello>=1"), "'hello@>=1'");
        assert_eq!(suggestion("hello>=1,<2"), "'hello@>=1, <2'");
        assert_eq!(suggestion("hello~=1.2"), "'hello@>=1.2, <2'");
        assert_eq!(suggestion("hello~=1.2.3"), "hello@~1.2.3");
        assert_eq!(suggestion("hello@==1.0"), "hello@=1.0");
        assert!(matches!(
            Source::parse("hello!=1.0", Path::new("/nonexistent")),
            Err(Error::NotASource { .. })
        ));
    }
}
