//! Plugin packages, the ZIP files pluginkit writes and installs: [`read`] checks one against
//! hostile input and reads the plugin in it in place; [`build`] writes one reproducibly.

pub(crate) mod build;
pub(crate) mod read;
pub(crate) mod secrets;
