//! Checks across the plugins of one plugins folder: names used twice, and dependencies
//! (`[dependencies]`, FBA's `depends_on`) that are missing, circular or of the wrong version.

use std::collections::HashMap;

use rayon::slice::ParallelSliceMut;
use semver::Version;

use crate::findings::Finding;
use crate::findings::rules;
use crate::plugin::Plugin;

/// Findings about how the plugins fit together.
pub(crate) fn check(plugins: &[&Plugin]) -> Vec<Finding> {
    let mut findings = Vec::new();

    // By name, in one sorted list (a plugins folder may hold 10,000 plugins: one allocation
    // rather than a map node and a list per name); a stable sort keeps each name's plugins in
    // folder order (on every core).
    let mut sorted: Vec<&Plugin> = plugins.to_vec();
    sorted.par_sort_by(|a, b| a.name().cmp(b.name()));
    let by_name: Vec<(&str, &[&Plugin])> = sorted
        .chunk_by(|a, b| a.name() == b.name())
        .map(|holders| (holders[0].name(), holders))
        .collect();
    let named = |name: &str| {
        by_name
            .binary_search_by(|(held, _)| (*held).cmp(name))
            .ok()
            .map(|i| by_name[i].1)
    };
    for &(name, holders) in &by_name {
        if holders.len() > 1 {
            let folders: Vec<&str> = holders.iter().map(|p| p.path.as_str()).collect();
            for plugin in holders {
                findings.push(
                    Finding::new(
                        &rules::DUPLICATE_PLUGIN,
                        format!(
                            "plugin name `{name}` is used by {} folders: {}",
                            holders.len(),
                            folders.join(", ")
                        ),
                    )
                    .help("each plugin needs its own name: rename or remove all but one")
                    .at(plugin.manifest_location())
                    .plugin(&plugin.folder),
                );
            }
        }
    }

    for plugin in plugins {
        for dep in &plugin.metadata.dependencies {
            let location = dep
                .location
                .clone()
                .unwrap_or_else(|| plugin.manifest_location());
            let Some(target) = named(&dep.name).and_then(|v| v.first()) else {
                let names = by_name.iter().map(|(name, _)| *name);
                let help = match crate::util::suggest::closest(&dep.name, names) {
                    Some(close) => format!(
                        "did you mean `{close}`? Otherwise install `{}` first",
                        dep.name
                    ),
                    None => format!(
                        "install `{}` into the plugins folder, or remove the dependency",
                        dep.name
                    ),
                };
                findings.push(
                    Finding::new(
                        &rules::MISSING_DEPENDENCY,
                        format!(
                            "`{}` depends on `{}`, which is not installed",
                            plugin.name(),
                            dep.name
                        ),
                    )
                    .help(help)
                    .at(location)
                    .plugin(&plugin.folder),
                );
                continue;
            };
            let (Some(req), Some(version)) = (&dep.requirement, target.metadata.version.as_deref())
            else {
                continue;
            };
            if let Ok(version) = Version::parse(version)
                && !req.matches(&version)
            {
                findings.push(
                    Finding::new(
                        &rules::DEPENDENCY_VERSION,
                        format!(
                            "`{}` requires `{}` {req}, but {version} is installed",
                            plugin.name(),
                            dep.name
                        ),
                    )
                    .help(format!(
                        "install a version of `{}` that matches {req}, or relax the requirement",
                        dep.name
                    ))
                    .at(location)
                    .plugin(&plugin.folder),
                );
            }
        }
    }

    findings.extend(cycles(plugins));
    findings
}

/// One finding per dependency cycle, on the plugin of the cycle that sorts first.
fn cycles(plugins: &[&Plugin]) -> Vec<Finding> {
    if plugins.iter().all(|p| p.metadata.dependencies.is_empty()) {
        return Vec::new();
    }
    let index: HashMap<&str, usize> = plugins
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name(), i))
        .collect();
    let edges: Vec<Vec<usize>> = plugins
        .iter()
        .map(|p| {
            let mut next: Vec<usize> = p
                .metadata
                .dependencies
                .iter()
                .filter_map(|d| index.get(d.name.as_str()).copied())
                .collect();
            next.sort_unstable();
            next.dedup();
            next
        })
        .collect();

    // Iterative depth-first search; 0 = unvisited, 1 = on the stack, 2 = done.
    let mut mark = vec![0u8; plugins.len()];
    let mut findings = Vec::new();
    let mut order: Vec<usize> = (0..plugins.len()).collect();
    order.sort_by_key(|&i| plugins[i].name());
    for start in order {
        if mark[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = 1;
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(&child) = edges[node].get(*next) {
                *next += 1;
                match mark[child] {
                    0 => {
                        mark[child] = 1;
                        stack.push((child, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|(n, _)| *n == child).unwrap_or(0);
                        let members: Vec<usize> = stack[from..].iter().map(|(n, _)| *n).collect();
                        findings.push(cycle_finding(plugins, &members));
                    }
                    _ => {}
                }
            } else {
                mark[node] = 2;
                stack.pop();
            }
        }
    }
    findings
}

fn cycle_finding(plugins: &[&Plugin], members: &[usize]) -> Finding {
    let first = members
        .iter()
        .copied()
        .min_by_key(|&i| plugins[i].name())
        .unwrap_or(members[0]);
    let at = members.iter().position(|&m| m == first).unwrap_or(0);
    let mut path: Vec<&str> = members[at..]
        .iter()
        .chain(&members[..at])
        .map(|&i| plugins[i].name())
        .collect();
    path.push(plugins[first].name());
    let plugin = plugins[first];
    let next = path.get(1).copied().unwrap_or_default();
    let location = plugin
        .metadata
        .dependencies
        .iter()
        .find(|d| d.name == next)
        .and_then(|d| d.location.clone())
        .unwrap_or_else(|| plugin.manifest_location());
    Finding::new(
        &rules::DEPENDENCY_CYCLE,
        format!("dependency cycle: {}", path.join(" -> ")),
    )
    .help("plugins cannot depend on each other in a circle: remove one of these dependencies")
    .at(location)
    .plugin(&plugin.folder)
}
