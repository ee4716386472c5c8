//! Building a plugin package: the ZIP file that `pluginkit package` writes, `pluginkit add`
//! installs and a registry serves. The same plugin folder gives the same bytes, and so the same
//! sha256, on every run and every machine:
//!
//! - every entry is `NAME/<path>` (the layout FBA's ZIP install expects), in byte order of the
//!   `/`-joined path; folders are not stored as entries (unpackers create them from the file
//!   paths), so an empty folder is not packaged;
//! - every entry carries the same time stamp: 1980-01-01 00:00:00, or `SOURCE_DATE_EPOCH` (UTC,
//!   clamped to what a ZIP can hold, rounded down to even seconds);
//! - permissions are normalised to 0644, or 0755 for a file with any execute bit; the entries
//!   say they were made on Unix, wherever they were made;
//! - no extra fields and no comments; deflate at level 6 (zip's and zlib's default) through
//!   flate2 with zlib-rs, whose output depends on the input and the level only (not on the CPU's
//!   features or the number of threads).
//!
//! What goes in is the plugin folder minus litter (bytecode, VCS folders, editor and OS files,
//! the marker files, a crate's `target/`) and minus what `.gitignore` and `.pluginignore` files
//! inside the plugin exclude. Ignore files above the plugin folder, the user's global git
//! excludes and `.git/info/exclude` do not count: the package depends on the folder alone.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};

use anyhow::Context;
use sha2::{Digest, Sha256};
use zip::write::{PreparedZipFile, SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::error::Error;
use crate::plugin::Plugin;

/// The deflate level: zlib's and Info-ZIP's default, a fair balance of size and speed.
pub const COMPRESSION_LEVEL: i64 = 6;

/// Files up to this size are compressed ahead, in parallel, into memory; larger ones are
/// streamed from disk into the archive.
const PARALLEL_MAX: u64 = 8 << 20;

/// How many bytes of input may be compressed ahead of the writer at once, which bounds the
/// memory the parallel compression holds.
const AHEAD_BUDGET: u64 = 64 << 20;

/// What an entry costs the budget beyond its size, so thousands of tiny files do not all queue.
const ENTRY_COST: u64 = 16 << 10;

/// 1980-01-01 00:00:00 UTC and 2107-12-31 23:59:58 UTC: the range of a ZIP time stamp.
const ZIP_TIME_MIN: i64 = 315_532_800;
const ZIP_TIME_MAX: i64 = 4_354_819_198;

/// Prefix of the temporary file a package is written to before it is renamed into place.
const TEMP_PREFIX: &str = ".pluginkit-package-";

/// One file that goes into a package.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The path inside the plugin folder, `/`-separated.
    pub path: String,
    /// Where it is on disk.
    pub disk_path: PathBuf,
    pub size: u64,
    /// Whether any execute bit is set (stored as 0755 rather than 0644).
    pub executable: bool,
}

/// What a package of one plugin holds: decided before anything is written, so `--list` and the
/// real run agree.
#[derive(Debug)]
pub struct Plan {
    pub name: String,
    pub version: String,
    /// The entries, in the order they are written.
    pub entries: Vec<Entry>,
}

/// `NAME-VERSION.zip` for `plugin`, refusing a name or version that would not make a plain,
/// portable file name.
pub fn file_name(plugin: &Plugin) -> Result<String, Error> {
    let (name, version) = name_and_version(plugin)?;
    Ok(format!("{name}-{version}.zip"))
}

fn name_and_version(plugin: &Plugin) -> Result<(String, String), Error> {
    let name = plugin.name().to_owned();
    let version = plugin.metadata.version.clone().ok_or_else(|| {
        Error::user_hint(
            format!("{} declares no version", plugin.manifest),
            "a package is named NAME-VERSION.zip: give the plugin a version",
        )
    })?;
    check_file_name_part("name", &name)?;
    check_file_name_part("version", &version)?;
    Ok((name, version))
}

impl Plan {
    /// Decide what the package of `plugin`, read from `root`, holds. `output` is where the
    /// package will be written: when that is inside the plugin folder, it does not go in.
    pub fn new(root: &Path, plugin: &Plugin, output: Option<&Path>) -> Result<Plan, Error> {
        let (name, version) = name_and_version(plugin)?;
        let root = root.canonicalize().map_err(|e| {
            Error::user(format!(
                "cannot read the plugin folder {}: {e}",
                plugin.path
            ))
        })?;
        // Compared with the walk's paths, which start from the canonical root.
        let output = output.and_then(|o| {
            let parent = o.parent()?.canonicalize().ok()?;
            Some(parent.join(o.file_name()?))
        });
        let mut entries = collect(&root, &plugin.path, &name)?;
        if let Some(output) = &output
            && let Some(at) = entries.iter().position(|e| &e.disk_path == output)
        {
            // Last run's package is replaced; any other file of the plugin is the user's.
            if !entries[at].path.to_ascii_lowercase().ends_with(".zip") {
                return Err(Error::user_hint(
                    format!(
                        "the package would overwrite {}, one of the plugin's own files",
                        display_in(&plugin.path, &entries[at].path)
                    ),
                    "write the package elsewhere with -o",
                ));
            }
            entries.remove(at);
        }
        let manifest = plugin.flavor.manifest_file();
        if !entries.iter().any(|e| e.path == manifest) {
            return Err(Error::user_hint(
                format!("the plugin's manifest, {manifest}, would be left out of the package"),
                "a .gitignore or .pluginignore inside the plugin excludes it; un-ignore it (e.g. `!/plugin.toml` in .pluginignore)",
            ));
        }
        Ok(Plan {
            name,
            version,
            entries,
        })
    }

    /// `NAME-VERSION.zip`.
    pub fn file_name(&self) -> String {
        format!("{}-{}.zip", self.name, self.version)
    }

    /// The entry names as they appear in the archive: `NAME/path`.
    pub fn entry_names(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|e| format!("{}/{}", self.name, e.path))
            .collect()
    }

    /// The bytes to be read and compressed.
    pub fn total_size(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }

    /// Write the package into a temporary file in `dir`, ready to be checked and then put in
    /// place with [`Built::persist`]. `progress` hears how many more input bytes were packed.
    pub fn build(
        &self,
        dir: &Path,
        time: DateTime,
        progress: &dyn Fn(u64),
    ) -> anyhow::Result<Built> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX).suffix(".tmp");
        // Created 0666 minus the umask, like any file the user makes, rather than tempfile's
        // private 0600: the package is meant to be shared.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut temp = builder
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        let write = |file: &File| -> anyhow::Result<()> {
            let mut zip = ZipWriter::new(BufWriter::with_capacity(256 << 10, file));
            self.write_entries(&mut zip, time, progress)?;
            zip.finish()?.flush()?;
            Ok(())
        };
        write(temp.as_file()).with_context(|| format!("cannot write {}", temp.path().display()))?;
        let (size, sha256) = hash(temp.as_file_mut())
            .with_context(|| format!("cannot read back {}", temp.path().display()))?;
        Ok(Built { temp, size, sha256 })
    }

    /// Write every entry in order. Small files are compressed on rayon's threads, in order and at
    /// most [`AHEAD_BUDGET`] bytes ahead of the writer; each is then copied into the archive as
    /// compressed. A large file is compressed while it is written, streamed from disk, while the
    /// threads go on with the small files after it.
    fn write_entries<W: Write + Seek>(
        &self,
        zip: &mut ZipWriter<W>,
        time: DateTime,
        progress: &dyn Fn(u64),
    ) -> anyhow::Result<()> {
        let cost = |e: &Entry| e.size + ENTRY_COST;
        let cancelled = Arc::new(AtomicBool::new(false));
        // Stop the compression still queued when the writer gives up.
        struct Cancel(Arc<AtomicBool>);
        impl Drop for Cancel {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let _cancel = Cancel(Arc::clone(&cancelled));

        let mut queued: VecDeque<Receiver<io::Result<PreparedZipFile>>> = VecDeque::new();
        let mut next = 0;
        let mut ahead = 0;
        for (index, entry) in self.entries.iter().enumerate() {
            while let Some(upcoming) = self.entries.get(next) {
                let small = upcoming.size <= PARALLEL_MAX;
                if small && next > index && ahead + cost(upcoming) > AHEAD_BUDGET {
                    break;
                }
                if small {
                    let (tx, rx) = sync_channel(1);
                    let name = format!("{}/{}", self.name, upcoming.path);
                    let options = entry_options(upcoming, time);
                    let disk_path = upcoming.disk_path.clone();
                    let cancelled = Arc::clone(&cancelled);
                    rayon::spawn_fifo(move || {
                        if !cancelled.load(Ordering::Relaxed) {
                            let _ = tx.send(compress(&name, &disk_path, options));
                        }
                    });
                    queued.push_back(rx);
                    ahead += cost(upcoming);
                }
                next += 1;
            }

            let shown = || format!("cannot pack {}", entry.disk_path.display());
            if entry.size <= PARALLEL_MAX {
                let prepared = queued
                    .pop_front()
                    .and_then(|rx| rx.recv().ok())
                    .ok_or_else(|| anyhow::anyhow!("a compression thread stopped"))
                    .with_context(shown)?
                    .with_context(shown)?;
                zip.add_prepared_file(prepared)?;
                ahead -= cost(entry);
            } else {
                let name = format!("{}/{}", self.name, entry.path);
                let options =
                    entry_options(entry, time).large_file(entry.size >= u64::from(u32::MAX));
                zip.start_file(name, options)?;
                let mut file = File::open(&entry.disk_path).with_context(shown)?;
                let mut buf = vec![0; 1 << 20];
                loop {
                    let n = file.read(&mut buf).with_context(shown)?;
                    if n == 0 {
                        break;
                    }
                    zip.write_all(&buf[..n])?;
                    progress(n as u64);
                }
                continue;
            }
            progress(entry.size);
        }
        Ok(())
    }
}

/// A package written to a temporary file, not yet in place. Dropping it removes the file.
pub struct Built {
    temp: tempfile::NamedTempFile,
    pub size: u64,
    /// The sha256 of the whole file, lower-case hex.
    pub sha256: String,
}

impl Built {
    /// The temporary file, to check the package before it is put in place.
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Rename the package to `output`, replacing what is there, in one step: a reader sees the
    /// old file or the new one, never part of one.
    pub fn persist(self, output: &Path) -> anyhow::Result<()> {
        self.temp
            .persist(output)
            .map(drop)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", output.display()))
    }
}

/// The options of one entry: everything fixed but the permissions.
fn entry_options(entry: &Entry, time: DateTime) -> SimpleFileOptions {
    const REGULAR_FILE: u32 = 0o100_000;
    let mode = if entry.executable { 0o755 } else { 0o644 };
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(COMPRESSION_LEVEL))
        .last_modified_time(time)
        .system(System::Unix)
        // The Unix mode in the high half, with the file type, as Info-ZIP and Python write it.
        .external_attributes((REGULAR_FILE | mode) << 16)
}

/// Compress one file into memory, read whole (it is at most [`PARALLEL_MAX`] bytes).
fn compress(name: &str, path: &Path, options: SimpleFileOptions) -> io::Result<PreparedZipFile> {
    let data = std::fs::read(path)?;
    let mut builder = ZipFileBuilder::new(name, options).map_err(io::Error::other)?;
    builder.write_all(&data)?;
    builder.finish().map_err(io::Error::other)
}

/// The size and sha256 of a file, read from its start.
fn hash(file: &mut File) -> io::Result<(u64, String)> {
    file.rewind()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 20];
    let mut size = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex(&hasher.finalize())))
}

/// Lower-case hex (sha2 0.11's digests do not format with `{:x}`).
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The time stamp of every entry: 1980-01-01 00:00:00 (the earliest a ZIP can hold), or
/// `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC, as reproducible-builds.org defines it)
/// when it is set and not empty, clamped to the ZIP range.
pub fn timestamp(source_date_epoch: Option<&str>) -> Result<DateTime, Error> {
    let seconds = match source_date_epoch.map(str::trim).filter(|s| !s.is_empty()) {
        None => ZIP_TIME_MIN,
        Some(text) => {
            let digits = text.strip_prefix('-').unwrap_or(text);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::user_hint(
                    format!(
                        "SOURCE_DATE_EPOCH is `{text}`, not a number of seconds since 1970-01-01 UTC"
                    ),
                    "unset it, or set it to e.g. the last commit's time: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)",
                ));
            }
            // Too many digits for an i64 is past the ZIP range either way.
            let far = if text.starts_with('-') {
                i64::MIN
            } else {
                i64::MAX
            };
            text.parse::<i64>().unwrap_or(far)
        }
    };
    let seconds = seconds.clamp(ZIP_TIME_MIN, ZIP_TIME_MAX);
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    // Within the clamped range every part fits its type and is a valid date.
    let part = |v: i64| u8::try_from(v).unwrap_or(0);
    DateTime::from_date_and_time(
        u16::try_from(year).unwrap_or(1980),
        part(month),
        part(day),
        part(of_day / 3600),
        part(of_day % 3600 / 60),
        part(of_day % 60),
    )
    .map_err(|_| {
        Error::user(format!(
            "SOURCE_DATE_EPOCH {seconds} is outside the ZIP range"
        ))
    })
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`). Written out because the zip crate takes a calendar date and std has no
/// calendar; the `time` and `chrono` crates would be a dependency for ten lines.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A plugin name or version becomes a file name (`NAME-VERSION.zip`) and a folder in the archive
/// (`NAME/`): refuse what would not be a plain, portable file name.
fn check_file_name_part(what: &str, value: &str) -> Result<(), Error> {
    let why = if value.is_empty() {
        Some("is empty".to_owned())
    } else if value.len() > 100 {
        Some("is longer than 100 characters".to_owned())
    } else if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+')))
    {
        Some(format!("contains `{}`", c.escape_debug()))
    } else if value.starts_with(['.', '-']) {
        Some("starts with `.` or `-`".to_owned())
    } else if value.contains("..") {
        Some("contains `..`".to_owned())
    } else if what == "name" && is_windows_device(value) {
        Some("is a device name on Windows".to_owned())
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::user_hint(
            format!(
                "the plugin's {what} `{}` {why}, so it cannot name a package file",
                value.escape_debug()
            ),
            format!(
                "a package is NAME-VERSION.zip: give the plugin a {what} made of letters, digits, `_`, `-`, `.` and `+`"
            ),
        )),
        None => Ok(()),
    }
}

fn is_windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit())
}

/// Left out wherever they are: bytecode, VCS folders, tool caches, editor and OS files.
fn is_litter(name: &str, is_dir: bool) -> bool {
    if is_dir {
        matches!(
            name,
            "__pycache__"
                | ".git"
                | ".hg"
                | ".svn"
                | ".idea"
                | ".vscode"
                | ".pytest_cache"
                | ".mypy_cache"
                | ".ruff_cache"
        )
    } else {
        matches!(name, ".git" | ".DS_Store" | "Thumbs.db")
            || name.ends_with(".pyc")
            || name.ends_with(".pyo")
            || name.ends_with(".swp")
            || name.ends_with(".swo")
            || name.ends_with('~')
            || name.starts_with(TEMP_PREFIX)
    }
}

/// Left out at the plugin's root only: the marker files (the installed state is the installer's
/// to decide), a crate's build folder, and earlier packages of this plugin (`NAME-*.zip`, which
/// `pluginkit package` run inside the plugin folder writes there). A folder named `target`
/// deeper down is the plugin's own.
fn is_root_litter(name: &str, is_dir: bool, plugin: &str) -> bool {
    if is_dir {
        name == "target"
    } else {
        matches!(name, "ENABLED" | "DISABLED")
            || name
                .strip_prefix(plugin)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|rest| rest.ends_with(".zip"))
    }
}

/// Walk the plugin folder and list what goes in, sorted.
fn collect(root: &Path, shown: &str, name: &str) -> Result<Vec<Entry>, Error> {
    let plugin = name.to_owned();
    let mut walk = ignore::WalkBuilder::new(root);
    walk.standard_filters(false)
        .hidden(false)
        .git_ignore(true)
        .require_git(false)
        .add_custom_ignore_filename(".pluginignore")
        .follow_links(false)
        .filter_entry(move |entry| {
            let name = entry.file_name().to_string_lossy();
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_litter(&name, is_dir)
                || entry.depth() == 1 && is_root_litter(&name, is_dir, &plugin))
        });
    let show = |path: &Path| match path.strip_prefix(root) {
        Ok(rel) => display_in(shown, &rel.to_string_lossy()),
        Err(_) => path.display().to_string(),
    };

    let mut entries = Vec::new();
    for item in walk.build() {
        let entry = item.map_err(|e| walk_error(&e, root, shown))?;
        // A broken ignore file: refuse rather than guess, since a rule that does not apply could
        // put a secret into the package.
        if let Some(e) = entry.error() {
            return Err(walk_error(e, root, shown));
        }
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_symlink() {
            return Err(Error::user_hint(
                format!("{} is a symbolic link", show(path)),
                "packages hold only regular files, and installs refuse links: replace it with the file it points to, or leave it out with a .pluginignore line",
            ));
        }
        if !file_type.is_file() {
            return Err(Error::user_hint(
                format!("{} is not a regular file", show(path)),
                "packages hold only regular files: leave it out with a .pluginignore line",
            ));
        }
        let metadata = entry
            .metadata()
            .map_err(|e| Error::user(format!("cannot read {}: {e}", show(path))))?;
        let rel = relative_name(root, path).ok_or_else(|| {
            Error::user_hint(
                format!(
                    "{} has a name that cannot go into a package",
                    show(path).escape_debug()
                ),
                "package file names must be UTF-8 without `\\`; rename the file, or leave it out with a .pluginignore line",
            )
        })?;
        entries.push(Entry {
            path: rel,
            disk_path: path.to_path_buf(),
            size: metadata.len(),
            executable: is_executable(&metadata),
        });
    }
    entries.sort_unstable_by(|a, b| a.path.cmp(&b.path));

    // Installs refuse names that differ only in case (they collide on macOS and Windows).
    let mut folded: HashMap<String, &str> = HashMap::new();
    for entry in &entries {
        if let Some(other) = folded.insert(entry.path.to_lowercase(), &entry.path) {
            return Err(Error::user_hint(
                format!(
                    "{} and {} differ only in case",
                    show(&root.join(other)),
                    show(&entry.disk_path)
                ),
                "installs refuse such packages, since the names collide on macOS and Windows: rename one",
            ));
        }
    }
    Ok(entries)
}

fn walk_error(error: &ignore::Error, root: &Path, shown: &str) -> Error {
    // The ignore crate's messages hold absolute paths; show them as the user gave the plugin.
    let root = format!("{}/", root.to_string_lossy());
    let message = error.to_string().replace(&root, &display_in(shown, ""));
    Error::user_hint(
        format!("cannot list the plugin's files: {message}"),
        "check the permissions of the plugin's files, and the patterns in its .gitignore and .pluginignore files",
    )
}

/// A path inside the plugin as the user should see it, `base` being how the plugin folder is shown
/// (empty or `.` for the working folder).
fn display_in(base: &str, rel: &str) -> String {
    let base = base.trim_end_matches('/');
    let rel = rel.replace('\\', "/");
    if base.is_empty() || base == "." {
        rel
    } else {
        format!("{base}/{rel}")
    }
}

/// `path` under `root` as a `/`-joined archive name, when every part is UTF-8 without `\`.
fn relative_name(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel
        .components()
        .map(|c| c.as_os_str().to_str().filter(|s| !s.contains('\\')))
        .collect();
    Some(parts?.join("/"))
}

#[cfg(unix)]
fn is_executable(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o111 != 0
}

/// Windows has no execute bits: every file is 0644.
#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_default_clamp_and_round_down() {
        let at = |s: Option<&str>| {
            let t = timestamp(s).unwrap();
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
            )
        };
        assert_eq!(at(None), (1980, 1, 1, 0, 0, 0));
        assert_eq!(at(Some("")), (1980, 1, 1, 0, 0, 0));
        assert_eq!(at(Some("0")), (1980, 1, 1, 0, 0, 0));
        assert_eq!(at(Some("-5")), (1980, 1, 1, 0, 0, 0));
        // 2024-02-29 12:34:57 UTC, rounded down to an even second.
        assert_eq!(at(Some("1709210097")), (2024, 2, 29, 12, 34, 56));
        assert_eq!(at(Some("99999999999999999999")), (2107, 12, 31, 23, 59, 58));
        assert!(timestamp(Some("yesterday")).is_err());
        assert!(timestamp(Some("12.5")).is_err());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(3652), (1980, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn unsafe_names_and_versions_are_refused() {
        for bad in [
            "", "../x", "a/b", "a\\b", ".hidden", "-x", "a b", "é", "con", "LPT1",
        ] {
            assert!(check_file_name_part("name", bad).is_err(), "{bad:?}");
        }
        for good in ["hello", "Hello_World", "my-plugin", "notice"] {
            assert!(check_file_name_part("name", good).is_ok(), "{good:?}");
        }
        for good in ["1.0.0", "1.0.0-beta.1+build.5"] {
            assert!(check_file_name_part("version", good).is_ok(), "{good:?}");
        }
        assert!(check_file_name_part("version", "1.0/../../x").is_err());
    }

    #[test]
    fn litter() {
        assert!(is_litter("__pycache__", true));
        assert!(is_litter("x.pyc", false));
        assert!(is_litter("notes.txt~", false));
        assert!(!is_litter("__pycache__", false));
        assert!(is_root_litter("hello-1.0.0.zip", false, "hello"));
        assert!(!is_root_litter("hello.zip", false, "hello"));
        assert!(!is_root_litter("helloworld-1.0.0.zip", false, "hello"));
        assert!(is_root_litter("target", true, "hello"));
        assert!(!is_root_litter("target", false, "hello"));
    }
}
