//! FastCMS's switch: FastCMS has none, and loads every plugin folder whose name does not start
//! with `_` (pyfastcms 0.1.6, app/core/plugin_loader.py `load_plugins`). So `disable NAME`
//! renames `NAME/` to `_NAME/` and `enable` renames it back, in one rename that a killed run
//! leaves done or not done; `list` shows `_NAME/` as NAME, disabled; the records (receipt,
//! `pluginkit.lock`) keep the name and follow the folder; and `add --force`, `upgrade` and `sync`
//! of a switched-off plugin replace it and leave it switched off, also when killed halfway.

use std::path::Path;

use crate::support::{TestContext, write};

const FASTCMS_HOST: &str = "[host]\nkind = \"fastcms\"\n";

fn fastcms_plugin(dir: &Path, version: &str) {
    write(
        dir,
        "__init__.py",
        &format!(
            "from fastapi import APIRouter\n\nPLUGIN_META = {{\"id\": \"hello\", \"name\": \"Hello\", \"version\": \"{version}\"}}\n\nrouter = APIRouter()\n\n\n@router.get(\"/\")\nasync def hello():\n    return {{\"hello\": \"{version}\"}}\n\n\ndef register(ctx):\n    ctx.include_router(router, prefix=\"/hello\")\n"
        ),
    );
}

/// A FastCMS host (`[host] kind`) with the plugin `hello` in `plugins/hello`, not installed by
/// pluginkit.
fn host(context: &TestContext) {
    write(context.root(), "pluginkit.toml", FASTCMS_HOST);
    fastcms_plugin(&context.path("plugins/hello"), "1.0.0");
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn disable_renames_to_an_underscore_folder_that_list_shows_and_enable_renames_it_back() {
    let context = TestContext::new();
    host(&context);

    let (code, stdout, stderr) = context.run(&["disable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello: disabled (folder name starts with _)\n");
    assert_eq!(names(&context.path("plugins")), ["_hello"]);
    // No marker files: FastCMS reads none.
    assert_eq!(names(&context.path("plugins/_hello")), ["__init__.py"]);

    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    let hello = &json["plugins"][0];
    assert_eq!(hello["name"], "hello");
    assert_eq!(hello["folder"], "hello");
    assert_eq!(hello["state"], "disabled");
    assert_eq!(hello["state_source"], "underscore-folder");
    assert_eq!(hello["path"], "plugins/_hello");
    let (_, stdout, _) = context.run(&["list", "--disabled"]);
    assert!(
        stdout.contains("disabled (folder name starts with _)"),
        "{stdout}"
    );
    let (code, json) = context.run_json(&["info", "hello", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["state_source"], "underscore-folder");
    // FastCMS does not load it, so validate does not check it.
    let (_, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(json["summary"]["checked"], 0, "{json}");

    let (code, stdout, _) = context.run(&["disable", "hello"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "hello: already disabled (folder name starts with _)\n"
    );

    let (code, stdout, stderr) = context.run(&["enable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello: enabled (default)\n");
    assert_eq!(names(&context.path("plugins")), ["hello"]);
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["state"], "enabled");
    assert_eq!(json["plugins"][0]["path"], "plugins/hello");
}

#[test]
fn both_names_present_is_refused_and_nothing_moves() {
    let context = TestContext::new();
    host(&context);
    // FastCMS loads hello/ and skips _hello/: a leftover copy, not the plugin switched off.
    fastcms_plugin(&context.path("plugins/_hello"), "0.9.0");
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["plugins"][0]["state"], "enabled");
    let (code, _, stderr) = context.run(&["disable", "hello"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("_hello is there too"), "{stderr}");
    assert_eq!(names(&context.path("plugins")), ["_hello", "hello"]);
}

/// A host where pluginkit installed `hello` 1.0.0 from `../src/hello`, then switched it off.
fn installed_and_switched_off(context: &TestContext) {
    write(context.root(), "pluginkit.toml", FASTCMS_HOST);
    fastcms_plugin(&context.path("../src/hello"), "1.0.0");
    let (code, _, stderr) = context.run(&["add", "../src/hello"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = context.run(&["disable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names(&context.path("plugins")), ["_hello"]);
}

fn version_in(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("__init__.py")).unwrap();
    let at = text.find("\"version\": \"").unwrap() + 12;
    text[at..at + 5].to_owned()
}

#[test]
fn records_follow_the_folder_and_add_and_sync_keep_a_switched_off_plugin_off() {
    let context = TestContext::new();
    installed_and_switched_off(&context);
    // The records keep its name, and find it in _hello/.
    let lock = std::fs::read_to_string(context.path("pluginkit.lock")).unwrap();
    assert!(lock.contains("name = \"hello\""), "{lock}");
    let (code, stdout, stderr) = context.run(&["verify"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello: ok\n");
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["source"], "path+../src/hello", "{json}");

    // Installed already, switched off or not.
    let (code, _, stderr) = context.run(&["add", "../src/hello"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("already installed"), "{stderr}");

    fastcms_plugin(&context.path("../src/hello"), "2.0.0");
    let (code, stdout, stderr) = context.run(&["add", "--force", "../src/hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("plugins/_hello"), "{stdout}");
    assert_eq!(names(&context.path("plugins")), ["_hello"]);
    assert_eq!(version_in(&context.path("plugins/_hello")), "2.0.0");
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["state"], "disabled");
    assert_eq!(json["plugins"][0]["version"], "2.0.0");
    let (code, stdout, _) = context.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "hello: ok\n"));

    // sync: [plugins] names it (add wrote it); a switched-off plugin is present.
    let (code, stdout, stderr) = context.run(&["sync"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("install"), "{stdout}");
    assert_eq!(names(&context.path("plugins")), ["_hello"]);
    // ...and replaced when [plugins] names another source, still switched off.
    fastcms_plugin(&context.path("../src3/hello"), "3.0.0");
    write(
        context.root(),
        "pluginkit.toml",
        &format!("{FASTCMS_HOST}\n[plugins]\nhello = {{ path = \"../src3/hello\" }}\n"),
    );
    let (code, stdout, stderr) = context.run(&["sync"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("replace"), "{stdout}");
    assert_eq!(names(&context.path("plugins")), ["_hello"]);
    assert_eq!(version_in(&context.path("plugins/_hello")), "3.0.0");

    // remove takes _hello/ and its records.
    let (code, _, stderr) = context.run(&["remove", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names(&context.path("plugins")), Vec::<String>::new());
    let lock = std::fs::read_to_string(context.path("pluginkit.lock")).unwrap();
    assert!(!lock.contains("name = \"hello\""), "{lock}");
}

/// Where each step of a switch by renaming leaves it when killed there.
#[test]
fn a_switch_killed_at_each_step_leaves_one_name_and_the_next_run_tidies() {
    for (command, start, step, after) in [
        ("disable", "hello", "toggle-claimed", "hello"),
        ("disable", "hello", "toggle-renamed", "_hello"),
        ("enable", "_hello", "toggle-claimed", "_hello"),
        ("enable", "_hello", "toggle-renamed", "hello"),
    ] {
        let context = TestContext::new();
        write(context.root(), "pluginkit.toml", FASTCMS_HOST);
        fastcms_plugin(&context.path("../src/hello"), "1.0.0");
        // Installed by pluginkit, so the host is managed and recovery runs.
        let (code, _, stderr) = context.run(&["add", "../src/hello"]);
        assert_eq!(code, 0, "{stderr}");
        if start == "_hello" {
            assert_eq!(context.run(&["disable", "hello"]).0, 0);
        }
        context
            .pluginkit()
            .args([command, "hello"])
            .spawn_paused(step)
            .kill();
        let plugins = context.path("plugins");
        assert!(plugins.join(after).is_dir(), "{command} at {step}");
        let (code, _, stderr) = context.run(&["list"]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(names(&plugins), [after], "{command} at {step}: tidied");
        let (code, _, stderr) = context.run(&[command, "hello"]);
        assert_eq!(code, 0, "{stderr}");
        let wanted = if command == "disable" {
            "_hello"
        } else {
            "hello"
        };
        assert_eq!(names(&plugins), [wanted]);
        assert_eq!(context.run(&["verify"]).1, "hello: ok\n");
    }
}

/// `add --force` of a switched-off plugin killed at each step: after the next run, the plugin is
/// switched off, in its old version or its new one, and its records say which.
#[test]
fn an_install_into_a_switched_off_plugin_killed_at_each_step_leaves_it_off() {
    for step in [
        "toggle-claimed",
        "toggle-renamed",
        "install-journaled",
        "install-swapped",
        "install-backed-up",
        "install-recorded",
    ] {
        let context = TestContext::new();
        installed_and_switched_off(&context);
        fastcms_plugin(&context.path("../src/hello"), "2.0.0");
        context
            .pluginkit()
            .args(["add", "--force", "../src/hello"])
            .spawn_paused(step)
            .kill();
        let (code, json) = context.run_json(&["list", "--format", "json"]);
        assert_eq!(code, 0, "{json}");
        let plugins = context.path("plugins");
        assert_eq!(names(&plugins), ["_hello"], "killed at {step}");
        assert_eq!(json["plugins"][0]["state"], "disabled", "{step}");
        let version = version_in(&plugins.join("_hello"));
        assert!(
            version == "1.0.0" || version == "2.0.0",
            "{step}: {version}"
        );
        let (code, stdout, _) = context.run(&["verify"]);
        assert_eq!((code, stdout.as_str()), (0, "hello: ok\n"), "{step}");
    }
}

/// The real FastCMS (pyfastcms under uvicorn, started in the host's folder, as its Dockerfile
/// runs it) on a free port; killed when dropped.
struct FastCms {
    child: std::process::Child,
    port: u16,
}

impl FastCms {
    fn start(root: &Path) -> FastCms {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        std::fs::create_dir_all(root.join("data")).unwrap();
        let child = std::process::Command::new(crate::support::venvs::FASTCMS.python())
            .args([
                "-m",
                "uvicorn",
                "app.main:app",
                "--host",
                "127.0.0.1",
                "--port",
            ])
            .arg(port.to_string())
            .current_dir(root)
            .env("SECRET_KEY", "pluginkit-test-secret-key")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("uvicorn starts");
        let server = FastCms { child, port };
        let start = std::time::Instant::now();
        while server.status("/api/v1/plugins/hello/").is_none() {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(60),
                "FastCMS did not answer on port {port}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        server
    }

    /// The HTTP status of GET `path`; `None` while nothing answers.
    fn status(&self, path: &str) -> Option<u16> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .ok()?;
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).ok()?;
        std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
    }
}

impl Drop for FastCms {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_real_fastcms_serves_an_enabled_plugin_and_not_a_disabled_one() {
    let context = TestContext::new();
    write(context.root(), "pluginkit.toml", FASTCMS_HOST);
    fastcms_plugin(&context.path("../src/hello"), "1.0.0");
    let (code, _, stderr) = context.run(&["add", "../src/hello"]);
    assert_eq!(code, 0, "{stderr}");
    let route = "/api/v1/plugins/hello/";
    {
        let fastcms = FastCms::start(context.root());
        assert_eq!(fastcms.status(route), Some(200));
    }
    let (code, _, stderr) = context.run(&["disable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    {
        let fastcms = FastCms::start(context.root());
        assert_eq!(fastcms.status(route), Some(404), "FastCMS skips _hello/");
    }
    let (code, _, stderr) = context.run(&["enable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    let fastcms = FastCms::start(context.root());
    assert_eq!(fastcms.status(route), Some(200));

    // FastCMS as its Dockerfile runs it is one uvicorn process, which SIGHUP would stop: reload
    // refuses it, sends nothing, and FastCMS keeps serving.
    let pid = fastcms.child.id().to_string();
    let (code, _, stderr) = context.run(&["reload", "--pid", &pid]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("this server cannot reload on a signal: restart it"),
        "{stderr}"
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(fastcms.status(route), Some(200), "FastCMS still serves");
}

/// `upgrade` of a switched-off plugin, in the two hosts whose switch is where the folder is
/// (FastCMS: `_NAME/`; the class-based pattern: `.pluginkit/disabled/NAME/`): the new version
/// replaces it and stays switched off, and `enable` then brings the new version back.
#[test]
fn upgrade_keeps_a_switched_off_plugin_switched_off() {
    use crate::support::registry::{Plugin, RegistryDir};
    for (kind, off) in [
        ("fastcms", "plugins/_hello"),
        ("class-based", ".pluginkit/disabled/hello"),
    ] {
        let context = TestContext::new();
        write(
            context.root(),
            "pluginkit.toml",
            &format!("[host]\nkind = \"{kind}\"\n\n[registries.default]\nindex = \"reg\"\n"),
        );
        let registry = RegistryDir::new(&context, &context.path("reg"), &context.path("packages"));
        registry.publish(&Plugin::new("hello", "1.0.0"));
        let (code, _, stderr) = context.run(&["add", "hello@^1.0"]);
        assert_eq!(code, 0, "{kind}: {stderr}");
        let (code, _, stderr) = context.run(&["disable", "hello"]);
        assert_eq!(code, 0, "{kind}: {stderr}");
        assert!(context.path(off).is_dir(), "{kind}: switched off to {off}");

        registry.publish(&Plugin::new("hello", "1.1.0"));
        let (code, stdout, stderr) = context.run(&["upgrade"]);
        assert_eq!(code, 0, "{kind}: {stdout}{stderr}");
        assert!(stdout.contains("hello: 1.0.0 -> 1.1.0"), "{kind}: {stdout}");
        assert!(!context.path("plugins/hello").exists(), "{kind}: still off");
        assert_eq!(
            std::fs::read_to_string(context.path(off).join("data.txt")).unwrap(),
            "hello 1.1.0\n",
            "{kind}: the new version, where the switched-off plugin is"
        );
        let (_, json) = context.run_json(&["list", "--format", "json"]);
        assert_eq!(json["plugins"][0]["version"], "1.1.0", "{kind}: {json}");
        assert_eq!(json["plugins"][0]["state"], "disabled", "{kind}: {json}");
        let (code, stdout, _) = context.run(&["verify"]);
        assert_eq!((code, stdout.as_str()), (0, "hello: ok\n"), "{kind}");

        let (code, _, stderr) = context.run(&["enable", "hello"]);
        assert_eq!(code, 0, "{kind}: {stderr}");
        assert_eq!(
            std::fs::read_to_string(context.path("plugins/hello/data.txt")).unwrap(),
            "hello 1.1.0\n",
            "{kind}"
        );
    }
}

/// FastCMS's `_` rule is FastCMS's alone: in a Flask-PluginKit host a folder `_tools` is a plugin
/// like any other (Flask-PluginKit imports it), switched by its marker files.
#[test]
fn a_leading_underscore_is_no_switch_in_another_host() {
    let context = TestContext::new();
    let root = context.root();
    write(
        root,
        "pluginkit.toml",
        "[host]\nkind = \"flask-pluginkit\"\n",
    );
    write(root, "plugins/__init__.py", "");
    write(
        root,
        "plugins/_tools/__init__.py",
        "__plugin_name__ = \"tools\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada\"\n\ndef register():\n    return {}\n",
    );
    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["plugins"][0]["state"], "enabled", "{json}");
    assert_eq!(json["plugins"][0]["path"], "plugins/_tools", "{json}");
    let (code, stdout, stderr) = context.run(&["disable", "tools"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "tools: disabled (DISABLED file)\n");
    assert!(root.join("plugins/_tools/DISABLED").is_file());
    assert!(!root.join("plugins/tools").exists(), "not renamed");
}

/// `add --disabled` switches the plugin off the way FastCMS reads it: installed as `_hello/`,
/// never with a `DISABLED` marker (which FastCMS does not read: the plugin was loaded). Over an
/// enabled plugin with `--force`, the new one ends switched off too; `remove` and `restore`
/// bring a switched-off plugin back switched off.
#[test]
fn add_disabled_and_restore_switch_a_plugin_off_by_its_folder_name() {
    let context = TestContext::new();
    write(context.root(), "pluginkit.toml", FASTCMS_HOST);
    fastcms_plugin(&context.path("../src/hello"), "1.0.0");
    let (code, stdout, stderr) = context.run(&["add", "../src/hello", "--disabled"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("plugins/_hello"), "{stdout}");
    assert_eq!(names(&context.path("plugins")), ["_hello"]);
    assert_eq!(names(&context.path("plugins/_hello")), ["__init__.py"]);
    let (_, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(json["plugins"][0]["state"], "disabled", "{json}");
    assert_eq!(json["plugins"][0]["state_source"], "underscore-folder");
    let (code, stdout, _) = context.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "hello: ok\n"));

    // Enabled, then replaced with --force --disabled: the new version, switched off.
    let (code, _, stderr) = context.run(&["enable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    fastcms_plugin(&context.path("../src/hello"), "2.0.0");
    let (code, _, stderr) = context.run(&["add", "../src/hello", "--force", "--disabled"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names(&context.path("plugins")), ["_hello"]);
    assert_eq!(version_in(&context.path("plugins/_hello")), "2.0.0");
    assert_eq!(names(&context.path("plugins/_hello")), ["__init__.py"]);

    // Removed switched off, restored switched off.
    let (code, _, stderr) = context.run(&["remove", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names(&context.path("plugins")), Vec::<String>::new());
    let (code, stdout, stderr) = context.run(&["restore", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("plugins/_hello"), "{stdout}");
    assert_eq!(names(&context.path("plugins")), ["_hello"]);
    assert_eq!(version_in(&context.path("plugins/_hello")), "2.0.0");
    let (code, stdout, _) = context.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "hello: ok\n"));

    // An enabled plugin removed comes back enabled.
    let (code, _, stderr) = context.run(&["enable", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = context.run(&["remove", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = context.run(&["restore", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names(&context.path("plugins")), ["hello"]);
}

/// `add --disabled` killed at each step of the install: nothing installed, or the plugin
/// installed and, once the next run has tidied, switched off; never installed and loaded.
#[test]
fn add_disabled_killed_at_each_step_leaves_nothing_or_the_plugin_switched_off() {
    for (step, installed) in [
        ("install-journaled", false),
        ("install-swapped", true),
        ("install-backed-up", true),
        ("install-recorded", true),
    ] {
        let context = TestContext::new();
        write(context.root(), "pluginkit.toml", FASTCMS_HOST);
        fastcms_plugin(&context.path("../src/hello"), "1.0.0");
        context
            .pluginkit()
            .args(["add", "../src/hello", "--disabled"])
            .spawn_paused(step)
            .kill();
        let (code, _, stderr) = context.run(&["list"]);
        assert_eq!(code, 0, "{step}: {stderr}");
        let wanted: Vec<String> = if installed {
            vec!["_hello".into()]
        } else {
            Vec::new()
        };
        assert_eq!(names(&context.path("plugins")), wanted, "{step}");
        let (code, stdout, _) = context.run(&["verify"]);
        assert_eq!(code, 0, "{step}: {stdout}");
    }
}

/// `restore` where the plugin is switched off now: refused without `--force` (nothing moves:
/// it was put beside `_hello/` as `hello/`, two copies FastCMS would both see), and with
/// `--force` the backup replaces it and stays switched off.
#[test]
fn restore_over_a_switched_off_plugin_keeps_one_folder_switched_off() {
    let context = TestContext::new();
    installed_and_switched_off(&context);
    fastcms_plugin(&context.path("../src/hello"), "2.0.0");
    let (code, _, stderr) = context.run(&["add", "--force", "../src/hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(version_in(&context.path("plugins/_hello")), "2.0.0");

    let (code, _, stderr) = context.run(&["restore", "hello"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("already installed"), "{stderr}");
    assert_eq!(names(&context.path("plugins")), ["_hello"]);
    assert_eq!(version_in(&context.path("plugins/_hello")), "2.0.0");

    let (code, _, stderr) = context.run(&["restore", "hello", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(names(&context.path("plugins")), ["_hello"]);
    assert_eq!(version_in(&context.path("plugins/_hello")), "1.0.0");
    let (code, stdout, _) = context.run(&["verify"]);
    assert_eq!((code, stdout.as_str()), (0, "hello: ok\n"));
}
