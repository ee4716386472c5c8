//! End to end against FastCMS itself: its real plugin loader (`pyfastcms` 0.1.6 from PyPI, in
//! `target/fastcms-venv`) loads exactly the plugins that `pluginkit validate` accepts with the
//! fastcms flavor, and skips the ones it rejects (DESIGN.md, "Flavors": fastcms).
//!
//! FastCMS loads plugins once, at start-up, in its lifespan: `app.core.plugin_loader.
//! load_plugins("./plugins", app, settings)`. It takes every folder of the plugins folder that
//! holds an `__init__.py` and whose name does not start with `_`, in name order, and
//! `_load_single_plugin` imports it by path as `fastcms_plugin.<folder>`, requires a
//! `PLUGIN_META` dict with the keys `id`, `name` and `version` (whatever their values), a
//! callable `register`, and calls `register(PluginContext)`. Whatever goes wrong is caught and
//! logged, and the plugin is skipped: one bad plugin never stops the app. The driver
//! ([`DRIVER`]) runs that function as the app does, on a bare FastAPI app (the loader needs
//! nothing else: no database, no server), and records per folder whether the plugin was loaded
//! (`get_loaded_plugins` grew) and what was logged.
//!
//! pluginkit validates the same folder with `[host] python` set to the venv's Python (3.11, so
//! Python 2 forms are errors), once with the flavor detected and once pinned to `fastcms`.
//!
//! Documented exceptions, asserted on their own:
//!
//! - **`async def register(ctx)`**: FastCMS calls it, gets a coroutine it never awaits, and
//!   records the plugin as loaded; nothing of `register` ever runs. pluginkit reports PK0605.
//! - **Computed `PLUGIN_META`** (`dict(...)`): FastCMS runs the module; pluginkit reads it
//!   without running it and reports PK0603.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::TestContext;
use crate::support::venvs::{FASTCMS, must_run};

/// Runs FastCMS's loader over a plugins folder and prints, per folder it tried, whether the
/// plugin was loaded and what the loader logged.
const DRIVER: &str = r#"
import json, logging, os, sys

# app.core.config reads its settings when imported; SECRET_KEY is the one without a default.
os.environ["SECRET_KEY"] = "pluginkit-e2e-secret-key-0123456789abcdef"
os.environ.pop("DATABASE_URL", None)

from fastapi import FastAPI
from app.core import plugin_loader

records = []


class Records(logging.Handler):
    def emit(self, record):
        records.append(f"{record.levelname}: {record.getMessage()}")


logging.getLogger("app.core.plugin_loader").addHandler(Records(logging.DEBUG))

real = plugin_loader._load_single_plugin
tried = {}


def watched(pkg_dir, plugins_path, app, plugin_settings):
    before, start = len(plugin_loader.get_loaded_plugins()), len(records)
    real(pkg_dir, plugins_path, app, plugin_settings)
    tried[pkg_dir.name] = {
        "loaded": len(plugin_loader.get_loaded_plugins()) > before,
        "log": records[start:],
    }


# load_plugins calls it by its module-level name.
plugin_loader._load_single_plugin = watched
app = FastAPI()
plugin_loader.load_plugins(sys.argv[1], app, {})
prefixes = sorted(
    r.include_context.prefix for r in app.routes if hasattr(r, "include_context")
)
json.dump({"tried": tried, "prefixes": prefixes}, sys.stdout)
"#;

/// What both should make of a plugin.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// FastCMS loads it; pluginkit accepts it (warnings allowed).
    Loads,
    /// FastCMS skips it, logging `log`; pluginkit rejects it with `code`.
    Refused {
        code: &'static str,
        log: &'static str,
    },
    /// Neither looks at it: FastCMS never tries it; pluginkit does not count it.
    Ignored,
    /// A documented exception: FastCMS loads it; pluginkit reports `code`.
    Exception { code: &'static str },
}

fn refused(code: &'static str, log: &'static str) -> Expect {
    Expect::Refused { code, log }
}

/// (folder, expectation, files).
type Case = (&'static str, Expect, Vec<(&'static str, String)>);

fn init(folder: &'static str, expect: Expect, init_py: &str) -> Case {
    (folder, expect, vec![("__init__.py", init_py.to_owned())])
}

const ROUTER: &str = "def register(ctx):\n    from fastapi import APIRouter\n    router = APIRouter()\n\n    \
                      @router.get(\"/\")\n    def index():\n        return {\"ok\": True}\n\n    \
                      ctx.include_router(router, prefix=\"/PREFIX\")\n";

fn meta(id: &str) -> String {
    format!("PLUGIN_META = {{\"id\": \"{id}\", \"name\": \"{id}\", \"version\": \"1.0.0\"}}\n")
}

fn cases() -> Vec<Case> {
    use Expect::{Ignored, Loads};
    let routed = |id: &str| format!("{}\n{}", meta(id), ROUTER.replace("PREFIX", id));
    vec![
        // FastCMS's documented example, verbatim but for the id.
        init(
            "hello_world",
            Loads,
            "# plugins/hello_world/__init__.py\nPLUGIN_META = {\n    \"id\": \"hello-world\",\n    \
             \"name\": \"Hello World\",\n    \"version\": \"1.0.0\",\n    \"author\": \"Your Name\",\n    \
             \"description\": \"A minimal example plugin\",\n}\n\n\
             def register(ctx) -> None:\n    from fastapi import APIRouter\n    router = APIRouter()\n\n    \
             @router.get(\"/\")\n    def hello():\n        return {\"message\": \"Hello from plugin!\"}\n\n    \
             ctx.include_router(router, prefix=\"/hello-world\")\n",
        ),
        init(
            "constants",
            Loads,
            &format!(
                "ID = \"constants\"\nVERSION = \"2.0.0\"\nPLUGIN_META = {{\"id\": ID, \"name\": \"C\", \"version\": VERSION}}\n\n{}",
                ROUTER.replace("PREFIX", "constants")
            ),
        ),
        init("my-plugin", Loads, &routed("my-plugin")),
        init(
            "defaults",
            Loads,
            &format!(
                "{}def register(ctx, extra=None, *rest):\n    pass\n",
                meta("defaults")
            ),
        ),
        init(
            "lambda",
            Loads,
            &format!("{}register = lambda ctx: None\n", meta("lambda")),
        ),
        (
            "imported",
            Loads,
            vec![
                (
                    "__init__.py",
                    format!("from .core import register\n\n{}", meta("imported")),
                ),
                ("core.py", "def register(ctx):\n    pass\n".to_owned()),
            ],
        ),
        // FastCMS checks the keys, not their values (pluginkit warns, PK0619).
        init(
            "numeric_version",
            Loads,
            "PLUGIN_META = {\"id\": \"numeric_version\", \"name\": \"N\", \"version\": 1}\n\n\
             def register(ctx):\n    pass\n",
        ),
        init(
            "empty_name",
            Loads,
            "PLUGIN_META = {\"id\": \"empty_name\", \"name\": \"\", \"version\": \"1.0.0\"}\n\n\
             def register(ctx):\n    pass\n",
        ),
        // --- The ways they go wrong.
        init(
            "missing_version",
            refused("PK0105", "missing keys"),
            "PLUGIN_META = {\"id\": \"missing_version\", \"name\": \"M\"}\n\ndef register(ctx):\n    pass\n",
        ),
        init(
            "meta_list",
            refused("PK0611", "has no PLUGIN_META dict"),
            "PLUGIN_META = [\"meta_list\", \"M\", \"1.0.0\"]\n\ndef register(ctx):\n    pass\n",
        ),
        init(
            "no_meta",
            refused("PK0105", "has no PLUGIN_META dict"),
            "def register(ctx):\n    pass\n",
        ),
        init(
            "no_register",
            refused("PK0605", "has no register() function"),
            &meta("no_register"),
        ),
        init(
            "register_none",
            refused("PK0605", "has no register() function"),
            &format!("{}register = None\n", meta("register_none")),
        ),
        init(
            "register_no_ctx",
            refused("PK0618", "TypeError"),
            &format!("{}def register():\n    pass\n", meta("register_no_ctx")),
        ),
        init(
            "python2_except",
            refused("PK0601", "SyntaxError"),
            &format!(
                "{}try:\n    import json\nexcept ImportError, e:\n    json = None\n\ndef register(ctx):\n    pass\n",
                meta("python2_except")
            ),
        ),
        init(
            "python2_print",
            refused("PK0601", "SyntaxError"),
            &format!(
                "{}print \"loading\"\n\ndef register(ctx):\n    pass\n",
                meta("python2_print")
            ),
        ),
        init("_private", Ignored, &routed("private")),
        // --- Documented exceptions.
        init(
            "async_register",
            Expect::Exception { code: "PK0605" },
            &format!(
                "{}async def register(ctx):\n    pass\n",
                meta("async_register")
            ),
        ),
        init(
            "computed_meta",
            Expect::Exception { code: "PK0603" },
            "PLUGIN_META = dict(id=\"computed_meta\", name=\"C\", version=\"1.0.0\")\n\n\
             def register(ctx):\n    pass\n",
        ),
    ]
}

/// FastCMS's verdicts on `plugins` (the driver's JSON).
fn fastcms(plugins: &Path, work: &Path) -> Value {
    fs::create_dir_all(work).unwrap();
    let driver = work.join("driver.py");
    fs::write(&driver, DRIVER).unwrap();
    let stdout = must_run(
        Command::new(FASTCMS.python())
            .arg(&driver)
            .arg(plugins)
            .current_dir(work)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            // The venv's RuntimeWarning for the coroutine never awaited goes to stderr.
            .env("PYTHONWARNINGS", "ignore")
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME"),
        "the FastCMS driver",
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("the driver printed no JSON ({e}):\n{stdout}"))
}

/// The codes of pluginkit's error findings about `plugins/<folder>`, and of all its findings.
fn pluginkit_findings(json: &Value, folder: &str) -> (Vec<String>, Vec<String>) {
    let about: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["plugin"] == folder
                || f["file"]
                    .as_str()
                    .is_some_and(|p| p.starts_with(&format!("plugins/{folder}/")))
        })
        .collect();
    let code = |f: &&Value| f["code"].as_str().unwrap().to_owned();
    (
        about
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(code)
            .collect(),
        about.iter().map(code).collect(),
    )
}

#[test]
fn fastcms_loads_what_pluginkit_accepts() {
    let context = TestContext::new();
    let host = context.path("host");
    let plugins = host.join("plugins");
    let cases = cases();
    for (folder, _, files) in &cases {
        for (name, text) in files {
            let path = plugins.join(folder).join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
    }
    fs::write(
        host.join("pluginkit.toml"),
        format!(
            "[host]\nplugins-dir = \"plugins\"\npython = \"{}\"\n",
            FASTCMS.python().display()
        ),
    )
    .unwrap();

    let fastcms = fastcms(&plugins, &context.root().join("fastcms"));
    let tried = &fastcms["tried"];
    let mut problems = Vec::new();
    for args in [
        &["validate", "plugins", "--format", "json"][..],
        &[
            "validate", "plugins", "--flavor", "fastcms", "--format", "json",
        ],
    ] {
        let (code, json) = context.run_json_in(&host, args);
        if code != 1 {
            problems.push(format!("{args:?}: exit {code}"));
        }
        let expected_checked = cases
            .iter()
            .filter(|(_, e, _)| !matches!(e, Expect::Ignored))
            .count();
        if json["summary"]["checked"] != expected_checked {
            problems.push(format!(
                "{args:?}: checked {} plugins, not {expected_checked}",
                json["summary"]["checked"]
            ));
        }
        for (folder, expect, _) in &cases {
            let (errors, all) = pluginkit_findings(&json, folder);
            let run = &tried[folder];
            let loaded = run["loaded"] == true;
            let log = run["log"].to_string();
            let ok = match *expect {
                Expect::Loads => loaded && errors.is_empty(),
                Expect::Refused { code, log: says } => {
                    !loaded && log.contains(says) && errors.iter().any(|e| e == code)
                }
                Expect::Ignored => run.is_null() && all.is_empty(),
                Expect::Exception { code } => loaded && errors.iter().any(|e| e == code),
            };
            if !ok {
                problems.push(format!(
                    "{args:?} {folder}: expected {expect:?}; FastCMS: {run}; pluginkit: {all:?}"
                ));
            }
        }
    }
    // The loaded plugins' routers are mounted where FastCMS puts them.
    for prefix in ["hello-world", "constants", "my-plugin"] {
        let prefix = format!("/api/v1/plugins/{prefix}");
        if !fastcms["prefixes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == &Value::from(prefix.as_str()))
        {
            problems.push(format!("no router at {prefix}: {}", fastcms["prefixes"]));
        }
    }
    assert!(
        problems.is_empty(),
        "pluginkit and FastCMS disagree:\n{problems:#?}"
    );
}
