//! What `add` of a ZIP and `sync` already did, done by the other ways in too: `sync --locked`
//! checks what it installs against the registry's advisories as `sync` does (a warning each, and
//! `--deny-advisories` refuses with nothing changed); `add` from a git repository or a local
//! folder (copied or linked) warns about files that look like secrets as `add` of a ZIP does,
//! with the same detector (src/package/secrets.rs); and `validate` warns (PK0508) about a file
//! of a plugin folder that `package` would refuse to pack for that reason.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::TestContext;
use crate::support::git::{Workspace, file_url};
use crate::support::install::{Host, Node, tree};
use crate::support::registry::{Plugin, RegistryDir, RegistryServer};
use crate::support::{native_plugin, write};

/// A PEM private key, as `package` refuses it by content.
const KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

/// A registry with hello 1.1.0 and 1.2.0, served on 127.0.0.1; a host whose `[plugins]` asks for
/// hello ~1.1 from it.
struct World {
    context: TestContext,
    _server: RegistryServer,
    host: Host,
}

impl World {
    fn new() -> World {
        let context = TestContext::new();
        let reg = RegistryDir::new(&context, &context.path("reg"), &context.path("packages"));
        for version in ["1.1.0", "1.2.0"] {
            reg.publish(&Plugin::new("hello", version));
        }
        let server = RegistryServer::start(&reg.dir);
        let host = Host::at(&context, &context.path("host"));
        host.put("pluginkit.toml", toml(&server).as_bytes());
        World {
            context,
            _server: server,
            host,
        }
    }

    /// The advisory PK-2026-1 on hello before 1.2.0.
    fn advise(&self) {
        let (code, _, stderr) = self
            .context
            .pluginkit()
            .args(["registry", "advise", "hello", "--dir", "reg"])
            .args(["--id", "PK-2026-1", "--affected", "<1.2.0"])
            .args(["--fixed", "1.2.0", "--severity", "high"])
            .run();
        assert_eq!(code, 0, "{stderr}");
    }
}

fn toml(server: &RegistryServer) -> String {
    format!(
        "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{}\"\n\n[plugins]\nhello = \"~1.1\"\n",
        server.url()
    )
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

#[test]
fn sync_locked_warns_about_advisories_and_deny_advisories_refuses_with_nothing_changed() {
    let world = World::new();
    let (code, _, stderr) = world.host.run(&["sync"]);
    assert_eq!(code, 0, "{stderr}");
    world.advise();

    // A second server of the same application: the same pluginkit.toml and pluginkit.lock.
    let server = Host::at(&world.context, &world.context.path("server"));
    for file in ["pluginkit.toml", "pluginkit.lock"] {
        server.put(file, &std::fs::read(world.host.path(file)).unwrap());
    }
    let before = tree(server.root());
    let (code, _, stderr) = server.run(&["sync", "--locked", "--deny-advisories"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "hello 1.1.0 has an advisory: PK-2026-1 (high); with --deny-advisories nothing was installed"
        ),
        "{stderr}"
    );
    let after = tree(server.root());
    assert!(
        changed(&before, &after).is_empty(),
        "{:?}",
        changed(&before, &after)
    );

    // --dry-run warns as well.
    let (code, _, stderr) = server.run(&["sync", "--locked", "--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("hello 1.1.0 has an advisory: PK-2026-1 (high)"),
        "{stderr}"
    );

    let (code, stdout, stderr) = server.run(&["sync", "--locked"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: hello 1.1.0 has an advisory: PK-2026-1 (high)"),
        "{stderr}"
    );
    assert_eq!(stdout, "install hello 1.1.0\n");
    // In sync: nothing to install, nothing to check or refuse.
    let (code, _, stderr) = server.run(&["sync", "--locked", "--deny-advisories"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("advisory"), "{stderr}");
}

/// The warning `add` of a ZIP gives (src/ops/install.rs `warn_secrets`).
fn warned(stderr: &str, shown: &str, file: &str, why: &str) -> bool {
    stderr.contains(&format!(
        "warning: {shown} holds {file}, which looks like a secret ({why})"
    ))
}

#[test]
fn add_from_a_folder_warns_about_files_that_look_like_secrets() {
    let host = Host::new();
    let src = host.path("../src");
    native_plugin(&src, "hello", "");
    write(&src, "hello/deploy/id_ed25519", "key");
    write(&src, "hello/certs/server.pem", KEY);
    write(&src, "hello/clean.txt", "nothing here");

    let (code, _, stderr) = host.run(&["add", "../src/hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        warned(
            &stderr,
            "../src/hello",
            "hello/deploy/id_ed25519",
            "an SSH private key"
        ),
        "{stderr}"
    );
    assert!(
        warned(
            &stderr,
            "../src/hello",
            "hello/certs/server.pem",
            "a private key"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("looks like a secret").count(), 2, "{stderr}");
    // It goes in all the same, as a ZIP's does.
    assert!(host.plugins().join("hello/certs/server.pem").is_file());

    // Linked for development: the same.
    let (code, _, stderr) = host.run(&["add", "../src/hello", "--link", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        warned(
            &stderr,
            "../src/hello",
            "hello/deploy/id_ed25519",
            "an SSH private key"
        ),
        "{stderr}"
    );
}

#[test]
fn add_from_git_warns_about_files_that_look_like_secrets() {
    let ws = Workspace::new();
    let repo = ws.repo("hello");
    repo.plugin("", "hello", "1.0.0")
        .write(".git-credentials", "https://user:token@example.com\n")
        .write("keys/deploy.key", KEY);
    repo.commit("first");
    let url = file_url(&repo.dir);
    let host = Host::new();

    let (code, _, stderr) = host.run(&["add", &url, "--branch", "main"]);
    assert_eq!(code, 0, "{stderr}");
    let shown = format!("{url} at ");
    assert!(
        stderr.contains(&shown)
            && stderr.contains(
                "holds hello/.git-credentials, which looks like a secret (git credentials)"
            ),
        "{stderr}"
    );
    assert!(
        stderr.contains("holds hello/keys/deploy.key, which looks like a secret (a private key)"),
        "{stderr}"
    );
}

/// `validate` warns about the file `package` refuses, and neither complains once the plugin's
/// `.pluginignore` leaves it out.
#[test]
fn validate_warns_about_what_package_would_refuse() {
    let context = TestContext::new();
    let dir = native_plugin(context.root(), "hello", "");
    write(&dir, "certs/server.key", KEY);
    // Private by default (never packed): no finding for it.
    write(&dir, ".env", "TOKEN=x\n");

    let (code, json) = context.run_json(&["validate", "hello", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    let findings: Vec<&Value> = json["findings"].as_array().unwrap().iter().collect();
    assert_eq!(findings.len(), 1, "{json}");
    assert_eq!(findings[0]["code"], "PK0508");
    assert_eq!(findings[0]["severity"], "warning");
    assert_eq!(findings[0]["file"], "hello/certs/server.key");
    let (code, _, _) = context.run(&["validate", "hello", "--strict"]);
    assert_eq!(code, 1);
    let (code, _, stderr) = context.run(&["package", "hello", "-o", "../dist/"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("hello/certs/server.key (a private key) looks like a secret"),
        "{stderr}"
    );

    write(&dir, ".pluginignore", "/certs/server.key\n");
    let (code, _, stderr) = context.run(&["validate", "hello", "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = context.run(&["package", "hello", "-o", "../dist/"]);
    assert_eq!(code, 0, "{stderr}");
}
