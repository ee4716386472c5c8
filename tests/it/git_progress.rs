//! The progress of a git fetch on a terminal: while the remote counts and compresses objects, a
//! spinner with what it says; once the number of objects is known, a bar in bytes with the rate
//! and ETA; never a bar at "0/0". Over a real `git daemon` on 127.0.0.1, in a pseudo-terminal
//! made by Python's `pty` (as the prompts of `new` are tested). Off a terminal, nothing.

use crate::support::git::{GitDaemon, Workspace};
use crate::support::install::Host;

/// Runs argv[1:] in a pseudo-terminal of 80 columns (its controlling terminal and stderr),
/// prints everything it wrote, then a line "--- exit N".
const PTY_RUN: &str = r#"
import fcntl, os, pty, struct, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
# A terminal of 80 columns, as most are at their narrowest.
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
seen = b""
deadline = time.time() + 60
while time.time() < deadline:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode("utf-8", "replace"))
sys.stdout.write(f"\n--- exit {os.waitstatus_to_exitcode(status)}\n")
"#;

/// Text that does not compress, `len` bytes of it, different for each `seed`.
fn noise(seed: u64, len: usize) -> String {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|i| {
            if i % 64 == 63 {
                return '\n';
            }
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            char::from(b'!' + ((state >> 33) % 90) as u8)
        })
        .collect()
}

/// A repository big enough for the remote to take a moment counting and compressing, in the
/// folder `git daemon` serves, as `big.git`.
fn big_repository(ws: &Workspace) {
    let repo = ws.repo("work/big");
    repo.plugin("", "big", "1.0.0");
    for i in 0..1500 {
        repo.write(&format!("data/{:02}/{i}.txt", i % 40), &noise(i, 3000));
    }
    repo.commit("a big plugin");
    repo.bare_clone(&ws.served().join("big.git"));
}

#[test]
fn a_fetch_shows_the_remotes_phase_then_bytes_and_never_0_of_0() {
    let ws = Workspace::new();
    big_repository(&ws);
    let daemon = GitDaemon::start(&ws.served(), &ws.home());
    let url = daemon.url("big.git");
    let host = Host::new();
    let driver = host.path("run_in_pty.py");
    std::fs::write(&driver, PTY_RUN).unwrap();

    let output = host
        .pluginkit()
        .wrapped_in("python3", [driver.as_os_str()])
        .args(["add", &url])
        .env("TERM", "xterm")
        .timeout(std::time::Duration::from_secs(90))
        .output();
    let seen = output.stdout.replace('\r', "\n");
    assert!(seen.contains("--- exit 0"), "{seen}\n{}", output.stderr);
    assert!(host.plugins().join("big/data/00/0.txt").is_file());

    // The remote's phase, in the spinner, before any bar.
    let phase = [
        "Enumerating objects",
        "Counting objects",
        "Compressing objects",
    ]
    .iter()
    .filter_map(|phase| seen.find(phase))
    .min()
    .unwrap_or_else(|| panic!("no phase of the remote was shown:\n{seen}"));
    assert!(
        seen[..phase].contains("Fetching git://"),
        "the phase is shown in the fetch's spinner:\n{seen}"
    );
    let bar = seen
        .find("B/s")
        .unwrap_or_else(|| panic!("no bar in bytes with a rate was shown:\n{seen}"));
    assert!(phase < bar, "the spinner comes before the bar:\n{seen}");
    assert!(
        seen[bar..].contains(" objects"),
        "the bar counts the objects too:\n{seen}"
    );
    assert!(!seen.contains("0/0"), "never a bar at 0/0:\n{seen}");
}

#[test]
fn a_fetch_off_a_terminal_shows_no_progress() {
    let ws = Workspace::new();
    big_repository(&ws);
    let daemon = GitDaemon::start(&ws.served(), &ws.home());
    let host = Host::new();
    let (code, _, stderr) = host.run(&["add", &daemon.url("big.git")]);
    assert_eq!(code, 0, "{stderr}");
    for progress in ["Fetching", "objects", "remote:", "B/s"] {
        assert!(!stderr.contains(progress), "{progress}: {stderr}");
    }
}
