//! What the integration tests share: the test-host harness ([`TestContext`], in context.rs),
//! which runs the real binary in a temp folder with a clean environment; writing files and
//! plugins; the FBA corpus rebuilt as real plugin folders; and, in the submodules, git
//! repositories and servers, install hosts and archives, registries, and the Flask virtualenv.

pub mod flask_venv;
pub mod git;
pub mod install;
pub mod registry;
pub mod servers_venv;
pub mod tls;

use std::path::{Path, PathBuf};

mod context;

pub use context::{Outcome, Pluginkit, Running, TestContext, pluginkit_binary};

/// Write `text` to `dir/rel`, creating folders.
pub fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A valid native plugin `name` in `plugins`.
pub fn native_plugin(plugins: &Path, name: &str, extra: &str) -> PathBuf {
    let dir = plugins.join(name);
    write(
        &dir,
        "plugin.toml",
        &format!(
            "[plugin]\nname = \"{name}\"\nversion = \"1.0.0\"\nsummary = \"The {name} plugin\"\nauthor = \"Ada <ada@example.com>\"\nlicense = \"MIT\"\n{extra}"
        ),
    );
    write(&dir, "README.md", &format!("# {name}\n"));
    dir
}

/// The corpus of real FBA manifests, `tests/fixtures/fba` (its README says where they are from).
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fba")
}

/// The six corpus plugins rebuilt as real folders under `dest`, from their SOURCE.txt:
/// every top-level entry (folders for names without a dot), the SQL files, `api/<name>.py` for
/// each `[api.<name>]`, and `api/router.py` for app-level plugins.
pub fn rebuild_fba_corpus(dest: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(corpus()).expect("the corpus is in tests/fixtures/fba") {
        let entry = entry.unwrap();
        let source = entry.path().join("SOURCE.txt");
        let manifest = entry.path().join("plugin.toml");
        if !source.is_file() || !manifest.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let dir = dest.join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        let listing = std::fs::read_to_string(&source).unwrap();
        for line in listing.lines() {
            if let Some(entries) = line.strip_prefix("top-level entries:") {
                for item in entries.split_whitespace() {
                    let from = entry.path().join(item);
                    if from.is_file() {
                        std::fs::copy(&from, dir.join(item)).unwrap();
                    } else if item.contains('.') {
                        write(&dir, item, "");
                    } else {
                        std::fs::create_dir_all(dir.join(item)).unwrap();
                    }
                }
            }
            if let Some(files) = line.strip_prefix("sql files:") {
                for file in files.split_whitespace() {
                    write(&dir, file, "-- sql\n");
                }
            }
        }
        let toml = std::fs::read_to_string(&manifest).unwrap();
        for line in toml.lines() {
            if let Some(api) = line.strip_prefix("[api.").and_then(|l| l.strip_suffix(']')) {
                write(
                    &dir,
                    &format!("api/{api}.py"),
                    "from fastapi import APIRouter\nrouter = APIRouter()\n",
                );
            }
            if line.starts_with("router") {
                write(
                    &dir,
                    "api/router.py",
                    "from fastapi import APIRouter\nv1 = APIRouter()\n",
                );
            }
        }
        names.push(name);
    }
    names.sort();
    names
}
