//! Prompts through a pseudo-terminal: [`DRIVER`] runs pluginkit as its controlling terminal, as
//! in a real shell, answers the prompts it recognises and prints everything it saw; the
//! `pluginkit new` tests (tests/it/new.rs, tests/it/new_prompts.rs) use it through
//! [`in_terminal`].

use std::fs;

use super::{Pluginkit, TestContext};

/// Runs argv[2:] in a pseudo-terminal (its controlling terminal, as in a real shell) and answers
/// the prompts it recognises; everything it saw is printed on stdout after a line "--- exit N".
/// Answers come as JSON in argv[1]: [[keyword, text], ...]; a prompt whose text holds the keyword
/// (case-insensitive) gets that text and Enter; when the prompt is a list holding the text, the
/// driver moves the cursor from the highlighted item to it instead.
pub const DRIVER: &str = r#"
import json, os, pty, re, select, signal, sys, time

answers = json.loads(sys.argv[1])
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

seen = b""
pending = b""
deadline = time.time() + 30
done = set()
ansi = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")

def plain(b):
    return ansi.sub(b"", b).decode("utf-8", "replace")

while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.4)
    if r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        pending += chunk
        continue
    # Quiet for 0.4 s: a prompt is waiting (or the program is busy).
    text = plain(pending)
    if not text.strip():
        continue
    low = text.lower()
    for i, (keyword, answer) in enumerate(answers):
        if i in done or keyword.lower() not in low:
            continue
        done.add(i)
        lines = [l for l in text.splitlines() if l.strip()]
        items = [l for l in lines if keyword.lower() not in l.lower()]
        tgt = next((k for k, l in enumerate(items) if l.strip(" >❯*").strip() == answer), None)
        if len(items) >= 2 and tgt is not None:
            # A list to choose from: move from the highlighted item to the answer.
            cur = next((k for k, l in enumerate(items) if l.lstrip().startswith((">", "❯"))), 0)
            step = b"\x1b[B" if tgt >= cur else b"\x1b[A"
            for _ in range(abs(tgt - cur)):
                os.write(fd, step)
                time.sleep(0.1)
            os.write(fd, b"\r")
        else:
            os.write(fd, answer.encode() + b"\r")
        break
    else:
        # A prompt we have no answer for: take its default (a list's highlighted item).
        lines = text.splitlines()
        if (re.search(r"[:?›>]\s*(\[[^\]]*\]\s*)?$", text.rstrip("\n")) or "[" in text
                or any(l.lstrip().startswith((">", "❯")) for l in lines)):
            os.write(fd, b"\r")
    pending = b""

# Past the deadline the program is stuck at a prompt: stop it rather than hang the test.
if time.time() >= deadline:
    os.kill(pid, signal.SIGKILL)
try:
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
except ChildProcessError:
    code = -1
sys.stdout.write(plain(seen))
sys.stdout.write(f"\n--- exit {code}\n")
"#;

/// pluginkit run in a pseudo-terminal by [`DRIVER`], answering `answers` (`[[keyword, text],
/// ...]`); the outcome's stdout is the transcript, ending with "--- exit N". The context leaves
/// CI out; nor may any other sign of a CI machine reach the prompts.
pub fn in_terminal(context: &TestContext, answers: &serde_json::Value) -> Pluginkit {
    let driver = context.home().join("pty_driver.py");
    fs::write(&driver, DRIVER).expect("write the pty driver");
    context
        .pluginkit()
        .wrapped_in(
            "python3",
            [driver.as_os_str(), answers.to_string().as_ref()],
        )
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("CONTINUOUS_INTEGRATION")
        .env_remove("BUILD_NUMBER")
        .env_remove("RUN_ID")
        .env("TERM", "xterm-256color")
}
