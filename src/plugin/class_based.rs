//! The `class-based` flavor: the Flask-Plugin pattern (seed `003_*`), whose plugin is a folder
//! `Name/` holding `Name.py` with a module-level `class Info` (`name`, `author`, `endpoint`,
//! `classname`; `plugin_type` and `version` optional) and the class `Info.classname` names.
//!
//! What is checked is what the pattern's loader does, as the public implementation of it has it
//! (ryanq47/WhisperNet, `Server/server.py`, `ControlServer.load_plugins`, at 3a2956a):
//!
//! ```python
//! for plugin_file in os.listdir(plugin_folder_path):          # every top-level .py
//!     if plugin_file.endswith('.py'):
//!         try:
//!             module = importlib.import_module(module_path)
//!             for name, class_obj in inspect.getmembers(module, inspect.isclass):
//!                 if name != module.Info.classname: continue
//!                 plugin_instance = class_obj(app); plugin_instance.main()
//!                 p_name = module.Info.name; endpoint = module.Info.endpoint; ...
//!         except ImportError as e: ...       # logged; the plugin is skipped
//!         except AttributeError as e: ...    # logged; the plugin is skipped
//! ```
//!
//! So a missing `Info` or `main`, or a missing `Info` field, is logged and the plugin skipped,
//! while a SyntaxError, a TypeError from `cls(app)` or `main()`, and whatever Flask raises while
//! `main()` registers routes (a rule without a leading `/`: ValueError; a view name another
//! plugin took: AssertionError) stop the whole app at start-up. Routes and view names are read
//! from the methods `__init__` and `main` reach, and compared across the plugins of a folder by
//! [`check`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use ruff_python_ast::{
    ConversionFlag, Expr, InterpolatedStringElement, ModModule, Parameters, Stmt, StmtClassDef,
    StmtFunctionDef,
};
use ruff_text_size::Ranged;

use crate::findings::rules;
use crate::findings::{Finding, Location, SourceFile};
use crate::plugin::flask::module_bindings;
use crate::plugin::flavor::{ManifestText, folder_of};
use crate::plugin::python::{self, Binding, Value, span};
use crate::plugin::toml_check::Checker;
use crate::plugin::tree::Tree;
use crate::plugin::{Metadata, Plugin, Read, ReadContext};

/// The `Info` fields the loader reads (`classname` before it instantiates the class, the others
/// after `main()`), each a string.
const REQUIRED: &[&str] = &["name", "author", "endpoint", "classname"];

/// What the pattern's loader does with a module that raises SyntaxError: it catches only
/// ImportError and AttributeError.
const SYNTAX_FAILS: &str = "the pattern's loader catches only ImportError and AttributeError, so the SyntaxError stops the whole app";

/// What `Info.plugin_type` may be.
const PLUGIN_TYPES: &[&str] = &["Builtin", "Portable"];

/// The endpoint Flask registers for an app's static files, which no view may take.
const FLASK_STATIC: &str = "static";

/// A URL rule a plugin registers with Flask when it loads, for the checks across plugins.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// The rule as Flask gets it.
    pub(crate) rule: String,
    /// The methods it answers (HEAD with GET; OPTIONS, which Flask adds to all, left out), when
    /// they are literals.
    pub(crate) methods: Option<BTreeSet<String>>,
    /// The endpoint name its view function is registered under, when it has a view function and
    /// the name is known.
    pub(crate) endpoint: Option<String>,
    /// The rule's expression.
    pub(crate) location: Location,
}

impl Route {
    /// The rule as Werkzeug matches it: its map merges repeated slashes.
    fn matched_as(&self) -> String {
        let mut out = String::with_capacity(self.rule.len());
        for c in self.rule.chars() {
            if !(c == '/' && out.ends_with('/')) {
                out.push(c);
            }
        }
        out
    }
}

/// A string as far as it can be known without running the module.
#[derive(Debug, Clone)]
enum Text {
    Str(String),
    /// A literal of another type: what it is.
    NotStr(&'static str),
    /// Something Python would have to run: why, in words.
    Computed(&'static str),
}

/// The names a string expression may use: the module's string constants and `Info`'s fields.
struct Scope<'a> {
    module: &'a HashMap<String, Binding>,
    info: &'a BTreeMap<String, Field>,
    /// Inside `class Info` itself, its earlier fields are plain names.
    in_info: bool,
}

/// How deep [`Scope::text`] follows an expression (`'a' + 'b' + ...` nests as deep as it is
/// long): far more than any string a plugin builds, little enough for any thread's stack.
const MAX_DEPTH: usize = 64;

impl Scope<'_> {
    fn text(&self, expr: &Expr) -> Text {
        self.text_within(expr, MAX_DEPTH)
    }

    fn text_within(&self, expr: &Expr, depth: usize) -> Text {
        let Some(depth) = depth.checked_sub(1) else {
            return Text::Computed("an expression nested too deep to follow");
        };
        match expr {
            Expr::StringLiteral(s) => Text::Str(s.value.to_str().to_owned()),
            Expr::Name(name) => {
                let id = name.id.as_str();
                if self.in_info
                    && let Some(field) = self.info.get(id)
                {
                    return field.text.clone();
                }
                match self.module.get(id) {
                    Some(Binding {
                        value: Value::Str(text),
                        conditional: false,
                        ..
                    }) => Text::Str(text.clone()),
                    Some(Binding {
                        value: Value::Other(kind),
                        conditional: false,
                        ..
                    }) => Text::NotStr(kind),
                    _ => Text::Computed("a name defined elsewhere"),
                }
            }
            Expr::Attribute(attr) => match attr.value.as_ref() {
                Expr::Name(owner) if owner.id.as_str() == "Info" => self
                    .info
                    .get(attr.attr.as_str())
                    .map_or(Text::Computed("a field Info does not have"), |f| {
                        f.text.clone()
                    }),
                _ => Text::Computed("an attribute of another object"),
            },
            Expr::FString(fstring) => {
                let mut out = String::new();
                for part in fstring.value.iter() {
                    let elements = match part {
                        ruff_python_ast::FStringPart::Literal(s) => {
                            out.push_str(&s.value);
                            continue;
                        }
                        ruff_python_ast::FStringPart::FString(f) => &f.elements,
                    };
                    for element in elements {
                        match element {
                            InterpolatedStringElement::Literal(literal) => out.push_str(literal),
                            InterpolatedStringElement::Interpolation(field) => {
                                let plain = field.debug_text.is_none()
                                    && field.format_spec.is_none()
                                    && matches!(
                                        field.conversion,
                                        ConversionFlag::None | ConversionFlag::Str
                                    );
                                match self.text_within(&field.expression, depth) {
                                    Text::Str(text) if plain => out.push_str(&text),
                                    _ => return Text::Computed("an f-string"),
                                }
                            }
                        }
                    }
                }
                Text::Str(out)
            }
            Expr::BinOp(op) if op.op == ruff_python_ast::Operator::Add => {
                match (
                    self.text_within(&op.left, depth),
                    self.text_within(&op.right, depth),
                ) {
                    (Text::Str(a), Text::Str(b)) => Text::Str(a + &b),
                    _ => Text::Computed("an expression"),
                }
            }
            other => match python::evaluate(other) {
                Value::Other(kind) => Text::NotStr(kind),
                Value::Dict(_) => Text::NotStr("a dict"),
                Value::Computed(why) => Text::Computed(why),
                _ => Text::Computed("an expression"),
            },
        }
    }
}

/// One class attribute of `Info`.
#[derive(Debug, Clone)]
struct Field {
    text: Text,
    /// The value's span.
    span: Range<usize>,
}

pub(crate) fn read(tree: &dyn Tree, manifest: &mut ManifestText, ctx: &ReadContext) -> Read {
    let source = Arc::clone(&manifest.source);
    let mut check = Checker::new(&source);
    let stem = folder_of(tree).unwrap_or("plugin").to_owned();
    let mut metadata = Metadata {
        name: Some(stem.clone()),
        ..Metadata::default()
    };
    let manifest_rel = format!("{stem}.py");

    let Some(bindings) = module_bindings(&mut check, manifest, ctx, SYNTAX_FAILS) else {
        let mut findings = check.findings;
        findings.extend(other_modules(tree, &manifest_rel, None, ctx));
        return Read { metadata, findings };
    };
    let Some(Ok(module)) = manifest.python.as_ref() else {
        return Read {
            metadata,
            findings: check.findings,
        };
    };

    let Some(info_class) = top_level_class(module, "Info") else {
        let (span, why) = match bindings.get("Info") {
            Some(b) => (
                Some(b.span.clone()),
                "`Info` is not a class defined at the top level of the module",
            ),
            None => (None, "the module defines no `class Info`"),
        };
        check
            .report(
                &rules::CLASS_BASED_NO_INFO,
                span,
                format!("{why}, so the loader's `module.Info` fails and the plugin is skipped"),
            )
            .help(format!(
                "define `class Info:` at the top level of {manifest_rel}, with name, author, endpoint and classname"
            ));
        let mut findings = check.findings;
        findings.extend(other_modules(tree, &manifest_rel, None, ctx));
        return Read { metadata, findings };
    };

    let info = info_fields(&bindings, info_class);
    let mut values = required_fields(&mut check, &info, info_class);
    endpoint_form(&mut check, &info, values.get("endpoint"), &stem);
    optional_fields(&mut check, &info, &mut metadata);
    let routes = match values.get("classname") {
        Some(classname) => plugin_class(
            &mut check,
            module,
            &bindings,
            &info,
            classname,
            &manifest_rel,
        ),
        None => Vec::new(),
    };

    let classname = values.get("classname").cloned();
    metadata.author = values.remove("author");
    if let Some(name) = values.remove("name") {
        metadata.details.push(("display name", name));
    }
    for key in ["endpoint", "classname"] {
        if let Some(value) = values.remove(key) {
            metadata.details.push((key, value));
        }
    }
    metadata.routes = routes;
    let mut findings = check.findings;
    findings.extend(other_modules(
        tree,
        &manifest_rel,
        classname.as_deref(),
        ctx,
    ));
    Read { metadata, findings }
}

/// The string values of the fields the loader reads, reporting those missing, empty or not
/// strings.
fn required_fields(
    check: &mut Checker<'_>,
    info: &BTreeMap<String, Field>,
    class: &StmtClassDef,
) -> HashMap<&'static str, String> {
    let info_span = span(class.name.range);
    let inherits = class.arguments.as_ref().is_some_and(|a| !a.args.is_empty());
    let mut values: HashMap<&str, String> = HashMap::new();
    for key in REQUIRED {
        let Some(field) = info.get(*key) else {
            if inherits {
                check
                    .report(
                        &rules::NOT_STATIC_REQUIRED,
                        Some(info_span.clone()),
                        format!("`Info.{key}` cannot be read statically: Info does not set it, and may inherit it"),
                    )
                    .help(format!("set `{key} = \"...\"` in the body of class Info"));
            } else {
                check
                    .report(
                        &rules::MISSING_KEY,
                        Some(info_span.clone()),
                        format!("`class Info` has no `{key}`"),
                    )
                    .label(format!("`{key}` is required"))
                    .help(format!(
                        "the loader reads Info.{key}; add `{key} = \"...\"` to class Info"
                    ));
            }
            continue;
        };
        match &field.text {
            Text::Str(text) => {
                values.insert(key, text.clone());
            }
            Text::NotStr(kind) => {
                check
                    .report(
                        &rules::WRONG_TYPE,
                        Some(field.span.clone()),
                        format!("`Info.{key}` must be a string, and is {kind}"),
                    )
                    .label("expected a string")
                    .help(format!("write `{key} = \"...\"`"));
            }
            Text::Computed(why) => {
                check
                    .report(
                        &rules::NOT_STATIC_REQUIRED,
                        Some(field.span.clone()),
                        format!("`Info.{key}` cannot be read statically: it is {why}"),
                    )
                    .label("not a literal")
                    .help(format!(
                        "write `{key}` as a string literal (or a module-level string constant)"
                    ));
            }
        }
    }
    for key in ["name", "author"] {
        if values.get(key).is_some_and(|v| v.trim().is_empty()) {
            check
                .report(
                    &rules::EMPTY_FIELD,
                    info.get(key).map(|f| f.span.clone()),
                    format!("`Info.{key}` is empty"),
                )
                .help(format!("fill in `{key}`"));
        }
    }
    values
}

/// The pattern's endpoint: `/name`, to which routes add `/...`.
fn endpoint_form(
    check: &mut Checker<'_>,
    info: &BTreeMap<String, Field>,
    endpoint: Option<&String>,
    stem: &str,
) {
    if let (Some(endpoint), Some(field)) = (endpoint, info.get("endpoint"))
        && (!endpoint.starts_with('/') || endpoint.ends_with('/'))
    {
        let bare = endpoint.trim_matches('/');
        let fixed = if bare.is_empty() {
            format!("/{}", stem.to_lowercase())
        } else {
            format!("/{bare}")
        };
        let label = if endpoint.starts_with('/') {
            "ends with `/`"
        } else {
            "does not start with `/`"
        };
        check
            .report(
                &rules::CLASS_BASED_ENDPOINT_FORM,
                Some(field.span.clone()),
                format!("`Info.endpoint` is `{endpoint}`, which {label}"),
            )
            .label(label)
            .help(format!(
                "the pattern builds routes as f'{{Info.endpoint}}/...': write endpoint = \"{fixed}\""
            ));
    }
}

/// The class `Info.classname` names: how the loader instantiates it and runs `main()`, and the
/// routes that registers.
fn plugin_class(
    check: &mut Checker<'_>,
    module: &ModModule,
    bindings: &HashMap<String, Binding>,
    info: &BTreeMap<String, Field>,
    classname: &str,
    manifest_rel: &str,
) -> Vec<Route> {
    let field_span = info.get("classname").map(|f| f.span.clone());
    match top_level_class(module, classname) {
        Some(class) => {
            check_class(check, class, classname);
            let scope = Scope {
                module: bindings,
                info,
                in_info: false,
            };
            registrations(check, &scope, class)
        }
        // Imported, or defined in a block: the loader sees it, pluginkit cannot read it.
        None if bindings.contains_key(classname) => Vec::new(),
        None => {
            let classes: Vec<&str> = module
                .body
                .iter()
                .filter_map(|stmt| match stmt {
                    Stmt::ClassDef(c) if c.name.as_str() != "Info" => Some(c.name.as_str()),
                    _ => None,
                })
                .collect();
            let help = match crate::util::suggest::closest(classname, classes.iter().copied())
                .or_else(|| (classes.len() == 1).then(|| classes[0]))
            {
                Some(close) => format!("did you mean `{close}`? Write classname = \"{close}\""),
                None => format!(
                    "define `class {classname}:` at the top level of {manifest_rel}, with __init__(self, app) and main(self)"
                ),
            };
            check
                .report(
                    &rules::CLASS_BASED_NO_CLASS,
                    field_span,
                    format!(
                        "`Info.classname` is `{classname}`, but {manifest_rel} defines no class of that name, so the loader never instantiates the plugin"
                    ),
                )
                .label("no such class")
                .help(help);
            Vec::new()
        }
    }
}

/// `plugin_type` and `version`: neither is needed by the loader, both are read by people and by
/// `pluginkit package`.
fn optional_fields(
    check: &mut Checker<'_>,
    info: &BTreeMap<String, Field>,
    metadata: &mut Metadata,
) {
    if let Some(field) = info.get("plugin_type") {
        match &field.text {
            Text::Str(kind) if PLUGIN_TYPES.contains(&kind.as_str()) => {
                metadata.details.push(("plugin type", kind.clone()));
            }
            Text::Str(kind) => {
                let help = match crate::util::suggest::closest(kind, PLUGIN_TYPES.iter().copied()) {
                    Some(close) => format!("did you mean \"{close}\"?"),
                    None => {
                        "write plugin_type = \"Builtin\" or \"Portable\", or leave it out".into()
                    }
                };
                check
                    .report(
                        &rules::CLASS_BASED_PLUGIN_TYPE,
                        Some(field.span.clone()),
                        format!("`Info.plugin_type` is `{kind}`, neither `Builtin` nor `Portable`"),
                    )
                    .help(help);
            }
            Text::NotStr(kind) | Text::Computed(kind) => {
                check
                    .report(
                        &rules::CLASS_BASED_PLUGIN_TYPE,
                        Some(field.span.clone()),
                        format!("`Info.plugin_type` is {kind}, not the string \"Builtin\" or \"Portable\""),
                    )
                    .help("write plugin_type = \"Builtin\" or \"Portable\", or leave it out");
            }
        }
    }
    if let Some(field) = info.get("version") {
        metadata.version_at = Some(Location::span(check.source, Some(field.span.clone())));
        match &field.text {
            Text::Str(version) => match semver::Version::parse(version) {
                Ok(_) => metadata.version = Some(version.clone()),
                Err(error) => {
                    check
                        .report(
                            &rules::CLASS_BASED_VERSION,
                            Some(field.span.clone()),
                            format!("`Info.version` `{version}` is not a SemVer 2.0 version: {error}"),
                        )
                        .label("not MAJOR.MINOR.PATCH")
                        .help("write a full SemVer version such as \"1.2.0\"; `pluginkit package` needs one");
                }
            },
            Text::NotStr(kind) | Text::Computed(kind) => {
                check
                    .report(
                        &rules::CLASS_BASED_VERSION,
                        Some(field.span.clone()),
                        format!("`Info.version` is {kind}, not a version string"),
                    )
                    .help("write version = \"1.2.0\"; `pluginkit package` reads it as a string literal");
            }
        }
    }
}

/// The class named `name` defined at the top level of `module` (the last definition wins, as
/// Python rebinds the name).
fn top_level_class<'m>(module: &'m ModModule, name: &str) -> Option<&'m StmtClassDef> {
    module.body.iter().rev().find_map(|stmt| match stmt {
        Stmt::ClassDef(class) if class.name.as_str() == name => Some(class),
        _ => None,
    })
}

/// `Info`'s class attributes, in order, each read as far as it can be.
fn info_fields(
    bindings: &HashMap<String, Binding>,
    class: &StmtClassDef,
) -> BTreeMap<String, Field> {
    let mut fields = BTreeMap::new();
    for stmt in &class.body {
        let (targets, value): (Vec<&Expr>, &Expr) = match stmt {
            Stmt::Assign(assign) => (assign.targets.iter().collect(), &assign.value),
            Stmt::AnnAssign(assign) => match &assign.value {
                Some(value) => (vec![assign.target.as_ref()], value),
                None => continue,
            },
            _ => continue,
        };
        let text = Scope {
            module: bindings,
            info: &fields,
            in_info: true,
        }
        .text(value);
        for target in targets {
            if let Expr::Name(name) = target {
                fields.insert(
                    name.id.as_str().to_owned(),
                    Field {
                        text: text.clone(),
                        span: span(value.range()),
                    },
                );
            }
        }
    }
    fields
}

/// The methods of a class body, by name (the last definition wins).
fn methods(class: &StmtClassDef) -> HashMap<&str, &StmtFunctionDef> {
    class
        .body
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::FunctionDef(def) => Some((def.name.as_str(), def)),
            _ => None,
        })
        .collect()
}

/// Whether the class's bases may supply what its own body lacks.
fn has_bases(class: &StmtClassDef) -> bool {
    class.arguments.as_ref().is_some_and(|a| {
        a.args
            .iter()
            .any(|base| !matches!(base, Expr::Name(n) if n.id.as_str() == "object"))
    })
}

/// Whether a method can be called with `extra` positional arguments after `self` (and nothing
/// else): `Ok`, or what goes wrong.
fn accepts(parameters: &Parameters, extra: usize) -> Result<(), String> {
    let positional: Vec<_> = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .collect();
    let given = extra + 1;
    if positional.len() < given && parameters.vararg.is_none() {
        return Err(format!(
            "it takes {} positional parameter{} (self included), and is given {given}",
            positional.len(),
            if positional.len() == 1 { "" } else { "s" }
        ));
    }
    if let Some(required) = positional.iter().skip(given).find(|p| p.default.is_none()) {
        return Err(format!(
            "its parameter `{}` has no default, and is not given",
            required.name()
        ));
    }
    if let Some(required) = parameters.kwonlyargs.iter().find(|p| p.default.is_none()) {
        return Err(format!(
            "its keyword-only parameter `{}` has no default, and is not given",
            required.name()
        ));
    }
    Ok(())
}

/// `cls(app)` and `.main()` as the loader calls them.
fn check_class(check: &mut Checker<'_>, class: &StmtClassDef, classname: &str) {
    let methods = methods(class);
    let inherits = has_bases(class);
    // A decorated method (staticmethod, a wrapper...) may take anything: not judged.
    let plain = |def: &&&StmtFunctionDef| def.decorator_list.is_empty();
    match methods.get("__init__").filter(plain) {
        Some(init) => {
            if let Err(why) = accepts(&init.parameters, 1) {
                check
                    .report(
                        &rules::CLASS_BASED_INIT,
                        Some(span(init.parameters.range())),
                        format!(
                            "the loader instantiates `{classname}(app)`, but its `__init__` cannot take the app: {why}; the TypeError stops the app at start-up"
                        ),
                    )
                    .label("cannot be called as (self, app)")
                    .help("define it as `def __init__(self, app):` (further parameters need defaults)");
            }
        }
        None if !inherits && !methods.contains_key("__init__") => {
            check
                .report(
                    &rules::CLASS_BASED_INIT,
                    Some(span(class.name.range)),
                    format!(
                        "`{classname}` has no `__init__`, so `{classname}(app)` fails with a TypeError (it takes no arguments) and the app stops at start-up"
                    ),
                )
                .help("define `def __init__(self, app): self.app = app`");
        }
        None => {}
    }
    match methods.get("main").filter(plain) {
        Some(main) if main.is_async => {
            check
                .report(
                    &rules::CLASS_BASED_MAIN,
                    Some(span(main.name.range)),
                    format!("`{classname}.main` is async, but the loader calls it without awaiting, so its body never runs"),
                )
                .label("async def")
                .help("make it a plain method: `def main(self):`");
        }
        Some(main) => {
            if let Err(why) = accepts(&main.parameters, 0) {
                check
                    .report(
                        &rules::CLASS_BASED_MAIN,
                        Some(span(main.parameters.range())),
                        format!(
                            "the loader calls `main()` without arguments, but {why}; the TypeError stops the app at start-up"
                        ),
                    )
                    .label("cannot be called as (self)")
                    .help("define it as `def main(self):`");
            }
        }
        None if !inherits && !methods.contains_key("main") => {
            check
                .report(
                    &rules::CLASS_BASED_MAIN,
                    Some(span(class.name.range)),
                    format!(
                        "`{classname}` has no `main` method: the loader's `plugin_instance.main()` fails with an AttributeError, and the plugin's routes are never registered"
                    ),
                )
                .help("define `def main(self):` that registers the plugin's routes");
        }
        None => {}
    }
}

/// One route registration as written: `X.route(RULE, ...)(VIEW)`, `@X.route(RULE, ...)` on a
/// function, or `X.add_url_rule(RULE, ENDPOINT, VIEW, ...)`.
struct Registration<'a> {
    rule: &'a Expr,
    keywords: &'a [ruff_python_ast::Keyword],
    /// The endpoint given positionally (add_url_rule's second argument).
    endpoint: Option<&'a Expr>,
    view: View<'a>,
}

/// The view function of a registration.
enum View<'a> {
    Expr(&'a Expr),
    Named(&'a str),
    None,
}

/// A call `X.method(...)` when `expr` is one: its arguments.
fn method_call<'a>(expr: &'a Expr, method: &str) -> Option<&'a ruff_python_ast::Arguments> {
    let Expr::Call(call) = expr else { return None };
    match call.func.as_ref() {
        Expr::Attribute(attr) if attr.attr.as_str() == method => Some(&call.arguments),
        _ => None,
    }
}

fn registration(expr: &Expr) -> Option<Registration<'_>> {
    let Expr::Call(call) = expr else { return None };
    // `X.route(RULE, ...)(VIEW)`
    if let Some(route) = method_call(&call.func, "route") {
        return Some(Registration {
            rule: route_rule(route)?,
            keywords: &route.keywords,
            endpoint: None,
            view: call.arguments.args.first().map_or(View::None, View::Expr),
        });
    }
    // `X.add_url_rule(RULE, ENDPOINT=None, VIEW_FUNC=None, ...)`
    let args = method_call(expr, "add_url_rule")?;
    let keyword = |name: &str| {
        args.keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name))
            .map(|k| &k.value)
    };
    let view = args
        .args
        .get(2)
        .or_else(|| keyword("view_func"))
        .map_or(View::None, View::Expr);
    Some(Registration {
        rule: route_rule(args)?,
        keywords: &args.keywords,
        endpoint: args.args.get(1).filter(|e| !e.is_none_literal_expr()),
        view,
    })
}

/// The rule argument of `route` or `add_url_rule`.
fn route_rule(args: &ruff_python_ast::Arguments) -> Option<&Expr> {
    args.args.first().or_else(|| {
        args.keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "rule"))
            .map(|k| &k.value)
    })
}

/// What one method does: the routes it registers and the methods of `self` it calls.
#[derive(Default)]
struct Reach<'a> {
    registrations: Vec<Registration<'a>>,
    calls: Vec<&'a str>,
}

/// Walk a method's statements (blocks and nested functions; expressions only at the top of a
/// statement, so nothing here recurses as deep as an expression can nest).
fn walk<'a>(body: &'a [Stmt], out: &mut Reach<'a>) {
    for stmt in body {
        let exprs: Vec<&Expr> = match stmt {
            Stmt::Expr(e) => vec![&e.value],
            Stmt::Assign(a) => vec![&a.value],
            Stmt::AnnAssign(a) => a.value.as_deref().into_iter().collect(),
            Stmt::Return(r) => r.value.as_deref().into_iter().collect(),
            _ => Vec::new(),
        };
        for expr in exprs {
            if let Some(found) = registration(expr) {
                out.registrations.push(found);
            } else if let Expr::Call(call) = expr
                && let Expr::Attribute(attr) = call.func.as_ref()
                && matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
            {
                out.calls.push(attr.attr.as_str());
            }
        }
        match stmt {
            Stmt::FunctionDef(def) => {
                for decorator in &def.decorator_list {
                    if let Some(route) = method_call(&decorator.expression, "route")
                        && let Some(rule) = route_rule(route)
                    {
                        out.registrations.push(Registration {
                            rule,
                            keywords: &route.keywords,
                            endpoint: None,
                            view: View::Named(def.name.as_str()),
                        });
                    }
                }
                walk(&def.body, out);
            }
            Stmt::If(block) => {
                walk(&block.body, out);
                for clause in &block.elif_else_clauses {
                    walk(&clause.body, out);
                }
            }
            Stmt::For(block) => {
                walk(&block.body, out);
                walk(&block.orelse, out);
            }
            Stmt::While(block) => {
                walk(&block.body, out);
                walk(&block.orelse, out);
            }
            Stmt::With(block) => walk(&block.body, out),
            Stmt::Try(block) => {
                walk(&block.body, out);
                for handler in &block.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                    walk(&handler.body, out);
                }
                walk(&block.orelse, out);
                walk(&block.finalbody, out);
            }
            _ => {}
        }
    }
}

/// The routes the plugin registers when the loader runs `cls(app).main()`: those of the methods
/// `__init__` and `main` reach through `self.method()` calls. Rules that do not start with `/`
/// and rules with `//` are reported here.
fn registrations(check: &mut Checker<'_>, scope: &Scope<'_>, class: &StmtClassDef) -> Vec<Route> {
    let methods = methods(class);
    let mut seen: HashSet<&str> = HashSet::new();
    let mut queue: Vec<&str> = vec!["__init__", "main"];
    let mut found: Vec<Registration<'_>> = Vec::new();
    while let Some(name) = queue.pop() {
        if !seen.insert(name) {
            continue;
        }
        let Some(def) = methods.get(name) else {
            continue;
        };
        let mut reach = Reach::default();
        walk(&def.body, &mut reach);
        found.extend(reach.registrations);
        queue.extend(reach.calls);
    }
    found.sort_by_key(|r| r.rule.range().start());

    let mut routes = Vec::new();
    for registration in found {
        let Text::Str(rule) = scope.text(registration.rule) else {
            continue;
        };
        let at = span(registration.rule.range());
        if !rule.starts_with('/') {
            check
                .report(
                    &rules::CLASS_BASED_ROUTE_SLASH,
                    Some(at.clone()),
                    format!("the route `{rule}` does not start with `/`: Flask refuses it with a ValueError when main() registers it, and the app stops at start-up"),
                )
                .label("no leading `/`")
                .help("start the route with `/` (with the pattern's endpoint \"/name\", write f'{Info.endpoint}/...')");
            continue;
        }
        if rule.contains("//") {
            let merged: String = Route {
                rule: rule.clone(),
                methods: None,
                endpoint: None,
                location: Location::file(check.source),
            }
            .matched_as();
            check
                .report(
                    &rules::CLASS_BASED_DOUBLE_SLASH,
                    Some(at.clone()),
                    format!("the route `{rule}` holds `//`: Flask serves it at `{merged}` only because Werkzeug merges repeated slashes; with `app.url_map.merge_slashes = False` (or a Werkzeug before 1.0) nothing reaches it"),
                )
                .label("`//`")
                .help("Info.endpoint already starts with `/`: write f'{Info.endpoint}...' rather than f'/{Info.endpoint}...'");
        }
        let keyword = |name: &str| {
            registration
                .keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name))
                .map(|k| &k.value)
        };
        let methods = match keyword("methods") {
            None => Some(BTreeSet::from(["GET".to_owned()])),
            Some(Expr::List(ruff_python_ast::ExprList { elts, .. }))
            | Some(Expr::Tuple(ruff_python_ast::ExprTuple { elts, .. }))
            | Some(Expr::Set(ruff_python_ast::ExprSet { elts, .. })) => elts
                .iter()
                .map(|e| match e {
                    Expr::StringLiteral(s) => Some(s.value.to_str().to_ascii_uppercase()),
                    _ => None,
                })
                .collect::<Option<BTreeSet<String>>>(),
            Some(_) => None,
        }
        .map(|mut methods| {
            if methods.contains("GET") {
                methods.insert("HEAD".into());
            }
            methods.remove("OPTIONS");
            methods
        });
        let endpoint = keyword("endpoint")
            .or(registration.endpoint)
            .map(|e| match scope.text(e) {
                Text::Str(name) => Some(name),
                _ => None,
            });
        let endpoint = match (endpoint, &registration.view) {
            (_, View::None) => None,
            (Some(given), _) => given,
            (None, View::Named(name)) => Some((*name).to_owned()),
            // Flask names the endpoint after the view function's __name__.
            (None, View::Expr(view)) => match view {
                Expr::Attribute(attr) => Some(attr.attr.as_str().to_owned()),
                Expr::Name(name) => Some(name.id.as_str().to_owned()),
                Expr::Lambda(_) => Some("<lambda>".to_owned()),
                _ => None,
            },
        };
        routes.push(Route {
            rule,
            methods,
            endpoint,
            location: Location::span(check.source, Some(at)),
        });
    }
    routes
}

/// The other top-level `.py` files of the plugin folder, which the loader imports as well: their
/// syntax (a SyntaxError is no ImportError: it stops the app), and what the loader does with a
/// file that has no `Info` of its own or that brings the plugin class in a second time.
fn other_modules(
    tree: &dyn Tree,
    manifest_rel: &str,
    classname: Option<&str>,
    ctx: &ReadContext,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut files: Vec<String> = tree
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".py") && f != manifest_rel)
        .collect();
    files.sort();
    for rel in files {
        let Ok(Some(bytes)) = tree.read_bytes(&rel) else {
            continue;
        };
        let (text, decode_error) = python::decode(&bytes);
        let mut manifest = ManifestText {
            source: SourceFile::new(tree.display(&rel), Some(text)),
            decode_error,
            python: None,
            python_newer: false,
        };
        let source = Arc::clone(&manifest.source);
        let mut check = Checker::new(&source);
        let Some(bindings) = module_bindings(&mut check, &mut manifest, ctx, SYNTAX_FAILS) else {
            out.extend(check.findings);
            continue;
        };
        let empty = manifest.python.as_ref().is_some_and(|parsed| {
            parsed.as_ref().is_ok_and(|m| {
                m.body
                    .iter()
                    .all(|stmt| matches!(stmt, Stmt::Expr(e) if e.value.is_string_literal_expr()))
            })
        });
        if empty || bindings.contains_key("*") {
            continue;
        }
        match bindings.get("Info") {
            Some(info) => {
                if let Some(class) = classname
                    && matches!(info.value, Value::Imported)
                    && let Some(imported) = bindings.get(class)
                    && matches!(imported.value, Value::Imported)
                {
                    check
                        .report(
                            &rules::CLASS_BASED_LOADED_TWICE,
                            Some(imported.span.clone()),
                            format!("{} imports `Info` and `{class}`, so the loader finds the plugin class here too and runs `{class}(app).main()` a second time: Flask refuses the routes it registers again (AssertionError) and the app stops", source.path),
                        )
                        .label("the plugin class, imported")
                        .help(format!("move {rel} into a subfolder (the loader imports only the top-level .py files), or import the module rather than the names"));
                }
            }
            None => {
                // The loader reads `module.Info` only for a module with a class among its
                // members; `import x` binds a module, `from x import Y` may bind a class.
                let body = match manifest.python.as_ref() {
                    Some(Ok(module)) => module.body.as_slice(),
                    _ => &[],
                };
                let defines = bindings
                    .values()
                    .any(|b| matches!(b.value, Value::Other("a class")));
                let imports = body.iter().any(|stmt| matches!(stmt, Stmt::ImportFrom(_)));
                let what = if defines {
                    "then reads `Info.classname` from it: the AttributeError is logged as a plugin that failed to load"
                } else if imports {
                    "runs its top-level code; if a name it imports is a class, it then reads `Info.classname` from it, and logs the AttributeError as a plugin that failed to load"
                } else {
                    "runs its top-level code at start-up, and finds nothing to load"
                };
                check
                    .report(
                        &rules::CLASS_BASED_STRAY_MODULE,
                        None,
                        format!("{} has no `Info`, but the loader imports every top-level .py file of the plugin folder as a plugin: it imports this one and {what}", source.path),
                    )
                    .help(format!("move {rel} into a subfolder (e.g. Utils/{rel}), which the loader does not import"));
            }
        }
        out.extend(check.findings);
    }
    out
}

/// `path:line:column` of a location, for messages that name a second place.
fn place(location: &Location) -> String {
    match location.positions() {
        Some((start, _)) => format!("{}:{}:{}", location.source.path, start.line, start.column),
        None => location.source.path.clone(),
    }
}

/// What cannot hold across the plugins of one plugins folder: two plugins registering views under
/// one endpoint name (or under Flask's own `static`), or the same rule for the same method.
pub(crate) fn check(plugins: &[&Plugin]) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Each plugin's registrations once per name and per rule: a plugin may register one view
    // under several rules.
    let mut by_endpoint: BTreeMap<&str, Vec<(&Plugin, &Route)>> = BTreeMap::new();
    let mut by_rule: BTreeMap<String, Vec<(&Plugin, &Route)>> = BTreeMap::new();
    for plugin in plugins {
        let mut names = HashSet::new();
        for route in &plugin.metadata.routes {
            if let Some(endpoint) = route.endpoint.as_deref()
                && names.insert(endpoint)
            {
                by_endpoint
                    .entry(endpoint)
                    .or_default()
                    .push((plugin, route));
            }
            by_rule
                .entry(route.matched_as())
                .or_default()
                .push((plugin, route));
        }
    }

    for (endpoint, holders) in &by_endpoint {
        if *endpoint == FLASK_STATIC {
            for (plugin, route) in holders {
                findings.push(
                    Finding::new(
                        &rules::CLASS_BASED_VIEW_COLLISION,
                        format!("the view of `{}` is registered under the endpoint name `static`, which Flask's own static files route already has: Flask refuses it with an AssertionError and the app stops at start-up", route.rule),
                    )
                    .help("rename the view method, or pass endpoint=\"...\" to route()")
                    .at(route.location.clone())
                    .plugin(&plugin.folder),
                );
            }
        }
        if holders.len() < 2 {
            continue;
        }
        for (i, (plugin, route)) in holders.iter().enumerate() {
            let others: Vec<String> = holders
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (other, r))| format!("`{}` at {}", other.folder, place(&r.location)))
                .collect();
            findings.push(
                Finding::new(
                    &rules::CLASS_BASED_VIEW_COLLISION,
                    format!(
                        "the view of `{}` is registered under the endpoint name `{endpoint}`, as is a view of {}: Flask refuses the second with an AssertionError (\"View function mapping is overwriting an existing endpoint function\") and the app stops at start-up",
                        route.rule,
                        others.join(", ")
                    ),
                )
                .help("give the view method a name of its own (e.g. prefixed with the plugin's), or pass endpoint=\"...\" to route()")
                .at(route.location.clone())
                .plugin(&plugin.folder),
            );
        }
    }

    for (rule, holders) in &by_rule {
        for (i, (plugin, route)) in holders.iter().enumerate() {
            let Some(methods) = &route.methods else {
                continue;
            };
            let clashes: Vec<String> = holders
                .iter()
                .enumerate()
                .filter(|(j, (other, r))| {
                    *j != i
                        && other.folder != plugin.folder
                        && r.methods.as_ref().is_some_and(|m| !m.is_disjoint(methods))
                })
                .map(|(_, (other, r))| format!("`{}` at {}", other.folder, place(&r.location)))
                .collect();
            if clashes.is_empty() {
                continue;
            }
            findings.push(
                Finding::new(
                    &rules::CLASS_BASED_ROUTE_COLLISION,
                    format!(
                        "the route `{rule}` is also registered by {} for the same method: Flask serves only the plugin the loader happens to load first (the order the folder is listed in)",
                        clashes.join(", ")
                    ),
                )
                .help("give each plugin routes under its own Info.endpoint")
                .at(route.location.clone())
                .plugin(&plugin.folder),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_def(source: &str) -> StmtFunctionDef {
        let module = python::parse(source).expect("parses");
        match module.body.into_iter().next() {
            Some(Stmt::FunctionDef(def)) => def,
            other => panic!("not a def: {other:?}"),
        }
    }

    #[test]
    fn calls_are_judged_as_python_binds_arguments() {
        let takes_app = |s: &str| accepts(&first_def(s).parameters, 1);
        assert!(takes_app("def __init__(self, app): pass").is_ok());
        assert!(takes_app("def __init__(self, app=None, port=None): pass").is_ok());
        assert!(takes_app("def __init__(self, *args, **kwargs): pass").is_ok());
        assert!(takes_app("def __init__(self, /, app, *, debug=False): pass").is_ok());
        assert!(takes_app("def __init__(self): pass").is_err());
        assert!(takes_app("def __init__(self, app, config): pass").is_err());
        assert!(takes_app("def __init__(self, app, *, config): pass").is_err());
        let bare = |s: &str| accepts(&first_def(s).parameters, 0);
        assert!(bare("def main(self): pass").is_ok());
        assert!(bare("def main(self, verbose=False): pass").is_ok());
        assert!(bare("def main(self, x): pass").is_err());
        assert!(bare("def main(): pass").is_err());
    }

    #[test]
    fn strings_follow_constants_fields_and_plain_interpolation() {
        let module = python::parse(
            "NAME = 'x'\nNUM = 3\nclass Info:\n    name = NAME\n    endpoint = '/' + name\n    count = NUM\n    other = f'{NAME!r}'\n    made = NAME.upper()\n",
        )
        .unwrap();
        let bindings = python::bindings(&module);
        let Some(Stmt::ClassDef(class)) = module.body.get(2) else {
            panic!("no class");
        };
        let info = info_fields(&bindings, class);
        let text = |key: &str| info[key].text.clone();
        assert!(matches!(text("name"), Text::Str(s) if s == "x"));
        assert!(matches!(text("endpoint"), Text::Str(s) if s == "/x"));
        assert!(matches!(text("count"), Text::NotStr("a number")));
        assert!(matches!(text("other"), Text::Computed("an f-string")));
        assert!(matches!(text("made"), Text::Computed(_)));

        let scope = Scope {
            module: &bindings,
            info: &info,
            in_info: false,
        };
        let route = python::parse("f'{Info.endpoint}/a' + '/b'\n").unwrap();
        let Some(Stmt::Expr(expr)) = route.body.first() else {
            panic!("no expression");
        };
        assert!(matches!(scope.text(&expr.value), Text::Str(s) if s == "/x/a/b"));
    }

    #[test]
    fn rules_match_as_werkzeug_merges_slashes() {
        let route = |rule: &str| Route {
            rule: rule.into(),
            methods: None,
            endpoint: None,
            location: Location::file(&SourceFile::new("x.py", None)),
        };
        assert_eq!(route("//user//list").matched_as(), "/user/list");
        assert_eq!(route("/user/").matched_as(), "/user/");
    }

    #[test]
    fn long_concatenations_are_not_followed_past_the_bound() {
        let source = format!("x = 'a'{}\n", " + 'a'".repeat(4000));
        let module = python::parse(&source).unwrap();
        let bindings = python::bindings(&module);
        let info = BTreeMap::new();
        let scope = Scope {
            module: &bindings,
            info: &info,
            in_info: false,
        };
        let Some(Stmt::Assign(assign)) = module.body.first() else {
            panic!("no assignment");
        };
        assert!(matches!(scope.text(&assign.value), Text::Computed(_)));
        let short = python::parse("x = 'a' + 'b' + 'c'\n").unwrap();
        let Some(Stmt::Assign(assign)) = short.body.first() else {
            panic!("no assignment");
        };
        assert!(matches!(scope.text(&assign.value), Text::Str(s) if s == "abc"));
    }
}
