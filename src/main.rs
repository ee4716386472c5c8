use clap::Parser;

fn main() {
    let cli = pluginkit::cli::Cli::parse();
    std::process::exit(pluginkit::run(cli));
}
