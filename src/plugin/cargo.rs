//! Asking cargo about a crate plugin. A crate may inherit fields from its workspace
//! (`version.workspace = true`); where the workspace is and what it says are cargo's rules
//! (discovery upwards, `package.workspace`, `[workspace] exclude`, path rebasing), so pluginkit
//! asks `cargo metadata` rather than re-implementing them. It runs only for crates that inherit
//! a field pluginkit needs, and one run describes every member of a workspace, so a plugins
//! folder that is one workspace costs about one run however many plugins it holds.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cargo_metadata::{MetadataCommand, Package};

/// How to run cargo, and the packages it has described so far; shared by every read of one
/// command (clones share the answers).
#[derive(Debug, Default, Clone)]
pub struct Cargo {
    /// The cargo program; `None` never runs cargo (as if it were not installed).
    program: Option<PathBuf>,
    /// Packages cargo described, by the manifest path it gave for them.
    known: Arc<Mutex<HashMap<PathBuf, Arc<Package>>>>,
}

/// Why cargo could not resolve a crate's manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unresolved {
    /// The crate is not a folder on disk (a package read in place), so cargo cannot read it.
    NotOnDisk,
    /// There is no cargo to run; the program that was looked for.
    NoCargo(String),
    /// cargo ran and failed; the gist of what it said.
    Failed(String),
}

impl Cargo {
    /// Run `program` (e.g. `cargo`, found on PATH) when a crate needs resolving.
    pub(crate) fn new(program: Option<PathBuf>) -> Self {
        Cargo {
            program,
            known: Arc::default(),
        }
    }

    /// The package whose manifest is `manifest`, as cargo resolves it.
    pub(crate) fn package(&self, manifest: &Path) -> Result<Arc<Package>, Unresolved> {
        if let Some(known) = self.lookup(manifest) {
            return Ok(known);
        }
        let Some(program) = &self.program else {
            return Err(Unresolved::NoCargo("cargo".into()));
        };
        let metadata = MetadataCommand::new()
            .cargo_path(program)
            .manifest_path(manifest)
            .no_deps()
            // Describing local manifests needs no network; never let a misconfigured cargo go
            // looking for one.
            .other_options(vec!["--offline".to_owned()])
            // A workspace's rust-toolchain.toml must not make rustup download a toolchain just
            // so pluginkit can read a version (rustup >= 1.28; ignored by other cargos).
            .env("RUSTUP_AUTO_INSTALL", "0")
            .exec()
            .map_err(|error| match error {
                cargo_metadata::Error::Io(e) if e.kind() == io::ErrorKind::NotFound => {
                    Unresolved::NoCargo(program.display().to_string())
                }
                cargo_metadata::Error::CargoMetadata { stderr } => {
                    Unresolved::Failed(gist(&stderr))
                }
                other => Unresolved::Failed(other.to_string()),
            })?;
        let mut known = self
            .known
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for package in metadata.packages {
            known.insert(package.manifest_path.clone().into(), Arc::new(package));
        }
        drop(known);
        self.lookup(manifest).ok_or_else(|| {
            Unresolved::Failed(format!(
                "`cargo metadata` does not describe the package at {}",
                manifest.display()
            ))
        })
    }

    /// A package cargo described before, by its manifest path as given or as the file system
    /// resolves it (cargo may report the path with links resolved).
    fn lookup(&self, manifest: &Path) -> Option<Arc<Package>> {
        let known = self
            .known
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if known.is_empty() {
            return None;
        }
        known.get(manifest).cloned().or_else(|| {
            let real = manifest.canonicalize().ok()?;
            known.get(&real).cloned()
        })
    }
}

/// What cargo's error output says, in one line: its first `error:` line, and the last cause
/// when it lists causes (cargo's own explanation is usually the last one).
fn gist(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let first = lines
        .iter()
        .find_map(|l| l.strip_prefix("error:"))
        .map(str::trim)
        .or_else(|| lines.first().copied())
        .unwrap_or("it gave no reason");
    let cause = lines
        .iter()
        .position(|l| *l == "Caused by:")
        .and_then(|at| lines.last().filter(|_| at + 1 < lines.len()))
        .copied();
    match cause {
        Some(cause) if cause != first => format!("{first}: {cause}"),
        _ => first.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gist_takes_the_error_and_its_last_cause() {
        let stderr = "error: failed to load manifest for workspace member `/w/plugins/hello`\n\
                      referenced by workspace at `/w/Cargo.toml`\n\nCaused by:\n  \
                      failed to parse manifest at `/w/plugins/hello/Cargo.toml`\n\nCaused by:\n  \
                      error inheriting `version` from workspace root manifest's `workspace.package.version`\n";
        assert_eq!(
            gist(stderr),
            "failed to load manifest for workspace member `/w/plugins/hello`: error inheriting \
             `version` from workspace root manifest's `workspace.package.version`"
        );
        assert_eq!(gist("error: no such file\n"), "no such file");
        assert_eq!(gist(""), "it gave no reason");
    }

    #[test]
    fn without_a_program_nothing_runs() {
        let cargo = Cargo::default();
        assert_eq!(
            cargo.package(Path::new("/nonexistent/Cargo.toml")).err(),
            Some(Unresolved::NoCargo("cargo".into()))
        );
    }
}
