//! Symbolic links inside a plugin, judged by where they really lead. A link's target is
//! resolved as the operating system resolves it, one name at a time and through every other
//! link on the way, against the plugin's root: `b -> .` makes `b/b/b/../../../etc` leave the
//! plugin, which the target's text alone does not show. The links are looked up through a
//! function, so the same judge serves a git tree before anything is written (its entries) and a
//! plugin folder on disk (`verify`).
//!
//! The work is bounded whatever the links: at most [`MAX_LINKS`] links followed for one, targets
//! of at most [`MAX_TARGET`] bytes, and a [`Budget`] of steps shared by all the links of a
//! plugin.

use std::fmt;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// At most this many links are followed to resolve one (Linux's own limit, `MAXSYMLINKS`).
pub(crate) const MAX_LINKS: usize = 40;

/// A link's target, and a resolved path, may be at most this long in bytes (`PATH_MAX`).
pub(crate) const MAX_TARGET: usize = 4096;

/// Why a link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escape {
    /// It leads out of the root: through `..`, an absolute path, or another link.
    Outside,
    /// Resolving it follows more than [`MAX_LINKS`] links (a loop, or a chain).
    TooManyLinks,
    /// Its target, or the path it resolves to, is longer than [`MAX_TARGET`] bytes.
    TooLong,
    /// The plugin's links together take more steps to resolve than the [`Budget`] allows.
    TooComplex,
}

impl fmt::Display for Escape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Escape::Outside => f.write_str("leads outside the plugin"),
            Escape::TooManyLinks => write!(
                f,
                "takes more than {MAX_LINKS} symbolic links to resolve (a loop?)"
            ),
            Escape::TooLong => write!(f, "leads to a path longer than {MAX_TARGET} bytes"),
            Escape::TooComplex => {
                f.write_str("is one of too many symbolic links to resolve in one plugin")
            }
        }
    }
}

/// How many names all the links of one plugin may take to resolve together: far more than any
/// real plugin's links (a few names each), far less than a crafted tree of links could cost.
#[derive(Debug)]
pub(crate) struct Budget(usize);

impl Default for Budget {
    fn default() -> Self {
        Budget(200_000)
    }
}

/// Where the link at `link` (a path relative to the root, its folders real folders) with the
/// target `target` leads, relative to the root; or why it leaves it. `target_of(path)` is the
/// target of the link at `path` (relative to the root), `None` when `path` is no link (a file,
/// a folder, or nothing).
pub(crate) fn resolve(
    link: &Path,
    target: &Path,
    budget: &mut Budget,
    mut target_of: impl FnMut(&Path) -> Option<PathBuf>,
) -> Result<PathBuf, Escape> {
    /// One name still to resolve.
    enum Part {
        Name(std::ffi::OsString),
        Up,
    }
    fn push_target(pending: &mut Vec<Part>, target: &Path) -> Result<(), Escape> {
        if target.as_os_str().len() > MAX_TARGET {
            return Err(Escape::TooLong);
        }
        // Last part first: `pending` is a stack.
        for component in target.components().rev() {
            match component {
                Component::Normal(name) => pending.push(Part::Name(name.to_owned())),
                Component::ParentDir => pending.push(Part::Up),
                Component::CurDir => {}
                Component::RootDir | Component::Prefix(_) => return Err(Escape::Outside),
            }
        }
        Ok(())
    }
    let mut here = link.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut pending = Vec::new();
    push_target(&mut pending, target)?;
    let mut followed = 1;
    while let Some(part) = pending.pop() {
        budget.0 = budget.0.checked_sub(1).ok_or(Escape::TooComplex)?;
        match part {
            Part::Up => {
                if !here.pop() {
                    return Err(Escape::Outside);
                }
            }
            Part::Name(name) => {
                here.push(name);
                if here.as_os_str().len() > MAX_TARGET {
                    return Err(Escape::TooLong);
                }
                if let Some(next) = target_of(&here) {
                    followed += 1;
                    if followed > MAX_LINKS {
                        return Err(Escape::TooManyLinks);
                    }
                    // A link's target is relative to the folder the link is in.
                    here.pop();
                    push_target(&mut pending, &next)?;
                }
            }
        }
    }
    Ok(here)
}

/// A link inside a plugin folder on disk that is refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    /// Its path in the folder, with `/`.
    pub(crate) path: String,
    pub(crate) target: PathBuf,
    pub(crate) why: Escape,
}

/// Every symbolic link under the folder `root` (not following any, the root itself aside) that
/// does not resolve to a path inside it, sorted by path.
pub(crate) fn refused_under(root: &Path) -> std::io::Result<Vec<Refused>> {
    let mut budget = Budget::default();
    let mut refused = Vec::new();
    let mut pending = vec![PathBuf::new()];
    let target_of = |rel: &Path| {
        let path = root.join(rel);
        let meta = fs::symlink_metadata(&path).ok()?;
        if meta.file_type().is_symlink() {
            fs::read_link(&path).ok()
        } else {
            None
        }
    };
    while let Some(rel) = pending.pop() {
        for entry in fs::read_dir(root.join(&rel))? {
            let entry = entry?;
            let rel = rel.join(entry.file_name());
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(rel);
            } else if kind.is_symlink() {
                let target = fs::read_link(entry.path())?;
                if let Err(why) = resolve(&rel, &target, &mut budget, target_of) {
                    refused.push(Refused {
                        path: rel.to_string_lossy().replace('\\', "/"),
                        target,
                        why,
                    });
                }
            }
        }
    }
    refused.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(refused)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Resolve `link` in a tree whose links are `links` (path -> target).
    fn judge(links: &[(&str, &str)], link: &str) -> Result<PathBuf, Escape> {
        let map: HashMap<PathBuf, PathBuf> = links
            .iter()
            .map(|(p, t)| (PathBuf::from(p), PathBuf::from(t)))
            .collect();
        let target = map.get(Path::new(link)).expect("a link").clone();
        resolve(Path::new(link), &target, &mut Budget::default(), |p| {
            map.get(p).cloned()
        })
    }

    #[test]
    fn links_by_their_names_alone() {
        let inside = |link: &str, target: &str| judge(&[(link, target)], link);
        assert_eq!(inside("a/b/l", "../c.txt"), Ok(PathBuf::from("a/c.txt")));
        assert_eq!(inside("l", "docs/x.md"), Ok(PathBuf::from("docs/x.md")));
        assert_eq!(inside("a/l", "./b/../c"), Ok(PathBuf::from("a/c")));
        assert_eq!(inside("l", "."), Ok(PathBuf::new()));
        assert_eq!(inside("l", "../x"), Err(Escape::Outside));
        assert_eq!(inside("a/l", "../../etc/passwd"), Err(Escape::Outside));
        assert_eq!(inside("a/l", "/etc/passwd"), Err(Escape::Outside));
        assert_eq!(inside("a/l", "b/../../../x"), Err(Escape::Outside));
    }

    #[test]
    fn links_through_other_links() {
        // The case: `b -> .` makes every `b/` stay where it is.
        let links = [("b", "."), ("etc", "b/b/b/../../../etc")];
        assert_eq!(judge(&links, "etc"), Err(Escape::Outside));
        // A link into a subfolder, then up twice: out.
        let links = [("d", "sub/deeper"), ("x", "d/../../..")];
        assert_eq!(judge(&links, "x"), Err(Escape::Outside));
        // ... and up once: the root.
        let links = [("d", "sub/deeper"), ("x", "d/../..")];
        assert_eq!(judge(&links, "x"), Ok(PathBuf::new()));
        // A link to a link that leaves.
        let links = [("a/up", ".."), ("a/l", "up/../x")];
        assert_eq!(judge(&links, "a/l"), Err(Escape::Outside));
        let links = [("a/abs", "/etc"), ("l", "a/abs/passwd")];
        assert_eq!(judge(&links, "l"), Err(Escape::Outside));
        // A link to a link that stays.
        let links = [("a/up", ".."), ("a/l", "up/x")];
        assert_eq!(judge(&links, "a/l"), Ok(PathBuf::from("x")));
    }

    #[test]
    fn loops_and_long_chains_end() {
        assert_eq!(judge(&[("l", "l")], "l"), Err(Escape::TooManyLinks));
        assert_eq!(
            judge(&[("a", "b"), ("b", "a")], "a"),
            Err(Escape::TooManyLinks)
        );
        let deep = "b/".repeat(MAX_LINKS) + "x";
        assert_eq!(
            judge(&[("b", "."), ("l", deep.as_str())], "l"),
            Err(Escape::TooManyLinks)
        );
        let long = "a/".repeat(MAX_TARGET);
        assert_eq!(judge(&[("l", long.as_str())], "l"), Err(Escape::TooLong));
        // A budget spent on one link is spent for the next.
        let mut budget = Budget(3);
        let none = |_: &Path| None;
        assert!(resolve(Path::new("l"), Path::new("a/b"), &mut budget, none).is_ok());
        assert_eq!(
            resolve(Path::new("l"), Path::new("a/b"), &mut budget, none),
            Err(Escape::TooComplex)
        );
    }

    #[cfg(unix)]
    #[test]
    fn folders_on_disk() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::write(root.join("README.md"), "").unwrap();
        symlink(".", root.join("b")).unwrap();
        symlink("b/b/b/../../../etc", root.join("etc")).unwrap();
        symlink("../README.md", root.join("docs/readme.md")).unwrap();
        symlink("loop", root.join("docs/loop")).unwrap();
        let refused = refused_under(root).unwrap();
        let paths: Vec<(&str, Escape)> = refused.iter().map(|r| (r.path.as_str(), r.why)).collect();
        assert_eq!(
            paths,
            [
                ("docs/loop", Escape::TooManyLinks),
                ("etc", Escape::Outside)
            ]
        );
    }
}
