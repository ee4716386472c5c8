//! `list` fits the terminal: the SOURCE column says where a plugin came from in a few words
//! (`git v0.1.0 (0f883e7)`, `registry default`, `zip dist/x.zip`, `path ../x`), never the whole
//! `git+file:///…?tag=…#<40 hex>` the lock keeps (JSON and CSV keep it), and at 80 columns
//! (`COLUMNS=80`) every row is one line of at most 80 columns, long cells cut with `…`.

use crate::support::git::{Workspace, file_url};
use crate::support::install::Host;
use crate::support::registry::{Plugin, RegistryDir};
use crate::support::{TestContext, native_plugin};

/// A host in `app/` with four plugins, one from each kind of source: `hello` from the registry
/// `default`, `auth` from a git tag, `report` from a ZIP file in `dist/`, `local_tool` copied
/// from `../src/local_tool`. Returns the host and the git commit `auth` was installed at.
fn host_with_four_sources(context: &TestContext, workspace: &Workspace) -> (Host, String) {
    let reg = RegistryDir::new(context, &context.path("reg"), &context.path("packages"));
    reg.publish(
        &Plugin::new("hello", "1.0.0")
            .summary("Greets every visitor of the site in their own language, with a long summary"),
    );
    let host = Host::at(context, &context.path("app"));
    host.put(
        "pluginkit.toml",
        format!(
            "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{}\"\n",
            context.path("reg").display()
        )
        .as_bytes(),
    );
    let repo = workspace.repo("a/rather/long/path/to/the/repositories/auth");
    repo.plugin("", "auth", "0.1.0");
    let commit = repo.commit("auth 0.1.0");
    repo.tag("v0.1.0");
    native_plugin(&context.path("pkg"), "report", "");
    native_plugin(&context.path("src"), "local_tool", "");
    std::fs::create_dir(host.path("dist")).unwrap();

    let url = file_url(&repo.dir);
    let steps: [&[&str]; 5] = [
        &["add", "hello"],
        &["add", &url, "--tag", "v0.1.0"],
        &["package", "../pkg/report", "-o", "dist/"],
        &["add", "./dist/report-1.0.0.zip"],
        &["add", "../src/local_tool"],
    ];
    for args in steps {
        let (code, _, stderr) = host.run(args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
    (host, commit)
}

#[test]
fn sources_are_shown_short_and_json_keeps_them_whole() {
    let context = TestContext::new();
    let workspace = Workspace::new();
    let (host, commit) = host_with_four_sources(&context, &workspace);

    let (code, stdout, stderr) = host.run(&["list"]);
    assert_eq!(code, 0, "{stderr}");
    let row = |name: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row for {name}:\n{stdout}"))
            .to_owned()
    };
    assert!(
        row("auth").contains(&format!("  git v0.1.0 ({})  ", &commit[..7])),
        "{stdout}"
    );
    assert!(row("hello").contains("  registry default  "), "{stdout}");
    assert!(
        row("report").contains("  zip dist/report-1.0.0.zip  "),
        "{stdout}"
    );
    assert!(
        row("local_tool").contains("  path ../src/local_tool  "),
        "{stdout}"
    );
    assert!(!stdout.contains("git+"), "{stdout}");

    let (code, json) = host.run_json(&["list", "--format", "json"]);
    assert_eq!(code, 0);
    let source = |name: &str| {
        json["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["source"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        source("auth"),
        format!(
            "git+{}?tag=v0.1.0#{commit}",
            file_url(
                &workspace
                    .root()
                    .join("a/rather/long/path/to/the/repositories/auth")
            )
        )
    );
    assert!(source("hello").starts_with("registry+file://"), "{json}");
    assert_eq!(source("report"), "zip+./dist/report-1.0.0.zip");
    assert_eq!(source("local_tool"), "path+../src/local_tool");
}

#[test]
fn at_80_columns_every_row_is_one_line() {
    let context = TestContext::new();
    let workspace = Workspace::new();
    let (host, _) = host_with_four_sources(&context, &workspace);

    for columns in ["80", "100"] {
        let (code, stdout, stderr) = host
            .pluginkit()
            .env("COLUMNS", columns)
            .args(["list"])
            .run();
        assert_eq!(code, 0, "{stderr}");
        let limit: usize = columns.parse().unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 5, "a header and four rows:\n{stdout}");
        for line in &lines {
            assert!(
                line.chars().count() <= limit,
                "{} columns wide at COLUMNS={columns}:\n{line}\n\n{stdout}",
                line.chars().count()
            );
        }
        for name in ["auth", "hello", "local_tool", "report"] {
            assert!(
                lines.iter().any(|l| l.starts_with(&format!("{name} "))),
                "{stdout}"
            );
        }
        // What was cut shows it.
        assert!(stdout.contains('…'), "{stdout}");
    }

    // Without a width (a pipe, no COLUMNS), nothing is cut.
    let (_, stdout, _) = host.run(&["list"]);
    assert!(!stdout.contains('…'), "{stdout}");
    assert!(
        stdout.contains(
            "Greets every visitor of the site in their own language, with a long summary"
        ),
        "{stdout}"
    );
}

#[test]
fn outdated_shows_compat_and_latest_and_marks_a_yanked_install() {
    let context = TestContext::new();
    let reg = RegistryDir::new(&context, &context.path("reg"), &context.path("packages"));
    reg.publish(&Plugin::new("hello", "1.0.0"));
    reg.publish(&Plugin::new("greeter", "0.3.0"));
    let host = Host::at(&context, &context.path("app"));
    host.put(
        "pluginkit.toml",
        format!(
            "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{}\"\n",
            context.path("reg").display()
        )
        .as_bytes(),
    );
    for args in [["add", "hello@^1"], ["add", "greeter@^0.3"]] {
        let (code, _, stderr) = host.run(&args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
    // Newer versions within the requirement and beyond it; the installed greeter is yanked.
    reg.publish(&Plugin::new("hello", "1.1.0"));
    reg.publish(&Plugin::new("hello", "2.0.0"));
    reg.publish(&Plugin::new("greeter", "0.3.1"));
    reg.publish(&Plugin::new("greeter", "0.4.0"));
    reg.yank("greeter@0.3.0");

    let (code, stdout, stderr) = host.run(&["outdated"]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["NAME", "INSTALLED", "COMPAT", "LATEST", "SOURCE"],
        "{stdout}"
    );
    let row = |name: &str| -> Vec<String> {
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row for {name}:\n{stdout}"));
        line.split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect()
    };
    // SOURCE in a few words, as `list` has it: the registry by its name, not its whole URL.
    assert_eq!(
        row("hello"),
        ["hello", "1.0.0", "1.1.0", "2.0.0", "registry default"],
        "{stdout}"
    );
    assert_eq!(
        row("greeter"),
        [
            "greeter",
            "0.3.0 (yanked)",
            "0.3.1",
            "0.4.0",
            "registry default"
        ],
        "{stdout}"
    );
    assert!(
        stderr.contains("warning: the installed version of greeter is yanked from its registry"),
        "{stderr}"
    );

    let (code, json) = host.run_json(&["outdated", "--format", "json"]);
    assert_eq!(code, 0);
    let plugin = |name: &str| {
        json["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()
            .clone()
    };
    let hello = plugin("hello");
    assert_eq!(
        (&hello["compat"], &hello["newest"], &hello["yanked"]),
        (&"1.1.0".into(), &"2.0.0".into(), &false.into()),
        "{json}"
    );
    let greeter = plugin("greeter");
    assert_eq!(
        (&greeter["compat"], &greeter["newest"], &greeter["yanked"]),
        (&"0.3.1".into(), &"0.4.0".into(), &true.into()),
        "{json}"
    );
}
