//! The rules a new plugin's values must follow for its flavor, checked when each value is given
//! (a flag, `--define`, or an answer at a prompt, which is asked again), so that nothing is
//! written for values the flavor's host would refuse. Each refusal says the rule and, where one
//! is close, the value that would do.

use crate::plugin::fba::is_fba_version;
use crate::plugin::flavor::Flavor;
use crate::util::suggest;

/// The longest description: it is the plugin's summary (FBA's `summary` allows 1 to 100
/// characters, pluginkit's native `summary` as many).
const DESCRIPTION_MAX: usize = 100;
/// FBA's validator: `author` 1 to 50 characters.
const FBA_AUTHOR_MAX: usize = 50;

/// Why a value is refused: what is wrong, with the rule, and what would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid {
    pub(crate) problem: String,
    /// A value that passes, when one is close.
    pub(crate) suggestion: Option<String>,
}

impl Invalid {
    fn new(problem: impl Into<String>, suggestion: Option<String>) -> Invalid {
        Invalid {
            problem: problem.into(),
            suggestion,
        }
    }

    /// What to show under a prompt or after `hint:`.
    pub(crate) fn did_you_mean(&self) -> String {
        match &self.suggestion {
            Some(better) => format!("{}; did you mean `{better}`?", self.problem),
            None => self.problem.clone(),
        }
    }
}

/// Check the standard value `key` for `flavor` (`None`: a custom template's unknown flavor);
/// returns the value as it is written (an SPDX id in its canonical case). Keys without a rule
/// pass as they are.
pub(crate) fn check(key: &str, value: &str, flavor: Option<Flavor>) -> Result<String, Invalid> {
    match key {
        "version" => version(value, flavor),
        "license" => license(value),
        "description" => description(value),
        "author" => author(value, flavor),
        "level" => level(value),
        "extend" => app_name(value),
        _ => Ok(value.to_owned()),
    }
}

fn version(value: &str, flavor: Option<Flavor>) -> Result<String, Invalid> {
    let value = value.trim();
    if flavor == Some(Flavor::Fba) {
        if is_fba_version(value) && !value.contains('\n') {
            return Ok(value.to_owned());
        }
        return Err(Invalid::new(
            format!(
                "`{value}` is not an FBA version: FBA's plugin validator accepts only x.y.z (^\\d+\\.\\d+\\.\\d+$), no pre-release or build part"
            ),
            numeric_core(value),
        ));
    }
    match semver::Version::parse(value) {
        Ok(_) => Ok(value.to_owned()),
        Err(error) => Err(Invalid::new(
            format!(
                "`{value}` is not a SemVer 2.0 version ({error}): write MAJOR.MINOR.PATCH, e.g. 0.1.0 or 1.0.0-beta.1"
            ),
            semver_like(value),
        )),
    }
}

/// `v1.2` -> `1.2.0`, `1.0.0-beta.1` -> `1.0.0`: the numbers a version starts with, as x.y.z.
fn numeric_core(value: &str) -> Option<String> {
    let rest = value.trim().trim_start_matches(['v', 'V']);
    let core = rest.split(['-', '+']).next().unwrap_or_default();
    let mut parts: Vec<u64> = Vec::new();
    for part in core.split('.') {
        parts.push(part.parse().ok()?);
    }
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    parts.resize(3, 0);
    Some(format!("{}.{}.{}", parts[0], parts[1], parts[2]))
}

/// A SemVer version close to `value`: a `v` dropped, missing parts filled in, the pre-release
/// kept when it is valid.
fn semver_like(value: &str) -> Option<String> {
    let rest = value.trim().trim_start_matches(['v', 'V']);
    if semver::Version::parse(rest).is_ok() {
        return Some(rest.to_owned());
    }
    let core = numeric_core(rest)?;
    let tail = &rest[rest.find(['-', '+']).unwrap_or(rest.len())..];
    let with_tail = format!("{core}{tail}");
    Some(if semver::Version::parse(&with_tail).is_ok() {
        with_tail
    } else {
        core
    })
}

/// An SPDX license expression of known identifiers (deprecated ones too: they are still SPDX
/// ids), as `spdx` parses it; a case slip is corrected, and a typo gets the closest id.
fn license(value: &str) -> Result<String, Invalid> {
    let value = value.trim();
    let mode = spdx::ParseMode {
        allow_deprecated: true,
        ..spdx::ParseMode::STRICT
    };
    if spdx::Expression::parse_mode(value, mode).is_ok() {
        return Ok(value.to_owned());
    }
    let ids = spdx::identifiers::LICENSES.iter().map(|l| l.name);
    if let Some(id) = ids.clone().find(|id| id.eq_ignore_ascii_case(value)) {
        return Ok(id.to_owned());
    }
    let suggestion = spdx::imprecise_license_id(value)
        .filter(|(_, length)| *length == value.len())
        .map(|(id, _)| id.name)
        .or_else(|| suggest::closest(value, ids));
    Err(Invalid::new(
        format!(
            "`{value}` is not an SPDX license identifier or expression (the SPDX License List {}, e.g. MIT, Apache-2.0, MIT OR Apache-2.0)",
            spdx::identifiers::VERSION
        ),
        suggestion.map(str::to_owned),
    ))
}

fn description(value: &str) -> Result<String, Invalid> {
    let length = value.trim().chars().count();
    let problem = if value.trim().is_empty() {
        "the description is empty".to_owned()
    } else if value.contains(['\n', '\r']) {
        "the description must be one line".to_owned()
    } else if length > DESCRIPTION_MAX {
        format!("the description is {length} characters long")
    } else {
        return Ok(value.trim().to_owned());
    };
    Err(Invalid::new(
        format!(
            "{problem}: it is the plugin's summary, one line of 1 to {DESCRIPTION_MAX} characters (FBA's and pluginkit's summary rule)"
        ),
        None,
    ))
}

fn author(value: &str, flavor: Option<Flavor>) -> Result<String, Invalid> {
    let value = value.trim();
    if value.is_empty() || value.contains(['\n', '\r']) {
        return Err(Invalid::new(
            "the author must be one line, not empty, e.g. Ada <ada@example.com>",
            None,
        ));
    }
    let length = value.chars().count();
    if flavor == Some(Flavor::Fba) && length > FBA_AUTHOR_MAX {
        let name = value.split(" <").next().unwrap_or(value);
        return Err(Invalid::new(
            format!(
                "the author is {length} characters long, and FBA's plugin validator allows 1 to {FBA_AUTHOR_MAX}"
            ),
            (name.chars().count() <= FBA_AUTHOR_MAX).then(|| name.to_owned()),
        ));
    }
    Ok(value.to_owned())
}

fn level(value: &str) -> Result<String, Invalid> {
    match value.trim() {
        level @ ("app" | "extend") => Ok(level.to_owned()),
        other => Err(Invalid::new(
            format!("`{other}` is not an FBA plugin level: app or extend"),
            suggest::closest(other, ["app", "extend"]).map(str::to_owned),
        )),
    }
}

/// The FBA app an extend-level plugin extends: a folder of `backend/app/`, named as FBA names
/// plugin folders (`^[a-zA-Z0-9_]+$`).
fn app_name(value: &str) -> Result<String, Invalid> {
    let value = value.trim();
    if super::naming::check_name(value, Some(Flavor::Fba)).is_ok() {
        return Ok(value.to_owned());
    }
    Err(Invalid::new(
        format!(
            "`{value}` is not an FBA app name: it must match ^[a-zA-Z0-9_]+$ (letters, digits and _), as the folder under backend/app/"
        ),
        super::naming::suggest(value, Some(Flavor::Fba)),
    ))
}

/// The description a plugin of `flavor` gets when none is given: what it is.
pub(crate) fn default_description(flavor: Option<Flavor>, level: &str, extend: &str) -> String {
    match flavor {
        Some(Flavor::Pluginkit) => "A native pluginkit plugin".to_owned(),
        Some(Flavor::FlaskPluginkit) => "A Flask-PluginKit plugin".to_owned(),
        Some(Flavor::Fba) if level == "extend" => {
            format!("An FBA plugin extending the {extend} app")
        }
        Some(Flavor::Fba) => "An FBA app plugin".to_owned(),
        Some(Flavor::Fastcms) => "A FastCMS plugin".to_owned(),
        Some(Flavor::ClassBased) => "A class-based Flask plugin".to_owned(),
        Some(Flavor::Crate) => "A pluginkit plugin crate".to_owned(),
        None => "A pluginkit plugin".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_the_flavor() {
        assert!(check("version", "1.0.0-beta.1", Some(Flavor::Pluginkit)).is_ok());
        let fba = check("version", "1.0.0-beta.1", Some(Flavor::Fba)).unwrap_err();
        assert_eq!(fba.suggestion.as_deref(), Some("1.0.0"));
        assert!(fba.problem.contains("x.y.z"), "{fba:?}");
        let banana = check("version", "banana", Some(Flavor::FlaskPluginkit)).unwrap_err();
        assert_eq!(banana.suggestion, None);
        assert!(banana.problem.contains("SemVer"), "{banana:?}");
        let short = check("version", "v1.2", None).unwrap_err();
        assert_eq!(short.suggestion.as_deref(), Some("1.2.0"));
    }

    #[test]
    fn licenses_are_spdx_with_a_did_you_mean() {
        assert_eq!(check("license", "MIT", None).unwrap(), "MIT");
        assert_eq!(check("license", "mit", None).unwrap(), "MIT");
        assert!(check("license", "MIT OR Apache-2.0", None).is_ok());
        assert!(check("license", "GPL-3.0-only", None).is_ok());
        assert!(
            check("license", "GPL-3.0", None).is_ok(),
            "deprecated, still SPDX"
        );
        let typo = check("license", "Apachee-2.0", None).unwrap_err();
        assert_eq!(typo.suggestion.as_deref(), Some("Apache-2.0"));
        assert!(check("license", "banana", None).is_err());
    }

    #[test]
    fn fba_app_names_and_authors() {
        let bad = check("extend", "Bad-App!", Some(Flavor::Fba)).unwrap_err();
        assert_eq!(bad.suggestion.as_deref(), Some("Bad_App_"));
        assert!(check("extend", "admin", Some(Flavor::Fba)).is_ok());
        let long = format!("{} <a@example.com>", "A".repeat(45));
        assert!(check("author", &long, Some(Flavor::Fba)).is_err());
        assert!(check("author", &long, Some(Flavor::Pluginkit)).is_ok());
        assert!(check("description", "", None).is_err());
        assert!(check("description", &"x".repeat(101), None).is_err());
    }
}
