//! The help that shows how: every command's `--help` ends with examples that parse (and a few
//! of them run here for real), the global options stand under their own heading after the
//! command's own, the hidden aliases (`install`, `uninstall`, `rm`, `ls`) work without being
//! listed, `enable`/`disable --all` switch every plugin, and `info` shows several plugins.

use clap::CommandFactory;
use serde_json::Value;

use pluginkit::cli::Cli;

use crate::support::{TestContext, native_plugin, write};

/// Every command that runs something, as typed after `pluginkit` (`registry publish`...).
fn command_paths() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        for sub in command.get_subcommands() {
            let mut here = path.to_vec();
            here.push(sub.get_name().to_owned());
            out.push(here.clone());
            walk(sub, &here, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &[], &mut out);
    assert!(out.len() > 20, "{out:?}");
    out
}

/// The example command lines of a help text: the lines of its "Examples:" section.
fn examples(help: &str) -> Vec<String> {
    let Some((_, section)) = help.split_once("\nExamples:\n") else {
        return Vec::new();
    };
    section
        .lines()
        .take_while(|line| line.starts_with("  ") || line.is_empty())
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// An example line as the shell would pass it to pluginkit: its words, without the redirection
/// or pipe that follows.
fn words(line: &str) -> Vec<String> {
    let words = shlex::split(line).unwrap_or_else(|| panic!("unbalanced quotes in `{line}`"));
    words
        .into_iter()
        .take_while(|w| !matches!(w.as_str(), ">" | ">>" | "|"))
        .collect()
}

/// `pluginkit PATH... --help`, run for real.
fn help_of(context: &TestContext, path: &[String]) -> String {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let (code, stdout, stderr) = context.run(&args);
    assert_eq!(code, 0, "pluginkit {} --help: {stderr}", path.join(" "));
    stdout
}

#[test]
fn every_command_has_examples_that_parse_as_that_command() {
    let context = TestContext::new();
    let mut problems = Vec::new();
    for path in command_paths() {
        if path.last().is_some_and(|name| name == "help") {
            continue;
        }
        let shown = path.join(" ");
        let lines = examples(&help_of(&context, &path));
        if !(3..=6).contains(&lines.len()) {
            problems.push(format!("`{shown}` has {} examples: {lines:?}", lines.len()));
        }
        for line in &lines {
            let words = words(line);
            if words.first().map(String::as_str) != Some("pluginkit") {
                problems.push(format!("`{shown}`: `{line}` does not run pluginkit"));
                continue;
            }
            match Cli::command().try_get_matches_from(&words) {
                Err(error) => problems.push(format!("`{shown}`: `{line}`: {error}")),
                Ok(matches) => {
                    // The example is of this command (or, for a group such as `registry`, of
                    // one of its commands).
                    let mut ran = Vec::new();
                    let mut at = &matches;
                    while let Some((name, sub)) = at.subcommand() {
                        ran.push(name.to_owned());
                        at = sub;
                    }
                    if !ran.starts_with(&path) {
                        problems.push(format!("`{shown}`: `{line}` runs `{}`", ran.join(" ")));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_few_examples_run_for_real_in_a_host() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    native_plugin(&plugins, "blog", "");
    native_plugin(&plugins, "comments", "");
    let help = |path: &str| {
        let path: Vec<String> = path.split(' ').map(str::to_owned).collect();
        examples(&help_of(&context, &path))
    };
    // Each line is taken from the help, so it runs exactly as a user would copy it.
    let chosen = [
        ("init", "pluginkit init"),
        ("list", "pluginkit list"),
        ("disable", "pluginkit disable blog"),
        ("list", "pluginkit list --disabled"),
        ("enable", "pluginkit enable --all"),
        ("info", "pluginkit info blog comments"),
        ("validate", "pluginkit validate"),
        ("package", "pluginkit package plugins/blog --list"),
        ("remove", "pluginkit remove blog"),
        ("restore", "pluginkit restore blog --list"),
        ("restore", "pluginkit restore blog"),
    ];
    for (command, line) in chosen {
        assert!(
            help(command).iter().any(|l| l == line),
            "`{line}` is not among the examples of `pluginkit {command} --help`"
        );
        let words = words(line);
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let (code, stdout, stderr) = context.run(&args);
        assert_eq!(code, 0, "`{line}`:\n{stdout}\n{stderr}");
    }
    assert!(context.path("plugins/blog/plugin.toml").is_file());
    assert!(context.path("pluginkit.toml").is_file());
}

#[test]
fn global_options_stand_under_their_own_heading_after_the_commands_own() {
    let context = TestContext::new();
    for path in command_paths() {
        if path.last().is_some_and(|name| name == "help") {
            continue;
        }
        let help = help_of(&context, &path);
        let shown = path.join(" ");
        let (own, global) = help
            .split_once("\nGlobal Options:\n")
            .unwrap_or_else(|| panic!("`{shown} --help` has no Global Options heading:\n{help}"));
        // The options' own lines (a command's description may mention a global option).
        let options = |text: &str| -> Vec<String> {
            text.lines()
                .map(str::trim_start)
                .filter(|l| l.starts_with('-'))
                .map(str::to_owned)
                .collect()
        };
        let (own_options, global_options) = (options(own), options(global));
        for option in [
            "--directory",
            "--plugins-dir",
            "--quiet",
            "--color",
            "--yes",
        ] {
            let has = |lines: &[String]| lines.iter().any(|l| l.contains(option));
            assert!(
                has(&global_options),
                "`{shown}`: {option} not global:\n{help}"
            );
            assert!(
                !has(&own_options),
                "`{shown}`: {option} among its own:\n{help}"
            );
        }
        // Each command's formats are listed with its --format, among its own options.
        if let Some(format) = own
            .lines()
            .position(|l| l.trim_start().starts_with("--format"))
        {
            let rest: Vec<&str> = own.lines().skip(format).take(8).collect();
            assert!(
                rest.iter().any(|l| l.contains("Possible values:"))
                    && rest.iter().any(|l| l.contains("- json")),
                "`{shown} --help` does not list its formats:\n{help}"
            );
        }
    }
    let (code, short, _) = context.run(&["validate", "-h"]);
    assert_eq!(code, 0);
    let short = short.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        short.contains("[possible values: human, json, github, sarif]"),
        "{short}"
    );
}

#[test]
fn the_hidden_aliases_work_and_are_not_listed() {
    let context = TestContext::new();
    write(
        context.root(),
        "pluginkit.toml",
        "[host]\nplugins-dir = \"plugins\"\n",
    );
    let plugins = context.root().join("plugins");
    native_plugin(&plugins, "blog", "");
    native_plugin(&context.root().join("src"), "comments", "");
    let (code, help, _) = context.run(&["--help"]);
    assert_eq!(code, 0);
    let (_, commands) = help
        .split_once("\nCommands:\n")
        .expect("a Commands section");
    let listed: Vec<&str> = commands
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        listed.contains(&"add") && listed.contains(&"list"),
        "{help}"
    );
    for alias in ["install", "uninstall", "rm", "ls"] {
        assert!(!listed.contains(&alias), "`{alias}` is listed:\n{help}");
        let (code, help, _) = context.run(&["help", "remove"]);
        assert_eq!(code, 0);
        assert!(!help.contains("alias"), "{help}");
    }

    let (code, listed) = context.run_json(&["ls", "--format", "json"]);
    assert_eq!(code, 0, "{listed:#}");
    assert_eq!(listed, context.run_json(&["list", "--format", "json"]).1);

    let (code, stdout, stderr) = context.run(&["install", "./src/comments"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(context.path("plugins/comments/plugin.toml").is_file());

    let (code, stdout, stderr) = context.run(&["rm", "comments"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!context.path("plugins/comments").exists());

    let (code, stdout, stderr) = context.run(&["uninstall", "blog", "--no-backup"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!context.path("plugins/blog").exists());
}

fn states(context: &TestContext) -> Vec<(String, String)> {
    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json:#}");
    json["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn enable_and_disable_all_switch_every_plugin() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    native_plugin(&plugins, "alpha", "");
    native_plugin(&plugins, "beta", "");
    write(&plugins, "beta/DISABLED", "");
    native_plugin(&plugins, "gamma", "");
    let all = |state: &str| -> Vec<(String, String)> {
        ["alpha", "beta", "gamma"]
            .iter()
            .map(|n| ((*n).to_owned(), state.to_owned()))
            .collect()
    };

    let (code, json) = context.run_json(&["disable", "--all", "--format", "json"]);
    assert_eq!(code, 0, "{json:#}");
    let changed: Vec<(&str, bool)> = json["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["changed"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        changed,
        [("alpha", true), ("beta", false), ("gamma", true)],
        "{json:#}"
    );
    assert_eq!(states(&context), all("disabled"));

    let (code, stdout, stderr) = context.run(&["enable", "--all"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "alpha: enabled (ENABLED file)\nbeta: enabled (ENABLED file)\ngamma: enabled (ENABLED file)\n"
    );
    assert_eq!(states(&context), all("enabled"));

    // --all with names is a usage error, and changes nothing.
    let (code, _, stderr) = context.run(&["disable", "--all", "alpha"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--all"), "{stderr}");
    assert_eq!(states(&context), all("enabled"));
    // Neither names nor --all: a usage error too.
    let (code, _, stderr) = context.run(&["disable"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn enable_all_in_an_empty_plugins_folder_says_so() {
    let context = TestContext::new();
    std::fs::create_dir_all(context.path("plugins")).unwrap();
    let (code, stdout, stderr) = context.run(&["enable", "--all"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("no plugin is installed"), "{stderr}");
}

#[test]
fn info_shows_each_plugin_named() {
    let context = TestContext::new();
    let plugins = context.root().join("plugins");
    native_plugin(&plugins, "blog", "");
    native_plugin(&plugins, "comments", "");

    // One name: the document it always was, the plugin's fields at the top.
    let (code, one) = context.run_json(&["info", "blog", "--format", "json"]);
    assert_eq!(code, 0, "{one:#}");
    assert_eq!(one["name"], "blog", "{one:#}");
    assert_eq!(one["version"], 1, "{one:#}");

    // Several: `plugins`, in the order named, each as the one-name document shows it.
    let (code, several) = context.run_json(&["info", "comments", "blog", "--format", "json"]);
    assert_eq!(code, 0, "{several:#}");
    let names: Vec<&Value> = several["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["name"])
        .collect();
    assert_eq!(names, ["comments", "blog"], "{several:#}");
    let mut blog = one.clone();
    blog.as_object_mut().unwrap().remove("version");
    assert_eq!(several["plugins"][1], blog);

    let (code, stdout, stderr) = context.run(&["info", "blog", "comments"]);
    assert_eq!(code, 0, "{stderr}");
    let blocks: Vec<&str> = stdout.split("\n\n").collect();
    assert_eq!(blocks.len(), 2, "{stdout}");
    assert!(
        blocks[0].starts_with("name:") && blocks[0].contains("blog"),
        "{stdout}"
    );
    assert!(
        blocks[1].starts_with("name:") && blocks[1].contains("comments"),
        "{stdout}"
    );

    // An unknown name among them: an error, and nothing shown of the others.
    let (code, stdout, stderr) = context.run(&["info", "blog", "blgo"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("no plugin named `blgo`"), "{stderr}");
}
