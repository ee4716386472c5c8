//! The completion scripts in completions/ are what `pluginkit completions SHELL` prints. When the
//! command line changes, regenerate them with `PLUGINKIT_BLESS=1 cargo test --test it completions`.

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
