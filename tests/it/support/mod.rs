//! What the integration tests share: the test-host harness ([`TestContext`], in context.rs),
//! which runs the real binary in a temp folder with a clean environment; writing files and
//! plugins; the FBA corpus rebuilt as real plugin folders; and, in the submodules, git
//! repositories and servers, install hosts and archives, registries, and the Flask virtualenv.

pub mod git;
pub mod install;
pub mod pty;
pub mod redis;
pub mod registry;
pub mod tls;
pub mod venvs;

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

/// The six corpus plugins rebuilt as real folders under `dest`, in the exact shape of the real
/// plugin folder that their FILES.txt lists: the corpus's own files (plugin.toml, README.md,
/// requirements.txt) copied, every other file written minimal (an API module defines its
/// `router`, api/router.py the app-level routers, SQL scripts a comment, the rest empty).
pub fn rebuild_fba_corpus(dest: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(corpus()).expect("the corpus is in tests/fixtures/fba") {
        let entry = entry.unwrap();
        let listing = entry.path().join("FILES.txt");
        if !listing.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let dir = dest.join(&name);
        for file in std::fs::read_to_string(&listing).unwrap().lines() {
            let from = entry.path().join(file);
            let text = if from.is_file() {
                std::fs::read_to_string(&from).unwrap()
            } else if file == "api/router.py" {
                "from fastapi import APIRouter\nv1 = APIRouter()\n".to_owned()
            } else if file.starts_with("api/")
                && file.ends_with(".py")
                && !file.ends_with("__init__.py")
            {
                "from fastapi import APIRouter\nrouter = APIRouter()\n".to_owned()
            } else if file.ends_with(".sql") {
                "-- sql\n".to_owned()
            } else {
                String::new()
            };
            write(&dir, file, &text);
        }
        names.push(name);
    }
    names.sort();
    names
}
