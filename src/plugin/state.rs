//! Enabled or disabled: a plugin's effective state and what decided it. Where it lives depends on
//! the host kind (`host::switch`): the marker files Flask-PluginKit defined (decided here, for
//! Flask-PluginKit, native and crate plugins), FBA's Redis record, or FastCMS's `_` folder
//! prefix. `transaction::toggle` writes markers and renames folders so that a killed run leaves
//! the old state or the new one.

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

/// What decided the effective state. For marker files, in the order they are consulted
/// (`DisabledFile`, `EnabledFile`, `Metadata`, `Default`); for FBA, its Redis record (`Redis`,
/// or `RedisDefault` when there is no key: FBA's default, enabled); for FastCMS, a folder name
/// starting with `_` (`UnderscoreFolder`; otherwise `Default`); for the class-based pattern, the
/// folder moved into `.pluginkit/disabled/` (`MovedOut`, with where in the state's `key`;
/// otherwise `Default`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum StateSource {
    DisabledFile,
    EnabledFile,
    Metadata,
    Default,
    Redis,
    RedisDefault,
    UnderscoreFolder,
    MovedOut,
}

impl StateSource {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            StateSource::DisabledFile => "DISABLED file",
            StateSource::EnabledFile => "ENABLED file",
            StateSource::Metadata => "metadata",
            StateSource::Default => "default",
            StateSource::Redis => "redis",
            StateSource::RedisDefault => "FBA's default: no redis key",
            StateSource::UnderscoreFolder => "folder name starts with _",
            StateSource::MovedOut => "moved to",
        }
    }
}

/// A plugin's effective state, what decided it, and where that was read when it is not the
/// plugin's folder (FBA's Redis key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct EffectiveState {
    pub(crate) state: State,
    #[serde(rename = "state_source")]
    pub(crate) source: StateSource,
    /// The Redis key FBA keeps the state in (`fba:plugin:email`), for FBA plugins; where a
    /// class-based plugin was moved to (`.pluginkit/disabled/email`), disabled.
    #[serde(rename = "state_key", skip_serializing_if = "Option::is_none")]
    pub(crate) key: Option<String>,
}

impl EffectiveState {
    pub(crate) fn new(state: State, source: StateSource) -> Self {
        EffectiveState {
            state,
            source,
            key: None,
        }
    }

    /// What decided it, as `list` and `info` say it: `DISABLED file`, `redis fba:plugin:email`,
    /// `moved to .pluginkit/disabled/email`.
    pub(crate) fn reason(&self) -> String {
        match &self.key {
            Some(key) => format!("{} {key}", self.source.as_str()),
            None => self.source.as_str().to_owned(),
        }
    }
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
    EffectiveState::new(state, source)
}
