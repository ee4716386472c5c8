//! `pluginkit add https://.../x.zip`: a package served by a test HTTP server on 127.0.0.1, with
//! the failures a real network produces (server errors that pass, a connection cut halfway, a
//! stalled connection, a wrong checksum, a missing file). Whatever fails leaves the plugins
//! folder, `pluginkit.toml` and `pluginkit.lock` exactly as they were.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use crate::support::{Pluginkit, TestContext, native_plugin, write};

/// How long a test server lives at most, even if its test never stops it.
const SERVER_LIFETIME: Duration = Duration::from_secs(30);
const PACKAGE_PATH: &str = "/files/hello-1.0.0.zip";

/// A valid native plugin `hello`, packaged as `hello/...` the way `pluginkit package` lays it out.
fn hello_zip() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    zip.start_file("hello/plugin.toml", options).unwrap();
    zip.write_all(
        b"[plugin]\nname = \"hello\"\nversion = \"1.0.0\"\nsummary = \"Greets people\"\nauthor = \"Ada <ada@example.com>\"\nlicense = \"MIT\"\n",
    )
    .unwrap();
    zip.start_file("hello/README.md", options).unwrap();
    zip.write_all(b"# hello\n").unwrap();
    // Padding, so that "halfway" is many reads into the body.
    zip.start_file("hello/data.txt", options).unwrap();
    for i in 0..20_000 {
        writeln!(zip, "line {i} of the hello plugin's data").unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A server on 127.0.0.1 in a thread: counts requests, stops when dropped (or after
/// [`SERVER_LIFETIME`]).
struct Server {
    port: u16,
    seen: Seen,
    thread: Option<JoinHandle<()>>,
}

/// What the server thread and the test share.
#[derive(Clone, Default)]
struct Seen {
    hits: Arc<AtomicUsize>,
    user_agents: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// A tiny_http server; `respond` gets the 1-based number of the request.
    fn http(respond: impl Fn(usize, tiny_http::Request) + Send + 'static) -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("a port on 127.0.0.1");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let seen = Seen::default();
        let thread = {
            let Seen {
                hits,
                user_agents,
                stop,
            } = seen.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                while !stop.load(Ordering::SeqCst) && started.elapsed() < SERVER_LIFETIME {
                    let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(20)) else {
                        continue;
                    };
                    let agent = request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("User-Agent"))
                        .map(|h| h.value.to_string())
                        .unwrap_or_default();
                    user_agents.lock().unwrap().push(agent);
                    respond(hits.fetch_add(1, Ordering::SeqCst) + 1, request);
                }
            })
        };
        Server {
            port,
            seen,
            thread: Some(thread),
        }
    }

    /// A server that speaks raw HTTP over TCP, for what tiny_http will not do: close a
    /// connection in the middle of a body, or stall. Each connection gets its own thread.
    fn raw(respond: impl Fn(TcpStream) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let seen = Seen::default();
        let respond = Arc::new(respond);
        let thread = {
            let Seen { hits, stop, .. } = seen.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                while !stop.load(Ordering::SeqCst) && started.elapsed() < SERVER_LIFETIME {
                    let Ok((mut stream, _)) = listener.accept() else {
                        std::thread::sleep(Duration::from_millis(10));
                        continue;
                    };
                    stream.set_nonblocking(false).unwrap();
                    stream
                        .set_read_timeout(Some(Duration::from_secs(5)))
                        .unwrap();
                    read_request_head(&mut stream);
                    hits.fetch_add(1, Ordering::SeqCst);
                    let respond = respond.clone();
                    std::thread::spawn(move || respond(stream));
                }
            })
        };
        Server {
            port,
            seen,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self) -> usize {
        self.seen.hits.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.seen.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Read up to the blank line that ends a request's head (the tests send no bodies).
fn read_request_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
}

fn zip_response(bytes: Vec<u8>) -> tiny_http::Response<Cursor<Vec<u8>>> {
    tiny_http::Response::from_data(bytes).with_header(
        "Content-Type: application/zip"
            .parse::<tiny_http::Header>()
            .unwrap(),
    )
}

/// A host with `pluginkit.toml` and one plugin already installed (so there is a lockfile to
/// keep), and the plugin sources beside it, in the test context's root.
fn host() -> TestContext {
    let context = TestContext::new();
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\nplugins-dir = \"plugins\"\n",
    );
    native_plugin(&context.root().join("src"), "other", "");
    let (code, _, stderr) = run(&context, &["add", "src/other"]);
    assert_eq!(code, 0, "{stderr}");
    context
}

/// pluginkit with short retry delays (the harness keeps proxies away from 127.0.0.1).
fn pluginkit(host: &TestContext) -> Pluginkit {
    host.pluginkit().env("PLUGINKIT_HTTP_RETRY_DELAY_MS", "10")
}

fn run(host: &TestContext, args: &[&str]) -> (i32, String, String) {
    pluginkit(host).args(args).run()
}

/// Everything an install may change: the plugins folder, `pluginkit.toml`, `pluginkit.lock`.
fn state(host: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(host, &host.join("plugins"), &mut out);
    for file in ["pluginkit.toml", "pluginkit.lock"] {
        out.insert(file.into(), std::fs::read(host.join(file)).unwrap());
    }
    out
}

fn assert_unchanged(host: &Path, before: &BTreeMap<String, Vec<u8>>) {
    let after = state(host);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same files, and no staging folder left behind"
    );
    assert!(before == &after, "every file byte-for-byte unchanged");
}

#[test]
fn a_zip_url_installs_and_is_locked_with_its_sha256() {
    let package = hello_zip();
    let sha = sha256(&package);
    let server = Server::http(move |_, request| {
        let response = if request.url() == PACKAGE_PATH {
            zip_response(package.clone())
        } else {
            zip_response(Vec::new()).with_status_code(404)
        };
        request.respond(response).unwrap();
    });
    let host = host();
    let url = server.url(PACKAGE_PATH);

    let (code, stdout, stderr) = run(&host, &["add", &url]);

    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "installed hello 1.0.0 into plugins/hello\n");
    assert_eq!(server.hits(), 1);
    assert_eq!(
        *server.seen.user_agents.lock().unwrap(),
        [format!("pluginkit/{}", env!("CARGO_PKG_VERSION"))]
    );
    assert!(host.root().join("plugins/hello/plugin.toml").is_file());
    assert!(host.root().join("plugins/hello/data.txt").is_file());
    let lock = std::fs::read_to_string(host.root().join("pluginkit.lock")).unwrap();
    assert!(
        lock.contains(&format!("source = \"zip+{url}\"\nsha256 = \"{sha}\"\n")),
        "{lock}"
    );
    let mut entries: Vec<String> = std::fs::read_dir(host.root().join("plugins"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["hello", "other"], "no staging folder is left");
}

#[test]
fn server_errors_are_retried_until_the_download_succeeds() {
    let package = hello_zip();
    let sha = sha256(&package);
    let server = Server::http(move |n, request| {
        let response = if n <= 2 {
            zip_response(b"try later".to_vec()).with_status_code(500)
        } else {
            zip_response(package.clone())
        };
        request.respond(response).unwrap();
    });
    let host = host();

    host.filter(server.url(""), "http://[SERVER]");
    host.filter(&sha, "[SHA256]");
    let outcome = pluginkit(&host)
        .args(["add", &server.url(PACKAGE_PATH), "--sha256", &sha])
        .output();

    assert_eq!(server.hits(), 3);
    assert_eq!(
        outcome
            .stderr
            .matches("the server answered HTTP 500")
            .count(),
        2,
        "{}",
        outcome.stderr
    );
    insta::assert_snapshot!(outcome.snapshot());
    assert!(host.root().join("plugins/hello/plugin.toml").is_file());
}

#[test]
fn a_connection_cut_halfway_installs_nothing() {
    let package = hello_zip();
    let size = package.len();
    let server = Server::raw(move |mut stream| {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {}\r\n\r\n",
            package.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&package[..package.len() / 2]);
        let _ = stream.flush();
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
    let host = host();
    let before = state(host.root());

    host.filter(server.url(""), "http://[SERVER]");
    host.filter(
        format!(" {} of {size} bytes", size / 2),
        " [HALF] of [SIZE] bytes",
    );
    let outcome = pluginkit(&host)
        .args(["add", &server.url(PACKAGE_PATH)])
        .output();

    insta::assert_snapshot!(outcome.snapshot());
    assert_eq!(server.hits(), 4, "the first try and three retries");
    assert_unchanged(host.root(), &before);
}

#[test]
fn a_stalled_connection_times_out() {
    let package = hello_zip();
    let size = package.len();
    let server = Server::raw(move |mut stream| {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
            package.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&package[..1000]);
        let _ = stream.flush();
        // Hold the connection open, sending nothing, until the client gives up on it.
        let _ = stream.read(&mut [0u8; 1]);
    });
    let host = host();
    let before = state(host.root());

    let started = Instant::now();
    host.filter(server.url(""), "http://[SERVER]");
    host.filter(format!(" 1000 of {size} bytes"), " 1000 of [SIZE] bytes");
    let outcome = pluginkit(&host)
        .env("PLUGINKIT_HTTP_TIMEOUT", "0.5")
        .args(["add", &server.url(PACKAGE_PATH)])
        .output();

    insta::assert_snapshot!(outcome.snapshot());
    assert_eq!(server.hits(), 4);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_unchanged(host.root(), &before);
}

#[test]
fn a_sha256_mismatch_installs_nothing() {
    let package = hello_zip();
    let actual = sha256(&package);
    let server = Server::http(move |_, request| {
        request.respond(zip_response(package.clone())).unwrap();
    });
    let host = host();
    let before = state(host.root());
    let expected = "0".repeat(64);
    let url = server.url(PACKAGE_PATH);

    host.filter(server.url(""), "http://[SERVER]");
    host.filter(&actual, "[SHA256]");
    let snapshot = pluginkit(&host)
        .args(["add", &url, "--sha256", &expected])
        .output()
        .snapshot();

    insta::assert_snapshot!(snapshot);
    assert_eq!(server.hits(), 1);
    assert_unchanged(host.root(), &before);
}

#[test]
fn a_missing_file_is_not_retried() {
    let server = Server::http(|_, request| {
        request
            .respond(tiny_http::Response::from_string("no such file").with_status_code(404))
            .unwrap();
    });
    let host = host();
    let before = state(host.root());
    let url = server.url("/files/nothing-1.0.0.zip");

    host.filter(server.url(""), "http://[SERVER]");
    let snapshot = pluginkit(&host).args(["add", &url]).output().snapshot();

    insta::assert_snapshot!(snapshot);
    assert!(!snapshot.contains("warning"), "no retry: {snapshot}");
    assert_eq!(server.hits(), 1);
    assert_unchanged(host.root(), &before);
}

#[test]
fn a_malformed_sha256_is_bad_usage() {
    let host = host();
    insta::assert_snapshot!(
        pluginkit(&host)
            .args(["add", "http://127.0.0.1:9/x.zip", "--sha256", "abc"])
            .output()
            .snapshot()
    );
}

/// A URL with a user name and password in it: they go to the server for this download, and
/// nowhere else: not in the output, `pluginkit.lock` or `pluginkit.toml`, not even in an error.
#[test]
fn credentials_in_a_url_are_used_and_never_written_or_shown() {
    let package = hello_zip();
    let server = Server::http(move |_, request| {
        let authorized = request.headers().iter().any(|h| {
            h.field.equiv("Authorization") && h.value.as_str() == "Basic YWRhOnMzY3JldC10b2tlbg=="
        });
        let response = if !authorized {
            zip_response(Vec::new()).with_status_code(401)
        } else if request.url() == PACKAGE_PATH {
            zip_response(package.clone())
        } else {
            zip_response(Vec::new()).with_status_code(404)
        };
        request.respond(response).unwrap();
    });
    let host = host();
    let with_token = |path: &str| {
        server
            .url(path)
            .replace("http://", "http://ada:s3cret-token@")
    };

    let (code, stdout, stderr) = run(
        &host,
        &["add", &with_token(PACKAGE_PATH), "--format", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("the user name and password in the URL are used for this download only"),
        "{stderr}"
    );
    let lock = std::fs::read_to_string(host.root().join("pluginkit.lock")).unwrap();
    let toml = std::fs::read_to_string(host.root().join("pluginkit.toml")).unwrap();
    let url = server.url(PACKAGE_PATH);
    assert!(lock.contains(&format!("source = \"zip+{url}\"")), "{lock}");
    assert!(
        toml.contains(&format!("hello = {{ zip = \"{url}\"")),
        "{toml}"
    );
    for (what, text) in [
        ("stdout", &stdout),
        ("stderr", &stderr),
        ("pluginkit.lock", &lock),
        ("pluginkit.toml", &toml),
    ] {
        assert!(
            !text.contains("s3cret"),
            "the password is in {what}: {text}"
        );
        assert!(!text.contains("ada@"), "the user name is in {what}: {text}");
    }

    // Nor in the error for a URL that is not there.
    let (code, _, stderr) = run(&host, &["add", &with_token("/missing.zip")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("was not found (HTTP 404"), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");
}
