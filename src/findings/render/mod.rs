//! Findings written out in each format `validate` offers: human (rustc-style snippets, also what
//! every other command draws on stderr), JSON, GitHub workflow annotations and SARIF 2.1.0.

pub mod github;
pub mod human;
pub mod json;
pub mod root;
pub mod sarif;
