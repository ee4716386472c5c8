//! `new`: scaffold a plugin from a built-in template (one per flavor) or a custom one (a folder
//! or a git URL; the templates themselves are [`crate::scaffold`]'s), asking on a terminal for
//! what the flags did not give, then `git init` and validate what was written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::error::Error;
use crate::output::{Printer, WARNING};
use crate::plugin::flavor::Flavor;
use crate::plugin::read_plugin;
use crate::scaffold::values::Invalid;
use crate::scaffold::{self, Template, ValueSpec};
use crate::settings::Settings;
use crate::source::Source;
use crate::source::git::{self, GitSource, Pin};
use crate::util::url::without_credentials;

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
    /// Whether it was made in the host's plugins folder, where the host already finds it.
    pub(crate) in_plugins: bool,
    /// Whether it was made inside a host (`pluginkit.toml`, or a host kind recognised), where
    /// `add` installs it.
    pub(crate) in_host: bool,
}

/// Scaffold the plugin `options` asks for. Every value is checked against the flavor's rules
/// when it is given (a flag or `--define` that breaks one is a usage error; an answer at a
/// prompt is asked again), and what the template renders is read as the flavor's reader reads
/// it, all before anything is written.
pub(crate) fn new(
    settings: &Settings,
    printer: &Printer,
    args: &Options,
) -> Result<Created, Error> {
    let mut defines = parse_defines(&args.define)?;
    let name = args.name.clone();
    let mut ask = Asker {
        interactive: settings.interactive,
    };

    // The template, and the flavor it produces.
    let _fetched; // keeps a fetched git template's temporary folder alive
    let (template, flavor, builtin) = match &args.template {
        None => {
            let flavor = builtin_flavor(settings, printer, args, &mut ask)?;
            check_flavor_flags(args, flavor)?;
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
    let specs = template.as_ref().map(|t| &t.values);
    let has_spec = |key: &str| specs.is_some_and(|s| s.contains_key(key));
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    values.insert("name".into(), name.clone());
    values.insert(
        "flavor".into(),
        flavor.map_or_else(String::new, |f| f.as_str().to_owned()),
    );
    values.insert("year".into(), scaffold::current_year().to_string());
    let rule = |key: &'static str| move |value: &str| scaffold::values::check(key, value, flavor);

    let is_fba = builtin && flavor == Some(Flavor::Fba);
    // `--extend APP` alone means an extend-level plugin.
    let default_level = if is_fba && args.extend.is_some() {
        "extend"
    } else {
        "app"
    };
    let level = pick(
        Given::new(args.level.clone(), "--level", &mut defines, "level"),
        (is_fba && !has_spec("level"))
            .then_some(("Level (app or extend)", Some(&["app", "extend"][..]))),
        default_level,
        &mut ask,
        &|value| {
            if builtin {
                rule("level")(value)
            } else {
                Ok(value.to_owned())
            }
        },
    )?;
    values.insert("level".into(), level.clone());
    let extend_level = is_fba && level == "extend";
    let extend = pick(
        Given::new(args.extend.clone(), "--extend", &mut defines, "extend"),
        (extend_level && !has_spec("extend")).then_some(("The app it extends", None)),
        DEFAULT_EXTEND,
        &mut ask,
        &|value| {
            if extend_level {
                rule("extend")(value)
            } else {
                Ok(value.to_owned())
            }
        },
    )?;
    values.insert("extend".into(), extend.clone());

    let standard: [(&'static str, Option<String>, &str, &str, String); 4] = [
        (
            "description",
            args.description.clone(),
            "--description",
            "Description",
            scaffold::values::default_description(flavor, &level, &extend),
        ),
        (
            "author",
            args.author.clone(),
            "--author",
            "Author",
            default_author(is_fba),
        ),
        (
            "version",
            args.version.clone(),
            "--plugin-version",
            "Version",
            DEFAULT_VERSION.to_owned(),
        ),
        (
            "license",
            args.license.clone(),
            "--license",
            "License (SPDX)",
            DEFAULT_LICENSE.to_owned(),
        ),
    ];
    for (key, flag, flag_name, prompt, default) in standard {
        let prompt = (!has_spec(key)).then_some((prompt, None));
        let given = Given::new(flag, flag_name, &mut defines, key);
        let value = pick(given, prompt, &default, &mut ask, &rule(key))?;
        values.insert(key.to_owned(), value);
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

    // Check what would be written, as `validate` would, before writing it.
    let folder = target
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(name.as_str());
    let plugin = read_plugin(
        &scaffold::Rendered::new(folder, &shown, &files),
        flavor,
        &settings.read_context(),
    );
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
    // A built-in template with checked values makes no error; should one slip through, nothing
    // is written. A custom template's plugin is written for the user to fix what the template
    // got wrong, and the errors make the command fail.
    if builtin && errors > 0 {
        return Err(Error::user_hint(
            format!(
                "the values given make a {} plugin with {errors} error{} (above)",
                flavor.map_or("", Flavor::as_str),
                if errors == 1 { "" } else { "s" }
            ),
            "change the values the findings name; nothing was written",
        ));
    }
    scaffold::write(&target, &files, !args.no_git)?;

    let in_plugins = target.parent() == Some(settings.plugins_dir.as_path());
    Ok(Created {
        flavor: flavor.or(plugin.as_ref().map(|p| p.flavor)),
        name,
        path: target,
        shown,
        files: files.into_iter().map(|(p, _)| p).collect(),
        errors,
        in_plugins,
        in_host: settings.host.file.is_some() || settings.host.kind.is_some(),
    })
}

/// The flavor of a built-in template: the pinned one (`--flavor`, `[host] flavor`), else the
/// user's choice on a terminal (the host's flavor first), else the host's, else native; which
/// one and why is said when no one chose it.
fn builtin_flavor(
    settings: &Settings,
    printer: &Printer,
    args: &Options,
    ask: &mut Asker,
) -> Result<Flavor, Error> {
    if let Some(flavor) = settings.flavor {
        return Ok(flavor);
    }
    let (default, why) = match &settings.host_facts().kind {
        Some(kind) => (
            Flavor::of_host(kind.value),
            format!("the {} host's flavor ({})", kind.value.as_str(), kind.why),
        ),
        None => (Flavor::Pluginkit, "no host found here".to_owned()),
    };
    // FBA's flags say the flavor is FBA's: they are checked against the default, not asked.
    let fba_flags = args.level.is_some() || args.extend.is_some();
    if ask.interactive && !fba_flags {
        let choices: Vec<String> = Flavor::value_variants()
            .iter()
            .map(|f| f.as_str().to_owned())
            .collect();
        let chosen = ask.ask("Flavor", Some(default.as_str()), Some(&choices), &|value| {
            Ok(value.to_owned())
        })?;
        return Flavor::value_variants()
            .iter()
            .copied()
            .find(|f| f.as_str() == chosen)
            .ok_or_else(|| Error::user(format!("unknown flavor {chosen:?}")));
    }
    printer.note(format!(
        "flavor: {default}: {why}; the global --flavor picks another"
    ));
    Ok(default)
}

/// `--level` and `--extend` shape FBA plugins only: refused for another flavor rather than
/// ignored.
fn check_flavor_flags(args: &Options, flavor: Flavor) -> Result<(), Error> {
    for (flag, given) in [
        ("--level", args.level.is_some()),
        ("--extend", args.extend.is_some()),
    ] {
        if given && flavor != Flavor::Fba {
            return Err(Error::usage(
                format!(
                    "{flag} applies to flavor fba only, and the new plugin's flavor is {flavor}"
                ),
                format!(
                    "for an FBA plugin pass the global --flavor fba (pluginkit --flavor fba new NAME {flag} ...); else leave {flag} out; nothing was written"
                ),
            ));
        }
    }
    if args.extend.is_some() && args.level.as_deref() == Some("app") {
        return Err(Error::usage(
            "--extend applies to --level extend only, and --level is app",
            "pass --level extend (or leave --level out) with --extend; nothing was written",
        ));
    }
    Ok(())
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

/// A value given on the command line: by its flag, else by `--define KEY=VALUE`, and how to
/// name it in an error.
struct Given {
    value: Option<String>,
    from: String,
}

impl Given {
    fn new(
        flag: Option<String>,
        flag_name: &str,
        defines: &mut BTreeMap<String, String>,
        key: &str,
    ) -> Given {
        let defined = defines.remove(key);
        match (flag, defined) {
            (Some(value), _) => Given {
                value: Some(value),
                from: format!("{flag_name} "),
            },
            (None, Some(value)) => Given {
                value: Some(value),
                from: format!("--define {key}="),
            },
            (None, None) => Given {
                value: None,
                from: String::new(),
            },
        }
    }
}

/// A value's check: the value as written, or why it is refused.
type Rule<'a> = &'a dyn Fn(&str) -> Result<String, Invalid>;

/// The value of a standard key: the one given (checked: a usage error when refused), else a
/// prompt (asked again until the rule passes), else the default.
fn pick(
    given: Given,
    prompt: Option<(&str, Option<&[&str]>)>,
    default: &str,
    ask: &mut Asker,
    rule: Rule<'_>,
) -> Result<String, Error> {
    if let Some(value) = given.value {
        let from = given.from;
        return rule(&value).map_err(|invalid| {
            let hint = match &invalid.suggestion {
                Some(better) => format!("try {from}{better}; nothing was written"),
                None => "nothing was written".to_owned(),
            };
            Error::usage(format!("invalid {from}{value}: {}", invalid.problem), hint)
        });
    }
    match prompt {
        Some((text, choices)) if ask.interactive => {
            let choices: Option<Vec<String>> =
                choices.map(|c| c.iter().map(|s| (*s).to_owned()).collect());
            ask.ask(text, Some(default), choices.as_deref(), rule)
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
        let rule = |value: &str| {
            spec.check(key, value)
                .map(|()| value.to_owned())
                .map_err(|e| Invalid {
                    problem: e.to_string(),
                    suggestion: None,
                })
        };
        return ask.ask(text, default.as_deref(), spec.choices.as_deref(), &rule);
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
    /// Ask `prompt` (a list when `choices`), until the answer passes `rule`; an answer refused
    /// is shown with the rule and a did-you-mean, and asked again.
    fn ask(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        choices: Option<&[String]>,
        rule: Rule<'_>,
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
        let mut input = dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .validate_with(|answer: &String| rule(answer).map(drop).map_err(|e| e.did_you_mean()));
        match default {
            Some(default) => input = input.default(default.to_owned()),
            None => input = input.allow_empty(false),
        }
        let answer = input.interact_text_on(&term).map_err(failed)?;
        rule(&answer).map_err(|invalid| Error::user(invalid.did_you_mean()))
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
