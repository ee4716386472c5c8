//! The operations the commands call: the work of each command, shared where commands share it.
//! A command turns its arguments into options, makes one call here, and renders the result.

pub mod resolve;
