//! FBA's switch: the state of plugin NAME is the Redis string `{PLUGIN_REDIS_PREFIX}:{NAME}`
//! (prefix `fba:plugin`), FBA's plugin record as JSON ([`super::fba_json`]), whose
//! `plugin.enable` is the string `"1"` (enabled) or `"0"`; anything else, a number included,
//! reads as disabled. All from FBA 2e86d79: backend/plugin/core.py (`get_plugin_enable`,
//! `parse_plugin_config`, `PluginStatusChecker`), backend/app/admin/service/plugin_service.py
//! (`update_status`, `uninstall`, `changed`), backend/plugin/installer.py, backend/core/conf.py.
//!
//! - A key that is missing is FBA's default, enabled: its start-up writes it so
//!   (`get_plugin_enable(None, StatusType.enable)`), and newer FBA rebuilds a missing key as
//!   enabled. So a plugin is never disabled by deleting its key; a key that does not exist yet
//!   (the server never started) is written whole, as the start-up would write it.
//! - Every change sets `{prefix}:changed` to the string `true`, FBA's "restart needed" flag
//!   (its admin page polls `GET /api/v1/sys/plugins/changed`; the start-up deletes it).
//! - `remove` deletes the plugin's key, as FBA's own uninstall does.
//!
//! Where Redis is: `REDIS_HOST`, `REDIS_PORT`, `REDIS_PASSWORD`, `REDIS_DATABASE` and
//! `PLUGIN_REDIS_PREFIX` from the environment, else `backend/.env` (FBA's settings file, read as
//! python-dotenv reads it), else `[fba]` in `pluginkit.toml`, else FBA's `.env.example`
//! defaults (127.0.0.1, 6379, no password, database 0). Every connection has short timeouts, and
//! every error names the key, the server and where its settings came from.

use std::borrow::Cow;
use std::path::Path;
use std::time::Duration;

use redis::{ConnectionAddr, IntoConnectionInfo, RedisConnectionInfo};

use super::fba_json::Json;
use crate::env::Environment;
use crate::error::Domain;
use crate::host::config::FbaConfig;
use crate::plugin::state::State;

/// FBA's settings file, under the host root.
pub(crate) const DOTENV: &str = "backend/.env";

/// FBA's own default prefix (backend/core/conf.py `PLUGIN_REDIS_PREFIX`).
pub(crate) const DEFAULT_PREFIX: &str = "fba:plugin";

/// How long a connection, and then each reply, may take: Redis answers in microseconds, so a
/// few seconds only ever pass when it is not there.
const TIMEOUT: Duration = Duration::from_secs(3);

/// How many times a switch is tried when another client changes a key between its read and
/// its write (FBA's admin page, another pluginkit).
const ATTEMPTS: usize = 3;

/// The most of `backend/.env` that is read.
const DOTENV_CAP: u64 = 1 << 20;

/// The value FBA writes for "enabled" and "disabled" (`str(StatusType.enable.value)`).
pub(crate) fn enable_value(state: State) -> &'static str {
    match state {
        State::Enabled => "1",
        State::Disabled => "0",
    }
}

/// Where FBA's Redis is, and where each setting came from.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    host: String,
    port: u16,
    password: Option<String>,
    database: i64,
    prefix: String,
    /// Where the settings came from, as a user reads it: "REDIS_HOST, REDIS_PORT from
    /// backend/.env; the rest FBA's defaults".
    from: String,
}

/// Where one setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Environment,
    Dotenv,
    Config,
    Default,
}

impl Origin {
    fn describe(self) -> &'static str {
        match self {
            Origin::Environment => "the environment",
            Origin::Dotenv => DOTENV,
            Origin::Config => "[fba] in pluginkit.toml",
            Origin::Default => "FBA's defaults",
        }
    }
}

impl Target {
    /// Find FBA's Redis settings for the host at `root`.
    pub(crate) fn resolve(
        env: &Environment,
        root: &Path,
        config: &FbaConfig,
    ) -> Result<Target, Error> {
        let dotenv = read_dotenv(&root.join(DOTENV))?;
        let mut origins: Vec<(&'static str, Origin)> = Vec::new();
        let mut pick = |name: &'static str, config: Option<String>, default: &str| {
            let (value, origin) = if let Some(v) = env.fba_redis_setting(name) {
                (v, Origin::Environment)
            } else if let Some((_, v)) = dotenv.iter().rev().find(|(k, _)| k == name) {
                (v.clone(), Origin::Dotenv)
            } else if let Some(v) = config {
                (v, Origin::Config)
            } else {
                (default.to_owned(), Origin::Default)
            };
            origins.push((name, origin));
            (value, origin)
        };
        let (host, _) = pick("REDIS_HOST", config.redis_host.clone(), "127.0.0.1");
        let (port, port_from) = pick(
            "REDIS_PORT",
            config.redis_port.map(|p| p.to_string()),
            "6379",
        );
        let (password, _) = pick("REDIS_PASSWORD", config.redis_password.clone(), "");
        let (database, database_from) = pick(
            "REDIS_DATABASE",
            config.redis_database.map(|d| d.to_string()),
            "0",
        );
        let (prefix, _) = pick(
            "PLUGIN_REDIS_PREFIX",
            config.plugin_redis_prefix.clone(),
            DEFAULT_PREFIX,
        );
        let port = port.trim().parse::<u16>().map_err(|_| Error::Setting {
            name: "REDIS_PORT",
            value: port.clone(),
            from: port_from.describe(),
        })?;
        let database = database.trim().parse::<i64>().map_err(|_| Error::Setting {
            name: "REDIS_DATABASE",
            value: database.clone(),
            from: database_from.describe(),
        })?;
        Ok(Target {
            host,
            port,
            // redis-py sends no AUTH for an empty password, which is how FBA's
            // .env.example says "none".
            password: Some(password).filter(|p| !p.is_empty()),
            database,
            prefix,
            from: describe_origins(&origins),
        })
    }

    /// The key of plugin `name`.
    pub(crate) fn key(&self, name: &str) -> String {
        format!("{}:{name}", self.prefix)
    }

    /// FBA's "restart needed" flag.
    pub(crate) fn changed_key(&self) -> String {
        format!("{}:changed", self.prefix)
    }

    /// The server, as messages name it: `127.0.0.1:6379 (database 0)`.
    pub(crate) fn address(&self) -> String {
        format!("{}:{} (database {})", self.host, self.port, self.database)
    }

    /// Connect, authenticate and select the database; `key` is what the connection is for,
    /// for the message when it fails.
    pub(crate) fn connect(&self, key: &str) -> Result<Store, Error> {
        let mut redis = RedisConnectionInfo::default()
            .set_db(self.database)
            .set_skip_set_lib_name();
        if let Some(password) = &self.password {
            redis = redis.set_password(password);
        }
        let info = ConnectionAddr::Tcp(self.host.clone(), self.port)
            .into_connection_info()
            .map(|info| info.set_redis_settings(redis));
        let connected = info
            .and_then(redis::Client::open)
            .and_then(|client| client.get_connection_with_timeout(TIMEOUT))
            .and_then(|con| {
                con.set_read_timeout(Some(TIMEOUT))?;
                con.set_write_timeout(Some(TIMEOUT))?;
                Ok(con)
            });
        match connected {
            Ok(con) => Ok(Store {
                con,
                target: self.clone(),
            }),
            Err(source) => Err(self.failure(key, source)),
        }
    }

    fn failure(&self, key: &str, source: redis::RedisError) -> Error {
        let (address, from) = (self.address(), self.from.clone());
        let key = key.to_owned();
        if source.kind() == redis::ErrorKind::AuthenticationFailed
            || source.code() == Some("NOAUTH")
            || source.code() == Some("WRONGPASS")
        {
            Error::Auth {
                key,
                address,
                from,
                source,
            }
        } else {
            Error::Unreachable {
                key,
                address,
                from,
                source,
            }
        }
    }
}

/// What FBA's record of a plugin says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Recorded {
    /// No key: FBA's default, enabled.
    Missing,
    /// `plugin.enable` is `"1"` (enabled) or anything else (disabled).
    Present(State),
}

/// A connection to FBA's Redis.
pub(crate) struct Store {
    con: redis::Connection,
    target: Target,
}

/// One plugin to switch: its folder's name (FBA's key) and its `plugin.toml`'s text, for a key
/// that does not exist yet.
pub(crate) struct ToSwitch<'a> {
    pub(crate) name: &'a str,
    pub(crate) plugin_toml: &'a dyn Fn() -> Result<String, String>,
}

impl Store {
    /// What FBA's records say of the plugins `names`.
    pub(crate) fn states(&mut self, names: &[&str]) -> Result<Vec<Recorded>, Error> {
        let keys: Vec<String> = names.iter().map(|n| self.target.key(n)).collect();
        let values = self.get_many(&keys)?;
        keys.iter()
            .zip(values)
            .map(|(key, value)| match value {
                None => Ok(Recorded::Missing),
                Some(text) => self
                    .parse(key, &text)
                    .map(|(_, state)| Recorded::Present(state)),
            })
            .collect()
    }

    /// Whether FBA's "restart needed" flag is set.
    pub(crate) fn restart_needed(&mut self) -> Result<bool, Error> {
        let key = self.target.changed_key();
        let value = self.get_many(std::slice::from_ref(&key))?;
        Ok(value.into_iter().next().flatten().is_some())
    }

    /// Check that the server answers (before a change, so that one it cannot record changes
    /// nothing).
    pub(crate) fn ping(&mut self) -> Result<(), Error> {
        let key = self.target.changed_key();
        redis::cmd("PING")
            .query::<String>(&mut self.con)
            .map(drop)
            .map_err(|e| self.target.failure(&key, e))
    }

    /// Switch `plugins` to `wanted`, and set the restart flag when any changed: one
    /// transaction (WATCH, MULTI, EXEC), so either every key and the flag are written or none
    /// is. Every record is read and checked first; one that is not FBA's JSON changes nothing.
    /// Returns, per plugin, whether its record changed.
    pub(crate) fn switch(
        &mut self,
        plugins: &[ToSwitch],
        wanted: State,
    ) -> Result<Vec<bool>, Error> {
        let keys: Vec<String> = plugins.iter().map(|p| self.target.key(p.name)).collect();
        let changed_key = self.target.changed_key();
        for _ in 0..ATTEMPTS {
            let first = keys.first().cloned().unwrap_or_default();
            redis::cmd("WATCH")
                .arg(&keys)
                .exec(&mut self.con)
                .map_err(|e| self.target.failure(&first, e))?;
            let values = self.get_many(&keys)?;
            let mut writes: Vec<(String, String)> = Vec::new();
            let mut changed = Vec::new();
            for ((plugin, key), value) in plugins.iter().zip(&keys).zip(values) {
                let record = match value {
                    Some(text) => {
                        let (mut record, state) = self.parse(key, &text)?;
                        let literal = matches!(
                            record.get("plugin").and_then(|p| p.get("enable")),
                            Some(Json::Str(s)) if s == enable_value(wanted)
                        );
                        if state == wanted && literal {
                            changed.push(false);
                            continue;
                        }
                        if let Some(p) = record.get_mut("plugin") {
                            p.set("enable", Json::Str(enable_value(wanted).into()));
                        }
                        record
                    }
                    None => self.whole(key, plugin, wanted)?,
                };
                writes.push((key.clone(), record.dumps()));
                changed.push(true);
            }
            if writes.is_empty() {
                let _ = redis::cmd("UNWATCH").exec(&mut self.con);
                return Ok(changed);
            }
            let mut pipe = redis::pipe();
            pipe.atomic();
            for (key, value) in &writes {
                pipe.cmd("SET").arg(key).arg(value).ignore();
            }
            pipe.cmd("SET").arg(&changed_key).arg("true").ignore();
            let done: Option<()> = pipe
                .query(&mut self.con)
                .map_err(|e| self.target.failure(&writes[0].0, e))?;
            if done.is_some() {
                return Ok(changed);
            }
        }
        Err(Error::Contended {
            key: keys.join(", "),
            address: self.target.address(),
        })
    }

    /// Record that the plugins changed (FBA's restart flag), deleting the keys of `removed`,
    /// as FBA's uninstall does; one transaction.
    pub(crate) fn record_change(&mut self, removed: &[String]) -> Result<(), Error> {
        let changed_key = self.target.changed_key();
        let mut pipe = redis::pipe();
        pipe.atomic();
        for name in removed {
            pipe.cmd("DEL").arg(self.target.key(name)).ignore();
        }
        pipe.cmd("SET").arg(&changed_key).arg("true").ignore();
        pipe.query::<()>(&mut self.con)
            .map_err(|e| self.target.failure(&changed_key, e))
    }

    fn get_many(&mut self, keys: &[String]) -> Result<Vec<Option<String>>, Error> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<Option<Vec<u8>>> = redis::cmd("MGET")
            .arg(keys)
            .query(&mut self.con)
            .map_err(|e| self.target.failure(&keys[0], e))?;
        keys.iter()
            .zip(values)
            .map(|(key, value)| match value {
                None => Ok(None),
                Some(bytes) => String::from_utf8(bytes)
                    .map(Some)
                    .map_err(|_| self.malformed(key, "it is not UTF-8 text".into())),
            })
            .collect()
    }

    /// FBA's record in `text`, and the state it gives: `plugin.enable` is `"1"`, or it is
    /// disabled.
    fn parse(&self, key: &str, text: &str) -> Result<(Json, State), Error> {
        let record = Json::parse(text).map_err(|why| self.malformed(key, why))?;
        let enable = match record.get("plugin") {
            Some(plugin @ Json::Object(_)) => plugin.get("enable"),
            _ => {
                return Err(self.malformed(key, "it has no `plugin` object".into()));
            }
        };
        let state = match enable {
            None => return Err(self.malformed(key, "it has no `plugin.enable`".into())),
            Some(Json::Str(s)) if s == "1" => State::Enabled,
            Some(_) => State::Disabled,
        };
        Ok((record, state))
    }

    /// The record FBA's start-up would write for `plugin`, switched to `wanted`.
    fn whole(&self, key: &str, plugin: &ToSwitch, wanted: State) -> Result<Json, Error> {
        let unstorable = |why: String| Error::Unstorable {
            key: key.to_owned(),
            name: plugin.name.to_owned(),
            why,
        };
        let text = (plugin.plugin_toml)().map_err(unstorable)?;
        let mut record = Json::from_toml(&text).map_err(unstorable)?;
        match record.get_mut("plugin") {
            Some(p @ Json::Object(_)) => {
                p.set("name", Json::Str(plugin.name.to_owned()));
                p.set("enable", Json::Str(enable_value(wanted).into()));
            }
            _ => return Err(unstorable("it has no [plugin] table".into())),
        }
        Ok(record)
    }

    fn malformed(&self, key: &str, why: String) -> Error {
        Error::Malformed {
            key: key.to_owned(),
            address: self.target.address(),
            from: self.target.from.clone(),
            database: self.target.database,
            why,
        }
    }
}

/// "REDIS_HOST, REDIS_PORT from backend/.env; the rest FBA's defaults".
fn describe_origins(origins: &[(&'static str, Origin)]) -> String {
    let order = [
        Origin::Environment,
        Origin::Dotenv,
        Origin::Config,
        Origin::Default,
    ];
    let groups: Vec<(Origin, Vec<&str>)> = order
        .iter()
        .map(|o| {
            let names = origins
                .iter()
                .filter(|(_, origin)| origin == o)
                .map(|(n, _)| *n)
                .collect();
            (*o, names)
        })
        .filter(|(_, names): &(Origin, Vec<&str>)| !names.is_empty())
        .collect();
    if groups.len() == 1 {
        return format!("all from {}", groups[0].0.describe());
    }
    groups
        .iter()
        .map(|(origin, names)| format!("{} from {}", names.join(", "), origin.describe()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The variables of the dotenv file at `path` as FBA reads them ([`crate::host::env_file`]).
/// A file that is not there gives none.
fn read_dotenv(path: &Path) -> Result<Vec<(String, String)>, Error> {
    let text = match crate::util::read::read_regular_text(path, DOTENV_CAP) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Dotenv { source }),
    };
    Ok(crate::host::env_file::values(&text))
}

/// What can go wrong with FBA's Redis.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("cannot reach FBA's Redis at {address} for {key} (settings: {from})")]
    Unreachable {
        key: String,
        address: String,
        from: String,
        #[source]
        source: redis::RedisError,
    },
    #[error(
        "FBA's Redis at {address} refused the password, so {key} cannot be read (settings: {from})"
    )]
    Auth {
        key: String,
        address: String,
        from: String,
        #[source]
        source: redis::RedisError,
    },
    #[error(
        "{key} in FBA's Redis at {address} is not FBA's plugin record: {why} (settings: {from})"
    )]
    Malformed {
        key: String,
        address: String,
        from: String,
        database: i64,
        why: String,
    },
    #[error("cannot write {key} for FBA: the plugin's plugin.toml cannot be stored: {why}")]
    Unstorable {
        key: String,
        name: String,
        why: String,
    },
    #[error("{name}={value} (from {from}) is not a number FBA reads")]
    Setting {
        name: &'static str,
        value: String,
        from: &'static str,
    },
    #[error("cannot read {DOTENV}")]
    Dotenv {
        #[source]
        source: std::io::Error,
    },
    #[error("{key} in FBA's Redis at {address} kept changing while pluginkit switched it")]
    Contended { key: String, address: String },
}

impl Domain for Error {
    fn hint(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Error::Unreachable { .. } => Cow::Borrowed(
                "start Redis, or point REDIS_HOST and REDIS_PORT at FBA's (in the environment, backend/.env or [fba] in pluginkit.toml); nothing was changed",
            ),
            Error::Auth { .. } => Cow::Borrowed(
                "set REDIS_PASSWORD to the password FBA's Redis expects (in the environment, backend/.env or [fba] in pluginkit.toml); nothing was changed",
            ),
            Error::Malformed { key, database, .. } => Cow::Owned(format!(
                "restart FBA, which rebuilds it from plugin.toml, or delete it (`redis-cli -n {database} DEL {key}`); nothing was changed"
            )),
            Error::Unstorable { .. } => Cow::Borrowed(
                "FBA stores the parsed plugin.toml as JSON: fix plugin.toml (`pluginkit validate`); nothing was changed",
            ),
            Error::Setting { name, .. } => Cow::Owned(format!("set {name} to a whole number")),
            Error::Dotenv { .. } => Cow::Borrowed("make backend/.env a readable text file"),
            Error::Contended { .. } => Cow::Borrowed(
                "something else (FBA's admin page?) is switching it too; run the command again",
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_summed_up() {
        assert_eq!(
            describe_origins(&[
                ("REDIS_HOST", Origin::Dotenv),
                ("REDIS_PORT", Origin::Default)
            ]),
            "REDIS_HOST from backend/.env; REDIS_PORT from FBA's defaults"
        );
        assert_eq!(
            describe_origins(&[("REDIS_HOST", Origin::Default)]),
            "all from FBA's defaults"
        );
    }
}
