//! What the readers know of the host they judge plugins for: which application it is (its
//! *kind*), the version of it whose rules apply, and the Python that will read the plugins' code,
//! each with why (DESIGN.md "Words"). `validate` and `info` show the whys; the readers pick their
//! rules by the values.
//!
//! How these are found from a checkout is `host::detect`; this is only the plain data.

use std::fmt;

use clap::ValueEnum;
use semver::Version;
use serde::{Deserialize, Serialize};

/// The applications pluginkit knows the behaviour of.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum HostKind {
    /// A Flask app loading plugins with Flask-PluginKit.
    FlaskPluginkit,
    /// FastAPI Best Architecture.
    Fba,
    /// FastCMS (`pyfastcms`).
    Fastcms,
    /// A Flask app built on the class-based Flask-Plugin pattern: its loader imports every
    /// top-level `.py` of each plugin folder and calls `Info.classname`'s `main()`.
    ClassBased,
}

impl HostKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HostKind::FlaskPluginkit => "flask-pluginkit",
            HostKind::Fba => "fba",
            HostKind::Fastcms => "fastcms",
            HostKind::ClassBased => "class-based",
        }
    }

    /// The plugins folder under the host root, when `pluginkit.toml` names none.
    pub(crate) fn default_plugins_dir(self) -> &'static str {
        match self {
            HostKind::Fba => "backend/plugin",
            _ => "plugins",
        }
    }
}

impl fmt::Display for HostKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value pluginkit decided, with why, for `validate` and `info` to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided<T> {
    pub value: T,
    pub why: String,
}

impl<T> Decided<T> {
    pub fn new(value: T, why: impl Into<String>) -> Self {
        Decided {
            value,
            why: why.into(),
        }
    }
}

/// A Python language version, `major.minor`: the grammar a plugin's code is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PythonVersion {
    pub major: u8,
    pub minor: u8,
}

impl PythonVersion {
    /// The grammar used when the host's Python is not known: the newest Python 3 before 3.14
    /// (whose grammar accepts `except A, B:`, which every older Python 3 refuses). Every host
    /// pluginkit serves runs on it (Flask-PluginKit 3.12 needs 3.9+, FBA 3.10+).
    pub const DEFAULT: PythonVersion = PythonVersion {
        major: 3,
        minor: 13,
    };

    /// `3.11`, `3.11.7`, or `Python 3.11.7` as `python --version` prints it.
    pub fn parse(text: &str) -> Option<PythonVersion> {
        let text = text.trim();
        let text = text.strip_prefix("Python ").unwrap_or(text);
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts
            .next()?
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok()?;
        Some(PythonVersion { major, minor })
    }
}

impl fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Why there is no host version.
const NO_VERSION: &str = "no host version found; [host] version pins one";

/// [`HostFacts`] as JSON.
#[derive(Debug, Serialize)]
pub(crate) struct HostJson {
    kind: Option<HostKind>,
    kind_reason: Option<String>,
    version: Option<String>,
    version_reason: String,
    python: String,
    python_reason: String,
}

/// Everything the readers know of the host.
#[derive(Debug, Clone)]
pub struct HostFacts {
    /// Which application loads the plugins, when known.
    pub kind: Option<Decided<HostKind>>,
    /// The host's version: checked against plugins' requirements (`requires`,
    /// `__appversion__`), and picks the version of the host's rules. `None`: the newest rules
    /// known, and no requirement check.
    pub version: Option<Decided<Version>>,
    /// The Python that reads the plugins' code.
    pub python: Decided<PythonVersion>,
}

impl Default for HostFacts {
    fn default() -> Self {
        HostFacts {
            kind: None,
            version: None,
            python: Decided::new(
                PythonVersion::DEFAULT,
                "the default; [host] python gives the host's own",
            ),
        }
    }
}

impl HostFacts {
    /// The host's version, when known.
    pub(crate) fn version(&self) -> Option<&Version> {
        self.version.as_ref().map(|v| &v.value)
    }

    /// The host's kind, when known.
    pub(crate) fn kind(&self) -> Option<HostKind> {
        self.kind.as_ref().map(|k| k.value)
    }

    /// Which rules apply and why, in one line for people: `validate` and `info` print it.
    pub(crate) fn describe(&self) -> String {
        let kind = match &self.kind {
            Some(kind) => format!("host {} ({})", kind.value, kind.why),
            None => "no host kind (each plugin's flavor decides)".to_owned(),
        };
        let version = match &self.version {
            Some(version) => format!("version {} ({})", version.value, version.why),
            None => format!("newest rules ({NO_VERSION})"),
        };
        format!(
            "{kind}; {version}; Python {} ({})",
            self.python.value, self.python.why
        )
    }

    /// The same for machines: the `host` object of `validate` and `info` JSON.
    pub(crate) fn json(&self) -> HostJson {
        HostJson {
            kind: self.kind.as_ref().map(|k| k.value),
            kind_reason: self.kind.as_ref().map(|k| k.why.clone()),
            version: self.version.as_ref().map(|v| v.value.to_string()),
            version_reason: self
                .version
                .as_ref()
                .map_or_else(|| NO_VERSION.to_owned(), |v| v.why.clone()),
            python: self.python.value.to_string(),
            python_reason: self.python.why.clone(),
        }
    }

    /// The host's version for plugins of a `kind` host: it picks that host's rules and is what
    /// the host compares plugins' requirements with. A host of another kind has no version of
    /// this one's; a host of no known kind is taken to be the one its plugins are for, so
    /// `[host] version` alone applies to them.
    pub(crate) fn version_of(&self, kind: HostKind) -> Option<&Version> {
        match self.kind() {
            Some(k) if k != kind => None,
            _ => self.version(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_versions_parse_as_python_prints_them() {
        let v = |major, minor| Some(PythonVersion { major, minor });
        assert_eq!(PythonVersion::parse("Python 3.11.7"), v(3, 11));
        assert_eq!(PythonVersion::parse("3.9"), v(3, 9));
        assert_eq!(PythonVersion::parse("3.14.0rc1"), v(3, 14));
        assert_eq!(PythonVersion::parse("3.13t"), v(3, 13));
        assert_eq!(PythonVersion::parse("three"), None);
        assert_eq!(PythonVersion::parse("3"), None);
    }
}
