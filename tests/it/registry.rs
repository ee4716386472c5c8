//! Installing from a registry, as a user of one sees it: `add NAME@REQ` resolves versions
//! (carets, tildes, ranges, pre-releases only when asked, yanked versions and versions for
//! another host skipped, dependencies first, cycles refused), every download is checked and
//! cached, a flaky or hostile network never leaves half an install, index files are revalidated
//! with ETags, `--offline` reads only the cache, and `sync`, `sync --locked`, `search`,
//! `outdated` and `upgrade` work from `pluginkit.toml` and `pluginkit.lock`.
//!
//! Registries are real registry folders written with `pluginkit registry publish`, read in place
//! (a path or a `file://` URL) or served by the static server in tests/it/support/registry.rs.
//! Every run gets its own cache folder (`PLUGINKIT_CACHE_DIR`) and no `PLUGINKIT_REGISTRY`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::install;
use crate::support::install::{Host, Node, snapshot, tree};
use crate::support::registry::{Hit, Plugin, RegistryDir, RegistryServer, sha256};
use crate::support::{Outcome, TestContext, native_plugin};

const TOKEN: &str = "s3cret-registry-token-4f1c2e9a";

/// A temp folder holding a registry folder (`reg/`), the packages published to it, a download
/// cache, and hosts beside them.
struct World {
    context: TestContext,
    reg: RegistryDir,
}

impl World {
    fn new() -> World {
        let context = TestContext::new();
        let reg = RegistryDir::new(&context, &context.path("reg"), &context.path("packages"));
        World { context, reg }
    }

    fn cache(&self) -> PathBuf {
        self.context.cache_dir().to_path_buf()
    }

    /// The packages in the download cache (temporary files included).
    fn cached_packages(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.cache().join("packages"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// Publish each plugin.
    fn publish(&self, plugins: &[Plugin]) {
        for plugin in plugins {
            self.reg.publish(plugin);
        }
    }

    /// A host beside the registry whose default registry is `index`, with host version 2.4.0.
    fn host(&self, index: &str) -> Host {
        let dir = tempfile::Builder::new()
            .prefix("host")
            .tempdir_in(self.context.root())
            .expect("a host folder")
            .keep();
        let host = Host::at(&self.context, &dir);
        host.put("pluginkit.toml", host_toml(index, "").as_bytes());
        host
    }

    /// Run pluginkit in `dir` with short retry delays and no registry token unless `env` gives
    /// one (the context gives it this world's cache, and no proxy or `PLUGINKIT_REGISTRY`).
    fn run(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
        self.output(dir, args, env).parts()
    }

    fn output(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Outcome {
        self.context
            .pluginkit()
            .current_dir(dir)
            .env("PLUGINKIT_HTTP_RETRY_DELAY_MS", "10")
            .env_remove("REG_TOKEN")
            .envs(env)
            .args(args)
            .output()
    }

    /// Run, and fail the test unless it succeeded; returns stdout.
    fn ok(&self, host: &Host, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.run(host.root(), args, &[]);
        assert_eq!(
            code,
            0,
            "pluginkit {}:\nstdout:\n{stdout}\nstderr:\n{stderr}",
            args.join(" ")
        );
        stdout
    }

    /// Run, expect exit code 1 and that the host did not change; returns stderr.
    fn fails(&self, host: &Host, args: &[&str], env: &[(&str, &str)]) -> String {
        self.fails_with(host, args, env).stderr
    }

    /// [`fails`](Self::fails), returning the whole outcome, for a snapshot.
    fn fails_with(&self, host: &Host, args: &[&str], env: &[(&str, &str)]) -> Outcome {
        let before = snapshot(host);
        let receipts_before = tree(&host.path(".pluginkit/receipts"));
        let outcome = self.output(host.root(), args, env);
        let Outcome {
            code,
            stdout,
            stderr,
            ..
        } = &outcome;
        assert_eq!(
            *code,
            1,
            "pluginkit {} should fail:\nstdout:\n{stdout}\nstderr:\n{stderr}",
            args.join(" ")
        );
        let after = snapshot(host);
        assert!(
            after == before,
            "pluginkit {} failed but changed {}:\n{stderr}",
            args.join(" "),
            changes(&before, &after).join(", ")
        );
        assert!(
            tree(&host.path(".pluginkit/receipts")) == receipts_before,
            "pluginkit {} failed but changed the receipts",
            args.join(" ")
        );
        assert!(host.staging().is_empty(), "a staging folder is left behind");
        outcome
    }
}

/// What differs between two snapshots: paths under plugins/ added, removed or changed, and
/// pluginkit.toml or pluginkit.lock.
fn changes(before: &install::Snapshot, after: &install::Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    let empty = BTreeMap::new();
    let (old, new) = (
        before.plugins.as_ref().unwrap_or(&empty),
        after.plugins.as_ref().unwrap_or(&empty),
    );
    for (path, node) in new {
        match old.get(path) {
            None => out.push(format!("plugins/{path} (added)")),
            Some(was) if was != node => out.push(format!("plugins/{path} (changed)")),
            Some(_) => {}
        }
    }
    for path in old.keys().filter(|p| !new.contains_key(*p)) {
        out.push(format!("plugins/{path} (removed)"));
    }
    if before.host_toml != after.host_toml {
        out.push("pluginkit.toml".to_owned());
    }
    if before.lock != after.lock {
        out.push("pluginkit.lock".to_owned());
    }
    out
}

/// `pluginkit.toml` of a host of version 2.4.0 whose default registry is `index`, with
/// `plugins` (lines of a `[plugins]` table) when not empty.
fn host_toml(index: &str, plugins: &str) -> String {
    let mut text = format!(
        "[host]\nplugins-dir = \"plugins\"\nversion = \"2.4.0\"\n\n[registries.default]\nindex = \"{index}\"\ntoken-env = \"REG_TOKEN\"\n"
    );
    if !plugins.is_empty() {
        text.push_str("\n[plugins]\n");
        text.push_str(plugins);
    }
    text
}

/// The version in an installed plugin's manifest.
fn installed_version(host: &Host, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(host.plugins().join(name).join("plugin.toml")).ok()?;
    let doc: toml::Table = text.parse().expect("plugin.toml is TOML");
    Some(doc["plugin"]["version"].as_str()?.to_owned())
}

/// The folders in the plugins folder.
fn installed(host: &Host) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(host.plugins())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `[plugins]` of the host's pluginkit.toml, each value as TOML text.
fn plugins_table(host: &Host) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(host.path("pluginkit.toml")).expect("pluginkit.toml");
    let doc: toml::Table = text.parse().expect("pluginkit.toml is TOML");
    doc.get("plugins")
        .and_then(|p| p.as_table())
        .map(|t| t.iter().map(|(k, v)| (k.clone(), v.to_string())).collect())
        .unwrap_or_default()
}

/// The `[[plugin]]` entries of pluginkit.lock, by name, as their TOML tables.
fn lock_entries(root: &Path) -> BTreeMap<String, toml::Table> {
    let text = std::fs::read_to_string(root.join("pluginkit.lock")).expect("pluginkit.lock");
    let doc: toml::Table = text.parse().expect("pluginkit.lock is TOML");
    doc["plugin"]
        .as_array()
        .expect("[[plugin]] entries")
        .iter()
        .map(|p| {
            let table = p.as_table().expect("a table").clone();
            (table["name"].as_str().expect("a name").to_owned(), table)
        })
        .collect()
}

/// Replace `from` by `to` in the host's pluginkit.toml, as a person editing it would.
fn edit_toml(host: &Host, from: &str, to: &str) {
    let path = host.path("pluginkit.toml");
    let text = std::fs::read_to_string(&path).expect("pluginkit.toml");
    assert!(
        text.contains(from),
        "pluginkit.toml has no `{from}`:\n{text}"
    );
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write pluginkit.toml");
}

/// Every file under `dir`, recursively, with its bytes.
fn all_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    tree(dir)
        .into_iter()
        .filter_map(|(rel, node)| match node {
            Node::File(bytes) => Some((dir.join(rel), bytes)),
            _ => None,
        })
        .collect()
}

/// The `file://` URL of a folder, ending in `/`.
fn file_url(dir: &Path) -> String {
    let path = dir.to_string_lossy().replace('\\', "/");
    if path.starts_with('/') {
        format!("file://{path}/")
    } else {
        format!("file:///{path}/")
    }
}

/// The statuses of the requests for `path`, in order.
fn statuses(server: &RegistryServer, path: &str) -> Vec<u16> {
    server.hits_for(path).iter().map(|h| h.status).collect()
}

/// `hello` in six versions: 1.4.0 needs host 3, 2.0.0-beta.1 is a pre-release.
fn hello_versions() -> Vec<Plugin> {
    vec![
        Plugin::new("hello", "1.0.0").summary("Greets people"),
        Plugin::new("hello", "1.2.0").summary("Greets people"),
        Plugin::new("hello", "1.2.5").summary("Greets people"),
        Plugin::new("hello", "1.3.0").summary("Greets people"),
        Plugin::new("hello", "1.4.0")
            .summary("Greets people")
            .requires(">=3.0"),
        Plugin::new("hello", "2.0.0-beta.1").summary("Greets people"),
    ]
}

/// `app` needs `auth` ^1, which needs `base`: auth 1.0.0 needs base ^1.1 (only 1.1.0 fits)
/// and auth 1.1.0 needs base ^1.
fn app_and_dependencies() -> Vec<Plugin> {
    vec![
        Plugin::new("base", "1.0.0").summary("Shared helpers"),
        Plugin::new("base", "1.1.0").summary("Shared helpers"),
        Plugin::new("auth", "1.0.0")
            .summary("Logs people in")
            .depends("base", "^1.1"),
        Plugin::new("auth", "1.1.0")
            .summary("Logs people in")
            .depends("base", "^1"),
        Plugin::new("app", "1.0.0")
            .summary("The shop")
            .depends("auth", "^1"),
    ]
}

/// `add --force --format json REQUEST`: the version installed.
fn add_version(world: &World, host: &Host, request: &str) -> String {
    let stdout = world.ok(host, &["add", "--force", "--format", "json", request]);
    let added: Value = serde_json::from_str(&stdout).expect("add --format json prints JSON");
    assert_eq!(added["version"], 1, "{stdout}");
    let added = added["added"].as_array().expect("a list");
    assert_eq!(added.len(), 1, "{stdout}");
    assert_eq!(added[0]["name"], "hello");
    let version = added[0]["version"].as_str().expect("a version").to_owned();
    assert_eq!(
        installed_version(host, "hello").as_deref(),
        Some(version.as_str()),
        "the plugins folder holds what add reported"
    );
    version
}

// ---------------------------------------------------------------------------------------------
// Resolution

#[test]
fn add_resolves_carets_tildes_ranges_exact_and_prereleases_only_when_asked() {
    let world = World::new();
    world.publish(&hello_versions());
    let host = world.host("../reg");

    // 1.4.0 needs host >=3.0 (this host is 2.4.0), and 2.0.0-beta.1 is a pre-release.
    for (request, expected) in [
        ("hello", "1.3.0"),
        ("hello@^1.2", "1.3.0"),
        ("hello@~1.2", "1.2.5"),
        ("hello@>=1.0, <1.2.5", "1.2.0"),
        ("hello@=1.0.0", "1.0.0"),
        ("hello@^2.0.0-beta.1", "2.0.0-beta.1"),
        ("hello@*", "1.3.0"),
    ] {
        assert_eq!(add_version(&world, &host, request), expected, "{request}");
    }
    // What the user wrote is what [plugins] records; a bare name records a caret.
    assert_eq!(plugins_table(&host)["hello"], "\"*\"");
    world.ok(&host, &["add", "--force", "hello"]);
    assert_eq!(plugins_table(&host)["hello"], "\"^1.3.0\"");
    assert_eq!(host.locked(), [("hello".to_owned(), "1.3.0".to_owned())]);

    // No stable 2.x: the pre-release is not taken for ^2, and the message says how to ask.
    let outcome = world.fails_with(&host, &["add", "--force", "hello@^2"], &[]);
    insta::assert_snapshot!("no_stable_version", outcome.snapshot());
    // The only 1.4 needs a newer host.
    let outcome = world.fails_with(&host, &["add", "--force", "hello@^1.4"], &[]);
    insta::assert_snapshot!("only_for_a_newer_host", outcome.snapshot());
    // Unknown plugin.
    let outcome = world.fails_with(&host, &["add", "nothing_here"], &[]);
    insta::assert_snapshot!("unknown_plugin", outcome.snapshot());
}

#[test]
fn yanked_versions_are_skipped_but_a_locked_one_still_installs() {
    let world = World::new();
    world.publish(&hello_versions());
    let first = world.host("../reg");
    world.ok(&first, &["add", "hello@^1.2"]);
    assert_eq!(installed_version(&first, "hello").as_deref(), Some("1.3.0"));

    world.reg.yank("hello@1.3.0");

    // A new resolution skips it...
    let fresh = world.host("../reg");
    assert_eq!(add_version(&world, &fresh, "hello@^1.2"), "1.2.5");
    let stderr = world.fails(&fresh, &["add", "--force", "hello@=1.3.0"], &[]);
    assert!(stderr.contains("yanked: 1.3.0"), "{stderr}");
    assert_eq!(installed_version(&fresh, "hello").as_deref(), Some("1.2.5"));

    // ... but the lock that recorded it still installs it.
    let locked = world.host("../reg");
    for file in ["pluginkit.toml", "pluginkit.lock"] {
        std::fs::copy(first.path(file), locked.path(file)).expect("copy");
    }
    let stdout = world.ok(&locked, &["sync", "--locked"]);
    assert_eq!(stdout, "install hello 1.3.0\n");
    assert_eq!(
        installed_version(&locked, "hello").as_deref(),
        Some("1.3.0")
    );
    assert_eq!(
        std::fs::read(locked.path("pluginkit.lock")).unwrap(),
        std::fs::read(first.path("pluginkit.lock")).unwrap()
    );
}

#[test]
fn dependencies_are_installed_first_and_only_the_plugin_asked_for_is_listed() {
    let world = World::new();
    world.publish(&app_and_dependencies());
    let host = world.host("../reg");

    let stdout = world.ok(&host, &["add", "app"]);

    assert_eq!(
        stdout,
        "installed base 1.1.0 into plugins/base\ninstalled auth 1.1.0 into plugins/auth\ninstalled app 1.0.0 into plugins/app\n"
    );
    assert_eq!(installed(&host), ["app", "auth", "base"]);
    assert_eq!(
        plugins_table(&host),
        BTreeMap::from([("app".to_owned(), "\"^1.0.0\"".to_owned())])
    );
    let lock = lock_entries(host.root());
    assert_eq!(
        lock.keys().collect::<Vec<_>>(),
        ["app", "auth", "base"],
        "every installed plugin is locked"
    );
    for (name, version) in [("app", "1.0.0"), ("auth", "1.1.0"), ("base", "1.1.0")] {
        let entry = &lock[name];
        assert_eq!(entry["version"].as_str(), Some(version));
        let package = std::fs::read(world.reg.package(name, version)).unwrap();
        assert_eq!(
            entry["sha256"].as_str(),
            Some(sha256(&package).as_str()),
            "{name}"
        );
        let source = entry["source"].as_str().unwrap();
        assert!(
            source.starts_with("registry+file://")
                && source.ends_with(&format!("/reg/files/{name}/{name}-{version}.zip")),
            "{source}"
        );
    }

    // A dependency already installed that fits stays as it is.
    let other = world.host("../reg");
    world.ok(&other, &["add", "base@=1.0.0"]);
    let stdout = world.ok(&other, &["add", "auth"]);
    assert_eq!(stdout, "installed auth 1.1.0 into plugins/auth\n");
    assert_eq!(installed_version(&other, "base").as_deref(), Some("1.0.0"));
}

#[test]
fn a_dependency_cycle_is_refused_and_nothing_is_installed() {
    let world = World::new();
    world.publish(&[
        Plugin::new("ring_a", "1.0.0").depends("ring_b", "^1"),
        Plugin::new("ring_b", "1.0.0").depends("ring_c", "^1"),
        Plugin::new("ring_c", "1.0.0").depends("ring_a", "^1"),
        Plugin::new("hello", "1.0.0"),
    ]);
    let host = world.host("../reg");
    world.ok(&host, &["add", "hello"]);
    let cached = world.cached_packages();

    let outcome = world.fails_with(&host, &["add", "ring_a"], &[]);

    insta::assert_snapshot!(outcome.snapshot());
    assert_eq!(installed(&host), ["hello"]);
    assert_eq!(world.cached_packages(), cached, "nothing was fetched");
}

#[test]
fn a_plugin_the_host_refuses_leaves_its_dependencies_uninstalled_too() {
    let world = World::new();
    let mut plugins = app_and_dependencies();
    // The newest app ships one file more than this host's [limits] allow.
    plugins.push(
        Plugin::new("app", "1.1.0")
            .depends("auth", "^1")
            .file("static/logo.txt", b"APP"),
    );
    world.publish(&plugins);
    let host = world.host("../reg");
    let toml = format!("{}\n[limits]\nmax-entries = 3\n", host_toml("../reg", ""));
    host.put("pluginkit.toml", toml.as_bytes());
    world.ok(&host, &["add", "base@=1.0.0"]);

    // base and auth pass the limits, app does not: the one `add` installs none of them.
    let stderr = world.fails(&host, &["add", "app"], &[]);

    assert!(stderr.contains("app"), "{stderr}");
    assert_eq!(installed(&host), ["base"]);
    assert_eq!(installed_version(&host, "base").as_deref(), Some("1.0.0"));
    assert!(!host.plugins().join("auth").exists(), "auth was installed");

    // The same when the registry's index lies about the package: the dependencies fetched and
    // checked before it are not installed either.
    let wrong = Plugin::new("app", "9.9.9").depends("auth", "^1").zip();
    std::fs::write(world.reg.package("app", "1.0.0"), &wrong).unwrap();
    let index_path = world.reg.dir.join("index/app.json");
    let mut index: Value =
        serde_json::from_str(&std::fs::read_to_string(&index_path).unwrap()).unwrap();
    index["versions"][0]["sha256"] = Value::from(sha256(&wrong));
    index["versions"][0]["size"] = Value::from(wrong.len());
    std::fs::write(&index_path, serde_json::to_string_pretty(&index).unwrap()).unwrap();
    let stderr = world.fails(&host, &["add", "app@=1.0.0"], &[]);
    assert!(
        stderr.contains("the registry's package of app 1.0.0 holds app 9.9.9"),
        "{stderr}"
    );
    assert_eq!(installed(&host), ["base"]);
}

// ---------------------------------------------------------------------------------------------
// Downloads: checked, retried, never half-installed

#[test]
fn a_tampered_package_is_refused_and_nothing_is_installed_or_cached() {
    let world = World::new();
    let published = world
        .reg
        .publish(&Plugin::new("hello", "1.0.0").summary("Greets people"));
    // Someone replaces the package after it was published with another valid plugin of the
    // same size (one letter of its summary changed), so that only its checksum tells.
    let tampered = ('a'..='z')
        .map(|c| {
            Plugin::new("hello", "1.0.0")
                .summary(&format!("Greets peopl{c}"))
                .zip()
        })
        .find(|zip| zip.len() == published.len() && *zip != published)
        .expect("a package of the same size");
    assert_eq!(tampered.len(), published.len());
    assert_ne!(tampered, published);
    std::fs::write(world.reg.package("hello", "1.0.0"), &tampered).unwrap();
    let server = RegistryServer::start(&world.reg.dir);

    for index in [server.url(), "../reg".to_owned()] {
        let host = world.host(&index);
        let stderr = world.fails(&host, &["add", "hello"], &[]);
        assert!(
            stderr.contains(&format!(
                "has sha256 {}, but the registry's index says {}",
                sha256(&tampered),
                sha256(&published)
            )),
            "{index}: {stderr}"
        );
        assert!(stderr.contains("nothing was installed"), "{stderr}");
        assert!(!host.plugins().join("hello").exists());
        assert_eq!(
            world.cached_packages(),
            Vec::<String>::new(),
            "{index}: nothing is left in the cache"
        );
    }
    assert_eq!(
        statuses(&server, "/files/hello/hello-1.0.0.zip"),
        [200],
        "a checksum mismatch is not retried"
    );

    // A bigger replacement is refused as soon as it outgrows the published size.
    let bigger = Plugin::new("hello", "1.0.0").padding(1000).zip();
    std::fs::write(world.reg.package("hello", "1.0.0"), &bigger).unwrap();
    let host = world.host(&server.url());
    let stderr = world.fails(&host, &["add", "hello"], &[]);
    assert!(
        stderr.contains(&format!(
            "larger than the {} bytes expected",
            published.len()
        )),
        "{stderr}"
    );
    assert_eq!(world.cached_packages(), Vec::<String>::new());
}

#[test]
fn a_connection_cut_halfway_installs_nothing() {
    let world = World::new();
    world
        .reg
        .publish(&Plugin::new("hello", "1.0.0").padding(20_000));
    let server = RegistryServer::start(&world.reg.dir);
    server.cut_packages(true);
    let host = world.host(&server.url());

    let stderr = world.fails(&host, &["add", "hello"], &[]);

    assert!(stderr.contains("the connection broke after"), "{stderr}");
    assert!(stderr.contains("(tried 4 times)"), "{stderr}");
    let package = server.hits_for("/files/hello/hello-1.0.0.zip");
    assert_eq!(package.len(), 4, "the first try and three retries");
    assert!(package.iter().all(|h| h.cut));
    assert!(!host.plugins().join("hello").exists());
    assert_eq!(world.cached_packages(), Vec::<String>::new());

    // The network heals: the same command works.
    server.cut_packages(false);
    world.ok(&host, &["add", "hello"]);
    assert_eq!(installed_version(&host, "hello").as_deref(), Some("1.0.0"));
}

#[test]
fn server_errors_are_retried_until_they_pass() {
    let world = World::new();
    world.reg.publish(&Plugin::new("hello", "1.0.0"));
    let server = RegistryServer::start(&world.reg.dir);
    server.fail_first("/index/hello.json", 2);
    server.fail_first("/files/hello/hello-1.0.0.zip", 3);
    let host = world.host(&server.url());

    let (code, stdout, stderr) = world.run(host.root(), &["add", "hello"], &[]);

    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    assert_eq!(statuses(&server, "/index/hello.json"), [500, 500, 200]);
    assert_eq!(
        statuses(&server, "/files/hello/hello-1.0.0.zip"),
        [500, 500, 500, 200]
    );
    assert_eq!(
        stderr.matches("HTTP 500").count(),
        5,
        "each retry is announced: {stderr}"
    );
    assert_eq!(installed_version(&host, "hello").as_deref(), Some("1.0.0"));
}

#[test]
fn the_token_is_sent_when_set_and_never_shown_or_written() {
    let world = World::new();
    world
        .reg
        .publish(&Plugin::new("hello", "1.0.0").summary("Greets people"));
    let server = RegistryServer::start(&world.reg.dir);
    server.require_token(TOKEN);
    let host = world.host(&server.url());

    let stderr = world.fails(&host, &["add", "hello"], &[]);
    assert!(stderr.contains("HTTP 401"), "{stderr}");
    assert!(
        stderr.contains("set the token in the environment variable REG_TOKEN"),
        "{stderr}"
    );
    let stderr = world.fails(
        &host,
        &["add", "hello"],
        &[("REG_TOKEN", "not-the-token-0000")],
    );
    assert!(stderr.contains("HTTP 401"), "{stderr}");
    assert!(
        stderr.contains("the token in the environment variable REG_TOKEN was refused"),
        "{stderr}"
    );
    assert!(!stderr.contains("not-the-token-0000"), "{stderr}");
    let refused = server.hits();
    assert!(
        server
            .log()
            .iter()
            .all(|h| h.status == 401 && !h.authorized)
    );

    let with_token = [("REG_TOKEN", TOKEN)];
    let mut outputs = Vec::new();
    let mut run = |args: &[&str]| {
        let (code, stdout, stderr) = world.run(host.root(), args, &with_token);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        outputs.push((format!("{args:?}"), stdout + &stderr));
    };
    run(&["add", "-v", "hello"]);
    world
        .reg
        .publish(&Plugin::new("hello", "1.1.0").summary("Greets people"));
    for args in [
        &["search", "-v", "greets"][..],
        &["outdated", "-v", "--format", "json"],
        &["upgrade", "-v"],
        &["sync", "-v"],
        &["list", "-v"],
        &["verify", "-v"],
    ] {
        run(args);
    }
    assert_eq!(installed_version(&host, "hello").as_deref(), Some("1.1.0"));
    let answered = &server.log()[refused..];
    assert!(answered.len() >= 5, "{answered:?}");
    assert!(
        answered.iter().all(|h| h.authorized && h.status != 401),
        "{answered:?}"
    );

    for (what, text) in &outputs {
        assert!(
            !text.contains(TOKEN),
            "the token is in the output of {what}"
        );
    }
    for dir in [host.root().to_path_buf(), world.cache()] {
        for (path, bytes) in all_files(&dir) {
            assert!(
                !bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
                "the token is in {}",
                path.display()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The cache: ETags, --offline

#[test]
fn index_files_are_revalidated_with_their_etag() {
    let world = World::new();
    world.publish(&[
        Plugin::new("hello", "1.0.0"),
        Plugin::new("hello", "1.0.1"),
        Plugin::new("base", "1.0.0"),
        Plugin::new("app", "1.0.0").depends("base", "^1"),
    ]);
    let server = RegistryServer::start(&world.reg.dir);
    let host = world.host(&server.url());

    // A slow server: long work, but in a pipe no progress is drawn.
    server.delay(std::time::Duration::from_millis(150));
    let (code, stdout, stderr) = world.run(host.root(), &["add", "hello@=1.0.0"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    assert_eq!(stderr, "", "quiet in a pipe");
    server.delay(std::time::Duration::ZERO);
    world.ok(&host, &["outdated"]);
    world.ok(&host, &["add", "app"]);
    world.ok(&host, &["search", "hello"]);
    world.ok(&host, &["search", "app"]);
    // [plugins] changed by hand: sync looks hello up again.
    edit_toml(&host, "hello = \"=1.0.0\"", "hello = \"=1.0.1\"");
    let stdout = world.ok(&host, &["sync"]);
    assert!(
        stdout.starts_with("replace hello 1.0.0 with 1.0.1"),
        "{stdout}"
    );
    world.ok(&host, &["outdated"]);

    let log = server.log();
    let documents: Vec<&Hit> = log
        .iter()
        .filter(|h| h.path.starts_with("/index/") || h.path == "/search.json")
        .collect();
    for path in [
        "/index/hello.json",
        "/index/app.json",
        "/index/base.json",
        "/search.json",
    ] {
        let hits: Vec<&&Hit> = documents.iter().filter(|h| h.path == path).collect();
        assert!(hits.len() >= 2, "{path} was asked for again: {hits:?}");
        assert_eq!(hits[0].status, 200, "{path}");
        assert!(!hits[0].if_none_match, "{path}: nothing cached yet");
        for hit in &hits[1..] {
            assert!(hit.if_none_match, "{path} revalidated: {hits:?}");
            assert_eq!(hit.status, 304, "{path}: {hits:?}");
        }
    }
    // Packages are cached by sha256: downloaded once each.
    for path in [
        "/files/hello/hello-1.0.0.zip",
        "/files/hello/hello-1.0.1.zip",
        "/files/app/app-1.0.0.zip",
        "/files/base/base-1.0.0.zip",
    ] {
        assert_eq!(statuses(&server, path), [200], "{path}");
    }

    // A new version changes the index: the old ETag no longer matches, the new body is used.
    world.reg.publish(&Plugin::new("hello", "1.1.0"));
    edit_toml(&host, "hello = \"=1.0.1\"", "hello = \"^1\"");
    let before = server.hits();
    let (code, json) = {
        let (code, stdout, stderr) =
            world.run(host.root(), &["outdated", "--format", "json", "hello"], &[]);
        assert_eq!(code, 0, "{stderr}");
        (code, serde_json::from_str::<Value>(&stdout).expect("JSON"))
    };
    assert_eq!(code, 0);
    assert_eq!(json["plugins"][0]["latest"]["version"], "1.1.0", "{json}");
    let after: Vec<Hit> = server.log()[before..].to_vec();
    assert_eq!(
        after,
        [Hit {
            path: "/index/hello.json".into(),
            status: 200,
            if_none_match: true,
            authorized: false,
            cut: false,
        }]
    );
}

#[test]
fn offline_works_from_the_cache_and_never_asks_the_server() {
    let world = World::new();
    world.publish(&[
        Plugin::new("hello", "1.0.0"),
        Plugin::new("hello", "1.2.0"),
        Plugin::new("app", "1.0.0"),
    ]);
    let server = RegistryServer::start(&world.reg.dir);
    let online = world.host(&server.url());
    world.ok(&online, &["add", "hello@^1.2"]);
    let hits = server.hits();
    assert!(hits >= 2);

    let offline = world.host(&server.url());
    let stdout = world.ok(&offline, &["add", "--offline", "hello@^1.2"]);
    assert_eq!(stdout, "installed hello 1.2.0 into plugins/hello\n");
    assert_eq!(
        std::fs::read(offline.path("pluginkit.lock")).unwrap(),
        std::fs::read(online.path("pluginkit.lock")).unwrap()
    );

    // Never fetched: neither its index...
    let outcome = world.fails_with(&offline, &["add", "--offline", "app"], &[]);
    insta::assert_snapshot!("index_not_cached", outcome.snapshot());
    // ... nor the package of another version.
    let outcome = world.fails_with(
        &offline,
        &["add", "--offline", "--force", "hello@=1.0.0"],
        &[],
    );
    insta::assert_snapshot!("package_not_cached", outcome.snapshot());

    // A newer version whose package is not cached does not beat an older one that is: the
    // online host learns of 1.3.0 (the index is fetched again), but only 1.2.0 was downloaded.
    world.publish(&[Plugin::new("hello", "1.3.0")]);
    let outdated = world.ok(&online, &["outdated"]);
    assert!(outdated.contains("1.3.0"), "{outdated}");
    let hits = server.hits();
    let third = world.host(&server.url());
    let stdout = world.ok(&third, &["add", "--offline", "hello@^1"]);
    assert_eq!(stdout, "installed hello 1.2.0 into plugins/hello\n");

    assert_eq!(server.hits(), hits, "--offline never contacts the server");
}

// ---------------------------------------------------------------------------------------------
// Folder registries

#[test]
fn a_registry_folder_works_as_a_path_and_as_a_file_url() {
    let world = World::new();
    world.publish(&[
        Plugin::new("hello", "1.0.0").summary("Greets people"),
        Plugin::new("base", "1.0.0"),
        Plugin::new("app", "1.0.0").depends("base", "^1"),
    ]);
    let reg = std::fs::canonicalize(&world.reg.dir).unwrap();
    let hosts = [world.host("../reg"), world.host(&file_url(&reg))];
    for host in &hosts {
        let stdout = world.ok(host, &["add", "hello", "app"]);
        assert_eq!(
            stdout,
            "installed hello 1.0.0 into plugins/hello\ninstalled base 1.0.0 into plugins/base\ninstalled app 1.0.0 into plugins/app\n"
        );
        let lock = lock_entries(host.root());
        let source = lock["hello"]["source"].as_str().unwrap();
        assert!(source.starts_with("registry+file://"), "{source}");
        let url = reqwest::Url::parse(source.trim_start_matches("registry+")).unwrap();
        assert_eq!(
            std::fs::canonicalize(url.to_file_path().unwrap()).unwrap(),
            reg.join("files/hello/hello-1.0.0.zip")
        );
        let stdout = world.ok(host, &["search", "greets"]);
        assert!(stdout.contains("hello"), "{stdout}");
    }
    // Both hosts installed the same files.
    assert!(tree(&hosts[0].plugins()) == tree(&hosts[1].plugins()));
    // A folder's index files are read in place, not cached.
    assert!(!world.cache().join("index").exists());

    world.reg.publish(&Plugin::new("hello", "1.1.0"));
    for host in &hosts {
        let stdout = world.ok(host, &["outdated", "--format", "json", "hello"]);
        let json: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(
            json["plugins"][0]["latest"]["status"], "newer-version",
            "{json}"
        );
        assert_eq!(json["plugins"][0]["latest"]["version"], "1.1.0", "{json}");
    }
}

// ---------------------------------------------------------------------------------------------
// sync

#[test]
fn sync_locked_reproduces_a_host_exactly_and_refuses_a_disagreeing_toml() {
    let world = World::new();
    let mut plugins = app_and_dependencies();
    plugins.extend(hello_versions());
    world.publish(&plugins);
    let server = RegistryServer::start(&world.reg.dir);
    world.context.filter(server.url(), "http://[REGISTRY]/");
    let first = world.host(&server.url());
    world.ok(&first, &["add", "app", "hello@~1.2"]);

    let second = world.host(&server.url());
    for file in ["pluginkit.toml", "pluginkit.lock"] {
        std::fs::copy(first.path(file), second.path(file)).expect("copy");
    }
    let before = server.hits();
    let stdout = world.ok(&second, &["sync", "--locked"]);
    let mut lines: Vec<&str> = stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "install app 1.0.0",
            "install auth 1.1.0",
            "install base 1.1.0",
            "install hello 1.2.5"
        ]
    );
    // Only the packages were fetched (the lock says exactly which), and the index of each plugin
    // installed read for its advisories (revalidated here: the same cache): nothing resolved.
    assert!(
        server.log()[before..]
            .iter()
            .all(|h| h.path.starts_with("/files/")
                || ["app", "auth", "base", "hello"]
                    .iter()
                    .any(|name| h.path == format!("/index/{name}.json"))),
        "{:?}",
        &server.log()[before..]
    );
    assert_eq!(
        std::fs::read_to_string(second.path("pluginkit.lock")).unwrap(),
        std::fs::read_to_string(first.path("pluginkit.lock")).unwrap(),
        "the same lock, tree hashes included"
    );
    let (a, b) = (lock_entries(first.root()), lock_entries(second.root()));
    for (name, entry) in &a {
        assert_eq!(entry.get("tree"), b[name].get("tree"), "{name}");
        assert!(entry.get("tree").is_some(), "{name} has a tree hash");
    }
    assert!(
        tree(&first.plugins()) == tree(&second.plugins()),
        "the same files, byte for byte"
    );

    // Nothing to do: no network at all.
    let before = server.hits();
    let stdout = world.ok(&second, &["sync", "--locked"]);
    assert!(stdout.contains("in sync"), "{stdout}");
    assert_eq!(server.hits(), before);

    // pluginkit.toml edited by hand so that it disagrees with the lock.
    let original = std::fs::read_to_string(second.path("pluginkit.toml")).unwrap();
    edit_toml(&second, "hello = \"~1.2\"", "hello = \"^2\"");
    let outcome = world.fails_with(&second, &["sync", "--locked"], &[]);
    insta::assert_snapshot!("a_requirement_the_lock_does_not_meet", outcome.snapshot());

    std::fs::write(
        second.path("pluginkit.toml"),
        format!("{original}extra = \"^1\"\n"),
    )
    .unwrap();
    let outcome = world.fails_with(&second, &["sync", "--locked"], &[]);
    insta::assert_snapshot!("a_plugin_not_in_the_lock", outcome.snapshot());
    assert_eq!(
        server.hits(),
        before,
        "a refused sync --locked fetches nothing"
    );
}

#[test]
fn sync_locked_refuses_a_lock_that_holds_what_pluginkit_toml_no_longer_asks_for() {
    let world = World::new();
    let mut plugins = app_and_dependencies();
    plugins.extend(hello_versions());
    world.publish(&plugins);
    let first = world.host("../reg");
    world.ok(&first, &["add", "app", "hello@~1.2"]);
    // app taken out of [plugins] by hand: `sync` would remove app and the auth and base it
    // needed, so the lock would change.
    edit_toml(&first, "app = \"^1.0.0\"\n", "");
    let second = world.host("../reg");
    for file in ["pluginkit.toml", "pluginkit.lock"] {
        std::fs::copy(first.path(file), second.path(file)).expect("copy");
    }

    for host in [&first, &second] {
        let stderr = world.fails(host, &["sync", "--locked"], &[]);
        assert!(stderr.contains("disagree"), "{stderr}");
        assert!(stderr.contains("app"), "{stderr}");
    }
    assert!(installed(&second).is_empty());
}

#[test]
fn sync_installs_replaces_removes_and_leaves_foreign_plugins_alone() {
    let world = World::new();
    let mut plugins = app_and_dependencies();
    plugins.extend(hello_versions());
    world.publish(&plugins);
    let server = RegistryServer::start(&world.reg.dir);
    let host = world.host(&server.url());
    host.put(
        "pluginkit.toml",
        host_toml(&server.url(), "app = \"^1\"\nhello = \"^1.2\"\n").as_bytes(),
    );
    // A plugin someone put there by hand.
    native_plugin(&host.plugins(), "manual", "");

    // --dry-run says what it would do, and does nothing.
    let before = snapshot(&host);
    let stdout = world.ok(&host, &["sync", "--dry-run"]);
    assert_eq!(
        stdout,
        "would install base 1.1.0\nwould install auth 1.1.0\nwould install app 1.0.0\nwould install hello 1.3.0\n"
    );
    assert!(snapshot(&host) == before, "--dry-run changed something");

    let stdout = world.ok(&host, &["sync"]);
    assert_eq!(
        stdout,
        "install base 1.1.0\ninstall auth 1.1.0\ninstall app 1.0.0\ninstall hello 1.3.0\n"
    );
    assert_eq!(installed(&host), ["app", "auth", "base", "hello", "manual"]);
    let names: Vec<String> = host.locked().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["app", "auth", "base", "hello"]);

    // Nothing to do: no request at all, and the dependencies (not listed) stay.
    let before = server.hits();
    let stdout = world.ok(&host, &["sync"]);
    assert_eq!(stdout, "2 plugins in sync with pluginkit.toml\n");
    assert_eq!(server.hits(), before, "{:?}", &server.log()[before..]);
    assert_eq!(installed(&host), ["app", "auth", "base", "hello", "manual"]);

    // A requirement the installed version does not meet: replaced, with a backup.
    edit_toml(&host, "hello = \"^1.2\"", "hello = \"=1.2.0\"");
    let stdout = world.ok(&host, &["sync"]);
    assert!(
        stdout.starts_with(
            "replace hello 1.3.0 with 1.2.0 (the old one is in .pluginkit/backups/hello/"
        ),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert_eq!(installed_version(&host, "hello").as_deref(), Some("1.2.0"));
    assert_eq!(host.backups("hello").len(), 1);
    let backup = &host.backups("hello")[0];
    assert!(
        std::fs::read_to_string(backup.join("plugin.toml"))
            .unwrap()
            .contains("version = \"1.3.0\"")
    );
    assert!(
        host.locked()
            .contains(&("hello".to_owned(), "1.2.0".to_owned()))
    );

    // No longer listed: app goes, and with it the dependencies nothing else needs.
    edit_toml(&host, "app = \"^1\"\n", "");
    let before = snapshot(&host);
    let stdout = world.ok(&host, &["sync", "--dry-run"]);
    let mut lines: Vec<&str> = stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "would remove app 1.0.0",
            "would remove auth 1.1.0",
            "would remove base 1.1.0"
        ]
    );
    assert!(snapshot(&host) == before, "--dry-run changed something");
    let stdout = world.ok(&host, &["sync"]);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    for name in ["app", "auth", "base"] {
        assert!(
            stdout.contains(&format!("remove {name} ")),
            "{name}: {stdout}"
        );
        assert_eq!(host.backups(name).len(), 1, "{name} is kept as a backup");
    }
    assert_eq!(installed(&host), ["hello", "manual"]);
    let names: Vec<String> = host.locked().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["hello"]);

    // What pluginkit did not install goes only with --prune.
    let stdout = world.ok(&host, &["sync"]);
    assert_eq!(stdout, "1 plugin in sync with pluginkit.toml\n");
    let stdout = world.ok(&host, &["sync", "--prune"]);
    assert!(stdout.starts_with("remove manual"), "{stdout}");
    assert_eq!(installed(&host), ["hello"]);
    assert_eq!(host.backups("manual").len(), 1);
}

#[test]
fn sync_reinstalls_plugins_and_dependencies_deleted_by_hand() {
    let world = World::new();
    let mut plugins = app_and_dependencies();
    plugins.extend(hello_versions());
    world.publish(&plugins);
    let host = world.host("../reg");
    host.put(
        "pluginkit.toml",
        host_toml("../reg", "app = \"^1\"\nhello = \"^1.2\"\n").as_bytes(),
    );
    world.ok(&host, &["sync"]);
    let before = snapshot(&host);
    let delete = || {
        for name in ["hello", "auth"] {
            std::fs::remove_dir_all(host.plugins().join(name)).unwrap();
        }
    };

    // hello is listed and auth is what app needs: both are missing, so both come back, as
    // the lock has them.
    delete();
    world.ok(&host, &["sync", "--locked"]);
    assert!(snapshot(&host) == before, "sync --locked restored the host");

    delete();
    let stdout = world.ok(&host, &["sync"]);
    let mut lines: Vec<&str> = stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        ["install auth 1.1.0", "install hello 1.3.0"],
        "{stdout}"
    );
    assert_eq!(installed(&host), ["app", "auth", "base", "hello"]);
    assert!(host.backups("base").is_empty(), "base is still needed");
    assert!(snapshot(&host) == before, "sync restored the host");
}

// ---------------------------------------------------------------------------------------------
// pluginkit.toml edits

#[test]
fn add_and_remove_keep_a_hand_written_pluginkit_toml() {
    let world = World::new();
    world.publish(&hello_versions());
    let host = world.host("../reg");
    let original = "\
# The storefront's plugins. Keep this file in git.

[host]
plugins-dir = \"plugins\"   # beside the app
version = \"2.4.0\"         # bump with each release

# The team's registry, checked out beside us.
[registries.default]
index = \"../reg\"
token-env = \"REG_TOKEN\"   # read from the environment

[plugins]
# Alphabetical, please.
auth = { path = \"../auth\" }   # ours, not published yet

# The end.
";
    host.put("pluginkit.toml", original.as_bytes());

    world.ok(&host, &["add", "hello@^1.2"]);
    let added = std::fs::read_to_string(host.path("pluginkit.toml")).unwrap();
    insta::assert_snapshot!("hand_written_toml_after_add", added);
    assert_eq!(
        added.lines().filter(|l| l.starts_with("hello")).count(),
        1,
        "{added}"
    );

    world.ok(&host, &["remove", "hello"]);
    assert_eq!(
        std::fs::read_to_string(host.path("pluginkit.toml")).unwrap(),
        original,
        "remove restores the file byte for byte"
    );

    // Without a [plugins] table, add writes one at the end.
    let bare = "# A host without plugins yet.\n[host]\nversion = \"2.4.0\" # ours\n\n[registries.default]\nindex = \"../reg\"\n";
    host.put("pluginkit.toml", bare.as_bytes());
    world.ok(&host, &["add", "hello@~1.2"]);
    let added = std::fs::read_to_string(host.path("pluginkit.toml")).unwrap();
    insta::assert_snapshot!("bare_toml_after_add", added);
}

// ---------------------------------------------------------------------------------------------
// search, outdated, upgrade

#[test]
fn search_finds_plugins_by_name_and_summary() {
    let world = World::new();
    world.publish(&app_and_dependencies());
    world.publish(&[
        Plugin::new("hello", "1.0.0").summary("Greets people"),
        Plugin::new("hello", "1.3.0").summary("Greets people warmly"),
    ]);
    let server = RegistryServer::start(&world.reg.dir);
    let host = world.host(&server.url());

    let stdout = world.ok(&host, &["search", "PEOPLE"]);
    assert_eq!(
        stdout,
        "NAME   VERSION  REGISTRY  SUMMARY\nauth   1.1.0    default   Logs people in\nhello  1.3.0    default   Greets people warmly\n"
    );
    let stdout = world.ok(&host, &["search", "greets people"]);
    assert!(
        stdout.contains("hello") && !stdout.contains("auth"),
        "{stdout}"
    );

    let stdout = world.ok(&host, &["search", "people", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!({"version": 1, "plugins": [
            {"name": "auth", "version": "1.1.0", "summary": "Logs people in", "registry": "default"},
            {"name": "hello", "version": "1.3.0", "summary": "Greets people warmly", "registry": "default"},
        ]})
    );

    let stdout = world.ok(&host, &["search", "spaceship"]);
    assert_eq!(stdout, "no plugin matches `spaceship`\n");
    let stdout = world.ok(&host, &["search", "spaceship", "--format", "json"]);
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).unwrap(),
        serde_json::json!({"version": 1, "plugins": []})
    );
    assert!(
        server.log().iter().all(|h| h.path == "/search.json"),
        "search reads only search.json"
    );
}

#[test]
fn outdated_and_upgrade_move_within_the_requirement() {
    let world = World::new();
    world.publish(&[Plugin::new("hello", "1.0.0"), Plugin::new("hello", "1.2.0")]);
    let server = RegistryServer::start(&world.reg.dir);
    let host = world.host(&server.url());
    world.ok(&host, &["add", "hello@^1.2"]);

    let stdout = world.ok(&host, &["outdated", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json["plugins"][0]["pin"], "registry", "{json}");
    assert_eq!(
        json["plugins"][0]["latest"]["status"], "up-to-date",
        "{json}"
    );
    let stdout = world.ok(&host, &["upgrade"]);
    assert_eq!(stdout, "everything is up to date\n");

    // 1.3.0 is within ^1.2; 2.0.0 is not, and 1.4.0 needs a newer host.
    world.publish(&[
        Plugin::new("hello", "1.3.0"),
        Plugin::new("hello", "1.4.0").requires(">=3"),
        Plugin::new("hello", "2.0.0"),
    ]);
    let stdout = world.ok(&host, &["outdated", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json["plugins"].as_array().map(Vec::len), Some(1), "{json}");
    let entry = &json["plugins"][0];
    assert_eq!(entry["name"], "hello");
    assert_eq!(entry["version"], "1.2.0");
    assert_eq!(entry["pin"], "registry");
    assert_eq!(entry["pinned"], "^1.2");
    assert_eq!(
        entry["latest"],
        serde_json::json!({"status": "newer-version", "version": "1.3.0"})
    );
    let stdout = world.ok(&host, &["outdated"]);
    assert!(
        stdout.contains("hello") && stdout.contains("1.2.0") && stdout.contains("1.3.0"),
        "{stdout}"
    );

    let before = snapshot(&host);
    let stdout = world.ok(&host, &["upgrade", "--dry-run"]);
    assert_eq!(stdout, "would upgrade hello: 1.2.0 -> 1.3.0\n");
    assert!(snapshot(&host) == before, "--dry-run changed something");
    assert!(host.backups("hello").is_empty());

    let stdout = world.ok(&host, &["upgrade"]);
    assert!(
        stdout.starts_with(
            "upgraded hello: 1.2.0 -> 1.3.0 (the old one is in .pluginkit/backups/hello/"
        ),
        "{stdout}"
    );
    assert_eq!(installed_version(&host, "hello").as_deref(), Some("1.3.0"));
    assert_eq!(host.backups("hello").len(), 1);
    assert!(
        std::fs::read_to_string(host.backups("hello")[0].join("plugin.toml"))
            .unwrap()
            .contains("version = \"1.2.0\"")
    );
    assert_eq!(host.locked(), [("hello".to_owned(), "1.3.0".to_owned())]);
    assert_eq!(
        plugins_table(&host)["hello"],
        "\"^1.2\"",
        "[plugins] keeps its requirement"
    );
    let stdout = world.ok(&host, &["outdated", "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        json["plugins"][0]["latest"]["status"], "up-to-date",
        "{json}"
    );
}
