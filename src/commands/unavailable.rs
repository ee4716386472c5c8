//! The answer of commands that the command line already describes but this release does not
//! yet perform.

use crate::error::Error;

pub fn error(what: &str) -> Error {
    Error::user_hint(
        format!(
            "`{what}` is not yet available in pluginkit {}",
            env!("CARGO_PKG_VERSION")
        ),
        "it is described by `pluginkit --help` and arrives in a later release",
    )
}
