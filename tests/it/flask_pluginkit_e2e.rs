//! End to end against the real thing: Flask-PluginKit 3.12.1 from PyPI loads exactly the plugins
//! that `pluginkit validate` accepts, and refuses the ones it rejects, on the same plugins folder
//! (DESIGN.md, "Flavors": flask-pluginkit).
//!
//! The test builds a virtualenv under `target/flask-venv` once (`python3 -m venv`, then a pinned
//! `pip install`) and reuses it; a lock file next to it keeps concurrent test processes (and
//! `benches/flask.sh`) from building it twice. Without `python3` the test fails: it never skips.
//!
//! How the two verdicts are taken:
//!
//! - **Flask-PluginKit**: a Flask app with a `PluginManager(app, plugins_base=..., plugins_folder=
//!   "plugins")`, as its documentation sets it up. The manager imports every package in the
//!   plugins folder (`plugins.<folder>`) and raises on the first plugin with bad metadata
//!   (`PEPError`, `VersionError`, or the `SyntaxError` of the import), which aborts the whole
//!   app. So each plugin is loaded alone, in its own copy of the plugins folder, by one Python
//!   process ([`DRIVER`]). A plugin is *loaded* when it is in `get_all_plugins`, whether its
//!   state is enabled or disabled: a disabled plugin was accepted all the same, and an
//!   `ENABLED` file (`pluginkit enable`) switches it on. It is *refused* when the manager
//!   raises, or when it skips the folder (a folder name that is not an identifier; a logged
//!   `ImportError`). Then all the plugins that loaded alone are loaded together in one
//!   manager, which must load them all.
//! - **pluginkit**: `pluginkit validate plugins --format json`, in a host whose `pluginkit.toml`
//!   says `[host] python = "<the venv's python>"` and no `[host] version`: pluginkit learns from
//!   that interpreter both the Python that reads the plugins (3.11: Python 2 forms and syntax
//!   newer than it are errors) and the Flask-PluginKit installed there (3.12.1), whose rules it
//!   applies (extension points, hooks, folder names) and against which it checks
//!   `__appversion__`, as Flask-PluginKit checks it against its own version
//!   (`flask_pluginkit.version.__version__`), not the app's. A plugin is *accepted* when no
//!   error finding names it.
//!   The folder is validated twice: with the flavor detected, and pinned with
//!   `--flavor flask-pluginkit`; both runs must agree with Flask-PluginKit.
//!
//! Documented exceptions, asserted on their own and kept out of the equality check:
//!
//! - **Computed metadata** (an f-string, a call): pluginkit reads `__init__.py` without running
//!   it, so it refuses required metadata it cannot read (PK0603), although Flask-PluginKit,
//!   which runs the module, loads the plugin.
//! - **`__state__` neither "enabled" nor "disabled"** (`"off"`): Flask-PluginKit loads the
//!   plugin and keeps the value as its state. Only "enabled" registers extension points, so the
//!   plugin is quietly off, in a state its documentation does not know. pluginkit reports it
//!   as an error (PK0208): the documentation allows only the two values, and a plugin that is
//!   silently off is what validation is for.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::TestContext;
use crate::support::venvs::{FLASK, FLASK_3_10, Venv, must_run};

/// The Flask-PluginKit version of the venv most tests run (see the module documentation).
const FLASK_PLUGINKIT_VERSION: &str = "3.12.1";

/// Loads each plugin of a plugins folder alone with Flask-PluginKit, then those that loaded all
/// together, and prints what happened as JSON.
const DRIVER: &str = r#"
import importlib, json, logging, os, shutil, sys

import flask_pluginkit.pluginkit as fpk
from flask import Flask
from flask_pluginkit import PluginManager
from flask_pluginkit.version import __version__

# PluginManager.init_app runs `pip list` in a subprocess (0.5 s a manager) for its
# `install_packages` option, which these apps do not use; it plays no part in loading plugins.
fpk.pip_list = lambda target_dir="": {}


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        if record.levelno >= logging.WARNING:
            self.lines.append(f"{record.levelname}: {record.getMessage()}")


def load(base, tag):
    """A Flask app with a PluginManager over base/plugins: which plugins it loaded, or what it raised."""
    for name in [m for m in sys.modules if m == "plugins" or m.startswith("plugins.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    sys.path.insert(0, base)
    records = Records()
    logger = logging.getLogger(f"pluginkit-e2e.{tag}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(records)
    try:
        app = Flask("host", root_path=base)
        manager = PluginManager(app, plugins_base=base, plugins_folder="plugins", logger=logger)
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}", "log": records.lines}
    finally:
        sys.path.remove(base)
        logger.removeHandler(records)
    return {
        "loaded": {p.plugin_package_name: p.plugin_state for p in manager.get_all_plugins},
        "log": records.lines,
    }


plugins, work = sys.argv[1], sys.argv[2]
top_files = [f for f in os.listdir(plugins) if os.path.isfile(os.path.join(plugins, f))]
folders = sorted(d for d in os.listdir(plugins) if os.path.isdir(os.path.join(plugins, d)))


def copy(base, names):
    """base/plugins: the plugins folder's own files (its __init__.py) and the named plugins."""
    dest = os.path.join(base, "plugins")
    os.makedirs(dest)
    for f in top_files:
        shutil.copy2(os.path.join(plugins, f), dest)
    for name in names:
        shutil.copytree(os.path.join(plugins, name), os.path.join(dest, name))


alone = {}
for i, name in enumerate(folders):
    base = os.path.join(work, f"alone{i}")
    copy(base, [name])
    alone[name] = load(base, f"alone{i}")
loaded = [name for name in folders if name in alone[name].get("loaded", {})]
base = os.path.join(work, "together")
copy(base, loaded)
together = load(base, "together")
json.dump({"version": __version__, "alone": alone, "loaded_alone": loaded, "together": together}, sys.stdout)
"#;

/// Flask-PluginKit 3.12.1's verdicts on the plugins folder `plugins` (the driver's JSON).
fn flask_pluginkit(plugins: &Path, work: &Path) -> Value {
    flask_pluginkit_of(&FLASK, FLASK_PLUGINKIT_VERSION, plugins, work)
}

/// The verdicts of the Flask-PluginKit `version` in `venv` on the plugins folder `plugins`.
fn flask_pluginkit_of(venv: &'static Venv, version: &str, plugins: &Path, work: &Path) -> Value {
    let driver = work.join("driver.py");
    fs::create_dir_all(work).unwrap();
    fs::write(&driver, DRIVER).unwrap();
    let stdout = must_run(
        Command::new(venv.python())
            .arg(&driver)
            .arg(plugins)
            .arg(work.join("runs"))
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME"),
        "the Flask-PluginKit driver",
    );
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("the driver printed no JSON ({e}):\n{stdout}"));
    assert_eq!(json["version"], version, "the venv's Flask-PluginKit");
    json
}

/// What Flask-PluginKit did with one plugin, loaded alone.
#[derive(Debug)]
struct FlaskVerdict {
    /// The plugin's state when it loaded.
    loaded: Option<String>,
    /// Why not, in Flask-PluginKit's words.
    reason: String,
}

fn flask_verdict(json: &Value, folder: &str) -> FlaskVerdict {
    let run = &json["alone"][folder];
    let log = run["log"]
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    if let Some(error) = run["error"].as_str() {
        return FlaskVerdict {
            loaded: None,
            reason: format!("raised {error}"),
        };
    }
    match run["loaded"][folder].as_str() {
        Some(state) => FlaskVerdict {
            loaded: Some(state.to_owned()),
            reason: log,
        },
        None => FlaskVerdict {
            loaded: None,
            reason: format!("skipped: {log}"),
        },
    }
}

/// Whether a finding is about the plugin in `plugins/<folder>`.
fn is_about(finding: &Value, folder: &str) -> bool {
    finding["plugin"] == folder
        || finding["file"].as_str().is_some_and(|file| {
            file.strip_prefix("plugins/")
                .and_then(|rest| rest.strip_prefix(folder))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// The error findings of a `validate --format json` report.
fn errors(json: &Value) -> impl Iterator<Item = &Value> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
}

/// The codes of the error findings about `plugins/<folder>`.
fn pluginkit_errors(json: &Value, folder: &str) -> Vec<String> {
    errors(json)
        .filter(|f| is_about(f, folder))
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

// --- The plugins ---------------------------------------------------------------------------

/// What both tools should make of a plugin.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Flask-PluginKit loads it, and pluginkit accepts it.
    Loads,
    /// Flask-PluginKit refuses it, for a reason containing `flask`; pluginkit rejects it,
    /// with `code` among its errors.
    Refused {
        code: &'static str,
        flask: &'static str,
    },
    /// A documented exception (see the module documentation): Flask-PluginKit loads it in
    /// state `state`; pluginkit reports `code`. Not part of the equality check.
    Exception {
        code: &'static str,
        state: &'static str,
    },
}

struct Case {
    folder: &'static str,
    expect: Expect,
    /// The plugin's files: `__init__.py` and any others, as bytes.
    files: Vec<(&'static str, Vec<u8>)>,
}

fn case(folder: &'static str, expect: Expect, init_py: &str) -> Case {
    Case {
        folder,
        expect,
        files: vec![("__init__.py", init_py.as_bytes().to_vec())],
    }
}

fn refused(code: &'static str, flask: &'static str) -> Expect {
    Expect::Refused { code, flask }
}

/// The plugins, written the ways real authors write them, and the ways they go wrong.
fn cases() -> Vec<Case> {
    use Expect::Loads;
    let mut cases = vec![
        // The minimal plugin of Flask-PluginKit's documentation, verbatim.
        case(
            "docs_minimal",
            Loads,
            "# -*- coding: utf-8 -*-\n\n__plugin_name__ = \"Demo\"\n__author__ = \"Mr.tao <>\"\n\
             __version__ = \"0.1.1\"\n\ndef register():\n    return {}\n",
        ),
        case(
            "single_quotes",
            Loads,
            "__plugin_name__ = 'single'\n__version__ = '1.0.0'\n__author__ = 'Ada <ada@example.com>'\n\
             __description__ = 'Single quotes everywhere'\n__url__ = 'https://example.com/single'\n\
             __license__ = 'MIT'\n__state__ = 'enabled'\n\n\ndef register():\n    return {}\n",
        ),
        case(
            "double_quotes",
            Loads,
            "\"\"\"A plugin with a docstring and every optional field.\"\"\"\n\n\
             __plugin_name__ = \"double\"\n__version__ = \"2.3.4\"\n\
             __author__ = \"Grace Hopper <grace@example.com>\"\n\
             __description__ = \"Double quotes, 中文描述 too\"\n__url__ = \"https://example.com/double\"\n\
             __license__ = \"BSD-3-Clause\"\n__state__ = \"enabled\"\n\n\
             def register():\n    return dict()\n",
        ),
        case(
            "triple_quoted",
            Loads,
            "__plugin_name__ = \"\"\"triple\"\"\"\n__version__ = '''0.2.0'''\n\
             __author__ = '''Ada Lovelace <ada@example.com>'''\n\
             __description__ = \"\"\"A description\nthat spans two lines.\"\"\"\n\n\
             def register():\n    return {}\n",
        ),
        case(
            "implicit_concat",
            Loads,
            "__plugin_name__ = \"implicit\" \"_concat\"\n__version__ = \"1.\" '4.' \"2\"\n\
             __author__ = \"Ada \" '<ada@example.com>'\n\ndef register():\n    return {}\n",
        ),
        case(
            "parenthesised",
            Loads,
            "__plugin_name__ = (\n    \"parenthesised\"\n)\n__version__ = (\n    \"3.0.0\"\n    \"-beta.2\"\n)\n\
             __author__ = (\n    \"Ada Lovelace \"  # the name\n    \"<ada@example.com>\"  # and the mail\n)\n\
             __description__ = (\n    \"Metadata spread over several lines, \"\n    \"the way black formats long strings\"\n)\n\
             __appversion__ = (\n    \">=3.0.0, \"\n    \"<4.0.0\"\n)\n\n\
             def register():\n    return {}\n",
        ),
        case(
            "prerelease_build",
            Loads,
            "__plugin_name__ = \"prerelease\"\n__version__ = \"2.0.0-rc.1+build.5\"\n\
             __author__ = \"Ada <ada@example.com>\"\n\ndef register():\n    return {}\n",
        ),
        case(
            "register_assigned",
            Loads,
            "__plugin_name__ = \"assigned\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\n\
             def _register():\n    return {}\n\n\nregister = _register\n",
        ),
        case(
            "register_lambda",
            Loads,
            "__plugin_name__ = \"lambda\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             register = lambda: {}\n",
        ),
        Case {
            folder: "register_imported",
            expect: Loads,
            files: vec![
                (
                    "__init__.py",
                    b"from .core import register\n\n__plugin_name__ = \"imported\"\n__version__ = \"1.1.0\"\n\
                      __author__ = \"Ada <ada@example.com>\"\n"
                        .to_vec(),
                ),
                (
                    "core.py",
                    b"def register():\n    return {}\n".to_vec(),
                ),
            ],
        },
        case(
            "blueprint",
            Loads,
            "from flask import Blueprint\n\n__plugin_name__ = \"blueprint\"\n__version__ = \"0.9.0\"\n\
             __author__ = \"Ada <ada@example.com>\"\n__description__ = \"Serves a page\"\n\n\
             bp = Blueprint(\"blueprint_demo\", __name__)\n\n\n@bp.route(\"/\")\ndef index():\n    return \"hello\"\n\n\n\
             def register():\n    return {\"bep\": {\"blueprint\": bp, \"prefix\": \"/demo\"}}\n",
        ),
        Case {
            folder: "latin1_coding",
            expect: Loads,
            // PEP 263: the file is latin-1, so the author's é is the byte 0xE9.
            files: vec![(
                "__init__.py",
                b"# -*- coding: latin-1 -*-\n__plugin_name__ = \"latin1\"\n__version__ = \"1.0.0\"\n\
                  __author__ = \"Jos\xe9 Garc\xeda <jose@example.com>\"\n\
                  __description__ = \"Caf\xe9 cr\xe8me\"\n\ndef register():\n    return {}\n"
                    .to_vec(),
            )],
        },
        Case {
            folder: "crlf",
            expect: Loads,
            files: vec![(
                "__init__.py",
                "# -*- coding: utf-8 -*-\n__plugin_name__ = \"crlf\"\n__version__ = \"1.0.0\"\n\
                 __author__ = \"Ada <ada@example.com>\"\n__description__ = (\n    \"Written \"\n    \"on Windows\"\n)\n\n\
                 def register():\n    return {}\n"
                    .replace('\n', "\r\n")
                    .into_bytes(),
            )],
        },
        Case {
            folder: "utf8_bom",
            expect: Loads,
            files: vec![(
                "__init__.py",
                [
                    b"\xef\xbb\xbf".as_slice(),
                    "__plugin_name__ = \"bom\"\n__version__ = \"1.0.0\"\n__author__ = \"Zoë <zoe@example.com>\"\n\n\
                     def register():\n    return {}\n"
                        .as_bytes(),
                ]
                .concat(),
            )],
        },
        case(
            "appversion_ok",
            Loads,
            "__plugin_name__ = \"appversion_ok\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\
             __appversion__ = \">=3.0.0, <4.0.0\"\n\ndef register():\n    return {}\n",
        ),
        case(
            "state_disabled",
            Loads,
            "__plugin_name__ = \"disabled\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\
             __state__ = \"disabled\"\n\ndef register():\n    return {}\n",
        ),
        // --- The ways they go wrong.
        case(
            "missing_version",
            refused("PK0105", "PEPError"),
            "__plugin_name__ = \"missing_version\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def register():\n    return {}\n",
        ),
        case(
            "bad_semver",
            refused("PK0203", "VersionError"),
            "__plugin_name__ = \"bad_semver\"\n__version__ = \"1.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def register():\n    return {}\n",
        ),
        case(
            "version_number",
            refused("PK0203", "VersionError"),
            "__plugin_name__ = \"version_number\"\n__version__ = 1.0\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def register():\n    return {}\n",
        ),
        case(
            "missing_register",
            refused("PK0605", "PEPError"),
            "__plugin_name__ = \"missing_register\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def setup():\n    return {}\n",
        ),
        case(
            "syntax_error",
            refused("PK0601", "SyntaxError"),
            "__plugin_name__ = \"syntax_error\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def register()\n    return {}\n",
        ),
        case(
            "appversion_unmet",
            // Valid syntax, but Flask-PluginKit 3.12.1 is not below 1.0.0: pluginkit knows only
            // from `[host] version`.
            refused("PK0212", "VersionError"),
            "__plugin_name__ = \"appversion_unmet\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\
             __appversion__ = \"<1.0.0\"\n\ndef register():\n    return {}\n",
        ),
        case(
            "appversion_short",
            // python-semver needs full versions: `>=3.0` matches nothing.
            refused("PK0606", "VersionError"),
            "__plugin_name__ = \"appversion_short\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\
             __appversion__ = \">=3.0\"\n\ndef register():\n    return {}\n",
        ),
        case(
            "appversion_padded",
            // Flask-PluginKit splits at commas with the blanks around them (`\s*,\s*`), but never
            // strips the ends: "<4.0.0 " is no version to python-semver.
            refused("PK0606", "VersionError"),
            "__plugin_name__ = \"appversion_padded\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\
             __appversion__ = (\n    \">=3.0.0, \"\n    \"<4.0.0 \"\n)\n\ndef register():\n    return {}\n",
        ),
        case(
            "my-plugin",
            // Not an identifier: Flask-PluginKit logs a warning and skips the folder.
            refused("PK0608", "Invalid plugin package name"),
            "__plugin_name__ = \"my_plugin\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def register():\n    return {}\n",
        ),
        case(
            "async_register",
            // Flask-PluginKit calls register() and gets a coroutine, not a dict: PEPError.
            refused("PK0605", "PEPError"),
            "__plugin_name__ = \"async_register\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             async def register():\n    return {}\n",
        ),
        case(
            "missing_plugin_name",
            // Flask-PluginKit imports every package in the plugins folder, and one without
            // `__plugin_name__` makes it raise "metadata error", which stops the app.
            refused("PK0105", "PEPError"),
            "__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def register():\n    return {}\n",
        ),
        // Python 2, which no Python 3 before 3.14 reads, and Flask-PluginKit catches no
        // SyntaxError: it leaves init_app, and the app does not start.
        case(
            "python2_except",
            refused("PK0601", "SyntaxError"),
            "__plugin_name__ = \"python2_except\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             try:\n    import json\nexcept ImportError, e:\n    json = None\n\n\
             def register():\n    return {}\n",
        ),
        case(
            "python2_print",
            refused("PK0601", "SyntaxError"),
            "__plugin_name__ = \"python2_print\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             print \"loading python2_print\"\n\ndef register():\n    return {}\n",
        ),
        // Extension points the host's Flask-PluginKit (3.12.1) does not have.
        case(
            "first_request_hook",
            // Removed in 3.7.2: `_hep_handler` raises "The hep type is invalid".
            refused("PK0615", "PEPError"),
            "__plugin_name__ = \"first_request_hook\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def warm_up():\n    pass\n\n\
             def register():\n    return {\"hep\": {\"before_first_request\": warm_up}}\n",
        ),
        case(
            "unknown_extension",
            refused("PK0614", "PEPError"),
            "__plugin_name__ = \"unknown_extension\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def register():\n    return dict(veps=[])\n",
        ),
        case(
            "register_list",
            refused("PK0616", "PEPError"),
            "__plugin_name__ = \"register_list\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def register():\n    return []\n",
        ),
        case(
            "register_takes_app",
            refused("PK0618", "TypeError"),
            "__plugin_name__ = \"register_takes_app\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def register(app):\n    return {}\n",
        ),
        // A disabled plugin's extension points are not read: it loads (pluginkit warns).
        case(
            "disabled_first_request",
            Loads,
            "__plugin_name__ = \"disabled_first_request\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\
             __state__ = \"disabled\"\n\ndef warm_up():\n    pass\n\n\
             def register():\n    return {\"hep\": {\"before_first_request\": warm_up}}\n",
        ),
        case(
            "hooks_and_constants",
            Loads,
            "NAME = \"hooks_and_constants\"\nVERSION = \"1.3.0\"\n\
             __plugin_name__ = NAME\n__version__ = VERSION\n__author__ = \"Ada <ada@example.com>\"\n\n\
             def check():\n    return None\n\n\
             def register():\n    return {\"hep\": {\"before_request\": check}, \"tcp\": {\"plugin_name\": NAME}}\n",
        ),
        // --- Documented exceptions.
        case(
            "computed_version",
            Expect::Exception {
                code: "PK0603",
                state: "enabled",
            },
            "_MAJOR, _MINOR = 1, 4\n__plugin_name__ = \"computed\"\n__version__ = f\"{_MAJOR}.{_MINOR}.0\"\n\
             __author__ = \"Ada <ada@example.com>\"\n\ndef register():\n    return {}\n",
        ),
        case(
            "state_off",
            Expect::Exception {
                code: "PK0208",
                state: "off",
            },
            "__plugin_name__ = \"state_off\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n\
             __state__ = \"off\"\n\ndef register():\n    return {}\n",
        ),
    ];
    cases.sort_by_key(|c| c.folder);
    cases
}

/// A host at `root` whose `[host] python` is the venv's: `pluginkit.toml` and the plugins
/// folder, holding `cases`.
fn write_host(root: &Path, cases: &[Case], plugins_init_py: bool) -> PathBuf {
    write_host_of(&FLASK, root, cases, plugins_init_py)
}

fn write_host_of(
    venv: &'static Venv,
    root: &Path,
    cases: &[Case],
    plugins_init_py: bool,
) -> PathBuf {
    fs::write(
        root.join("pluginkit.toml"),
        format!(
            "[host]\nplugins-dir = \"plugins\"\npython = \"{}\"\n",
            venv.python().display()
        ),
    )
    .unwrap();
    let plugins = root.join("plugins");
    fs::create_dir_all(&plugins).unwrap();
    if plugins_init_py {
        fs::write(plugins.join("__init__.py"), "").unwrap();
    }
    for case in cases {
        let dir = plugins.join(case.folder);
        fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &case.files {
            fs::write(dir.join(name), bytes).unwrap();
        }
    }
    plugins
}

/// One row of the comparison table.
struct Row {
    folder: &'static str,
    pluginkit: String,
    flask: String,
    expected: String,
    problems: Vec<String>,
}

fn table(title: &str, rows: &[Row]) -> String {
    let width = |f: &dyn Fn(&Row) -> usize, head: &str| {
        rows.iter().map(f).max().unwrap_or(0).max(head.len())
    };
    let w0 = width(&|r| r.folder.len(), "plugin");
    let w1 = width(&|r| r.pluginkit.chars().count(), "pluginkit validate");
    let w2 = width(
        &|r| r.flask.chars().count().min(70),
        "Flask-PluginKit 3.12.1",
    );
    let mut out = format!("{title}\n");
    let _ = writeln!(
        out,
        "  {:<w0$} | {:<w1$} | {:<w2$} | expected | problems",
        "plugin", "pluginkit validate", "Flask-PluginKit 3.12.1"
    );
    for row in rows {
        let flask: String = row.flask.chars().take(70).collect();
        let _ = writeln!(
            out,
            "  {:<w0$} | {:<w1$} | {:<w2$} | {:<8} | {}",
            row.folder,
            row.pluginkit,
            flask,
            row.expected,
            if row.problems.is_empty() {
                "ok".to_owned()
            } else {
                row.problems.join("; ")
            }
        );
    }
    out
}

#[test]
fn flask_pluginkit_loads_what_pluginkit_accepts() {
    let context = TestContext::new();
    let host = context.path("host");
    fs::create_dir_all(&host).unwrap();
    let cases = cases();
    let plugins = write_host(&host, &cases, true);

    let flask = flask_pluginkit(&plugins, &context.root().join("flask"));
    let mut report = String::new();
    let mut failed = false;

    for (label, args) in [
        (
            "flavor detected",
            &["validate", "plugins", "--format", "json"][..],
        ),
        (
            "flavor pinned",
            &[
                "validate",
                "plugins",
                "--flavor",
                "flask-pluginkit",
                "--format",
                "json",
            ][..],
        ),
    ] {
        let (code, json) = context.run_json_in(&host, args);
        let mut rows = Vec::new();
        for case in &cases {
            let errors = pluginkit_errors(&json, case.folder);
            let accepted = errors.is_empty();
            let verdict = flask_verdict(&flask, case.folder);
            let mut problems = Vec::new();
            let expected = match case.expect {
                Expect::Loads => {
                    if accepted != verdict.loaded.is_some() {
                        problems.push("MISMATCH".to_owned());
                    }
                    if verdict.loaded.is_none() {
                        problems.push("Flask-PluginKit should load it".to_owned());
                    }
                    if !accepted {
                        problems.push("pluginkit should accept it".to_owned());
                    }
                    "loads"
                }
                Expect::Refused { code, flask } => {
                    if accepted != verdict.loaded.is_some() {
                        problems.push("MISMATCH".to_owned());
                    }
                    if verdict.loaded.is_some() || !verdict.reason.contains(flask) {
                        problems.push(format!("Flask-PluginKit should refuse it with {flask}"));
                    }
                    if !errors.iter().any(|e| e == code) {
                        problems.push(format!("pluginkit should report {code}"));
                    }
                    "refused"
                }
                Expect::Exception { code, state } => {
                    if verdict.loaded.as_deref() != Some(state) {
                        problems.push(format!("Flask-PluginKit should load it, state {state}"));
                    }
                    if !errors.iter().any(|e| e == code) {
                        problems.push(format!("pluginkit should report {code}"));
                    }
                    "excepted"
                }
            };
            rows.push(Row {
                folder: case.folder,
                pluginkit: if accepted {
                    "accepted".to_owned()
                } else {
                    format!("rejected {}", errors.join(","))
                },
                flask: match &verdict.loaded {
                    Some(state) => format!("loaded ({state})"),
                    None => format!("refused: {}", verdict.reason),
                },
                expected: expected.to_owned(),
                problems,
            });
        }
        // Findings about the plugins folder itself, or about no plugin the test wrote.
        let strays: Vec<String> = errors(&json)
            .filter(|f| !cases.iter().any(|c| is_about(f, c.folder)))
            .map(|f| format!("{} {} ({})", f["code"], f["message"], f["file"]))
            .collect();
        let bad = rows.iter().any(|r| !r.problems.is_empty()) || !strays.is_empty() || code != 1;
        failed |= bad;
        let _ = writeln!(
            report,
            "{}",
            table(
                &format!("pluginkit validate ({label}), exit {code}, against Flask-PluginKit:"),
                &rows
            )
        );
        if !strays.is_empty() {
            let _ = writeln!(report, "  errors about no single plugin: {strays:#?}");
        }
    }

    // Everything that loaded alone loads together, in one app.
    let alone: Vec<&str> = flask["loaded_alone"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let together: Vec<&str> = flask["together"]["loaded"]
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut together_sorted = together.clone();
    together_sorted.sort_unstable();
    if together_sorted != alone {
        failed = true;
        let _ = writeln!(
            report,
            "the plugins that load alone do not load together: alone {alone:?}, together {together:?} ({})",
            flask["together"]
        );
    }

    // Shown with --nocapture, the table is the record of what both tools made of each plugin.
    if !failed {
        eprintln!("{report}");
    }
    assert!(
        !failed,
        "pluginkit and Flask-PluginKit disagree, or a verdict is not the expected one:\n{report}"
    );
}

#[test]
fn a_plugins_folder_without_init_py_is_refused_by_both() {
    let context = TestContext::new();
    let host = context.path("host");
    fs::create_dir_all(&host).unwrap();
    let good = cases()
        .into_iter()
        .filter(|c| c.folder == "docs_minimal")
        .collect::<Vec<_>>();
    let plugins = write_host(&host, &good, false);

    // Flask-PluginKit scans nothing: the plugins folder is no package. No error either.
    let flask = flask_pluginkit(&plugins, &context.root().join("flask"));
    let verdict = flask_verdict(&flask, "docs_minimal");
    assert_eq!(
        verdict.loaded, None,
        "Flask-PluginKit loaded a plugin from a plugins folder without __init__.py: {flask:#}"
    );
    assert!(
        flask["alone"]["docs_minimal"]["error"].is_null(),
        "{flask:#}"
    );

    let (code, json) = context.run_json_in(&host, &["validate", "plugins", "--format", "json"]);
    let errors: BTreeMap<String, String> = errors(&json)
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(
        errors.get("PK0607").map(String::as_str),
        Some("plugins"),
        "{json:#}"
    );

    // The same when one plugin of that folder is validated on its own.
    let (code, json) = context.run_json_in(
        &host,
        &["validate", "plugins/docs_minimal", "--format", "json"],
    );
    assert_eq!(code, 1, "{json:#}");
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "PK0607"),
        "{json:#}"
    );

    // And with the __init__.py, both take it.
    fs::write(plugins.join("__init__.py"), "").unwrap();
    let flask = flask_pluginkit(&plugins, &context.root().join("flask-again"));
    assert_eq!(
        flask_verdict(&flask, "docs_minimal").loaded.as_deref(),
        Some("enabled"),
        "{flask:#}"
    );
    let (code, json) = context.run_json_in(&host, &["validate", "plugins", "--format", "json"]);
    assert_eq!(code, 0, "{json:#}");
}

/// The rules that changed between Flask-PluginKit releases, against the real 3.10.1 (its own
/// venv) and 3.12.1: folder names (3.11.0 skips one that is not an identifier; 3.10.1 imports
/// every folder by path, and only a dot stops it), `__appversion__` (checked against each one's
/// own version) and the hooks. pluginkit learns the version from `[host] python` alone.
#[test]
fn flask_pluginkit_3_10_and_3_12_each_load_what_pluginkit_accepts_for_them() {
    use Expect::Loads;
    let plugin = |folder: &'static str, expect: Expect, extra: &str| {
        case(
            folder,
            expect,
            &format!(
                "__plugin_name__ = \"p_{}\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada <ada@example.com>\"\n{extra}\n\
                 def register():\n    return {{}}\n",
                folder.replace(['-', '.'], "_")
            ),
        )
    };
    let hook = "def warm_up():\n    pass\n\ndef register():\n    return {\"hep\": {\"before_first_request\": warm_up}}\n";
    // (venv, version, plugins and what that version does with each).
    let runs: [(&'static Venv, &str, Vec<Case>); 2] = [
        (
            &FLASK_3_10,
            "3.10.1",
            vec![
                plugin("my-plugin", Loads, ""),
                plugin("1plugin", Loads, ""),
                plugin("a.b", refused("PK0608", "ModuleNotFoundError"), ""),
                plugin("below_3_11", Loads, "__appversion__ = \"<3.11.0\""),
                plugin(
                    "from_3_11",
                    refused("PK0212", "VersionError"),
                    "__appversion__ = \">=3.11.0\"",
                ),
                case(
                    "first_request",
                    refused("PK0615", "PEPError"),
                    &format!(
                        "__plugin_name__ = \"first_request\"\n__version__ = \"1.0.0\"\n__author__ = \"a\"\n{hook}"
                    ),
                ),
            ],
        ),
        (
            &FLASK,
            FLASK_PLUGINKIT_VERSION,
            vec![
                plugin(
                    "my-plugin",
                    refused("PK0608", "Invalid plugin package name"),
                    "",
                ),
                plugin(
                    "1plugin",
                    refused("PK0608", "Invalid plugin package name"),
                    "",
                ),
                plugin("a.b", refused("PK0608", "Invalid plugin package name"), ""),
                plugin(
                    "below_3_11",
                    refused("PK0212", "VersionError"),
                    "__appversion__ = \"<3.11.0\"",
                ),
                plugin("from_3_11", Loads, "__appversion__ = \">=3.11.0\""),
                case(
                    "first_request",
                    refused("PK0615", "PEPError"),
                    &format!(
                        "__plugin_name__ = \"first_request\"\n__version__ = \"1.0.0\"\n__author__ = \"a\"\n{hook}"
                    ),
                ),
            ],
        ),
    ];
    let context = TestContext::new();
    let mut problems = Vec::new();
    for (venv, version, cases) in runs {
        let host = context.path(&format!("host-{version}"));
        fs::create_dir_all(&host).unwrap();
        let plugins = write_host_of(venv, &host, &cases, true);
        let flask = flask_pluginkit_of(
            venv,
            version,
            &plugins,
            &context.root().join(format!("flask-{version}")),
        );
        let (_, json) = context.run_json_in(&host, &["validate", "plugins", "--format", "json"]);
        for case in &cases {
            let errors = pluginkit_errors(&json, case.folder);
            let verdict = flask_verdict(&flask, case.folder);
            let ok = match case.expect {
                Expect::Loads => verdict.loaded.is_some() && errors.is_empty(),
                Expect::Refused { code, flask } => {
                    verdict.loaded.is_none()
                        && verdict.reason.contains(flask)
                        && errors.iter().any(|e| e == code)
                }
                Expect::Exception { .. } => unreachable!("no exceptions here"),
            };
            if !ok {
                problems.push(format!(
                    "Flask-PluginKit {version}, {}: expected {:?}; Flask-PluginKit: {:?}; pluginkit: {errors:?}",
                    case.folder, case.expect, verdict
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Flask-PluginKit catches no SyntaxError (3.11+ catches only ImportError around the import),
/// so one plugin in Python 2 stops the whole app, good plugins and all: why PK0601 is an error
/// for the whole plugins folder's sake, not the one plugin's.
#[test]
fn one_plugin_in_python_2_stops_the_whole_app() {
    let context = TestContext::new();
    let host = context.path("host");
    fs::create_dir_all(&host).unwrap();
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| matches!(c.folder, "docs_minimal" | "blueprint" | "python2_except"))
        .collect();
    let plugins = write_host(&host, &cases, true);
    let script = context.root().join("all_at_once.py");
    fs::write(
        &script,
        "import sys\nimport flask_pluginkit.pluginkit as fpk\nfrom flask import Flask\n\
         from flask_pluginkit import PluginManager\nfpk.pip_list = lambda target_dir='': {}\n\
         base = sys.argv[1]\nsys.path.insert(0, base)\n\
         try:\n    manager = PluginManager(Flask('host', root_path=base), plugins_base=base)\n\
         except SyntaxError as error:\n    print('stopped: SyntaxError:', error.msg)\n\
         else:\n    print('loaded', sorted(p.plugin_package_name for p in manager.get_all_plugins))\n",
    )
    .unwrap();
    let stdout = must_run(
        Command::new(FLASK.python())
            .arg(&script)
            .arg(plugins.parent().unwrap())
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        "Flask-PluginKit over the whole plugins folder",
    );
    assert_eq!(
        stdout.trim(),
        "stopped: SyntaxError: multiple exception types must be parenthesized"
    );
    let (code, json) = context.run_json_in(&host, &["validate", "plugins", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(pluginkit_errors(&json, "python2_except"), ["PK0601"]);
    assert!(pluginkit_errors(&json, "docs_minimal").is_empty());
}
