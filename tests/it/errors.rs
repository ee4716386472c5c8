//! How failures reach the user (README.md, "Exit codes and colour"): an error shows its causes as
//! `Caused by:` lines; `--quiet` never hides an error; a `pluginkit.toml` that cannot be read
//! exits 2; and the commands that check a plugin before they act on it (`add`, `package`, `new`,
//! `registry publish`) draw its findings alike.

use std::io::Write;

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::support::{TestContext, write};

/// A plugin's manifest with an error (a version that is not SemVer, PK0203) and a warning (no
/// license, PK0206).
const BROKEN: &str =
    "[plugin]\nname = \"hello\"\nversion = \"1.0\"\nsummary = \"Hi\"\nauthor = \"Ada\"\n";

/// A registry folder holding `hello` 1.0.0, and a host whose default registry it is, with
/// `hello` installed from it.
fn host_with_a_registry_plugin() -> TestContext {
    let context = TestContext::new();
    let root = context.root();
    write(
        root,
        "pluginkit.toml",
        "[registries.default]\nindex = \"reg\"\n",
    );
    std::fs::create_dir_all(root.join("plugins")).unwrap();
    std::fs::write(
        root.join("hello-1.0.0.zip"),
        crate::support::registry::Plugin::new("hello", "1.0.0").zip(),
    )
    .unwrap();
    for args in [
        &["registry", "publish", "hello-1.0.0.zip", "--dir", "reg"][..],
        &["add", "hello"],
    ] {
        let (code, _, stderr) = context.run(args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
    context
}

#[test]
fn a_failure_shows_its_causes() {
    let context = TestContext::new();
    std::fs::create_dir_all(context.root().join("plugins")).unwrap();

    // A git repository that is not there: what libgit2 said, under what pluginkit made of it.
    let missing = format!("file://{}/missing.git", context.root().display());
    let mut session = context.run_transcript(&["add", &missing]);

    // A registry whose index is not JSON: where, and what the JSON parser said.
    let registry = host_with_a_registry_plugin();
    write(registry.root(), "reg/index/hello.json", "{ not json");
    session.push_str(&registry.run_transcript(&["add", "hello", "--force"]));

    // A pluginkit.toml that is not UTF-8: the file, then the reason (and exit 2).
    std::fs::write(context.root().join("pluginkit.toml"), b"[host]\n\xff\n").unwrap();
    session.push_str(&context.run_transcript(&["list"]));

    // A sync: which entry could not be installed, then why; and as its lock has it.
    let sync = TestContext::new();
    let gone = format!("file://{}/gone.git", sync.root().display());
    write(
        sync.root(),
        "pluginkit.toml",
        &format!("[plugins]\ngone = {{ git = \"{gone}\", tag = \"v1.0.0\" }}\n"),
    );
    write(
        sync.root(),
        "pluginkit.lock",
        &format!(
            "version = 1\n\n[[plugin]]\nname = \"gone\"\nversion = \"1.0.0\"\nsource = \"git+{gone}?tag=v1.0.0#0123456789abcdef0123456789abcdef01234567\"\ntree = \"sha256:{}\"\n",
            "0".repeat(64)
        ),
    );
    session.push_str(&sync.run_transcript(&["sync"]));
    session.push_str(&sync.run_transcript(&["sync", "--locked"]));
    insta::assert_snapshot!(session);

    // A download with nothing listening: down to the operating system's word for it.
    std::fs::remove_file(context.root().join("pluginkit.toml")).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("http://127.0.0.1:{port}/hello-1.0.0.zip");
    let (code, _, stderr) = context
        .pluginkit()
        .env("PLUGINKIT_HTTP_RETRY_DELAY_MS", "1")
        .args(["add", &url])
        .run();
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("warning:"))
        .collect();
    assert_eq!(lines[0], format!("error: cannot install {url}"), "{stderr}");
    assert_eq!(
        lines[1],
        format!("  Caused by: cannot download {url} (tried 4 times)"),
        "{stderr}"
    );
    assert_eq!(lines[2], "  Caused by: cannot connect", "{stderr}");
    assert!(
        lines[3..]
            .iter()
            .any(|l| l.starts_with("  Caused by: ") && l.contains("Connection refused")),
        "{stderr}"
    );
    assert!(
        lines.last().unwrap().starts_with("hint: check the network"),
        "{stderr}"
    );
}

#[test]
fn quiet_never_hides_an_error() {
    // What ends the command.
    let context = TestContext::new();
    std::fs::create_dir(context.path("plugins")).unwrap();
    let (code, stdout, stderr) = context.run(&["-q", "add", "nothing.zip"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.starts_with(
            "error: cannot install nothing.zip\n  Caused by: nothing.zip: no such file\n"
        ),
        "{stderr}"
    );

    // A source that cannot be asked, among others that can: outdated and upgrade go on, say it
    // as an error, and exit 1.
    let host = host_with_a_registry_plugin();
    write(host.root(), "reg/index/hello.json", "{ not json");
    for command in ["outdated", "upgrade"] {
        let (code, _, stderr) = host.run(&["-q", command]);
        assert_eq!(code, 1, "{command}: {stderr}");
        assert!(
            stderr.starts_with(
                "error: cannot check hello\n  Caused by: cannot read the index of `hello` from "
            ),
            "{command}: {stderr}"
        );
        assert!(
            stderr.contains("\nhint: the registry's file is damaged"),
            "{stderr}"
        );
    }

    // Findings: the error is drawn, the warning is not.
    let context = TestContext::new();
    write(context.root(), "hello/plugin.toml", BROKEN);
    write(context.root(), "hello/README.md", "# hello\n");
    let (code, _, stderr) = context.run(&["-q", "package", "hello"]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error[PK0203]"), "{stderr}");
    assert!(!stderr.contains("PK0206"), "{stderr}");
    assert!(
        stderr.contains("error: the plugin has 1 error, so nothing was packaged"),
        "{stderr}"
    );
}

#[test]
fn a_configuration_that_cannot_be_read_exits_2() {
    let context = TestContext::new();
    std::fs::create_dir_all(context.root().join("plugins")).unwrap();
    native_plugin(&context);
    let commands: [&[&str]; 7] = [
        &["list"],
        &["list", "--format", "json"],
        &["validate", "plugins/hello"],
        &["add", "src/other"],
        &["sync"],
        &["outdated"],
        &["status"],
    ];
    for config in [
        "[host]\nplugin-dir = \"p\"\n".as_bytes(),
        b"[host]\nversion = \"2.4\"\n",
        b"[host\n",
        b"[host]\n\xff\n",
    ] {
        std::fs::write(context.root().join("pluginkit.toml"), config).unwrap();
        for args in commands {
            let (code, stdout, stderr) = context.run(args);
            assert_eq!(code, 2, "{args:?} with {config:?}: {stdout}\n{stderr}");
            if args.contains(&"json") {
                // A machine format gets the document of the run that could not start.
                let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(json["error"]["exit_code"], 2, "{args:?}: {stdout}");
            } else {
                assert!(stdout.is_empty(), "{args:?}: {stdout}");
            }
            assert!(stderr.contains("pluginkit.toml"), "{args:?}: {stderr}");
        }
    }

    // A [plugins] entry pluginkit cannot read stops what reads [plugins] (exit 2), and not the
    // commands that do not need it.
    write(
        context.root(),
        "pluginkit.toml",
        "[plugins]\nhello = { gti = \"https://example.com/hello.git\" }\n",
    );
    let (code, _, stderr) = context.run(&["sync"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with("error[PK0004]: [plugins] hello"),
        "{stderr}"
    );
    let (code, _, stderr) = context.run(&["list"]);
    assert_eq!(code, 0, "{stderr}");
}

fn native_plugin(context: &TestContext) {
    crate::support::native_plugin(&context.root().join("plugins"), "hello", "");
    crate::support::native_plugin(&context.root().join("src"), "other", "");
}

/// The findings a command drew on stderr, with the file each is in named alike (each command
/// names the plugin where it found it: a folder, a package, what `new` wrote), and the error
/// after them.
fn findings_of(stderr: &str) -> (String, &str) {
    let at = stderr
        .rfind("\nerror: ")
        .unwrap_or_else(|| panic!("no error after the findings:\n{stderr}"));
    let file = regex::Regex::new(r" --> \S*plugin\.toml:").unwrap();
    let findings = file
        .replace_all(&stderr[..=at], " --> [FILE]:")
        .into_owned();
    (findings, &stderr[at + 1..])
}

#[test]
fn findings_look_alike_in_add_package_new_and_publish() {
    let context = TestContext::new();
    let root = context.root();
    std::fs::create_dir_all(root.join("plugins")).unwrap();
    write(root, "src/hello/plugin.toml", BROKEN);
    write(root, "src/hello/README.md", "# hello\n");
    // The same plugin as a package.
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in [
        ("hello/plugin.toml", BROKEN),
        ("hello/README.md", "# hello\n"),
    ] {
        zip.start_file(name, SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    std::fs::write(root.join("hello.zip"), zip.finish().unwrap().into_inner()).unwrap();
    // And as what a template makes.
    write(
        root,
        "tpl/template.toml",
        "[template]\nflavor = \"pluginkit\"\n",
    );
    write(root, "tpl/plugin.toml", BROKEN);
    write(root, "tpl/README.md", "# hello\n");

    let runs: [(&[&str], &str); 4] = [
        (
            &["add", "./src/hello"],
            "error: cannot install src/hello\n  Caused by: refusing to install src/hello: 1 error\n",
        ),
        (
            &["package", "src/hello"],
            "error: the plugin has 1 error, so nothing was packaged\n",
        ),
        (
            &[
                "new",
                "hello",
                "--template",
                "tpl",
                "-o",
                "out/hello",
                "--no-git",
            ],
            "error: the plugin was written to out/hello, but its template made a plugin with 1 error (above); fix them there\n",
        ),
        (
            &["registry", "publish", "hello.zip", "--dir", "reg"],
            "error: hello.zip has 1 error, so nothing was published\n",
        ),
    ];
    for quiet in [false, true] {
        let mut seen: Option<String> = None;
        for (args, ends) in runs {
            let _ = std::fs::remove_dir_all(root.join("out"));
            let mut all = if quiet { vec!["-q"] } else { vec![] };
            all.extend_from_slice(args);
            let (code, _, stderr) = context.run(&all);
            assert_eq!(code, 1, "{all:?}: {stderr}");
            let (findings, error) = findings_of(&stderr);
            assert!(error.starts_with(ends), "{all:?}:\n{stderr}");
            assert!(findings.contains("error[PK0203]"), "{all:?}:\n{stderr}");
            assert_eq!(
                findings.contains("warning[PK0206]"),
                !quiet,
                "{all:?}:\n{stderr}"
            );
            match &seen {
                None => seen = Some(findings),
                Some(first) => assert_eq!(&findings, first, "{all:?} draws them otherwise"),
            }
        }
    }
}
