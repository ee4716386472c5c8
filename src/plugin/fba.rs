//! The `fba` flavor: FastAPI Best Architecture's `plugin.toml`, checked by the rules of FBA's own
//! validator (backend/plugin/validator.py at commit 2e86d79150c0) and of its loader (which files
//! it imports), as DESIGN.md "Flavors" lists them.

use std::sync::Arc;

use crate::findings::rules;
use crate::findings::{Location, SourceFile};
use crate::plugin::flavor::ManifestText;
use crate::plugin::toml_check::{Checker, Spanned, TableRef, describe};
use crate::plugin::tree::Tree;
use crate::plugin::{Dependency, Metadata, Read, ReadContext};
use crate::util::suggest;

const ROOT_KEYS: &[&str] = &["plugin", "app", "api", "settings"];
const PLUGIN_KEYS: &[&str] = &[
    "icon",
    "summary",
    "version",
    "description",
    "author",
    "tags",
    "database",
    "depends_on",
];
const APP_KEYS: &[&str] = &["extend", "router"];
const API_KEYS: &[&str] = &["prefix", "tags"];
/// `[app] include` was FBA's name for `extend` until mid-2025.
const RENAMED: &[(&str, &str)] = &[("include", "extend"), ("dependencies", "depends_on")];

pub(crate) const TAGS: &[&str] = &[
    "ai",
    "mcp",
    "agent",
    "auth",
    "storage",
    "notification",
    "task",
    "payment",
    "other",
];
pub(crate) const DATABASES: &[&str] = &["mysql", "postgresql"];
/// Common spellings of the databases that FBA does not accept.
const DATABASE_ALIASES: &[(&str, &str)] = &[
    ("pgsql", "postgresql"),
    ("postgres", "postgresql"),
    ("pg", "postgresql"),
    ("mariadb", "mysql"),
];
const SQL_SCRIPTS: &[&str] = &[
    "init.sql",
    "destroy.sql",
    "init_snowflake.sql",
    "destroy_snowflake.sql",
];

/// `^[a-zA-Z0-9_]+$`, FBA's rule for plugin (folder) names.
pub(crate) fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `^[a-zA-Z_][a-zA-Z0-9_]*$`: an API file name, i.e. a Python module name.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `^\d+\.\d+\.\d+$`. (Python's `\d` also takes non-ASCII digits; no real version uses them.)
fn is_fba_version(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `^/[a-zA-Z0-9_/-]*$`.
fn is_prefix(prefix: &str) -> bool {
    prefix.starts_with('/')
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '-'))
}

/// Python's `str.isupper()`: at least one cased character, and no lower-case one.
fn is_upper(key: &str) -> bool {
    key.chars().any(char::is_uppercase) && !key.chars().any(char::is_lowercase)
}

pub(crate) fn read(tree: &dyn Tree, manifest: &mut ManifestText, _ctx: &ReadContext) -> Read {
    let source = Arc::clone(&manifest.source);
    let folder_source = SourceFile::new(tree.display(""), None);
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
                crate::findings::Finding::new(
                    &rules::FBA_INVALID_NAME,
                    format!(
                        "FBA plugin name `{name}` is not allowed: it must match ^[a-zA-Z0-9_]+$"
                    ),
                )
                .help(format!("rename the folder to `{fixed}`"))
                .at(Location::file(&folder_source)),
            );
        }
        metadata.name = Some(name.clone());
    }
    for required in ["README.md", "__init__.py"] {
        if !tree.is_file(required) {
            check.findings.push(
                crate::findings::Finding::new(
                    &rules::FBA_MISSING_FILE,
                    format!(
                        "FBA plugins must contain {required}, and {} does not exist",
                        tree.display(required)
                    ),
                )
                .help(format!("create {}", tree.display(required)))
                .at(Location::file(&folder_source)),
            );
        }
    }

    let Some(doc) = check.parse(manifest) else {
        return Read {
            metadata,
            findings: check.findings,
        };
    };
    let root = check.root(doc);
    check.unknown_keys(&root, ROOT_KEYS, RENAMED);
    // FBA decides the level by the presence of an `api` key, whatever its value.
    let extend_level = root.table.contains_key("api");

    let mut databases = Vec::new();
    if let Some(plugin) = plugin_table(&mut check, &root) {
        databases = read_plugin_table(&mut check, &plugin, folder.as_deref(), &mut metadata);
    }

    match root.table.get("app") {
        None => {
            let (what, example) = if extend_level {
                (
                    "extend-level plugins (those with [api]) name the app they extend",
                    "[app]\nextend = \"admin\"",
                )
            } else {
                (
                    "app-level plugins list their routers",
                    "[app]\nrouter = [\"v1\"]",
                )
            };
            check
                .report(&rules::MISSING_KEY, None, "missing table `[app]`")
                .help(format!("{what}; add:\n{example}"));
        }
        Some(item) if item.as_table_like().is_none() => {
            let span = item.span().or_else(|| root.key_span("app"));
            let help = match item.as_str() {
                Some(app) if extend_level => format!(
                    "`app = \"{app}\"` is the old format: write it as a table:\n[app]\nextend = \"{app}\""
                ),
                _ => "write [app] as a table with `extend = \"<app>\"` (extend-level) or `router = [...]` (app-level)".into(),
            };
            check
                .report(
                    &rules::WRONG_TYPE,
                    span,
                    format!("`app` must be the table `[app]`, found {}", describe(item)),
                )
                .label("expected a table")
                .help(help);
        }
        Some(_) => {
            if let Some(app) = check.table(&root, "app", "[app]", true) {
                read_app_table(&mut check, &app, extend_level, tree, &mut metadata);
            }
        }
    }

    if extend_level {
        read_api(&mut check, &root, tree);
    }

    if let Some(settings) = check.table(&root, "settings", "[settings]", false) {
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

    check_sql(&mut check, tree, &folder_source, &databases);
    Read {
        metadata,
        findings: check.findings,
    }
}

fn plugin_table<'d>(check: &mut Checker<'_>, root: &TableRef<'d>) -> Option<TableRef<'d>> {
    if !root.table.contains_key("plugin") {
        check
            .report(&rules::MISSING_KEY, None, "missing table `[plugin]`")
            .help(
                "FBA requires [plugin] with summary, version, description, author, tags and database; e.g.\n\
                 [plugin]\nsummary = \"...\"\nversion = \"0.0.1\"\ndescription = \"...\"\nauthor = \"...\"\n\
                 tags = [\"other\"]\ndatabase = [\"mysql\", \"postgresql\"]",
            );
        return None;
    }
    check.table(root, "plugin", "[plugin]", true)
}

fn text_field(
    check: &mut Checker<'_>,
    plugin: &TableRef<'_>,
    key: &str,
    max: usize,
) -> Option<String> {
    let Spanned { value, span } = check.string(plugin, key, true)?;
    let length = value.chars().count();
    if length == 0 || length > max {
        check
            .report(
                &rules::FBA_TEXT_LENGTH,
                span,
                format!("`{key}` must be 1 to {max} characters long, and is {length}"),
            )
            .label(format!("{length} characters"))
            .help(if length == 0 {
                format!("fill in `{key}`")
            } else {
                format!("shorten `{key}` to at most {max} characters")
            });
    }
    Some(value)
}

fn read_plugin_table(
    check: &mut Checker<'_>,
    plugin: &TableRef<'_>,
    folder: Option<&str>,
    metadata: &mut Metadata,
) -> Vec<String> {
    check.unknown_keys(plugin, PLUGIN_KEYS, RENAMED);
    metadata.summary = text_field(check, plugin, "summary", 100);
    if let Some(Spanned { value, span }) = check.string(plugin, "version", true) {
        if !is_fba_version(&value) {
            check
                .report(
                    &rules::FBA_INVALID_VERSION,
                    span,
                    format!("version `{value}` is not in x.y.z form"),
                )
                .label("expected x.y.z")
                .help("FBA versions are three numbers, e.g. version = \"1.0.0\"");
        }
        metadata.version = Some(value);
    }
    metadata.description = text_field(check, plugin, "description", 500);
    metadata.author = text_field(check, plugin, "author", 50);
    check.string(plugin, "icon", false);

    let tags = choice_list(check, plugin, "tags", TAGS, &[], &rules::FBA_INVALID_TAGS);
    let databases = choice_list(
        check,
        plugin,
        "database",
        DATABASES,
        DATABASE_ALIASES,
        &rules::FBA_INVALID_DATABASE,
    );

    if let Some(depends) = check.string_array(plugin, "depends_on", false) {
        for Spanned { value: name, span } in depends.value {
            if name.is_empty() {
                check
                    .report(
                        &rules::FBA_INVALID_DEPENDS_ON,
                        span,
                        "`depends_on` holds an empty name",
                    )
                    .help("remove the empty string, or name the plugin this one depends on");
            } else if Some(name.as_str()) == folder {
                check
                    .report(
                        &rules::FBA_INVALID_DEPENDS_ON,
                        span,
                        format!("plugin `{name}` depends on itself"),
                    )
                    .help("remove it from depends_on");
            } else {
                metadata.dependencies.push(Dependency {
                    name,
                    requirement: None,
                    location: Some(Location::span(check.source, span)),
                });
            }
        }
    }

    if !tags.is_empty() {
        metadata.details.push(("tags".into(), tags.join(", ")));
    }
    if !databases.is_empty() {
        metadata
            .details
            .push(("database".into(), databases.join(", ")));
    }
    databases
}

/// A required, non-empty list whose elements come from `allowed`; returns the valid elements.
fn choice_list(
    check: &mut Checker<'_>,
    plugin: &TableRef<'_>,
    key: &str,
    allowed: &[&str],
    aliases: &[(&str, &str)],
    rule: &'static rules::Rule,
) -> Vec<String> {
    let choices = allowed.join(", ");
    let Some(item) = plugin.table.get(key) else {
        check
            .report(
                rule,
                plugin.span.clone(),
                format!("missing `{key}` in [plugin]"),
            )
            .label(format!("`{key}` is required"))
            .help(format!(
                "add `{key} = [...]` with one or more of: {choices}"
            ));
        return Vec::new();
    };
    let Some(list) = check.string_array(plugin, key, true) else {
        return Vec::new();
    };
    if list.value.is_empty() && item.as_array().is_some_and(|a| a.is_empty()) {
        check
            .report(rule, list.span.clone(), format!("`{key}` is empty"))
            .help(format!("list one or more of: {choices}"));
    }
    let mut valid = Vec::new();
    for Spanned { value, span } in list.value {
        if allowed.contains(&value.as_str()) {
            valid.push(value);
            continue;
        }
        let suggestion = aliases
            .iter()
            .find(|(alias, _)| *alias == value)
            .map(|(_, real)| *real)
            .or_else(|| suggest::closest(&value, allowed.iter().copied()));
        let (label, help) = match suggestion {
            Some(s) => (
                format!("did you mean `{s}`?"),
                format!("did you mean `{s}`? Allowed: {choices}"),
            ),
            None => (
                "not allowed".to_owned(),
                format!("allowed values: {choices}"),
            ),
        };
        check
            .report(rule, span, format!("`{value}` is not a valid {key} value"))
            .label(label)
            .help(help);
    }
    valid
}

fn read_app_table(
    check: &mut Checker<'_>,
    app: &TableRef<'_>,
    extend_level: bool,
    tree: &dyn Tree,
    metadata: &mut Metadata,
) {
    check.unknown_keys(app, APP_KEYS, RENAMED);
    if extend_level {
        metadata.details.push(("level".into(), "extend".into()));
        match app.table.get("extend") {
            None => {
                let old = app.table.contains_key("include");
                check
                    .report(
                        &rules::FBA_MISSING_EXTEND,
                        if old { app.key_span("include") } else { app.span.clone() },
                        "missing `extend` in [app]: a plugin with [api] is extend-level and must name the app it extends",
                    )
                    .help(if old {
                        "rename `include` to `extend` (FBA renamed it in 2025)".to_owned()
                    } else {
                        "add extend = \"<app>\" to [app], e.g. extend = \"admin\"".to_owned()
                    });
            }
            Some(item) => match item.as_str() {
                Some("") => {
                    check
                        .report(&rules::FBA_MISSING_EXTEND, item.span(), "`extend` is empty")
                        .help("name the app this plugin extends, e.g. extend = \"admin\"");
                }
                Some(extend) => metadata.details.push(("extends".into(), extend.into())),
                None => check.wrong_type(app, "extend", item, "a string"),
            },
        }
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

    metadata.details.push(("level".into(), "app".into()));
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
    metadata.details.push(("routers".into(), names.join(", ")));
    if !tree.is_file("api/router.py") {
        check
            .report(
                &rules::FBA_MISSING_ROUTER_MODULE,
                routers.span,
                format!(
                    "FBA imports app-level routers from api/router.py, and {} does not exist",
                    tree.display("api/router.py")
                ),
            )
            .help("create api/router.py defining the routers listed in `router`");
    }
}

fn read_api(check: &mut Checker<'_>, root: &TableRef<'_>, tree: &dyn Tree) {
    let Some(api) = check.table(root, "api", "[api]", true) else {
        return;
    };
    if api.table.is_empty() {
        check
            .report(&rules::MISSING_KEY, api.span.clone(), "[api] holds no API")
            .help("add a table per API file, e.g. [api.notice] with prefix and tags for api/notice.py");
        return;
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
        if !is_identifier(name) {
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
            check
                .report(
                    &rules::WRONG_TYPE,
                    item.span().or(key_span),
                    format!(
                        "`{name}` is misplaced: [api] holds one table per API file, not {}",
                        describe(item)
                    ),
                )
                .label("expected a table [api.<file>]")
                .help(format!(
                    "move {} into a table named after the file, e.g. [api.<file>] for api/<file>.py",
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
        let file = format!("api/{name}.py");
        if !tree.is_file(&file) {
            check
                .report(
                    &rules::FBA_MISSING_API_FILE,
                    key_span,
                    format!("[api.{name}] names {}, which does not exist", tree.display(&file)),
                )
                .label(format!("no {file}"))
                .help(format!("create {file} with the API's router, or rename the table after an existing file"));
        }
    }
}

/// A plugin with models ships the SQL that creates and drops their tables.
fn check_sql(
    check: &mut Checker<'_>,
    tree: &dyn Tree,
    folder: &Arc<SourceFile>,
    declared: &[String],
) {
    if !tree.is_dir("model") {
        return;
    }
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
            crate::findings::Finding::new(
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
            crate::findings::Finding::new(
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
    use super::*;

    #[test]
    fn patterns_match_fbas() {
        assert!(is_fba_version("0.0.11"));
        assert!(!is_fba_version("1.0"));
        assert!(!is_fba_version("1.0.0-beta"));
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
