//! Advisories, as a registry's maintainer writes them and a host's owner meets them:
//! `registry advise` lists an advisory on every published version its range matches (keeping
//! what else the index says, and changing nothing when written again); `audit` lists the
//! installed plugins it affects; `add` and `sync` warn when they install such a version and
//! refuse it with `--deny-advisories`, leaving the host as it was; `outdated` marks it.
//!
//! The registry is a folder written with `pluginkit registry publish`, served on 127.0.0.1 by
//! the static server in tests/it/support/registry.rs.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::support::TestContext;
use crate::support::install::{Host, Node, tree};
use crate::support::registry::{Plugin, RegistryDir, RegistryServer};

/// A registry folder (`reg/`) with hello 1.0.0, 1.1.0 and 1.2.0 and world 1.0.0 published,
/// served over HTTP, and a host (`host/`) whose default registry it is.
/// `registry advise` arguments of the advisory PK-2026-1: hello before 1.2.0, fixed in 1.2.0,
/// high.
const PK1: &[&str] = &[
    "--id",
    "PK-2026-1",
    "--affected",
    "<1.2.0",
    "--fixed",
    "1.2.0",
    "--url",
    "https://example.com/PK-2026-1",
    "--severity",
    "high",
];

struct World {
    context: TestContext,
    reg: RegistryDir,
    server: RegistryServer,
    host: Host,
}

impl World {
    fn new(plugins: &str) -> World {
        let context = TestContext::new();
        let reg = RegistryDir::new(&context, &context.path("reg"), &context.path("packages"));
        for (name, version) in [
            ("hello", "1.0.0"),
            ("hello", "1.1.0"),
            ("hello", "1.2.0"),
            ("world", "1.0.0"),
        ] {
            reg.publish(&Plugin::new(name, version));
        }
        let server = RegistryServer::start(&reg.dir);
        let host = Host::at(&context, &context.path("host"));
        let mut toml = format!(
            "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{}\"\n",
            server.url()
        );
        if !plugins.is_empty() {
            toml.push_str(&format!("\n[plugins]\n{plugins}"));
        }
        host.put("pluginkit.toml", toml.as_bytes());
        World {
            context,
            reg,
            server,
            host,
        }
    }

    /// `pluginkit registry advise hello ARGS --dir reg`: (exit code, stdout, stderr).
    fn advise(&self, args: &[&str]) -> (i32, String, String) {
        self.context
            .pluginkit()
            .args(["registry", "advise", "hello", "--dir", "reg"])
            .args(args)
            .run()
    }

    /// The advisory PK-2026-1: hello before 1.2.0, fixed in 1.2.0, high.
    fn advise_pk1(&self) {
        let (code, _, stderr) = self.advise(PK1);
        assert_eq!(code, 0, "{stderr}");
    }

    fn index(&self) -> Value {
        let bytes = std::fs::read(self.reg.dir.join("index/hello.json")).expect("the index");
        serde_json::from_slice(&bytes).expect("the index is JSON")
    }

    /// Run in the host: (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.host.run(args)
    }

    fn ok(&self, args: &[&str]) -> (String, String) {
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(code, 0, "pluginkit {args:?}:\n{stdout}\n{stderr}");
        (stdout, stderr)
    }

    /// Run, expect exit 1 and every byte of the host's folder as it was; returns stderr.
    fn refused(&self, args: &[&str]) -> String {
        let before = tree(self.host.root());
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(
            code, 1,
            "pluginkit {args:?} should fail:\n{stdout}\n{stderr}"
        );
        let after = tree(self.host.root());
        assert!(
            same(&before, &after),
            "pluginkit {args:?} failed but changed the host: {:?}",
            changed(&before, &after)
        );
        stderr
    }
}

fn same(a: &BTreeMap<String, Node>, b: &BTreeMap<String, Node>) -> bool {
    changed(a, b).is_empty()
}

/// The paths that differ between two trees.
fn changed(a: &BTreeMap<String, Node>, b: &BTreeMap<String, Node>) -> Vec<String> {
    let equal = |x: &Node, y: &Node| match (x, y) {
        (Node::Dir, Node::Dir) | (Node::Other, Node::Other) => true,
        (Node::File(x), Node::File(y)) => x == y,
        (Node::Link(x), Node::Link(y)) => x == y,
        _ => false,
    };
    let mut out: Vec<String> = a
        .iter()
        .filter(|(path, node)| b.get(*path).is_none_or(|other| !equal(node, other)))
        .map(|(path, _)| path.clone())
        .collect();
    out.extend(b.keys().filter(|p| !a.contains_key(*p)).cloned());
    out
}

fn pk1() -> Value {
    json!({
        "id": "PK-2026-1",
        "affected": "<1.2.0",
        "fixed": "1.2.0",
        "url": "https://example.com/PK-2026-1",
        "severity": "high"
    })
}

#[test]
fn registry_advise_lists_the_advisory_on_the_versions_it_affects() {
    let world = World::new("");
    // What another tool put in the index stays.
    let mut index = world.index();
    index["mirror"] = json!("https://mirror.example.com/");
    index["versions"][0]["signature"] = json!({"key": "k1"});
    std::fs::write(
        world.reg.dir.join("index/hello.json"),
        serde_json::to_vec_pretty(&index).unwrap(),
    )
    .unwrap();

    let (code, stdout, stderr) = world
        .context
        .pluginkit()
        .args([
            "registry",
            "advise",
            "hello",
            "--dir",
            "reg",
            "--id",
            "PK-2026-1",
            "--affected",
            "<1.2.0",
            "--fixed",
            "1.2.0",
            "--url",
            "https://example.com/PK-2026-1",
            "--severity",
            "high",
            "--format",
            "json",
        ])
        .run();
    assert_eq!(code, 0, "{stderr}");
    let document: Value = serde_json::from_str(&stdout).unwrap();
    let registry = document["registry"].clone();
    assert_eq!(
        document,
        json!({
            "version": 1,
            "registry": registry,
            "name": "hello",
            "advisory": pk1(),
            "versions": ["1.0.0", "1.1.0"],
            "changed": true
        })
    );

    let index = world.index();
    let advisories: Vec<&Value> = index["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["advisories"])
        .collect();
    assert_eq!(
        advisories,
        [&json!([pk1()]), &json!([pk1()]), &Value::Null],
        "{index:#}"
    );
    assert_eq!(index["mirror"], "https://mirror.example.com/");
    assert_eq!(index["versions"][0]["signature"], json!({"key": "k1"}));
    assert_eq!(index["versions"][0]["version"], "1.0.0");

    // Again: nothing changes, not a byte.
    let before = std::fs::read(world.reg.dir.join("index/hello.json")).unwrap();
    let (code, stdout, stderr) = world.advise(PK1);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("already listed"), "{stdout}");
    assert_eq!(
        std::fs::read(world.reg.dir.join("index/hello.json")).unwrap(),
        before
    );

    // A version published later in the range carries it too.
    world.reg.publish(&Plugin::new("hello", "1.1.5"));
    assert_eq!(world.index()["versions"][3]["advisories"], json!([pk1()]));

    // The same id with a narrower range replaces it, and leaves the versions now outside.
    let (code, _, stderr) = world.advise(&[
        "--id",
        "PK-2026-1",
        "--affected",
        "<1.1.0",
        "--severity",
        "medium",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let index = world.index();
    let narrowed = json!([{"id": "PK-2026-1", "affected": "<1.1.0", "severity": "medium"}]);
    assert_eq!(index["versions"][0]["advisories"], narrowed);
    for i in 1..4 {
        assert_eq!(index["versions"][i]["advisories"], Value::Null, "{index:#}");
    }

    // A range no version is in, and one that is not a range, are refused.
    let before = std::fs::read(world.reg.dir.join("index/hello.json")).unwrap();
    let (code, _, stderr) =
        world.advise(&["--id", "PK-2", "--affected", ">=9", "--severity", "low"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no published version of hello is in the affected range `>=9`")
            && stderr.contains("1.0.0, 1.1.0, 1.2.0, 1.1.5"),
        "{stderr}"
    );
    let (code, _, stderr) =
        world.advise(&["--id", "PK-2", "--affected", "soon", "--severity", "low"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`soon` is not a SemVer requirement"),
        "{stderr}"
    );
    let (code, _, _) = world.advise(&["--id", "PK-2", "--affected", "<2", "--severity", "dire"]);
    assert_eq!(code, 2);
    assert_eq!(
        std::fs::read(world.reg.dir.join("index/hello.json")).unwrap(),
        before
    );
}

#[test]
fn audit_lists_the_advisories_of_installed_versions() {
    let world = World::new("");
    world.ok(&["add", "hello@=1.0.0", "world"]);
    crate::support::native_plugin(&world.context.path("src"), "local", "");
    world.ok(&["add", "../src/local"]);

    // No advisories yet: exit 0.
    let (code, document) = world.host.run_json(&["audit", "--format", "json"]);
    assert_eq!(code, 0, "{document:#}");
    let not_checked = json!([{"plugin": "local", "source": document["not_checked"][0]["source"]}]);
    assert_eq!(
        document,
        json!({"version": 1, "advisories": [], "checked": 2, "not_checked": not_checked})
    );
    assert!(
        document["not_checked"][0]["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("path+")),
        "{document:#}"
    );

    world.advise_pk1();
    let (code, document) = world.host.run_json(&["audit", "--format", "json"]);
    assert_eq!(code, 1, "{document:#}");
    assert_eq!(
        document,
        json!({
            "version": 1,
            "advisories": [{
                "plugin": "hello",
                "installed": "1.0.0",
                "id": "PK-2026-1",
                "severity": "high",
                "affected": "<1.2.0",
                "fixed": "1.2.0",
                "url": "https://example.com/PK-2026-1"
            }],
            "checked": 2,
            "not_checked": not_checked
        })
    );
    let (code, stdout, stderr) = world.run(&["audit"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("hello") && stdout.contains("PK-2026-1") && stdout.contains("high"),
        "{stdout}"
    );
    assert!(stderr.contains("not checked: local"), "{stderr}");

    // The fixed version: nothing left.
    world.ok(&["add", "--force", "hello@=1.2.0"]);
    let (code, document) = world.host.run_json(&["audit", "--format", "json"]);
    assert_eq!(code, 0, "{document:#}");
    assert_eq!(document["advisories"], json!([]));
    assert!(world.server.hits() > 0);
}

#[test]
fn add_warns_and_deny_advisories_refuses_with_nothing_changed() {
    let world = World::new("");
    world.advise_pk1();
    let stderr = world.refused(&["add", "hello@=1.1.0", "--deny-advisories"]);
    assert!(
        stderr.contains(
            "hello 1.1.0 has an advisory: PK-2026-1 (high); with --deny-advisories nothing was installed"
        ),
        "{stderr}"
    );
    assert!(!world.host.plugins().join("hello").exists());

    // A version it does not affect installs, with no warning.
    let (_, stderr) = world.ok(&["add", "world", "--deny-advisories"]);
    assert!(!stderr.contains("advisor"), "{stderr}");

    let (_, stderr) = world.ok(&["add", "hello@=1.1.0"]);
    assert!(
        stderr.contains("hello 1.1.0 has an advisory: PK-2026-1 (high)"),
        "{stderr}"
    );
    assert!(world.host.plugins().join("hello").is_dir());
}

#[test]
fn sync_warns_and_deny_advisories_refuses_with_nothing_changed() {
    let world = World::new("hello = \"~1.1\"\nworld = \"^1\"\n");
    world.advise_pk1();
    let stderr = world.refused(&["sync", "--deny-advisories"]);
    assert!(
        stderr.contains("hello 1.1.0 has an advisory: PK-2026-1 (high); with --deny-advisories"),
        "{stderr}"
    );
    let (_, stderr) = world.ok(&["sync"]);
    assert!(
        stderr.contains("hello 1.1.0 has an advisory: PK-2026-1 (high)"),
        "{stderr}"
    );
    assert!(world.host.plugins().join("hello").is_dir());
    assert!(world.host.plugins().join("world").is_dir());
    // Nothing to install: nothing to refuse.
    world.ok(&["sync", "--deny-advisories"]);
}

#[test]
fn outdated_marks_installed_versions_with_advisories() {
    let world = World::new("");
    world.ok(&["add", "hello@=1.0.0", "world"]);
    world.advise_pk1();
    let (code, document) = world.host.run_json(&["outdated", "--format", "json"]);
    assert_eq!(code, 0, "{document:#}");
    let plugins: BTreeMap<String, Value> = document["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_owned(), p.clone()))
        .collect();
    assert_eq!(plugins["hello"]["advisories"], json!([pk1()]));
    assert_eq!(plugins["world"]["advisories"], json!([]));
    let (stdout, stderr) = world.ok(&["outdated"]);
    assert!(stdout.contains("1.0.0 (advisory)"), "{stdout}");
    assert!(
        stderr.contains("hello 1.0.0 has an advisory: PK-2026-1 (high)"),
        "{stderr}"
    );
}
