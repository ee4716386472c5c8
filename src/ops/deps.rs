//! The plugins' Python dependencies, resolved together before anything is installed: `deps`,
//! and `add`, `sync` and `upgrade` with `--install-deps`.
//!
//! FBA runs `uv pip install -r` for each plugin's `requirements.txt` at every start
//! (`backend/plugin/requirements.py`, `install_requirements`), plugin by plugin: two plugins
//! pinning different versions of one library break each other silently, the last install
//! winning. Here every enabled plugin's requirements go to one resolver run, with the host's
//! own requirements file as constraints: with uv (`uv pip compile`) when it is on the PATH, else
//! with the host's pip (`pip install --dry-run --report`, pip 22.2 and later). A conflict names
//! both plugins and both lines. The resolved set is installed exactly (`--no-deps`, every pin),
//! and recorded per plugin in `pluginkit.lock`, so that `sync --locked --install-deps`
//! installs the same packages on another server without resolving again.
//!
//! The user's index configuration (`UV_INDEX_URL`, `PIP_INDEX_URL`, `pip.conf`, `uv.toml`) is
//! the resolver's own: pluginkit passes the environment through and sets no index itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output, Stdio};
use std::str::FromStr;

use pep508_rs::{Requirement, VerbatimUrl};
use serde::Serialize;

use crate::error::Error;
use crate::findings::rules::Severity;
use crate::host::lockfile::{self, Locked};
use crate::host::switch::{self, Switch};
use crate::output::Printer;
use crate::plugin::requirements::{self, Entry};
use crate::plugin::state::State;
use crate::plugin::tree::DirTree;
use crate::settings::Settings;

/// One plugin's requirements, read from its folder (installed or staged).
#[derive(Debug, Clone)]
pub(crate) struct PluginRequirements {
    pub(crate) name: String,
    /// The folder its files are in now.
    pub(crate) dir: PathBuf,
    /// Its requirements file as messages show it (where it is, or will be, installed).
    pub(crate) shown: String,
    pub(crate) entries: Vec<Entry>,
    /// Its global option lines (`--index-url`...), for the install.
    pub(crate) options: Vec<String>,
}

impl PluginRequirements {
    /// Its requirement lines, as the lock records them (in file order).
    pub(crate) fn lines(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.text.clone()).collect()
    }

    /// A line as messages show it: `plugins/a/requirements.txt:3: pklib==1.0`.
    fn located(&self, entry: &Entry) -> String {
        let file = self.shown_file(&entry.file);
        format!("{file}:{}: {}", entry.line, entry.text)
    }

    fn shown_file(&self, rel: &str) -> String {
        let base = self
            .shown
            .strip_suffix(requirements::FILE)
            .unwrap_or(&self.shown);
        format!("{base}{rel}")
    }
}

/// Read the requirements of the plugin `name` in `dir` (shown as `shown_dir`): `None` when it
/// asks for no Python package; an error at the first malformed line.
pub(crate) fn of_plugin(
    name: &str,
    dir: &Path,
    shown_dir: &str,
) -> Result<Option<PluginRequirements>, Error> {
    let tree = DirTree::new(
        dir.to_path_buf(),
        shown_dir.trim_end_matches('/').to_owned(),
    );
    let mut read = requirements::read(&tree);
    if let Some(at) = read
        .findings
        .iter()
        .position(|f| f.severity() == Severity::Error)
    {
        return Err(Error::Diagnostic(Box::new(read.findings.swap_remove(at))));
    }
    if read.is_empty() {
        return Ok(None);
    }
    Ok(Some(PluginRequirements {
        name: name.to_owned(),
        dir: dir.to_path_buf(),
        shown: format!("{}/{}", shown_dir.trim_end_matches('/'), requirements::FILE),
        entries: read.entries,
        options: read.options,
    }))
}

/// The installed plugins whose requirements the host installs: every plugin in the plugins
/// folder that is switched on where the switch is in its folder (a `DISABLED` marker, FastCMS's
/// `_NAME`, a class-based plugin moved out). FBA installs every plugin folder's requirements at
/// start-up whatever Redis says, so in an FBA host every plugin counts. Returns name and folder.
pub(crate) fn enabled_plugins(settings: &Settings) -> Result<Vec<(String, PathBuf)>, Error> {
    let scan = super::scan_plugins(settings)?;
    let host_switch = super::switch(settings).unwrap_or(Switch::Markers);
    let kind = settings.host.kind.as_ref().map(|k| k.value);
    let mut out = Vec::new();
    for installed in scan.plugins {
        let own = host_switch.for_flavor(installed.plugin.flavor, kind);
        let off = switch::local_state(own, &installed)
            .is_some_and(|state| state.state == State::Disabled);
        if !off {
            out.push((installed.plugin.folder.clone(), installed.dir.clone()));
        }
    }
    Ok(out)
}

/// The requirements of the plugins in `plugins` (name, folder, and the folder as shown) that
/// have any.
pub(crate) fn gather(
    plugins: &[(String, PathBuf, String)],
) -> Result<Vec<PluginRequirements>, Error> {
    let mut out = Vec::new();
    for (name, dir, shown) in plugins {
        out.extend(of_plugin(name, dir, shown)?);
    }
    Ok(out)
}

/// Which resolver and installer runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Tool {
    Uv,
    Pip,
}

/// How to run the resolver and installer for the host.
#[derive(Debug, Clone)]
pub(crate) struct Runner {
    pub(crate) tool: Tool,
    python: PathBuf,
    offline: bool,
}

impl Runner {
    /// uv when `uv` is on the PATH, else the host's Python's pip.
    pub(crate) fn new(settings: &Settings, offline: bool) -> Runner {
        let uv = Process::new("uv")
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|o| o.status.success());
        Runner {
            tool: if uv { Tool::Uv } else { Tool::Pip },
            python: crate::host::detect::python(&settings.host),
            offline,
        }
    }

    fn command(&self, args: &[&str]) -> Process {
        let mut command = match self.tool {
            Tool::Uv => {
                let mut c = Process::new("uv");
                c.args(["pip"]).args(args).arg("--python").arg(&self.python);
                if self.offline {
                    c.arg("--offline");
                }
                c
            }
            Tool::Pip => {
                let mut c = Process::new(&self.python);
                c.args(["-m", "pip"])
                    .args(args)
                    .args(["--disable-pip-version-check", "--no-input"]);
                if self.offline {
                    c.arg("--no-index");
                }
                c
            }
        };
        command.stdin(Stdio::null());
        command
    }

    fn run(&self, mut command: Process) -> Result<Output, Error> {
        command.output().map_err(|e| {
            let (program, hint) = match self.tool {
                Tool::Uv => ("uv", "check that uv runs"),
                Tool::Pip => (
                    "the host's Python",
                    "set [host] python in pluginkit.toml to the host's interpreter",
                ),
            };
            Error::caused_hint(
                format!("cannot run {program} ({})", self.python.display()),
                hint,
                e,
            )
        })
    }
}

/// One requirement line, where it is written (`deps --format json`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Line {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) requirement: String,
}

/// One plugin's part of a resolution.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PluginPins {
    pub(crate) name: String,
    pub(crate) requirements: Vec<Line>,
    /// Every package its requirements install, pinned, sorted.
    pub(crate) pins: Vec<String>,
    /// The requirement lines as the lock records them.
    #[serde(skip)]
    pub(crate) lines: Vec<String>,
}

/// The plugins' requirements, resolved together.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Resolved {
    pub(crate) tool: Tool,
    /// Every package to install, pinned, sorted.
    pub(crate) pins: Vec<String>,
    pub(crate) plugins: Vec<PluginPins>,
    /// The global option lines of the plugins' files, for the install.
    #[serde(skip)]
    pub(crate) options: Vec<String>,
}

/// The host's own requirements, as constraints: the pinned lines of the host's
/// `requirements.txt` (FBA keeps `uv export`'s output at its root; older FBA had
/// `backend/requirements.txt`). Its unnamed lines (`-e .`) and options are left out: a
/// constraint names a package.
fn host_constraints(settings: &Settings) -> Option<(String, Vec<Entry>)> {
    let root = &settings.host.root;
    ["requirements.txt", "backend/requirements.txt"]
        .iter()
        .map(|rel| root.join(rel))
        .find(|path| path.is_file())
        .and_then(|path| {
            let text = crate::util::read::read_regular_text(&path, 1 << 20).ok()?;
            let shown = settings.display(&path);
            let read = requirements::parse_text(&shown, &text);
            let entries = read
                .entries
                .into_iter()
                .filter(|e| e.name.is_some() && !e.text.contains('@'))
                .collect();
            Some((shown, entries))
        })
}

/// Resolve `plugins`' requirements together, with the host's constraints, installing nothing.
/// A conflict names the plugins and the lines on each side.
pub(crate) fn resolve(
    settings: &Settings,
    printer: &Printer,
    runner: &Runner,
    plugins: &[PluginRequirements],
) -> Result<Resolved, Error> {
    let temp = tempdir()?;
    let host = host_constraints(settings);
    let mut input = String::new();
    for plugin in plugins {
        input.push_str(&format!(
            "-r {}\n",
            plugin.dir.join(requirements::FILE).display()
        ));
    }
    if let Some((_, entries)) = &host {
        let constraints: String = entries.iter().map(|e| format!("{}\n", e.text)).collect();
        write(&temp.path().join("host-constraints.txt"), &constraints)?;
        input.push_str("-c host-constraints.txt\n");
    }
    let input_path = temp.path().join("requirements.in");
    write(&input_path, &input)?;
    let progress = printer.progress_spinner(format!(
        "resolving the Python requirements of {} plugin{} with {}",
        plugins.len(),
        if plugins.len() == 1 { "" } else { "s" },
        match runner.tool {
            Tool::Uv => "uv",
            Tool::Pip => "pip",
        }
    ));
    let input_arg = input_path.display().to_string();
    // The spinner goes however the run ends.
    let outcome = (|| -> Result<(Output, Option<Graph>), Error> {
        Ok(match runner.tool {
            Tool::Uv => {
                let command = runner.command(&[
                    "compile",
                    &input_arg,
                    "--no-header",
                    "--annotation-style",
                    "line",
                    "--color",
                    "never",
                ]);
                let output = runner.run(command)?;
                let resolved = output
                    .status
                    .success()
                    .then(|| parse_uv(&String::from_utf8_lossy(&output.stdout)));
                (output, resolved)
            }
            Tool::Pip => {
                let report = temp.path().join("report.json");
                let report_arg = report.display().to_string();
                let command = runner.command(&[
                    "install",
                    "--dry-run",
                    "--ignore-installed",
                    "--quiet",
                    "--report",
                    &report_arg,
                    "-r",
                    &input_arg,
                ]);
                let output = runner.run(command)?;
                let resolved = if output.status.success() {
                    Some(parse_pip_report(&report)?)
                } else {
                    None
                };
                (output, resolved)
            }
        })
    })();
    progress.finish_and_clear();
    let (output, resolved) = outcome?;
    let Some(graph) = resolved else {
        return Err(failure(runner, &output, plugins, host.as_ref()));
    };
    Ok(attribute(runner.tool, &graph, plugins))
}

/// The resolution as a graph: each package's pin and the packages it depends on, and the
/// requirement files that ask for it (uv's `# via -r FILE`).
#[derive(Debug, Default)]
struct Graph {
    /// Normalized name → pin line.
    pins: BTreeMap<String, String>,
    /// Normalized name → the names it depends on.
    depends: BTreeMap<String, BTreeSet<String>>,
    /// Normalized name → the files named in its `via`.
    files: BTreeMap<String, BTreeSet<String>>,
}

/// PEP 503's normalized form of a package name.
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
        } else {
            if separator && !out.is_empty() {
                out.push('-');
            }
            separator = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The name a pin line installs (`name==1.0`, `name @ url`, `-e url#egg=name`).
fn pin_name(pin: &str) -> Option<String> {
    let pin = pin.strip_prefix("-e ").unwrap_or(pin);
    Requirement::<VerbatimUrl>::from_str(pin)
        .ok()
        .map(|r| r.name.to_string())
}

/// `uv pip compile --annotation-style line`'s output: `name==1.0  # via a, -r file`.
fn parse_uv(text: &str) -> Graph {
    let mut graph = Graph::default();
    let mut via_of: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("--") {
            continue;
        }
        let (pin, comment) = match line.find("  #").or_else(|| line.find(" #")) {
            Some(at) => (
                line[..at].trim(),
                Some(line[at..].trim_start_matches([' ', '#'])),
            ),
            None => (line, None),
        };
        let Some(name) = pin_name(pin) else { continue };
        graph.pins.insert(name.clone(), pin.to_owned());
        let via: Vec<String> = comment
            .and_then(|c| c.strip_prefix("via"))
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        via_of.push((name, via));
    }
    for (name, via) in via_of {
        for item in via {
            if let Some(file) = item
                .strip_prefix("-r ")
                .or_else(|| item.strip_prefix("-c "))
            {
                graph
                    .files
                    .entry(name.clone())
                    .or_default()
                    .insert(file.to_owned());
            } else {
                // `pkapp` depends on `name`.
                graph
                    .depends
                    .entry(normalize(&item))
                    .or_default()
                    .insert(name.clone());
            }
        }
    }
    graph
}

/// pip's installation report (`--report`, pip 22.2 and later): what it would install, with each
/// package's `Requires-Dist`.
fn parse_pip_report(path: &Path) -> Result<Graph, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::caused("cannot read pip's installation report", e))?;
    let report: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::caused("pip's installation report is not JSON", e))?;
    let mut graph = Graph::default();
    let items = report["install"].as_array().cloned().unwrap_or_default();
    for item in &items {
        let metadata = &item["metadata"];
        let (Some(name), Some(version)) = (metadata["name"].as_str(), metadata["version"].as_str())
        else {
            continue;
        };
        let key = normalize(name);
        let pin = match (
            item["is_direct"].as_bool(),
            item["download_info"]["url"].as_str(),
        ) {
            (Some(true), Some(url)) => format!("{key} @ {url}"),
            _ => format!("{key}=={version}"),
        };
        graph.pins.insert(key.clone(), pin);
        let requires = metadata["requires_dist"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for dependency in requires.iter().filter_map(|r| r.as_str()) {
            if let Ok(parsed) = Requirement::<VerbatimUrl>::from_str(dependency) {
                graph
                    .depends
                    .entry(key.clone())
                    .or_default()
                    .insert(parsed.name.to_string());
            }
        }
    }
    Ok(graph)
}

/// Each plugin's share of the resolution: the packages its lines name (or its files are named
/// for), and everything those depend on.
fn attribute(tool: Tool, graph: &Graph, plugins: &[PluginRequirements]) -> Resolved {
    let mut out = Vec::new();
    let mut options = BTreeSet::new();
    for plugin in plugins {
        let dir = plugin.dir.display().to_string();
        let mut pending: Vec<String> = plugin
            .entries
            .iter()
            .filter(|e| !e.constraint)
            .filter_map(|e| e.name.clone())
            .collect();
        pending.extend(
            graph
                .files
                .iter()
                .filter(|(_, files)| files.iter().any(|f| f.starts_with(&dir)))
                .map(|(name, _)| name.clone()),
        );
        let mut mine = BTreeSet::new();
        while let Some(name) = pending.pop() {
            if graph.pins.contains_key(&name) && mine.insert(name.clone()) {
                pending.extend(graph.depends.get(&name).into_iter().flatten().cloned());
            }
        }
        options.extend(plugin.options.iter().cloned());
        out.push(PluginPins {
            name: plugin.name.clone(),
            requirements: plugin
                .entries
                .iter()
                .map(|e| Line {
                    file: plugin.shown_file(&e.file),
                    line: e.line,
                    requirement: e.text.clone(),
                })
                .collect(),
            pins: mine.iter().map(|n| graph.pins[n].clone()).collect(),
            lines: plugin.lines(),
        });
    }
    Resolved {
        tool,
        pins: graph.pins.values().cloned().collect(),
        plugins: out,
        options: options.into_iter().collect(),
    }
}

/// The resolver failed: a conflict between plugins (or a plugin and the host) names both sides;
/// anything else passes on what the resolver said.
fn failure(
    runner: &Runner,
    output: &Output,
    plugins: &[PluginRequirements],
    host: Option<&(String, Vec<Entry>)>,
) -> Error {
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    let said = said.trim();
    let named: BTreeSet<String> = said
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map(|word| normalize(word.trim_end_matches('.')))
        .filter(|word| !word.is_empty())
        .collect();
    // The sides: each plugin (and the host) with its lines that name a package the resolver
    // names.
    let mut sides: Vec<(String, Vec<String>)> = Vec::new();
    for plugin in plugins {
        let lines: Vec<String> = plugin
            .entries
            .iter()
            .filter(|e| e.name.as_ref().is_some_and(|n| named.contains(n)))
            .map(|e| plugin.located(e))
            .collect();
        if !lines.is_empty() {
            sides.push((format!("plugin `{}`", plugin.name), lines));
        }
    }
    if let Some((shown, entries)) = host {
        let lines: Vec<String> = entries
            .iter()
            .filter(|e| e.name.as_ref().is_some_and(|n| named.contains(n)))
            .map(|e| format!("{shown}:{}: {}", e.line, e.text))
            .collect();
        if !lines.is_empty() {
            sides.push(("the host".to_owned(), lines));
        }
    }
    let tool = match runner.tool {
        Tool::Uv => "uv",
        Tool::Pip => "pip",
    };
    let resolver_says = format!("{tool} says:\n{said}");
    let listed = |sides: &[(String, Vec<String>)]| -> String {
        sides
            .iter()
            .flat_map(|(who, lines)| lines.iter().map(move |l| format!("\n  {who}: {l}")))
            .collect()
    };
    if sides.len() >= 2 {
        let who: Vec<&str> = sides.iter().map(|(who, _)| who.as_str()).collect();
        let who = match who.as_slice() {
            [first @ .., last] => format!("{} and {last}", first.join(", ")),
            [] => String::new(),
        };
        return Error::caused_hint(
            format!(
                "the Python requirements of {who} conflict:{}",
                listed(&sides)
            ),
            "nothing was installed; make the plugins agree on a version (or remove one of them), then run the command again",
            resolver_says,
        );
    }
    Error::caused_hint(
        format!(
            "cannot resolve the plugins' Python requirements{}",
            if sides.is_empty() {
                String::new()
            } else {
                format!(":{}", listed(&sides))
            }
        ),
        "nothing was installed; check the requirements and the package index (UV_INDEX_URL, PIP_INDEX_URL, pip.conf, uv.toml)",
        resolver_says,
    )
}

/// Install exactly `pins` (every package, pinned, without resolving again) into the host's
/// Python, with the plugins' own index options.
pub(crate) fn install(
    printer: &Printer,
    runner: &Runner,
    pins: &[String],
    options: &[String],
) -> Result<(), Error> {
    if pins.is_empty() {
        return Ok(());
    }
    let temp = tempdir()?;
    let file = temp.path().join("pins.txt");
    let mut text: String = options.iter().map(|o| format!("{o}\n")).collect();
    text.extend(pins.iter().map(|p| format!("{p}\n")));
    write(&file, &text)?;
    let file_arg = file.display().to_string();
    let progress = printer.progress_spinner(format!(
        "installing {} Python package{}",
        pins.len(),
        if pins.len() == 1 { "" } else { "s" }
    ));
    let mut args = vec!["install", "--no-deps", "-r", &file_arg];
    if runner.tool == Tool::Pip {
        args.push("--quiet");
    }
    let output = runner.run(runner.command(&args));
    progress.finish_and_clear();
    let output = output?;
    if !output.status.success() {
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        );
        return Err(Error::caused_hint(
            format!(
                "installing the plugins' Python requirements failed ({})",
                output.status
            ),
            "the plugins were left as they were; fix what the installer says, then run the command again",
            said.trim().to_owned(),
        ));
    }
    Ok(())
}

/// Record each plugin's requirement lines and pins in `pluginkit.lock` (plugins pluginkit did
/// not install have no entry, and get none).
pub(crate) fn record(settings: &Settings, resolved: &Resolved) -> Result<(), Error> {
    for plugin in &resolved.plugins {
        lockfile::set_python(
            &settings.host.root,
            &plugin.name,
            &plugin.lines,
            &plugin.pins,
        )?;
    }
    Ok(())
}

/// `sync --locked --install-deps`: the pins the lock records for `plugins`, checked against
/// what their requirement files say now; an error when a plugin's lines changed, when the lock
/// has no pins for a plugin that asks for packages, or when two plugins' pins disagree.
pub(crate) fn locked_pins(
    tool: Tool,
    locked: &[Locked],
    plugins: &[PluginRequirements],
) -> Result<Resolved, Error> {
    let hint = "nothing was installed; run `pluginkit deps` (or sync without --locked) to resolve the requirements again and record them in pluginkit.lock";
    let mut pins: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::new();
    let mut options = BTreeSet::new();
    for plugin in plugins {
        let entry = locked.iter().find(|l| l.name == plugin.name);
        let (Some(lines), Some(plugin_pins)) = (
            entry.and_then(|e| e.python_requirements.as_ref()),
            entry.and_then(|e| e.python_pins.as_ref()),
        ) else {
            return Err(Error::user_hint(
                format!(
                    "pluginkit.lock records no Python pins for `{}`, whose {} asks for packages",
                    plugin.name, plugin.shown
                ),
                hint,
            ));
        };
        if *lines != plugin.lines() {
            return Err(Error::user_hint(
                format!(
                    "the Python requirements of `{}` ({}) are not the ones pluginkit.lock records: they would change",
                    plugin.name, plugin.shown
                ),
                hint,
            ));
        }
        for pin in plugin_pins {
            let name = pin_name(pin).unwrap_or_else(|| pin.clone());
            if let Some(other) = pins.insert(name, pin.clone())
                && other != *pin
            {
                return Err(Error::user_hint(
                    format!("pluginkit.lock pins both `{other}` and `{pin}`"),
                    hint,
                ));
            }
        }
        options.extend(plugin.options.iter().cloned());
        out.push(PluginPins {
            name: plugin.name.clone(),
            requirements: Vec::new(),
            pins: plugin_pins.clone(),
            lines: lines.clone(),
        });
    }
    Ok(Resolved {
        tool,
        pins: pins.into_values().collect(),
        plugins: out,
        options: options.into_iter().collect(),
    })
}

/// What `--install-deps` will install once the change is committed: the plugins after the
/// change, resolved together (or with `locked`, the lock's pins, checked).
pub(crate) struct Plan {
    runner: Runner,
    resolved: Resolved,
    /// Whether the pins came from the lock (then the lock is not written).
    locked: bool,
}

impl Plan {
    /// Resolve the requirements of the plugins as they will be after the change: the enabled
    /// installed ones, with `staged` (name, staged folder, installed switched off) in place of
    /// those of their names. `None` when none asks for a package. A conflict is an error,
    /// before anything is installed or committed.
    pub(crate) fn new(
        settings: &Settings,
        printer: &Printer,
        staged: &[(String, PathBuf, bool)],
        offline: bool,
        locked: Option<&[Locked]>,
    ) -> Result<Option<Plan>, Error> {
        let plugins_dir = &settings.plugins_dir;
        // No plugins folder yet (the first install makes it): nothing installed.
        let installed = match plugins_dir.is_dir() {
            true => enabled_plugins(settings)?,
            false => Vec::new(),
        };
        let mut set: BTreeMap<String, (PathBuf, String)> = installed
            .into_iter()
            .map(|(name, dir)| {
                let shown = settings.display(&dir);
                (name, (dir, shown))
            })
            .collect();
        for (name, dir, disabled) in staged {
            set.remove(name);
            if !disabled {
                let shown = settings.display(&plugins_dir.join(name));
                set.insert(name.clone(), (dir.clone(), shown));
            }
        }
        let set: Vec<(String, PathBuf, String)> = set
            .into_iter()
            .map(|(name, (dir, shown))| (name, dir, shown))
            .collect();
        let plugins = gather(&set)?;
        if plugins.is_empty() {
            return Ok(None);
        }
        let runner = Runner::new(settings, offline);
        let resolved = match locked {
            Some(locked) => locked_pins(runner.tool, locked, &plugins)?,
            None => resolve(settings, printer, &runner, &plugins)?,
        };
        Ok(Some(Plan {
            runner,
            resolved,
            locked: locked.is_some(),
        }))
    }

    /// Install what was resolved: before the change is committed, so that a failed install
    /// leaves the plugins as they were.
    pub(crate) fn install(&self, printer: &Printer) -> Result<(), Error> {
        install(
            printer,
            &self.runner,
            &self.resolved.pins,
            &self.resolved.options,
        )
    }

    /// Record the pins in `pluginkit.lock`, once the change is committed (not for pins that
    /// came from the lock).
    pub(crate) fn record(&self, settings: &Settings) -> Result<(), Error> {
        if self.locked {
            return Ok(());
        }
        record(settings, &self.resolved)
    }
}

/// What `deps` did.
#[derive(Debug, Serialize)]
pub(crate) struct Deps {
    /// The resolution; `None` when no enabled plugin asks for a Python package.
    #[serde(flatten)]
    pub(crate) resolved: Option<Resolved>,
    /// Whether the set was installed (false with `--check`).
    pub(crate) installed: bool,
}

/// `pluginkit deps`: resolve the enabled plugins' requirements together; unless `check`,
/// install the result into the host's Python and record the pins in `pluginkit.lock`, under
/// the host lock.
pub(crate) fn deps(
    settings: &Settings,
    printer: &Printer,
    check: bool,
    offline: bool,
) -> Result<Deps, Error> {
    let plugins: Vec<(String, PathBuf, String)> = enabled_plugins(settings)?
        .into_iter()
        .map(|(name, dir)| {
            let shown = settings.display(&dir);
            (name, dir, shown)
        })
        .collect();
    let plugins = gather(&plugins)?;
    if plugins.is_empty() {
        return Ok(Deps {
            resolved: None,
            installed: false,
        });
    }
    let runner = Runner::new(settings, offline);
    let resolved = resolve(settings, printer, &runner, &plugins)?;
    if check {
        return Ok(Deps {
            resolved: Some(resolved),
            installed: false,
        });
    }
    // The lock is read before anything is installed: one that cannot be read stops here.
    lockfile::check(&settings.host.root)?;
    let _held = super::lock_host(settings, printer)?;
    install(printer, &runner, &resolved.pins, &resolved.options)?;
    record(settings, &resolved)?;
    Ok(Deps {
        resolved: Some(resolved),
        installed: true,
    })
}

fn tempdir() -> Result<tempfile::TempDir, Error> {
    tempfile::Builder::new()
        .prefix("pluginkit-deps-")
        .tempdir()
        .map_err(|e| Error::caused("cannot make a temporary folder", e))
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text)
        .map_err(|e| Error::caused(format!("cannot write {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uv_output_is_read_with_its_via_annotations() {
        let text = "pkapp==1.0                # via -r /p/a/requirements.txt\npkdep==2.0                # via pkapp\nother==3.0 # via -r /p/b/requirements.txt\n";
        let graph = parse_uv(text);
        assert_eq!(graph.pins.len(), 3);
        assert_eq!(graph.depends["pkapp"], BTreeSet::from(["pkdep".to_owned()]));
        assert!(graph.files["other"].contains("/p/b/requirements.txt"));
        assert_eq!(normalize("Foo__Bar.baz"), "foo-bar-baz");
    }
}
