//! `remove`: uninstall plugins through the transaction, each moved to `.pluginkit/backups/`
//! (the last few are kept) unless no backup is wanted. A plugin that another installed plugin
//! depends on (its manifest's `[dependencies]`) stays, unless the other goes too or `--force`
//! says so. A link whose folder is gone (a `--link`ed plugin) is removed with its records.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Error;
use crate::host::plugins_folder;
use crate::ops::change::{self, Lock, Outcome};
use crate::ops::reload;
use crate::output::Printer;
use crate::settings::Settings;

/// What `remove` was asked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub(crate) names: Vec<String>,
    /// Keep a backup of each (not `--no-backup`).
    pub(crate) backup: bool,
    /// Remove them even when other plugins depend on them.
    pub(crate) force: bool,
    pub(crate) reload: reload::Request,
}

/// One plugin removed (`remove --format json` prints a list of these).
#[derive(Debug, Serialize)]
pub(crate) struct Removed {
    pub(crate) name: String,
    /// Where it was kept, as shown.
    pub(crate) backup: Option<String>,
}

/// What `remove` did.
#[derive(Debug)]
pub(crate) struct RemoveOutcome {
    pub(crate) removed: Vec<Removed>,
}

impl Outcome for RemoveOutcome {
    fn changed(&self) -> bool {
        !self.removed.is_empty()
    }

    fn removed(&self) -> Vec<String> {
        self.removed.iter().map(|r| r.name.clone()).collect()
    }
}

/// Remove the plugins `options` names; every name is resolved first, and what depends on them
/// checked, so an unknown name or a refusal changes nothing. `render` shows what was done
/// before the lock is released and the server signalled.
pub(crate) fn remove(
    settings: &Settings,
    printer: &Printer,
    options: &Options,
    render: impl FnOnce(&RemoveOutcome) -> anyhow::Result<()>,
) -> anyhow::Result<RemoveOutcome> {
    let frame = change::begin_for(settings, printer, &options.reload, &options.names)?;
    frame.run(
        Lock::Host,
        || {
            // Each plugin's folder, and the names others may know it by (folder, declared).
            let mut folders: Vec<String> = Vec::new();
            let mut going: BTreeSet<String> = BTreeSet::new();
            for name in &options.names {
                let folder = if plugins_folder::broken_link(&settings.plugins_dir, name).is_some() {
                    name.clone()
                } else {
                    let installed = super::lookup(settings, name)?;
                    going.insert(installed.plugin.name().to_owned());
                    installed.plugin.folder.clone()
                };
                going.insert(folder.clone());
                if !folders.contains(&folder) {
                    folders.push(folder);
                }
            }
            if !options.force {
                refuse_dependents(settings, &folders, &going)?;
            }
            let cx = super::transaction(settings);
            let mut removed = Vec::new();
            for folder in folders {
                let backup = super::remove_plugin(settings, &cx, &folder, options.backup)?;
                removed.push(Removed {
                    name: folder,
                    backup: backup.map(|b| settings.display(&b)),
                });
            }
            Ok(RemoveOutcome { removed })
        },
        render,
    )
}

/// Refuse to remove what a plugin that stays depends on, naming them. `going` are the names
/// (folders and declared names) of what is removed.
fn refuse_dependents(
    settings: &Settings,
    folders: &[String],
    going: &BTreeSet<String>,
) -> Result<(), Error> {
    let scan = super::scan_plugins(settings)?;
    // What is removed -> the plugins that stay and depend on it.
    let mut dependents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for installed in &scan.plugins {
        let plugin = &installed.plugin;
        if going.contains(&plugin.folder) {
            continue;
        }
        for dependency in &plugin.metadata.dependencies {
            if going.contains(&dependency.name) {
                dependents
                    .entry(dependency.name.as_str())
                    .or_default()
                    .push(plugin.folder.as_str());
            }
        }
    }
    if dependents.is_empty() {
        return Ok(());
    }
    let quoted = |names: &[&str]| {
        let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        match names.as_slice() {
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => String::new(),
        }
    };
    let why: Vec<String> = dependents
        .iter()
        .map(|(name, by)| {
            format!(
                "{} depend{} on `{name}`",
                quoted(by),
                if by.len() == 1 { "s" } else { "" }
            )
        })
        .collect();
    let mut together: Vec<&str> = folders.iter().map(String::as_str).collect();
    for by in dependents.values() {
        for name in by {
            if !together.contains(name) {
                together.push(name);
            }
        }
    }
    Err(Error::user_hint(
        format!("refusing to remove: {}", why.join("; ")),
        format!(
            "remove them together (`pluginkit remove {}`), or pass --force to remove it anyway; nothing was removed",
            together.join(" ")
        ),
    ))
}
