//! URLs as pluginkit shows and records them.

use std::borrow::Cow;

/// `url` without a user name or password in it (`https://user:token@host/...`): what may be
/// written to `pluginkit.lock` and `pluginkit.toml`, and shown. A text that is no valid URL (a
/// bad port, a space in the host) loses what stands where credentials would, all the same:
/// everything before the last `@` of its authority.
pub(crate) fn without_credentials(url: &str) -> Cow<'_, str> {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            if parsed.username().is_empty() && parsed.password().is_none() {
                return Cow::Owned(parsed.into());
            }
            // A URL that cannot have credentials taken out (no host to keep): by its text.
            by_text(url)
        }
        _ => by_text(url),
    }
}

/// Whether `url` is `root` or under it, a path segment at a time: `https://a.example/reg/x.zip`
/// is under `https://a.example/reg/`, while `https://a.example/registry/x.zip` and
/// `https://a.example.evil/x.zip` are not under `https://a.example/reg` and
/// `https://a.example`.
pub(crate) fn is_under(url: &str, root: &str) -> bool {
    let root = root.trim_end_matches('/');
    url.strip_prefix(root)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
}

/// [`without_credentials`] by the text alone: `scheme://user:password@host/...` loses
/// `user:password@`, and so does a scheme-less `user:password@host:path` (scp's form with a
/// password, which no git takes; `git@host:path`, a user name alone, stays).
fn by_text(url: &str) -> Cow<'_, str> {
    match userinfo_at(url) {
        Some((start, end)) => Cow::Owned(format!("{}{}", &url[..start], &url[end + 1..])),
        None => Cow::Borrowed(url),
    }
}

/// The user name and password in `url` as written (`user:password` of
/// `https://user:password@host/`), by its text: what a message quoting the URL in pieces must
/// not show either.
pub(crate) fn userinfo(url: &str) -> Option<&str> {
    userinfo_at(url)
        .map(|(start, end)| &url[start..end])
        .filter(|info| !info.is_empty())
}

/// Where [`userinfo`] starts, and where its `@` is.
fn userinfo_at(url: &str) -> Option<(usize, usize)> {
    let (start, authority) = match url.find("://") {
        Some(at) => {
            let rest = &url[at + 3..];
            let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
            (at + 3, &rest[..end])
        }
        None => {
            let end = url.find(['/', '?', '#', '\\']).unwrap_or(url.len());
            let head = &url[..end];
            match head.rfind('@') {
                Some(at) if head[..at].contains(':') => (0, head),
                _ => return None,
            }
        }
    };
    authority.rfind('@').map(|at| (start, start + at))
}

#[cfg(test)]
mod tests {
    #[test]
    fn under_a_root_is_by_whole_path_segments() {
        use super::is_under;
        let root = "http://127.0.0.1:1234/reg/";
        assert!(is_under(
            "http://127.0.0.1:1234/reg/files/a/a-1.0.0.zip",
            root
        ));
        assert!(is_under("http://127.0.0.1:1234/reg", root));
        assert!(!is_under(
            "http://127.0.0.1:12345/reg/files/a.zip",
            "http://127.0.0.1:1234"
        ));
        assert!(!is_under("http://127.0.0.1:1234/registry/a.zip", root));
        assert!(!is_under(
            "https://plugins.example.com.evil.net/a.zip",
            "https://plugins.example.com/"
        ));
        assert!(is_under(
            "https://plugins.example.com/a.zip",
            "https://plugins.example.com"
        ));
    }

    use super::*;

    #[test]
    fn credentials_are_taken_out() {
        for (given, shown) in [
            ("https://ada:tok@host/r.git", "https://host/r.git"),
            ("https://tok@host/r.git", "https://host/r.git"),
            ("https://host/r.git", "https://host/r.git"),
            ("https://host/a@b/r.git", "https://host/a@b/r.git"),
            ("ssh://git@host/r.git", "ssh://host/r.git"),
            ("git@github.com:acme/r.git", "git@github.com:acme/r.git"),
            ("./dist/x@1.zip", "./dist/x@1.zip"),
            // Not URLs at all, as far as a parser goes: still without the password.
            (
                "https://ada:s3cret@host:99999/r.git",
                "https://host:99999/r.git",
            ),
            (
                "https://ada:s3cret@exa mple.com/r.git",
                "https://exa mple.com/r.git",
            ),
            ("https://ada:s3cret@[::1/r.git", "https://[::1/r.git"),
            ("http://a:b@c@host/r.git", "http://host/r.git"),
            ("https://ada:s3cret@", "https://"),
            ("ada:s3cret@host:acme/r.git", "host:acme/r.git"),
            (
                "git+https://ada:s3cret@host/r.git",
                "git+https://host/r.git",
            ),
        ] {
            assert_eq!(without_credentials(given), shown, "{given}");
        }
        assert_eq!(userinfo("https://ada:s3cret@h:1x/r"), Some("ada:s3cret"));
        assert_eq!(userinfo("https://h/r@x"), None);
        assert_eq!(userinfo("git@h:r.git"), None);
    }
}
