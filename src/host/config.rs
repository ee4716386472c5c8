//! `pluginkit.toml`'s typed sections: `[host]`, `[registries.NAME]`, `[limits]`, `[git]`, and
//! `[plugins]` (read in [`super::plugins`]). A malformed file is an error that points at the
//! exact line and column.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::error::Error;
use crate::findings::rules;
use crate::findings::{Finding, SourceFile};
use crate::host::HOST_FILE;
use crate::host::plugins::PluginsTable;
use crate::plugin::flavor::Flavor;
use crate::plugin::host::HostKind;
use crate::registry::signing::{self, TrustedKey};

/// `pluginkit.toml` as written by the user. Unknown keys are errors here (unlike in plugin
/// manifests) because a misspelt setting would otherwise be silently ignored.
#[derive(Debug, Default)]
pub struct HostConfig {
    pub(crate) host: HostSection,
    pub(crate) registries: BTreeMap<String, RegistryConfig>,
    /// Bounds on the packages pluginkit reads; defaults in [`crate::package::read::Limits`].
    pub(crate) limits: LimitsConfig,
    pub(crate) git: GitConfig,
    /// `[fba]`: where FBA's Redis is, when neither the environment nor `backend/.env` says.
    pub(crate) fba: FbaConfig,
    /// What `sync` installs, typed, each entry with where it is written.
    pub(crate) plugins: PluginsTable,
}

/// [`HostConfig`] as serde reads it: `[plugins]` is only checked to be a table here, and is
/// typed with its spans by [`PluginsTable::parse`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    host: HostSection,
    #[serde(default)]
    registries: BTreeMap<String, RegistryConfig>,
    #[serde(default)]
    limits: LimitsConfig,
    #[serde(default)]
    git: GitConfig,
    #[serde(default)]
    fba: FbaConfig,
    #[serde(default)]
    plugins: toml::Table,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct HostSection {
    /// Which application loads the plugins; detected when absent.
    pub(crate) kind: Option<HostKind>,
    pub(crate) plugins_dir: Option<PathBuf>,
    pub(crate) flavor: Option<Flavor>,
    /// The host's own version, checked against plugins' requirements.
    pub(crate) version: Option<toml::Spanned<String>>,
    pub(crate) pidfile: Option<PathBuf>,
    pub(crate) process_name: Option<String>,
    pub(crate) signal: Option<String>,
    /// The Python interpreter that installs plugins' requirements.
    pub(crate) python: Option<PathBuf>,
    /// `always` makes `--reload` the default for commands that change plugins.
    pub(crate) reload: Option<ReloadPolicy>,
    /// How many backups of each plugin to keep (0 or more; checked by [`parse`]).
    pub(crate) keep_backups: Option<toml::Spanned<i64>>,
}

/// How many backups of one plugin are kept when `[host] keep-backups` does not say.
pub(crate) const DEFAULT_KEEP_BACKUPS: usize = 3;

impl HostSection {
    /// How many backups of each plugin `remove`, `add --force`, `upgrade` and `restore` keep.
    pub(crate) fn keep_backups(&self) -> usize {
        self.keep_backups
            .as_ref()
            .and_then(|n| usize::try_from(*n.get_ref()).ok())
            .unwrap_or(DEFAULT_KEEP_BACKUPS)
    }
}

/// `[git]`: how to reach private repositories over https.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct GitConfig {
    /// The environment variable holding the token (default `PLUGINKIT_GIT_TOKEN`).
    pub(crate) token_env: Option<String>,
    /// The hosts the token is sent to, `host` or `host:port`, only ever over https (default
    /// github.com and gitlab.com); `[]` sends it nowhere.
    pub(crate) token_hosts: Option<Vec<String>>,
}

/// `[fba]`: FBA's Redis settings, by the names of FBA's own (`REDIS_HOST` is `redis-host`),
/// for a host whose `backend/.env` does not give them. The environment and `backend/.env` win,
/// as they do for FBA.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct FbaConfig {
    pub(crate) redis_host: Option<String>,
    pub(crate) redis_port: Option<u16>,
    pub(crate) redis_password: Option<String>,
    pub(crate) redis_database: Option<i64>,
    pub(crate) plugin_redis_prefix: Option<String>,
}

/// `[limits]`: what a package may unpack to before pluginkit refuses it as a ZIP bomb.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct LimitsConfig {
    /// Bytes a package may unpack to at least, whatever its size.
    pub(crate) max_unpacked_size: Option<u64>,
    /// How many times its own size a package may unpack to, when that is more.
    pub(crate) max_unpacked_ratio: Option<u64>,
    /// How much one entry over 1 MiB may be compressed (unpacked size / packed size).
    pub(crate) max_entry_ratio: Option<u64>,
    /// How many entries a package may hold.
    pub(crate) max_entries: Option<usize>,
}

impl LimitsConfig {
    /// The limits, with the defaults where the file sets none.
    pub(crate) fn limits(&self) -> crate::package::read::Limits {
        let default = crate::package::read::Limits::default();
        crate::package::read::Limits {
            max_entries: self.max_entries.unwrap_or(default.max_entries),
            max_total_size: self.max_unpacked_size.unwrap_or(default.max_total_size),
            max_total_ratio: self.max_unpacked_ratio.unwrap_or(default.max_total_ratio),
            max_ratio: self.max_entry_ratio.unwrap_or(default.max_ratio),
            ..default
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ReloadPolicy {
    Always,
    Never,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RegistryConfig {
    pub(crate) index: String,
    pub(crate) token_env: Option<String>,
    /// The minisign public keys (`RW...`) whose signature of the registry's snapshot this host
    /// trusts; several during a key rotation. Checked, and read into `keys`, by [`parse`].
    #[serde(default)]
    pub(crate) public_keys: Option<Vec<toml::Spanned<String>>>,
    /// `public_keys`, read; empty when the registry is not verified.
    #[serde(skip)]
    pub(crate) keys: Vec<TrustedKey>,
}

/// Parse the text of a `pluginkit.toml` shown to the user as `shown`.
pub fn parse(text: &str, shown: &str) -> Result<(HostConfig, Option<semver::Version>), Error> {
    let source = SourceFile::new(shown, Some(text.to_owned()));
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end().to_owned();
        let first = message.lines().next().unwrap_or("invalid TOML").to_owned();
        Error::Diagnostic(Box::new(
            Finding::new(&rules::HOST_CONFIG, format!("malformed {HOST_FILE}: {first}"))
                .help(format!(
                    "fix {shown}; its keys are [host] kind, plugins-dir, flavor, version, pidfile, process-name, signal, python, reload, keep-backups; [registries.NAME] index, token-env, public-keys; [limits] max-unpacked-size, max-unpacked-ratio, max-entry-ratio, max-entries; [git] token-env, token-hosts; [fba] redis-host, redis-port, redis-password, redis-database, plugin-redis-prefix; and [plugins]"
                ))
                .in_file(&source, e.span()),
        ))
    })?;
    let mut raw = raw;
    for (name, registry) in &mut raw.registries {
        registry.keys = public_keys(&source, name, registry.public_keys.as_deref())?;
    }
    let config = HostConfig {
        plugins: if raw.plugins.is_empty() {
            PluginsTable::default()
        } else {
            PluginsTable::parse(&source)
        },
        host: raw.host,
        registries: raw.registries,
        limits: raw.limits,
        git: raw.git,
        fba: raw.fba,
    };
    let version = match &config.host.version {
        None => None,
        Some(spanned) => Some(semver::Version::parse(spanned.get_ref()).map_err(|e| {
            Error::Diagnostic(Box::new(
                Finding::new(
                    &rules::HOST_CONFIG,
                    format!(
                        "[host] version `{}` is not a SemVer version: {e}",
                        spanned.get_ref()
                    ),
                )
                .label("expected MAJOR.MINOR.PATCH")
                .help("write the host's version in full, e.g. version = \"2.4.0\"")
                .in_file(&source, Some(spanned.span())),
            ))
        })?),
    };
    if let Some(keep) = &config.host.keep_backups
        && *keep.get_ref() < 0
    {
        return Err(Error::Diagnostic(Box::new(
            Finding::new(
                &rules::HOST_CONFIG,
                format!(
                    "[host] keep-backups = {} is not a number of backups",
                    keep.get_ref()
                ),
            )
            .label("expected 0 or more")
            .help("write how many backups of each plugin to keep, e.g. keep-backups = 3 (0 keeps none)")
            .in_file(&source, Some(keep.span())),
        )));
    }
    Ok((config, version))
}

/// `[registries.NAME] public-keys`, read: each a minisign public key, at least one when the
/// list is there (an empty list would trust nothing, silently).
fn public_keys(
    source: &std::sync::Arc<SourceFile>,
    name: &str,
    keys: Option<&[toml::Spanned<String>]>,
) -> Result<Vec<TrustedKey>, Error> {
    let Some(keys) = keys else {
        return Ok(Vec::new());
    };
    let refuse = |message: String, label: &str, span| {
        Error::Diagnostic(Box::new(
            Finding::new(&rules::HOST_CONFIG, message)
                .label(label)
                .help("list the registry's public keys as `pluginkit registry keygen` prints them, e.g. public-keys = [\"RWQ...\"]; leave out public-keys to not verify the registry")
                .in_file(source, Some(span)),
        ))
    };
    let mut read = Vec::new();
    for key in keys {
        match signing::parse_public_key(key.get_ref()) {
            Ok(trusted) => read.push(trusted),
            Err(e) => {
                return Err(refuse(
                    format!("[registries.{name}] public-keys: {e}"),
                    "expected the base64 line of a minisign .pub file",
                    key.span(),
                ));
            }
        }
    }
    if read.is_empty() {
        return Err(Error::Diagnostic(Box::new(
            Finding::new(
                &rules::HOST_CONFIG,
                format!("[registries.{name}] public-keys is empty, so no signature could be trusted"),
            )
            .help("list the registry's public keys, e.g. public-keys = [\"RWQ...\"]; leave out public-keys to not verify the registry")
            .in_file(source, None),
        )));
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Position;

    #[test]
    fn errors_point_at_the_bad_key() {
        let text = "[host]\nplugins-dir = \"p\"\nplugin-dir = \"x\"\n";
        let Err(Error::Diagnostic(finding)) = parse(text, "pluginkit.toml") else {
            panic!("expected a diagnostic");
        };
        let (start, _) = finding.location.as_ref().unwrap().positions().unwrap();
        assert_eq!(start, Position { line: 3, column: 1 });
        assert!(
            finding.message.contains("plugin-dir"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn keep_backups_is_a_count_pointed_at_when_bad() {
        let (config, _) = parse("", "pluginkit.toml").unwrap();
        assert_eq!(config.host.keep_backups(), 3);
        let (config, _) = parse("[host]\nkeep-backups = 0\n", "pluginkit.toml").unwrap();
        assert_eq!(config.host.keep_backups(), 0);
        for bad in ["-1", "\"three\"", "2.5"] {
            let text = format!("[host]\nplugins-dir = \"p\"\nkeep-backups = {bad}\n");
            let Err(Error::Diagnostic(finding)) = parse(&text, "pluginkit.toml") else {
                panic!("{bad}: expected a diagnostic");
            };
            let (start, _) = finding.location.as_ref().unwrap().positions().unwrap();
            assert_eq!(start.line, 3, "{bad}");
        }
    }

    #[test]
    fn public_keys_are_read_and_a_bad_one_is_pointed_at() {
        let key = "RWTwwJdzinBdVgNJrprHb9Qqi1v1057CfKNYYKMnqTl1t0rlxlhJe5nK";
        let text = format!("[registries.default]\nindex = \"r\"\npublic-keys = [\"{key}\"]\n");
        let (config, _) = parse(&text, "pluginkit.toml").unwrap();
        assert_eq!(config.registries["default"].keys[0].id, "565D708A7397C0F0");
        let text = format!(
            "[registries.default]\nindex = \"r\"\npublic-keys = [\n  \"{key}\",\n  \"RWQbad\",\n]\n"
        );
        let Err(Error::Diagnostic(finding)) = parse(&text, "pluginkit.toml") else {
            panic!("expected a diagnostic");
        };
        let (start, _) = finding.location.as_ref().unwrap().positions().unwrap();
        assert_eq!(start, Position { line: 5, column: 3 });
        assert!(finding.message.contains("RWQbad"), "{}", finding.message);
        assert!(parse("[registries.d]\nindex = \"r\"\npublic-keys = []\n", "p").is_err());
    }

    #[test]
    fn reads_every_documented_key() {
        let text = r#"
[host]
kind = "flask-pluginkit"
plugins-dir = "plugins"
flavor = "flask-pluginkit"
version = "2.4.0"
pidfile = "run/gunicorn.pid"
process-name = "gunicorn"
signal = "HUP"
keep-backups = 5

[registries.default]
index = "https://plugins.example.com/"
token-env = "PLUGINS_TOKEN"

[git]
token-env = "GITHUB_TOKEN"
token-hosts = ["github.com", "git.example.com:8443"]

[fba]
redis-host = "10.0.0.5"
redis-port = 6380
redis-password = "secret"
redis-database = 2
plugin-redis-prefix = "fba:plugin"

[plugins]
hello = "^1.2"
auth = { git = "https://github.com/acme/auth.git", tag = "v2.0.0" }
"#;
        let (config, version) = parse(text, "pluginkit.toml").unwrap();
        assert_eq!(config.host.flavor, Some(Flavor::FlaskPluginkit));
        assert_eq!(config.host.kind, Some(HostKind::FlaskPluginkit));
        assert_eq!(version, Some(semver::Version::new(2, 4, 0)));
        assert_eq!(config.host.keep_backups(), 5);
        assert_eq!(
            config.registries["default"].token_env.as_deref(),
            Some("PLUGINS_TOKEN")
        );
        assert_eq!(config.plugins.wanted().unwrap().len(), 2);
        assert_eq!(config.fba.redis_port, Some(6380));
        assert_eq!(config.fba.redis_database, Some(2));
        assert_eq!(
            config.git.token_hosts.as_deref(),
            Some(&["github.com".to_owned(), "git.example.com:8443".to_owned()][..])
        );
    }
}
