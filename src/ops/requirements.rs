//! A plugin's `requirements.txt`, shown when it is installed without `--install-deps`. With
//! `--install-deps` the requirements of every enabled plugin are resolved together and installed
//! by [`super::deps`] before the change is committed.

use std::path::Path;

use crate::error::Error;
use crate::output::Printer;
use crate::settings::Settings;

/// Say which Python packages the staged plugin `name` in `staged` (to be installed in
/// `installed`) asks for, and how to install them. A malformed requirements file is refused (the plugin's
/// findings say where) before this is reached.
pub(crate) fn show(
    settings: &Settings,
    printer: &Printer,
    name: &str,
    staged: &Path,
    installed: &Path,
) -> Result<(), Error> {
    let shown = settings.display(installed);
    let Some(plugin) = super::deps::of_plugin(name, staged, &shown)? else {
        return Ok(());
    };
    let wanted: Vec<&str> = plugin
        .entries
        .iter()
        .filter(|e| !e.constraint)
        .map(|e| e.text.as_str())
        .collect();
    printer.note(format!(
        "this plugin needs Python packages (requirements.txt): {}\n  install them with --install-deps (or `pluginkit deps`), or: python -m pip install -r {}",
        wanted.join(", "),
        plugin.shown
    ));
    Ok(())
}
