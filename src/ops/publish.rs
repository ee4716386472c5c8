//! `registry publish`, `registry yank`, `registry advise` and `registry resign`: maintain a
//! static registry folder (the work is in [`crate::registry::publish`]); `registry keygen`
//! makes the key that signs it ([`crate::registry::signing`]). A package with errors is refused
//! with its findings drawn as `validate` draws them; its warnings are shown and do not stop it.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::output::Printer;
use crate::registry::advisory::Advisory;
use crate::registry::publish::{self, Advised, Published, Sealed, Signing, Yanked};
use crate::registry::signing::{self, Generated, KEY_VAR, PASSWORD_VAR};
use crate::settings::Settings;

/// How a change is to be signed, as given: the secret key (`--sign-key`, or
/// `PLUGINKIT_SIGNING_KEY`) and the snapshot's validity in days.
#[derive(Debug, Clone)]
pub(crate) struct SignOptions {
    pub(crate) key: Option<PathBuf>,
    pub(crate) expires_in_days: u64,
}

/// The password of a secret key: `PLUGINKIT_SIGNING_PASSWORD`, else asked for on a terminal
/// (twice, with `confirm`, for a new key); never asked for without a terminal or in CI.
fn password(settings: &Settings, what: &str, confirm: bool) -> Result<String, Error> {
    if let Some(password) = settings.environment.var(PASSWORD_VAR) {
        return Ok(password);
    }
    if !settings.interactive {
        return Err(Error::usage(
            format!("{what} needs a password, and there is no terminal to ask for one on"),
            format!("set the environment variable {PASSWORD_VAR} to it"),
        ));
    }
    let term = dialoguer::console::Term::stderr();
    let mut prompt = dialoguer::Password::new().with_prompt(format!("Password for {what}"));
    if confirm {
        prompt = prompt.with_confirmation("Once more", "the two passwords differ; again");
    }
    prompt
        .interact_on(&term)
        .map_err(|e| Error::caused(format!("cannot ask for the password of {what}"), e))
}

/// The signer `options` name, opened; `None` when no key is given.
fn signing(settings: &Settings, options: &SignOptions) -> Result<Option<Signing>, Error> {
    let Some(key) = &options.key else {
        return Ok(None);
    };
    let path = settings.cwd.join(key);
    let shown = settings.display(&path);
    let password = if signing::needs_password(&path) {
        Some(password(
            settings,
            &format!("the secret key {shown}"),
            false,
        )?)
    } else {
        None
    };
    let signer = signing::open_secret_key(&path, password.as_deref())?;
    Ok(Some(Signing {
        signer,
        expires_in_days: options.expires_in_days,
    }))
}

/// Make a key pair: the secret key at `output` (relative to the working folder), the public
/// key beside it.
pub(crate) fn keygen(settings: &Settings, output: &Path) -> Result<Generated, Error> {
    let path = settings.cwd.join(output);
    let shown = settings.display(&path);
    // Refused before a password is asked for.
    for existing in [path.clone(), signing::public_key_path(&path)] {
        if std::fs::symlink_metadata(&existing).is_ok() {
            return Err(signing::Error::KeyExists { path: existing }.into());
        }
    }
    let password = password(settings, &format!("the new secret key {shown}"), true)?;
    Ok(signing::generate(&path, &password)?)
}

/// Sign the registry folder `dir` again.
pub(crate) fn resign(
    settings: &Settings,
    printer: &Printer,
    dir: &Path,
    options: &SignOptions,
) -> Result<Sealed, Error> {
    let Some(signing) = signing(settings, options)? else {
        return Err(Error::usage(
            "registry resign needs the secret key to sign with",
            format!("pass --sign-key FILE, or set {KEY_VAR}"),
        ));
    };
    Ok(publish::resign(&settings.cwd.join(dir), &signing, printer)?)
}

/// What `registry publish` was asked.
#[derive(Debug, Clone)]
pub(crate) struct PublishOptions {
    /// The package, as given.
    pub(crate) package: PathBuf,
    /// The registry folder, as given.
    pub(crate) dir: PathBuf,
    /// The publication time, in seconds since 1970; now when `None`.
    pub(crate) source_date_epoch: Option<String>,
    pub(crate) sign: SignOptions,
}

/// Publish the package `options` names into the registry folder.
pub(crate) fn publish(
    settings: &Settings,
    printer: &Printer,
    options: &PublishOptions,
) -> Result<Published, Error> {
    let shown = options.package.to_string_lossy().replace('\\', "/");
    let publish_options = publish::Options {
        shown: shown.clone(),
        limits: settings.host.config.limits.limits(),
        flavor: settings.flavor,
        context: settings.read_context(),
        published: publish::timestamp(options.source_date_epoch.as_deref())?,
        pause_at: settings.pause_at.clone(),
        signing: signing(settings, &options.sign)?,
    };
    let dir = settings.cwd.join(&options.dir);
    let package = settings.cwd.join(&options.package);
    match publish::publish(&dir, &package, &publish_options, printer) {
        Ok(published) => {
            printer.findings(&published.warnings);
            Ok(published)
        }
        Err(error) => {
            if let publish::Error::Invalid { findings, .. } = &error {
                printer.findings(findings);
            }
            Err(error.into())
        }
    }
}

/// Yank the version `spec` (`NAME@VERSION`) in the registry folder `dir`, or un-yank it.
pub(crate) fn yank(
    settings: &Settings,
    printer: &Printer,
    spec: &str,
    dir: &PathBuf,
    undo: bool,
    sign: &SignOptions,
) -> Result<Yanked, Error> {
    let Some((name, version)) = spec
        .split_once('@')
        .filter(|(name, version)| !name.is_empty() && !version.is_empty())
    else {
        return Err(Error::usage(
            format!("`{spec}` is not NAME@VERSION"),
            "name the version to yank exactly, e.g. `pluginkit registry yank hello@1.2.0 --dir DIR`",
        ));
    };
    Ok(publish::yank(
        &settings.cwd.join(dir),
        name,
        version,
        undo,
        signing(settings, sign)?.as_ref(),
        printer,
    )?)
}

/// List `advisory` on the versions of `name` it affects in the registry folder `dir`.
pub(crate) fn advise(
    settings: &Settings,
    printer: &Printer,
    name: &str,
    dir: &Path,
    advisory: Advisory,
    sign: &SignOptions,
) -> Result<Advised, Error> {
    Ok(publish::advise(
        &settings.cwd.join(dir),
        name,
        advisory,
        signing(settings, sign)?.as_ref(),
        printer,
    )?)
}
