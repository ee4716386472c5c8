//! `pluginkit new NAME`: scaffold a plugin from a built-in template (one per flavor) or a custom
//! one (`--template DIR/GIT-URL`), then say what to do next. The work is in [`crate::ops::new`].

use std::path::Path;

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{HumanJson, NewArgs};
use crate::ops::new::{self, Created, Options};
use crate::output::{BOLD, Printer};
use crate::plugin::flavor::Flavor;
use crate::settings::Settings;

#[derive(Serialize)]
struct CreatedJson<'a> {
    name: &'a str,
    flavor: Option<&'a str>,
    /// The plugin folder, absolute.
    path: String,
    files: &'a [String],
}

pub(crate) fn run(
    settings: &Settings,
    printer: &Printer,
    args: NewArgs,
) -> anyhow::Result<ExitStatus> {
    let format = args.format.get();
    let options = Options {
        name: args.name,
        template: args.template,
        branch: args.branch,
        tag: args.tag,
        output: args.output,
        into_plugins: args.into_plugins,
        level: args.level,
        extend: args.extend,
        description: args.description,
        author: args.author,
        version: args.plugin_version,
        license: args.license,
        define: args.define,
        no_git: args.no_git,
        force: args.force,
    };
    let created = new::new(settings, printer, &options)?;
    if created.errors > 0 {
        // Only a custom template's plugin can have errors; it is written for the user to fix,
        // but nothing here says "created" or what comes next.
        printer.error(
            format_args!(
                "the plugin was written to {}, but its template made a plugin with {} error{} (above); fix them there",
                created.shown,
                created.errors,
                if created.errors == 1 { "" } else { "s" }
            ),
            &[],
            None,
        );
        return Ok(ExitStatus::Failure);
    }
    if format == HumanJson::Json {
        printer.json(&CreatedJson {
            name: &created.name,
            flavor: created.flavor.map(Flavor::as_str),
            path: created.path.display().to_string(),
            files: &created.files,
        })?;
    } else {
        next_steps(printer, &created)?;
    }
    Ok(ExitStatus::Success)
}

/// What to do with the new plugin, from where it is: in the plugins folder the host already
/// finds it; elsewhere in a host `add` installs it; outside one, `add` is run in the host.
fn next_steps(printer: &Printer, created: &Created) -> anyhow::Result<()> {
    let Created {
        name,
        flavor,
        shown,
        path,
        in_plugins,
        in_host,
        ..
    } = created;
    let flavor_text = flavor.map_or("custom", Flavor::as_str);
    printer.out(format!("created {name} ({flavor_text}) in {shown}"))?;
    printer.out("")?;
    printer.out(printer.paint_out(BOLD, "next steps:"))?;
    printer.out(format!("  pluginkit validate {shown}"))?;
    if *in_plugins {
        printer.out(format!("  pluginkit info {name}"))?;
        if let Some(line) = flavor.map(|f| host_line(f, name)) {
            printer.out(format!("  {line}"))?;
        }
        return Ok(());
    }
    printer.out(format!("  pluginkit package {shown}"))?;
    if *in_host {
        let local = if Path::new(shown).is_absolute() || shown.starts_with('.') {
            shown.clone()
        } else {
            format!("./{shown}")
        };
        printer.out(format!("  pluginkit add {local}"))?;
    } else {
        printer.out("then, in the host's folder (where pluginkit.toml is):")?;
        printer.out(format!("  pluginkit add {}", path.display()))?;
    }
    if let Some(line) = flavor.map(|f| host_line(f, name)) {
        printer.out(format!("  {line}"))?;
    }
    Ok(())
}

/// How the flavor's host picks the plugin up.
fn host_line(flavor: Flavor, name: &str) -> String {
    match flavor {
        Flavor::Pluginkit => {
            "the host finds it in its plugins folder (plugin.toml); `pluginkit reload` makes it live".into()
        }
        Flavor::FlaskPluginkit => format!(
            "Flask-PluginKit loads it from the plugins package: PluginManager(app) imports plugins.{name} and calls register()"
        ),
        Flavor::Fba => format!(
            "FastAPI Best Architecture loads it from backend/plugin/{name} when the server restarts"
        ),
        Flavor::Fastcms => format!(
            "FastCMS loads it from plugins/{name} on startup and calls register(ctx); its routes are under /api/v1/plugins/{name}/"
        ),
        Flavor::ClassBased => format!(
            "the app's loader imports plugins/{name}/{name}.py at start-up, instantiates the class Info.classname names with the app and calls its main()"
        ),
        Flavor::Crate => format!(
            "the host depends on it in its Cargo.toml: {name} = {{ path = \"...\" }}"
        ),
    }
}
