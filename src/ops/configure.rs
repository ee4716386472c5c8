//! `--configure` (`add`, `sync`, `upgrade`): a plugin's settings from its `.env.example` into
//! the host's settings file, once. FBA reads its settings, a plugin's among them, from
//! `backend/.env` (backend/core/conf.py: `env_file=ENV_FILE_PATH`, backend/core/path_conf.py:
//! `BASE_PATH / '.env'`), and its own installer appends a plugin's whole `.env.example` to that
//! file on every install (backend/plugin/installer.py `_append_env_example`, FBA 2e86d79), so a
//! reinstall or upgrade repeats every key. Here only the keys `backend/.env` lacks are appended,
//! under a comment line naming the plugin; the keys it has are left as they are, and named.
//!
//! Both files are read as FBA reads them ([`crate::host::env_file`]). `backend/.env` keeps its
//! bytes, line endings, mode and owner: the new lines are added at its end, in its line ending,
//! and the file is replaced atomically. When it does not exist yet, it starts as a copy of
//! `backend/.env.example`, as FBA's first start makes it (`get_settings` copies it).
//!
//! The write happens under the host lock just before the plugins are committed, so that a file
//! that cannot be read or written refuses the change with nothing installed; should the install
//! then fail, the file's old bytes are put back. Without `--configure`, an FBA host is told once
//! per plugin which settings its `.env.example` has that `backend/.env` lacks. Other hosts read
//! no plugin settings from an env file: FastCMS keeps them in its database (`plugin_settings`),
//! Flask-PluginKit and the class-based pattern in the Flask app's config; `--configure` says so.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::host::env_file;
use crate::host::switch::fba_redis::DOTENV;
use crate::ops::install::Staged;
use crate::output::Printer;
use crate::plugin::host::HostKind;
use crate::settings::Settings;
use crate::util::{atomic, read};

/// A plugin's example settings file.
const EXAMPLE: &str = ".env.example";

/// FBA's own example, which its first start copies to `backend/.env`.
const HOST_EXAMPLE: &str = "backend/.env.example";

/// The most of an env file that is read: far more than any settings file.
const CAP: u64 = 1 << 20;

/// What `--configure` will do to the host's env file around a commit.
pub(crate) struct EnvChange<'a> {
    printer: &'a Printer,
    /// The file to write (where a link inside the host leads), its bytes before, and after.
    write: Option<Write>,
    /// What to say once the plugins are committed.
    notes: Vec<String>,
}

struct Write {
    path: PathBuf,
    before: Option<Vec<u8>>,
    after: Vec<u8>,
}

/// Work out, before the plugins `staged` are committed, what `--configure` (`configure`) adds
/// to the host's env file, or (without it, in an FBA host) what to tell about it. Nothing is
/// written yet; an env file that cannot be read, or leads out of the host, is an error.
pub(crate) fn prepare<'a, 's>(
    settings: &Settings,
    printer: &'a Printer,
    configure: bool,
    staged: impl IntoIterator<Item = &'s Staged>,
) -> Result<EnvChange<'a>, Error> {
    let mut change = EnvChange {
        printer,
        write: None,
        notes: Vec::new(),
    };
    let kind = settings.host.kind.as_ref().map(|k| k.value);
    if kind != Some(HostKind::Fba) {
        if configure {
            change.notes.push(format!(
                "--configure has nothing to do here: {}",
                match kind {
                    Some(HostKind::Fastcms) =>
                        "FastCMS keeps plugin settings in its database (its plugin_settings table, edited in its admin), not in an env file",
                    Some(HostKind::FlaskPluginkit) =>
                        "Flask-PluginKit plugins read the Flask app's config, not an env file",
                    Some(HostKind::ClassBased) =>
                        "class-based plugins read the Flask app's config, not an env file",
                    Some(HostKind::Fba) | None =>
                        "only an FBA host reads plugin settings from an env file (backend/.env), and this host is not one",
                }
            ));
        }
        return Ok(change);
    }
    let examples: Vec<(String, String)> = staged
        .into_iter()
        .filter_map(|s| example_of(settings, printer, s).map(|text| (s.name().to_owned(), text)))
        .collect();
    if examples.is_empty() {
        return Ok(change);
    }
    let root = &settings.host.root;
    let read = read_host_env(root, configure);
    let (target, before, text, created_from) = match read {
        Ok(read) => read,
        // Without --configure nothing is written: a file that cannot be read only goes untold.
        Err(_) if !configure => return Ok(change),
        Err(e) => return Err(e),
    };
    let base = text.as_bytes().to_vec();
    let mut have: Vec<String> = env_file::parse(&text).into_iter().map(|b| b.key).collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut after = base;
    let mut added = false;
    for (name, example) in &examples {
        let plugins = settings.display(&settings.plugins_dir.join(name));
        let mut bindings = env_file::parse(example);
        // A key the example gives twice is added once, as python-dotenv keeps it: the last.
        let mut i = 0;
        while i < bindings.len() {
            if bindings[i + 1..].iter().any(|b| b.key == bindings[i].key) {
                bindings.remove(i);
            } else {
                i += 1;
            }
        }
        let (kept, missing): (Vec<_>, Vec<_>) =
            bindings.into_iter().partition(|b| have.contains(&b.key));
        let keys = |list: &[env_file::Binding]| {
            list.iter()
                .map(|b| b.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !configure {
            if !missing.is_empty() {
                change.notes.push(format!(
                    "{name} has settings in {plugins}/{EXAMPLE} that {DOTENV} lacks: {}; FBA reads them from {DOTENV}: add them there, or install with `--configure`, which adds the missing ones",
                    keys(&missing)
                ));
            }
            continue;
        }
        if !missing.is_empty() {
            if !after.is_empty() && !after.ends_with(b"\n") && !after.ends_with(b"\r") {
                after.extend_from_slice(newline.as_bytes());
            }
            let mut lines = vec![format!(
                "# {name}: added by pluginkit from {plugins}/{EXAMPLE}"
            )];
            lines.extend(missing.iter().map(|b| b.text.clone()));
            for line in lines {
                after.extend_from_slice(line.as_bytes());
                after.extend_from_slice(newline.as_bytes());
            }
            have.extend(missing.iter().map(|b| b.key.clone()));
            added = true;
            change.notes.push(format!(
                "{name}: added to {DOTENV} from its {EXAMPLE}: {}",
                keys(&missing)
            ));
        }
        if !kept.is_empty() {
            change.notes.push(format!(
                "{name}: {DOTENV} has {} already, left as {}",
                keys(&kept),
                if kept.len() == 1 { "it is" } else { "they are" }
            ));
        }
    }
    if configure && added {
        if let Some(from) = created_from {
            change.notes.insert(
                0,
                format!("{DOTENV} did not exist: made from {from}, as FBA's first start makes it"),
            );
        }
        change.write = Some(Write {
            path: target,
            before,
            after,
        });
    }
    Ok(change)
}

impl EnvChange<'_> {
    /// Write the env file, run `commit`, and put the file back as it was if `commit` fails;
    /// then say what was done. A failure to write the file leaves `commit` unrun.
    pub(crate) fn around<T>(self, commit: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        if let Some(write) = &self.write {
            atomic::write_atomically(&write.path, &write.after).map_err(|e| {
                Error::caused_hint(
                    format!("cannot write {DOTENV}"),
                    format!(
                        "make {DOTENV} writable, or leave out --configure; nothing was installed"
                    ),
                    e,
                )
            })?;
        }
        let committed = commit();
        if committed.is_err()
            && let Some(write) = &self.write
        {
            let undone = match &write.before {
                Some(bytes) => atomic::write_atomically(&write.path, bytes),
                None => std::fs::remove_file(&write.path),
            };
            if let Err(e) = undone {
                self.printer.warn(format!(
                    "the install failed, and {DOTENV} could not be put back as it was ({e}): remove the lines pluginkit added at its end"
                ));
            }
            return committed;
        }
        for note in &self.notes {
            self.printer.note(note);
        }
        committed
    }
}

/// The text of the staged plugin's `.env.example`, when it has one that can be read (one that
/// cannot is said and passed over: the plugin installs without it, as FBA's would).
fn example_of(settings: &Settings, printer: &Printer, staged: &Staged) -> Option<String> {
    let shown = || settings.display(&settings.plugins_dir.join(staged.name()).join(EXAMPLE));
    match read::read_regular_text(&staged.dir().join(EXAMPLE), CAP) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => None,
        Err(e) => {
            printer.warn(format!("{} is not read: {e}", shown()));
            None
        }
    }
}

/// What the host's env file holds: where it is written (through a link inside the host; with
/// `checked`, one out of it refused), its bytes, their text, and, when it does not exist yet,
/// the file it starts as a copy of.
type HostEnv = (PathBuf, Option<Vec<u8>>, String, Option<&'static str>);

/// Read the host's env file ([`HostEnv`]).
fn read_host_env(root: &Path, checked: bool) -> Result<HostEnv, Error> {
    let env_path = root.join(DOTENV);
    let target = if checked {
        inside_host(root, &env_path)?
    } else {
        env_path
    };
    let (before, base, created_from) = match read_env(&target) {
        Ok(bytes) => (Some(bytes.clone()), bytes, None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match read_env(&root.join(HOST_EXAMPLE)) {
                Ok(bytes) => (None, bytes, Some(HOST_EXAMPLE)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, Vec::new(), None),
                Err(e) => return Err(unreadable(HOST_EXAMPLE, e)),
            }
        }
        Err(e) => return Err(unreadable(DOTENV, e)),
    };
    let text = String::from_utf8(base).map_err(|_| {
        Error::user_hint(
            format!(
                "cannot read {}: it is not UTF-8 text, which FBA reads it as",
                created_from.unwrap_or(DOTENV)
            ),
            "save it as UTF-8, or leave out --configure; nothing was installed",
        )
    })?;
    Ok((target, before, text, created_from))
}

/// The bytes of an env file (a regular file, through links).
fn read_env(path: &Path) -> std::io::Result<Vec<u8>> {
    read::read_regular_file(path, CAP)
}

fn unreadable(shown: &str, e: std::io::Error) -> Error {
    Error::caused_hint(
        format!("cannot read {shown}"),
        format!(
            "make {shown} a readable text file, or leave out --configure; nothing was installed"
        ),
        e,
    )
}

/// Where the env file at `path` is written: through a link that stays inside the host `root`;
/// a link (of it, or of a folder on its way) that leads out of the host is refused, since the
/// file there is not this host's to change.
fn inside_host(root: &Path, path: &Path) -> Result<PathBuf, Error> {
    let target = atomic::through_links(path).map_err(|e| unreadable(DOTENV, e))?;
    let real_root = root
        .canonicalize()
        .map_err(|e| Error::caused(format!("cannot read {}", root.display()), e))?;
    let real = match target.canonicalize() {
        Ok(real) => real,
        // Not there yet: where its folder really is.
        Err(_) => match (target.parent(), target.file_name()) {
            (Some(dir), Some(name)) => dir
                .canonicalize()
                .map(|dir| dir.join(name))
                .unwrap_or_else(|_| target.clone()),
            _ => target.clone(),
        },
    };
    if !real.starts_with(&real_root) {
        return Err(Error::user_hint(
            format!("{DOTENV} leads out of the host, to {}", real.display()),
            format!(
                "pluginkit changes only the host's own files: add the plugin's settings to {} yourself, or leave out --configure; nothing was installed",
                real.display()
            ),
        ));
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{ColorChoice, Verbosity};

    /// A file that cannot be written (its folder cannot be made: a file stands there) stops
    /// before the install: the commit never runs.
    #[test]
    fn a_failed_write_runs_no_commit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("backend"), "a file, not a folder").unwrap();
        let printer = Printer::new(Verbosity::Quiet, ColorChoice::Never, true);
        let change = EnvChange {
            printer: &printer,
            write: Some(Write {
                path: dir.path().join("backend/.env"),
                before: None,
                after: b"A=1\n".to_vec(),
            }),
            notes: Vec::new(),
        };
        let mut committed = false;
        let result = change.around(|| {
            committed = true;
            Ok(())
        });
        let error = result.unwrap_err();
        assert!(
            error.to_string().contains("cannot write backend/.env"),
            "{error}"
        );
        assert!(!committed);
    }
}
