//! Credentials for git, tried in order and each once, so a refused one ends in "authentication
//! refused" instead of libgit2 asking forever:
//! - ssh: the SSH agent, then the usual key files in `~/.ssh`;
//! - https: a user name and password written in the URL, then the token in the environment
//!   variable the host names (`[git] token-env`, else `PLUGINKIT_GIT_TOKEN`), then git's
//!   credential helpers, then `~/.netrc` (or `$NETRC`). The environment's part comes read, in
//!   [`GitAuth`].
//!
//! The token is meant for the hosts that issued it, as a registry's token is for its origin: it
//! is offered only over https, and only to a host `[git] token-hosts` lists (by default
//! [`DEFAULT_TOKEN_HOSTS`]), judged on both the URL asked for and the one libgit2 is talking to
//! (after any redirect). A URL's own `user:password@`, git's credential helpers and `.netrc` are
//! the user's choices for that host and are offered as git offers them.
//!
//! None of them is ever printed or written anywhere.

use std::cell::Cell;
use std::fmt;
use std::path::PathBuf;

use git2::{Cred, CredentialType, RemoteCallbacks};

use super::netrc;

/// The hosts the token goes to when `[git] token-hosts` does not say: the two public hosts whose
/// tokens a `PLUGINKIT_GIT_TOKEN` usually holds. Any other host, a company's own GitLab
/// included, is named in `[git] token-hosts`.
pub(crate) const DEFAULT_TOKEN_HOSTS: &[&str] = &["github.com", "gitlab.com"];

/// What the environment gives git to authenticate with, resolved once for a run. Its `Debug`
/// shows whether there is a token, never the token.
#[derive(Clone, Default)]
pub(crate) struct GitAuth {
    /// The token for https (from the variable `[git] token-env` names).
    pub(crate) token: Option<String>,
    /// The hosts the token may be sent to (`[git] token-hosts`, `host` or `host:port`); `None`
    /// for [`DEFAULT_TOKEN_HOSTS`].
    pub(crate) token_hosts: Option<Vec<String>>,
    /// Where `~/.ssh` is.
    pub(crate) home: Option<PathBuf>,
    /// The `.netrc` file (`$NETRC`, else `~/.netrc`).
    pub(crate) netrc: Option<PathBuf>,
}

impl fmt::Debug for GitAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GitAuth")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("token_hosts", &self.token_hosts)
            .field("home", &self.home)
            .field("netrc", &self.netrc)
            .finish()
    }
}

impl GitAuth {
    /// Whether the token may go to `url`: over https, to a host `[git] token-hosts` lists.
    pub(crate) fn token_allowed(&self, url: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(url) else {
            return false;
        };
        if url.scheme() != "https" {
            return false;
        }
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
            return false;
        };
        let host = host.trim_end_matches('.');
        let listed = |entry: &str| {
            let entry = entry.trim().to_ascii_lowercase();
            let entry = entry
                .strip_prefix("https://")
                .unwrap_or(&entry)
                .trim_end_matches('/');
            // `host` or `host:port`; an IPv6 address is written in brackets, `[::1]:8443`.
            let (name, wanted) = match entry.rsplit_once(':') {
                Some((name, wanted)) if !entry.ends_with(']') => match wanted.parse::<u16>() {
                    Ok(wanted) => (name, Some(wanted)),
                    Err(_) => return false,
                },
                _ => (entry, None),
            };
            name.trim_end_matches('.') == host && wanted.is_none_or(|wanted| wanted == port)
        };
        match &self.token_hosts {
            Some(hosts) => hosts.iter().any(|h| listed(h)),
            None => DEFAULT_TOKEN_HOSTS.iter().any(|h| listed(h)),
        }
    }
}

/// Where credentials come from, fixed for one command. Its `Debug` shows no password.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    /// A user name and password that were in the URL, taken out of it.
    pub(crate) in_url: Option<(String, String)>,
    /// The token, `~/.ssh` and `.netrc`.
    pub(crate) auth: GitAuth,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field(
                "in_url",
                &self.in_url.as_ref().map(|(user, _)| (user, "***")),
            )
            .field("auth", &self.auth)
            .finish()
    }
}

impl Credentials {
    /// The credentials for `url` (as given, perhaps with `user:password@` in it), and what
    /// `auth` gives.
    pub(crate) fn for_url(url: &str, auth: &GitAuth) -> Credentials {
        let in_url = reqwest::Url::parse(url).ok().and_then(|u| {
            let password = u.password()?;
            Some((decode(u.username()), decode(password)))
        });
        Credentials {
            in_url,
            auth: auth.clone(),
        }
    }

    /// A fresh round of tries, for one connection.
    pub(crate) fn session(&self) -> Session<'_> {
        Session {
            credentials: self,
            next: Cell::new(0),
            ssh_next: Cell::new(0),
            tried: Cell::new(false),
            withheld: Cell::new(false),
        }
    }
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            text.get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok()),
        ) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The tries made on one connection.
pub(crate) struct Session<'a> {
    credentials: &'a Credentials,
    /// The next https method to try.
    next: Cell<usize>,
    /// The next ssh method to try.
    ssh_next: Cell<usize>,
    /// Whether any credential was offered.
    tried: Cell<bool>,
    /// Whether the token was kept back (plain http, or a host it is not meant for).
    withheld: Cell<bool>,
}

impl Session<'_> {
    /// Whether credentials were offered (so a failure means they were refused).
    pub(crate) fn tried(&self) -> bool {
        self.tried.get()
    }

    /// Whether the token was kept back from the server (so a refusal may be for want of it).
    pub(crate) fn withheld(&self) -> bool {
        self.withheld.get()
    }

    /// Callbacks for libgit2 that offer this session's credentials for `url`. libgit2 names
    /// the URL it is talking to, which a redirect may have changed: the token goes only where
    /// both may have it.
    pub(crate) fn callbacks<'s>(&'s self, url: &'s str) -> RemoteCallbacks<'s> {
        let mut callbacks = RemoteCallbacks::new();
        callbacks.credentials(move |talking_to, username, allowed| {
            self.next_credential(url, talking_to, username, allowed)
        });
        callbacks
    }

    fn next_credential(
        &self,
        url: &str,
        talking_to: &str,
        username: Option<&str>,
        allowed: CredentialType,
    ) -> Result<Cred, git2::Error> {
        if allowed.contains(CredentialType::USERNAME) {
            return Cred::username(username.unwrap_or("git"));
        }
        if allowed.contains(CredentialType::SSH_KEY) {
            return self.next_ssh(username.unwrap_or("git"));
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
            return self.next_userpass(url, talking_to, username);
        }
        if allowed.contains(CredentialType::DEFAULT) && self.next.replace(usize::MAX) != usize::MAX
        {
            self.tried.set(true);
            return Cred::default();
        }
        Err(refused())
    }

    fn next_ssh(&self, user: &str) -> Result<Cred, git2::Error> {
        let keys = ["id_ed25519", "id_ecdsa", "id_rsa"];
        loop {
            let step = self.ssh_next.get();
            self.ssh_next.set(step + 1);
            let cred = match step {
                0 => Cred::ssh_key_from_agent(user),
                n if n <= keys.len() => {
                    let Some(home) = &self.credentials.auth.home else {
                        continue;
                    };
                    let key = home.join(".ssh").join(keys[n - 1]);
                    if !key.is_file() {
                        continue;
                    }
                    Cred::ssh_key(user, None, &key, None)
                }
                _ => return Err(refused()),
            };
            if let Ok(cred) = cred {
                self.tried.set(true);
                return Ok(cred);
            }
        }
    }

    fn next_userpass(
        &self,
        url: &str,
        talking_to: &str,
        username: Option<&str>,
    ) -> Result<Cred, git2::Error> {
        loop {
            let step = self.next.get();
            if step == usize::MAX {
                return Err(refused());
            }
            self.next.set(step + 1);
            let pair = match step {
                0 => self.credentials.in_url.clone(),
                // Any user name goes with a token; the ones hosts document: GitHub takes
                // anything, GitLab `oauth2`, Bitbucket `x-token-auth`.
                1 => {
                    let auth = &self.credentials.auth;
                    match &auth.token {
                        Some(token)
                            if auth.token_allowed(url) && auth.token_allowed(talking_to) =>
                        {
                            Some((
                                username.unwrap_or("x-access-token").to_owned(),
                                token.clone(),
                            ))
                        }
                        Some(_) => {
                            self.withheld.set(true);
                            None
                        }
                        None => None,
                    }
                }
                2 => {
                    let helper = git2::Config::open_default()
                        .and_then(|config| Cred::credential_helper(&config, url, username));
                    if let Ok(cred) = helper {
                        self.tried.set(true);
                        return Ok(cred);
                    }
                    None
                }
                3 => {
                    let file = self.credentials.auth.netrc.as_deref();
                    host_of(url).and_then(|host| netrc::lookup(file?, &host))
                }
                _ => return Err(refused()),
            };
            if let Some((user, password)) = pair {
                self.tried.set(true);
                return Cred::userpass_plaintext(&user, &password);
            }
        }
    }
}

fn host_of(url: &str) -> Option<String> {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
}

fn refused() -> git2::Error {
    git2::Error::new(
        git2::ErrorCode::Auth,
        git2::ErrorClass::Http,
        "no more credentials to try",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_goes_only_over_https_to_its_hosts() {
        let default = GitAuth {
            token: Some("secret".into()),
            ..GitAuth::default()
        };
        assert!(default.token_allowed("https://github.com/acme/auth.git"));
        assert!(default.token_allowed("https://GitLab.com./acme/auth.git"));
        assert!(default.token_allowed("https://github.com:443/acme/auth.git"));
        // Plain http, even to a host it is meant for.
        assert!(!default.token_allowed("http://github.com/acme/auth.git"));
        // Any other host, or a host that only looks like one.
        for url in [
            "https://evil.example/acme/auth.git",
            "https://github.com.evil.example/x.git",
            "https://evilgithub.com/x.git",
            "https://github.com@evil.example/x.git",
            "https://127.0.0.1/x.git",
            "ssh://git@github.com/acme/auth.git",
            "git://github.com/acme/auth.git",
            "file:///srv/git/x.git",
            "git@github.com:acme/auth.git",
            "not a url",
        ] {
            assert!(!default.token_allowed(url), "{url}");
        }
        let listed = GitAuth {
            token_hosts: Some(vec![
                "git.example.com".into(),
                "https://Code.Example.org:8443/".into(),
                "[::1]:9443".into(),
            ]),
            ..default.clone()
        };
        assert!(listed.token_allowed("https://git.example.com/x.git"));
        assert!(listed.token_allowed("https://git.example.com:8080/x.git"));
        assert!(listed.token_allowed("https://code.example.org:8443/x.git"));
        assert!(!listed.token_allowed("https://code.example.org/x.git"));
        assert!(listed.token_allowed("https://[::1]:9443/x.git"));
        assert!(!listed.token_allowed("http://git.example.com/x.git"));
        // A list replaces the default.
        assert!(!listed.token_allowed("https://github.com/acme/auth.git"));
        let none = GitAuth {
            token_hosts: Some(Vec::new()),
            ..default
        };
        assert!(!none.token_allowed("https://github.com/acme/auth.git"));
        // Debug output, as a log line or a test failure would show it.
        let credentials = Credentials::for_url("https://ada:pw-1@h/r.git", &none);
        let shown = format!("{credentials:?}");
        assert!(
            !shown.contains("secret") && !shown.contains("pw-1"),
            "{shown}"
        );
    }
}
