//! The `pluginkit` binary: parse the command line, run it, exit with its code. The work is in
//! the library (`src/lib.rs`).

use clap::Parser;

fn main() {
    pluginkit::complete_if_asked();
    let cli = pluginkit::cli::Cli::parse();
    std::process::exit(pluginkit::run(cli));
}
