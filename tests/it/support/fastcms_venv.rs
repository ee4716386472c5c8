//! The virtualenv the FastCMS tests run the real FastCMS in (tests/it/switch_fastcms.rs):
//! `target/fastcms-venv`, with pyfastcms 0.1.6 (FastCMS) and uvicorn from PyPI, built once and
//! reused, as `target/flask-venv` is ([`super::flask_venv`]); a lock file beside it keeps
//! concurrent test processes from building it twice. Without `python3` a test fails: it never
//! skips.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::flask_venv::must_run;

/// FastCMS and the server it runs under, with the libraries it is built on pinned.
pub const REQUIREMENTS: &[&str] = &[
    "pyfastcms==0.1.6",
    "uvicorn==0.55.0",
    "fastapi==0.165.0",
    "starlette==1.10.0",
    "pydantic==2.14.4",
    "pydantic-settings==2.16.3",
    "SQLAlchemy==2.1.9",
    "aiosqlite==0.22.1",
];

/// Written last into the venv, holding [`REQUIREMENTS`]: a venv without it (a build killed
/// halfway) or with other pins is built again.
const READY_MARKER: &str = "pluginkit-ready.txt";

fn target_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => manifest.join(dir),
        _ => manifest.join("target"),
    }
}

/// The venv's Python, the venv built first when it is not there.
pub fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let target = target_dir();
        let venv = target.join("fastcms-venv");
        let python = venv.join("bin").join("python");
        let wanted: String = REQUIREMENTS.iter().map(|r| format!("{r}\n")).collect();
        let ready = || fs::read_to_string(venv.join(READY_MARKER)).is_ok_and(|m| m == wanted);
        if python.is_file() && ready() {
            return python;
        }
        fs::create_dir_all(&target).expect("create the target folder");
        let lock = fs::File::create(target.join("fastcms-venv.lock")).expect("the lock file");
        lock.lock().expect("lock target/fastcms-venv.lock");
        if python.is_file() && ready() {
            return python;
        }
        let system = std::env::var_os("PLUGINKIT_TEST_PYTHON").unwrap_or_else(|| "python3".into());
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
