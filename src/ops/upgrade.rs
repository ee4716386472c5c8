//! `upgrade`: move git and registry plugins to what the outdated check finds (the newest tag
//! within the pin's range, the branch's new tip, the newest registry version within
//! `[plugins]`' requirement, with its dependencies), each through the install pipeline with the
//! installed version kept as a backup: everything is checked, fetched and staged before the
//! host lock is taken, and committed under it. A dry run says what would change.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Error;
use crate::ops::change::{self, Lock, Outcome};
use crate::ops::install::{Entry, Installer, Options as InstallOptions, Staged};
use crate::ops::outdated::{self, Checked, Latest, Origin};
use crate::ops::{configure, deps, reload, resolve};
use crate::output::Printer;
use crate::settings::Settings;
use crate::source::Source;
use crate::source::git::Pin;

/// What `upgrade` was asked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// The plugins to upgrade; all when empty.
    pub(crate) names: Vec<String>,
    pub(crate) dry_run: bool,
    /// Resolve the Python requirements of the plugins after the upgrade together and install
    /// them before the plugins change.
    pub(crate) install_deps: bool,
    /// With `install_deps`: the resolver and installer use only what they have cached.
    pub(crate) offline: bool,
    /// FBA: add the upgraded plugins' `.env.example` settings that `backend/.env` lacks.
    pub(crate) configure: bool,
    pub(crate) reload: reload::Request,
}

/// One upgrade (`upgrade --format json` prints a list of these).
#[derive(Debug, Serialize)]
pub(crate) struct Upgrade {
    pub(crate) name: String,
    pub(crate) from: String,
    pub(crate) to: String,
    /// Whether it was done (false with `--dry-run`).
    pub(crate) upgraded: bool,
    /// Where the replaced version was kept.
    pub(crate) backup: Option<String>,
}

/// What `upgrade` did.
#[derive(Debug)]
pub(crate) struct Upgraded {
    pub(crate) upgrades: Vec<Upgrade>,
    /// How many plugins from git or a registry were checked.
    pub(crate) checked: usize,
    /// Whether a source could not be asked (reported on stderr as it happened).
    pub(crate) failed: bool,
}

impl Outcome for Upgraded {
    fn changed(&self) -> bool {
        self.upgrades.iter().any(|u| u.upgraded)
    }
}

/// Upgrade what `options` names: checked and fetched before the host lock is taken, committed
/// under it (refused for a plugin another process changed meanwhile); `render` shows what was
/// done before the lock is released and the server signalled.
pub(crate) fn upgrade(
    settings: &Settings,
    printer: &Printer,
    options: &Options,
    render: impl FnOnce(&Upgraded) -> anyhow::Result<()>,
) -> anyhow::Result<Upgraded> {
    let frame = change::begin(settings, printer, &options.reload)?;
    let installer = Installer::new(settings, printer);
    frame.run_prepared(
        Lock::UnlessDryRun(options.dry_run),
        || {
            let checked = outdated::check(settings, printer, &options.names)?;
            let failed = outdated::report_failures(printer, &checked);
            let mut planned = Vec::new();
            for plugin in checked.iter().filter(|c| c.is_outdated()) {
                let staged = if options.dry_run {
                    Vec::new()
                } else {
                    stage_one(settings, &installer, plugin, options.install_deps)?
                };
                let upgrade = Upgrade {
                    name: plugin.name.clone(),
                    from: plugin.installed(),
                    to: plugin.latest_text(),
                    upgraded: !options.dry_run,
                    backup: None,
                };
                planned.push((upgrade, staged));
            }
            // --install-deps: every plugin as it will be, resolved together before anything
            // changes.
            let deps = if options.install_deps && !options.dry_run {
                let staged: Vec<_> = planned
                    .iter()
                    .flat_map(|(_, staged)| staged.iter().map(Staged::for_deps))
                    .collect();
                deps::Plan::new(settings, printer, &staged, options.offline, None)?
            } else {
                None
            };
            Ok((planned, checked.len(), failed, deps))
        },
        |(planned, checked, failed, deps)| {
            let all = planned.iter().flat_map(|(_, staged)| staged);
            let env = configure::prepare(settings, printer, options.configure, all)?;
            // Installed before the plugins change: a failed install changes none of them.
            if let Some(deps) = &deps {
                deps.install(printer)?;
            }
            let upgrades = env.around(|| {
                let mut upgrades = Vec::new();
                for (mut upgrade, staged) in planned {
                    if !staged.is_empty() {
                        // Dependencies first; the plugin itself is the last.
                        let added = installer.commit_all(staged)?;
                        upgrade.backup = added.last().and_then(|a| a.replaced.clone());
                    }
                    upgrades.push(upgrade);
                }
                Ok(upgrades)
            })?;
            if let Some(deps) = &deps {
                deps.record(settings)?;
            }
            Ok(Upgraded {
                upgrades,
                checked,
                failed,
            })
        },
        render,
    )
}

/// Fetch and stage the upgrade of `plugin` (with the dependencies its new version needs).
fn stage_one(
    settings: &Settings,
    installer: &Installer,
    plugin: &Checked,
    install_deps: bool,
) -> Result<Vec<Staged>, Error> {
    let options = InstallOptions {
        force: true,
        only_if_unchanged: true,
        install_deps,
        ..InstallOptions::default()
    };
    let staged = match (&plugin.origin, &plugin.latest) {
        (Origin::Registry { url }, Latest::NewerVersion { version }) => {
            let registry = resolve::open_for_url(settings, url)?;
            let exact = semver::VersionReq::parse(&format!("={version}"))
                .map_err(|e| Error::caused(format!("version {version}"), e))?;
            let wanted = [(plugin.name.clone(), exact)];
            // `[plugins]` keeps its requirement, which the new version is within.
            let asked = BTreeMap::from([(plugin.name.clone(), Entry::Unchanged)]);
            installer.stage_from_registry(&registry, &wanted, &asked, &options)?
        }
        (Origin::Git(source), latest) => {
            // A tag pin moves to the newer tag; a branch stays the branch.
            let mut source = source.clone();
            if let Latest::NewerTag { tag, .. } = latest {
                source.pin = Pin::Tag(tag.clone());
            }
            let source = Source::Git {
                given: source.url.clone(),
                source,
            };
            installer.stage(&[source], &options)?
        }
        // Only a newer version makes a registry plugin outdated.
        (Origin::Registry { .. }, _) => Vec::new(),
    };
    if staged.is_empty() {
        return Err(Error::user(format!("{} was not installed", plugin.name)));
    }
    Ok(staged)
}
