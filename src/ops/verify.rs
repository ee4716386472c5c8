//! `verify`: compare installed plugins with their receipts: the files changed, added or missing
//! since they were installed.

use std::path::Path;

use serde::Serialize;

use crate::error::Error;
use crate::host::receipts::{self, Drift, Receipt};
use crate::output::Printer;
use crate::settings::Settings;
use crate::source::id::SourceId;
use crate::util::links;

/// One plugin verified (`verify --format json` prints a list of these).
#[derive(Debug, Serialize)]
pub(crate) struct Verified {
    pub(crate) name: String,
    /// `ok`, `modified`, `unsafe` (a symbolic link in it leads outside the plugin), or
    /// `missing` (the plugin's folder is gone).
    pub(crate) status: &'static str,
    #[serde(flatten)]
    pub(crate) drift: Drift,
}

/// Verify the plugins `names` (every plugin pluginkit installed when empty), after finishing
/// what a killed run left.
pub(crate) fn verify(
    settings: &Settings,
    printer: &Printer,
    names: &[String],
) -> Result<Vec<Verified>, Error> {
    super::recover_if_needed(settings, printer)?;
    let dirs = settings.dirs();
    let receipts = Receipt::load_all(&dirs.state);
    let chosen: Vec<&Receipt> = if names.is_empty() {
        receipts.iter().collect()
    } else {
        let mut chosen = Vec::new();
        for name in names {
            let receipt = receipts.iter().find(|r| &r.name == name).ok_or_else(|| {
                Error::user_hint(
                    format!("`{name}` was not installed by pluginkit, so there is nothing to verify it against"),
                    "verify checks plugins installed with `pluginkit add`",
                )
            })?;
            chosen.push(receipt);
        }
        chosen
    };
    Ok(chosen
        .into_iter()
        .map(|receipt| {
            let folder = super::switched_off(settings, &receipt.name)
                .unwrap_or_else(|| dirs.plugins.join(&receipt.name));
            match receipts::hash_tree(&folder) {
                Ok(now) => {
                    let mut drift = receipts::drift(receipt, &now);
                    drift.links_outside = links_outside(receipt, &folder);
                    let status = if !drift.links_outside.is_empty() {
                        "unsafe"
                    } else if drift.is_clean() {
                        "ok"
                    } else {
                        "modified"
                    };
                    Verified {
                        name: receipt.name.clone(),
                        status,
                        drift,
                    }
                }
                Err(_) => Verified {
                    name: receipt.name.clone(),
                    status: "missing",
                    drift: Drift::default(),
                },
            }
        })
        .collect())
}

/// The symbolic links in an installed plugin's folder that lead outside it, judged by where
/// they resolve (through the plugin's other links), as `path -> target`. A plugin installed
/// with `add --link` is a developer's own folder, linked to as it is: its links are its own.
fn links_outside(receipt: &Receipt, folder: &Path) -> Vec<String> {
    if matches!(receipt.source, SourceId::Folder { link: true, .. }) {
        return Vec::new();
    }
    match links::refused_under(folder) {
        Ok(refused) => refused
            .into_iter()
            .map(|r| format!("{} -> {}", r.path, r.target.display()))
            .collect(),
        // The folder could be hashed a moment ago: what cannot be read now is reported as
        // such rather than passed as safe.
        Err(e) => vec![format!("(cannot read the folder's links: {e})")],
    }
}
