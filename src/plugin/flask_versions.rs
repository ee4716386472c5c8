//! What each Flask-PluginKit version does with a plugin, in one table: read from the package's
//! own code (`flask_pluginkit/pluginkit.py` and `utils.py` of the wheels 3.0.0 to 3.12.1 on
//! PyPI), so the flask-pluginkit reader applies the rules of the version the host runs
//! (`[host] version`, else the Flask-PluginKit installed for `[host] python`; unknown: the
//! newest).

use semver::Version;

/// A Flask-PluginKit version, `(major, minor, patch)`.
type At = (u64, u64, u64);

/// The extension points `register()` may return, and the first version that has each:
/// `PluginManager.__pet_handlers` in pluginkit.py. A key it lacks makes `__load_plugin` raise
/// `PEPError("... found an invalid extension point called ...")` for an enabled plugin.
const EXTENSION_POINTS: &[(&str, At)] = &[
    ("tep", (3, 0, 0)),
    ("hep", (3, 0, 0)),
    ("bep", (3, 0, 0)),
    // 3.1.0: "Add a vep handler".
    ("vep", (3, 1, 0)),
    // 3.2.0: "Add filter handler, error handler, template context processor".
    ("errhandler", (3, 2, 0)),
    ("filter", (3, 2, 0)),
    ("tcp", (3, 2, 0)),
    // 3.5.0: "Add `cvep` feature for beta".
    ("cvep", (3, 5, 0)),
    // 3.7.0: "Add `p3` feature for beta".
    ("p3", (3, 7, 0)),
];

/// The hooks a `hep` may name, from the version that has each to the first that does not:
/// `PluginManager.__het_allow_hooks` in pluginkit.py. Another name makes `_hep_handler` raise
/// `PEPError("The hep type is invalid for ...")` for an enabled plugin.
const HOOKS: &[(&str, At, Option<At>)] = &[
    ("before_request", (3, 0, 0), None),
    ("after_request", (3, 0, 0), None),
    ("teardown_request", (3, 0, 0), None),
    // 3.4.0: "Add hep named before_first_request"; 3.7.2: "Remove `before_first_request` hep"
    // (Flask 2.3 removed `app.before_first_request`, which init_app registered it with).
    ("before_first_request", (3, 4, 0), Some((3, 7, 2))),
];

/// Since 3.11.0, `__scan_affiliated_plugins` skips a folder whose name is not
/// `str.isidentifier()` (logging "Invalid plugin package name") and catches the ImportError of
/// the others; 3.10.1 and earlier `__import__("plugins.<name>")` every folder, so any name
/// loads except one with a dot, whose ModuleNotFoundError stops the app.
const IDENTIFIER_NAMES: At = (3, 11, 0);

/// Since 3.10.0, `_get_plugin_meta` checks `__appversion__` (`utils.is_match_version_req`,
/// "add load_time and appversion checking"); earlier versions ignore it.
const APPVERSION: At = (3, 10, 0);

/// 3.0.0 refuses an empty dict from `register()` (`if pets and isinstance(pets, dict)`); 3.0.1
/// "Do not check whether it is empty or not".
const EMPTY_REGISTER: At = (3, 0, 1);

/// The rules of one Flask-PluginKit version.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FlaskPluginkit<'a> {
    /// `None`: not known, so the newest rules.
    version: Option<&'a Version>,
}

impl<'a> FlaskPluginkit<'a> {
    pub(crate) fn new(version: Option<&'a Version>) -> Self {
        FlaskPluginkit { version }
    }

    /// Whether this version is `at` or later (the newest, when unknown, is).
    fn since(&self, at: At) -> bool {
        self.version
            .is_none_or(|v| (v.major, v.minor, v.patch) >= at)
    }

    /// The version, for messages: `Flask-PluginKit 3.12.1`, or `the newest Flask-PluginKit`.
    pub(crate) fn name(&self) -> String {
        match self.version {
            Some(v) => format!("Flask-PluginKit {v}"),
            None => "the newest Flask-PluginKit".to_owned(),
        }
    }

    /// The extension points this version has.
    pub(crate) fn extension_points(&self) -> Vec<&'static str> {
        EXTENSION_POINTS
            .iter()
            .filter(|(_, since)| self.since(*since))
            .map(|(name, _)| *name)
            .collect()
    }

    /// The `hep` hooks this version has.
    pub(crate) fn hooks(&self) -> Vec<&'static str> {
        HOOKS
            .iter()
            .filter(|(_, since, until)| self.since(*since) && until.is_none_or(|u| !self.since(u)))
            .map(|(name, _, _)| *name)
            .collect()
    }

    /// Why this version does not have the extension point or hook `name`, when another does:
    /// "added in 3.5.0", "removed in 3.7.2".
    pub(crate) fn history(&self, name: &str) -> Option<String> {
        let show = |(a, b, c): At| format!("{a}.{b}.{c}");
        if let Some((_, since)) = EXTENSION_POINTS.iter().find(|(n, _)| *n == name) {
            return Some(format!("added in {}", show(*since)));
        }
        let (_, since, until) = HOOKS.iter().find(|(n, _, _)| *n == name)?;
        Some(match until {
            Some(until) if self.since(*until) => format!("removed in {}", show(*until)),
            _ => format!("added in {}", show(*since)),
        })
    }

    /// Whether a plugin folder must be named by a Python identifier (else it is skipped);
    /// before that, only a dot in the name stops the import.
    pub(crate) fn needs_identifier_names(&self) -> bool {
        self.since(IDENTIFIER_NAMES)
    }

    /// Whether `__appversion__` is checked at all.
    pub(crate) fn checks_appversion(&self) -> bool {
        self.since(APPVERSION)
    }

    /// Whether `register()` may return an empty dict.
    pub(crate) fn accepts_empty_register(&self) -> bool {
        self.since(EMPTY_REGISTER)
    }
}

/// Every module attribute Flask-PluginKit 3.12 reads from a plugin (`__load_plugin` and
/// `_get_plugin_meta`), besides `register`.
pub(crate) const DUNDERS: &[&str] = &[
    "__plugin_name__",
    "__version__",
    "__author__",
    "__description__",
    "__url__",
    "__license__",
    "__license_file__",
    "__readme_file__",
    "__state__",
    "__appversion__",
];

/// A module-level dunder Flask-PluginKit does not read that is a likely typo of `name`, with
/// where it is set.
pub(crate) fn misspelled(
    bindings: &std::collections::HashMap<String, crate::plugin::python::Binding>,
    name: &str,
) -> Option<(String, std::ops::Range<usize>)> {
    let mut unknown: Vec<&str> = bindings
        .keys()
        .map(String::as_str)
        .filter(|k| k.starts_with("__") && k.ends_with("__") && !DUNDERS.contains(k))
        .collect();
    unknown.sort_unstable();
    let typo = crate::util::suggest::closest(name, unknown.iter().copied())?;
    // Only a typo of `name` itself, not one closer to another dunder it reads.
    (crate::util::suggest::closest(typo, DUNDERS.iter().copied()) == Some(name))
        .then(|| (typo.to_owned(), bindings[typo].span.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_the_releases() {
        let at = |v: &str| Version::parse(v).unwrap();
        let (v371, v372, v310, v311) = (at("3.7.1"), at("3.7.2"), at("3.10.1"), at("3.11.0"));
        let old = FlaskPluginkit::new(Some(&v371));
        assert!(old.hooks().contains(&"before_first_request"));
        let new = FlaskPluginkit::new(Some(&v372));
        assert!(!new.hooks().contains(&"before_first_request"));
        assert_eq!(
            new.history("before_first_request").as_deref(),
            Some("removed in 3.7.2")
        );
        assert!(
            !FlaskPluginkit::new(None)
                .hooks()
                .contains(&"before_first_request")
        );
        assert_eq!(new.extension_points().len(), 9);
        let v300 = at("3.0.0");
        assert_eq!(
            FlaskPluginkit::new(Some(&v300)).extension_points(),
            ["tep", "hep", "bep"]
        );
        assert!(!FlaskPluginkit::new(Some(&v300)).accepts_empty_register());
        assert!(!FlaskPluginkit::new(Some(&v310)).needs_identifier_names());
        assert!(FlaskPluginkit::new(Some(&v311)).needs_identifier_names());
        assert!(FlaskPluginkit::new(None).needs_identifier_names());
        assert!(FlaskPluginkit::new(Some(&v310)).checks_appversion());
        assert!(!FlaskPluginkit::new(Some(&at("3.9.0"))).checks_appversion());
    }
}
