//! The `fba` flavor: FastAPI Best Architecture's `plugin.toml` and plugin folder, checked as the
//! host's own code does at the host's version: its validator (`backend/plugin/validator.py`,
//! from 1.13.0) and its loader (`backend/plugin/tools.py`, `core.py`: which tables it reads and
//! which files it imports). Which of those rules a version applies is [`versions::FbaRules`];
//! DESIGN.md "Flavors" lists them.

mod versions;

use std::sync::Arc;

use crate::findings::rules::{self, Severity};
use crate::findings::{Finding, Location, SourceFile};
use crate::plugin::flavor::ManifestText;
use crate::plugin::host::HostKind;
use crate::plugin::toml_check::{Checker, Spanned, TableRef, describe};
use crate::plugin::tree::Tree;
use crate::plugin::{Dependency, Metadata, Read, ReadContext};
use crate::util::suggest;
use versions::{FbaRules, Include, Need};

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
const API_KEYS: &[&str] = &["prefix", "tags"];
/// `[app] include` was FBA's name for `extend` until 1.6.0 (read, with a warning, until 1.10.x).
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

/// Python's `re.match(pattern + '$', text)` as FBA calls it: `$` also matches before one
/// newline at the very end, so `"1.0.0\n"` passes FBA's checks; the text without it.
fn python_dollar(text: &str) -> &str {
    text.strip_suffix('\n').unwrap_or(text)
}

/// `^\d+\.\d+\.\d+$`. (Python's `\d` also takes non-ASCII digits; no real version uses them.)
fn is_fba_version(version: &str) -> bool {
    let parts: Vec<&str> = python_dollar(version).split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `^/[a-zA-Z0-9_/-]*$`.
fn is_prefix(prefix: &str) -> bool {
    let prefix = python_dollar(prefix);
    prefix.starts_with('/')
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '-'))
}

/// Python's `str.isupper()`: at least one cased character, and no lower-case one.
fn is_upper(key: &str) -> bool {
    key.chars().any(char::is_uppercase) && !key.chars().any(char::is_lowercase)
}

pub(crate) fn read(tree: &dyn Tree, manifest: &mut ManifestText, ctx: &ReadContext) -> Read {
    let rules = FbaRules::of(ctx.host.version_of(HostKind::Fba));
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
                Finding::new(
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
        metadata.details.push(("level".into(), "capability".into()));
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

    let mut databases = None;
    if let Some(plugin) = plugin_table(&mut check, &root, &rules) {
        databases = read_plugin_table(
            &mut check,
            &plugin,
            folder.as_deref(),
            &rules,
            capability_level,
            tree.is_dir("model"),
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
                    format!("`app` must be the table `[app]`, found {}", describe(item)),
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

    metadata.details.push(("rules".into(), rules.describe()));
    if rules.sql_scripts {
        check_sql(
            &mut check,
            tree,
            &folder_source,
            databases.as_deref().unwrap_or_default(),
        );
    }
    Read {
        metadata,
        findings: check.findings,
    }
}

/// The key that names the extended app at this version.
fn extend_key(rules: &FbaRules) -> &'static str {
    match rules.include {
        Include::Only => "include",
        Include::Deprecated | Include::Removed => "extend",
    }
}

fn plugin_table<'d>(
    check: &mut Checker<'_>,
    root: &TableRef<'d>,
    rules: &FbaRules,
) -> Option<TableRef<'d>> {
    if !root.table.contains_key("plugin") {
        // FBA before 1.3.0 did not read [plugin].
        if rules.plugin_table {
            let (fields, example) = if rules.tags_and_database == Need::Ignored {
                (
                    "summary, version, description and author",
                    "[plugin]\nsummary = \"...\"\nversion = \"0.0.1\"\ndescription = \"...\"\nauthor = \"...\"",
                )
            } else {
                (
                    "summary, version, description, author, tags and database",
                    "[plugin]\nsummary = \"...\"\nversion = \"0.0.1\"\ndescription = \"...\"\nauthor = \"...\"\n\
                     tags = [\"other\"]\ndatabase = [\"mysql\", \"postgresql\"]",
                )
            };
            check
                .report(
                    &rules::MISSING_KEY,
                    None,
                    format!(
                        "missing table `[plugin]`: {} requires it (since 1.3.0)",
                        rules.host()
                    ),
                )
                .help(format!(
                    "FBA requires [plugin] with {fields}; e.g.\n{example}"
                ));
        }
        return None;
    }
    check.table(root, "plugin", "[plugin]", rules.plugin_table)
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

/// `[plugin]` as FBA's loader read it before its validator (1.3.0 to 1.12.x): the four keys must
/// be there (`missing_fields`, tools.py), whatever their values; before 1.3.0 nothing was read.
fn read_plugin_presence(
    check: &mut Checker<'_>,
    plugin: &TableRef<'_>,
    rules: &FbaRules,
    metadata: &mut Metadata,
) {
    for key in ["summary", "version", "description", "author"] {
        let value = match plugin.table.get(key) {
            Some(item) => item.as_str().map(str::to_owned),
            None => {
                if rules.plugin_table {
                    check
                        .report(
                            &rules::MISSING_KEY,
                            plugin.span.clone(),
                            format!("missing `{key}` in [plugin]: {} requires it", rules.host()),
                        )
                        .label(format!("`{key}` is required here"))
                        .help(format!("add `{key} = \"...\"` to [plugin]"));
                }
                None
            }
        };
        match key {
            "summary" => metadata.summary = value,
            "version" => metadata.version = value,
            "description" => metadata.description = value,
            _ => metadata.author = value,
        }
    }
}

/// Reads `[plugin]`; returns the valid `database` entries, `None` when it declares none.
fn read_plugin_table(
    check: &mut Checker<'_>,
    plugin: &TableRef<'_>,
    folder: Option<&str>,
    rules: &FbaRules,
    capability_level: bool,
    has_models: bool,
    metadata: &mut Metadata,
) -> Option<Vec<String>> {
    check.unknown_keys(plugin, PLUGIN_KEYS, RENAMED);
    if !rules.validator {
        read_plugin_presence(check, plugin, rules, metadata);
        return None;
    }
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

    let tags = choice_list(
        check,
        plugin,
        "tags",
        TAGS,
        &[],
        &rules::FBA_INVALID_TAGS,
        rules,
        rules.tags_and_database,
    );
    // From 1.15 `database` is optional at the capability level, unless the plugin has models.
    let database_need = if capability_level && rules.tags_and_database == Need::Required {
        Need::Ignored
    } else {
        rules.tags_and_database
    };
    let databases = choice_list(
        check,
        plugin,
        "database",
        DATABASES,
        DATABASE_ALIASES,
        &rules::FBA_INVALID_DATABASE,
        rules,
        database_need,
    );
    let declared = plugin.table.contains_key("database");
    if rules.capability_level && has_models && !declared && database_need == Need::Ignored {
        check
            .report(
                &rules::FBA_MODEL_NEEDS_DATABASE,
                plugin.span.clone(),
                format!(
                    "the plugin has a model/ folder, and [plugin] declares no `database`: {} requires it for plugins with models",
                    rules.host()
                ),
            )
            .label("`database` is required here")
            .help(format!(
                "add `database = [...]` with the databases whose SQL scripts the plugin ships: {}",
                DATABASES.join(", ")
            ));
    }

    if let Some(depends) = check.string_array(plugin, "depends_on", false)
        && rules.depends_on
    {
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
    declared.then_some(databases)
}

/// A non-empty list whose elements come from `allowed`, required as `need` says; returns the
/// valid elements. FBA's validator checks the values whenever the list is there.
#[allow(clippy::too_many_arguments)] // each is one fact of the list's rule; a struct would only rename them
fn choice_list(
    check: &mut Checker<'_>,
    plugin: &TableRef<'_>,
    key: &str,
    allowed: &[&str],
    aliases: &[(&str, &str)],
    rule: &'static rules::Rule,
    rules: &FbaRules,
    need: Need,
) -> Vec<String> {
    let choices = allowed.join(", ");
    let Some(item) = plugin.table.get(key) else {
        let severity = match need {
            Need::Ignored => return Vec::new(),
            Need::Warned => Severity::Warning,
            Need::Required => Severity::Error,
        };
        let message = match need {
            Need::Warned => format!(
                "missing `{key}` in [plugin]: {} warns about it, and FBA 1.13.2 and later require it",
                rules.host()
            ),
            _ => format!("missing `{key}` in [plugin]: FBA 1.13.2 and later require it"),
        };
        check
            .report(rule, plugin.span.clone(), message)
            .label(format!("`{key}` is required"))
            .help(format!(
                "add `{key} = [...]` with one or more of: {choices}"
            ))
            .severity(severity);
        return Vec::new();
    };
    let Some(list) = check.string_array(plugin, key, true) else {
        return Vec::new();
    };
    if list.value.is_empty() && item.as_array().is_some_and(|a| a.is_empty()) {
        let mut reported = check.report(rule, list.span.clone(), format!("`{key}` is empty"));
        reported.help(format!("list one or more of: {choices}"));
        // Before 1.13.2 an empty list is the default, warned about as a missing one.
        match need {
            Need::Required => {}
            Need::Warned => {
                reported.severity(Severity::Warning);
            }
            Need::Ignored => {
                check.findings.pop();
            }
        }
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
    rules: &FbaRules,
    tree: &dyn Tree,
    metadata: &mut Metadata,
) {
    // `extend` before 1.6.0 and `include` from 1.11.0 are reported as the missing key of that
    // version (PK0307), not as unknown ones.
    check.unknown_keys(app, &["extend", "include", "router"], &[]);
    if extend_level {
        metadata.details.push(("level".into(), "extend".into()));
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
            Some(extend) => metadata.details.push(("extends".into(), extend.into())),
            None => check.wrong_type(app, chosen, item, "a string"),
        },
    }
}

/// `[api.<stem>]` tables and the files under `api/` they belong to. FBA walks `api/` recursively
/// (`os.walk`, every version) and looks each `.py` file other than `__init__.py` up by its stem,
/// then mounts the file's router on the extended app's package at the same path under its
/// `api/` (`backend.app.<app>.api.<path>`).
fn read_api(check: &mut Checker<'_>, root: &TableRef<'_>, rules: &FbaRules, tree: &dyn Tree) {
    let Some(api) = check.table(root, "api", "[api]", true) else {
        return;
    };
    if api.table.is_empty() && rules.validator {
        check
            .report(&rules::MISSING_KEY, api.span.clone(), "[api] holds no API")
            .help("add a table per API file, e.g. [api.notice] with prefix and tags for api/v1/sys/notice.py");
        return;
    }
    let files: Vec<String> = tree
        .files_under("api")
        .into_iter()
        .filter(|f| f.ends_with(".py") && stem(f) != "__init__")
        .collect();
    if !tree.is_dir("api") {
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
                        describe(item)
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
        let source = SourceFile::new(tree.display(file), None);
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
                .at(Location::file(&source)),
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
        .at(Location::file(&source));
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
