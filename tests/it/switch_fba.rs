//! FBA's switch, against a real `redis-server` (started by each test on 127.0.0.1 with a
//! password): FBA keeps each plugin's state in Redis, the key `fba:plugin:NAME`, a JSON record
//! whose `plugin.enable` is the string "1" or "0" (FBA 2e86d79, backend/plugin/core.py and
//! backend/app/admin/service/plugin_service.py). `enable` and `disable` rewrite that field and
//! keep every other one as FBA wrote it, write a missing key whole as FBA's start-up would, set
//! FBA's "restart needed" flag `fba:plugin:changed` to `true`, and change nothing when Redis
//! cannot be reached, refuses the password or holds a value that is not FBA's record.

use std::path::Path;

use crate::support::redis::Redis;
use crate::support::{TestContext, write};

const PASSWORD: &str = "s3cret pass";

/// The record FBA's start-up writes for [`EMAIL_TOML`] (rtoml's reading, `plugin.name` and
/// `plugin.enable` added, `json.dumps(..., ensure_ascii=False)`), with extra fields of every
/// JSON type that a toggle must keep.
const EMAIL_RECORD: &str = r#"{"plugin": {"summary": "Émail sender", "version": "0.0.1", "description": "Sends mail", "author": "wu-clan", "tags": ["notification"], "database": ["mysql", "postgresql"], "name": "email", "enable": "1"}, "app": {"router": ["v1"]}, "extra": {"int": 7, "float": 1.5e-05, "flag": true, "none": null, "list": [1, "two", {"three": 3.0}]}}"#;

const EMAIL_TOML: &str = "[plugin]\nsummary = \"Émail sender\"\nversion = \"0.0.1\"\ndescription = \"Sends mail\"\nauthor = \"wu-clan\"\ntags = [\"notification\"]\ndatabase = [\"mysql\", \"postgresql\"]\n\n[app]\nrouter = [\"v1\"]\n";

/// An FBA checkout in `root` holding the app-level plugin `name` (valid at 1.13.4), with
/// `backend/.env` pointing at `redis` (database 2).
fn checkout(root: &Path, redis: &Redis, names: &[&str]) {
    write(root, "backend/__init__.py", "__version__ = '1.13.4'\n");
    write(root, "backend/plugin/__init__.py", "");
    for name in names {
        fba_plugin(&root.join("backend/plugin"), name);
    }
    write(
        root,
        "backend/.env",
        &format!(
            "# Env\nENVIRONMENT='dev'\n# Redis\nREDIS_HOST='127.0.0.1'\nREDIS_PORT={}\nREDIS_PASSWORD='{}'\nREDIS_DATABASE=2\n",
            redis.port, redis.password
        ),
    );
}

fn fba_plugin(plugins: &Path, name: &str) {
    let dir = plugins.join(name);
    write(&dir, "plugin.toml", EMAIL_TOML);
    write(&dir, "__init__.py", "");
    write(&dir, "README.md", "# mail\n");
    write(&dir, "api/__init__.py", "");
    write(
        &dir,
        "api/router.py",
        "from fastapi import APIRouter\nv1 = APIRouter()\n",
    );
}

/// What FBA's own Python writes, run by the system's `python3` (FBA's code, with the standard
/// library's `tomllib` for rtoml: both keep the file's order): `update_status` switching the
/// record on stdin to `enable`, or `parse_plugin_config` building it from a plugin.toml.
fn fba_writes(args: &[&str], stdin: &str) -> String {
    const FBA: &str = r#"
import json, sys, tomllib
if sys.argv[1] == 'toggle':
    plugin_info = json.loads(sys.stdin.read())
    plugin_info['plugin']['enable'] = sys.argv[2]
    sys.stdout.write(json.dumps(plugin_info, ensure_ascii=False))
else:
    with open(sys.argv[2], 'rb') as f:
        plugin_config = tomllib.load(f)
    plugin_config['plugin']['name'] = sys.argv[3]
    plugin_config['plugin']['enable'] = sys.argv[4]
    sys.stdout.write(json.dumps(plugin_config, ensure_ascii=False))
"#;
    let mut child = std::process::Command::new("python3")
        .arg("-c")
        .arg(FBA)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (the tests need it)");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python3 failed");
    String::from_utf8(out.stdout).unwrap()
}

fn redis(context: &TestContext) -> Redis {
    let mut redis = Redis::start(&context.path("../redis"), PASSWORD);
    redis.db = 2;
    redis
}

/// Every file under `dir`, with its contents: what "nothing changed on disk" compares.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn disable_and_enable_rewrite_plugin_enable_as_fba_does_and_keep_every_other_field() {
    let context = TestContext::new();
    let redis = redis(&context);
    checkout(context.root(), &redis, &["email"]);
    redis.set("fba:plugin:email", EMAIL_RECORD);

    let (code, stdout, stderr) = context.run(&["disable", "email"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "email: disabled (redis fba:plugin:email)\n");
    assert!(
        stderr.contains("FBA reports a restart is needed (fba:plugin:changed is set)"),
        "{stderr}"
    );
    let disabled = EMAIL_RECORD.replace(r#""enable": "1""#, r#""enable": "0""#);
    assert_eq!(
        redis.get("fba:plugin:email").as_deref(),
        Some(disabled.as_str())
    );
    // Byte for byte what FBA's own toggle (`update_status`) writes.
    assert_eq!(fba_writes(&["toggle", "0"], EMAIL_RECORD), disabled);
    assert_eq!(redis.get("fba:plugin:changed").as_deref(), Some("true"));
    // Nothing on disk: FBA reads no marker files.
    assert!(!context.path("backend/plugin/email/DISABLED").exists());

    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    let email = &json["plugins"][0];
    assert_eq!(email["state"], "disabled");
    assert_eq!(email["state_source"], "redis");
    assert_eq!(email["state_key"], "fba:plugin:email");
    assert_eq!(json["restart_needed"], true);
    let (_, stdout, stderr) = context.run(&["list"]);
    assert!(
        stdout.contains("disabled (redis fba:plugin:email)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("FBA reports a restart is needed"),
        "{stderr}"
    );
    let (code, json) = context.run_json(&["info", "email", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["state"], "disabled");
    assert_eq!(json["restart_needed"], true);
    // `status` says so too, with no server configured: a switch in Redis changes no file, so
    // only FBA's flag tells that the change is not live.
    let (code, json) = context.run_json(&["status", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["running"], false);
    assert_eq!(json["fba"]["key"], "fba:plugin:changed");
    assert_eq!(json["fba"]["restart_needed"], true);
    let (_, stdout, _) = context.run(&["status"]);
    assert!(
        stdout.contains("FBA reports a restart is needed (fba:plugin:changed is set)"),
        "{stdout}"
    );

    // Already disabled: nothing written.
    redis.cli(&["DEL", "fba:plugin:changed"]);
    let (_, json) = context.run_json(&["status", "--format", "json"]);
    assert_eq!(json["fba"]["restart_needed"], false);
    let (code, stdout, _) = context.run(&["disable", "email"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "email: already disabled (redis fba:plugin:email)\n");
    assert_eq!(redis.get("fba:plugin:changed"), None);

    let (code, stdout, stderr) = context.run(&["enable", "email"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "email: enabled (redis fba:plugin:email)\n");
    assert_eq!(redis.get("fba:plugin:email").as_deref(), Some(EMAIL_RECORD));
    assert_eq!(redis.get("fba:plugin:changed").as_deref(), Some("true"));
    // Never a key deleted, nor any other written.
    assert_eq!(redis.keys(), ["fba:plugin:changed", "fba:plugin:email"]);
}

#[test]
fn a_number_reads_as_disabled_and_enable_writes_fbas_string() {
    let context = TestContext::new();
    let redis = redis(&context);
    checkout(context.root(), &redis, &["email"]);
    // FBA compares `plugin.enable` with the string "1": the number 1 is disabled to it.
    redis.set(
        "fba:plugin:email",
        r#"{"plugin": {"name": "email", "enable": 1}}"#,
    );
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["state"], "disabled", "{json}");
    assert_eq!(json["restart_needed"], false);
    let (code, stdout, stderr) = context.run(&["enable", "email"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "email: enabled (redis fba:plugin:email)\n");
    assert_eq!(
        redis.get("fba:plugin:email").as_deref(),
        Some(r#"{"plugin": {"name": "email", "enable": "1"}}"#)
    );
    // A disabled record holding the number 0 is disabled already for FBA, but is written as
    // FBA's own string.
    redis.set(
        "fba:plugin:email",
        r#"{"plugin": {"name": "email", "enable": 0}}"#,
    );
    let (code, stdout, _) = context.run(&["disable", "email"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "email: disabled (redis fba:plugin:email)\n");
    assert_eq!(
        redis.get("fba:plugin:email").as_deref(),
        Some(r#"{"plugin": {"name": "email", "enable": "0"}}"#)
    );
}

#[test]
fn a_missing_key_is_fbas_default_and_is_written_whole_as_fbas_start_up_would() {
    let context = TestContext::new();
    let redis = redis(&context);
    checkout(context.root(), &redis, &["email", "notice"]);
    // A plugin.toml with more of TOML's types than FBA's own use, in FBA's order.
    write(
        context.root(),
        "backend/plugin/notice/plugin.toml",
        "[plugin]\nsummary = \"Notice\"\nversion = \"1.0.0\"\ndescription = \"d\"\nauthor = \"a\"\ntags = [\"other\"]\ndatabase = [\"mysql\"]\n\n[app]\nrouter = [\"v1\"]\n\n[settings]\nNOTICE_LIMIT = 10\nNOTICE_RATIO = 0.00001\nNOTICE_ON = true\nNOTICE_TEXT = 'say \"hi\"\\n'\n",
    );
    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    for plugin in json["plugins"].as_array().unwrap() {
        assert_eq!(plugin["state"], "enabled");
        assert_eq!(plugin["state_source"], "redis-default");
    }
    let (_, stdout, _) = context.run(&["list"]);
    assert!(
        stdout.contains("enabled (FBA's default: no redis key fba:plugin:email)"),
        "{stdout}"
    );

    let (code, _, stderr) = context.run(&["disable", "notice", "email"]);
    assert_eq!(code, 0, "{stderr}");
    // What rtoml 0.13 and `json.dumps(..., ensure_ascii=False)` give for these files.
    assert_eq!(
        redis.get("fba:plugin:notice").as_deref(),
        Some(
            r#"{"plugin": {"summary": "Notice", "version": "1.0.0", "description": "d", "author": "a", "tags": ["other"], "database": ["mysql"], "name": "notice", "enable": "0"}, "app": {"router": ["v1"]}, "settings": {"NOTICE_LIMIT": 10, "NOTICE_RATIO": 1e-05, "NOTICE_ON": true, "NOTICE_TEXT": "say \"hi\"\\n"}}"#
        )
    );
    assert_eq!(
        redis.get("fba:plugin:email").as_deref(),
        Some(
            r#"{"plugin": {"summary": "Émail sender", "version": "0.0.1", "description": "Sends mail", "author": "wu-clan", "tags": ["notification"], "database": ["mysql", "postgresql"], "name": "email", "enable": "0"}, "app": {"router": ["v1"]}}"#
        )
    );
    assert_eq!(redis.get("fba:plugin:changed").as_deref(), Some("true"));
    // Byte for byte what FBA's own start-up (`parse_plugin_config`) writes.
    for name in ["notice", "email"] {
        let toml = context.path(&format!("backend/plugin/{name}/plugin.toml"));
        assert_eq!(
            redis.get(&format!("fba:plugin:{name}")).unwrap(),
            fba_writes(&["build", toml.to_str().unwrap(), name, "0"], "")
        );
    }
}

#[test]
fn redis_stopped_is_exit_1_naming_key_server_and_settings_and_changes_nothing() {
    let context = TestContext::new();
    let mut redis = redis(&context);
    checkout(context.root(), &redis, &["email"]);
    // One plugin pluginkit installed, so there is a lock and receipts to keep as they are.
    fba_plugin(&context.path("../src"), "report");
    let (code, _, stderr) = context.run(&["add", "../src/report"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(context.path("pluginkit.lock").is_file());
    let port = redis.port;
    redis.stop();
    let before = snapshot(context.root());

    let (code, stdout, stderr) = context.run(&["disable", "email"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "cannot reach FBA's Redis at 127.0.0.1:{port} (database 2) for fba:plugin:"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_DATABASE from backend/.env; PLUGIN_REDIS_PREFIX from FBA's defaults"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    // An install is refused before anything is fetched or written.
    fba_plugin(&context.path("../src"), "notice");
    let before_add = snapshot(context.root());
    let (code, _, stderr) = context.run(&["add", "../src/notice"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot reach FBA's Redis"), "{stderr}");
    assert_eq!(snapshot(context.root()), before_add);
    assert_eq!(before_add, before);
    for args in [&["remove", "report"][..], &["enable", "report", "email"]] {
        let (code, _, stderr) = context.run(args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains("cannot reach FBA's Redis"), "{stderr}");
        assert_eq!(snapshot(context.root()), before, "{args:?} changed nothing");
    }

    // Reading goes on, with the states unknown.
    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["plugins"][0]["state"], serde_json::Value::Null);
    let (code, _, stderr) = context.run(&["list"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("the states are unknown"), "{stderr}");
    let (code, json) = context.run_json(&["status", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["fba"]["restart_needed"], serde_json::Value::Null);
    assert!(
        json["fba"]["error"]
            .as_str()
            .unwrap()
            .contains(&format!("127.0.0.1:{port}")),
        "{json}"
    );
    assert_eq!(snapshot(context.root()), before, "reading changed nothing");
}

#[test]
fn a_refused_password_and_a_malformed_record_are_exit_1_and_change_nothing() {
    let context = TestContext::new();
    let redis = redis(&context);
    checkout(context.root(), &redis, &["email"]);
    redis.set("fba:plugin:email", EMAIL_RECORD);

    let (code, _, stderr) = context
        .pluginkit()
        .env("REDIS_PASSWORD", "wrong")
        .args(["disable", "email"])
        .run();
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "FBA's Redis at 127.0.0.1:{} (database 2) refused the password, so fba:plugin:email cannot be read",
            redis.port
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("REDIS_PASSWORD from the environment"),
        "{stderr}"
    );
    assert_eq!(redis.get("fba:plugin:email").as_deref(), Some(EMAIL_RECORD));
    assert_eq!(redis.get("fba:plugin:changed"), None);

    for malformed in [
        "not json",
        r#"{"plugin": "email"}"#,
        r#"{"plugin": {"name": "email"}}"#,
    ] {
        redis.set("fba:plugin:email", malformed);
        let (code, _, stderr) = context.run(&["disable", "email"]);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains("fba:plugin:email in FBA's Redis at 127.0.0.1:"),
            "{stderr}"
        );
        assert!(stderr.contains("is not FBA's plugin record"), "{stderr}");
        assert!(
            stderr.contains("redis-cli -n 2 DEL fba:plugin:email"),
            "{stderr}"
        );
        assert_eq!(redis.get("fba:plugin:email").as_deref(), Some(malformed));
        assert_eq!(redis.get("fba:plugin:changed"), None);
    }

    // Two plugins switched together: one bad record writes neither.
    fba_plugin(&context.path("backend/plugin"), "notice");
    redis.set("fba:plugin:email", EMAIL_RECORD);
    redis.set("fba:plugin:notice", "[1, 2]");
    let (code, _, stderr) = context.run(&["disable", "email", "notice"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(redis.get("fba:plugin:email").as_deref(), Some(EMAIL_RECORD));
    assert_eq!(redis.get("fba:plugin:changed"), None);
}

#[test]
fn the_environment_beats_backend_env_which_beats_pluginkit_toml() {
    let context = TestContext::new();
    let redis = redis(&context);
    checkout(context.root(), &redis, &["email"]);
    // backend/.env names a port nothing listens on; the environment the right one.
    write(
        context.root(),
        "backend/.env",
        &format!("REDIS_PORT=1\nREDIS_PASSWORD=\"{PASSWORD}\" # quoted\nREDIS_DATABASE='2'\n"),
    );
    let (code, _, stderr) = context
        .pluginkit()
        .env("REDIS_PORT", redis.port.to_string())
        .env("PLUGIN_REDIS_PREFIX", "acme:plugin")
        .args(["disable", "email"])
        .run();
    assert_eq!(code, 0, "{stderr}");
    assert!(redis.get("acme:plugin:email").is_some());
    assert_eq!(redis.get("acme:plugin:changed").as_deref(), Some("true"));
    assert_eq!(redis.get("fba:plugin:email"), None);

    // Without backend/.env, [fba] in pluginkit.toml.
    std::fs::remove_file(context.path("backend/.env")).unwrap();
    write(
        context.root(),
        "pluginkit.toml",
        &format!(
            "[host]\nkind = \"fba\"\nplugins-dir = \"backend/plugin\"\n\n[fba]\nredis-port = {}\nredis-password = \"{PASSWORD}\"\nredis-database = 2\n",
            redis.port
        ),
    );
    let (code, stdout, stderr) = context.run(&["disable", "email"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "email: disabled (redis fba:plugin:email)\n");
    assert!(
        redis
            .get("fba:plugin:email")
            .unwrap()
            .contains(r#""enable": "0""#)
    );
}

#[test]
fn add_and_remove_set_the_restart_flag_and_remove_deletes_the_key() {
    let context = TestContext::new();
    let redis = redis(&context);
    checkout(context.root(), &redis, &[]);
    fba_plugin(&context.path("../src"), "notice");

    let (code, _, stderr) = context.run(&["add", "../src/notice"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(redis.get("fba:plugin:changed").as_deref(), Some("true"));
    assert!(
        stderr.contains("FBA reports a restart is needed"),
        "{stderr}"
    );

    let (code, _, stderr) = context.run(&["disable", "notice"]);
    assert_eq!(code, 0, "{stderr}");
    redis.cli(&["DEL", "fba:plugin:changed"]);
    let (code, _, stderr) = context.run(&["remove", "notice"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(redis.get("fba:plugin:notice"), None);
    assert_eq!(redis.get("fba:plugin:changed").as_deref(), Some("true"));
}

/// `add --disabled` writes FBA's record switched off (what FBA's start-up would write for the
/// plugin, with `enable` "0"), and no `DISABLED` marker, which FBA does not read.
#[test]
fn add_disabled_writes_fbas_record_switched_off() {
    let context = TestContext::new();
    let redis = redis(&context);
    checkout(context.root(), &redis, &[]);
    fba_plugin(&context.path("../src"), "notice");
    let (code, _, stderr) = context.run(&["add", "../src/notice", "--disabled"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!context.path("backend/plugin/notice/DISABLED").exists());
    let toml = context.path("backend/plugin/notice/plugin.toml");
    assert_eq!(
        redis.get("fba:plugin:notice").unwrap(),
        fba_writes(&["build", toml.to_str().unwrap(), "notice", "0"], "")
    );
    assert_eq!(redis.get("fba:plugin:changed").as_deref(), Some("true"));
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["state"], "disabled", "{json}");
    assert_eq!(json["plugins"][0]["state_source"], "redis");
}
