//! Paths as the user should see them, and as the records write them.

use std::path::{Path, PathBuf};

/// `path` relative to `base` when it is inside it, with `/` separators; else as it is.
pub(crate) fn display_path(base: &Path, path: &Path) -> String {
    let shown = match path.strip_prefix(base) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    };
    shown.to_string_lossy().replace('\\', "/")
}

/// `path` relative to `base` (`../x` when beside it), with `/` between parts; the absolute path
/// when the two share no root (another drive).
pub(crate) fn relative_to(base: &Path, path: &Path) -> String {
    let (base, path) = (absolute(base), absolute(path));
    let base_parts: Vec<_> = base.components().collect();
    let path_parts: Vec<_> = path.components().collect();
    let common = base_parts
        .iter()
        .zip(&path_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return path.to_string_lossy().replace('\\', "/");
    }
    let parts: Vec<String> = std::iter::repeat_n("..".to_owned(), base_parts.len() - common)
        .chain(
            path_parts[common..]
                .iter()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        )
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// `path` with links and `..` resolved, when it exists; else as it is.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// `path` with links and `..` resolved as far as it exists, and the rest (folders not created
/// yet) taken as written, `..` dropping the part before it: where `path` will be once its
/// folders are made, to tell whether it is inside another folder before anything is written.
pub(crate) fn resolved(path: &Path) -> PathBuf {
    let mut existing = path;
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            break;
        };
        rest.push(name);
        existing = parent;
    }
    let mut out = absolute(existing);
    for part in rest.into_iter().rev() {
        if part == ".." {
            out.pop();
        } else if part != "." {
            out.push(part);
        }
    }
    out
}
