//! FBA's `[app]` and `[api.*]` tables and the files they name: the plugin's level, the app an
//! extend-level plugin extends (`include` or `extend`, by version), app-level routers and
//! api/router.py, and the API files under api/, which FBA looks up by stem.

use crate::findings::rules::{self, Severity};
use crate::findings::{Finding, Location, SourceFile};
use crate::plugin::Metadata;
use crate::plugin::toml_check::{Checker, Spanned, TableRef};
use crate::plugin::tree::Tree;

use super::python_dollar;
use super::versions::{FbaRules, Include};

const API_KEYS: &[&str] = &["prefix", "tags"];

/// `^[a-zA-Z_][a-zA-Z0-9_]*$`: an API file name, i.e. a Python module name.
pub(super) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `^/[a-zA-Z0-9_/-]*$`.
pub(super) fn is_prefix(prefix: &str) -> bool {
    let prefix = python_dollar(prefix);
    prefix.starts_with('/')
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '-'))
}

/// The key that names the extended app at this version.
pub(super) fn extend_key(rules: &FbaRules) -> &'static str {
    match rules.include {
        Include::Only => "include",
        Include::Deprecated | Include::Removed => "extend",
    }
}

pub(super) fn read_app_table(
    check: &mut Checker<'_>,
    app: &TableRef<'_>,
    extend_level: bool,
    rules: &FbaRules,
    tree: &dyn Tree,
    metadata: &mut Metadata,
) {
    // `extend` before 1.6.0 and `include` from 1.11.0 are reported as the missing key of that
    // version (PK0307), not as unknown ones.
    check.unknown_keys(app, &["extend", "include", "router"], &[]);
    if extend_level {
        metadata.details.push(("level", "extend".into()));
        read_extend(check, app, rules, metadata);
        if app.table.contains_key("router") {
            check
                .report(
                    &rules::UNKNOWN_KEY,
                    app.key_span("router"),
                    "`router` is ignored in an extend-level plugin (one with [api])",
                )
                .help("remove `router`, or remove [api] to make this an app-level plugin");
        }
        return;
    }

    metadata.details.push(("level", "app".into()));
    let Some(item) = app.table.get("router") else {
        check
            .report(
                &rules::FBA_INVALID_ROUTER,
                app.span.clone(),
                "missing `router` in [app]: a plugin without [api] is app-level and must list its routers",
            )
            .help(if app.table.contains_key("extend") {
                "an extend-level plugin also needs [api.<file>] tables; an app-level one lists routers, e.g. router = [\"v1\"]"
            } else {
                "add router = [\"v1\"] naming the routers in api/router.py"
            });
        return;
    };
    let Some(routers) = check.string_array(app, "router", true) else {
        return;
    };
    if item.as_array().is_some_and(|a| a.is_empty()) {
        check
            .report(
                &rules::FBA_INVALID_ROUTER,
                routers.span.clone(),
                "`router` is empty",
            )
            .help("list at least one router, e.g. router = [\"v1\"]");
    }
    for Spanned { value, span } in &routers.value {
        if value.is_empty() {
            check
                .report(
                    &rules::FBA_INVALID_ROUTER,
                    span.clone(),
                    "`router` holds an empty name",
                )
                .help("each router is the name of an APIRouter in api/router.py");
        }
    }
    let names: Vec<&str> = routers.value.iter().map(|r| r.value.as_str()).collect();
    metadata.details.push(("routers", names.join(", ")));
    // core.py `inject_app_router` imports backend.plugin.<name>.api.router at start-up; without
    // it start-up fails (PluginInjectError), in every version.
    if !tree.is_file("api/router.py") {
        check
            .report(
                &rules::FBA_MISSING_ROUTER_MODULE,
                routers.span,
                format!(
                    "FBA imports app-level routers from api/router.py at start-up, and {} does not exist",
                    tree.display("api/router.py")
                ),
            )
            .help(format!(
                "create api/router.py defining the APIRouter{} {}",
                if names.len() == 1 { "" } else { "s" },
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
    }
}

/// The extended app: `include` before 1.6.0, `extend` or (warned) `include` until 1.10.x,
/// `extend` from 1.11.0.
fn read_extend(
    check: &mut Checker<'_>,
    app: &TableRef<'_>,
    rules: &FbaRules,
    metadata: &mut Metadata,
) {
    let key = extend_key(rules);
    let has_include = app.table.contains_key("include");
    let chosen = match rules.include {
        Include::Deprecated if has_include => {
            check
                .report(
                    &rules::FBA_DEPRECATED_INCLUDE,
                    app.key_span("include"),
                    format!(
                        "`include` is deprecated: {} warns about it, and FBA 1.11.0 and later read only `extend`",
                        rules.host()
                    ),
                )
                .label("rename to `extend`")
                .help("rename `include` to `extend`");
            "include"
        }
        _ => key,
    };
    match app.table.get(chosen) {
        None => {
            let message = match rules.include {
                Include::Only => format!(
                    "missing `include` in [app]: {} reads the app an extend-level plugin extends from `include` (`extend` came in 1.6.0)",
                    rules.host()
                ),
                Include::Removed if has_include => format!(
                    "missing `extend` in [app]: `include` is its old name, which {} no longer reads (FBA 1.11.0 and later)",
                    rules.host()
                ),
                _ => "missing `extend` in [app]: a plugin with [api] is extend-level and must name the app it extends".to_owned(),
            };
            let (span, help) = match rules.include {
                Include::Only if app.table.contains_key("extend") => (
                    app.key_span("extend"),
                    format!(
                        "rename `extend` to `include` for {}, or upgrade FBA to 1.6.0 or later",
                        rules.host()
                    ),
                ),
                Include::Removed if has_include => (
                    app.key_span("include"),
                    "rename `include` to `extend`: FBA 1.11.0 and later no longer read `include`"
                        .to_owned(),
                ),
                _ => (
                    app.span.clone(),
                    format!("add {key} = \"<app>\" to [app], e.g. {key} = \"admin\""),
                ),
            };
            check
                .report(&rules::FBA_MISSING_EXTEND, span, message)
                .help(help);
        }
        Some(item) => match item.as_str() {
            Some("") => {
                check
                    .report(
                        &rules::FBA_MISSING_EXTEND,
                        item.span(),
                        format!("`{chosen}` is empty"),
                    )
                    .help(format!(
                        "name the app this plugin extends, e.g. {chosen} = \"admin\""
                    ));
            }
            Some(extend) => metadata.details.push(("extends", extend.into())),
            None => check.wrong_type(app, chosen, item, "a string"),
        },
    }
}

/// `[api.<stem>]` tables and the files under `api/` they belong to. FBA walks `api/` recursively
/// (`os.walk`, every version) and looks each `.py` file other than `__init__.py` up by its stem,
/// then mounts the file's router on the extended app's package at the same path under its
/// `api/` (`backend.app.<app>.api.<path>`).
pub(super) fn read_api(
    check: &mut Checker<'_>,
    root: &TableRef<'_>,
    rules: &FbaRules,
    tree: &dyn Tree,
) {
    let Some(api) = check.table(root, "api", "[api]", true) else {
        return;
    };
    if api.table.is_empty() && rules.validator {
        check
            .report(&rules::MISSING_KEY, api.span.clone(), "[api] holds no API")
            .help("add a table per API file, e.g. [api.notice] with prefix and tags for api/v1/sys/notice.py");
        return;
    }
    let listed = tree.files_under("api");
    // A folder with files in it is there; only an empty listing needs asking.
    let api_exists = !listed.is_empty() || tree.is_dir("api");
    let files: Vec<String> = listed
        .into_iter()
        .filter(|f| f.ends_with(".py") && stem(f) != "__init__")
        .collect();
    if !api_exists {
        check
            .report(
                &rules::FBA_MISSING_API_FOLDER,
                api.span.clone(),
                format!(
                    "an extend-level plugin (one with [api]) keeps its API files under api/, and {} does not exist",
                    tree.display("api/")
                ),
            )
            .help("create api/ with the API files in the extended app's layout, e.g. api/v1/sys/<name>.py");
    }
    // Values directly under [api] are the old, single-API format.
    let misplaced: Vec<&str> = api
        .table
        .iter()
        .filter(|(_, item)| item.as_table_like().is_none())
        .map(|(key, _)| key)
        .collect();
    for (name, item) in api.table.iter() {
        let key_span = api.key_span(name);
        if rules.validator && !is_identifier(name) {
            check
                .report(
                    &rules::FBA_INVALID_API_NAME,
                    key_span.clone(),
                    format!("API name `{name}` must match ^[a-zA-Z_][a-zA-Z0-9_]*$"),
                )
                .help("the name is the API's Python file under api/, without .py: use letters, digits and _");
            continue;
        }
        let Some(entry) = item.as_table_like() else {
            // Before its validator (1.13.0) FBA only looked tables up by file stem, and ignored
            // anything else under [api].
            let severity = if rules.validator {
                Severity::Error
            } else {
                Severity::Warning
            };
            check
                .report(
                    &rules::WRONG_TYPE,
                    item.span().or(key_span),
                    format!(
                        "`{name}` is misplaced: [api] holds one table per API file, not {}",
                        check.describe(item)
                    ),
                )
                .severity(severity)
                .label("expected a table [api.<file>]")
                .help(format!(
                    "move {} into a table named after the file, e.g. [api.<file>] for api/v1/sys/<file>.py",
                    misplaced.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" and ")
                ));
            continue;
        };
        let label = format!("[api.{name}]");
        let table = TableRef {
            table: entry,
            name: &label,
            span: item.span().or(key_span.clone()),
        };
        check.unknown_keys(&table, API_KEYS, &[]);
        if rules.validator {
            if let Some(Spanned { value, span }) = check.string(&table, "prefix", true)
                && !is_prefix(&value)
            {
                check
                    .report(
                        &rules::FBA_INVALID_API_PREFIX,
                        span,
                        format!("prefix `{value}` must start with / and hold only letters, digits, _, / and -"),
                    )
                    .label("must match ^/[a-zA-Z0-9_/-]*$")
                    .help(format!(
                        "e.g. prefix = \"/{}\"",
                        value.trim_start_matches('/').replace(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '-')), "-")
                    ));
            }
            if let Some(Spanned { value, span }) = check.string(&table, "tags", true)
                && value.is_empty()
            {
                check
                    .report(
                        &rules::FBA_INVALID_API_TAGS,
                        span,
                        format!("tags of [api.{name}] is empty"),
                    )
                    .help("name the Swagger tag for this API, e.g. tags = \"Notices\"");
            }
        } else if rules.api_table_per_file {
            // `file_config['prefix']`, `file_config['tags']`: a KeyError at start-up.
            for key in ["prefix", "tags"] {
                check.item(&table, key, true);
            }
        }
        if !files.iter().any(|f| stem(f) == name) {
            check
                .report(
                    &rules::FBA_MISSING_API_FILE,
                    key_span,
                    format!(
                        "[api.{name}] matches no {name}.py under {}, so FBA ignores it",
                        tree.display("api/")
                    ),
                )
                .label(format!("no {name}.py under api/"))
                .help(format!("create the API's router in api/v1/sys/{name}.py (the extended app's layout), or rename the table after an existing file"));
        }
    }

    for file in &files {
        let stem = stem(file);
        // The file of a finding, made only for one.
        let source = || SourceFile::new(tree.display(file), None);
        if !file["api/".len()..].contains('/') {
            check.findings.push(
                Finding::new(
                    &rules::FBA_API_FILE_AT_API_ROOT,
                    format!(
                        "{} sits directly in api/: FBA mounts an API file's router on the extended app's package at the same path (api/v1/sys/{stem}.py on backend.app.<app>.api.v1.sys), and api/ itself is none, so start-up fails",
                        tree.display(file)
                    ),
                )
                .help(format!(
                    "move it into the folder of the extended app's API it belongs to, e.g. api/v1/sys/{stem}.py, with an __init__.py in each folder"
                ))
                .at(Location::file(&source())),
            );
        }
        if api
            .table
            .get(stem)
            .is_some_and(|item| item.as_table_like().is_some())
        {
            continue;
        }
        let mut finding = Finding::new(
            &rules::FBA_API_FILE_WITHOUT_TABLE,
            if rules.api_table_per_file {
                format!(
                    "{} has no [api.{stem}] table in plugin.toml: {} looks every .py under api/ up by its stem and stops at start-up (KeyError: '{stem}')",
                    tree.display(file),
                    rules.host()
                )
            } else {
                format!(
                    "{} has no [api.{stem}] table in plugin.toml: {} mounts it with no prefix and no tags (FBA 1.4.0 and later stop at start-up)",
                    tree.display(file),
                    rules.host()
                )
            },
        )
        .help(format!(
            "add to plugin.toml:\n[api.{stem}]\nprefix = \"/{}\"\ntags = \"...\"\nor move {stem}.py out of api/",
            stem.replace('_', "-")
        ))
        .at(Location::file(&source()));
        if !rules.api_table_per_file {
            finding = finding.with_severity(Severity::Warning);
        }
        check.findings.push(finding);
    }
}

/// The file name of `path` without its `.py`.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".py").unwrap_or(name)
}
