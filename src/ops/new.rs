//! `new`: scaffold a plugin from a built-in template (one per flavor) or a custom one (a folder
//! or a git URL; the templates themselves are [`crate::scaffold`]'s), asking on a terminal for
//! what the flags did not give, then `git init` and validate what was written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::output::{Printer, WARNING};
use crate::plugin::flavor::Flavor;
use crate::plugin::read_plugin;
use crate::plugin::tree::DirTree;
use crate::scaffold::{self, Template, ValueSpec};
use crate::settings::Settings;
use crate::source::Source;
use crate::source::git::{self, GitSource, Pin};
use crate::util::url::without_credentials;

const DEFAULT_DESCRIPTION: &str = "A pluginkit plugin";
const DEFAULT_VERSION: &str = "0.1.0";
const DEFAULT_LICENSE: &str = "MIT";
const DEFAULT_EXTEND: &str = "admin";

/// What `new` was asked (its flags; a prompt asks for what they leave out).
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// The new plugin's name.
    pub(crate) name: String,
    /// A custom template: a folder, or a git URL.
    pub(crate) template: Option<String>,
    /// With a git template: the branch or tag to use.
    pub(crate) branch: Option<String>,
    pub(crate) tag: Option<String>,
    /// Where to create the plugin; `./NAME` when `None`.
    pub(crate) output: Option<PathBuf>,
    /// Create it in the host's plugins folder.
    pub(crate) into_plugins: bool,
    /// fba: the plugin level, and the app an extend-level plugin extends.
    pub(crate) level: Option<String>,
    pub(crate) extend: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) license: Option<String>,
    /// `KEY=VALUE` template values.
    pub(crate) define: Vec<String>,
    /// Do not run `git init`.
    pub(crate) no_git: bool,
    /// Write into a folder that is not empty.
    pub(crate) force: bool,
}

/// What `new` made.
#[derive(Debug)]
pub(crate) struct Created {
    pub(crate) name: String,
    pub(crate) flavor: Option<Flavor>,
    /// The plugin folder.
    pub(crate) path: PathBuf,
    /// The plugin folder, as shown.
    pub(crate) shown: String,
    /// The files written, relative to it.
    pub(crate) files: Vec<String>,
    /// How many errors what the template made has (shown on stderr; the plugin stays written).
    pub(crate) errors: usize,
}

/// Scaffold the plugin `options` asks for.
pub(crate) fn new(
    settings: &Settings,
    printer: &Printer,
    args: &Options,
) -> Result<Created, Error> {
    let mut defines = parse_defines(&args.define)?;
    let name = args.name.clone();

    // The template, and the flavor it produces.
    let _fetched; // keeps a fetched git template's temporary folder alive
    let (template, flavor, builtin) = match &args.template {
        None => {
            let flavor = settings.flavor.unwrap_or(Flavor::Pluginkit);
            (None, Some(flavor), true)
        }
        Some(given) => {
            let (template, tmp) = load_custom(settings, printer, given, args)?;
            _fetched = tmp;
            let flavor = template.flavor.or(settings.flavor);
            (Some(template), flavor, false)
        }
    };
    scaffold::check_name(&name, flavor)?;

    // Where it goes; refused before any question is asked.
    let target = match (&args.output, args.into_plugins) {
        (Some(output), _) => settings.cwd.join(output),
        (None, true) => settings.plugins_dir.join(&name),
        (None, false) => settings.cwd.join(&name),
    };
    let shown = settings.display(&target);
    // The folder is the plugin's name to every host: `--output` names the folder itself.
    if flavor.is_some()
        && let Some(output) = &args.output
        && target.file_name().and_then(|f| f.to_str()) != Some(name.as_str())
    {
        return Err(Error::user_hint(
            format!(
                "--output {} would put `{name}` in a folder named otherwise, but a plugin's folder is its name",
                output.display()
            ),
            format!(
                "give the folder itself, e.g. --output {}; nothing was written",
                output.join(&name).display()
            ),
        ));
    }
    check_target(&target, &shown, args.force)?;

    // The values: flags, then --define, then a prompt on a terminal, then the default.
    let mut ask = Asker {
        interactive: settings.interactive,
    };
    let specs = template.as_ref().map(|t| &t.values);
    let has_spec = |key: &str| specs.is_some_and(|s| s.contains_key(key));
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    values.insert("name".into(), name.clone());
    values.insert(
        "flavor".into(),
        flavor.map_or_else(String::new, |f| f.as_str().to_owned()),
    );
    values.insert("year".into(), scaffold::current_year().to_string());

    let is_fba = builtin && flavor == Some(Flavor::Fba);
    let level = pick(
        args.level.clone(),
        &mut defines,
        "level",
        (is_fba && !has_spec("level"))
            .then_some(("Level (app or extend)", Some(&["app", "extend"][..]))),
        "app",
        &mut ask,
    )?;
    if !matches!(level.as_str(), "app" | "extend") && builtin {
        return Err(Error::usage(
            format!("invalid level {level:?}"),
            "use --level app or --level extend",
        ));
    }
    values.insert("level".into(), level.clone());
    let extend = pick(
        args.extend.clone(),
        &mut defines,
        "extend",
        (is_fba && level == "extend" && !has_spec("extend"))
            .then_some(("The app it extends", None)),
        DEFAULT_EXTEND,
        &mut ask,
    )?;
    values.insert("extend".into(), extend);

    let standard: [(&str, Option<String>, &str, String); 4] = [
        (
            "description",
            args.description.clone(),
            "Description",
            DEFAULT_DESCRIPTION.to_owned(),
        ),
        (
            "author",
            args.author.clone(),
            "Author",
            default_author(is_fba),
        ),
        (
            "version",
            args.version.clone(),
            "Version",
            DEFAULT_VERSION.to_owned(),
        ),
        (
            "license",
            args.license.clone(),
            "License (SPDX)",
            DEFAULT_LICENSE.to_owned(),
        ),
    ];
    for (key, flag, prompt, default) in standard {
        let prompt = (!has_spec(key)).then_some((prompt, None));
        let value = pick(flag, &mut defines, key, prompt, &default, &mut ask)?;
        values.insert(key.to_owned(), value);
    }
    if semver::Version::parse(&values["version"]).is_err() {
        return Err(Error::user_hint(
            format!("invalid version {:?}: it must be SemVer", values["version"]),
            "use a version such as 0.1.0 (--plugin-version)",
        ));
    }

    // A custom template's own values, checked against its regex and choices.
    if let Some(specs) = specs {
        for (key, spec) in specs {
            let value = custom_value(key, spec, &mut defines, &values, &mut ask)?;
            spec.check(key, &value)?;
            values.insert(key.clone(), value);
        }
    }
    // Any other --define is passed to the template as it is.
    values.extend(defines);

    // Render everything before anything is written.
    let mut extra = Vec::new();
    let template = match template {
        Some(template) => template,
        None => {
            let flavor = flavor.unwrap_or(Flavor::Pluginkit);
            if let Some(text) =
                scaffold::license_text(&values["license"], &values["author"], year(&values))
            {
                values.insert("license_file".into(), "LICENSE".into());
                extra.push(("LICENSE".to_owned(), text.into_bytes()));
            } else {
                printer.note(format!(
                    "{}: no LICENSE file written: pluginkit has no text for the license {:?}; add one yourself",
                    printer.paint_err(WARNING, "note"),
                    values["license"]
                ));
            }
            scaffold::builtin(scaffold::builtin_folder(flavor, &level))
        }
    };
    let mut files = scaffold::render(&template, &values)?;
    for (path, bytes) in extra {
        if !files.iter().any(|(p, _)| *p == path) {
            files.push((path, bytes));
        }
    }
    files.sort();
    scaffold::write(&target, &files, !args.no_git)?;

    // Check what was written, as `validate` would.
    let tree = DirTree::new(target.clone(), shown.clone());
    let plugin = read_plugin(&tree, flavor, &settings.read_context());
    // The findings are shown; the plugin stays written for the user to fix what a custom
    // template got wrong (a built-in one gives none), and errors make the command fail.
    let mut errors = 0;
    match &plugin {
        Some(plugin) => {
            errors = printer.findings(&plugin.findings).errors;
        }
        None => printer.warn(format_args!(
            "{shown} holds no plugin manifest{}",
            flavor.map_or_else(String::new, |f| format!(" for flavor {f}"))
        )),
    }
    Ok(Created {
        flavor: flavor.or(plugin.as_ref().map(|p| p.flavor)),
        name,
        path: target,
        shown,
        files: files.into_iter().map(|(p, _)| p).collect(),
        errors,
    })
}

/// git's `name <email>`, else "Unknown"; for fba only the name when both pass FBA's limit of
/// 50 characters.
fn default_author(is_fba: bool) -> String {
    let author = scaffold::git_author().unwrap_or_else(|| "Unknown".to_owned());
    if is_fba && author.chars().count() > 50 {
        let name = author.split(" <").next().unwrap_or(&author);
        return name.chars().take(50).collect();
    }
    author
}

fn year(values: &BTreeMap<String, String>) -> i64 {
    values["year"]
        .parse()
        .unwrap_or_else(|_| scaffold::current_year())
}

/// `--define key=value`, in order; a later one wins.
fn parse_defines(defines: &[String]) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for define in defines {
        let Some((key, value)) = define.split_once('=') else {
            return Err(Error::usage(
                format!("invalid --define {define:?}"),
                "use --define KEY=VALUE",
            ));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(Error::usage(
                format!("invalid --define {define:?}: the key is empty"),
                "use --define KEY=VALUE",
            ));
        }
        out.insert(key.to_owned(), value.to_owned());
    }
    Ok(out)
}

/// A target that exists must be an empty folder, unless `--force`.
fn check_target(target: &Path, shown: &str, force: bool) -> Result<(), Error> {
    if !target.exists() {
        return Ok(());
    }
    if !target.is_dir() {
        return Err(Error::user_hint(
            format!("{shown} exists and is not a folder"),
            "choose another name or --output; nothing was written",
        ));
    }
    let empty = std::fs::read_dir(target)
        .map_err(|e| Error::caused(format!("cannot read {shown}"), e))?
        .next()
        .is_none();
    if !empty && !force {
        return Err(Error::user_hint(
            format!("{shown} already exists and is not empty"),
            "pass --force to write into it anyway, or choose another name or --output; nothing was written",
        ));
    }
    Ok(())
}

/// The value of a standard key: the flag, else `--define`, else a prompt, else the default.
fn pick(
    flag: Option<String>,
    defines: &mut BTreeMap<String, String>,
    key: &str,
    prompt: Option<(&str, Option<&[&str]>)>,
    default: &str,
    ask: &mut Asker,
) -> Result<String, Error> {
    let defined = defines.remove(key);
    if let Some(value) = flag.or(defined) {
        return Ok(value);
    }
    match prompt {
        Some((text, choices)) if ask.interactive => {
            let choices: Option<Vec<String>> =
                choices.map(|c| c.iter().map(|s| (*s).to_owned()).collect());
            ask.ask(text, Some(default), choices.as_deref())
        }
        _ => Ok(default.to_owned()),
    }
}

/// The value of a custom template's `[values.KEY]`.
fn custom_value(
    key: &str,
    spec: &ValueSpec,
    defines: &mut BTreeMap<String, String>,
    values: &BTreeMap<String, String>,
    ask: &mut Asker,
) -> Result<String, Error> {
    if let Some(value) = defines.remove(key) {
        return Ok(value);
    }
    let default = spec.default.clone().or_else(|| values.get(key).cloned());
    if ask.interactive {
        let text = spec.prompt.as_deref().unwrap_or(key);
        return ask.ask(text, default.as_deref(), spec.choices.as_deref());
    }
    default.ok_or_else(|| {
        Error::user_hint(
            format!("the template's value `{key}` has no default and no prompt can be shown"),
            format!("pass --define {key}=VALUE; nothing was written"),
        )
    })
}

/// Questions on the terminal (stderr), only when prompts are allowed.
struct Asker {
    interactive: bool,
}

impl Asker {
    fn ask(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        choices: Option<&[String]>,
    ) -> Result<String, Error> {
        let failed = |e: dialoguer::Error| Error::caused(format!("cannot ask for {prompt}"), e);
        let term = dialoguer::console::Term::stderr();
        if let Some(choices) = choices.filter(|c| !c.is_empty()) {
            let start = default
                .and_then(|d| choices.iter().position(|c| c == d))
                .unwrap_or(0);
            let index = dialoguer::Select::new()
                .with_prompt(prompt)
                .items(choices)
                .default(start)
                .interact_on(&term)
                .map_err(failed)?;
            return Ok(choices[index].clone());
        }
        let mut input = dialoguer::Input::<String>::new().with_prompt(prompt);
        match default {
            Some(default) => input = input.default(default.to_owned()),
            None => input = input.allow_empty(false),
        }
        input.interact_text_on(&term).map_err(failed)
    }
}

/// A custom template from a folder, or fetched from git into a temporary folder (returned so
/// it lives until the plugin is written).
fn load_custom(
    settings: &Settings,
    printer: &Printer,
    given: &str,
    args: &Options,
) -> Result<(Template, Option<tempfile::TempDir>), Error> {
    let local = settings.cwd.join(given);
    let is_git = match Source::parse(given, &settings.cwd) {
        Ok(Source::Git { .. }) => true,
        _ => !local.is_dir() && given.starts_with("https://"),
    };
    if !is_git {
        if !local.is_dir() {
            return Err(Error::user_hint(
                format!("template {given}: no such folder"),
                "pass a folder holding template.toml, or a git URL",
            ));
        }
        return Ok((scaffold::load_dir(&local, given)?, None));
    }
    let pin = match (&args.tag, &args.branch) {
        (Some(tag), _) => Pin::Tag(tag.clone()),
        (_, Some(branch)) => Pin::Branch(branch.clone()),
        _ => Pin::DefaultBranch,
    };
    let source = GitSource {
        url: without_credentials(given).into_owned(),
        pin,
        subdir: None,
        semver: None,
    };
    let credentials = git::Credentials::for_url(given, &settings.git);
    let fetcher = git::Fetcher {
        source: &source,
        url: given,
        credentials: &credentials,
        printer,
    };
    let tmp = tempfile::Builder::new()
        .prefix("pluginkit-template-")
        .tempdir()
        .map_err(|e| Error::caused("cannot create a temporary folder", e))?;
    let dest: PathBuf = tmp.path().join("template");
    fetcher.checkout(
        &tmp.path().join("fetch"),
        &dest,
        settings.host.config.limits.limits(),
    )?;
    Ok((scaffold::load_dir(&dest, &source.url)?, Some(tmp)))
}
