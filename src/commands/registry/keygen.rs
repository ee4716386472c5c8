//! `pluginkit registry keygen`: the key that signs a registry ([`crate::ops::publish::keygen`]).

use serde::Serialize;

use crate::cli::{HumanJson, KeygenArgs};
use crate::commands::ExitStatus;
use crate::ops::publish;
use crate::output::Printer;
use crate::settings::Settings;

/// `registry keygen --format json`.
#[derive(Serialize)]
struct KeygenJson<'a> {
    secret_key: &'a str,
    public_key_file: &'a str,
    key: &'a str,
    public_key: &'a str,
}

pub(super) fn run(
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
