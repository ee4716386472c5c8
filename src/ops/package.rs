//! `package`: validate a plugin folder, then write `NAME-VERSION.zip` reproducibly (the work is
//! in [`crate::package::build`]), checked as `validate` and an install would check it before it
//! is put in place.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Error;
use crate::findings::Finding;
use crate::findings::report::Report;
use crate::findings::rules::Severity;
use crate::ops::validate::{Entries, check_package};
use crate::output::{HINT, Printer};
use crate::package::build::{self as package, Plan};
use crate::plugin::tree::DirTree;
use crate::plugin::{ReadContext, read_plugin};
use crate::settings::Settings;
use crate::util::paths::{absolute, resolved};

/// What `package` was asked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// The plugin folder; the working folder when `None`.
    pub(crate) path: Option<PathBuf>,
    /// A file, or a folder to put `NAME-VERSION.zip` in; the working folder when `None`.
    pub(crate) output: Option<PathBuf>,
    /// Only list what would go into the package.
    pub(crate) list: bool,
    /// The time stamp of every entry, in seconds since 1970.
    pub(crate) source_date_epoch: Option<String>,
    /// Files inside the plugin that look like secrets and are to be packed all the same.
    pub(crate) allow_secrets: Vec<String>,
}

/// What `package --list --format json` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Listed {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) entries: Vec<String>,
    /// What was left out by default (private files and folders), when anything was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) left_out: Vec<String>,
}

/// What `package --format json` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Built {
    /// The package, as shown.
    pub(crate) path: String,
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) size: u64,
    pub(crate) sha256: String,
    pub(crate) entries: Vec<String>,
    /// What was left out by default (private files and folders), when anything was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) left_out: Vec<String>,
    /// The size of the files packed.
    #[serde(skip)]
    pub(crate) unpacked: u64,
}

/// What `package` did.
#[derive(Debug)]
pub(crate) enum Packaged {
    /// With `list`: what would go into the package.
    Listed(Listed),
    Built(Built),
}

/// Package the plugin `options` names. Its findings are shown (on stderr) as `validate` draws
/// them, and errors refuse it; a progress bar shows on a terminal.
pub(crate) fn package(
    settings: &Settings,
    printer: &Printer,
    options: &Options,
) -> anyhow::Result<Packaged> {
    let time = package::timestamp(options.source_date_epoch.as_deref())?;
    let (root, shown) = match &options.path {
        Some(path) => (
            settings.cwd.join(path),
            path.to_string_lossy().replace('\\', "/"),
        ),
        None => (settings.cwd.clone(), ".".to_owned()),
    };
    if !root.is_dir() {
        return Err(Error::user_hint(
            format!("{shown}: no such folder"),
            "pass the plugin's folder, or run `pluginkit package` inside it",
        )
        .into());
    }

    let ctx = settings.read_context();
    let tree = DirTree::new(root.clone(), shown.clone());
    let plugin = read_plugin(&tree, settings.flavor, &ctx).ok_or_else(|| {
        let what = match settings.flavor {
            Some(flavor) => format!("no {} (flavor {flavor})", flavor.manifest_file()),
            None => {
                "no plugin manifest (plugin.toml, Cargo.toml or __init__.py with plugin metadata)"
                    .into()
            }
        };
        Error::user_hint(
            format!("{shown} is not a plugin: it holds {what}"),
            "pass the plugin's folder, or pin the flavor with --flavor",
        )
    })?;
    show_findings(printer, plugin.findings.clone(), &shown, "the plugin")?;

    let file_name = package::file_name(&plugin)?;
    let output = output_path(settings, options.output.as_deref(), &file_name)?;
    refuse_inside(settings, &root, &shown, &output, options.output.is_some())?;
    let plan = Plan::new(&root, &plugin, &options.allow_secrets)?;
    tell_left_out(printer, &plan);

    if options.list {
        return Ok(Packaged::Listed(Listed {
            name: plan.name.clone(),
            version: plan.version.clone(),
            entries: plan.entry_names(),
            left_out: plan.left_out.clone(),
        }));
    }

    let dir = output.parent().unwrap_or(Path::new("."));
    // The folders `-o` names are made now, and taken away again if the package is refused.
    let made = make_folders(settings, dir)?;
    let built = build_checked(settings, printer, &ctx, &plan, dir, time, &output);
    let built = match built {
        Ok(built) => built,
        Err(error) => {
            for folder in made.iter().rev() {
                let _ = std::fs::remove_dir(folder);
            }
            return Err(error);
        }
    };
    Ok(Packaged::Built(built))
}

/// Build the package in `dir`, check it as an install would, and put it at `output`.
fn build_checked(
    settings: &Settings,
    printer: &Printer,
    ctx: &ReadContext,
    plan: &Plan,
    dir: &Path,
    time: zip::DateTime,
    output: &Path,
) -> anyhow::Result<Built> {
    let file_name = output.file_name().unwrap_or_default().to_string_lossy();
    let bar = printer.progress_bytes(plan.total_size(), format!("Packing {file_name}"));
    let built = plan.build(dir, time, &|bytes| bar.inc(bytes));
    bar.finish_and_clear();
    let built = built?;

    // What `pluginkit validate x.zip` and an install check, before the package is put in place.
    let shown_output = settings.display(output);
    let mut report = Report {
        findings: Vec::new(),
        checked: 0,
        strict: false,
    };
    // Its entries' data were just written from the files, with their checksums: reading them
    // back would cost as much again and could only find a bug of the zip crate's writer.
    check_package(
        settings,
        ctx,
        built.path(),
        &shown_output,
        Entries::Headers,
        &mut report,
    );
    let errors: Vec<Finding> = report
        .findings
        .into_iter()
        .filter(|f| f.severity() == Severity::Error)
        .collect();
    show_findings(printer, errors, &shown_output, "the package built from it")?;
    let (size, sha256) = (built.size, built.sha256.clone());
    built.persist(output)?;
    Ok(Built {
        path: shown_output,
        name: plan.name.clone(),
        version: plan.version.clone(),
        size,
        sha256,
        entries: plan.entry_names(),
        left_out: plan.left_out.clone(),
        unpacked: plan.total_size(),
    })
}

/// Say (on stderr) what was left out by default and how to take one back, and which
/// `--allow-secret` paths allowed nothing.
fn tell_left_out(printer: &Printer, plan: &Plan) {
    if let Some(first) = plan.left_out.first() {
        printer.note(format!(
            "{} left out by default: {} (a `!` line in the plugin's .pluginignore packs one, e.g. `!/{}`)",
            printer.paint_err(HINT, "note:"),
            plan.left_out.join(", "),
            first.trim_end_matches('/'),
        ));
    }
    for path in &plan.unused_allows {
        printer.warn(format!(
            "--allow-secret {path}: the package holds no such file that looks like a secret"
        ));
    }
}

/// Show findings on stderr as `validate` draws them; refuse (exit 1) when any is an error.
/// Warnings alone are shown (unless `--quiet`) and do not stop the packaging.
fn show_findings(
    printer: &Printer,
    findings: Vec<Finding>,
    shown: &str,
    what: &str,
) -> Result<(), Error> {
    let errors = printer.findings(&findings).errors;
    if errors == 0 {
        return Ok(());
    }
    Err(Error::user_hint(
        format!(
            "{what} has {errors} error{}, so nothing was packaged",
            if errors == 1 { "" } else { "s" }
        ),
        format!(
            "fix them, then package again (`pluginkit validate {shown}` checks without packaging)"
        ),
    ))
}

/// Where the package goes: `-o FILE`, `-o DIR/` (or an existing folder) + NAME-VERSION.zip, or
/// NAME-VERSION.zip in the working folder. Folders that do not exist yet are made later, by
/// [`make_folders`], once the package is known to go outside the plugin.
fn output_path(
    settings: &Settings,
    given: Option<&Path>,
    file_name: &str,
) -> Result<PathBuf, Error> {
    let Some(given) = given else {
        return Ok(settings.cwd.join(file_name));
    };
    let text = given.to_string_lossy();
    let path = settings.cwd.join(given);
    if path.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
        return Ok(path.join(file_name));
    }
    if path.file_name().is_none() {
        return Err(Error::usage(
            format!("-o {}: not a file name", given.display()),
            "pass a file (dist/hello.zip) or a folder ending in / (dist/)",
        ));
    }
    Ok(path)
}

/// A package written inside the plugin it packages would be packed into the next one (and
/// shipped to every host that installs it): refused, before anything is written, wherever the
/// output path comes from.
fn refuse_inside(
    settings: &Settings,
    root: &Path,
    shown: &str,
    output: &Path,
    given: bool,
) -> Result<(), Error> {
    let root = absolute(root);
    let target = resolved(output);
    if !target.starts_with(&root) {
        return Ok(());
    }
    let where_ = settings.display(output);
    let hint = if given {
        "give -o a place outside the plugin folder, e.g. -o ../dist/".to_owned()
    } else {
        format!(
            "give -o a place outside the plugin folder (e.g. -o ../dist/), or run `pluginkit package {}` from the folder above",
            root.file_name()
                .map_or_else(|| shown.to_owned(), |n| n.to_string_lossy().into_owned())
        )
    };
    Err(Error::user_hint(
        format!("the package {where_} would be written inside the plugin {shown} it packages"),
        hint,
    ))
}

/// Make `dir` and the folders above it that are missing; the ones made, outermost first.
fn make_folders(settings: &Settings, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
        .map(Path::to_path_buf)
        .collect();
    let mut made = Vec::new();
    for folder in missing.into_iter().rev() {
        if let Err(e) = std::fs::create_dir(&folder) {
            for done in made.iter().rev() {
                let _ = std::fs::remove_dir(done);
            }
            return Err(Error::caused(
                format!("cannot create the folder {}", settings.display(&folder)),
                e,
            ));
        }
        made.push(folder);
    }
    Ok(made)
}
