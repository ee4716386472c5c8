//! The completion scripts in completions/ are what `pluginkit completions SHELL` prints, and the
//! man pages in man/ are clap_mangen's of the same command line (one page per command and
//! subcommand). When the command line changes, regenerate both with
//! `PLUGINKIT_BLESS=1 cargo test --test it completions`.
//!
//! The scripts are then used as a user would: a real bash and a real zsh (its file autoloaded
//! from `$fpath`) in a pseudo-terminal, given `pluginkit disable co<TAB>` in a test host, and
//! fish's own `complete -C`; each must complete the installed plugins' names. (.ci/run installs
//! zsh and fish from Debian's packages when they are missing.)

use std::path::Path;

use clap_complete::Shell;

use pluginkit::cli::completions as generate_completions;

use crate::support::TestContext;

const FILES: &[(Shell, &str)] = &[
    (Shell::Bash, "pluginkit.bash"),
    (Shell::Zsh, "_pluginkit"),
    (Shell::Fish, "pluginkit.fish"),
    (Shell::PowerShell, "_pluginkit.ps1"),
    (Shell::Elvish, "pluginkit.elv"),
];

#[test]
fn committed_completions_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let bless = std::env::var_os("PLUGINKIT_BLESS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in FILES {
        let fresh = generate_completions(*shell);
        let path = dir.join(file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != fresh {
            if bless {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &fresh).unwrap();
            } else {
                stale.push(*file);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "completions/{} are out of date: run `PLUGINKIT_BLESS=1 cargo test --test it completions` and commit them",
        stale.join(", completions/")
    );
}

#[test]
fn the_command_prints_the_same_script() {
    let (code, stdout, stderr) = TestContext::new().run(&["completions", "fish"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, generate_completions(Shell::Fish));
}

/// Every man page clap_mangen makes of the command line, by file name.
fn man_pages() -> std::collections::BTreeMap<String, Vec<u8>> {
    use clap::CommandFactory;
    let dir = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(pluginkit::cli::Cli::command(), dir.path()).unwrap();
    std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn committed_man_pages_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let bless = std::env::var_os("PLUGINKIT_BLESS").is_some();
    let fresh = man_pages();
    assert!(fresh.contains_key("pluginkit.1"), "{:?}", fresh.keys());
    assert!(
        fresh.contains_key("pluginkit-validate.1"),
        "{:?}",
        fresh.keys()
    );
    assert!(
        fresh.contains_key("pluginkit-registry-publish.1"),
        "{:?}",
        fresh.keys()
    );
    let committed: std::collections::BTreeMap<String, Vec<u8>> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .map(|entry| {
                    let entry = entry.unwrap();
                    (
                        entry.file_name().to_string_lossy().into_owned(),
                        std::fs::read(entry.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if committed == fresh {
        return;
    }
    if bless {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &fresh {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        return;
    }
    let stale: Vec<&String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|name| fresh.get(*name) != committed.get(*name))
        .collect();
    panic!(
        "man/ is out of date ({stale:?}): run `PLUGINKIT_BLESS=1 cargo test --test it completions` and commit it"
    );
}

#[test]
fn man_pages_hold_each_commands_help() {
    let pages = man_pages();
    let validate = String::from_utf8_lossy(&pages["pluginkit-validate.1"]).into_owned();
    assert!(validate.contains(".TH pluginkit-validate 1"), "{validate}");
    assert!(validate.contains("\\-\\-strict"), "{validate}");
    let init = String::from_utf8_lossy(&pages["pluginkit-init.1"]).into_owned();
    assert!(
        init.contains("pluginkit init \\-\\-kind flask\\-pluginkit"),
        "{init}"
    );
}

// --- The scripts in real shells ----------------------------------------------------------------

/// Runs an interactive shell in a pseudo-terminal with pluginkit's completion script loaded,
/// types argv[3] (`\t` is TAB) and prints the screen it saw, escape sequences removed.
/// argv: SHELL (bash or zsh), SCRIPT, KEYS, then the pluginkit binary, which goes first on the
/// PATH as `pluginkit`. bash sources the script; zsh autoloads it from its folder on `$fpath`,
/// as `compinit` does with an installed `_pluginkit`.
const SHELL_DRIVER: &str = r#"
import os, pty, re, select, sys, tempfile, time

shell, script, keys, binary = sys.argv[1:5]
bindir = tempfile.mkdtemp()
os.symlink(binary, os.path.join(bindir, "pluginkit"))
os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
os.environ["TERM"] = "dumb"
if shell == "bash":
    argv = ["bash", "--norc", "--noprofile", "-i"]
    setup = "PS1='$ '; source %s\n" % script
else:
    argv = ["zsh", "-f", "-i"]
    setup = "PS1='$ '; fpath=(%s $fpath); autoload -Uz compinit; compinit -u -D\n" % os.path.dirname(script)
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

def read_for(seconds):
    out = b""
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            end = max(end, time.time() + 1.0)
    return out

read_for(1.0)
os.write(fd, setup.encode())
read_for(2.0)
os.write(fd, keys.replace("\\t", "\t").encode())
seen = read_for(3.0)
os.write(fd, b"\x03")
read_for(0.3)
os.kill(pid, 9)
os.waitpid(pid, 0)
sys.stdout.write(re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r", b"", seen).decode("utf-8", "replace"))
"#;

/// A test host with the plugins `blog` and `comments`, and the committed script for `file`
/// copied into `shell/` (zsh finds `_pluginkit` there on its `$fpath`).
fn host_with_script(file: &str) -> (TestContext, std::path::PathBuf) {
    let context = TestContext::new();
    let plugins = context.root().join("host/plugins");
    crate::support::native_plugin(&plugins, "blog", "");
    crate::support::native_plugin(&plugins, "comments", "");
    crate::support::write(&context.path("host"), "pluginkit.toml", "[host]\n");
    let committed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(file);
    let script = context.path("shell").join(file);
    std::fs::create_dir_all(script.parent().unwrap()).unwrap();
    std::fs::copy(&committed, &script).unwrap();
    (context, script)
}

/// What `shell` shows after `keys` are typed in `dir`.
fn typed(context: &TestContext, dir: &Path, shell: &str, script: &Path, keys: &str) -> String {
    let script = script.to_str().unwrap();
    let output = context
        .pluginkit()
        .current_dir(dir)
        .wrapped_in("python3", ["-c", SHELL_DRIVER, shell, script, keys])
        .output();
    assert_eq!(output.code, 0, "the driver failed: {}", output.stderr);
    output.stdout
}

#[test]
fn bash_completes_the_installed_plugins_names() {
    let (context, script) = host_with_script("pluginkit.bash");
    let host = context.path("host");
    let screen = typed(&context, &host, "bash", &script, "pluginkit disable co\\t");
    assert!(
        screen.contains("pluginkit disable comments"),
        "bash did not complete `co` to `comments`:\n{screen}"
    );
    // Two TABs list the choices: both plugins.
    let screen = typed(&context, &host, "bash", &script, "pluginkit enable \\t\\t");
    assert!(
        screen.contains("blog") && screen.contains("comments"),
        "bash did not list the plugins:\n{screen}"
    );
    // The host the line points at, from elsewhere; and a hidden alias completes as its command.
    let screen = typed(
        &context,
        context.root(),
        "bash",
        &script,
        "pluginkit -C host rm bl\\t",
    );
    assert!(
        screen.contains("pluginkit -C host rm blog"),
        "bash did not complete in the host -C names:\n{screen}"
    );
}

#[test]
fn zsh_completes_the_installed_plugins_names_from_fpath_at_the_first_tab() {
    let (context, script) = host_with_script("_pluginkit");
    let host = context.path("host");
    let screen = typed(&context, &host, "zsh", &script, "pluginkit disable co\\t");
    assert!(
        screen.contains("pluginkit disable comments"),
        "zsh did not complete `co` to `comments` at the first TAB:\n{screen}"
    );
}

#[test]
fn fish_completes_the_installed_plugins_names_with_their_summaries() {
    let (context, script) = host_with_script("pluginkit.fish");
    let host = context.path("host");
    let line = format!(
        "source {}; complete -C 'pluginkit disable '; complete -C 'pluginkit restore '",
        script.display()
    );
    let driver = "import os, sys, tempfile\n\
        d = tempfile.mkdtemp(); os.symlink(sys.argv[1], os.path.join(d, 'pluginkit'))\n\
        os.environ['PATH'] = d + os.pathsep + os.environ['PATH']\n\
        os.execvp('fish', ['fish', '--no-config', '-c', sys.argv[2]])\n";
    let (code, _, stderr) = context.run_in(&host, &["remove", "blog"]);
    assert_eq!(code, 0, "{stderr}");
    let output = context
        .pluginkit()
        .current_dir(&host)
        .wrapped_in("python3", ["-c", driver])
        .arg(&line)
        .output();
    assert_eq!(output.code, 0, "{}", output.stderr);
    let lines: Vec<&str> = output.stdout.lines().collect();
    // disable: the installed plugin, with its version and summary; restore: the one with a
    // backup.
    assert!(
        lines.contains(&"comments\t1.0.0: The comments plugin"),
        "{}",
        output.stdout
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("blog\t1.0.0")),
        "{}",
        output.stdout
    );
    assert!(lines.contains(&"blog\t1 backup"), "{}", output.stdout);
}

#[test]
fn completions_help_says_where_each_shells_script_goes() {
    let (code, help, _) = TestContext::new().run(&["completions", "--help"]);
    assert_eq!(code, 0);
    for place in [
        "~/.local/share/bash-completion/completions/pluginkit",
        "fpath=(~/.zfunc $fpath)",
        "~/.config/fish/completions/pluginkit.fish",
        "$PROFILE",
    ] {
        assert!(help.contains(place), "no `{place}`:\n{help}");
    }
}

/// Completing a plugin's name runs nothing the host's pluginkit.toml names: `[host] python`
/// (which `validate` and `list` run to learn the host's versions) is not started by a TAB, as
/// a checkout just cloned could name anything there.
#[test]
fn completing_never_runs_the_hosts_python() {
    let (context, script) = host_with_script("pluginkit.bash");
    let host = context.path("host");
    let ran = context.path("python-ran");
    crate::support::write(
        &host,
        "probe.sh",
        &format!("#!/bin/sh\ntouch '{}'\n", ran.display()),
    );
    std::fs::set_permissions(
        host.join("probe.sh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    crate::support::write(&host, "pluginkit.toml", "[host]\npython = \"./probe.sh\"\n");
    // The probe works: list runs it.
    let (code, _, stderr) = context.pluginkit().current_dir(&host).arg("list").run();
    assert_eq!(code, 0, "{stderr}");
    assert!(ran.exists(), "list did not run [host] python");
    std::fs::remove_file(&ran).unwrap();

    let screen = typed(&context, &host, "bash", &script, "pluginkit disable co\\t");
    assert!(
        screen.contains("pluginkit disable comments"),
        "bash did not complete `co` to `comments`:\n{screen}"
    );
    assert!(!ran.exists(), "a TAB ran [host] python");
}
