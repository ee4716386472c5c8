//! Flavors: the rule sets a plugin is checked against, and how a folder's flavor is recognised
//! when neither `--flavor` nor `[host] flavor` pins one.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use crate::findings::SourceFile;
use crate::plugin::host::HostKind;
use crate::plugin::python;
use crate::plugin::toml_check;
use crate::plugin::tree::Tree;

/// The plugin systems pluginkit serves.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Flavor {
    /// Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`.
    FlaskPluginkit,
    /// FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`.
    Fba,
    /// FastCMS: a `PLUGIN_META` dict in `__init__.py`.
    Fastcms,
    /// The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`.
    ClassBased,
    /// Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`.
    Crate,
    /// pluginkit's native `plugin.toml`.
    Pluginkit,
}

impl Flavor {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Flavor::FlaskPluginkit => "flask-pluginkit",
            Flavor::Fba => "fba",
            Flavor::Fastcms => "fastcms",
            Flavor::ClassBased => "class-based",
            Flavor::Crate => "crate",
            Flavor::Pluginkit => "pluginkit",
        }
    }

    /// The file that holds the flavor's metadata, relative to the plugin folder, as messages
    /// name it (the class-based flavor's is named after the folder: [`Flavor::manifest_in`]).
    pub(crate) fn manifest_file(self) -> &'static str {
        match self {
            Flavor::Fba | Flavor::Pluginkit => "plugin.toml",
            Flavor::Crate => "Cargo.toml",
            Flavor::FlaskPluginkit | Flavor::Fastcms => "__init__.py",
            Flavor::ClassBased => "NAME.py",
        }
    }

    /// The manifest of a plugin in the folder named `folder`: `None` for a class-based plugin
    /// whose folder has no name (a package with its files at the archive root).
    pub(crate) fn manifest_in(self, folder: Option<&str>) -> Option<Cow<'static, str>> {
        match self {
            Flavor::ClassBased => folder.map(|name| Cow::Owned(format!("{name}.py"))),
            other => Some(Cow::Borrowed(other.manifest_file())),
        }
    }
}

impl Flavor {
    /// The flavor of the plugins a `kind` host loads.
    pub(crate) fn of_host(kind: HostKind) -> Flavor {
        match kind {
            HostKind::FlaskPluginkit => Flavor::FlaskPluginkit,
            HostKind::Fba => Flavor::Fba,
            HostKind::Fastcms => Flavor::Fastcms,
            HostKind::ClassBased => Flavor::ClassBased,
        }
    }

    /// The host kind that loads plugins of this flavor, if one does.
    pub(crate) fn host_kind(self) -> Option<HostKind> {
        match self {
            Flavor::FlaskPluginkit => Some(HostKind::FlaskPluginkit),
            Flavor::Fba => Some(HostKind::Fba),
            Flavor::Fastcms => Some(HostKind::Fastcms),
            Flavor::ClassBased => Some(HostKind::ClassBased),
            Flavor::Crate | Flavor::Pluginkit => None,
        }
    }
}

impl fmt::Display for Flavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A manifest file as read for detection; readers take it over so nothing is read or parsed
/// twice.
#[derive(Debug)]
pub(crate) struct ManifestText {
    pub(crate) source: Arc<SourceFile>,
    /// For Python sources: why the bytes could not be decoded (the text is then lossy).
    pub(crate) decode_error: Option<python::DecodeError>,
    /// The Python parse, when detection already parsed the file.
    pub(crate) python: Option<Result<ruff_python_ast::ModModule, python::SyntaxError>>,
    /// Whether that module uses syntax some Python 3 refuses, so it must be checked against the
    /// host's Python (`python::syntax_for`).
    pub(crate) python_newer: bool,
}

impl ManifestText {
    pub(crate) fn text(&self) -> &str {
        self.source.text.as_deref().unwrap_or_default()
    }

    /// The TOML document. Parsed on each call: the parse borrows the text, and costs less than
    /// keeping a copy of every key and value would.
    pub(crate) fn parse_toml(&self) -> Result<toml_check::Document<'_>, toml::de::Error> {
        toml_check::parse(self.text())
    }

    /// The Python module, parsed now unless detection already did.
    pub(crate) fn parse_python(
        &mut self,
    ) -> &Result<ruff_python_ast::ModModule, python::SyntaxError> {
        let text = self.text().to_owned();
        let newer = &mut self.python_newer;
        self.python.get_or_insert_with(|| {
            let (parsed, uses_newer) = python::parse_checked(&text);
            *newer = uses_newer;
            parsed
        })
    }

    /// The SyntaxError the host's `python` raises on the module when it uses syntax that Python
    /// does not have; `None` for a module that does not parse at all.
    pub(crate) fn python_syntax_for(
        &mut self,
        python: crate::plugin::host::PythonVersion,
    ) -> Option<python::SyntaxError> {
        self.parse_python().as_ref().ok()?;
        if !self.python_newer {
            return None;
        }
        python::syntax_for(self.text(), python)
    }
}

/// Decides whether a manifest makes its folder a plugin of some flavor, and why, knowing the
/// host's kind when it is known.
type Classifier = fn(&mut ManifestText, Option<HostKind>) -> Option<(Flavor, &'static str)>;

/// What detection decided, and why (shown by `info`).
#[derive(Debug)]
pub(crate) struct Detection {
    pub(crate) flavor: Flavor,
    pub(crate) reason: String,
    /// The manifest, when it could be read.
    pub(crate) manifest: Option<ManifestText>,
    /// Why the manifest could not be read, when it could not.
    pub(crate) read_error: Option<ReadError>,
    /// Other flavors whose manifests the folder also holds (only looked for when no flavor is
    /// pinned), with why, and their manifests.
    pub(crate) also: Vec<(Flavor, &'static str, ManifestText)>,
}

/// Why a manifest could not be read.
#[derive(Debug, Clone)]
pub(crate) struct ReadError {
    pub(crate) message: String,
    /// Whether pluginkit refused to read it (not a regular file, or too large), rather than
    /// the read failing.
    pub(crate) refused: bool,
}

impl ReadError {
    fn new(message: String) -> Self {
        ReadError {
            message,
            refused: false,
        }
    }
}

/// Read a manifest: TOML files must be UTF-8; Python sources are decoded as Python does.
fn read(tree: &dyn Tree, rel: &str) -> Result<Option<ManifestText>, ReadError> {
    let bytes = match tree.read_bytes(rel) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(None),
        Err(e) => {
            return Err(ReadError {
                message: e.to_string(),
                refused: crate::util::read::is_refused(&e),
            });
        }
    };
    let (text, decode_error) = if rel.ends_with(".py") {
        python::decode(&bytes)
    } else {
        (
            String::from_utf8(bytes)
                .map_err(|e| ReadError::new(format!("it is not UTF-8 text ({e})")))?,
            None,
        )
    };
    Ok(Some(ManifestText {
        source: SourceFile::new(tree.display(rel), Some(text)),
        decode_error,
        python: None,
        python_newer: false,
    }))
}

const PINNED: &str = "pinned by --flavor or [host] flavor";

/// Recognise a plugin folder's flavor, or `None` when it holds no manifest of any flavor (or,
/// with `pinned`, no manifest of that flavor).
///
/// Order, from DESIGN.md: `plugin.toml` (FBA when it has an `app` or `api` table or an
/// FBA-shaped `[plugin]`, or in an FBA host; else native), then `Cargo.toml` with
/// `[package.metadata.pluginkit]`, then `__init__.py` with `__plugin_name__` (Flask-PluginKit) or
/// `PLUGIN_META` (FastCMS). The first match decides; the others are kept so the reader can warn
/// when they disagree. A folder none of them makes a plugin is class-based when `NAME.py` in the
/// folder `NAME` defines `class Info`.
pub(crate) fn detect(tree: &dyn Tree, pinned: Option<Flavor>) -> Option<Detection> {
    detect_in_host(tree, pinned, None)
}

/// [`detect`], for a host of `host` kind when it is known (in an FBA host a `plugin.toml` is
/// FBA's).
pub(crate) fn detect_in_host(
    tree: &dyn Tree,
    pinned: Option<Flavor>,
    host: Option<HostKind>,
) -> Option<Detection> {
    if let Some(flavor) = pinned {
        let rel = flavor.manifest_in(folder_of(tree))?;
        let (manifest, read_error) = match read(tree, &rel) {
            Ok(Some(manifest)) => (Some(manifest), None),
            Ok(None) => return None,
            Err(error) => (None, Some(error)),
        };
        return Some(Detection {
            flavor,
            reason: PINNED.into(),
            manifest,
            read_error,
            also: Vec::new(),
        });
    }

    let candidates: [(&str, Classifier); 3] = [
        ("plugin.toml", classify_plugin_toml),
        ("Cargo.toml", classify_cargo_toml),
        ("__init__.py", classify_init_py),
    ];
    let mut found: Option<Detection> = None;
    // A Cargo.toml or __init__.py that pluginkit refused to read (a FIFO, a device, a huge
    // file): the folder is reported with it when it is no plugin otherwise.
    let mut refused: Option<(Flavor, &str, ReadError)> = None;
    for (rel, classify) in candidates {
        match read(tree, rel) {
            Ok(Some(mut manifest)) => {
                if let Some((flavor, reason)) = classify(&mut manifest, host) {
                    match &mut found {
                        None => {
                            found = Some(Detection {
                                flavor,
                                reason: reason.into(),
                                manifest: Some(manifest),
                                read_error: None,
                                also: Vec::new(),
                            });
                        }
                        Some(first) => first.also.push((flavor, reason, manifest)),
                    }
                }
            }
            Ok(None) => {}
            Err(error) if rel == "plugin.toml" => {
                found = Some(Detection {
                    flavor: Flavor::Pluginkit,
                    reason: "has a plugin.toml".into(),
                    manifest: None,
                    read_error: Some(error),
                    also: Vec::new(),
                });
            }
            Err(error) if error.refused => {
                let flavor = if rel == "Cargo.toml" {
                    Flavor::Crate
                } else {
                    Flavor::FlaskPluginkit
                };
                refused.get_or_insert((flavor, rel, error));
            }
            // An unreadable Cargo.toml or __init__.py does not make a folder a plugin.
            Err(_) => {}
        }
    }
    // Looked for only in a folder no other manifest made a plugin: one file less to open for
    // every other plugin, and a module of the folder's name beside another flavor's manifest is
    // only that flavor's code.
    if found.is_none()
        && let Some((manifest, reason)) = class_based_manifest(tree)
    {
        return Some(Detection {
            flavor: Flavor::ClassBased,
            reason: reason.into(),
            manifest: Some(manifest),
            read_error: None,
            also: Vec::new(),
        });
    }
    found.or_else(|| {
        let (flavor, rel, error) = refused?;
        Some(Detection {
            flavor,
            reason: format!("has a {rel} that pluginkit does not read"),
            manifest: None,
            read_error: Some(error),
            also: Vec::new(),
        })
    })
}

fn classify_plugin_toml(
    manifest: &mut ManifestText,
    host: Option<HostKind>,
) -> Option<(Flavor, &'static str)> {
    if host == Some(HostKind::Fba) {
        return Some((Flavor::Fba, "plugin.toml in an FBA host"));
    }
    let fba = match manifest.parse_toml() {
        Ok(doc) => {
            let doc = doc.get_ref();
            if doc.contains_key("app") || doc.contains_key("api") {
                Some("plugin.toml has an [app] or [api] table")
            } else {
                // FBA's [plugin] has a summary and no name (the folder is the name; a native
                // [plugin] requires `name`): a capability-level FBA plugin (1.15) has only that.
                doc.get("plugin")
                    .and_then(|plugin| plugin.get_ref().as_table())
                    .filter(|plugin| plugin.contains_key("summary") && !plugin.contains_key("name"))
                    .map(|_| "plugin.toml has FBA's [plugin] (a summary and no name)")
            }
        }
        // A broken file still says what it is meant to be by its table headers.
        Err(_) => manifest
            .text()
            .lines()
            .any(|line| {
                let line = line.trim_start().trim_start_matches('[').trim_start();
                ["app", "api"].iter().any(|key| {
                    line.strip_prefix(key)
                        .is_some_and(|rest| rest.trim_start().starts_with([']', '.', '=']))
                })
            })
            .then_some("plugin.toml has an [app] or [api] table"),
    };
    Some(match fba {
        Some(why) => (Flavor::Fba, why),
        None => (Flavor::Pluginkit, "plugin.toml without [app] or [api]"),
    })
}

fn classify_cargo_toml(
    manifest: &mut ManifestText,
    _host: Option<HostKind>,
) -> Option<(Flavor, &'static str)> {
    let doc = manifest.parse_toml().ok()?;
    let has_metadata = doc
        .get_ref()
        .get("package")
        .and_then(|p| p.get_ref().get("metadata"))
        .and_then(|m| m.get_ref().get("pluginkit"))
        .is_some();
    has_metadata.then_some((Flavor::Crate, "Cargo.toml has [package.metadata.pluginkit]"))
}

fn classify_init_py(
    manifest: &mut ManifestText,
    _host: Option<HostKind>,
) -> Option<(Flavor, &'static str)> {
    const FLASK: &str = "__plugin_name__";
    const FASTCMS: &str = "PLUGIN_META";
    const REGISTER: &str = "register";
    let text = manifest.text();
    // Most `__init__.py` files are not plugin metadata at all: skip parsing those.
    if !text.contains(FLASK) && !text.contains(FASTCMS) && !text.contains(REGISTER) {
        return None;
    }
    let binds = match manifest.parse_python() {
        Ok(module) => {
            let names = python::bindings(module);
            // A `register` with Flask-PluginKit's other dunders is its plugin with a slip in
            // `__plugin_name__` (Flask-PluginKit tries to load it, and refuses it), which the
            // reader reports at the misspelled line.
            let flask_like = names.contains_key(REGISTER)
                && !names.contains_key(FASTCMS)
                && (crate::plugin::flask_versions::misspelled(&names, FLASK).is_some()
                    || (names.contains_key("__version__") && names.contains_key("__author__")));
            [
                names.contains_key(FLASK),
                names.contains_key(FASTCMS),
                flask_like,
            ]
        }
        // A file that does not parse still says what it is meant to be.
        Err(_) => {
            let text = manifest.text();
            let assigns = |name: &str| {
                text.lines().any(|line| {
                    line.strip_prefix(name)
                        .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
                })
            };
            [assigns(FLASK), assigns(FASTCMS), false]
        }
    };
    match binds {
        [true, _, _] => Some((Flavor::FlaskPluginkit, "__init__.py sets __plugin_name__")),
        [false, true, _] => Some((Flavor::Fastcms, "__init__.py sets PLUGIN_META")),
        [false, false, true] => Some((
            Flavor::FlaskPluginkit,
            "__init__.py has register and Flask-PluginKit's other metadata (but no __plugin_name__)",
        )),
        _ => None,
    }
}

/// The name a plugin's folder gives it: its own, or, for a folder about to be installed (or a
/// package's top folder), the one it is read from.
pub(crate) fn folder_of(tree: &dyn Tree) -> Option<&str> {
    tree.folder_name().or_else(|| tree.archive_folder())
}

/// `Name/Name.py` with a module-level `class Info` (DESIGN.md "Words"): the class-based
/// pattern's plugin module, which its loader imports and reads `Info.classname` from.
fn class_based_manifest(tree: &dyn Tree) -> Option<(ManifestText, &'static str)> {
    let rel = Flavor::ClassBased.manifest_in(folder_of(tree))?;
    let mut manifest = read(tree, &rel).ok()??;
    // Most modules are not plugins: skip parsing those.
    if !manifest.text().contains("class Info") {
        return None;
    }
    let defines_info = match manifest.parse_python() {
        Ok(module) => module.body.iter().any(|stmt| {
            matches!(stmt, ruff_python_ast::Stmt::ClassDef(class) if class.name.as_str() == "Info")
        }),
        // A file that does not parse still says what it is meant to be.
        Err(_) => manifest
            .text()
            .lines()
            .any(|line| line.starts_with("class Info") && line[10..].trim_start().starts_with([':', '('])),
    };
    defines_info.then_some((manifest, "NAME/NAME.py defines a module-level class Info"))
}
