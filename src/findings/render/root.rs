//! The folder that GitHub annotations and SARIF locations are relative to. GitHub attaches an
//! annotation (and code scanning a SARIF result) to a file by its path from the repository's
//! root, whatever folder the step ran in: FBA's plugins live under `backend/`, and a job with
//! `working-directory: backend` must still name `backend/plugin/x/plugin.toml`. The root is
//! `GITHUB_WORKSPACE` when set (the checkout a job runs in), else the git repository the
//! working folder is in, else the working folder itself (paths as the user sees them).

use std::path::{Component, Path, PathBuf};

/// Where the paths of findings are made relative to, and how to get there from the working
/// folder.
#[derive(Debug, Clone)]
pub struct SourceRoot {
    /// The root, absolute (canonical when it exists).
    root: PathBuf,
    /// The working folder the findings' relative paths start from, absolute likewise.
    cwd: PathBuf,
}

impl SourceRoot {
    /// The root for a run in `cwd`: `workspace` (`GITHUB_WORKSPACE`) when given, else the
    /// nearest folder from `cwd` up that holds a `.git` (a folder, or the file a worktree or a
    /// submodule has), else `cwd`.
    pub fn find(cwd: &Path, workspace: Option<&Path>) -> SourceRoot {
        let cwd = real(cwd);
        let root = match workspace {
            Some(workspace) => real(&cwd.join(workspace)),
            None => cwd
                .ancestors()
                .find(|dir| dir.join(".git").exists())
                .map_or_else(|| cwd.clone(), Path::to_path_buf),
        };
        SourceRoot { root, cwd }
    }

    /// The root itself, for SARIF's `%SRCROOT%`.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// `shown` (a finding's path, relative to the working folder or absolute) relative to the
    /// root with `/` separators; absolute when it lies outside the root; unchanged when the
    /// root is the working folder. A path into a package (`x.zip!plugin.toml`) keeps its tail.
    pub fn relative(&self, shown: &str) -> String {
        if self.root == self.cwd && !Path::new(shown).is_absolute() {
            return shown.to_owned();
        }
        let (file, inner) = match shown.split_once('!') {
            Some((file, inner)) => (file, Some(inner)),
            None => (shown, None),
        };
        // Folded as written first, so a file that is a link keeps the path it was found by;
        // resolved only when that path does not lead into the root (an absolute path given
        // through a linked folder).
        let absolute = folded(&self.cwd.join(file));
        let inside = absolute
            .strip_prefix(&self.root)
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| {
                let real = absolute.canonicalize().ok()?;
                real.strip_prefix(&self.root).ok().map(Path::to_path_buf)
            });
        let path = match inside {
            Some(rel) if rel.as_os_str().is_empty() => ".".to_owned(),
            Some(rel) => rel.to_string_lossy().replace('\\', "/"),
            None => absolute.to_string_lossy().replace('\\', "/"),
        };
        match inner {
            Some(inner) => format!("{path}!{inner}"),
            None => path,
        }
    }
}

/// `path` with its links resolved when it exists, else folded: the form of the root and the
/// working folder.
fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| folded(path))
}

/// `path` with `.` and `..` folded away, as written.
fn folded(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_relative_to_the_root() {
        let temp = tempfile::tempdir().unwrap();
        let repo = temp.path().canonicalize().unwrap();
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("backend/plugin/x")).unwrap();
        let backend = repo.join("backend");

        let root = SourceRoot::find(&backend, None);
        assert_eq!(root.path(), repo);
        assert_eq!(
            root.relative("plugin/x/plugin.toml"),
            "backend/plugin/x/plugin.toml"
        );
        assert_eq!(root.relative("../README.md"), "README.md");
        assert_eq!(
            root.relative("p.zip!p/plugin.toml"),
            "backend/p.zip!p/plugin.toml"
        );
        assert_eq!(root.relative("/elsewhere/x"), "/elsewhere/x");

        // GITHUB_WORKSPACE wins over the repository, relative to the working folder if it is.
        let root = SourceRoot::find(&backend, Some(Path::new(".")));
        assert_eq!(root.path(), backend);
        assert_eq!(
            root.relative("plugin/x/plugin.toml"),
            "plugin/x/plugin.toml"
        );

        // With no repository, paths stay as the user sees them.
        let plain = tempfile::tempdir().unwrap();
        let root = SourceRoot::find(plain.path(), None);
        assert_eq!(
            root.relative("plugins/a/plugin.toml"),
            "plugins/a/plugin.toml"
        );
    }
}
