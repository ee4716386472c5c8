//! Plugin packages (ZIP archives), read safely and without unpacking: every entry's name, type,
//! size and compression ratio is checked against hostile input before anything is read, and the
//! plugin inside is exposed as a [`Tree`] so the flavor readers can check it in place.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use sha2::{Digest, Sha256};
use zip::{CompressionMethod, ZipArchive};

use crate::findings::rules;
use crate::findings::{Finding, Location, SourceFile};
use crate::plugin::names;
use crate::plugin::tree::Tree;

/// Bounds that keep a hostile archive from exhausting memory or disk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_entries: usize,
    /// The total unpacked size allowed is the larger of this and `max_total_ratio` times the
    /// archive's size (cargo's rule for crates).
    pub(crate) max_total_size: u64,
    pub(crate) max_total_ratio: u64,
    /// Largest allowed ratio of uncompressed to compressed size, for entries big enough to matter.
    pub(crate) max_ratio: u64,
    /// The most of one file that a reader will hold in memory.
    pub(crate) max_text_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 50_000,
            max_total_size: 512 * 1024 * 1024,
            max_total_ratio: 20,
            max_ratio: 200,
            max_text_size: 16 * 1024 * 1024,
        }
    }
}

/// The buffer each unpacking thread copies through: large enough that system calls cost
/// little next to the bytes.
const COPY_BUFFER: usize = 256 * 1024;

thread_local! {
    // One per thread: rayon may call an init closure once per job, and zeroing a fresh buffer
    // for each of thousands of small files shows in the profile.
    static BUFFER: RefCell<Vec<u8>> = RefCell::new(vec![0; COPY_BUFFER]);
}

/// Manifests that make a folder a plugin, for finding the plugin's root inside an archive.
const MANIFESTS: &[&str] = &["plugin.toml", "Cargo.toml", "__init__.py"];

/// An archive that passed the safety checks, with the plugin's root inside it.
pub(crate) struct Package {
    /// Cloned for each reader (cheap: the entry list is shared), so threads unpack at once.
    archive: ZipArchive<SharedFile>,
    source: Arc<SourceFile>,
    /// Normalised entry name (without the root prefix) -> index.
    files: HashMap<String, usize>,
    dirs: BTreeSet<String>,
    /// The single top-level folder holding the plugin, if the manifest is not at the root.
    top: Option<String>,
    limits: Limits,
}

/// The result of inspecting a package: what was wrong with it, and the plugin tree when the
/// archive was safe enough to look inside.
pub(crate) struct Inspection {
    pub(crate) findings: Vec<Finding>,
    pub(crate) package: Option<Package>,
}

/// An open archive read at explicit offsets (`pread`), not through the file's shared cursor,
/// so that clones of one [`ZipArchive`] can read entries on several threads at once.
#[derive(Debug, Clone)]
struct SharedFile {
    file: Arc<File>,
    len: u64,
    pos: u64,
}

impl SharedFile {
    fn new(file: File) -> io::Result<SharedFile> {
        Ok(SharedFile {
            len: file.metadata()?.len(),
            file: Arc::new(file),
            pos: 0,
        })
    }
}

impl Read for SharedFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(&*self.file, buf, self.pos)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(&*self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SharedFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(pos) => Some(pos),
            SeekFrom::End(delta) => self.len.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.pos.checked_add_signed(delta),
        };
        self.pos = pos.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the archive",
            )
        })?;
        Ok(self.pos)
    }
}

/// The longest entry name allowed, in bytes: far more than any plugin needs, and few enough
/// that no name costs much to check or to show (a ZIP name may be 64 KiB).
pub(crate) const MAX_NAME_LEN: usize = 1024;

/// The most path parts an entry name may have: a deeper one is a "path bomb", made to cost
/// memory and time in whatever walks its folders.
pub(crate) const MAX_DEPTH: usize = 48;

/// Check an archive entry name (or a path inside a git checkout); `Err` says why it is unsafe.
pub(crate) fn check_name(name: &str) -> Result<(), &'static str> {
    if name.len() > MAX_NAME_LEN {
        return Err("is longer than 1024 bytes");
    }
    if name
        .trim_end_matches('/')
        .split('/')
        .nth(MAX_DEPTH)
        .is_some()
    {
        return Err("is nested more than 48 folders deep");
    }
    if name.contains('\0') {
        return Err("contains a NUL character");
    }
    if name.contains('\\') {
        return Err("uses `\\` separators, which some systems read as folders");
    }
    if name.starts_with('/') {
        return Err("is an absolute path");
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return Err("starts with a drive letter");
    }
    if name.split('/').any(|part| part == "..") {
        return Err("leads out of the plugin with `..`");
    }
    if name.split('/').any(names::is_reserved) {
        return Err("uses a `.pluginkit` name, which pluginkit keeps for its own files");
    }
    Ok(())
}

/// An entry's name as a message shows it: escaped, and cut short when it is too long to be
/// read (a name that was refused for its length may be 64 KiB).
fn shown_name(name: &str) -> String {
    const SHOWN: usize = 120;
    match name.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}...", name[..end].escape_debug()),
        None => name.escape_debug().to_string(),
    }
}

/// Open and check the package at `path`, shown to the user as `display`.
pub(crate) fn inspect(path: &Path, display: &str, limits: Limits) -> Inspection {
    let source = SourceFile::new(display, None);
    let fail = |finding: Finding| Inspection {
        findings: vec![finding.at(Location::file(&source))],
        package: None,
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) => {
            return fail(
                Finding::new(
                    &rules::ARCHIVE_UNREADABLE,
                    format!("cannot open {display}: {e}"),
                )
                .help("check the path and its permissions"),
            );
        }
    };
    let mut archive = match SharedFile::new(file).and_then(|file| Ok(ZipArchive::new(file)?)) {
        Ok(archive) => archive,
        Err(e) => {
            return fail(
                Finding::new(
                    &rules::ARCHIVE_UNREADABLE,
                    format!("{display} is not a readable ZIP archive: {e}"),
                )
                .help("rebuild the package with `pluginkit package`"),
            );
        }
    };
    if archive.len() > limits.max_entries {
        return fail(
            Finding::new(
                &rules::ARCHIVE_TOO_LARGE,
                format!(
                    "{display} has {} entries, more than the limit of {}",
                    archive.len(),
                    limits.max_entries
                ),
            )
            .help("a plugin package should not need that many files; check what went into it, or raise [limits] max-entries in pluginkit.toml"),
        );
    }

    let archive_size = std::fs::metadata(path).map_or(0, |m| m.len());
    let max_total = limits
        .max_total_size
        .max(archive_size.saturating_mul(limits.max_total_ratio));
    let mut findings = Vec::new();
    let mut report = |finding: Finding| findings.push(finding.at(Location::file(&source)));
    // The zip crate keys entries by name, so an exact duplicate is folded into one before the
    // loop below could see it; the archive still knows it had one.
    if archive.has_duplicate_names() {
        report(
            Finding::new(
                &rules::DUPLICATE_ENTRY,
                format!("{display} holds entries with the same name"),
            )
            .help("names must be unique: an unpacker would silently keep one of them"),
        );
    }
    let mut files = HashMap::new();
    let mut dirs = BTreeSet::new();
    let mut folded: HashMap<String, String> = HashMap::new();
    let mut total: u64 = 0;
    // (local header offset, compressed size, name) of each entry, to find entries sharing data.
    let mut extents: Vec<(u64, u64, String)> = Vec::new();
    for index in 0..archive.len() {
        let entry = match archive.by_index_data(index) {
            Ok(entry) => entry,
            Err(e) => {
                report(Finding::new(
                    &rules::ARCHIVE_UNREADABLE,
                    format!("entry {index} cannot be read: {e}"),
                ));
                continue;
            }
        };
        let name = match entry.name() {
            Ok(name) => name.into_owned(),
            Err(_) => {
                report(
                    Finding::new(
                        &rules::UNSAFE_PATH,
                        format!("entry {index} has a name that is not valid text"),
                    )
                    .help("rebuild the package from files with UTF-8 names"),
                );
                continue;
            }
        };
        if let Err(why) = check_name(&name) {
            report(
                Finding::new(
                    &rules::UNSAFE_PATH,
                    format!("entry `{}` {why}", shown_name(&name)),
                )
                .help("a package may only hold relative paths inside its plugin folder"),
            );
            continue;
        }
        if entry.encrypted() {
            report(
                Finding::new(
                    &rules::ENCRYPTED_ENTRY,
                    format!("entry `{name}` is encrypted"),
                )
                .help("packages must not be encrypted; rebuild it without a password"),
            );
            continue;
        }
        if !entry.is_dir()
            && !matches!(
                entry.compression(),
                CompressionMethod::Stored | CompressionMethod::Deflated
            )
        {
            report(
                Finding::new(
                    &rules::ARCHIVE_UNREADABLE,
                    format!(
                        "entry `{name}` is compressed with {:?}, which pluginkit cannot unpack",
                        entry.compression()
                    ),
                )
                .help("rebuild the package with deflate, as `pluginkit package` and `zip` do"),
            );
            continue;
        }
        let mode = entry.unix_mode().unwrap_or(0);
        let file_type = mode & 0o170000;
        if entry.is_symlink() || (file_type != 0 && file_type != 0o100000 && file_type != 0o040000)
        {
            let what = if entry.is_symlink() {
                "a symbolic link"
            } else {
                "a special file"
            };
            report(
                Finding::new(&rules::ARCHIVE_LINK, format!("entry `{name}` is {what}"))
                    .help("packages hold only regular files and folders; replace the link with the file it points to"),
            );
            continue;
        }
        extents.push((entry.header_start(), entry.compressed_size(), name.clone()));
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        total = total.saturating_add(size);
        if size > max_total || (size > 1024 * 1024 && size / packed > limits.max_ratio) {
            report(
                Finding::new(
                    &rules::ARCHIVE_TOO_LARGE,
                    format!(
                        "entry `{name}` unpacks to {size} bytes from {packed}, beyond the limits"
                    ),
                )
                .help(format!(
                    "this looks like a ZIP bomb; do not install it. A file that is genuinely this compressible (say, one full of zeros) is allowed by raising [limits] max-entry-ratio (now {}) in pluginkit.toml",
                    limits.max_ratio
                )),
            );
            continue;
        }
        let trimmed = name.trim_end_matches('/').to_owned();
        if trimmed.is_empty() || trimmed.split('/').any(|p| p.is_empty() || p == ".") {
            if !trimmed.is_empty() {
                report(Finding::new(
                    &rules::UNSAFE_PATH,
                    format!("entry `{name}` has an empty or `.` path part"),
                ));
            }
            continue;
        }
        let key = trimmed.to_lowercase();
        if let Some(previous) = folded.insert(key, trimmed.clone()) {
            let same = previous == trimmed;
            report(
                Finding::new(
                    &rules::DUPLICATE_ENTRY,
                    if same {
                        format!("entry `{trimmed}` appears twice")
                    } else {
                        format!("entries `{previous}` and `{trimmed}` differ only in case")
                    },
                )
                .help("names must be unique, also on case-insensitive file systems"),
            );
            continue;
        }
        // Every parent of an entry is a folder, whether or not the archive lists it. Only the
        // nearest is kept ([`has_dir`] finds the others by prefix), so a deep name costs its
        // length once rather than once per level.
        if let Some((parent, _)) = trimmed.rsplit_once('/')
            && !dirs.contains(parent)
        {
            dirs.insert(parent.to_owned());
        }
        if entry.is_dir() {
            dirs.insert(trimmed);
        } else {
            files.insert(trimmed, index);
        }
    }
    // Two entries over the same bytes are the ZIP form of a hard link, and the trick of the
    // overlapping ZIP bombs: one compressed block counted again for every entry.
    let overlapping = match archive.has_overlapping_entries() {
        Ok(overlapping) => overlapping,
        Err(e) => {
            report(
                Finding::new(
                    &rules::ARCHIVE_UNREADABLE,
                    format!("{display} has an entry whose header cannot be read: {e}"),
                )
                .help("the archive is truncated or damaged; rebuild it with `pluginkit package`"),
            );
            false
        }
    };
    if overlapping {
        extents.sort();
        let pair = extents.windows(2).find_map(|w| {
            let ((start, packed, first), (next, _, second)) = (&w[0], &w[1]);
            // A local header is at least 30 bytes; the data follows it.
            (*next < start.saturating_add(30).saturating_add(*packed)).then_some((first, second))
        });
        report(
            Finding::new(
                &rules::ARCHIVE_LINK,
                match pair {
                    Some((first, second)) => format!(
                        "entries `{first}` and `{second}` share their bytes in the archive, as hard links would"
                    ),
                    None => format!("{display} has entries that share their bytes, as hard links would"),
                },
            )
            .help("packages hold each file once; this archive was made to unpack to more than it holds"),
        );
    }
    // A name that is both a file and a folder (`a` and `a/b`), in any case: one of them could
    // not be unpacked.
    let folded_dirs: BTreeSet<String> = dirs.iter().map(|d| d.to_lowercase()).collect();
    let mut clashes: Vec<&String> = files
        .keys()
        .filter(|f| has_dir(&folded_dirs, &f.to_lowercase()))
        .collect();
    clashes.sort();
    for clash in clashes {
        report(
            Finding::new(
                &rules::DUPLICATE_ENTRY,
                format!("entry `{clash}` is both a file and a folder"),
            )
            .help("names must be unique, also on case-insensitive file systems"),
        );
    }
    if total > max_total {
        report(
            Finding::new(
                &rules::ARCHIVE_TOO_LARGE,
                format!("{display} unpacks to {total} bytes, more than the limit of {max_total}"),
            )
            .help("this looks like a ZIP bomb; do not install it. A package genuinely this large is allowed by raising [limits] max-unpacked-size (bytes) in pluginkit.toml"),
        );
    }
    if !findings.is_empty() {
        return Inspection {
            findings,
            package: None,
        };
    }

    let top = match find_root(&files, &dirs) {
        Ok(top) => top,
        Err(why) => {
            return fail(
                Finding::new(&rules::ARCHIVE_LAYOUT, format!("{display} {why}")).help(
                    "put the manifest (plugin.toml, Cargo.toml or __init__.py) at the root of the archive or in its single top-level folder",
                ),
            );
        }
    };
    let files = match &top {
        Some(top) => {
            let prefix = format!("{top}/");
            files
                .into_iter()
                .filter_map(|(name, index)| Some((name.strip_prefix(&prefix)?.to_owned(), index)))
                .collect()
        }
        None => files,
    };
    let dirs = match &top {
        Some(top) => {
            let prefix = format!("{top}/");
            dirs.into_iter()
                .filter_map(|d| d.strip_prefix(&prefix).map(str::to_owned))
                .collect()
        }
        None => dirs,
    };
    Inspection {
        findings: Vec::new(),
        package: Some(Package {
            archive,
            source,
            files,
            dirs,
            top,
            limits,
        }),
    }
}

/// Whether `dir` is a folder of an archive whose `dirs` are its listed folders and the nearest
/// parent of each entry: one of them, or the parent of one (found by prefix: the names under
/// `dir/` sort together, from `dir/` on).
fn has_dir(dirs: &BTreeSet<String>, dir: &str) -> bool {
    if dir.is_empty() {
        return false;
    }
    let prefix = format!("{dir}/");
    dirs.contains(dir)
        || dirs
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .next()
            .is_some_and(|d| d.starts_with(&prefix))
}

/// [`inspect`], then read every entry ([`Package::check_contents`]) when the headers passed:
/// what `validate` and `registry publish` check, so that they call valid only what an install
/// accepts (an install reads each entry as it unpacks it).
pub(crate) fn inspect_all(path: &Path, display: &str, limits: Limits) -> Inspection {
    let mut inspection = inspect(path, display, limits);
    if let Some(package) = &inspection.package {
        inspection.findings.extend(package.check_contents());
    }
    inspection
}

/// The plugin's root: the archive root when a manifest is there, else the single top-level
/// folder (as `package`, FBA and GitHub's "Download ZIP" make them).
fn find_root(
    files: &HashMap<String, usize>,
    dirs: &BTreeSet<String>,
) -> Result<Option<String>, String> {
    if MANIFESTS.iter().any(|m| files.contains_key(*m)) {
        return Ok(None);
    }
    let tops: BTreeSet<&str> = files
        .keys()
        .map(|name| name.split('/').next().unwrap_or(name))
        .chain(dirs.iter().map(|d| d.split('/').next().unwrap_or(d)))
        .collect();
    match tops.into_iter().collect::<Vec<_>>().as_slice() {
        [] => Err("is empty".into()),
        // (A class-based plugin's manifest is named after its folder: `Name/Name.py`.)
        [top]
            if MANIFESTS
                .iter()
                .any(|m| files.contains_key(&format!("{top}/{m}")))
                || files.contains_key(&format!("{top}/{top}.py")) =>
        {
            Ok(Some((*top).to_owned()))
        }
        [top] => Err(format!(
            "holds no plugin manifest at its root or in `{top}/`"
        )),
        many => Err(format!(
            "holds no plugin manifest at its root and has {} top-level entries ({})",
            many.len(),
            many.iter().take(5).copied().collect::<Vec<_>>().join(", ")
        )),
    }
}

impl Package {
    /// Unpack the plugin into `dest` (which must not exist yet), streaming each entry and
    /// checking it against the size its header declares. Permissions come from the umask; only
    /// the execute bit is kept from the archive (setuid and setgid never are). Entries are
    /// unpacked on rayon's threads, largest first. Each file is hashed as it is written, so
    /// the receipt needs no second read: returns every unpacked file's sha256 (the files
    /// [`crate::plugin::is_runtime_file`] names left out, as the receipt leaves them out).
    pub(crate) fn extract_to(&self, dest: &Path) -> io::Result<BTreeMap<String, String>> {
        std::fs::create_dir_all(dest)?;
        // Sorted, so parents come before their children.
        for dir in &self.dirs {
            std::fs::create_dir_all(dest.join(dir))?;
        }
        let mut files: Vec<(&str, usize, u64)> = self
            .files
            .iter()
            .map(|(rel, &index)| {
                let size = self.archive.by_index_data(index).map_or(0, |e| e.size());
                (rel.as_str(), index, size)
            })
            .collect();
        files.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
        files
            .par_iter()
            // One file per job: a thread working through a long run of files cannot be stolen
            // from, and the largest files come first, so longer runs left one thread unpacking
            // the tail alone.
            .with_max_len(1)
            .map_init(
                || self.archive.clone(),
                |archive, &(rel, index, _)| {
                    let hash = BUFFER.with_borrow_mut(|buffer| {
                        self.extract_one(archive, buffer, index, rel, &dest.join(rel))
                    })?;
                    Ok((rel.to_owned(), hash))
                },
            )
            .filter(|hashed| !matches!(hashed, Ok((rel, _)) if crate::plugin::is_runtime_file(rel)))
            .collect()
    }

    /// The name of the entry holding the plugin's file `rel`, as the archive has it.
    fn entry_name(&self, rel: &str) -> String {
        match &self.top {
            Some(top) => format!("{top}/{rel}"),
            None => rel.to_owned(),
        }
    }

    fn extract_one(
        &self,
        archive: &mut ZipArchive<SharedFile>,
        buffer: &mut [u8],
        index: usize,
        rel: &str,
        path: &Path,
    ) -> io::Result<String> {
        let mut entry = archive
            .by_index(index)
            .map_err(|e| self.in_entry(rel, &e))?;
        let executable = entry.unix_mode().is_some_and(|mode| mode & 0o111 != 0);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(if executable { 0o777 } else { 0o666 });
        }
        let cannot_write = |e: io::Error| {
            io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
        };
        let mut out = options.open(path).map_err(cannot_write)?;
        let mut hasher = Sha256::new();
        self.stream(&mut entry, buffer, rel, |bytes| {
            out.write_all(bytes).map_err(cannot_write)?;
            hasher.update(bytes);
            Ok(())
        })?;
        Ok(crate::util::hash::hex(&hasher.finalize()))
    }

    /// Read `entry` (the plugin's file `rel`) through `buffer`, handing each piece to `sink`.
    /// Reading stops one byte past the size its header declares: a header that lies about the
    /// size (a ZIP bomb's trick) costs no more than it declared, and is an error, as are data
    /// that do not match the entry's CRC (the zip crate checks it at the end of the entry).
    fn stream(
        &self,
        entry: &mut zip::read::ZipFile<'_, SharedFile>,
        buffer: &mut [u8],
        rel: &str,
        mut sink: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let declared = entry.size();
        let mut limited = entry.take(declared.saturating_add(1));
        let mut copied = 0u64;
        loop {
            let n = match limited.read(buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.in_entry(rel, &e)),
            };
            sink(&buffer[..n])?;
            copied += n as u64;
        }
        if copied != declared {
            let what = if copied > declared { "more" } else { "fewer" };
            return Err(self.in_entry(
                rel,
                &format_args!("it holds {what} bytes than the {declared} its header declares"),
            ));
        }
        Ok(())
    }

    /// An error reading the entry of the plugin's file `rel`, naming the entry.
    fn in_entry(&self, rel: &str, e: &dyn std::fmt::Display) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("entry `{}`: {e}", self.entry_name(rel)),
        )
    }

    /// Read every file of the plugin as an install unpacks it, writing nothing: each must hold
    /// the bytes its headers declare and match its CRC, or `pluginkit add` would refuse the
    /// package. Each entry streams through one buffer per thread, so the memory this takes
    /// does not grow with the archive. Returns a finding per damaged entry, by name.
    pub(crate) fn check_contents(&self) -> Vec<Finding> {
        let mut damaged: Vec<(String, io::Error)> = self
            .files
            .par_iter()
            .map_init(
                || self.archive.clone(),
                |archive, (rel, &index)| {
                    let read = archive
                        .by_index(index)
                        .map_err(|e| self.in_entry(rel, &e))
                        .and_then(|mut entry| {
                            BUFFER.with_borrow_mut(|buffer| {
                                self.stream(&mut entry, buffer, rel, |_| Ok(()))
                            })
                        });
                    read.err().map(|e| (self.entry_name(rel), e))
                },
            )
            .flatten()
            .collect();
        damaged.sort_by(|a, b| a.0.cmp(&b.0));
        damaged
            .into_iter()
            .map(|(_, e)| {
                Finding::new(&rules::ARCHIVE_UNREADABLE, format!("{e}"))
                    .help("the archive is damaged, or its headers misstate what it holds: `pluginkit add` refuses it. Rebuild it with `pluginkit package`")
                    .at(Location::file(&self.source))
            })
            .collect()
    }
}

impl Tree for Package {
    /// A package's top folder does not fix the installed name (GitHub's "Download ZIP" makes
    /// `hello-main/`); the manifest does.
    fn folder_name(&self) -> Option<&str> {
        None
    }

    fn archive_folder(&self) -> Option<&str> {
        self.top.as_deref()
    }

    fn display(&self, rel: &str) -> String {
        let inner = match &self.top {
            Some(top) if rel.is_empty() => format!("{top}/"),
            Some(top) => format!("{top}/{rel}"),
            None => rel.to_owned(),
        };
        format!("{}!{inner}", self.source.path)
    }

    fn read_bytes(&self, rel: &str) -> io::Result<Option<Vec<u8>>> {
        let Some(&index) = self.files.get(rel) else {
            return Ok(None);
        };
        let mut archive = self.archive.clone();
        let entry = archive.by_index(index).map_err(io::Error::other)?;
        if entry.size() > self.limits.max_text_size {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} bytes is too large to read", entry.size()),
            ));
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        // Read one byte past the declared size so a lying header cannot make us read unbounded.
        entry
            .take(self.limits.max_text_size + 1)
            .read_to_end(&mut bytes)?;
        Ok(Some(bytes))
    }

    fn is_file(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    fn is_dir(&self, rel: &str) -> bool {
        has_dir(&self.dirs, rel.trim_end_matches('/'))
    }

    fn files(&self) -> Vec<String> {
        self.files
            .keys()
            .filter(|name| !name.contains('/'))
            .cloned()
            .collect()
    }

    fn files_under(&self, dir: &str) -> Vec<String> {
        let dir = dir.trim_end_matches('/');
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut files: Vec<String> = self
            .files
            .keys()
            .filter(|rel| rel.starts_with(&prefix))
            .take(crate::plugin::tree::MAX_LISTED)
            .cloned()
            .collect();
        files.sort();
        files
    }

    fn is_package(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_refused() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:/x",
            "c:x",
            "a\\b",
            "a\0b",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        for good in ["hello/plugin.toml", "hello/", "a..b/c", "x"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn names_are_bounded_in_length_and_depth() {
        let at_length = format!("hello/{}", "x".repeat(MAX_NAME_LEN - 6));
        assert!(check_name(&at_length).is_ok());
        assert_eq!(
            check_name(&format!("{at_length}x")),
            Err("is longer than 1024 bytes")
        );
        let at_depth = "d/".repeat(MAX_DEPTH - 1) + "f";
        assert!(check_name(&at_depth).is_ok());
        assert!(check_name(&("d/".repeat(MAX_DEPTH - 1) + "f/")).is_ok());
        assert_eq!(
            check_name(&("d/".repeat(MAX_DEPTH) + "f")),
            Err("is nested more than 48 folders deep")
        );
        let bomb = "a/".repeat(32_000) + "f";
        assert_eq!(check_name(&bomb), Err("is longer than 1024 bytes"));
        assert!(shown_name(&bomb).len() < 200);
    }

    #[test]
    fn pluginkit_names_are_refused_anywhere_in_a_path() {
        for bad in [
            ".pluginkit-txn",
            "hello/.pluginkit-txn",
            "hello/lib/.PluginKit-marker-x",
            "hello/.pluginkit/",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_name("hello/pluginkit.toml").is_ok());
    }

    #[test]
    fn a_folder_is_found_by_its_nearest_listed_descendant() {
        let dirs: BTreeSet<String> = ["a/b/c", "x", "ab"].map(String::from).into();
        for dir in ["a", "a/b", "a/b/c", "x", "ab"] {
            assert!(has_dir(&dirs, dir), "{dir}");
        }
        for dir in ["", "a/b/c/d", "b", "a/c", "x/y", "a/"] {
            assert!(!has_dir(&dirs, dir), "{dir}");
        }
    }
}
