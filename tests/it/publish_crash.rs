//! The crash test of `pluginkit registry publish`: killed with SIGKILL at each named step
//! (`publish-copying`: the package in its file without a name; `publish-copied`: in place;
//! `publish-indexed`: its index written; `publish-searched`: search.json written). After every
//! kill the registry is consistent for its readers, who never lock: every version an index
//! lists has its whole package, and search.json names only versions the indexes list. The next
//! publish (the same package again, or another one) then leaves no temporary file anywhere a
//! static server would serve it and a search.json that says what the indexes do, and a client
//! installs the newest version from it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::install::{Host, package};
use crate::support::{Pluginkit, TestContext};

const STEPS: &[&str] = &[
    "publish-copying",
    "publish-copied",
    "publish-indexed",
    "publish-searched",
];
const ROUNDS_PER_STEP: usize = 2;
const REPAIRED: &str = "search.json did not say what the indexes do";
const ADOPTED: &str = "was left by a publish that did not finish";

struct Lab {
    context: TestContext,
}

impl Lab {
    fn new() -> Lab {
        Lab {
            context: TestContext::new(),
        }
    }

    fn registry(&self) -> PathBuf {
        self.context.path("reg")
    }

    /// Write the package of `name` `version` and return its file name.
    fn put(&self, name: &str, version: &str) -> String {
        let file = format!("{name}-{version}.zip");
        std::fs::write(self.context.path(&file), package(name, version, |_| {}))
            .expect("write the package");
        file
    }

    fn publish(&self, zip: &str) -> Pluginkit {
        self.context
            .pluginkit()
            .args(["registry", "publish", zip, "--dir", "reg"])
    }

    fn published(&self, zip: &str) {
        let outcome = self.publish(zip).output();
        assert_eq!(outcome.code, 0, "publish {zip}: {}", outcome.stderr);
    }
}

fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every index in the registry: name -> its versions' entries.
fn indexes(registry: &Path) -> BTreeMap<String, Vec<Value>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(registry.join("index")).expect("index/") {
        let entry = entry.expect("an entry");
        let file = entry.file_name().to_string_lossy().into_owned();
        // Hidden files are writes in progress, which readers never ask for.
        if file.starts_with('.') {
            continue;
        }
        let index = read_json(&entry.path());
        let name = file.strip_suffix(".json").expect("NAME.json").to_owned();
        assert_eq!(index["name"], name.as_str(), "{file}");
        let versions = index["versions"].as_array().expect("versions").clone();
        out.insert(name, versions);
    }
    out
}

/// What readers see is whole: every listed version's package is there with its size and
/// sha256, and search.json names only listed versions. Returns the versions listed per plugin.
fn assert_readable(registry: &Path, context: &str) -> BTreeMap<String, Vec<String>> {
    let indexes = indexes(registry);
    let mut listed = BTreeMap::new();
    for (name, versions) in &indexes {
        for version in versions {
            let url = version["url"].as_str().expect("a url");
            let bytes = std::fs::read(registry.join(url)).unwrap_or_else(|e| {
                panic!("{context}: {name} lists {url}, which is not there: {e}")
            });
            assert_eq!(
                bytes.len() as u64,
                version["size"].as_u64().expect("a size"),
                "{context}: {url} is not whole"
            );
            let sha256: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(sha256, version["sha256"], "{context}: {url}'s sha256");
        }
        listed.insert(
            name.clone(),
            versions
                .iter()
                .map(|v| v["version"].as_str().expect("a version").to_owned())
                .collect(),
        );
    }
    let search = registry.join("search.json");
    if search.exists() {
        for entry in read_json(&search)["plugins"].as_array().expect("plugins") {
            let name = entry["name"].as_str().expect("a name");
            let version = entry["version"].as_str().expect("a version");
            assert!(
                listed
                    .get(name)
                    .is_some_and(|v: &Vec<String>| v.iter().any(|l| l == version)),
                "{context}: search.json names {name} {version}, which no index lists"
            );
        }
    }
    listed
}

/// After a publish that ran to its end: search.json says exactly what the indexes do (the
/// highest version of each), and no temporary file is left anywhere in the registry.
fn assert_repaired(registry: &Path, context: &str) {
    let listed = assert_readable(registry, context);
    let search: Vec<(String, String)> = read_json(&registry.join("search.json"))["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .map(|e| {
            (
                e["name"].as_str().expect("a name").to_owned(),
                e["version"].as_str().expect("a version").to_owned(),
            )
        })
        .collect();
    let latest: Vec<(String, String)> = listed
        .iter()
        .map(|(name, versions)| {
            let highest = versions
                .iter()
                .max_by_key(|v| semver::Version::parse(v).expect("SemVer"))
                .expect("a version");
            (name.clone(), highest.clone())
        })
        .collect();
    assert_eq!(search, latest, "{context}: search.json");
    let left = temporary_files(registry);
    assert!(left.is_empty(), "{context}: left in the registry: {left:?}");
}

/// pluginkit's temporary files anywhere in the registry (its lock file is not one).
fn temporary_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("a folder")
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(temporary_files(&path));
        } else if name.starts_with(".pluginkit-") && name != ".pluginkit-registry.lock" {
            found.push(path);
        }
    }
    found
}

#[test]
fn publish_killed_anywhere_leaves_a_registry_its_readers_can_use() {
    let lab = Lab::new();
    let registry = lab.registry();
    lab.published(&lab.put("hello", "1.0.0"));
    lab.published(&lab.put("other", "1.0.0"));
    let mut minor = 0;
    let mut other_minor = 0;
    for step in STEPS {
        for round in 0..ROUNDS_PER_STEP {
            minor += 1;
            let version = format!("1.{minor}.0");
            let zip = lab.put("hello", &version);
            lab.publish(&zip).spawn_paused(step).kill();
            let what = format!("publish hello {version} killed at {step}");

            let listed = assert_readable(&registry, &what);
            let indexed = listed["hello"].contains(&version);
            assert_eq!(
                indexed,
                matches!(*step, "publish-indexed" | "publish-searched"),
                "{what}: hello's index lists {:?}",
                listed["hello"]
            );

            // Where each step leaves the registry.
            let package = registry.join(format!("files/hello/hello-{version}.zip"));
            let searched = read_json(&registry.join("search.json"))["plugins"]
                .as_array()
                .expect("plugins")
                .iter()
                .any(|e| e["name"] == "hello" && e["version"] == version.as_str());
            match *step {
                // The copy has no name until it is complete (O_TMPFILE): nothing is left.
                "publish-copying" => assert!(
                    !package.exists() && temporary_files(&registry).is_empty(),
                    "{what}: the package being copied has a name: {:?}",
                    temporary_files(&registry)
                ),
                "publish-copied" => assert!(package.exists(), "{what}: no package"),
                "publish-indexed" => assert!(!searched, "{what}: search.json lists it"),
                _ => assert!(searched, "{what}: search.json does not list it"),
            }

            // The next publish: the same package again, or (every other round) another one.
            let next = if round % 2 == 0 {
                lab.publish(&zip).output()
            } else {
                other_minor += 1;
                lab.publish(&lab.put("other", &format!("1.{other_minor}.0")))
                    .output()
            };
            let context = format!("{what}, then publishing again");
            if round % 2 == 0 {
                if indexed {
                    assert_eq!(next.code, 1, "{context}: {}", next.stderr);
                    assert!(
                        next.stderr.contains("is already published"),
                        "{context}: {}",
                        next.stderr
                    );
                } else {
                    assert_eq!(next.code, 0, "{context}: {}", next.stderr);
                }
                assert_eq!(
                    next.stderr.contains(ADOPTED),
                    *step == "publish-copied",
                    "{context}: {}",
                    next.stderr
                );
            } else {
                assert_eq!(next.code, 0, "{context}: {}", next.stderr);
            }
            assert_eq!(
                next.stderr.contains(REPAIRED),
                *step == "publish-indexed",
                "{context}: {}",
                next.stderr
            );
            assert_repaired(&registry, &context);
        }
    }

    // A client installs the newest version of each from what is left.
    let client = Host::at(&lab.context, &lab.context.path("client"));
    std::fs::write(
        client.path("pluginkit.toml"),
        format!(
            "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{}\"\n",
            registry.display()
        ),
    )
    .expect("write the client's pluginkit.toml");
    let (code, _, stderr) = client.run(&["add", "hello", "other"]);
    assert_eq!(code, 0, "{stderr}");
    let locked: Vec<String> = crate::support::install::locked(client.root())
        .into_iter()
        .map(|(name, version)| format!("{name} {version}"))
        .collect();
    assert_eq!(
        locked,
        [
            format!("hello 1.{minor}.0"),
            format!("other 1.{other_minor}.0")
        ]
    );
}

/// What a publish killed after writing its index leaves (a search.json without the new
/// version, and temporary files in the registry) is repaired by the next publish under the
/// registry's lock, even one that refuses its own package.
#[test]
fn the_next_publish_repairs_what_an_interrupted_one_left() {
    let lab = Lab::new();
    let registry = lab.registry();
    lab.published(&lab.put("hello", "1.0.0"));
    let stale = std::fs::read(registry.join("search.json")).expect("search.json");
    let zip = lab.put("hello", "1.1.0");
    lab.published(&zip);
    // As a publish killed between the index and search.json, inside writes, leaves it.
    std::fs::write(registry.join("search.json"), stale).expect("search.json");
    for left in [
        "files/hello/.pluginkit-publish-x1Yz2A",
        "index/.pluginkit-write-x1Yz2A",
        ".pluginkit-write-x1Yz2A",
    ] {
        std::fs::write(registry.join(left), "half").expect("a temporary file");
    }

    let again = lab.publish(&zip).output();
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again.stderr.contains("is already published"),
        "{}",
        again.stderr
    );
    assert!(again.stderr.contains(REPAIRED), "{}", again.stderr);
    assert_repaired(&registry, "publishing 1.1.0 again");
}
