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
//! - no extra fields (but the ZIP64 sizes of a file of 4 GiB or more) and no comments;
//! - deflate at level 6 (zlib's and Info-ZIP's default) through flate2 with zlib-rs, whose
//!   output depends on the input, the level and the zlib-rs version only (not on the CPU's
//!   features or the number of threads); a file is stored rather than deflated when deflate
//!   would not shrink it, as Info-ZIP does: when its first 64 KiB look random (compressed media,
//!   archives, encrypted data), or, for files up to 8 MiB, when the deflated data is no smaller.
//!
//! What goes in is the plugin folder minus litter (bytecode, VCS folders, editor and OS files,
//! the marker files, a crate's `target/`), minus what is private by default (`.env` and
//! `.env.*` but `.env.example` and `.env.sample`, `.venv/`, `venv/`, `node_modules/`; a `!` line
//! in the plugin's own `.pluginignore` takes one back), and minus what `.gitignore` and
//! `.pluginignore` files exclude: those inside the plugin and, when the plugin is inside a git
//! repository, those from the repository's root down to the plugin, with the repository's
//! `.git/info/exclude`, as `cargo package` honours the repository it is in. A repository that
//! ignores the plugin folder itself does not count (cargo likewise ignores a repository that
//! does not track the package). The user's global git excludes never count: the package depends
//! on the files, not on the machine. Then a file that looks like a secret
//! ([`crate::package::secrets`]) is refused unless it is allowed by name.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, sync_channel};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use anyhow::Context;
use zip::write::{PreparedZipFile, SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::error::Error;
use crate::package::{read, secrets};
use crate::plugin::Plugin;
use crate::plugin::flavor::Flavor;

/// The deflate level: zlib's and Info-ZIP's default, a fair balance of size and speed.
pub(crate) const COMPRESSION_LEVEL: i64 = 6;

/// Files up to this size are compressed ahead, in parallel, into memory; larger ones are
/// deflated by the writer as it copies them from disk, while the threads go on with the files
/// after them.
const PARALLEL_MAX: u64 = 8 << 20;

/// How many bytes of small files may be compressed ahead of the writer at once, which bounds the
/// memory the parallel compression holds.
const AHEAD_BUDGET: u64 = 64 << 20;

/// What an entry costs the budget beyond its size, so thousands of tiny files do not all queue.
const ENTRY_COST: u64 = 16 << 10;

/// How much of a file's start [`looks_random`] judges it by.
const SAMPLE: usize = 64 << 10;

/// 1980-01-01 00:00:00 UTC and 2107-12-31 23:59:58 UTC: the range of a ZIP time stamp.
const ZIP_TIME_MIN: i64 = 315_532_800;
const ZIP_TIME_MAX: i64 = 4_354_819_198;

/// Prefix of the temporary file a package is written to before it is renamed into place.
const TEMP_PREFIX: &str = ".pluginkit-package-";

/// One file that goes into a package.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The path inside the plugin folder, `/`-separated.
    pub(crate) path: String,
    /// Where it is on disk.
    pub(crate) disk_path: PathBuf,
    pub(crate) size: u64,
    /// Whether any execute bit is set (stored as 0755 rather than 0644).
    pub(crate) executable: bool,
}

/// What a package of one plugin holds: decided before anything is written, so `--list` and the
/// real run agree.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) name: String,
    pub(crate) version: String,
    /// The entries, in the order they are written.
    pub(crate) entries: Vec<Entry>,
    /// What was left out by default (private files and folders), as paths inside the plugin,
    /// folders ending in `/`, sorted.
    pub(crate) left_out: Vec<String>,
    /// The `--allow-secret` paths that name no file of the package that looks like a secret.
    pub(crate) unused_allows: Vec<String>,
    /// The plugin folder as the user sees it, for messages.
    shown: String,
}

/// `NAME-VERSION.zip` for `plugin`, refusing a name or version that would not make a plain,
/// portable file name.
pub(crate) fn file_name(plugin: &Plugin) -> Result<String, Error> {
    let (name, version) = name_and_version(plugin)?;
    Ok(format!("{name}-{version}.zip"))
}

fn name_and_version(plugin: &Plugin) -> Result<(String, String), Error> {
    let name = plugin.name().to_owned();
    let version = plugin.metadata.version.clone().ok_or_else(|| {
        let hint = match plugin.flavor {
            // The pattern's loader needs no version; only a package does.
            Flavor::ClassBased => {
                "a package is named NAME-VERSION.zip: add `version = \"1.0.0\"` to class Info (a SemVer string literal)"
            }
            _ => "a package is named NAME-VERSION.zip: give the plugin a version",
        };
        Error::user_hint(format!("{} declares no version", plugin.manifest), hint)
    })?;
    check_file_name_part("name", &name)?;
    check_file_name_part("version", &version)?;
    Ok((name, version))
}

impl Plan {
    /// Decide what the package of `plugin`, read from `root`, holds, refusing a file that looks
    /// like a secret unless `allowed` names it (a path inside the plugin). (The package itself
    /// is never written inside the plugin: `ops::package` refuses that.)
    pub(crate) fn new(root: &Path, plugin: &Plugin, allowed: &[String]) -> Result<Plan, Error> {
        let (name, version) = name_and_version(plugin)?;
        let root = root.canonicalize().map_err(|e| {
            Error::caused(format!("cannot read the plugin folder {}", plugin.path), e)
        })?;
        let (entries, left_out) = collect(&root, &plugin.path, &name)?;
        let manifest = plugin
            .flavor
            .manifest_in(Some(&plugin.folder))
            .unwrap_or(std::borrow::Cow::Borrowed(plugin.flavor.manifest_file()));
        if !entries.iter().any(|e| e.path == manifest) {
            return Err(Error::user_hint(
                format!("the plugin's manifest, {manifest}, would be left out of the package"),
                "a .gitignore or .pluginignore (inside the plugin, or of the git repository it is in) excludes it; un-ignore it (e.g. `!/plugin.toml` in the plugin's .pluginignore)",
            ));
        }
        let unused_allows = refuse_secrets(&entries, allowed, &plugin.path)?;
        Ok(Plan {
            name,
            version,
            entries,
            left_out,
            unused_allows,
            shown: plugin.path.clone(),
        })
    }

    /// The entry names as they appear in the archive: `NAME/path`.
    pub(crate) fn entry_names(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|e| format!("{}/{}", self.name, e.path))
            .collect()
    }

    /// The bytes to be read and compressed.
    pub(crate) fn total_size(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }

    /// Write the package into a temporary file in `dir`, ready to be checked and then put in
    /// place with [`Built::persist`]. `progress` hears how many more input bytes were packed.
    pub(crate) fn build(
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
        let failed = || format!("cannot write the package into {}", dir.display());
        write(temp.as_file()).with_context(failed)?;
        let (size, sha256) = hash(temp.as_file_mut()).with_context(failed)?;
        Ok(Built { temp, size, sha256 })
    }

    /// Write every entry in order. A dispatcher thread hands the entries, in order, to rayon's
    /// threads, which read each file's first 64 KiB and then compress a small file into memory,
    /// or leave a large or incompressible one to be copied from disk (deflated or stored) by
    /// the writer, this thread, which takes the results in order. The memory the compressed
    /// files hold is bounded by [`AHEAD_BUDGET`]; the threads stay busy while the writer
    /// deflates a large file.
    fn write_entries<W: Write + Seek>(
        &self,
        zip: &mut ZipWriter<W>,
        time: DateTime,
        progress: &dyn Fn(u64),
    ) -> anyhow::Result<()> {
        let budget = Budget::default();
        let (to_writer, results) = mpsc::channel::<Receiver<io::Result<Packed>>>();
        std::thread::scope(|threads| {
            threads.spawn(|| {
                let to_writer = to_writer;
                rayon::in_place_scope_fifo(|jobs| {
                    for entry in &self.entries {
                        if !budget.take(reservation(entry)) {
                            break;
                        }
                        let (tx, rx) = sync_channel(1);
                        if to_writer.send(rx).is_err() {
                            break;
                        }
                        let budget = &budget;
                        jobs.spawn_fifo(move |_| {
                            if !budget.is_cancelled() {
                                let _ = tx.send(pack(&self.name, entry, time, budget));
                            }
                        });
                    }
                });
            });
            let written = self.write_in_order(zip, &results, &budget, time, progress);
            if written.is_err() {
                budget.cancel();
            }
            written
        })
    }

    /// The writer's half of [`Self::write_entries`].
    fn write_in_order<W: Write + Seek>(
        &self,
        zip: &mut ZipWriter<W>,
        results: &Receiver<Receiver<io::Result<Packed>>>,
        budget: &Budget,
        time: DateTime,
        progress: &dyn Fn(u64),
    ) -> anyhow::Result<()> {
        let mut buf = vec![0; 1 << 20];
        for entry in &self.entries {
            let failed = || format!("cannot pack {}", display_in(&self.shown, &entry.path));
            let packed = results
                .recv()
                .ok()
                .and_then(|result| result.recv().ok())
                .ok_or_else(|| anyhow::anyhow!("a compression thread stopped"))
                .with_context(failed)?
                .with_context(failed)?;
            match packed {
                Packed::Ready(prepared) => {
                    zip.add_prepared_file(prepared)?;
                    budget.give(reservation(entry));
                    progress(entry.size);
                }
                Packed::Copy { deflate } => {
                    budget.give(ENTRY_COST);
                    let name = format!("{}/{}", self.name, entry.path);
                    let mut file = File::open(&entry.disk_path).with_context(failed)?;
                    zip.start_file(name, entry_options(entry, time, deflate))?;
                    loop {
                        let n = file.read(&mut buf).with_context(failed)?;
                        if n == 0 {
                            break;
                        }
                        zip.write_all(&buf[..n])?;
                        progress(n as u64);
                    }
                }
            }
        }
        Ok(())
    }
}

/// What a compression thread made of one entry.
enum Packed {
    /// Compressed (or stored) in memory, ready to be copied into the archive.
    Ready(PreparedZipFile),
    /// To be copied from disk by the writer: a large file (deflated as it is copied), or one
    /// that does not compress (stored).
    Copy { deflate: bool },
}

/// How much of the [`Budget`] an entry takes while it waits for the writer: its size when it may
/// be held in memory, and a little for the bookkeeping.
fn reservation(entry: &Entry) -> u64 {
    ENTRY_COST
        + if entry.size <= PARALLEL_MAX {
            entry.size
        } else {
            0
        }
}

/// Read the start of one file and decide how it goes into the archive; compress a small one
/// into memory. It is stored rather than deflated when it looks random, or when deflating does
/// not make it smaller.
fn pack(plugin: &str, entry: &Entry, time: DateTime, budget: &Budget) -> io::Result<Packed> {
    let mut file = File::open(&entry.disk_path)?;
    let large = entry.size > PARALLEL_MAX;
    let mut data = Vec::with_capacity(if large {
        SAMPLE
    } else {
        entry.size as usize + 1
    });
    (&mut file).take(SAMPLE as u64).read_to_end(&mut data)?;
    let random = looks_random(&data);
    if random || large {
        // The writer copies it from disk: no memory is held for it until then.
        if !large {
            budget.give(entry.size);
        }
        return Ok(Packed::Copy { deflate: !random });
    }
    file.read_to_end(&mut data)?;
    let name = format!("{plugin}/{}", entry.path);
    let prepare = |deflate: bool| {
        let mut builder = ZipFileBuilder::new(&name, entry_options(entry, time, deflate))
            .map_err(io::Error::other)?;
        builder.write_all(&data)?;
        builder.finish().map_err(io::Error::other)
    };
    let deflated = prepare(true)?;
    if deflated.compressed_size() >= data.len() as u64 {
        return prepare(false).map(Packed::Ready);
    }
    Ok(Packed::Ready(deflated))
}

/// Bytes reserved by entries between the dispatcher and the writer, at most [`AHEAD_BUDGET`]:
/// what bounds the memory that compressed files waiting for the writer hold.
#[derive(Default)]
struct Budget {
    /// Bytes reserved, and whether the writer gave up.
    state: Mutex<(u64, bool)>,
    changed: Condvar,
}

impl Budget {
    fn lock(&self) -> MutexGuard<'_, (u64, bool)> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Wait until `bytes` fit (or nothing else is reserved); false once cancelled.
    fn take(&self, bytes: u64) -> bool {
        let mut state = self.lock();
        while !state.1 && state.0 > 0 && state.0 + bytes > AHEAD_BUDGET {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.0 += bytes;
        !state.1
    }

    fn give(&self, bytes: u64) {
        let mut state = self.lock();
        state.0 = state.0.saturating_sub(bytes);
        self.changed.notify_all();
    }

    fn cancel(&self) {
        self.lock().1 = true;
        self.changed.notify_all();
    }

    fn is_cancelled(&self) -> bool {
        self.lock().1
    }
}

/// A package written to a temporary file, not yet in place. Dropping it removes the file.
pub(crate) struct Built {
    temp: tempfile::NamedTempFile,
    pub(crate) size: u64,
    /// The sha256 of the whole file, lower-case hex.
    pub(crate) sha256: String,
}

impl Built {
    /// The temporary file, to check the package before it is put in place.
    pub(crate) fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Rename the package to `output`, replacing what is there, in one step: a reader sees the
    /// old file or the new one, never part of one.
    pub(crate) fn persist(self, output: &Path) -> anyhow::Result<()> {
        self.temp
            .persist(output)
            .map(drop)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", output.display()))
    }
}

/// The options of one entry: everything fixed but the permissions and whether it is deflated.
fn entry_options(entry: &Entry, time: DateTime, deflate: bool) -> SimpleFileOptions {
    const REGULAR_FILE: u32 = 0o100_000;
    let mode = if entry.executable { 0o755 } else { 0o644 };
    let (method, level) = if deflate {
        (CompressionMethod::Deflated, Some(COMPRESSION_LEVEL))
    } else {
        (CompressionMethod::Stored, None)
    };
    SimpleFileOptions::default()
        .compression_method(method)
        .compression_level(level)
        .last_modified_time(time)
        .system(System::Unix)
        // The Unix mode in the high half, with the file type, as Info-ZIP and Python write it.
        .external_attributes((REGULAR_FILE | mode) << 16)
        .large_file(entry.size >= u64::from(u32::MAX))
}

/// Whether `sample` (a file's first bytes) looks like data that deflate cannot shrink: images,
/// fonts and archives that are compressed already, encrypted or random data. The test is the
/// sample's collision entropy, -log2(sum p(b)^2) over its byte frequencies, of at least 7.8
/// bits per byte (8 is uniform), in integers so that every machine decides alike. Text and code
/// score 4 to 6, machine code and numeric data 5 to 7.
fn looks_random(sample: &[u8]) -> bool {
    // Below this a sample is too small to tell; deflate decides by trying.
    const MIN_SAMPLE: usize = 4096;
    if sample.len() < MIN_SAMPLE {
        return false;
    }
    let mut counts = [0u32; 256];
    for &byte in sample {
        counts[usize::from(byte)] += 1;
    }
    let n = sample.len() as u64;
    let collisions: u64 = counts.iter().map(|&c| u64::from(c) * u64::from(c)).sum();
    // entropy >= 7.8  <=>  n^2 / collisions >= 2^7.8 = 222.9
    collisions * 223 <= n * n
}

/// The size and sha256 of a file, read from its start.
fn hash(file: &mut File) -> io::Result<(u64, String)> {
    file.rewind()?;
    crate::util::hash::hash_reader(file)
}

/// The time stamp of every entry: 1980-01-01 00:00:00 (the earliest a ZIP can hold), or
/// `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC, as reproducible-builds.org defines it)
/// when it is set and not empty, clamped to the ZIP range.
pub(crate) fn timestamp(source_date_epoch: Option<&str>) -> Result<DateTime, Error> {
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
    let (year, month, day) = crate::util::time::civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    // Within the clamped range every part fits its type and is a valid date.
    let part = |v: i64| u8::try_from(v).unwrap_or(0);
    DateTime::from_date_and_time(
        u16::try_from(year).unwrap_or(1980),
        part(i64::from(month)),
        part(i64::from(day)),
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

/// Left out by default wherever they are, as private to the developer's machine: environment
/// files with their secrets (but the examples FBA plugins ship), virtualenvs and Node modules.
/// A `!` line in the plugin's own `.pluginignore` takes one back.
fn is_private(name: &str, is_dir: bool) -> bool {
    (is_dir && matches!(name, ".venv" | "venv" | "node_modules"))
        || name == ".env"
        || name
            .strip_prefix(".env.")
            .is_some_and(|rest| !matches!(rest, "example" | "sample"))
}

/// The git repository `root` is in: the nearest folder above it (or itself) holding `.git`.
fn repository_root(root: &Path) -> Option<&Path> {
    root.ancestors()
        .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
}

/// What goes into a package, sorted, and what was left out by default.
type Collected = (Vec<Entry>, Vec<String>);

/// List what goes into the package of the plugin at `root` (canonical), sorted, and what was
/// left out by default.
fn collect(root: &Path, shown: &str, name: &str) -> Result<Collected, Error> {
    if let Some(top) = repository_root(root)
        && let Some(found) = walk(root, top, shown, name)?
    {
        return Ok(found);
    }
    // Not in a repository, or the repository ignores the plugin folder: the plugin's own
    // ignore files only.
    walk(root, root, shown, name).map(Option::unwrap_or_default)
}

/// Walk from `top` (the plugin folder, or the repository it is in, whose ignore files then count)
/// down into the plugin folder `root` alone, in one walk. `None` when `top`'s ignore files
/// exclude the plugin folder itself.
fn walk(root: &Path, top: &Path, shown: &str, name: &str) -> Result<Option<Collected>, Error> {
    let plugin = name.to_owned();
    // What the plugin's own .pluginignore takes back of what is private by default.
    let taken_back = {
        let mut builder = ignore::gitignore::GitignoreBuilder::new(root);
        builder.add(root.join(".pluginignore"));
        // A broken file is reported by the walk below.
        builder
            .build()
            .unwrap_or_else(|_| ignore::gitignore::Gitignore::empty())
    };
    let left_out = std::sync::Arc::new(Mutex::new(Vec::new()));
    let reached = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(top == root));
    let mut walk = ignore::WalkBuilder::new(top);
    walk.standard_filters(false)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .add_custom_ignore_filename(".pluginignore")
        .follow_links(false)
        .filter_entry({
            let (root, left_out, reached) = (root.to_path_buf(), left_out.clone(), reached.clone());
            move |entry| {
                let path = entry.path();
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let Ok(rel) = path.strip_prefix(&root) else {
                    // Above the plugin: only the way down to it.
                    return is_dir && root.starts_with(path);
                };
                let depth = rel.components().count();
                if depth == 0 {
                    reached.store(true, std::sync::atomic::Ordering::Relaxed);
                    return true;
                }
                let name = entry.file_name().to_string_lossy();
                if is_litter(&name, is_dir) || depth == 1 && is_root_litter(&name, is_dir, &plugin)
                {
                    return false;
                }
                if is_private(&name, is_dir) && !taken_back.matched(path, is_dir).is_whitelist() {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    let shown = if is_dir { format!("{rel}/") } else { rel };
                    left_out
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(shown);
                    return false;
                }
                true
            }
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
        let path = entry.path();
        if !path.starts_with(root) || path == root {
            continue;
        }
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
            .map_err(|e| Error::caused(format!("cannot read {}", show(path)), e))?;
        let rel = relative_name(root, path).ok_or_else(|| {
            Error::user_hint(
                format!(
                    "{} has a name that cannot go into a package",
                    show(path).escape_debug()
                ),
                "package file names must be UTF-8 without `\\`; rename the file, or leave it out with a .pluginignore line",
            )
        })?;
        // What an install refuses (a `.pluginkit` name, a path too long or too deep) is refused
        // here, naming the file, rather than found in the package once it is built.
        if let Err(why) = read::check_name(&format!("{name}/{rel}")) {
            return Err(Error::user_hint(
                format!("{} {why}", show(path).escape_debug()),
                "installs refuse such a package: rename it, or leave it out with a .pluginignore line",
            ));
        }
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
    if !reached.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(None);
    }
    let mut left_out =
        std::mem::take(&mut *left_out.lock().unwrap_or_else(PoisonError::into_inner));
    left_out.sort_unstable();
    Ok(Some((entries, left_out)))
}

/// The files of the plugin at `root` that its package would hold and that look like secrets,
/// with why: what `package` refuses unless `--allow-secret` names them (`validate` warns about
/// them). The plugin is shown as `plugin.path`.
pub(crate) fn secrets(root: &Path, plugin: &Plugin) -> Result<Vec<(String, &'static str)>, Error> {
    let root = root
        .canonicalize()
        .map_err(|e| Error::caused(format!("cannot read the plugin folder {}", plugin.path), e))?;
    let (entries, _) = collect(&root, &plugin.path, plugin.name())?;
    Ok(judge_secrets(&entries, &plugin.path)?
        .into_iter()
        .map(|(path, why)| (path.to_owned(), why))
        .collect())
}

/// The entries that look like secrets ([`secrets::judge_file`]), with why, in order.
fn judge_secrets<'e>(
    entries: &'e [Entry],
    shown: &str,
) -> Result<Vec<(&'e str, &'static str)>, Error> {
    use rayon::prelude::*;
    entries
        .par_iter()
        .filter_map(
            |entry| match secrets::judge_file(&entry.path, &entry.disk_path) {
                Ok(None) => None,
                Ok(Some(why)) => Some(Ok((entry.path.as_str(), why))),
                Err(e) => Some(Err(Error::caused(
                    format!("cannot read {}", display_in(shown, &entry.path)),
                    e,
                ))),
            },
        )
        .collect()
}

/// Refuse the entries that look like secrets ([`secrets::judge_file`]) but those `allowed`
/// names (paths inside the plugin); the allowed paths that name none of them.
fn refuse_secrets(
    entries: &[Entry],
    allowed: &[String],
    shown: &str,
) -> Result<Vec<String>, Error> {
    let allowed: Vec<String> = allowed
        .iter()
        .map(|path| {
            let path = path.replace('\\', "/");
            path.trim_start_matches("./")
                .trim_end_matches('/')
                .to_owned()
        })
        .collect();
    let found = judge_secrets(entries, shown)?;
    let refused: Vec<_> = found
        .iter()
        .filter(|(path, _)| !allowed.iter().any(|a| a == path))
        .collect();
    if let Some((first, _)) = refused.first() {
        let list = refused
            .iter()
            .map(|(path, why)| format!("{} ({why})", display_in(shown, path)))
            .collect::<Vec<_>>()
            .join(", ");
        let (message, them) = if refused.len() == 1 {
            (
                format!("{list} looks like a secret, so nothing was packaged"),
                "it",
            )
        } else {
            (
                format!(
                    "{} files look like secrets, so nothing was packaged: {list}",
                    refused.len()
                ),
                "them",
            )
        };
        return Err(Error::user_hint(
            message,
            format!(
                "leave {them} out with a line in the plugin's .pluginignore (e.g. `/{first}`), or, if {them} must ship, pass --allow-secret {first} (once per file)"
            ),
        ));
    }
    Ok(allowed
        .into_iter()
        .filter(|a| !found.iter().any(|(path, _)| path == a))
        .collect())
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

    #[test]
    fn private_by_default() {
        for (name, is_dir) in [
            (".env", false),
            (".env", true),
            (".env.local", false),
            (".env.production", false),
            (".venv", true),
            ("venv", true),
            ("node_modules", true),
        ] {
            assert!(is_private(name, is_dir), "{name}");
        }
        for (name, is_dir) in [
            (".env.example", false),
            (".env.sample", false),
            ("venv", false),
            ("node_modules", false),
            (".envrc", false),
            ("env", true),
        ] {
            assert!(!is_private(name, is_dir), "{name}");
        }
    }
}
