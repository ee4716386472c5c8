//! The plugins' Python requirements (`deps`, `--install-deps`, the pins in `pluginkit.lock`),
//! against a PEP 503 simple index served on 127.0.0.1 holding wheels the test builds itself,
//! into a fresh virtualenv per host. No test reaches the public index: `PIP_INDEX_URL` and
//! `UV_INDEX_URL` point at the test's index, and the machine's pip and uv configuration is
//! switched off. Every scenario runs with uv (the binary of [`venvs::UV`] on the PATH) and with
//! pip's resolver (a PATH without uv).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::support::venvs::{self, must_run};
use crate::support::{TestContext, native_plugin, write};

/// Builds the wheels: a wheel is a zip of the package and its `.dist-info` (METADATA, WHEEL,
/// RECORD with each file's hash). Arguments: the output folder, then `name version
/// requires-dist;... extra-path` quadruples (`-` for none).
const WHEEL_BUILDER: &str = r#"
import base64, hashlib, sys, zipfile, pathlib
out = pathlib.Path(sys.argv[1])
args = sys.argv[2:]
for i in range(0, len(args), 4):
    name, version, requires, extra = args[i:i + 4]
    info = f"{name}-{version}.dist-info"
    files = {f"{name}/__init__.py": f"VERSION = {version!r}\n".encode()}
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    for req in filter(None, requires.split(";") if requires != "-" else []):
        meta += f"Requires-Dist: {req}\n"
    files[f"{info}/METADATA"] = meta.encode()
    # A wheel of a format version to come is refused at install (pip and uv read only
    # METADATA to resolve).
    wheel_version = "9.0" if extra == "future" else "1.0"
    files[f"{info}/WHEEL"] = f"Wheel-Version: {wheel_version}\nGenerator: pluginkit-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n".encode()
    if extra not in ("-", "future"):
        files[extra] = b"x = 1\n"
    record = ""
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record += f"{path},sha256={digest},{len(data)}\n"
    record += f"{info}/RECORD,,\n"
    files[f"{info}/RECORD"] = record.encode()
    wheel = out / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        for path, data in files.items():
            z.writestr(path, data)
"#;

/// A wheel to build: name, version, its `Requires-Dist` lines, and what makes it resolve but
/// fail to install: `future` for a wheel of format version 9.0 (uv refuses it at install; pip
/// already while resolving), or a file to add, such as a path outside the wheel's folder
/// (pip refuses it at install; uv installs it).
struct Wheel(
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
);

const WHEELS: &[Wheel] = &[
    Wheel("pklib", "1.0", &[], None),
    Wheel("pklib", "2.0", &[], None),
    Wheel("pkapp", "1.0", &["pkdep<2"], None),
    Wheel("pkdep", "1.5", &[], None),
    Wheel("pkdep", "1.9", &[], None),
    Wheel("pkdep", "2.0", &[], None),
    Wheel("pkbad", "1.0", &[], Some("future")),
    Wheel("pkesc", "1.0", &[], Some("../../outside.py")),
];

/// The test's package index: wheels in `files/`, PEP 503 pages in `simple/`, served over HTTP
/// on 127.0.0.1 until dropped.
struct Index {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Index {
    fn start(dir: &Path) -> Index {
        let files = dir.join("files");
        std::fs::create_dir_all(&files).unwrap();
        let mut builder = Command::new("python3");
        builder.arg("-c").arg(WHEEL_BUILDER).arg(&files);
        for Wheel(name, version, requires, extra) in WHEELS {
            let requires = if requires.is_empty() {
                "-".to_owned()
            } else {
                requires.join(";")
            };
            builder.args([*name, *version, requires.as_str(), extra.unwrap_or("-")]);
        }
        must_run(&mut builder, "building the test wheels");
        let mut names: Vec<&str> = WHEELS.iter().map(|w| w.0).collect();
        names.dedup();
        let mut root = String::from("<!DOCTYPE html><html><body>\n");
        for name in &names {
            root.push_str(&format!("<a href=\"{name}/\">{name}</a>\n"));
            let mut page = String::from("<!DOCTYPE html><html><body>\n");
            for Wheel(n, version, _, _) in WHEELS.iter().filter(|w| w.0 == *name) {
                let file = format!("{n}-{version}-py3-none-any.whl");
                let sha =
                    crate::support::registry::sha256(&std::fs::read(files.join(&file)).unwrap());
                page.push_str(&format!(
                    "<a href=\"../../files/{file}#sha256={sha}\">{file}</a>\n"
                ));
            }
            write(dir, &format!("simple/{name}/index.html"), &page);
        }
        write(dir, "simple/index.html", &root);

        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (root, stopped) = (dir.to_path_buf(), stop.clone());
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            while !stopped.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(300) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let root = root.clone();
                        std::thread::spawn(move || serve(&root, stream));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Index { port, stop }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/simple/", self.port)
    }
}

impl Drop for Index {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Answer one request: a folder's `index.html` as HTML, a file as bytes, else 404.
fn serve(root: &Path, stream: TcpStream) {
    let _ = stream.set_nonblocking(false);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut file = root.join(path.trim_start_matches('/'));
    if path.split('/').any(|p| p == "..") {
        file = root.join("missing");
    }
    let (html, file) = if file.is_dir() {
        (true, file.join("index.html"))
    } else {
        (false, file)
    };
    let mut out = stream;
    let (head, body) = match std::fs::read(&file) {
        Ok(body) => (
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                if html {
                    "text/html"
                } else {
                    "application/octet-stream"
                },
                body.len()
            ),
            body,
        ),
        Err(_) => (
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned(),
            Vec::new(),
        ),
    };
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&body);
}

/// Which resolver and installer pluginkit finds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tool {
    Uv,
    Pip,
}

/// A host: a folder with `pluginkit.toml` whose `[host] python` is a fresh virtualenv.
struct Host {
    dir: PathBuf,
    python: PathBuf,
}

impl Host {
    /// Another server `name`, with this one's pluginkit.toml pointing at its own virtualenv.
    fn like(&self, context: &TestContext, name: &str) -> Host {
        let other = Host::new(context, name);
        let toml = self.read("pluginkit.toml").unwrap().replace(
            &self.python.display().to_string(),
            &other.python.display().to_string(),
        );
        write(&other.dir, "pluginkit.toml", &toml);
        other
    }

    fn new(context: &TestContext, name: &str) -> Host {
        let dir = context.path(name);
        let venv = dir.join(".venv");
        must_run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv",
        );
        let python = venv.join("bin/python");
        write(
            &dir,
            "pluginkit.toml",
            &format!(
                "[host]\nplugins-dir = \"plugins\"\npython = \"{}\"\n",
                python.display()
            ),
        );
        std::fs::create_dir_all(dir.join("plugins")).unwrap();
        Host { dir, python }
    }

    /// What the virtualenv holds, as `pip freeze` lists it (pip and setuptools left out).
    fn freeze(&self) -> Vec<String> {
        let out = must_run(
            Command::new(&self.python).args([
                "-c",
                "import importlib.metadata as m\nfor d in m.distributions():\n    n = d.metadata['Name']\n    if n.lower() not in ('pip', 'setuptools'): print(f'{n}=={d.version}')",
            ]),
            "listing the virtualenv",
        );
        let mut lines: Vec<String> = out.lines().map(str::to_owned).collect();
        lines.sort();
        lines
    }

    fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.dir.join(rel)).ok()
    }
}

/// Run pluginkit in `host` with `tool` findable, against `index`.
fn run(
    context: &TestContext,
    host: &Host,
    tool: Tool,
    index: &str,
    args: &[&str],
) -> (i32, String, String) {
    let path = match tool {
        Tool::Uv => format!("{}:/usr/bin:/bin", venvs::UV.bin().display()),
        Tool::Pip => "/usr/bin:/bin".to_owned(),
    };
    context
        .pluginkit()
        .current_dir(&host.dir)
        .env("PATH", path)
        .env("PIP_INDEX_URL", index)
        .env("UV_INDEX_URL", index)
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env("UV_NO_CONFIG", "1")
        .env_remove("PIP_FIND_LINKS")
        .env_remove("PIP_EXTRA_INDEX_URL")
        .env_remove("UV_EXTRA_INDEX_URL")
        .env_remove("UV_FIND_LINKS")
        .env_remove("UV_PYTHON")
        .env_remove("VIRTUAL_ENV")
        .args(args)
        .timeout(Duration::from_secs(180))
        .run()
}

/// A plugin folder `name` under `dir` whose requirements.txt is `requirements`.
fn plugin_source(dir: &Path, name: &str, requirements: &str) -> PathBuf {
    let plugin = native_plugin(dir, name, "");
    write(&plugin, "requirements.txt", requirements);
    plugin
}

fn both(test: impl Fn(Tool)) {
    for tool in [Tool::Uv, Tool::Pip] {
        test(tool);
    }
}

/// Two plugins pinning different versions of one library: the second is refused, both plugins
/// and both lines named, nothing installed and no file of the host changed; `deps --check`
/// says the same of the two installed side by side.
#[test]
fn conflicting_pins_are_refused_with_both_sides_named() {
    both(|tool| {
        let context = TestContext::new();
        let index = Index::start(&context.path("index"));
        let url = index.url();
        let src = context.path("src");
        plugin_source(
            &src,
            "alpha",
            "# the pin alpha was tested with\npklib==1.0\n",
        );
        plugin_source(&src, "beta", "pkdep>=1.0\npklib==2.0  # beta needs 2\n");
        let host = Host::new(&context, "host");
        let (code, _, stderr) = run(
            &context,
            &host,
            tool,
            &url,
            &["add", "../src/alpha", "--install-deps"],
        );
        assert_eq!(code, 0, "{tool:?}: {stderr}");
        assert_eq!(host.freeze(), ["pklib==1.0"], "{tool:?}");

        let freeze = host.freeze();
        let (toml, lock) = (host.read("pluginkit.toml"), host.read("pluginkit.lock"));
        let (code, _, stderr) = run(
            &context,
            &host,
            tool,
            &url,
            &["add", "../src/beta", "--install-deps"],
        );
        assert_eq!(code, 1, "{tool:?}: {stderr}");
        for needle in [
            "the Python requirements of plugin `alpha` and plugin `beta` conflict",
            "plugin `alpha`: plugins/alpha/requirements.txt:2: pklib==1.0",
            "plugin `beta`: plugins/beta/requirements.txt:2: pklib==2.0",
            "nothing was installed",
        ] {
            assert!(
                stderr.contains(needle),
                "{tool:?}: `{needle}` in:\n{stderr}"
            );
        }
        assert_eq!(host.freeze(), freeze, "{tool:?}: nothing installed");
        assert!(!host.dir.join("plugins/beta").exists(), "{tool:?}");
        assert_eq!(host.read("pluginkit.toml"), toml, "{tool:?}");
        assert_eq!(host.read("pluginkit.lock"), lock, "{tool:?}");

        // Side by side (installed without --install-deps), `deps --check` names both too.
        let (code, _, stderr) = run(&context, &host, tool, &url, &["add", "../src/beta"]);
        assert_eq!(code, 0, "{tool:?}: {stderr}");
        let (code, _, stderr) = run(&context, &host, tool, &url, &["deps", "--check"]);
        assert_eq!(code, 1, "{tool:?}: {stderr}");
        assert!(
            stderr.contains("plugin `alpha` and plugin `beta` conflict"),
            "{tool:?}: {stderr}"
        );
        assert_eq!(host.freeze(), freeze, "{tool:?}");

        // The host's own requirements.txt (FBA keeps `uv export`'s at its root, `-e .` first)
        // constrains the plugins: a plugin that needs another version is refused, the host's
        // line named.
        let fba_like = Host::new(&context, "fba_like");
        write(
            &fba_like.dir,
            "requirements.txt",
            "-e .\npklib==1.0\n    # via fba\n",
        );
        let (code, _, stderr) = run(
            &context,
            &fba_like,
            tool,
            &url,
            &["add", "../src/beta", "--install-deps"],
        );
        assert_eq!(code, 1, "{tool:?}: {stderr}");
        for needle in [
            "the Python requirements of plugin `beta` and the host conflict",
            "the host: requirements.txt:2: pklib==1.0",
        ] {
            assert!(
                stderr.contains(needle),
                "{tool:?}: `{needle}` in:\n{stderr}"
            );
        }
        assert!(fba_like.freeze().is_empty(), "{tool:?}");
        assert!(!fba_like.dir.join("plugins/beta").exists(), "{tool:?}");
    });
}

/// Compatible requirements are installed once into the host's virtualenv (a shared dependency
/// at the one version both allow), the pins go into the lock per plugin, and
/// `sync --locked --install-deps` on a second host gives the same packages.
#[test]
fn compatible_requirements_are_installed_once_and_locked() {
    both(|tool| {
        let context = TestContext::new();
        let index = Index::start(&context.path("index"));
        let url = index.url();
        let src = context.path("src");
        // pkapp 1.0 needs pkdep<2; beta wants pkdep>=1.5: pkdep 1.9 serves both.
        plugin_source(&src, "alpha", "pkapp>=1.0\n");
        plugin_source(&src, "beta", "pkdep>=1.5\n");
        let host = Host::new(&context, "host");
        let (code, _, stderr) = run(
            &context,
            &host,
            tool,
            &url,
            &["add", "../src/alpha", "../src/beta", "--install-deps"],
        );
        assert_eq!(code, 0, "{tool:?}: {stderr}");
        assert_eq!(host.freeze(), ["pkapp==1.0", "pkdep==1.9"], "{tool:?}");
        let lock = host.read("pluginkit.lock").unwrap();
        let parsed: toml::Table = toml::from_str(&lock).unwrap();
        let entries = parsed["plugin"].as_array().unwrap();
        let python = |name: &str, key: &str| -> Vec<String> {
            let entry = entries
                .iter()
                .find(|e| e["name"].as_str() == Some(name))
                .unwrap();
            entry[key]
                .as_array()
                .unwrap_or_else(|| panic!("{tool:?}: {name} has no {key}:\n{lock}"))
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            python("alpha", "python-requirements"),
            ["pkapp>=1.0"],
            "{lock}"
        );
        assert_eq!(
            python("alpha", "python-pins"),
            ["pkapp==1.0", "pkdep==1.9"],
            "{lock}"
        );
        assert_eq!(
            python("beta", "python-requirements"),
            ["pkdep>=1.5"],
            "{lock}"
        );
        assert_eq!(python("beta", "python-pins"), ["pkdep==1.9"], "{lock}");

        // `deps --check --format json` says the same, and installs nothing more.
        let output = run(
            &context,
            &host,
            tool,
            &url,
            &["deps", "--check", "--format", "json"],
        );
        assert_eq!(output.0, 0, "{tool:?}: {}", output.2);
        let json: Value = serde_json::from_str(&output.1).unwrap();
        assert_eq!(json["installed"], false);
        assert_eq!(
            json["pins"],
            serde_json::json!(["pkapp==1.0", "pkdep==1.9"]),
            "{json}"
        );
        assert_eq!(json["tool"], format!("{tool:?}").to_lowercase(), "{json}");

        // A second server: the same pluginkit.toml and lock, a fresh virtualenv: the lock's
        // pins are installed as they are (`--no-deps`, every pin), not resolved again.
        let second = host.like(&context, "second");
        std::fs::copy(
            host.dir.join("pluginkit.lock"),
            second.dir.join("pluginkit.lock"),
        )
        .unwrap();
        let (code, _, stderr) = run(
            &context,
            &second,
            tool,
            &url,
            &["sync", "--locked", "--install-deps"],
        );
        assert_eq!(code, 0, "{tool:?}: {stderr}");
        // It installs them: no note saying to do it by hand.
        assert!(!stderr.contains("install them with"), "{tool:?}: {stderr}");
        assert_eq!(second.freeze(), host.freeze(), "{tool:?}");
        assert_eq!(
            second.read("pluginkit.lock").as_deref(),
            Some(lock.as_str())
        );

        // `sync --install-deps` from [plugins] alone resolves the same and writes the pins.
        let third = host.like(&context, "third");
        let (code, _, stderr) = run(&context, &third, tool, &url, &["sync", "--install-deps"]);
        assert_eq!(code, 0, "{tool:?}: {stderr}");
        assert_eq!(third.freeze(), host.freeze(), "{tool:?}");
        assert_eq!(third.read("pluginkit.lock").as_deref(), Some(lock.as_str()));

        // A lock written before pins were recorded still reads, and `sync --locked` installs
        // its plugins; with --install-deps it refuses to resolve anew, installing nothing.
        let older: String = {
            let mut skipping = false;
            lock.lines()
                .filter(|line| {
                    if line.starts_with("python-") {
                        skipping = !line.ends_with(']');
                        return false;
                    }
                    if skipping {
                        skipping = *line != "]";
                        return false;
                    }
                    true
                })
                .map(|line| format!("{line}\n"))
                .collect()
        };
        assert!(!older.contains("python-"), "{older}");
        let fourth = host.like(&context, "fourth");
        write(&fourth.dir, "pluginkit.lock", &older);
        let (code, _, stderr) = run(
            &context,
            &fourth,
            tool,
            &url,
            &["sync", "--locked", "--install-deps"],
        );
        assert_eq!(code, 1, "{tool:?}: {stderr}");
        assert!(
            stderr.contains("pluginkit.lock records no Python pins for `alpha`"),
            "{tool:?}: {stderr}"
        );
        assert!(fourth.freeze().is_empty(), "{tool:?}");
        assert!(!fourth.dir.join("plugins/alpha").exists(), "{tool:?}");
        let (code, _, stderr) = run(&context, &fourth, tool, &url, &["sync", "--locked"]);
        assert_eq!(code, 0, "{tool:?}: {stderr}");
        assert!(fourth.dir.join("plugins/alpha").is_dir(), "{tool:?}");
        assert_eq!(
            fourth.read("pluginkit.lock").as_deref(),
            Some(older.as_str())
        );

        // The index gone, --offline: uv resolves from its cache (filled above) with --offline;
        // pip has no such mode, and with --no-index finds nothing.
        drop(index);
        std::thread::sleep(Duration::from_millis(100));
        let (code, _, stderr) = run(
            &context,
            &host,
            tool,
            &url,
            &["deps", "--check", "--offline"],
        );
        match tool {
            Tool::Uv => assert_eq!(code, 0, "{stderr}"),
            Tool::Pip => {
                assert_eq!(code, 1, "{stderr}");
                assert!(
                    stderr.contains("cannot resolve the plugins' Python requirements"),
                    "{stderr}"
                );
            }
        }
    });
}

/// A requirement that resolves but cannot be installed (see [`WHEELS`]) fails the add, and the plugin is not installed; so does an
/// index that went away.
#[test]
fn a_failed_install_leaves_the_plugins_as_they_were() {
    both(|tool| {
        let context = TestContext::new();
        let index = Index::start(&context.path("index"));
        let url = index.url();
        let src = context.path("src");
        let bad = match tool {
            Tool::Uv => "pkbad==1.0\n",
            Tool::Pip => "pkesc==1.0\n",
        };
        plugin_source(&src, "gamma", bad);
        let host = Host::new(&context, "host");
        let before = (
            host.read("pluginkit.toml"),
            host.read("pluginkit.lock"),
            host.freeze(),
        );
        let (code, _, stderr) = run(
            &context,
            &host,
            tool,
            &url,
            &["add", "../src/gamma", "--install-deps"],
        );
        assert_eq!(code, 1, "{tool:?}: {stderr}");
        // Resolved (pkbad's METADATA is fine), then refused by the installer.
        assert!(
            stderr.contains("installing the plugins' Python requirements failed"),
            "{tool:?}: {stderr}"
        );
        assert!(!host.dir.join("plugins/gamma").exists(), "{tool:?}");
        let after = (host.read("pluginkit.toml"), host.read("pluginkit.lock"));
        assert_eq!(after, (before.0.clone(), before.1.clone()), "{tool:?}");
        // uv refuses the wheel before it writes any of it; pip stops halfway through and
        // leaves what it wrote (its own behaviour: it rolls back upgrades, not a new install).
        if tool == Tool::Uv {
            assert_eq!(host.freeze(), before.2, "{tool:?}");
        }
        let before_gone = host.freeze();

        // The index gone: nothing can be resolved, nothing is installed.
        plugin_source(&src, "delta", "pklib==2.0\n");
        drop(index);
        // Its port closes once the server's thread sees the stop.
        std::thread::sleep(Duration::from_millis(100));
        let (code, _, stderr) = run(
            &context,
            &host,
            tool,
            &url,
            &["add", "../src/delta", "--install-deps"],
        );
        assert_eq!(code, 1, "{tool:?}: {stderr}");
        assert!(
            stderr.contains("cannot resolve the plugins' Python requirements:")
                && stderr.contains("plugins/delta/requirements.txt:1: pklib==2.0"),
            "{tool:?}: {stderr}"
        );
        assert!(!host.dir.join("plugins/delta").exists(), "{tool:?}");
        assert_eq!(host.freeze(), before_gone, "{tool:?}");
    });
}

/// A malformed requirement is an error at its line and column (the column pep508_rs gives,
/// counted in the physical line), with the rule's code; an install refuses the plugin.
#[test]
fn a_malformed_requirement_is_an_error_at_its_line_and_column() {
    let context = TestContext::new();
    let index = Index::start(&context.path("index"));
    let url = index.url();
    let src = context.path("src");
    plugin_source(
        &src,
        "omega",
        "pklib==1.0\n# fine so far\npkdep >= 1.0,<<2\n",
    );
    let (code, json) = context.run_json(&["validate", "src/omega", "--format", "json"]);
    assert_eq!(code, 1, "{json}");
    let findings: Vec<&Value> = json["findings"].as_array().unwrap().iter().collect();
    assert_eq!(findings.len(), 1, "{json}");
    let finding = findings[0];
    assert_eq!(finding["code"], "PK0901", "{json}");
    assert_eq!(finding["file"], "src/omega/requirements.txt", "{json}");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(3), Some(14)),
        "{json}"
    );

    // Human output draws the line, rustc-style.
    let (code, stdout, stderr) = context.run(&["validate", "src/omega"]);
    assert_eq!(code, 1);
    let out = format!("{stdout}{stderr}");
    assert!(out.contains("src/omega/requirements.txt:3:14"), "{out}");

    let host = Host::new(&context, "host");
    let (code, _, stderr) = run(
        &context,
        &host,
        Tool::Pip,
        &url,
        &["add", "../src/omega", "--install-deps"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("PK0901") || stderr.contains("requirements.txt:3:14"),
        "{stderr}"
    );
    assert!(!host.dir.join("plugins/omega").exists());
}
