//! A git source as the user gives it (`add URL --tag v1.2.0 --subdir plugins/x`); the lock
//! records it with its commit as a [`crate::source::id::SourceId`].

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scp_like_urls() {
        assert!(is_scp_like("git@github.com:acme/auth.git"));
        assert!(!is_scp_like("https://github.com/acme/auth.git"));
        assert!(!is_scp_like("./local/path"));
        assert!(!is_scp_like("C:/repos/x"));
    }
}
