//! A git source as the user gives it (`add URL --tag v1.2.0 --subdir plugins/x`); the lock
//! records it with its commit as a [`crate::source::id::SourceId`].

/// Which commit of the repository to install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pin {
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
pub(crate) struct GitSource {
    pub(crate) url: String,
    pub(crate) pin: Pin,
    pub(crate) subdir: Option<String>,
    pub(crate) semver: Option<String>,
}

impl GitSource {
    /// Shallow fetches need a server: libgit2's local transport (file:// and plain paths)
    /// reads the repository directly, where depth is not supported and not needed.
    pub(crate) fn allows_shallow(&self) -> bool {
        let lower = self.url.to_ascii_lowercase();
        lower.starts_with("https://")
            || lower.starts_with("http://")
            || lower.starts_with("ssh://")
            || lower.starts_with("git://")
            || is_scp_like(&self.url)
    }
}

/// `git@host:owner/repo.git`: scp's syntax for ssh.
pub(crate) fn is_scp_like(url: &str) -> bool {
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
