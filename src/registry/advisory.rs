//! Security advisories in a registry's index: each published version of `index/NAME.json` may
//! list the advisories that affect it (`pluginkit registry advise` writes them onto every
//! version an advisory's range matches). `audit` reads them for what is installed; `add`,
//! `sync` and `outdated` for what they install or show.

use std::collections::BTreeSet;

use semver::{Version, VersionReq};
use serde::{Deserialize, Serialize};

use super::Index;

/// The severities an advisory can have, lowest first.
pub(crate) const SEVERITIES: [&str; 4] = ["low", "medium", "high", "critical"];

/// One advisory, as an index version lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Advisory {
    /// Its identifier (`GHSA-...`, `CVE-...`, or the registry's own); unique per plugin.
    pub(crate) id: String,
    /// The versions it affects, a SemVer requirement (`>=1.0.0, <1.2.3`).
    pub(crate) affected: String,
    /// The first version that fixes it, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) fixed: Option<String>,
    /// Where it is described.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
    /// `low`, `medium`, `high` or `critical` ([`SEVERITIES`]); kept as written, so that a
    /// severity a later format adds does not make the index unreadable.
    pub(crate) severity: String,
}

impl Advisory {
    /// Whether it affects `version`: its range matches. A range that does not parse affects
    /// nothing it is not listed on (the index lists it on the versions it was written for).
    pub(crate) fn affects(&self, version: &Version) -> bool {
        VersionReq::parse(&self.affected).is_ok_and(|req| req.matches(version))
    }
}

impl Index {
    /// The advisories that affect `version` of this plugin: those its own entry lists, and
    /// those any other version lists whose range matches it (an advisory written before the
    /// version was published, or a version no longer listed). Each id once, in the order first
    /// listed.
    pub(crate) fn advisories_for(&self, version: &str) -> Vec<&Advisory> {
        let parsed = Version::parse(version).ok();
        let own = self.versions.iter().filter(|v| {
            v.version == version
                || parsed.as_ref().is_some_and(|p| {
                    Version::parse(&v.version).is_ok_and(|l| l.cmp_precedence(p).is_eq())
                })
        });
        let mut seen = BTreeSet::new();
        let mut found = Vec::new();
        for advisory in own.flat_map(|v| &v.advisories) {
            if seen.insert(advisory.id.as_str()) {
                found.push(advisory);
            }
        }
        if let Some(parsed) = &parsed {
            for advisory in self.versions.iter().flat_map(|v| &v.advisories) {
                if advisory.affects(parsed) && seen.insert(advisory.id.as_str()) {
                    found.push(advisory);
                }
            }
        }
        found
    }
}

/// `ID (SEVERITY)`, for the warning lines of `add`, `sync` and `outdated`.
pub(crate) fn describe(advisories: &[&Advisory]) -> String {
    advisories
        .iter()
        .map(|a| format!("{} ({})", a.id, a.severity))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisory(id: &str, affected: &str) -> Advisory {
        Advisory {
            id: id.into(),
            affected: affected.into(),
            fixed: None,
            url: None,
            severity: "high".into(),
        }
    }

    #[test]
    fn ranges_match_by_semver() {
        let a = advisory("A-1", ">=1.0.0, <1.2.0");
        assert!(a.affects(&Version::new(1, 1, 9)));
        assert!(!a.affects(&Version::new(1, 2, 0)));
        assert!(!advisory("A-2", "not a range").affects(&Version::new(1, 0, 0)));
    }

    #[test]
    fn a_version_has_its_own_advisories_and_those_whose_range_holds_it() {
        let index: Index = serde_json::from_value(serde_json::json!({
            "format": 1, "name": "x", "versions": [
                {"version": "1.0.0", "url": "u", "sha256": "s", "flavor": "pluginkit",
                 "published": "p", "advisories": [
                    {"id": "A-1", "affected": "<2", "severity": "low"},
                    {"id": "A-2", "affected": "=1.0.0", "severity": "high"}]},
                {"version": "1.1.0+b", "url": "u", "sha256": "s", "flavor": "pluginkit",
                 "published": "p", "advisories": [
                    {"id": "A-3", "affected": "hand-written", "severity": "medium"}]},
                {"version": "2.0.0", "url": "u", "sha256": "s", "flavor": "pluginkit",
                 "published": "p"}
            ]
        }))
        .unwrap();
        let ids = |v: &str| -> Vec<String> {
            index
                .advisories_for(v)
                .iter()
                .map(|a| a.id.clone())
                .collect()
        };
        assert_eq!(ids("1.0.0"), ["A-1", "A-2"]);
        // Its own list by precedence (build metadata aside), whatever the range says; A-1 by
        // its range, from another version.
        assert_eq!(ids("1.1.0"), ["A-3", "A-1"]);
        // A version the index no longer lists.
        assert_eq!(ids("1.5.0"), ["A-1"]);
        assert!(ids("2.0.0").is_empty());
        assert_eq!(
            describe(&index.advisories_for("1.0.0")),
            "A-1 (low), A-2 (high)"
        );
    }
}
