//! `pluginkit registry publish ZIP --dir DIR`, `pluginkit registry yank NAME@VERSION --dir
//! DIR`, `pluginkit registry advise NAME --dir DIR ...` and `pluginkit registry resign --dir
//! DIR`: maintain a static registry folder; `pluginkit registry keygen` makes the key that signs
//! it. The work is in [`crate::ops::publish`].

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{
    AdviseArgs, HumanJson, KeygenArgs, PublishArgs, RegistryCommand, ResignArgs, SignArgs, YankArgs,
};
use crate::ops::publish::{self, PublishOptions, SignOptions};
use crate::output::Printer;
use crate::registry::advisory::Advisory;
use crate::registry::publish::Sealed;
use crate::settings::Settings;

/// `registry publish --format json`: the registry folder and the package added to it (nested:
/// its `version` is the plugin's).
#[derive(Serialize)]
struct PublishedJson<'a> {
    registry: &'a str,
    package: PublishedPackage<'a>,
    /// The snapshot signed after the change; left out for a registry that is not signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot: Option<SnapshotJson<'a>>,
}

/// A snapshot written and signed: its serial, the key id that signed it, its expiry and how
/// many files it vouches for.
#[derive(Serialize)]
struct SnapshotJson<'a> {
    serial: u64,
    key: &'a str,
    expires: &'a str,
    files: usize,
}

impl<'a> SnapshotJson<'a> {
    fn of(sealed: Option<&'a Sealed>) -> Option<SnapshotJson<'a>> {
        sealed.map(|s| SnapshotJson {
            serial: s.serial,
            key: &s.key,
            expires: &s.expires,
            files: s.files,
        })
    }
}

/// `registry keygen --format json`.
#[derive(Serialize)]
struct KeygenJson<'a> {
    secret_key: &'a str,
    public_key_file: &'a str,
    key: &'a str,
    public_key: &'a str,
}

/// `registry resign --format json`.
#[derive(Serialize)]
struct ResignedJson<'a> {
    registry: &'a str,
    snapshot: SnapshotJson<'a>,
}

#[derive(Serialize)]
struct PublishedPackage<'a> {
    name: &'a str,
    version: &'a str,
    flavor: &'a str,
    url: &'a str,
    size: u64,
    sha256: &'a str,
    published: &'a str,
}

/// `registry yank --format json`: the registry folder, the package, and its state now.
#[derive(Serialize)]
struct YankedJson<'a> {
    registry: &'a str,
    package: YankedPackage<'a>,
    yanked: bool,
    changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot: Option<SnapshotJson<'a>>,
}

#[derive(Serialize)]
struct YankedPackage<'a> {
    name: &'a str,
    version: &'a str,
}

/// `registry advise --format json`: the registry folder, the plugin, the advisory as written,
/// the versions that list it, and whether the index changed.
#[derive(Serialize)]
struct AdvisedJson<'a> {
    registry: &'a str,
    name: &'a str,
    advisory: &'a Advisory,
    versions: &'a [String],
    changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot: Option<SnapshotJson<'a>>,
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    command: RegistryCommand,
) -> anyhow::Result<ExitStatus> {
    match command {
        RegistryCommand::Publish(args) => run_publish(settings, printer, args),
        RegistryCommand::Yank(args) => run_yank(settings, printer, args),
        RegistryCommand::Advise(args) => run_advise(settings, printer, args),
        RegistryCommand::Keygen(args) => run_keygen(settings, printer, args),
        RegistryCommand::Resign(args) => run_resign(settings, printer, args),
    }
}

fn sign_options(args: SignArgs) -> SignOptions {
    SignOptions {
        key: args.sign_key,
        expires_in_days: args.expires_in,
    }
}

/// The line saying a snapshot was signed.
fn signed_line(sealed: &Sealed) -> String {
    format!(
        "signed snapshot.json (serial {}, {} files) with the key {}; it expires at {}",
        sealed.serial, sealed.files, sealed.key, sealed.expires
    )
}

fn run_keygen(
    settings: &Settings,
    printer: &Printer,
    args: KeygenArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let generated = publish::keygen(settings, &args.output)?;
    let secret = settings.display(&settings.cwd.join(&args.output));
    let public = settings.display(&settings.cwd.join(&generated.public_path));
    if format == HumanJson::Json {
        printer.json(&KeygenJson {
            secret_key: &secret,
            public_key_file: &public,
            key: &generated.id,
            public_key: &generated.public_key,
        })?;
        return Ok(ExitStatus::Success);
    }
    printer.out(format!(
        "wrote the secret key {secret} (keep it, and its password, secret) and the public key {public}, key id {}",
        generated.id
    ))?;
    printer.out("hosts trust the registry with, in pluginkit.toml:")?;
    printer.out(format!("  public-keys = [\"{}\"]", generated.public_key))?;
    Ok(ExitStatus::Success)
}

fn run_resign(
    settings: &Settings,
    printer: &Printer,
    args: ResignArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let shown_dir = settings.display(&settings.cwd.join(&args.dir));
    let sealed = publish::resign(settings, printer, &args.dir, &sign_options(args.sign))?;
    if format == HumanJson::Json {
        printer.json(&ResignedJson {
            registry: &shown_dir,
            snapshot: SnapshotJson::of(Some(&sealed)).expect("a snapshot was given"),
        })?;
        return Ok(ExitStatus::Success);
    }
    printer.out(format!("{} in {shown_dir}", signed_line(&sealed)))?;
    Ok(ExitStatus::Success)
}

fn run_publish(
    settings: &Settings,
    printer: &Printer,
    args: PublishArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let shown_dir = settings.display(&settings.cwd.join(&args.dir));
    let options = PublishOptions {
        package: args.package,
        dir: args.dir,
        source_date_epoch: args.source_date_epoch,
        sign: sign_options(args.sign),
    };
    let published = publish::publish(settings, printer, &options)?;
    let entry = &published.entry;
    if format == HumanJson::Json {
        printer.json(&PublishedJson {
            registry: &shown_dir,
            package: PublishedPackage {
                name: &published.name,
                version: &entry.version,
                flavor: &entry.flavor,
                url: &entry.url,
                size: entry.size,
                sha256: &entry.sha256,
                published: &entry.published,
            },
            snapshot: SnapshotJson::of(published.sealed.as_ref()),
        })?;
        return Ok(ExitStatus::Success);
    }
    if published.adopted {
        printer.note(format!(
            "{} was left by a publish that did not finish; it holds the same bytes, so it is kept",
            entry.url
        ));
    }
    printer.out(format!(
        "published {} {} to {shown_dir} ({}, {} bytes, sha256 {})",
        published.name, entry.version, entry.url, entry.size, entry.sha256
    ))?;
    if let Some(sealed) = &published.sealed {
        printer.out(signed_line(sealed))?;
    }
    Ok(ExitStatus::Success)
}

fn run_yank(settings: &Settings, printer: &Printer, args: YankArgs) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let shown_dir = settings.display(&settings.cwd.join(&args.dir));
    let sign = sign_options(args.sign);
    let yanked = publish::yank(settings, printer, &args.spec, &args.dir, args.undo, &sign)?;
    let (name, version) = (&yanked.name, &yanked.version);
    if format == HumanJson::Json {
        printer.json(&YankedJson {
            registry: &shown_dir,
            package: YankedPackage { name, version },
            yanked: yanked.yanked,
            changed: yanked.changed,
            snapshot: SnapshotJson::of(yanked.sealed.as_ref()),
        })?;
        return Ok(ExitStatus::Success);
    }
    printer.out(match (yanked.changed, yanked.yanked) {
        (true, true) => format!("yanked {name} {version} in {shown_dir}"),
        (true, false) => format!("un-yanked {name} {version} in {shown_dir}"),
        (false, true) => {
            format!("{name} {version} is already yanked in {shown_dir}; nothing changed")
        }
        (false, false) => {
            format!("{name} {version} is not yanked in {shown_dir}; nothing changed")
        }
    })?;
    if let Some(sealed) = &yanked.sealed {
        printer.out(signed_line(sealed))?;
    }
    Ok(ExitStatus::Success)
}

fn run_advise(
    settings: &Settings,
    printer: &Printer,
    args: AdviseArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let shown_dir = settings.display(&settings.cwd.join(&args.dir));
    let advisory = Advisory {
        id: args.id,
        affected: args.affected,
        fixed: args.fixed,
        url: args.url,
        severity: args.severity,
    };
    let sign = sign_options(args.sign);
    let advised = publish::advise(settings, printer, &args.name, &args.dir, advisory, &sign)?;
    if format == HumanJson::Json {
        printer.json(&AdvisedJson {
            registry: &shown_dir,
            name: &advised.name,
            advisory: &advised.advisory,
            versions: &advised.versions,
            changed: advised.changed,
            snapshot: SnapshotJson::of(advised.sealed.as_ref()),
        })?;
        return Ok(ExitStatus::Success);
    }
    let (name, id) = (&advised.name, &advised.advisory.id);
    let versions = advised.versions.join(", ");
    printer.out(if advised.changed {
        format!("advisory {id} listed on {name} {versions} in {shown_dir}")
    } else {
        format!(
            "advisory {id} is already listed on {name} {versions} in {shown_dir}; nothing changed"
        )
    })?;
    if let Some(sealed) = &advised.sealed {
        printer.out(signed_line(sealed))?;
    }
    Ok(ExitStatus::Success)
}
