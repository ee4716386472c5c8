//! `audit`: the installed plugins that a published advisory affects. Each plugin installed from
//! a registry (its receipt says which) is looked up in that registry's index, revalidated by
//! ETag like every index read, and the advisories whose range holds the installed version are
//! listed. Plugins from git, ZIP files or folders have no index to read: they are counted, not
//! checked.

use serde::Serialize;

use crate::error::Error;
use crate::host::receipts::Receipt;
use crate::output::Printer;
use crate::settings::Settings;
use crate::source::id::SourceId;

/// One advisory affecting one installed plugin.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Affected {
    pub(crate) plugin: String,
    /// The installed version.
    pub(crate) installed: String,
    pub(crate) id: String,
    pub(crate) severity: String,
    /// The advisory's range.
    pub(crate) affected: String,
    pub(crate) fixed: Option<String>,
    pub(crate) url: Option<String>,
}

/// A plugin whose source publishes no advisories.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NotChecked {
    pub(crate) plugin: String,
    pub(crate) source: SourceId,
}

/// What `audit` found.
#[derive(Debug, Default)]
pub(crate) struct Audit {
    /// By plugin name, then in the index's order.
    pub(crate) advisories: Vec<Affected>,
    /// How many registry plugins were checked.
    pub(crate) checked: usize,
    /// The plugins from git, ZIP files and folders (or of no known version), by name.
    pub(crate) not_checked: Vec<NotChecked>,
}

/// Check every plugin pluginkit installed against its registry's advisories.
pub(crate) fn audit(settings: &Settings, printer: &Printer) -> Result<Audit, Error> {
    let mut receipts = Receipt::load_all(&settings.dirs().state);
    receipts.sort_by(|a, b| a.name.cmp(&b.name));
    let mut audit = Audit::default();
    for receipt in receipts {
        let (SourceId::Registry { url }, Some(version)) = (&receipt.source, &receipt.version)
        else {
            audit.not_checked.push(NotChecked {
                plugin: receipt.name.clone(),
                source: receipt.source.clone(),
            });
            continue;
        };
        let registry = crate::ops::resolve::open_for_url(settings, url)?;
        let Some(index) = registry.index(&receipt.name, printer)? else {
            return Err(Error::user_hint(
                format!(
                    "the registry of {} ({}) no longer lists it",
                    receipt.name,
                    registry.root()
                ),
                "check [registries] in pluginkit.toml, or reinstall the plugin from where it is now",
            ));
        };
        audit.checked += 1;
        for advisory in index.advisories_for(version) {
            audit.advisories.push(Affected {
                plugin: receipt.name.clone(),
                installed: version.clone(),
                id: advisory.id.clone(),
                severity: advisory.severity.clone(),
                affected: advisory.affected.clone(),
                fixed: advisory.fixed.clone(),
                url: advisory.url.clone(),
            });
        }
    }
    Ok(audit)
}
