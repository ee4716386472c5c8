//! The crate flavor: a Rust crate whose `Cargo.toml` carries `[package.metadata.pluginkit]`.
//! `[package]` gives the name and version; the metadata table gives the rest of the native
//! fields, and where it is silent, cargo's own field for the same thing stands in. Every value is
//! checked by the native reader's checks, so a crate plugin obeys the native rules.
//!
//! Where each field comes from:
//! - name: `[package] name`, as written. It must satisfy the native rule
//!   (`^[a-z][a-z0-9_]{0,63}$`), so a crate named `my-plugin` gets PK0201 suggesting `my_plugin`
//!   rather than a silent mapping of `-` to `_`: one plugin has one name, in `list`, `enable`,
//!   `[dependencies]` and its folder. As for native plugins, the name must be the folder's
//!   (PK0202), so the folder of a crate plugin is named after the crate.
//! - version: `[package] version`, required (cargo defaults a missing one to 0.0.0; a plugin
//!   needs its own), SemVer.
//! - summary, state, requires, `[package.metadata.pluginkit.dependencies]`: the metadata table.
//! - description: the metadata's, else `[package] description`.
//! - author: the metadata's `author`, else `[package] authors` joined with ", "; one of the two
//!   is required.
//! - license: the metadata's, else `[package] license`; `[package] license-file` also declares
//!   one; with none of them, PK0206.
//! - readme: the metadata's, else `[package] readme` when it is a path, else README.md.
//! - homepage: the metadata's, else `[package] homepage`, else `[package] repository` when it is
//!   an http(s) URL.
//!
//! A field that the crate inherits from its workspace (`version.workspace = true`) is resolved
//! by `cargo metadata` (see [`super::cargo`]), only when pluginkit needs that field: a crate that
//! inherits nothing never starts a process. When cargo cannot answer, PK0701 (a required field)
//! or PK0702 (an optional one) says why and what would fix it.

use std::ops::Range;
use std::sync::Arc;

use cargo_metadata::Package;

use crate::findings::Location;
use crate::findings::rules;
use crate::plugin::cargo::{Cargo, Unresolved};
use crate::plugin::flavor::ManifestText;
use crate::plugin::native;
use crate::plugin::toml_check::{Checker, Item, Spanned, TableRef, item_span};
use crate::plugin::tree::Tree;
use crate::plugin::{Metadata, Read, ReadContext};

const META: &str = "[package.metadata.pluginkit]";
const META_KEYS: &[&str] = &[
    "summary",
    "description",
    "author",
    "license",
    "readme",
    "homepage",
    "state",
    "requires",
    "dependencies",
];

pub(crate) fn read(tree: &dyn Tree, manifest: &mut ManifestText, ctx: &ReadContext) -> Read {
    let source = Arc::clone(&manifest.source);
    let mut check = Checker::new(&source);
    let mut metadata = Metadata::default();
    if let Some(doc) = check.parse(manifest.text()) {
        let root = check.root(&doc);
        if let Some(package) = check.table(&root, "package", "[package]", true) {
            let mut reader = CrateReader {
                tree,
                ctx,
                check: &mut check,
                package,
                workspace: Workspace {
                    tree,
                    cargo: &ctx.cargo,
                    answer: None,
                },
                metadata: &mut metadata,
                inherited: Vec::new(),
            };
            reader.read();
            if !reader.inherited.is_empty() {
                let inherited = reader.inherited.join(", ");
                metadata.details.push(("inherited", inherited));
            }
        }
    }
    Read {
        metadata,
        findings: check.findings,
    }
}

/// What the workspace says, asked of cargo at most once per crate, and only when needed.
struct Workspace<'a> {
    tree: &'a dyn Tree,
    cargo: &'a Cargo,
    answer: Option<Result<Arc<Package>, Unresolved>>,
}

impl Workspace<'_> {
    fn package(&mut self) -> Result<&Package, &Unresolved> {
        let (tree, cargo) = (self.tree, self.cargo);
        self.answer
            .get_or_insert_with(|| match tree.disk_path() {
                Some(dir) => cargo.package(&dir.join("Cargo.toml")),
                None => Err(Unresolved::NotOnDisk),
            })
            .as_ref()
            .map(|package| &**package)
    }
}

/// A `[package]` field as the crate gives it.
enum Field<T> {
    /// Written in `[package]`, or inherited and resolved (spanned at the inheriting key).
    Value(Spanned<T>),
    /// Not there.
    Absent,
    /// There, but unusable: mistyped or not resolvable, and reported.
    Unknown,
}

/// Whether a field is inherited from the workspace: `key.workspace = true` or
/// `key = { workspace = true }`.
fn is_inherited(item: Item<'_>) -> bool {
    item.as_table_like()
        .and_then(|table| table.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

/// A `[package]` field cargo resolved, as text.
fn resolved_text(package: &Package, key: &str) -> Option<String> {
    match key {
        "version" => Some(package.version.to_string()),
        "description" => package.description.clone(),
        "license" => package.license.clone(),
        "license-file" => package.license_file.as_ref().map(ToString::to_string),
        "readme" => package.readme.as_ref().map(ToString::to_string),
        "homepage" => package.homepage.clone(),
        "repository" => package.repository.clone(),
        _ => None,
    }
}

struct CrateReader<'r, 'c, 'd> {
    tree: &'r dyn Tree,
    ctx: &'r ReadContext,
    check: &'r mut Checker<'c>,
    package: TableRef<'d>,
    workspace: Workspace<'r>,
    metadata: &'r mut Metadata,
    /// The `[package]` fields resolved through cargo, for `info`.
    inherited: Vec<String>,
}

impl<'d> CrateReader<'_, '_, 'd> {
    fn read(&mut self) {
        self.name();
        if let Field::Value(version) = self.package_text("version", true) {
            native::check_version(self.check, &version);
            self.metadata.version_at =
                Some(Location::span(self.check.source, version.span.clone()));
            self.metadata.version = Some(version.value);
        }

        // Without the metadata table (possible only with the flavor pinned) its fields are not
        // looked for: the missing table is the one finding. `[package.metadata]` goes by the name
        // of the table the user has to add, so its absence reads as that table's.
        let Some(meta) = self
            .check
            .table(&self.package, "metadata", META, true)
            .and_then(|metadata| self.check.table(&metadata, "pluginkit", META, true))
        else {
            return;
        };
        self.unknown_keys(&meta);
        self.metadata.summary = native::summary(self.check, &meta);
        self.description(&meta);
        self.author(&meta);
        self.license(&meta);
        self.readme(&meta);
        self.homepage(&meta);
        self.metadata.state = native::state(self.check, &meta);
        self.metadata.requires = native::requires(self.check, &meta, self.ctx);
        let deps_name = "[package.metadata.pluginkit.dependencies]";
        if let Some(deps) = self.check.table(&meta, "dependencies", deps_name, false) {
            self.metadata.dependencies =
                native::read_dependencies(self.check, &deps, self.metadata.name.as_deref());
        }
    }

    fn name(&mut self) {
        if let Some(item) = self.package.table.get("name").filter(|i| is_inherited(*i)) {
            let example = self.tree.folder_name().unwrap_or("my_plugin");
            self.check
                .report(
                    &rules::WRONG_TYPE,
                    item_span(item).or_else(|| self.package.key_span("name")),
                    "`name` in [package] cannot be inherited from the workspace",
                )
                .label("expected a string")
                .help(format!(
                    "cargo inherits no crate names: write the name, e.g. name = \"{example}\""
                ));
            return;
        }
        if let Some(name) = self.check.string(&self.package, "name", true) {
            native::check_name(self.tree, self.check, &name);
            self.metadata.name = Some(name.value);
        }
    }

    /// The metadata table's keys that the flavor does not know; `name` and `version` belong in
    /// `[package]`.
    fn unknown_keys(&mut self, meta: &TableRef<'_>) {
        for (key, _) in meta.table.iter() {
            if META_KEYS.contains(&key) {
                continue;
            }
            if key == "name" || key == "version" {
                self.check
                    .report(
                        &rules::UNKNOWN_KEY,
                        meta.key_span(key),
                        format!("unknown key `{key}` in {META}"),
                    )
                    .label("belongs in [package]")
                    .help(format!(
                        "a crate plugin's {key} is [package] {key}; remove it here"
                    ));
            } else {
                self.check
                    .unknown_key(meta, key, META_KEYS, native::RENAMED);
            }
        }
    }

    fn description(&mut self, meta: &TableRef<'_>) {
        self.metadata.description = if meta.table.contains_key("description") {
            native::optional_text(self.check, meta, "description")
        } else if let Field::Value(description) = self.package_text("description", false) {
            native::check_optional_text(self.check, "description", &description);
            Some(description.value)
        } else {
            None
        };
    }

    fn author(&mut self, meta: &TableRef<'_>) {
        if meta.table.contains_key("author") {
            if let Some(author) = self.check.string(meta, "author", true) {
                native::check_author(self.check, &author);
                self.metadata.author = Some(author.value);
            }
            return;
        }
        match self.authors() {
            Field::Value(authors) => self.metadata.author = Some(authors.value),
            Field::Unknown => {}
            Field::Absent => {
                self.check
                    .report(
                        &rules::MISSING_KEY,
                        meta.span.clone(),
                        format!("missing `author` in {META}, and [package] names no authors"),
                    )
                    .label("`author` is required here")
                    .help(format!(
                        "add author = \"Ada <ada@example.com>\" to {META}, or list the authors in [package] authors"
                    ));
            }
        }
    }

    /// `[package] authors`, non-empty ones joined with ", ".
    fn authors(&mut self) -> Field<String> {
        let listed = match self.package_item("authors") {
            Some(item) if is_inherited(item) => {
                let span = self.inherited_span("authors", item);
                match self.workspace.package() {
                    Ok(package) => {
                        self.inherited.push("authors".to_owned());
                        Some(Spanned {
                            value: package.authors.clone(),
                            span,
                        })
                    }
                    Err(why) => {
                        let why = why.clone();
                        self.unresolved("authors", span, &why, true);
                        return Field::Unknown;
                    }
                }
            }
            Some(_) => match self.check.string_array(&self.package, "authors", false) {
                Some(list) => Some(Spanned {
                    value: list.value.into_iter().map(|a| a.value).collect(),
                    span: list.span,
                }),
                None => return Field::Unknown,
            },
            None => None,
        };
        let Some(Spanned { value, span }) = listed else {
            return Field::Absent;
        };
        let named: Vec<String> = value.into_iter().filter(|a| !a.trim().is_empty()).collect();
        if named.is_empty() {
            return Field::Absent;
        }
        Field::Value(Spanned {
            value: named.join(", "),
            span,
        })
    }

    fn license(&mut self, meta: &TableRef<'_>) {
        if meta.table.contains_key("license") {
            self.metadata.license = native::optional_text(self.check, meta, "license");
            return;
        }
        match self.package_text("license", false) {
            Field::Value(license) => {
                native::check_optional_text(self.check, "license", &license);
                self.metadata.license = Some(license.value);
            }
            Field::Unknown => {}
            Field::Absent => match self.package_text("license-file", false) {
                Field::Value(file) => self.metadata.details.push(("license file", file.value)),
                Field::Unknown => {}
                Field::Absent => {
                    self.check
                        .report(
                            &rules::MISSING_LICENSE,
                            meta.span.clone(),
                            "the plugin declares no license",
                        )
                        .help(format!(
                            "add an SPDX license expression to [package], e.g. license = \"MIT\" (cargo reads it too), or to {META}"
                        ));
                }
            },
        }
    }

    fn readme(&mut self, meta: &TableRef<'_>) {
        let readme = if meta.table.contains_key("readme") {
            self.check.string(meta, "readme", false)
        } else {
            match self.package_item("readme") {
                // `readme = false` (no readme for cargo) or `true` (cargo's default): pluginkit's
                // default, README.md.
                Some(item) if item.as_bool().is_some() => None,
                Some(_) => match self.package_text("readme", false) {
                    Field::Value(readme) => Some(readme),
                    Field::Absent => None,
                    Field::Unknown => return,
                },
                None => None,
            }
        };
        native::check_readme(
            self.tree,
            self.check,
            readme.as_ref(),
            meta.span.clone(),
            "[package]",
        );
    }

    fn homepage(&mut self, meta: &TableRef<'_>) {
        let homepage = if meta.table.contains_key("homepage") {
            self.check.string(meta, "homepage", false)
        } else {
            match self.package_text("homepage", false) {
                Field::Value(homepage) => Some(homepage),
                Field::Unknown => None,
                // A repository is a homepage of sorts when it is a web page (not a git:// or
                // ssh URL, which would wrongly fail the homepage check).
                Field::Absent => match self.package_text("repository", false) {
                    Field::Value(repository)
                        if ["https://", "http://"]
                            .iter()
                            .any(|scheme| repository.value.starts_with(scheme)) =>
                    {
                        Some(repository)
                    }
                    _ => None,
                },
            }
        };
        if let Some(homepage) = homepage {
            native::check_homepage(self.check, &homepage);
            self.metadata.homepage = Some(homepage.value);
        }
    }

    /// An item of `[package]`.
    fn package_item(&self, key: &str) -> Option<Item<'d>> {
        self.package.table.get(key)
    }

    fn inherited_span(&self, key: &str, item: Item<'_>) -> Option<Range<usize>> {
        item_span(item).or_else(|| self.package.key_span(key))
    }

    /// A text field of `[package]`, written or inherited; a missing one is reported when
    /// `required`.
    fn package_text(&mut self, key: &str, required: bool) -> Field<String> {
        let Some(item) = self.package_item(key) else {
            // Reports the missing key when it is required.
            self.check.item(&self.package, key, required);
            return Field::Absent;
        };
        if !is_inherited(item) {
            return match self.check.string(&self.package, key, required) {
                Some(value) => Field::Value(value),
                None => Field::Unknown,
            };
        }
        let span = self.inherited_span(key, item);
        match self.workspace.package() {
            Ok(package) => match resolved_text(package, key) {
                Some(value) => {
                    self.inherited.push(key.to_owned());
                    Field::Value(Spanned { value, span })
                }
                None => Field::Absent,
            },
            Err(why) => {
                let why = why.clone();
                self.unresolved(key, span, &why, required);
                Field::Unknown
            }
        }
    }

    /// Report an inherited field that cargo could not resolve.
    fn unresolved(
        &mut self,
        key: &str,
        span: Option<Range<usize>>,
        why: &Unresolved,
        required: bool,
    ) {
        let (rule, consequence) = if required {
            (
                &rules::CRATE_INHERITED_UNRESOLVED,
                "pluginkit cannot know it",
            )
        } else {
            (
                &rules::CRATE_INHERITED_OPTIONAL_UNRESOLVED,
                "pluginkit cannot check it",
            )
        };
        let example = match key {
            "version" => "version = \"1.0.0\"",
            "authors" => "authors = [\"Ada <ada@example.com>\"]",
            "license" => "license = \"MIT\"",
            "license-file" => "license-file = \"LICENSE\"",
            "readme" => "readme = \"README.md\"",
            "description" => "description = \"Greets people\"",
            _ => "homepage = \"https://example.com/my-plugin\"",
        };
        let (problem, fix) = match why {
            Unresolved::NotOnDisk => (
                "a package does not contain the workspace".to_owned(),
                format!(
                    "write the value in [package] before packaging, as `cargo package` does, e.g. {example}"
                ),
            ),
            Unresolved::NoCargo(program) => (
                if program == "cargo" {
                    "there is no cargo to resolve it (no `cargo` on PATH)".to_owned()
                } else {
                    format!("there is no cargo to resolve it (`{program}` does not exist)")
                },
                format!(
                    "install cargo (https://rustup.rs) or put it on PATH, or write the value in [package], e.g. {example}"
                ),
            ),
            Unresolved::Failed(gist) => (
                format!("`cargo metadata` failed: {gist}"),
                format!(
                    "fix what `cargo metadata --no-deps --manifest-path {}` reports, or write the value in [package], e.g. {example}",
                    self.tree.display("Cargo.toml")
                ),
            ),
        };
        self.check
            .report(
                rule,
                span,
                format!("`{key}` is inherited from the workspace, but {problem}, so {consequence}"),
            )
            .label("inherited from the workspace")
            .help(fix);
    }
}
