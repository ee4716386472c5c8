//! Which of FBA's plugin rules a host of a given version applies: one value, built from the host
//! version, so the reader asks "does this FBA check X?" instead of comparing versions itself.
//!
//! Each threshold is the first release whose code does it, read from FastAPI Best Architecture's
//! own loader (`backend/plugin/tools.py` up to v1.12.3, `core.py` after) and validator
//! (`backend/plugin/validator.py`, from v1.13.0) at that tag. Versions before the first release
//! get the oldest rules (v1.0.0's). 1.15 is not in the repository pluginkit checked; its rules
//! are DESIGN.md's ("Flavors", fba).

use semver::Version;

/// What FBA does with `[app] include`, its first name for `extend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Include {
    /// Before 1.6.0 `include` is the only name: `extend` is not read (tools.py v1.5.2,
    /// `data.get('app', {}).get('include')`).
    Only,
    /// 1.6.0 to 1.10.4 read both, warning about `include` (bd4acf81, tools.py v1.6.0).
    Deprecated,
    /// From 1.11.0 only `extend` (2b56168a, tools.py v1.11.0).
    Removed,
}

/// What FBA does about a field it will require later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Not read at all.
    Ignored,
    /// A FutureWarning when missing.
    Warned,
    /// Start-up fails without it.
    Required,
}

/// The rules of one FBA version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FbaRules {
    /// The version these are the rules of, for messages; `None`: the newest rules known.
    pub(crate) version: Option<Version>,
    /// `[plugin]` with `summary`, `version`, `description` and `author` present: from 1.3.0
    /// (1e54b0ba, tools.py v1.3.0 `parse_plugin_config`).
    pub(crate) plugin_table: bool,
    /// Every `.py` under an extend-level plugin's `api/` needs its `[api.<stem>]` table with
    /// `prefix` and `tags` (`plugin['api'][file[:-3]]`, a KeyError at start-up): from 1.4.0
    /// (bcc76414, tools.py v1.4.0 `inject_extra_router`). Before, a missing table mounted the
    /// file with no prefix.
    pub(crate) api_table_per_file: bool,
    pub(crate) include: Include,
    /// FBA's pydantic validator runs at start-up: types, lengths, x.y.z versions, tag and
    /// database values, API names and prefixes, upper-case `[settings]` keys: from 1.13.0
    /// (eb27b5bf, validator.py v1.13.0). Before, only presence was checked.
    pub(crate) validator: bool,
    /// `tags` and `database` in `[plugin]`: ignored before 1.13.0, warned about in 1.13.0 and
    /// 1.13.1 (validator.py v1.13.0, FutureWarning), required from 1.13.2 (48352563,
    /// validator.py v1.13.2).
    pub(crate) tags_and_database: Need,
    /// A plugin with `model/` ships init/destroy SQL (plain and snowflake) for at least one
    /// database: from 1.13.2 (48352563, validator.py v1.13.2).
    pub(crate) sql_scripts: bool,
    /// `depends_on` is read (names, not itself, plugins that exist, no cycles): from 1.13.4
    /// (92f182cd, validator.py and core.py v1.13.4 `resolve_plugin_order`). Before, an unknown
    /// key the validator ignores.
    pub(crate) depends_on: bool,
    /// A plugin with neither `[app]` nor `[api]` is capability-level (only `[plugin]` and
    /// `[settings]`, `database` optional), and `model/` requires `database` at every level:
    /// from 1.15 (DESIGN.md).
    pub(crate) capability_level: bool,
}

impl FbaRules {
    /// The rules of FBA `version`; `None`: the newest known (1.15 and later).
    pub(crate) fn of(version: Option<&Version>) -> FbaRules {
        // Pre-releases count as the release they lead to (1.13.2-rc1 has 1.13.2's rules).
        let at_least = |major, minor, patch| {
            version.is_none_or(|v| (v.major, v.minor, v.patch) >= (major, minor, patch))
        };
        FbaRules {
            version: version.cloned(),
            plugin_table: at_least(1, 3, 0),
            api_table_per_file: at_least(1, 4, 0),
            include: if at_least(1, 11, 0) {
                Include::Removed
            } else if at_least(1, 6, 0) {
                Include::Deprecated
            } else {
                Include::Only
            },
            validator: at_least(1, 13, 0),
            tags_and_database: if at_least(1, 13, 2) {
                Need::Required
            } else if at_least(1, 13, 0) {
                Need::Warned
            } else {
                Need::Ignored
            },
            sql_scripts: at_least(1, 13, 2),
            depends_on: at_least(1, 13, 4),
            capability_level: at_least(1, 15, 0),
        }
    }

    /// Which rules these are, for `info`: "FBA 1.13.2", or the newest known.
    pub(crate) fn describe(&self) -> String {
        match &self.version {
            Some(v) => format!("FBA {v}"),
            None => "FBA, the newest known (1.15 and later)".to_owned(),
        }
    }

    /// "FBA 1.13.2", or "FBA" when no version is known, for messages.
    pub(crate) fn host(&self) -> String {
        match &self.version {
            Some(v) => format!("FBA {v}"),
            None => "FBA".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(v: &str) -> FbaRules {
        FbaRules::of(Some(&Version::parse(v).unwrap()))
    }

    #[test]
    fn thresholds_fall_on_the_releases_that_changed_the_code() {
        assert!(!at("1.2.0").plugin_table && at("1.3.0").plugin_table);
        assert!(!at("1.3.0").api_table_per_file && at("1.4.0").api_table_per_file);
        assert_eq!(at("1.5.2").include, Include::Only);
        assert_eq!(at("1.6.0").include, Include::Deprecated);
        assert_eq!(at("1.10.4").include, Include::Deprecated);
        assert_eq!(at("1.11.0").include, Include::Removed);
        assert!(!at("1.12.3").validator && at("1.13.0").validator);
        assert_eq!(at("1.12.3").tags_and_database, Need::Ignored);
        assert_eq!(at("1.13.1").tags_and_database, Need::Warned);
        assert_eq!(at("1.13.2").tags_and_database, Need::Required);
        assert!(!at("1.13.1").sql_scripts && at("1.13.2").sql_scripts);
        assert!(!at("1.13.3").depends_on && at("1.13.4").depends_on);
        assert!(!at("1.14.9").capability_level && at("1.15.0").capability_level);
        assert!(at("1.15.0-beta.1").capability_level);
        assert!(FbaRules::of(None).capability_level);
        assert_eq!(
            FbaRules::of(None),
            FbaRules {
                version: None,
                ..at("2.0.0")
            }
        );
    }
}
