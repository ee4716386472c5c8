//! Credentials for git, tried in order and each once, so a refused one ends in "authentication
//! refused" instead of libgit2 asking forever:
//! - ssh: the SSH agent, then the usual key files in `~/.ssh`;
//! - https: a user name and password written in the URL, then the token in the environment
//!   variable the host names (`[git] token-env`, else `PLUGINKIT_GIT_TOKEN`), then git's
//!   credential helpers, then `~/.netrc` (or `$NETRC`). The environment's part comes read, in
//!   [`GitAuth`].
//!
//! None of them is ever printed or written anywhere.

use std::cell::Cell;
use std::path::PathBuf;

use git2::{Cred, CredentialType, RemoteCallbacks};

use super::netrc;

/// What the environment gives git to authenticate with, resolved once for a run.
#[derive(Debug, Clone, Default)]
pub(crate) struct GitAuth {
    /// The token for https (from the variable `[git] token-env` names).
    pub(crate) token: Option<String>,
    /// Where `~/.ssh` is.
    pub(crate) home: Option<PathBuf>,
    /// The `.netrc` file (`$NETRC`, else `~/.netrc`).
    pub(crate) netrc: Option<PathBuf>,
}

/// Where credentials come from, fixed for one command.
#[derive(Debug, Clone, Default)]
pub(crate) struct Credentials {
    /// A user name and password that were in the URL, taken out of it.
    pub(crate) in_url: Option<(String, String)>,
    /// The token, `~/.ssh` and `.netrc`.
    pub(crate) auth: GitAuth,
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
}

impl Session<'_> {
    /// Whether credentials were offered (so a failure means they were refused).
    pub(crate) fn tried(&self) -> bool {
        self.tried.get()
    }

    /// Callbacks for libgit2 that offer this session's credentials for `url`.
    pub(crate) fn callbacks<'s>(&'s self, url: &'s str) -> RemoteCallbacks<'s> {
        let mut callbacks = RemoteCallbacks::new();
        callbacks
            .credentials(move |_, username, allowed| self.next_credential(url, username, allowed));
        callbacks
    }

    fn next_credential(
        &self,
        url: &str,
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
            return self.next_userpass(url, username);
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

    fn next_userpass(&self, url: &str, username: Option<&str>) -> Result<Cred, git2::Error> {
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
                1 => self
                    .credentials
                    .auth
                    .token
                    .clone()
                    .map(|token| (username.unwrap_or("x-access-token").to_owned(), token)),
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
