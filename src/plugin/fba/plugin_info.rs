//! FBA's `[plugin]` table: the fields its loader required before its validator (1.3.0 to
//! 1.12.x), and the types, lengths, formats and values its validator checks (1.13.0 on), with
//! `tags` and `database` required as the version says.

use crate::findings::Location;
use crate::findings::rules::{self, Severity};
use crate::plugin::toml_check::{Checker, Spanned, TableRef, item_span};
use crate::plugin::{Dependency, Metadata};
use crate::util::suggest;

use super::RENAMED;
use super::python_dollar;
use super::versions::{FbaRules, Need};

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
const TAGS: &[&str] = &[
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
pub(super) const DATABASES: &[&str] = &["mysql", "postgresql"];
/// Common spellings of the databases that FBA does not accept.
const DATABASE_ALIASES: &[(&str, &str)] = &[
    ("pgsql", "postgresql"),
    ("postgres", "postgresql"),
    ("pg", "postgresql"),
    ("mariadb", "mysql"),
];
/// `^\d+\.\d+\.\d+$`. (Python's `\d` also takes non-ASCII digits; no real version uses them.)
pub(crate) fn is_fba_version(version: &str) -> bool {
    let version = python_dollar(version);
    version.split('.').count() == 3
        && version
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

pub(super) fn plugin_table<'d>(
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
            "version" => {
                metadata.version_at = plugin
                    .table
                    .get(key)
                    .map(|item| Location::span(check.source, item_span(item)));
                metadata.version = value;
            }
            "description" => metadata.description = value,
            _ => metadata.author = value,
        }
    }
}

/// Reads `[plugin]`; returns the valid `database` entries, `None` when it declares none.
pub(super) fn read_plugin_table(
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
                    span.clone(),
                    format!("version `{value}` is not in x.y.z form"),
                )
                .label("expected x.y.z")
                .help("FBA versions are three numbers, e.g. version = \"1.0.0\"");
        }
        metadata.version_at = Some(Location::span(check.source, span));
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
        metadata.details.push(("tags", tags.join(", ")));
    }
    if !databases.is_empty() {
        metadata.details.push(("database", databases.join(", ")));
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
    // Only a finding needs the list in words.
    let choices = || allowed.join(", ");
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
                "add `{key} = [...]` with one or more of: {}",
                choices()
            ))
            .severity(severity);
        return Vec::new();
    };
    let Some(list) = check.string_array(plugin, key, true) else {
        return Vec::new();
    };
    if list.value.is_empty() && item.as_array().is_some_and(|a| a.is_empty()) {
        let mut reported = check.report(rule, list.span.clone(), format!("`{key}` is empty"));
        reported.help(format!("list one or more of: {}", choices()));
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
                format!("did you mean `{s}`? Allowed: {}", choices()),
            ),
            None => (
                "not allowed".to_owned(),
                format!("allowed values: {}", choices()),
            ),
        };
        check
            .report(rule, span, format!("`{value}` is not a valid {key} value"))
            .label(label)
            .help(help);
    }
    valid
}
