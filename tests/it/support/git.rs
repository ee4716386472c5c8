//! Helpers for the git tests (tests/it/add_git.rs): repositories made with the `git` command line
//! in a temp folder, and two servers on 127.0.0.1 that serve bare repositories the way real
//! hosts do: `git daemon` (git://) and `git http-backend` behind a small HTTP server (smart
//! HTTP, optionally behind basic auth). Git never reads the developer's configuration here:
//! `HOME` is a temp folder and the system configuration is off.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a test server lives at most, even if its test never stops it.
const SERVER_LIFETIME: Duration = Duration::from_secs(120);

/// The git program: the one on the PATH (2.47 on the test machines).
fn git_program() -> &'static str {
    "git"
}

/// A `git` command with an environment that ignores the user's and the system's configuration.
pub fn git_command(home: &Path) -> Command {
    with_clean_env(Command::new(git_program()), home)
}

fn with_clean_env(mut cmd: Command, home: &Path) -> Command {
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_ASKPASS")
        .env_remove("SSH_ASKPASS")
        .env_remove("GIT_PROTOCOL")
        .env_remove("GIT_TRACE");
    cmd
}

/// Run git in `dir` and return its trimmed stdout; panics with its stderr when it fails.
pub fn git(home: &Path, dir: &Path, args: &[&str]) -> String {
    let output = git_command(home)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("git's output is UTF-8")
        .trim()
        .to_owned()
}

/// A temp folder for repositories, with its own empty `HOME` for git.
pub struct Workspace {
    pub tmp: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(tmp.path().join("home")).expect("mkdir home");
        Workspace { tmp }
    }

    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// The `HOME` git runs with.
    pub fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    /// A new repository with a working tree at `rel`, on branch `main`, without commits.
    pub fn repo(&self, rel: &str) -> Repo {
        let dir = self.root().join(rel);
        std::fs::create_dir_all(&dir).expect("mkdir repo");
        git(
            &self.home(),
            &dir,
            &["-c", "init.defaultBranch=main", "init", "--quiet"],
        );
        Repo {
            dir,
            home: self.home(),
        }
    }

    /// The folder servers serve from (`served/NAME.git`).
    pub fn served(&self) -> PathBuf {
        self.root().join("served")
    }
}

/// A repository with a working tree, where the tests write and commit.
pub struct Repo {
    pub dir: PathBuf,
    home: PathBuf,
}

impl Repo {
    pub fn git(&self, args: &[&str]) -> String {
        git(&self.home, &self.dir, args)
    }

    /// Write `text` to `rel`, creating folders.
    pub fn write(&self, rel: &str, text: &str) -> &Repo {
        let path = self.dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    /// A native plugin's `plugin.toml` and `README.md` in `folder` ("" for the root).
    pub fn plugin(&self, folder: &str, name: &str, version: &str) -> &Repo {
        let prefix = if folder.is_empty() {
            String::new()
        } else {
            format!("{}/", folder.trim_end_matches('/'))
        };
        self.write(&format!("{prefix}plugin.toml"), &manifest(name, version));
        self.write(
            &format!("{prefix}README.md"),
            &format!("# {name} {version}\n"),
        );
        self
    }

    /// A symbolic link at `rel` to `target`, as git stores it (mode 120000).
    pub fn symlink(&self, rel: &str, target: &str) -> &Repo {
        let path = self.dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a link has a parent")).expect("mkdir");
        std::os::unix::fs::symlink(target, path).expect("symlink");
        self
    }

    /// Remove a file or folder from the working tree.
    pub fn remove(&self, rel: &str) -> &Repo {
        let path = self.dir.join(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(path).expect("remove a folder");
        } else {
            std::fs::remove_file(path).expect("remove a file");
        }
        self
    }

    /// Commit everything in the working tree; returns the commit's full id.
    pub fn commit(&self, message: &str) -> String {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--allow-empty", "-m", message]);
        self.head()
    }

    /// The full id of the commit checked out.
    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }

    /// The full id of what `rev` names.
    pub fn rev_parse(&self, rev: &str) -> String {
        self.git(&["rev-parse", rev])
    }

    /// A lightweight tag on the commit checked out.
    pub fn tag(&self, name: &str) -> &Repo {
        self.git(&["tag", name]);
        self
    }

    /// An annotated tag (a tag object) on the commit checked out.
    pub fn annotated_tag(&self, name: &str) -> &Repo {
        self.git(&["tag", "-a", name, "-m", &format!("release {name}")]);
        self
    }

    /// A new branch at the commit checked out, which is then checked out.
    pub fn branch(&self, name: &str) -> &Repo {
        self.git(&["checkout", "--quiet", "-b", name]);
        self
    }

    /// Check out an existing branch.
    pub fn checkout(&self, name: &str) -> &Repo {
        self.git(&["checkout", "--quiet", name]);
        self
    }

    /// A bare clone at `dest` (all branches and tags), to serve or to install from.
    pub fn bare_clone(&self, dest: &Path) -> PathBuf {
        std::fs::create_dir_all(dest.parent().expect("a parent")).expect("mkdir");
        git(
            &self.home,
            &self.dir,
            &[
                "clone",
                "--quiet",
                "--bare",
                &self.dir.display().to_string(),
                &dest.display().to_string(),
            ],
        );
        dest.to_path_buf()
    }

    /// Push every branch and tag to the bare repository `bare` (as a maintainer's push would).
    pub fn push(&self, bare: &Path) {
        let bare = bare.display().to_string();
        self.git(&[
            "push",
            "--quiet",
            "--force",
            &bare,
            "refs/heads/*:refs/heads/*",
        ]);
        self.git(&[
            "push",
            "--quiet",
            "--force",
            &bare,
            "refs/tags/*:refs/tags/*",
        ]);
    }
}

/// A native manifest, as `support::manifest` writes it.
pub fn manifest(name: &str, version: &str) -> String {
    format!(
        "[plugin]\nname = \"{name}\"\nversion = \"{version}\"\nsummary = \"The {name} plugin\"\nauthor = \"Ada <ada@example.com>\"\nlicense = \"MIT\"\n"
    )
}

/// `file:///...` for a local path.
pub fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A port on 127.0.0.1 that nothing listens on (it was free a moment ago).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("a port on 127.0.0.1")
        .local_addr()
        .expect("an address")
        .port()
}

/// Wait until `port` accepts connections, or `child` exits; true when it accepts.
fn wait_for_port(port: u16, child: &mut Child) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

// ---------------------------------------------------------------------------------------------
// git daemon

/// `git daemon` serving every repository under a folder over git:// on 127.0.0.1.
pub struct GitDaemon {
    pub port: u16,
    child: Child,
    packets: PathBuf,
}

impl GitDaemon {
    /// Serve `base` (`git://127.0.0.1:PORT/NAME.git` is `base/NAME.git`); `home` is the HOME
    /// git runs with. Its log goes to `base/../daemon.log`, the protocol lines to
    /// `base/../daemon-packets.log`.
    pub fn start(base: &Path, home: &Path) -> GitDaemon {
        std::fs::create_dir_all(base).expect("mkdir the served folder");
        let log = base.with_file_name("daemon.log");
        let packets = base.with_file_name("daemon-packets.log");
        for _ in 0..5 {
            let port = free_port();
            let mut child = daemon_command(home)
                .arg("--reuseaddr")
                .arg("--listen=127.0.0.1")
                .arg(format!("--port={port}"))
                .arg(format!("--base-path={}", base.display()))
                .arg("--export-all")
                .arg("--enable=upload-pack")
                .arg(base)
                // What upload-pack is asked for (`deepen 1` for a shallow fetch), for asserts.
                .env("GIT_TRACE_PACKET", &packets)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).expect("create the daemon's log"))
                .spawn()
                .expect("git daemon starts");
            if wait_for_port(port, &mut child) {
                return GitDaemon {
                    port,
                    child,
                    packets,
                };
            }
            // Another process took the port in between: try another.
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!(
            "git daemon did not start; its log:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    pub fn url(&self, name: &str) -> String {
        format!("git://127.0.0.1:{}/{name}", self.port)
    }

    /// The git protocol lines exchanged so far (GIT_TRACE_PACKET of the daemon's upload-packs).
    pub fn packet_log(&self) -> String {
        std::fs::read_to_string(&self.packets).unwrap_or_default()
    }
}

/// `git-daemon` itself, not `git daemon`: the `git` wrapper runs it as a child of its own, and
/// killing the wrapper would leave the daemon serving after the test.
fn daemon_command(home: &Path) -> Command {
    let exec_path = git(home, Path::new("."), &["--exec-path"]);
    with_clean_env(Command::new(Path::new(&exec_path).join("git-daemon")), home)
}

impl Drop for GitDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Smart HTTP

/// One request the HTTP server saw. Never the credentials themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    /// The path and the query, as sent.
    pub url: String,
    /// Whether it carried an `Authorization` header.
    pub authorization: bool,
    /// The status it was answered with.
    pub status: u16,
    /// Whether the body asked for a shallow history (`deepen`), for upload-pack requests.
    pub deepen: bool,
}

/// `git http-backend` as CGI behind a tiny_http server on 127.0.0.1, serving every repository
/// under a folder; optionally behind basic auth.
pub struct SmartHttp {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SmartHttp {
    /// Serve `base` without authentication.
    pub fn start(base: &Path, home: &Path) -> SmartHttp {
        SmartHttp::start_with(base, home, None)
    }

    /// Serve `base`, asking for `user` and `password` with basic auth when given.
    pub fn start_with(base: &Path, home: &Path, auth: Option<(&str, &str)>) -> SmartHttp {
        std::fs::create_dir_all(base).expect("mkdir the served folder");
        let server = tiny_http::Server::http("127.0.0.1:0").expect("a port on 127.0.0.1");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let expected = auth.map(|(user, password)| {
            format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
        });
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let backend = Backend {
            root: base.to_path_buf(),
            home: home.to_path_buf(),
            user: auth.map(|(user, _)| user.to_owned()),
        };
        let thread = {
            let (seen, stop) = (seen.clone(), stop.clone());
            std::thread::spawn(move || {
                let started = Instant::now();
                while !stop.load(Ordering::SeqCst) && started.elapsed() < SERVER_LIFETIME {
                    let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(20)) else {
                        continue;
                    };
                    let record = backend.serve(request, expected.as_deref());
                    seen.lock().expect("the log of requests").push(record);
                }
            })
        };
        SmartHttp {
            port,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }

    /// The requests so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("the log of requests").clone()
    }

    /// Forget the requests so far.
    pub fn clear(&self) {
        self.seen.lock().expect("the log of requests").clear();
    }
}

impl Drop for SmartHttp {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What runs `git http-backend` for a request.
struct Backend {
    root: PathBuf,
    home: PathBuf,
    /// The user name basic auth asks for, passed on as REMOTE_USER.
    user: Option<String>,
}

impl Backend {
    fn serve(&self, mut request: tiny_http::Request, expected: Option<&str>) -> Seen {
        let header = |request: &tiny_http::Request, name: &str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
                .map(|h| h.value.as_str().to_owned())
        };
        let authorization = header(&request, "Authorization");
        let mut seen = Seen {
            method: request.method().as_str().to_owned(),
            url: request.url().to_owned(),
            authorization: authorization.is_some(),
            status: 0,
            deepen: false,
        };
        if let Some(expected) = expected
            && authorization.as_deref() != Some(expected)
        {
            seen.status = 401;
            let response = tiny_http::Response::from_string("authentication required\n")
                .with_status_code(401)
                .with_header(
                    tiny_http::Header::from_bytes("WWW-Authenticate", "Basic realm=\"git\"")
                        .expect("a header"),
                );
            let _ = request.respond(response);
            return seen;
        }
        let mut body = Vec::new();
        if request.as_reader().read_to_end(&mut body).is_err() {
            seen.status = 400;
            let _ = request.respond(tiny_http::Response::empty(400));
            return seen;
        }
        seen.deepen = contains(&body, b"deepen");
        let (path, query) = match request.url().split_once('?') {
            Some((path, query)) => (path.to_owned(), query.to_owned()),
            None => (request.url().to_owned(), String::new()),
        };
        let mut cmd = git_command(&self.home);
        cmd.arg("http-backend")
            .env("GIT_PROJECT_ROOT", &self.root)
            .env("GIT_HTTP_EXPORT_ALL", "1")
            .env("GATEWAY_INTERFACE", "CGI/1.1")
            .env("SERVER_PROTOCOL", "HTTP/1.1")
            .env("REQUEST_METHOD", request.method().as_str())
            .env("PATH_INFO", &path)
            .env("QUERY_STRING", &query)
            .env("CONTENT_LENGTH", body.len().to_string())
            .env("REMOTE_ADDR", "127.0.0.1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(kind) = header(&request, "Content-Type") {
            cmd.env("CONTENT_TYPE", kind);
        }
        if let Some(protocol) = header(&request, "Git-Protocol") {
            cmd.env("HTTP_GIT_PROTOCOL", protocol);
        }
        if let Some(encoding) = header(&request, "Content-Encoding") {
            // http-backend inflates a gzipped body itself.
            cmd.env("HTTP_CONTENT_ENCODING", encoding);
        }
        if let Some(user) = &self.user {
            cmd.env("REMOTE_USER", user);
        }
        let mut child = cmd.spawn().expect("git http-backend starts");
        // The body goes in on another thread, so a backend that answers while it reads never
        // blocks on a full pipe.
        let mut stdin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&body);
        });
        let output = child.wait_with_output().expect("git http-backend runs");
        let _ = writer.join();
        let (status, headers, content) = parse_cgi(&output.stdout);
        seen.status = status;
        let mut response = tiny_http::Response::from_data(content).with_status_code(status);
        for (name, value) in headers {
            if name.eq_ignore_ascii_case("Content-Length") {
                continue; // tiny_http sets it from the body
            }
            if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response = response.with_header(header);
            }
        }
        let _ = request.respond(response);
        seen
    }
}

/// A CGI program's output: the status (`Status:`, else 200), the other headers and the body.
fn parse_cgi(output: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let (head, body) = match find(output, b"\r\n\r\n") {
        Some(at) => (&output[..at], &output[at + 4..]),
        None => match find(output, b"\n\n") {
            Some(at) => (&output[..at], &output[at + 2..]),
            None => (output, &[][..]),
        },
    };
    let mut status = 200;
    let mut headers = Vec::new();
    for line in String::from_utf8_lossy(head).lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("Status") {
            status = value
                .split_whitespace()
                .next()
                .and_then(|code| code.parse().ok())
                .unwrap_or(500);
        } else {
            headers.push((name.trim().to_owned(), value.to_owned()));
        }
    }
    (status, headers, body.to_vec())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

/// Standard base64 with padding, for a basic auth header: two dozen lines instead of a crate.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
