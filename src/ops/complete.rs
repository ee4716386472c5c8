//! What the shell completes where a command takes plugin names: the installed plugins (those
//! switched off included), and for `restore` the plugins that have backups. Read without
//! changing anything, waiting for a lock or reaching a server: completion runs at every TAB.

use crate::host::plugins_folder::Installed;
use crate::settings::Settings;
use crate::transaction::backups;

/// A name to offer, with a few words about it for the shells that show them (zsh, fish).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) name: String,
    pub(crate) about: Option<String>,
}

/// The installed plugins, by the name the commands take (their folder's), in name order; none
/// when the plugins folder cannot be read.
pub(crate) fn installed(settings: &Settings) -> Vec<Candidate> {
    let Ok(scan) = super::scan_plugins(settings) else {
        return Vec::new();
    };
    let mut names: Vec<Candidate> = scan
        .plugins
        .iter()
        .chain(&scan.switched_off)
        .map(candidate)
        .collect();
    names.sort_by(|a, b| a.name.cmp(&b.name));
    names.dedup_by(|a, b| a.name == b.name);
    names
}

/// The plugins that have backups to restore, in name order.
pub(crate) fn backed_up(settings: &Settings) -> Vec<Candidate> {
    backups::backed_up(&settings.dirs())
        .into_iter()
        .map(|(name, count)| Candidate {
            about: Some(format!(
                "{count} backup{}",
                if count == 1 { "" } else { "s" }
            )),
            name,
        })
        .collect()
}

fn candidate(installed: &Installed) -> Candidate {
    let meta = &installed.plugin.metadata;
    let about = match (&meta.version, &meta.summary) {
        (Some(version), Some(summary)) => Some(format!("{version}: {summary}")),
        (Some(version), None) => Some(version.clone()),
        (None, summary) => summary.clone(),
    };
    Candidate {
        name: installed.plugin.folder.clone(),
        about,
    }
}
