//! The crash tests' pause points: `PLUGINKIT_TEST_PAUSE_AT=STEP` makes a run stop at the named
//! step of a change, so that a test can kill it there (SIGKILL) or, to make two runs meet at a
//! chosen moment, let it go on (SIGCONT).

use std::io::{self, Write};

/// Stop at `step` when `pause_at` names it: say so on stderr (what the tests wait for), then
/// stop the process until it is continued or killed.
pub(crate) fn checkpoint(pause_at: Option<&str>, step: &str) {
    if pause_at != Some(step) {
        return;
    }
    let _ = writeln!(io::stderr(), "pluginkit: paused at {step}");
    stop();
}

#[cfg(target_os = "linux")]
fn stop() {
    use rustix::process::{Signal, getpid, kill_process};
    // Stopped, the process keeps everything it holds (locks, files) exactly as at the step, and
    // SIGKILL still ends it. Should the signal fail, wait to be killed instead.
    if kill_process(getpid(), Signal::STOP).is_err() {
        wait_forever();
    }
}

#[cfg(not(target_os = "linux"))]
fn stop() {
    wait_forever();
}

fn wait_forever() {
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}
