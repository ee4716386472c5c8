//! `pluginkit add SOURCE...`: install plugins from ZIP files, ZIP URLs and local folders through
//! the install transaction (git and registries arrive with their own sources).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command as Process;

use serde::Serialize;

use crate::archive;
use crate::cli::{AddArgs, Format};
use crate::commands::{ExitStatus, refuse_reload, unavailable};
use crate::diagnostic::{Finding, Severity};
use crate::download;
use crate::error::Error;
use crate::install::{self, Record, Staging};
use crate::plugin::state::DISABLED_FILE;
use crate::plugin::tree::{DirTree, Tree};
use crate::plugin::{Plugin, read_plugin};
use crate::printer::{Printer, WARNING};
use crate::report;
use crate::settings::Settings;
use crate::sources::{self, Source};

#[derive(Serialize)]
struct AddedJson {
    name: String,
    version: Option<String>,
    flavor: String,
    path: String,
    source: String,
    replaced: Option<String>,
    sha256: Option<String>,
}

pub fn run(settings: &Settings, printer: &Printer, args: AddArgs) -> anyhow::Result<ExitStatus> {
    let format = settings.format("add", &[Format::Human, Format::Json])?;
    refuse_reload(&args.reload)?;
    let sources: Vec<Source> = args
        .sources
        .iter()
        .map(|s| Source::parse(s, &settings.cwd))
        .collect();
    for source in &sources {
        match source {
            Source::ZipFile(_) | Source::ZipUrl(_) | Source::Folder(_) => {}
            Source::Git(_) => return Err(unavailable::error("add from git").into()),
            Source::Registry(_) => return Err(unavailable::error("add from a registry").into()),
        }
    }
    if args.sha256.is_some()
        && !matches!(sources.as_slice(), [Source::ZipFile(_) | Source::ZipUrl(_)])
    {
        return Err(Error::usage(
            "--sha256 pins one ZIP archive",
            "give exactly one .zip SOURCE with --sha256",
        )
        .into());
    }
    if let Some(sha) = &args.sha256
        && !(sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(Error::usage(
            format!("--sha256 {sha} is not a sha256 checksum"),
            "give the 64 hexadecimal digits that `pluginkit package` or `sha256sum` prints",
        )
        .into());
    }
    if args.link && sources.iter().any(|s| !matches!(s, Source::Folder(_))) {
        return Err(Error::usage(
            "--link links a local folder",
            "use --link only with folder sources",
        )
        .into());
    }

    let _lock = settings.lock_host(printer)?;
    let dirs = settings.dirs();
    let mut added = Vec::new();
    for source in &sources {
        added.push(add_one(settings, printer, &dirs, source, &args)?);
    }
    if format == Format::Json {
        printer.out(serde_json::to_string_pretty(&added)?)?;
    } else {
        for a in &added {
            let version = a
                .version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default();
            match &a.replaced {
                Some(backup) => printer.out(format!(
                    "replaced {}{version} in {} (the old one is in {backup})",
                    a.name, a.path
                ))?,
                None => printer.out(format!("installed {}{version} into {}", a.name, a.path))?,
            }
        }
    }
    Ok(ExitStatus::Success)
}

fn add_one(
    settings: &Settings,
    printer: &Printer,
    dirs: &install::HostDirs,
    source: &Source,
    args: &AddArgs,
) -> Result<AddedJson, Error> {
    let staging = Staging::new(dirs)?;
    let (plugin, name, archive_sha256, files) = match source {
        Source::ZipFile(path) => {
            let shown = settings.display(path);
            if !path.is_file() {
                return Err(Error::user_hint(
                    format!("{shown}: no such file"),
                    "give the path of a .zip package",
                ));
            }
            let hash = || {
                crate::receipt::hash_file(path)
                    .map_err(|e| Error::user(format!("cannot read {shown}: {e}")))
            };
            let stage = || stage_zip(settings, printer, dirs, &staging, path, &shown, args);
            let (sha256, (plugin, name, files)) = if let Some(pin) = &args.sha256 {
                // A pinned package is checked before anything else is said about it.
                let sha256 = hash()?;
                check_pin(pin, &sha256, &shown)?;
                (sha256, stage()?)
            } else {
                // Otherwise its sha256 (for pluginkit.lock) is taken on another thread while
                // it is checked and unpacked: the same bytes, read from the page cache twice
                // at once rather than one pass after the other.
                std::thread::scope(|scope| {
                    let hashing = scope.spawn(hash);
                    let staged = stage();
                    let sha256 = hashing
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    Ok::<_, Error>((sha256?, staged?))
                })?
            };
            (plugin, name, Some(sha256), Some(files))
        }
        Source::ZipUrl(url) => {
            let shown = sources::without_credentials(url);
            if shown != url.as_str() {
                printer.note(format!(
                    "{}: the user name and password in the URL are used for this download only, never written to pluginkit.lock or pluginkit.toml",
                    printer.paint_err(WARNING, "warning")
                ));
            }
            // Inside the staging folder, so a failed or killed download leaves nothing behind;
            // the leading dot keeps it apart from the plugin's folder (names never start so).
            let path = staging.dir.join(".download.zip");
            let downloaded = download::download(url, &path, &settings.download, printer)?;
            printer.debug(format_args!(
                "downloaded {shown}: {} bytes, sha256 {}",
                downloaded.size, downloaded.sha256
            ));
            if let Some(pin) = &args.sha256 {
                check_pin(pin, &downloaded.sha256, &shown)?;
            }
            let (plugin, name, files) =
                stage_zip(settings, printer, dirs, &staging, &path, &shown, args)?;
            (plugin, name, Some(downloaded.sha256), Some(files))
        }
        Source::Folder(path) => {
            let shown = settings.display(path);
            if !path.is_dir() {
                return Err(Error::user_hint(
                    format!("{shown}: no such folder"),
                    "give the path of a plugin folder",
                ));
            }
            let tree = DirTree::source(path.clone(), shown.clone());
            let ctx = settings.read_context();
            let plugin = checked_plugin(settings, printer, &tree, &ctx, &shown)?;
            let name = sources::install_name(&plugin, tree.archive_folder())?;
            refuse_existing(dirs, &name, args.force)?;
            if args.link {
                link(path, &staging.plugin_dir(&name))?;
            } else {
                sources::copy_plugin(path, &staging.plugin_dir(&name))?;
            }
            (plugin, name, None, None)
        }
        _ => unreachable!("other sources are refused before the lock is taken"),
    };
    let staged = staging.plugin_dir(&name);
    if args.disabled {
        std::fs::write(staged.join(DISABLED_FILE), "")
            .map_err(|e| install::io_error("cannot write the DISABLED marker", e))?;
    }
    requirements(
        settings,
        printer,
        &staged,
        &dirs.plugins.join(&name),
        args.install_deps,
    )?;
    let record = Record {
        name: name.clone(),
        version: plugin.metadata.version.clone(),
        flavor: plugin.flavor.as_str().to_owned(),
        source: source.locked(),
        archive_sha256: archive_sha256.clone(),
        files,
        plugins_entry: source.plugins_entry(&dirs.root, archive_sha256.as_deref(), args.link),
    };
    let installed = install::commit_install(dirs, &staging, record, args.force)?;
    Ok(AddedJson {
        name,
        version: plugin.metadata.version.clone(),
        flavor: plugin.flavor.as_str().to_owned(),
        path: settings.display(&installed.path),
        source: source.locked(),
        replaced: installed.replaced.map(|p| settings.display(&p)),
        sha256: archive_sha256,
    })
}

/// Refuse a package whose sha256 is not the one `--sha256` pins.
fn check_pin(expected: &str, actual: &str, shown: &str) -> Result<(), Error> {
    if expected.eq_ignore_ascii_case(actual) {
        return Ok(());
    }
    Err(Error::user_hint(
        format!("{shown} has sha256 {actual}, not the {expected} that --sha256 expects"),
        "the archive is not the one you meant to install; nothing was installed",
    ))
}

/// The hashes of the files a package unpacked, for the receipt.
type Unpacked = BTreeMap<String, String>;

/// Check the ZIP package at `path` (its entries, the plugin in it) and unpack it into the
/// staging folder. Returns the plugin, the name it installs under and the unpacked files'
/// hashes. `shown` is how the user named the package: its path or URL.
fn stage_zip(
    settings: &Settings,
    printer: &Printer,
    dirs: &install::HostDirs,
    staging: &Staging,
    path: &Path,
    shown: &str,
    args: &AddArgs,
) -> Result<(Plugin, String, Unpacked), Error> {
    let ctx = settings.read_context();
    let inspection = archive::inspect(path, shown, settings.host.config.limits.limits());
    refuse_findings(printer, &inspection.findings, shown)?;
    let package = inspection
        .package
        .ok_or_else(|| Error::user(format!("cannot read {shown}")))?;
    let plugin = checked_plugin(settings, printer, &package, &ctx, shown)?;
    let name = sources::install_name(&plugin, package.archive_folder())?;
    refuse_existing(dirs, &name, args.force)?;
    let files = package
        .extract_to(&staging.plugin_dir(&name))
        .map_err(|e| {
            Error::user_hint(
                format!("cannot unpack {shown}: {e}"),
                "the archive is damaged; nothing was installed",
            )
        })?;
    Ok((plugin, name, files))
}

/// Refuse early, before anything is unpacked, to replace an installed plugin without `--force`.
fn refuse_existing(dirs: &install::HostDirs, name: &str, force: bool) -> Result<(), Error> {
    let target = dirs.plugins.join(name);
    if !force && std::fs::symlink_metadata(&target).is_ok() {
        return Err(Error::user_hint(
            format!(
                "a plugin named `{name}` is already installed in {}",
                target.display()
            ),
            "pass --force to replace it (the installed one is kept as a backup), or remove it first",
        ));
    }
    Ok(())
}

/// Read and validate the plugin in `tree`, refusing it (with its findings) when it has errors.
fn checked_plugin(
    settings: &Settings,
    printer: &Printer,
    tree: &dyn Tree,
    ctx: &crate::plugin::ReadContext,
    shown: &str,
) -> Result<Plugin, Error> {
    let Some(plugin) = read_plugin(tree, settings.flavor, ctx) else {
        return Err(Error::user_hint(
            format!("{shown} holds no plugin manifest"),
            "a plugin has plugin.toml, Cargo.toml with [package.metadata.pluginkit], or __init__.py with plugin metadata",
        ));
    };
    refuse_findings(printer, &plugin.findings, shown)?;
    Ok(plugin)
}

/// Show findings; refuse when any is an error.
fn refuse_findings(printer: &Printer, findings: &[Finding], shown: &str) -> Result<(), Error> {
    for finding in findings {
        printer.error_text(format!(
            "{}\n",
            report::human::render(finding, printer.color_stderr())
        ));
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity() == Severity::Error)
        .count();
    if errors > 0 {
        return Err(Error::user_hint(
            format!(
                "refusing to install {shown}: {errors} error{}",
                if errors == 1 { "" } else { "s" }
            ),
            "fix what is reported above; nothing was installed",
        ));
    }
    Ok(())
}

fn link(target: &Path, at: &Path) -> Result<(), Error> {
    let target = target
        .canonicalize()
        .map_err(|e| Error::user(format!("cannot resolve {}: {e}", target.display())))?;
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink(&target, at);
    #[cfg(windows)]
    let made = std::os::windows::fs::symlink_dir(&target, at);
    made.map_err(|e| Error::user(format!("cannot link {}: {e}", target.display())))
}

/// Show the plugin's `requirements.txt`, and install it with `--install-deps` (uv when it is
/// there, else the host's Python's pip). A failure stops the install before anything changed.
fn requirements(
    settings: &Settings,
    printer: &Printer,
    staged: &Path,
    installed: &Path,
    install_deps: bool,
) -> Result<(), Error> {
    let file = staged.join("requirements.txt");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Ok(());
    };
    let wanted: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    if !install_deps {
        printer.note(format!(
            "this plugin needs Python packages (requirements.txt): {}\n  install them with --install-deps, or: python -m pip install -r {}",
            wanted.join(", "),
            settings.display(&installed.join("requirements.txt"))
        ));
        return Ok(());
    }
    let python = settings
        .host
        .config
        .host
        .python
        .clone()
        .unwrap_or_else(|| "python3".into());
    let uv = Process::new("uv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut command = if uv {
        let mut c = Process::new("uv");
        c.args(["pip", "install", "--python"])
            .arg(&python)
            .arg("-r")
            .arg(&file);
        c
    } else {
        let mut c = Process::new(&python);
        c.args(["-m", "pip", "install", "-r"]).arg(&file);
        c
    };
    printer.note(format!("installing requirements: {}", wanted.join(", ")));
    let status = command.status().map_err(|e| {
        Error::user_hint(
            format!("cannot run {}: {e}", python.display()),
            "set [host] python in pluginkit.toml to the host's interpreter",
        )
    })?;
    if !status.success() {
        return Err(Error::user_hint(
            format!("installing the plugin's requirements failed ({status})"),
            "nothing was installed; fix the requirements or install them yourself, then add the plugin without --install-deps",
        ));
    }
    Ok(())
}
