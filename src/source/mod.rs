//! Where a plugin comes from: what a `SOURCE` argument of `add` names, and how each kind is
//! fetched into the staging folder. [`id::SourceId`] is where an installed plugin came from, as
//! the records write it; [`download`], [`git`] and [`registry`] fetch their kinds.

pub mod download;
pub mod git;
pub mod id;
pub mod registry;

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::plugin::flavor::Flavor;
use crate::plugin::{Plugin, python};
use crate::util::paths::relative_to;
use id::SourceId;

/// What a `SOURCE` argument names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A ZIP file on disk.
    ZipFile(PathBuf),
    /// A plugin folder on disk.
    Folder(PathBuf),
    /// A ZIP at an http(s) URL.
    ZipUrl(String),
    /// A git repository.
    Git(String),
    /// A name (and version requirement) in a registry.
    Registry(String),
}

impl Source {
    /// Classify `text`, resolving paths against `cwd`.
    pub fn parse(text: &str, cwd: &Path) -> Source {
        let lower = text.to_ascii_lowercase();
        let is_git = lower.starts_with("git@")
            || lower.starts_with("ssh://")
            || lower.starts_with("git://")
            || lower.ends_with(".git")
            || (lower.starts_with("file://") && !lower.ends_with(".zip"));
        if is_git {
            return Source::Git(text.to_owned());
        }
        if lower.starts_with("https://") || lower.starts_with("http://") {
            return if lower
                .split(['?', '#'])
                .next()
                .is_some_and(|p| p.ends_with(".zip"))
            {
                Source::ZipUrl(text.to_owned())
            } else {
                Source::Git(text.to_owned())
            };
        }
        let path = cwd.join(text);
        if path.is_dir() {
            Source::Folder(path)
        } else if path.is_file() || lower.ends_with(".zip") {
            Source::ZipFile(path)
        } else if text.contains('/') || text.contains('\\') || text.starts_with('.') {
            Source::Folder(path)
        } else {
            Source::Registry(text.to_owned())
        }
    }

    /// The source `id` (from a lock entry or a receipt) installs again from, for the kinds
    /// installed again as they are: ZIP files and URLs, folders.
    pub fn from_id(id: &SourceId) -> Option<Source> {
        match id {
            SourceId::ZipFile { path } => Some(Source::ZipFile(path.clone())),
            SourceId::Folder { path } => Some(Source::Folder(path.clone())),
            SourceId::ZipUrl { url } => Some(Source::ZipUrl(url.clone())),
            SourceId::Git { .. } | SourceId::Registry { .. } | SourceId::Backup { .. } => None,
        }
    }

    /// What `pluginkit.toml`'s `[plugins]` records for a plugin installed from here (an inline
    /// table in TOML): enough to install it again. Paths are relative to the host's `root`,
    /// with `/`, as a path in a `Cargo.toml` is; the archive's sha256 pins what was installed.
    pub fn plugins_entry(&self, root: &Path, sha256: Option<&str>, link: bool) -> Option<String> {
        let mut entry = toml_edit::InlineTable::new();
        match self {
            Source::ZipFile(path) => {
                entry.insert("zip", relative_to(root, path).into());
            }
            Source::ZipUrl(url) => {
                entry.insert("zip", without_credentials(url).as_ref().into());
            }
            Source::Folder(path) => {
                entry.insert("path", relative_to(root, path).into());
                if link {
                    entry.insert("link", true.into());
                }
            }
            Source::Git(_) | Source::Registry(_) => return None,
        }
        if let Some(sha256) = sha256 {
            entry.insert("sha256", sha256.into());
        }
        entry.fmt();
        Some(entry.to_string())
    }
}

/// `url` without a user name or password in it (`https://user:token@host/...`): what may be
/// written to `pluginkit.lock` and `pluginkit.toml`, and shown.
pub fn without_credentials(url: &str) -> std::borrow::Cow<'_, str> {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            std::borrow::Cow::Owned(parsed.into())
        }
        _ => std::borrow::Cow::Borrowed(url),
    }
}

/// The folder name a plugin is installed under, from its own metadata, validated so that it
/// can only ever be one folder inside the plugins folder. `folder` is the name the source gives
/// the plugin's folder (an archive's top folder, a source folder's name).
pub fn install_name(plugin: &Plugin, folder: Option<&str>) -> Result<String, Error> {
    let name = match plugin.flavor {
        Flavor::Pluginkit | Flavor::Crate => plugin.metadata.name.clone(),
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
        return Err(Error::user_hint(
            format!(
                "cannot tell what folder name to install this {} plugin under",
                plugin.flavor
            ),
            "put the plugin in a folder named after its package (e.g. my_plugin/) at the top of the archive",
        ));
    };
    let safe = !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !safe {
        return Err(Error::user_hint(
            format!(
                "the plugin's name `{}` cannot be a folder name",
                name.escape_debug()
            ),
            "plugin names are letters, digits, `_` and `-`",
        ));
    }
    Ok(name)
}

/// Copy a plugin folder for installing: regular files and folders, leaving out version-control
/// and cache folders. A symbolic link is refused: it could point anywhere.
pub fn copy_plugin(from: &Path, to: &Path) -> Result<(), Error> {
    fn walk(from: &Path, to: &Path, rel: &Path) -> Result<(), Error> {
        fs::create_dir_all(to.join(rel))
            .map_err(|e| Error::user(format!("cannot create {}: {e}", to.join(rel).display())))?;
        let entries = fs::read_dir(from.join(rel))
            .map_err(|e| Error::user(format!("cannot read {}: {e}", from.join(rel).display())))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| Error::user(format!("cannot read {}: {e}", from.display())))?;
            let name = entry.file_name();
            let rel = rel.join(&name);
            let kind = entry
                .file_type()
                .map_err(|e| Error::user(format!("cannot read {}: {e}", entry.path().display())))?;
            if kind.is_dir() {
                if [".git", "__pycache__", ".hg", ".svn"]
                    .iter()
                    .any(|skip| name == *skip)
                {
                    continue;
                }
                walk(from, to, &rel)?;
            } else if kind.is_symlink() {
                return Err(Error::user_hint(
                    format!("{} is a symbolic link", from.join(&rel).display()),
                    "installed plugins hold only regular files: replace the link with the file, or use --link to link the whole folder",
                ));
            } else if kind.is_file() {
                fs::copy(entry.path(), to.join(&rel)).map_err(|e| {
                    Error::user(format!("cannot copy {}: {e}", entry.path().display()))
                })?;
            }
        }
        Ok(())
    }
    walk(from, to, Path::new(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_told_apart() {
        let cwd = Path::new("/nonexistent");
        assert!(matches!(
            Source::parse("https://example.com/x-1.0.zip", cwd),
            Source::ZipUrl(_)
        ));
        assert!(matches!(
            Source::parse("https://github.com/acme/auth.git", cwd),
            Source::Git(_)
        ));
        assert!(matches!(
            Source::parse("git@github.com:acme/auth.git", cwd),
            Source::Git(_)
        ));
        assert!(matches!(
            Source::parse("./dist/x.zip", cwd),
            Source::ZipFile(_)
        ));
        assert!(matches!(
            Source::parse("../my-plugin", cwd),
            Source::Folder(_)
        ));
        assert!(matches!(
            Source::parse("hello@^1.2", cwd),
            Source::Registry(_)
        ));
    }
}
