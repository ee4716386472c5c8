//! The plugin model: what pluginkit knows about one plugin, whatever its flavor, and how a
//! plugin folder is read. Each flavor has one reader (a module here) behind the same entry point,
//! [`read_plugin`]; the readers report what they find as [`Finding`]s instead of failing.

pub(crate) mod cargo;
pub(crate) mod class_based;
pub(crate) mod crate_flavor;
pub(crate) mod dependencies;
pub(crate) mod fastcms;
pub(crate) mod fba;
pub(crate) mod flask;
pub(crate) mod flask_versions;
pub mod flavor;
pub mod host;
pub(crate) mod names;
pub(crate) mod native;
pub(crate) mod python;
pub(crate) mod requirements;
pub(crate) mod state;
pub(crate) mod toml_check;
pub mod tree;

use semver::VersionReq;
use serde::Serialize;

use crate::findings::rules;
use crate::findings::rules::Severity;
use crate::findings::{Finding, Location, SourceFile};
use flavor::{Detection, Flavor, ManifestText};
use state::State;
use tree::Tree;

/// What a reader could learn from a plugin's metadata. Everything is optional because a broken
/// manifest still yields whatever could be read.
#[derive(Debug, Default, Clone, Serialize)]
pub(crate) struct Metadata {
    pub(crate) name: Option<String>,
    pub(crate) version: Option<String>,
    /// Where the version is written (the manifest's `version` value, `__version__`,
    /// `Info.version`...), for findings about it such as `validate --expect-version`'s.
    #[serde(skip)]
    pub(crate) version_at: Option<Location>,
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) license: Option<String>,
    pub(crate) homepage: Option<String>,
    /// The state the metadata itself declares (`state`, `__state__`).
    pub(crate) state: Option<State>,
    /// Host versions the plugin works with.
    pub(crate) requires: Option<String>,
    pub(crate) dependencies: Vec<Dependency>,
    /// Flavor-specific facts shown by `info` (e.g. an FBA plugin's level and tags), in order.
    #[serde(serialize_with = "serialize_pairs")]
    pub(crate) details: Vec<(&'static str, String)>,
    /// The URL rules a class-based plugin registers with Flask, for the checks across plugins.
    #[serde(skip)]
    pub(crate) routes: Vec<class_based::Route>,
}

/// A dependency on another plugin.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Dependency {
    pub(crate) name: String,
    /// The version requirement, when the flavor has one and it parsed.
    #[serde(serialize_with = "serialize_req")]
    pub(crate) requirement: Option<VersionReq>,
    /// Where the dependency is declared, for cross-plugin findings.
    #[serde(skip)]
    pub(crate) location: Option<Location>,
}

fn serialize_pairs<S: serde::Serializer>(
    pairs: &[(&'static str, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

fn serialize_req<S: serde::Serializer>(req: &Option<VersionReq>, s: S) -> Result<S::Ok, S::Error> {
    match req {
        Some(req) => s.serialize_some(&req.to_string()),
        None => s.serialize_none(),
    }
}

/// Files that are not part of a plugin as installed: the state markers (switched by `enable` and
/// `disable`) and Python's caches (written by the host at run time). Receipts, packages and
/// checkouts leave them out of what they hash.
pub(crate) fn is_runtime_file(rel: &str) -> bool {
    rel == state::ENABLED_FILE
        || rel == state::DISABLED_FILE
        || rel.split('/').any(|part| part == "__pycache__")
        || rel.ends_with(".pyc")
}

/// What the readers need to know about the host.
#[derive(Debug, Default, Clone)]
pub struct ReadContext {
    /// The host's kind, version and Python, each with why: which rules apply.
    pub host: host::HostFacts,
    /// How to ask cargo about crate plugins that inherit fields from their workspace.
    pub cargo: cargo::Cargo,
}

/// The result of one reader.
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub(crate) metadata: Metadata,
    pub findings: Vec<Finding>,
}

/// One plugin as read from its folder (or package).
#[derive(Debug)]
pub struct Plugin {
    /// The name of the folder that holds it (for a package with its manifest at the root, the
    /// metadata's name).
    pub(crate) folder: String,
    /// The folder as shown to the user.
    pub(crate) path: String,
    pub(crate) flavor: Flavor,
    /// Why this flavor was chosen.
    pub(crate) flavor_reason: String,
    /// The manifest as shown to the user.
    pub(crate) manifest: String,
    pub(crate) metadata: Metadata,
    pub findings: Vec<Finding>,
    /// Other flavors whose manifests the folder also holds, with why they match.
    pub(crate) other_flavors: Vec<(Flavor, String)>,
}

impl Plugin {
    /// The plugin's name: the one its metadata declares, else its folder's.
    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or(&self.folder)
    }

    pub(crate) fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity() == Severity::Error)
            .count()
    }

    pub fn is_valid(&self) -> bool {
        self.errors() == 0
    }

    /// Where the plugin's manifest is, for findings that concern the plugin as a whole.
    /// Let go of what only showing the plugin needs (its description, author, details, the
    /// manifest's text), keeping its findings and what the checks across plugins read (name,
    /// version, dependencies, routes, where the manifest is); where the version is written stays
    /// when `version_at`, for `validate --expect-version`. A folder of thousands of plugins that
    /// are checked and not shown then holds a fraction of the memory (10,000 FBA plugins: a
    /// tenth less time, most of it the kernel's for pages first touched).
    pub(crate) fn keep_for_checks(&mut self, version_at: bool) {
        let metadata = &mut self.metadata;
        metadata.summary = None;
        metadata.description = None;
        metadata.author = None;
        metadata.license = None;
        metadata.homepage = None;
        metadata.details = Vec::new();
        if !version_at {
            metadata.version_at = None;
        }
        self.flavor_reason = String::new();
    }

    pub(crate) fn manifest_location(&self) -> Location {
        Location::file(&SourceFile::new(self.manifest.clone(), None))
    }
}

/// Read the plugin in `tree`, or `None` when it holds no manifest (of the pinned flavor, when
/// one is pinned).
pub fn read_plugin(tree: &dyn Tree, pinned: Option<Flavor>, ctx: &ReadContext) -> Option<Plugin> {
    let detection = flavor::detect_in_host(tree, pinned, ctx.host.kind())?;
    Some(read_detected(tree, detection, ctx))
}

fn read_detected(tree: &dyn Tree, detection: Detection, ctx: &ReadContext) -> Plugin {
    let Detection {
        flavor,
        reason,
        manifest,
        read_error,
        also,
    } = detection;
    let manifest_rel = flavor
        .manifest_in(flavor::folder_of(tree))
        .unwrap_or(std::borrow::Cow::Borrowed(flavor.manifest_file()));
    let manifest_path = tree.display(&manifest_rel);
    let folder = tree.folder_name().map(str::to_owned);

    let read = match (manifest, read_error) {
        (Some(mut manifest), _) => read_with(flavor, tree, &mut manifest, ctx),
        (None, error) => {
            let source = SourceFile::new(manifest_path.clone(), None);
            let refused = error.as_ref().is_some_and(|e| e.refused);
            let why = error.map_or_else(|| "it does not exist".into(), |e| e.message);
            let help = if refused {
                format!(
                    "make {manifest_rel} a regular file of at most {} MiB",
                    tree::MAX_FILE >> 20
                )
            } else {
                "make the file readable UTF-8 text".to_owned()
            };
            Read {
                metadata: Metadata::default(),
                findings: vec![
                    Finding::new(
                        &rules::UNREADABLE,
                        format!("cannot read {manifest_path}: {why}"),
                    )
                    .help(help)
                    .in_file(&source, None),
                ],
            }
        }
    };

    let folder = folder
        .or_else(|| read.metadata.name.clone())
        .unwrap_or_else(|| "plugin".into());
    let mut findings = read.findings;
    // Every flavor's plugin may ship a requirements.txt (FBA installs it; pluginkit does with
    // --install-deps and `deps`): a line pip and uv refuse is an error before an install fails.
    findings.extend(requirements::read(tree).findings);
    let mut other_flavors = Vec::new();
    for (other, why, mut other_manifest) in also {
        let theirs = read_with(other, tree, &mut other_manifest, ctx).metadata;
        findings.extend(disagreements(
            flavor,
            &read.metadata,
            other,
            &theirs,
            &other_manifest,
        ));
        other_flavors.push((other, why.to_owned()));
    }
    for finding in &mut findings {
        finding.plugin.get_or_insert_with(|| folder.clone());
    }
    Plugin {
        path: {
            let mut shown = tree.display("");
            shown.truncate(shown.trim_end_matches('/').len());
            shown
        },
        folder,
        flavor,
        flavor_reason: reason,
        manifest: manifest_path,
        metadata: read.metadata,
        findings,
        other_flavors,
    }
}

/// Warnings for a folder that holds the manifests of two flavors saying different things.
fn disagreements(
    chosen: Flavor,
    ours: &Metadata,
    other: Flavor,
    theirs: &Metadata,
    other_manifest: &ManifestText,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let fields = [
        ("name", &ours.name, &theirs.name),
        ("version", &ours.version, &theirs.version),
    ];
    for (field, a, b) in fields {
        if let (Some(a), Some(b)) = (a, b)
            && a != b
        {
            out.push(
                Finding::new(
                    &rules::FLAVOR_CONFLICT,
                    format!(
                        "the {chosen} manifest says {field} `{a}`, but the {other} metadata in {} says `{b}`",
                        other_manifest.source.path
                    ),
                )
                .help(format!(
                    "pluginkit reads this plugin as {chosen}; make both agree, or remove the one the host does not use"
                ))
                .in_file(&other_manifest.source, None),
            );
        }
    }
    out
}

/// The one seam between the model and the flavors: each flavor's reader behind one signature.
fn read_with(
    flavor: Flavor,
    tree: &dyn Tree,
    manifest: &mut ManifestText,
    ctx: &ReadContext,
) -> Read {
    match flavor {
        Flavor::Pluginkit => native::read(tree, manifest, ctx),
        Flavor::Fba => fba::read(tree, manifest, ctx),
        Flavor::FlaskPluginkit => flask::read(tree, manifest, ctx),
        Flavor::Fastcms => fastcms::read(tree, manifest, ctx),
        Flavor::ClassBased => class_based::read(tree, manifest, ctx),
        Flavor::Crate => crate_flavor::read(tree, manifest, ctx),
    }
}
