//! The one rule for the name of an entry of the plugins folder that pluginkit installs, removes,
//! restores or reads records about: whatever it comes from (a command's argument, an archive's
//! top folder, a `[plugins]` key, the journal, a receipt, a backup's folder), a name that breaks
//! it never becomes a path.
//!
//! A name is one path component (no `/`, `\` or NUL, not `.` or `..`), not hidden (a leading
//! `.` is pluginkit's own: `.pluginkit-*` staging folders and markers), not one of Python's own
//! (`__pycache__`, or any `__dunder__`, which every Python host skips or reads as its own
//! module), and at most [`MAX_LEN`] bytes. Each flavor's stricter rule for a plugin's declared
//! name is a finding of `validate`; this one is what keeps the file system safe.

use std::borrow::Cow;

use crate::error::Domain;

/// The longest name: 255 bytes is the file-name limit of every common file system; staging and
/// backup paths add to it, so pluginkit keeps well below.
pub(crate) const MAX_LEN: usize = 128;

/// Why a name cannot be a plugin's folder name, or `None` when it can.
pub(crate) fn refusal(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("is empty")
    } else if name.len() > MAX_LEN {
        Some("is longer than 128 bytes")
    } else if name.contains(['/', '\\']) {
        Some("is a path, not a name")
    } else if name.contains('\0') || name.chars().any(char::is_control) {
        Some("contains a control character")
    } else if name == "." || name == ".." {
        Some("is a path, not a name")
    } else if name.starts_with('.') {
        Some("starts with `.`, which is kept for hidden files and pluginkit's own")
    } else if is_python_own(name) {
        Some("is one of Python's own names, which a host never loads as a plugin")
    } else {
        None
    }
}

/// Whether `name` is one Python keeps for itself: `__pycache__` and every `__dunder__`.
fn is_python_own(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}

/// Whether `name` can be a plugin's folder name.
pub(crate) fn is_valid(name: &str) -> bool {
    refusal(name).is_none()
}

/// What every name pluginkit gives its own files and folders begins with (`.pluginkit-txn`,
/// `.pluginkit-staging-*`, `.pluginkit-marker-*`, `.pluginkit/`...).
const OWN_PREFIX: &str = ".pluginkit";

/// Whether `part`, one component of a path inside a plugin or the plugins folder, is one of
/// pluginkit's own names: any `.pluginkit...`, in any case (a case-insensitive file system
/// reads `.PluginKit-txn` as `.pluginkit-txn`). A plugin that carried one would have it taken
/// for pluginkit's record, or overwritten and then missed by `verify`.
pub(crate) fn is_reserved(part: &str) -> bool {
    part.as_bytes()
        .get(..OWN_PREFIX.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(OWN_PREFIX.as_bytes()))
}

/// Whether two names are one folder on a case-insensitive file system (macOS's and Windows'
/// defaults) while being two on Linux.
pub(crate) fn same_folder_ignoring_case(a: &str, b: &str) -> bool {
    a != b && a.to_lowercase() == b.to_lowercase()
}

/// A name given for a plugin (on the command line, as a `[plugins]` key) that is not one.
#[derive(Debug, thiserror::Error)]
#[error("`{shown}` is not a plugin name: it {reason}")]
pub(crate) struct NameError {
    /// The name as given, with control characters escaped.
    shown: String,
    reason: &'static str,
    /// Given on the command line (exit 2), or read from a file (exit 1).
    usage: bool,
}

impl Domain for NameError {
    fn hint(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(if self.usage {
            "give the plugin's folder name, as `pluginkit list` shows it"
        } else {
            "a plugin's folder name is one path part of at most 128 bytes, not starting with `.` and not one of Python's own (`__pycache__`, `__init__`)"
        }))
    }

    fn is_usage(&self) -> bool {
        self.usage
    }
}

/// Check a plugin name given on the command line (exit 2 when it is not one).
pub(crate) fn check_argument(name: &str) -> Result<(), NameError> {
    check(name, true)
}

/// Check a plugin name read from a file or a source: a package's manifest or top folder, a
/// record, a `[plugins]` key (exit 1 when it is not one; the caller says where it was read).
pub(crate) fn check_read(name: &str) -> Result<(), NameError> {
    check(name, false)
}

fn check(name: &str, usage: bool) -> Result<(), NameError> {
    match refusal(name) {
        None => Ok(()),
        Some(reason) => Err(NameError {
            shown: name.escape_debug().to_string(),
            reason,
            usage,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_stay_one_entry_of_the_plugins_folder() {
        for name in [
            "hello",
            "my-plugin",
            "api_key",
            "Report2",
            "a.b",
            "_private",
            "x__",
        ] {
            assert!(is_valid(name), "{name}");
        }
        for name in [
            "",
            ".",
            "..",
            "../../etc",
            "a/b",
            "a\\b",
            ".pluginkit-txn",
            ".hidden",
            "__pycache__",
            "__init__",
            "__main__",
            "a\0b",
            "a\nb",
            &"a".repeat(MAX_LEN + 1),
        ] {
            assert!(!is_valid(name), "{name:?}");
        }
        assert!(is_valid(&"a".repeat(MAX_LEN)));
    }

    #[test]
    fn pluginkit_keeps_its_own_names_in_any_case() {
        for part in [
            ".pluginkit",
            ".pluginkit-txn",
            ".PluginKit-marker-1",
            ".PLUGINKIT-staging-x",
            ".pluginkitrc",
        ] {
            assert!(is_reserved(part), "{part}");
        }
        for part in [
            "pluginkit",
            ".plugin",
            "a.pluginkit",
            ".git",
            "",
            "é.pluginkit",
        ] {
            assert!(!is_reserved(part), "{part}");
        }
    }

    #[test]
    fn names_that_are_one_folder_on_a_case_insensitive_file_system() {
        assert!(same_folder_ignoring_case("Hello", "hello"));
        assert!(same_folder_ignoring_case("ÉTÉ", "été"));
        assert!(!same_folder_ignoring_case("hello", "hello"));
        assert!(!same_folder_ignoring_case("hello", "hello2"));
    }

    #[test]
    fn an_argument_is_bad_usage_and_a_record_is_not() {
        let error = check_argument("../x").unwrap_err();
        assert!(error.is_usage());
        assert_eq!(
            error.to_string(),
            "`../x` is not a plugin name: it is a path, not a name"
        );
        assert!(!check_read("../x").unwrap_err().is_usage());
        assert_eq!(
            check("a\nb", false).unwrap_err().to_string(),
            "`a\\nb` is not a plugin name: it contains a control character"
        );
    }
}
