//! The class-based pattern's switch, which the pattern does not have: its loader
//! (WhisperNet's `ControlServer.load_plugins`) imports every `.py` of every folder in its
//! plugins folder, with no marker, no name rule and no setting to skip one (DESIGN.md
//! "class-based"). So the plugin NAME is disabled by moving `plugins/NAME/` out of the scanned
//! folder, to `.pluginkit/disabled/NAME/` under the host root, and enabled by moving it back
//! (`transaction::toggle::rename`, one rename, so a killed run leaves it in one place or the
//! other). The folder keeps its name, so the plugin keeps its manifest (`NAME.py`) and its
//! records their name.
//!
//! `.pluginkit/disabled/` is read as the state folder is ([`crate::host::state`]): never
//! through a link, and a link in it is no plugin (one is never moved there: a linked plugin is
//! refused, see [`refuse_link`]).

use std::io;
use std::path::{Path, PathBuf};

use crate::plugin::flavor::Flavor;
use crate::plugin::host::HostKind;

/// The folder in the state folder where disabled plugins are kept.
pub(crate) const FOLDER: &str = "disabled";

/// The state folder's name under the host root (as [`crate::settings::Settings::dirs`] has it).
const STATE: &str = ".pluginkit";

/// `.pluginkit/disabled/` for the state folder `state`.
pub(crate) fn dir(state: &Path) -> PathBuf {
    state.join(FOLDER)
}

/// Where the plugin `name` is kept while disabled, as `list` and `info` say it (relative to the
/// host root, wherever the command runs).
pub(crate) fn shown(name: &str) -> String {
    format!("{STATE}/{FOLDER}/{name}")
}

/// Whether `dir` is a plugin's folder in `.pluginkit/disabled/`.
pub(crate) fn is_moved(dir: &Path) -> bool {
    let parent = dir.parent();
    let named =
        |p: Option<&Path>, name: &str| p.and_then(Path::file_name).is_some_and(|n| n == name);
    named(parent, FOLDER) && named(parent.and_then(Path::parent), STATE)
}

/// Whether a plugin of `flavor` in a host of `kind` is switched by moving it out: every plugin
/// of a class-based host, and class-based plugins in a host of no known kind.
pub(crate) fn applies(kind: Option<HostKind>, flavor: Flavor) -> bool {
    match kind {
        Some(HostKind::ClassBased) => true,
        None => flavor == Flavor::ClassBased,
        Some(_) => false,
    }
}

/// Refuse to move the link `path` (a `--link`ed plugin) into the state folder, where pluginkit
/// never follows a link: `Ok` when `path` is not a link.
pub(crate) fn refuse_link(path: &Path, name: &str) -> io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is a link (a plugin added with --link), and the class-based pattern has no switch but moving the plugin into {}, where pluginkit keeps no links: `pluginkit remove {name}` removes the link (its folder is kept)",
                path.display(),
                shown(name)
            ),
        ));
    }
    Ok(())
}

/// The error of a move between two file systems, said as what to do.
pub(crate) fn cross_device(from: &Path, to: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::CrossesDevices,
        format!(
            "{} and {} are on different file systems, and a plugin is moved in one step (never copied) so that a killed run leaves it in one place: put the plugins folder on the file system of the host root (the folder holding .pluginkit/), e.g. not on a volume of its own",
            from.display(),
            to.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_folder_is_one_in_the_state_folder() {
        assert!(is_moved(Path::new("/h/.pluginkit/disabled/email")));
        assert!(!is_moved(Path::new("/h/plugins/email")));
        assert!(!is_moved(Path::new("/h/disabled/email")));
        assert_eq!(shown("email"), ".pluginkit/disabled/email");
        assert!(applies(None, Flavor::ClassBased));
        assert!(!applies(None, Flavor::FlaskPluginkit));
        assert!(applies(Some(HostKind::ClassBased), Flavor::FlaskPluginkit));
        assert!(!applies(Some(HostKind::Fastcms), Flavor::ClassBased));
    }
}
