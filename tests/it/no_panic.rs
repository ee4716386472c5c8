//! No input makes pluginkit panic, abort or hang: random text, every truncation of real
//! manifests, and random edits of them go through the readers and every renderer; Python sources
//! nested at random depths go through the parser; and, in the release build (many more inputs in
//! the same time, see [`fuzz_binary`]), hosts full of such sources and of mangled journals,
//! receipts and lock files go through the commands that read them, each run bounded in stack,
//! address space and time.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use proptest::prelude::*;

use pluginkit::findings::Finding;
use pluginkit::findings::{render as report, report::Report};
use pluginkit::plugin::flavor::Flavor;
use pluginkit::plugin::host::{Decided, HostFacts};
use pluginkit::plugin::tree::Tree;
use pluginkit::plugin::{ReadContext, read_plugin};

use crate::support::install::Host;
use crate::support::{self, Outcome, TestContext};

/// A plugin held in memory.
struct MemoryTree {
    files: HashMap<String, Vec<u8>>,
}

impl Tree for MemoryTree {
    fn folder_name(&self) -> Option<&str> {
        Some("notice")
    }
    fn display(&self, rel: &str) -> String {
        format!("plugins/notice/{rel}")
    }
    fn read_bytes(&self, rel: &str) -> io::Result<Option<Vec<u8>>> {
        Ok(self.files.get(rel).cloned())
    }
    fn is_file(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }
    fn is_dir(&self, rel: &str) -> bool {
        let prefix = format!("{}/", rel.trim_end_matches('/'));
        self.files.keys().any(|f| f.starts_with(&prefix))
    }
    fn files_under(&self, dir: &str) -> Vec<String> {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        let mut files: Vec<String> = self
            .files
            .keys()
            .filter(|f| f.starts_with(&prefix))
            .cloned()
            .collect();
        files.sort();
        files
    }
}

/// Read `manifest` as each flavor (and detected), and render whatever was found in every format.
fn exercise(manifest: &str) {
    let ctx = ReadContext {
        host: HostFacts {
            version: Some(Decided::new(semver::Version::new(2, 4, 0), "a test")),
            ..HostFacts::default()
        },
        ..ReadContext::default()
    };
    let mut files = HashMap::new();
    files.insert("plugin.toml".to_owned(), manifest.as_bytes().to_vec());
    files.insert("README.md".to_owned(), b"# notice".to_vec());
    files.insert("__init__.py".to_owned(), Vec::new());
    files.insert("api/notice.py".to_owned(), Vec::new());
    files.insert("model/__init__.py".to_owned(), Vec::new());
    let tree = MemoryTree { files };
    let mut findings: Vec<Finding> = Vec::new();
    for flavor in [None, Some(Flavor::Pluginkit), Some(Flavor::Fba)] {
        let plugin = read_plugin(&tree, flavor, &ctx).expect("plugin.toml is there");
        let _ = (plugin.name(), plugin.is_valid());
        findings.extend(plugin.findings);
    }
    for finding in &findings {
        report::human::render(finding, true);
        report::human::render(finding, false);
        if let Some(location) = &finding.location {
            location.positions();
        }
    }
    let report = Report {
        findings,
        checked: 3,
        strict: false,
    };
    report::json::render(&report);
    let root = report::root::SourceRoot::find(Path::new("/tmp"), None);
    report::github::render(&report.findings, &root);
    report::sarif::render(&report, &root);
    // The host file parser gets the same text.
    let _ = pluginkit::host::config::parse(manifest, "pluginkit.toml");
}

/// Read `source` (bytes, as any encoding may be declared) as the `__init__.py` of a plugin of
/// each Python flavor, and render what was found.
fn exercise_python(source: &[u8]) {
    let ctx = ReadContext {
        host: HostFacts {
            version: Some(Decided::new(semver::Version::new(3, 12, 1), "a test")),
            ..HostFacts::default()
        },
        ..ReadContext::default()
    };
    let mut files = HashMap::new();
    files.insert("__init__.py".to_owned(), source.to_vec());
    files.insert("README.md".to_owned(), b"# x".to_vec());
    let tree = MemoryTree { files };
    let mut findings: Vec<Finding> = Vec::new();
    for flavor in [None, Some(Flavor::FlaskPluginkit), Some(Flavor::Fastcms)] {
        if let Some(plugin) = read_plugin(&tree, flavor, &ctx) {
            findings.extend(plugin.findings);
        }
    }
    for finding in &findings {
        report::human::render(finding, false);
        if let Some(location) = &finding.location {
            location.positions();
        }
    }
    let report = Report {
        findings,
        checked: 1,
        strict: false,
    };
    report::json::render(&report);
    report::sarif::render(
        &report,
        &report::root::SourceRoot::find(Path::new("/tmp"), None),
    );
}

/// Python sources the way authors write them, right and wrong.
fn python_samples() -> Vec<Vec<u8>> {
    vec![
        b"# -*- coding: utf-8 -*-\n__plugin_name__ = \"Demo\"\n__author__ = \"Mr.tao <>\"\n__version__ = \"0.1.1\"\n__appversion__ = \">=3.0.0, <4.0.0\"\n__state__ = 'disabled'\n\ndef register():\n    return dict(bep=dict(prefix='/x', blueprint=bp))\n".to_vec(),
        b"\xef\xbb\xbf# coding: latin-1\r\n__plugin_name__ = (\r\n  'a' \"b\"\r\n)\r\n__version__, __author__ = '1.0.0', 'Jos\xe9'\r\nfrom .core import register\r\n".to_vec(),
        b"PLUGIN_META = {\n    \"id\": \"hello-world\",  # comment\n    \"name\": f\"Hello {x}\",\n    **BASE,\n    1: 2,\n    'version': '1.0.0',\n}\nif True:\n    PLUGIN_META = None\nasync def register(ctx):\n    pass\n".to_vec(),
        b"__plugin_name__ = '''multi\nline'''\n__version__ = 1.0\nregister = lambda: {}\nclass register: pass\n__version__ += '1'\n[__url__, __license__] = ['u', 'l']\n# coding: gbk\n".to_vec(),
    ]
}

#[test]
fn every_truncation_of_python_sources_is_handled() {
    for sample in python_samples() {
        for cut in 0..=sample.len() {
            exercise_python(&sample[..cut]);
        }
    }
}

/// Real manifests: the FBA corpus and its history, and a native one using every key.
fn samples() -> Vec<String> {
    let mut out = vec![
        "[plugin]\nname = \"notice\"\nversion = \"1.2.0-beta.1+b5\"\nsummary = \"Greets\"\ndescription = \"\"\"\nLong\"\"\"\n\
         author = 'Ada <ada@example.com>'\nlicense = \"MIT\"\nreadme = \"README.md\"\nhomepage = \"https://e.com\"\n\
         state = \"enabled\"\nrequires = \">=2.0, <3\"\n\n[dependencies]\nauth = \"^1.0\"\nx = { version = \"1\" }\n"
            .to_owned(),
    ];
    let corpus = support::corpus();
    for dir in [
        "code_generator",
        "config",
        "dict",
        "email",
        "notice",
        "oauth2",
    ] {
        out.push(std::fs::read_to_string(corpus.join(dir).join("plugin.toml")).unwrap());
    }
    for entry in std::fs::read_dir(corpus.join("notice-plugin.toml-history")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            out.push(std::fs::read_to_string(path).unwrap());
        }
    }
    out
}

#[test]
fn every_truncation_of_real_manifests_is_handled() {
    for sample in samples() {
        for cut in (0..=sample.len()).filter(|i| sample.is_char_boundary(*i)) {
            exercise(&sample[..cut]);
        }
    }
}

#[test]
fn awkward_but_valid_toml_is_handled() {
    for text in [
        "",
        "\u{feff}[plugin]\nname = \"x\"",
        "[plugin]\r\nname = \"notice\"\r\n",
        "plugin = { name = \"notice\", version = \"1.0.0\" }",
        "[[plugin]]\nname = 1",
        "[plugin.name]\n[api]\n[api.\"\"]\n[app]\nrouter = [[], 1, \"\"]",
        "[plugin]\nsummary = \"\"\"\n\n\n\"\"\"\ntags = [\"通知\", 1.5, true, 1979-05-27]",
        "[api]\nnotice = 1\n\"a b\" = { prefix = 3 }\n[settings]\n\"\" = 1\nß = 2",
        "a.b.c.d.e.f = 1\n[app]\nextend = \"\"\n[api.x]\nprefix = \"\"\ntags = \"\"",
    ] {
        exercise(text);
    }
}

fn edit() -> impl Strategy<Value = (usize, String)> {
    (
        any::<usize>(),
        "[\\[\\]{}\"'=.,#\n\r\t a-z0-9_\\\\\u{0}-\u{7f}é通]{0,4}",
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_python_bytes_are_handled(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        exercise_python(&bytes);
    }

    #[test]
    fn random_edits_of_python_sources_are_handled(
        which in 0usize..4,
        edits in prop::collection::vec((any::<usize>(), prop::collection::vec(any::<u8>(), 0..6)), 1..4),
    ) {
        let mut source = python_samples()[which].clone();
        for (at, insert) in edits {
            let at = at % (source.len() + 1);
            if insert.len() % 2 == 0 {
                source.splice(at..at, insert);
            } else {
                let end = (at + insert.len()).min(source.len());
                source.drain(at..end);
            }
        }
        exercise_python(&source);
    }

    #[test]
    fn random_text_is_handled(text in "[\\[\\]{}\"'=.,#\n a-z0-9_-]{0,300}") {
        exercise(&text);
    }

    #[test]
    fn random_edits_of_real_manifests_are_handled(which in 0usize..16, edits in prop::collection::vec(edit(), 1..4)) {
        let samples = samples();
        let mut text = samples[which % samples.len()].clone();
        for (at, insert) in edits {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            // Alternate between inserting and deleting a few characters.
            if insert.len() % 2 == 0 {
                text.insert_str(at, &insert);
            } else {
                let mut end = (at + insert.len()).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.replace_range(at..end, "");
            }
        }
        exercise(&text);
    }
}

#[test]
fn a_manifest_that_is_not_utf8_is_a_finding() {
    let context = TestContext::new();
    let plugin = context.root().join("plugins/latin");
    std::fs::create_dir_all(&plugin).unwrap();
    std::fs::write(
        plugin.join("plugin.toml"),
        b"[plugin]\nname = \"caf\xe9\"\n",
    )
    .unwrap();
    let (code, json) = context.run_json(&["validate", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(json["findings"][0]["code"], "PK0002", "{json:#}");
    assert_eq!(json["findings"][0]["file"], "plugins/latin/plugin.toml");
}

// ---------------------------------------------------------------------------------------------
// Nesting

/// One way to nest: what opens a level and what closes it (empty for a prefix operator), and
/// what chains at the same level (empty when it does not chain).
const NESTINGS: &[(&str, &str)] = &[
    ("(", ")"),
    ("[", "]"),
    ("{'k': ", "}"),
    ("{", "}"),
    ("f(", ")"),
    ("a[", "]"),
    ("f\"{", "}\""),
    ("f'{x:{", "}}'"),
    ("-", ""),
    ("~", ""),
    ("not ", ""),
    ("await ", ""),
    ("lambda: ", ""),
    ("lambda x=", ": 1"),
    ("1 if 1 else ", ""),
    ("2 ** ", ""),
    ("*", ""),
    ("(y := ", ")"),
    ("yield ", ""),
    ("a.b + ", ""),
    ("'s' + ", ""),
    ("x.", ""),
    ("[x for x in ", "]"),
];

/// A tiny deterministic generator (xorshift), so a failing input can be made again from its
/// seed.
struct Rng(u64);

impl Rng {
    fn step(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.step() % n as u64) as usize
    }
}

/// A Flask-PluginKit `__init__.py` whose last statement nests the `picks` (indices into
/// [`NESTINGS`]), optionally inside `blocks` nested `if` blocks.
fn nested_source(picks: &[usize], blocks: usize) -> Vec<u8> {
    let mut text = String::from(
        "__plugin_name__ = \"deep\"\n__version__ = \"1.0.0\"\n__author__ = \"Ada\"\n\ndef register():\n    pass\n\n",
    );
    for level in 0..blocks {
        text.push_str(&" ".repeat(level));
        text.push_str("if x:\n");
    }
    text.push_str(&" ".repeat(blocks));
    text.push_str("x = ");
    for &pick in picks {
        text.push_str(NESTINGS[pick % NESTINGS.len()].0);
    }
    text.push('1');
    for &pick in picks.iter().rev() {
        text.push_str(NESTINGS[pick % NESTINGS.len()].1);
    }
    text.push('\n');
    text.into_bytes()
}

/// Run `f` on a thread with the stack pluginkit's main thread has by default (8 MiB), as the
/// command line would.
fn with_main_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(f)
        .expect("a thread")
        .join()
        .expect("no panic");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Nesting of every kind, mixed, from nothing to ten times what pluginkit reads.
    #[test]
    fn random_nesting_of_python_is_handled(
        picks in prop::collection::vec(0usize..64, 0..2000),
        blocks in 0usize..300,
    ) {
        let source = nested_source(&picks, blocks);
        with_main_stack(move || exercise_python(&source));
    }
}

// ---------------------------------------------------------------------------------------------
// The release build, through the command line

/// The pluginkit the fuzz runs use: `PLUGINKIT_FUZZ_BINARY` when set (`.ci/run` builds it
/// before the tests, so the build does not compete with them for the cores), else a release
/// build made now, once, into `target/fuzz` (apart from cargo's own build folder, whose lock the
/// running `cargo test` may hold). The fuzz runs' cost is then starting processes, not
/// unoptimised parsing.
fn fuzz_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Some(path) = std::env::var_os("PLUGINKIT_FUZZ_BINARY").filter(|p| !p.is_empty()) {
            return PathBuf::from(path);
        }
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let target = repo.join("target/fuzz");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args([
                "build",
                "--release",
                "--locked",
                "--bin",
                "pluginkit",
                "--target-dir",
            ])
            .arg(&target)
            .current_dir(repo)
            .status()
            .expect("run cargo build --release");
        assert!(status.success(), "cargo build --release failed");
        target.join("release/pluginkit")
    })
}

/// Where the seed comes from: `PLUGINKIT_FUZZ_SEED`, else a fixed one (so CI is repeatable; set
/// the variable to explore further).
fn seed(salt: u64) -> u64 {
    let seed = std::env::var("PLUGINKIT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15_u64);
    (seed ^ salt).max(1)
}

/// Run the fuzz binary in `dir` with a 4 MiB stack (half the usual, for a margin), 2 GiB of
/// address space and 30 seconds: an overflow, a runaway allocation or a hang fails the test.
fn fuzz_run(context: &TestContext, dir: &Path, args: &[&str]) -> Outcome {
    let outcome = context
        .pluginkit()
        .binary(fuzz_binary())
        .current_dir(dir)
        .wrapped_in(
            "sh",
            [
                "-c",
                "ulimit -s 4096 && ulimit -v 2097152 && exec \"$0\" \"$@\"",
            ],
        )
        .timeout(Duration::from_secs(30))
        .args(args)
        .output();
    assert!(
        [0, 1, 2].contains(&outcome.code),
        "pluginkit {args:?} in {} exited {}:\n{}",
        dir.display(),
        outcome.code,
        outcome.stderr
    );
    assert!(
        !outcome.stderr.contains("panicked"),
        "pluginkit {args:?} panicked:\n{}",
        outcome.stderr
    );
    outcome
}

/// Hosts of 100 plugins each, whose `__init__.py` nest at random depths up to 20,000 (ten
/// times the 4,000 parentheses is a few tens of KB): `validate` and `list` read all of
/// them in one run each.
#[test]
fn release_fuzz_of_python_nesting() {
    let mut rng = Rng(seed(1));
    for round in 0..10 {
        let host = Host::new();
        host.put(
            "pluginkit.toml",
            b"[host]\nplugins-dir = \"plugins\"\nflavor = \"flask-pluginkit\"\n",
        );
        host.put("plugins/__init__.py", b"");
        for i in 0..100 {
            // Mostly one kind of nesting, at any depth; sometimes a mix.
            let depth = match rng.below(4) {
                0 => rng.below(250),
                1 => rng.below(2_000),
                _ => rng.below(20_000),
            };
            let kinds: Vec<usize> = (0..1 + rng.below(3)).map(|_| rng.below(64)).collect();
            let picks: Vec<usize> = (0..depth).map(|_| kinds[rng.below(kinds.len())]).collect();
            let blocks = if rng.below(8) == 0 { rng.below(400) } else { 0 };
            let mut source = nested_source(&picks, blocks);
            // Sometimes cut it short, or break a byte: unbalanced nesting too.
            if rng.below(4) == 0 {
                let cut = rng.below(source.len() + 1);
                source.truncate(cut);
            }
            if rng.below(4) == 0 && !source.is_empty() {
                let at = rng.below(source.len());
                let pool = b"()[]{}\"'\n\t :-\\";
                source[at] = pool[rng.below(pool.len())];
            }
            host.put(&format!("plugins/p{round}_{i}/__init__.py"), &source);
        }
        fuzz_run(
            host.context(),
            host.root(),
            &["validate", "--format", "json"],
        );
        fuzz_run(host.context(), host.root(), &["list"]);
    }
}

/// Copy the folder `from` to `to` (files and folders only).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Strings that a name or a path in a state file might hold instead of the real one. None leads
/// out of the test's folder (the records-hardening tests cover those, with the guard they need):
/// a fuzz run must never touch anything else.
const ODD_VALUES: &[&str] = &[
    "",
    "x",
    "hello",
    "HELLO",
    "a b",
    "日本",
    "\u{0}",
    "\n",
    ".pluginkit",
    "__pycache__",
    "plugins",
    "plugins/hello",
    "plugins/.pluginkit-staging-zz",
    "-1",
    "1e999",
    "true",
];

/// Mangle `bytes`: a cut, a changed or inserted byte (never `/` or `.`, so no new path can be
/// made), a string swapped for an odd one, a value replaced by deep nesting, or random bytes.
fn mangle(rng: &mut Rng, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let safe = b"\"'{}[]=,:#\\\n 0123456789abcxyz-_\x00\xff";
    match rng.below(6) {
        0 => out.truncate(rng.below(out.len() + 1)),
        1 => {
            for _ in 0..1 + rng.below(4) {
                if out.is_empty() {
                    break;
                }
                let at = rng.below(out.len());
                if out[at] != b'/' && out[at] != b'.' {
                    out[at] = safe[rng.below(safe.len())];
                }
            }
        }
        2 => {
            let at = rng.below(out.len() + 1);
            out.insert(at, safe[rng.below(safe.len())]);
        }
        3 => {
            // Replace the n-th quoted string with an odd value.
            let text = String::from_utf8_lossy(&out).into_owned();
            let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
            if quotes.len() >= 2 {
                let pair = rng.below(quotes.len() / 2) * 2;
                let (start, end) = (quotes[pair], quotes[pair + 1]);
                let odd = ODD_VALUES[rng.below(ODD_VALUES.len())];
                let odd = serde_json::to_string(odd).unwrap();
                out = format!("{}{}{}", &text[..start], odd, &text[end + 1..]).into_bytes();
            }
        }
        4 => {
            // A value nested far deeper than any parser's limit.
            let depth = rng.below(100_000);
            let text = String::from_utf8_lossy(&out).into_owned();
            let at = text
                .find(':')
                .or_else(|| text.find('='))
                .map_or(0, |i| i + 1);
            let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
            out = format!("{}{}{}", &text[..at], deep, &text[at..]).into_bytes();
        }
        _ => {
            out = (0..rng.below(400)).map(|_| rng.step() as u8).collect();
        }
    }
    out
}

/// A host with one installed plugin (its receipt and the lock written by pluginkit), and a
/// journal of a removal in progress, to be mangled.
fn state_template(context: &TestContext) -> PathBuf {
    let root = context.path("template");
    let host = Host::at(context, &root);
    support::native_plugin(&context.path("src"), "hello", "");
    let source = context.path("src/hello").to_string_lossy().into_owned();
    let outcome = fuzz_run(context, &root, &["add", &source]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let staging = host.plugins().join(".pluginkit-staging-zz");
    let journal = serde_json::json!({
        "op": "remove",
        "name": "hello",
        "staging": staging,
        "txn": "zz",
        "had_old": false,
        "backup": true,
        "version": "1.0.0",
        "flavor": "pluginkit",
        "source": "",
        "dependencies": [],
    });
    host.put(
        ".pluginkit/journal.json",
        serde_json::to_string_pretty(&journal).unwrap().as_bytes(),
    );
    root
}

/// Mangled journals, receipts and lock files (issue 14 found a journal that made `list` act on
/// what it named): the commands that read them end with an exit code, never a signal or a hang.
#[test]
fn release_fuzz_of_state_files() {
    let context = TestContext::new();
    let template = state_template(&context);
    let files = [
        ".pluginkit/journal.json",
        ".pluginkit/receipts/hello.json",
        "pluginkit.lock",
        ".pluginkit/lock",
    ];
    let originals: Vec<Vec<u8>> = files
        .iter()
        .map(|rel| std::fs::read(template.join(rel)).unwrap_or_default())
        .collect();
    let commands: [&[&str]; 4] = [
        &["list"],
        &["verify"],
        &["sync", "--dry-run"],
        &["restore", "--list"],
    ];
    let mut rng = Rng(seed(2));
    for case in 0..250 {
        let dir = context.path(&format!("case{case}"));
        copy_tree(&template, &dir);
        let which = rng.below(files.len());
        let mangled = mangle(&mut rng, &originals[which]);
        std::fs::write(dir.join(files[which]), &mangled).unwrap();
        // Without the journal most runs would only finish the removal it describes.
        if which != 0 && rng.below(2) == 0 {
            let _ = std::fs::remove_file(dir.join(files[0]));
        }
        let args = commands[rng.below(commands.len())];
        fuzz_run(&context, &dir, args);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
