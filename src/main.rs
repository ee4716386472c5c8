//! The `pluginkit` binary: parse the command line, run it, exit with its code. The work is in
//! the library (`src/lib.rs`).

use clap::Parser;

fn main() {
    pluginkit::complete_if_asked();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let code = match pluginkit::cli::Cli::try_parse_from(&args) {
        Ok(cli) => {
            // Without the handlers, Ctrl-C still stops pluginkit: it only leaves more behind.
            let _ = pluginkit::handle_signals();
            pluginkit::run(cli)
        }
        Err(error) => pluginkit::refused(&error, &args),
    };
    std::process::exit(code);
}
