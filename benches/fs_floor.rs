//! The file-system floor of `validate --flavor fba` on the benchmark's generated plugins: every
//! question a checker of FBA's rules must ask the kernel about a plugin, and nothing else: read
//! `plugin.toml`, look for `__init__.py` and `model/`, then, for an app-level plugin (`[app]
//! router`), look for `api/router.py`, and for an extend-level one list every file under `api/`
//! (FBA looks each `.py` up by its stem). The same system calls as pluginkit, in parallel on
//! every core as pluginkit does, with no parsing and no rules: no implementation of the rules
//! can be faster than this on the same machine. `benches/validate.sh` times it beside pluginkit
//! and check-jsonschema.
//!
//! Usage: `cargo bench --bench fs_floor -- PLUGINS_DIR` (prints how many plugins and files it
//! saw).

use std::path::Path;

use rayon::prelude::*;

/// Every regular file under `dir`, counted: each folder opened relative to its parent's
/// descriptor, links not followed (as pluginkit's walk).
fn files_under(dir: &Path) -> usize {
    use rustix::fs::{CWD, Dir, FileType, Mode, OFlags, openat};
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let Ok(top) = openat(CWD, dir, flags, Mode::empty()) else {
        return 0;
    };
    let (mut stack, mut files) = (vec![top], 0);
    while let Some(fd) = stack.pop() {
        let Ok(mut entries) = Dir::new(fd) else {
            continue;
        };
        while let Some(Ok(entry)) = entries.read() {
            let name = entry.file_name();
            if matches!(name.to_bytes(), b"." | b"..") {
                continue;
            }
            match entry.file_type() {
                FileType::Directory => {
                    if let Ok(sub) = entries
                        .fd()
                        .and_then(|p| openat(p, name, flags, Mode::empty()))
                    {
                        stack.push(sub);
                    }
                }
                FileType::RegularFile => files += 1,
                _ => {}
            }
        }
    }
    files
}

fn main() {
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench --bench fs_floor -- PLUGINS_DIR");
        std::process::exit(2);
    };
    let plugins: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.filter_map(|e| Some(e.ok()?.path())).collect(),
        Err(e) => {
            eprintln!("cannot read {dir}: {e}");
            std::process::exit(1);
        }
    };
    let (seen, files) = plugins
        .par_iter()
        .map(|plugin| {
            let Ok(manifest) = std::fs::read_to_string(plugin.join("plugin.toml")) else {
                return (0, 0);
            };
            let mut files = usize::from(plugin.join("__init__.py").is_file());
            files += usize::from(plugin.join("model").is_dir());
            files += if manifest.contains("\nrouter = ") {
                usize::from(plugin.join("api/router.py").is_file())
            } else {
                files_under(&plugin.join("api"))
            };
            (1, files)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{seen} plugins, {files} files");
}
