//! The virtualenvs the tests run real hosts in, each built once under `target/` with `python3 -m
//! venv` and a pinned `pip install`, then reused; a lock file next to each keeps concurrent test
//! processes (and `benches/flask.sh`) from building it twice. Without `python3` a test fails: it
//! never skips.
//!
//! - [`FLASK`] (`target/flask-venv`): Flask-PluginKit 3.12.1 and gunicorn, for
//!   tests/it/flask_pluginkit_e2e.rs, tests/it/new.rs and the reload tests.
//! - [`FLASK_3_10`] (`target/flask-venv-3.10`): Flask-PluginKit 3.10.1, the last release that
//!   imports every plugin folder by `__import__` and checks no folder name.
//! - [`FASTCMS`] (`target/fastcms-venv`): pyfastcms 0.1.6 with its dependencies and uvicorn,
//!   for FastCMS's real loader (tests/it/fastcms_e2e.rs) and the real app under uvicorn
//!   (tests/it/switch_fastcms.rs).
//! - [`SERVERS`] (`target/servers-venv`): uvicorn, granian and hypercorn, for the reload tests
//!   (tests/it/reload_servers.rs); gunicorn is in [`FLASK`].
//! - [`FBA_VALIDATOR`] (`target/fba-venv`): pydantic, for FBA's own validator.py
//!   (tests/it/fba_versions.rs).
//! - [`PACKAGING`] (`target/packaging-venv`): maturin and pre-commit, for building the
//!   `pluginkit-cli` wheel and running the pre-commit hook (tests/it/wheel.rs,
//!   tests/it/pre_commit.rs), with the setuptools wheel in its `wheels/` folder for the hook's
//!   offline install.
//! - [`UV`] (`target/uv-venv`): uv, whose binary is put on the PATH of the tests that resolve
//!   plugins' Python requirements with it (tests/it/python_deps.rs).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// What the Flask-PluginKit venv holds: Flask-PluginKit 3.12.1 and its dependencies, and
/// gunicorn (with setproctitle, which gives its processes the titles `reload` reads) for the
/// reload tests; every version pinned. `benches/flask.sh` installs the same list into the same
/// venv: keep them in step.
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

/// A virtualenv under `target/`, built from pinned requirements the first time it is asked for.
pub struct Venv {
    /// Its folder under `target/`.
    name: &'static str,
    requirements: &'static [&'static str],
    /// Install with `--no-deps`: the requirements are the whole closure, pinned (a package whose
    /// own dependencies are far more than the part the tests run needs).
    no_deps: bool,
    /// Wheels downloaded (not installed) into the venv's `wheels/` folder, for tests whose pip
    /// installs run with no index (`PIP_NO_INDEX`, `PIP_FIND_LINKS`).
    wheels: &'static [&'static str],
    python: OnceLock<PathBuf>,
}

/// Flask-PluginKit 3.12.1 (see [`REQUIREMENTS`]).
pub static FLASK: Venv = Venv {
    name: "flask-venv",
    requirements: REQUIREMENTS,
    no_deps: false,
    wheels: &[],
    python: OnceLock::new(),
};

/// Flask-PluginKit 3.10.1, with the same Flask.
pub static FLASK_3_10: Venv = Venv {
    name: "flask-venv-3.10",
    requirements: &[
        "Flask-PluginKit==3.10.1",
        "Flask==3.1.3",
        "Werkzeug==3.1.9",
        "Jinja2==3.1.6",
        "MarkupSafe==3.0.4",
        "itsdangerous==2.2.0",
        "click==8.5.1",
        "blinker==1.9.0",
        "semver==3.1.1",
    ],
    no_deps: false,
    wheels: &[],
    python: OnceLock::new(),
};

/// FastCMS 0.1.6 (`pyfastcms`, Python 3.11+) with its dependencies and uvicorn: its real plugin
/// loader (`app.core.plugin_loader`) and the whole app under uvicorn. The libraries it is built
/// on are pinned; pip takes the rest of its dependencies as pyfastcms 0.1.6 declares them.
pub static FASTCMS: Venv = Venv {
    name: "fastcms-venv",
    requirements: &[
        "pyfastcms==0.1.6",
        "uvicorn==0.55.0",
        "fastapi==0.165.0",
        "starlette==1.10.0",
        "pydantic==2.14.4",
        "pydantic_core==2.50.5",
        "pydantic-settings==2.16.3",
        "python-dotenv==1.2.4",
        "SQLAlchemy==2.1.9",
        "aiosqlite==0.22.1",
        "orjson==3.13.0",
    ],
    no_deps: false,
    wheels: &[],
    python: OnceLock::new(),
};

/// The ASGI servers `reload` is tested against, with their dependencies, every version pinned.
pub static SERVERS: Venv = Venv {
    name: "servers-venv",
    requirements: &[
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
    ],
    no_deps: false,
    wheels: &[],
    python: OnceLock::new(),
};

/// What FBA's validator needs (FBA pins pydantic 2.x), pinned. Its runner needs Python 3.11 or
/// later (tomllib, StrEnum).
pub static FBA_VALIDATOR: Venv = Venv {
    name: "fba-venv",
    requirements: &[
        "pydantic==2.13.4",
        "pydantic_core==2.46.4",
        "annotated-types==0.7.0",
        "typing_extensions==4.15.0",
        "typing-inspection==0.4.2",
    ],
    no_deps: false,
    wheels: &[],
    python: OnceLock::new(),
};

/// maturin, which builds the `pluginkit-cli` wheel, and pre-commit with its dependencies, every
/// version pinned; setuptools as a wheel file, which builds the pre-commit hook repository's
/// placeholder package (pre-commit-mirror/pyproject.toml) when the hook is installed offline.
pub static PACKAGING: Venv = Venv {
    name: "packaging-venv",
    requirements: &[
        "maturin==1.16.0",
        "pre-commit==4.7.0",
        "cfgv==3.5.0",
        "distlib==0.4.4",
        "filelock==4.3.2",
        "identify==2.6.20",
        "nodeenv==1.12.0",
        "platformdirs==4.14.9",
        "python-discovery==1.9.9",
        "PyYAML==6.0.4",
        "virtualenv==21.15.14",
    ],
    no_deps: false,
    wheels: &["setuptools==84.2.1"],
    python: OnceLock::new(),
};

/// Written last into a venv, holding its requirements one per line: a venv without it (a
/// build that was killed halfway) or with other pins is built again.
/// uv (a static binary in the wheel; no dependencies), for `deps` and `--install-deps` with uv.
pub static UV: Venv = Venv {
    name: "uv-venv",
    requirements: &["uv==0.13.9"],
    no_deps: false,
    wheels: &[],
    python: OnceLock::new(),
};

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

impl Venv {
    /// The venv's Python, the venv built first when it is not there (once per test process;
    /// other processes wait on the lock file).
    pub fn python(&'static self) -> &'static Path {
        self.python.get_or_init(|| self.build())
    }

    /// The folder of the wheels downloaded beside the venv's packages.
    pub fn wheels(&'static self) -> PathBuf {
        self.python()
            .parent()
            .and_then(Path::parent)
            .expect("a venv's python is in its bin folder")
            .join("wheels")
    }

    /// The venv's `bin` folder, where the programs its packages install are.
    pub fn bin(&'static self) -> &'static Path {
        self.python()
            .parent()
            .expect("a venv's python is in its bin folder")
    }

    fn build(&self) -> PathBuf {
        let target = target_dir();
        let venv = target.join(self.name);
        let python = venv_python(&venv);
        let mut wanted: String = self.requirements.iter().map(|r| format!("{r}\n")).collect();
        if self.no_deps {
            wanted.push_str("--no-deps\n");
        }
        for wheel in self.wheels {
            wanted.push_str(&format!("wheel {wheel}\n"));
        }
        let ready = |marker: &Path| fs::read_to_string(marker).is_ok_and(|m| m == wanted);
        if python.is_file() && ready(&venv.join(READY_MARKER)) {
            return python;
        }

        fs::create_dir_all(&target).expect("create the target folder");
        let lock = fs::File::create(target.join(format!("{}.lock", self.name)))
            .expect("create the lock file");
        lock.lock().expect("lock the venv's lock file");
        if python.is_file() && ready(&venv.join(READY_MARKER)) {
            return python; // another process built it meanwhile
        }

        let system = std::env::var_os("PLUGINKIT_TEST_PYTHON").unwrap_or_else(|| "python3".into());
        let needs = format!(
            "this test needs Python 3.11 or later to install {} into {}; install python3 and \
             python3-venv, or set PLUGINKIT_TEST_PYTHON to an interpreter",
            self.requirements[0],
            venv.display()
        );
        match Command::new(&system).arg("--version").output() {
            Ok(out) if out.status.success() => {}
            Ok(out) => panic!(
                "`{} --version` failed ({}): {needs}",
                system.to_string_lossy(),
                out.status
            ),
            Err(e) => panic!("cannot run `{}` ({e}): {needs}", system.to_string_lossy()),
        }
        eprintln!(
            "building {} with {} (once)",
            venv.display(),
            self.requirements.join(" ")
        );
        if venv.exists() {
            fs::remove_dir_all(&venv).expect("remove the half-built venv");
        }
        must_run(
            Command::new(&system).args(["-m", "venv"]).arg(&venv),
            "python3 -m venv (on Debian and Ubuntu: apt-get install python3-venv)",
        );
        let mut pip = Command::new(&python);
        pip.args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
        ]);
        if self.no_deps {
            pip.arg("--no-deps");
        }
        must_run(
            pip.args(self.requirements),
            "pip install (PyPI must be reachable)",
        );
        if !self.wheels.is_empty() {
            must_run(
                Command::new(&python)
                    .args([
                        "-m",
                        "pip",
                        "download",
                        "--quiet",
                        "--disable-pip-version-check",
                    ])
                    .args(["--no-input", "--no-deps", "--only-binary=:all:", "--dest"])
                    .arg(venv.join("wheels"))
                    .args(self.wheels),
                "pip download (PyPI must be reachable)",
            );
        }
        let temp = venv.join(format!("{READY_MARKER}.tmp"));
        fs::write(&temp, &wanted).expect("write the venv marker");
        fs::rename(&temp, venv.join(READY_MARKER)).expect("write the venv marker");
        drop(lock);
        python
    }
}
