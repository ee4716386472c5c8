//! `pluginkit add <git-url>` and what follows from it (`outdated`, `upgrade`), against real
//! repositories made with the git command line and served on 127.0.0.1 by `git daemon` and by
//! `git http-backend` behind a small HTTP server (with basic auth where a test needs it).
//! Whatever fails leaves the plugins folder, `pluginkit.toml` and `pluginkit.lock` exactly as
//! they were; no credential is ever shown or written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::git;
use crate::support::git::{GitDaemon, Repo, SmartHttp, Workspace, file_url, free_port};
use crate::support::install;
use crate::support::install::{Host, installed_files, snapshot};
use crate::support::tls::HttpsFront;

/// A host and a workspace for repositories, side by side; pluginkit runs with its test context's
/// empty HOME and no git, netrc, token or proxy variables, so no `~/.gitconfig`, `~/.netrc` or
/// credential helper of the developer counts.
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

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.run_env(args, &[])
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
        self.host.pluginkit().envs(env).args(args).run()
    }

    /// Run, expect success, return stdout.
    fn ok(&self, args: &[&str]) -> String {
        self.ok_env(args, &[])
    }

    fn ok_env(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let (code, stdout, stderr) = self.run_env(args, env);
        assert_eq!(
            code, 0,
            "pluginkit {args:?} failed:\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        stdout
    }

    /// Run, expect exit 1 with each of `needles` in stderr and the host byte for byte as it was;
    /// return stderr.
    fn fails(&self, args: &[&str], env: &[(&str, &str)], needles: &[&str]) -> String {
        let before = snapshot(&self.host);
        let (code, stdout, stderr) = self.run_env(args, env);
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
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "{stderr}"
        );
        assert_eq!(
            snapshot(&self.host),
            before,
            "pluginkit {args:?} changed the host:\n{stderr}"
        );
        assert!(
            self.host.staging().is_empty(),
            "no staging folder is left behind"
        );
        stderr
    }

    /// The `source` that `pluginkit.lock` records for `name`.
    fn locked_source(&self, name: &str) -> String {
        let text = std::fs::read_to_string(self.host.path("pluginkit.lock"))
            .expect("pluginkit.lock exists");
        let doc: toml::Table = text.parse().expect("pluginkit.lock is TOML");
        let plugins = doc["plugin"].as_array().expect("[[plugin]] entries");
        let entry = plugins
            .iter()
            .find(|p| p["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("{name} is locked:\n{text}"));
        entry["source"].as_str().expect("a source").to_owned()
    }

    /// `[plugins].NAME` in `pluginkit.toml`, parsed, and its line as written.
    fn plugins_entry(&self, name: &str) -> (toml::Value, String) {
        let text = std::fs::read_to_string(self.host.path("pluginkit.toml")).unwrap();
        let doc: toml::Table = text.parse().expect("pluginkit.toml is TOML");
        let value = doc
            .get("plugins")
            .and_then(|p| p.get(name))
            .unwrap_or_else(|| panic!("[plugins] {name} in:\n{text}"))
            .clone();
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{name} = ")))
            .unwrap_or_default()
            .to_owned();
        (value, line)
    }

    fn assert_plugins_entry(&self, name: &str, expected: &[(&str, &str)]) {
        let (value, line) = self.plugins_entry(name);
        let expected: toml::Table = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), toml::Value::String((*v).to_owned())))
            .collect();
        assert_eq!(
            value.as_table(),
            Some(&expected),
            "[plugins] {name}: {line}"
        );
        assert!(
            line.starts_with(&format!("{name} = {{ git = ")),
            "an inline table that starts with the URL: {line}"
        );
    }

    /// Run, expect success, parse stdout as JSON.
    fn json(&self, args: &[&str], env: &[(&str, &str)]) -> serde_json::Value {
        let stdout = self.ok_env(args, env);
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
    }

    fn plugin_file(&self, name: &str, rel: &str) -> String {
        std::fs::read_to_string(self.host.plugins().join(name).join(rel))
            .unwrap_or_else(|e| panic!("plugins/{name}/{rel}: {e}"))
    }
}

/// A repository `hello` in the workspace: `v1.0.0` (lightweight tag) holds the plugin at 1.0.0
/// with `lib/code.py`; the next commit, tagged `v1.1.0` (annotated), bumps it and adds
/// `lib/new.py`. Returns the work repository and the two commits.
fn hello_repo(ws: &Workspace) -> (Repo, String, String) {
    let repo = ws.repo("work/hello");
    repo.plugin("", "hello", "1.0.0")
        .write("lib/code.py", "print('hello 1.0.0')\n");
    let first = repo.commit("hello 1.0.0");
    repo.tag("v1.0.0");
    repo.plugin("", "hello", "1.1.0")
        .write("lib/code.py", "print('hello 1.1.0')\n")
        .write("lib/new.py", "NEW = True\n");
    let second = repo.commit("hello 1.1.0");
    repo.annotated_tag("v1.1.0");
    (repo, first, second)
}

/// Every file under `root` (not following links) whose bytes contain `needle`.
fn files_containing(root: &Path, needle: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, needle: &[u8], out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() {
                walk(&path, needle, out);
            } else if kind.is_file() {
                let bytes = std::fs::read(&path).expect("read");
                if bytes.windows(needle.len()).any(|w| w == needle) {
                    out.push(path);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(root, needle.as_bytes(), &mut out);
    out
}

/// `secret` appears nowhere: not in the output, not in any file of the host (also not as the
/// base64 of a basic auth header).
fn assert_secret_kept(world: &World, secret: &str, outputs: &[&str]) {
    for output in outputs {
        assert!(!output.contains(secret), "the secret was shown:\n{output}");
    }
    assert_eq!(
        files_containing(world.host.root(), secret),
        Vec::<PathBuf>::new(),
        "files in the host that hold the secret"
    );
    for user in ["x-access-token", "ada"] {
        let header = git::base64(format!("{user}:{secret}").as_bytes());
        assert_eq!(
            files_containing(world.host.root(), &header),
            Vec::<PathBuf>::new()
        );
    }
}

fn short(commit: &str) -> &str {
    &commit[..12]
}

// ---------------------------------------------------------------------------------------------
// The test servers themselves

#[test]
fn the_test_servers_serve_git_clone() {
    assert_eq!(git::base64(b"ada:s3cret"), "YWRhOnMzY3JldA==");
    assert_eq!(git::base64(b"M"), "TQ==");
    assert_eq!(git::base64(b"Ma"), "TWE=");
    assert_eq!(git::base64(b"Man"), "TWFu");

    let ws = Workspace::new();
    let (repo, _, second) = hello_repo(&ws);
    repo.bare_clone(&ws.served().join("hello.git"));
    let clone = |url: &str, dest: &str| {
        git::git_command(&ws.home())
            .current_dir(ws.root())
            .args(["clone", "--quiet", "--depth", "1", url, dest])
            .output()
            .expect("git clone runs")
    };
    let assert_cloned = |output: std::process::Output, dest: &str| {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let dir = ws.root().join(dest);
        assert!(dir.join("plugin.toml").is_file());
        assert_eq!(git::git(&ws.home(), &dir, &["rev-parse", "HEAD"]), second);
        let depth = git::git(&ws.home(), &dir, &["rev-list", "--count", "HEAD"]);
        assert_eq!(depth, "1", "a shallow clone");
    };

    let daemon = GitDaemon::start(&ws.served(), &ws.home());
    assert_cloned(clone(&daemon.url("hello.git"), "via-daemon"), "via-daemon");

    let http = SmartHttp::start(&ws.served(), &ws.home());
    assert_cloned(clone(&http.url("hello.git"), "via-http"), "via-http");
    let seen = http.seen();
    assert!(
        seen.iter().any(|s| s.method == "GET"
            && s.url == "/hello.git/info/refs?service=git-upload-pack"
            && s.status == 200),
        "{seen:#?}"
    );
    assert!(
        seen.iter()
            .any(|s| s.method == "POST" && s.url == "/hello.git/git-upload-pack" && s.deepen),
        "{seen:#?}"
    );
    let missing = clone(&http.url("missing.git"), "via-http-missing");
    assert!(!missing.status.success());

    let guarded = SmartHttp::start_with(&ws.served(), &ws.home(), Some(("ada", "s3cret")));
    let refused = clone(&guarded.url("hello.git"), "refused");
    assert!(!refused.status.success(), "no credentials, no clone");
    assert!(guarded.seen().iter().all(|s| s.status == 401));
    guarded.clear();
    let with_password = guarded
        .url("hello.git")
        .replace("http://", "http://ada:s3cret@");
    assert_cloned(clone(&with_password, "via-auth"), "via-auth");
    let seen = guarded.seen();
    assert!(
        seen.iter().any(|s| s.authorization && s.status == 200),
        "{seen:#?}"
    );
    assert!(seen.iter().all(|s| s.authorization || s.status == 401));
}

// ---------------------------------------------------------------------------------------------
// Installing

#[test]
fn a_tag_installs_the_tree_at_that_commit_from_a_file_url() {
    let world = World::new();
    let (repo, first, _) = hello_repo(&world.ws);
    // Work after the tag is not installed.
    repo.write("lib/later.py", "LATER = True\n");
    repo.commit("later work");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let url = file_url(&bare);

    let stdout = world.ok(&["add", &url, "--tag", "v1.0.0"]);

    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    let files: Vec<String> = installed_files(&world.host.plugins().join("hello"))
        .into_keys()
        .collect();
    assert_eq!(files, ["README.md", "lib/code.py", "plugin.toml"]);
    assert_eq!(
        world.plugin_file("hello", "lib/code.py"),
        "print('hello 1.0.0')\n"
    );
    assert!(!world.host.plugins().join("hello/.git").exists(), "no .git");
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?tag=v1.0.0#{first}")
    );
    assert_eq!(
        world.host.locked(),
        [("hello".to_owned(), "1.0.0".to_owned())]
    );
    world.assert_plugins_entry("hello", &[("git", &url), ("tag", "v1.0.0")]);
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
}

#[test]
fn an_annotated_tag_is_locked_by_the_commit_it_tags() {
    let world = World::new();
    let (repo, _, second) = hello_repo(&world.ws);
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let url = file_url(&bare);
    let tag_object = repo.rev_parse("v1.1.0");
    assert_ne!(
        tag_object, second,
        "an annotated tag is an object of its own"
    );

    let stdout = world.ok(&["add", &url, "--tag", "v1.1.0"]);

    assert_eq!(stdout, "installed hello 1.1.0 into plugins/hello\n");
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?tag=v1.1.0#{second}")
    );
    assert!(world.host.plugins().join("hello/lib/new.py").is_file());
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
}

#[test]
fn a_bare_repository_path_installs_its_default_branch() {
    let world = World::new();
    let (repo, _, second) = hello_repo(&world.ws);
    // Another branch moves on; the default branch (main) is what installs.
    repo.branch("dev").plugin("", "hello", "2.0.0-dev.1");
    repo.commit("dev work");
    repo.checkout("main");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let path = bare.display().to_string();

    let stdout = world.ok(&["add", &path]);

    assert_eq!(stdout, "installed hello 1.1.0 into plugins/hello\n");
    assert_eq!(world.locked_source("hello"), format!("git+{path}#{second}"));
    world.assert_plugins_entry("hello", &[("git", &path)]);
    assert!(!world.host.plugins().join("hello/.git").exists());
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");

    // file:// to the same repository, default branch: no query either.
    let url = file_url(&bare);
    world.ok(&["add", "--force", &url]);
    assert_eq!(world.locked_source("hello"), format!("git+{url}#{second}"));
    world.assert_plugins_entry("hello", &[("git", &url)]);
}

#[test]
fn a_work_tree_is_copied_as_a_folder_unless_a_git_flag_is_given() {
    let world = World::new();
    let (repo, _, second) = hello_repo(&world.ws);
    repo.write("uncommitted.txt", "not committed\n");
    let path = repo.dir.display().to_string();

    world.ok(&["add", &path]);
    let source = world.locked_source("hello");
    assert!(!source.starts_with("git+"), "copied as a folder: {source}");
    assert!(world.host.plugins().join("hello/uncommitted.txt").is_file());

    world.ok(&["add", "--force", &path, "--branch", "main"]);
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{path}?branch=main#{second}")
    );
    world.assert_plugins_entry("hello", &[("git", &path), ("branch", "main")]);
    assert!(
        !world.host.plugins().join("hello/uncommitted.txt").exists(),
        "only what is committed"
    );
    assert!(!world.host.plugins().join("hello/.git").exists());
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
}

#[test]
fn branches_and_commits_can_be_pinned() {
    let world = World::new();
    let (repo, first, _) = hello_repo(&world.ws);
    repo.branch("feature/a&b")
        .plugin("", "hello", "2.0.0-beta.1");
    let feature = repo.commit("beta");
    repo.checkout("main");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let url = file_url(&bare);

    // A branch; `&` in its name is percent-encoded in the lockfile.
    let stdout = world.ok(&["add", &url, "--branch", "feature/a&b"]);
    assert_eq!(stdout, "installed hello 2.0.0-beta.1 into plugins/hello\n");
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?branch=feature/a%26b#{feature}")
    );
    world.assert_plugins_entry("hello", &[("git", &url), ("branch", "feature/a&b")]);

    // A full commit id that no branch or tag is at the tip of... (v1.0.0 is a tag, so use its
    // id: still a full id).
    world.ok(&["add", "--force", &url, "--rev", &first]);
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?rev={first}#{first}")
    );
    assert_eq!(world.host.locked()[0].1, "1.0.0");
    world.assert_plugins_entry("hello", &[("git", &url), ("rev", &first)]);

    // ...and an abbreviated one, recorded as given, locked in full.
    let abbreviated = &first[..8];
    world.ok(&["add", "--force", &url, "--rev", abbreviated]);
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?rev={abbreviated}#{first}")
    );
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
}

#[test]
fn a_commit_that_is_no_tip_installs_over_git_daemon() {
    let world = World::new();
    let repo = world.ws.repo("work/hello");
    repo.plugin("", "hello", "1.0.0");
    let old = repo.commit("1.0.0");
    repo.plugin("", "hello", "1.1.0");
    repo.commit("1.1.0");
    repo.bare_clone(&world.ws.served().join("hello.git"));
    let daemon = GitDaemon::start(&world.ws.served(), &world.ws.home());
    let url = daemon.url("hello.git");

    world.ok(&["add", &url, "--rev", &old[..10]]);
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?rev={}#{old}", &old[..10])
    );
    assert_eq!(world.host.locked()[0].1, "1.0.0");

    world.ok(&["add", "--force", &url, "--rev", &old]);
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?rev={old}#{old}")
    );
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
}

#[test]
fn a_plugin_in_a_folder_of_a_monorepo_installs_with_subdir() {
    let world = World::new();
    let repo = world.ws.repo("work/mono");
    repo.write("README.md", "# many plugins\n")
        .plugin("plugins/greeter", "hello", "1.0.0")
        .write("plugins/greeter/data/words.txt", "hi\n")
        .plugin("plugins/other", "other", "1.0.0");
    let commit = repo.commit("plugins");
    repo.tag("v1.0.0");
    let bare = repo.bare_clone(&world.ws.served().join("acme-plugins.git"));
    let url = file_url(&bare);

    let stdout = world.ok(&[
        "add",
        &url,
        "--tag",
        "v1.0.0",
        "--subdir",
        "plugins/greeter",
        "--semver",
        ">=1.0, <2",
    ]);

    // Named as its manifest says, whatever the folder in the repository is called.
    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    let files: Vec<String> = installed_files(&world.host.plugins().join("hello"))
        .into_keys()
        .collect();
    assert_eq!(files, ["README.md", "data/words.txt", "plugin.toml"]);
    assert_eq!(world.plugin_file("hello", "README.md"), "# hello 1.0.0\n");
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?tag=v1.0.0&subdir=plugins/greeter&semver=>%3D1.0,%20<2#{commit}")
    );
    world.assert_plugins_entry(
        "hello",
        &[
            ("git", &url),
            ("tag", "v1.0.0"),
            ("subdir", "plugins/greeter"),
            ("semver", ">=1.0, <2"),
        ],
    );
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
}

#[test]
fn a_repository_named_otherwise_installs_under_the_manifest_name() {
    let world = World::new();
    let (repo, first, _) = hello_repo(&world.ws);
    let bare = repo.bare_clone(&world.ws.served().join("pluginkit-hello.git"));
    let url = file_url(&bare);

    let stdout = world.ok(&["add", &url, "--tag", "v1.0.0"]);

    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?tag=v1.0.0#{first}")
    );
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
}

#[test]
fn git_daemon_and_smart_http_install_with_a_shallow_fetch() {
    let world = World::new();
    let (repo, first, second) = hello_repo(&world.ws);
    repo.bare_clone(&world.ws.served().join("hello.git"));

    let daemon = GitDaemon::start(&world.ws.served(), &world.ws.home());
    let url = daemon.url("hello.git");
    let stdout = world.ok(&["add", &url, "--tag", "v1.0.0"]);
    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?tag=v1.0.0#{first}")
    );
    world.assert_plugins_entry("hello", &[("git", &url), ("tag", "v1.0.0")]);
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
    let packets = daemon.packet_log();
    assert!(packets.contains("deepen 1"), "a shallow fetch:\n{packets}");

    let http = SmartHttp::start(&world.ws.served(), &world.ws.home());
    let url = http.url("hello.git");
    let stdout = world.ok(&["add", "--force", &url]);
    assert!(
        stdout.starts_with("replaced hello 1.1.0 in plugins/hello (the old one is in "),
        "{stdout}"
    );
    assert_eq!(world.locked_source("hello"), format!("git+{url}#{second}"));
    world.assert_plugins_entry("hello", &[("git", &url)]);
    let seen = http.seen();
    assert!(
        seen.iter()
            .any(|s| s.method == "POST" && s.url == "/hello.git/git-upload-pack" && s.deepen),
        "a shallow fetch: {seen:#?}"
    );
    assert!(
        seen.iter().all(|s| !s.authorization),
        "no credentials offered"
    );
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
}

#[test]
fn links_that_stay_inside_the_plugin_are_kept() {
    let world = World::new();
    let repo = world.ws.repo("work/hello");
    repo.plugin("", "hello", "1.0.0")
        .write("docs/guide.md", "# guide\n")
        .symlink("GUIDE.md", "docs/guide.md")
        .symlink("docs/readme.md", "../README.md");
    repo.commit("links");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));

    world.ok(&["add", &file_url(&bare), "--branch", "main"]);

    let plugin = world.host.plugins().join("hello");
    assert_eq!(
        std::fs::read_link(plugin.join("GUIDE.md")).expect("a link"),
        Path::new("docs/guide.md")
    );
    assert_eq!(
        std::fs::read_link(plugin.join("docs/readme.md")).expect("a link"),
        Path::new("../README.md")
    );
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
}

#[test]
fn links_that_lead_out_of_the_plugin_are_refused() {
    let world = world_with_other();
    let repo = world.ws.repo("work/hello");
    repo.plugin("", "hello", "1.0.0")
        .symlink("lib/passwd", "../../etc/passwd");
    repo.commit("relative");
    repo.tag("relative");
    repo.remove("lib/passwd")
        .symlink("lib/passwd", "/etc/passwd");
    repo.commit("absolute");
    repo.tag("absolute");
    // In a monorepo, a link out of the --subdir is out of the plugin, even inside the repo.
    repo.remove("lib")
        .write("shared/common.py", "X = 1\n")
        .plugin("plugins/hello", "hello", "1.0.0")
        .symlink("plugins/hello/common.py", "../../shared/common.py");
    repo.commit("out of the subdir");
    repo.tag("subdir");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let url = file_url(&bare);

    let needles = ["is a symbolic link to", "outside the plugin"];
    let stderr = world.fails(&["add", &url, "--tag", "relative"], &[], &needles);
    assert!(stderr.contains("../../etc/passwd"), "{stderr}");
    let stderr = world.fails(&["add", &url, "--tag", "absolute"], &[], &needles);
    assert!(stderr.contains("/etc/passwd"), "{stderr}");
    world.fails(
        &["add", &url, "--tag", "subdir", "--subdir", "plugins/hello"],
        &[],
        &needles,
    );
}

/// The archive rules hold for a repository too: names that collide on a case-insensitive file
/// system, and a tree beyond the host's `[limits]`, are refused before anything is installed.
#[test]
fn names_colliding_in_case_and_trees_beyond_the_limits_are_refused() {
    let world = world_with_other();
    let repo = world.ws.repo("work/hello");
    repo.plugin("", "hello", "1.0.0")
        .write("docs/Guide.md", "one\n")
        .write("docs/guide.md", "two\n");
    repo.commit("case");
    repo.tag("case");
    repo.remove("docs")
        .write("data/big.txt", &"x".repeat(64 * 1024));
    repo.commit("big");
    repo.tag("big");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let url = file_url(&bare);

    world.fails(
        &["add", &url, "--tag", "case"],
        &[],
        &["differ only in case", "docs/"],
    );
    // Allowed by default; refused by a host that allows 16 KiB.
    let toml = world.host.path("pluginkit.toml");
    let original = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{original}\n[limits]\nmax-unpacked-size = 16384\nmax-unpacked-ratio = 1\n"),
    )
    .unwrap();
    world.fails(
        &["add", &url, "--tag", "big"],
        &[],
        &["the plugin is more than 16384 bytes", "max-unpacked-size"],
    );
    std::fs::write(&toml, original).unwrap();
    world.ok(&["add", &url, "--tag", "big"]);
}

// ---------------------------------------------------------------------------------------------
// Failures

/// A host with one git-installed plugin, so a failure has a lockfile and [plugins] to keep.
fn world_with_other() -> World {
    let world = World::new();
    let other = world.ws.repo("work/other");
    other.plugin("", "other", "1.0.0");
    other.commit("other");
    world.ok(&["add", &other.dir.display().to_string(), "--branch", "main"]);
    world
}

#[test]
fn unreachable_and_missing_repositories_install_nothing() {
    let world = world_with_other();
    let (repo, _, _) = hello_repo(&world.ws);
    repo.bare_clone(&world.ws.served().join("hello.git"));
    let daemon = GitDaemon::start(&world.ws.served(), &world.ws.home());
    let http = SmartHttp::start(&world.ws.served(), &world.ws.home());

    let closed = format!("git://127.0.0.1:{}/hello.git", free_port());
    world.fails(&["add", &closed], &[], &["cannot reach"]);
    let closed_http = format!("http://127.0.0.1:{}/hello.git", free_port());
    world.fails(&["add", &closed_http], &[], &["cannot reach"]);

    let found = "repository not found";
    world.fails(&["add", &daemon.url("missing.git")], &[], &[found]);
    world.fails(
        &["add", &daemon.url("missing.git"), "--tag", "v1.0.0"],
        &[],
        &[found],
    );
    world.fails(&["add", &http.url("missing.git")], &[], &[found]);
    let missing = world.ws.served().join("missing.git");
    world.fails(&["add", &file_url(&missing)], &[], &[found]);
    world.fails(
        &["add", &file_url(&missing), "--branch", "main"],
        &[],
        &[found],
    );
}

#[test]
fn a_tag_branch_or_commit_that_does_not_exist_installs_nothing() {
    let world = world_with_other();
    let (repo, _, _) = hello_repo(&world.ws);
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let daemon = GitDaemon::start(&world.ws.served(), &world.ws.home());
    let url = daemon.url("hello.git");
    let local = file_url(&bare);

    for url in [&url, &local] {
        world.fails(
            &["add", url, "--tag", "v9.9.9"],
            &[],
            &["has no tag `v9.9.9`"],
        );
        world.fails(
            &["add", url, "--branch", "nope"],
            &[],
            &["has no branch `nope`"],
        );
        world.fails(&["add", url, "--rev", "deadbeef"], &[], &["has no commit"]);
        world.fails(
            &["add", url, "--rev", &"0123456789abcdef".repeat(3)[..40]],
            &[],
            &["has no commit"],
        );
    }
}

#[test]
fn a_repository_without_a_valid_plugin_installs_nothing() {
    let world = world_with_other();
    let repo = world.ws.repo("work/hello");
    repo.write("README.md", "# not a plugin at the root\n")
        .write("docs/index.md", "# docs\n")
        .plugin("plugins/hello", "hello", "1.0.0");
    repo.commit("a monorepo");
    repo.tag("v1.0.0");
    repo.plugin("plugins/hello", "hello", "1.0");
    repo.commit("a bad version");
    repo.tag("bad");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let url = file_url(&bare);

    world.fails(
        &["add", &url, "--tag", "v1.0.0"],
        &[],
        &["holds no plugin manifest"],
    );
    world.fails(
        &["add", &url, "--tag", "v1.0.0", "--subdir", "docs"],
        &[],
        &["holds no plugin manifest"],
    );
    world.fails(
        &[
            "add",
            &url,
            "--tag",
            "v1.0.0",
            "--subdir",
            "plugins/nowhere",
        ],
        &[],
        &["has no folder"],
    );
    world.fails(
        &["add", &url, "--tag", "bad", "--subdir", "plugins/hello"],
        &[],
        &["refusing to install", "PK0203"],
    );
    // The good one installs.
    world.ok(&["add", &url, "--tag", "v1.0.0", "--subdir", "plugins/hello"]);
}

#[test]
fn semver_without_a_tag_is_bad_usage() {
    let world = world_with_other();
    let (repo, _, _) = hello_repo(&world.ws);
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let url = file_url(&bare);
    let before = snapshot(&world.host);
    for pin in [&[][..], &["--branch", "main"][..]] {
        let mut args = vec!["add", url.as_str(), "--semver", "^1.0"];
        args.extend_from_slice(pin);
        let (code, _, stderr) = world.run(&args);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("--semver"), "{stderr}");
    }
    assert_eq!(snapshot(&world.host), before);
}

#[test]
fn an_installed_plugin_is_replaced_only_with_force() {
    let world = World::new();
    let (repo, _, second) = hello_repo(&world.ws);
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let url = file_url(&bare);
    world.ok(&["add", &url, "--tag", "v1.0.0"]);

    world.fails(
        &["add", &url, "--tag", "v1.1.0"],
        &[],
        &["is already installed"],
    );

    world.ok(&["add", "--force", &url, "--tag", "v1.1.0"]);
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?tag=v1.1.0#{second}")
    );
    assert_eq!(world.host.backups("hello").len(), 1, "the old one is kept");
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
}

// ---------------------------------------------------------------------------------------------
// Credentials

const TOKEN: &str = "tok-9f8e7d6c5b4a";

/// Let the token go to 127.0.0.1 (`[git] token-hosts`), which the https front serves.
fn token_for_localhost(world: &World) {
    let path = world.host.path("pluginkit.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[git]\ntoken-hosts = [\"127.0.0.1\"]\n");
    std::fs::write(path, text).unwrap();
}

/// The token goes only over https (and to the hosts `[git] token-hosts` lists): these tests
/// talk to `git http-backend` through the https front, whose certificate pluginkit trusts
/// through `SSL_CERT_FILE`.
#[test]
fn a_token_from_the_environment_authenticates_and_is_never_written() {
    let world = world_with_other();
    token_for_localhost(&world);
    let (repo, first, second) = hello_repo(&world.ws);
    repo.bare_clone(&world.ws.served().join("hello.git"));
    let http = SmartHttp::start_with(
        &world.ws.served(),
        &world.ws.home(),
        Some(("x-access-token", TOKEN)),
    );
    let front = HttpsFront::start(http.port);
    let url = front.url("hello.git");
    let (cert_var, cert) = HttpsFront::env();
    let refused = "authentication refused";

    let stderr = world.fails(
        &["add", &url, "--tag", "v1.0.0"],
        &[(cert_var, cert.as_str())],
        &[refused],
    );
    assert_secret_kept(&world, TOKEN, &[&stderr]);
    let stderr = world.fails(
        &["add", &url, "--tag", "v1.0.0"],
        &[
            ("PLUGINKIT_GIT_TOKEN", "wrong-token"),
            (cert_var, cert.as_str()),
        ],
        &[refused],
    );
    assert!(!stderr.contains("wrong-token"), "{stderr}");

    http.clear();
    let env = [("PLUGINKIT_GIT_TOKEN", TOKEN), (cert_var, cert.as_str())];
    let (code, stdout, stderr) = world.run_env(&["add", &url, "--tag", "v1.0.0"], &env);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    assert!(
        http.seen()
            .iter()
            .any(|s| s.authorization && s.status == 200)
    );
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?tag=v1.0.0#{first}")
    );
    world.assert_plugins_entry("hello", &[("git", &url), ("tag", "v1.0.0")]);
    assert_secret_kept(&world, TOKEN, &[&stdout, &stderr]);

    // With the token, a path that is not there: not found, and still no token shown.
    let stderr = world.fails(
        &["add", &front.url("missing.git"), "--tag", "v1.0.0"],
        &env,
        &["repository not found"],
    );
    assert_secret_kept(&world, TOKEN, &[&stderr]);

    // `outdated` asks the remote with the same token.
    let (code, stdout, stderr) = world.run_env(&["outdated", "--format", "json"], &env);
    assert_eq!(code, 0, "{stderr}");
    assert_secret_kept(&world, TOKEN, &[&stdout, &stderr]);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let hello = json["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "hello")
        .unwrap_or_else(|| panic!("{json}"));
    // v1.1.0 is an annotated tag: what it tags is the commit reported.
    assert_eq!(
        hello["latest"],
        serde_json::json!({"status": "newer-tag", "tag": "v1.1.0", "commit": second}),
        "{json}"
    );
}

#[test]
fn a_token_goes_with_the_user_name_in_the_url() {
    let world = World::new();
    let (repo, _, _) = hello_repo(&world.ws);
    repo.bare_clone(&world.ws.served().join("hello.git"));
    let http = SmartHttp::start_with(&world.ws.served(), &world.ws.home(), Some(("ada", TOKEN)));
    let front = HttpsFront::start(http.port);
    token_for_localhost(&world);
    let url = front.url("hello.git").replace("https://", "https://ada@");
    let (cert_var, cert) = HttpsFront::env();
    let env = [("PLUGINKIT_GIT_TOKEN", TOKEN), (cert_var, cert.as_str())];

    let (code, stdout, stderr) = world.run_env(&["add", &url, "--tag", "v1.0.0"], &env);

    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    assert_secret_kept(&world, TOKEN, &[&stdout, &stderr]);
}

#[test]
fn the_host_can_name_the_token_variable() {
    let world = World::new();
    let (repo, _, _) = hello_repo(&world.ws);
    repo.bare_clone(&world.ws.served().join("hello.git"));
    let http = SmartHttp::start_with(
        &world.ws.served(),
        &world.ws.home(),
        Some(("x-access-token", TOKEN)),
    );
    let front = HttpsFront::start(http.port);
    let url = front.url("hello.git");
    let (cert_var, cert) = HttpsFront::env();
    world.host.put(
        "pluginkit.toml",
        b"[host]\nplugins-dir = \"plugins\"\n\n[git]\ntoken-env = \"ACME_GIT_TOKEN\"\ntoken-hosts = [\"127.0.0.1\"]\n",
    );

    // PLUGINKIT_GIT_TOKEN is not where this host keeps it.
    world.fails(
        &["add", &url, "--tag", "v1.0.0"],
        &[("PLUGINKIT_GIT_TOKEN", TOKEN), (cert_var, cert.as_str())],
        &["authentication refused"],
    );
    let (code, stdout, stderr) = world.run_env(
        &["add", &url, "--tag", "v1.0.0"],
        &[("ACME_GIT_TOKEN", TOKEN), (cert_var, cert.as_str())],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_secret_kept(&world, TOKEN, &[&stdout, &stderr]);
}

#[test]
fn credentials_in_the_url_are_used_once_and_never_written() {
    let world = world_with_other();
    let (repo, first, _) = hello_repo(&world.ws);
    repo.bare_clone(&world.ws.served().join("hello.git"));
    let password = "pw-0a1b2c3d4e";
    let http = SmartHttp::start_with(
        &world.ws.served(),
        &world.ws.home(),
        Some(("ada", password)),
    );
    let url = http.url("hello.git");
    let with_password = url.replace("http://", &format!("http://ada:{password}@"));

    let (code, stdout, stderr) = world.run(&["add", &with_password, "--tag", "v1.0.0"]);

    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    assert!(
        stderr.contains("credentials in the URL are used for this install only"),
        "{stderr}"
    );
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?tag=v1.0.0#{first}")
    );
    world.assert_plugins_entry("hello", &[("git", &url), ("tag", "v1.0.0")]);
    assert_secret_kept(&world, password, &[&stdout, &stderr]);
    assert_eq!(
        files_containing(world.host.root(), "ada:"),
        Vec::<PathBuf>::new()
    );

    let missing = with_password.replace("hello.git", "missing.git");
    let stderr = world.fails(&["add", &missing], &[], &["repository not found"]);
    assert_secret_kept(&world, password, &[&stderr]);
    let wrong = url.replace("http://", "http://ada:not-it@");
    let stderr = world.fails(
        &["add", "--force", &wrong, "--tag", "v1.1.0"],
        &[],
        &["authentication refused"],
    );
    assert!(!stderr.contains("not-it"), "{stderr}");
}

#[test]
fn netrc_gives_the_login_and_password() {
    let world = World::new();
    let (repo, _, _) = hello_repo(&world.ws);
    repo.bare_clone(&world.ws.served().join("hello.git"));
    let password = "netrc-5e6f7a8b";
    let http = SmartHttp::start_with(
        &world.ws.served(),
        &world.ws.home(),
        Some(("ada", password)),
    );
    let url = http.url("hello.git");
    let netrc = world.ws.root().join("netrc");
    std::fs::write(
        &netrc,
        format!("machine example.com login bob password nope\nmachine 127.0.0.1 login ada password {password}\n"),
    )
    .unwrap();
    let netrc = netrc.display().to_string();

    world.fails(
        &["add", &url, "--tag", "v1.0.0"],
        &[],
        &["authentication refused"],
    );
    let (code, stdout, stderr) =
        world.run_env(&["add", &url, "--tag", "v1.0.0"], &[("NETRC", &netrc)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    assert_secret_kept(&world, password, &[&stdout, &stderr]);
}

// ---------------------------------------------------------------------------------------------
// outdated and upgrade

/// A monorepo of plugins `a`..`f`, each in its own folder, released together: `v1.0.0`,
/// `v1.2.0`, `v2.0.0` (each plugin's version is the tag's), then `not-a-version`. Returns the
/// repository and the commits of the three releases.
fn release_repo(ws: &Workspace, names: &[&str]) -> (Repo, [String; 3]) {
    let repo = ws.repo("work/releases");
    let mut commits = Vec::new();
    for version in ["1.0.0", "1.2.0", "2.0.0"] {
        for name in names {
            repo.plugin(name, name, version);
        }
        commits.push(repo.commit(version));
        repo.tag(&format!("v{version}"));
    }
    repo.tag("not-a-version");
    (repo, commits.try_into().expect("three releases"))
}

#[test]
fn outdated_reports_newer_tags_within_the_range_moved_branches_and_pins() {
    let world = World::new();
    let names = ["a", "b", "c", "d", "e", "f"];
    let (repo, [v1, v12, v2]) = release_repo(&world.ws, &names);
    let bare = repo.bare_clone(&world.ws.served().join("releases.git"));
    let daemon = GitDaemon::start(&world.ws.served(), &world.ws.home());
    let url = daemon.url("releases.git");
    let add = |name: &str, pin: &[&str]| {
        let mut args = vec!["add", url.as_str(), "--subdir", name];
        args.extend_from_slice(pin);
        world.ok(&args);
    };
    add("a", &["--tag", "v1.0.0", "--semver", "^1.0"]);
    add("b", &["--tag", "v1.0.0"]);
    add("c", &["--branch", "main"]);
    add("d", &["--rev", &v1]);
    add("e", &["--tag", "v2.0.0", "--semver", "~2.0"]);
    add("f", &[]);
    // main moves on after the installs, with a release tagged without the `v`, and a
    // pre-release that no range here takes.
    repo.write("c/CHANGES.md", "more\n");
    let v21 = repo.commit("after 2.0.0");
    repo.tag("2.1.0").tag("v2.2.0-rc.1").tag("v1.3.0-rc.1");
    repo.push(&bare);

    let before = snapshot(&world.host);
    let json = world.json(&["outdated", "--format", "json"], &[]);
    assert_eq!(snapshot(&world.host), before, "outdated changes nothing");
    assert_eq!(json["version"], 1, "{json:#}");
    let listed: BTreeMap<String, serde_json::Value> = json["plugins"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_owned(), p.clone()))
        .collect();
    assert_eq!(listed.keys().collect::<Vec<_>>(), names, "{json:#}");
    let expect = |name: &str, expected: serde_json::Value| {
        assert_eq!(listed[name], expected, "{name}");
    };
    expect(
        "a",
        serde_json::json!({
            "name": "a", "version": "1.0.0", "url": url, "pin": "tag", "pinned": "v1.0.0",
            "commit": v1, "latest": {"status": "newer-tag", "tag": "v1.2.0", "commit": v12},
            "compat": "v1.2.0", "newest": "2.1.0", "yanked": false, "advisories": [],
        }),
    );
    expect(
        "b",
        serde_json::json!({
            "name": "b", "version": "1.0.0", "url": url, "pin": "tag", "pinned": "v1.0.0",
            "commit": v1, "latest": {"status": "newer-tag", "tag": "2.1.0", "commit": v21},
            "compat": "2.1.0", "newest": "2.1.0", "yanked": false, "advisories": [],
        }),
    );
    expect(
        "c",
        serde_json::json!({
            "name": "c", "version": "2.0.0", "url": url, "pin": "branch", "pinned": "main",
            "commit": v2, "latest": {"status": "newer-commit", "commit": v21},
            "compat": null, "newest": null, "yanked": false, "advisories": [],
        }),
    );
    expect(
        "d",
        serde_json::json!({
            "name": "d", "version": "1.0.0", "url": url, "pin": "rev", "pinned": v1,
            "commit": v1, "latest": {"status": "pinned"},
            "compat": null, "newest": null, "yanked": false, "advisories": [],
        }),
    );
    expect(
        "e",
        serde_json::json!({
            "name": "e", "version": "2.0.0", "url": url, "pin": "tag", "pinned": "v2.0.0",
            "commit": v2, "latest": {"status": "up-to-date"},
            "compat": "v2.0.0", "newest": "2.1.0", "yanked": false, "advisories": [],
        }),
    );
    expect(
        "f",
        serde_json::json!({
            "name": "f", "version": "2.0.0", "url": url, "pin": "default-branch",
            "pinned": null, "commit": v2,
            "latest": {"status": "newer-commit", "commit": v21},
            "compat": null, "newest": null, "yanked": false, "advisories": [],
        }),
    );

    // Names choose; the human listing names each.
    let json = world.json(&["outdated", "a", "--format", "json"], &[]);
    assert_eq!(json["plugins"].as_array().map(Vec::len), Some(1), "{json}");
    assert_eq!(json["plugins"][0]["name"], "a");
    let stdout = world.ok(&["outdated"]);
    for name in names {
        assert!(
            stdout.lines().any(|l| l.starts_with(name)),
            "{name}:\n{stdout}"
        );
    }
}

#[test]
fn upgrade_dry_run_changes_nothing_and_upgrade_moves_to_the_newest_tag_in_range() {
    let world = World::new();
    let (repo, [v1, v12, _]) = release_repo(&world.ws, &["hello"]);
    let bare = repo.bare_clone(&world.ws.served().join("releases.git"));
    let url = file_url(&bare);
    world.ok(&[
        "add", &url, "--subdir", "hello", "--tag", "v1.0.0", "--semver", "^1.0",
    ]);
    let hidden = world.host.path(".pluginkit");
    let state_before = install::tree(&hidden);

    let before = snapshot(&world.host);
    let stdout = world.ok(&["upgrade", "--dry-run"]);
    assert_eq!(
        stdout,
        format!(
            "would upgrade hello: v1.0.0 ({}) -> v1.2.0 ({})\n",
            short(&v1),
            short(&v12)
        )
    );
    let json = world.json(&["upgrade", "--dry-run", "--format", "json"], &[]);
    assert_eq!(json["version"], 1, "{json}");
    assert_eq!(json["upgrades"][0]["name"], "hello", "{json}");
    assert_eq!(json["upgrades"][0]["upgraded"], false, "{json}");
    assert_eq!(snapshot(&world.host), before, "a dry run changes nothing");
    assert!(world.host.backups("hello").is_empty());
    let receipts = |tree: &BTreeMap<String, install::Node>| {
        tree.iter()
            .filter(|(k, _)| k.starts_with("receipts"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        receipts(&install::tree(&hidden)),
        receipts(&state_before),
        "the receipts are as they were"
    );

    let stdout = world.ok(&["upgrade"]);
    let prefix = format!(
        "upgraded hello: v1.0.0 ({}) -> v1.2.0 ({}) (the old one is in .pluginkit/backups/hello/",
        short(&v1),
        short(&v12)
    );
    assert!(
        stdout.starts_with(&prefix) && stdout.ends_with(")\n"),
        "{stdout}"
    );
    let backups = world.host.backups("hello");
    assert_eq!(backups.len(), 1);
    assert!(
        stdout.contains(
            &backups[0]
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        ),
        "{stdout}"
    );
    assert!(
        std::fs::read_to_string(backups[0].join("plugin.toml"))
            .unwrap()
            .contains("version = \"1.0.0\"")
    );
    assert_eq!(
        world.host.locked(),
        [("hello".to_owned(), "1.2.0".to_owned())]
    );
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?tag=v1.2.0&subdir=hello&semver=^1.0#{v12}")
    );
    world.assert_plugins_entry(
        "hello",
        &[
            ("git", &url),
            ("tag", "v1.2.0"),
            ("subdir", "hello"),
            ("semver", "^1.0"),
        ],
    );
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");

    // v2.0.0 is out of range: nothing more to do.
    assert_eq!(world.ok(&["upgrade"]), "everything is up to date\n");
    assert_eq!(
        world.ok(&["upgrade", "hello"]),
        "everything is up to date\n"
    );
}

#[test]
fn upgrade_follows_a_branch_that_moved() {
    let world = World::new();
    let repo = world.ws.repo("work/hello");
    repo.plugin("", "hello", "1.0.0")
        .write("data.txt", "first\n");
    let first = repo.commit("first");
    let bare = repo.bare_clone(&world.ws.served().join("hello.git"));
    let http = SmartHttp::start(&world.ws.served(), &world.ws.home());
    let url = http.url("hello.git");
    world.ok(&["add", &url, "--branch", "main"]);
    assert_eq!(world.ok(&["upgrade"]), "everything is up to date\n");

    repo.plugin("", "hello", "1.0.1")
        .write("data.txt", "second\n");
    let second = repo.commit("second");
    repo.push(&bare);

    let stdout = world.ok(&["upgrade", "hello"]);
    assert!(stdout.starts_with("upgraded hello: "), "{stdout}");
    assert!(
        stdout.contains(short(&first)) && stdout.contains(short(&second)),
        "{stdout}"
    );
    assert!(
        stdout.contains("(the old one is in .pluginkit/backups/hello/"),
        "{stdout}"
    );
    assert_eq!(world.plugin_file("hello", "data.txt"), "second\n");
    assert_eq!(
        world.locked_source("hello"),
        format!("git+{url}?branch=main#{second}")
    );
    assert_eq!(world.host.backups("hello").len(), 1);
    assert_eq!(world.ok(&["verify"]), "hello: ok\n");
    assert_eq!(world.ok(&["upgrade"]), "everything is up to date\n");
}
