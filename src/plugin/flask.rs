//! The `flask-pluginkit` flavor: dunder metadata and `register` in the plugin's `__init__.py`,
//! checked as Flask-PluginKit 3.x checks them when it loads a plugin (`PluginManager.__load_plugin`
//! and `_get_plugin_meta`), read statically by [`crate::plugin::python`]. What changed between
//! its releases (extension points, hooks, folder names, `__appversion__`) is looked up in
//! [`crate::plugin::flask_versions`] for the version the host runs.

use std::collections::HashMap;
use std::sync::Arc;

use ruff_text_size::Ranged;
use semver::Version;

use crate::findings::rules;
use crate::findings::{Finding, Location, SourceFile};
use crate::plugin::flask_versions::{self, FlaskPluginkit};
use crate::plugin::flavor::ManifestText;
use crate::plugin::host::HostKind;
use crate::plugin::native::is_inside;
use crate::plugin::python::{self, Binding, DictLiteral, Value};
use crate::plugin::state::{self, State};
use crate::plugin::toml_check::Checker;
use crate::plugin::tree::Tree;
use crate::plugin::{Metadata, Read, ReadContext};

/// What a SyntaxError in a plugin does to a Flask-PluginKit app: `__scan_affiliated_plugins`
/// imports each plugin and catches nothing (3.10 and earlier) or only ImportError (3.11+), so the
/// SyntaxError leaves `PluginManager.init_app`.
const IMPORT_FAILS: &str =
    "Flask-PluginKit does not catch the SyntaxError, so the whole app fails to start";

/// The metadata Flask-PluginKit requires (`hasattr` checks in `__load_plugin`).
const REQUIRED: &[&str] = &["__plugin_name__", "__version__", "__author__"];

/// Parse a module for a Python-flavored reader, reporting undecodable or unparsable source, and
/// syntax the host's Python does not have (`ctx.host.python`). `fails` says what the host does
/// when the import raises SyntaxError. Shared with the FastCMS reader.
pub(crate) fn module_bindings(
    check: &mut Checker<'_>,
    manifest: &mut ManifestText,
    ctx: &ReadContext,
    fails: &str,
) -> Option<HashMap<String, Binding>> {
    if let Some(error) = manifest.decode_error.clone() {
        check
            .report(&rules::PYTHON_ENCODING, error.span, error.message)
            .help("save the file as UTF-8, or declare its encoding on the first line: # -*- coding: <encoding> -*-");
        return None;
    }
    let python = &ctx.host.python;
    if let Some(error) = manifest.python_syntax_for(python.value) {
        // The module is read all the same: the metadata is there, and what else is wrong is
        // worth saying at once.
        let help = error.help.unwrap_or_default();
        check
            .report(
                &rules::PYTHON_SYNTAX,
                Some(error.span.clone()),
                error.message,
            )
            .label(format!("Python {} refuses this", python.value))
            .help(format!(
                "{help}; {fails} (pluginkit judges by Python {}: {})",
                python.value, python.why
            ));
    }
    match manifest.parse_python() {
        Ok(module) => Some(python::bindings(module)),
        Err(error) if error.too_deep => {
            let message = format!("{} is not read: {}", check.source.path, error.message);
            check
                .report(&rules::PYTHON_TOO_DEEP, Some(error.span.clone()), message)
                .help("flatten the nesting at the marked place (CPython refuses 200 nested brackets too)");
            None
        }
        Err(error) => {
            let message = format!("invalid Python: {}", error.message);
            let help = match &error.help {
                Some(help) => format!("{help}; {fails}"),
                None => format!("fix the syntax at the marked place; {fails}"),
            };
            check
                .report(&rules::PYTHON_SYNTAX, Some(error.span.clone()), message)
                .help(help);
            None
        }
    }
}

/// A binding's string value, reporting why there is none. `required` decides whether a value
/// that cannot be read statically is an error or a warning.
pub(crate) fn static_str(
    check: &mut Checker<'_>,
    name: &str,
    binding: &Binding,
    required: bool,
) -> Option<String> {
    let not_static = |what: &str| format!("`{name}` cannot be read statically: it is {what}");
    let rule = if required {
        &rules::NOT_STATIC_REQUIRED
    } else {
        &rules::NOT_STATIC
    };
    let help = format!("assign `{name}` a plain string literal, e.g. {name} = \"...\"");
    if binding.conditional {
        check
            .report(
                rule,
                Some(binding.span.clone()),
                not_static("assigned inside a block (if, try, ...)"),
            )
            .help(help);
        return None;
    }
    match &binding.value {
        Value::Str(text) => Some(text.clone()),
        Value::Computed(what) => {
            check
                .report(rule, Some(binding.span.clone()), not_static(what))
                .label("not a literal")
                .help(help);
            None
        }
        Value::Imported => {
            check
                .report(
                    rule,
                    Some(binding.span.clone()),
                    not_static("imported from another module"),
                )
                .help(help);
            None
        }
        Value::Function | Value::AsyncFunction => {
            check
                .report(
                    &rules::WRONG_TYPE,
                    Some(binding.span.clone()),
                    format!("`{name}` is a function, not a string"),
                )
                .help(help);
            None
        }
        Value::Other(_) | Value::Dict(_) => {
            let kind = match &binding.value {
                Value::Other(kind) => kind,
                _ => "a dict",
            };
            if required {
                check
                    .report(
                        &rules::WRONG_TYPE,
                        Some(binding.span.clone()),
                        format!("`{name}` must be a string, and is {kind}"),
                    )
                    .label("expected a string")
                    .help(help);
            } else {
                check
                    .report(
                        &rules::METADATA_TYPE,
                        Some(binding.span.clone()),
                        format!("`{name}` is {kind}, not a string"),
                    )
                    .help(help);
            }
            None
        }
    }
}

/// Report a missing `register`, or one bound to something that cannot be called.
pub(crate) fn check_register(
    check: &mut Checker<'_>,
    bindings: &HashMap<String, Binding>,
    call: &str,
) {
    match bindings.get("register") {
        None if bindings.contains_key("*") => {
            let span = bindings.get("*").map(|b| b.span.clone());
            check
                .report(&rules::NOT_STATIC_REQUIRED, span, "`register` cannot be read statically: it may come from this `import *`")
                .help(format!("import it by name (`from .module import register`) or define `def {call}: ...` in __init__.py"));
        }
        None => {
            check
                .report(&rules::MISSING_REGISTER, None, "the plugin has no `register` function")
                .help(format!(
                    "define it at the top level of __init__.py (`def {call}: ...`), or import it there"
                ));
        }
        Some(Binding {
            value: Value::AsyncFunction,
            span,
            ..
        }) => {
            check
                .report(
                    &rules::MISSING_REGISTER,
                    Some(span.clone()),
                    "`register` is async, but the host calls it without awaiting",
                )
                .label("async def")
                .help(format!("make it a plain function: `def {call}: ...`"));
        }
        Some(Binding {
            value: Value::Str(_) | Value::Other(_) | Value::Dict(_),
            span,
            ..
        }) => {
            check
                .report(
                    &rules::MISSING_REGISTER,
                    Some(span.clone()),
                    "`register` is not a function",
                )
                .label("not callable")
                .help(format!(
                    "define `def {call}: ...` at the top level of __init__.py"
                ));
        }
        Some(_) => {}
    }
}

pub(crate) fn read(tree: &dyn Tree, manifest: &mut ManifestText, ctx: &ReadContext) -> Read {
    let source = Arc::clone(&manifest.source);
    let mut check = Checker::new(&source);
    let mut metadata = Metadata::default();

    let host = FlaskPluginkit::new(ctx.host.version_of(HostKind::FlaskPluginkit));
    if let Some(folder) = tree.folder_name() {
        check_folder_name(&mut check, tree, folder, &host);
    }

    let Some(bindings) = module_bindings(&mut check, manifest, ctx, IMPORT_FAILS) else {
        return Read {
            metadata,
            findings: check.findings,
        };
    };

    let mut values: HashMap<&str, String> = HashMap::new();
    for name in REQUIRED {
        match bindings.get(*name) {
            None if bindings.contains_key("*") => {
                let span = bindings.get("*").map(|b| b.span.clone());
                check
                    .report(
                        &rules::NOT_STATIC_REQUIRED,
                        span,
                        format!(
                            "`{name}` cannot be read statically: it may come from this `import *`"
                        ),
                    )
                    .help(format!("set {name} = \"...\" in __init__.py itself"));
            }
            None => match flask_versions::misspelled(&bindings, name) {
                Some((typo, span)) => {
                    check
                        .report(
                            &rules::MISSING_KEY,
                            Some(span),
                            format!("missing `{name}`: `{typo}` is set instead"),
                        )
                        .label(format!("did you mean `{name}`?"))
                        .help(format!(
                            "rename `{typo}` to `{name}`: Flask-PluginKit requires __plugin_name__, __version__ and __author__, and refuses the plugin without them (PEPError \"metadata error\")"
                        ));
                }
                None => {
                    check
                        .report(&rules::MISSING_KEY, None, format!("missing `{name}`"))
                        .help(format!(
                            "Flask-PluginKit requires __plugin_name__, __version__ and __author__; add {name} = \"...\" to __init__.py"
                        ));
                }
            },
            Some(binding) if *name == "__version__" && matches!(binding.value, Value::Other(_)) => {
                let Value::Other(kind) = binding.value else {
                    unreachable!()
                };
                check
                    .report(
                        &rules::INVALID_VERSION,
                        Some(binding.span.clone()),
                        format!("`__version__` must be a SemVer 2.0 string, and is {kind}"),
                    )
                    .help("write it as a string, e.g. __version__ = \"1.2.0\"");
            }
            Some(binding) => {
                if let Some(value) = static_str(&mut check, name, binding, true) {
                    values.insert(name, value);
                }
            }
        }
    }
    if let Some(version) = values.get("__version__")
        && let Err(error) = Version::parse(version)
    {
        let span = bindings.get("__version__").map(|b| b.span.clone());
        check
            .report(
                &rules::INVALID_VERSION,
                span,
                format!("version `{version}` is not a SemVer 2.0 version: {error}"),
            )
            .label("not MAJOR.MINOR.PATCH")
            .help("Flask-PluginKit refuses it; write a full SemVer version such as \"1.2.0\"");
    }
    if values
        .get("__author__")
        .is_some_and(|a| a.trim().is_empty())
    {
        let span = bindings.get("__author__").map(|b| b.span.clone());
        check
            .report(&rules::EMPTY_FIELD, span, "`__author__` is empty")
            .help("name the author, e.g. __author__ = \"Ada <ada@example.com>\"");
    }

    let optional =
        |check: &mut Checker<'_>, name: &str| -> Option<(String, std::ops::Range<usize>)> {
            let binding = bindings.get(name)?;
            static_str(check, name, binding, false).map(|v| (v, binding.span.clone()))
        };
    metadata.description = optional(&mut check, "__description__").map(|(v, _)| v);
    // The description's first line is what `list`, `search` and a registry show.
    metadata.summary = metadata
        .description
        .as_deref()
        .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
        .map(str::to_owned);
    metadata.homepage = optional(&mut check, "__url__").map(|(v, _)| v);
    metadata.license = optional(&mut check, "__license__").map(|(v, _)| v);
    for (name, detail) in [
        ("__license_file__", "license file"),
        ("__readme_file__", "readme file"),
    ] {
        if let Some((file, span)) = optional(&mut check, name) {
            if !is_inside(&file) || !tree.is_file(&file) {
                check
                    .report(
                        &rules::DECLARED_FILE_MISSING,
                        Some(span),
                        format!(
                            "`{name}` names {}, which does not exist",
                            tree.display(&file)
                        ),
                    )
                    .help(format!(
                        "add the {detail} to the plugin folder, or correct `{name}`"
                    ));
            }
            metadata.details.push((detail, file));
        }
    }

    match bindings.get("__state__") {
        Some(binding) if matches!(binding.value, Value::Other(_)) => {
            check
                .report(&rules::INVALID_STATE, Some(binding.span.clone()), "`__state__` is neither \"enabled\" nor \"disabled\"")
                .help("set __state__ = \"enabled\" or \"disabled\", or remove it (enabled by default)");
        }
        Some(binding) => {
            if let Some(state) = static_str(&mut check, "__state__", binding, false) {
                match State::parse(&state) {
                    Some(parsed) => metadata.state = Some(parsed),
                    None => {
                        // Flask-PluginKit enables a plugin only when this says "enabled".
                        metadata.state = Some(State::Disabled);
                        check
                            .report(
                                &rules::INVALID_STATE,
                                Some(binding.span.clone()),
                                format!("`__state__` is `{state}`, neither `enabled` nor `disabled`"),
                            )
                            .label("expected \"enabled\" or \"disabled\"")
                            .help("Flask-PluginKit treats any other value as disabled; write __state__ = \"enabled\" or \"disabled\"");
                    }
                }
            }
        }
        None => {}
    }

    if let Some(binding) = bindings.get("__appversion__")
        && let Some(appversion) = static_str(&mut check, "__appversion__", binding, false)
    {
        // Before 3.10.0, Flask-PluginKit does not look at it.
        if host.checks_appversion() {
            check_appversion(&mut check, &appversion, binding.span.clone(), ctx);
        }
        metadata.requires = Some(appversion);
    }

    check_register(&mut check, &bindings, "register()");
    if let Ok(module) = manifest.parse_python()
        && let Some(register) = python::function(module, "register")
        && !bindings.get("register").is_some_and(|b| b.conditional)
    {
        check_signature(
            &mut check,
            &register,
            0,
            "Flask-PluginKit calls `register()`, and the TypeError stops the app",
        );
        // As `__load_plugin` decides it: a DISABLED file wins, then an ENABLED file, then
        // `__state__`; only an enabled plugin's extension points are read.
        let enabled = if tree.is_file(state::DISABLED_FILE) {
            false
        } else {
            tree.is_file(state::ENABLED_FILE) || metadata.state != Some(State::Disabled)
        };
        check_extension_points(&mut check, &register, &host, enabled);
    }

    metadata.name = values.remove("__plugin_name__");
    metadata.version_at = bindings
        .get("__version__")
        .map(|binding| Location::span(check.source, Some(binding.span.clone())));
    metadata.version = values.remove("__version__");
    metadata.author = values.remove("__author__");
    Read {
        metadata,
        findings: check.findings,
    }
}

/// The plugin folder's name, as the host's Flask-PluginKit imports it (see
/// [`FlaskPluginkit::needs_identifier_names`]).
fn check_folder_name(
    check: &mut Checker<'_>,
    tree: &dyn Tree,
    folder: &str,
    host: &FlaskPluginkit,
) {
    let fixed: String = folder
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let message = if host.needs_identifier_names() {
        if python::is_identifier(folder) {
            return;
        }
        format!(
            "the folder name `{folder}` is not a Python identifier, so {} skips the plugin (it logs \"Invalid plugin package name\")",
            host.name()
        )
    } else if folder.contains('.') {
        format!(
            "{} imports the folder `{folder}` as a package path (plugins.{folder}), which fails with ModuleNotFoundError and stops the app",
            host.name()
        )
    } else {
        return;
    };
    check.findings.push(
        Finding::new(&rules::INVALID_PACKAGE_NAME, message)
            .help(format!("rename the folder, e.g. to `{fixed}`"))
            .at(Location::file(&SourceFile::new(tree.display(""), None))),
    );
}

/// Report a `register` the host cannot call with `given` positional arguments.
pub(crate) fn check_signature(
    check: &mut Checker<'_>,
    register: &python::Function<'_>,
    given: usize,
    consequence: &str,
) {
    if let Some(why) = register.refuses(given) {
        let call = if given == 0 {
            "register()"
        } else {
            "register(ctx)"
        };
        check
            .report(
                &rules::REGISTER_SIGNATURE,
                Some(register.span.clone()),
                format!("`register` cannot be called as `{call}`: {why}"),
            )
            .label("raises TypeError")
            .help(format!("define it as `def {call}: ...`; {consequence}"));
    }
}

/// The extension points a literal `register()` return names, and the hooks of a literal `hep`,
/// against those of the host's Flask-PluginKit (see [`crate::plugin::flask_versions`]). Only
/// a function with one `return` is read: then that literal is what it returns.
fn check_extension_points(
    check: &mut Checker<'_>,
    register: &python::Function<'_>,
    host: &FlaskPluginkit,
    enabled: bool,
) {
    let [Some(returned)] = register.returns.as_slice() else {
        return;
    };
    let entries = match python::dict_literal(returned) {
        DictLiteral::Dict { entries, open } => {
            if entries.is_empty() && !open && !host.accepts_empty_register() {
                check
                    .report(
                        &rules::REGISTER_RETURN_TYPE,
                        Some(python::span(returned.range())),
                        format!("`register()` returns an empty dict, which {} refuses (PEPError)", host.name()),
                    )
                    .help("return the plugin's extension points, or upgrade Flask-PluginKit (3.0.1 accepts an empty dict)");
            }
            entries
        }
        DictLiteral::Other(kind) => {
            check
                .report(
                    &rules::REGISTER_RETURN_TYPE,
                    Some(python::span(returned.range())),
                    format!("`register()` returns {kind}, and Flask-PluginKit raises PEPError unless it is a dict"),
                )
                .label("not a dict")
                .help("return a dict of extension points, e.g. return {\"bep\": {\"blueprint\": bp, \"prefix\": \"/demo\"}}");
            return;
        }
        DictLiteral::Unknown => return,
    };
    let (rule, consequence) = if enabled {
        (
            &rules::UNKNOWN_EXTENSION_POINT,
            "it raises PEPError at start-up, and the app does not start",
        )
    } else {
        (
            &rules::DISABLED_UNKNOWN_EXTENSION,
            "the plugin is disabled, so it is not read now; once it is enabled, it raises PEPError and the app does not start",
        )
    };
    let known = host.extension_points();
    for (key, span, value) in &entries {
        if !known.contains(&key.as_str()) {
            let history = host
                .history(key)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            check
                .report(
                    rule,
                    Some(span.clone()),
                    format!(
                        "`register()` returns the extension point `{key}`, which {} does not have{history}: {consequence}",
                        host.name()
                    ),
                )
                .label("unknown extension point")
                .help(format!("use one of {}", known.join(", ")));
            continue;
        }
        if key != "hep" {
            continue;
        }
        let DictLiteral::Dict { entries: hooks, .. } = python::dict_literal(value) else {
            continue;
        };
        let rule = if enabled { &rules::UNKNOWN_HOOK } else { rule };
        let allowed = host.hooks();
        for (hook, span, _) in hooks {
            if allowed.contains(&hook.as_str()) {
                continue;
            }
            let history = host
                .history(&hook)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            let help = if hook == "before_first_request" {
                format!(
                    "run the code once at start-up instead (in register() itself, or with the `on_app_ready` hook of Flask-PluginKit 3.11+); the hooks are {}",
                    allowed.join(", ")
                )
            } else {
                format!("use one of {}", allowed.join(", "))
            };
            check
                .report(
                    rule,
                    Some(span),
                    format!(
                        "the hook `{hook}` in `hep` is not one {} has{history}: {consequence}",
                        host.name()
                    ),
                )
                .label("unknown hook")
                .help(help);
        }
    }
}

/// `__appversion__` as Flask-PluginKit's `is_match_version_req` evaluates it: parts split at
/// commas; a bare SemVer version means `>=` it; otherwise `>=`, `<=`, `==`, `!=`, `>` or `<`
/// followed directly by a full SemVer version (python-semver's `Version.match`). Anything else
/// makes Flask-PluginKit refuse the plugin. The versions are compared with `[host] version`
/// when the host declares one.
fn check_appversion(
    check: &mut Checker<'_>,
    appversion: &str,
    span: std::ops::Range<usize>,
    ctx: &ReadContext,
) {
    if appversion.is_empty() {
        return;
    }
    let mut failed = Vec::new();
    // Flask-PluginKit splits at `\s*,\s*`: blanks around the commas go, the others stay (and
    // make the part invalid, as python-semver allows none).
    let parts: Vec<&str> = appversion.split(',').collect();
    let last = parts.len() - 1;
    for (i, part) in parts.into_iter().enumerate() {
        let part = if i > 0 { part.trim_start() } else { part };
        let part = if i < last { part.trim_end() } else { part };
        match parse_comparison(part) {
            Ok((op, version)) => {
                if let Some(host) = ctx.host.version_of(HostKind::FlaskPluginkit) {
                    let order = host.cmp_precedence(&version);
                    let matches = match op {
                        ">=" => order.is_ge(),
                        "<=" => order.is_le(),
                        ">" => order.is_gt(),
                        "<" => order.is_lt(),
                        "==" => order.is_eq(),
                        _ => order.is_ne(),
                    };
                    if !matches {
                        failed.push(part.to_owned());
                    }
                }
            }
            Err(why) => {
                check
                    .report(
                        &rules::INVALID_APPVERSION,
                        Some(span.clone()),
                        format!("`__appversion__` part `{part}` {why}"),
                    )
                    .help("write comma-separated comparisons with full versions, e.g. \">=1.0.0, <2.0.0\"");
                return;
            }
        }
    }
    if let (false, Some(host)) = (
        failed.is_empty(),
        ctx.host.version_of(HostKind::FlaskPluginkit),
    ) {
        check
            .report(
                &rules::HOST_VERSION_MISMATCH,
                Some(span),
                format!("the plugin requires {appversion}, but the host is {host} (fails {})", failed.join(", ")),
            )
            .help("use a version of the plugin made for this host, or widen __appversion__ if it works with it");
    }
}

/// One comparison of `__appversion__`: the operator and the version.
fn parse_comparison(part: &str) -> Result<(&'static str, Version), String> {
    if let Ok(version) = Version::parse(part) {
        return Ok((">=", version));
    }
    let (op, rest) = [">=", "<=", "==", "!=", ">", "<"]
        .iter()
        .find_map(|op| part.strip_prefix(op).map(|rest| (*op, rest)))
        .ok_or_else(|| "does not start with a version or with >=, <=, ==, !=, > or <".to_owned())?;
    Version::parse(rest)
        .map(|version| (op, version))
        .map_err(|e| format!("does not compare with a full SemVer version ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appversion_parts_parse_like_python_semver() {
        assert_eq!(parse_comparison("1.0.0").unwrap().0, ">=");
        assert_eq!(parse_comparison(">=3.0.0").unwrap().0, ">=");
        assert_eq!(parse_comparison("<4.0.0-rc.1").unwrap().0, "<");
        assert_eq!(parse_comparison("!=3.1.0").unwrap().0, "!=");
        assert!(
            parse_comparison(">=1.0").is_err(),
            "python-semver needs full versions"
        );
        assert!(
            parse_comparison(">= 1.0.0").is_err(),
            "no space after the operator"
        );
        assert!(parse_comparison("~1.0.0").is_err());
        assert!(parse_comparison("").is_err());
    }
}
