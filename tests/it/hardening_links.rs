//! Issue 14's links, git tokens and credentials: a symbolic link is judged by where it really
//! leads (through the plugin's other links), when a git plugin is installed and when `verify`
//! looks at an installed one; the git token goes only over https and only to the hosts
//! `[git] token-hosts` names; a user name and password in a URL reach no record and no message,
//! from `add` or from `[plugins]` through `sync`, however malformed the URL.
//!
//! Servers run on 127.0.0.1 only: `git http-backend` behind a small HTTP server, and an https
//! front before it with a self-signed certificate that pluginkit is told to trust.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::git::{Repo, SmartHttp, Workspace, base64, file_url};
use crate::support::install::{Host, snapshot};
use crate::support::tls::HttpsFront;

/// Every run here is bounded: a link loop or a server that never answers fails the test.
const TIMEOUT: Duration = Duration::from_secs(90);

const TOKEN: &str = "tok-hardening-7c6b5a49";
const PASSWORD: &str = "pw-hardening-3e2d1c0b";

struct World {
    ws: Workspace,
    host: Host,
}

impl World {
    fn new() -> World {
        World {
            ws: Workspace::new(),
            host: Host::new(),
        }
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
        self.host
            .pluginkit()
            .envs(env)
            .args(args)
            .timeout(TIMEOUT)
            .run()
    }

    fn ok(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let (code, stdout, stderr) = self.run(args, env);
        assert_eq!(
            code, 0,
            "pluginkit {args:?} failed:\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        stdout
    }

    /// Run, expect exit 1 with each of `needles` in stderr and the host as it was; return
    /// stdout and stderr together.
    fn fails(&self, args: &[&str], env: &[(&str, &str)], needles: &[&str]) -> String {
        let before = snapshot(&self.host);
        let (code, stdout, stderr) = self.run(args, env);
        assert_eq!(
            code, 1,
            "pluginkit {args:?} should fail:\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        for needle in needles {
            assert!(
                stderr.contains(needle),
                "pluginkit {args:?}: stderr should contain {needle:?}:\n{stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            snapshot(&self.host),
            before,
            "pluginkit {args:?} changed the host"
        );
        assert!(self.host.staging().is_empty(), "a staging folder was left");
        format!("{stdout}{stderr}")
    }

    /// `pluginkit.toml` with `extra` after `[host]`.
    fn config(&self, extra: &str) {
        self.host.put(
            "pluginkit.toml",
            format!("[host]\nplugins-dir = \"plugins\"\n\n{extra}").as_bytes(),
        );
    }

    /// A repository `hello` (a native plugin, tagged `v1.0.0`) served from `served/hello.git`.
    fn hello_served(&self) -> Repo {
        let repo = self.ws.repo("work/hello");
        repo.plugin("", "hello", "1.0.0")
            .write("lib/code.py", "print('hello')\n");
        repo.commit("hello 1.0.0");
        repo.tag("v1.0.0");
        repo.bare_clone(&self.ws.served().join("hello.git"));
        repo
    }
}

/// Every path under `root` (not following links) that is a symbolic link.
fn links_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let kind = entry.file_type().expect("a file type");
            if kind.is_symlink() {
                out.push(entry.path());
            } else if kind.is_dir() {
                pending.push(entry.path());
            }
        }
    }
    out
}

/// Every file under `root` (not following links) whose bytes contain `needle`.
fn files_containing(root: &Path, needle: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let kind = entry.file_type().expect("a file type");
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                let bytes = std::fs::read(entry.path()).expect("read");
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    out.push(entry.path());
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// 1. Links, judged by where they lead

/// A tag of the repository, its links (path, target), and what the refusal says.
type LinkCase = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

/// The issue's input (`b -> .` and `etc -> b/b/b/../../../etc`, which names alone keep inside)
/// and variants: through a link to the plugin's root, a loop, a manifest that leads to a device.
/// Each is refused before any link is written, and the host is as it was.
#[test]
fn git_links_that_leave_the_plugin_through_other_links_are_refused() {
    let world = World::new();
    let repo = world.ws.repo("work/hello");
    let cases: [LinkCase; 5] = [
        (
            "issue",
            &[("b", "."), ("etc", "b/b/b/../../../etc")],
            "outside the plugin",
        ),
        (
            "from-a-folder",
            &[("b", "."), ("docs/passwd", "../b/b/b/../../../etc/passwd")],
            "outside the plugin",
        ),
        (
            "via-the-root",
            &[("lib/up", ".."), ("lib/secret", "up/../secret")],
            "outside the plugin",
        ),
        (
            "loop",
            &[("lib/a", "b"), ("lib/b", "a")],
            "40 symbolic links",
        ),
        (
            "manifest",
            &[("b", "."), ("docs/notes.md", "../b/b/b/../../../dev/null")],
            "outside the plugin",
        ),
    ];
    for (tag, links, _) in &cases {
        repo.git(&["rm", "-r", "--quiet", "--ignore-unmatch", "."]);
        repo.plugin("", "hello", "1.0.0")
            .write("docs/guide.md", "# guide\n");
        for (at, target) in *links {
            repo.symlink(at, target);
        }
        repo.commit(tag);
        repo.tag(tag);
    }
    // The manifest itself a link that leaves, to a device: never read (plugin.toml -> /dev/null,
    // which an earlier version read as an empty manifest).
    repo.git(&["rm", "-r", "--quiet", "--ignore-unmatch", "."]);
    repo.write("README.md", "# hello\n")
        .symlink("b", ".")
        .symlink("plugin.toml", "b/b/b/../../../dev/null");
    repo.commit("device manifest");
    repo.tag("device-manifest");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let url = file_url(&bare);

    for (tag, _, why) in cases.iter().map(|(t, l, w)| (*t, *l, *w)).chain([(
        "device-manifest",
        &[][..],
        "outside the plugin",
    )]) {
        let output = world.fails(
            &["add", &url, "--tag", tag],
            &[],
            &["is a symbolic link to", why],
        );
        assert!(output.contains("nothing was installed"), "{tag}: {output}");
        assert_eq!(
            links_under(world.host.root()),
            Vec::<PathBuf>::new(),
            "{tag}"
        );
    }
}

/// Links that stay inside, however they get there, are kept as they are.
#[test]
fn git_links_that_stay_inside_through_other_links_are_kept() {
    let world = World::new();
    let repo = world.ws.repo("work/hello");
    repo.plugin("", "hello", "1.0.0")
        .write("docs/guide.md", "# guide\n")
        .symlink("b", ".")
        .symlink("GUIDE.md", "b/b/b/docs/../docs/guide.md")
        .symlink("lib/up", "..")
        .symlink("lib/readme.md", "up/README.md")
        .symlink("dangling", "b/not-there");
    repo.commit("links");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));

    world.ok(&["add", &file_url(&bare), "--branch", "main"], &[]);

    let plugin = world.host.plugins().join("hello");
    assert_eq!(
        std::fs::read_link(plugin.join("GUIDE.md")).unwrap(),
        Path::new("b/b/b/docs/../docs/guide.md")
    );
    assert_eq!(
        std::fs::read_to_string(plugin.join("lib/readme.md")).unwrap(),
        "# hello 1.0.0\n"
    );
    assert_eq!(world.ok(&["verify"], &[]), "hello: ok\n");
}

/// `verify` judges the links in an installed plugin as an install does: one that leads
/// outside (planted after the install, or by an earlier version's install) makes the plugin
/// `unsafe`, and exit 1.
#[test]
fn verify_reports_links_that_lead_outside_a_plugin() {
    let world = World::new();
    let repo = world.ws.repo("work/hello");
    repo.plugin("", "hello", "1.0.0")
        .write("docs/guide.md", "# guide\n")
        .symlink("GUIDE.md", "docs/guide.md");
    repo.commit("hello");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    world.ok(&["add", &file_url(&bare), "--branch", "main"], &[]);
    assert_eq!(world.ok(&["verify"], &[]), "hello: ok\n");
    let plugin = world.host.plugins().join("hello");

    // The issue's pair.
    std::os::unix::fs::symlink(".", plugin.join("b")).unwrap();
    std::os::unix::fs::symlink("b/b/b/../../../etc", plugin.join("etc")).unwrap();
    let (code, stdout, stderr) = world.run(&["verify"], &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "hello: unsafe\n  link outside the plugin: etc -> b/b/b/../../../etc\n"
    );
    std::fs::remove_file(plugin.join("etc")).unwrap();
    assert_eq!(world.ok(&["verify"], &[]), "hello: ok\n");

    // An installed link pointed elsewhere, a loop, and an absolute link.
    std::fs::remove_file(plugin.join("GUIDE.md")).unwrap();
    std::os::unix::fs::symlink("docs/../../../../etc/passwd", plugin.join("GUIDE.md")).unwrap();
    std::os::unix::fs::symlink("loop", plugin.join("docs/loop")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", plugin.join("docs/host")).unwrap();
    let (code, json) = world
        .host
        .pluginkit()
        .args(["verify", "--format", "json"])
        .timeout(TIMEOUT)
        .run_json();
    assert_eq!(code, 1);
    assert_eq!(
        json["plugins"][0],
        serde_json::json!({
            "name": "hello", "status": "unsafe", "changed": [], "added": [], "missing": [],
            "links_outside": [
                "GUIDE.md -> docs/../../../../etc/passwd",
                "docs/host -> /etc/hostname",
                "docs/loop -> loop",
            ],
        })
    );
}

// ---------------------------------------------------------------------------------------------
// 2. The git token

/// Over plain http the token is never offered, not even to a host `[git] token-hosts` lists:
/// the server sees no `Authorization` header, and the error says why.
#[test]
fn the_git_token_never_goes_over_plain_http() {
    let world = World::new();
    world.hello_served();
    let http = SmartHttp::start_with(
        &world.ws.served(),
        &world.ws.home(),
        Some(("x-access-token", TOKEN)),
    );
    let url = http.url("hello.git");
    let env = [("PLUGINKIT_GIT_TOKEN", TOKEN)];

    let output = world.fails(
        &["add", &url, "--tag", "v1.0.0"],
        &env,
        &["authentication refused", "only over https"],
    );
    assert!(!output.contains(TOKEN), "{output}");
    assert!(
        http.seen().iter().all(|s| !s.authorization),
        "{:?}",
        http.seen()
    );

    // Listed, and still plain http; from [plugins] through `sync` alike.
    world.config(&format!(
        "[git]\ntoken-hosts = [\"127.0.0.1\"]\n\n[plugins]\nhello = {{ git = \"{url}\", tag = \"v1.0.0\" }}\n"
    ));
    world.fails(
        &["add", &url, "--tag", "v1.0.0"],
        &env,
        &["authentication refused", "token-hosts"],
    );
    let output = world.fails(&["sync"], &env, &["authentication refused"]);
    assert!(!output.contains(TOKEN), "{output}");
    assert!(
        http.seen().iter().all(|s| !s.authorization),
        "{:?}",
        http.seen()
    );
}

/// Over https the token goes to the hosts `[git] token-hosts` lists and to no other: by
/// default github.com and gitlab.com, which 127.0.0.1 is not.
#[test]
fn the_git_token_goes_only_to_the_hosts_it_is_meant_for() {
    let world = World::new();
    world.hello_served();
    let http = SmartHttp::start_with(
        &world.ws.served(),
        &world.ws.home(),
        Some(("x-access-token", TOKEN)),
    );
    let front = HttpsFront::start(http.port);
    let url = front.url("hello.git");
    let (cert_var, cert) = HttpsFront::env();
    let env = [("PLUGINKIT_GIT_TOKEN", TOKEN), (cert_var, cert.as_str())];
    let sent = format!(
        "Basic {}",
        base64(format!("x-access-token:{TOKEN}").as_bytes())
    );

    // No [git] token-hosts: 127.0.0.1 is none of the default hosts.
    let output = world.fails(
        &["add", &url, "--tag", "v1.0.0"],
        &env,
        &["authentication refused", "token-hosts"],
    );
    assert!(!output.contains(TOKEN), "{output}");
    assert!(
        front.seen().iter().all(|s| s.authorization.is_none()),
        "{:?}",
        front.seen()
    );

    // Other hosts, another port of this one, none at all.
    let other_port = format!("\"127.0.0.1:{}\"", front.port.wrapping_add(1));
    for hosts in ["\"github.com\"", "\"localhost\"", other_port.as_str(), ""] {
        world.config(&format!("[git]\ntoken-hosts = [{hosts}]\n"));
        world.fails(
            &["add", &url, "--tag", "v1.0.0"],
            &env,
            &["authentication refused"],
        );
        // From [plugins] through `sync` alike.
        world.config(&format!(
            "[git]\ntoken-hosts = [{hosts}]\n\n[plugins]\nhello = {{ git = \"{url}\", tag = \"v1.0.0\" }}\n"
        ));
        world.fails(&["sync"], &env, &["authentication refused"]);
        assert!(
            front.seen().iter().all(|s| s.authorization.is_none()),
            "token-hosts = [{hosts}]: {:?}",
            front.seen()
        );
    }

    // Listed by host and port, but the server redirects to another port: libgit2 follows, and
    // the token does not go where it was not meant to.
    let moved = HttpsFront::redirecting(front.port);
    world.config(&format!(
        "[git]\ntoken-hosts = [\"127.0.0.1:{}\"]\n",
        moved.port
    ));
    world.fails(
        &["add", &moved.url("hello.git"), "--tag", "v1.0.0"],
        &env,
        &["authentication refused", "token-hosts"],
    );
    assert!(!moved.seen().is_empty() && !front.seen().is_empty());
    assert!(
        front
            .seen()
            .iter()
            .chain(&moved.seen())
            .all(|s| s.authorization.is_none()),
        "{:?}",
        front.seen()
    );

    // Listed (by host, or host and port): sent, and never written or shown.
    let this_port = format!("\"127.0.0.1:{}\"", front.port);
    for hosts in ["\"127.0.0.1\"", this_port.as_str()] {
        world.config(&format!("[git]\ntoken-hosts = [\"github.com\", {hosts}]\n"));
        let stdout = world.ok(&["add", &url, "--tag", "v1.0.0", "--force"], &env);
        assert!(stdout.contains("hello 1.0.0"), "{stdout}");
        assert!(
            front
                .seen()
                .iter()
                .any(|s| s.authorization.as_deref() == Some(sent.as_str())),
            "{:?}",
            front.seen()
        );
        for secret in [TOKEN, &sent["Basic ".len()..]] {
            assert_eq!(
                files_containing(world.host.root(), secret),
                Vec::<PathBuf>::new()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Credentials in URLs

/// A `[plugins]` git URL with a user name and password: `sync` fetches with them, and they reach
/// neither the lock, the receipts, the journal nor any output; the next `sync` finds nothing to
/// do.
#[test]
fn credentials_in_a_plugins_git_url_reach_no_record_and_no_output() {
    let world = World::new();
    world.hello_served();
    let http = SmartHttp::start_with(
        &world.ws.served(),
        &world.ws.home(),
        Some(("ada", PASSWORD)),
    );
    let url = http.url("hello.git");
    let with_password = url.replace("http://", &format!("http://ada:{PASSWORD}@"));
    world.config(&format!(
        "[plugins]\nhello = {{ git = \"{with_password}\", tag = \"v1.0.0\" }}\n"
    ));

    let mut outputs = Vec::new();
    for args in [
        &["sync", "--dry-run"][..],
        &["sync", "--dry-run", "--format", "json"],
        &["sync"],
        &["list"],
        &["list", "--format", "json"],
        &["verify"],
    ] {
        let (code, stdout, stderr) = world.run(args, &[]);
        assert_eq!(code, 0, "{args:?}:\n{stdout}{stderr}");
        outputs.push(format!("{args:?}:\n{stdout}{stderr}"));
    }
    for output in &outputs {
        assert!(!output.contains(PASSWORD), "{output}");
    }
    let lock = std::fs::read_to_string(world.host.path("pluginkit.lock")).unwrap();
    assert!(
        lock.contains(&format!("source = \"git+{url}?tag=v1.0.0#")),
        "{lock}"
    );
    let written: Vec<PathBuf> = files_containing(world.host.root(), PASSWORD)
        .into_iter()
        .filter(|p| !p.ends_with("pluginkit.toml"))
        .collect();
    assert_eq!(written, Vec::<PathBuf>::new());

    // Installed as asked: nothing more to do.
    let (code, stdout, stderr) = world.run(&["sync", "--format", "json"], &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json["actions"], serde_json::json!([]), "{json}");
}

/// A `sync` that fails on a `[plugins]` git URL with a password names the entry and the URL
/// without it: a missing repository, a wrong password, a URL no parser takes.
#[test]
fn a_failing_sync_never_shows_the_password_in_a_plugins_url() {
    let world = World::new();
    world.hello_served();
    let http = SmartHttp::start_with(
        &world.ws.served(),
        &world.ws.home(),
        Some(("ada", PASSWORD)),
    );
    let port = http.port;
    for (url, needle) in [
        (
            format!("http://ada:{PASSWORD}@127.0.0.1:{port}/missing.git"),
            "",
        ),
        (
            format!("http://ada:{PASSWORD}-not@127.0.0.1:{port}/hello.git"),
            "authentication refused",
        ),
        (
            format!("http://ada:{PASSWORD}@127.0.0.1:99999/hello.git"),
            "",
        ),
        (format!("https://ada:{PASSWORD}@[127.0.0.1/hello.git"), ""),
    ] {
        world.config(&format!(
            "[plugins]\nhello = {{ git = \"{url}\", tag = \"v1.0.0\" }}\n"
        ));
        let output = world.fails(&["sync"], &[], &[needle]);
        assert!(!output.contains(PASSWORD), "{url}:\n{output}");
        assert!(output.contains("`hello`"), "the entry is named:\n{output}");
        let (_, json) = world
            .host
            .pluginkit()
            .args(["sync", "--dry-run", "--format", "json"])
            .timeout(TIMEOUT)
            .run_json();
        assert!(!json.to_string().contains(PASSWORD), "{json}");
    }
}

/// `add` with a URL that carries a password but no parser takes (a port out of range, a broken
/// IPv6 host, a mistyped scheme) fails without echoing the password.
#[test]
fn a_malformed_url_with_a_password_is_not_echoed() {
    let world = World::new();
    for url in [
        format!("https://ada:{PASSWORD}@127.0.0.1:99999/hello.git"),
        format!("https://ada:{PASSWORD}@[127.0.0.1/hello.git"),
        format!("https://ada:{PASSWORD}@127.0.0.1:99999/hello-1.0.zip"),
        format!("htps://ada:{PASSWORD}@127.0.0.1/hello"),
        format!("ada:{PASSWORD}@127.0.0.1"),
    ] {
        let before = snapshot(&world.host);
        let (code, stdout, stderr) = world.run(&["add", &url], &[]);
        assert_ne!(code, 0, "{url}: {stdout}{stderr}");
        assert!(
            !stdout.contains(PASSWORD) && !stderr.contains(PASSWORD),
            "{url}:\n{stdout}{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(snapshot(&world.host), before);
    }
}
