//! Downloading over HTTP(S): a package given by URL, and a registry's files (through a shared
//! [`Downloader`], with extra headers and a progress bar that parallel downloads share). The body
//! is streamed to a file (never held in memory whole) and hashed with sha256 on the way. Each
//! attempt has a connect timeout and an idle-read timeout; failures that are likely to pass (a 5xx
//! or 429 answer, a refused, reset or timed-out connection, a body cut short) are retried from the
//! start with exponential backoff, while a 4xx answer is the URL's fault and is reported at once. A
//! redirect from https to http is refused: it would let anyone on the path swap the package.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::ProgressBar;
use reqwest::StatusCode;
use reqwest::blocking::Client;
use reqwest::header::{ETAG, HeaderMap, RETRY_AFTER};
use reqwest::redirect::Policy;
use sha2::{Digest, Sha256};

use crate::error::Domain;
use crate::output::Printer;
use crate::util::hash::hex;
use crate::util::url::without_credentials;

/// The `User-Agent` every request carries, so server operators can tell who is asking.
const USER_AGENT: &str = concat!("pluginkit/", env!("CARGO_PKG_VERSION"));
/// The most redirects followed for one download.
const MAX_REDIRECTS: usize = 10;
/// The longest a server's `Retry-After` may make us wait between two attempts.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// How patient a download is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Options {
    /// How long to wait for a connection to be established.
    pub(crate) connect_timeout: Duration,
    /// How long to wait for the answer's headers, and then for each next piece of the body.
    pub(crate) read_timeout: Duration,
    /// How many times to try again after a failure that may pass.
    pub(crate) retries: u32,
    /// The wait before the first retry; it doubles for each next one.
    pub(crate) retry_delay: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connect_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(60),
            retries: 3,
            retry_delay: Duration::from_millis(500),
        }
    }
}

/// A completed download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Downloaded {
    /// The sha256 of the bytes received, in lower-case hex.
    pub(crate) sha256: String,
    pub(crate) size: u64,
}

/// What a request carries besides its URL.
#[derive(Debug, Default)]
pub(crate) struct Request<'a> {
    /// Headers to send besides the user agent: a bearer token (mark it sensitive, so it never
    /// shows in debug output), `If-None-Match`.
    pub(crate) headers: HeaderMap,
    /// A bar that several downloads share, counting bytes: each adds what it receives and takes
    /// back what a failed attempt had added. Without one, each download draws its own bar.
    pub(crate) progress: Option<&'a ProgressBar>,
    /// The most bytes the body may have; a server that sends more is refused, not retried.
    pub(crate) limit: Option<u64>,
}

/// How the server answered a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The body is in the destination file.
    Body {
        downloaded: Downloaded,
        /// The answer's `ETag`, to send back in `If-None-Match` next time.
        etag: Option<String>,
    },
    /// 304 Not Modified: what the caller has (named by `If-None-Match`) is still current.
    NotModified,
    /// An answer that trying again would not change: a 4xx other than 429, or a 3xx that is
    /// not a redirect to follow. The destination file may be empty or absent.
    Refused(StatusCode),
}

/// What `reqwest::Url::parse` fails with (the `url` crate's `ParseError`, which reqwest does not
/// re-export).
type UrlError = <reqwest::Url as std::str::FromStr>::Err;

/// Why a download failed. URLs are shown without the user name and password they may carry, and
/// the HTTP client's errors are kept without their URL for the same reason.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("{url} is not a valid URL")]
    InvalidUrl {
        url: String,
        #[source]
        source: UrlError,
    },
    #[error("cannot download {url}: only http and https URLs are supported")]
    Scheme { url: String },
    #[error("cannot start an HTTP client")]
    Client(#[source] reqwest::Error),
    /// Every attempt failed in a way that may pass; `reason` is why the last one did.
    #[error("cannot download {url} (tried {tries} time{})", if *.tries == 1 { "" } else { "s" })]
    Failed {
        url: String,
        tries: u32,
        #[source]
        reason: Reason,
    },
    #[error("cannot download {url}: cannot follow the server's redirect")]
    Redirect {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("cannot download {url}: it is larger than the {limit} bytes expected")]
    TooLarge { url: String, limit: u64 },
    #[error("cannot write the download to {}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// 404 or 410 for a plain URL.
    #[error("{url} was not found (HTTP {status})")]
    NotFound { url: String, status: StatusCode },
    /// Another answer to a plain URL that retrying would not change.
    #[error("the server refused to send {url} (HTTP {status})")]
    Refused { url: String, status: StatusCode },
}

impl Domain for Error {
    fn hint(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(match self {
            Error::InvalidUrl { .. } => "give a full http:// or https:// URL of a .zip package",
            Error::Scheme { .. } => "download the file yourself and add it as a .zip file",
            Error::Client(_) | Error::TooLarge { .. } | Error::Write { .. } => return None,
            Error::Failed { .. } => {
                "check the network connection and the URL, then try again; nothing was installed"
            }
            Error::Redirect { .. } => "use the package's final https URL; nothing was installed",
            Error::Refused {
                status: StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN,
                ..
            } => {
                "pluginkit sends no credentials with a plain URL: download the file yourself and add it as a .zip file; nothing was installed"
            }
            Error::NotFound { .. } | Error::Refused { .. } => {
                "check the URL; nothing was installed"
            }
        }))
    }
}

/// Why an attempt failed in a way that may pass.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Reason {
    #[error("the server did not answer in time")]
    Timeout(#[source] reqwest::Error),
    #[error("cannot connect")]
    Connect(#[source] reqwest::Error),
    #[error("the request failed")]
    Request(#[source] reqwest::Error),
    #[error("the server answered HTTP {0}")]
    Status(StatusCode),
    #[error("no data arrived for {timeout:?} after {received}{} bytes", of(*.expected))]
    Stalled {
        timeout: Duration,
        received: u64,
        expected: Option<u64>,
    },
    #[error("the connection broke after {received}{} bytes", of(*.expected))]
    Broken {
        received: u64,
        expected: Option<u64>,
        #[source]
        source: io::Error,
    },
    #[error("the server announced {expected} bytes but sent {received}")]
    Short { expected: u64, received: u64 },
}

/// ` of N` after a count of bytes received, when the size was announced.
fn of(expected: Option<u64>) -> String {
    expected.map(|n| format!(" of {n}")).unwrap_or_default()
}

/// Why one attempt failed.
enum Failure {
    /// Worth trying again: the reason, and how long the server asked us to wait.
    Transient(Reason, Option<Duration>),
    /// Trying again would fail the same way.
    Fatal(Error),
}

/// Download `url` into the file `dest` (created or truncated), showing progress through
/// `printer`, and return the sha256 and size of what arrived.
pub(crate) fn download(
    url: &str,
    dest: &Path,
    options: &Options,
    printer: &Printer,
) -> Result<Downloaded, Error> {
    // Messages never show a user name or password the URL carries.
    let shown = without_credentials(url);
    let parsed = reqwest::Url::parse(url).map_err(|source| Error::InvalidUrl {
        url: shown.clone().into_owned(),
        source,
    })?;
    let answer = Downloader::new(options)?.get(&parsed, dest, &Request::default(), printer)?;
    match answer {
        Answer::Body { downloaded, .. } => Ok(downloaded),
        // Only an `If-None-Match` asks for a 304, and none was sent.
        Answer::NotModified => Err(refused(&parsed, StatusCode::NOT_MODIFIED)),
        Answer::Refused(status) => Err(refused(&parsed, status)),
    }
}

/// One HTTP client with the download rules above, for many requests: they share its
/// connections, and several threads may use one `Downloader` at once.
#[derive(Debug, Clone)]
pub(crate) struct Downloader {
    client: Client,
    options: Options,
}

impl Downloader {
    /// A client with `options`' timeouts. Proxies come from `HTTPS_PROXY`, `HTTP_PROXY`,
    /// `ALL_PROXY` and `NO_PROXY`, as reqwest reads them by default.
    pub(crate) fn new(options: &Options) -> Result<Downloader, Error> {
        let client = Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(options.connect_timeout)
            // The blocking client applies this to waiting for the headers and then to each read
            // of the body, which makes it an idle timeout: a slow but steady download never
            // trips it.
            .timeout(options.read_timeout)
            .redirect(redirect_policy())
            .build()
            .map_err(Error::Client)?;
        Ok(Downloader {
            client,
            options: options.clone(),
        })
    }

    /// GET `url` into the file `dest` (created or truncated for each attempt), retrying what
    /// may pass. A success streams the body to `dest`; other answers that retrying would not
    /// change come back as [`Answer::NotModified`] and [`Answer::Refused`] for the caller to
    /// explain.
    pub(crate) fn get(
        &self,
        url: &reqwest::Url,
        dest: &Path,
        request: &Request<'_>,
        printer: &Printer,
    ) -> Result<Answer, Error> {
        let shown = without_credentials(url.as_str());
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Scheme {
                url: shown.into_owned(),
            });
        }
        let options = &self.options;
        let mut retry = 0;
        loop {
            let reason = match attempt(&self.client, url, dest, request, options, printer) {
                Ok(answer) => return Ok(answer),
                Err(Failure::Fatal(error)) => return Err(error),
                Err(Failure::Transient(reason, _)) if retry >= options.retries => reason,
                Err(Failure::Transient(reason, retry_after)) => {
                    let backoff = options.retry_delay.saturating_mul(1 << retry.min(16));
                    let wait = retry_after
                        .map_or(backoff, |after| after.min(MAX_RETRY_AFTER).max(backoff));
                    retry += 1;
                    let left = options.retries - retry + 1;
                    printer.warn(format_args!(
                        "downloading {shown} failed: {}; trying again in {wait:?} ({left} {} left)",
                        brief(&reason),
                        if left == 1 { "try" } else { "tries" },
                    ));
                    std::thread::sleep(wait);
                    continue;
                }
            };
            return Err(Error::Failed {
                url: shown.into_owned(),
                tries: retry + 1,
                reason,
            });
        }
    }
}

/// Follow redirects that [`check_redirect`] allows. (reqwest itself drops the `Authorization`
/// header on a redirect to another host, port or scheme.)
fn redirect_policy() -> Policy {
    Policy::custom(
        |attempt| match check_redirect(attempt.previous(), attempt.url()) {
            Ok(()) => attempt.follow(),
            Err(reason) => attempt.error(reason),
        },
    )
}

/// Whether to follow a redirect to `next` after visiting `previous`: at most
/// [`MAX_REDIRECTS`], and never from https down to plain http.
fn check_redirect(previous: &[reqwest::Url], next: &reqwest::Url) -> Result<(), String> {
    if next.scheme() == "http" && previous.iter().any(|u| u.scheme() == "https") {
        return Err(format!("it leads from https to plain http ({next})"));
    }
    if previous.len() > MAX_REDIRECTS {
        return Err(format!("more than {MAX_REDIRECTS} redirects"));
    }
    Ok(())
}

/// The progress of one attempt: on its own bar, or on one shared with other downloads. When
/// dropped, its own bar is cleared; a shared one gives back what a failed attempt added.
struct Progress<'a> {
    bar: Bar<'a>,
    received: u64,
    succeeded: bool,
}

enum Bar<'a> {
    Own(ProgressBar),
    Shared(&'a ProgressBar),
}

impl Progress<'_> {
    fn add(&mut self, n: u64) {
        self.received += n;
        match &self.bar {
            Bar::Own(bar) => bar.set_position(self.received),
            Bar::Shared(bar) => bar.inc(n),
        }
    }
}

impl Drop for Progress<'_> {
    fn drop(&mut self) {
        match &self.bar {
            Bar::Own(bar) => bar.finish_and_clear(),
            Bar::Shared(bar) if !self.succeeded => bar.dec(self.received),
            Bar::Shared(_) => {}
        }
    }
}

/// One try: request, check the answer, stream the body to `dest`.
fn attempt(
    client: &Client,
    url: &reqwest::Url,
    dest: &Path,
    request: &Request<'_>,
    options: &Options,
    printer: &Printer,
) -> Result<Answer, Failure> {
    let mut response = client
        .get(url.clone())
        .headers(request.headers.clone())
        .send()
        .map_err(|e| {
            // The URL itself was checked above, so a builder error means a redirect to a URL
            // that cannot be requested (another scheme).
            let e = e.without_url();
            if e.is_redirect() || e.is_builder() {
                Failure::Fatal(Error::Redirect {
                    url: without_credentials(url.as_str()).into_owned(),
                    source: e,
                })
            } else if e.is_timeout() {
                Failure::Transient(Reason::Timeout(e), None)
            } else if e.is_connect() {
                Failure::Transient(Reason::Connect(e), None)
            } else {
                Failure::Transient(Reason::Request(e), None)
            }
        })?;
    let status = response.status();
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        return Err(Failure::Transient(Reason::Status(status), retry_after));
    }
    if status == StatusCode::NOT_MODIFIED {
        return Ok(Answer::NotModified);
    }
    if !status.is_success() {
        return Ok(Answer::Refused(status));
    }
    let etag = response
        .headers()
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);

    let expected = response.content_length();
    let too_large = |limit: u64| {
        Failure::Fatal(Error::TooLarge {
            url: without_credentials(url.as_str()).into_owned(),
            limit,
        })
    };
    let cannot_write = |source: io::Error| {
        Failure::Fatal(Error::Write {
            path: dest.to_path_buf(),
            source,
        })
    };
    if let (Some(limit), Some(expected)) = (request.limit, expected)
        && expected > limit
    {
        return Err(too_large(limit));
    }
    let mut file = File::create(dest).map_err(cannot_write)?;
    let mut progress = Progress {
        bar: match request.progress {
            Some(shared) => Bar::Shared(shared),
            None => {
                let name = url
                    .path_segments()
                    .and_then(|mut segments| segments.next_back())
                    .filter(|s| !s.is_empty())
                    .unwrap_or("package");
                Bar::Own(printer.progress_download(expected, format!("Downloading {name}")))
            }
        },
        received: 0,
        succeeded: false,
    };
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let received = progress.received;
        let n = match response.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let reason = if timed_out(&e) {
                    Reason::Stalled {
                        timeout: options.read_timeout,
                        received,
                        expected,
                    }
                } else {
                    Reason::Broken {
                        received,
                        expected,
                        source: without_url(e),
                    }
                };
                return Err(Failure::Transient(reason, None));
            }
        };
        if let Some(limit) = request.limit
            && received + n as u64 > limit
        {
            return Err(too_large(limit));
        }
        hasher.update(&buffer[..n]);
        file.write_all(&buffer[..n]).map_err(cannot_write)?;
        progress.add(n as u64);
    }
    let received = progress.received;
    // The HTTP client notices most short bodies itself; this also catches the rest.
    if let Some(expected) = expected
        && received != expected
    {
        return Err(Failure::Transient(
            Reason::Short { expected, received },
            None,
        ));
    }
    progress.succeeded = true;
    Ok(Answer::Body {
        downloaded: Downloaded {
            sha256: hex(&hasher.finalize()),
            size: received,
        },
        etag,
    })
}

/// The error for an answer to a plain URL that retrying would not change.
fn refused(url: &reqwest::Url, status: StatusCode) -> Error {
    let url = without_credentials(url.as_str()).into_owned();
    match status {
        StatusCode::NOT_FOUND | StatusCode::GONE => Error::NotFound { url, status },
        _ => Error::Refused { url, status },
    }
}

/// Why an attempt failed, for the line that says it is tried again: the reason and the deepest
/// cause (what happened: "connection refused"), without the layers between them, which the
/// error shows when the last attempt fails too.
fn brief(reason: &Reason) -> String {
    let mut deepest: Option<&(dyn std::error::Error + 'static)> = None;
    let mut cause = std::error::Error::source(reason);
    while let Some(e) = cause {
        deepest = Some(e);
        cause = e.source();
    }
    match deepest {
        Some(deepest) => format!("{reason}: {deepest}"),
        None => reason.to_string(),
    }
}

/// A failed read of the body without the URL the HTTP client's error may name (and with it a
/// user name and password).
fn without_url(error: io::Error) -> io::Error {
    let kind = error.kind();
    if !error
        .get_ref()
        .is_some_and(|inner| inner.is::<reqwest::Error>())
    {
        return error;
    }
    match error
        .into_inner()
        .map(|inner| inner.downcast::<reqwest::Error>())
    {
        Some(Ok(reqwest)) => io::Error::new(kind, reqwest.without_url()),
        Some(Err(other)) => io::Error::new(kind, other),
        None => io::Error::from(kind),
    }
}

/// Whether a failed read of the body was the idle timeout.
fn timed_out(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::TimedOut
        || error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(list: &[&str]) -> Vec<reqwest::Url> {
        list.iter()
            .map(|u| reqwest::Url::parse(u).unwrap())
            .collect()
    }

    #[test]
    fn redirects_never_leave_https_for_http() {
        let next = |u: &str| reqwest::Url::parse(u).unwrap();
        let from_https = urls(&["https://example.com/x.zip"]);
        assert!(check_redirect(&from_https, &next("https://cdn.example.com/x.zip")).is_ok());
        assert_eq!(
            check_redirect(&from_https, &next("http://cdn.example.com/x.zip")),
            Err("it leads from https to plain http (http://cdn.example.com/x.zip)".into())
        );
        // Also when an https hop came earlier in the chain.
        let chain = urls(&["https://example.com/x.zip", "https://a.example.com/x.zip"]);
        assert!(check_redirect(&chain, &next("http://b.example.com/x.zip")).is_err());
        let from_http = urls(&["http://example.com/x.zip"]);
        assert!(check_redirect(&from_http, &next("https://example.com/x.zip")).is_ok());
        assert!(check_redirect(&from_http, &next("http://example.com/y.zip")).is_ok());
    }

    #[test]
    fn redirect_chains_are_bounded() {
        let long = vec![reqwest::Url::parse("https://example.com/").unwrap(); MAX_REDIRECTS + 1];
        let next = reqwest::Url::parse("https://example.com/x.zip").unwrap();
        assert!(check_redirect(&long[..MAX_REDIRECTS], &next).is_ok());
        assert!(check_redirect(&long, &next).is_err());
    }
}
