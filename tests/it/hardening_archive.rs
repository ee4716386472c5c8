//! Issue 14's archive and name items: what a hostile package, source or name can no longer do.
//! A ZIP "path bomb" is refused in little memory and time, and a deep tree within the limits
//! costs memory by its names' length, not their depth; `validate` and `registry publish` read
//! every entry, refusing what `add` refuses; pluginkit's own `.pluginkit*` names and Python's
//! own (`__pycache__`) are never installed, from any source; a plugin whose name differs only in
//! case from an installed one is not installed beside it; and every command that takes a
//! plugin name checks it before anything is read or written.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::git::{Workspace, file_url};
use crate::support::install::{
    Host, RawEntry, add_file, crc32, deflated_zeros, manifest, package, raw_zip, snapshot, tree,
    zip_of,
};
use crate::support::{TestContext, native_plugin, write};

/// A Flask-PluginKit plugin's `__init__.py`.
const FLASK_INIT: &str = "__plugin_name__ = \"demo\"\n__author__ = \"Ada <ada@example.com>\"\n__version__ = \"1.0.0\"\n__description__ = \"A demo\"\n\ndef register():\n    return {}\n";

/// The baseline package `hello/` written by hand, then `extra` entries.
fn hello_raw(extra: Vec<RawEntry>) -> Vec<u8> {
    let mut entries = vec![
        RawEntry::stored("hello/plugin.toml", manifest("hello", "1.0.0").as_bytes()),
        RawEntry::stored("hello/README.md", b"# A plugin\n"),
    ];
    entries.extend(extra);
    raw_zip(&entries)
}

/// A Flask-PluginKit package whose top folder is `folder`.
fn flask_package(folder: &str) -> Vec<u8> {
    zip_of(|zip| add_file(zip, &format!("{folder}/__init__.py"), FLASK_INIT.as_bytes()))
}

/// A host whose plugins folder is a Python package, as Flask-PluginKit needs it.
fn flask_host() -> Host {
    let host = Host::new();
    write(&host.plugins(), "__init__.py", "");
    host
}

/// What a run cost: exit code, stdout, stderr, time, and peak RSS in KiB where `/usr/bin/time`
/// can tell. The run is also held to 3 GiB of address space where `prlimit` exists, so that a
/// build that still has the defect fails the test rather than the machine.
struct Measured {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    rss_kib: Option<u64>,
}

fn measured(host: &Host, args: &[&str]) -> Measured {
    let mut wrapper: Vec<&str> = Vec::new();
    if Path::new("/usr/bin/time").is_file() {
        wrapper.extend(["/usr/bin/time", "-f", "peak-rss-kib=%M"]);
    }
    if Path::new("/usr/bin/prlimit").is_file() {
        wrapper.extend(["/usr/bin/prlimit", "--as=3221225472", "--"]);
    }
    let mut pluginkit = host.pluginkit().args(args).timeout(Duration::from_secs(90));
    if let Some((program, wrapper_args)) = wrapper.split_first() {
        pluginkit = pluginkit.wrapped_in(program, wrapper_args);
    }
    let start = Instant::now();
    let (code, stdout, stderr) = pluginkit.run();
    let elapsed = start.elapsed();
    let rss_kib = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("peak-rss-kib="))
        .next_back()
        .and_then(|v| v.trim().parse().ok());
    Measured {
        code,
        stdout,
        stderr,
        elapsed,
        rss_kib,
    }
}

impl Measured {
    /// Done in under 5 seconds and 64 MiB.
    fn assert_cheap(&self, what: &str) {
        eprintln!(
            "{what}: {:?}, peak RSS {:?} KiB",
            self.elapsed, self.rss_kib
        );
        assert!(
            self.elapsed < Duration::from_secs(5),
            "{what}: took {:?}",
            self.elapsed
        );
        match self.rss_kib {
            Some(kib) => assert!(kib < 64 * 1024, "{what}: peak RSS {kib} KiB"),
            None => eprintln!("{what}: /usr/bin/time is missing, peak RSS not measured"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. The ZIP "path bomb"

/// `hello/a/a/.../a/LAST`, `len` bytes long.
fn deep_name(len: usize, last: &str) -> String {
    let levels = (len - "hello/".len() - last.len()) / 2;
    format!("hello/{}{last}", "a/".repeat(levels))
}

/// One entry named `a/a/a/.../f`, 64 KiB deep, cost 2 GB and 5 s in the archive check before any
/// limit applied: now refused for its length, in little memory and time, and the message does
/// not repeat the 64 KiB name.
#[test]
fn a_path_bomb_is_refused_in_little_memory_and_time() {
    let host = Host::new();
    host.put(
        "bomb.zip",
        &hello_raw(vec![RawEntry::stored(&deep_name(65_000, "f"), b"boom\n")]),
    );
    let before = snapshot(&host);
    for command in ["add", "validate"] {
        let run = measured(&host, &[command, "bomb.zip"]);
        run.assert_cheap(&format!("{command} of the 64 KiB path bomb"));
        assert_eq!(run.code, 1, "{command}: {}{}", run.stdout, run.stderr);
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(
            said.contains("error[PK0502]: entry `hello/a/a/a/")
                && said.contains("is longer than 1024 bytes"),
            "{command}: {said}"
        );
        assert!(
            said.len() < 4096,
            "{command}: {} bytes of output",
            said.len()
        );
    }
    assert_eq!(snapshot(&host), before);
}

/// Ten of them (20 GB before), names just past the length limit, and names within it but
/// deeper than 48 levels: all refused, cheaply.
#[test]
fn many_path_bombs_and_names_past_the_limits_are_refused_cheaply() {
    let host = Host::new();
    let mut entries: Vec<RawEntry> = (0..10)
        .map(|i| RawEntry::stored(&deep_name(65_000, &format!("f{i}")), b"boom\n"))
        .collect();
    // Just past the length limit, in one long part and in many.
    entries.push(RawEntry::stored(
        &format!("hello/{}", "x".repeat(1024)),
        b"",
    ));
    entries.push(RawEntry::stored(&deep_name(1026, "f"), b""));
    // Short, but 49 parts deep; and as a folder entry.
    entries.push(RawEntry::stored(
        &format!("hello/{}f", "d/".repeat(48)),
        b"",
    ));
    entries.push(RawEntry::stored(&format!("hello/{}", "e/".repeat(49)), b""));
    host.put("bombs.zip", &hello_raw(entries));
    let before = snapshot(&host);
    let run = measured(&host, &["add", "bombs.zip"]);
    run.assert_cheap("ten 64 KiB path bombs");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("is longer than 1024 bytes").count(),
        12,
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr
            .matches("is nested more than 48 folders deep")
            .count(),
        2,
        "{}",
        run.stderr
    );
    assert!(run.stderr.len() < 16 * 1024, "{} bytes", run.stderr.len());
    assert_eq!(snapshot(&host), before);
}

/// A package just within the limits installs: a name of 1024 bytes, one 48 parts deep.
#[test]
fn names_at_the_limits_install() {
    let host = Host::new();
    // Parts of at most 255 bytes, which every file system takes.
    let long = format!(
        "hello/{}{}",
        format!("{}/", "x".repeat(200)).repeat(4),
        "y".repeat(214)
    );
    assert_eq!(long.len(), 1024);
    let deep = format!("hello/{}f", "d/".repeat(46));
    host.put(
        "edge.zip",
        &hello_raw(vec![
            RawEntry::stored(&long, b"long\n"),
            RawEntry::stored(&deep, b"deep\n"),
        ]),
    );
    let (code, _, stderr) = host.run(&["add", "edge.zip"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read(host.plugins().join(&long)).unwrap(),
        b"long\n"
    );
    assert_eq!(
        std::fs::read(host.plugins().join(&deep)).unwrap(),
        b"deep\n"
    );
    let (code, stdout, stderr) = host.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "hello: ok\n"), "{stderr}");
}

/// A tree within the limits costs memory by its names' length, not their depth: 3,000 entries
/// each 40 folders deep in folders of their own (each of its parents was kept, whole, before).
#[test]
fn a_deep_tree_within_the_limits_costs_memory_by_its_names_not_their_depth() {
    let host = Host::new();
    let entries: Vec<RawEntry> = (0..3000)
        .map(|i| {
            let path: String = (0..40)
                .map(|level| format!("d{i:05}x{level:02}xxxxxx/"))
                .collect();
            RawEntry::stored(&format!("hello/{path}f"), b"")
        })
        .collect();
    host.put("deep.zip", &hello_raw(entries));
    let run = measured(&host, &["validate", "deep.zip"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run.assert_cheap("validate of 3,000 entries 40 folders deep");
}

// ---------------------------------------------------------------------------------------------
// 13. `validate` and `registry publish` read every entry

/// A stored entry whose headers declare `size` bytes (and the CRC of `data`).
fn declaring(name: &str, data: &[u8], size: u32) -> RawEntry {
    RawEntry {
        size,
        ..RawEntry::stored(name, data)
    }
}

/// A package `hello/` whose `hello/data.txt` (11 bytes, stored) declares `declared` bytes in
/// ZIP64 extra fields, in its local and central headers alike, with `0xFFFFFFFF` in the 32-bit
/// size fields as ZIP64 has it.
fn zip64_liar(declared: u64) -> Vec<u8> {
    let data = b"eleven byte";
    let plugin_toml = manifest("hello", "1.0.0");
    let files: [(&str, &[u8], bool); 3] = [
        ("hello/plugin.toml", plugin_toml.as_bytes(), false),
        ("hello/README.md", b"# A plugin\n", false),
        ("hello/data.txt", data, true),
    ];
    let zip64_extra = |uncompressed: u64, compressed: u64| {
        let mut extra = Vec::new();
        extra.extend_from_slice(&1u16.to_le_bytes());
        extra.extend_from_slice(&16u16.to_le_bytes());
        extra.extend_from_slice(&uncompressed.to_le_bytes());
        extra.extend_from_slice(&compressed.to_le_bytes());
        extra
    };
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for (name, bytes, zip64) in &files {
        offsets.push(out.len() as u32);
        let extra = if *zip64 {
            zip64_extra(declared, bytes.len() as u64)
        } else {
            Vec::new()
        };
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&45u16.to_le_bytes());
        out.extend_from_slice(&0x0800u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]);
        out.extend_from_slice(&crc32(bytes).to_le_bytes());
        let (packed, size) = if *zip64 {
            (u32::MAX, u32::MAX)
        } else {
            (bytes.len() as u32, bytes.len() as u32)
        };
        out.extend_from_slice(&packed.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&extra);
        out.extend_from_slice(bytes);
    }
    let central = out.len() as u32;
    for ((name, bytes, zip64), offset) in files.iter().zip(&offsets) {
        let extra = if *zip64 {
            zip64_extra(declared, bytes.len() as u64)
        } else {
            Vec::new()
        };
        out.extend_from_slice(b"PK\x01\x02");
        out.extend_from_slice(&(0x0300u16 | 45).to_le_bytes());
        out.extend_from_slice(&45u16.to_le_bytes());
        out.extend_from_slice(&0x0800u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]);
        out.extend_from_slice(&crc32(bytes).to_le_bytes());
        let (packed, size) = if *zip64 {
            (u32::MAX, u32::MAX)
        } else {
            (bytes.len() as u32, bytes.len() as u32)
        };
        out.extend_from_slice(&packed.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
        out.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&extra);
    }
    let size = out.len() as u32 - central;
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&central.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// Packages whose headers misstate their data, as (what, bytes): every `add` refuses them.
fn damaged_packages() -> Vec<(&'static str, Vec<u8>)> {
    let mut wrong_crc = RawEntry::stored("hello/data.txt", b"what the CRC was taken of\n");
    wrong_crc.crc ^= 0xFFFF;
    let zeros = deflated_zeros(100_000);
    let inflated = 1 + (100_000 - 1) / 258 * 258;
    let understated_deflate = RawEntry {
        method: 8,
        data: zeros.clone(),
        size: 1000,
        crc: crc32(&vec![0; inflated as usize]),
        ..RawEntry::stored("hello/data.bin", b"")
    };
    let overstated_deflate = RawEntry {
        method: 8,
        data: zeros,
        size: inflated as u32 + 1000,
        crc: crc32(&vec![0; inflated as usize]),
        ..RawEntry::stored("hello/data.bin", b"")
    };
    vec![
        ("an entry whose CRC is wrong", hello_raw(vec![wrong_crc])),
        (
            "a stored entry whose central directory understates its size",
            hello_raw(vec![declaring("hello/data.txt", b"eleven byte", 5)]),
        ),
        (
            "a stored entry whose headers overstate its size",
            hello_raw(vec![declaring("hello/data.txt", b"eleven byte", 20)]),
        ),
        (
            "a deflated entry that inflates to more than it declares",
            hello_raw(vec![understated_deflate]),
        ),
        (
            "a deflated entry that inflates to less than it declares",
            hello_raw(vec![overstated_deflate]),
        ),
        ("ZIP64 sizes that understate the data", zip64_liar(3)),
        ("ZIP64 sizes that overstate the data", zip64_liar(20)),
    ]
}

/// `validate x.zip` and `registry publish` accepted packages every `add` refuses: now they read
/// each entry, in bounded memory, and refuse them too; nothing is published.
#[test]
fn validate_and_publish_refuse_what_add_refuses() {
    let host = Host::new();
    let mut failures = Vec::new();
    for (i, (what, bytes)) in damaged_packages().into_iter().enumerate() {
        host.put("case.zip", &bytes);
        let before = snapshot(&host);
        let (code, _, stderr) = host.run(&["add", "case.zip"]);
        if code != 1 || snapshot(&host) != before {
            failures.push(format!(
                "{what}: add exited {code}, or changed the host\n{stderr}"
            ));
            continue;
        }
        let (code, stdout, stderr) = host.run(&["validate", "case.zip"]);
        let said = format!("{stdout}{stderr}");
        if code != 1 || !said.contains("error[PK0501]: entry `hello/data.") {
            failures.push(format!("{what}: validate exited {code}\n{said}"));
        }
        let (code, json) = host.run_json(&["validate", "case.zip", "--format", "json"]);
        if code != 1 || !json.to_string().contains("PK0501") {
            failures.push(format!(
                "{what}: validate --format json exited {code}\n{json}"
            ));
        }
        // A registry of its own, so that one publication cannot hide another's.
        let reg = format!("reg{i}");
        let (code, stdout, stderr) = host.run(&["registry", "publish", "case.zip", "--dir", &reg]);
        if code != 1 || host.path(&reg).join("files").exists() {
            failures.push(format!(
                "{what}: registry publish exited {code}, or wrote the registry\n{stdout}{stderr}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The same package, undamaged, validates and publishes.
    host.put(
        "good.zip",
        &hello_raw(vec![RawEntry::stored("hello/data.txt", b"eleven byte")]),
    );
    let (code, stdout, stderr) = host.run(&["validate", "good.zip"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, stdout, stderr) = host.run(&["registry", "publish", "good.zip", "--dir", "reg"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// Reading the entries costs what they declare, not what a lying header hides: a 1 KB entry that
/// inflates to 1 GiB is refused by `validate` in little time and memory.
#[test]
fn validate_reads_a_lying_bomb_no_further_than_it_declares() {
    let host = Host::new();
    let bomb = RawEntry {
        method: 8,
        data: deflated_zeros(1 << 30),
        size: 1000,
        crc: 0,
        ..RawEntry::stored("hello/bomb.bin", b"")
    };
    host.put("liar.zip", &hello_raw(vec![bomb]));
    let run = measured(&host, &["validate", "liar.zip"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("entry `hello/bomb.bin`"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    run.assert_cheap("validate of a lying 1 GiB bomb");
}

// ---------------------------------------------------------------------------------------------
// 14. pluginkit's own names

/// A package carrying `.pluginkit-txn` installed, and then failed `verify` (the transaction
/// wrote and removed its own marker over it). Any `.pluginkit*` entry, anywhere, in any case, is
/// refused: in a package (by `add` and `validate`), a folder (copied or linked) and a git
/// repository.
#[test]
fn pluginkit_own_names_are_refused_from_every_source() {
    // A host with a plugin installed, for each case: a case that installed (as before) would
    // otherwise hide the next ones behind "already installed".
    let new_host = || {
        let host = Host::new();
        host.put("keep.zip", &package("keep", "1.0.0", |_| {}));
        let (code, _, stderr) = host.run(&["add", "keep.zip"]);
        assert_eq!(code, 0, "{stderr}");
        host
    };
    let mut failures = Vec::new();
    let mut check_package = |what: &str, bytes: Vec<u8>| {
        let host = new_host();
        host.put("case.zip", &bytes);
        let before = snapshot(&host);
        let (code, _, stderr) = host.run(&["add", "case.zip"]);
        if code != 1
            || !stderr.contains("uses a `.pluginkit` name, which pluginkit keeps for its own files")
            || snapshot(&host) != before
            || !host.staging().is_empty()
        {
            let (_, verify, _) = host.run(&["verify"]);
            failures.push(format!(
                "add with {what}: exit {code}\n{stderr}\n`verify` then says:\n{verify}"
            ));
        }
        let (code, stdout, stderr) = host.run(&["validate", "case.zip"]);
        if code != 1 || !format!("{stdout}{stderr}").contains("error[PK0502]") {
            failures.push(format!(
                "validate with {what}: exit {code}\n{stdout}{stderr}"
            ));
        }
    };
    for name in [
        "hello/.pluginkit-txn",
        "hello/lib/.pluginkit-marker-1",
        "hello/.PluginKit-TXN",
        "hello/.pluginkit/journal.json",
        "hello/.pluginkit-staging-x/hello/plugin.toml",
    ] {
        check_package(
            name,
            package("hello", "1.0.0", |zip| add_file(zip, name, b"x\n")),
        );
    }
    // A folder entry alone.
    check_package(
        "a .pluginkit/ folder entry",
        package("hello", "1.0.0", |zip| {
            zip.add_directory(
                "hello/.pluginkit/",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        }),
    );

    // A plugin folder, copied and linked; and `package` of it.
    let with_source = || {
        let host = new_host();
        native_plugin(&host.path("src"), "hello", "");
        write(&host.path("src/hello"), "lib/.pluginkit-txn", "x\n");
        host
    };
    for args in [&["add", "src/hello"][..], &["add", "src/hello", "--link"]] {
        let host = with_source();
        let before = snapshot(&host);
        let (code, _, stderr) = host.run(args);
        if code != 1 || !stderr.contains("lib/.pluginkit-txn") || snapshot(&host) != before {
            failures.push(format!("{args:?}: exit {code}\n{stderr}"));
        }
    }
    let host = with_source();
    let (code, _, stderr) = host.run(&["package", "src/hello", "-o", "hello.zip"]);
    if code != 1 || !stderr.contains("lib/.pluginkit-txn") || host.path("hello.zip").exists() {
        failures.push(format!("package: exit {code}\n{stderr}"));
    }

    // A git repository.
    let host = new_host();
    let ws = Workspace::new();
    let repo = ws.repo("work/hello");
    repo.plugin("", "hello", "1.0.0")
        .write(".pluginkit-txn", "x\n");
    repo.commit("a plugin with pluginkit's name in it");
    let bare = repo.bare_clone(&ws.served().join("hello.git"));
    let before = snapshot(&host);
    let (code, _, stderr) = host.run(&["add", &file_url(&bare)]);
    if code != 1 || !stderr.contains(".pluginkit-txn") || snapshot(&host) != before {
        failures.push(format!("add from git: exit {code}\n{stderr}"));
    }

    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let (code, stdout, stderr) = host.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "keep: ok\n"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// 17. Python's own names

/// A Flask-PluginKit package whose top folder is `__pycache__` installed, and could then be
/// neither listed nor removed. No source installs a plugin under one of Python's own names:
/// not a package, a folder or a git repository's `--subdir`.
#[test]
fn python_own_names_are_never_installed() {
    let mut failures = Vec::new();
    for folder in ["__pycache__", "__init__", "__main__"] {
        // A host for each case: one that installed (as before) would hide the next.
        let host = flask_host();
        host.put("case.zip", &flask_package(folder));
        let before = snapshot(&host);
        let (code, _, stderr) = host.run(&["add", "case.zip"]);
        if code != 1
            || !stderr.contains(&format!("`{folder}` is not a plugin name"))
            || snapshot(&host) != before
            || !host.staging().is_empty()
        {
            let (_, list, list_err) = host.run(&["list"]);
            failures.push(format!(
                "add of a package in {folder}/: exit {code}\n{stderr}\n`list` then says:\n{list}{list_err}"
            ));
        }
        let (code, stdout, stderr) = host.run(&["validate", "case.zip"]);
        if code != 1
            || !format!("{stdout}{stderr}").contains(&format!("would install as `{folder}`"))
        {
            failures.push(format!(
                "validate of a package in {folder}/: exit {code}\n{stdout}{stderr}"
            ));
        }
        let given = format!("src/{folder}");
        for args in [
            &["add", given.as_str()][..],
            &["add", given.as_str(), "--link"],
        ] {
            let host = flask_host();
            write(&host.path("src").join(folder), "__init__.py", FLASK_INIT);
            let before = snapshot(&host);
            let (code, _, stderr) = host.run(args);
            if code != 1
                || !stderr.contains("one of Python's own names")
                || snapshot(&host) != before
            {
                failures.push(format!("{args:?}: exit {code}\n{stderr}"));
            }
        }
    }

    let host = flask_host();
    let ws = Workspace::new();
    let repo = ws.repo("work/plugins");
    repo.write("__pycache__/__init__.py", FLASK_INIT);
    repo.commit("a plugin in __pycache__");
    let bare = repo.bare_clone(&ws.served().join("plugins.git"));
    let before = snapshot(&host);
    let (code, _, stderr) = host.run(&["add", &file_url(&bare), "--subdir", "__pycache__"]);
    if code != 1 || !stderr.contains("one of Python's own names") || snapshot(&host) != before {
        failures.push(format!(
            "add from git --subdir __pycache__: exit {code}\n{stderr}"
        ));
    }

    // Nor `sync`, whatever the `[plugins]` key.
    for (key, entry) in [
        ("demo", "{ path = \"src/__pycache__\" }"),
        ("__pycache__", "{ zip = \"case.zip\" }"),
    ] {
        let host = flask_host();
        write(&host.path("src/__pycache__"), "__init__.py", FLASK_INIT);
        host.put("case.zip", &flask_package("__pycache__"));
        write(
            host.root(),
            "pluginkit.toml",
            &format!("[host]\nplugins-dir = \"plugins\"\n\n[plugins]\n{key} = {entry}\n"),
        );
        let before = snapshot(&host);
        let (code, _, stderr) = host.run(&["sync"]);
        if code == 0 || snapshot(&host) != before || !host.staging().is_empty() {
            failures.push(format!("sync of {key} = {entry}: exit {code}\n{stderr}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // A plugin of an ordinary name still installs, and is listed.
    host.put("demo.zip", &flask_package("demo"));
    let (code, _, stderr) = host.run(&["add", "demo.zip"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = host.run(&["list"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("demo"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// 18. Names that differ only in case

/// `Hello` was installed beside `hello`: two folders on Linux, one in a checkout of the host on
/// macOS or Windows. Refused from a package, a folder and git, with or without `--force`, naming
/// both; the installed plugin stays as it was.
#[test]
fn a_plugin_is_not_installed_beside_one_whose_name_differs_only_in_case() {
    let host = flask_host();
    host.put("hello.zip", &flask_package("hello"));
    let (code, _, stderr) = host.run(&["add", "hello.zip"]);
    assert_eq!(code, 0, "{stderr}");

    let mut failures = Vec::new();
    host.put("Hello.zip", &flask_package("Hello"));
    write(&host.path("src/HELLO"), "__init__.py", FLASK_INIT);
    let ws = Workspace::new();
    let repo = ws.repo("work/hellO");
    repo.write("__init__.py", FLASK_INIT);
    repo.commit("hellO");
    let bare = repo.bare_clone(&ws.served().join("hellO.git"));
    let url = file_url(&bare);
    let cases: [(&str, Vec<&str>); 5] = [
        ("Hello", vec!["add", "Hello.zip"]),
        ("Hello", vec!["add", "Hello.zip", "--force"]),
        ("HELLO", vec!["add", "src/HELLO"]),
        ("HELLO", vec!["add", "src/HELLO", "--link", "--force"]),
        ("hellO", vec!["add", url.as_str()]),
    ];
    for (name, args) in &cases {
        let before = snapshot(&host);
        let (code, _, stderr) = host.run(args);
        if code != 1
            || !stderr.contains(&format!("`{name}`"))
            || !stderr.contains("`hello` is installed")
            || !stderr.contains("differ only in case")
            || snapshot(&host) != before
            || !host.staging().is_empty()
        {
            failures.push(format!("{args:?}: exit {code}\n{stderr}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let (code, stdout, stderr) = host.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "hello: ok\n"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// 5. Every plugin-name argument

/// `restore ../../../elsewhere` read a "backup" from outside `.pluginkit/backups` and installed
/// it outside the plugins folder. Every command that takes a plugin name refuses one that is not
/// (exit 2), before anything is read or written: nothing anywhere in the test's folder changes.
#[test]
fn every_command_that_takes_a_plugin_name_checks_it() {
    let context = TestContext::new();
    // Deep enough that `../../..` from the plugins folder and from the backups stays inside the
    // test's folder.
    let host = Host::at(&context, &context.path("a/b/host"));
    host.put("keep.zip", &package("keep", "1.0.0", |_| {}));
    // Installed, removed (so that there is a backup) and installed again.
    for args in [
        &["add", "keep.zip"][..],
        &["remove", "keep"],
        &["add", "keep.zip"],
    ] {
        let (code, _, stderr) = host.run(args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
    // A "backup" where `restore ../../../elsewhere` looked for one (`.pluginkit/backups/` and
    // three folders up), which it then installed three folders up from the plugins folder.
    let backup = context.path("a/b/elsewhere/20250101T000000Z");
    write(&backup, "plugin.toml", &manifest("elsewhere", "1.0.0"));
    write(&backup, "README.md", "# not a backup\n");
    let before = tree(context.root());

    let names = [
        "../x",
        "../../../elsewhere",
        "a/b",
        "",
        ".",
        "..",
        ".pluginkit",
        ".pluginkit-txn",
        "__pycache__",
        "__init__",
        "a\\b",
    ];
    let commands: [&[&str]; 9] = [
        &["restore"],
        &["remove"],
        &["remove", "--no-backup"],
        &["enable"],
        &["disable"],
        &["info"],
        &["verify"],
        &["upgrade"],
        &["outdated"],
    ];
    let mut failures = Vec::new();
    for command in commands {
        for name in names {
            let mut args = command.to_vec();
            args.push(name);
            let (code, stdout, stderr) = host.run(&args);
            if code != 2 || !stderr.contains("is not a plugin name") || !stdout.is_empty() {
                failures.push(format!("{args:?}: exit {code}\n{stdout}{stderr}"));
            }
        }
    }
    // `add NAME` asks a registry for NAME: one no plugin can have is bad usage too.
    for request in ["__pycache__", "__init__@^1", "__main__"] {
        let args = ["add", request];
        let (code, stdout, stderr) = host.run(&args);
        if code != 2 || !stderr.contains("is not a plugin name") {
            failures.push(format!("{args:?}: exit {code}\n{stdout}{stderr}"));
        }
    }
    for backup in ["../../../elsewhere/20250101T000000Z", "..", "a/b", ".x"] {
        let args = ["restore", "keep", "--backup", backup];
        let (code, stdout, stderr) = host.run(&args);
        if code != 2 || !stderr.contains("is not a backup") {
            failures.push(format!("{args:?}: exit {code}\n{stdout}{stderr}"));
        }
    }
    let after = tree(context.root());
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    if !changed.is_empty() {
        failures.push(format!("files changed: {changed:?}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
