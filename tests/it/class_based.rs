//! The class-based flavor (the Flask-Plugin pattern, seed 003) against the pattern's own
//! loader: a Flask app, run in the Flask venv, whose `load_plugins` is the one of the public
//! implementation (ryanq47/WhisperNet `Server/server.py`): it imports every top-level `.py` of
//! each plugin folder, instantiates `Info.classname` with the app, calls `main()`, then reads
//! `Info.name`, `endpoint` and `author`, logging an ImportError or AttributeError as a plugin that
//! failed and letting anything else stop the app.
//!
//! Over a plugins folder of good plugins and, case by case, bad ones: every plugin pluginkit
//! accepts loads and serves its route; every one it rejects fails in that loader, stops the app
//! at start-up, or does not serve its route. Every PK08xx rule has its case here
//! (tests/it/rules.rs counts on it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use pluginkit::findings::rules;

use crate::support::venvs;
use crate::support::{TestContext, write};

/// The loader, as WhisperNet's `ControlServer.load_plugins` has it (the plugins package is
/// `plugins` here). `plugin_type` is read with a default: DESIGN.md makes it optional, and the
/// pattern's documented template has none. After loading, every route asked for is requested
/// with Flask's test client, and the URL rules are listed as Flask holds them.
pub(crate) const APP: &str = r#"
import importlib, inspect, json, os, sys
from flask import Flask

root, wanted = sys.argv[1], json.loads(sys.argv[2])
sys.path.insert(0, root)
app = Flask("host")
report = {"crashed": None, "loaded": [], "failed": {}, "served": {}, "rules": []}


def load_plugins(app):
    plugins_root_dir = os.path.join(root, "plugins")
    for plugin_folder in os.listdir(plugins_root_dir):
        plugin_folder_path = os.path.join(plugins_root_dir, plugin_folder)
        if not os.path.isdir(plugin_folder_path):
            continue
        for plugin_file in os.listdir(plugin_folder_path):
            if plugin_file.endswith('.py'):
                plugin_name = plugin_file[:-3]
                module_path = f"plugins.{plugin_folder}.{plugin_name}"
                try:
                    module = importlib.import_module(module_path)
                    classes = inspect.getmembers(module, inspect.isclass)
                    for name, class_obj in classes:
                        if name != module.Info.classname:
                            continue
                        plugin_instance = class_obj(app)
                        plugin_instance.main()
                        p_name = module.Info.name
                        endpoint = module.Info.endpoint
                        author = module.Info.author
                        plugin_type = getattr(module.Info, "plugin_type", None)
                        report["loaded"].append(plugin_folder)
                except ImportError as e:
                    report["failed"].setdefault(plugin_folder, []).append(f"ImportError: {e}")
                except AttributeError as e:
                    report["failed"].setdefault(plugin_folder, []).append(f"AttributeError: {e}")


try:
    load_plugins(app)
except Exception as e:
    report["crashed"] = f"{type(e).__name__}: {e}"
else:
    client = app.test_client()
    for folder, path in wanted.items():
        response = client.get(path)
        report["served"][folder] = [response.status_code, response.get_data(as_text=True)]
    report["rules"] = sorted(rule.rule for rule in app.url_map.iter_rules())
print(json.dumps(report))
"#;

/// A plugin as the pattern's template writes it: `Name.py` whose view returns `Info.name`
/// (the folder's name) at `/name`.
pub(crate) fn standard(name: &str) -> String {
    let lower = name.to_lowercase();
    format!(
        r#"from flask import request


class Info:
    name = "{name}"
    author = "Ada"
    endpoint = "/{lower}"
    classname = "{name}"
    plugin_type = "Portable"


class {name}:
    def __init__(self, app):
        self.app = app

    def main(self):
        self.register_routes()

    def register_routes(self):
        self.app.route(f"{{Info.endpoint}}", methods=["GET"])(self.{lower}_index)

    def {lower}_index(self):
        return Info.name
"#
    )
}

/// `standard(name)` with text replaced.
fn edited(name: &str, edits: &[(&str, &str)]) -> String {
    let mut text = standard(name);
    for (from, to) in edits {
        assert!(
            text.contains(from),
            "{name}: no {from:?} in the standard plugin"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// The good plugins every case runs beside: each written another way, each valid (some with
/// warnings), each loaded by the app.
fn good_plugins() -> Vec<(String, String)> {
    vec![
        ("Alpha/Alpha.py".into(), standard("Alpha")),
        // Constants followed, add_url_rule with endpoint=, an __init__ and a main with defaults,
        // a route in a nested function, a helper in a subfolder, an empty __init__.py.
        (
            "Beta/Beta.py".into(),
            r#""""Beta: written the other ways the pattern allows."""
from .Utils.helper import greeting

NAME = "Beta"
PREFIX = "/beta"


class Info:
    name = NAME
    author: str = "Grace"
    endpoint = PREFIX
    classname = "Beta"
    plugin_type = "Builtin"
    version = "1.2.0"


class Beta(object):
    def __init__(self, app, options=None, *, debug=False):
        self.app = app

    def main(self, verbose=False):
        if not verbose:
            self._routes()

    def _routes(self):
        self.app.add_url_rule(Info.endpoint, endpoint="beta_home", view_func=self.home)
        self.app.add_url_rule(Info.endpoint + "/hi", "beta_hi", self.hi, methods=("GET",))

        @self.app.route(f"{Info.endpoint}/nested")
        def beta_nested():
            return greeting()

    def home(self):
        return Info.name

    def hi(self):
        return greeting()
"#
            .into(),
        ),
        (
            "Beta/Utils/helper.py".into(),
            "def greeting():\n    return 'hi'\n".into(),
        ),
        ("Beta/__init__.py".into(), "\"\"\"Beta.\"\"\"\n".into()),
        // A helper at the top level without an Info or a class: imported, harmless (PK0808).
        ("Gamma/Gamma.py".into(), standard("Gamma")),
        (
            "Gamma/notes.py".into(),
            "NOTES = ['imported at start-up']\n".into(),
        ),
        // `f'/{Info.endpoint}'`: the rule `//delta`, served only because Werkzeug merges slashes.
        (
            "Delta/Delta.py".into(),
            edited(
                "Delta",
                &[("f\"{Info.endpoint}\"", "f\"/{Info.endpoint}\"")],
            ),
        ),
        // An endpoint without its leading slash, put back by the route: works (PK0805 warns).
        (
            "Epsilon/Epsilon.py".into(),
            edited(
                "Epsilon",
                &[
                    ("endpoint = \"/epsilon\"", "endpoint = \"epsilon\""),
                    ("f\"{Info.endpoint}\"", "'/' + Info.endpoint"),
                ],
            ),
        ),
        // A plugin type and a version outside the pattern's words: only warnings.
        (
            "Eta/Eta.py".into(),
            edited(
                "Eta",
                &[(
                    "plugin_type = \"Portable\"",
                    "plugin_type = \"builtin\"\n    version = \"1.0\"",
                )],
            ),
        ),
    ]
}

/// The folders of the good plugins, and the route each serves its name at.
const GOOD: &[(&str, &str)] = &[
    ("Alpha", "/alpha"),
    ("Beta", "/beta"),
    ("Gamma", "/gamma"),
    ("Delta", "/delta"),
    ("Epsilon", "/epsilon"),
    ("Eta", "/eta"),
];

/// One bad plugin (or pair), and the findings it must give.
struct Case {
    what: &'static str,
    files: Vec<(String, String)>,
    /// The plugin folders it adds, with the route each would serve its name at.
    routes: Vec<(&'static str, &'static str)>,
    /// (code, plugin) findings that must be there.
    expected: Vec<(&'static str, &'static str)>,
}

fn case(what: &'static str, folder: &'static str, route: &'static str, source: String) -> Case {
    Case {
        what,
        files: vec![(format!("{folder}/{folder}.py"), source)],
        routes: vec![(folder, route)],
        expected: Vec::new(),
    }
}

impl Case {
    fn file(mut self, rel: &str, text: &str) -> Case {
        self.files.push((rel.into(), text.into()));
        self
    }

    fn expect(mut self, code: &'static str, plugin: &'static str) -> Case {
        self.expected.push((code, plugin));
        self
    }
}

fn bad_cases() -> Vec<Case> {
    vec![
        case(
            "Info missing (the flavor pinned)",
            "NoInfo",
            "/noinfo",
            edited("NoInfo", &[("class Info:", "class About:")]),
        )
        .expect("PK0801", "NoInfo"),
        case(
            "classname naming no class",
            "Nameless",
            "/nameless",
            edited("Nameless", &[("classname = \"Nameless\"", "classname = \"Namless\"")]),
        )
        .expect("PK0802", "Nameless"),
        case(
            "__init__ without the app",
            "NoApp",
            "/noapp",
            edited("NoApp", &[("def __init__(self, app):\n        self.app = app", "def __init__(self):\n        from flask import current_app as app\n        self.app = app")]),
        )
        .expect("PK0803", "NoApp"),
        case(
            "no __init__ at all",
            "NoInit",
            "/noinit",
            edited("NoInit", &[("def __init__(self, app):\n        self.app = app\n", "app = None\n")]),
        )
        .expect("PK0803", "NoInit"),
        case(
            "__init__ requiring more than the app",
            "Greedy",
            "/greedy",
            edited("Greedy", &[("def __init__(self, app):", "def __init__(self, app, config):")]),
        )
        .expect("PK0803", "Greedy"),
        case(
            "no main",
            "NoMain",
            "/nomain",
            edited("NoMain", &[("def main(self):", "def start(self):")]),
        )
        .expect("PK0804", "NoMain"),
        case(
            "main requiring an argument",
            "MainArgs",
            "/mainargs",
            edited("MainArgs", &[("def main(self):", "def main(self, config):")]),
        )
        .expect("PK0804", "MainArgs"),
        case(
            "async main",
            "AsyncMain",
            "/asyncmain",
            edited("AsyncMain", &[("def main(self):", "async def main(self):")]),
        )
        .expect("PK0804", "AsyncMain"),
        case(
            "Info without author",
            "NoAuthor",
            "/noauthor",
            edited("NoAuthor", &[("    author = \"Ada\"\n", "")]),
        )
        .expect("PK0105", "NoAuthor"),
        case(
            "endpoint not a string",
            "Numbered",
            "/numbered",
            edited(
                "Numbered",
                &[("endpoint = \"/numbered\"", "endpoint = 5")],
            ),
        )
        .expect("PK0104", "Numbered"),
        case(
            "route without a leading slash",
            "Zeta",
            "/zeta",
            edited(
                "Zeta",
                &[
                    ("endpoint = \"/zeta\"", "endpoint = \"zeta\""),
                    ("f\"{Info.endpoint}\"", "f\"{Info.endpoint}/home\""),
                ],
            ),
        )
        .expect("PK0806", "Zeta")
        .expect("PK0805", "Zeta"),
        case(
            "a second module importing Info and the class",
            "Twice",
            "/twice",
            standard("Twice"),
        )
        .file(
            "Twice/extra.py",
            "from .Twice import Info, Twice\n\n\ndef describe():\n    return Info.name\n",
        )
        .expect("PK0809", "Twice"),
        case(
            "a top-level helper that does not parse",
            "Broken",
            "/broken",
            standard("Broken"),
        )
        .file("Broken/helper.py", "def helper(:\n    pass\n")
        .expect("PK0601", "Broken"),
        case(
            "the plugin module does not parse",
            "Unparsed",
            "/unparsed",
            edited("Unparsed", &[("def main(self):", "def main(self:")]),
        )
        .expect("PK0601", "Unparsed"),
        case(
            "a view named like another plugin's",
            "Copy",
            "/copy",
            edited("Copy", &[("self.copy_index)", "self.alpha_index)"), ("def copy_index(self):", "def alpha_index(self):")]),
        )
        .expect("PK0810", "Copy")
        .expect("PK0810", "Alpha"),
        case(
            "a view named `static`",
            "Still",
            "/still",
            edited("Still", &[("self.still_index)", "self.static)"), ("def still_index(self):", "def static(self):")]),
        )
        .expect("PK0810", "Still"),
        case(
            "a route another plugin registers",
            "Clash",
            "/alpha",
            edited("Clash", &[("endpoint = \"/clash\"", "endpoint = \"/alpha\"")]),
        )
        .expect("PK0811", "Clash")
        .expect("PK0811", "Alpha"),
        case(
            "a stray module with a class",
            "Stray",
            "/stray",
            standard("Stray"),
        )
        .file("Stray/models.py", "class Model:\n    pass\n")
        .expect("PK0808", "Stray"),
    ]
}

/// The app's report over the plugins folder in `root`.
pub(crate) fn run_app(root: &Path, routes: &BTreeMap<String, String>) -> Value {
    let python = venvs::FLASK.python();
    let output = venvs::must_run(
        Command::new(python)
            .arg("-c")
            .arg(APP)
            .arg(root)
            .arg(serde_json::to_string(routes).unwrap())
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        "the class-based app",
    );
    serde_json::from_str(output.trim()).unwrap_or_else(|e| panic!("{e}: {output}"))
}

/// `validate plugins` in `root`, with extra arguments: the (code, plugin) findings, and the
/// plugins with errors.
fn validate(
    context: &TestContext,
    root: &Path,
    args: &[&str],
) -> (Vec<(String, String, String)>, BTreeSet<String>, Value) {
    let mut all = vec!["validate", "plugins", "--format", "json"];
    all.extend(args);
    let (_, json) = context.run_json_in(root, &all);
    let findings: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["plugin"].as_str().unwrap_or_default().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let rejected = findings
        .iter()
        .filter(|(_, _, severity)| severity == "error")
        .map(|(_, plugin, _)| plugin.clone())
        .collect();
    (findings, rejected, json)
}

/// Whether the app loaded `folder` and serves its name at `route`.
pub(crate) fn serves(report: &Value, folder: &str) -> bool {
    report["crashed"].is_null()
        && report["loaded"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == folder)
        && report["served"][folder] == serde_json::json!([200, folder])
}

#[test]
fn the_good_plugins_are_recognised_and_load() {
    let context = TestContext::new();
    let root = context.root();
    for (rel, text) in good_plugins() {
        write(root, &format!("plugins/{rel}"), &text);
    }
    // Detected without --flavor: `Name/Name.py` with `class Info`.
    let (findings, rejected, json) = validate(&context, root, &[]);
    assert!(rejected.is_empty(), "{json:#}");
    let codes: BTreeSet<(&str, &str)> = findings
        .iter()
        .map(|(c, p, _)| (c.as_str(), p.as_str()))
        .collect();
    let warned: BTreeSet<(&str, &str)> = [
        ("PK0808", "Gamma"),
        ("PK0807", "Delta"),
        ("PK0805", "Epsilon"),
        ("PK0812", "Eta"),
        ("PK0813", "Eta"),
    ]
    .into();
    assert_eq!(codes, warned, "{json:#}");
    let (code, stdout, stderr) = context.run_in(root, &["list", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let listed: Value = serde_json::from_str(&stdout).unwrap();
    let flavors: BTreeSet<&str> = listed["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["flavor"].as_str().unwrap())
        .collect();
    assert_eq!(flavors, BTreeSet::from(["class-based"]), "{listed:#}");

    let routes = GOOD
        .iter()
        .map(|(f, r)| ((*f).to_owned(), (*r).to_owned()))
        .collect();
    let report = run_app(root, &routes);
    for (folder, _) in GOOD {
        assert!(serves(&report, folder), "{folder}: {report:#}");
    }
    // What PK0807 says: Flask holds the rule `//delta`, and serves `/delta` by merging slashes.
    let rules = report["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r == "//delta"), "{report:#}");
    // What PK0808 says of a helper with a class: the loader logs its AttributeError.
    assert!(report["failed"].get("Gamma").is_none(), "{report:#}");
}

/// Each bad case beside the good plugins. The app runs twice: with every plugin, where each
/// one pluginkit rejects must fail (the app stops at start-up, the loader skips it, or its route
/// does not answer with it); and without the rejected ones, where every one pluginkit accepts
/// must load and serve its route.
#[test]
fn what_pluginkit_rejects_fails_in_the_patterns_loader() {
    let cases = bad_cases();
    let mut failures = Vec::new();
    for case in &cases {
        let context = TestContext::new();
        let root = context.root();
        for (rel, text) in good_plugins().iter().chain(&case.files) {
            write(root, &format!("plugins/{rel}"), text);
        }
        let (findings, rejected, json) = validate(&context, root, &["--flavor", "class-based"]);
        for (code, plugin) in &case.expected {
            if !findings.iter().any(|(c, p, _)| c == code && p == plugin) {
                failures.push(format!("{}: no {code} for {plugin}: {json:#}", case.what));
            }
        }
        if rejected.is_empty() && case.expected.iter().any(|(c, _)| severity(c) == "error") {
            failures.push(format!("{}: nothing rejected: {json:#}", case.what));
        }
        let mut routes: BTreeMap<String, String> = GOOD
            .iter()
            .map(|(f, r)| ((*f).to_owned(), (*r).to_owned()))
            .collect();
        routes.extend(
            case.routes
                .iter()
                .map(|(f, r)| ((*f).to_owned(), (*r).to_owned())),
        );

        let report = run_app(root, &routes);
        let collision = case.expected.iter().any(|(code, _)| *code == "PK0811");
        let served: Vec<&String> = rejected.iter().filter(|f| serves(&report, f)).collect();
        // Two plugins with one route: the app serves the one it happened to load first.
        let allowed = usize::from(collision);
        if served.len() > allowed {
            failures.push(format!(
                "{}: pluginkit rejects {served:?}, the app serves them: {json:#}\n{report:#}",
                case.what
            ));
        }

        for folder in &rejected {
            std::fs::remove_dir_all(root.join("plugins").join(folder)).unwrap();
        }
        routes.retain(|folder, _| !rejected.contains(folder));
        let report = run_app(root, &routes);
        for folder in routes.keys() {
            if !serves(&report, folder) {
                failures.push(format!(
                    "{}: pluginkit accepts {folder}, the app does not serve it: {report:#}",
                    case.what
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn severity(code: &str) -> &'static str {
    match rules::find(code).map(|rule| rule.severity) {
        Some(rules::Severity::Error) => "error",
        _ => "warning",
    }
}

#[test]
fn every_class_based_rule_has_a_case() {
    let mut covered: BTreeSet<&str> = bad_cases()
        .iter()
        .flat_map(|c| c.expected.iter().map(|(code, _)| *code))
        .collect();
    // Warnings the good plugins carry (the_good_plugins_are_recognised_and_load).
    covered.extend(["PK0805", "PK0807", "PK0808", "PK0812", "PK0813"]);
    let missing: Vec<&str> = rules::ALL
        .iter()
        .map(|rule| rule.code)
        .filter(|code| code.starts_with("PK08") && !covered.contains(code))
        .collect();
    assert!(missing.is_empty(), "PK08 rules without a case: {missing:?}");
}

#[test]
fn findings_point_at_the_place_and_say_what_to_do() {
    let context = TestContext::new();
    let root = context.root();
    write(root, "plugins/Alpha/Alpha.py", &standard("Alpha"));
    write(
        root,
        "plugins/Copy/Copy.py",
        &edited(
            "Copy",
            &[
                ("self.copy_index)", "self.alpha_index)"),
                ("def copy_index(self):", "def alpha_index(self):"),
                ("classname = \"Copy\"", "classname = get_name()"),
            ],
        ),
    );
    write(
        root,
        "plugins/Third/Third.py",
        &edited(
            "Third",
            &[
                ("self.third_index)", "self.alpha_index)"),
                ("def third_index(self):", "def alpha_index(self):"),
            ],
        ),
    );
    let (code, stdout, _) = context.run_in(root, &["validate", "plugins"]);
    assert_eq!(code, 1, "{stdout}");
    // The computed classname: pluginkit cannot read it, and says where.
    assert!(
        stdout.contains("error[PK0603]: `Info.classname` cannot be read statically: it is a call"),
        "{stdout}"
    );
    assert!(stdout.contains("--> plugins/Copy/Copy.py:8:17"), "{stdout}");
    // The view collision names both places (Copy's classname is unknown, so its class is not
    // read: Alpha and Third collide).
    assert!(
        stdout.contains("--> plugins/Alpha/Alpha.py:20:24")
            && stdout.contains("as is a view of `Third` at plugins/Third/Third.py:20:24"),
        "{stdout}"
    );
    assert!(
        stdout.contains("help: give the view method a name of its own"),
        "{stdout}"
    );
}

#[test]
fn new_class_based_plugin_validates_loads_and_packages() {
    let context = TestContext::new();
    let root = context.root();
    let (code, stdout, stderr) = context.run_in(
        root,
        &[
            "new",
            "Hello",
            "--flavor",
            "class-based",
            "--no-git",
            "--author",
            "Ada",
            "--plugin-version",
            "0.3.0",
            "--output",
            "plugins/Hello",
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("created Hello (class-based)"), "{stdout}");
    let (code, stdout, _) = context.run_in(root, &["validate", "plugins/Hello", "--strict"]);
    assert_eq!(code, 0, "{stdout}");

    let routes = BTreeMap::from([("Hello".to_owned(), "/hello".to_owned())]);
    let report = run_app(root, &routes);
    assert!(report["crashed"].is_null(), "{report:#}");
    assert_eq!(report["loaded"], serde_json::json!(["Hello"]), "{report:#}");
    let (status, body) = (&report["served"]["Hello"][0], &report["served"]["Hello"][1]);
    assert_eq!(status, 200, "{report:#}");
    let body: Value = serde_json::from_str(body.as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"plugin": "Hello", "version": "0.3.0"})
    );

    // The package is named after the folder and Info.version.
    std::fs::create_dir(root.join("dist")).unwrap();
    let (code, stdout, stderr) = context.run_in(root, &["package", "plugins/Hello", "-o", "dist/"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let zip = root.join("dist/Hello-0.3.0.zip");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let names: BTreeSet<String> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned())
        .collect();
    assert!(names.contains("Hello/Hello.py"), "{names:?}");
    assert!(names.contains("Hello/README.md"), "{names:?}");
    let (code, stdout, _) = context.run_in(root, &["validate", "dist/Hello-0.3.0.zip"]);
    assert_eq!(code, 0, "{stdout}");
    // Installed from the package under its folder's name, where the loader finds NAME/NAME.py.
    let host = root.join("host");
    std::fs::create_dir_all(host.join("plugins")).unwrap();
    let (code, stdout, stderr) = context.run_in(&host, &["add", "../dist/Hello-0.3.0.zip"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, json) = context.run_json_in(&host, &["info", "Hello", "--format", "json"]);
    assert_eq!(code, 0, "{json:#}");
    let text = json.to_string();
    assert!(
        text.contains("\"class-based\"") && text.contains("plugins/Hello/Hello.py"),
        "{json:#}"
    );
    let report = run_app(&host, &routes);
    assert_eq!(report["loaded"], serde_json::json!(["Hello"]), "{report:#}");

    // Without Info.version there is nothing to name the package by.
    let module = root.join("plugins/Hello/Hello.py");
    let text = std::fs::read_to_string(&module).unwrap();
    std::fs::write(&module, text.replace("    version = \"0.3.0\"\n", "")).unwrap();
    let (code, stdout, stderr) = context.run_in(root, &["package", "plugins/Hello", "-o", "dist/"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains("plugins/Hello/Hello.py declares no version")
            && stderr.contains("add `version = \"1.0.0\"` to class Info"),
        "{stderr}"
    );
}
