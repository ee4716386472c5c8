//! Small tools every layer uses: atomic writes, hashing, paths, URLs, dates, "did you mean". They know
//! nothing of plugins, hosts or commands, and import nothing of pluginkit's.

pub(crate) mod atomic;
pub(crate) mod hash;
pub mod interrupt;
pub(crate) mod links;
pub(crate) mod paths;
pub(crate) mod pause;
pub(crate) mod read;
pub(crate) mod suggest;
pub(crate) mod time;
pub(crate) mod url;
