//! `add`: what the `SOURCE` arguments and the git, ZIP and folder flags ask to install, checked
//! before anything changes, then fetched and staged before the host lock is taken, and
//! committed under it, through the install pipeline in the change frame.

use anyhow::Context as _;

use crate::error::Error;
use crate::ops::change::{self, Lock, Outcome};
use crate::ops::configure;
use crate::ops::install::{Added, Installer, Options as InstallOptions, Staged};
use crate::ops::{deps, reload};
use crate::output::Printer;
use crate::settings::Settings;
use crate::source::Source;
use crate::source::git::{self, Pin};
use crate::util::url::without_credentials;

/// What `add` was asked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// The `SOURCE` arguments, as given.
    pub(crate) sources: Vec<String>,
    /// git: the pin and the folder of the repository.
    pub(crate) tag: Option<String>,
    pub(crate) branch: Option<String>,
    pub(crate) rev: Option<String>,
    pub(crate) subdir: Option<String>,
    /// git with a tag: the range `upgrade` may move within.
    pub(crate) semver: Option<String>,
    /// One ZIP: the sha256 it must have.
    pub(crate) sha256: Option<String>,
    /// Folders: link to them instead of copying.
    pub(crate) link: bool,
    /// The registry to resolve names in.
    pub(crate) registry: Option<String>,
    /// FBA: add the plugins' `.env.example` settings that `backend/.env` lacks.
    pub(crate) configure: bool,
    pub(crate) install: InstallOptions,
    pub(crate) reload: reload::Request,
}

/// What `add` installed.
#[derive(Debug)]
pub(crate) struct AddOutcome {
    pub(crate) added: Vec<Added>,
}

impl Outcome for AddOutcome {
    fn changed(&self) -> bool {
        !self.added.is_empty()
    }
}

/// Install what `options` asks for: everything fetched and staged first, then committed under
/// the host lock; `render` shows the result before the lock is released and the server
/// signalled.
pub(crate) fn add(
    settings: &Settings,
    printer: &Printer,
    options: &Options,
    render: impl FnOnce(&AddOutcome) -> anyhow::Result<()>,
) -> anyhow::Result<AddOutcome> {
    let sources = sources(settings, options)?;
    change::refuse_outside_a_host(settings)?;
    refuse_folder_names_without_a_registry(settings, options, &sources)?;
    let frame = change::begin(settings, printer, &options.reload)?;
    let installer = Installer::new(settings, printer);
    frame.run_prepared(
        Lock::Host,
        || {
            // The registry requests are resolved together (their errors name the plugin and
            // the registry); each other source is staged on its own, so that a failure says
            // which source it was, with what went wrong as its cause. The order is the one
            // `Installer::stage` keeps: the registry's first.
            let (registry, others): (Vec<Source>, Vec<Source>) = sources
                .iter()
                .cloned()
                .partition(|s| matches!(s, Source::Registry { .. }));
            let mut staged = installer.stage(&registry, &options.install)?;
            for source in &others {
                staged.extend(
                    installer
                        .stage(std::slice::from_ref(source), &options.install)
                        .with_context(|| format!("cannot install {}", shown(settings, source)))?,
                );
            }
            // --install-deps: every enabled plugin's requirements with the new ones, resolved
            // together; a conflict refuses the change here, before anything is installed.
            let deps = match options.install.install_deps {
                true => deps::Plan::new(
                    settings,
                    printer,
                    &staged.iter().map(Staged::for_deps).collect::<Vec<_>>(),
                    options.install.offline,
                    None,
                )?,
                false => None,
            };
            Ok((staged, deps))
        },
        |(staged, deps)| {
            let env = configure::prepare(settings, printer, options.configure, &staged)?;
            // Installed before the plugins are committed: a failed install leaves them as they
            // were.
            if let Some(deps) = &deps {
                deps.install(printer)?;
            }
            let added = env.around(|| installer.commit_all(staged))?;
            if let Some(deps) = &deps {
                deps.record(settings)?;
            }
            Ok(AddOutcome { added })
        },
        render,
    )
}

/// A bare word is a plugin name (as pip and cargo read one); with no registry to look it up in,
/// a folder of that name here is what was meant: say how to write it.
fn refuse_folder_names_without_a_registry(
    settings: &Settings,
    options: &Options,
    sources: &[Source],
) -> Result<(), Error> {
    if options.registry.is_some() || crate::ops::resolve::default_name(settings).is_some() {
        return Ok(());
    }
    for source in sources {
        if let Source::Registry { name, .. } = source
            && settings.cwd.join(name).is_dir()
        {
            return Err(Error::usage(
                format!("`{name}` is a plugin name, and no registry is configured to find it in"),
                format!(
                    "to install the folder {name}, write ./{name} (a folder is written with ./, ../ or /, as pip and cargo read it)"
                ),
            ));
        }
    }
    Ok(())
}

/// A source as messages name it: a path as the user sees it, a URL without credentials.
fn shown(settings: &Settings, source: &Source) -> String {
    match source {
        Source::Registry { name, .. } => name.clone(),
        Source::Git { source, .. } => source.url.clone(),
        Source::ZipFile { path, .. } | Source::Folder { path, .. } => settings.display(path),
        Source::ZipUrl { url, .. } => without_credentials(url).into_owned(),
    }
}

/// The sources the arguments name, with the flags applied; a flag that does not fit them is a
/// usage error.
fn sources(settings: &Settings, options: &Options) -> Result<Vec<Source>, Error> {
    let git_flags = options.tag.is_some()
        || options.branch.is_some()
        || options.rev.is_some()
        || options.subdir.is_some()
        || options.semver.is_some();
    let pin = match (&options.tag, &options.branch, &options.rev) {
        (Some(tag), _, _) => Pin::Tag(tag.clone()),
        (_, Some(branch), _) => Pin::Branch(branch.clone()),
        (_, _, Some(rev)) => Pin::Rev(rev.clone()),
        _ => Pin::DefaultBranch,
    };
    let subdir = options
        .subdir
        .as_deref()
        .map(|s| s.trim_matches('/').to_owned())
        .filter(|s| !s.is_empty());
    let mut sources = Vec::new();
    for text in &options.sources {
        let source = match Source::parse(text, &settings.cwd)? {
            // A local repository is a git source when git flags say so, or when it is bare (no
            // working tree to copy); otherwise its working tree is copied as a folder.
            Source::Folder { path, .. } if git_flags || git::is_bare_repository(&path) => {
                Source::git(&path.display().to_string(), Pin::DefaultBranch, None, None)
            }
            source => source,
        };
        sources.push(match source {
            Source::Git { given, .. } => {
                Source::git(&given, pin.clone(), subdir.clone(), options.semver.clone())
            }
            Source::Registry {
                name, req, written, ..
            } => Source::Registry {
                name,
                req,
                written,
                registry: options.registry.clone(),
            },
            Source::ZipFile { path, .. } => Source::ZipFile {
                path,
                sha256: options.sha256.clone(),
            },
            Source::ZipUrl { url, .. } => Source::ZipUrl {
                url,
                sha256: options.sha256.clone(),
            },
            Source::Folder { path, .. } => Source::Folder {
                path,
                link: options.link,
            },
        });
    }
    if git_flags && !sources.iter().all(|s| matches!(s, Source::Git { .. })) {
        return Err(Error::usage(
            "--tag, --branch, --rev, --subdir and --semver apply to git sources",
            "give a git URL or repository path, or leave these flags out",
        ));
    }
    if let Some(req) = &options.semver {
        if options.tag.is_none() {
            return Err(Error::usage(
                "--semver is the range `upgrade` moves a --tag pin within",
                "give it with --tag, e.g. --tag v1.2.0 --semver ^1.2",
            ));
        }
        semver::VersionReq::parse(req).map_err(|e| {
            Error::usage(
                format!("--semver {req} is not a SemVer requirement: {e}"),
                "write a range such as ^1.2 or >=1.2, <2",
            )
        })?;
    }
    let one_zip = matches!(
        sources.as_slice(),
        [Source::ZipFile { .. } | Source::ZipUrl { .. }]
    );
    if options.sha256.is_some() && !one_zip {
        return Err(Error::usage(
            "--sha256 pins one ZIP archive",
            "give exactly one .zip SOURCE with --sha256",
        ));
    }
    if let Some(sha) = &options.sha256
        && !(sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(Error::usage(
            format!("--sha256 {sha} is not a sha256 checksum"),
            "give the 64 hexadecimal digits that `pluginkit package` or `sha256sum` prints",
        ));
    }
    if options.link && sources.iter().any(|s| !matches!(s, Source::Folder { .. })) {
        return Err(Error::usage(
            "--link links a local folder",
            "use --link only with folder sources",
        ));
    }
    Ok(sources)
}
