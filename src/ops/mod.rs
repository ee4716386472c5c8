//! The operations the commands call: the work of each command, and what commands share (the
//! install pipeline, the change frame, the outdated check, validation targets, the server). A
//! command turns its arguments into options, makes one call here, and renders the result; the
//! operations take the resolved [`Settings`] and the [`Printer`] (for notes and progress) and
//! hand the layers below only the values they need.

pub(crate) mod add;
pub(crate) mod audit;
pub(crate) mod cache;
pub(crate) mod change;
pub(crate) mod complete;
pub(crate) mod configure;
pub(crate) mod deps;
pub(crate) mod init;
pub(crate) mod install;
pub(crate) mod new;
pub(crate) mod outdated;
pub(crate) mod package;
pub(crate) mod publish;
pub(crate) mod reload;
pub(crate) mod remove;
pub(crate) mod requirements;
pub(crate) mod resolve;
pub(crate) mod restore;
pub(crate) mod search;
pub(crate) mod show;
pub(crate) mod status;
pub(crate) mod sync;
pub(crate) mod toggle;
pub(crate) mod upgrade;
pub(crate) mod validate;
pub(crate) mod verify;

use crate::error::Error;
use crate::host::plugins_folder::{self, Installed, Scan};
use crate::host::switch::{Switch, moved_out};
use crate::output::Printer;
use crate::settings::Settings;
use crate::transaction::lock::HostLock;
use crate::transaction::{Context, Records, recovery};

/// Where this run's transactions run: the host's folders, keeping all its records, and the crash
/// tests' pause.
pub(crate) fn transaction(settings: &Settings) -> Context {
    Context {
        dirs: settings.dirs(),
        records: Records::All,
        pause_at: settings.pause_at.clone(),
        keep_backups: settings.host.config.host.keep_backups(),
    }
}

/// Take the host lock, finishing or undoing first what a killed run left.
pub(crate) fn lock_host(settings: &Settings, printer: &Printer) -> Result<HostLock, Error> {
    let cx = transaction(settings);
    let lock = HostLock::acquire(&cx.dirs.state, printer)?;
    recovery::recover(&cx, printer)?;
    Ok(lock)
}

/// For commands that only read: clean up after a killed run if one left anything, when that
/// takes no waiting. While another process holds the host lock, what it left in the plugins
/// folder is its work in progress, not a killed run's: they read things as they are.
pub(crate) fn recover_if_needed(settings: &Settings, printer: &Printer) -> Result<(), Error> {
    let cx = transaction(settings);
    if !recovery::needs_recovery(&cx.dirs) {
        return Ok(());
    }
    match HostLock::try_acquire(&cx.dirs.state)? {
        Some(_lock) => recovery::recover(&cx, printer),
        None => {
            printer.debug(format_args!(
                "another pluginkit process is changing this host; reading it as it is"
            ));
            Ok(())
        }
    }
}

/// How this host switches its plugins on and off (FBA's Redis settings resolved, not yet
/// reached).
pub(crate) fn switch(settings: &Settings) -> Result<Switch, Error> {
    Ok(Switch::of_host(&settings.host, &settings.environment)?)
}

/// The folder that holds the plugin `name` switched off, when `NAME/` is not in the plugins
/// folder: `_NAME/` in a host whose switch is FastCMS's `_` rule, `.pluginkit/disabled/NAME/`
/// for a class-based plugin. It is where its records (receipt, lock entry, which keep the name
/// `name`) point, and what an install, upgrade, sync or removal of `name` works on, bringing it
/// back to `NAME/` for the change and switching it off again after
/// ([`crate::transaction::toggle::switch_on_for_change`]).
pub(crate) fn switched_off(settings: &Settings, name: &str) -> Option<std::path::PathBuf> {
    let ctx = settings.read_context();
    plugins_folder::switched_off(&settings.plugins_dir, name, settings.flavor, &ctx).or_else(|| {
        let state = settings.dirs().state;
        plugins_folder::moved(
            &state,
            &settings.plugins_dir,
            &settings.display(&moved_out::dir(&state)),
            name,
            settings.flavor,
            &ctx,
        )
        .map(|installed| installed.dir)
    })
}

/// The plugin called `name`, in the plugins folder or switched off
/// ([`plugins_folder::lookup`], then the plugins moved into `.pluginkit/disabled/`).
pub(crate) fn lookup(settings: &Settings, name: &str) -> Result<Installed, Error> {
    let ctx = settings.read_context();
    let shown = settings.display(&settings.plugins_dir);
    plugins_folder::lookup(&settings.plugins_dir, &shown, name, settings.flavor, &ctx).or_else(
        |error| {
            let state = settings.dirs().state;
            let shown = settings.display(&moved_out::dir(&state));
            let (plugins, flavor) = (&settings.plugins_dir, settings.flavor);
            plugins_folder::moved(&state, plugins, &shown, name, flavor, &ctx)
                .or_else(|| {
                    plugins_folder::scan_moved(&state, plugins, &shown, flavor, &ctx)
                        .into_iter()
                        .find(|p| p.plugin.name() == name)
                })
                .ok_or(error)
        },
    )
}

/// Remove the plugin `name` in the transaction `cx` (keeping a backup when `keep`): a
/// switched-off plugin (FastCMS's `_NAME/`, or in `.pluginkit/disabled/NAME/`) is removed as
/// `NAME/`, its records' name.
pub(crate) fn remove_plugin(
    settings: &Settings,
    cx: &Context,
    name: &str,
    keep: bool,
) -> Result<Option<std::path::PathBuf>, Error> {
    let switched_on = match switched_off(settings, name) {
        Some(off) => Some(
            crate::transaction::toggle::switch_on_for_change(cx, name, &off).map_err(|e| {
                crate::transaction::io_error("cannot rename the switched-off plugin", e)
            })?,
        ),
        None => None,
    };
    let backup = crate::transaction::remove(cx, name, keep, switched_on.is_some())?;
    if let Some(on) = switched_on {
        on.restore().map_err(|e| {
            crate::transaction::io_error("cannot release the switched-off plugin", e)
        })?;
    }
    Ok(backup)
}

/// Every plugin in the plugins folder, read by its flavor's rules, with those switched off
/// (FastCMS's `_NAME/`, and the class-based plugins moved into `.pluginkit/disabled/`).
pub(crate) fn scan_plugins(settings: &Settings) -> Result<Scan, Error> {
    let ctx = settings.read_context();
    let mut scan = plugins_folder::scan(
        &settings.plugins_dir,
        &settings.display(&settings.plugins_dir),
        settings.flavor,
        &ctx,
        plugins_folder::Keep::All,
    )?;
    let state = settings.dirs().state;
    scan.switched_off.extend(plugins_folder::scan_moved(
        &state,
        &settings.plugins_dir,
        &settings.display(&moved_out::dir(&state)),
        settings.flavor,
        &ctx,
    ));
    scan.switched_off
        .sort_by(|a, b| a.plugin.folder.cmp(&b.plugin.folder));
    Ok(scan)
}
