//! The virtualenv the reload tests run real ASGI servers from (tests/it/reload_servers.rs):
//! `target/servers-venv`, built once with `python3 -m venv` and a pinned `pip install` of
//! uvicorn, granian and hypercorn (and nothing else: a fresh CI run builds it in seconds), then
//! reused; a lock file next to it keeps concurrent test processes from building it twice.
//! Without `python3` a test fails: it never skips. gunicorn comes from `target/flask-venv`
//! ([`super::flask_venv`]), which these pins leave alone.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::flask_venv::must_run;

/// What the virtualenv holds, every version pinned: the servers and their dependencies.
pub const REQUIREMENTS: &[&str] = &[
    "uvicorn==0.54.0",
    "granian==2.8.9",
    "hypercorn==0.18.0",
    "click==8.5.1",
    "h11==0.16.0",
    "h2==4.4.1",
    "hpack==4.2.0",
    "hyperframe==6.1.0",
    "priority==2.0.0",
    "wsproto==1.3.2",
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

/// The venv's `bin` folder (uvicorn, granian and hypercorn are there), the venv built first
/// when it is not there (once per test process; other processes wait on the lock file).
pub fn bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let target = target_dir();
        let venv = target.join("servers-venv");
        let bin = venv.join("bin");
        let python = bin.join("python");
        let wanted: String = REQUIREMENTS.iter().map(|r| format!("{r}\n")).collect();
        let ready = |marker: &Path| fs::read_to_string(marker).is_ok_and(|m| m == wanted);
        if python.is_file() && ready(&venv.join(READY_MARKER)) {
            return bin;
        }

        fs::create_dir_all(&target).expect("create the target folder");
        let lock =
            fs::File::create(target.join("servers-venv.lock")).expect("create the lock file");
        lock.lock().expect("lock target/servers-venv.lock");
        if python.is_file() && ready(&venv.join(READY_MARKER)) {
            return bin; // another process built it meanwhile
        }

        let system = std::env::var_os("PLUGINKIT_TEST_PYTHON").unwrap_or_else(|| "python3".into());
        match Command::new(&system).arg("--version").output() {
            Ok(out) if out.status.success() => {}
            other => panic!(
                "cannot run `{} --version` ({other:?}): the reload tests need Python 3.9 or later \
                 to install uvicorn, granian and hypercorn into {}; install python3 and \
                 python3-venv, or set PLUGINKIT_TEST_PYTHON to an interpreter",
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
        bin
    })
}
