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
        [("PK0605".to_owned(), 0), ("PK0611".to_owned(), 1)]
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
