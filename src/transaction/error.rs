//! What can stop a transaction, with its cause: `Caused by:` shows the I/O error underneath.

use std::borrow::Cow;
use std::io;
use std::path::PathBuf;

use crate::error::Domain;
use crate::host::state;

/// A transaction that could not go on. Nothing is half done: what the journal recorded is
/// finished or undone by the next run.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// A file or folder could not be read, written, moved or locked; `what` says what the
    /// transaction was doing (`cannot replace PATH`).
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    /// An install without `--force` over a plugin of the same name.
    #[error("a plugin named `{name}` is already installed in {}", target.display())]
    AlreadyInstalled { name: String, target: PathBuf },
    /// The journal of a killed install that has to be finished names no source to record.
    #[error("the journal of the interrupted install records no source")]
    JournalWithoutSource,
    /// A journal that pluginkit did not write for this plugins folder: it is neither finished
    /// nor undone, since what it names could be anything.
    #[error("{} cannot be acted on: {why}", path.display())]
    DamagedJournal { path: PathBuf, why: String },
}

impl Error {
    pub(crate) fn io(what: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            what: what.into(),
            source,
        }
    }
}

impl Domain for Error {
    fn hint(&self) -> Option<Cow<'_, str>> {
        match self {
            Error::AlreadyInstalled { .. } => Some(Cow::Borrowed(
                "pass --force to replace it (the installed one is kept as a backup), or remove it first",
            )),
            Error::Io { source, .. } if state::unsafe_cause(source).is_some() => {
                state::unsafe_cause(source).map(|cause| {
                    Cow::Owned(format!(
                        "pluginkit keeps only its own folders and files in .pluginkit/ and never follows a link there: move {} away (pluginkit makes what it needs again) and run the command again",
                        cause.path.display()
                    ))
                })
            }
            Error::Io { source, .. } if source.kind() == io::ErrorKind::PermissionDenied => Some(
                Cow::Borrowed("run pluginkit as the user that owns the host's files"),
            ),
            Error::Io { .. } => None,
            Error::JournalWithoutSource => Some(Cow::Borrowed(
                "the journal in .pluginkit/journal.json is damaged: remove it and install the plugin again",
            )),
            Error::DamagedJournal { path, .. } => Some(Cow::Owned(format!(
                "if an interrupted run used another plugins folder, run the command again with --plugins-dir set to it; otherwise look at the plugins folder, then delete {} (and any `.pluginkit-staging-*` folder an interrupted run left there)",
                path.display()
            ))),
        }
    }
}
