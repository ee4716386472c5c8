//! The pre-commit hooks (.pre-commit-hooks.yaml) run by the real pre-commit: the hook
//! repository pre-commit-mirror/ (whose `pluginkit-validate` is this repository's, unchanged)
//! installed offline from the wheel this checkout builds, in a git repository where a commit
//! touching a broken plugin is refused with the finding and accepted once it is fixed.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use crate::support::venvs::{PACKAGING, must_run};
use crate::support::{TestContext, native_plugin, write};
use crate::wheel::{path_without_cargo, wheel};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// The hook `id` of a .pre-commit-hooks.yaml, as written: from its `- id:` line to the blank
/// line after it.
fn hook_entry(file: &str, id: &str) -> String {
    let text = read(file);
    let start = text
        .find(&format!("- id: {id}\n"))
        .unwrap_or_else(|| panic!("{file} has no hook {id}"));
    let entry = &text[start..];
    entry[..entry.find("\n\n").map_or(entry.len(), |end| end + 1)].to_owned()
}

#[test]
fn the_hook_repository_serves_this_repositorys_hook_at_this_version() {
    assert_eq!(
        hook_entry(
            "pre-commit-mirror/.pre-commit-hooks.yaml",
            "pluginkit-validate"
        ),
        hook_entry(".pre-commit-hooks.yaml", "pluginkit-validate"),
        "the hook repository's pluginkit-validate is this repository's, unchanged"
    );
    let pyproject: toml::Table = read("pre-commit-mirror/pyproject.toml").parse().unwrap();
    assert_eq!(
        pyproject["project"]["dependencies"],
        toml::Value::Array(vec![
            format!("pluginkit-cli=={}", env!("CARGO_PKG_VERSION")).into()
        ]),
        "pre-commit-mirror/pyproject.toml pins the wheel of this version"
    );
    // Both hooks run the same command on the same files; only how pluginkit is installed differs.
    let src = hook_entry(".pre-commit-hooks.yaml", "pluginkit-validate-src");
    let wheel = hook_entry(".pre-commit-hooks.yaml", "pluginkit-validate");
    let same = |entry: &str| {
        entry
            .lines()
            .filter(|line| {
                !["- id:", "  description:", "  language:"]
                    .iter()
                    .any(|key| line.starts_with(key))
            })
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(same(&src), same(&wheel));
    assert!(src.contains("  language: rust\n"), "{src}");
    assert!(wheel.contains("  language: python\n"), "{wheel}");
}

#[test]
fn both_hook_definitions_are_valid_for_pre_commit() {
    for file in [
        ".pre-commit-hooks.yaml",
        "pre-commit-mirror/.pre-commit-hooks.yaml",
    ] {
        must_run(
            Command::new(PACKAGING.bin().join("pre-commit"))
                .current_dir(repo())
                .args(["validate-manifest", file]),
            "pre-commit validate-manifest",
        );
    }
}

/// `git` in `dir` with the test's environment.
fn git(env: &[(&str, OsString)], dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("run git");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().expect("an exit code"), text)
}

fn head(env: &[(&str, OsString)], dir: &Path) -> String {
    let (code, out) = git(env, dir, &["rev-parse", "HEAD"]);
    assert_eq!(code, 0, "{out}");
    out.trim().to_owned()
}

#[test]
fn a_commit_touching_a_broken_plugin_is_refused_until_it_is_fixed() {
    let context = TestContext::new();
    let temp = context.home();
    let wheels = wheel().parent().expect("the wheel is in a folder");
    let bin = PACKAGING.bin().to_path_buf();
    // No network and no cargo: pip installs the hook from the wheel this checkout built (and
    // the setuptools that builds the hook repository's placeholder package), nothing else.
    // pip splits this variable on whitespace.
    let find_links = format!("{} {}", wheels.display(), PACKAGING.wheels().display());
    let env: Vec<(&str, OsString)> = vec![
        ("PATH", path_without_cargo(&bin)),
        ("HOME", temp.into()),
        ("PRE_COMMIT_HOME", temp.join("pre-commit").into()),
        ("PIP_NO_INDEX", "1".into()),
        ("PIP_FIND_LINKS", find_links.into()),
        ("PIP_DISABLE_PIP_VERSION_CHECK", "1".into()),
        (
            "VIRTUALENV_OVERRIDE_APP_DATA",
            temp.join("virtualenv").into(),
        ),
        ("GIT_CONFIG_NOSYSTEM", "1".into()),
        ("GIT_CONFIG_GLOBAL", temp.join("gitconfig").into()),
        ("GIT_AUTHOR_NAME", "Ada".into()),
        ("GIT_AUTHOR_EMAIL", "ada@example.com".into()),
        ("GIT_COMMITTER_NAME", "Ada".into()),
        ("GIT_COMMITTER_EMAIL", "ada@example.com".into()),
        ("NO_COLOR", "1".into()),
        ("RUST_BACKTRACE", "0".into()),
    ];

    // The hook repository, as it is published from pre-commit-mirror/.
    let hooks = temp.join("pluginkit-pre-commit");
    for file in ["pyproject.toml", ".pre-commit-hooks.yaml", "README.md"] {
        write(&hooks, file, &read(&format!("pre-commit-mirror/{file}")));
    }
    for args in [
        &["init", "--quiet", "--initial-branch", "main"][..],
        &["add", "-A"],
        &["commit", "--quiet", "-m", "pluginkit-validate"],
    ] {
        let (code, out) = git(&env, &hooks, args);
        assert_eq!(code, 0, "git {args:?}: {out}");
    }
    let rev = head(&env, &hooks);

    // A project with a plugin, and the README's pre-commit configuration.
    let project = context.root();
    write(project, "pluginkit.toml", "[host]\n");
    let hello = native_plugin(&project.join("plugins"), "hello", "");
    write(project, "app.py", "print('hi')\n");
    write(
        project,
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: pluginkit-validate\n",
            hooks.display()
        ),
    );
    let (code, out) = git(
        &env,
        project,
        &["init", "--quiet", "--initial-branch", "main"],
    );
    assert_eq!(code, 0, "{out}");
    must_run(
        Command::new(bin.join("pre-commit"))
            .current_dir(project)
            .arg("install")
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v))),
        "pre-commit install",
    );
    let commit = |message: &str| {
        let (code, out) = git(&env, project, &["add", "-A"]);
        assert_eq!(code, 0, "{out}");
        git(&env, project, &["commit", "-m", message])
    };

    // The first commit installs the hook's environment from the wheel, and passes.
    let (code, out) = commit("a good plugin");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("pluginkit validate"), "{out}");
    assert!(out.contains("Passed"), "{out}");
    let good = head(&env, project);

    // A broken version in the plugin: refused, with the finding, and nothing committed.
    let manifest = std::fs::read_to_string(hello.join("plugin.toml")).unwrap();
    write(
        &hello,
        "plugin.toml",
        &manifest.replace("version = \"1.0.0\"", "version = \"1.0\""),
    );
    let (code, out) = commit("break hello");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Failed"), "{out}");
    assert!(out.contains("error[PK0203]"), "{out}");
    assert!(out.contains("plugins/hello/plugin.toml:3:11"), "{out}");
    assert_eq!(head(&env, project), good, "the commit was refused");

    // Fixed: accepted.
    write(
        &hello,
        "plugin.toml",
        &manifest.replace("version = \"1.0.0\"", "version = \"1.0.1\""),
    );
    let (code, out) = commit("hello 1.0.1");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Passed"), "{out}");
    assert_ne!(head(&env, project), good);

    // A commit touching no plugin runs no check (a file in no plugin would be refused).
    write(project, "app.py", "print('hello')\n");
    let (code, out) = commit("app only");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(no files to check)Skipped"), "{out}");
}
