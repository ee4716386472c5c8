//! `pluginkit registry publish ZIP --dir DIR`, `pluginkit registry yank NAME@VERSION --dir
//! DIR`, `pluginkit registry advise NAME --dir DIR ...` and `pluginkit registry resign --dir
//! DIR`: maintain a static registry folder; `pluginkit registry keygen` makes the key that signs
//! it. The work is in [`crate::ops::publish`].

mod advise;
mod keygen;
mod publish;
mod resign;
mod yank;

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{RegistryCommand, SignArgs};
use crate::ops::publish::SignOptions;
use crate::output::Printer;
use crate::registry::publish::Sealed;
use crate::settings::Settings;

/// A snapshot written and signed: its serial, the key id that signed it, its expiry and how
/// many files it vouches for.
#[derive(Serialize)]
pub(super) struct SnapshotJson<'a> {
    serial: u64,
    key: &'a str,
    expires: &'a str,
    files: usize,
}

impl<'a> SnapshotJson<'a> {
    fn new(sealed: &'a Sealed) -> SnapshotJson<'a> {
        SnapshotJson {
            serial: sealed.serial,
            key: &sealed.key,
            expires: &sealed.expires,
            files: sealed.files,
        }
    }

    /// The snapshot of a change, when the registry is signed.
    fn of(sealed: Option<&'a Sealed>) -> Option<SnapshotJson<'a>> {
        sealed.map(SnapshotJson::new)
    }
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    command: RegistryCommand,
) -> anyhow::Result<ExitStatus> {
    match command {
        RegistryCommand::Publish(args) => publish::run(settings, printer, args),
        RegistryCommand::Yank(args) => yank::run(settings, printer, args),
        RegistryCommand::Advise(args) => advise::run(settings, printer, args),
        RegistryCommand::Keygen(args) => keygen::run(settings, printer, args),
        RegistryCommand::Resign(args) => resign::run(settings, printer, args),
    }
}

/// The signing options every change of a registry takes.
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
