//! The naming rule of each flavor for a new plugin, and a name that would pass when the given
//! one does not (`my-plugin` -> `my_plugin`).

use crate::error::Error;
use crate::plugin::flavor::Flavor;

/// Python's keywords: a plugin named so could not be imported.
const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Refuse `name` when it breaks `flavor`'s rule (any flavor: when it is not a plain folder
/// name), saying which name would do.
pub(crate) fn check_name(name: &str, flavor: Option<Flavor>) -> Result<(), Error> {
    let (ok, rule) = match flavor {
        Some(Flavor::Pluginkit | Flavor::Crate) => (native(name), "^[a-z][a-z0-9_]{0,63}$"),
        Some(Flavor::Fba) => (fba(name), "^[a-zA-Z0-9_]+$"),
        Some(Flavor::FlaskPluginkit | Flavor::Fastcms | Flavor::ClassBased) => (
            python(name),
            "a Python identifier (letters, digits and _, not starting with a digit)",
        ),
        None => (
            !name.is_empty()
                && name != "."
                && name != ".."
                && !name.contains(['/', '\\', ':'])
                && !name.chars().any(char::is_control),
            "a plain folder name",
        ),
    };
    if ok {
        return Ok(());
    }
    let flavor_text = flavor.map_or_else(String::new, |f| format!(" for flavor {f}"));
    let message = format!("invalid plugin name {name:?}{flavor_text}: it must be {rule}");
    Err(match suggest(name, flavor) {
        Some(better) => Error::user_hint(message, format!("try `{better}`")),
        None => Error::user(message),
    })
}

fn native(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn fba(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn python(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
        && !PYTHON_KEYWORDS.contains(&name)
}

/// A name close to `name` that passes the rule, if one can be made.
pub(crate) fn suggest(name: &str, flavor: Option<Flavor>) -> Option<String> {
    let flavor = flavor?;
    let lower = matches!(flavor, Flavor::Pluginkit | Flavor::Crate);
    let mut out: String = name
        .trim()
        .chars()
        .map(|c| {
            let c = if lower { c.to_ascii_lowercase() } else { c };
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if PYTHON_KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    let starts_badly = out.chars().next().is_none_or(|c| {
        if lower {
            !c.is_ascii_lowercase()
        } else {
            c.is_ascii_digit()
        }
    });
    if starts_badly && flavor != Flavor::Fba {
        out.insert_str(0, "plugin_");
    }
    out.truncate(64);
    let ok = match flavor {
        Flavor::Pluginkit | Flavor::Crate => native(&out),
        Flavor::Fba => fba(&out),
        Flavor::FlaskPluginkit | Flavor::Fastcms | Flavor::ClassBased => python(&out),
    };
    (ok && out != name).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_underscores() {
        for flavor in [
            Flavor::Pluginkit,
            Flavor::Crate,
            Flavor::Fba,
            Flavor::FlaskPluginkit,
            Flavor::Fastcms,
        ] {
            let err = check_name("my-plugin", Some(flavor)).unwrap_err();
            assert_eq!(err.hint().as_deref(), Some("try `my_plugin`"), "{flavor}");
            assert!(check_name("my_plugin", Some(flavor)).is_ok(), "{flavor}");
        }
        assert!(check_name("Hello", Some(Flavor::Pluginkit)).is_err());
        assert!(check_name("Hello", Some(Flavor::Fba)).is_ok());
        assert!(check_name("class", Some(Flavor::Fastcms)).is_err());
        assert!(check_name("../x", None).is_err());
    }
}
