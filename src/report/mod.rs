//! Findings written out in each format `validate` offers: human (rustc-style snippets), JSON,
//! GitHub workflow annotations and SARIF 2.1.0.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diagnostic::{Finding, Tally};

/// What one `validate` run found.
#[derive(Debug)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// How many plugins (and packages) were checked.
    pub checked: usize,
    /// Whether warnings fail the run.
    pub strict: bool,
}

impl Report {
    pub fn tally(&self) -> Tally {
        Tally::of(&self.findings)
    }

    /// Whether the run fails: errors, or warnings under `--strict`.
    pub fn failed(&self) -> bool {
        let tally = self.tally();
        tally.errors > 0 || (self.strict && tally.warnings > 0)
    }
}
