//! Small tools every layer uses: atomic writes, hashing, paths, URLs, dates, "did you mean". They know
//! nothing of plugins, hosts or commands, and import nothing of pluginkit's.

pub mod atomic;
pub mod hash;
pub mod paths;
pub mod suggest;
pub mod time;
pub mod url;
