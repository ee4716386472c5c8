//! The `pluginkit` binary: parse the command line, run it, exit with its code. The work is in
//! the library (`src/lib.rs`).

use clap::Parser;

fn main() {
    let cli = pluginkit::cli::Cli::parse();
    // Without the handlers, Ctrl-C still stops pluginkit: it only leaves more behind.
    let _ = pluginkit::handle_signals();
    std::process::exit(pluginkit::run(cli));
}
