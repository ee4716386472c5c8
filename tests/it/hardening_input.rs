//! Hostile input to the readers (issue 14): Python sources nested deep enough to overflow a
//! recursive parser, plugin files that are FIFOs, devices or huge, and registry requirements
//! that made the resolver search for hours or recurse once per dependency. Each run is bounded
//! in stack, address space and time (see [`bounded`]): an abort, a runaway read or a hang fails
//! the test instead of the machine.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::install::Host;
use crate::support::{Outcome, TestContext};

/// Run pluginkit in `dir` with the default 8 MiB stack (never more, whatever the shell that
/// runs the tests allows), 4 GiB of address space and 60 seconds: an overflow or an allocation
/// that fails is a signal, which fails the test, and so is a hang.
fn bounded(context: &TestContext, dir: &Path, args: &[&str]) -> Outcome {
    context
        .pluginkit()
        .current_dir(dir)
        .wrapped_in(
            "sh",
            [
                "-c",
                "ulimit -s 8192 && ulimit -v 4194304 && exec \"$0\" \"$@\"",
            ],
        )
        .timeout(Duration::from_secs(60))
        .args(args)
        .output()
}

/// The (code, file) of each finding of a `validate --format json` document.
fn findings(json: &Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["file"].as_str().unwrap_or_default().to_owned(),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Item 8: nesting in __init__.py

/// A Flask-PluginKit `__init__.py` that sets its metadata, then `rest`.
fn init_py(name: &str, rest: &str) -> String {
    format!(
        "__plugin_name__ = \"{name}\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada\"\n\ndef register():\n    pass\n\n{rest}\n"
    )
}

/// Sources that nest (or chain) far past any limit: the 4,000 parentheses, and every
/// other construct ruff's parser reads by recursion or builds into a tree as deep as the input.
fn too_deep() -> Vec<(&'static str, String)> {
    let n = 4000;
    let blocks: String = (0..1500)
        .map(|i| format!("{}if x:\n", "\t".repeat(i)))
        .chain(std::iter::once(format!("{}pass", "\t".repeat(1500))))
        .collect();
    vec![
        (
            "parentheses",
            format!("x = {}1{}", "(".repeat(n), ")".repeat(n)),
        ),
        ("lists", format!("x = {}{}", "[".repeat(n), "]".repeat(n))),
        (
            "dicts",
            format!("x = {}1{}", "{'a': ".repeat(n), "}".repeat(n)),
        ),
        ("calls", format!("x = {}1{}", "f(".repeat(n), ")".repeat(n))),
        (
            "subscripts in brackets",
            format!("x = {}0{}", "a[".repeat(n), "]".repeat(n)),
        ),
        (
            "f-strings",
            format!("x = {}1{}", "f\"{".repeat(n), "}\"".repeat(n)),
        ),
        ("unary minus", format!("x = {}1", "-".repeat(100_000))),
        ("unary mix", format!("x = {}1", "-+~".repeat(30_000))),
        ("not", format!("x = {}1", "not ".repeat(50_000))),
        (
            "await",
            format!("async def f():\n    x = {}1", "await ".repeat(50_000)),
        ),
        ("lambdas", format!("x = {}1", "lambda: ".repeat(20_000))),
        (
            "conditionals",
            format!("x = {}1", "1 if 1 else ".repeat(20_000)),
        ),
        ("powers", format!("x = 2{}", "**2".repeat(50_000))),
        ("attribute chain", format!("x = a{}", ".b".repeat(200_000))),
        (
            "string concatenation",
            format!("x = 'a'{}", " + 'a'".repeat(200_000)),
        ),
        ("call chain", format!("x = f{}", "()".repeat(200_000))),
        ("subscript chain", format!("x = a{}", "[0]".repeat(100_000))),
        ("blocks", blocks),
    ]
}

/// Sources as deep as pluginkit reads, or deep in a way the parser reads in a loop: read, and
/// no finding about their depth.
fn deep_but_fine() -> Vec<(&'static str, String)> {
    vec![
        (
            "190 parentheses",
            format!("x = {}1{}", "(".repeat(190), ")".repeat(190)),
        ),
        ("190 unary minus", format!("x = {}1", "-".repeat(190))),
        ("90 blocks", {
            let mut text: String = (0..90)
                .map(|i| format!("{}if x:\n", "    ".repeat(i)))
                .collect();
            text.push_str(&format!("{}pass", "    ".repeat(90)));
            text
        }),
        (
            "100,000 implicitly concatenated strings",
            format!("x = ({})", "'a' ".repeat(100_000)),
        ),
        ("a long list", format!("x = [{}]", "-1, ".repeat(100_000))),
        (
            "many statements",
            "y = a.b.c + -d if not e else f(g)[h]\n".repeat(20_000),
        ),
    ]
}

/// A Flask-PluginKit host whose plugins are `sources`, one plugin `p0`, `p1`... each.
fn python_host(sources: &[(&str, String)]) -> Host {
    let host = Host::new();
    host.put(
        "pluginkit.toml",
        b"[host]\nplugins-dir = \"plugins\"\nflavor = \"flask-pluginkit\"\n",
    );
    host.put("plugins/__init__.py", b"");
    for (i, (_, rest)) in sources.iter().enumerate() {
        let name = format!("p{i}");
        host.put(
            &format!("plugins/{name}/__init__.py"),
            init_py(&name, rest).as_bytes(),
        );
        host.put(&format!("plugins/{name}/README.md"), b"# p\n");
    }
    host
}

/// The 4,000 nested parentheses (8 KB) aborted every command that scans the plugins
/// folder with a stack overflow; so did each variant here. Each is now a PK0613 finding on its
/// `__init__.py`, pointing into the file, and the commands go on.
#[test]
fn deep_nesting_in_init_py_is_a_finding_not_an_abort() {
    let sources = too_deep();
    let host = python_host(&sources);
    let outcome = bounded(
        host.context(),
        host.root(),
        &["validate", "--format", "json"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    let found = findings(&outcome.json());
    for (i, (what, _)) in sources.iter().enumerate() {
        let file = format!("plugins/p{i}/__init__.py");
        let deep: Vec<_> = found.iter().filter(|f| f.1 == file).collect();
        assert!(
            deep.iter().any(|f| f.0 == "PK0613"),
            "{what}: no PK0613 for {file}: {deep:?}"
        );
        assert!(
            deep.iter().all(|f| f.0 != "PK0601"),
            "{what}: reported as a syntax error: {deep:?}"
        );
    }
    for args in [
        &["list"][..],
        &["list", "--format", "json"],
        &["info", "p0"],
    ] {
        let outcome = bounded(host.context(), host.root(), args);
        assert!(
            [0, 1].contains(&outcome.code),
            "{args:?}: {}",
            outcome.stderr
        );
    }
    // The finding points into the file, at the place it goes too deep, and says why.
    let outcome = bounded(host.context(), host.root(), &["validate", "plugins/p0"]);
    assert_eq!(outcome.code, 1);
    assert!(outcome.stdout.contains("PK0613"), "{}", outcome.stdout);
    assert!(
        outcome.stdout.contains("more than 200 levels deep"),
        "{}",
        outcome.stdout
    );
    assert!(
        outcome.stdout.contains("__init__.py:8:"),
        "{}",
        outcome.stdout
    );
}

/// What real code looks like, however long, is still read: no finding about depth, and the
/// metadata is there.
#[test]
fn deep_but_readable_python_is_read() {
    let sources = deep_but_fine();
    let host = python_host(&sources);
    let outcome = bounded(
        host.context(),
        host.root(),
        &["validate", "--format", "json"],
    );
    let found = findings(&outcome.json());
    assert!(
        found.iter().all(|f| f.0 != "PK0613" && f.0 != "PK0601"),
        "{found:?}"
    );
    assert_eq!(outcome.code, 0, "{found:?}\n{}", outcome.stderr);
}

// ---------------------------------------------------------------------------------------------
// Item 16: plugin files that are not regular files, or too large

fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

/// A FIFO as a plugin's manifest made `validate` and `list` wait forever for a writer; a link to
/// `/dev/zero` was read until memory ran out. Each is now a PK0002 finding naming the file and
/// saying what it is, and the commands end at once.
#[test]
fn fifos_devices_and_huge_files_in_a_plugin_are_refused_by_name() {
    let host = Host::new();
    let plugins = host.plugins();
    // Each folder, the file in it, and what the finding says.
    let mut cases: Vec<(&str, &str, &str)> = Vec::new();
    for (folder, rel) in [
        ("fifo_toml", "plugin.toml"),
        ("fifo_init", "__init__.py"),
        ("fifo_cargo", "Cargo.toml"),
    ] {
        mkfifo(&plugins.join(folder).join(rel));
        cases.push((folder, rel, "a named pipe (FIFO)"));
    }
    for (folder, rel, device) in [
        ("zero_toml", "plugin.toml", "/dev/zero"),
        ("urandom_init", "__init__.py", "/dev/urandom"),
        ("zero_cargo", "Cargo.toml", "/dev/zero"),
    ] {
        std::fs::create_dir_all(plugins.join(folder)).unwrap();
        std::os::unix::fs::symlink(device, plugins.join(folder).join(rel)).unwrap();
        cases.push((folder, rel, "a device"));
    }
    // A manifest larger than any real one: a valid one, padded with a comment.
    let mut big = b"[plugin]\nname = \"big\"\nversion = \"1.0.0\"\n#".to_vec();
    big.resize((16 << 20) + 1, b'x');
    big.push(b'\n');
    host.put("plugins/big/plugin.toml", &big);
    cases.push(("big", "plugin.toml", "larger than 16 MiB"));
    // One readable plugin beside them is still listed.
    crate::support::native_plugin(&plugins, "fine", "");

    let started = Instant::now();
    let outcome = bounded(
        host.context(),
        host.root(),
        &["validate", "--format", "json"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    let found = findings(&outcome.json());
    for (folder, rel, what) in &cases {
        let file = format!("plugins/{folder}/{rel}");
        assert!(
            found
                .iter()
                .any(|f| f.0 == "PK0002" && f.1 == file && f.2.contains(what)),
            "no PK0002 for {file} saying {what}: {found:#?}"
        );
    }
    let (code, stdout, stderr) = bounded(host.context(), host.root(), &["list"]).parts();
    assert!([0, 1].contains(&code), "{stderr}");
    assert!(stdout.contains("fine"), "{stdout}");
    // One folder given directly, as `validate PATH`, and `info`.
    for args in [
        &["validate", "plugins/fifo_toml"][..],
        &["validate", "plugins/zero_toml"],
        &["info", "fifo_toml"],
    ] {
        let outcome = bounded(host.context(), host.root(), args);
        assert!(
            [0, 1].contains(&outcome.code),
            "{args:?}: {}",
            outcome.stderr
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// Item 9: the resolver

/// A plugin's dependencies: (name, requirement).
type Deps = Vec<(String, String)>;

/// A plugin of a registry: its name, and its versions with their dependencies.
type Published = (String, Vec<(String, Deps)>);

/// A registry folder at `dir` holding `plugins`: index files only, which is all resolution
/// reads.
fn write_registry(dir: &Path, plugins: &[Published]) {
    std::fs::create_dir_all(dir.join("index")).unwrap();
    for (name, versions) in plugins {
        let versions: Vec<Value> = versions
            .iter()
            .map(|(version, deps)| {
                let deps: serde_json::Map<String, Value> = deps
                    .iter()
                    .map(|(n, r)| (n.clone(), Value::String(r.clone())))
                    .collect();
                serde_json::json!({
                    "version": version,
                    "url": format!("files/{name}/{name}-{version}.zip"),
                    "sha256": "0".repeat(64),
                    "size": 1,
                    "flavor": "pluginkit",
                    "dependencies": deps,
                    "published": "2026-01-01T00:00:00Z",
                })
            })
            .collect();
        let index = serde_json::json!({"format": 1, "name": name, "versions": versions});
        std::fs::write(
            dir.join("index").join(format!("{name}.json")),
            serde_json::to_vec(&index).unwrap(),
        )
        .unwrap();
    }
}

/// A host beside `reg/` whose default registry it is.
fn registry_host(context: &TestContext) -> Host {
    let host = Host::at(context, &context.path("host"));
    host.put(
        "pluginkit.toml",
        b"[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"../reg\"\n",
    );
    host
}

/// `count` plugins `p0`... with `versions` versions each and no dependencies.
fn plain(count: usize, versions: usize) -> Vec<Published> {
    (0..count)
        .map(|i| {
            let list = (1..=versions)
                .map(|v| (format!("{v}.0.0"), Vec::new()))
                .collect();
            (format!("p{i}"), list)
        })
        .collect()
}

fn needs(names: impl IntoIterator<Item = String>, extra: &[(&str, &str)]) -> Deps {
    names
        .into_iter()
        .map(|n| (n, "*".to_owned()))
        .chain(
            extra
                .iter()
                .map(|(n, r)| ((*n).to_owned(), (*r).to_owned())),
        )
        .collect()
}

/// The case: a plugin needing 7 others of 10 versions each and a version of one more
/// that does not exist took 19 s (10 others: hours), trying every combination of the others. The
/// dead end depends only on the plugin's own requirement, so it is now reported at once; and a
/// requirement of the user's that nothing meets ends resolution before anything else is tried.
#[test]
fn an_unsatisfiable_requirement_fails_fast() {
    let context = TestContext::new();
    for others in [7, 10] {
        let mut plugins = plain(others, 10);
        let deps = needs((0..others).map(|i| format!("p{i}")), &[("zz", "^9")]);
        plugins.push(("zz".into(), vec![("1.0.0".into(), Vec::new())]));
        plugins.push((
            "app".into(),
            vec![
                ("1.0.0".into(), deps.clone()),
                ("1.1.0".into(), deps.clone()),
            ],
        ));
        write_registry(&context.path("reg"), &plugins);
        let host = registry_host(&context);
        let started = Instant::now();
        let (code, _, stderr) = bounded(&context, host.root(), &["add", "app"]).parts();
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains("app 1.0.0 needs zz ^9, but the registry has no such version"),
            "{stderr}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{others} others: {:?}",
            started.elapsed()
        );
        assert!(!host.plugins().join("app").exists());
    }
}

/// A plugin with 50,000 dependencies recursed once per dependency (a stack overflow) and
/// compared each requirement with every other; it now resolves in a loop, and the one missing
/// version among them is reported.
#[test]
fn a_wide_fan_out_resolves_without_recursion() {
    let context = TestContext::new();
    let count = 50_000;
    let mut plugins = plain(count, 1);
    plugins.push(("zz".into(), vec![("1.0.0".into(), Vec::new())]));
    plugins.push((
        "app".into(),
        vec![(
            "1.0.0".into(),
            needs((0..count).map(|i| format!("p{i}")), &[("zz", "^9")]),
        )],
    ));
    write_registry(&context.path("reg"), &plugins);
    let host = registry_host(&context);
    let (code, _, stderr) = bounded(&context, host.root(), &["add", "app"]).parts();
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("needs zz ^9"), "{stderr}");
}
