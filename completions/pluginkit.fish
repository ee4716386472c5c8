# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pluginkit_global_optspecs
    string join \n C/directory= plugins-dir= flavor= q/quiet v/verbose color= y/yes format= h/help V/version
end

function __fish_pluginkit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pluginkit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pluginkit_using_subcommand
    set -l cmd (__fish_pluginkit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pluginkit -n "__fish_pluginkit_needs_command" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_needs_command" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_needs_command" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_needs_command" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_needs_command" -l format -d 'Output format of the command (its help lists them)' -r
complete -c pluginkit -n "__fish_pluginkit_needs_command" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -s V -l version -d 'Print version'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "init" -d 'Write pluginkit.toml for the host in this folder, saying what was detected'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "new" -d 'Scaffold a new plugin from a built-in or custom template'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "validate" -d 'Check plugin folders, a whole plugins folder, or .zip packages'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "list" -d 'List the installed plugins with their version, flavor and effective state'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "info" -d 'Show everything known about one plugin'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "enable" -d 'Enable plugins: remove DISABLED and create ENABLED in their folders'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "disable" -d 'Disable plugins: remove ENABLED and create DISABLED in their folders'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "package" -d 'Build NAME-VERSION.zip from a plugin folder, reproducibly, and print its sha256'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "add" -d 'Install plugins from a registry, git, a ZIP file or URL, or a local folder'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "remove" -d 'Uninstall plugins, keeping a backup'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "restore" -d 'Put back the latest (or a named) backup of a removed or replaced plugin'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "upgrade" -d 'Upgrade plugins to newer versions from their own source'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "outdated" -d 'List plugins that have newer versions at their source'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "search" -d 'Search the configured registries'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "sync" -d 'Make the plugins folder match [plugins] in pluginkit.toml and pluginkit.lock'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "verify" -d 'Compare installed files with what was installed'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "registry" -d 'Manage a static registry folder'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "reload" -d 'Signal the running server to reload, after checking that it is that server'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "status" -d 'Show the server\'s PID, name and uptime, and plugin changes that are not live yet'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "cache" -d 'Show or empty the download cache'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "completions" -d 'Print shell completions (the same files are kept in completions/)'
complete -c pluginkit -n "__fish_pluginkit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand init" -l kind -d 'The host kind, instead of detecting it' -r -f -a "flask-pluginkit\t'A Flask app loading plugins with Flask-PluginKit'
fba\t'FastAPI Best Architecture'
fastcms\t'FastCMS (`pyfastcms`)'
class-based\t'A Flask app built on the class-based Flask-Plugin pattern: its loader imports every top-level `.py` of each plugin folder and calls `Info.classname`\'s `main()`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand init" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand init" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand init" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand init" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand init" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand init" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand init" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand init" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l template -d 'A custom template: a folder, or a git URL, holding template.toml' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l branch -d 'With a git --template: the branch to use' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l tag -d 'With a git --template: the tag to use' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -s o -l output -d 'Where to create the plugin [default: ./NAME]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l level -d 'fba: the plugin level' -r -f -a "app\t''
extend\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l extend -d 'fba, with --level extend: the app the plugin extends' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l description -d 'One line saying what the plugin does' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l author -d 'The author [default: git config user.name and user.email]' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l plugin-version -d 'The first version [default: 0.1.0]' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l license -d 'The license, as an SPDX identifier [default: MIT]' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -s d -l define -d 'Set any template value' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l into-plugins -d 'Create the plugin straight in the host\'s plugins folder'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l no-git -d 'Do not run `git init` in the new plugin'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -l force -d 'Write into a folder that is not empty'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand validate" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'
github\t'GitHub Actions workflow annotations'
sarif\t'SARIF 2.1.0 for code scanning'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand validate" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand validate" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand validate" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand validate" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand validate" -l strict -d 'Fail on warnings too'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand validate" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand validate" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand validate" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -l format -d 'Output format [default: human]' -r -f -a "human\t'A table for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'
csv\t'Comma-separated values with a header row'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -l enabled -d 'Only enabled plugins'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -l disabled -d 'Only disabled plugins'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand info" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand info" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand info" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand info" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand info" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand info" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand info" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand info" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -l timeout -d 'How long --wait waits, in seconds' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -l reload -d 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -l no-reload -d 'Do not signal the server, even with [host] reload = "always"'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -l wait -d 'Reload, then wait until the server has (its workers were all replaced)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -l timeout -d 'How long --wait waits, in seconds' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -l reload -d 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -l no-reload -d 'Do not signal the server, even with [host] reload = "always"'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -l wait -d 'Reload, then wait until the server has (its workers were all replaced)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -s o -l output -d 'Where to write the package: a file, or a folder to put NAME-VERSION.zip in [default: the current folder]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -l source-date-epoch -d 'The time stamp of every entry, in seconds since 1970-01-01 UTC [default: 1980-01-01]' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -l list -d 'Print what would go into the package, and write nothing'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand package" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l tag -d 'git: install this tag' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l branch -d 'git: install the tip of this branch' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l rev -d 'git: install this commit (full or short)' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l subdir -d 'git: the plugin lives in this folder of the repository' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l semver -d 'git with --tag: the SemVer range that `upgrade` may move within' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l sha256 -d 'ZIP URL or file: the expected sha256 of the archive' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l registry -d 'Registry to resolve names in [default: PLUGINKIT_REGISTRY, else the one named default]' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l timeout -d 'How long --wait waits, in seconds' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l link -d 'Local folder: link to it instead of copying (for plugin development)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l force -d 'Replace an installed plugin of the same name, keeping a backup'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l disabled -d 'Install the plugin switched off'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l install-deps -d 'Install the plugin\'s requirements.txt with uv or pip'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l offline -d 'Use only what is cached'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l reload -d 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l no-reload -d 'Do not signal the server, even with [host] reload = "always"'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -l wait -d 'Reload, then wait until the server has (its workers were all replaced)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -l timeout -d 'How long --wait waits, in seconds' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -l no-backup -d 'Delete the plugins instead of keeping a backup in .pluginkit/backups/'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -l force -d 'Remove them even when other installed plugins depend on them'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -l reload -d 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -l no-reload -d 'Do not signal the server, even with [host] reload = "always"'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -l wait -d 'Reload, then wait until the server has (its workers were all replaced)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l backup -d 'The backup to restore [default: the latest]' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l timeout -d 'How long --wait waits, in seconds' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l list -d 'List the plugin\'s backups, and restore nothing'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l force -d 'Replace an installed plugin of that name (it is backed up first)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l reload -d 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l no-reload -d 'Do not signal the server, even with [host] reload = "always"'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -l wait -d 'Reload, then wait until the server has (its workers were all replaced)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -l timeout -d 'How long --wait waits, in seconds' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -l all -d 'Upgrade every plugin installed from git or a registry (the default without NAMEs)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -l dry-run -d 'Show what would change, and change nothing'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -l reload -d 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -l no-reload -d 'Do not signal the server, even with [host] reload = "always"'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -l wait -d 'Reload, then wait until the server has (its workers were all replaced)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand upgrade" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand outdated" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand outdated" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand outdated" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand outdated" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand outdated" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand outdated" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand outdated" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand outdated" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand outdated" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand search" -l registry -d 'Search only this registry' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand search" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand search" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand search" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand search" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand search" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand search" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand search" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand search" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l timeout -d 'How long --wait waits, in seconds' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l locked -d 'Install exactly what pluginkit.lock says, and fail if it would change'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l dry-run -d 'Show what would change, and change nothing'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l prune -d 'Also remove (with a backup) plugins that pluginkit did not install and [plugins] does not list'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l reload -d 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l no-reload -d 'Do not signal the server, even with [host] reload = "always"'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -l wait -d 'Reload, then wait until the server has (its workers were all replaced)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand verify" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand verify" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand verify" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand verify" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand verify" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand verify" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand verify" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand verify" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -f -a "publish" -d 'Add a package to a static registry folder and update its index'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -f -a "yank" -d 'Mark a version yanked: not chosen by new resolutions, still installable when locked'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and not __fish_seen_subcommand_from publish yank help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -l dir -d 'The registry folder' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -l source-date-epoch -d 'The publication time to record, in seconds since 1970-01-01 UTC [default: now]' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from publish" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -l dir -d 'The registry folder' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -l undo -d 'Un-yank the version'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from yank" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from help" -f -a "publish" -d 'Add a package to a static registry folder and update its index'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from help" -f -a "yank" -d 'Mark a version yanked: not chosen by new resolutions, still installable when locked'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand registry; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -l pid -d 'The server\'s process id' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -l pidfile -d 'A file holding the server\'s process id [default: [host] pidfile]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -l process-name -d 'What the process must be called: its name, its title\'s first word or the script it runs [default: [host] process-name, else gunicorn, uwsgi, granian, uvicorn or hypercorn]' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -l signal -d 'The signal to send: HUP, USR1, USR2, TERM, INT, QUIT, WINCH, TTIN or TTOU [default: [host] signal, else HUP]' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -l timeout -d 'How long --wait waits, in seconds' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -l wait -d 'Wait until the server has reloaded: every worker it had was replaced by a new one'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand reload" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -l pid -d 'The server\'s process id' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -l pidfile -d 'A file holding the server\'s process id [default: [host] pidfile]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -l process-name -d 'What the process must be called: its name, its title\'s first word or the script it runs [default: [host] process-name, else gunicorn, uwsgi, granian, uvicorn or hypercorn]' -r
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -f -a "dir" -d 'Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else ~/.cache/pluginkit'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -f -a "clean" -d 'Empty the cache: downloaded packages and registry index files, fetched again when needed'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and not __fish_seen_subcommand_from dir clean help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from dir" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from dir" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from dir" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from dir" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from dir" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from dir" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from dir" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from dir" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from clean" -l format -d 'Output format [default: human]' -r -f -a "human\t'Text for people (also accepted as `table`)'
json\t'JSON, stable and documented in the README'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from clean" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from clean" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from clean" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from clean" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from clean" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from clean" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from clean" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from clean" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "dir" -d 'Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else ~/.cache/pluginkit'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clean" -d 'Empty the cache: downloaded packages and registry index files, fetched again when needed'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand completions" -s C -l directory -d 'Run as if pluginkit was started in DIR' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand completions" -l plugins-dir -d 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]' -r -F
complete -c pluginkit -n "__fish_pluginkit_using_subcommand completions" -l flavor -d 'Check plugins against this flavor\'s rules instead of detecting it per plugin' -r -f -a "flask-pluginkit\t'Flask apps using Flask-PluginKit: dunder metadata in `__init__.py`'
fba\t'FastAPI Best Architecture: `plugin.toml` with `[plugin]`, `[app]`, `[api.*]`'
fastcms\t'FastCMS: a `PLUGIN_META` dict in `__init__.py`'
class-based\t'The class-based Flask-Plugin pattern: `Name/Name.py` with a `class Info`'
crate\t'Rust plugin crates: `Cargo.toml` with `[package.metadata.pluginkit]`'
pluginkit\t'pluginkit\'s native `plugin.toml`'"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand completions" -l color -d 'When to use colours (NO_COLOR turns them off for `auto`)' -r -f -a "auto\t'Colour on a terminal, unless NO_COLOR is set'
always\t''
never\t''"
complete -c pluginkit -n "__fish_pluginkit_using_subcommand completions" -s q -l quiet -d 'Print only results and errors'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand completions" -s v -l verbose -d 'Explain what is being done'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand completions" -s y -l yes -d 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "init" -d 'Write pluginkit.toml for the host in this folder, saying what was detected'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "new" -d 'Scaffold a new plugin from a built-in or custom template'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "validate" -d 'Check plugin folders, a whole plugins folder, or .zip packages'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "list" -d 'List the installed plugins with their version, flavor and effective state'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "info" -d 'Show everything known about one plugin'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "enable" -d 'Enable plugins: remove DISABLED and create ENABLED in their folders'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "disable" -d 'Disable plugins: remove ENABLED and create DISABLED in their folders'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "package" -d 'Build NAME-VERSION.zip from a plugin folder, reproducibly, and print its sha256'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "add" -d 'Install plugins from a registry, git, a ZIP file or URL, or a local folder'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "remove" -d 'Uninstall plugins, keeping a backup'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "restore" -d 'Put back the latest (or a named) backup of a removed or replaced plugin'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "upgrade" -d 'Upgrade plugins to newer versions from their own source'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "outdated" -d 'List plugins that have newer versions at their source'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "search" -d 'Search the configured registries'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "sync" -d 'Make the plugins folder match [plugins] in pluginkit.toml and pluginkit.lock'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "verify" -d 'Compare installed files with what was installed'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "registry" -d 'Manage a static registry folder'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "reload" -d 'Signal the running server to reload, after checking that it is that server'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "status" -d 'Show the server\'s PID, name and uptime, and plugin changes that are not live yet'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "cache" -d 'Show or empty the download cache'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "completions" -d 'Print shell completions (the same files are kept in completions/)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and not __fish_seen_subcommand_from init new validate list info enable disable package add remove restore upgrade outdated search sync verify registry reload status cache completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and __fish_seen_subcommand_from registry" -f -a "publish" -d 'Add a package to a static registry folder and update its index'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and __fish_seen_subcommand_from registry" -f -a "yank" -d 'Mark a version yanked: not chosen by new resolutions, still installable when locked'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "dir" -d 'Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else ~/.cache/pluginkit'
complete -c pluginkit -n "__fish_pluginkit_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clean" -d 'Empty the cache: downloaded packages and registry index files, fetched again when needed'
