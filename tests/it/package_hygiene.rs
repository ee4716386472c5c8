//! `pluginkit package` leaves out what is private to the developer's machine: the ignore files of
//! the git repository the plugin is in, `.env` files, virtualenvs and Node modules; it refuses a
//! file that looks like a secret unless `--allow-secret` names it; `add` warns about such a file
//! in a package it installs; and a plugin without any of these packs to the same bytes as before.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::support::git::git_command;
use crate::support::install::{self, Host, package};
use crate::support::{TestContext, native_plugin, write};

/// A private key that no one uses: what `ssh-keygen -t ed25519` writes, when it is missing.
const ED25519_KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBQsNs7s1gA8xLkqjvBnVyu6q4nd3n6kQ0sJ9TJmVz2YQAAAJgAAAAAAAAA
AAAAAAtzc2gtZWQyNTUxOQAAACBQsNs7s1gA8xLkqjvBnVyu6q4nd3n6kQ0sJ9TJmVz2YQ
AAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
-----END OPENSSH PRIVATE KEY-----
";

fn sha256(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn names(zip: &Path) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned())
        .collect()
}

/// `git init` in `dir`, as a developer's repository.
fn git_init(context: &TestContext, dir: &Path) {
    let status = git_command(context.home())
        .args(["init", "-q"])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success());
}

/// An ed25519 key pair at `dir/id_ed25519` (and `.pub`): made by `ssh-keygen` when there is one,
/// else the literal key above.
fn ssh_key(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let key = dir.join("id_ed25519");
    let made = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f"])
        .arg(&key)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        write(dir, "id_ed25519", ED25519_KEY);
        write(dir, "id_ed25519.pub", "ssh-ed25519 AAAAC3Nz test\n");
    }
    key
}

/// Every file under `dir`, with its bytes: what "nothing written" is checked against.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                all.push((path, bytes));
            }
        }
    }
    all.sort();
    all
}

#[test]
fn the_ignore_files_of_the_enclosing_git_repository_count() {
    let context = TestContext::new();
    let repo = context.root().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git_init(&context, &repo);
    write(&repo, ".gitignore", "notes.txt\n*.log\n");
    write(&repo, "plugins/.gitignore", "/hello/local.cfg\n");
    write(&repo, ".git/info/exclude", "scratch/\n");
    let plugin = native_plugin(&repo.join("plugins"), "hello", "");
    write(&plugin, "notes.txt", "mine\n");
    write(&plugin, "debug.log", "mine\n");
    write(&plugin, "local.cfg", "mine\n");
    write(&plugin, "scratch/try.py", "mine\n");
    write(&plugin, "app.py", "print('hello')\n");
    // The plugin's own .pluginignore still wins: it takes one back.
    write(&plugin, ".pluginignore", "!/debug.log\n");

    let (code, json) = context.run_json(&[
        "package",
        "repo/plugins/hello",
        "--list",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(
        json["package"]["entries"],
        serde_json::json!([
            "hello/.pluginignore",
            "hello/README.md",
            "hello/app.py",
            "hello/debug.log",
            "hello/plugin.toml",
        ])
    );

    // A repository that ignores the plugin folder itself does not count (as cargo ignores a
    // repository that does not track the package): the plugin's own files decide.
    write(&repo, ".gitignore", "notes.txt\nplugins/\n");
    let (code, json) = context.run_json(&[
        "package",
        "repo/plugins/hello",
        "--list",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{json}");
    let entries = json["package"]["entries"].as_array().unwrap();
    assert!(entries.contains(&"hello/notes.txt".into()), "{json}");
    assert!(entries.contains(&"hello/scratch/try.py".into()), "{json}");
}

#[test]
fn env_files_virtualenvs_and_node_modules_are_left_out_by_default_and_said_so() {
    let context = TestContext::new();
    let plugin = native_plugin(context.root(), "hello", "");
    for file in [
        ".env",
        ".env.local",
        ".env.production",
        ".env.example",
        ".env.sample",
        ".venv/lib/site.py",
        "venv/bin/python",
        "node_modules/left-pad/index.js",
        "__pycache__/app.cpython-312.pyc",
        "hello/.env",
        "hello/node_modules/x.js",
        "hello/__init__.py",
    ] {
        write(&plugin, file, "x\n");
    }

    let (code, stdout, stderr) = context.run(&["package", "hello", "-o", "dist/"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("sha256"), "{stdout}");
    assert_eq!(
        names(&context.root().join("dist/hello-1.0.0.zip")),
        [
            "hello/.env.example",
            "hello/.env.sample",
            "hello/README.md",
            "hello/hello/__init__.py",
            "hello/plugin.toml",
        ]
    );
    assert!(
        stderr.contains(
            "note: left out by default: .env, .env.local, .env.production, .venv/, hello/.env, hello/node_modules/, node_modules/, venv/ (a `!` line in the plugin's .pluginignore packs one, e.g. `!/.env`)"
        ),
        "{stderr}"
    );

    // --list says the same, and JSON names them.
    let (code, json) = context.run_json(&["package", "hello", "--list", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        json["package"]["left_out"],
        serde_json::json!([
            ".env",
            ".env.local",
            ".env.production",
            ".venv/",
            "hello/.env",
            "hello/node_modules/",
            "node_modules/",
            "venv/"
        ])
    );

    // A `!` line in the plugin's .pluginignore packs one.
    write(&plugin, ".pluginignore", "!/.env.production\n");
    let (code, json) = context.run_json(&["package", "hello", "--list", "--format", "json"]);
    assert_eq!(code, 0);
    let entries = json["package"]["entries"].as_array().unwrap();
    assert!(entries.contains(&"hello/.env.production".into()), "{json}");
    assert!(!entries.contains(&"hello/.env.local".into()), "{json}");
}

#[test]
fn a_private_key_is_refused_with_its_path_and_nothing_is_written_unless_allowed() {
    let context = TestContext::new();
    let repo = context.root().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git_init(&context, &repo);
    let plugin = native_plugin(&repo, "hello", "");
    write(&plugin, ".env", "SECRET=1\n");
    write(&plugin, ".venv/bin/python", "x\n");
    write(&plugin, "node_modules/x/index.js", "x\n");
    ssh_key(&plugin.join("deploy"));
    write(
        &plugin,
        "certs/server.pem",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    );
    let before = files(context.root());

    let (code, stdout, stderr) = context.run(&["package", "repo/hello", "-o", "dist/"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            "error: repo/hello/deploy/id_ed25519 (an SSH private key) looks like a secret, so nothing was packaged"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("pass --allow-secret deploy/id_ed25519"),
        "{stderr}"
    );
    assert_eq!(files(context.root()), before, "nothing written");
    assert!(!context.root().join("dist").exists());

    // Several: all are named. A PEM private key by content, whatever its name.
    write(
        &plugin,
        "certs/tls.key",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n",
    );
    write(&plugin, "conf/.pypirc", "[pypi]\npassword = x\n");
    let (code, _, stderr) = context.run(&["package", "repo/hello", "--list"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "3 files look like secrets, so nothing was packaged: repo/hello/certs/tls.key (a private key), repo/hello/conf/.pypirc (a .pypirc with package index credentials), repo/hello/deploy/id_ed25519 (an SSH private key)"
        ),
        "{stderr}"
    );
    std::fs::remove_file(plugin.join("certs/tls.key")).unwrap();
    std::fs::remove_file(plugin.join("conf/.pypirc")).unwrap();

    // --allow-secret lets that one through; .env, .venv/ and node_modules/ stay out.
    let (code, json) = context.run_json(&[
        "package",
        "repo/hello",
        "-o",
        "dist/",
        "--allow-secret",
        "deploy/id_ed25519",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(
        names(&context.root().join("dist/hello-1.0.0.zip")),
        [
            "hello/README.md",
            "hello/certs/server.pem",
            "hello/deploy/id_ed25519",
            "hello/deploy/id_ed25519.pub",
            "hello/plugin.toml",
        ]
    );
    assert_eq!(
        json["package"]["left_out"],
        serde_json::json!([".env", ".venv/", "node_modules/"])
    );
}

#[test]
fn a_link_is_never_followed_to_judge_it() {
    let context = TestContext::new();
    let plugin = native_plugin(context.root(), "hello", "");
    write(context.root(), "outside/key.pem", ED25519_KEY);
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        context.root().join("outside/key.pem"),
        plugin.join("key.pem"),
    )
    .unwrap();
    // The link is refused as a link (packages hold regular files), not read as a key.
    let (code, _, stderr) = context.run(&["package", "hello", "--list"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("hello/key.pem is a symbolic link"),
        "{stderr}"
    );
}

#[test]
fn add_warns_about_a_package_that_holds_a_private_key() {
    let host = Host::new();
    host.put(
        "hello-1.0.0.zip",
        &package("hello", "1.0.0", |zip| {
            install::add_file(zip, "hello/keys/id_rsa", ED25519_KEY.as_bytes());
            install::add_file(zip, "hello/app.py", b"print('hi')\n");
        }),
    );
    let (code, _, stderr) = host.run(&["add", "hello-1.0.0.zip"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "warning: hello-1.0.0.zip holds hello/keys/id_rsa, which looks like a secret (an SSH private key)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("app.py"), "{stderr}");
    assert!(host.plugins().join("hello/keys/id_rsa").is_file());
}

/// The bytes `pluginkit package` wrote for this plugin before package hygiene: a plugin with
/// nothing private packs exactly as it did, inside a git repository or not.
const CLEAN_SHA256: &str = "570886452f0dba48980b81473da3da96db2a3054ad14b4c8a0bdf98c30436261";

#[test]
fn a_plugin_without_private_files_packs_to_the_same_bytes_as_before() {
    let context = TestContext::new();
    let repo = context.root().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let plugin = native_plugin(&repo, "hello", "");
    write(&plugin, "hello/__init__.py", "def register():\n    pass\n");
    write(&plugin, ".env.example", "DATABASE_URL=\n");
    write(
        &plugin,
        "static/app.js",
        &"console.log('hello');\n".repeat(200),
    );

    let (code, _, stderr) = context.run(&["package", "repo/hello", "-o", "a.zip"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("left out"), "{stderr}");
    assert_eq!(sha256(&context.root().join("a.zip")), CLEAN_SHA256);

    // In a git repository whose ignore files match none of its files: the same bytes.
    git_init(&context, &repo);
    write(&repo, ".gitignore", "*.log\n/dist/\n");
    let (code, _, stderr) = context.run(&["package", "repo/hello", "-o", "b.zip"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(sha256(&context.root().join("b.zip")), CLEAN_SHA256);
}
