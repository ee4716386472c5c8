//! Finishing or undoing what a killed run left: the transaction in the journal (finished when
//! the plugins folder had changed already, undone when not), the staging folders and marker
//! switches no live run claims, and the temporary files of atomic writes.

use std::fs;
use std::path::Path;

use crate::error::Error;
use crate::host::state;
use crate::host::{HostDirs, receipts};
use crate::output::Printer;
use crate::transaction::claim::Claim;
use crate::transaction::journal::{self, Journal};
use crate::transaction::staging::{CLAIM_SUFFIX, STAGING_PREFIX, claim_path};
use crate::transaction::toggle;
use crate::transaction::{
    Context, SWAP_EXTENSION, TXN_MARKER, TransactionError, finish_install, finish_remove, io_error,
    marker_is, plugins_of, remove_staging,
};
use crate::util::atomic::WRITE_PREFIX;

/// Finish or undo what a killed run left: an interrupted transaction in the journal, staging
/// folders and temporary files. Says what it did. Runs under the host lock.
pub(crate) fn recover(cx: &Context, printer: &Printer) -> Result<(), Error> {
    let dirs = &cx.dirs;
    // Ctrl-C waits for a recovery, which is a commit too.
    let _commit = crate::util::interrupt::deferred();
    let journal = load_journal(dirs)?;
    if let Some(journal) = &journal {
        let plugins = plugins_of(journal, dirs);
        let target = plugins.join(&journal.name);
        match journal.op.as_str() {
            "install" => {
                let staged = journal.staging.join(&journal.name);
                let swapped = match &journal.link {
                    Some(link) => fs::read_link(&target).is_ok_and(|t| &t == link),
                    None => {
                        let marked = |dir: &Path| marker_is(&dir.join(TXN_MARKER), &journal.txn);
                        // The marker is in the new plugin: in place, or still staged. When it
                        // is in neither, finishing had removed it already.
                        marked(&target)
                            || (!marked(&staged) && fs::symlink_metadata(&target).is_ok())
                    }
                };
                if swapped {
                    finish_install(cx, journal, None)?;
                    printer.note(format!(
                        "pluginkit: finished installing `{}`, which an interrupted run had put in place",
                        journal.name
                    ));
                } else {
                    // The two-rename swap may have parked the old plugin already.
                    let parked = staged.with_extension(SWAP_EXTENSION);
                    if fs::symlink_metadata(&target).is_err()
                        && fs::symlink_metadata(&parked).is_ok()
                    {
                        fs::rename(&parked, &target).map_err(|e| {
                            io_error(&format!("cannot put back {}", target.display()), e)
                        })?;
                    }
                    // The journal goes first: the staging folder (swept below) is what tells an
                    // unfinished swap from a finished one.
                    Journal::clear(&dirs.state)
                        .map_err(|e| io_error("cannot remove the journal", e))?;
                    remove_staging(&journal.staging);
                    printer.note(format!(
                        "pluginkit: undid an interrupted install of `{}`; the plugins folder is as it was",
                        journal.name
                    ));
                }
            }
            _ => {
                if fs::symlink_metadata(&target).is_err() {
                    finish_remove(cx, journal)?;
                    printer.note(format!(
                        "pluginkit: finished removing `{}` after an interrupted run",
                        journal.name
                    ));
                } else {
                    Journal::clear(&dirs.state)
                        .map_err(|e| io_error("cannot remove the journal", e))?;
                    remove_staging(&journal.staging);
                    printer.note(format!(
                        "pluginkit: an interrupted run had not removed `{}` yet; it is still installed",
                        journal.name
                    ));
                }
            }
        }
    }
    let left = sweep_staging(&dirs.plugins);
    if left > 0 && journal.is_none() {
        printer.note(format!(
            "pluginkit: removed {} staging folder{} that an interrupted run left; nothing had been installed from {}",
            left,
            if left == 1 { "" } else { "s" },
            if left == 1 { "it" } else { "them" },
        ));
    }
    for name in toggle::recover(dirs) {
        printer.note(format!(
            "pluginkit: tidied the state markers of `{name}`, which an interrupted enable or disable left"
        ));
    }
    sweep(&dirs.root, WRITE_PREFIX);
    // Never through a link in the state folder, which would sweep another folder.
    for dir in [dirs.state.clone(), receipts::dir(&dirs.state)] {
        if state::check_dir(&dirs.state, &dir).unwrap_or(false) {
            sweep(&dir, WRITE_PREFIX);
        }
    }
    Ok(())
}

/// The journal a killed run left, once it is known to be one pluginkit wrote for this plugins
/// folder: anything else is an error naming it, and nothing is moved or deleted.
fn load_journal(dirs: &HostDirs) -> Result<Option<Journal>, Error> {
    let path = journal::path(&dirs.state);
    let damaged = |why: String| -> Error {
        TransactionError::DamagedJournal {
            path: path.clone(),
            why,
        }
        .into()
    };
    if !state::check_dir(&dirs.state, &dirs.state)
        .map_err(|e| io_error("cannot read the journal", e))?
    {
        return Ok(None);
    }
    let journal = match Journal::load(&dirs.state) {
        Ok(journal) => journal,
        Err(e) if state::unsafe_cause(&e).is_some() => {
            return Err(io_error("cannot read the journal", e));
        }
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            return Err(damaged(format!(
                "it is not a journal pluginkit writes ({e})"
            )));
        }
        Err(e) => return Err(io_error("cannot read the journal", e)),
    };
    match journal {
        Some(journal) => match journal.refusal(&dirs.plugins) {
            Some(why) => Err(damaged(why)),
            None => Ok(Some(journal)),
        },
        None => Ok(None),
    }
}

/// Delete the staging folders in `plugins` that no live run claims, and claims left without
/// their folder; returns how many staging folders (or lone claims) were deleted.
fn sweep_staging(plugins: &Path) -> usize {
    let Ok(entries) = fs::read_dir(plugins) else {
        return 0;
    };
    let mut count = 0;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(STAGING_PREFIX) {
            continue;
        }
        let path = entry.path();
        let (dir, claim_file) = match name.strip_suffix(CLAIM_SUFFIX) {
            // A claim: swept here only when its folder is gone, else with its folder.
            Some(dir_name) => {
                let dir = plugins.join(dir_name);
                // Swept with its folder already, or to be.
                if fs::symlink_metadata(&dir).is_ok() || fs::symlink_metadata(&path).is_err() {
                    continue;
                }
                (dir, path)
            }
            None => {
                let claim_file = claim_path(&path);
                (path, claim_file)
            }
        };
        let claim = match Claim::abandoned(&claim_file) {
            Ok(Some(claim)) => Some(claim),
            // A folder without a claim: left by a pluginkit from before claims, or by a run
            // killed after its claim was swept (which it then never used).
            Ok(None) if fs::symlink_metadata(&claim_file).is_err() => None,
            // Claimed by a live run, or the claim cannot be read: left alone.
            _ => continue,
        };
        let removed = match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(&dir).is_ok(),
            Ok(_) => fs::remove_file(&dir).is_ok(),
            Err(_) => true,
        };
        if let Some(claim) = claim {
            claim.remove();
        }
        count += usize::from(removed);
    }
    count
}

/// Delete what in `dir` starts with `prefix`; returns how many were deleted.
fn sweep(dir: &Path, prefix: &str) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut count = 0;
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let path = entry.path();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let removed = if is_dir {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            count += usize::from(removed.is_ok());
        }
    }
    count
}

/// Whether a killed run may have left something to clean up: a journal, a staging folder no
/// live run claims (a run killed before it wrote its journal), or a marker switch no live run
/// claims. Cheap: one file test and one folder listing, and a claim tried for each staging
/// folder or switch in progress.
pub(crate) fn needs_recovery(dirs: &HostDirs) -> bool {
    Journal::exists(&dirs.state)
        || fs::read_dir(&dirs.plugins).is_ok_and(|entries| {
            entries.filter_map(Result::ok).any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(toggle::CLAIM_PREFIX) {
                    return Claim::is_abandoned(&e.path());
                }
                if !name.starts_with(STAGING_PREFIX) {
                    return false;
                }
                let claim_file = if name.ends_with(CLAIM_SUFFIX) {
                    e.path()
                } else {
                    claim_path(&e.path())
                };
                fs::symlink_metadata(&claim_file).is_err() || Claim::is_abandoned(&claim_file)
            })
        })
}
