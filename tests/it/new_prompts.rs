//! `pluginkit new` that asks well (issue 18, item 1): on a terminal the flavor is asked, the
//! host's first; every answer is checked when given and asked again with the rule and a
//! did-you-mean, the answers kept; flags get the same checks before anything is written (exit
//! 2, nothing created), flavor-only flags are refused for another flavor, and the next steps
//! printed for each flavor are commands that work where they are printed.
//!
//! Prompts run in a pseudo-terminal ([`crate::support::pty`]); every other run sets `CI=true`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::support::redis::Redis;
use crate::support::venvs::{self, must_run};
use crate::support::{self, Pluginkit, TestContext, pty};

/// pluginkit in `dir`, without a terminal (`CI=true`).
fn ci(context: &TestContext, dir: &Path) -> Pluginkit {
    context.pluginkit().env("CI", "true").current_dir(dir)
}

/// A host of `kind` at `dir`: `pluginkit.toml` saying so (and, for Flask-PluginKit, its
/// plugins package).
fn host(dir: &Path, kind: &str) {
    support::write(
        dir,
        "pluginkit.toml",
        &format!("[host]\nkind = \"{kind}\"\n"),
    );
    if kind == "flask-pluginkit" {
        support::write(dir, "plugins/__init__.py", "");
    }
}

/// Everything under `dir`, relative: what "nothing was created" compares.
fn tree(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(root).unwrap().to_path_buf());
            if path.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Run `new` in a terminal with `answers` in `dir`; returns the transcript of a run that
/// succeeded.
fn in_terminal(context: &TestContext, dir: &Path, answers: Value, args: &[&str]) -> String {
    let output = pty::in_terminal(context, &answers)
        .current_dir(dir)
        .args(args)
        .output();
    let transcript = output.stdout;
    assert_eq!(
        output.code, 0,
        "the driver failed: {}\n{transcript}",
        output.stderr
    );
    assert!(
        transcript.contains("--- exit 0"),
        "pluginkit {args:?} in a terminal did not succeed:\n{transcript}"
    );
    transcript
}

// --- The flavor ------------------------------------------------------------------------------

#[test]
fn the_flavor_is_asked_first_with_the_hosts_flavor_as_the_default() {
    let context = TestContext::new();
    // In an FBA host, Enter at every prompt makes an FBA app plugin.
    let fba = context.path("fba");
    host(&fba, "fba");
    let transcript = in_terminal(&context, &fba, json!([]), &["new", "demo", "--no-git"]);
    assert!(transcript.contains("Flavor"), "{transcript}");
    let highlighted: Vec<&str> = transcript
        .lines()
        .filter(|l| l.trim_start().starts_with('>'))
        .collect();
    assert_eq!(
        highlighted.first().map(|l| l.trim()),
        Some("> fba"),
        "{transcript}"
    );
    let toml = fs::read_to_string(fba.join("demo/plugin.toml")).unwrap();
    assert!(toml.contains("[app]"), "{toml}");
    assert!(toml.contains("summary = \"An FBA app plugin\""), "{toml}");

    // In a Flask-PluginKit host, a Flask-PluginKit plugin, described as one.
    let flask = context.path("flask");
    host(&flask, "flask-pluginkit");
    in_terminal(&context, &flask, json!([]), &["new", "demo", "--no-git"]);
    let init = fs::read_to_string(flask.join("demo/__init__.py")).unwrap();
    assert!(init.contains("__plugin_name__ = \"demo\""), "{init}");
    assert!(
        init.contains("__description__ = \"A Flask-PluginKit plugin\""),
        "{init}"
    );

    // Outside a host the default is native, and another flavor can be chosen.
    let outside = context.path("outside");
    fs::create_dir_all(&outside).unwrap();
    let transcript = in_terminal(
        &context,
        &outside,
        json!([["flavor", "fastcms"]]),
        &["new", "demo", "--no-git"],
    );
    let highlighted = transcript
        .lines()
        .find(|l| l.trim_start().starts_with('>'))
        .unwrap_or_default();
    assert_eq!(highlighted.trim(), "> pluginkit", "{transcript}");
    let init = fs::read_to_string(outside.join("demo/__init__.py")).unwrap();
    assert!(init.contains("PLUGIN_META"), "{init}");
    assert!(init.contains("A FastCMS plugin"), "{init}");
}

#[test]
fn without_a_terminal_the_hosts_flavor_is_taken_and_said() {
    let context = TestContext::new();
    let fba = context.path("fba");
    host(&fba, "fba");
    let (code, stdout, stderr) = ci(&context, &fba).args(["new", "demo", "--no-git"]).run();
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("flavor: fba: the fba host's flavor"),
        "{stderr}"
    );
    assert!(stdout.contains("created demo (fba)"), "{stdout}");

    let outside = context.path("outside");
    fs::create_dir_all(&outside).unwrap();
    let (code, stdout, stderr) = ci(&context, &outside)
        .args(["new", "demo", "--no-git"])
        .run();
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("flavor: pluginkit: no host found"),
        "{stderr}"
    );
    let toml = fs::read_to_string(outside.join("demo/plugin.toml")).unwrap();
    assert!(
        toml.contains("summary = \"A native pluginkit plugin\""),
        "{toml}"
    );
}

// --- Answers checked when given ----------------------------------------------------------------

#[test]
fn invalid_answers_are_asked_again_with_the_rule_and_the_answers_are_kept() {
    let context = TestContext::new();
    let dir = context.path("work");
    fs::create_dir_all(&dir).unwrap();
    let answers = json!([
        ["level", "extend"],
        ["extends", "Bad-App!"],
        ["extends", "blog"],
        ["description", "Posts to the blog"],
        ["author", "Ada <ada@example.com>"],
        ["version", "banana"],
        ["version", "1.0.0-beta.1"],
        ["version", "1.2.3"],
        ["license", "Apachee-2.0"],
        ["license", "Apache-2.0"],
    ]);
    let transcript = in_terminal(
        &context,
        &dir,
        answers,
        &["--flavor", "fba", "new", "demo", "--no-git"],
    );
    for said in [
        // FBA's app name rule, with a name that passes.
        "`Bad-App!` is not an FBA app name: it must match ^[a-zA-Z0-9_]+$",
        "did you mean `Bad_App_`?",
        // FBA's version rule, for a word and for a SemVer pre-release alike.
        "`banana` is not an FBA version",
        "`1.0.0-beta.1` is not an FBA version",
        "did you mean `1.0.0`?",
        // An SPDX id, with the one meant.
        "`Apachee-2.0` is not an SPDX license identifier",
        "did you mean `Apache-2.0`?",
    ] {
        assert!(
            transcript.contains(said),
            "{said:?} not shown:\n{transcript}"
        );
    }
    let plugin = dir.join("demo");
    let toml = fs::read_to_string(plugin.join("plugin.toml")).unwrap();
    for kept in [
        "extend = \"blog\"",
        "version = \"1.2.3\"",
        "summary = \"Posts to the blog\"",
        "author = \"Ada <ada@example.com>\"",
    ] {
        assert!(toml.contains(kept), "{kept:?} not in\n{toml}");
    }
    let license = fs::read_to_string(plugin.join("LICENSE")).unwrap();
    assert!(license.contains("Apache License"), "{license}");
    assert!(transcript.contains("created demo (fba)"), "{transcript}");
}

#[test]
fn a_semver_version_is_asked_again_for_the_other_flavors() {
    let context = TestContext::new();
    let dir = context.path("work");
    fs::create_dir_all(&dir).unwrap();
    let answers = json!([
        ["version", "banana"],
        ["version", "v2.0"],
        ["version", "2.0.0-rc.1"]
    ]);
    let transcript = in_terminal(
        &context,
        &dir,
        answers,
        &["--flavor", "flask-pluginkit", "new", "demo", "--no-git"],
    );
    assert!(
        transcript.contains("`banana` is not a SemVer 2.0 version"),
        "{transcript}"
    );
    assert!(transcript.contains("did you mean `2.0.0`?"), "{transcript}");
    let init = fs::read_to_string(dir.join("demo/__init__.py")).unwrap();
    assert!(init.contains("__version__ = \"2.0.0-rc.1\""), "{init}");
}

// --- Flags checked before anything is written ---------------------------------------------------

/// Runs `args` without a terminal in a fresh folder and asserts exit 2, stderr holding `said`,
/// no "created", and nothing written.
fn refused(args: &[&str], said: &[&str]) {
    let context = TestContext::new();
    let dir = context.path("work");
    fs::create_dir_all(dir.join("empty/demo")).unwrap();
    let before = tree(&dir);
    let (code, stdout, stderr) = ci(&context, &dir).args(args).run();
    assert_eq!(code, 2, "{args:?}\n{stdout}\n{stderr}");
    for said in said {
        assert!(stderr.contains(said), "{args:?}: {said:?} not in\n{stderr}");
    }
    assert!(stderr.contains("nothing was written"), "{args:?}\n{stderr}");
    assert!(!stdout.contains("created"), "{args:?}\n{stdout}");
    assert_eq!(tree(&dir), before, "{args:?} wrote something");
}

#[test]
fn invalid_flags_are_refused_before_anything_is_written() {
    refused(
        &["new", "demo", "--plugin-version", "banana"],
        &[
            "invalid --plugin-version banana",
            "is not a SemVer 2.0 version",
        ],
    );
    refused(
        &["new", "demo", "--license", "Apachee-2.0"],
        &["not an SPDX license identifier", "try --license Apache-2.0"],
    );
    refused(
        &["--flavor", "fba", "new", "demo", "--extend", "Bad-App!"],
        &["^[a-zA-Z0-9_]+$", "try --extend Bad_App_"],
    );
    refused(
        &["new", "demo", "--description", ""],
        &["the description is empty"],
    );
    refused(
        &[
            "--flavor",
            "fba",
            "new",
            "demo",
            "--author",
            "Augusta Ada King, Countess of Lovelace <ada@example.com>",
        ],
        &["FBA's plugin validator allows 1 to 50", "try --author"],
    );
    refused(
        &["new", "demo", "--define", "version=1.0"],
        &["invalid --define version=1.0", "try --define version=1.0.0"],
    );
    // Into an existing empty folder: it stays empty.
    refused(
        &["new", "demo", "-o", "empty/demo", "--license", "MTI"],
        &["try --license MIT"],
    );
}

/// The FBA rule for a pre-release, from FBA's own validator (validator.py v1.13.4, run with
/// pydantic): it refuses `1.0.0-beta.1`, so `new` refuses it before writing instead of printing
/// "created ... next steps" and then failing.
#[test]
fn an_fba_pre_release_version_is_refused_before_anything_is_written() {
    refused(
        &[
            "--flavor",
            "fba",
            "new",
            "demo",
            "--plugin-version",
            "1.0.0-beta.1",
        ],
        &[
            "`1.0.0-beta.1` is not an FBA version",
            "^\\d+\\.\\d+\\.\\d+$",
            "try --plugin-version 1.0.0",
        ],
    );

    // What FBA does with it: a plugin `new` makes, with the version changed, is refused by
    // FBA's validator; as made, it passes.
    let context = TestContext::new();
    let plugins = context.path("plugins");
    fs::create_dir_all(&plugins).unwrap();
    let (code, _, stderr) = ci(&context, &plugins)
        .args(["--flavor", "fba", "new", "made", "--no-git"])
        .run();
    assert_eq!(code, 0, "{stderr}");
    fs::create_dir_all(plugins.join("beta")).unwrap();
    let toml = fs::read_to_string(plugins.join("made/plugin.toml")).unwrap();
    fs::write(
        plugins.join("beta/plugin.toml"),
        toml.replace("version = \"0.1.0\"", "version = \"1.0.0-beta.1\""),
    )
    .unwrap();
    let host = support::corpus().join("host");
    let out = must_run(
        Command::new(venvs::FBA_VALIDATOR.python())
            .arg(host.join("run_validator.py"))
            .arg(host.join("validator-v1.13.4.py"))
            .arg(&plugins)
            .args(["made", "beta"]),
        "FBA's validator",
    );
    let fba: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(fba["made"], "ok", "{fba:#}");
    assert!(
        fba["beta"]
            .as_str()
            .unwrap_or_default()
            .starts_with("error"),
        "{fba:#}"
    );
}

#[test]
fn flavor_only_flags_are_refused_for_another_flavor() {
    refused(
        &["new", "demo", "--level", "app"],
        &["--level applies to flavor fba only", "--flavor fba"],
    );
    refused(
        &[
            "--flavor",
            "flask-pluginkit",
            "new",
            "demo",
            "--extend",
            "admin",
        ],
        &[
            "--extend applies to flavor fba only",
            "flavor is flask-pluginkit",
        ],
    );
    refused(
        &[
            "--flavor", "fba", "new", "demo", "--level", "app", "--extend", "admin",
        ],
        &["--extend applies to --level extend only"],
    );
    // In an FBA host they need no --flavor; --extend alone makes an extend-level plugin.
    let context = TestContext::new();
    let fba = context.path("fba");
    host(&fba, "fba");
    let (code, stdout, stderr) = ci(&context, &fba)
        .args(["new", "demo", "--extend", "blog", "--no-git"])
        .run();
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let toml = fs::read_to_string(fba.join("demo/plugin.toml")).unwrap();
    assert!(toml.contains("extend = \"blog\""), "{toml}");
}

// --- Next steps that work ------------------------------------------------------------------------

/// The commands under "next steps:" (lines `  pluginkit ...`), and those after "then, in the
/// host's folder".
fn next_steps(stdout: &str) -> (Vec<String>, Vec<String>) {
    let (here, in_host) = stdout
        .split_once("then, in the host's folder")
        .unwrap_or((stdout, ""));
    let commands = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix("  pluginkit "))
            .map(str::to_owned)
            .collect()
    };
    (commands(here), commands(in_host))
}

/// Run each next step (split at spaces: the paths here have none) in `dir`; each must succeed.
fn run_steps(context: &TestContext, dir: &Path, steps: &[String], redis: &Redis) {
    for step in steps {
        let args: Vec<&str> = step.split(' ').collect();
        let (code, stdout, stderr) = ci(context, dir)
            .env("REDIS_HOST", "127.0.0.1")
            .env("REDIS_PORT", redis.port.to_string())
            .env("REDIS_PASSWORD", &redis.password)
            .env("REDIS_DATABASE", redis.db.to_string())
            .args(&args)
            .run();
        assert_eq!(
            code,
            0,
            "next step `pluginkit {step}` failed in {}\n{stdout}\n{stderr}",
            dir.display()
        );
    }
}

#[test]
fn the_next_steps_of_each_flavor_run_and_succeed() {
    let context = TestContext::new();
    let redis = Redis::start(&context.path("../redis"), "next-steps");
    for flavor in [
        "pluginkit",
        "flask-pluginkit",
        "fba",
        "fastcms",
        "class-based",
        "crate",
    ] {
        let name = if flavor == "class-based" {
            "Greeter"
        } else {
            "greeter"
        };
        let hosted = context.path(&format!("{flavor}/host"));
        match flavor {
            "pluginkit" | "crate" => {
                support::write(
                    &hosted,
                    "pluginkit.toml",
                    "[host]\nplugins-dir = \"plugins\"\n",
                );
            }
            kind => host(&hosted, kind),
        }
        let listed = |dir: &Path, name: &str| {
            let (code, json) = context
                .pluginkit()
                .current_dir(dir)
                .args(["list", "--format", "json"])
                .run_json();
            assert_eq!(code, 0, "{json:#}");
            assert!(
                json["plugins"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["name"] == name),
                "{flavor}: {name} not listed: {json:#}"
            );
        };

        // Made in the host: validate, package, add ./NAME, run there.
        let (code, stdout, stderr) = ci(&context, &hosted)
            .args(["--flavor", flavor, "new", name, "--no-git"])
            .run();
        assert_eq!(code, 0, "{flavor}: {stderr}");
        let (here, elsewhere) = next_steps(&stdout);
        assert_eq!(
            here.iter()
                .map(|s| s.split(' ').next().unwrap())
                .collect::<Vec<_>>(),
            ["validate", "package", "add"],
            "{flavor}:\n{stdout}"
        );
        assert!(elsewhere.is_empty(), "{flavor}:\n{stdout}");
        run_steps(&context, &hosted, &here, &redis);
        listed(&hosted, name);

        // Made straight in the plugins folder: nothing to add, it is there.
        let second = format!("{name}2");
        let (code, stdout, stderr) = ci(&context, &hosted)
            .args([
                "--flavor",
                flavor,
                "new",
                &second,
                "--into-plugins",
                "--no-git",
            ])
            .run();
        assert_eq!(code, 0, "{flavor}: {stderr}");
        let (here, _) = next_steps(&stdout);
        assert!(
            here.iter()
                .all(|s| !s.starts_with("add") && !s.starts_with("package")),
            "{flavor}: the plugin is in the plugins folder already:\n{stdout}"
        );
        assert_eq!(here.len(), 2, "{flavor}:\n{stdout}");
        run_steps(&context, &hosted, &here, &redis);
        listed(&hosted, &second);

        // Made outside any host: validate and package there, add in the host's folder.
        let outside = context.path(&format!("{flavor}/outside"));
        fs::create_dir_all(&outside).unwrap();
        let third = format!("{name}3");
        let (code, stdout, stderr) = ci(&context, &outside)
            .args(["--flavor", flavor, "new", &third, "--no-git"])
            .run();
        assert_eq!(code, 0, "{flavor}: {stderr}");
        let (here, in_host) = next_steps(&stdout);
        assert_eq!(here.len(), 2, "{flavor}:\n{stdout}");
        assert_eq!(in_host.len(), 1, "{flavor}:\n{stdout}");
        assert!(
            in_host[0].starts_with("add /"),
            "{flavor}: an absolute path, to run from the host:\n{stdout}"
        );
        run_steps(&context, &outside, &here, &redis);
        run_steps(&context, &hosted, &in_host, &redis);
        listed(&hosted, &third);
    }
}
