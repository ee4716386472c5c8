//! `verify`: compare installed plugins with their receipts: the files changed, added or missing
//! since they were installed.

use serde::Serialize;

use crate::error::Error;
use crate::host::receipts::{self, Drift, Receipt};
use crate::output::Printer;
use crate::settings::Settings;

/// One plugin verified (`verify --format json` prints a list of these).
#[derive(Debug, Serialize)]
pub(crate) struct Verified {
    pub(crate) name: String,
    /// `ok`, `modified`, or `missing` (the plugin's folder is gone).
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
        .map(
            |receipt| match receipts::hash_tree(&dirs.plugins.join(&receipt.name)) {
                Ok(now) => {
                    let drift = receipts::drift(receipt, &now);
                    Verified {
                        name: receipt.name.clone(),
                        status: if drift.is_clean() { "ok" } else { "modified" },
                        drift,
                    }
                }
                Err(_) => Verified {
                    name: receipt.name.clone(),
                    status: "missing",
                    drift: Drift::default(),
                },
            },
        )
        .collect())
}
