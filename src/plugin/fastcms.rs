//! The `fastcms` flavor: a `PLUGIN_META = {...}` dict and `register(ctx)` in the plugin's
//! `__init__.py`, checked as FastCMS's loader checks them, read statically by
//! [`crate::plugin::python`].
//!
//! The loader is `app.core.plugin_loader.load_plugins("./plugins", app, settings)` (pyfastcms
//! 0.1.6), run once in the app's lifespan start-up: every folder of `./plugins` (sorted) that
//! holds an `__init__.py` and whose name does not start with `_` is imported by
//! `_load_single_plugin` as `fastcms_plugin.<folder>` (any folder name works: it imports the
//! file by path), then `PLUGIN_META` must be a dict holding the keys `id`, `name` and
//! `version` (their values are not checked), `register` must be callable, and
//! `register(PluginContext)` is called. Every Exception (a SyntaxError, a TypeError from the
//! call) is caught and logged: a bad plugin is skipped, and never stops the app.

use std::sync::Arc;

use crate::findings::Location;
use crate::findings::rules;
use crate::plugin::flask::{check_register, check_signature, module_bindings};
use crate::plugin::flavor::ManifestText;
use crate::plugin::python::{self, DictEntry, Value};
use crate::plugin::toml_check::Checker;
use crate::plugin::tree::Tree;
use crate::plugin::{Metadata, Read, ReadContext};
use crate::util::suggest;

const REQUIRED: &[&str] = &["id", "name", "version"];
const OPTIONAL: &[&str] = &["author", "description"];

/// What a SyntaxError in a plugin does to FastCMS: `_load_single_plugin` (app/core/
/// plugin_loader.py, pyfastcms 0.1.6) catches every Exception of the import and logs it.
const IMPORT_FAILS: &str = "FastCMS logs the SyntaxError and does not load the plugin";

pub(crate) fn read(_tree: &dyn Tree, manifest: &mut ManifestText, ctx: &ReadContext) -> Read {
    let source = Arc::clone(&manifest.source);
    let mut check = Checker::new(&source);
    let mut metadata = Metadata::default();
    let Some(bindings) = module_bindings(&mut check, manifest, ctx, IMPORT_FAILS) else {
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
    if let Ok(module) = manifest.parse_python()
        && let Some(register) = python::function(module, "register")
        && !bindings.get("register").is_some_and(|b| b.conditional)
    {
        check_signature(
            &mut check,
            &register,
            1,
            "FastCMS calls `register(ctx)`, logs the TypeError and does not load the plugin",
        );
    }
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
                // FastCMS checks only that the key is there (`_REQUIRED_META_KEYS -
                // meta_data.keys()`), so it loads the plugin: a warning.
                check
                    .report(
                        &rules::FASTCMS_META_VALUE,
                        Some(entry.value_span.clone()),
                        format!("`PLUGIN_META[\"{key}\"]` is empty; FastCMS loads the plugin with an empty {key}"),
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
                // FastCMS takes any value (`PluginMeta` is a dataclass that checks no types).
                let rule = if required {
                    &rules::FASTCMS_META_VALUE
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
                    metadata.details.push(("display name", name));
                }
            }
            "version" => {
                metadata.version_at =
                    Some(Location::span(check.source, Some(entry.value_span.clone())));
                metadata.version = value;
            }
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
