//! Helpers for the install tests (tests/it/install*.rs): a host in a temp folder, plugin packages
//! built in memory, hand-written ZIP archives for what the zip crate will not write, and a
//! snapshot of everything an install may change.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use super::{Pluginkit, TestContext};

/// A host: a folder with `pluginkit.toml`, its plugins in `plugins/`, in a test's
/// [`TestContext`], through which pluginkit runs in it.
pub struct Host {
    context: TestContext,
    root: PathBuf,
}

impl Host {
    /// A host in a new test context's root.
    pub fn new() -> Host {
        let context = TestContext::new();
        let root = context.root().to_path_buf();
        Host::at(&context, &root)
    }

    /// A host in `root` (created), in `context`: several hosts of one test share its home and
    /// its download cache.
    pub fn at(context: &TestContext, root: &Path) -> Host {
        std::fs::create_dir_all(root).expect("create the host's folder");
        std::fs::write(
            root.join("pluginkit.toml"),
            "# the host\n[host]\nplugins-dir = \"plugins\"\n",
        )
        .expect("write pluginkit.toml");
        Host {
            context: context.clone(),
            root: root.to_path_buf(),
        }
    }

    pub fn context(&self) -> &TestContext {
        &self.context
    }

    /// pluginkit, to run in the host's root.
    pub fn pluginkit(&self) -> Pluginkit {
        self.context.pluginkit().current_dir(&self.root)
    }

    /// Run `pluginkit ARGS` in the host's root: (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.pluginkit().args(args).run()
    }

    /// Run in the host's root, and render the outcome for a snapshot.
    pub fn run_snapshot(&self, args: &[&str]) -> String {
        self.pluginkit().args(args).output().snapshot()
    }

    /// Run in the host's root and parse stdout as JSON: (exit code, document).
    pub fn run_json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        self.pluginkit().args(args).run_json()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn plugins(&self) -> PathBuf {
        self.root().join("plugins")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Write `bytes` to `rel` under the host root.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// The names in `pluginkit.lock`, with their versions, in file order.
    pub fn locked(&self) -> Vec<(String, String)> {
        locked(self.root())
    }

    /// The `.pluginkit-staging-*` folders in the plugins folder.
    pub fn staging(&self) -> Vec<String> {
        names_with_prefix(&self.plugins(), ".pluginkit-staging-")
    }

    /// The backups of `name`, oldest first, as `restore --list` would order them.
    pub fn backups(&self, name: &str) -> Vec<PathBuf> {
        let dir = self.path(".pluginkit/backups").join(name);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        found.sort_by_key(|p| {
            let id = p.file_name().unwrap().to_string_lossy().into_owned();
            match id.split_once('-') {
                Some((stamp, n)) => (stamp.to_owned(), n.parse::<u64>().unwrap_or(0)),
                None => (id, 0),
            }
        });
        found
    }
}

/// The `[[plugin]]` entries of `root/pluginkit.lock` as (name, version).
pub fn locked(root: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(root.join("pluginkit.lock")) else {
        return Vec::new();
    };
    let doc: toml::Table = text.parse().expect("pluginkit.lock is TOML");
    doc.get("plugin")
        .and_then(|p| p.as_array())
        .map(|plugins| {
            plugins
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().expect("a name").to_owned(),
                        p.get("version")
                            .and_then(|v| v.as_str())
                            .unwrap_or_default()
                            .to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn names_with_prefix(dir: &Path, prefix: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(prefix))
                .collect()
        })
        .unwrap_or_default()
}

/// What a snapshot records of one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
    Other,
}

/// Every path under `dir` (relative, `/`-separated) with its type and contents.
pub fn tree(dir: &Path) -> BTreeMap<String, Node> {
    fn walk(root: &Path, rel: &Path, out: &mut BTreeMap<String, Node>) {
        let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let rel = rel.join(entry.file_name());
            let shown = rel.to_string_lossy().into_owned();
            let kind = entry.file_type().expect("file type");
            if kind.is_symlink() {
                out.insert(
                    shown,
                    Node::Link(std::fs::read_link(entry.path()).expect("readlink")),
                );
            } else if kind.is_dir() {
                out.insert(shown, Node::Dir);
                walk(root, &rel, out);
            } else if kind.is_file() {
                out.insert(
                    shown,
                    Node::File(std::fs::read(entry.path()).expect("read")),
                );
            } else {
                out.insert(shown, Node::Other);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, Path::new(""), &mut out);
    out
}

/// The plugins folder (or `None` when there is none), `pluginkit.toml` and `pluginkit.lock`,
/// byte for byte.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub plugins: Option<BTreeMap<String, Node>>,
    pub host_toml: Option<Vec<u8>>,
    pub lock: Option<Vec<u8>>,
}

pub fn snapshot(host: &Host) -> Snapshot {
    Snapshot {
        plugins: host.plugins().is_dir().then(|| tree(&host.plugins())),
        host_toml: std::fs::read(host.path("pluginkit.toml")).ok(),
        lock: std::fs::read(host.path("pluginkit.lock")).ok(),
    }
}

// ---------------------------------------------------------------------------------------------
// Packages

pub type Zip = ZipWriter<Cursor<Vec<u8>>>;

pub fn manifest(name: &str, version: &str) -> String {
    format!(
        "[plugin]\nname = \"{name}\"\nversion = \"{version}\"\nsummary = \"The {name} plugin\"\nauthor = \"Ada <ada@example.com>\"\nlicense = \"MIT\"\n"
    )
}

pub fn add_file(zip: &mut Zip, name: &str, bytes: &[u8]) {
    zip.start_file(name, SimpleFileOptions::default())
        .expect("start a file");
    zip.write_all(bytes).expect("write a file");
}

/// A native plugin package `name/...` of `version`, plus whatever `extra` adds.
pub fn package(name: &str, version: &str, extra: impl FnOnce(&mut Zip)) -> Vec<u8> {
    zip_of(|zip| {
        add_file(
            zip,
            &format!("{name}/plugin.toml"),
            manifest(name, version).as_bytes(),
        );
        add_file(zip, &format!("{name}/README.md"), b"# A plugin\n");
        extra(zip);
    })
}

pub fn zip_of(entries: impl FnOnce(&mut Zip)) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    entries(&mut zip);
    zip.finish().expect("finish the zip").into_inner()
}

/// The files of a plugin of `version` with `count` data files, each saying which version it
/// belongs to: a folder holding a mix of two versions is then easy to tell.
pub fn versioned_files(name: &str, version: &str, count: usize) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(
        "plugin.toml".to_owned(),
        manifest(name, version).into_bytes(),
    );
    files.insert(
        "README.md".to_owned(),
        format!("# {name} {version}\n").into_bytes(),
    );
    for i in 0..count {
        files.insert(
            format!("data/file{i:03}.txt"),
            format!("{name} {version} file {i}\n")
                .repeat(20)
                .into_bytes(),
        );
    }
    files
}

/// A package of those files under `name/`.
pub fn package_files(name: &str, files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    zip_of(|zip| {
        for (rel, bytes) in files {
            add_file(zip, &format!("{name}/{rel}"), bytes);
        }
    })
}

/// The installed files of a plugin folder, leaving out the state markers.
pub fn installed_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir)
        .into_iter()
        .filter_map(|(rel, node)| match node {
            Node::File(bytes) if rel != "ENABLED" && rel != "DISABLED" => Some((rel, bytes)),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Hand-written archives, for headers that lie and entries that share data

/// One entry of a [`RawZip`].
pub struct RawEntry {
    pub name: Vec<u8>,
    /// 0 stored, 8 deflated, or anything else for an unsupported method.
    pub method: u16,
    pub flags: u16,
    /// The bytes as stored (already compressed).
    pub data: Vec<u8>,
    /// What the headers declare.
    pub size: u32,
    pub crc: u32,
    /// Unix mode, in the upper 16 bits of the external attributes.
    pub mode: u32,
    /// Point the central header at another entry's local header (entries sharing data).
    pub same_data_as: Option<usize>,
}

impl RawEntry {
    /// A stored entry whose headers tell the truth.
    pub fn stored(name: &str, data: &[u8]) -> RawEntry {
        RawEntry {
            name: name.as_bytes().to_vec(),
            method: 0,
            flags: 0x0800,
            data: data.to_vec(),
            size: data.len() as u32,
            crc: crc32(data),
            mode: 0o100644,
            same_data_as: None,
        }
    }
}

/// A ZIP archive written byte by byte: local headers and data, the central directory, the end
/// record. Only what the tests need (no ZIP64).
pub fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for entry in entries {
        if entry.same_data_as.is_some() {
            offsets.push(0);
            continue;
        }
        offsets.push(out.len() as u32);
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&entry.flags.to_le_bytes());
        out.extend_from_slice(&entry.method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]); // 1980-01-01 00:00
        out.extend_from_slice(&entry.crc.to_le_bytes());
        out.extend_from_slice(&(entry.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&entry.size.to_le_bytes());
        out.extend_from_slice(&(entry.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        out.extend_from_slice(&entry.name);
        out.extend_from_slice(&entry.data);
    }
    let central = out.len() as u32;
    for (i, entry) in entries.iter().enumerate() {
        let (offset, data_of) = match entry.same_data_as {
            Some(j) => (offsets[j], &entries[j]),
            None => (offsets[i], entry),
        };
        out.extend_from_slice(b"PK\x01\x02");
        out.extend_from_slice(&(0x0300u16 | 20).to_le_bytes()); // made by Unix
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&entry.flags.to_le_bytes());
        out.extend_from_slice(&entry.method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]);
        out.extend_from_slice(&entry.crc.to_le_bytes());
        out.extend_from_slice(&(data_of.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&entry.size.to_le_bytes());
        out.extend_from_slice(&(entry.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        out.extend_from_slice(&(entry.mode << 16).to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&entry.name);
    }
    let size = out.len() as u32 - central;
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&central.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// CRC-32 (IEEE), bit by bit: the tests' archives are small.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A raw deflate stream that inflates to `len` zero bytes (one literal, then copies of 258 bytes
/// at distance 1, in fixed Huffman codes: 13 bits per 258 bytes), made without compressing
/// anything, so a test can build a gigabyte's worth in milliseconds. `len` is rounded down to
/// 1 + a multiple of 258.
pub fn deflated_zeros(len: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, count: u32) {
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code goes in most significant bit first.
        fn code(&mut self, code: u64, count: u32) {
            let reversed = (0..count).fold(0, |r, i| r | ((code >> i) & 1) << (count - 1 - i));
            self.put(reversed, count);
        }
    }
    let copies = len.saturating_sub(1) / 258;
    let mut bits = Bits {
        out: Vec::with_capacity((copies * 13 / 8 + 16) as usize),
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed Huffman codes
    bits.code(0x30, 8); // literal 0
    for _ in 0..copies {
        // Length 258 (code 285, 11000101) then distance 1 (code 0, 00000), bits reversed.
        bits.put(0b1010_0011, 13);
    }
    bits.code(0, 7); // end of block
    bits.put(0, 7);
    bits.out
}
