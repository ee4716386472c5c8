//! Scaffolding new plugins: the built-in templates (embedded in the binary from `templates/`),
//! custom templates (a folder holding `template.toml`), rendering with minijinja, and writing
//! the result through a staging folder so a failure leaves nothing behind.

mod license;
mod naming;
mod rendered;
pub(crate) mod values;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Deserialize;

use crate::error::Error;
use crate::plugin::flavor::Flavor;

pub(crate) use license::license_text;
pub(crate) use naming::check_name;
pub(crate) use rendered::Rendered;

// `BUILTIN`: every file under templates/ as (path relative to templates/, bytes); see build.rs.
include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// The file of a custom template that describes it; never copied.
pub(crate) const TEMPLATE_FILE: &str = "template.toml";

/// A template: its files (names may hold `{{...}}`; `.j2` files are rendered) and, for a custom
/// one, what `template.toml` says.
#[derive(Debug, Default)]
pub(crate) struct Template {
    /// Paths relative to the template's root, with `/`, and contents.
    pub(crate) files: Vec<(String, Vec<u8>)>,
    /// The flavor the template produces, when it says.
    pub(crate) flavor: Option<Flavor>,
    /// The values it asks for, by key.
    pub(crate) values: BTreeMap<String, ValueSpec>,
}

/// One `[values.KEY]` table of `template.toml`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValueSpec {
    pub(crate) prompt: Option<String>,
    pub(crate) default: Option<String>,
    pub(crate) regex: Option<String>,
    pub(crate) choices: Option<Vec<String>>,
}

impl ValueSpec {
    /// Check `value` against the regex and the choices; the error names the key.
    pub(crate) fn check(&self, key: &str, value: &str) -> Result<(), Error> {
        if let Some(pattern) = &self.regex {
            let regex = regex::Regex::new(pattern).map_err(|e| {
                Error::caused(
                    format!("{TEMPLATE_FILE}: the regex of value `{key}` is not valid"),
                    e,
                )
            })?;
            if !regex.is_match(value) {
                return Err(Error::user_hint(
                    format!("value `{key}` = {value:?} does not match the regex {pattern}"),
                    format!("pass --define {key}=VALUE with a matching value; nothing was written"),
                ));
            }
        }
        if let Some(choices) = &self.choices
            && !choices.iter().any(|c| c == value)
        {
            return Err(Error::user_hint(
                format!(
                    "value `{key}` = {value:?} is not one of the choices: {}",
                    choices.join(", ")
                ),
                format!("pass --define {key}=VALUE with one of them; nothing was written"),
            ));
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateToml {
    #[serde(default)]
    template: TemplateTable,
    #[serde(default)]
    values: BTreeMap<String, ValueSpec>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateTable {
    flavor: Option<Flavor>,
}

/// The built-in template in `templates/<folder>/`.
pub(crate) fn builtin(folder: &str) -> Template {
    let prefix = format!("{folder}/");
    Template {
        files: BUILTIN
            .iter()
            .filter_map(|(path, bytes)| {
                path.strip_prefix(&prefix)
                    .map(|rel| (rel.to_owned(), bytes.to_vec()))
            })
            .collect(),
        flavor: None,
        values: BTreeMap::new(),
    }
}

/// The built-in template for `flavor` (and, for fba, the level).
pub(crate) fn builtin_folder(flavor: Flavor, level: &str) -> &'static str {
    match flavor {
        Flavor::Pluginkit => "pluginkit",
        Flavor::FlaskPluginkit => "flask-pluginkit",
        Flavor::Fba if level == "extend" => "fba-extend",
        Flavor::Fba => "fba-app",
        Flavor::Fastcms => "fastcms",
        Flavor::ClassBased => "class-based",
        Flavor::Crate => "crate",
    }
}

/// A custom template: every file of `dir` but `template.toml` and `.git`.
pub(crate) fn load_dir(dir: &Path, shown: &str) -> Result<Template, Error> {
    let manifest = dir.join(TEMPLATE_FILE);
    let text = std::fs::read_to_string(&manifest).map_err(|e| {
        Error::caused_hint(
            format!("{shown} is not a template: cannot read {TEMPLATE_FILE}"),
            "a custom template is a folder (or git repository) with template.toml at its root",
            e,
        )
    })?;
    let parsed: TemplateToml = toml::from_str(&text).map_err(|e| {
        Error::user(format!(
            "{shown}/{TEMPLATE_FILE} is not valid: {}",
            e.to_string().trim_end()
        ))
    })?;
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    Ok(Template {
        files,
        flavor: parsed.template.flavor,
        values: parsed.values,
    })
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) -> Result<(), Error> {
    let read_error = |path: &Path, e: std::io::Error| {
        Error::caused(format!("cannot read the template's {}", path.display()), e)
    };
    for entry in std::fs::read_dir(dir).map_err(|e| read_error(dir, e))? {
        let entry = entry.map_err(|e| read_error(dir, e))?;
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .map_err(|_| Error::user(format!("{} is outside the template", path.display())))?
            .to_string_lossy()
            .replace('\\', "/");
        if rel == TEMPLATE_FILE || entry.file_name() == ".git" {
            continue;
        }
        let kind = entry.file_type().map_err(|e| read_error(&path, e))?;
        if kind.is_dir() {
            collect(root, &path, files)?;
        } else if kind.is_file() {
            let bytes = std::fs::read(&path).map_err(|e| read_error(&path, e))?;
            files.push((rel, bytes));
        } else {
            return Err(Error::user_hint(
                format!("the template's {rel} is a link or special file"),
                "a template holds plain files and folders only",
            ));
        }
    }
    Ok(())
}

/// Render every file of `template` with `values`: `.j2` files through minijinja (losing the
/// suffix), others copied; every path is rendered too and must stay inside the plugin folder.
pub(crate) fn render(
    template: &Template,
    values: &BTreeMap<String, String>,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut env = Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| Error::caused("cannot set up the template engine", e))?;
    env.set_syntax(syntax);
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    // The files are Python, TOML, Markdown...: nothing is HTML-escaped unless asked with `|e`.
    env.set_auto_escape_callback(|_| AutoEscape::None);
    // A quoted string literal, valid in TOML and Python alike (JSON's escapes are a subset).
    env.add_filter("q", |value: String| {
        serde_json::to_string(&value).unwrap_or_else(|_| format!("{value:?}"))
    });
    let ctx = minijinja::Value::from_pairs(values.iter().map(|(k, v)| (k.clone(), v.clone())));

    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, bytes) in &template.files {
        let (source_path, is_template) = match path.strip_suffix(".j2") {
            Some(stripped) => (stripped, true),
            None => (path.as_str(), false),
        };
        let rendered_path = if source_path.contains("{{") || source_path.contains("{%") {
            env.render_str(source_path, &ctx)
                .map_err(|e| Error::caused(format!("cannot render the file name {path}"), e))?
        } else {
            source_path.to_owned()
        };
        let rel = safe_relative(&rendered_path).ok_or_else(|| {
            Error::user_hint(
                format!(
                    "the template's {path} renders to the path {rendered_path:?}, which is not inside the plugin folder"
                ),
                "template file names must render to a relative path without `..`; nothing was written",
            )
        })?;
        let contents = if is_template {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| Error::user(format!("the template's {path} is not UTF-8 text")))?;
            let tmpl = env
                .template_from_named_str(path.as_str(), text)
                .map_err(|e| render_error(path, &e))?;
            tmpl.render(&ctx)
                .map_err(|e| render_error(path, &e))?
                .into_bytes()
        } else {
            bytes.clone()
        };
        if out.iter().any(|(p, _)| *p == rel) {
            return Err(Error::user(format!(
                "the template writes {rel} twice (from {path})"
            )));
        }
        out.push((rel, contents));
    }
    out.sort();
    Ok(out)
}

fn render_error(path: &str, e: &minijinja::Error) -> Error {
    let line = e.line().map(|l| format!(":{l}")).unwrap_or_default();
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    Error::user_hint(
        format!(
            "cannot render the template's {path}{line}: {}{detail}",
            e.kind()
        ),
        "fix the template, or pass the missing value with --define KEY=VALUE; nothing was written",
    )
}

/// `path` with `/` between normal parts only; `None` when empty, absolute or with `..`.
fn safe_relative(path: &str) -> Option<String> {
    if path.is_empty() || path.contains('\\') {
        return None;
    }
    let parsed = Path::new(path);
    let mut parts = Vec::new();
    for component in parsed.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?.to_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if parts.is_empty() || path.split('/').any(str::is_empty) {
        return None;
    }
    Some(parts.join("/"))
}

/// Write `files` to `target`. A new target is built in a staging folder beside it and renamed
/// into place at the end; an existing (empty, or `--force`) one gets the files only now, when
/// everything has rendered.
pub(crate) fn write(
    target: &Path,
    files: &[(String, Vec<u8>)],
    git_init: bool,
) -> Result<(), Error> {
    if target.is_dir() {
        // Into an existing folder: what this run creates is removed again if a step fails.
        let mut made = Vec::new();
        let mut result = write_files_recording(target, files, &mut made);
        if result.is_ok() && git_init && !target.join(".git").exists() {
            made.push(target.join(".git"));
            result = init_git(target);
        }
        if result.is_err() {
            for path in made.iter().rev() {
                // Best effort: the error that stopped the run is the one to report.
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(path)
                } else {
                    std::fs::remove_file(path)
                };
            }
        }
        return result;
    }
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&parent)
        .map_err(|e| Error::caused(format!("cannot create {}", parent.display()), e))?;
    let staging = tempfile::Builder::new()
        .prefix(".pluginkit-new-")
        .tempdir_in(&parent)
        .map_err(|e| {
            Error::caused(
                format!("cannot create a staging folder in {}", parent.display()),
                e,
            )
        })?;
    write_files(staging.path(), files)?;
    if git_init {
        init_git(staging.path())?;
    }
    std::fs::rename(staging.path(), target)
        .map_err(|e| Error::caused(format!("cannot move the plugin to {}", target.display()), e))?;
    // The staging folder is the target now; dropping `staging` finds nothing left to remove.
    Ok(())
}

fn write_files(root: &Path, files: &[(String, Vec<u8>)]) -> Result<(), Error> {
    write_files_recording(root, files, &mut Vec::new())
}

/// Write `files` under `root`, adding to `made` each file and folder that did not exist before
/// (outermost folder first).
fn write_files_recording(
    root: &Path,
    files: &[(String, Vec<u8>)],
    made: &mut Vec<PathBuf>,
) -> Result<(), Error> {
    for (rel, bytes) in files {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            if let Some(missing) = dir
                .ancestors()
                .take_while(|d| *d != root && !d.exists())
                .last()
            {
                made.push(missing.to_path_buf());
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::caused(format!("cannot create {}", dir.display()), e))?;
        }
        if !path.exists() {
            made.push(path.clone());
        }
        std::fs::write(&path, bytes)
            .map_err(|e| Error::caused(format!("cannot write {}", path.display()), e))?;
    }
    Ok(())
}

fn init_git(dir: &Path) -> Result<(), Error> {
    git2::Repository::init(dir).map(drop).map_err(|e| {
        Error::user_hint(
            format!("git init failed: {}", e.message()),
            "pass --no-git to skip it",
        )
    })
}

/// The author git knows: `user.name <user.email>` from the user's git config.
pub(crate) fn git_author() -> Option<String> {
    let config = git2::Config::open_default().ok()?;
    let name = config
        .get_string("user.name")
        .ok()
        .filter(|n| !n.trim().is_empty())?;
    match config
        .get_string("user.email")
        .ok()
        .filter(|e| !e.trim().is_empty())
    {
        Some(email) => Some(format!("{} <{}>", name.trim(), email.trim())),
        None => Some(name.trim().to_owned()),
    }
}

/// The current year (UTC).
pub(crate) fn current_year() -> i64 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    crate::util::time::civil_from_days(days).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside() {
        assert_eq!(safe_relative("a/b.py").as_deref(), Some("a/b.py"));
        assert_eq!(safe_relative("./a").as_deref(), Some("a"));
        assert_eq!(safe_relative("../a"), None);
        assert_eq!(safe_relative("a/../../b"), None);
        assert_eq!(safe_relative("/etc/passwd"), None);
        assert_eq!(safe_relative(""), None);
        assert_eq!(safe_relative("a//b"), None);
    }

    #[test]
    fn every_builtin_template_is_embedded() {
        for folder in [
            "pluginkit",
            "flask-pluginkit",
            "fba-app",
            "fba-extend",
            "fastcms",
            "class-based",
            "crate",
        ] {
            let template = builtin(folder);
            assert!(
                template.files.iter().any(|(p, _)| p == "README.md.j2"),
                "{folder}"
            );
            assert!(
                template.files.iter().any(|(p, _)| p == ".gitignore"),
                "{folder}"
            );
        }
    }
}
