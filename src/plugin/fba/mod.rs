//! The `fba` flavor: FastAPI Best Architecture's `plugin.toml` and plugin folder, checked as the
//! host's own code does at the host's version: its validator (`backend/plugin/validator.py`,
//! from 1.13.0) and its loader (`backend/plugin/tools.py`, `core.py`: which tables it reads and
//! which files it imports). Which of those rules a version applies is [`versions::FbaRules`];
//! DESIGN.md "Flavors" lists them.

mod app;
mod plugin_info;

pub(crate) use plugin_info::is_fba_version;
mod versions;

use std::sync::Arc;

use crate::findings::rules;
use crate::findings::{Finding, Location, SourceFile};
use crate::plugin::flavor::ManifestText;
use crate::plugin::host::HostKind;
use crate::plugin::toml_check::Checker;
use crate::plugin::tree::Tree;
use crate::plugin::{Metadata, Read, ReadContext};
use app::{extend_key, read_api, read_app_table};
use plugin_info::{DATABASES, plugin_table, read_plugin_table};
use versions::FbaRules;

const ROOT_KEYS: &[&str] = &["plugin", "app", "api", "settings"];
/// `[app] include` was FBA's name for `extend` until 1.6.0 (read, with a warning, until 1.10.x).
const RENAMED: &[(&str, &str)] = &[("include", "extend"), ("dependencies", "depends_on")];

const SQL_SCRIPTS: &[&str] = &[
    "init.sql",
    "destroy.sql",
    "init_snowflake.sql",
    "destroy_snowflake.sql",
];

/// `^[a-zA-Z0-9_]+$`, FBA's rule for plugin (folder) names.
fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Python's `re.match(pattern + '$', text)` as FBA calls it: `$` also matches before one
/// newline at the very end, so `"1.0.0\n"` passes FBA's checks; the text without it.
pub(super) fn python_dollar(text: &str) -> &str {
    text.strip_suffix('\n').unwrap_or(text)
}

/// Python's `str.isupper()`: at least one cased character, and no lower-case one.
fn is_upper(key: &str) -> bool {
    key.chars().any(char::is_uppercase) && !key.chars().any(char::is_lowercase)
}

pub(crate) fn read(tree: &dyn Tree, manifest: &mut ManifestText, ctx: &ReadContext) -> Read {
    let rules = FbaRules::of(ctx.host.version_of(HostKind::Fba));
    let source = Arc::clone(&manifest.source);
    // The folder as a file of findings, made only for a finding about it.
    let folder_source = std::cell::OnceCell::new();
    let folder_file = || folder_source.get_or_init(|| SourceFile::new(tree.display(""), None));
    let mut check = Checker::new(&source);
    let mut metadata = Metadata::default();
    // FBA installs a ZIP under the leading `[a-zA-Z0-9_]+` of its top folder (so GitHub's
    // `notice-main/` installs as `notice`).
    let folder = tree.folder_name().map(str::to_owned).or_else(|| {
        tree.archive_folder().map(|top| {
            top.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
    });

    if let Some(name) = &folder {
        if !is_valid_name(name) {
            let fixed: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            check.findings.push(
                Finding::new(
                    &rules::FBA_INVALID_NAME,
                    format!(
                        "FBA plugin name `{name}` is not allowed: it must match ^[a-zA-Z0-9_]+$"
                    ),
                )
                .help(format!("rename the folder to `{fixed}`"))
                .at(Location::file(folder_file())),
            );
        }
        metadata.name = Some(name.clone());
    }
    // FBA lists only folders holding __init__.py (core.py `get_plugins`); its ZIP install
    // (installer.py `install_zip_plugin`, since 1.1.0) refuses a package without README.md, which
    // a plugin folder need not have.
    let mut required = vec![(
        "__init__.py",
        "FBA loads only plugin folders that hold __init__.py",
    )];
    if tree.is_package() {
        required.push((
            "README.md",
            "FBA's ZIP install refuses a package without README.md",
        ));
    }
    for (file, why) in required {
        if !tree.is_file(file) {
            check.findings.push(
                Finding::new(
                    &rules::FBA_MISSING_FILE,
                    format!("{why}, and {} does not exist", tree.display(file)),
                )
                .help(format!("create {}", tree.display(file)))
                .at(Location::file(folder_file())),
            );
        }
    }

    let Some(doc) = check.parse(manifest.text()) else {
        return Read {
            metadata,
            findings: check.findings,
        };
    };
    let root = check.root(&doc);
    // FBA's validator (1.13.0) decides the level by the presence of an `api` key, whatever its
    // value; its loader before that by the value's truth (`if data.get('api')`, tools.py), so
    // an empty [api] made an app-level plugin.
    let extend_level = match root.table.get("api") {
        None => false,
        Some(_) if rules.validator => true,
        Some(item) => match item.as_table_like() {
            Some(table) => !table.is_empty(),
            None => {
                item.as_str() != Some("")
                    && !item.as_array().is_some_and(|a| a.is_empty())
                    && item.as_bool() != Some(false)
                    && item.as_integer() != Some(0)
            }
        },
    };
    let capability_level =
        rules.capability_level && !extend_level && !root.table.contains_key("app");
    if capability_level {
        metadata.details.push(("level", "capability".into()));
        for (key, _) in root.table.iter() {
            if !["plugin", "settings"].contains(&key) {
                check
                    .report(
                        &rules::FBA_CAPABILITY_TABLE,
                        root.key_span(key),
                        format!(
                            "`{key}` is not allowed in a capability-level plugin: {} reads only [plugin] and [settings] when there is neither [app] nor [api]",
                            rules.host()
                        ),
                    )
                    .help(format!("remove `{key}`, or add [app] or [api] to make this an app- or extend-level plugin"));
            }
        }
    } else {
        check.unknown_keys(&root, ROOT_KEYS, RENAMED);
    }

    // Asked once: the `database` rule and the SQL check both need it.
    let has_models = tree.is_dir("model");
    let mut databases = None;
    if let Some(plugin) = plugin_table(&mut check, &root, &rules) {
        databases = read_plugin_table(
            &mut check,
            &plugin,
            folder.as_deref(),
            &rules,
            capability_level,
            has_models,
            &mut metadata,
        );
    }

    match root.table.get("app") {
        None if capability_level => {}
        None => {
            let (what, example) = if extend_level {
                (
                    "extend-level plugins (those with [api]) name the app they extend",
                    format!("[app]\n{} = \"admin\"", extend_key(&rules)),
                )
            } else {
                (
                    "app-level plugins list their routers",
                    "[app]\nrouter = [\"v1\"]".to_owned(),
                )
            };
            let capability = if rules.validator && !rules.capability_level && !extend_level {
                "; FBA 1.15 and later read a plugin with neither [app] nor [api] as capability-level"
            } else {
                ""
            };
            check
                .report(&rules::MISSING_KEY, None, "missing table `[app]`")
                .help(format!("{what}; add:\n{example}{capability}"));
        }
        Some(item) if item.as_table_like().is_none() => {
            let span = item.span().or_else(|| root.key_span("app"));
            let help = match item.as_str() {
                Some(app) if extend_level => format!(
                    "`app = \"{app}\"` is the format of FBA's plugin system before its first release: write it as a table:\n[app]\n{} = \"{app}\"",
                    extend_key(&rules)
                ),
                _ => "write [app] as a table with `extend = \"<app>\"` (extend-level) or `router = [...]` (app-level)".into(),
            };
            check
                .report(
                    &rules::WRONG_TYPE,
                    span,
                    format!(
                        "`app` must be the table `[app]`, found {}",
                        check.describe(item)
                    ),
                )
                .label("expected a table")
                .help(help);
        }
        Some(_) => {
            if let Some(app) = check.table(&root, "app", "[app]", true) {
                read_app_table(&mut check, &app, extend_level, &rules, tree, &mut metadata);
            }
        }
    }

    if extend_level {
        read_api(&mut check, &root, &rules, tree);
    }

    if let Some(settings) = check.table(&root, "settings", "[settings]", false)
        && rules.validator
    {
        for (key, _) in settings.table.iter() {
            if !is_upper(key) {
                check
                    .report(
                        &rules::FBA_SETTINGS_CASE,
                        settings.key_span(key),
                        format!("settings key `{key}` is not upper case"),
                    )
                    .label("must be upper case")
                    .help(format!("rename it to `{}`", key.to_uppercase()));
            }
        }
    }

    metadata.details.push(("rules", rules.describe()));
    if rules.sql_scripts && has_models {
        check_sql(
            &mut check,
            tree,
            folder_file(),
            databases.as_deref().unwrap_or_default(),
        );
    }
    Read {
        metadata,
        findings: check.findings,
    }
}

/// A plugin with models (a `model/` folder) ships the SQL that creates and drops their tables.
fn check_sql(
    check: &mut Checker<'_>,
    tree: &dyn Tree,
    folder: &Arc<SourceFile>,
    declared: &[String],
) {
    let missing = |db: &str| -> Vec<String> {
        SQL_SCRIPTS
            .iter()
            .map(|script| format!("sql/{db}/{script}"))
            .filter(|path| !tree.is_file(path))
            .collect()
    };
    let complete: Vec<&str> = DATABASES
        .iter()
        .copied()
        .filter(|db| missing(db).is_empty())
        .collect();
    if complete.is_empty() {
        check.findings.push(
            Finding::new(
                &rules::FBA_MISSING_SQL,
                "the plugin has a model/ folder but no complete set of SQL scripts",
            )
            .help(format!(
                "add {} under sql/mysql/ or sql/postgresql/ (missing: {})",
                SQL_SCRIPTS.join(", "),
                DATABASES
                    .iter()
                    .flat_map(|db| missing(db))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .at(Location::file(folder)),
        );
        return;
    }
    for db in declared
        .iter()
        .filter(|db| !complete.contains(&db.as_str()))
    {
        check.findings.push(
            Finding::new(
                &rules::FBA_PARTIAL_SQL,
                format!("`database` lists {db}, but its SQL scripts are incomplete"),
            )
            .help(format!("add {}", missing(db).join(", ")))
            .at(Location::file(folder)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::app::{is_identifier, is_prefix};
    use super::plugin_info::is_fba_version;
    use super::*;

    #[test]
    fn patterns_match_fbas() {
        assert!(is_fba_version("0.0.11"));
        assert!(!is_fba_version("1.0"));
        assert!(!is_fba_version("1.0.0-beta"));
        // FBA's `$` (Python's re) matches before a final newline.
        assert!(is_fba_version("1.0.0\n"));
        assert!(!is_fba_version("1.0.0\n\n"));
        assert!(is_prefix("/notices\n"));
        assert!(is_prefix("/dict-datas"));
        assert!(is_prefix("/"));
        assert!(!is_prefix("notices"));
        assert!(!is_prefix("/a b"));
        assert!(is_identifier("dict_data"));
        assert!(!is_identifier("1api"));
        assert!(is_upper("EMAIL_PORT"));
        assert!(is_upper("A1"));
        assert!(!is_upper("Email_Port"));
        assert!(!is_upper("123"));
        assert!(is_valid_name("code_generator"));
        assert!(!is_valid_name("code-generator"));
    }
}
