//! The `fastcms` flavor: a `PLUGIN_META = {...}` dict and `register(ctx)` in the plugin's
//! `__init__.py`, checked as FastCMS's loader checks them (`id`, `name`, `version` required),
//! read statically by [`crate::plugin::python`].

use std::sync::Arc;

use crate::findings::rules;
use crate::plugin::flask::{check_register, module_bindings};
use crate::plugin::flavor::ManifestText;
use crate::plugin::python::{DictEntry, Value};
use crate::plugin::toml_check::Checker;
use crate::plugin::tree::Tree;
use crate::plugin::{Metadata, Read, ReadContext};
use crate::util::suggest;

const REQUIRED: &[&str] = &["id", "name", "version"];
const OPTIONAL: &[&str] = &["author", "description"];

pub(crate) fn read(_tree: &dyn Tree, manifest: &mut ManifestText, _ctx: &ReadContext) -> Read {
    let source = Arc::clone(&manifest.source);
    let mut check = Checker::new(&source);
    let mut metadata = Metadata::default();
    let Some(bindings) = module_bindings(&mut check, manifest) else {
        return Read {
            metadata,
            findings: check.findings,
        };
    };

    match bindings.get("PLUGIN_META") {
        None => {
            check
                .report(&rules::MISSING_KEY, None, "missing `PLUGIN_META`")
                .help("FastCMS needs PLUGIN_META = {\"id\": ..., \"name\": ..., \"version\": ...} in __init__.py");
        }
        Some(binding) => match &binding.value {
            Value::Dict(entries) if !binding.conditional => {
                read_meta(&mut check, entries, binding.span.clone(), &mut metadata);
            }
            Value::Dict(_) => {
                check
                    .report(
                        &rules::NOT_STATIC_REQUIRED,
                        Some(binding.span.clone()),
                        "`PLUGIN_META` cannot be read statically: it is assigned inside a block (if, try, ...)",
                    )
                    .help("assign PLUGIN_META a dict literal at the top level of __init__.py");
            }
            Value::Computed(what) => {
                check
                    .report(
                        &rules::NOT_STATIC_REQUIRED,
                        Some(binding.span.clone()),
                        format!("`PLUGIN_META` cannot be read statically: it is {what}"),
                    )
                    .label("not a literal")
                    .help("write PLUGIN_META as a dict literal: {\"id\": ..., \"name\": ..., \"version\": ...}");
            }
            Value::Imported => {
                check
                    .report(
                        &rules::NOT_STATIC_REQUIRED,
                        Some(binding.span.clone()),
                        "`PLUGIN_META` cannot be read statically: it is imported from another module",
                    )
                    .help("define PLUGIN_META as a dict literal in __init__.py itself");
            }
            Value::Str(_) | Value::Other(_) | Value::Function | Value::AsyncFunction => {
                check
                    .report(
                        &rules::INVALID_PLUGIN_META,
                        Some(binding.span.clone()),
                        "`PLUGIN_META` must be a dict",
                    )
                    .label("expected a dict")
                    .help("write PLUGIN_META = {\"id\": ..., \"name\": ..., \"version\": ...}");
            }
        },
    }

    check_register(&mut check, &bindings, "register(ctx)");
    Read {
        metadata,
        findings: check.findings,
    }
}

fn read_meta(
    check: &mut Checker<'_>,
    entries: &[DictEntry],
    span: std::ops::Range<usize>,
    metadata: &mut Metadata,
) {
    let known: Vec<&str> = REQUIRED.iter().chain(OPTIONAL).copied().collect();
    // A `**spread` or a computed key may supply any entry: missing ones cannot be ruled out.
    let opaque = entries.iter().any(|e| e.key.is_none());
    for entry in entries {
        if entry.key.is_none() {
            check
                .report(
                    &rules::NOT_STATIC,
                    Some(entry.key_span.clone()),
                    "an entry of `PLUGIN_META` cannot be read statically",
                )
                .help("write every entry as \"key\": \"value\"");
        }
    }
    let get = |key: &str| entries.iter().rev().find(|e| e.key.as_deref() == Some(key));
    for key in REQUIRED.iter().chain(OPTIONAL) {
        let required = REQUIRED.contains(key);
        let Some(entry) = get(key) else {
            if required && opaque {
                check
                    .report(
                        &rules::NOT_STATIC_REQUIRED,
                        Some(span.clone()),
                        format!("`PLUGIN_META[\"{key}\"]` cannot be read statically: the dict is expanded from elsewhere"),
                    )
                    .help(format!("write \"{key}\": \"...\" in the PLUGIN_META literal"));
            } else if required {
                check
                    .report(
                        &rules::MISSING_KEY,
                        Some(span.clone()),
                        format!("`PLUGIN_META` has no \"{key}\""),
                    )
                    .label(format!("\"{key}\" is required"))
                    .help(format!(
                        "FastCMS requires id, name and version; add \"{key}\": \"...\""
                    ));
            }
            continue;
        };
        let value = match &entry.value {
            Value::Str(text) if required && text.trim().is_empty() => {
                check
                    .report(
                        &rules::INVALID_PLUGIN_META,
                        Some(entry.value_span.clone()),
                        format!("`PLUGIN_META[\"{key}\"]` is empty"),
                    )
                    .help(format!("fill in \"{key}\""));
                None
            }
            Value::Str(text) => Some(text.clone()),
            Value::Computed(what) => {
                let rule = if required {
                    &rules::NOT_STATIC_REQUIRED
                } else {
                    &rules::NOT_STATIC
                };
                check
                    .report(
                        rule,
                        Some(entry.value_span.clone()),
                        format!("`PLUGIN_META[\"{key}\"]` cannot be read statically: it is {what}"),
                    )
                    .label("not a literal")
                    .help(format!("write \"{key}\" as a plain string literal"));
                None
            }
            Value::Imported | Value::Function | Value::AsyncFunction => None,
            Value::Other(_) | Value::Dict(_) => {
                let rule = if required {
                    &rules::INVALID_PLUGIN_META
                } else {
                    &rules::METADATA_TYPE
                };
                check
                    .report(
                        rule,
                        Some(entry.value_span.clone()),
                        format!("`PLUGIN_META[\"{key}\"]` must be a string"),
                    )
                    .label("expected a string")
                    .help(format!("write \"{key}\": \"...\""));
                None
            }
        };
        match *key {
            "id" => metadata.name = value,
            "name" => {
                if let Some(name) = value {
                    metadata.details.push(("display name".into(), name));
                }
            }
            "version" => metadata.version = value,
            "author" => metadata.author = value,
            _ => metadata.summary = value,
        }
    }
    // Keys FastCMS ignores are fine, but one that is a near miss of a known key is a typo.
    for entry in entries {
        let Some(key) = entry.key.as_deref().filter(|k| !known.contains(k)) else {
            continue;
        };
        if let Some(close) = suggest::closest(key, known.iter().copied()) {
            check
                .report(
                    &rules::UNKNOWN_KEY,
                    Some(entry.key_span.clone()),
                    format!("unknown key \"{key}\" in `PLUGIN_META`"),
                )
                .label(format!("did you mean \"{close}\"?"))
                .help(format!(
                    "did you mean \"{close}\"? Known keys: {}",
                    known.join(", ")
                ));
        }
    }
}
