//! The errors that end a command, and how they reach the user: `error:` with the message,
//! `Caused by:` lines for the chain, `hint:` with what to do; a diagnostic is drawn as a snippet.
//!
//! Each area has its own error type (thiserror), whose variants carry their cause (`#[source]`
//! an `io::Error`, a `reqwest::Error`, a `git2::Error`...) rather than a formatted string, so the
//! chain shows what went wrong underneath: `source::download::Error`, `source::Error` (ZIP files
//! and folders), `source::git::Error`, `registry::client::Error`, `registry::resolve::Error`,
//! `registry::publish::Error` and `server::Error`. Each implements [`Domain`], which gives its
//! hint and says whether it is bad usage. [`Error`] is the generic error for what belongs to no
//! area; it also carries a domain error through the operations that return it
//! ([`Error::Domain`]), unchanged. `lib.rs` (on top of every area) finds the first hint in a
//! chain by asking each link that is one of these types.

use std::borrow::Cow;

use crate::findings::{Finding, rules};

/// What every area's error type tells besides its message and cause.
pub trait Domain: std::error::Error + Send + Sync + 'static {
    /// What the user can do about it.
    fn hint(&self) -> Option<Cow<'_, str>> {
        None
    }

    /// Whether the command line asked for something that cannot be done (exit 2).
    fn is_usage(&self) -> bool {
        false
    }
}

/// A failure the user can act on. Anything else travels as `anyhow::Error` with context.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The operation failed (exit 1).
    #[error("{message}")]
    User {
        message: String,
        hint: Option<String>,
    },
    /// The command line asks for something that cannot be done (exit 2).
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },
    /// A problem in a file, drawn with the offending line (exit 1; exit 2 when the file is
    /// `pluginkit.toml`, a configuration that cannot be read).
    #[error("{}", .0.message)]
    Diagnostic(Box<Finding>),
    /// What was being done failed (exit 1), because of `source`: a file that cannot be read or
    /// written, a program that cannot be run. For what belongs to no area.
    #[error("{message}")]
    Caused {
        message: String,
        hint: Option<String>,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// `pluginkit.toml` cannot be read (exit 2: the command could not start).
    #[error("cannot read {shown}")]
    Config {
        /// The file, as the user should see it.
        shown: String,
        #[source]
        source: std::io::Error,
    },
    /// An area's own error, passed on as it is: its message, cause and hint.
    #[error(transparent)]
    Domain(AreaError),
}

impl<E: Domain> From<E> for Error {
    fn from(error: E) -> Self {
        Error::Domain(AreaError(Box::new(error)))
    }
}

/// An area's error, boxed, passing on its message and cause as they are.
#[derive(Debug)]
pub struct AreaError(Box<dyn Domain>);

impl std::fmt::Display for AreaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for AreaError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl Error {
    pub(crate) fn user(message: impl Into<String>) -> Self {
        Error::User {
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn user_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::User {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// `message` (what was being done: `cannot read FILE`), because of `source`.
    pub(crate) fn caused(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Caused {
            message: message.into(),
            hint: None,
            source: source.into(),
        }
    }

    /// [`Error::caused`], with what to do about it.
    pub(crate) fn caused_hint(
        message: impl Into<String>,
        hint: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Caused {
            message: message.into(),
            hint: Some(hint.into()),
            source: source.into(),
        }
    }

    pub(crate) fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    pub(crate) fn hint(&self) -> Option<Cow<'_, str>> {
        match self {
            Error::User { hint, .. } | Error::Usage { hint, .. } | Error::Caused { hint, .. } => {
                hint.as_deref().map(Cow::Borrowed)
            }
            Error::Diagnostic(_) => None,
            Error::Config { .. } => Some(Cow::Borrowed("make the file readable UTF-8 text")),
            Error::Domain(error) => error.0.hint(),
        }
    }

    /// The exit code this error ends a command with, when it is the one that decides: 2 for
    /// bad usage and for a `pluginkit.toml` that cannot be read, else 1.
    pub(crate) fn exit_code(&self) -> i32 {
        match self {
            Error::Usage { .. } | Error::Config { .. } => 2,
            Error::Diagnostic(finding) if finding.rule.code == rules::HOST_CONFIG.code => 2,
            Error::Domain(error) if error.0.is_usage() => 2,
            Error::User { .. } | Error::Caused { .. } | Error::Diagnostic(_) | Error::Domain(_) => {
                1
            }
        }
    }
}

/// An error as the user reads it: the message, its causes, the first hint in the chain, and the
/// exit code. Built by [`Report::of`], printed by [`crate::output::Printer::error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    pub(crate) message: String,
    pub(crate) causes: Vec<String>,
    pub(crate) hint: Option<String>,
    pub(crate) code: i32,
}

impl Report {
    /// Walk the chain of `error`: each link's message, the first hint, and the exit code of the
    /// first link that decides one. `domain` recognises the area error types that are links of
    /// their own (not carried by [`Error::Domain`]); only the top of the crate knows them all.
    pub(crate) fn of<'a>(
        error: &'a (dyn std::error::Error + 'static),
        domain: impl Fn(&'a (dyn std::error::Error + 'static)) -> Option<&'a dyn Domain>,
    ) -> Report {
        let mut chain = Vec::new();
        let mut link = Some(error);
        while let Some(cause) = link {
            chain.push(cause);
            link = cause.source();
        }
        let mut hint = None;
        let mut code = None;
        for cause in &chain {
            let (this_hint, this_code) = if let Some(ours) = cause.downcast_ref::<Error>() {
                (ours.hint(), Some(ours.exit_code()))
            } else if let Some(area) = domain(*cause) {
                (area.hint(), area.is_usage().then_some(2))
            } else {
                (None, None)
            };
            if hint.is_none() {
                hint = this_hint.map(Cow::into_owned);
            }
            // Bad usage anywhere in the chain decides: a context over it changes no exit code.
            code = code.max(this_code);
        }
        Report {
            message: error.to_string(),
            causes: chain[1..].iter().map(ToString::to_string).collect(),
            hint,
            code: code.unwrap_or(1),
        }
    }
}

/// An error and its causes on one line, `: `-separated: for a warning, or a field of a document.
pub(crate) fn one_line(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot fetch it")]
    struct Fetch(#[source] std::io::Error);

    impl Domain for Fetch {
        fn hint(&self) -> Option<Cow<'_, str>> {
            Some("try again".into())
        }
    }

    #[test]
    fn a_report_shows_the_chain_and_the_first_hint() {
        let error = anyhow::Error::from(Error::from(Fetch(std::io::Error::other("refused"))))
            .context("cannot install hello");
        let report = Report::of(error.as_ref(), |_| None);
        assert_eq!(report.message, "cannot install hello");
        assert_eq!(report.causes, ["cannot fetch it", "refused"]);
        assert_eq!(report.hint.as_deref(), Some("try again"));
        assert_eq!(report.code, 1);
        assert_eq!(
            one_line(error.as_ref()),
            "cannot install hello: cannot fetch it: refused"
        );
    }

    #[test]
    fn bad_usage_anywhere_in_the_chain_exits_2() {
        let error = anyhow::Error::from(Error::usage("--rev x is not a commit id", "give one"))
            .context("cannot add x");
        assert_eq!(Report::of(error.as_ref(), |_| None).code, 2);
    }
}
