//! The virtualenv the Flask-PluginKit tests run a real host in (tests/it/flask_pluginkit_e2e.rs,
//! tests/it/new.rs): `target/flask-venv`, built once with `python3 -m venv` and a pinned `pip
//! install`, then reused; a lock file next to it keeps concurrent test processes (and
//! `benches/flask.sh`) from building it twice. Without `python3` a test fails: it never skips.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// What the virtualenv holds: Flask-PluginKit 3.12.1 and its dependencies, and gunicorn (with
/// setproctitle, which gives its processes the titles `reload` reads) for the reload tests; every
/// version pinned. `benches/flask.sh` installs the same list into the same venv: keep them in step.
pub const REQUIREMENTS: &[&str] = &[
    "Flask-PluginKit==3.12.1",
    "Flask==3.1.3",
    "Werkzeug==3.1.9",
    "Jinja2==3.1.6",
    "MarkupSafe==3.0.4",
    "itsdangerous==2.2.0",
    "click==8.5.1",
    "blinker==1.9.0",
    "semver==3.1.1",
    "gunicorn==27.0.1",
    "setproctitle==1.3.8",
];

/// Written last into the venv, holding [`REQUIREMENTS`] one per line: a venv without it (a
/// build that was killed halfway) or with other pins is built again.
const READY_MARKER: &str = "pluginkit-ready.txt";

fn target_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => manifest.join(dir), // an absolute path replaces manifest
        _ => manifest.join("target"),
    }
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// Run a command that must succeed; on failure, say what it was and what it printed.
pub fn must_run(cmd: &mut Command, what: &str) -> String {
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {cmd:?}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{what} failed ({}): {cmd:?}\n--- stdout\n{stdout}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The venv's Python, the venv built first when it is not there (once per test process; other
/// processes wait on the lock file).
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let target = target_dir();
        let venv = target.join("flask-venv");
        let python = venv_python(&venv);
        let wanted: String = REQUIREMENTS.iter().map(|r| format!("{r}\n")).collect();
        let ready = |marker: &Path| fs::read_to_string(marker).is_ok_and(|m| m == wanted);
        if python.is_file() && ready(&venv.join(READY_MARKER)) {
            return python;
        }

        fs::create_dir_all(&target).expect("create the target folder");
        let lock = fs::File::create(target.join("flask-venv.lock")).expect("create the lock file");
        lock.lock().expect("lock target/flask-venv.lock");
        if python.is_file() && ready(&venv.join(READY_MARKER)) {
            return python; // another process built it meanwhile
        }

        let system = std::env::var_os("PLUGINKIT_TEST_PYTHON").unwrap_or_else(|| "python3".into());
        match Command::new(&system).arg("--version").output() {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!(
                "`{} --version` failed ({}): this test needs Python 3.9 or later to install \
                 Flask-PluginKit into {}; install python3 and python3-venv, or set \
                 PLUGINKIT_TEST_PYTHON to an interpreter",
                system.to_string_lossy(),
                out.status,
                venv.display()
            ),
            Err(e) => panic!(
                "cannot run `{}` ({e}): this test needs Python 3.9 or later to install \
                 Flask-PluginKit into {}; install python3 and python3-venv, or set \
                 PLUGINKIT_TEST_PYTHON to an interpreter",
                system.to_string_lossy(),
                venv.display()
            ),
        }
        eprintln!(
            "building {} with {} (once)",
            venv.display(),
            REQUIREMENTS.join(" ")
        );
        if venv.exists() {
            fs::remove_dir_all(&venv).expect("remove the half-built venv");
        }
        must_run(
            Command::new(&system).args(["-m", "venv"]).arg(&venv),
            "python3 -m venv (on Debian and Ubuntu: apt-get install python3-venv)",
        );
        must_run(
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-input",
                ])
                .args(REQUIREMENTS),
            "pip install (PyPI must be reachable)",
        );
        let temp = venv.join(format!("{READY_MARKER}.tmp"));
        fs::write(&temp, &wanted).expect("write the venv marker");
        fs::rename(&temp, venv.join(READY_MARKER)).expect("write the venv marker");
        drop(lock);
        python
    })
}
