//! A git source as the user gives it (`add URL --tag v1.2.0 --subdir plugins/x`) and as
//! `pluginkit.lock` records it: `git+URL?tag=v1.2.0&subdir=plugins%2Fx#<commit>`, cargo's form.

use std::fmt::Write as _;

/// Which commit of the repository to install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pin {
    /// The tip of the remote's default branch (`HEAD`).
    DefaultBranch,
    Tag(String),
    Branch(String),
    /// A commit id, full or abbreviated; it never moves.
    Rev(String),
}

/// A git source: the repository (its URL without credentials), what to install from it, and
/// the range `upgrade` may move a tag pin within.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSource {
    pub url: String,
    pub pin: Pin,
    pub subdir: Option<String>,
    pub semver: Option<String>,
}

impl GitSource {
    /// Shallow fetches need a server: libgit2's local transport (file:// and plain paths)
    /// reads the repository directly, where depth is not supported and not needed.
    pub fn allows_shallow(&self) -> bool {
        let lower = self.url.to_ascii_lowercase();
        lower.starts_with("https://")
            || lower.starts_with("http://")
            || lower.starts_with("ssh://")
            || lower.starts_with("git://")
            || is_scp_like(&self.url)
    }

    /// How `pluginkit.lock` and the receipt record it, with the commit installed.
    pub fn locked(&self, commit: &str) -> String {
        let mut query = Vec::new();
        match &self.pin {
            Pin::DefaultBranch => {}
            Pin::Tag(tag) => query.push(("tag", tag.as_str())),
            Pin::Branch(branch) => query.push(("branch", branch.as_str())),
            Pin::Rev(rev) => query.push(("rev", rev.as_str())),
        }
        if let Some(subdir) = &self.subdir {
            query.push(("subdir", subdir));
        }
        if let Some(semver) = &self.semver {
            query.push(("semver", semver));
        }
        let mut out = format!("git+{}", self.url);
        for (i, (key, value)) in query.iter().enumerate() {
            let _ = write!(
                out,
                "{}{key}={}",
                if i == 0 { '?' } else { '&' },
                encode(value)
            );
        }
        let _ = write!(out, "#{commit}");
        out
    }

    /// A source recorded by [`GitSource::locked`], and the commit it records.
    pub fn from_locked(locked: &str) -> Option<(GitSource, String)> {
        let rest = locked.strip_prefix("git+")?;
        let (rest, commit) = rest.rsplit_once('#')?;
        let (url, query) = match rest.rsplit_once('?') {
            Some((url, query)) if query.split('&').all(|p| p.contains('=')) => (url, query),
            _ => (rest, ""),
        };
        let mut source = GitSource {
            url: url.to_owned(),
            pin: Pin::DefaultBranch,
            subdir: None,
            semver: None,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=')?;
            let value = decode(value)?;
            match key {
                "tag" => source.pin = Pin::Tag(value),
                "branch" => source.pin = Pin::Branch(value),
                "rev" => source.pin = Pin::Rev(value),
                "subdir" => source.subdir = Some(value),
                "semver" => source.semver = Some(value),
                _ => return None,
            }
        }
        Some((source, commit.to_owned()))
    }

    /// What `pluginkit.toml`'s `[plugins]` records: `{ git = "...", tag = "..." }`.
    pub fn plugins_entry(&self) -> String {
        let mut entry = toml_edit::InlineTable::new();
        entry.insert("git", self.url.as_str().into());
        match &self.pin {
            Pin::DefaultBranch => {}
            Pin::Tag(tag) => {
                entry.insert("tag", tag.as_str().into());
            }
            Pin::Branch(branch) => {
                entry.insert("branch", branch.as_str().into());
            }
            Pin::Rev(rev) => {
                entry.insert("rev", rev.as_str().into());
            }
        }
        if let Some(subdir) = &self.subdir {
            entry.insert("subdir", subdir.as_str().into());
        }
        if let Some(semver) = &self.semver {
            entry.insert("semver", semver.as_str().into());
        }
        entry.fmt();
        entry.to_string()
    }

    /// How the pin reads in messages: `tag v1.2.0`, `branch main`, `the default branch`.
    pub fn describe_pin(&self) -> String {
        match &self.pin {
            Pin::DefaultBranch => "the default branch".to_owned(),
            Pin::Tag(tag) => format!("tag {tag}"),
            Pin::Branch(branch) => format!("branch {branch}"),
            Pin::Rev(rev) => format!("commit {rev}"),
        }
    }
}

/// `git@host:owner/repo.git`: scp's syntax for ssh.
pub fn is_scp_like(url: &str) -> bool {
    !url.contains("://")
        && url.split_once(':').is_some_and(|(host, path)| {
            host.contains('@') && !host.contains('/') && !path.is_empty()
        })
}

/// Percent-encode what would end a query value: `%`, `&`, `#`, `=`, `?`, spaces and controls.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_graphic() && !b"%&#=?+".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_sources_round_trip() {
        let sources = [
            GitSource {
                url: "https://example.com/acme/auth.git".into(),
                pin: Pin::Tag("v2.0.0".into()),
                subdir: Some("plugins/auth x".into()),
                semver: Some("^2.0, <3".into()),
            },
            GitSource {
                url: "git@example.com:acme/auth.git".into(),
                pin: Pin::DefaultBranch,
                subdir: None,
                semver: None,
            },
            GitSource {
                url: "file:///tmp/r?x".into(),
                pin: Pin::Branch("feature/a&b#c".into()),
                subdir: None,
                semver: None,
            },
        ];
        for source in sources {
            let locked = source.locked("0123abcd");
            assert_eq!(
                GitSource::from_locked(&locked),
                Some((source.clone(), "0123abcd".to_owned())),
                "{locked}"
            );
        }
        assert_eq!(
            GitSource {
                url: "https://h/r.git".into(),
                pin: Pin::Tag("v1.0.0".into()),
                subdir: None,
                semver: None
            }
            .locked("abc"),
            "git+https://h/r.git?tag=v1.0.0#abc"
        );
    }

    #[test]
    fn scp_like_urls() {
        assert!(is_scp_like("git@github.com:acme/auth.git"));
        assert!(!is_scp_like("https://github.com/acme/auth.git"));
        assert!(!is_scp_like("./local/path"));
        assert!(!is_scp_like("C:/repos/x"));
    }
}
