//! Installing from git: what a git source is (URL, the ref asked for, a folder inside the
//! repository), fetching it with libgit2 (shallow where the transport allows it, with progress
//! on a terminal), and writing the plugin's tree into the staging folder with the same
//! safety rules as a ZIP package: no `.git`, no names that escape or collide, no links that lead
//! outside the plugin (judged by where they resolve, through the other links: [`links`]), nothing
//! beyond the size limits.

mod auth;
mod netrc;
mod spec;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use git2::{Direction, FetchOptions, ObjectType, Oid, Remote, Repository};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::Domain;
use crate::output::Printer;
use crate::package::read::{self as archive, Limits};
use crate::util::links;
use crate::util::url::without_credentials;

pub(crate) use auth::{Credentials, GitAuth};
pub(crate) use spec::{GitSource, Pin};

/// Why fetching from git failed. URLs are shown without credentials, and so are libgit2's
/// messages ([`Libgit2`]).
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// `withheld`: the token was not offered (plain http, or a host it is not meant for).
    #[error("{url}: authentication refused")]
    Auth {
        url: String,
        withheld: bool,
        #[source]
        source: Libgit2,
    },
    #[error("{url}: repository not found")]
    NotFound {
        url: String,
        #[source]
        source: Libgit2,
    },
    #[error("cannot reach {url}")]
    Unreachable {
        url: String,
        #[source]
        source: Libgit2,
    },
    #[error("git failed for {url}")]
    Failed {
        url: String,
        #[source]
        source: Libgit2,
    },
    #[error("cannot create a temporary folder")]
    Scratch(#[source] io::Error),
    #[error("{url} has no folder `{subdir}` at {commit}")]
    NoSubdir {
        url: String,
        subdir: String,
        commit: String,
    },
    #[error("`{subdir}` in {url} is not a folder")]
    SubdirNotFolder { url: String, subdir: String },
    /// No tag or branch of that name: `what` says which, `hint` what the remote has.
    #[error("{url} has no {what} `{name}`")]
    NoRef {
        url: String,
        what: &'static str,
        name: String,
        hint: String,
    },
    #[error("{url} has no default branch (an empty repository?)")]
    NoDefaultBranch { url: String },
    #[error("{url}: its default branch {head} has no commit")]
    EmptyDefaultBranch { url: String, head: String },
    /// `--rev` that is no commit id (bad usage).
    #[error("--rev {rev} is not a commit id")]
    NotACommitId { rev: String },
    #[error("{url} has no commit `{rev}` on any branch or tag")]
    NoCommit { url: String, rev: String },
    #[error("`{rev}` names more than one commit in {url}")]
    Ambiguous { url: String, rev: String },
    /// An entry of the tree that would not be safe to write.
    #[error("refusing to install {url}: `{path}` {reason}")]
    Unsafe {
        url: String,
        path: String,
        reason: String,
    },
    #[error("refusing to install {url}: the plugin is more than {max} bytes")]
    TooLarge { url: String, max: u64 },
    #[error("refusing to install {url}: the plugin has more than {max} files")]
    TooManyFiles { url: String, max: usize },
    #[error("cannot write {}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl Domain for Error {
    fn hint(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(match self {
            Error::Auth { withheld: true, .. } => {
                "the git token ([git] token-env, or PLUGINKIT_GIT_TOKEN) is sent only over https, and only to the hosts [git] token-hosts in pluginkit.toml lists (by default github.com and gitlab.com): use an https URL, and list the host there if the token is meant for it"
            }
            Error::Auth { .. } => {
                "for https, set the token's environment variable ([git] token-env in pluginkit.toml, or PLUGINKIT_GIT_TOKEN; sent only to the hosts [git] token-hosts lists, by default github.com and gitlab.com), or configure a git credential helper or ~/.netrc; for ssh, load a key into ssh-agent"
            }
            Error::NotFound { .. } => {
                "check the URL; a private repository may also answer like this without credentials"
            }
            Error::Unreachable { .. } => {
                "check the host name, the network and any proxy, then try again; nothing was installed"
            }
            Error::Failed { .. } | Error::Unsafe { .. } => "nothing was installed",
            Error::Scratch(_) | Error::Write { .. } | Error::EmptyDefaultBranch { .. } => {
                return None;
            }
            Error::NoSubdir { .. } => {
                "check --subdir: it is a folder path from the repository's root, such as plugins/hello"
            }
            Error::SubdirNotFolder { .. } => "give the folder that holds the plugin's manifest",
            Error::NoRef { hint, .. } => hint,
            Error::NoDefaultBranch { .. } => "name what to install with --branch, --tag or --rev",
            Error::NotACommitId { .. } => {
                "give a commit's id in hex, full (40 digits) or abbreviated (at least 4)"
            }
            Error::NoCommit { .. } => "check the id (`git log --oneline` in a clone shows them)",
            Error::Ambiguous { .. } => "give more digits of the commit id",
            Error::TooLarge { .. } => {
                "raise [limits] max-unpacked-size in pluginkit.toml if it is genuinely that large"
            }
            Error::TooManyFiles { .. } => {
                "raise [limits] max-entries in pluginkit.toml if it genuinely needs that many"
            }
        }))
    }

    fn is_usage(&self) -> bool {
        matches!(self, Error::NotACommitId { .. })
    }
}

/// A libgit2 error, shown without the credentials its message may quote: in a URL, or on
/// their own (`hidden`, the URL's `user:password` as given).
pub(crate) struct Libgit2 {
    error: git2::Error,
    hidden: Option<String>,
}

impl fmt::Debug for Libgit2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Libgit2").field(&self.to_string()).finish()
    }
}

impl fmt::Display for Libgit2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut message = redact(self.error.message());
        if let Some(hidden) = &self.hidden {
            message = message.replace(hidden.as_str(), "***");
        }
        f.write_str(&message)
    }
}

impl std::error::Error for Libgit2 {}

/// A ref on the remote, as `ls-remote` shows it: the name and the commit it leads to (tags
/// peeled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RemoteRef {
    pub(crate) name: String,
    pub(crate) commit: String,
}

/// What the remote has: its refs, and the branch its HEAD names.
#[derive(Debug, Clone, Default)]
pub(crate) struct Listing {
    pub(crate) refs: Vec<RemoteRef>,
    pub(crate) head: Option<String>,
}

impl Listing {
    pub(crate) fn find(&self, name: &str) -> Option<&RemoteRef> {
        self.refs.iter().find(|r| r.name == name)
    }

    /// The names under `prefix` (`refs/tags/`, `refs/heads/`), without it.
    pub(crate) fn names(&self, prefix: &str) -> Vec<&str> {
        self.refs
            .iter()
            .filter_map(|r| r.name.strip_prefix(prefix))
            .collect()
    }
}

/// A fetched and written plugin tree.
#[derive(Debug)]
pub(crate) struct CheckedOut {
    /// The commit the tree is from, in full hex.
    pub(crate) commit: String,
    /// Every written file's sha256, for the receipt.
    pub(crate) files: BTreeMap<String, String>,
}

/// A remote to talk to: the URL (with any credentials still in it, for libgit2 only) and how to
/// authenticate.
pub(crate) struct Fetcher<'a> {
    pub(crate) source: &'a GitSource,
    /// The URL as given, credentials and all; never shown.
    pub(crate) url: &'a str,
    pub(crate) credentials: &'a Credentials,
    pub(crate) printer: &'a Printer,
}

impl Fetcher<'_> {
    /// The refs of the remote, without fetching anything (`git ls-remote`).
    pub(crate) fn list(&self) -> Result<Listing, Error> {
        let scratch = tempfile::tempdir().map_err(Error::Scratch)?;
        let repo = Repository::init_bare(scratch.path()).map_err(|e| self.failed(e))?;
        let mut remote = repo
            .remote_anonymous(self.url)
            .map_err(|e| self.failed(e))?;
        let auth = self.credentials.session();
        let connection = remote
            .connect_auth(Direction::Fetch, Some(auth.callbacks(self.url)), None)
            .map_err(|e| self.failed_with(e, &auth))?;
        listing(&connection).map_err(|e| self.failed(e))
    }

    /// Fetch what the source pins into a bare repository at `scratch`, then write the plugin's
    /// tree (the repository's root or `--subdir`) into `dest`, which must not exist yet.
    pub(crate) fn checkout(
        &self,
        scratch: &Path,
        dest: &Path,
        limits: Limits,
    ) -> Result<CheckedOut, Error> {
        let repo = Repository::init_bare(scratch).map_err(|e| self.failed(e))?;
        let mut remote = repo
            .remote_anonymous(self.url)
            .map_err(|e| self.failed(e))?;
        let auth = self.credentials.session();
        // One connection: the refs it advertises decide what to fetch, then the same
        // connection fetches it.
        let mut connection = remote
            .connect_auth(Direction::Fetch, Some(auth.callbacks(self.url)), None)
            .map_err(|e| self.failed_with(e, &auth))?;
        let listing = listing(&connection).map_err(|e| self.failed(e))?;
        let wanted = self.resolve(&listing)?;
        let shallow = self.source.allows_shallow();
        let commit = match &wanted {
            Wanted::Ref(name, oid) => {
                let refspec = format!("+{name}:refs/pluginkit/want");
                self.download(connection.remote(), &auth, &[refspec], shallow)?;
                commit_of(&repo, oid).map_err(|e| self.failed(e))?
            }
            Wanted::Rev(rev) => self.fetch_rev(&repo, connection.remote(), &auth, rev)?,
        };
        drop(connection);
        let commit_id = commit.id().to_string();
        let tree = commit.tree().map_err(|e| self.failed(e))?;
        let tree = match &self.source.subdir {
            None => tree,
            Some(subdir) => {
                let entry = tree
                    .get_path(Path::new(subdir))
                    .map_err(|_| Error::NoSubdir {
                        url: self.shown(),
                        subdir: subdir.clone(),
                        commit: short(&commit_id).to_owned(),
                    })?;
                let object = entry.to_object(&repo).map_err(|e| self.failed(e))?;
                object.into_tree().map_err(|_| Error::SubdirNotFolder {
                    url: self.shown(),
                    subdir: subdir.clone(),
                })?
            }
        };
        let shown = self.shown();
        let mut writer = TreeWriter {
            repo: &repo,
            root: dest,
            limits,
            pending: Vec::new(),
            links: BTreeMap::new(),
            files: BTreeMap::new(),
            folded: HashMap::new(),
            shown: &shown,
            printer: self.printer,
        };
        fs::create_dir_all(dest).map_err(|source| Error::Write {
            path: dest.to_path_buf(),
            source,
        })?;
        writer.write(&tree)?;
        Ok(CheckedOut {
            commit: commit_id,
            files: writer.files,
        })
    }

    /// What to fetch for the source's pin, from the remote's refs.
    fn resolve(&self, listing: &Listing) -> Result<Wanted, Error> {
        let url = &self.shown();
        let missing = |what: &'static str, name: &str, prefix: &str| {
            let known = listing.names(prefix);
            let close = crate::util::suggest::closest(name, known.iter().copied());
            let hint = match close {
                Some(close) => format!("did you mean `{close}`?"),
                None if known.is_empty() => format!("the repository has no {what}es"),
                None => format!(
                    "the repository's {what}es include: {}",
                    known.iter().take(8).copied().collect::<Vec<_>>().join(", ")
                ),
            };
            Error::NoRef {
                url: url.clone(),
                what,
                name: name.to_owned(),
                hint,
            }
        };
        match &self.source.pin {
            Pin::Tag(tag) => {
                let name = format!("refs/tags/{tag}");
                let found = listing
                    .find(&name)
                    .ok_or_else(|| missing("tag", tag, "refs/tags/"))?;
                Ok(Wanted::Ref(name, found.commit.clone()))
            }
            Pin::Branch(branch) => {
                let name = format!("refs/heads/{branch}");
                let found = listing
                    .find(&name)
                    .ok_or_else(|| missing("branch", branch, "refs/heads/"))?;
                Ok(Wanted::Ref(name, found.commit.clone()))
            }
            Pin::DefaultBranch => {
                let head = listing
                    .head
                    .clone()
                    .or_else(|| {
                        let commit = &listing.find("HEAD")?.commit;
                        listing
                            .refs
                            .iter()
                            .find(|r| r.name.starts_with("refs/heads/") && &r.commit == commit)
                            .map(|r| r.name.clone())
                    })
                    .ok_or_else(|| Error::NoDefaultBranch { url: url.clone() })?;
                let found = listing
                    .find(&head)
                    .ok_or_else(|| Error::EmptyDefaultBranch {
                        url: url.clone(),
                        head: head.clone(),
                    })?;
                Ok(Wanted::Ref(head, found.commit.clone()))
            }
            Pin::Rev(rev) => {
                if !(4..=40).contains(&rev.len()) || !rev.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(Error::NotACommitId { rev: rev.clone() });
                }
                let rev = rev.to_ascii_lowercase();
                // A commit at the tip of some ref is fetched as that ref.
                match listing.refs.iter().find(|r| r.commit.starts_with(&rev)) {
                    Some(r) => Ok(Wanted::Ref(r.name.clone(), r.commit.clone())),
                    None => Ok(Wanted::Rev(rev)),
                }
            }
        }
    }

    /// A commit that no ref's tip is: fetched by its id where the server allows it (a full id,
    /// shallow), else found in the whole history of every branch and tag.
    fn fetch_rev<'r>(
        &self,
        repo: &'r Repository,
        remote: &mut Remote<'_>,
        auth: &auth::Session,
        rev: &str,
    ) -> Result<git2::Commit<'r>, Error> {
        if rev.len() == 40
            && self
                .download(
                    remote,
                    auth,
                    &[format!("+{rev}:refs/pluginkit/want")],
                    self.source.allows_shallow(),
                )
                .is_ok()
            && let Ok(commit) = repo.find_commit(Oid::from_str(rev).expect("40 hex digits"))
        {
            return Ok(commit);
        }
        self.download(
            remote,
            auth,
            &[
                "+refs/heads/*:refs/pluginkit/heads/*".to_owned(),
                "+refs/tags/*:refs/pluginkit/tags/*".to_owned(),
            ],
            false,
        )?;
        let not_found = || Error::NoCommit {
            url: self.shown(),
            rev: rev.to_owned(),
        };
        let object = repo.revparse_single(rev).map_err(|e| match e.code() {
            git2::ErrorCode::Ambiguous => Error::Ambiguous {
                url: self.shown(),
                rev: rev.to_owned(),
            },
            _ => not_found(),
        })?;
        object.peel_to_commit().map_err(|_| not_found())
    }

    fn download(
        &self,
        remote: &mut Remote<'_>,
        auth: &auth::Session,
        refspecs: &[String],
        shallow: bool,
    ) -> Result<(), Error> {
        let bar = self
            .printer
            .progress_fetch(format!("Fetching {}", self.shown()));
        let mut callbacks = auth.callbacks(self.url);
        {
            let bar = bar.clone();
            callbacks.transfer_progress(move |progress| {
                bar.received(
                    (progress.received_objects(), progress.total_objects()),
                    progress.received_bytes(),
                    (progress.indexed_deltas(), progress.total_deltas()),
                );
                true
            });
        }
        {
            let bar = bar.clone();
            callbacks.sideband_progress(move |text| {
                bar.remote_says(text);
                true
            });
        }
        let mut options = FetchOptions::new();
        options.remote_callbacks(callbacks);
        options.download_tags(git2::AutotagOption::None);
        if shallow {
            options.depth(1);
        }
        let result = remote.download(refspecs, Some(&mut options));
        bar.finish_and_clear();
        result.map_err(|e| self.failed_with(e, auth))
    }

    /// The repository's URL as it may be shown: without credentials, however it was given.
    fn shown(&self) -> String {
        without_credentials(&self.source.url).into_owned()
    }

    /// `error` as the user reads it: the URL as given goes in, so that its credentials are
    /// known to be hidden wherever libgit2's message quotes them.
    fn failed(&self, error: git2::Error) -> Error {
        describe(error, self.url, false)
    }

    fn failed_with(&self, error: git2::Error, auth: &auth::Session) -> Error {
        match describe(error, self.url, auth.tried()) {
            Error::Auth { url, source, .. } => Error::Auth {
                url,
                withheld: auth.withheld(),
                source,
            },
            other => other,
        }
    }
}

enum Wanted {
    /// A ref on the remote, and the commit (or tag) id it has there.
    Ref(String, String),
    /// A commit id, full or abbreviated, that no ref's tip is.
    Rev(String),
}

/// The refs a connected remote advertises.
fn listing(remote: &git2::RemoteConnection<'_, '_, '_>) -> Result<Listing, git2::Error> {
    let heads = remote.list()?;
    let mut refs: Vec<RemoteRef> = Vec::new();
    for head in heads {
        let name = head.name();
        if let Some(tag) = name.strip_suffix("^{}") {
            // The commit an annotated tag points at.
            if let Some(r) = refs.iter_mut().find(|r| r.name == tag) {
                r.commit = head.oid().to_string();
            }
            continue;
        }
        refs.push(RemoteRef {
            name: name.to_owned(),
            commit: head.oid().to_string(),
        });
    }
    let head = remote
        .default_branch()
        .ok()
        .and_then(|b| b.as_str().ok().map(str::to_owned))
        .filter(|b| b.starts_with("refs/heads/"));
    Ok(Listing { refs, head })
}

fn commit_of<'r>(repo: &'r Repository, id: &str) -> Result<git2::Commit<'r>, git2::Error> {
    repo.find_object(Oid::from_str(id)?, None)?.peel_to_commit()
}

/// Whether `path` is a bare repository (no working tree): `HEAD`, `objects/` and `refs/`.
pub(crate) fn is_bare_repository(path: &Path) -> bool {
    path.join("HEAD").is_file() && path.join("objects").is_dir() && path.join("refs").is_dir()
}

/// The folder a checkout is named after: the `--subdir`'s last part, else the repository's
/// name without `.git` (`https://host/acme/notice.git` -> `notice`).
pub(crate) fn folder_name(source: &GitSource) -> String {
    let from_url = || {
        let url = source.url.trim_end_matches('/');
        let last = url.rsplit(['/', ':', '\\']).next().unwrap_or(url);
        last.strip_suffix(".git").unwrap_or(last).to_owned()
    };
    let name = match &source.subdir {
        Some(subdir) => subdir.rsplit('/').next().unwrap_or(subdir).to_owned(),
        None => from_url(),
    };
    if name.is_empty() || name.starts_with('.') || archive::check_name(&name).is_err() {
        "plugin".to_owned()
    } else {
        name
    }
}

pub(crate) fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}

/// A libgit2 error as the user should read it: which of the failures a user meets it is (each
/// with its hint), with libgit2's message as the cause. `authenticated` tells whether
/// credentials were offered and refused.
fn describe(error: git2::Error, url: &str, authenticated: bool) -> Error {
    let lower = error.message().to_lowercase();
    let source = Libgit2 {
        error,
        // A lone user name is a secret over http(s) (a token), not in `ssh://git@host`.
        hidden: crate::util::url::userinfo(url)
            .filter(|info| info.contains(':') || url.to_ascii_lowercase().starts_with("http"))
            .map(str::to_owned),
    };
    let url = without_credentials(url).into_owned();
    let error = &source.error;
    if error.code() == git2::ErrorCode::Auth
        || lower.contains("authentication")
        || lower.contains("status code: 401")
        || lower.contains("status code: 403")
        || (authenticated && lower.contains("credential"))
    {
        return Error::Auth {
            url,
            withheld: false,
            source,
        };
    }
    if lower.contains("status code: 404")
        || lower.contains("not found")
        || lower.contains("not a git repository")
        || lower.contains("could not find repository")
        || lower.contains("not exported")
        || lower.contains("does not appear to be a git repository")
        || lower.contains("failed to resolve path")
    {
        return Error::NotFound { url, source };
    }
    if error.class() == git2::ErrorClass::Net
        || error.class() == git2::ErrorClass::Os
        || lower.contains("failed to connect")
        || lower.contains("failed to resolve address")
        || lower.contains("connection refused")
        || lower.contains("timed out")
    {
        return Error::Unreachable { url, source };
    }
    Error::Failed { url, source }
}

/// libgit2's messages may quote the URL it was given, credentials and all.
fn redact(message: &str) -> String {
    message
        .split(' ')
        .map(|word| {
            if word.contains("://") && word.contains('@') {
                let trimmed =
                    word.trim_matches(|c| matches!(c, '\'' | '"' | ';' | ',' | ':' | '(' | ')'));
                word.replace(trimmed, &without_credentials(trimmed))
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes a git tree into a folder, checking each entry as an archive entry is checked.
struct TreeWriter<'a> {
    repo: &'a Repository,
    root: &'a Path,
    limits: Limits,
    /// The files to write once the tree is checked: path, blob, executable.
    pending: Vec<(String, Oid, bool)>,
    /// The symbolic links, path -> target, made once all are judged.
    links: BTreeMap<PathBuf, PathBuf>,
    files: BTreeMap<String, String>,
    /// Lower-cased path -> the path, for names that collide on case-insensitive file systems.
    folded: HashMap<String, String>,
    shown: &'a str,
    printer: &'a Printer,
}

impl TreeWriter<'_> {
    fn refuse(&self, rel: &str, reason: impl std::fmt::Display) -> Error {
        Error::Unsafe {
            url: self.shown.to_owned(),
            path: rel.to_owned(),
            reason: reason.to_string(),
        }
    }

    /// Check the tree and make its folders and links, then write its files on rayon's threads
    /// (each with its own handle on the repository), hashing each for the receipt.
    fn write(&mut self, tree: &git2::Tree<'_>) -> Result<(), Error> {
        self.walk(tree, "")?;
        self.make_links()?;
        // The objects were checked against their ids as the fetch indexed them; checking each
        // again as it is read would hash every file a second time.
        git2::opts::strict_hash_verification(false);
        let written = AtomicU64::new(0);
        let max = self.limits.max_total_size;
        let repo_path = self.repo.path().to_path_buf();
        let root = self.root;
        let shown = self.shown;
        let hashed: Result<Vec<Option<(String, String)>>, Error> = self
            .pending
            .par_iter()
            .map_init(
                || Repository::open_bare(&repo_path),
                |repo, (rel, id, executable)| {
                    let repo = repo.as_ref().map_err(|e| {
                        // Each thread keeps its own failed open; the error goes on as a copy.
                        describe(
                            git2::Error::new(e.code(), e.class(), e.message()),
                            shown,
                            false,
                        )
                    })?;
                    let blob = repo.find_blob(*id).map_err(|e| describe(e, shown, false))?;
                    let total = written.fetch_add(blob.size() as u64, Ordering::Relaxed)
                        + blob.size() as u64;
                    if total > max {
                        return Err(Error::TooLarge {
                            url: shown.to_owned(),
                            max,
                        });
                    }
                    let path = root.join(rel);
                    write_file(&path, blob.content(), *executable)
                        .map_err(|source| Error::Write { path, source })?;
                    Ok((!crate::plugin::is_runtime_file(rel)).then(|| {
                        (
                            rel.clone(),
                            crate::util::hash::hex(&Sha256::digest(blob.content())),
                        )
                    }))
                },
            )
            .collect();
        self.files.extend(hashed?.into_iter().flatten());
        Ok(())
    }

    fn walk(&mut self, tree: &git2::Tree<'_>, prefix: &str) -> Result<(), Error> {
        for entry in tree.iter() {
            let Ok(name) = entry.name() else {
                return Err(self.refuse(
                    &format!("{prefix}{}", String::from_utf8_lossy(entry.name_bytes())),
                    "is not a UTF-8 name",
                ));
            };
            let rel = format!("{prefix}{name}");
            if name.eq_ignore_ascii_case(".git") {
                continue;
            }
            archive::check_name(&rel).map_err(|reason| self.refuse(&rel, reason))?;
            if let Some(other) = self.folded.insert(rel.to_lowercase(), rel.clone()) {
                return Err(self.refuse(
                    &rel,
                    format_args!("and `{other}` differ only in case, which collide on case-insensitive file systems"),
                ));
            }
            let path = self.root.join(&rel);
            match entry.kind() {
                Some(ObjectType::Tree) => {
                    fs::create_dir(&path).map_err(|e| self.io(&path, e))?;
                    let subtree = entry
                        .to_object(self.repo)
                        .and_then(|o| o.peel_to_tree())
                        .map_err(|e| describe(e, self.shown, false))?;
                    self.walk(&subtree, &format!("{rel}/"))?;
                }
                Some(ObjectType::Blob) => {
                    if self.pending.len() + self.links.len() >= self.limits.max_entries {
                        return Err(Error::TooManyFiles {
                            url: self.shown.to_owned(),
                            max: self.limits.max_entries,
                        });
                    }
                    let mode = entry.filemode();
                    if mode == 0o120000 {
                        let blob = self
                            .repo
                            .find_blob(entry.id())
                            .map_err(|e| describe(e, self.shown, false))?;
                        let target = self.link_target(&rel, blob.content())?;
                        self.links.insert(PathBuf::from(rel), target);
                        continue;
                    }
                    self.pending.push((rel, entry.id(), mode & 0o111 != 0));
                }
                Some(ObjectType::Commit) => {
                    self.printer.note(format!(
                        "note: `{rel}` is a git submodule, which is not installed with the plugin"
                    ));
                }
                _ => return Err(self.refuse(&rel, "is neither a file nor a folder")),
            }
        }
        Ok(())
    }

    /// A symbolic link's target as git stores it, refused when it is no path (not UTF-8, a NUL
    /// in it, or longer than any file system takes).
    fn link_target(&self, rel: &str, target: &[u8]) -> Result<PathBuf, Error> {
        let target = std::str::from_utf8(target)
            .map_err(|_| self.refuse(rel, "is a symbolic link to a name that is not UTF-8"))?;
        if target.contains('\0') {
            return Err(self.refuse(rel, "is a symbolic link to a name with a NUL byte"));
        }
        if target.len() > links::MAX_TARGET {
            return Err(self.refuse(
                rel,
                format_args!(
                    "is a symbolic link to a name longer than {} bytes",
                    links::MAX_TARGET
                ),
            ));
        }
        Ok(PathBuf::from(target))
    }

    /// Judge every symbolic link of the tree by where it really leads, through the others,
    /// then make them: a link is kept only when it resolves to a path inside the plugin, so
    /// no link that leaves it is ever written.
    fn make_links(&self) -> Result<(), Error> {
        let mut budget = links::Budget::default();
        for (rel, target) in &self.links {
            if let Err(why) =
                links::resolve(rel, target, &mut budget, |p| self.links.get(p).cloned())
            {
                let shown = rel.to_string_lossy();
                return Err(match why {
                    links::Escape::Outside => self.refuse(
                        &shown,
                        format_args!(
                            "is a symbolic link to `{}`, which leads outside the plugin; a plugin must not reach into the rest of the system",
                            target.display()
                        ),
                    ),
                    why => self.refuse(
                        &shown,
                        format_args!("is a symbolic link to `{}`, which {why}", target.display()),
                    ),
                });
            }
        }
        for (rel, target) in &self.links {
            let path = self.root.join(rel);
            #[cfg(unix)]
            std::os::unix::fs::symlink(target, &path).map_err(|e| self.io(&path, e))?;
            #[cfg(not(unix))]
            {
                // Without symbolic links, a copy of what it points at, when that is a file.
                let _ = (path, target);
            }
        }
        Ok(())
    }

    fn io(&self, path: &Path, source: io::Error) -> Error {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    }
}

fn write_file(path: &Path, bytes: &[u8], executable: bool) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if executable { 0o777 } else { 0o666 });
    }
    #[cfg(not(unix))]
    let _ = executable;
    options.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_messages_are_redacted() {
        assert_eq!(
            redact("failed to fetch 'https://ada:tok@host/r.git': 401"),
            "failed to fetch 'https://host/r.git': 401"
        );
        // A URL no parser takes, quoted whole or in pieces.
        let given = "https://ada:s3cret@host:99999/r.git";
        for message in [
            format!("invalid URL '{given}'"),
            "invalid port in 'ada:s3cret@host:99999'".to_owned(),
        ] {
            let error = describe(git2::Error::from_str(&message), given, false);
            let shown = format!(
                "{error} {error:?} {}",
                std::error::Error::source(&error).unwrap()
            );
            assert!(!shown.contains("s3cret"), "{shown}");
        }
    }
}
