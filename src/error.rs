//! The errors that end a command, and how they reach the user: `error:` with the message,
//! `Caused by:` lines for the chain, `hint:` with what to do; a diagnostic is drawn as a snippet.

use crate::findings::Finding;

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
    /// A problem in a file, drawn with the offending line (exit 1).
    #[error("{}", .0.message)]
    Diagnostic(Box<Finding>),
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

    pub(crate) fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    pub(crate) fn hint(&self) -> Option<&str> {
        match self {
            Error::User { hint, .. } | Error::Usage { hint, .. } => hint.as_deref(),
            Error::Diagnostic(_) => None,
        }
    }
}
