//! `pluginkit new`: every built-in template generates a plugin that validates cleanly (and
//! compiles: Python files, and the crate with `cargo build --offline`), a snapshot of every file
//! each template writes, the Flask-PluginKit plugin served by a real Flask-PluginKit app, the
//! prompts answered through a pseudo-terminal, custom templates from a folder and from a git
//! repository (values checked by their regex, file names that try to escape refused), and the
//! edge cases: a non-empty target, `--force`, bad names, `--into-plugins`, `--format json`,
//! `git init`.
//!
//! Every non-interactive run sets `CI=true` (no prompt even if the test runs in a terminal); the
//! interactive test removes `CI` and runs pluginkit in a pseudo-terminal made by Python's `pty`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::git;
use crate::support::git::{Workspace, file_url};
use crate::support::venvs;
use crate::support::venvs::must_run;
use crate::support::{self, Pluginkit, TestContext};

/// The fixed values every non-interactive generation uses.
const FIXED: &[&str] = &[
    "--description",
    "Greets people",
    "--author",
    "Ada <ada@example.com>",
    "--plugin-version",
    "0.1.0",
    "--license",
    "MIT",
    "--no-git",
    "--yes",
];

/// The built-in templates: a label (for snapshots), the global `--flavor`, extra `new` flags,
/// and whether `validate` needs `--flavor` (fba cannot always be told from its files alone).
struct Builtin {
    label: &'static str,
    flavor: &'static str,
    extra: &'static [&'static str],
    validate_flavor: bool,
}

const BUILTINS: &[Builtin] = &[
    Builtin {
        label: "pluginkit",
        flavor: "pluginkit",
        extra: &[],
        validate_flavor: false,
    },
    Builtin {
        label: "flask_pluginkit",
        flavor: "flask-pluginkit",
        extra: &[],
        validate_flavor: false,
    },
    Builtin {
        label: "fba_app",
        flavor: "fba",
        extra: &["--level", "app"],
        validate_flavor: true,
    },
    Builtin {
        label: "fba_extend",
        flavor: "fba",
        extra: &["--level", "extend", "--extend", "admin"],
        validate_flavor: true,
    },
    Builtin {
        label: "fastcms",
        flavor: "fastcms",
        extra: &[],
        validate_flavor: false,
    },
    Builtin {
        label: "crate",
        flavor: "crate",
        extra: &[],
        validate_flavor: false,
    },
];

/// The plugin name every test uses: valid for every flavor.
const NAME: &str = "greeter";

/// pluginkit in the test's root, non-interactive (`CI=true`), with a git identity for the
/// repository `new` makes (the context keeps git away from the developer's configuration).
fn pk(context: &TestContext) -> Pluginkit {
    context
        .pluginkit()
        .env("CI", "true")
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
}

/// Run pluginkit in `dir`, and return (exit code, stdout, stderr).
fn run_in(context: &TestContext, dir: &Path, args: &[&str]) -> (i32, String, String) {
    pk(context).current_dir(dir).args(args).run()
}

/// Run pluginkit in the test's root, and return (exit code, stdout, stderr).
fn run(context: &TestContext, args: &[&str]) -> (i32, String, String) {
    run_in(context, context.root(), args)
}

/// Run in `dir` and require exit 0; returns stdout.
fn ok_in(context: &TestContext, dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run_in(context, dir, args);
    assert_eq!(
        code, 0,
        "pluginkit {args:?} failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    stdout
}

/// Run in the test's root and require exit 0; returns stdout.
fn ok(context: &TestContext, args: &[&str]) -> String {
    ok_in(context, context.root(), args)
}

/// `pluginkit --flavor F new greeter <extra> <FIXED> <more>` in `dir`.
fn new_args<'a>(b: &'a Builtin, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--flavor", b.flavor, "new", NAME];
    args.extend_from_slice(b.extra);
    args.extend_from_slice(FIXED);
    args.extend_from_slice(more);
    args
}

/// Every file under `dir` (relative paths with `/`, sorted), skipping `.git` and `target`.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == ".git" || name == "target" {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.push(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

/// Every entry (files and folders) under `dir`, to prove that nothing was written.
fn entries(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        if let Ok(read) = fs::read_dir(dir) {
            for entry in read {
                let path = entry.unwrap().path();
                out.push(path.clone());
                if path.is_dir() && !path.is_symlink() {
                    walk(&path, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// All the text of the plugin, path by path.
fn contents(dir: &Path) -> BTreeMap<String, String> {
    files(dir)
        .into_iter()
        .map(|rel| {
            let text = fs::read_to_string(dir.join(&rel))
                .unwrap_or_else(|e| panic!("{rel} is not UTF-8 text: {e}"));
            (rel, text)
        })
        .collect()
}

/// Compile every .py file of `dir` with Python (without writing __pycache__).
fn compile_python(dir: &Path) -> usize {
    let py: Vec<String> = files(dir)
        .into_iter()
        .filter(|f| f.ends_with(".py"))
        .collect();
    if py.is_empty() {
        return 0;
    }
    must_run(
        Command::new("python3")
            .current_dir(dir)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .args([
                "-c",
                "import sys\nfor f in sys.argv[1:]:\n    compile(open(f, 'rb').read(), f, 'exec')\n",
            ])
            .args(&py),
        &format!("python3 compiling {py:?}"),
    );
    py.len()
}

// --- 1. Every built-in template validates and compiles ----------------------------------------

#[test]
fn every_builtin_template_validates_cleanly_and_compiles() {
    for b in BUILTINS {
        let context = TestContext::new();
        let root = context.root();
        let stdout = ok(&context, &new_args(b, &[]));
        let plugin = root.join(NAME);
        let first = stdout.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("created {NAME} ({}) in ", b.flavor)),
            "{}: first line of stdout: {stdout}",
            b.label
        );
        assert!(
            plugin.is_dir(),
            "{}: no folder {}",
            b.label,
            plugin.display()
        );
        let written = files(&plugin);
        for common_file in ["README.md", "LICENSE", ".gitignore"] {
            assert!(
                written.iter().any(|f| f == common_file),
                "{}: {common_file} missing from {written:?}",
                b.label
            );
        }
        assert!(
            !plugin.join(".git").exists(),
            "{}: --no-git made a .git",
            b.label
        );

        // Validation: strict, exit 0, no findings at all, where `new` put it (outside any
        // host's plugins folder, so no PK0607 about the folder around it).
        let mut args = vec!["validate", NAME, "--strict", "--format", "json"];
        if b.validate_flavor {
            args.extend(["--flavor", b.flavor]);
        }
        let (code, stdout, stderr) = run(&context, &args);
        let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "{}: validate printed no JSON ({e}):\n{stdout}\n{stderr}",
                b.label
            )
        });
        assert_eq!(
            code, 0,
            "{}: validate --strict: {json:#}\n{stderr}",
            b.label
        );
        assert_eq!(
            json["findings"].as_array().map(Vec::len),
            Some(0),
            "{}: the built-in template has findings: {json:#}",
            b.label
        );

        let compiled = compile_python(&plugin);
        if matches!(b.flavor, "flask-pluginkit" | "fba" | "fastcms") {
            assert!(compiled > 0, "{}: no Python files in {written:?}", b.label);
        }

        if b.flavor == "crate" {
            let cargo_target = tempfile::tempdir().unwrap();
            must_run(
                Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                    .current_dir(&plugin)
                    .args(["build", "--offline", "--quiet"])
                    .env("CARGO_TARGET_DIR", cargo_target.path()),
                "cargo build --offline in the generated crate",
            );
        }
    }
}

// --- 2. Snapshots of every file of every built-in template --------------------------------------

#[test]
fn builtin_templates_snapshot() {
    for b in BUILTINS {
        let context = TestContext::new();
        let root = context.root();
        ok(&context, &new_args(b, &["-d", "year=2026"]));
        let plugin = root.join(NAME);
        let mut listing = String::new();
        for (rel, text) in contents(&plugin) {
            listing.push_str(&format!("===== {rel} =====\n{text}"));
            if text.is_empty() {
                listing.push_str("<empty>\n");
            } else if !text.ends_with('\n') {
                listing.push_str("\n<no newline at end>\n");
            }
        }
        // The path of the temp folder never belongs in a template's output.
        assert!(
            !listing.contains(&root.to_string_lossy().into_owned()),
            "{}: the absolute path leaked into the files:\n{listing}",
            b.label
        );
        insta::assert_snapshot!(format!("template_{}", b.label), listing);
    }
}

#[test]
fn the_license_year_can_be_set_with_define() {
    let b = &BUILTINS[0];
    let context = TestContext::new();
    ok(&context, &new_args(b, &["-d", "year=1999"]));
    let license = fs::read_to_string(context.root().join(NAME).join("LICENSE")).unwrap();
    assert!(license.contains("1999"), "{license}");
    assert!(
        license.contains("Ada <ada@example.com>") || license.contains("Ada"),
        "{license}"
    );
}

// --- 3. Flask-PluginKit serves the generated plugin's route -------------------------------------

/// A Flask app with a PluginManager over `base/plugins`; GETs every argument-free GET route the
/// plugins registered (and the given extra URL), and prints what happened as JSON.
const FLASK_APP: &str = r#"
import json, sys

import flask_pluginkit.pluginkit as fpk
from flask import Flask
from flask_pluginkit import PluginManager

# PluginManager.init_app runs `pip list` for its install_packages option; not used here.
fpk.pip_list = lambda target_dir="": {}

base, extra, stylesheet = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, base)
app = Flask(__name__, root_path=base)
manager = PluginManager(app, plugins_base=base, plugins_folder="plugins")
app.config["PROPAGATE_EXCEPTIONS"] = True
client = app.test_client()


def get(url):
    try:
        response = client.get(url)
        return {"status": response.status_code, "body": response.get_data(as_text=True)[:200]}
    except Exception as error:
        return {"status": 500, "error": f"{type(error).__name__}: {error}"}


routes = {}
for rule in app.url_map.iter_rules():
    if rule.endpoint == "static" or rule.arguments or "GET" not in (rule.methods or ()):
        continue
    routes[rule.rule] = dict(endpoint=rule.endpoint, **get(rule.rule))
json.dump({
    "plugins": {p.plugin_package_name: p.plugin_state for p in manager.get_all_plugins},
    "routes": routes,
    "extra": dict(url=extra, **get(extra)),
    "stylesheet": dict(url=stylesheet, **get(stylesheet)),
}, sys.stdout)
"#;

/// The URL prefix the generated `__init__.py` gives its Blueprint: a `url_prefix=` argument, or
/// the `"prefix"` of the `bep` extension point Flask-PluginKit registers it with.
fn blueprint_prefix(init_py: &str) -> Option<String> {
    let at = init_py.find("prefix")?;
    let rest = &init_py[at + "prefix".len()..];
    let rest = rest.trim_start_matches(['"', '\'']); // the key's closing quote
    let rest = rest.trim_start_matches([' ', ':', '=']);
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &rest[1..];
    Some(inner[..inner.find(quote)?].to_owned())
}

#[test]
fn flask_pluginkit_serves_the_generated_plugins_route() {
    let context = TestContext::new();
    let host = context.path("host");
    let plugins = host.join("plugins");
    fs::create_dir_all(&plugins).unwrap();
    fs::write(plugins.join("__init__.py"), "").unwrap();
    fs::write(
        host.join("pluginkit.toml"),
        "[host]\nplugins-dir = \"plugins\"\nversion = \"3.12.1\"\n",
    )
    .unwrap();
    let b = &BUILTINS[1];
    assert_eq!(b.flavor, "flask-pluginkit");
    ok_in(&context, &host, &new_args(b, &["--into-plugins"]));
    let plugin = plugins.join(NAME);
    let init_py = fs::read_to_string(plugin.join("__init__.py"))
        .unwrap_or_else(|e| panic!("no __init__.py in {:?}: {e}", files(&plugin)));
    assert!(
        init_py.contains("Blueprint"),
        "the template registers no Blueprint:\n{init_py}"
    );
    let prefix = blueprint_prefix(&init_py).unwrap_or_else(|| format!("/{NAME}"));
    let url = format!("{}/", prefix.trim_end_matches('/'));

    // pluginkit accepts the host's plugins folder as it is.
    let (code, stdout, stderr) = run_in(&context, &host, &["validate", "plugins", "--strict"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");

    let app = context.root().join("app.py");
    fs::write(&app, FLASK_APP).unwrap();
    let stdout = must_run(
        Command::new(venvs::FLASK.python())
            .arg(&app)
            .arg(&host)
            .arg(&url)
            .arg(format!(
                "{}/static/{NAME}.css",
                prefix.trim_end_matches('/')
            ))
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME"),
        "the Flask-PluginKit app",
    );
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("the app printed no JSON ({e}):\n{stdout}"));
    assert_eq!(json["plugins"][NAME], "enabled", "{json:#}");
    let routes = json["routes"].as_object().unwrap();
    assert!(
        !routes.is_empty(),
        "the plugin registered no route: {json:#}"
    );
    for (rule, route) in routes {
        assert_eq!(route["status"], 200, "GET {rule}: {json:#}");
    }
    assert_eq!(
        json["extra"]["status"], 200,
        "GET {url} (the Blueprint prefix of __init__.py): {json:#}"
    );
    // The page links the plugin's stylesheet, which the Blueprint serves from static/.
    let page = json["extra"]["body"].as_str().unwrap_or_default();
    assert!(
        page.contains(&format!("/static/{NAME}.css")),
        "the page links no stylesheet: {json:#}"
    );
    assert_eq!(json["stylesheet"]["status"], 200, "{json:#}");
}

// --- 4. Prompts through a pseudo-terminal ---------------------------------------------------------

#[test]
fn prompts_are_answered_through_a_terminal() {
    let context = TestContext::new();
    let root = context.root();
    let answers = serde_json::json!([
        ["description", "Says hello from a terminal"],
        ["author", "Grace Hopper <grace@example.com>"],
        ["version", "2.3.4"],
        ["license", "Apache-2.0"],
    ]);
    let output = support::pty::in_terminal(&context, &answers)
        .args(["new", "demo", "--no-git"])
        .output();
    let transcript = output.stdout;
    assert_eq!(
        output.code, 0,
        "the driver failed: {}\n{transcript}",
        output.stderr
    );
    assert!(
        transcript.contains("--- exit 0"),
        "pluginkit new in a terminal did not succeed:\n{transcript}"
    );
    for prompt in ["description", "author", "version", "license"] {
        assert!(
            transcript.to_lowercase().contains(prompt),
            "no {prompt} prompt was shown:\n{transcript}"
        );
    }
    let plugin = root.join("demo");
    let all = contents(&plugin);
    let everything: String = all.values().cloned().collect();
    for answer in [
        "Says hello from a terminal",
        "Grace Hopper <grace@example.com>",
        "2.3.4",
        "Apache-2.0",
    ] {
        assert!(
            everything.contains(answer),
            "the answer {answer:?} is in no file ({:?}):\n{transcript}",
            all.keys().collect::<Vec<_>>()
        );
    }
    let license = &all["LICENSE"];
    assert!(
        license.contains("Apache License"),
        "LICENSE is not the Apache-2.0 text:\n{license}"
    );
    let readme = &all["README.md"];
    assert!(readme.contains("Says hello from a terminal"), "{readme}");
}

#[test]
fn without_a_terminal_there_is_no_prompt_and_defaults_are_taken() {
    // CI unset, but stdin is not a terminal: no prompt, no hang.
    let context = TestContext::new();
    let output = pk(&context)
        .env_remove("CI")
        .args(["new", NAME, "--no-git", "--author", "Ada <ada@example.com>"])
        .timeout(std::time::Duration::from_secs(30))
        .stdin("")
        .output();
    assert_eq!(output.code, 0, "{}", output.stderr);
    let everything: String = contents(&context.root().join(NAME)).into_values().collect();
    assert!(
        everything.contains("0.1.0"),
        "default version: {everything}"
    );
    assert!(everything.contains("MIT"), "default license: {everything}");
}

// --- 5. Custom templates -------------------------------------------------------------------------

/// A custom template at `dir`: a pluginkit plugin with a `greeting` value (regex: a capitalised
/// word), a `colour` value (choices), a rendered file name, and a plain file left as it is.
fn write_template(dir: &Path, greeting_default: &str) {
    support::write(
        dir,
        "template.toml",
        &format!(
            "[template]\nflavor = \"pluginkit\"\n\n\
             [values.greeting]\nprompt = \"Greeting\"\ndefault = \"{greeting_default}\"\nregex = \"^[A-Z][a-z]+$\"\n\n\
             [values.colour]\nprompt = \"Colour\"\ndefault = \"blue\"\nchoices = [\"blue\", \"green\"]\n"
        ),
    );
    support::write(
        dir,
        "plugin.toml.j2",
        "[plugin]\nname = \"{{ name }}\"\nversion = \"{{ version }}\"\nsummary = \"{{ description }}\"\n\
         author = \"{{ author }}\"\nlicense = \"{{ license }}\"\n",
    );
    support::write(
        dir,
        "README.md.j2",
        "# {{ name }}\n\n{{ description }}\n\n{{ greeting }}, world! In {{ colour }}.\n",
    );
    support::write(
        dir,
        "{{ name }}_greeting.txt.j2",
        "{{ greeting }} from {{ name }}\n",
    );
    support::write(
        dir,
        "static/style.css",
        "/* {{ not rendered }} */\nbody {}\n",
    );
}

/// What a generation from `write_template(.., "Hello")` with `-d colour=green` must hold.
fn assert_custom_plugin(plugin: &Path, greeting: &str) {
    let all = contents(plugin);
    let names: Vec<&String> = all.keys().collect();
    assert!(
        !all.contains_key("template.toml"),
        "template.toml copied: {names:?}"
    );
    let manifest = all
        .get("plugin.toml")
        .unwrap_or_else(|| panic!("no plugin.toml (the .j2 suffix is dropped): {names:?}"));
    assert!(manifest.contains("name = \"greeter\""), "{manifest}");
    assert!(manifest.contains("version = \"0.1.0\""), "{manifest}");
    assert!(
        manifest.contains("summary = \"Greets people\""),
        "{manifest}"
    );
    assert!(manifest.contains("Ada <ada@example.com>"), "{manifest}");
    let readme = &all["README.md"];
    assert!(
        readme.contains(&format!("{greeting}, world! In green.")),
        "{readme}"
    );
    assert_eq!(
        all.get("greeter_greeting.txt").map(String::as_str),
        Some(format!("{greeting} from greeter\n").as_str()),
        "the file name is rendered: {names:?}"
    );
    assert_eq!(
        all.get("static/style.css").map(String::as_str),
        Some("/* {{ not rendered }} */\nbody {}\n"),
        "a file without .j2 is copied as it is: {names:?}"
    );
}

#[test]
fn a_custom_template_from_a_folder() {
    let context = TestContext::new();
    let root = context.root();
    let template = root.join("tpl");
    write_template(&template, "Hello");
    let tpl = template.to_string_lossy().into_owned();

    let mut args = vec!["new", NAME, "--template", &tpl, "-d", "colour=green"];
    args.extend_from_slice(FIXED);
    let stdout = ok(&context, &args);
    assert!(
        stdout.starts_with(&format!("created {NAME} (pluginkit) in ")),
        "{stdout}"
    );
    assert_custom_plugin(&root.join(NAME), "Hello");

    // -d overrides a default, and the value must match its regex.
    let out2 = root.join("second").join(NAME); // --output names the folder: the plugin's name
    let out2s = out2.to_string_lossy().into_owned();
    let mut args = vec![
        "new",
        NAME,
        "--template",
        &tpl,
        "-d",
        "colour=green",
        "-d",
        "greeting=Howdy",
        "--output",
        &out2s,
    ];
    args.extend_from_slice(FIXED);
    ok(&context, &args);
    assert_custom_plugin(&out2, "Howdy");
}

#[test]
fn a_value_failing_its_regex_is_refused_and_nothing_is_written() {
    let context = TestContext::new();
    let root = context.root();
    let template = root.join("tpl");
    write_template(&template, "Hello");
    let tpl = template.to_string_lossy().into_owned();
    let before = entries(root);
    let mut args = vec![
        "new",
        NAME,
        "--template",
        &tpl,
        "-d",
        "greeting=hello world",
    ];
    args.extend_from_slice(FIXED);
    let (code, stdout, stderr) = run(&context, &args);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("greeting"),
        "the error names the value: {stderr}"
    );
    assert!(!root.join(NAME).exists(), "the plugin folder was created");
    assert_eq!(before, entries(root), "something was written");

    // A value outside its choices is refused the same way.
    let mut args = vec!["new", NAME, "--template", &tpl, "-d", "colour=purple"];
    args.extend_from_slice(FIXED);
    let (code, stdout, stderr) = run(&context, &args);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stderr.contains("colour"), "{stderr}");
    assert!(!root.join(NAME).exists());
}

#[test]
fn a_file_name_that_escapes_the_plugin_is_refused_and_nothing_is_written() {
    // (template file name, extra defines)
    let cases: &[(&str, &[&str])] = &[
        ("{{ escape }}", &["-d", "escape=../evil"]),
        ("{{ escape }}.j2", &["-d", "escape=../evil"]),
        ("{{ dots }}/evil", &[]),
        ("sub/{{ escape }}", &["-d", "escape=../../evil"]),
        (
            "{{ escape }}",
            &["-d", "escape=/tmp/pluginkit-new-test-evil"],
        ),
    ];
    for (file, defines) in cases {
        let context = TestContext::new();
        let root = context.root();
        let work = root.join("work");
        fs::create_dir_all(&work).unwrap();
        let template = root.join("tpl");
        support::write(
            &template,
            "template.toml",
            "[template]\nflavor = \"pluginkit\"\n\n\
             [values.escape]\nprompt = \"Escape\"\ndefault = \"safe.txt\"\n\n\
             [values.dots]\nprompt = \"Dots\"\ndefault = \"..\"\n",
        );
        support::write(
            &template,
            "plugin.toml.j2",
            "[plugin]\nname = \"{{ name }}\"\nversion = \"{{ version }}\"\nsummary = \"x\"\n",
        );
        support::write(&template, file, "evil\n");
        let tpl = template.to_string_lossy().into_owned();
        let before = entries(root);
        let mut args = vec!["new", NAME, "--template", &tpl];
        args.extend_from_slice(defines);
        args.extend_from_slice(FIXED);
        let (code, stdout, stderr) = run_in(&context, &work, &args);
        assert_eq!(code, 1, "{file} {defines:?}: {stdout}\n{stderr}");
        assert!(
            !work.join(NAME).exists(),
            "{file}: the plugin folder was created"
        );
        assert_eq!(
            before,
            entries(root),
            "{file} {defines:?}: something was written"
        );
        assert!(!Path::new("/tmp/pluginkit-new-test-evil").exists());
    }
}

#[test]
fn a_custom_template_from_a_git_repository_at_a_tag() {
    let context = TestContext::new();
    let ws = Workspace::new();
    let repo = ws.repo("tpl");
    write_template(&repo.dir, "Hello");
    repo.commit("template v1");
    repo.tag("v1");
    // Later work on the default branch is not what --tag v1 takes.
    write_template(&repo.dir, "Later");
    repo.write("LATER.txt", "later\n");
    repo.commit("later");
    let url = file_url(&repo.dir);

    let work = ws.root().join("work");
    fs::create_dir_all(&work).unwrap();
    let mut args = vec![
        "new",
        NAME,
        "--template",
        &url,
        "--tag",
        "v1",
        "-d",
        "colour=green",
    ];
    args.extend_from_slice(FIXED);
    let (code, stdout, stderr) = run_in(&context, &work, &args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let plugin = work.join(NAME);
    assert_custom_plugin(&plugin, "Hello");
    assert!(
        !plugin.join("LATER.txt").exists(),
        "the tag's tree was not used"
    );
    assert!(
        !plugin.join(".git").exists() || files(&plugin).iter().all(|f| !f.starts_with(".git/"))
    );

    // Without --tag: the default branch, with the later default.
    let out = work.join("head").join(NAME);
    let outs = out.to_string_lossy().into_owned();
    let mut args = vec![
        "new",
        NAME,
        "--template",
        &url,
        "-d",
        "colour=green",
        "--output",
        &outs,
    ];
    args.extend_from_slice(FIXED);
    let (code, _, stderr) = run_in(&context, &work, &args);
    assert_eq!(code, 0, "{stderr}");
    assert_custom_plugin(&out, "Later");
    assert!(out.join("LATER.txt").exists());

    // A value failing its regex with a git template: exit 1, nothing written.
    let mut args = vec![
        "new",
        NAME,
        "--template",
        &url,
        "--tag",
        "v1",
        "-d",
        "greeting=no",
        "--output",
    ];
    let bad = work.join("bad").join(NAME);
    let bads = bad.to_string_lossy().into_owned();
    args.push(&bads);
    args.extend_from_slice(FIXED);
    let (code, _, stderr) = run_in(&context, &work, &args);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("greeting"));
    assert!(!bad.exists());
}

// --- 6. Edge cases --------------------------------------------------------------------------------

#[test]
fn a_non_empty_target_is_refused_without_force() {
    let context = TestContext::new();
    let root = context.root();
    support::write(root, "greeter/keep.txt", "mine\n");
    let b = &BUILTINS[0];
    let (code, stdout, stderr) = run(&context, &new_args(b, &[]));
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stderr.contains("--force"), "the error says how: {stderr}");
    assert_eq!(
        files(&root.join(NAME)),
        ["keep.txt"],
        "something was written"
    );

    let stdout = ok(&context, &new_args(b, &["--force"]));
    assert!(
        stdout.starts_with("created greeter (pluginkit) in "),
        "{stdout}"
    );
    let written = files(&root.join(NAME));
    assert!(written.iter().any(|f| f == "plugin.toml"), "{written:?}");
    assert!(written.iter().any(|f| f == "README.md"), "{written:?}");

    // An empty folder is fine without --force.
    fs::create_dir_all(root.join("empty").join(NAME)).unwrap();
    ok(&context, &new_args(b, &["--output", "empty/greeter"]));
    assert!(root.join("empty/greeter/plugin.toml").is_file());

    // --output names the plugin's own folder, which every host reads as its name.
    let (code, _, stderr) = run(&context, &new_args(b, &["--output", "other"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("a plugin's folder is its name"), "{stderr}");
    assert!(stderr.contains("--output other/greeter"), "{stderr}");
    assert!(!root.join("other").exists(), "nothing was written");
}

#[test]
fn bad_names_are_refused_with_a_suggestion() {
    for flavor in ["pluginkit", "flask-pluginkit", "fba", "fastcms"] {
        let context = TestContext::new();
        let root = context.root();
        let mut args = vec!["--flavor", flavor, "new", "my-plugin"];
        args.extend_from_slice(FIXED);
        let (code, stdout, stderr) = run(&context, &args);
        assert_eq!(code, 1, "{flavor}: {stdout}\n{stderr}");
        assert!(
            stderr.contains("my_plugin"),
            "{flavor}: the error suggests my_plugin: {stderr}"
        );
        assert!(
            !root.join("my-plugin").exists(),
            "{flavor}: a folder was made"
        );
        assert!(
            !root.join("my_plugin").exists(),
            "{flavor}: a folder was made"
        );
    }
    // Names that are no names at all.
    for name in ["", "../escape", "a/b", "1plugin"] {
        let context = TestContext::new();
        let root = context.path("work");
        fs::create_dir_all(&root).unwrap();
        let mut args = vec!["new", name];
        args.extend_from_slice(FIXED);
        let (code, stdout, stderr) = run_in(&context, &root, &args);
        assert_ne!(code, 0, "{name:?}: {stdout}\n{stderr}");
        assert!(!context.root().join("escape").exists(), "{name:?}");
        let made = entries(&root);
        assert!(made.is_empty(), "{name:?}: {made:?}");
    }
}

#[test]
fn into_plugins_creates_it_in_the_hosts_plugins_folder() {
    let context = TestContext::new();
    let root = context.root();
    support::write(
        root,
        "pluginkit.toml",
        "[host]\nplugins-dir = \"plugins\"\n",
    );
    fs::create_dir_all(root.join("plugins")).unwrap();
    let stdout = ok(&context, &new_args(&BUILTINS[0], &["--into-plugins"]));
    let plugin = root.join("plugins").join(NAME);
    assert!(plugin.join("plugin.toml").is_file(), "{stdout}");
    assert!(!root.join(NAME).exists());
    assert!(stdout.contains("plugins"), "{stdout}");
    // And the host sees it.
    let (code, json) = context.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0, "{json:#}");
    assert!(json.to_string().contains(NAME), "{json:#}");

    // --into-plugins and --output do not go together.
    let (code, _, stderr) = run(
        &context,
        &new_args(&BUILTINS[0], &["--into-plugins", "--output", "x"]),
    );
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn json_output_names_the_plugin_flavor_path_and_files() {
    let context = TestContext::new();
    let root = context.root();
    let mut args = vec!["--format", "json"];
    args.extend(new_args(&BUILTINS[1], &[]));
    let stdout = ok(&context, &args);
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}"));
    assert_eq!(json["name"], NAME, "{json:#}");
    assert_eq!(json["flavor"], "flask-pluginkit", "{json:#}");
    let path = root.join(json["path"].as_str().expect("path is a string")); // relative to the cwd, or absolute
    assert_eq!(
        fs::canonicalize(&path).unwrap(),
        fs::canonicalize(root.join(NAME)).unwrap(),
        "{json:#}"
    );
    let listed: Vec<String> = json["files"]
        .as_array()
        .expect("files is an array")
        .iter()
        .map(|f| f.as_str().expect("file is a string").replace('\\', "/"))
        .collect();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    // The paths are relative to the plugin, and are exactly the files written.
    assert_eq!(listed_sorted, files(&root.join(NAME)), "{json:#}");
    for needed in ["__init__.py", "README.md", "LICENSE", ".gitignore"] {
        assert!(listed.iter().any(|f| f == needed), "{needed}: {json:#}");
    }
}

#[test]
fn git_init_runs_by_default() {
    let context = TestContext::new();
    let root = context.root();
    let args: Vec<&str> = new_args(&BUILTINS[0], &[])
        .into_iter()
        .filter(|a| *a != "--no-git")
        .collect();
    let stdout = ok(&context, &args);
    assert!(
        stdout.starts_with("created greeter (pluginkit) in "),
        "{stdout}"
    );
    let plugin = root.join(NAME);
    assert!(plugin.join(".git").is_dir(), "no .git: {stdout}");
    // A real repository git recognises, in the plugin folder itself.
    let top = git::git(context.home(), &plugin, &["rev-parse", "--show-toplevel"]);
    assert_eq!(
        fs::canonicalize(top).unwrap(),
        fs::canonicalize(&plugin).unwrap()
    );
    // The plugin still validates with the .git folder in it.
    let (code, stdout, stderr) = run(&context, &["validate", NAME, "--strict"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
}
