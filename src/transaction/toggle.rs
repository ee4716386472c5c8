//! Switching a plugin on or off with its marker files, so that a run killed at any point leaves
//! the old state or the new one, and the next run tidies what it left.
//!
//! `DISABLED` wins over `ENABLED`, so the effective state flips in exactly one step: `enable`
//! writes `ENABLED` and then removes `DISABLED` (the removal is the flip), `disable` writes
//! `DISABLED` (the flip) and then removes `ENABLED`. A killed run can leave both markers, which
//! reads as disabled either way (the old state of an `enable`, the new one of a `disable`), and
//! the temporary file of the marker's atomic write. While it switches, a run holds a
//! [`Claim`] on `.pluginkit-toggle-FOLDER` in the plugins folder; recovery tidies the plugin of
//! a claim nobody holds: the temporary files go, and of two markers `ENABLED` goes, which
//! changes nothing a host reads.
//!
//! A FastCMS plugin is switched by renaming its folder, a class-based one by moving it into
//! `.pluginkit/disabled/` and back ([`rename`]), under the same claim.
//!
//! The steps, as the crash tests name them: `toggle-claimed` (nothing written yet),
//! `toggle-writing` (the wanted marker's temporary file made, not yet renamed into place: only
//! when the marker is missing), `toggle-marked` (the wanted marker is there), `toggle-unmarked` (the other one is gone, the
//! claim not yet).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::host::HostDirs;
use crate::host::state;
use crate::host::switch::{fastcms_rename, moved_out};
use crate::plugin::state::{DISABLED_FILE, ENABLED_FILE, State};
use crate::transaction::Context;
use crate::transaction::claim::Claim;
use crate::util::atomic::{WRITE_PREFIX, sync_dir, temp_file};

/// How the claims on plugins being switched are named in the plugins folder, before the
/// plugin's folder name (dotted, so never a plugin's).
pub(crate) const CLAIM_PREFIX: &str = ".pluginkit-toggle-";

/// The claim on switching the plugin in `folder`.
fn claim_path(folder: &Path) -> Option<PathBuf> {
    let name = folder.file_name()?;
    let mut claim = std::ffi::OsString::from(CLAIM_PREFIX);
    claim.push(name);
    Some(folder.with_file_name(claim))
}

/// Switch the plugin in `folder` to `state`: its own marker written, then the other removed.
/// Returns whether anything changed.
pub(crate) fn set_state(cx: &Context, folder: &Path, state: State) -> io::Result<bool> {
    let (wanted, other) = match state {
        State::Enabled => (ENABLED_FILE, DISABLED_FILE),
        State::Disabled => (DISABLED_FILE, ENABLED_FILE),
    };
    let claim = match claim_path(folder) {
        Some(path) => Some(Claim::acquire(&path)?),
        None => None,
    };
    // The temporary files a killed switch of this plugin left, now that no one else switches
    // it (two markers are made one by the switch itself).
    sweep_writes(folder);
    cx.checkpoint("toggle-claimed");
    let mut changed = false;
    let wanted_path = folder.join(wanted);
    if fs::symlink_metadata(&wanted_path).is_err() {
        // An empty file, written as every record is: a temporary file renamed into place, so
        // that a killed run leaves the temporary file (swept with the claim), never a marker
        // that is there for one reader and not another.
        let temp = temp_file(folder, WRITE_PREFIX)?;
        cx.checkpoint("toggle-writing");
        temp.as_file().sync_all()?;
        temp.persist(&wanted_path).map_err(|e| e.error)?;
        sync_dir(folder);
        changed = true;
    }
    cx.checkpoint("toggle-marked");
    match fs::remove_file(folder.join(other)) {
        Ok(()) => changed = true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    cx.checkpoint("toggle-unmarked");
    if let Some(claim) = claim {
        claim.remove();
    }
    Ok(changed)
}

/// Switch a plugin by moving its folder from `from` to `to` (FastCMS: `plugins/NAME` and
/// `plugins/_NAME`; the class-based pattern: `plugins/NAME` and `.pluginkit/disabled/NAME`),
/// under the claim on `name`: one rename, so a killed run leaves it in one place or the other,
/// and recovery only removes the claim. Refused when `to` exists (`both` says which of the two
/// the host loads), when the plugin would move into the state folder through a link or as one,
/// and when the two are on different file systems (never copied). The steps, as the crash tests
/// name them: `toggle-claimed` (nothing moved yet), `toggle-renamed` (moved, the claim not yet
/// removed).
pub(crate) fn rename(
    cx: &Context,
    name: &str,
    from: &Path,
    to: &Path,
    both: &str,
) -> io::Result<()> {
    let claim = Claim::acquire(&cx.dirs.plugins.join(format!("{CLAIM_PREFIX}{name}")))?;
    cx.checkpoint("toggle-claimed");
    let moved = (|| {
        if fs::symlink_metadata(to).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} is there too: remove one of {} and {} ({both})",
                    to.display(),
                    from.display(),
                    to.display()
                ),
            ));
        }
        if moved_out::is_moved(to) {
            moved_out::refuse_link(from, name)?;
            state::ensure_dir(&cx.dirs.state, &moved_out::dir(&cx.dirs.state))?;
        }
        move_folder(from, to)
    })();
    if let Err(e) = moved {
        claim.remove();
        return Err(e);
    }
    cx.checkpoint("toggle-renamed");
    claim.remove();
    Ok(())
}

/// Rename `from` to `to` and make it last; a move across file systems is refused, said as what
/// to do.
fn move_folder(from: &Path, to: &Path) -> io::Result<()> {
    match fs::rename(from, to) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::CrossesDevices => {
            return Err(moved_out::cross_device(from, to));
        }
        Err(e) => return Err(e),
    }
    for dir in [from.parent(), to.parent()].into_iter().flatten() {
        sync_dir(dir);
    }
    Ok(())
}

/// What the claim on a FastCMS plugin says while an install or removal works on it brought
/// back from `_NAME/` to `NAME/`: it is to end switched off.
const SWITCH_OFF: &str = "switch off: rename to _NAME";

/// What the claim on a class-based plugin says while an install or removal works on it brought
/// back from `.pluginkit/disabled/NAME/` to the plugins folder: it is to end moved out again.
const MOVE_OUT: &str = "switch off: move to .pluginkit/disabled/NAME";

/// A plugin switched off (FastCMS's `_NAME/`, or a class-based plugin in
/// `.pluginkit/disabled/NAME/`) brought back to `NAME/` in the plugins folder for an install
/// or a removal to work on, under the claim on `name`, which records that it is to be switched
/// off again. [`restore`](Self::restore) (or dropping it) moves `NAME/` back, if it is there;
/// after a killed run, recovery does (after the journal's own recovery has finished or undone
/// the install), so an install into a switched-off plugin leaves it switched off, old or new.
pub(crate) struct SwitchedOn {
    claim: Option<Claim>,
    on: PathBuf,
    off: PathBuf,
    state: PathBuf,
}

/// Bring the switched-off plugin `name`, now in `off` (`_NAME/`, or
/// `.pluginkit/disabled/NAME/`), back to `NAME/` in the plugins folder for a change; see
/// [`SwitchedOn`].
pub(crate) fn switch_on_for_change(cx: &Context, name: &str, off: &Path) -> io::Result<SwitchedOn> {
    let plugins = &cx.dirs.plugins;
    let claim = claim_to_switch_off(cx, name, off)?;
    cx.checkpoint("toggle-claimed");
    let on = plugins.join(name);
    move_folder(off, &on)?;
    cx.checkpoint("toggle-renamed");
    Ok(SwitchedOn {
        claim: Some(claim),
        on,
        off: off.to_path_buf(),
        state: cx.dirs.state.clone(),
    })
}

/// Claim `name` for an install that is to end switched off in `off` (`_NAME/`, or
/// `.pluginkit/disabled/NAME/`) where nothing of that name is installed yet: the claim says so
/// before the install starts, so that a run killed after the install is committed leaves the
/// next run to switch it off, and one killed before leaves nothing to switch. See
/// [`SwitchedOn`].
pub(crate) fn switch_off_after_install(
    cx: &Context,
    name: &str,
    off: &Path,
) -> io::Result<SwitchedOn> {
    Ok(SwitchedOn {
        claim: Some(claim_to_switch_off(cx, name, off)?),
        on: cx.dirs.plugins.join(name),
        off: off.to_path_buf(),
        state: cx.dirs.state.clone(),
    })
}

/// The claim on `name`, saying that it is to end switched off in `off`: what recovery acts on.
fn claim_to_switch_off(cx: &Context, name: &str, off: &Path) -> io::Result<Claim> {
    let mut claim = Claim::acquire(&cx.dirs.plugins.join(format!("{CLAIM_PREFIX}{name}")))?;
    claim.note(if moved_out::is_moved(off) {
        MOVE_OUT
    } else {
        SWITCH_OFF
    })?;
    Ok(claim)
}

impl SwitchedOn {
    /// Switch the plugin off again (when it is still there), and release the claim.
    pub(crate) fn restore(mut self) -> io::Result<()> {
        self.switch_off()
    }

    fn switch_off(&mut self) -> io::Result<()> {
        let Some(claim) = self.claim.take() else {
            return Ok(());
        };
        switch_off(&self.state, &self.on, &self.off)?;
        claim.remove();
        Ok(())
    }
}

impl Drop for SwitchedOn {
    fn drop(&mut self) {
        // On an error path: put it back as it was asked to stay. A failure here leaves the
        // claim, which the next run's recovery acts on.
        let _ = self.switch_off();
    }
}

/// Move `on` to `off` when `on` is there and `off` is not (into `.pluginkit/disabled/` only
/// through real folders).
fn switch_off(state_dir: &Path, on: &Path, off: &Path) -> io::Result<bool> {
    if fs::symlink_metadata(on).is_err() || fs::symlink_metadata(off).is_ok() {
        return Ok(false);
    }
    if moved_out::is_moved(off) {
        state::ensure_dir(state_dir, &moved_out::dir(state_dir))?;
    }
    move_folder(on, off)?;
    Ok(true)
}

/// Tidy every plugin in the plugins folder whose switch a killed run left (its claim held by
/// no one); returns their folders' names.
pub(crate) fn recover(dirs: &HostDirs) -> Vec<String> {
    let plugins = &dirs.plugins;
    let Ok(entries) = fs::read_dir(plugins) else {
        return Vec::new();
    };
    let mut tidied = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(name) = file_name.strip_prefix(CLAIM_PREFIX) else {
            continue;
        };
        let Ok(Some(claim)) = Claim::abandoned(&entry.path()) else {
            continue;
        };
        let folder = plugins.join(name);
        match claim.read_note().as_str() {
            // A killed install or removal of a switched-off plugin: off again.
            SWITCH_OFF => {
                let off = plugins.join(fastcms_rename::disabled_folder(name));
                let _ = switch_off(&dirs.state, &folder, &off);
            }
            MOVE_OUT => {
                let off = moved_out::dir(&dirs.state).join(name);
                let _ = switch_off(&dirs.state, &folder, &off);
            }
            _ if folder.is_dir() => tidy(&folder),
            _ => {}
        }
        claim.remove();
        tidied.push(name.to_owned());
    }
    tidied.sort();
    tidied
}

/// Remove what a killed switch can leave in `folder`: the temporary files of the marker's
/// atomic write, and `ENABLED` beside `DISABLED` (which wins anyway).
fn tidy(folder: &Path) {
    sweep_writes(folder);
    if folder.join(DISABLED_FILE).exists() {
        let _ = fs::remove_file(folder.join(ENABLED_FILE));
    }
}

/// How versions before the claims named a marker's temporary file; none is made now, so one
/// found is what a killed switch of such a version left, swept with this version's.
const EARLIER_PREFIX: &str = ".pluginkit-marker-";

/// Remove the temporary files of atomic writes in `folder` (and those an earlier version's
/// killed switch left).
fn sweep_writes(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_file && (name.starts_with(WRITE_PREFIX) || name.starts_with(EARLIER_PREFIX)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::state::{StateSource, effective};

    fn context(root: &Path) -> Context {
        Context {
            dirs: HostDirs {
                root: root.to_path_buf(),
                plugins: root.join("plugins"),
                state: root.join(".pluginkit"),
            },
            pause_at: None,
            records: Default::default(),
            keep_backups: crate::host::config::DEFAULT_KEEP_BACKUPS,
        }
    }

    #[test]
    fn markers_follow_flask_pluginkit_precedence() {
        let dir = tempfile::tempdir().unwrap();
        let cx = context(dir.path());
        let folder = dir.path().join("plugins/hello");
        fs::create_dir_all(&folder).unwrap();
        assert_eq!(effective(&folder, None).source, StateSource::Default);
        assert!(set_state(&cx, &folder, State::Enabled).unwrap());
        assert_eq!(
            effective(&folder, Some(State::Disabled)).source,
            StateSource::EnabledFile
        );
        assert!(!set_state(&cx, &folder, State::Enabled).unwrap());
        fs::write(folder.join(DISABLED_FILE), "").unwrap();
        assert_eq!(effective(&folder, None).source, StateSource::DisabledFile);
        assert!(set_state(&cx, &folder, State::Disabled).unwrap());
        assert!(!folder.join(ENABLED_FILE).exists());
        assert!(!set_state(&cx, &folder, State::Disabled).unwrap());
        let left: Vec<_> = fs::read_dir(dir.path().join("plugins"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["hello"], "the claim is removed");
    }

    #[test]
    fn what_a_killed_switch_left_is_tidied_without_changing_the_state() {
        let dir = tempfile::tempdir().unwrap();
        let plugins = dir.path().join("plugins");
        let folder = plugins.join("hello");
        fs::create_dir_all(&folder).unwrap();
        // An `enable` killed between its two steps, inside a second marker's write.
        fs::write(folder.join(DISABLED_FILE), "").unwrap();
        fs::write(folder.join(ENABLED_FILE), "").unwrap();
        fs::write(folder.join(format!("{WRITE_PREFIX}abc")), "").unwrap();
        fs::write(plugins.join(format!("{CLAIM_PREFIX}hello")), "").unwrap();
        assert_eq!(recover(&context(dir.path()).dirs), ["hello"]);
        assert_eq!(effective(&folder, None).state, State::Disabled);
        let mut left: Vec<_> = fs::read_dir(&plugins)
            .unwrap()
            .chain(fs::read_dir(&folder).unwrap())
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [DISABLED_FILE, "hello"]);
        // A switch in progress is left alone.
        let held = Claim::acquire(&plugins.join(format!("{CLAIM_PREFIX}hello"))).unwrap();
        assert!(recover(&context(dir.path()).dirs).is_empty());
        held.remove();
    }
}
