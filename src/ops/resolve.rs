//! Choosing the registry a command uses from the host's configuration, and opening it with the
//! settings it needs (download options, the cache).

use std::path::PathBuf;

use crate::error::Error;
use crate::registry::client::{self, Registry};
use crate::settings::Settings;

/// The registry a command uses: `name` (from `--registry`), else `PLUGINKIT_REGISTRY`, else the
/// one called `default`, else the only one configured.
pub fn open(settings: &Settings, name: Option<&str>, offline: bool) -> Result<Registry, Error> {
    let configured = &settings.host.config.registries;
    let Some(chosen) = name.map(str::to_owned).or_else(|| default_name(settings)) else {
        return Err(Error::user_hint(
            "no registry is configured",
            "add one to pluginkit.toml:\n  [registries.default]\n  index = \"https://plugins.example.com/\"",
        ));
    };
    let config = configured.get(&chosen).ok_or_else(|| {
        let names: Vec<&str> = configured.keys().map(String::as_str).collect();
        Error::user_hint(
            format!("pluginkit.toml has no registry named `{chosen}`"),
            if names.is_empty() {
                "add [registries.NAME] with an index to pluginkit.toml".to_owned()
            } else {
                format!("the configured registries: {}", names.join(", "))
            },
        )
    })?;
    Registry::open(
        &chosen,
        &config.index,
        &settings.host.root,
        config.token_env.as_deref(),
        &cache()?,
        offline,
        &settings.download,
    )
}

/// The registry a package URL from `pluginkit.lock` comes from: the configured one whose index
/// it is under (for its token), else one opened at the URL's registry root (the part before
/// `files/`), without a token.
pub fn open_for_url(settings: &Settings, url: &str) -> Result<Registry, Error> {
    let cache = cache()?;
    let open = |name: &str, index: &str, token_env: Option<&str>| {
        Registry::open(
            name,
            index,
            &settings.host.root,
            token_env,
            &cache,
            false,
            &settings.download,
        )
    };
    for (name, config) in &settings.host.config.registries {
        let registry = open(name, &config.index, config.token_env.as_deref())?;
        if url.starts_with(registry.root().trim_end_matches('/')) {
            return Ok(registry);
        }
    }
    let root = url.rfind("/files/").map_or(url, |at| &url[..=at]);
    open("lock", root, None)
}

/// The download cache's folder, or why there is none.
fn cache() -> Result<PathBuf, Error> {
    client::cache_dir().ok_or_else(|| {
        Error::user_hint(
            "cannot tell where to keep the download cache",
            "set PLUGINKIT_CACHE_DIR (or XDG_CACHE_HOME or HOME)",
        )
    })
}

/// The registry a plain `name = "^1.2"` in `[plugins]` comes from: `PLUGINKIT_REGISTRY`, else
/// the one called `default`, else the only one configured.
pub fn default_name(settings: &Settings) -> Option<String> {
    let configured = &settings.host.config.registries;
    std::env::var("PLUGINKIT_REGISTRY")
        .ok()
        .filter(|n| !n.is_empty())
        .or_else(|| {
            configured
                .contains_key("default")
                .then(|| "default".to_owned())
        })
        .or_else(|| {
            (configured.len() == 1)
                .then(|| configured.keys().next().cloned())
                .flatten()
        })
}
