//! No input makes pluginkit panic: random text, every truncation of real manifests, and random
//! edits of them go through the readers and every renderer.

use std::collections::HashMap;
use std::io;

use proptest::prelude::*;

use pluginkit::findings::Finding;
use pluginkit::findings::{render as report, report::Report};
use pluginkit::plugin::flavor::Flavor;
use pluginkit::plugin::tree::Tree;
use pluginkit::plugin::{ReadContext, read_plugin};

use crate::support::{self, TestContext};

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
}

/// Read `manifest` as each flavor (and detected), and render whatever was found in every format.
fn exercise(manifest: &str) {
    let ctx = ReadContext {
        host_version: Some(semver::Version::new(2, 4, 0)),
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
    report::github::render(&report.findings);
    report::sarif::render(&report, std::path::Path::new("/tmp"));
    // The host file parser gets the same text.
    let _ = pluginkit::host::config::parse(manifest, "pluginkit.toml");
}

/// Read `source` (bytes, as any encoding may be declared) as the `__init__.py` of a plugin of
/// each Python flavor, and render what was found.
fn exercise_python(source: &[u8]) {
    let ctx = ReadContext {
        host_version: Some(semver::Version::new(3, 12, 1)),
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
    report::sarif::render(&report, std::path::Path::new("/tmp"));
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
