//! Enabled or disabled: the effective state as Flask-PluginKit decides it, for every flavor, and
//! the marker files that `enable` and `disable` write.

use std::fmt;
use std::io;
use std::path::Path;

use serde::Serialize;

pub(crate) const DISABLED_FILE: &str = "DISABLED";
pub(crate) const ENABLED_FILE: &str = "ENABLED";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum State {
    Enabled,
    Disabled,
}

impl State {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            State::Enabled => "enabled",
            State::Disabled => "disabled",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<State> {
        match text {
            "enabled" => Some(State::Enabled),
            "disabled" => Some(State::Disabled),
            _ => None,
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which of the four sources decided the effective state, in the order they are consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum StateSource {
    DisabledFile,
    EnabledFile,
    Metadata,
    Default,
}

impl StateSource {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            StateSource::DisabledFile => "DISABLED file",
            StateSource::EnabledFile => "ENABLED file",
            StateSource::Metadata => "metadata",
            StateSource::Default => "default",
        }
    }
}

/// A plugin's effective state and what decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct EffectiveState {
    pub(crate) state: State,
    #[serde(rename = "state_source")]
    pub(crate) source: StateSource,
}

/// A `DISABLED` file wins; else an `ENABLED` file; else the metadata's own state; else enabled.
pub(crate) fn effective(folder: &Path, declared: Option<State>) -> EffectiveState {
    let (state, source) = if folder.join(DISABLED_FILE).exists() {
        (State::Disabled, StateSource::DisabledFile)
    } else if folder.join(ENABLED_FILE).exists() {
        (State::Enabled, StateSource::EnabledFile)
    } else if let Some(state) = declared {
        (state, StateSource::Metadata)
    } else {
        (State::Enabled, StateSource::Default)
    };
    EffectiveState { state, source }
}

/// Write the markers for `state`: create its own marker, then remove the other one.
///
/// That order keeps every intermediate state valid if the process dies between the steps:
/// while both markers exist `DISABLED` wins, which is the state `disable` wants and the state
/// `enable` starts from. The marker is created by renaming a temporary file into place, so no
/// reader ever sees a half-made one, with `0666 & ~umask` as the host's own files have.
/// Returns whether anything changed.
pub(crate) fn write_markers(folder: &Path, state: State) -> io::Result<bool> {
    let (wanted, other) = match state {
        State::Enabled => (ENABLED_FILE, DISABLED_FILE),
        State::Disabled => (DISABLED_FILE, ENABLED_FILE),
    };
    let mut changed = false;
    let wanted_path = folder.join(wanted);
    if !wanted_path.exists() {
        crate::util::atomic::write_atomically(&wanted_path, b"")?;
        changed = true;
    }
    match std::fs::remove_file(folder.join(other)) {
        Ok(()) => changed = true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_follow_flask_pluginkit_precedence() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path();
        assert_eq!(effective(folder, None).source, StateSource::Default);
        assert_eq!(
            effective(folder, Some(State::Disabled)),
            EffectiveState {
                state: State::Disabled,
                source: StateSource::Metadata
            }
        );
        assert!(write_markers(folder, State::Enabled).unwrap());
        assert_eq!(
            effective(folder, Some(State::Disabled)).source,
            StateSource::EnabledFile
        );
        assert!(!write_markers(folder, State::Enabled).unwrap());
        std::fs::write(folder.join(DISABLED_FILE), "").unwrap();
        assert_eq!(effective(folder, None).source, StateSource::DisabledFile);
        assert!(write_markers(folder, State::Disabled).unwrap());
        assert!(!folder.join(ENABLED_FILE).exists());
        assert!(!write_markers(folder, State::Disabled).unwrap());
    }
}
