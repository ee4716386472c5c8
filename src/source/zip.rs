//! ZIP packages as sources: a URL downloaded into the staging folder, and the sha256 a package
//! must have (`--sha256`, a `[plugins]` or lock entry). Checking and unpacking a package is
//! [`crate::package::read`]'s.

use std::path::Path;

use crate::output::Printer;
use crate::source::Error;
use crate::source::download::{self, Options};
use crate::util::url::without_credentials;

/// Download the ZIP at `url` to `dest` (in the staging folder, so a failed or killed download
/// leaves nothing behind), and check it against `pin`. Returns its sha256.
pub(crate) fn fetch(
    url: &str,
    dest: &Path,
    pin: Option<&str>,
    options: &Options,
    printer: &Printer,
) -> Result<String, Error> {
    let shown = without_credentials(url);
    if shown != url {
        printer.warn(
            "the user name and password in the URL are used for this download only, never written to pluginkit.lock or pluginkit.toml",
        );
    }
    let downloaded = download::download(url, dest, options, printer)?;
    printer.debug(format_args!(
        "downloaded {shown}: {} bytes, sha256 {}",
        downloaded.size, downloaded.sha256
    ));
    if let Some(pin) = pin {
        check_pin(pin, &downloaded.sha256, &shown)?;
    }
    Ok(downloaded.sha256)
}

/// Refuse a package whose sha256 is not the one `--sha256` pins.
pub(crate) fn check_pin(expected: &str, actual: &str, shown: &str) -> Result<(), Error> {
    if expected.eq_ignore_ascii_case(actual) {
        return Ok(());
    }
    Err(Error::Checksum {
        shown: shown.to_owned(),
        actual: actual.to_owned(),
        expected: expected.to_owned(),
    })
}
