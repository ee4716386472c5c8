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
        let row = format!("| `{}` | `{}` | {} |", rule.code, rule.name, rule.severity);
        assert!(
            readme.contains(&row),
            "README.md lacks the row for {}: {row}",
            rule.code
        );
    }
}
