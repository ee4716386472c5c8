//! `pluginkit add` refuses hostile archives, one case per refusal: each names the entry and the
//! reason, exits 1, and leaves the plugins folder, `pluginkit.toml` and `pluginkit.lock` byte for
//! byte as they were. ZIP bombs are refused in little time, memory and disk, whatever they claim.
//!
//! The archives are made here: with the zip crate where it can write them, by patching its
//! output or writing the bytes by hand (tests/it/support/install.rs) where it cannot.

use std::path::Path;
use std::time::{Duration, Instant};

use zip::write::SimpleFileOptions;

use crate::support::install;
use crate::support::install::{
    Host, RawEntry, Zip, add_file, crc32, deflated_zeros, package, raw_zip, snapshot, zip_of,
};

/// One hostile archive: its bytes, extra arguments to `add`, and what stderr must say.
struct Case {
    what: &'static str,
    bytes: Vec<u8>,
    args: Vec<String>,
    expected: Vec<String>,
}

fn case(what: &'static str, bytes: Vec<u8>, expected: &[&str]) -> Case {
    Case {
        what,
        bytes,
        args: Vec::new(),
        expected: expected.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// The baseline package `hello/` plus `extra`.
fn hello(extra: impl FnOnce(&mut Zip)) -> Vec<u8> {
    package("hello", "1.0.0", extra)
}

/// The baseline files, written by hand, then `extra` entries.
fn hello_raw(extra: Vec<RawEntry>) -> Vec<u8> {
    let mut entries = vec![
        RawEntry::stored(
            "hello/plugin.toml",
            install::manifest("hello", "1.0.0").as_bytes(),
        ),
        RawEntry::stored("hello/README.md", b"# A plugin\n"),
    ];
    entries.extend(extra);
    raw_zip(&entries)
}

/// An entry of the given Unix file type (the upper bits of its mode).
fn special(name: &str, file_type: u32) -> RawEntry {
    RawEntry {
        mode: file_type | 0o644,
        ..RawEntry::stored(name, b"")
    }
}

fn cases() -> Vec<Case> {
    let mut encrypted = RawEntry::stored("hello/data.txt", b"secret\n");
    encrypted.flags |= 1;
    let mut unsupported = RawEntry::stored("hello/data.txt", b"packed with bzip2\n");
    unsupported.method = 12;
    let mut corrupt = RawEntry::stored("hello/data.txt", b"what the CRC was taken of\n");
    corrupt.crc ^= 0xFFFF;

    // 600 entries of (almost) 1 MiB each: none is large or compressed enough to be refused on
    // its own, together they unpack beyond the 512 MiB limit.
    let mebibyte = deflated_zeros(1024 * 1024);
    let inflated = 1 + (1024 * 1024 - 1) / 258 * 258;
    let zeros_crc = crc32(&vec![0; inflated as usize]);
    let many_mebibytes: Vec<RawEntry> = (0..600)
        .map(|i| RawEntry {
            method: 8,
            data: mebibyte.clone(),
            size: inflated as u32,
            crc: zeros_crc,
            ..RawEntry::stored(&format!("hello/data/{i:03}.bin"), b"")
        })
        .collect();
    let too_many: Vec<RawEntry> = (0..50_000)
        .map(|i| RawEntry::stored(&format!("hello/f/{i:05}"), b""))
        .collect();

    let mut truncated = hello(|_| {});
    truncated.truncate(truncated.len() / 2);

    let duplicate = hello_raw(vec![RawEntry::stored("hello/README.md", b"# again\n")]);
    let baseline_size = install::manifest("hello", "1.0.0").len() as u64 + 11;

    let mut sha256_mismatch = case(
        "an archive whose sha256 is not the one --sha256 pins",
        hello(|_| {}),
        &[
            "not the 0000000000000000000000000000000000000000000000000000000000000000 that --sha256 expects",
            "nothing was installed",
        ],
    );
    sha256_mismatch.args = vec!["--sha256".into(), "0".repeat(64)];

    vec![
        case(
            "an entry that leads out with ..",
            hello(|zip| add_file(zip, "hello/../../evil.sh", b"rm -rf ~\n")),
            &["error[PK0502]: entry `hello/../../evil.sh` leads out of the plugin with `..`"],
        ),
        case(
            "an absolute entry",
            hello(|zip| add_file(zip, "/etc/evil.sh", b"rm -rf ~\n")),
            &["error[PK0502]: entry `/etc/evil.sh` is an absolute path"],
        ),
        case(
            "an entry with a drive letter",
            hello(|zip| add_file(zip, "C:/evil.bat", b"del\n")),
            &["error[PK0502]: entry `C:/evil.bat` starts with a drive letter"],
        ),
        case(
            "an entry whose backslashes lead out",
            hello(|zip| add_file(zip, "hello\\..\\..\\evil.bat", b"del\n")),
            &["error[PK0502]: entry `hello\\\\..\\\\..\\\\evil.bat` uses `\\` separators"],
        ),
        case(
            "an entry with a NUL in its name",
            hello_raw(vec![RawEntry::stored("hello/evil\0.txt", b"")]),
            &["error[PK0502]: entry `hello/evil\\0.txt` contains a NUL character"],
        ),
        case(
            "an entry with a `.` part",
            hello(|zip| add_file(zip, "hello/./extra.txt", b"")),
            &["error[PK0502]: entry `hello/./extra.txt` has an empty or `.` path part"],
        ),
        case(
            "a symbolic link",
            hello(|zip| {
                zip.add_symlink("hello/passwd", "/etc/passwd", SimpleFileOptions::default())
                    .expect("add a symlink");
            }),
            &["error[PK0503]: entry `hello/passwd` is a symbolic link"],
        ),
        case(
            // ZIP has no hard-link entry; two entries over the same bytes are its equivalent.
            "a hard link: two entries sharing one file's bytes",
            hello_raw(vec![
                RawEntry::stored("hello/data.txt", b"some data\n"),
                RawEntry {
                    same_data_as: Some(2),
                    ..RawEntry::stored("hello/link.txt", b"some data\n")
                },
            ]),
            &[
                "error[PK0503]: entries `hello/data.txt` and `hello/link.txt` share their bytes in the archive, as hard links would",
            ],
        ),
        case(
            "a character device",
            hello_raw(vec![special("hello/tty", 0o020000)]),
            &["error[PK0503]: entry `hello/tty` is a special file"],
        ),
        case(
            "a block device",
            hello_raw(vec![special("hello/sda", 0o060000)]),
            &["error[PK0503]: entry `hello/sda` is a special file"],
        ),
        case(
            "a FIFO",
            hello_raw(vec![special("hello/fifo", 0o010000)]),
            &["error[PK0503]: entry `hello/fifo` is a special file"],
        ),
        case(
            "a socket",
            hello_raw(vec![special("hello/socket", 0o140000)]),
            &["error[PK0503]: entry `hello/socket` is a special file"],
        ),
        case(
            "an entry given twice",
            duplicate,
            &["error[PK0504]", "holds entries with the same name"],
        ),
        case(
            "two names that differ only in case",
            hello(|zip| add_file(zip, "hello/readme.md", b"# again\n")),
            &["error[PK0504]: entries `hello/README.md` and `hello/readme.md` differ only in case"],
        ),
        case(
            "a name that is a file and a folder",
            hello(|zip| {
                add_file(zip, "hello/data", b"a file\n");
                add_file(zip, "hello/Data/inside.txt", b"in a folder\n");
            }),
            &["error[PK0504]: entry `hello/data` is both a file and a folder"],
        ),
        case(
            "an encrypted entry",
            hello_raw(vec![encrypted]),
            &["error[PK0505]: entry `hello/data.txt` is encrypted"],
        ),
        case(
            "an entry in a compression method pluginkit cannot read",
            hello_raw(vec![unsupported]),
            &[
                "error[PK0501]: entry `hello/data.txt` is compressed with Unsupported(12), which pluginkit cannot unpack",
            ],
        ),
        case(
            "an entry whose bytes do not match its CRC",
            hello_raw(vec![corrupt]),
            &[
                "error: cannot install case.zip\n  Caused by: cannot unpack case.zip\n  Caused by: entry `hello/data.txt`: Invalid checksum",
                "the archive is damaged; nothing was installed",
            ],
        ),
        case(
            "a truncated archive",
            truncated,
            &["error[PK0501]: case.zip is not a readable ZIP archive"],
        ),
        case(
            "an entry compressed beyond the ratio limit",
            hello(|zip| add_file(zip, "hello/data.bin", &vec![0u8; 2 * 1024 * 1024])),
            &["error[PK0507]: entry `hello/data.bin` unpacks to 2097152 bytes from"],
        ),
        case(
            "entries that together unpack beyond the size limit",
            hello_raw(many_mebibytes),
            &[&format!(
                "error[PK0507]: case.zip unpacks to {} bytes, more than the limit of 536870912",
                600 * inflated + baseline_size
            )],
        ),
        case(
            "too many entries",
            hello_raw(too_many),
            &["error[PK0507]: case.zip has 50002 entries, more than the limit of 50000"],
        ),
        case(
            "a plugin name that would be a path outside the plugins folder",
            zip_of(|zip| {
                add_file(
                    zip,
                    "hello/plugin.toml",
                    install::manifest("../../evil", "1.0.0").as_bytes(),
                );
                add_file(zip, "hello/README.md", b"# A plugin\n");
            }),
            &["error[PK0201]: plugin name `../../evil` is not allowed"],
        ),
        case(
            "a version that is not SemVer",
            zip_of(|zip| {
                add_file(
                    zip,
                    "hello/plugin.toml",
                    install::manifest("hello", "../../1").as_bytes(),
                );
                add_file(zip, "hello/README.md", b"# A plugin\n");
            }),
            &["error[PK0203]"],
        ),
        sha256_mismatch,
    ]
}

/// A host with one plugin installed by pluginkit, so that there is a lockfile to keep.
fn host_with_a_plugin() -> Host {
    let host = Host::new();
    host.put("keep.zip", &package("keep", "1.0.0", |_| {}));
    let (code, _, stderr) = host.run(&["add", "keep.zip"]);
    assert_eq!(code, 0, "{stderr}");
    host
}

fn check(host: &Host, case: &Case) -> Result<(), String> {
    host.put("case.zip", &case.bytes);
    let before = snapshot(host);
    let mut args = vec!["add", "case.zip"];
    args.extend(case.args.iter().map(String::as_str));
    let (code, stdout, stderr) = host.run(&args);
    let mut problems = Vec::new();
    if code != 1 {
        problems.push(format!("exit code {code}, not 1"));
    }
    for expected in &case.expected {
        if !stderr.contains(expected.as_str()) {
            problems.push(format!("stderr does not say {expected:?}"));
        }
    }
    if !stdout.is_empty() {
        problems.push(format!("stdout is not empty: {stdout:?}"));
    }
    if snapshot(host) != before {
        problems.push("the plugins folder, pluginkit.toml or pluginkit.lock changed".into());
    }
    if !host.staging().is_empty() {
        problems.push(format!("staging folders were left: {:?}", host.staging()));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n--- stderr:\n{stderr}", problems.join("\n")))
    }
}

#[test]
fn every_hostile_archive_is_refused_and_nothing_changes() {
    let host = host_with_a_plugin();
    let cases = cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(&host, case)
                .err()
                .map(|e| format!("{}: {e}", case.what))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} hostile archives were not refused as they should be:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
    // And the plugin that was there is intact.
    let (code, stdout, _) = host.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "keep: ok\n"));
}

/// On a host with no plugins folder yet, a refused archive does not leave an empty one.
#[test]
fn a_refused_first_install_leaves_no_plugins_folder() {
    let host = Host::new();
    for case in cases()
        .iter()
        .filter(|c| c.what.contains("CRC") || c.what.contains("..") || c.what.contains("sha256"))
    {
        check(&host, case).unwrap_or_else(|e| panic!("{}: {e}", case.what));
        assert!(
            !host.plugins().exists(),
            "{}: plugins/ was created",
            case.what
        );
    }
}

/// Setuid and setgid bits are never installed; permissions come from the umask, keeping only
/// whether a file is executable.
#[cfg(unix)]
#[test]
fn setuid_and_setgid_bits_are_dropped() {
    use std::os::unix::fs::PermissionsExt;
    let host = Host::new();
    host.put(
        "modes.zip",
        &hello_raw(vec![
            RawEntry {
                mode: 0o106777,
                ..RawEntry::stored("hello/run.sh", b"#!/bin/sh\n")
            },
            RawEntry {
                mode: 0o102666,
                ..RawEntry::stored("hello/data.txt", b"data\n")
            },
        ]),
    );
    let (code, _, stderr) = host.run(&["add", "modes.zip"]);
    assert_eq!(code, 0, "{stderr}");
    let mode = |rel: &str| {
        std::fs::metadata(host.plugins().join("hello").join(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    };
    // The tests run under the usual umask 022 or something stricter: never group or other
    // write, never a setuid or setgid bit.
    assert_eq!(mode("run.sh") & 0o7000, 0, "run.sh {:o}", mode("run.sh"));
    assert_eq!(mode("run.sh") & 0o100, 0o100, "run.sh {:o}", mode("run.sh"));
    assert_eq!(
        mode("data.txt") & 0o7111,
        0,
        "data.txt {:o}",
        mode("data.txt")
    );
    assert_eq!(
        mode("data.txt") & 0o022,
        0,
        "data.txt {:o}",
        mode("data.txt")
    );
}

// ---------------------------------------------------------------------------------------------
// ZIP bombs: refused in little time, memory and disk

/// Run `pluginkit add ZIP` under `/usr/bin/time` where there is one; returns the exit code,
/// stderr, the time taken and the peak RSS in KiB (when it could be measured).
fn add_measured(host: &Host, zip: &str) -> (i32, String, Duration, Option<u64>) {
    let timed = Path::new("/usr/bin/time").is_file();
    let mut pluginkit = host.pluginkit().args(["add", zip]);
    if timed {
        pluginkit = pluginkit.wrapped_in("/usr/bin/time", ["-f", "peak-rss-kib=%M"]);
    }
    let start = Instant::now();
    let (code, _, stderr) = pluginkit.run();
    let elapsed = start.elapsed();
    let rss = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("peak-rss-kib="))
        .next_back()
        .and_then(|v| v.trim().parse().ok());
    (code, stderr, elapsed, rss)
}

fn assert_cheap(what: &str, elapsed: Duration, rss: Option<u64>) {
    assert!(elapsed < Duration::from_secs(5), "{what}: took {elapsed:?}");
    match rss {
        Some(kib) => assert!(kib < 64 * 1024, "{what}: peak RSS {kib} KiB"),
        None => eprintln!("{what}: /usr/bin/time is missing, peak RSS not measured"),
    }
}

/// Ten entries of 400 MiB of real deflate data each (a 25 MB archive that truly unpacks to 4 GiB):
/// refused from its headers, before any of it is inflated.
#[test]
fn a_zip_bomb_is_refused_from_its_headers() {
    let host = host_with_a_plugin();
    let size = 1 + (400 << 20) / 258 * 258;
    let stream = deflated_zeros(size);
    let bombs: Vec<RawEntry> = (0..10)
        .map(|i| RawEntry {
            method: 8,
            data: stream.clone(),
            size: size as u32,
            // Never checked: the archive is refused before any entry is read.
            crc: 0,
            ..RawEntry::stored(&format!("hello/bomb{i}.bin"), b"")
        })
        .collect();
    host.put("bomb.zip", &hello_raw(bombs));
    let before = snapshot(&host);
    let (code, stderr, elapsed, rss) = add_measured(&host, "bomb.zip");
    assert_eq!(code, 1, "{stderr}");
    let total = 10 * size + install::manifest("hello", "1.0.0").len() as u64 + 11;
    assert!(
        stderr.contains(&format!(
            "error[PK0507]: bomb.zip unpacks to {total} bytes, more than the limit of 536870912"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("help: this looks like a ZIP bomb; do not install it"));
    assert_eq!(snapshot(&host), before);
    assert_cheap("the 4 GiB bomb", elapsed, rss);
}

/// An entry whose headers say 1,000 bytes but whose data inflates to 1 GiB: pluginkit stops
/// reading one byte past what was declared, so the lie costs nothing.
#[test]
fn a_zip_bomb_with_lying_headers_costs_only_what_it_declares() {
    let host = host_with_a_plugin();
    let bomb = RawEntry {
        method: 8,
        data: deflated_zeros(1 << 30),
        size: 1000,
        crc: 0,
        ..RawEntry::stored("hello/bomb.bin", b"")
    };
    host.put("liar.zip", &hello_raw(vec![bomb]));
    let before = snapshot(&host);
    let (code, stderr, elapsed, rss) = add_measured(&host, "liar.zip");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "error: cannot install liar.zip\n  Caused by: cannot unpack liar.zip\n  Caused by: "
        ) && stderr.contains("declared"),
        "{stderr}"
    );
    assert_eq!(snapshot(&host), before);
    assert!(host.staging().is_empty());
    assert_cheap("the lying 1 GiB bomb", elapsed, rss);
}

/// The limits are the host's to set (`[limits]` in pluginkit.toml): a file that is genuinely
/// that compressible installs once the host allows it, and a host can be stricter than the
/// defaults. `validate` of a package applies the same limits.
#[test]
fn the_limits_are_configurable_in_pluginkit_toml() {
    let host = Host::new();
    let zeros = hello(|zip| add_file(zip, "hello/blank.db", &vec![0u8; 2 * 1024 * 1024]));
    host.put("zeros.zip", &zeros);
    let before = snapshot(&host);
    let (code, _, stderr) = host.run(&["add", "zeros.zip"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("raising [limits] max-entry-ratio (now 200) in pluginkit.toml"),
        "{stderr}"
    );
    assert_eq!(snapshot(&host), before);

    let config = "[host]\nplugins-dir = \"plugins\"\n\n[limits]\nmax-entry-ratio = 2000\n";
    std::fs::write(host.path("pluginkit.toml"), config).unwrap();
    let (code, _, stderr) = host.run(&["validate", "zeros.zip"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = host.run(&["add", "zeros.zip"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::metadata(host.plugins().join("hello/blank.db"))
            .unwrap()
            .len(),
        2 * 1024 * 1024
    );

    // Stricter: a 64 KiB package is too big for a host that allows 16 KiB (and no ratio).
    let stricter = "[host]\nplugins-dir = \"plugins\"\n\n[limits]\nmax-unpacked-size = 16384\nmax-unpacked-ratio = 1\nmax-entries = 10\n";
    std::fs::write(host.path("pluginkit.toml"), stricter).unwrap();
    let noise: Vec<u8> = (0..65536u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    host.put(
        "other.zip",
        &package("other", "1.0.0", |zip| {
            add_file(zip, "other/noise.bin", &noise)
        }),
    );
    let before = snapshot(&host);
    let (code, _, stderr) = host.run(&["add", "other.zip"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("other.zip unpacks to"), "{stderr}");
    assert!(
        stderr.contains("raising [limits] max-unpacked-size"),
        "{stderr}"
    );
    assert_eq!(snapshot(&host), before);
    let many = package("other", "1.0.0", |zip| {
        for i in 0..10 {
            add_file(zip, &format!("other/f{i}.txt"), b"x");
        }
    });
    host.put("many.zip", &many);
    let (code, _, stderr) = host.run(&["add", "many.zip"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("more than the limit of 10"), "{stderr}");
    assert_eq!(snapshot(&host), before);

    // A misspelt limit is an error, not ignored: a configuration that cannot be read (exit 2).
    std::fs::write(
        host.path("pluginkit.toml"),
        "[limits]\nmax-entry-ration = 5\n",
    )
    .unwrap();
    let (code, _, stderr) = host.run(&["add", "zeros.zip"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("max-entry-ration"), "{stderr}");
}
