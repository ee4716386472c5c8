//! The Flask-PluginKit and FastCMS flavors: metadata read from `__init__.py` without running
//! Python, the ways authors write it and the ways it goes wrong, and a mixed plugins folder.
//! Every PK06xx rule has its case here (tests/it/rules.rs counts on it).

use std::path::Path;

use serde_json::Value;

use crate::support;
use crate::support::{TestContext, write};

/// (code, line) of every finding for `plugin`.
fn findings(json: &Value, plugin: &str) -> Vec<(String, u64)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["plugin"] == plugin)
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn flask_host(root: &Path) {
    write(root, "plugins/__init__.py", "");
}

/// Plugins written the many ways real authors write them; all valid.
const GOOD_FLASK: &[(&str, &[u8])] = &[
    ("minimal", b"# -*- coding: utf-8 -*-\n\n__plugin_name__ = \"Demo\"\n__author__ = \"Mr.tao <>\"\n__version__ = \"0.1.1\"\n\ndef register():\n    return {}\n"),
    ("single_quotes", b"__plugin_name__ = 'single'\n__version__ = '1.0.0'\n__author__ = 'Ada <ada@example.com>'\n__description__ = '''A\nlong description'''\n__state__ = 'disabled'\n\ndef register():\n    return dict(bep=dict())\n"),
    ("concatenated", b"__plugin_name__ = (\n    \"concat\"\n    \"enated\"\n)\n__version__ = \"1.\" \"2.\" \"3-beta.1+build.5\"\n__author__ = \"\"\"Grace\"\"\"\n__url__ = \"https://example.com\"\n__license__ = \"MIT\"\n__license_file__ = \"LICENSE\"\n__readme_file__ = \"README.md\"\n__appversion__ = \">=3.0.0, <4.0.0\"\nfrom .core import register\n"),
    ("assigned", b"__plugin_name__: str = \"assigned\"\n__version__, __author__ = \"2.0.0\", \"Lin\"\n\ndef _register():\n    return {}\n\nregister = _register\n"),
    ("crlf_tabs", b"__plugin_name__ = \"crlf\"\r\n__version__ = \"1.0.0\"\r\n__author__ = \"Tab\"\r\n\r\ndef register():\r\n\treturn {}\r\n"),
    ("bom", b"\xef\xbb\xbf__plugin_name__ = \"bom\"\n__version__ = \"1.0.0\"\n__author__ = \"B\xc3\xb6m\"\ndef register():\n    return {}\n"),
    ("latin1", b"# -*- coding: latin-1 -*-\n__plugin_name__ = \"latin\"\n__version__ = \"1.0.0\"\n__author__ = \"Jos\xe9\"\ndef register():\n    return {}\n"),
];

#[test]
fn flask_pluginkit_metadata_is_read_the_ways_authors_write_it() {
    let context = TestContext::new();
    let root = context.root();
    flask_host(root);
    for (folder, source) in GOOD_FLASK {
        let path = root.join("plugins").join(folder).join("__init__.py");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, source).unwrap();
    }
    write(
        root,
        "plugins/concatenated/core.py",
        "def register():\n    return {}\n",
    );
    write(root, "plugins/concatenated/LICENSE", "MIT");
    write(root, "plugins/concatenated/README.md", "# concat");

    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(json["findings"], Value::Array(vec![]), "{json:#}");
    assert_eq!(
        (code, json["summary"]["checked"].as_u64()),
        (0, Some(GOOD_FLASK.len() as u64))
    );

    let (_, list) = context.run_json(&["list", "--format", "json"]);
    let got: Vec<(String, String, String, String)> = list["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["version"].as_str().unwrap().to_owned(),
                p["flavor"].as_str().unwrap().to_owned(),
                p["state_source"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let row = |n: &str, v: &str, s: &str| {
        (
            n.to_owned(),
            v.to_owned(),
            "flask-pluginkit".to_owned(),
            s.to_owned(),
        )
    };
    assert_eq!(
        got,
        [
            row("assigned", "2.0.0", "default"),
            row("bom", "1.0.0", "default"),
            row("concatenated", "1.2.3-beta.1+build.5", "default"),
            row("crlf", "1.0.0", "default"),
            row("latin", "1.0.0", "default"),
            row("Demo", "0.1.1", "default"),
            row("single", "1.0.0", "metadata"),
        ]
    );
    let (_, info) = context.run_json(&["info", "latin1", "--format", "json"]);
    assert_eq!(info["metadata"]["author"], "José");
    let (_, info) = context.run_json(&["info", "single_quotes", "--format", "json"]);
    assert_eq!(info["metadata"]["description"], "A\nlong description");
    assert_eq!(info["state"], "disabled");
}

/// A plugin with one mistake: its folder, its `__init__.py`, and the (code, line) findings.
type Mistake = (&'static str, &'static str, &'static [(&'static str, u64)]);

const BAD_FLASK: &[Mistake] = &[
    (
        "no_version",
        "__plugin_name__ = 'x'\n__author__ = 'a'\ndef register():\n    return {}\n",
        &[("PK0105", 0)],
    ),
    (
        "bad_semver",
        "__plugin_name__ = 'x'\n__author__ = 'a'\n__version__ = '1.0'\ndef register():\n    return {}\n",
        &[("PK0203", 3)],
    ),
    (
        "numeric_version",
        "__plugin_name__ = 'x'\n__author__ = 'a'\n__version__ = 1.0\ndef register():\n    return {}\n",
        &[("PK0203", 3)],
    ),
    (
        "state_off",
        "__plugin_name__ = 'x'\n__author__ = 'a'\n__version__ = '1.0.0'\n__state__ = \"off\"\ndef register():\n    return {}\n",
        &[("PK0208", 4)],
    ),
    (
        "computed",
        "import os\n__plugin_name__ = 'x'\n__author__ = 'a'\n__version__ = f'{1}.0.0'\n__url__ = os.environ['URL']\ndef register():\n    return {}\n",
        &[("PK0603", 4), ("PK0604", 5)],
    ),
    (
        "imported_version",
        "from .version import __version__\n__plugin_name__ = 'x'\n__author__ = 'a'\ndef register():\n    return {}\n",
        &[("PK0603", 1)],
    ),
    (
        "no_register",
        "__plugin_name__ = 'x'\n__author__ = 'a'\n__version__ = '1.0.0'\n",
        &[("PK0605", 0)],
    ),
    (
        "register_not_callable",
        "__plugin_name__ = 'x'\n__author__ = 'a'\n__version__ = '1.0.0'\nregister = None\n",
        &[("PK0605", 4)],
    ),
    (
        "star_import",
        "__plugin_name__ = 'x'\n__author__ = 'a'\n__version__ = '1.0.0'\nfrom .core import *\n",
        &[("PK0603", 4)],
    ),
    (
        "syntax_error",
        "__plugin_name__ = 'x'\n__author__ = 'a'\n__version__ = '1.0.0'\ndef register(:\n    return {}\n",
        &[("PK0601", 4)],
    ),
    (
        "bad_appversion",
        "__plugin_name__ = 'x'\n__author__ = 'a'\n__version__ = '1.0.0'\n__appversion__ = '>=3.0'\ndef register():\n    return {}\n",
        &[("PK0606", 4)],
    ),
    (
        "missing_readme",
        "__plugin_name__ = 'x'\n__author__ = 'a'\n__version__ = '1.0.0'\n__readme_file__ = 'README.rst'\ndef register():\n    return {}\n",
        &[("PK0610", 4)],
    ),
    (
        "bad_encoding",
        "# coding: klingon\n__plugin_name__ = 'x'\n",
        &[("PK0602", 1)],
    ),
];

#[test]
fn flask_pluginkit_mistakes_are_findings_with_positions() {
    let context = TestContext::new();
    let root = context.root();
    flask_host(root);
    for (folder, source, _) in BAD_FLASK {
        let source = source.replace("'x'", &format!("'{folder}'"));
        write(root, &format!("plugins/{folder}/__init__.py"), &source);
    }
    write(
        root,
        "plugins/my-plugin/__init__.py",
        "__plugin_name__ = 'dash'\n__author__ = 'a'\n__version__ = '1.0.0'\ndef register():\n    return {}\n",
    );
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1);
    for (folder, _, expected) in BAD_FLASK {
        let expected: Vec<(String, u64)> = expected
            .iter()
            .map(|(c, l)| ((*c).to_owned(), *l))
            .collect();
        assert_eq!(findings(&json, folder), expected, "{folder}: {json:#}");
    }
    assert_eq!(findings(&json, "my-plugin"), [("PK0608".to_owned(), 0)]);
}

#[test]
fn the_plugins_folder_must_be_a_package() {
    let context = TestContext::new();
    write(
        context.root(),
        "plugins/demo/__init__.py",
        GOOD_FLASK_MINIMAL,
    );
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(json["findings"][0]["code"], "PK0607", "{json:#}");
    assert_eq!(json["findings"][0]["file"], "plugins");
    // Also when one plugin is validated in place.
    let (code, json) = context.run_json(&["validate", "plugins/demo", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(json["findings"][0]["code"], "PK0607", "{json:#}");
    write(context.root(), "plugins/__init__.py", "");
    let (code, _) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 0);
}

const GOOD_FLASK_MINIMAL: &str = "__plugin_name__ = 'demo'\n__author__ = 'a'\n__version__ = '1.0.0'\ndef register():\n    return {}\n";

#[test]
fn fastcms_plugin_meta_is_read_from_the_dict_literal() {
    let context = TestContext::new();
    let root = context.root();
    write(
        root,
        "plugins/hello_world/__init__.py",
        "# plugins/hello_world/__init__.py\nPLUGIN_META = {\n    \"id\": \"hello-world\",  # used in URLs\n    \"name\": \"Hello World\",\n    'version': '1.0.0',\n    \"author\": \"Your Name\",\n    \"description\": \"A minimal example plugin\",\n}\n\ndef register(ctx) -> None:\n    from fastapi import APIRouter\n    router = APIRouter()\n    ctx.include_router(router, prefix=\"/hello-world\")\n",
    );
    write(
        root,
        "plugins/_disabled_example/__init__.py",
        "PLUGIN_META = {}\n",
    );
    write(
        root,
        "plugins/no_id/__init__.py",
        "PLUGIN_META = {\"name\": \"N\", \"version\": \"1\", \"autor\": \"typo\",}\ndef register(ctx):\n    pass\n",
    );
    write(
        root,
        "plugins/computed/__init__.py",
        "PLUGIN_META = dict(id='c', name='C', version='1')\ndef register(ctx):\n    pass\n",
    );
    write(
        root,
        "plugins/no_register/__init__.py",
        "PLUGIN_META = {'id': 'r', 'name': 'R', 'version': ''}\n",
    );

    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&json, "hello_world"), []);
    assert_eq!(
        findings(&json, "no_id"),
        [("PK0105".to_owned(), 1), ("PK0103".to_owned(), 1)]
    );
    assert_eq!(findings(&json, "computed"), [("PK0603".to_owned(), 1)]);
    assert_eq!(
        findings(&json, "no_register"),
        [("PK0605".to_owned(), 0), ("PK0619".to_owned(), 1)]
    );
    assert_eq!(
        json["summary"]["checked"], 4,
        "folders starting with _ are not plugins"
    );

    let (_, info) = context.run_json(&["info", "hello_world", "--format", "json"]);
    assert_eq!(info["name"], "hello-world");
    assert_eq!(info["metadata"]["version"], "1.0.0");
    assert_eq!(info["metadata"]["summary"], "A minimal example plugin");
    assert_eq!(info["flavor"], "fastcms");
}

#[test]
fn three_flavors_validate_list_and_toggle_in_one_folder() {
    let context = TestContext::new();
    let root = context.root();
    flask_host(root);
    support::native_plugin(&root.join("plugins"), "native", "");
    write(
        root,
        "plugins/flask/__init__.py",
        GOOD_FLASK_MINIMAL.replace("'demo'", "'flask'").as_str(),
    );
    write(
        root,
        "plugins/cms/__init__.py",
        "PLUGIN_META = {'id': 'cms', 'name': 'CMS', 'version': '2.0.0'}\ndef register(ctx):\n    pass\n",
    );
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(
        (code, json["summary"]["checked"].as_u64()),
        (0, Some(3)),
        "{json:#}"
    );

    for name in ["native", "flask", "cms"] {
        let (code, _, stderr) = context.run(&["disable", name]);
        assert_eq!(code, 0, "{stderr}");
    }
    let (_, list) = context.run_json(&["list", "--format", "json"]);
    let rows: Vec<(String, String, String)> = list["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["folder"].as_str().unwrap().into(),
                p["flavor"].as_str().unwrap().into(),
                p["state"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("cms".into(), "fastcms".into(), "disabled".into()),
            ("flask".into(), "flask-pluginkit".into(), "disabled".into()),
            ("native".into(), "pluginkit".into(), "disabled".into()),
        ]
    );
    let (code, stdout, _) = context.run(&["enable", "flask"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "flask: enabled (ENABLED file)\n")
    );
}

#[test]
fn a_folder_with_two_flavors_says_which_was_chosen_and_warns_when_they_disagree() {
    let context = TestContext::new();
    let root = context.root();
    flask_host(root);
    support::native_plugin(&root.join("plugins"), "both", "");
    write(
        root,
        "plugins/both/__init__.py",
        "__plugin_name__ = 'both'\n__author__ = 'a'\n__version__ = '2.0.0'\ndef register():\n    return {}\n",
    );
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&json, "both"),
        [("PK0609".to_owned(), 0)],
        "{json:#}"
    );
    let message = json["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("version `1.0.0`") && message.contains("says `2.0.0`"),
        "{message}"
    );
    let (_, stdout, _) = context.run(&["info", "both"]);
    assert!(
        stdout.contains("flavor:       pluginkit (plugin.toml without [app] or [api])"),
        "{stdout}"
    );
    assert!(
        stdout.contains("also matches: flask-pluginkit (__init__.py sets __plugin_name__)"),
        "{stdout}"
    );
    // Pinning the flavor reads the other manifest.
    let (_, list) = context.run_json(&["--flavor", "flask-pluginkit", "list", "--format", "json"]);
    assert_eq!(list["plugins"][0]["version"], "2.0.0");
}

#[test]
fn a_very_large_init_py_is_read() {
    let context = TestContext::new();
    flask_host(context.root());
    let mut source = String::from("__plugin_name__ = 'big'\n__author__ = 'a'\n");
    for i in 0..100_000 {
        source.push_str(&format!("CONSTANT_{i} = {{'key': [{i}, 'value', None]}}\n"));
    }
    source.push_str("__version__ = '1.0.0'\ndef register():\n    return {}\n");
    write(context.root(), "plugins/big/__init__.py", &source);
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!((code, json["findings"].clone()), (0, Value::Array(vec![])));
}

#[test]
fn a_pinned_python_flavor_still_tells_the_plugins_folder_from_a_plugin() {
    let context = TestContext::new();
    flask_host(context.root());
    write(
        context.root(),
        "plugins/good/__init__.py",
        GOOD_FLASK_MINIMAL,
    );
    write(
        context.root(),
        "plugins/nameless/__init__.py",
        "__version__ = '1.0.0'\n__author__ = 'a'\ndef register():\n    return {}\n",
    );
    for args in [
        &["validate", "plugins", "--format", "json"][..],
        &[
            "validate",
            "plugins",
            "--flavor",
            "flask-pluginkit",
            "--format",
            "json",
        ],
    ] {
        let (code, json) = context.run_json(args);
        assert_eq!(code, 1, "{args:?}");
        assert_eq!(json["summary"]["checked"], 2, "{args:?}: {json:#}");
        assert_eq!(
            findings(&json, "nameless"),
            [("PK0105".to_owned(), 0)],
            "{args:?}"
        );
        assert_eq!(findings(&json, "good"), [], "{args:?}");
    }
}

// --- Python as the host reads it, and the rules of the host's Flask-PluginKit version ----------

/// A host of Flask-PluginKit plugins whose `pluginkit.toml` holds `host` under `[host]`.
fn flask_host_with(root: &Path, host: &str) {
    flask_host(root);
    write(
        root,
        "pluginkit.toml",
        &format!("[host]\nplugins-dir = \"plugins\"\n{host}"),
    );
}

/// A Flask-PluginKit plugin in `plugins/<folder>`: the metadata, then `body`.
fn flask_plugin(root: &Path, folder: &str, body: &str) {
    write(
        root,
        &format!("plugins/{folder}/__init__.py"),
        &format!("__plugin_name__ = '{folder}'\n__version__ = '1.0.0'\n__author__ = 'a'\n{body}"),
    );
}

/// A stand-in for `[host] python` that says it is Python `version` and has no
/// Flask-PluginKit, as the real one answers pluginkit's probe.
fn fake_python(root: &Path, version: &str) -> String {
    let path = root.join(format!("python{version}"));
    std::fs::write(&path, format!("#!/bin/sh\necho {version}\necho\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

/// The message and help of the first finding with `code` for `plugin`.
fn finding<'a>(json: &'a Value, plugin: &str, code: &str) -> &'a Value {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["plugin"] == plugin && f["code"] == code)
        .unwrap_or_else(|| panic!("no {code} for {plugin}: {json:#}"))
}

const EXCEPT_COMMA: &str = "def register():\n    try:\n        import json\n    except ImportError, e:\n        pass\n    return {}\n";

#[test]
fn python_2_syntax_is_an_error_on_every_python_the_hosts_run() {
    let context = TestContext::new();
    let root = context.root();
    flask_host(root);
    let forms: &[(&str, &str, u64)] = &[
        ("except_comma", EXCEPT_COMMA, 7),
        (
            "print_statement",
            "print 'loading'\ndef register():\n    return {}\n",
            4,
        ),
        ("backticks", "X = `1`\ndef register():\n    return {}\n", 4),
        (
            "exec_statement",
            "exec 'x = 1'\ndef register():\n    return {}\n",
            4,
        ),
        ("octal", "MODE = 0755\ndef register():\n    return {}\n", 4),
        (
            "not_equal",
            "OK = 1 <> 2\ndef register():\n    return {}\n",
            4,
        ),
        (
            "unicode_raw",
            "PATTERN = ur'\\d+'\ndef register():\n    return {}\n",
            4,
        ),
        (
            "raise_comma",
            "def register():\n    raise ValueError, 'no'\n",
            5,
        ),
    ];
    for (folder, body, _) in forms {
        flask_plugin(root, folder, body);
    }
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1);
    for (folder, _, line) in forms {
        assert_eq!(
            findings(&json, folder),
            [("PK0601".to_owned(), *line)],
            "{folder}: {json:#}"
        );
        let found = finding(&json, folder, "PK0601");
        let message = found["message"].as_str().unwrap();
        assert!(message.contains("SyntaxError"), "{folder}: {message}");
        assert!(
            found["help"]
                .as_str()
                .unwrap()
                .contains("Flask-PluginKit does not catch the SyntaxError"),
            "{folder}: {found:#}"
        );
    }
    let except = finding(&json, "except_comma", "PK0601");
    assert!(
        except["message"].as_str().unwrap().starts_with(
            "`except ImportError, e:` is Python 2 syntax; Python 3.13 raises SyntaxError"
        ),
        "{except:#}"
    );
    assert!(
        except["help"]
            .as_str()
            .unwrap()
            .contains("write `except ImportError as e:`"),
        "{except:#}"
    );
    // The metadata is still read.
    let (_, list) = context.run_json(&["list", "--format", "json"]);
    assert!(
        list["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "except_comma" && p["version"] == "1.0.0"),
        "{list:#}"
    );
}

#[test]
fn syntax_is_judged_by_the_python_the_host_runs() {
    let context = TestContext::new();
    let root = context.root();
    flask_plugin(root, "except_comma", EXCEPT_COMMA);
    flask_plugin(
        root,
        "walrus",
        "def register():\n    if (n := 1):\n        return {}\n    return {}\n",
    );
    // 3.14 reads `except A, B:` as `except (A, B):`; 3.13 and before refuse it; `:=` is 3.8+.
    for (python, except_comma, walrus) in [
        ("3.14", false, false),
        ("3.13", true, false),
        ("3.8", true, false),
        ("3.7", true, true),
    ] {
        let interpreter = fake_python(root, python);
        flask_host_with(root, &format!("python = \"{interpreter}\"\n"));
        let (code, json) = context.run_json(&["validate", "--format", "json"]);
        let refused = |plugin: &str| !findings(&json, plugin).is_empty();
        assert_eq!(
            (refused("except_comma"), refused("walrus")),
            (except_comma, walrus),
            "Python {python}: {json:#}"
        );
        assert_eq!(code, i32::from(except_comma || walrus), "{json:#}");
        if except_comma {
            let message = finding(&json, "except_comma", "PK0601")["message"].clone();
            assert!(
                message
                    .as_str()
                    .unwrap()
                    .contains(&format!("Python {python} raises SyntaxError")),
                "{message}"
            );
        }
        if walrus {
            let message = finding(&json, "walrus", "PK0601")["message"].clone();
            assert!(
                message.as_str().unwrap().contains("Python 3.7"),
                "{message}"
            );
        }
    }
}

#[test]
fn metadata_may_name_a_module_level_constant() {
    let context = TestContext::new();
    let root = context.root();
    flask_host(root);
    write(
        root,
        "plugins/constants/__init__.py",
        "NAME = 'constants'\nVERSION = '2.1.0'\nAUTHOR = 'Ada'\nPLUGIN_NAME = NAME\n\
         __plugin_name__ = PLUGIN_NAME\n__version__ = VERSION\n__author__ = AUTHOR\n\
         def register():\n    return {}\n",
    );
    write(
        root,
        "plugins/rebound/__init__.py",
        "VERSION = '1.0.0'\nif DEBUG:\n    VERSION = '1.0.1'\n__plugin_name__ = 'rebound'\n\
         __version__ = VERSION\n__author__ = 'a'\ndef register():\n    return {}\n",
    );
    write(
        root,
        "plugins/cms/__init__.py",
        "ID = 'cms'\nVERSION = '3.0.0'\nPLUGIN_META = {'id': ID, 'name': 'CMS', 'version': VERSION}\n\
         def register(ctx):\n    pass\n",
    );
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(findings(&json, "constants"), []);
    assert_eq!(findings(&json, "rebound"), [("PK0603".to_owned(), 5)]);
    assert!(
        finding(&json, "rebound", "PK0603")["message"]
            .as_str()
            .unwrap()
            .contains("a name bound more than once"),
        "{json:#}"
    );
    let (_, info) = context.run_json(&["info", "constants", "--format", "json"]);
    assert_eq!(
        (&info["metadata"]["version"], &info["metadata"]["author"]),
        (&Value::from("2.1.0"), &Value::from("Ada"))
    );
    let (_, info) = context.run_json(&["info", "cms", "--format", "json"]);
    assert_eq!(info["metadata"]["version"], "3.0.0", "{info:#}");
}

/// `validate` in a host whose Flask-PluginKit is `version`: the (code, line) findings per plugin.
fn at_version(context: &TestContext, version: &str) -> Value {
    flask_host_with(context.root(), &format!("version = \"{version}\"\n"));
    context.run_json(&["validate", "--format", "json"]).1
}

#[test]
fn extension_points_are_those_of_the_hosts_flask_pluginkit() {
    let context = TestContext::new();
    let root = context.root();
    flask_plugin(
        root,
        "first_request",
        "def setup():\n    pass\n\ndef register():\n    return {'hep': {'before_request': setup, 'before_first_request': setup}}\n",
    );
    flask_plugin(
        root,
        "preprocessor",
        "def register():\n    return dict(p3={'other': {'tep': lambda t: t}})\n",
    );
    flask_plugin(
        root,
        "typo",
        "def register():\n    return {'bep': {}, 'veps': []}\n",
    );
    flask_plugin(
        root,
        "typo_disabled",
        "__state__ = 'disabled'\ndef register():\n    return {'veps': []}\n",
    );
    flask_plugin(root, "returns_list", "def register():\n    return []\n");
    flask_plugin(root, "empty", "register = lambda: {}\n");
    flask_plugin(root, "takes_app", "def register(app):\n    return {}\n");
    flask_plugin(
        root,
        "many_returns",
        "def register():\n    if X:\n        return {'nope': 1}\n    return {}\n",
    );

    // The newest Flask-PluginKit, when the host says nothing.
    flask_host(root);
    let (code, newest) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1);
    let expect_newest: &[(&str, &[(&str, u64)])] = &[
        ("first_request", &[("PK0615", 8)]),
        ("preprocessor", &[]),
        ("typo", &[("PK0614", 5)]),
        ("typo_disabled", &[("PK0617", 6)]),
        ("returns_list", &[("PK0616", 5)]),
        ("empty", &[]),
        ("takes_app", &[("PK0618", 4)]),
        ("many_returns", &[]),
    ];
    for (plugin, expected) in expect_newest {
        let expected: Vec<(String, u64)> = expected
            .iter()
            .map(|(c, l)| ((*c).to_owned(), *l))
            .collect();
        assert_eq!(findings(&newest, plugin), expected, "{plugin}: {newest:#}");
    }
    let hook = finding(&newest, "first_request", "PK0615");
    assert!(
        hook["message"]
            .as_str()
            .unwrap()
            .contains("`before_first_request` in `hep` is not one the newest Flask-PluginKit has (removed in 3.7.2)"),
        "{hook:#}"
    );
    assert!(
        finding(&newest, "typo", "PK0614")["help"]
            .as_str()
            .unwrap()
            .contains("tep, hep, bep, vep, errhandler, filter, tcp, cvep, p3")
    );
    // An ENABLED file switches the disabled plugin on: its mistake is an error again.
    write(root, "plugins/typo_disabled/ENABLED", "");
    let (_, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(findings(&json, "typo_disabled"), [("PK0614".to_owned(), 6)]);
    std::fs::remove_file(root.join("plugins/typo_disabled/ENABLED")).unwrap();

    // Each rule at the version where it starts to apply, and the one before.
    let json = at_version(&context, "3.7.1");
    assert_eq!(findings(&json, "first_request"), [], "{json:#}");
    let json = at_version(&context, "3.7.2");
    assert_eq!(findings(&json, "first_request"), [("PK0615".to_owned(), 8)]);
    assert!(
        finding(&json, "first_request", "PK0615")["message"]
            .as_str()
            .unwrap()
            .contains("Flask-PluginKit 3.7.2")
    );
    let json = at_version(&context, "3.6.0");
    assert_eq!(findings(&json, "preprocessor"), [("PK0614".to_owned(), 5)]);
    assert!(
        finding(&json, "preprocessor", "PK0614")["message"]
            .as_str()
            .unwrap()
            .contains("`p3`, which Flask-PluginKit 3.6.0 does not have (added in 3.7.0)")
    );
    let json = at_version(&context, "3.7.0");
    assert_eq!(findings(&json, "preprocessor"), []);
    assert_eq!(findings(&json, "empty"), []);
    let json = at_version(&context, "3.0.0");
    assert_eq!(findings(&json, "empty"), [("PK0616".to_owned(), 4)]);
    assert_eq!(findings(&json, "typo"), [("PK0614".to_owned(), 5)]);
    let json = at_version(&context, "3.0.1");
    assert_eq!(findings(&json, "empty"), []);
}

#[test]
fn a_folder_name_is_judged_by_the_hosts_flask_pluginkit() {
    let context = TestContext::new();
    let root = context.root();
    for folder in ["my-plugin", "1plugin", "a.b", "good"] {
        flask_plugin(root, folder, "def register():\n    return {}\n");
    }
    // 3.11.0 skips every folder whose name is not an identifier.
    let json = at_version(&context, "3.11.0");
    for folder in ["my-plugin", "1plugin", "a.b"] {
        assert_eq!(
            findings(&json, folder),
            [("PK0608".to_owned(), 0)],
            "{folder}"
        );
        assert!(
            finding(&json, folder, "PK0608")["message"]
                .as_str()
                .unwrap()
                .contains("Flask-PluginKit 3.11.0 skips the plugin")
        );
    }
    // 3.10.1 imports them all by path: only the dot fails.
    let json = at_version(&context, "3.10.1");
    assert_eq!(findings(&json, "my-plugin"), []);
    assert_eq!(findings(&json, "1plugin"), []);
    assert_eq!(findings(&json, "a.b"), [("PK0608".to_owned(), 0)]);
    assert!(
        finding(&json, "a.b", "PK0608")["message"]
            .as_str()
            .unwrap()
            .contains("ModuleNotFoundError")
    );
    assert_eq!(findings(&json, "good"), []);
}

#[test]
fn appversion_is_checked_from_flask_pluginkit_3_10() {
    let context = TestContext::new();
    let root = context.root();
    flask_plugin(
        root,
        "needs_four",
        "__appversion__ = '>=4.0.0'\ndef register():\n    return {}\n",
    );
    flask_plugin(
        root,
        "short",
        "__appversion__ = '>=3.0'\ndef register():\n    return {}\n",
    );
    let json = at_version(&context, "3.9.0");
    assert_eq!(findings(&json, "needs_four"), [], "{json:#}");
    assert_eq!(findings(&json, "short"), []);
    let json = at_version(&context, "3.10.0");
    assert_eq!(findings(&json, "needs_four"), [("PK0212".to_owned(), 4)]);
    assert_eq!(findings(&json, "short"), [("PK0606".to_owned(), 4)]);
}

#[test]
fn fastcms_register_takes_ctx_and_meta_values_are_not_checked_by_fastcms() {
    let context = TestContext::new();
    let root = context.root();
    write(
        root,
        "plugins/no_ctx/__init__.py",
        "PLUGIN_META = {'id': 'no_ctx', 'name': 'N', 'version': '1.0.0'}\ndef register():\n    pass\n",
    );
    write(
        root,
        "plugins/numbers/__init__.py",
        "PLUGIN_META = {'id': 'numbers', 'name': 'N', 'version': 1}\ndef register(ctx, extra=None):\n    pass\n",
    );
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&json, "no_ctx"), [("PK0618".to_owned(), 2)]);
    assert!(
        finding(&json, "no_ctx", "PK0618")["help"]
            .as_str()
            .unwrap()
            .contains("FastCMS calls `register(ctx)`")
    );
    assert_eq!(findings(&json, "numbers"), [("PK0619".to_owned(), 1)]);
}
