//! The GitHub Action (action.yml): its steps run here as a runner runs them. Each shell step's
//! `run:` and `env:` are taken from action.yml itself, `${{ inputs.* }}` filled in from the
//! test's inputs or the input's default, in the step's `working-directory`, with the variables a
//! runner sets (`GITHUB_WORKSPACE`, `GITHUB_REF_TYPE`, `GITHUB_REF_NAME`, `GITHUB_ACTION_PATH`,
//! `GITHUB_PATH`, `RUNNER_TEMP`) and the test build's `pluginkit` on PATH. The host is FBA's
//! layout, whose plugins are under `backend/`: annotations must still name
//! `backend/plugin/<x>/plugin.toml`, the path GitHub knows the file by.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{TestContext, pluginkit_binary, write};
use crate::validate_formats::sarif_schema;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> Value {
    let text = std::fs::read_to_string(repo().join("action.yml")).expect("action.yml exists");
    serde_yaml_ng::from_str(&text).expect("action.yml is YAML")
}

fn steps() -> Vec<Value> {
    action()["runs"]["steps"].as_array().unwrap().clone()
}

fn step(name: &str) -> Value {
    steps()
        .into_iter()
        .find(|step| step["name"] == name)
        .unwrap_or_else(|| panic!("action.yml has no step {name:?}"))
}

/// The script under action/ a `run:` line runs.
fn script_of(run: &str) -> &str {
    run.split("$GITHUB_ACTION_PATH/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("`{run}` runs no script of the action's"))
}

#[test]
fn action_yml_is_a_composite_action_whose_steps_run_its_scripts() {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().unwrap();
    for input in [
        "args",
        "working-directory",
        "version",
        "install",
        "strict",
        "expect-version",
        "sarif",
    ] {
        assert!(
            inputs[input]["description"].is_string(),
            "input {input} is not described"
        );
    }
    let mut scripts = 0;
    for step in steps() {
        if let Some(run) = step["run"].as_str() {
            assert_eq!(step["shell"], "bash", "{step}");
            let script = script_of(run);
            assert!(
                script.starts_with("action/") && repo().join(script).is_file(),
                "{script} does not exist"
            );
            scripts += 1;
            // Inputs reach the scripts through the environment only, never spliced into the
            // shell text (where a value could run as code).
            assert!(!run.contains("${{"), "{run}");
        } else {
            assert!(step["uses"].is_string(), "{step}");
        }
    }
    assert_eq!(scripts, 3);
    let upload = step("Upload SARIF to code scanning");
    assert!(
        upload["uses"]
            .as_str()
            .unwrap()
            .starts_with("github/codeql-action/upload-sarif@"),
        "{upload}"
    );
    assert_eq!(upload["if"], "always() && inputs.sarif != ''");
    assert_eq!(upload["with"]["sarif_file"], "${{ inputs.sarif }}");
    assert_eq!(step("Write SARIF")["if"], upload["if"]);
}

/// A runner, as far as the action's shell steps need one.
struct Runner {
    context: TestContext,
    /// The checkout: `GITHUB_WORKSPACE`.
    workspace: PathBuf,
    inputs: BTreeMap<String, String>,
    env: BTreeMap<String, String>,
    /// Folders before the system's on PATH: the test build's `pluginkit`, stubs.
    path: Vec<PathBuf>,
}

/// What a step did.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Runner {
    /// A checkout of an FBA app with two plugins at 1.0.1 under `backend/plugin/`.
    fn fba() -> Runner {
        let context = TestContext::new();
        let workspace = context.path("work/app");
        write(
            &workspace,
            "backend/__init__.py",
            "__version__ = '1.13.4'\n",
        );
        for name in ["oauth2", "notice"] {
            fba_plugin(&workspace, name, "1.0.1");
        }
        let bin = context.home().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(pluginkit_binary(), bin.join("pluginkit")).unwrap();
        Runner {
            context,
            workspace,
            inputs: BTreeMap::new(),
            env: BTreeMap::new(),
            path: vec![bin],
        }
    }

    fn input(mut self, name: &str, value: &str) -> Runner {
        self.inputs.insert(name.into(), value.into());
        self
    }

    /// A run for the push of `tag`.
    fn tag(mut self, tag: &str) -> Runner {
        self.env.insert("GITHUB_REF_TYPE".into(), "tag".into());
        self.env.insert("GITHUB_REF_NAME".into(), tag.into());
        self
    }

    /// `${{ inputs.NAME }}` in `text`, filled in.
    fn fill(&self, text: &str) -> String {
        let mut out = text.to_owned();
        while let Some(start) = out.find("${{") {
            let end = start + out[start..].find("}}").expect("an expression ends") + 2;
            let expression = out[start + 3..end - 2].trim();
            let name = expression
                .strip_prefix("inputs.")
                .unwrap_or_else(|| panic!("the test knows no {expression}"));
            let value = self.input_value(name);
            out.replace_range(start..end, &value);
        }
        out
    }

    fn input_value(&self, name: &str) -> String {
        self.inputs.get(name).cloned().unwrap_or_else(|| {
            action()["inputs"][name]["default"]
                .as_str()
                .unwrap_or_else(|| panic!("action.yml has no input {name}"))
                .to_owned()
        })
    }

    /// Whether a step's `if:` holds: the two forms action.yml uses, `always()` and
    /// `inputs.NAME != ''`, joined by `&&`.
    fn holds(&self, condition: &str) -> bool {
        condition.split("&&").all(|term| match term.trim() {
            "always()" => true,
            other => {
                let name = other
                    .strip_prefix("inputs.")
                    .and_then(|rest| rest.strip_suffix(" != ''"))
                    .unwrap_or_else(|| panic!("the test cannot evaluate `{other}`"));
                !self.input_value(name).is_empty()
            }
        })
    }

    /// Run the step `name` as a runner would; `None` when its `if:` skips it.
    fn step(&self, name: &str) -> Option<Ran> {
        let step = step(name);
        if let Some(condition) = step["if"].as_str()
            && !self.holds(condition)
        {
            return None;
        }
        let dir = match step["working-directory"].as_str() {
            Some(dir) => self.workspace.join(self.fill(dir)),
            None => self.workspace.clone(),
        };
        let temp = self.context.path("runner-temp");
        std::fs::create_dir_all(&temp).unwrap();
        let system = std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into());
        let path = std::env::join_paths(
            self.path
                .iter()
                .cloned()
                .chain(std::env::split_paths(&system)),
        )
        .unwrap();
        let mut command = Command::new("bash");
        command
            .arg("-e")
            .arg("-c")
            .arg(step["run"].as_str().unwrap())
            .current_dir(dir)
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.context.home())
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0")
            .env("PLUGINKIT_CACHE_DIR", self.context.cache_dir())
            .env("GITHUB_ACTIONS", "true")
            .env("CI", "true")
            .env("GITHUB_WORKSPACE", &self.workspace)
            .env("GITHUB_ACTION_PATH", repo())
            .env("GITHUB_PATH", self.github_path())
            .env("RUNNER_TEMP", &temp);
        if let Some(env) = step["env"].as_object() {
            for (key, value) in env {
                command.env(key, self.fill(value.as_str().unwrap()));
            }
        }
        command.envs(&self.env);
        let output = command.output().expect("bash runs");
        Some(Ran {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }

    fn github_path(&self) -> PathBuf {
        self.context.path("runner-temp-github-path")
    }
}

fn fba_plugin(workspace: &Path, name: &str, version: &str) {
    let dir = workspace.join("backend/plugin").join(name);
    write(
        &dir,
        "plugin.toml",
        &format!(
            "[plugin]\nsummary = \"The {name} plugin\"\nversion = \"{version}\"\ndescription = \"The {name} plugin\"\nauthor = \"wu-clan\"\ntags = [\"other\"]\ndatabase = [\"mysql\"]\n\n[app]\nrouter = [\"v1\"]\n"
        ),
    );
    write(&dir, "__init__.py", "");
    write(
        &dir,
        "api/router.py",
        "from fastapi import APIRouter\nv1 = APIRouter()\n",
    );
    write(&dir, "README.md", &format!("# {name}\n"));
}

#[test]
fn annotations_name_files_from_the_repository_root_in_a_working_directory() {
    let runner = Runner::fba().input("working-directory", "backend");
    let ran = runner.step("Validate plugins").unwrap();
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert_eq!(ran.stdout, "");

    // A broken plugin: the annotation names it from the workspace, not from backend/.
    write(
        &runner.workspace,
        "backend/plugin/notice/plugin.toml",
        "[plugin]\nsummary = \"n\"\nversion = \"1.0\"\ndescription = \"n\"\nauthor = \"a\"\ntags = [\"other\"]\ndatabase = [\"mysql\"]\n\n[app]\nrouter = [\"v1\"]\n",
    );
    let ran = runner.step("Validate plugins").unwrap();
    assert_eq!(ran.code, 1, "{}{}", ran.stdout, ran.stderr);
    assert_eq!(
        ran.stdout,
        "::error file=backend/plugin/notice/plugin.toml,line=3,col=11,endLine=3,endColumn=16,\
         title=PK0302 fba-invalid-version::version `1.0` is not in x.y.z form%0A\
         help: FBA versions are three numbers, e.g. version = \"1.0.0\"\n"
    );

    // `args` picks plugins, as paths from the working directory; `strict` fails warnings.
    let ran = runner
        .input("args", "plugin/oauth2")
        .input("strict", "true")
        .step("Validate plugins")
        .unwrap();
    assert_eq!((ran.code, ran.stdout.as_str()), (0, ""), "{}", ran.stderr);
}

#[test]
fn a_pushed_tag_must_be_every_plugins_version() {
    let runner = Runner::fba()
        .input("working-directory", "backend")
        .tag("v1.0.0");
    let ran = runner.step("Validate plugins").unwrap();
    assert_eq!(ran.code, 1, "{}{}", ran.stdout, ran.stderr);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", ran.stdout);
    for (line, name) in lines.iter().zip(["notice", "oauth2"]) {
        assert!(
            line.starts_with(&format!(
                "::error file=backend/plugin/{name}/plugin.toml,line=3,col=11,endLine=3,endColumn=18,title=PK0214 expected-version::{name} is version 1.0.1, but --expect-version says 1.0.0"
            )),
            "{line}"
        );
    }

    // The tag of the plugins' version, with or without its `v`, passes.
    for tag in ["v1.0.1", "1.0.1"] {
        let ran = Runner {
            env: BTreeMap::new(),
            ..runner_like(&runner)
        }
        .tag(tag)
        .step("Validate plugins")
        .unwrap();
        assert_eq!(
            (ran.code, ran.stdout.as_str()),
            (0, ""),
            "{tag}: {}",
            ran.stderr
        );
    }
    // A branch push checks no version; `expect-version` names one itself, or `none`.
    let mut branch = runner_like(&runner);
    branch.env.insert("GITHUB_REF_TYPE".into(), "branch".into());
    branch.env.insert("GITHUB_REF_NAME".into(), "v9.9.9".into());
    assert_eq!(branch.step("Validate plugins").unwrap().code, 0);
    let ran = branch
        .input("expect-version", "2.0.0")
        .step("Validate plugins")
        .unwrap();
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert_eq!(ran.stdout.matches("PK0214").count(), 2, "{}", ran.stdout);
    let ran = runner
        .input("expect-version", "none")
        .step("Validate plugins")
        .unwrap();
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
}

/// Another runner over the same checkout (the same test folder), with the same inputs.
fn runner_like(runner: &Runner) -> Runner {
    Runner {
        context: runner.context.clone(),
        workspace: runner.workspace.clone(),
        inputs: runner.inputs.clone(),
        env: runner.env.clone(),
        path: runner.path.clone(),
    }
}

fn schema_errors(sarif: &Value) -> Vec<String> {
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}

#[test]
fn the_sarif_step_writes_a_log_for_code_scanning_even_when_validate_cannot_start() {
    let runner = Runner::fba()
        .input("working-directory", "backend")
        .tag("v1.0.0");
    // Without the sarif input, neither the SARIF step nor the upload runs.
    assert!(runner.step("Write SARIF").is_none());

    let runner = runner.input("sarif", "results/pluginkit.sarif");
    let ran = runner.step("Write SARIF").unwrap();
    // The findings fail the validate step; this one wrote its log.
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let file = runner.workspace.join("results/pluginkit.sarif");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let errors = schema_errors(&sarif);
    assert!(errors.is_empty(), "{errors:#?}\n{sarif:#}");
    let run = &sarif["runs"][0];
    let workspace = runner.workspace.canonicalize().unwrap();
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", workspace.display())
    );
    assert_eq!(
        run["tool"]["driver"]["informationUri"],
        "https://github.com/pluginkit/pluginkit"
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{run:#}");
    for result in results {
        assert_eq!(result["ruleId"], "PK0214");
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        let uri = artifact["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("backend/plugin/") && uri.ends_with("/plugin.toml"),
            "{uri}"
        );
        assert!(workspace.join(uri).is_file(), "{uri}");
    }

    // A pluginkit.toml that cannot be read: the step fails (exit 2) and still leaves a log
    // that says so, its finding located from the workspace.
    write(
        &runner.workspace,
        "pluginkit.toml",
        "[host]\nplugin-dir = \"x\"\n",
    );
    let ran = runner.step("Write SARIF").unwrap();
    assert_eq!(ran.code, 2, "{}{}", ran.stdout, ran.stderr);
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let errors = schema_errors(&sarif);
    assert!(errors.is_empty(), "{errors:#?}\n{sarif:#}");
    let run = &sarif["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert_eq!(run["invocations"][0]["exitCode"], 2);
    assert_eq!(run["results"][0]["ruleId"], "PK0004");
    assert_eq!(
        run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({"uri": "pluginkit.toml", "uriBaseId": "%SRCROOT%"})
    );
    // The validate step says so too, as one annotation.
    let ran = runner.step("Validate plugins").unwrap();
    assert_eq!(ran.code, 2);
    assert!(
        ran.stdout
            .starts_with("::error title=pluginkit could not run::malformed pluginkit.toml"),
        "{}",
        ran.stdout
    );
}

/// A stub for a program the install step runs: it logs its arguments to `log`, one call a line.
fn stub(dir: &Path, name: &str, log: &Path, body: &str) {
    let script = format!(
        "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> '{}'\n{body}\n",
        log.display()
    );
    write(dir, name, &script);
    let path = dir.join(name);
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&path, permissions).unwrap();
}

#[test]
fn the_install_step_installs_pluginkit_cli_from_pypi_or_builds_the_action() {
    let mut runner = Runner::fba();
    let stubs = runner.context.path("stubs");
    let log = runner.context.path("calls.log");
    // `python3 -m venv DIR` makes DIR/bin/python, itself a stub: no network here.
    let venv_python = "if [ \"$1\" = -m ] && [ \"$2\" = venv ]; then mkdir -p \"$3/bin\"; cp \"$0\" \"$3/bin/python\"; fi";
    stub(&stubs, "python3", &log, venv_python);
    stub(&stubs, "cargo", &log, "");
    runner.path.insert(0, stubs);
    let venv = runner.context.path("runner-temp/pluginkit-venv");

    let ran = runner.step("Install pluginkit").unwrap();
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls,
        format!(
            "python3 -m venv {venv}\npython -m pip install --disable-pip-version-check --quiet pluginkit-cli\n",
            venv = venv.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(runner.github_path()).unwrap(),
        format!("{}/bin\n", venv.display())
    );

    std::fs::remove_file(&log).unwrap();
    let ran = runner_like(&runner)
        .input("version", "v1.2.3")
        .step("Install pluginkit")
        .unwrap();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .ends_with("pip install --disable-pip-version-check --quiet pluginkit-cli==1.2.3\n")
    );

    std::fs::remove_file(&log).unwrap();
    let ran = runner_like(&runner)
        .input("install", "cargo")
        .step("Install pluginkit")
        .unwrap();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!(
            "cargo install --locked --path {} --root {}\n",
            repo().display(),
            runner.context.path("runner-temp/pluginkit-cargo").display()
        )
    );

    let ran = runner_like(&runner)
        .input("install", "brew")
        .step("Install pluginkit")
        .unwrap();
    assert_eq!(ran.code, 2);
    assert!(
        ran.stdout
            .starts_with("::error title=pluginkit could not be installed::"),
        "{}",
        ran.stdout
    );
}

#[test]
fn without_github_workspace_paths_are_from_the_git_repository() {
    let runner = Runner::fba();
    let context = &runner.context;
    let backend = runner.workspace.join("backend");
    fba_plugin(&runner.workspace, "notice", "1.0");
    // No repository: paths as the user sees them, from the working folder.
    let (code, stdout, _) = context.run_in(&backend, &["validate", "--format", "github"]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("::error file=plugin/notice/plugin.toml,"),
        "{stdout}"
    );

    // In a repository (a worktree's or submodule's `.git` is a file), from its root.
    write(&runner.workspace, ".git", "gitdir: /elsewhere\n");
    let (code, stdout, _) = context.run_in(&backend, &["validate", "--format", "github"]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("::error file=backend/plugin/notice/plugin.toml,"),
        "{stdout}"
    );
    let (_, sarif) = context.run_json_in(&backend, &["validate", "--format", "sarif"]);
    let run = &sarif["runs"][0];
    assert_eq!(
        run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "backend/plugin/notice/plugin.toml"
    );
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", runner.workspace.display())
    );
    // GITHUB_WORKSPACE, when set, wins over the repository.
    let (_, stdout, _) = context
        .pluginkit()
        .current_dir(&backend)
        .env("GITHUB_WORKSPACE", &backend)
        .args(["validate", "--format", "github"])
        .run();
    assert!(
        stdout.starts_with("::error file=plugin/notice/plugin.toml,"),
        "{stdout}"
    );
}

/// `--expect-version` in every flavor: the finding points at the version where the flavor writes
/// it, and versions compare as the flavor's (SemVer; PEP 440 for FastCMS).
#[test]
fn expect_version_points_at_each_flavors_version() {
    let context = TestContext::new();
    let native = "[plugin]\nname = \"native\"\nversion = \"1.0.1\"\nsummary = \"s\"\nauthor = \"a\"\nlicense = \"MIT\"\n";
    let fba = "[plugin]\nsummary = \"s\"\nversion = \"1.0.1\"\ndescription = \"d\"\nauthor = \"a\"\ntags = [\"other\"]\ndatabase = [\"mysql\"]\n\n[app]\nrouter = [\"v1\"]\n";
    let flask = "__plugin_name__ = 'flask'\n__author__ = 'a'\n__version__ = '1.0.1'\ndef register():\n    return {}\n";
    let fastcms = "PLUGIN_META = {\n    'id': 'fastcms',\n    'name': 'F',\n    'version': '1.0.1',\n}\n\ndef register(ctx):\n    pass\n";
    let krate = "[package]\nname = \"krate\"\nversion = \"1.0.1\"\nedition = \"2021\"\nlicense = \"MIT\"\n\n[package.metadata.pluginkit]\nsummary = \"s\"\nauthor = \"a\"\n";
    let class_based = "class Info:\n    name = \"Beta\"\n    author = \"a\"\n    endpoint = \"/beta\"\n    classname = \"Beta\"\n    plugin_type = \"Builtin\"\n    version = \"1.0.1\"\n\n\nclass Beta:\n    def __init__(self, app):\n        self.app = app\n\n    def main(self):\n        pass\n";
    // (folder, flavor, manifest, files)
    type Case<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: &[Case] = &[
        (
            "native",
            "pluginkit",
            "plugin.toml",
            &[("plugin.toml", native), ("README.md", "# n\n")],
        ),
        (
            "fba",
            "fba",
            "plugin.toml",
            &[
                ("plugin.toml", fba),
                ("__init__.py", ""),
                (
                    "api/router.py",
                    "from fastapi import APIRouter\nv1 = APIRouter()\n",
                ),
                ("README.md", "# f\n"),
            ],
        ),
        (
            "flask",
            "flask-pluginkit",
            "__init__.py",
            &[("__init__.py", flask)],
        ),
        (
            "fastcms",
            "fastcms",
            "__init__.py",
            &[("__init__.py", fastcms)],
        ),
        (
            "krate",
            "crate",
            "Cargo.toml",
            &[
                ("Cargo.toml", krate),
                ("src/lib.rs", "pub fn hello() {}\n"),
                ("README.md", "# k\n"),
            ],
        ),
        (
            "Beta",
            "class-based",
            "Beta.py",
            &[("Beta.py", class_based)],
        ),
    ];
    for (folder, flavor, manifest, files) in cases {
        let dir = context.path(&format!("{flavor}/{folder}"));
        for (rel, text) in *files {
            write(&dir, rel, text);
        }
        let text = files.iter().find(|(rel, _)| rel == manifest).unwrap().1;
        let offset = text.find("1.0.1").unwrap();
        let line = text[..offset].matches('\n').count() + 1;
        let shown = format!("{flavor}/{folder}");
        let run = |tag: &str| {
            context.run_json(&[
                "validate",
                &shown,
                "--flavor",
                flavor,
                "--expect-version",
                tag,
                "--format",
                "json",
            ])
        };
        let (code, json) = run("v1.0.0");
        assert_eq!(code, 1, "{flavor}: {json:#}");
        let findings: Vec<&Value> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "PK0214")
            .collect();
        assert_eq!(findings.len(), 1, "{flavor}: {json:#}");
        assert_eq!(
            findings[0]["file"],
            format!("{shown}/{manifest}"),
            "{flavor}: {json:#}"
        );
        assert_eq!(findings[0]["line"], line, "{flavor}: {json:#}");
        assert_eq!(findings[0]["severity"], "error");
        for tag in ["v1.0.1", "1.0.1"] {
            let (_, json) = run(tag);
            assert!(
                !json["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["code"] == "PK0214"),
                "{flavor} {tag}: {json:#}"
            );
        }
    }

    // In a package, the version in its manifest.
    let (code, _, stderr) = context.run(&["package", "pluginkit/native", "-o", "native.zip"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, json) = context.run_json(&[
        "validate",
        "native.zip",
        "--expect-version",
        "v1.0.0",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["findings"][0]["code"], "PK0214", "{json:#}");
    assert_eq!(json["findings"][0]["file"], "native.zip!native/plugin.toml");
    assert_eq!(json["findings"][0]["line"], 3);

    // As versions: SemVer's build metadata does not count; PEP 440's 1.0 is 1.0.0 (FastCMS).
    write(
        &context.path("pluginkit/native"),
        "plugin.toml",
        &native.replace("1.0.1", "1.0.1+build.7"),
    );
    write(
        &context.path("fastcms/fastcms"),
        "__init__.py",
        &fastcms.replace("1.0.1", "1.0"),
    );
    for (path, tag) in [
        ("pluginkit/native", "v1.0.1"),
        ("fastcms/fastcms", "v1.0.0"),
    ] {
        let (_, json) = context.run_json(&[
            "validate",
            path,
            "--expect-version",
            tag,
            "--format",
            "json",
        ]);
        assert!(
            !json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["code"] == "PK0214"),
            "{path}: {json:#}"
        );
    }
    // Not a version at all: a tag such as `release-3` compares as text, and fails.
    let (code, json) = context.run_json(&[
        "validate",
        "pluginkit/native",
        "--expect-version",
        "release-3",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert!(
        json["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("but --expect-version says release-3"),
        "{json:#}"
    );
}
