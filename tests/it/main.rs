//! pluginkit's integration tests: one test binary (as uv's `tests/it` and cargo's
//! `tests/testsuite`), so the helpers in `support/` are compiled and the binary linked once.
//! Every test launches the real `pluginkit` through [`support::TestContext`], which gives it a
//! temp folder of its own and a clean environment.
//!
//! Run one module with `cargo test --test it cli::`, one test by its name.

mod support;

mod action;
mod add_git;
mod add_url;
mod add_words;
mod advisories;
mod class_based;
mod cli;
mod completions;
mod configure;
mod crate_flavor;
mod disk;
mod errors;
mod exit_codes;
mod fastcms_e2e;
mod fba_corpus;
mod fba_versions;
mod flask_metadata;
mod flask_pluginkit_e2e;
mod git_progress;
mod hardening_archive;
mod hardening_input;
mod hardening_links;
mod hardening_server;
mod hardening_state;
mod help;
mod host_detect;
mod install;
mod install_crash;
mod install_hostile;
mod json;
mod list_width;
mod lock_scope;
mod machine_errors;
mod new;
mod new_prompts;
mod no_panic;
mod package;
mod package_hygiene;
mod package_output;
mod pre_commit;
mod publish_crash;
mod python_deps;
mod python_flavors;
mod readme;
mod records;
mod registry;
mod registry_publish;
mod reload;
mod reload_servers;
mod rules;
mod secrets_gaps;
mod signing;
mod switch_class_based;
mod switch_fastcms;
mod switch_fba;
mod toggle_crash;
mod validate_formats;
mod validate_targets;
mod wheel;
