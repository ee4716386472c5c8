//! `--configure` on an FBA host: a plugin's `.env.example` settings go into `backend/.env` once.
//! FBA's own installer appends the whole `.env.example` on every install
//! (backend/plugin/installer.py `_append_env_example`, FBA 2e86d79), so a reinstall repeats
//! every key; pluginkit appends only the keys `backend/.env` lacks, under a comment naming the
//! plugin, keeping the file's bytes, line endings and mode, and changes nothing (the plugin not
//! installed either) when the file cannot be read, leads out of the host, or the install fails.
//! The merged file is then read by pydantic-settings and python-dotenv (the FastCMS venv has
//! both) with FBA's own settings configuration, as FBA's start-up reads it.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::support::redis::Redis;
use crate::support::{TestContext, write};

const PASSWORD: &str = "pw";

/// FBA's email plugin's `.env.example` (backend/plugin/email/.env.example at 2e86d79), with a
/// third key quoted and commented as python-dotenv allows.
const EMAIL_EXAMPLE: &str = "# [ Plugin ] email\nEMAIL_USERNAME=''\nEMAIL_PASSWORD=''\nEMAIL_FROM=\"Mail <m@example.com>\" # sender\n";

const EMAIL_TOML: &str = "[plugin]\nsummary = \"Email\"\nversion = \"0.0.3\"\ndescription = \"Sends mail\"\nauthor = \"wu-clan\"\ntags = [\"notification\"]\ndatabase = [\"mysql\", \"postgresql\"]\n\n[app]\nrouter = [\"v1\"]\n";

/// The lines `--configure` appends for [`EMAIL_EXAMPLE`] to a `backend/.env` that has
/// `EMAIL_USERNAME` already, joined by `newline`.
fn appended(newline: &str) -> String {
    [
        "# email: added by pluginkit from backend/plugin/email/.env.example",
        "EMAIL_PASSWORD=''",
        "EMAIL_FROM=\"Mail <m@example.com>\" # sender",
        "",
    ]
    .join(newline)
}

/// An FBA checkout in the test's root whose `backend/.env` (`newline` line ends, mode 0640)
/// points at `redis` and sets `EMAIL_USERNAME` already; the email plugin in `../src/email`.
/// Returns the file's bytes.
fn host(context: &TestContext, redis: &Redis, newline: &str) -> Vec<u8> {
    let root = context.root();
    write(root, "backend/__init__.py", "__version__ = '1.13.4'\n");
    write(root, "backend/plugin/__init__.py", "");
    let env = format!(
        "# Env\nENVIRONMENT='dev'\n# Redis\nREDIS_HOST='127.0.0.1'\nREDIS_PORT={}\nREDIS_PASSWORD='{PASSWORD}'\nREDIS_DATABASE=2\nEMAIL_USERNAME='me@example.com'\n",
        redis.port
    )
    .replace('\n', newline);
    write(root, "backend/.env", &env);
    set_mode(&root.join("backend/.env"), 0o640);
    plugin(&context.path("../src/email"), EMAIL_EXAMPLE);
    env.into_bytes()
}

fn plugin(dir: &Path, example: &str) {
    write(dir, "plugin.toml", EMAIL_TOML);
    write(dir, "__init__.py", "");
    write(dir, "README.md", "# mail\n");
    write(dir, "api/__init__.py", "");
    write(dir, "api/router.py", "v1 = None\n");
    write(dir, ".env.example", example);
}

fn redis(context: &TestContext) -> Redis {
    let mut redis = Redis::start(&context.path("../redis"), PASSWORD);
    redis.db = 2;
    redis
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// The variables FBA's settings get from `backend/.env`: pydantic-settings with FBA's
/// `model_config` (backend/core/conf.py: `env_file`, `utf-8`, `extra='allow'`,
/// `case_sensitive=True`), in the FastCMS venv, which has pydantic-settings and python-dotenv.
fn as_fba_reads(env: &Path) -> serde_json::Value {
    const READ: &str = r#"
import json, sys
from pydantic_settings import BaseSettings, SettingsConfigDict
class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=sys.argv[1], env_file_encoding='utf-8', extra='allow', case_sensitive=True)
print(json.dumps(Settings().model_dump()))
"#;
    let out = std::process::Command::new(crate::support::venvs::FASTCMS.python())
        .arg("-c")
        .arg(READ)
        .arg(env)
        .env_clear()
        .output()
        .expect("the FastCMS venv's python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn configure_appends_only_the_missing_keys_once_and_keeps_the_file_as_it_was() {
    let context = TestContext::new();
    let redis = redis(&context);
    let env_path = context.path("backend/.env");
    let before = host(&context, &redis, "\n");

    let (code, _, stderr) = context.run(&["add", "../src/email", "--configure"]);
    assert_eq!(code, 0, "{stderr}");
    let after = std::fs::read_to_string(&env_path).unwrap();
    assert_eq!(
        after,
        format!("{}{}", String::from_utf8(before).unwrap(), appended("\n"))
    );
    assert_eq!(mode(&env_path), 0o640, "the file's mode is kept");
    assert!(
        stderr.contains(
            "email: added to backend/.env from its .env.example: EMAIL_PASSWORD, EMAIL_FROM"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("email: backend/.env has EMAIL_USERNAME already, left as it is"),
        "{stderr}"
    );
    // FBA reads the merged file as meant: the host's value kept, the plugin's added.
    let read = as_fba_reads(&env_path);
    assert_eq!(read["EMAIL_USERNAME"], "me@example.com", "{read}");
    assert_eq!(read["EMAIL_FROM"], "Mail <m@example.com>", "{read}");
    assert_eq!(read["REDIS_DATABASE"], "2", "{read}");

    // Twice adds nothing (FBA's own install would append all three keys again).
    let (code, _, stderr) = context.run(&["add", "../src/email", "--configure", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read_to_string(&env_path).unwrap(), after);
    assert!(
        stderr.contains(
            "email: backend/.env has EMAIL_USERNAME, EMAIL_PASSWORD, EMAIL_FROM already, left as they are"
        ),
        "{stderr}"
    );
}

#[test]
fn a_crlf_file_stays_crlf_and_one_without_a_final_line_end_gets_one_first() {
    let context = TestContext::new();
    let redis = redis(&context);
    let env_path = context.path("backend/.env");
    let before = host(&context, &redis, "\r\n");
    // No line end after the last line.
    let before = &before[..before.len() - 2];
    std::fs::write(&env_path, before).unwrap();

    let (code, _, stderr) = context.run(&["add", "../src/email", "--configure"]);
    assert_eq!(code, 0, "{stderr}");
    let after = std::fs::read(&env_path).unwrap();
    let mut expected = before.to_vec();
    expected.extend_from_slice(b"\r\n");
    expected.extend_from_slice(appended("\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&after),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(mode(&env_path), 0o640);
    let read = as_fba_reads(&env_path);
    assert_eq!(read["EMAIL_USERNAME"], "me@example.com", "{read}");
    assert_eq!(read["EMAIL_FROM"], "Mail <m@example.com>", "{read}");
}

#[test]
fn without_configure_add_tells_once_and_writes_nothing() {
    let context = TestContext::new();
    let redis = redis(&context);
    let env_path = context.path("backend/.env");
    let before = host(&context, &redis, "\n");

    let (code, _, stderr) = context.run(&["add", "../src/email"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read(&env_path).unwrap(), before);
    assert_eq!(
        stderr
            .matches("email has settings in backend/plugin/email/.env.example that backend/.env lacks: EMAIL_PASSWORD, EMAIL_FROM")
            .count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr
            .contains("add them there, or install with `--configure`, which adds the missing ones"),
        "{stderr}"
    );
}

#[test]
fn a_host_that_reads_no_env_file_says_configure_has_nothing_to_do() {
    let context = TestContext::new();
    // A Flask-PluginKit host.
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\nkind = \"flask-pluginkit\"\nplugins-dir = \"plugins\"\n",
    );
    write(context.root(), "plugins/__init__.py", "");
    crate::support::native_plugin(&context.path("../src"), "hello", "");
    write(&context.path("../src/hello"), ".env.example", "HELLO=1\n");
    let (code, _, stderr) = context.run(&["add", "../src/hello", "--configure"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("--configure has nothing to do here: Flask-PluginKit plugins read the Flask app's config, not an env file"),
        "{stderr}"
    );
    assert!(!context.path("backend/.env").exists());
    assert!(!context.path(".env").exists());
}

#[test]
fn an_env_file_that_cannot_be_read_or_leads_out_of_the_host_installs_nothing() {
    let context = TestContext::new();
    let redis = redis(&context);
    let env_path = context.path("backend/.env");
    let before = host(&context, &redis, "\n");

    // Not UTF-8 (FBA reads it as UTF-8; so does pluginkit, which looks for FBA's Redis there
    // first): exit 1, nothing written, nothing installed.
    let mut latin1 = before.clone();
    latin1.extend_from_slice(b"NAME='Jos\xe9'\n");
    std::fs::write(&env_path, &latin1).unwrap();
    let (code, _, stderr) = context.run(&["add", "../src/email", "--configure"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot read backend/.env"), "{stderr}");
    assert_eq!(std::fs::read(&env_path).unwrap(), latin1);
    assert!(!context.path("backend/plugin/email").exists());

    // A link out of the host (the file it leads to is another host's business).
    let outside = context.path("../shared.env");
    std::fs::write(&outside, &before).unwrap();
    std::fs::remove_file(&env_path).unwrap();
    std::os::unix::fs::symlink("../../shared.env", &env_path).unwrap();
    let (code, _, stderr) = context.run(&["add", "../src/email", "--configure"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("backend/.env leads out of the host, to "),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&outside).unwrap(), before);
    assert!(std::fs::symlink_metadata(&env_path).unwrap().is_symlink());
    assert!(!context.path("backend/plugin/email").exists());

    // A link inside the host is written through, and stays a link.
    std::fs::remove_file(&env_path).unwrap();
    write(
        context.root(),
        "config/env",
        std::str::from_utf8(&before).unwrap(),
    );
    std::os::unix::fs::symlink("../config/env", &env_path).unwrap();
    let (code, _, stderr) = context.run(&["add", "../src/email", "--configure"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::symlink_metadata(&env_path).unwrap().is_symlink());
    assert_eq!(
        std::fs::read_to_string(context.path("config/env")).unwrap(),
        format!(
            "{}{}",
            std::str::from_utf8(&before).unwrap(),
            appended("\n")
        )
    );
}

/// The file is written under the host lock just before the plugin is committed; an install that
/// fails then (here another process installed a plugin of that name while this one was between
/// staging and committing) puts the file's old bytes back.
#[test]
fn a_failed_install_puts_the_env_file_back() {
    let context = TestContext::new();
    let redis = redis(&context);
    let env_path = context.path("backend/.env");
    let before = host(&context, &redis, "\n");

    let running = context
        .pluginkit()
        .args(["add", "../src/email", "--configure"])
        .spawn_paused("install-staged");
    plugin(&context.path("backend/plugin/email"), "OTHER=1\n");
    let outcome = running.resume();
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert_eq!(std::fs::read(&env_path).unwrap(), before);
    assert_eq!(mode(&env_path), 0o640);
    assert_eq!(
        std::fs::read_to_string(context.path("backend/plugin/email/.env.example")).unwrap(),
        "OTHER=1\n"
    );
}

/// With no `backend/.env` yet, it starts as FBA's first start makes it: a copy of
/// `backend/.env.example`.
#[test]
fn a_missing_env_file_starts_as_fbas_example() {
    let context = TestContext::new();
    let redis = redis(&context);
    let env_path = context.path("backend/.env");
    let before = host(&context, &redis, "\n");
    std::fs::remove_file(&env_path).unwrap();
    std::fs::write(context.path("backend/.env.example"), &before).unwrap();

    let (code, _, stderr) = context
        .pluginkit()
        .args(["add", "../src/email", "--configure"])
        .envs(&[
            ("REDIS_PORT", &redis.port.to_string()),
            ("REDIS_PASSWORD", PASSWORD),
            ("REDIS_DATABASE", "2"),
        ])
        .run();
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("backend/.env did not exist: made from backend/.env.example"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&env_path).unwrap(),
        format!(
            "{}{}",
            std::str::from_utf8(&before).unwrap(),
            appended("\n")
        )
    );
}

/// `sync --configure` goes the same way: each plugin it installs has its missing settings
/// added, once however often it runs.
#[test]
fn sync_configure_adds_the_missing_keys_of_what_it_installs() {
    let context = TestContext::new();
    let redis = redis(&context);
    let env_path = context.path("backend/.env");
    let before = host(&context, &redis, "\n");
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\nkind = \"fba\"\n\n[plugins]\nemail = { path = \"../src/email\" }\n",
    );

    let (code, stdout, stderr) = context.run(&["sync", "--configure"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("install email"), "{stdout}");
    let expected = format!("{}{}", String::from_utf8(before).unwrap(), appended("\n"));
    assert_eq!(std::fs::read_to_string(&env_path).unwrap(), expected);

    // Reinstalled (its files changed), configured again: nothing more.
    write(
        &context.path("../src/email"),
        "README.md",
        "# mail, again\n",
    );
    std::fs::remove_dir_all(context.path("backend/plugin/email")).unwrap();
    let (code, _, stderr) = context.run(&["sync", "--configure"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read_to_string(&env_path).unwrap(), expected);
}

/// `upgrade --configure`: the new version's new setting is added, the ones the first install
/// added are not repeated.
#[test]
fn upgrade_configure_adds_only_what_the_new_version_brings() {
    use crate::support::git::{Workspace, file_url};
    let context = TestContext::new();
    let redis = redis(&context);
    let env_path = context.path("backend/.env");
    let before = host(&context, &redis, "\n");
    let ws = Workspace::new();
    let repo = ws.repo("email");
    plugin(&repo.dir, EMAIL_EXAMPLE);
    repo.commit("0.0.3");
    repo.tag("v0.0.3");
    let url = file_url(&repo.dir);
    let (code, _, stderr) = context.run(&["add", &url, "--tag", "v0.0.3", "--configure"]);
    assert_eq!(code, 0, "{stderr}");
    let configured = format!("{}{}", String::from_utf8(before).unwrap(), appended("\n"));
    assert_eq!(std::fs::read_to_string(&env_path).unwrap(), configured);

    repo.write("plugin.toml", &EMAIL_TOML.replace("\"0.0.3\"", "\"0.0.4\""))
        .write(
            ".env.example",
            &format!("{EMAIL_EXAMPLE}EMAIL_TIMEOUT=10\n"),
        );
    repo.commit("0.0.4");
    repo.tag("v0.0.4");
    let (code, stdout, stderr) = context.run(&["upgrade", "--configure"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("email"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(&env_path).unwrap(),
        format!(
            "{configured}# email: added by pluginkit from backend/plugin/email/.env.example\nEMAIL_TIMEOUT=10\n"
        )
    );
    assert!(
        stderr.contains("email: backend/.env has EMAIL_USERNAME, EMAIL_PASSWORD, EMAIL_FROM already, left as they are"),
        "{stderr}"
    );
}
