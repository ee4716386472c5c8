//! The completion scripts in completions/ are what `pluginkit completions SHELL` prints, and the
//! man pages in man/ are clap_mangen's of the same command line (one page per command and
//! subcommand). When the command line changes, regenerate both with
//! `PLUGINKIT_BLESS=1 cargo test --test it completions`.

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
