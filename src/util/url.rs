//! URLs as pluginkit shows and records them.

use std::borrow::Cow;

/// `url` without a user name or password in it (`https://user:token@host/...`): what may be
/// written to `pluginkit.lock` and `pluginkit.toml`, and shown.
pub(crate) fn without_credentials(url: &str) -> Cow<'_, str> {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            Cow::Owned(parsed.into())
        }
        _ => Cow::Borrowed(url),
    }
}
