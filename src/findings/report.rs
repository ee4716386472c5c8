//! What one `validate` run found: the findings, how many plugins were checked, and whether
//! warnings fail the run. Each format in [`super::render`] writes one out.

use crate::findings::{Finding, Tally};

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
    pub(crate) fn tally(&self) -> Tally {
        Tally::of(&self.findings)
    }

    /// Whether the run fails: errors, or warnings under `--strict`.
    pub(crate) fn failed(&self) -> bool {
        let tally = self.tally();
        tally.errors > 0 || (self.strict && tally.warnings > 0)
    }
}
