//! FastCMS's switch, which FastCMS does not have: it loads every plugin folder whose name does
//! not start with `_` (DESIGN.md "fastcms"), so the plugin NAME is disabled by renaming `NAME/`
//! to `_NAME/` and enabled by renaming it back (`transaction::toggle::rename`, one rename, so a
//! killed run leaves one name or the other). The plugins folder reads `_NAME/` as the plugin
//! NAME, disabled, unless `NAME/` is there too (then FastCMS loads `NAME/`, and `_NAME/` is a
//! folder it skips).

use std::path::Path;

use crate::plugin::flavor::Flavor;
use crate::plugin::host::HostKind;

/// What FastCMS's skip rule looks for.
const PREFIX: char = '_';

/// Whether `dir`'s name starts with `_`.
pub(crate) fn is_disabled_folder(dir: &Path) -> bool {
    dir.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(PREFIX))
}

/// The folder name of the plugin `name` disabled: `_NAME`.
pub(crate) fn disabled_folder(name: &str) -> String {
    format!("{PREFIX}{name}")
}

/// The plugin a disabled folder holds: `email` for `_email`; `None` for a name without the
/// prefix, or one that is only the prefix.
pub(crate) fn plugin_name(folder: &str) -> Option<&str> {
    folder.strip_prefix(PREFIX).filter(|n| !n.is_empty())
}

/// Whether this is the switch of a `flavor` plugin in a `kind` host: every plugin's in a FastCMS
/// host, a FastCMS plugin's in a host of no known kind (as `Switch::for_flavor` decides).
pub(crate) fn applies(kind: Option<HostKind>, flavor: Flavor) -> bool {
    match kind {
        Some(HostKind::Fastcms) => true,
        None => flavor == Flavor::Fastcms,
        Some(_) => false,
    }
}
