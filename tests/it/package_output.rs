//! `package -o`: the folders it names are made (parents too), and a package is never written
//! inside the plugin it packages, whether `-o` or the default place puts it there; refused with
//! nothing written.

use std::path::Path;

use crate::support::{TestContext, native_plugin};

/// Every file and folder under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    found
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn o_makes_the_folders_it_names_and_none_when_the_plugin_is_refused() {
    let context = TestContext::new();
    native_plugin(context.root(), "hello", "");

    let (code, stdout, stderr) = context.run(&["package", "hello", "-o", "dist/"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("path    dist/hello-1.0.0.zip\n"),
        "{stdout}"
    );
    assert!(context.path("dist/hello-1.0.0.zip").is_file());

    let (code, stdout, stderr) = context.run(&["package", "hello", "-o", "out/a/b/x.zip"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("path    out/a/b/x.zip\n"), "{stdout}");
    assert!(context.path("out/a/b/x.zip").is_file());

    // A plugin refused (no author) leaves no folder behind.
    crate::support::write(
        &context.path("bad"),
        "plugin.toml",
        "[plugin]\nname = \"bad\"\nversion = \"1.0.0\"\nsummary = \"x\"\n",
    );
    let before = tree(context.root());
    let (code, _, stderr) = context.run(&["package", "bad", "-o", "new/dist/"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(tree(context.root()), before);
}

#[test]
fn o_inside_the_plugin_is_refused_with_nothing_written() {
    let context = TestContext::new();
    let plugin = native_plugin(context.root(), "hello", "");
    let before = tree(context.root());

    for out in [
        "hello/dist/",
        "hello/x.zip",
        "hello/sub/../y.zip",
        "./hello",
    ] {
        let (code, stdout, stderr) = context.run(&["package", "hello", "-o", out]);
        assert_eq!(code, 1, "-o {out}: {stderr}");
        assert_eq!(stdout, "");
        assert!(
            stderr.contains("would be written inside the plugin hello it packages"),
            "-o {out}: {stderr}"
        );
        assert!(
            stderr.contains("hint: give -o a place outside the plugin folder"),
            "{stderr}"
        );
        assert_eq!(tree(context.root()), before, "-o {out}");
    }

    // Run inside the plugin without -o, the default place (the working folder) is inside too.
    let (code, _, stderr) = context.run_in(&plugin, &["package"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        "error: the package hello-1.0.0.zip would be written inside the plugin . it packages\n\
         hint: give -o a place outside the plugin folder (e.g. -o ../dist/), or run `pluginkit package hello` from the folder above\n"
    );
    assert_eq!(tree(context.root()), before);

    // From there, a place outside is fine.
    let (code, stdout, stderr) = context.run_in(&plugin, &["package", "-o", "../dist/"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("path    ../dist/hello-1.0.0.zip\n"),
        "{stdout}"
    );
}
