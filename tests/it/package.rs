//! `pluginkit package`: what goes into NAME-VERSION.zip and what stays out, that the same files
//! always give the same bytes, and that an invalid plugin, a link or a clash is refused with
//! nothing written.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};
use zip::CompressionMethod;

use crate::support::{TestContext, native_plugin, rebuild_fba_corpus, write};

/// One entry of a package, as the tests look at it.
#[derive(Debug, PartialEq)]
struct Entry {
    name: String,
    mode: u32,
    method: CompressionMethod,
    time: (u16, u8, u8, u8, u8, u8),
}

fn entries(zip: &Path) -> Vec<Entry> {
    let bytes = std::fs::read(zip).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let file = archive.by_index(i).unwrap();
            // No extra fields, in the central directory or in the local header.
            assert_eq!(file.extra_data(), None, "{}", file.name().unwrap());
            let local = file.header_start() as usize;
            assert_eq!(&bytes[local..local + 4], b"PK\x03\x04");
            assert_eq!(
                u16::from_le_bytes([bytes[local + 28], bytes[local + 29]]),
                0
            );
            let t = file.last_modified().unwrap();
            Entry {
                name: file.name().unwrap().into_owned(),
                mode: file.unix_mode().unwrap(),
                method: file.compression(),
                time: (
                    t.year(),
                    t.month(),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second(),
                ),
            }
        })
        .collect()
}

fn names(zip: &Path) -> Vec<String> {
    entries(zip).into_iter().map(|e| e.name).collect()
}

fn read_entry(zip: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn sha256(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The files in `dir`, recursively, relative and sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

/// Copy a folder, giving every copied file the time `mtime`.
fn copy_tree(from: &Path, to: &Path, mtime: SystemTime) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &dest, mtime);
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
            let file = std::fs::OpenOptions::new().write(true).open(&dest).unwrap();
            file.set_modified(mtime).unwrap();
        }
    }
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A native plugin with a little of everything.
fn hello(dir: &Path) -> PathBuf {
    let plugin = native_plugin(dir, "hello", "");
    write(&plugin, "hello/__init__.py", "def register():\n    pass\n");
    write(
        &plugin,
        "static/app.js",
        &"console.log('hello');\n".repeat(200),
    );
    write(&plugin, "bin/run.sh", "#!/bin/sh\necho hello\n");
    #[cfg(unix)]
    chmod(&plugin.join("bin/run.sh"), 0o750);
    plugin
}

#[test]
fn a_native_plugin_is_packaged_under_its_name_reproducibly_and_passes_validate() {
    let context = TestContext::new();
    hello(context.root());

    let (code, stdout, stderr) = context.run(&["package", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    let zip = context.root().join("hello-1.0.0.zip");
    let sha = sha256(&zip);
    let size = std::fs::metadata(&zip).unwrap().len();
    assert_eq!(
        stdout,
        format!("path    hello-1.0.0.zip\nsize    {size} bytes\nsha256  {sha}\n")
    );
    assert!(
        stderr.starts_with("Packaged hello 1.0.0: 5 files"),
        "{stderr}"
    );

    let all = entries(&zip);
    let expected_names = [
        "hello/README.md",
        "hello/bin/run.sh",
        "hello/hello/__init__.py",
        "hello/plugin.toml",
        "hello/static/app.js",
    ];
    assert_eq!(names(&zip), expected_names, "sorted, no folder entries");
    for entry in &all {
        assert_eq!(entry.time, (1980, 1, 1, 0, 0, 0), "{entry:?}");
        let mode = if entry.name.ends_with("run.sh") {
            0o100755
        } else {
            0o100644
        };
        #[cfg(unix)]
        assert_eq!(entry.mode, mode, "{}", entry.name);
    }
    // Deflated, unless that does not make it smaller (the 8 bytes of README.md).
    assert_eq!(all[0].method, CompressionMethod::Stored);
    assert_eq!(all[4].method, CompressionMethod::Deflated);
    assert_eq!(
        read_entry(&zip, "hello/plugin.toml"),
        std::fs::read_to_string(context.root().join("hello/plugin.toml")).unwrap()
    );

    // What `validate` says about the package, and what an install would check.
    let (code, stdout, _) = context.run(&["validate", "hello-1.0.0.zip"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("1 plugin checked: 0 errors, 0 warnings"),
        "{stdout}"
    );

    // Again: the same bytes.
    let (code, _, _) = context.run(&["package", "hello"]);
    assert_eq!(code, 0);
    assert_eq!(sha256(&zip), sha);
}

#[test]
fn the_same_files_give_the_same_sha256_whatever_their_times_and_where_they_are() {
    let context = TestContext::new();
    let plugin = hello(&context.root().join("a"));
    write(
        &plugin,
        "static/big.txt",
        &"lorem ipsum dolor\n".repeat(40_000),
    );
    let (code, json) = context.run_json(&["package", "a/hello", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["version"], 1, "{json}");
    let first = json["package"]["sha256"].as_str().unwrap().to_owned();
    assert_eq!(first, sha256(&context.root().join("hello-1.0.0.zip")));

    // A copy elsewhere, every file stamped years later, a non-executable file with other
    // permissions: the package does not change.
    let copy = context.root().join("b/hello");
    copy_tree(
        &plugin,
        &copy,
        SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000),
    );
    #[cfg(unix)]
    chmod(&copy.join("README.md"), 0o600);
    let (code, json) =
        context.run_json(&["package", "b/hello", "-o", "copy.zip", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["package"]["sha256"], first.as_str());
    assert_eq!(
        std::fs::read(context.root().join("copy.zip")).unwrap(),
        std::fs::read(context.root().join("hello-1.0.0.zip")).unwrap()
    );

    // SOURCE_DATE_EPOCH changes the time stamps, and so the bytes, the same way every time.
    let stamped = |out: &str| {
        let output = context
            .pluginkit()
            .env("SOURCE_DATE_EPOCH", "1709210097") // 2024-02-29 12:34:57 UTC
            .args(["package", "a/hello", "-o", out])
            .output();
        assert_eq!(output.code, 0, "{output:?}");
        sha256(&context.root().join(out))
    };
    let one = stamped("one.zip");
    assert_ne!(one, first);
    assert_eq!(stamped("two.zip"), one);
    for entry in entries(&context.root().join("one.zip")) {
        assert_eq!(entry.time, (2024, 2, 29, 12, 34, 56), "{entry:?}");
    }
    let output = context
        .pluginkit()
        .env("SOURCE_DATE_EPOCH", "last tuesday")
        .args(["package", "a/hello", "-o", "bad.zip"])
        .output();
    assert_eq!(output.code, 1);
    assert!(
        output
            .stderr
            .starts_with("error: SOURCE_DATE_EPOCH is `last tuesday`, not a number of seconds"),
        "{output:?}"
    );
    assert!(!context.root().join("bad.zip").exists());
}

#[test]
fn fba_plugins_are_packaged_under_their_folder_name_and_pass_validate() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    let names = rebuild_fba_corpus(&plugins);
    assert!(names.contains(&"notice".to_owned()));
    for name in &names {
        let (code, json) =
            context.run_json(&["package", &format!("plugins/{name}"), "--format", "json"]);
        assert_eq!(code, 0, "{name}: {json}");
        let json = &json["package"];
        assert_eq!(json["name"], name.as_str());
        let version = json["version"].as_str().unwrap();
        let zip = context.root().join(format!("{name}-{version}.zip"));
        assert_eq!(json["path"], format!("{name}-{version}.zip"));
        assert_eq!(json["size"], std::fs::metadata(&zip).unwrap().len());

        // FBA's ZIP install takes the first entry's top folder as the plugin folder, and wants
        // its plugin.toml and README.md there.
        let listed = names_of(&zip);
        assert_eq!(json["entries"], serde_json::json!(listed));
        assert!(listed[0].starts_with(&format!("{name}/")), "{listed:?}");
        assert!(listed.iter().all(|e| e.starts_with(&format!("{name}/"))));
        assert!(listed.contains(&format!("{name}/plugin.toml")));
        assert!(listed.contains(&format!("{name}/README.md")));
        // Every file of the plugin, and nothing else.
        let on_disk: Vec<String> = files_in(&plugins.join(name))
            .into_iter()
            .map(|f| format!("{name}/{f}"))
            .collect();
        assert_eq!(listed, on_disk);

        let (code, stdout, _) = context.run(&[
            "validate",
            "--flavor",
            "fba",
            &format!("{name}-{version}.zip"),
        ]);
        assert_eq!(code, 0, "{name}: {stdout}");
    }
}

fn names_of(zip: &Path) -> Vec<String> {
    names(zip)
}

#[test]
fn litter_and_ignored_files_stay_out() {
    let context = TestContext::new();
    let plugin = hello(context.root());
    for litter in [
        "__pycache__/mod.cpython-311.pyc",
        "hello/__pycache__/x.pyc",
        "hello/old.pyc",
        "hello/old.pyo",
        ".git/HEAD",
        ".git/objects/ab/cdef",
        "target/debug/hello",
        "ENABLED",
        "DISABLED",
        ".DS_Store",
        "static/.DS_Store",
        "Thumbs.db",
        ".README.md.swp",
        "notes.txt~",
        ".idea/workspace.xml",
        ".vscode/settings.json",
        "hello-0.9.0.zip",
        "debug.log",
        "build/out.js",
        "static/secret.txt",
        "data/private/key.pem",
    ] {
        write(&plugin, litter, "litter\n");
    }
    for kept in [
        ".env.example",
        "keep.log",
        "static/target/x.css",
        "docs/ENABLED",
        "docs/hello.zip",
    ] {
        write(&plugin, kept, "kept\n");
    }
    write(&plugin, ".gitignore", "*.log\n/build/\n");
    write(
        &plugin,
        ".pluginignore",
        "secret.txt\ndata/private/\n!keep.log\n",
    );

    let (code, stdout, stderr) = context.run(&["package", "hello", "--list"]);
    assert_eq!(code, 0, "{stderr}");
    let expected = [
        "hello/.env.example",
        "hello/.gitignore",
        "hello/.pluginignore",
        "hello/README.md",
        "hello/bin/run.sh",
        "hello/docs/ENABLED",
        "hello/docs/hello.zip",
        "hello/hello/__init__.py",
        "hello/keep.log",
        "hello/plugin.toml",
        "hello/static/app.js",
        "hello/static/target/x.css",
    ];
    assert_eq!(stdout, format!("{}\n", expected.join("\n")));
    assert!(
        !context.root().join("hello-1.0.0.zip").exists(),
        "--list writes nothing"
    );

    let (code, _, _) = context.run(&["package", "hello"]);
    assert_eq!(code, 0);
    assert_eq!(names(&context.root().join("hello-1.0.0.zip")), expected);

    let (code, json) = context.run_json(&["package", "hello", "--list", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        json,
        serde_json::json!({
            "version": 1,
            "package": {"name": "hello", "version": "1.0.0", "entries": expected}
        })
    );
}

#[test]
fn an_ignore_file_that_excludes_the_manifest_is_refused() {
    let context = TestContext::new();
    let plugin = hello(context.root());
    write(&plugin, ".pluginignore", "*.toml\n");
    let (code, stdout, stderr) = context.run(&["package", "hello"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.starts_with(
            "error: the plugin's manifest, plugin.toml, would be left out of the package"
        ),
        "{stderr}"
    );
    assert!(!context.root().join("hello-1.0.0.zip").exists());
}

#[test]
fn an_invalid_plugin_is_refused_with_the_findings_validate_shows_and_nothing_is_written() {
    let context = TestContext::new();
    let plugin = native_plugin(context.root(), "hello", "");
    write(
        &plugin,
        "plugin.toml",
        "[plugin]\nname = \"hello\"\nversion = \"1.0\"\nsummary = \"Hi\"\nauthor = \"Ada\"\n",
    );
    let (_, validated, _) = context.run(&["validate", "hello"]);
    // validate's report without its closing lines (which rules, the summary): the findings, each
    // as it draws them.
    let findings = validated
        .strip_suffix("1 plugin checked: 1 error, 1 warning\n")
        .and_then(|rest| rest.rsplit_once("rules: ").map(|(findings, _)| findings))
        .unwrap_or_else(|| panic!("validate's summary: {validated}"));
    assert!(findings.contains("error[PK0203]"), "{findings}");

    let (code, stdout, stderr) = context.run(&["package", "hello"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "{findings}error: the plugin has 1 error, so nothing was packaged\n\
             hint: fix them, then package again (`pluginkit validate hello` checks without packaging)\n"
        ),
        "the findings as validate draws them, then the error counting them"
    );
    assert_eq!(
        files_in(context.root()),
        files_in_plugin_only(&plugin, context.root())
    );

    // --list refuses too: nothing would go in.
    let (code, stdout, _) = context.run(&["package", "hello", "--list"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
}

/// The files under `root`: only the plugin's own, relative to `root`.
fn files_in_plugin_only(plugin: &Path, root: &Path) -> Vec<String> {
    let rel = plugin
        .strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    files_in(plugin)
        .into_iter()
        .map(|f| format!("{rel}/{f}"))
        .collect()
}

#[test]
fn warnings_are_shown_and_do_not_stop_the_package() {
    let context = TestContext::new();
    let plugin = native_plugin(context.root(), "hello", "");
    write(
        &plugin,
        "plugin.toml",
        "[plugin]\nname = \"hello\"\nversion = \"1.0.0\"\nsummary = \"Hi\"\nauthor = \"Ada\"\n",
    );
    let (code, stdout, stderr) = context.run(&["package", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("path    hello-1.0.0.zip\n"), "{stdout}");
    assert!(stderr.starts_with("warning[PK0206]"), "{stderr}");
    let (_, _, quiet) = context.run(&["package", "hello", "--quiet"]);
    assert_eq!(quiet, "");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_plugin_is_refused_unless_it_is_ignored() {
    let context = TestContext::new();
    let plugin = hello(context.root());
    std::os::unix::fs::symlink("../README.md", plugin.join("static/readme-link.md")).unwrap();
    let (code, stdout, stderr) = context.run(&["package", "hello"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.starts_with("error: hello/static/readme-link.md is a symbolic link\nhint: "),
        "{stderr}"
    );
    assert!(!context.root().join("hello-1.0.0.zip").exists());
    assert_eq!(
        std::fs::read_dir(context.root()).unwrap().count(),
        1,
        "no temporary file is left behind"
    );

    write(&plugin, ".pluginignore", "readme-link.md\n");
    let (code, _, stderr) = context.run(&["package", "hello"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn names_that_differ_only_in_case_are_refused() {
    let context = TestContext::new();
    let plugin = hello(context.root());
    write(&plugin, "static/Logo.svg", "<svg/>");
    write(&plugin, "static/logo.svg", "<svg/>");
    if files_in(&plugin.join("static")).len() < 3 {
        return; // a case-insensitive file system: they are one file
    }
    let (code, _, stderr) = context.run(&["package", "hello"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: hello/static/Logo.svg and hello/static/logo.svg differ only in case"
        ),
        "{stderr}"
    );
}

#[test]
fn output_goes_where_o_says() {
    let context = TestContext::new();
    let plugin = hello(context.root());
    std::fs::create_dir(context.root().join("dist")).unwrap();

    let (code, stdout, _) = context.run(&["package", "hello", "-o", "dist/pkg.zip"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("path    dist/pkg.zip\n"), "{stdout}");
    let sha = sha256(&context.root().join("dist/pkg.zip"));

    // A folder: NAME-VERSION.zip inside it.
    let (code, stdout, _) = context.run(&["package", "hello", "-o", "dist"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("path    dist/hello-1.0.0.zip\n"),
        "{stdout}"
    );
    assert_eq!(sha256(&context.root().join("dist/hello-1.0.0.zip")), sha);

    // Inside the plugin folder, -o naming one of its files is refused like any other place in
    // it (tests/it/package_output.rs has the rest), and the file is kept.
    let (code, _, stderr) = context.run_in(&plugin, &["package", "-o", "README.md"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: the package README.md would be written inside the plugin"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(plugin.join("README.md")).unwrap(),
        "# hello\n"
    );
}

#[test]
fn large_and_incompressible_files_are_streamed_and_stored() {
    let context = TestContext::new();
    let plugin = hello(context.root());
    // Past the size kept in memory: one that compresses, one that does not.
    let csv: String = (0..500_000u64)
        .map(|i| format!("{i},{},hello,world\n", i * 7919 % 10_007))
        .collect();
    write(&plugin, "data/big.csv", &csv);
    let mut noise = Vec::with_capacity(9 << 20);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while noise.len() < 9 << 20 {
        // xorshift: incompressible, and the same on every run
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise.extend_from_slice(&x.to_le_bytes());
    }
    std::fs::write(plugin.join("data/noise.bin"), &noise).unwrap();
    std::fs::write(plugin.join("static/small-noise.bin"), &noise[..100_000]).unwrap();
    write(&plugin, "empty.txt", "");

    let (code, json) = context.run_json(&["package", "hello", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    let zip = context.root().join("hello-1.0.0.zip");
    let methods: Vec<(String, CompressionMethod)> = entries(&zip)
        .into_iter()
        .map(|e| (e.name, e.method))
        .collect();
    let method = |name: &str| {
        methods
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} in {methods:?}"))
            .1
    };
    assert_eq!(method("hello/data/big.csv"), CompressionMethod::Deflated);
    assert_eq!(method("hello/data/noise.bin"), CompressionMethod::Stored);
    assert_eq!(
        method("hello/static/small-noise.bin"),
        CompressionMethod::Stored
    );
    assert_eq!(method("hello/empty.txt"), CompressionMethod::Stored);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut unpacked = Vec::new();
    archive
        .by_name("hello/data/noise.bin")
        .unwrap()
        .read_to_end(&mut unpacked)
        .unwrap();
    assert!(unpacked == noise);
    assert!(read_entry(&zip, "hello/data/big.csv") == csv);

    let (code, stdout, _) = context.run(&["validate", "hello-1.0.0.zip"]);
    assert_eq!(code, 0, "{stdout}");
    let again = context
        .run_json(&["package", "hello", "--format", "json"])
        .1;
    assert_eq!(again["package"]["sha256"], json["package"]["sha256"]);
}

#[test]
fn a_folder_that_is_not_a_plugin_is_refused() {
    let context = TestContext::new();
    write(context.root(), "stuff/notes.txt", "hi\n");
    let (code, _, stderr) = context.run(&["package", "stuff"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: stuff is not a plugin: it holds no plugin manifest"),
        "{stderr}"
    );
    let (code, _, stderr) = context.run(&["package", "missing"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: missing: no such folder"),
        "{stderr}"
    );
    let (code, _, stderr) = context.run(&["package", "stuff", "--format", "csv"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_package_installs_with_add_as_the_files_it_was_made_from() {
    let context = TestContext::new();
    let plugin = hello(&context.root().join("src"));
    write(&plugin, "ENABLED", "");
    write(&plugin, "hello/__pycache__/x.pyc", "litter");
    write(context.root(), "host/pluginkit.toml", "[host]\n");

    let (code, _, stderr) = context.run(&["package", "src/hello"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) =
        context.run_in(&context.root().join("host"), &["add", "../hello-1.0.0.zip"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let installed = context.root().join("host/plugins/hello");
    let mut expected = files_in(&plugin);
    expected.retain(|f| f != "ENABLED" && !f.contains("__pycache__"));
    assert_eq!(files_in(&installed), expected);
    for file in &expected {
        assert_eq!(
            std::fs::read(installed.join(file)).unwrap(),
            std::fs::read(plugin.join(file)).unwrap(),
            "{file}"
        );
    }
    let (code, stdout, _) = context.run_in(&context.root().join("host"), &["verify"]);
    assert_eq!(code, 0, "{stdout}");
}
