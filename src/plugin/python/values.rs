//! What a module's top level binds to each name: only literals are read as values (and
//! module-level names bound once to one); anything Python would have to run to know (an
//! f-string, a call, a name imported from elsewhere, an assignment inside an `if`) is recorded as
//! such, never guessed. Also the literal returns of a function, and dict literals.

use std::collections::HashMap;
use std::ops::Range;

use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_text_size::{Ranged, TextRange};

pub(crate) fn span(range: TextRange) -> Range<usize> {
    range.start().to_usize()..range.end().to_usize()
}

/// What a name is bound to at the top of a module, as far as can be known without running it.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// A string literal (implicitly concatenated parts joined).
    Str(String),
    /// A dict literal: its entries with their key's text (when the key is a string literal).
    Dict(Vec<DictEntry>),
    /// A literal of another type (`"an integer"`, `"a list"`, ...).
    Other(&'static str),
    /// Something Python would have to run: why, in words (`"an f-string"`, `"a call"`...).
    Computed(&'static str),
    /// A function defined with `def`.
    Function,
    /// A function defined with `async def`.
    AsyncFunction,
    /// A name imported from another module.
    Imported,
}

/// One entry of a dict literal.
#[derive(Debug, Clone)]
pub(crate) struct DictEntry {
    /// The key, when it is a string literal.
    pub(crate) key: Option<String>,
    pub(crate) key_span: Range<usize>,
    pub(crate) value: Value,
    pub(crate) value_span: Range<usize>,
}

/// The last binding of a name at the module's top level.
#[derive(Debug, Clone)]
pub(crate) struct Binding {
    pub(crate) value: Value,
    /// The value (or the `def`, or the import), for findings about the value.
    pub(crate) span: Range<usize>,
    /// Whether the binding happens inside a block (`if`, `try`, `with`, ...), so it may not
    /// happen at all.
    pub(crate) conditional: bool,
}

/// The names a module binds at its top level, each with its last binding. A value that is
/// another module-level name is followed (`NAME = "x"` then `__plugin_name__ = NAME`, and
/// chains of them) when that name is bound once, outside any block, before it is read, and no
/// function declares it `global`: then it holds that value whatever else the module runs.
pub(crate) fn bindings(module: &ModModule) -> HashMap<String, Binding> {
    let mut counts = HashMap::new();
    count(&module.body, &mut counts);
    let mut scope = Scope {
        out: HashMap::new(),
        counts,
    };
    collect(&module.body, false, &mut scope);
    scope.out
}

type Bindings = HashMap<String, Binding>;

/// The bindings so far, and how often each name is bound in the whole module.
struct Scope {
    out: Bindings,
    /// Every binding of the name at the top level or in a block there; a name some function
    /// declares `global` counts as bound again.
    counts: HashMap<String, usize>,
}

impl Scope {
    /// The value of the module-level name `name` where it is read, when that is certain.
    fn follow(&self, name: &str) -> Value {
        let Some(binding) = self.out.get(name) else {
            return Value::Computed("a name defined elsewhere");
        };
        if self.counts.get(name).copied().unwrap_or(0) > 1 {
            return Value::Computed("a name bound more than once in the module");
        }
        if binding.conditional {
            return Value::Computed("a name assigned inside a block (if, try, ...)");
        }
        binding.value.clone()
    }
}

/// Count the names each statement of `body` binds (as [`collect`] reads them, and the targets
/// of `for`, `with ... as` and `except ... as`), and the names functions and classes declare
/// `global`. Recursion follows the statements' nesting, which [`MAX_NESTING`] bounds.
fn count(body: &[Stmt], counts: &mut HashMap<String, usize>) {
    fn names(target: &Expr, counts: &mut HashMap<String, usize>) {
        match target {
            Expr::Name(name) => *counts.entry(name.id.to_string()).or_default() += 1,
            Expr::Tuple(ruff_python_ast::ExprTuple { elts, .. })
            | Expr::List(ruff_python_ast::ExprList { elts, .. }) => {
                for elt in elts {
                    names(elt, counts);
                }
            }
            Expr::Starred(starred) => names(&starred.value, counts),
            _ => {}
        }
    }
    fn globals(body: &[Stmt], counts: &mut HashMap<String, usize>) {
        for stmt in body {
            match stmt {
                Stmt::Global(global) => {
                    for name in &global.names {
                        *counts.entry(name.to_string()).or_default() += 2;
                    }
                }
                Stmt::FunctionDef(def) => globals(&def.body, counts),
                Stmt::ClassDef(class) => globals(&class.body, counts),
                Stmt::If(block) => {
                    globals(&block.body, counts);
                    for clause in &block.elif_else_clauses {
                        globals(&clause.body, counts);
                    }
                }
                Stmt::Try(block) => {
                    globals(&block.body, counts);
                    for handler in &block.handlers {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                        globals(&handler.body, counts);
                    }
                    globals(&block.orelse, counts);
                    globals(&block.finalbody, counts);
                }
                Stmt::With(block) => globals(&block.body, counts),
                Stmt::For(block) => {
                    globals(&block.body, counts);
                    globals(&block.orelse, counts);
                }
                Stmt::While(block) => {
                    globals(&block.body, counts);
                    globals(&block.orelse, counts);
                }
                _ => {}
            }
        }
    }
    fn bump(name: &str, counts: &mut HashMap<String, usize>) {
        *counts.entry(name.to_owned()).or_default() += 1;
    }
    for stmt in body {
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    names(target, counts);
                }
            }
            Stmt::AnnAssign(assign) if assign.value.is_some() => names(&assign.target, counts),
            Stmt::AugAssign(assign) => names(&assign.target, counts),
            Stmt::FunctionDef(def) => {
                bump(def.name.as_str(), counts);
                globals(&def.body, counts);
            }
            Stmt::ClassDef(class) => {
                bump(class.name.as_str(), counts);
                globals(&class.body, counts);
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(
                        || alias.name.as_str().split('.').next().unwrap_or_default(),
                        |a| a.as_str(),
                    );
                    bump(bound, counts);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    bump(
                        alias.asname.as_ref().unwrap_or(&alias.name).as_str(),
                        counts,
                    );
                }
            }
            Stmt::If(block) => {
                count(&block.body, counts);
                for clause in &block.elif_else_clauses {
                    count(&clause.body, counts);
                }
            }
            Stmt::Try(block) => {
                count(&block.body, counts);
                for handler in &block.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(name) = &handler.name {
                        bump(name.as_str(), counts);
                    }
                    count(&handler.body, counts);
                }
                count(&block.orelse, counts);
                count(&block.finalbody, counts);
            }
            Stmt::With(block) => {
                for item in &block.items {
                    if let Some(target) = &item.optional_vars {
                        names(target, counts);
                    }
                }
                count(&block.body, counts);
            }
            Stmt::For(block) => {
                names(&block.target, counts);
                count(&block.body, counts);
                count(&block.orelse, counts);
            }
            Stmt::While(block) => {
                count(&block.body, counts);
                count(&block.orelse, counts);
            }
            _ => {}
        }
    }
}

fn insert(scope: &mut Scope, conditional: bool, name: &str, value: Value, span: Range<usize>) {
    scope.out.insert(
        name.to_owned(),
        Binding {
            value,
            span,
            conditional,
        },
    );
}

fn collect(body: &[Stmt], conditional: bool, out: &mut Scope) {
    for stmt in body {
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    bind_target(target, &assign.value, out, conditional);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    bind_target(&assign.target, value, out, conditional);
                }
            }
            Stmt::AugAssign(assign) => {
                if let Expr::Name(name) = assign.target.as_ref() {
                    insert(
                        out,
                        conditional,
                        name.id.as_str(),
                        Value::Computed("an augmented assignment"),
                        span(assign.range()),
                    );
                }
            }
            Stmt::FunctionDef(def) => {
                let value = if def.is_async {
                    Value::AsyncFunction
                } else {
                    Value::Function
                };
                insert(
                    out,
                    conditional,
                    def.name.as_str(),
                    value,
                    span(def.name.range),
                );
            }
            Stmt::ClassDef(class) => insert(
                out,
                conditional,
                class.name.as_str(),
                Value::Other("a class"),
                span(class.name.range),
            ),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(
                        || alias.name.as_str().split('.').next().unwrap_or_default(),
                        |a| a.as_str(),
                    );
                    insert(out, conditional, bound, Value::Imported, span(alias.range));
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    // `from x import *` may bind anything: it is kept under the name `*` so a
                    // reader can say that a missing name may come from there.
                    insert(
                        out,
                        conditional,
                        bound.as_str(),
                        Value::Imported,
                        span(alias.range),
                    );
                }
            }
            Stmt::If(block) => {
                collect(&block.body, true, out);
                for clause in &block.elif_else_clauses {
                    collect(&clause.body, true, out);
                }
            }
            Stmt::Try(block) => {
                collect(&block.body, true, out);
                for handler in &block.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                    collect(&handler.body, true, out);
                }
                collect(&block.orelse, true, out);
                collect(&block.finalbody, true, out);
            }
            Stmt::With(block) => collect(&block.body, true, out),
            Stmt::For(block) => {
                collect(&block.body, true, out);
                collect(&block.orelse, true, out);
            }
            Stmt::While(block) => {
                collect(&block.body, true, out);
                collect(&block.orelse, true, out);
            }
            _ => {}
        }
    }
}

/// Bind `target = value`, pairing tuple targets with tuple values element by element.
fn bind_target(target: &Expr, value: &Expr, out: &mut Scope, conditional: bool) {
    match (target, value) {
        (Expr::Name(name), _) => insert(
            out,
            conditional,
            name.id.as_str(),
            evaluate_in(value, Some(out)),
            span(value.range()),
        ),
        (Expr::Tuple(targets), Expr::Tuple(values)) if targets.elts.len() == values.elts.len() => {
            for (target, value) in targets.elts.iter().zip(&values.elts) {
                bind_target(target, value, out, conditional);
            }
        }
        (Expr::List(targets), Expr::List(values)) if targets.elts.len() == values.elts.len() => {
            for (target, value) in targets.elts.iter().zip(&values.elts) {
                bind_target(target, value, out, conditional);
            }
        }
        (
            Expr::Tuple(ruff_python_ast::ExprTuple { elts, .. })
            | Expr::List(ruff_python_ast::ExprList { elts, .. }),
            _,
        ) => {
            for target in elts {
                if let Expr::Name(name) = target {
                    insert(
                        out,
                        conditional,
                        name.id.as_str(),
                        Value::Computed("an unpacked value"),
                        span(value.range()),
                    );
                }
            }
        }
        _ => {}
    }
}

/// The value of a literal expression, or why it is not one.
pub(crate) fn evaluate(expr: &Expr) -> Value {
    evaluate_in(expr, None)
}

/// [`evaluate`], following module-level names through `scope` (see [`bindings`]).
fn evaluate_in(expr: &Expr, scope: Option<&Scope>) -> Value {
    match expr {
        Expr::StringLiteral(s) => Value::Str(s.value.to_str().to_owned()),
        Expr::Dict(dict) => Value::Dict(
            dict.items
                .iter()
                .map(|item| {
                    let (key, key_span) = match &item.key {
                        Some(Expr::StringLiteral(s)) => {
                            (Some(s.value.to_str().to_owned()), span(s.range()))
                        }
                        Some(other) => (None, span(other.range())),
                        // `**other`: the value is a mapping spread into this one.
                        None => (None, span(item.value.range())),
                    };
                    DictEntry {
                        key,
                        key_span,
                        value: if item.key.is_some() {
                            evaluate_in(&item.value, scope)
                        } else {
                            Value::Computed("a `**` expansion")
                        },
                        value_span: span(item.value.range()),
                    }
                })
                .collect(),
        ),
        Expr::FString(_) => Value::Computed("an f-string"),
        Expr::TString(_) => Value::Computed("a t-string"),
        Expr::Call(_) => Value::Computed("a call"),
        Expr::Name(name) => match scope {
            Some(scope) => scope.follow(name.id.as_str()),
            None => Value::Computed("a name defined elsewhere"),
        },
        Expr::Attribute(_) => Value::Computed("an attribute of another object"),
        Expr::Subscript(_) => Value::Computed("a subscript"),
        Expr::BinOp(_) => Value::Computed("an expression"),
        Expr::BoolOp(_) | Expr::UnaryOp(_) | Expr::Compare(_) | Expr::If(_) | Expr::Named(_) => {
            Value::Computed("an expression")
        }
        Expr::Lambda(_) => Value::Computed("a lambda"),
        Expr::BytesLiteral(_) => Value::Other("bytes"),
        Expr::NumberLiteral(_) => Value::Other("a number"),
        Expr::BooleanLiteral(_) => Value::Other("a boolean"),
        Expr::NoneLiteral(_) => Value::Other("None"),
        Expr::List(_) | Expr::ListComp(_) => Value::Other("a list"),
        Expr::Tuple(_) => Value::Other("a tuple"),
        Expr::Set(_) | Expr::SetComp(_) => Value::Other("a set"),
        Expr::DictComp(_) => Value::Computed("a dict comprehension"),
        _ => Value::Computed("an expression"),
    }
}

/// A module-level function, as far as its signature and results can be read.
#[derive(Clone)]
pub(crate) struct Function<'a> {
    /// `None` for a lambda without parameters.
    pub(crate) parameters: Option<&'a ruff_python_ast::Parameters>,
    /// The values its `return` statements return (a lambda's body), `None` for a bare `return`.
    pub(crate) returns: Vec<Option<&'a Expr>>,
    /// Its name in the `def`, or the lambda.
    pub(crate) span: Range<usize>,
}

impl Function<'_> {
    /// Why calling it with `given` positional arguments and no others raises TypeError, if it
    /// does.
    pub(crate) fn refuses(&self, given: usize) -> Option<String> {
        let Some(params) = self.parameters else {
            return (given > 0)
                .then(|| format!("it takes no arguments, and is called with {given}"));
        };
        let positional: Vec<_> = params.posonlyargs.iter().chain(&params.args).collect();
        let required = positional.iter().filter(|p| p.default.is_none()).count();
        if given < required {
            let names: Vec<String> = positional[given..]
                .iter()
                .filter(|p| p.default.is_none())
                .map(|p| format!("`{}`", p.parameter.name))
                .collect();
            return Some(format!(
                "it requires {} positional argument{} and is called with {given} (missing {})",
                required,
                if required == 1 { "" } else { "s" },
                names.join(", ")
            ));
        }
        if given > positional.len() && params.vararg.is_none() {
            return Some(format!(
                "it takes {} positional argument{} and is called with {given}",
                positional.len(),
                if positional.len() == 1 { "" } else { "s" }
            ));
        }
        params
            .kwonlyargs
            .iter()
            .find(|p| p.default.is_none())
            .map(|p| {
                format!(
                    "its keyword-only parameter `{}` has no default",
                    p.parameter.name
                )
            })
    }
}

/// The function `name` is bound to at the top of `module`: its last unconditional `def` there,
/// a `name = lambda ...`, or `name = other` where `other` is such a `def` defined before. `None`
/// when it is anything else (imported, bound in a block, computed).
pub(crate) fn function<'a>(module: &'a ModModule, name: &str) -> Option<Function<'a>> {
    let mut found: Option<Function<'a>> = None;
    let mut defs: HashMap<&str, Function<'a>> = HashMap::new();
    for stmt in &module.body {
        match stmt {
            Stmt::FunctionDef(def) if !def.is_async => {
                let mut returns = Vec::new();
                returns_in(&def.body, &mut returns);
                let function = Function {
                    parameters: Some(&def.parameters),
                    returns,
                    span: span(def.name.range),
                };
                if def.name.as_str() == name {
                    found = Some(function.clone());
                }
                defs.insert(def.name.as_str(), function);
            }
            Stmt::Assign(assign)
                if assign
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)) =>
            {
                found = match assign.value.as_ref() {
                    Expr::Lambda(lambda) => Some(Function {
                        parameters: lambda.parameters.as_deref(),
                        returns: vec![Some(lambda.body.as_ref())],
                        span: span(lambda.range),
                    }),
                    Expr::Name(other) => defs.get(other.id.as_str()).cloned(),
                    _ => None,
                };
            }
            _ => {}
        }
    }
    found
}

/// The `return` statements of a function body, not those of functions and classes inside it.
/// Recursion follows the statements' nesting, which [`MAX_NESTING`] bounds.
fn returns_in<'a>(body: &'a [Stmt], out: &mut Vec<Option<&'a Expr>>) {
    for stmt in body {
        match stmt {
            Stmt::Return(ret) => out.push(ret.value.as_deref()),
            Stmt::If(block) => {
                returns_in(&block.body, out);
                for clause in &block.elif_else_clauses {
                    returns_in(&clause.body, out);
                }
            }
            Stmt::Try(block) => {
                returns_in(&block.body, out);
                for handler in &block.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                    returns_in(&handler.body, out);
                }
                returns_in(&block.orelse, out);
                returns_in(&block.finalbody, out);
            }
            Stmt::With(block) => returns_in(&block.body, out),
            Stmt::For(block) => {
                returns_in(&block.body, out);
                returns_in(&block.orelse, out);
            }
            Stmt::While(block) => {
                returns_in(&block.body, out);
                returns_in(&block.orelse, out);
            }
            Stmt::Match(block) => {
                for case in &block.cases {
                    returns_in(&case.body, out);
                }
            }
            _ => {}
        }
    }
}

/// What a literal expression makes, for a caller that wants a dict: its entries whose keys are
/// written out (`{"k": v}`, `dict(k=v)`), and whether others may come from elsewhere (`**x`, a
/// computed key); or, for a literal of another type, that type.
pub(crate) enum DictLiteral<'a> {
    Dict {
        /// (key, key span, value).
        entries: Vec<(String, Range<usize>, &'a Expr)>,
        /// Whether keys not written out may be in it.
        open: bool,
    },
    /// A literal of another type: "a list", "None", ...
    Other(&'static str),
    /// Not a literal.
    Unknown,
}

/// Read `expr` as a dict literal (see [`DictLiteral`]).
pub(crate) fn dict_literal(expr: &Expr) -> DictLiteral<'_> {
    match expr {
        Expr::Dict(dict) => {
            let mut entries = Vec::new();
            let mut open = false;
            for item in &dict.items {
                match &item.key {
                    Some(Expr::StringLiteral(key)) => entries.push((
                        key.value.to_str().to_owned(),
                        span(key.range()),
                        &item.value,
                    )),
                    _ => open = true,
                }
            }
            DictLiteral::Dict { entries, open }
        }
        Expr::Call(call)
            if matches!(call.func.as_ref(), Expr::Name(f) if f.id.as_str() == "dict")
                && call.arguments.args.is_empty() =>
        {
            let mut entries = Vec::new();
            let mut open = false;
            for keyword in &call.arguments.keywords {
                match &keyword.arg {
                    Some(arg) => entries.push((arg.to_string(), span(arg.range), &keyword.value)),
                    None => open = true,
                }
            }
            DictLiteral::Dict { entries, open }
        }
        Expr::Call(_) | Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {
            DictLiteral::Unknown
        }
        other => match evaluate(other) {
            Value::Str(_) => DictLiteral::Other("a string"),
            Value::Other(kind) => DictLiteral::Other(kind),
            _ => DictLiteral::Unknown,
        },
    }
}

/// Python's `str.isidentifier()`: a letter or `_`, then letters, digits or `_` (Unicode XID).
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::python::parse;

    fn bound(source: &str) -> HashMap<String, Binding> {
        bindings(&parse(source).expect("parses"))
    }

    #[test]
    fn reads_literals_the_ways_authors_write_them() {
        let b = bound(
            "__plugin_name__ = 'Demo'\n__version__ = (\n    \"0.1\"\n    '.1'\n)\n__author__: str = \"\"\"Mr.tao <>\"\"\"\n\
             __url__ = f'https://x/{1}'\n__license__ = get()\nfrom .core import register\n",
        );
        assert!(matches!(&b["__plugin_name__"].value, Value::Str(s) if s == "Demo"));
        assert!(matches!(&b["__version__"].value, Value::Str(s) if s == "0.1.1"));
        assert!(matches!(&b["__author__"].value, Value::Str(s) if s == "Mr.tao <>"));
        assert!(matches!(b["__url__"].value, Value::Computed("an f-string")));
        assert!(matches!(b["__license__"].value, Value::Computed("a call")));
        assert!(matches!(b["register"].value, Value::Imported));
    }

    #[test]
    fn last_binding_wins_and_blocks_are_conditional() {
        let b = bound(
            "x = '1'\nx = '2'\nif a:\n    y = '3'\n__a__, __b__ = 'p', 'q'\ndef register():\n    pass\n",
        );
        assert!(matches!(&b["x"].value, Value::Str(s) if s == "2"));
        assert!(b["y"].conditional);
        assert!(matches!(&b["__b__"].value, Value::Str(s) if s == "q"));
        assert!(matches!(b["register"].value, Value::Function));
    }

    #[test]
    fn module_level_constants_are_followed_when_they_hold_one_value() {
        let b = bound(
            "NAME = 'demo'\nALIAS = NAME\n__plugin_name__ = ALIAS\nVERSION: str = '1.2.0'\n__version__ = VERSION\n\
             META = {'id': NAME, 'version': VERSION, 'author': AUTHOR}\nAUTHOR = 'late'\n\
             TWICE = 'a'\nTWICE = 'b'\n__author__ = TWICE\n\
             if x:\n    MAYBE = 'm'\n__url__ = MAYBE\n\
             GLOBAL = 'g'\ndef f():\n    global GLOBAL\n    GLOBAL = 'h'\n__license__ = GLOBAL\n\
             __description__ = UNDEFINED\nfor LOOP in 'ab':\n    pass\nLOOP = 'c'\n__state__ = LOOP\n\
             def _register():\n    return {}\nregister = _register\n",
        );
        assert!(matches!(&b["__plugin_name__"].value, Value::Str(s) if s == "demo"));
        assert!(matches!(&b["__version__"].value, Value::Str(s) if s == "1.2.0"));
        let Value::Dict(meta) = &b["META"].value else {
            panic!("{:?}", b["META"])
        };
        assert!(matches!(&meta[0].value, Value::Str(s) if s == "demo"));
        assert!(matches!(&meta[1].value, Value::Str(s) if s == "1.2.0"));
        // Read before it is bound: Python raises NameError there.
        assert!(matches!(
            meta[2].value,
            Value::Computed("a name defined elsewhere")
        ));
        assert!(matches!(
            b["__author__"].value,
            Value::Computed("a name bound more than once in the module")
        ));
        assert!(matches!(
            b["__url__"].value,
            Value::Computed("a name assigned inside a block (if, try, ...)")
        ));
        assert!(matches!(
            b["__license__"].value,
            Value::Computed("a name bound more than once in the module")
        ));
        assert!(matches!(b["__description__"].value, Value::Computed(_)));
        assert!(matches!(b["__state__"].value, Value::Computed(_)));
        assert!(matches!(b["register"].value, Value::Function));
    }

    #[test]
    fn identifiers_follow_python() {
        assert!(is_identifier("local_plugin_demo"));
        assert!(is_identifier("_private"));
        assert!(is_identifier("插件"));
        assert!(!is_identifier("my-plugin"));
        assert!(!is_identifier("1plugin"));
        assert!(!is_identifier(""));
    }
}
