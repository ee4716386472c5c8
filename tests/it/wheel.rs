//! The `pluginkit-cli` wheel (pyproject.toml) as a Python developer gets it: built by the real
//! maturin, installed by pip into a fresh virtualenv, and run from there with no cargo on PATH,
//! as `pluginkit` and as `python -m pluginkit_cli`.
//!
//! The wheel is built from the test build's own artifacts (the same build folder, the `dev`
//! profile, no `vendored` feature), so maturin does not compile the dependencies a second time;
//! the wheels on PyPI are built by .github/workflows/wheels.yml.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use crate::support::venvs::{PACKAGING, must_run};
use crate::support::{TestContext, native_plugin, write};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => repo().join(dir),
        _ => repo().join("target"),
    }
}

/// The wheel of this checkout, built once per test process into `target/wheel/` (a lock file
/// keeps concurrent test processes from building it at the same time).
pub fn wheel() -> &'static Path {
    static WHEEL: OnceLock<PathBuf> = OnceLock::new();
    WHEEL.get_or_init(|| {
        let target = target_dir();
        let out = target.join("wheel");
        std::fs::create_dir_all(&target).expect("create the target folder");
        let lock = std::fs::File::create(target.join("wheel.lock")).expect("create the lock file");
        lock.lock().expect("lock the wheel's lock file");
        if out.exists() {
            std::fs::remove_dir_all(&out).expect("remove the last wheel");
        }
        let maturin = PACKAGING.bin().join("maturin");
        let started = Instant::now();
        must_run(
            Command::new(maturin)
                .current_dir(repo())
                .args(["build", "--profile", "dev", "--locked", "--quiet"])
                // pyproject.toml's features are `vendored` (OpenSSL compiled in, for PyPI's
                // manylinux wheels): any feature named here replaces them, and `default` is the
                // set the test build has, so its artifacts are reused.
                .args(["--features", "default"])
                // A wheel for this machine only: the manylinux audit would refuse the system
                // libssl that a build without `vendored` links.
                .args(["--compatibility", "linux", "--auditwheel", "skip"])
                // The test build's intermediate artifacts (cargo's build-dir, stable since cargo
                // 1.91), but the finished binary put elsewhere: cargo must not replace
                // target/debug/pluginkit, which the other tests are running, with this build's.
                .env("CARGO_BUILD_BUILD_DIR", &target)
                .arg("--target-dir")
                .arg(target.join("wheel-cargo"))
                .arg("--out")
                .arg(&out),
            "maturin build",
        );
        eprintln!("maturin built the wheel in {:.1?}", started.elapsed());
        let wheels: Vec<PathBuf> = std::fs::read_dir(&out)
            .expect("maturin wrote its output folder")
            .map(|entry| entry.expect("read the output folder").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "whl"))
            .collect();
        assert_eq!(wheels.len(), 1, "one wheel: {wheels:?}");
        wheels.into_iter().next().expect("one wheel")
    })
}

/// PATH without the folders that hold cargo or rustc: what a Python developer's machine has.
pub fn path_without_cargo(first: &Path) -> OsString {
    let system = std::env::var_os("PATH").unwrap_or_default();
    let kept = std::env::split_paths(&system)
        .filter(|dir| !dir.join("cargo").exists() && !dir.join("rustc").exists());
    let path =
        std::env::join_paths(std::iter::once(first.to_path_buf()).chain(kept)).expect("PATH");
    for dir in std::env::split_paths(&path) {
        assert!(!dir.join("cargo").exists(), "cargo is in {}", dir.display());
    }
    path
}

/// A fresh virtualenv in `dir` with the wheel installed, by pip from the file (no index).
fn venv_with_the_wheel(dir: &Path) -> PathBuf {
    let venv = dir.join("venv");
    must_run(
        Command::new(PACKAGING.python())
            .args(["-m", "venv"])
            .arg(&venv),
        "python -m venv",
    );
    must_run(
        Command::new(venv.join("bin/python"))
            .args(["-m", "pip", "install", "--quiet", "--no-index"])
            .args(["--disable-pip-version-check", "--no-input"])
            .arg(wheel()),
        "pip install the wheel",
    );
    venv
}

#[test]
fn the_wheel_installs_a_pluginkit_command_that_runs_without_cargo() {
    let name = wheel().file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("pluginkit_cli-{VERSION}-py3-none-")),
        "the distribution is pluginkit-cli at Cargo.toml's version: {name}"
    );

    let context = TestContext::new();
    let venv = venv_with_the_wheel(context.home());
    let bin = venv.join("bin");
    let path = path_without_cargo(&bin);
    let pluginkit = bin.join("pluginkit");
    assert!(pluginkit.is_file(), "the wheel installs bin/pluginkit");

    let run = |args: &[&str]| {
        context
            .pluginkit()
            .binary(&pluginkit)
            .env("PATH", &path)
            .args(args)
            .run()
    };
    let (code, stdout, stderr) = run(&["--version"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), format!("pluginkit {VERSION}"));

    write(context.root(), "pluginkit.toml", "[host]\n");
    native_plugin(&context.path("plugins"), "good", "");
    let bad = native_plugin(&context.path("plugins"), "bad", "");
    let manifest = std::fs::read_to_string(bad.join("plugin.toml")).unwrap();
    write(
        &bad,
        "plugin.toml",
        &manifest.replace("version = \"1.0.0\"", "version = \"1.0\""),
    );
    let (code, stdout, stderr) = run(&["validate", "plugins/good"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1 plugin checked"), "{stdout}");
    let (code, stdout, stderr) = run(&["validate", "plugins/bad"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let shown = format!("{stdout}{stderr}");
    assert!(shown.contains("error[PK0203]"), "{shown}");
    assert!(shown.contains("plugins/bad/plugin.toml:3:11"), "{shown}");
}

#[test]
fn python_dash_m_pluginkit_cli_runs_the_installed_binary() {
    let context = TestContext::new();
    let venv = venv_with_the_wheel(context.home());
    let path = path_without_cargo(&venv.join("bin"));
    let python = |args: &[&str]| {
        let output = Command::new(venv.join("bin/python"))
            .args(["-m", "pluginkit_cli"])
            .args(args)
            .current_dir(context.root())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0")
            .output()
            .expect("run python -m pluginkit_cli");
        (
            output.status.code().expect("an exit code"),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = python(&["--version"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), format!("pluginkit {VERSION}"));

    // The binary's exit code comes through: 2 for bad usage.
    let (code, _, stderr) = python(&["validate", "--no-such-option"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--no-such-option"), "{stderr}");
}
