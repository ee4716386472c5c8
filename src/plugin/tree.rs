//! The files of one plugin, wherever they are: a folder on disk, or a folder inside a ZIP package
//! that `validate` reads without unpacking. Readers see only this interface.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Read access to a plugin's files, by paths relative to the plugin's root with `/` separators.
pub trait Tree: Send + Sync {
    /// The name of the folder that holds the plugin, when it has one (a package whose manifest
    /// sits at the archive root has none).
    fn folder_name(&self) -> Option<&str>;

    /// Inside a package: the archive's top-level folder that holds the plugin, if any.
    fn archive_folder(&self) -> Option<&str> {
        None
    }

    /// How to show a file of this tree to the user.
    fn display(&self, rel: &str) -> String;

    /// The bytes of a file; `Ok(None)` when it does not exist.
    fn read_bytes(&self, rel: &str) -> io::Result<Option<Vec<u8>>>;

    /// The text of a file; `Ok(None)` when it does not exist, an `InvalidData` error when it is
    /// not UTF-8.
    fn read_text(&self, rel: &str) -> io::Result<Option<String>> {
        match self.read_bytes(rel)? {
            Some(bytes) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            None => Ok(None),
        }
    }

    fn is_file(&self, rel: &str) -> bool;

    fn is_dir(&self, rel: &str) -> bool;

    /// Whether anything is at `rel` (a link counts, wherever it leads): asked before reading a
    /// file most plugins do not have, as a failed look costs less than a failed open.
    fn exists(&self, rel: &str) -> bool {
        self.is_file(rel) || self.is_dir(rel)
    }

    /// The names of the files directly in the plugin's folder (not in its subfolders), in no
    /// particular order: what a host that imports every top-level module sees. A tree that
    /// cannot list its files lists none.
    fn files(&self) -> Vec<String> {
        Vec::new()
    }

    /// Every file under the folder `dir` (relative to the plugin root, `""` for the root), at
    /// any depth, as paths relative to the plugin root, sorted; links are not followed. At most
    /// [`MAX_LISTED`] files are listed, as a hostile tree could hold any number.
    fn files_under(&self, dir: &str) -> Vec<String>;

    /// Whether the tree is a package (a ZIP archive read in place) rather than a folder: some
    /// hosts check a package for files a folder need not have (FBA's README.md).
    fn is_package(&self) -> bool {
        false
    }

    /// The plugin's folder on disk, for tools that need a real path (`cargo metadata`); `None`
    /// for a tree that is not a folder on disk, such as a package read in place.
    fn disk_path(&self) -> Option<&Path> {
        None
    }
}

/// The largest file of a plugin that pluginkit reads (a manifest, a Python source): far more
/// than any real one, little enough that reading it is never a problem.
pub(crate) const MAX_FILE: u64 = 16 << 20;

/// The most files [`Tree::files_under`] lists: far more than a real plugin holds.
pub const MAX_LISTED: usize = 100_000;

/// The deepest folder [`Tree::files_under`] descends into, below `dir` (as deep as a package's
/// entries may be nested).
const MAX_DEPTH: usize = 48;

/// A plugin folder on disk.
#[derive(Debug, Clone)]
pub(crate) struct DirTree {
    root: PathBuf,
    display_root: String,
    name: Option<String>,
    /// Whether the folder's name is the plugin's (false for a folder about to be installed
    /// under the name its manifest gives).
    name_fixed: bool,
    /// The folder that holds `root`, opened once for a whole scan ([`Parent`]), where `root` is
    /// `name`: each look inside the plugin resolves two or three names from there, not the
    /// whole path again.
    #[cfg(target_os = "linux")]
    at: Option<Arc<Parent>>,
}

/// A folder of plugins opened once, for the [`DirTree`]s of the plugins in it
/// ([`DirTree::in_parent`]).
#[derive(Debug)]
pub(crate) struct Parent {
    path: PathBuf,
    #[cfg(target_os = "linux")]
    fd: rustix::fd::OwnedFd,
}

/// An entry of a [`Parent`] folder, as its listing gives it.
pub(crate) struct Entry {
    /// The name as text: lossy for a name that is not UTF-8, whose own bytes are in `raw`.
    pub(crate) name: String,
    pub(crate) raw: Option<std::ffi::OsString>,
    pub(crate) kind: EntryKind,
}

/// What an [`Entry`] is, by the listing's own word (a link is not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryKind {
    Folder,
    Link,
    Other,
}

impl Entry {
    /// The entry's path inside `dir`.
    pub(crate) fn path_in(&self, dir: &Path) -> PathBuf {
        match &self.raw {
            Some(raw) => dir.join(raw),
            None => dir.join(&self.name),
        }
    }
}

impl Parent {
    /// Every entry of the folder but `.` and `..`, in the listing's order. An entry the listing
    /// fails on ends it, as it ends `read_dir` for the callers that skip failed entries.
    pub(crate) fn entries(&self) -> io::Result<Vec<Entry>> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{AtFlags, FileType, RawDir, SeekFrom, seek, statat};
            use std::mem::MaybeUninit;
            use std::os::unix::ffi::OsStrExt;
            seek(&self.fd, SeekFrom::Start(0))?;
            // One buffer for the whole listing: a plugins folder may hold thousands of entries.
            let mut buf = vec![MaybeUninit::<u8>::uninit(); 64 << 10];
            let mut listing = RawDir::new(&self.fd, &mut buf);
            let mut entries = Vec::new();
            while let Some(Ok(entry)) = listing.next() {
                let bytes = entry.file_name().to_bytes();
                if matches!(bytes, b"." | b"..") {
                    continue;
                }
                let kind = match entry.file_type() {
                    FileType::Unknown => {
                        statat(&self.fd, entry.file_name(), AtFlags::SYMLINK_NOFOLLOW)
                            .map_or(FileType::Unknown, |stat| {
                                FileType::from_raw_mode(stat.st_mode)
                            })
                    }
                    kind => kind,
                };
                let kind = match kind {
                    FileType::Directory => EntryKind::Folder,
                    FileType::Symlink => EntryKind::Link,
                    _ => EntryKind::Other,
                };
                let (name, raw) = match std::str::from_utf8(bytes) {
                    Ok(name) => (name.to_owned(), None),
                    Err(_) => (
                        String::from_utf8_lossy(bytes).into_owned(),
                        Some(std::ffi::OsStr::from_bytes(bytes).to_owned()),
                    ),
                };
                entries.push(Entry { name, raw, kind });
            }
            Ok(entries)
        }
        #[cfg(not(target_os = "linux"))]
        Ok(std::fs::read_dir(&self.path)?
            .filter_map(Result::ok)
            .map(|entry| {
                let kind = match entry.file_type() {
                    Ok(kind) if kind.is_symlink() => EntryKind::Link,
                    Ok(kind) if kind.is_dir() => EntryKind::Folder,
                    _ => EntryKind::Other,
                };
                let os = entry.file_name();
                let name = os.to_string_lossy().into_owned();
                let raw = os.to_str().is_none().then_some(os);
                Entry { name, raw, kind }
            })
            .collect())
    }

    /// Open the folder `path` (following a link to it, as a path does).
    pub(crate) fn open(path: &Path) -> io::Result<Parent> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{CWD, Mode, OFlags, openat};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let fd = openat(CWD, path, flags, Mode::empty())?;
            Ok(Parent {
                path: path.to_path_buf(),
                fd,
            })
        }
        #[cfg(not(target_os = "linux"))]
        Ok(Parent {
            path: path.to_path_buf(),
        })
    }
}

impl DirTree {
    /// `display_root` is how the folder itself is shown (e.g. `plugins/hello`).
    pub(crate) fn new(root: PathBuf, display_root: String) -> Self {
        let name = folder_name_of(&root);
        DirTree {
            root,
            display_root,
            name,
            name_fixed: true,
            #[cfg(target_os = "linux")]
            at: None,
        }
    }

    /// The plugin folder `name` in the opened folder `parent`, shown as `display_root`.
    pub(crate) fn in_parent(parent: &Arc<Parent>, name: &str, display_root: String) -> Self {
        DirTree {
            root: parent.path.join(name),
            display_root,
            name: Some(name.to_owned()),
            name_fixed: true,
            #[cfg(target_os = "linux")]
            at: Some(Arc::clone(parent)),
        }
    }

    /// A folder that will be installed under its manifest's name: its own name is only what an
    /// archive's top folder would be.
    pub(crate) fn source(root: PathBuf, display_root: String) -> Self {
        DirTree {
            name_fixed: false,
            ..DirTree::new(root, display_root)
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Run `f` on where `rel` is looked up from: the opened parent folder and the path from it,
    /// or the working folder and the whole path. The path is built on the stack when it fits
    /// (a scan looks up a dozen paths in each of thousands of plugins); a path with a NUL in it
    /// names nothing.
    #[cfg(target_os = "linux")]
    fn with_at<R>(
        &self,
        rel: &str,
        f: impl FnOnce(rustix::fd::BorrowedFd<'_>, &std::ffi::CStr) -> io::Result<R>,
    ) -> io::Result<R> {
        use rustix::fd::AsFd;
        use std::os::unix::ffi::OsStrExt;
        let (dir, base) = match (&self.at, &self.name) {
            (Some(parent), Some(name)) => (parent.fd.as_fd(), name.as_bytes()),
            _ => (rustix::fs::CWD, self.root.as_os_str().as_bytes()),
        };
        let rel = rel.as_bytes();
        let len = base.len() + usize::from(!rel.is_empty()) + rel.len();
        let mut stack = [0u8; 256];
        let mut heap = Vec::new();
        let buf: &mut [u8] = if len < stack.len() {
            &mut stack[..=len]
        } else {
            heap.resize(len + 1, 0);
            &mut heap
        };
        buf[..base.len()].copy_from_slice(base);
        if !rel.is_empty() {
            buf[base.len()] = b'/';
            buf[base.len() + 1..len].copy_from_slice(rel);
        }
        let path = std::ffi::CStr::from_bytes_with_nul(buf)
            .map_err(|_| io::Error::from(io::ErrorKind::NotFound))?;
        f(dir, path)
    }

    /// The kind of what `rel` is, following links; `None` when there is nothing.
    #[cfg(target_os = "linux")]
    fn kind(&self, rel: &str) -> Option<rustix::fs::FileType> {
        let stat = self
            .with_at(rel, |dir, path| {
                Ok(rustix::fs::statat(dir, path, rustix::fs::AtFlags::empty())?)
            })
            .ok()?;
        Some(rustix::fs::FileType::from_raw_mode(stat.st_mode))
    }
}

/// The last component of a folder's path, resolving `.` and `..` through the file system.
pub(crate) fn folder_name_of(path: &Path) -> Option<String> {
    let name = path
        .file_name()
        .filter(|n| *n != "." && *n != "..")
        .map(|n| n.to_string_lossy().into_owned());
    name.or_else(|| {
        path.canonicalize()
            .ok()?
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    })
}

/// Every regular file under the folder `path` (from the folder `at`, shown as `rel`), into
/// `files`: depth-first with an
/// explicit stack (no recursion to exhaust), never following a link, at most [`MAX_DEPTH`] deep
/// and [`MAX_LISTED`] files. Each folder is opened relative to its parent's descriptor, so the
/// kernel resolves one name per folder rather than the whole path again.
#[cfg(target_os = "linux")]
fn walk(at: rustix::fd::BorrowedFd<'_>, path: &std::ffi::CStr, rel: &str, files: &mut Vec<String>) {
    use rustix::fs::{AtFlags, FileType, Mode, OFlags, RawDir, openat, statat};
    use std::mem::MaybeUninit;
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let Ok(top) = openat(at, path, flags, Mode::empty()) else {
        return;
    };
    // The entries are read into this buffer, one folder at a time, names and all.
    let mut buf = [MaybeUninit::<u8>::uninit(); 8 << 10];
    let mut stack = vec![(top, rel.to_owned(), 0)];
    while let Some((fd, rel, depth)) = stack.pop() {
        let mut entries = RawDir::new(&fd, &mut buf);
        while let Some(Ok(entry)) = entries.next() {
            let name = entry.file_name();
            if matches!(name.to_bytes(), b"." | b"..") {
                continue;
            }
            // d_type; a file system that leaves it unknown is asked, without following a link
            // (which is never taken for what it points at).
            let kind = match entry.file_type() {
                FileType::Unknown => statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW)
                    .map_or(FileType::Unknown, |stat| {
                        FileType::from_raw_mode(stat.st_mode)
                    }),
                kind => kind,
            };
            if !matches!(kind, FileType::Directory | FileType::RegularFile) {
                continue;
            }
            let shown = String::from_utf8_lossy(name.to_bytes());
            let child = if rel.is_empty() {
                shown.into_owned()
            } else {
                format!("{rel}/{shown}")
            };
            match kind {
                FileType::Directory if depth < MAX_DEPTH => {
                    if let Ok(sub) = openat(&fd, name, flags, Mode::empty()) {
                        stack.push((sub, child, depth + 1));
                    }
                }
                FileType::RegularFile => {
                    files.push(child);
                    if files.len() >= MAX_LISTED {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}

/// [`walk`] where there is no `openat`: by path, with std's directory reader.
#[cfg(not(target_os = "linux"))]
fn walk(path: &Path, rel: &str, files: &mut Vec<String>) {
    let mut stack = vec![(path.to_path_buf(), rel.to_owned(), 0)];
    while let Some((path, rel, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if kind.is_dir() {
                if depth < MAX_DEPTH {
                    stack.push((entry.path(), child, depth + 1));
                }
            } else if kind.is_file() {
                files.push(child);
                if files.len() >= MAX_LISTED {
                    return;
                }
            }
        }
    }
}

impl Tree for DirTree {
    fn folder_name(&self) -> Option<&str> {
        self.name.as_deref().filter(|_| self.name_fixed)
    }

    fn archive_folder(&self) -> Option<&str> {
        self.name.as_deref().filter(|_| !self.name_fixed)
    }

    fn display(&self, rel: &str) -> String {
        if self.display_root.is_empty() || self.display_root == "." {
            rel.to_owned()
        } else {
            format!("{}/{rel}", self.display_root.trim_end_matches('/'))
        }
    }

    fn read_bytes(&self, rel: &str) -> io::Result<Option<Vec<u8>>> {
        // Only a regular file (a FIFO would block, a link to a device never end), and at most
        // MAX_FILE bytes: a refusal is an error that says why, which the readers report as a
        // finding naming the file.
        #[cfg(target_os = "linux")]
        let read = self.with_at(rel, |dir, path| {
            crate::util::read::read_regular_file_at(dir, path, MAX_FILE)
        });
        #[cfg(not(target_os = "linux"))]
        let read = crate::util::read::read_regular_file(&self.path(rel), MAX_FILE);
        match read {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            // A folder where a file should be reads as "not there".
            Err(e) if e.kind() == io::ErrorKind::IsADirectory => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn is_file(&self, rel: &str) -> bool {
        #[cfg(target_os = "linux")]
        return self.kind(rel) == Some(rustix::fs::FileType::RegularFile);
        #[cfg(not(target_os = "linux"))]
        self.path(rel).is_file()
    }

    fn is_dir(&self, rel: &str) -> bool {
        #[cfg(target_os = "linux")]
        return self.kind(rel) == Some(rustix::fs::FileType::Directory);
        #[cfg(not(target_os = "linux"))]
        self.path(rel).is_dir()
    }

    fn exists(&self, rel: &str) -> bool {
        #[cfg(target_os = "linux")]
        return self
            .with_at(rel, |dir, path| {
                Ok(rustix::fs::statat(
                    dir,
                    path,
                    rustix::fs::AtFlags::SYMLINK_NOFOLLOW,
                )?)
            })
            .is_ok();
        #[cfg(not(target_os = "linux"))]
        std::fs::symlink_metadata(self.path(rel)).is_ok()
    }

    fn files(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|entry| entry.path().is_file())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .collect()
    }

    fn files_under(&self, dir: &str) -> Vec<String> {
        let dir = dir.trim_end_matches('/');
        let mut files = Vec::new();
        #[cfg(target_os = "linux")]
        let _ = self.with_at(dir, |at, path| {
            walk(at, path, dir, &mut files);
            Ok(())
        });
        #[cfg(not(target_os = "linux"))]
        walk(&self.path(dir), dir, &mut files);
        files.sort();
        files
    }

    fn disk_path(&self) -> Option<&Path> {
        Some(&self.root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plugin of a scanned folder is read from the folder's descriptor: paths too long for the
    /// stack buffer, links, and names the kernel cannot take behave as through whole paths.
    #[test]
    fn a_plugin_read_from_its_parent_sees_what_a_path_sees() {
        let plugins = tempfile::tempdir().unwrap();
        let root = plugins.path().join("hello");
        // Deeper than the 256 bytes the stack holds.
        let deep = format!("api/{}/{}", "a".repeat(120), "b".repeat(120));
        std::fs::create_dir_all(root.join(&deep)).unwrap();
        std::fs::write(root.join(format!("{deep}/notice.py")), "x = 1\n").unwrap();
        std::fs::write(root.join("plugin.toml"), "[plugin]\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("plugin.toml", root.join("linked.toml")).unwrap();
        let parent = Arc::new(Parent::open(plugins.path()).unwrap());
        let from_parent = DirTree::in_parent(&parent, "hello", "plugins/hello".into());
        let by_path = DirTree::new(root.clone(), "plugins/hello".into());
        for tree in [&from_parent, &by_path] {
            assert_eq!(
                tree.files_under("api"),
                vec![format!("{deep}/notice.py")],
                "{:?}",
                tree.disk_path()
            );
            assert!(tree.is_file(&format!("{deep}/notice.py")));
            assert!(tree.is_dir(&deep));
            assert!(!tree.is_file(&deep));
            assert_eq!(
                tree.read_text(&format!("{deep}/notice.py")).unwrap(),
                Some("x = 1\n".to_owned())
            );
            assert!(tree.exists("plugin.toml"));
            assert!(!tree.exists("requirements.txt"));
            assert_eq!(tree.read_bytes("requirements.txt").unwrap(), None);
            // A NUL cannot be in a name: nothing is there.
            assert!(!tree.exists("plugin\0.toml"));
            assert_eq!(tree.read_bytes("plugin\0.toml").unwrap(), None);
            #[cfg(unix)]
            assert_eq!(
                tree.read_text("linked.toml").unwrap(),
                Some("[plugin]\n".to_owned())
            );
        }
    }

    /// The plugins folder's listing names folders, links and files as `read_dir` does, and
    /// again when listed twice.
    #[cfg(unix)]
    #[test]
    fn a_parent_lists_folders_links_and_files() {
        let plugins = tempfile::tempdir().unwrap();
        std::fs::create_dir(plugins.path().join("one")).unwrap();
        std::fs::write(plugins.path().join("file.txt"), "").unwrap();
        std::os::unix::fs::symlink("one", plugins.path().join("link")).unwrap();
        // A name that is not UTF-8 is shown lossily and found by its own bytes.
        let raw = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"caf\xe9");
        std::fs::create_dir(plugins.path().join(raw)).unwrap();
        let parent = Parent::open(plugins.path()).unwrap();
        let odd = parent
            .entries()
            .unwrap()
            .into_iter()
            .find(|e| e.raw.is_some())
            .unwrap();
        assert_eq!(odd.name, "caf\u{fffd}");
        assert!(odd.path_in(plugins.path()).is_dir());
        for _ in 0..2 {
            let mut listed: Vec<(String, EntryKind)> = parent
                .entries()
                .unwrap()
                .into_iter()
                .filter(|e| e.raw.is_none())
                .map(|e| (e.name, e.kind))
                .collect();
            listed.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(
                listed,
                vec![
                    ("file.txt".to_owned(), EntryKind::Other),
                    ("link".to_owned(), EntryKind::Link),
                    ("one".to_owned(), EntryKind::Folder),
                ]
            );
        }
    }
}
