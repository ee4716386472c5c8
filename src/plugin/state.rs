//! Enabled or disabled: the effective state as Flask-PluginKit decides it, for every flavor, and
//! the marker files that `enable` and `disable` write (through `transaction::toggle`, which
//! orders the writes so that a killed run leaves the old state or the new one).

use std::fmt;
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
