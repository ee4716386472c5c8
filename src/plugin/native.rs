//! The native flavor: `plugin.toml` with a `[plugin]` table and an optional `[dependencies]`
//! table, exactly as DESIGN.md "Files" gives it.

use std::ops::Range;
use std::sync::Arc;

use semver::{Version, VersionReq};

use crate::findings::Location;
use crate::findings::rules;
use crate::plugin::flavor::ManifestText;
use crate::plugin::state::State;
use crate::plugin::toml_check::{Checker, Spanned, TableRef};
use crate::plugin::tree::Tree;
use crate::plugin::{Dependency, Metadata, Read, ReadContext};

const ROOT_KEYS: &[&str] = &["plugin", "dependencies"];
const PLUGIN_KEYS: &[&str] = &[
    "name",
    "version",
    "summary",
    "description",
    "author",
    "license",
    "readme",
    "homepage",
    "state",
    "requires",
];
/// Keys that other manifest formats use for the same thing.
pub(crate) const RENAMED: &[(&str, &str)] = &[
    ("authors", "author"),
    ("licence", "license"),
    ("desc", "description"),
    ("url", "homepage"),
    ("repository", "homepage"),
    ("appversion", "requires"),
];

const SUMMARY_MAX: usize = 100;

/// Whether `name` is an allowed native plugin name: `^[a-z][a-z0-9_]{0,63}$`.
pub(crate) fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A valid name close to an invalid one (`My-Plugin` -> `my_plugin`), when there is one.
pub(crate) fn suggest_name(name: &str) -> Option<String> {
    let fixed: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' | '.' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    (fixed != name && is_valid_name(&fixed)).then_some(fixed)
}

pub(crate) fn read(tree: &dyn Tree, manifest: &mut ManifestText, ctx: &ReadContext) -> Read {
    let source = Arc::clone(&manifest.source);
    let mut check = Checker::new(&source);
    let mut metadata = Metadata::default();
    let Some(doc) = check.parse(manifest.text()) else {
        return Read {
            metadata,
            findings: check.findings,
        };
    };
    let root = check.root(&doc);
    check.unknown_keys(&root, ROOT_KEYS, &[]);
    if let Some(plugin) = check.table(&root, "plugin", "[plugin]", true) {
        read_plugin_table(tree, &mut check, &plugin, ctx, &mut metadata);
    }
    if let Some(deps) = check.table(&root, "dependencies", "[dependencies]", false) {
        metadata.dependencies = read_dependencies(&mut check, &deps, metadata.name.as_deref());
    }
    Read {
        metadata,
        findings: check.findings,
    }
}

fn read_plugin_table(
    tree: &dyn Tree,
    check: &mut Checker<'_>,
    plugin: &TableRef<'_>,
    ctx: &ReadContext,
    metadata: &mut Metadata,
) {
    check.unknown_keys(plugin, PLUGIN_KEYS, RENAMED);

    if let Some(name) = check.string(plugin, "name", true) {
        check_name(tree, check, &name);
        metadata.name = Some(name.value);
    }
    if let Some(version) = check.string(plugin, "version", true) {
        check_version(check, &version);
        metadata.version_at = Some(Location::span(check.source, version.span.clone()));
        metadata.version = Some(version.value);
    }
    metadata.summary = summary(check, plugin);
    metadata.description = optional_text(check, plugin, "description");
    if let Some(author) = check.string(plugin, "author", true) {
        check_author(check, &author);
        metadata.author = Some(author.value);
    }

    match optional_text(check, plugin, "license") {
        Some(license) => metadata.license = Some(license),
        None if !plugin.table.contains_key("license") => {
            check
                .report(
                    &rules::MISSING_LICENSE,
                    plugin.span.clone(),
                    "the plugin declares no license",
                )
                .help("add an SPDX license expression to [plugin], e.g. license = \"MIT\"");
        }
        None => {}
    }

    let readme = check.string(plugin, "readme", false);
    check_readme(
        tree,
        check,
        readme.as_ref(),
        plugin.span.clone(),
        plugin.name,
    );

    if let Some(homepage) = check.string(plugin, "homepage", false) {
        check_homepage(check, &homepage);
        metadata.homepage = Some(homepage.value);
    }
    metadata.state = state(check, plugin);
    metadata.requires = requires(check, plugin, ctx);
}

// The field checks below are shared by every flavor that takes the native fields (native and
// crate): each checks one value it is given, wherever the flavor read it from.

/// A plugin name: the native rule, and equal to the name of the folder that holds it.
pub(crate) fn check_name(tree: &dyn Tree, check: &mut Checker<'_>, name: &Spanned<String>) {
    let Spanned { value: name, span } = name;
    if !is_valid_name(name) {
        let rule = "names start with a lowercase letter and hold only a-z, 0-9 and _ (at most 64)";
        check
            .report(
                &rules::INVALID_NAME,
                span.clone(),
                format!("plugin name `{name}` is not allowed"),
            )
            .label("must match ^[a-z][a-z0-9_]{0,63}$")
            .help(match suggest_name(name) {
                Some(fixed) => format!("{rule}: try `{fixed}`"),
                None => rule.to_owned(),
            });
    } else if let Some(folder) = tree.folder_name().filter(|folder| folder != name) {
        check
            .report(
                &rules::NAME_FOLDER_MISMATCH,
                span.clone(),
                format!("plugin name `{name}` differs from its folder `{folder}`"),
            )
            .label(format!("the folder is `{folder}`"))
            .help(format!(
                "rename the folder to `{name}`, or set name = \"{folder}\""
            ));
    }
}

/// A version: SemVer 2.0.
pub(crate) fn check_version(check: &mut Checker<'_>, version: &Spanned<String>) {
    if let Err(error) = Version::parse(&version.value) {
        check
            .report(
                &rules::INVALID_VERSION,
                version.span.clone(),
                format!(
                    "version `{}` is not a SemVer 2.0 version: {error}",
                    version.value
                ),
            )
            .label("not MAJOR.MINOR.PATCH")
            .help("write a full SemVer version such as \"1.2.0\" or \"0.1.0-beta.1\"");
    }
}

/// The required `summary` of `table`: one line of at most 100 characters.
pub(crate) fn summary(check: &mut Checker<'_>, table: &TableRef<'_>) -> Option<String> {
    let Spanned {
        value: summary,
        span,
    } = check.string(table, "summary", true)?;
    let length = summary.chars().count();
    let problem = if summary.trim().is_empty() {
        Some("the summary is empty".to_owned())
    } else if summary.contains('\n') || summary.contains('\r') {
        Some("the summary must be one line".to_owned())
    } else if length > SUMMARY_MAX {
        Some(format!(
            "the summary is {length} characters long, more than {SUMMARY_MAX}"
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        check
            .report(&rules::INVALID_SUMMARY, span, problem)
            .help("write one line of at most 100 characters; put the rest in `description`");
    }
    Some(summary)
}

/// An author: not empty.
pub(crate) fn check_author(check: &mut Checker<'_>, author: &Spanned<String>) {
    if author.value.trim().is_empty() {
        check
            .report(
                &rules::EMPTY_AUTHOR,
                author.span.clone(),
                "the author is empty",
            )
            .help("name the author, e.g. author = \"Ada <ada@example.com>\"");
    }
}

/// The readme: `readme` when given, else README.md; inside the plugin, and there. Without
/// `readme`, findings point at `fallback_span`; `set_in` names the table where `readme` belongs.
pub(crate) fn check_readme(
    tree: &dyn Tree,
    check: &mut Checker<'_>,
    readme: Option<&Spanned<String>>,
    fallback_span: Option<Range<usize>>,
    set_in: &str,
) {
    let (readme_path, readme_span) = match readme {
        Some(Spanned { value, span }) => (value.as_str(), span.clone().or(fallback_span)),
        None => ("README.md", fallback_span),
    };
    if !is_inside(readme_path) {
        check
            .report(
                &rules::MISSING_README,
                readme_span,
                format!("readme `{readme_path}` is not a path inside the plugin"),
            )
            .help("name a file inside the plugin folder, e.g. readme = \"README.md\"");
    } else if !tree.is_file(readme_path) {
        let mut finding = check.report(
            &rules::MISSING_README,
            readme_span,
            format!("readme file `{readme_path}` does not exist"),
        );
        finding.help(if readme.is_some() {
            format!(
                "create {} or point `readme` at an existing file",
                tree.display(readme_path)
            )
        } else {
            format!(
                "create {} (the default readme), or set `readme` in {set_in}",
                tree.display(readme_path)
            )
        });
    }
}

/// A homepage: an http or https URL.
pub(crate) fn check_homepage(check: &mut Checker<'_>, homepage: &Spanned<String>) {
    let Spanned {
        value: homepage,
        span,
    } = homepage;
    let ok = ["https://", "http://"]
        .iter()
        .any(|scheme| homepage.len() > scheme.len() && homepage.starts_with(scheme));
    if !ok {
        check
            .report(
                &rules::INVALID_HOMEPAGE,
                span.clone(),
                format!("homepage `{homepage}` is not an http or https URL"),
            )
            .help("use a full URL such as \"https://example.com/my-plugin\"");
    }
}

/// The optional `state` of `table`: `enabled` or `disabled`.
pub(crate) fn state(check: &mut Checker<'_>, table: &TableRef<'_>) -> Option<State> {
    let Spanned { value: state, span } = check.string(table, "state", false)?;
    let parsed = State::parse(&state);
    if parsed.is_none() {
        check
            .report(
                &rules::INVALID_STATE,
                span,
                format!("state `{state}` is neither `enabled` nor `disabled`"),
            )
            .label("expected \"enabled\" or \"disabled\"")
            .help("set state = \"enabled\" or state = \"disabled\", or remove it (enabled by default)");
    }
    parsed
}

/// The optional `requires` of `table`: a version requirement that the host's version meets.
pub(crate) fn requires(
    check: &mut Checker<'_>,
    table: &TableRef<'_>,
    ctx: &ReadContext,
) -> Option<String> {
    let Spanned {
        value: requires,
        span,
    } = check.string(table, "requires", false)?;
    match VersionReq::parse(&requires) {
        Ok(req) => {
            if let Some(host) = ctx.host.version().filter(|v| !req.matches(v)) {
                check
                    .report(
                        &rules::HOST_VERSION_MISMATCH,
                        span,
                        format!("the plugin requires host {requires}, but the host is {host}"),
                    )
                    .label(format!("host is {host}"))
                    .help("use a version of the plugin made for this host, or widen `requires` if it works with it");
            }
        }
        Err(error) => {
            check
                .report(
                    &rules::INVALID_REQUIRES,
                    span,
                    format!("requires `{requires}` is not a version requirement: {error}"),
                )
                .help("write comma-separated comparators, e.g. requires = \">=2.0, <3\"");
        }
    }
    Some(requires)
}

/// An optional text field; present but empty is worth a warning.
pub(crate) fn optional_text(
    check: &mut Checker<'_>,
    table: &TableRef<'_>,
    key: &str,
) -> Option<String> {
    let value = check.string(table, key, false)?;
    check_optional_text(check, key, &value);
    Some(value.value)
}

/// An optional text field's value: empty is worth a warning.
pub(crate) fn check_optional_text(check: &mut Checker<'_>, key: &str, value: &Spanned<String>) {
    if value.value.trim().is_empty() {
        check
            .report(
                &rules::EMPTY_FIELD,
                value.span.clone(),
                format!("`{key}` is empty"),
            )
            .help(format!("fill in `{key}` or remove it"));
    }
}

/// Whether a relative path stays inside the plugin folder.
pub(crate) fn is_inside(path: &str) -> bool {
    let path = path.replace('\\', "/");
    !path.is_empty()
        && !path.starts_with('/')
        && path.as_bytes().get(1).is_none_or(|b| *b != b':')
        && path.split('/').all(|part| part != "..")
}

/// The `[dependencies]`-style table `deps`: plugin names mapped to version requirements.
pub(crate) fn read_dependencies(
    check: &mut Checker<'_>,
    deps: &TableRef<'_>,
    own_name: Option<&str>,
) -> Vec<Dependency> {
    let mut out = Vec::new();
    for (name, item) in deps.table.iter() {
        let key_span = deps.key_span(name);
        if !is_valid_name(name) {
            check
                .report(
                    &rules::INVALID_DEPENDENCY,
                    key_span.clone(),
                    format!("dependency name `{name}` is not a valid plugin name"),
                )
                .help("plugin names match ^[a-z][a-z0-9_]{0,63}$");
            continue;
        }
        if Some(name) == own_name {
            check
                .report(
                    &rules::INVALID_DEPENDENCY,
                    key_span,
                    format!("plugin `{name}` depends on itself"),
                )
                .help(format!("remove it from {}", deps.name));
            continue;
        }
        let Some(text) = item.as_str() else {
            check.wrong_type(
                deps,
                name,
                item,
                "a version requirement string such as \"^1.0\"",
            );
            continue;
        };
        let requirement = match VersionReq::parse(text) {
            Ok(req) => Some(req),
            Err(error) => {
                check
                    .report(
                        &rules::INVALID_DEPENDENCY,
                        item.span(),
                        format!("`{text}` is not a version requirement for `{name}`: {error}"),
                    )
                    .help("write a SemVer requirement such as \"^1.0\" or \">=1.2, <2\", or \"*\" for any version");
                None
            }
        };
        out.push(Dependency {
            name: name.to_owned(),
            requirement,
            location: Some(Location::span(check.source, key_span)),
        });
    }
    out
}
