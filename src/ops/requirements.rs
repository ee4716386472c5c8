//! `--install-deps`: a plugin's `requirements.txt`, shown when it has one, and installed with
//! uv when it is there, else with the host's Python's pip.

use std::path::Path;
use std::process::Command as Process;

use crate::error::Error;
use crate::output::Printer;
use crate::settings::Settings;
use crate::util::read;

/// The largest `requirements.txt` read: far more than any real one.
const MAX_REQUIREMENTS: u64 = 1 << 20;

/// Show the plugin's `requirements.txt`, and install it with `--install-deps` (uv when it is
/// there, else the host's Python's pip). A failure stops the install before anything changed.
pub(crate) fn check(
    settings: &Settings,
    printer: &Printer,
    staged: &Path,
    installed: &Path,
    install_deps: bool,
) -> Result<(), Error> {
    let file = staged.join("requirements.txt");
    let text = match read::read_regular_text(&file, MAX_REQUIREMENTS) {
        Ok(text) => text,
        // A FIFO would block the install, a link to a device never end it.
        Err(e) if read::is_refused(&e) => {
            printer.note(format!(
                "{} is not read: {e}",
                settings.display(&installed.join("requirements.txt"))
            ));
            return Ok(());
        }
        Err(_) => return Ok(()),
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
        Error::caused_hint(
            format!("cannot run {}", python.display()),
            "set [host] python in pluginkit.toml to the host's interpreter",
            e,
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
