//! README.md stays true: its first command works on the example host, and its rule table lists
//! every rule with its name and severity.

use std::path::Path;

use pluginkit::findings::rules;

use crate::support::TestContext;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

#[test]
fn the_first_command_works_on_the_example_host() {
    assert!(readme().contains("cargo install --path . && pluginkit -C tests/fixtures/host list"));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let context = TestContext::new();
    let (code, stdout, stderr) = context.run_in(repo, &["-C", "tests/fixtures/host", "list"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        readme().contains(&stdout),
        "README's tour shows other output than:\n{stdout}"
    );
    let (code, stdout, _) =
        context.run_in(repo, &["-C", "tests/fixtures/host", "validate", "--strict"]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn every_rule_is_documented() {
    let readme = readme();
    for rule in rules::ALL {
        // The row's anchor is the rule's SARIF helpUri (findings/render/sarif.rs).
        let row = format!(
            "| <a id=\"{}\"></a>`{}` | `{}` | {} |",
            rule.code.to_ascii_lowercase(),
            rule.code,
            rule.name,
            rule.severity
        );
        assert!(
            readme.contains(&row),
            "README.md lacks the row for {}: {row}",
            rule.code
        );
    }
}

#[test]
fn every_rules_sarif_help_uri_is_an_anchor_of_the_readme() {
    let readme = readme();
    let context = TestContext::new();
    let (_, sarif) = context.run_json(&["validate", "--format", "sarif"]);
    let driver = &sarif["runs"][0]["tool"]["driver"];
    let home = driver["informationUri"].as_str().unwrap();
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(&format!("repository = \"{home}\"")),
        "informationUri {home} is not Cargo.toml's repository"
    );
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), rules::ALL.len());
    for rule in rules {
        let uri = rule["helpUri"].as_str().unwrap();
        let anchor = uri
            .strip_prefix(&format!("{home}#"))
            .unwrap_or_else(|| panic!("{uri} is no anchor of {home}'s README"));
        assert_eq!(
            readme.matches(&format!("<a id=\"{anchor}\"></a>")).count(),
            1,
            "README.md has no single anchor {anchor} for {}",
            rule["id"]
        );
    }
}
