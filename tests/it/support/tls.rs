//! An https front for the plain http test servers (`git http-backend` in [`super::git`]): TLS
//! with rustls and a self-signed certificate for 127.0.0.1 (in `tls/`, valid for a century),
//! then each request passed on to a server on 127.0.0.1 and its answer passed back (or, for a
//! redirecting front, answered with a redirect to another front). pluginkit
//! trusts the certificate through `SSL_CERT_FILE` ([`HttpsFront::env`]). Every request's
//! `Authorization` header is recorded, so a test can tell where a secret went.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// How long a front lives at most, even if its test never stops it.
const LIFETIME: Duration = Duration::from_secs(120);

const CERT: &[u8] = include_bytes!("tls/cert.pem");
const KEY: &[u8] = include_bytes!("tls/key.pem");

/// One request the front saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The request line's path and query.
    pub url: String,
    /// Its `Authorization` header, as sent.
    pub authorization: Option<String>,
}

/// Where a front sends a request.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// Passed on to the http server on this port.
    Backend(u16),
    /// Redirected (302) to the same path on the https server on this port.
    Redirect(u16),
}

/// An https server on 127.0.0.1 in front of the http server on `127.0.0.1:backend`.
pub struct HttpsFront {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl HttpsFront {
    pub fn start(backend: u16) -> HttpsFront {
        HttpsFront::start_to(Target::Backend(backend))
    }

    /// A front that answers every request with a redirect to the same path on the https
    /// server at `127.0.0.1:port` (as a host that moved a repository does).
    pub fn redirecting(port: u16) -> HttpsFront {
        HttpsFront::start_to(Target::Redirect(port))
    }

    fn start_to(target: Target) -> HttpsFront {
        let cert = CertificateDer::from_pem_slice(CERT).expect("the test certificate");
        let key = PrivateKeyDer::from_pem_slice(KEY).expect("the test key");
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = Arc::new(
            rustls::ServerConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("TLS versions")
                .with_no_client_auth()
                .with_single_cert(vec![cert], key)
                .expect("a server configuration"),
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let port = listener.local_addr().expect("an address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (seen, stop) = (seen.clone(), stop.clone());
            std::thread::spawn(move || {
                let started = Instant::now();
                while !stop.load(Ordering::SeqCst) && started.elapsed() < LIFETIME {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (config, seen) = (config.clone(), seen.clone());
                            std::thread::spawn(move || {
                                let _ = serve(stream, config, target, &seen);
                            });
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
        };
        HttpsFront {
            port,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self, name: &str) -> String {
        format!("https://127.0.0.1:{}/{name}", self.port)
    }

    /// The requests so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("the log of requests").clone()
    }

    /// The file that makes pluginkit (libgit2's OpenSSL) trust the front's certificate.
    pub fn cert_file() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/support/tls/cert.pem")
    }

    /// The environment pluginkit needs to talk to the front.
    pub fn env() -> (&'static str, String) {
        ("SSL_CERT_FILE", Self::cert_file().display().to_string())
    }
}

impl Drop for HttpsFront {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One connection: one request read over TLS, passed on with `Connection: close`, its answer
/// read to the end and sent back.
fn serve(
    stream: TcpStream,
    config: Arc<rustls::ServerConfig>,
    target: Target,
    seen: &Mutex<Vec<Seen>>,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let connection = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(connection, stream);
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(at) = find(&buffer, b"\r\n\r\n") {
            break at + 4;
        }
        let n = tls.read(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let mut forwarded = format!("{request_line}\r\n");
    let mut length = 0usize;
    let mut chunked = false;
    let mut authorization = None;
    for line in lines.filter(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "connection" => continue,
            "content-length" => length = value.parse().unwrap_or(0),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "authorization" => authorization = Some(value.to_owned()),
            _ => {}
        }
        forwarded.push_str(line);
        forwarded.push_str("\r\n");
    }
    forwarded.push_str("Connection: close\r\n\r\n");
    let mut body = buffer[head_end..].to_vec();
    loop {
        let complete = if chunked {
            body.ends_with(b"0\r\n\r\n")
        } else {
            body.len() >= length
        };
        if complete {
            break;
        }
        let n = tls.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let url = request_line
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    seen.lock().expect("the log of requests").push(Seen {
        url: url.clone(),
        authorization,
    });
    let backend = match target {
        Target::Backend(port) => port,
        Target::Redirect(port) => {
            let answer = format!(
                "HTTP/1.1 302 Found\r\nLocation: https://127.0.0.1:{port}{url}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            tls.write_all(answer.as_bytes())?;
            tls.conn.send_close_notify();
            return tls.flush();
        }
    };
    let mut server = TcpStream::connect(("127.0.0.1", backend))?;
    server.set_read_timeout(Some(Duration::from_secs(60)))?;
    server.write_all(forwarded.as_bytes())?;
    server.write_all(&body)?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer)?;
    // The connection ends with this answer, and the client must know it: whatever the server
    // said, `Connection: close` (libgit2 would send its next request on it).
    let answer = match find(&answer, b"\r\n\r\n") {
        Some(at) => {
            let head = String::from_utf8_lossy(&answer[..at]);
            let mut out = String::new();
            for line in head.split("\r\n") {
                if !line.to_ascii_lowercase().starts_with("connection:") {
                    out.push_str(line);
                    out.push_str("\r\n");
                }
            }
            out.push_str("Connection: close\r\n\r\n");
            let mut bytes = out.into_bytes();
            bytes.extend_from_slice(&answer[at + 4..]);
            bytes
        }
        None => answer,
    };
    tls.write_all(&answer)?;
    tls.conn.send_close_notify();
    tls.flush()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
