//! `pluginkit registry publish` and `yank`, as a registry maintainer uses them: packages go into
//! a registry folder with their index entries and search.json, published versions never change,
//! invalid packages and newer formats are refused with nothing written, and publishers running at
//! once all land.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::install::{Node, RawEntry, add_file, manifest, raw_zip, tree, zip_of};
use crate::support::{Pluginkit, TestContext, write};

/// 2025-11-21T15:04:05Z.
const EPOCH: &str = "1763737445";
const PUBLISHED: &str = "2025-11-21T15:04:05Z";

/// A temp folder holding packages and, in `reg/`, the registry they are published to.
struct Workspace {
    context: TestContext,
}

impl Workspace {
    fn new() -> Workspace {
        Workspace {
            context: TestContext::new(),
        }
    }

    fn root(&self) -> &Path {
        self.context.root()
    }

    fn registry(&self) -> PathBuf {
        self.root().join("reg")
    }

    /// Write a package to `NAME-VERSION.zip` and return its file name.
    fn put(&self, name: &str, version: &str, bytes: &[u8]) -> String {
        let file = format!("{name}-{version}.zip");
        std::fs::write(self.root().join(&file), bytes).expect("write the package");
        file
    }

    /// pluginkit, in the workspace, with SOURCE_DATE_EPOCH fixed.
    fn pluginkit(&self) -> Pluginkit {
        self.context.pluginkit().env("SOURCE_DATE_EPOCH", EPOCH)
    }

    /// Run pluginkit with SOURCE_DATE_EPOCH fixed; (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.pluginkit().args(args).run()
    }

    fn publish(&self, zip: &str) -> (i32, String, String) {
        self.run(&["registry", "publish", zip, "--dir", "reg"])
    }

    /// Run, and render it for a snapshot of a session (see `Pluginkit::transcript`).
    fn transcript(&self, args: &[&str]) -> String {
        self.pluginkit().args(args).transcript()
    }

    /// Publish, and fail the test unless it worked.
    fn published(&self, zip: &str) -> String {
        let (code, stdout, stderr) = self.publish(zip);
        assert_eq!(code, 0, "publish {zip}:\n{stdout}\n{stderr}");
        stdout
    }

    fn yank(&self, spec: &str, undo: bool) -> (i32, String, String) {
        let mut args = vec!["registry", "yank", spec, "--dir", "reg"];
        if undo {
            args.push("--undo");
        }
        self.run(&args)
    }

    /// A JSON file of the registry, parsed.
    fn json(&self, rel: &str) -> Value {
        let text = std::fs::read_to_string(self.registry().join(rel))
            .unwrap_or_else(|e| panic!("reg/{rel}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("reg/{rel} is not JSON: {e}"))
    }

    /// search.json as (name, version, summary).
    fn search(&self) -> Vec<(String, String, Option<String>)> {
        let search = self.json("search.json");
        assert_eq!(search["format"], 1);
        search["plugins"]
            .as_array()
            .expect("plugins")
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["version"].as_str().unwrap().to_owned(),
                    p["summary"].as_str().map(str::to_owned),
                )
            })
            .collect()
    }

    /// Every file under the registry, byte for byte.
    fn snapshot(&self) -> BTreeMap<String, Node> {
        tree(&self.registry())
    }
}

/// A native plugin package, `NAME/plugin.toml` with `extra` after the `[plugin]` keys.
fn plugin_zip(name: &str, version: &str, extra: &str) -> Vec<u8> {
    zip_of(|zip| {
        add_file(
            zip,
            &format!("{name}/plugin.toml"),
            format!("{}{extra}", manifest(name, version)).as_bytes(),
        );
        add_file(zip, &format!("{name}/README.md"), b"# A plugin\n");
    })
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A version entry as pluginkit writes it for `plugin_zip(name, version, "")`.
fn entry(name: &str, version: &str, bytes: &[u8]) -> Value {
    json!({
        "version": version,
        "url": format!("files/{name}/{name}-{version}.zip"),
        "sha256": sha256(bytes),
        "size": bytes.len(),
        "summary": format!("The {name} plugin"),
        "flavor": "pluginkit",
        "requires": null,
        "dependencies": {},
        "yanked": false,
        "published": PUBLISHED,
    })
}

#[test]
fn publishing_two_versions_of_two_plugins_writes_packages_indexes_and_search() {
    let ws = Workspace::new();
    // Published out of order: the newest is the highest by SemVer, not the last published, and
    // 1.10.0 is above 1.9.0.
    let hello_10 = plugin_zip(
        "hello",
        "1.10.0",
        "requires = \">=2.0, <3\"\n\n[dependencies]\nauth = \"^1.0\"\nbye = \"0.1\"\n",
    );
    let hello_9 = plugin_zip("hello", "1.9.0", "");
    let bye_1 = plugin_zip("bye", "0.1.0", "");
    let bye_2 = plugin_zip("bye", "0.2.0-beta.1", "");

    let stdout = ws.published(&ws.put("hello", "1.10.0", &hello_10));
    assert_eq!(
        stdout,
        format!(
            "published hello 1.10.0 to reg (files/hello/hello-1.10.0.zip, {} bytes, sha256 {})\n",
            hello_10.len(),
            sha256(&hello_10)
        )
    );
    ws.published(&ws.put("bye", "0.2.0-beta.1", &bye_2));
    ws.published(&ws.put("hello", "1.9.0", &hello_9));
    ws.published(&ws.put("bye", "0.1.0", &bye_1));

    let mut hello_10_entry = entry("hello", "1.10.0", &hello_10);
    hello_10_entry["requires"] = json!(">=2.0, <3");
    hello_10_entry["dependencies"] = json!({"auth": "^1.0", "bye": "^0.1"});
    assert_eq!(
        ws.json("index/hello.json"),
        json!({
            "format": 1,
            "name": "hello",
            "versions": [hello_10_entry, entry("hello", "1.9.0", &hello_9)],
        })
    );
    assert_eq!(
        ws.json("index/bye.json"),
        json!({
            "format": 1,
            "name": "bye",
            "versions": [entry("bye", "0.2.0-beta.1", &bye_2), entry("bye", "0.1.0", &bye_1)],
        })
    );

    // The packages, byte for byte, so their sha256 is the one the index gives.
    for (rel, bytes) in [
        ("files/hello/hello-1.10.0.zip", &hello_10),
        ("files/hello/hello-1.9.0.zip", &hello_9),
        ("files/bye/bye-0.1.0.zip", &bye_1),
        ("files/bye/bye-0.2.0-beta.1.zip", &bye_2),
    ] {
        let on_disk = std::fs::read(ws.registry().join(rel)).expect(rel);
        assert_eq!(sha256(&on_disk), sha256(bytes), "{rel}");
    }
    // Nothing else: no temporary files left behind.
    let files: Vec<String> = ws
        .snapshot()
        .into_iter()
        .filter(|(_, node)| matches!(node, Node::File(_)))
        .map(|(rel, _)| rel)
        .collect();
    assert_eq!(
        files,
        [
            ".pluginkit-registry.lock",
            "files/bye/bye-0.1.0.zip",
            "files/bye/bye-0.2.0-beta.1.zip",
            "files/hello/hello-1.10.0.zip",
            "files/hello/hello-1.9.0.zip",
            "index/bye.json",
            "index/hello.json",
            "search.json",
        ]
    );

    // Sorted by name; the highest by SemVer precedence (a pre-release of 0.2.0 is above 0.1.0).
    assert_eq!(
        ws.search(),
        [
            (
                "bye".to_owned(),
                "0.2.0-beta.1".to_owned(),
                Some("The bye plugin".to_owned())
            ),
            (
                "hello".to_owned(),
                "1.10.0".to_owned(),
                Some("The hello plugin".to_owned())
            ),
        ]
    );
}

#[test]
fn publish_json_output_describes_the_new_version() {
    let ws = Workspace::new();
    let bytes = plugin_zip("hello", "1.0.0", "");
    let zip = ws.put("hello", "1.0.0", &bytes);
    let (code, stdout, stderr) = ws.run(&[
        "registry", "publish", &zip, "--dir", "reg", "--format", "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        json,
        json!({
            "version": 1,
            "registry": "reg",
            "package": {
                "name": "hello",
                "version": "1.0.0",
                "flavor": "pluginkit",
                "url": "files/hello/hello-1.0.0.zip",
                "size": bytes.len(),
                "sha256": sha256(&bytes),
                "published": PUBLISHED,
            },
        })
    );
}

#[test]
fn published_is_now_without_source_date_epoch() {
    let ws = Workspace::new();
    let zip = ws.put("hello", "1.0.0", &plugin_zip("hello", "1.0.0", ""));
    let output = ws
        .context
        .pluginkit()
        .env_remove("SOURCE_DATE_EPOCH") // which the context never passes on anyway
        .args(["registry", "publish", &zip, "--dir", "reg"])
        .output();
    assert_eq!(output.code, 0, "{output:?}");
    let published = ws.json("index/hello.json")["versions"][0]["published"]
        .as_str()
        .expect("published")
        .to_owned();
    let shape = published.len() == 20
        && published.chars().enumerate().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 => c == ':',
            19 => c == 'Z',
            _ => c.is_ascii_digit(),
        });
    assert!(shape, "{published}");
    assert!(published.as_str() > "2025-01-01", "{published}");
}

#[test]
fn a_published_version_is_never_replaced() {
    let ws = Workspace::new();
    let zip = ws.put("hello", "1.0.0", &plugin_zip("hello", "1.0.0", ""));
    ws.published(&zip);
    let before = ws.snapshot();

    // The same package again, and different bytes under the same version.
    let mut session = ws.transcript(&["registry", "publish", &zip, "--dir", "reg"]);
    let changed = ws.put(
        "hello",
        "1.0.0",
        &plugin_zip("hello", "1.0.0", "description = \"Changed\"\n"),
    );
    session.push_str(&ws.transcript(&["registry", "publish", &changed, "--dir", "reg"]));
    // Build metadata does not make another version.
    let build = ws.put(
        "hello",
        "1.0.0+build.7",
        &plugin_zip("hello", "1.0.0+build.7", ""),
    );
    session.push_str(&ws.transcript(&["registry", "publish", &build, "--dir", "reg"]));
    insta::assert_snapshot!(session);

    assert_eq!(ws.snapshot(), before);
}

#[test]
fn an_invalid_package_is_refused_with_its_findings_and_nothing_written() {
    let ws = Workspace::new();
    // No author, and a version that is not SemVer.
    let bad = zip_of(|zip| {
        add_file(
            zip,
            "hello/plugin.toml",
            b"[plugin]\nname = \"hello\"\nversion = \"1.0\"\nsummary = \"Hi\"\nlicense = \"MIT\"\n",
        );
        add_file(zip, "hello/README.md", b"# hi\n");
    });
    let zip = ws.put("hello", "1.0", &bad);
    let mut session = ws.transcript(&["registry", "publish", &zip, "--dir", "reg"]);
    assert!(!ws.registry().exists(), "the registry folder was created");

    // A hostile archive: an entry that leads out of the plugin.
    let hostile = raw_zip(&[
        RawEntry::stored("hello/plugin.toml", manifest("hello", "1.0.0").as_bytes()),
        RawEntry::stored("hello/README.md", b"# hi\n"),
        RawEntry::stored("hello/../../evil.txt", b"evil"),
    ]);
    let zip = ws.put("hello", "1.0.0", &hostile);
    session.push_str(&ws.transcript(&["registry", "publish", &zip, "--dir", "reg"]));
    assert!(!ws.registry().exists(), "the registry folder was created");

    // Not a package at all, and no file.
    std::fs::write(ws.root().join("notes.zip"), "not a zip").unwrap();
    session.push_str(&ws.transcript(&["registry", "publish", "notes.zip", "--dir", "reg"]));
    session.push_str(&ws.transcript(&["registry", "publish", "missing.zip", "--dir", "reg"]));
    insta::assert_snapshot!(session);
    assert!(!ws.registry().exists(), "the registry folder was created");
}

#[test]
fn yanking_hides_a_version_from_search_and_undo_brings_it_back() {
    let ws = Workspace::new();
    for version in ["1.0.0", "1.1.0"] {
        ws.published(&ws.put("hello", version, &plugin_zip("hello", version, "")));
    }
    let latest = || ws.search()[0].1.clone();
    let yanked = |version: &str| {
        ws.json("index/hello.json")["versions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["version"] == version)
            .expect("listed")["yanked"]
            .as_bool()
            .unwrap()
    };
    assert_eq!(latest(), "1.1.0");

    let (code, stdout, stderr) = ws.yank("hello@1.1.0", false);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "yanked hello 1.1.0 in reg\n");
    assert!(yanked("1.1.0"));
    assert!(!yanked("1.0.0"));
    assert_eq!(latest(), "1.0.0");
    // Still listed and still there, for whoever locked it.
    assert!(ws.registry().join("files/hello/hello-1.1.0.zip").is_file());

    // Again: nothing to do, nothing written.
    let before = ws.snapshot();
    let (code, stdout, _) = ws.yank("hello@1.1.0", false);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "hello 1.1.0 is already yanked in reg; nothing changed\n"
    );
    assert_eq!(ws.snapshot(), before);

    // Every version yanked: search shows the highest yanked one.
    ws.yank("hello@1.0.0", false);
    assert_eq!(latest(), "1.1.0");
    assert!(yanked("1.0.0") && yanked("1.1.0"));

    let (code, stdout, _) = ws.yank("hello@1.0.0", true);
    assert_eq!(code, 0);
    assert_eq!(stdout, "un-yanked hello 1.0.0 in reg\n");
    assert_eq!(latest(), "1.0.0");
    let (code, stdout, _) = ws.yank("hello@1.0.0", true);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "hello 1.0.0 is not yanked in reg; nothing changed\n"
    );
    ws.yank("hello@1.1.0", true);
    assert_eq!(latest(), "1.1.0");

    // JSON.
    let (code, stdout, _) = ws.run(&[
        "registry",
        "yank",
        "hello@1.0.0",
        "--dir",
        "reg",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).unwrap(),
        json!({
            "version": 1,
            "registry": "reg",
            "package": {"name": "hello", "version": "1.0.0"},
            "yanked": true,
            "changed": true,
        })
    );
}

#[test]
fn yanking_what_is_not_published_is_an_error() {
    let ws = Workspace::new();
    ws.published(&ws.put("hello", "1.0.0", &plugin_zip("hello", "1.0.0", "")));
    let before = ws.snapshot();

    let mut session = String::new();
    for spec in ["hello@2.0.0", "nobody@1.0.0", "../hello@1.0.0", "hello"] {
        session.push_str(&ws.transcript(&["registry", "yank", spec, "--dir", "reg"]));
    }
    insta::assert_snapshot!(session);

    assert_eq!(ws.snapshot(), before);
}

#[test]
fn an_index_with_unknown_fields_is_read_and_they_are_kept() {
    let ws = Workspace::new();
    let old = json!({
        "format": 1,
        "name": "hello",
        "mirror": "https://mirror.example.com/",
        "versions": [{
            "version": "1.0.0",
            "url": "https://cdn.example.com/hello-1.0.0.zip",
            "sha256": "ab".repeat(32),
            "flavor": "pluginkit",
            "published": "2024-01-02T03:04:05Z",
            "signature": {"key": "k1", "value": "sig"},
        }],
    });
    write(
        &ws.registry(),
        "index/hello.json",
        &serde_json::to_string_pretty(&old).unwrap(),
    );

    let bytes = plugin_zip("hello", "2.0.0", "");
    ws.published(&ws.put("hello", "2.0.0", &bytes));
    let index = ws.json("index/hello.json");
    assert_eq!(index["format"], 1);
    assert_eq!(index["mirror"], "https://mirror.example.com/");
    let versions = index["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    // The old entry keeps its unknown field; the fields it lacked get their defaults.
    assert_eq!(versions[0]["signature"], old["versions"][0]["signature"]);
    assert_eq!(
        versions[0]["url"],
        "https://cdn.example.com/hello-1.0.0.zip"
    );
    assert_eq!(versions[0]["yanked"], false);
    assert_eq!(versions[0]["size"], 0);
    assert_eq!(versions[1], entry("hello", "2.0.0", &bytes));
    assert_eq!(ws.search()[0].1, "2.0.0");
}

#[test]
fn an_index_in_a_newer_format_is_refused_with_nothing_written() {
    let ws = Workspace::new();
    let newer = r#"{"format": 99, "name": "hello", "versions": "elsewhere"}"#;
    write(&ws.registry(), "index/hello.json", newer);
    let before = ws.snapshot();

    let zip = ws.put("hello", "2.0.0", &plugin_zip("hello", "2.0.0", ""));
    let (code, _, stderr) = ws.publish(&zip);
    assert_eq!(code, 1);
    assert!(stderr.contains("is in registry format 99"), "{stderr}");
    assert!(
        stderr.contains("hint: upgrade pluginkit to change this registry"),
        "{stderr}"
    );
    // Publishing another plugin reads every index for search.json, and stops before writing.
    let other = ws.put("other", "1.0.0", &plugin_zip("other", "1.0.0", ""));
    let (code, _, stderr) = ws.publish(&other);
    assert_eq!(code, 1);
    assert!(stderr.contains("upgrade pluginkit"), "{stderr}");
    let (code, _, stderr) = ws.yank("hello@1.0.0", false);
    assert_eq!(code, 1);
    assert!(stderr.contains("upgrade pluginkit"), "{stderr}");

    let mut after = ws.snapshot();
    // Taking the lock is the one trace; the registry's content is as it was.
    after.remove(".pluginkit-registry.lock");
    assert_eq!(after, before);
}

#[test]
fn publishers_running_at_once_all_land() {
    let ws = Workspace::new();
    let versions = ["1.0.0", "1.1.0", "1.2.0"];
    let zips: Vec<String> = versions
        .iter()
        .map(|v| ws.put("hello", v, &plugin_zip("hello", v, "")))
        .collect();
    // Hold the registry's lock so that every publisher has to wait for it, then let them go.
    std::fs::create_dir_all(ws.registry()).unwrap();
    let lock = File::create(ws.registry().join(".pluginkit-registry.lock")).unwrap();
    lock.lock().unwrap();

    let mut children: Vec<_> = zips
        .iter()
        .map(|zip| {
            ws.pluginkit()
                .args(["registry", "publish", zip, "--dir", "reg"])
                .spawn()
        })
        .collect();
    for child in &mut children {
        let mut line = String::new();
        BufReader::new(child.stderr.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(
            line.starts_with("waiting for another pluginkit process to finish with this registry"),
            "{line}"
        );
    }
    drop(lock);
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
    }

    let index = ws.json("index/hello.json");
    let mut listed: Vec<&str> = index["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    listed.sort();
    assert_eq!(listed, versions);
    for version in versions {
        assert!(
            ws.registry()
                .join(format!("files/hello/hello-{version}.zip"))
                .is_file()
        );
    }
    assert_eq!(ws.search()[0].1, "1.2.0");
}

#[test]
fn a_package_left_by_a_killed_publish_is_adopted_only_when_it_is_the_same() {
    let ws = Workspace::new();
    let bytes = plugin_zip("hello", "1.0.0", "");
    let zip = ws.put("hello", "1.0.0", &bytes);
    // A publish killed after the package was renamed into place, before the index was written.
    let left = ws.registry().join("files/hello/hello-1.0.0.zip");
    std::fs::create_dir_all(left.parent().unwrap()).unwrap();
    std::fs::write(&left, b"other bytes").unwrap();
    let (code, _, stderr) = ws.publish(&zip);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("exists but no index names it, and it differs from this package"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&left).unwrap(), b"other bytes");
    assert!(!ws.registry().join("index").exists());

    std::fs::write(&left, &bytes).unwrap();
    let (code, stdout, stderr) = ws.publish(&zip);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("published hello 1.0.0 to reg"),
        "{stdout}"
    );
    assert!(
        stderr.contains("was left by a publish that did not finish"),
        "{stderr}"
    );
    assert_eq!(
        ws.json("index/hello.json")["versions"][0],
        entry("hello", "1.0.0", &bytes)
    );
}
