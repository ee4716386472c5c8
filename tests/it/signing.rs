//! Signed registries: `registry keygen` makes a minisign key pair, `registry publish|yank|advise
//! --sign-key` and `registry resign` sign the registry's `snapshot.json`, and a host that lists
//! the registry's public keys trusts only what a snapshot signed by one of them vouches for.
//!
//! The registry is a folder written with `pluginkit registry publish`, served on 127.0.0.1 by
//! the static server in tests/it/support/registry.rs, which reads the folder on every request:
//! the tests make it hostile by changing the folder behind it, as whoever controls a web
//! server, bucket or CDN could. Each refusal leaves the host byte for byte as it was (every file
//! under its root, `.pluginkit/` included, is compared).
//!
//! Interoperability is checked against the reference tool, the minisign CLI (Debian package
//! `minisign`, installed by .ci/run): it verifies pluginkit's signature, and pluginkit verifies
//! one it made.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::TestContext;
use crate::support::install::{Host, Node, tree};
use crate::support::registry::{Plugin, RegistryServer, sha256};

const PASSWORD: &str = "correct horse battery staple";

/// A key pair made by `pluginkit registry keygen`.
#[derive(Debug, Clone)]
struct Key {
    /// The secret key file.
    path: PathBuf,
    /// The base64 line hosts list in `public-keys`.
    public: String,
    /// Its key id.
    id: String,
}

fn keygen(context: &TestContext, name: &str) -> Key {
    std::fs::create_dir_all(context.path("keys")).unwrap();
    let path = context.path(&format!("keys/{name}.key"));
    let (code, json) = context
        .pluginkit()
        .env("PLUGINKIT_SIGNING_PASSWORD", PASSWORD)
        .args(["registry", "keygen", "--format", "json", "--output"])
        .arg(&path)
        .run_json();
    assert_eq!(code, 0, "{json}");
    Key {
        path,
        public: json["public_key"].as_str().unwrap().to_owned(),
        id: json["key"].as_str().unwrap().to_owned(),
    }
}

/// A signed registry folder (`reg/`) served over HTTP, its packages written in `packages/`.
struct World {
    context: TestContext,
    reg: PathBuf,
    packages: PathBuf,
    server: RegistryServer,
}

impl World {
    /// hello 1.0.0 published and signed with `key`.
    fn new(key_name: &str) -> (World, Key) {
        let context = TestContext::new();
        let key = keygen(&context, key_name);
        let reg = context.path("reg");
        let packages = context.path("packages");
        std::fs::create_dir_all(&reg).unwrap();
        std::fs::create_dir_all(&packages).unwrap();
        let server = RegistryServer::start(&reg);
        let world = World {
            context,
            reg,
            packages,
            server,
        };
        let (code, out, err) = world.publish(&Plugin::new("hello", "1.0.0"), Some(&key), &[]);
        assert_eq!(code, 0, "{out}{err}");
        (world, key)
    }

    /// `pluginkit registry publish` of `plugin`, signed with `key` when given.
    fn publish(&self, plugin: &Plugin, key: Option<&Key>, args: &[&str]) -> (i32, String, String) {
        let zip = self
            .packages
            .join(format!("{}-{}.zip", plugin.name, plugin.version));
        std::fs::write(&zip, plugin.zip()).unwrap();
        let mut run = self
            .context
            .pluginkit()
            .env("PLUGINKIT_SIGNING_PASSWORD", PASSWORD)
            .args(["registry", "publish"])
            .arg(&zip)
            .arg("--dir")
            .arg(&self.reg)
            .args(args);
        if let Some(key) = key {
            run = run.arg("--sign-key").arg(&key.path);
        }
        run.run()
    }

    /// `pluginkit registry resign --dir reg --sign-key KEY ARGS`.
    fn resign(&self, key: &Key, args: &[&str]) -> (i32, String, String) {
        self.context
            .pluginkit()
            .env("PLUGINKIT_SIGNING_PASSWORD", PASSWORD)
            .args(["registry", "resign", "--dir"])
            .arg(&self.reg)
            .arg("--sign-key")
            .arg(&key.path)
            .args(args)
            .run()
    }

    /// A host in `name/` whose default registry this is, trusting `keys` (none: not verified),
    /// with `plugins` as its `[plugins]`.
    fn host(&self, name: &str, keys: &[&str], plugins: &str) -> Host {
        let host = Host::at(&self.context, &self.context.path(name));
        let mut toml = format!(
            "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{}\"\n",
            self.server.url()
        );
        if !keys.is_empty() {
            let listed: Vec<String> = keys.iter().map(|k| format!("\"{k}\"")).collect();
            toml.push_str(&format!("public-keys = [{}]\n", listed.join(", ")));
        }
        if !plugins.is_empty() {
            toml.push_str(&format!("\n[plugins]\n{plugins}"));
        }
        host.put("pluginkit.toml", toml.as_bytes());
        host
    }

    fn snapshot(&self) -> Value {
        serde_json::from_slice(&std::fs::read(self.reg.join("snapshot.json")).unwrap()).unwrap()
    }
}

/// Run `args` in `host`: refused (exit 1), saying each of `says`, and every file under the host
/// as it was.
fn assert_refused(host: &Host, args: &[&str], says: &[&str]) -> String {
    let before = tree(host.root());
    let (code, out, err) = host.run(args);
    assert_eq!(code, 1, "pluginkit {}:\n{out}\n{err}", args.join(" "));
    for said in says {
        assert!(err.contains(said), "expected {said:?} in:\n{err}");
    }
    assert!(
        err.contains("nothing was installed"),
        "expected a hint saying nothing was installed:\n{err}"
    );
    assert_host_unchanged(host, &before);
    err
}

fn assert_host_unchanged(host: &Host, before: &BTreeMap<String, Node>) {
    let after = tree(host.root());
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert!(changed.is_empty(), "the host changed: {changed:?}");
}

/// Copy the folder `from` to `to` (replacing it), files only.
fn copy_tree(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn minisign() -> Command {
    let mut cmd = Command::new("minisign");
    cmd.stdin(std::process::Stdio::null());
    cmd
}

#[test]
fn keygen_takes_the_password_from_the_environment_never_prompts_and_never_overwrites() {
    let context = TestContext::new();
    let key = keygen(&context, "registry");
    assert_eq!(key.id.len(), 16, "{key:?}");
    assert!(key.public.starts_with("RW"), "{key:?}");
    let public_file = context.path("keys/registry.pub");
    let public_text = std::fs::read_to_string(&public_file).unwrap();
    assert!(
        public_text.lines().nth(1) == Some(key.public.as_str()),
        "{public_text}"
    );
    let secret = std::fs::read(&key.path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key.path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    // The human form prints the line to put into pluginkit.toml.
    let (code, out, err) = context
        .pluginkit()
        .env("PLUGINKIT_SIGNING_PASSWORD", PASSWORD)
        .args(["registry", "keygen", "--output", "keys/second.key"])
        .run();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("public-keys = [\"RW"), "{out}");

    // An existing key is never overwritten, and no password is asked for first.
    let before = tree(&context.path("keys"));
    let (code, _, err) = context
        .pluginkit()
        .args(["registry", "keygen", "--output"])
        .arg(&key.path)
        .run();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("registry.key already exists"), "{err}");
    assert_eq!(std::fs::read(&key.path).unwrap(), secret);

    // No password and no terminal (CI): exit 2 saying how to give one, nothing written.
    let (code, _, err) = context
        .pluginkit()
        .env("CI", "true")
        .env_remove("PLUGINKIT_SIGNING_PASSWORD")
        .args(["registry", "keygen", "--output", "keys/third.key"])
        .run();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("PLUGINKIT_SIGNING_PASSWORD"), "{err}");
    assert_eq!(tree(&context.path("keys")), before);

    // Signing with the wrong password fails and writes nothing.
    let (world, key) = World::new("reg");
    let reg_before = tree(&world.reg);
    let (code, _, err) = world
        .context
        .pluginkit()
        .env("PLUGINKIT_SIGNING_PASSWORD", "wrong")
        .args(["registry", "resign", "--dir"])
        .arg(&world.reg)
        .arg("--sign-key")
        .arg(&key.path)
        .run();
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("the password does not open"), "{err}");
    assert_eq!(tree(&world.reg), reg_before);
}

#[test]
fn a_signed_registry_installs_records_its_key_and_refuses_unsigned_changes() {
    let (world, key) = World::new("reg");
    let snapshot = world.snapshot();
    assert_eq!(snapshot["format"], 1);
    assert_eq!(snapshot["serial"], 1);
    let files = snapshot["files"].as_object().unwrap();
    let listed: Vec<&String> = files.keys().collect();
    assert_eq!(listed, ["index/hello.json", "search.json"]);
    for (path, sha) in files {
        let bytes = std::fs::read(world.reg.join(path)).unwrap();
        assert_eq!(sha, &sha256(&bytes), "{path}");
    }

    // The reference tool verifies pluginkit's signature of the exact bytes.
    let public_file = world.context.path("keys/reg.pub");
    let verified = minisign()
        .arg("-V")
        .arg("-p")
        .arg(&public_file)
        .arg("-m")
        .arg(world.reg.join("snapshot.json"))
        .output()
        .expect("the minisign CLI (apt-get install minisign)");
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(String::from_utf8_lossy(&verified.stdout).contains("serial:1"));

    // A change that is not signed is refused: nobody drops signing by accident.
    let before = tree(&world.reg);
    let (code, _, err) = world.publish(&Plugin::new("hello", "1.1.0"), None, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--sign-key"), "{err}");
    assert_eq!(tree(&world.reg), before);
    let (code, _, err) = world
        .context
        .pluginkit()
        .args(["registry", "yank", "hello@1.0.0", "--dir"])
        .arg(&world.reg)
        .run();
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--sign-key"), "{err}");
    assert_eq!(tree(&world.reg), before);

    // Signed, the serial goes up with every change.
    let (code, out, err) = world.publish(
        &Plugin::new("world", "1.0.0"),
        Some(&key),
        &["--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["snapshot"]["serial"], 2, "{json}");
    assert_eq!(json["snapshot"]["key"], key.id.as_str(), "{json}");
    assert_eq!(world.snapshot()["serial"], 2);

    // A host that lists the key installs, and records the key that verified it.
    let host = world.host("host", &[&key.public], "");
    let (code, out, err) = host.run(&["add", "hello", "world"]);
    assert_eq!(code, 0, "{out}{err}");
    let lock = std::fs::read_to_string(host.path("pluginkit.lock")).unwrap();
    assert_eq!(
        lock.matches(&format!("verified-by = \"{}\"\n", key.id))
            .count(),
        2,
        "{lock}"
    );
    let (code, info) = host.run_json(&["info", "hello", "--format", "json"]);
    assert_eq!(code, 0, "{info}");
    assert_eq!(
        info["verified"],
        serde_json::json!({"key": key.id}),
        "{info}"
    );
    let (_, out, _) = host.run(&["info", "hello"]);
    assert!(
        out.contains(&format!("by the signed registry's key {}", key.id)),
        "{out}"
    );
    let serials: Value = serde_json::from_slice(
        &std::fs::read(host.path(".pluginkit/registry-serials.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(serials[world.server.url()], 2, "{serials}");

    // A host without keys installs as before, and says its source was not verified.
    let plain = world.host("plain", &[], "");
    let (code, _, err) = plain.run(&["add", "hello"]);
    assert_eq!(code, 0, "{err}");
    let (_, info) = plain.run_json(&["info", "hello", "--format", "json"]);
    assert_eq!(info["verified"], Value::Null, "{info}");
    let lock = std::fs::read_to_string(plain.path("pluginkit.lock")).unwrap();
    assert!(!lock.contains("verified-by"), "{lock}");
    assert!(!plain.path(".pluginkit/registry-serials.json").exists());
}

#[test]
fn hostile_registries_are_refused_and_leave_the_host_as_it_was() {
    let (world, key) = World::new("reg");
    let (code, _, err) = world.publish(&Plugin::new("world", "1.0.0"), Some(&key), &[]);
    assert_eq!(code, 0, "{err}");
    let host = world.host("host", &[&key.public], "");
    // The host has seen the registry's current serial (2).
    let (code, _, err) = host.run(&["add", "hello"]);
    assert_eq!(code, 0, "{err}");
    let good = world.context.path("good");
    copy_tree(&world.reg, &good);
    let restore = || copy_tree(&good, &world.reg);
    let id = key.id.as_str();

    // 1. A package and its sha256 in the index swapped together.
    let evil = Plugin::new("world", "1.0.0").file("evil.py", b"import os\n");
    let evil_zip = evil.zip();
    std::fs::write(world.reg.join("files/world/world-1.0.0.zip"), &evil_zip).unwrap();
    let index_file = world.reg.join("index/world.json");
    let mut index: Value = serde_json::from_slice(&std::fs::read(&index_file).unwrap()).unwrap();
    index["versions"][0]["sha256"] = sha256(&evil_zip).into();
    index["versions"][0]["size"] = evil_zip.len().into();
    std::fs::write(&index_file, serde_json::to_vec_pretty(&index).unwrap()).unwrap();
    assert_refused(
        &host,
        &["add", "world"],
        &[
            "the registry `default` is not trusted",
            "index/world.json has sha256",
            &format!("serial 2, signed by the key {id}"),
        ],
    );
    // The attack works on a host that does not list the key: what the signature stops.
    let plain = world.host("plain", &[], "");
    let (code, _, err) = plain.run(&["add", "world"]);
    assert_eq!(code, 0, "{err}");
    assert!(plain.path("plugins/world/evil.py").is_file());
    restore();

    // 2. An older snapshot after a newer one (a replay of serial 1).
    let (code, _, err) = world.publish(&Plugin::new("hello", "1.1.0"), Some(&key), &[]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = host.run(&["search", "hello"]);
    assert_eq!(code, 0, "{err}");
    restore();
    assert_refused(
        &host,
        &["add", "world"],
        &[&format!(
            "snapshot.json (signed by the key {id}) has serial 2, older than the serial 3 this host has seen"
        )],
    );
    // The newer state again: accepted.
    let (code, _, err) = world.resign(&key, &[]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = host.run(&["search", "hello"]);
    assert_eq!(code, 0, "{err}");
    copy_tree(&world.reg, &good);

    // 3. An expired snapshot (a registry served frozen).
    let (code, _, err) = world.resign(&key, &["--expires-in", "0"]);
    assert_eq!(code, 0, "{err}");
    assert_refused(
        &host,
        &["add", "world"],
        &[&format!(
            "snapshot.json (signed by the key {id}) expired at"
        )],
    );
    restore();

    // 4. A snapshot signed by a key the host does not list.
    let stranger = keygen(&world.context, "stranger");
    let (code, _, err) = world.resign(&stranger, &[]);
    assert_eq!(code, 0, "{err}");
    assert_refused(
        &host,
        &["add", "world"],
        &[&format!(
            "snapshot.json is signed by the key {}, which is not one of its public keys ({id})",
            stranger.id
        )],
    );
    restore();

    // 5. An index file the snapshot does not list.
    let mut unlisted = index.clone();
    unlisted["name"] = "sneaky".into();
    std::fs::write(
        world.reg.join("index/sneaky.json"),
        serde_json::to_vec_pretty(&unlisted).unwrap(),
    )
    .unwrap();
    assert_refused(
        &host,
        &["add", "sneaky"],
        &["index/sneaky.json is not listed in snapshot.json", id],
    );
    restore();

    // 6. A missing signature, and a missing snapshot.
    std::fs::remove_file(world.reg.join("snapshot.json.minisig")).unwrap();
    assert_refused(
        &host,
        &["add", "world"],
        &["snapshot.json has no signature"],
    );
    std::fs::remove_file(world.reg.join("snapshot.json")).unwrap();
    assert_refused(&host, &["add", "world"], &["it has no snapshot.json"]);
    restore();

    // 7. A signature that does not belong to the snapshot.
    let mut bytes = std::fs::read(world.reg.join("snapshot.json")).unwrap();
    let at = bytes.iter().position(|b| *b == b'2').unwrap();
    bytes[at] = b'9';
    std::fs::write(world.reg.join("snapshot.json"), bytes).unwrap();
    assert_refused(
        &host,
        &["add", "world"],
        &[&format!("does not verify snapshot.json with the key {id}")],
    );
    restore();

    // And the registry as published installs.
    let (code, _, err) = host.run(&["add", "world"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_registry_re_signed_with_a_new_key_is_accepted_by_hosts_that_list_it() {
    let (world, old) = World::new("2026");
    let both_host = {
        let new = keygen(&world.context, "2027");
        let (code, out, err) = world.resign(&new, &["--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let json: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["snapshot"]["key"], new.id.as_str(), "{json}");
        assert_eq!(json["snapshot"]["serial"], 2, "{json}");

        // Listing old and new: accepted, the new key recorded.
        let both = world.host("both", &[&old.public, &new.public], "");
        let (code, _, err) = both.run(&["add", "hello"]);
        assert_eq!(code, 0, "{err}");
        let lock = std::fs::read_to_string(both.path("pluginkit.lock")).unwrap();
        assert!(
            lock.contains(&format!("verified-by = \"{}\"", new.id)),
            "{lock}"
        );
        (both, new)
    };
    let (_, new) = both_host;

    // Listing only the old one: refused, naming the new key and the listed one.
    let only_old = world.host("old", &[&old.public], "");
    assert_refused(
        &only_old,
        &["add", "hello"],
        &[&format!(
            "signed by the key {}, which is not one of its public keys ({})",
            new.id, old.id
        )],
    );
}

#[test]
fn a_snapshot_signed_by_the_minisign_cli_is_accepted() {
    let (world, _) = World::new("reg");
    let cli = world.context.path("cli");
    std::fs::create_dir_all(&cli).unwrap();
    let (public_file, secret_file) = (cli.join("cli.pub"), cli.join("cli.key"));
    let made = minisign()
        .args(["-G", "-W", "-p"])
        .arg(&public_file)
        .arg("-s")
        .arg(&secret_file)
        .output()
        .expect("the minisign CLI (apt-get install minisign)");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let signed = minisign()
        .args(["-S", "-s"])
        .arg(&secret_file)
        .arg("-m")
        .arg(world.reg.join("snapshot.json"))
        .args(["-t", "signed by the minisign CLI"])
        .output()
        .unwrap();
    assert!(
        signed.status.success(),
        "{}",
        String::from_utf8_lossy(&signed.stderr)
    );
    let public = std::fs::read_to_string(&public_file).unwrap();
    let public = public.lines().nth(1).unwrap();
    let host = world.host("host", &[public], "");
    let (code, out, err) = host.run(&["add", "hello"]);
    assert_eq!(code, 0, "{out}{err}");
    // The CLI's key id, as it prints it in the public key's comment (without the leading
    // zeros pluginkit and the minisign crate write: always 16 digits).
    let comment = std::fs::read_to_string(&public_file).unwrap();
    let id = comment.lines().next().unwrap().rsplit(' ').next().unwrap();
    let (_, info) = host.run_json(&["info", "hello", "--format", "json"]);
    let shown = info["verified"]["key"].as_str().unwrap_or_default();
    assert_eq!(shown.len(), 16, "{info}");
    assert_eq!(
        shown.trim_start_matches('0'),
        id.trim_start_matches('0'),
        "{info}"
    );

    // pluginkit does not sign with a key made without a password by the CLI (0.11 writes no
    // checksum for it), and says so.
    let cli_key = Key {
        path: secret_file,
        public: public.to_owned(),
        id: id.to_owned(),
    };
    let (code, _, err) = world.resign(&cli_key, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("minisign -G -W"), "{err}");
}

#[test]
fn sync_locked_refuses_an_entry_whose_key_is_not_listed() {
    let (world, old) = World::new("old");
    let team = world.host("team", &[&old.public], "hello = \"^1\"\n");
    let (code, _, err) = team.run(&["sync"]);
    assert_eq!(code, 0, "{err}");
    let lock = std::fs::read(team.path("pluginkit.lock")).unwrap();
    assert!(String::from_utf8_lossy(&lock).contains(&old.id));

    // The registry moves to a new key; a machine that lists only the new key gets the lock.
    let new = keygen(&world.context, "new");
    let (code, _, err) = world.resign(&new, &[]);
    assert_eq!(code, 0, "{err}");
    let machine = world.host("machine", &[&new.public], "hello = \"^1\"\n");
    machine.put("pluginkit.lock", &lock);
    assert_refused(
        &machine,
        &["sync", "--locked"],
        &[&format!(
            "pluginkit.lock says hello was verified by the key {}, which is not one of the public keys of the registry `default` ({})",
            old.id, new.id
        )],
    );

    // Listing the recorded key too, the lock installs: the new key verifies the registry now.
    let rotating = world.host("rotating", &[&old.public, &new.public], "hello = \"^1\"\n");
    rotating.put("pluginkit.lock", &lock);
    let (code, _, err) = rotating.run(&["sync", "--locked"]);
    assert_eq!(code, 0, "{err}");
    assert!(rotating.path("plugins/hello").is_dir());
    assert_eq!(
        std::fs::read(rotating.path("pluginkit.lock")).unwrap(),
        lock
    );

    // A registry that no listed key verifies now is refused, whatever the lock says.
    let stranger = keygen(&world.context, "stranger");
    let (code, _, err) = world.resign(&stranger, &[]);
    assert_eq!(code, 0, "{err}");
    let again = world.host("again", &[&old.public, &new.public], "hello = \"^1\"\n");
    again.put("pluginkit.lock", &lock);
    assert_refused(
        &again,
        &["sync", "--locked"],
        &[&format!("signed by the key {}", stranger.id)],
    );
}

#[test]
fn a_malformed_public_key_is_a_configuration_error_at_its_line() {
    let (world, key) = World::new("reg");
    let host = world.host("host", &[], "");
    host.put(
        "pluginkit.toml",
        format!(
            "[registries.default]\nindex = \"{}\"\npublic-keys = [\n  \"{}\",\n  \"RWQnot-a-key\",\n]\n",
            world.server.url(),
            key.public
        )
        .as_bytes(),
    );
    let before = tree(host.root());
    let (code, _, err) = host.run(&["add", "hello"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pluginkit.toml:5:3"), "{err}");
    assert!(err.contains("RWQnot-a-key"), "{err}");
    assert_host_unchanged(&host, &before);
}

#[test]
fn a_signed_publish_killed_before_its_snapshot_is_refused_until_signed_again() {
    let (world, key) = World::new("reg");
    let host = world.host("host", &[&key.public], "");
    let (code, _, err) = host.run(&["add", "hello"]);
    assert_eq!(code, 0, "{err}");
    let snapshot = std::fs::read(world.reg.join("snapshot.json")).unwrap();

    // Killed with the index and search.json written, the snapshot not yet.
    let zip = world.packages.join("hello-1.1.0.zip");
    std::fs::write(&zip, Plugin::new("hello", "1.1.0").zip()).unwrap();
    world
        .context
        .pluginkit()
        .env("PLUGINKIT_SIGNING_PASSWORD", PASSWORD)
        .args(["registry", "publish"])
        .arg(&zip)
        .arg("--dir")
        .arg(&world.reg)
        .arg("--sign-key")
        .arg(&key.path)
        .spawn_paused("publish-searched")
        .kill();
    assert_eq!(
        std::fs::read(world.reg.join("snapshot.json")).unwrap(),
        snapshot
    );
    // Hosts refuse the files the snapshot does not vouch for, rather than trust them.
    let fresh = world.host("fresh", &[&key.public], "");
    assert_refused(
        &fresh,
        &["add", "hello"],
        &["index/hello.json has sha256", "serial 1"],
    );
    let (code, _, err) = host.run(&["upgrade", "hello"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("index/hello.json has sha256"), "{err}");
    // Signed again, the version is there.
    let (code, _, err) = world.resign(&key, &[]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = host.run(&["upgrade", "hello"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(host.path("plugins/hello/plugin.toml"))
            .unwrap()
            .contains("1.1.0")
    );
}
