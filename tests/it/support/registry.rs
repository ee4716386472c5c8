//! Helpers for the registry tests (tests/it/registry.rs): native plugin packages, a registry folder
//! filled with `pluginkit registry publish`, and a static HTTP server for that folder on
//! 127.0.0.1 that behaves like a web server or CDN in front of it (ETags and `If-None-Match`, a
//! bearer token) and like a bad network (server errors, slow answers, a connection cut in the
//! middle of a package), logging every request it answers.
//!
//! The server speaks HTTP/1.1 over a plain `TcpListener` rather than through tiny_http: tiny_http
//! keeps a connection open after a response it did not finish, so it cannot cut one halfway
//! through a body the way a broken network does (see tests/it/add_url.rs `Server::raw`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Cursor, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use super::TestContext;

/// How long a test server lives at most, even if its test never drops it.
const SERVER_LIFETIME: Duration = Duration::from_secs(60);

pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Packages and the registry folder

/// A native plugin to publish: `plugin.toml` (with `requires` and `[dependencies]` when given),
/// `README.md`, and a data file that says which version it belongs to.
#[derive(Debug, Clone)]
pub struct Plugin {
    pub name: String,
    pub version: String,
    pub summary: String,
    pub requires: Option<String>,
    pub dependencies: Vec<(String, String)>,
    /// Lines of padding in `data.txt`, so that "halfway through the download" is many reads in.
    pub padding: usize,
    /// More files, by path inside the plugin's folder.
    pub extra: BTreeMap<String, Vec<u8>>,
}

impl Plugin {
    pub fn new(name: &str, version: &str) -> Plugin {
        Plugin {
            name: name.to_owned(),
            version: version.to_owned(),
            summary: format!("The {name} plugin"),
            requires: None,
            dependencies: Vec::new(),
            padding: 0,
            extra: BTreeMap::new(),
        }
    }

    pub fn summary(mut self, summary: &str) -> Plugin {
        summary.clone_into(&mut self.summary);
        self
    }

    pub fn requires(mut self, requires: &str) -> Plugin {
        self.requires = Some(requires.to_owned());
        self
    }

    pub fn depends(mut self, name: &str, req: &str) -> Plugin {
        self.dependencies.push((name.to_owned(), req.to_owned()));
        self
    }

    pub fn padding(mut self, lines: usize) -> Plugin {
        self.padding = lines;
        self
    }

    pub fn file(mut self, path: &str, bytes: &[u8]) -> Plugin {
        self.extra.insert(path.to_owned(), bytes.to_vec());
        self
    }

    pub fn manifest(&self) -> String {
        let mut text = format!(
            "[plugin]\nname = \"{}\"\nversion = \"{}\"\nsummary = \"{}\"\nauthor = \"Ada <ada@example.com>\"\nlicense = \"MIT\"\n",
            self.name, self.version, self.summary
        );
        if let Some(requires) = &self.requires {
            text.push_str(&format!("requires = \"{requires}\"\n"));
        }
        if !self.dependencies.is_empty() {
            text.push_str("\n[dependencies]\n");
            for (name, req) in &self.dependencies {
                text.push_str(&format!("{name} = \"{req}\"\n"));
            }
        }
        text
    }

    /// The files of the plugin, by path inside its folder.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut data = format!("{} {}\n", self.name, self.version);
        for i in 0..self.padding {
            data.push_str(&format!("line {i} of {} {}\n", self.name, self.version));
        }
        let mut files = self.extra.clone();
        files.insert("plugin.toml".to_owned(), self.manifest().into_bytes());
        files.insert(
            "README.md".to_owned(),
            format!("# {}\n\n{}\n", self.name, self.summary).into_bytes(),
        );
        files.insert("data.txt".to_owned(), data.into_bytes());
        files
    }

    /// The package: every file under `NAME/`, as `pluginkit package` lays it out.
    pub fn zip(&self) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default();
        for (path, bytes) in self.files() {
            zip.start_file(format!("{}/{path}", self.name), options)
                .expect("start a file");
            zip.write_all(&bytes).expect("write a file");
        }
        zip.finish().expect("finish the zip").into_inner()
    }
}

/// A registry folder, filled by running `pluginkit registry publish` and `registry yank` as its
/// maintainer would; packages are written beside it before they are published.
pub struct RegistryDir {
    /// The registry folder.
    pub dir: PathBuf,
    /// Where packages wait to be published.
    packages: PathBuf,
    context: TestContext,
}

impl RegistryDir {
    /// A registry folder at `dir` (created on the first publish), packages kept in `packages`,
    /// pluginkit run in `context`.
    pub fn new(context: &TestContext, dir: &Path, packages: &Path) -> RegistryDir {
        std::fs::create_dir_all(packages).expect("mkdir packages");
        RegistryDir {
            dir: dir.to_path_buf(),
            packages: packages.to_path_buf(),
            context: context.clone(),
        }
    }

    /// Publish `plugin`, failing the test unless it worked; returns the package's bytes.
    pub fn publish(&self, plugin: &Plugin) -> Vec<u8> {
        let bytes = plugin.zip();
        let zip = self
            .packages
            .join(format!("{}-{}.zip", plugin.name, plugin.version));
        std::fs::write(&zip, &bytes).expect("write the package");
        let zip = zip.to_string_lossy().into_owned();
        let dir = self.dir.to_string_lossy().into_owned();
        self.pluginkit(&["registry", "publish", &zip, "--dir", &dir]);
        bytes
    }

    /// `pluginkit registry yank NAME@VERSION`, failing the test unless it worked.
    pub fn yank(&self, spec: &str) {
        let dir = self.dir.to_string_lossy().into_owned();
        self.pluginkit(&["registry", "yank", spec, "--dir", &dir]);
    }

    /// Where a published package is.
    pub fn package(&self, name: &str, version: &str) -> PathBuf {
        self.dir
            .join("files")
            .join(name)
            .join(format!("{name}-{version}.zip"))
    }

    fn pluginkit(&self, args: &[&str]) {
        let (code, stdout, stderr) = self
            .context
            .pluginkit()
            .current_dir(&self.packages)
            .args(args)
            .run();
        assert_eq!(code, 0, "pluginkit {}:\n{stdout}\n{stderr}", args.join(" "));
    }
}

// ---------------------------------------------------------------------------------------------
// The server

/// One request the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The request's path, without a query.
    pub path: String,
    /// The status sent (200 also for a body cut short).
    pub status: u16,
    /// Whether the request carried `If-None-Match`.
    pub if_none_match: bool,
    /// Whether the request carried the expected bearer token (false when none is required).
    pub authorized: bool,
    /// Whether the connection was cut halfway through the body.
    pub cut: bool,
}

/// How the server behaves; may be changed while it runs.
#[derive(Debug, Clone, Default)]
struct Behaviour {
    /// Requests without `Authorization: Bearer TOKEN` get 401.
    token: Option<String>,
    /// How many more times each path answers 500 before it answers for real.
    failures: BTreeMap<String, usize>,
    /// A wait before every answer.
    delay: Duration,
    /// Packages (`*.zip`) are cut halfway through their body.
    cut_packages: bool,
    /// Packages (`*.zip`) stall halfway through their body, the connection held open until
    /// the server stops.
    stall_packages: bool,
}

struct Shared {
    root: PathBuf,
    behaviour: Mutex<Behaviour>,
    log: Mutex<Vec<Hit>>,
    stop: AtomicBool,
}

/// A static file server for a registry folder on 127.0.0.1, in threads; stops when dropped.
/// Files are read when asked for, so the folder may change while it serves.
pub struct RegistryServer {
    port: u16,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl RegistryServer {
    pub fn start(root: &Path) -> RegistryServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let port = listener.local_addr().expect("an address").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let shared = Arc::new(Shared {
            root: root.to_path_buf(),
            behaviour: Mutex::new(Behaviour::default()),
            log: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let thread = {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                while !shared.stop.load(Ordering::SeqCst) && started.elapsed() < SERVER_LIFETIME {
                    let Ok((stream, _)) = listener.accept() else {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    let shared = shared.clone();
                    std::thread::spawn(move || serve_connection(&shared, stream));
                }
            })
        };
        RegistryServer {
            port,
            shared,
            thread: Some(thread),
        }
    }

    /// The registry's root URL, ending in `/`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Answer 401 to every request without `Authorization: Bearer TOKEN`.
    pub fn require_token(&self, token: &str) {
        self.behaviour().token = Some(token.to_owned());
    }

    /// Answer the next `count` requests for `path` (`/index/hello.json`) with 500.
    pub fn fail_first(&self, path: &str, count: usize) {
        self.behaviour().failures.insert(path.to_owned(), count);
    }

    /// Wait this long before every answer.
    pub fn delay(&self, delay: Duration) {
        self.behaviour().delay = delay;
    }

    /// Cut the connection halfway through the body of every package (`*.zip`).
    pub fn cut_packages(&self, cut: bool) {
        self.behaviour().cut_packages = cut;
    }

    /// Stall halfway through the body of every package (`*.zip`), holding the connection open
    /// until the server stops: a download in progress, for as long as a test needs one.
    pub fn stall_packages(&self, stall: bool) {
        self.behaviour().stall_packages = stall;
    }

    /// Every request answered so far, in order.
    pub fn log(&self) -> Vec<Hit> {
        self.shared.log.lock().unwrap().clone()
    }

    pub fn hits(&self) -> usize {
        self.shared.log.lock().unwrap().len()
    }

    /// The requests answered for `path`.
    pub fn hits_for(&self, path: &str) -> Vec<Hit> {
        self.log().into_iter().filter(|h| h.path == path).collect()
    }

    fn behaviour(&self) -> std::sync::MutexGuard<'_, Behaviour> {
        self.shared.behaviour.lock().unwrap()
    }
}

impl Drop for RegistryServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A request's head: method, path and headers (names in lower case).
struct Head {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Read one request head; `None` at the end of the connection (or when the server stops).
fn read_head(reader: &mut BufReader<TcpStream>, shared: &Shared) -> Option<Head> {
    let mut lines = Vec::new();
    let mut line = String::new();
    loop {
        match reader.read_line(&mut line) {
            Ok(0) => return None,
            Ok(_) => {}
            // A timeout keeps what was read of the line, and waits for the rest.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                if shared.stop.load(Ordering::SeqCst) {
                    return None;
                }
                continue;
            }
            Err(_) => return None,
        }
        let trimmed = line.trim_end_matches(['\r', '\n']).to_owned();
        line.clear();
        if trimmed.is_empty() {
            if lines.is_empty() {
                continue;
            }
            break;
        }
        lines.push(trimmed);
    }
    let mut request_line = lines[0].split_whitespace();
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?;
    let path = target.split(['?', '#']).next().unwrap_or("/").to_owned();
    let headers = lines[1..]
        .iter()
        .filter_map(|l| {
            let (name, value) = l.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect();
    Some(Head {
        method,
        path,
        headers,
    })
}

/// Answer requests on one connection until the client closes it (keep-alive, as a real server).
fn serve_connection(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(head) = read_head(&mut reader, shared) {
        if !answer(shared, &head, &mut writer) {
            let _ = writer.flush();
            let _ = writer.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Answer one request; false when the connection was cut.
fn answer(shared: &Shared, head: &Head, out: &mut TcpStream) -> bool {
    let behaviour = shared.behaviour.lock().unwrap().clone();
    if !behaviour.delay.is_zero() {
        std::thread::sleep(behaviour.delay);
    }
    let if_none_match = head.header("if-none-match").map(str::to_owned);
    let authorized = match &behaviour.token {
        Some(token) => head.header("authorization") == Some(format!("Bearer {token}").as_str()),
        None => false,
    };
    let mut hit = Hit {
        path: head.path.clone(),
        status: 200,
        if_none_match: if_none_match.is_some(),
        authorized,
        cut: false,
    };
    let failing = {
        let mut current = shared.behaviour.lock().unwrap();
        match current.failures.get_mut(&head.path) {
            Some(left) if *left > 0 => {
                *left -= 1;
                true
            }
            _ => false,
        }
    };
    let file = shared.root.join(head.path.trim_start_matches('/'));
    let safe = !head.path.split('/').any(|part| part == ".." || part == ".");
    let (status, body, etag): (u16, Vec<u8>, Option<String>) = if head.method != "GET" {
        (405, b"GET only\n".to_vec(), None)
    } else if failing {
        (500, b"try again later\n".to_vec(), None)
    } else if behaviour.token.is_some() && !authorized {
        (401, b"a token is required\n".to_vec(), None)
    } else {
        match std::fs::read(&file) {
            Ok(bytes) if safe && file.is_file() => {
                let etag = format!("\"{}\"", &sha256(&bytes)[..32]);
                if if_none_match.as_deref() == Some(etag.as_str()) {
                    (304, Vec::new(), Some(etag))
                } else {
                    (200, bytes, Some(etag))
                }
            }
            _ => (404, b"no such file\n".to_vec(), None),
        }
    };
    hit.status = status;
    let reason = match status {
        200 => "OK",
        304 => "Not Modified",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    };
    let content_type = if head.path.ends_with(".json") {
        "application/json"
    } else if head.path.ends_with(".zip") {
        "application/zip"
    } else {
        "text/plain"
    };
    let mut response = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n");
    if let Some(etag) = &etag {
        response.push_str(&format!("ETag: {etag}\r\n"));
    }
    if status == 401 {
        response.push_str("WWW-Authenticate: Bearer realm=\"registry\"\r\n");
    }
    if status != 304 {
        response.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    response.push_str("\r\n");
    let cut = status == 200 && behaviour.cut_packages && head.path.ends_with(".zip");
    hit.cut = cut;
    shared.log.lock().unwrap().push(hit);
    if out.write_all(response.as_bytes()).is_err() {
        return false;
    }
    if cut {
        let _ = out.write_all(&body[..body.len() / 2]);
        return false;
    }
    if status == 200 && behaviour.stall_packages && head.path.ends_with(".zip") {
        let _ = out.write_all(&body[..body.len() / 2]);
        let _ = out.flush();
        let started = Instant::now();
        while !shared.stop.load(Ordering::SeqCst) && started.elapsed() < SERVER_LIFETIME {
            std::thread::sleep(Duration::from_millis(20));
        }
        return false;
    }
    out.write_all(&body).is_ok() && out.flush().is_ok()
}
