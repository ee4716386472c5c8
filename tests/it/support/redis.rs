//! A real `redis-server` (the Debian package) for the FBA switch tests: on 127.0.0.1, a free
//! port, a password (`--requirepass`), a folder of its own and no persistence; stopped when
//! dropped. `redis-cli` reads and writes what the tests check, byte for byte.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running redis-server.
pub struct Redis {
    child: Option<Child>,
    pub port: u16,
    pub password: String,
    /// The database `redis-cli` reads (`-n`).
    pub db: u32,
}

impl Redis {
    /// Start one in `dir` with `password`; waits until it answers.
    pub fn start(dir: &Path, password: &str) -> Redis {
        std::fs::create_dir_all(dir).expect("the redis folder");
        // A port the system gave and took back: free now; redis binds it a moment later.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("redis-server")
            .args([
                "--bind",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--requirepass",
                password,
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
            ])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server runs (the Debian package redis-server; .ci/run installs it)");
        let redis = Redis {
            child: Some(child),
            port,
            password: password.to_owned(),
            db: 0,
        };
        let start = Instant::now();
        while redis.try_cli(&["PING"]).as_deref() != Some("PONG") {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "redis-server on port {port} did not answer"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        redis
    }

    fn try_cli(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("redis-cli")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "--no-auth-warning",
            ])
            .args(["-a", &self.password, "-n", &self.db.to_string()])
            .args(args)
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8(out.stdout).ok()?;
        Some(text.strip_suffix('\n').unwrap_or(&text).to_owned())
    }

    /// `redis-cli ARGS` (raw output, as the value is stored), without the final newline.
    pub fn cli(&self, args: &[&str]) -> String {
        self.try_cli(args)
            .unwrap_or_else(|| panic!("redis-cli {args:?} failed"))
    }

    /// The value of `key`, byte for byte; `None` when it does not exist.
    pub fn get(&self, key: &str) -> Option<String> {
        if self.cli(&["EXISTS", key]) == "0" {
            return None;
        }
        // --raw prints the value as it is (no quoting), which GET's value then is.
        Some(self.cli(&["--raw", "GET", key]))
    }

    /// Set `key` to `value`.
    pub fn set(&self, key: &str, value: &str) {
        assert_eq!(self.cli(&["SET", key, value]), "OK");
    }

    /// Every key, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .cli(&["--raw", "KEYS", "*"])
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        keys.sort();
        keys
    }

    /// Stop it (SIGKILL) and wait until it is gone.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}
