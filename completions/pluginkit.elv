
use builtin;
use str;

set edit:completion:arg-completer[pluginkit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pluginkit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pluginkit'= {
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --format 'Output format of the command (its help lists them)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Write pluginkit.toml for the host in this folder, saying what was detected'
            cand new 'Scaffold a new plugin from a built-in or custom template'
            cand validate 'Check plugin folders, a whole plugins folder, or .zip packages'
            cand list 'List the installed plugins with their version, flavor and effective state'
            cand info 'Show everything known about one plugin'
            cand enable 'Enable plugins: remove DISABLED and create ENABLED in their folders'
            cand disable 'Disable plugins: remove ENABLED and create DISABLED in their folders'
            cand package 'Build NAME-VERSION.zip from a plugin folder, reproducibly, and print its sha256'
            cand add 'Install plugins from a registry, git, a ZIP file or URL, or a local folder'
            cand remove 'Uninstall plugins, keeping a backup'
            cand restore 'Put back the latest (or a named) backup of a removed or replaced plugin'
            cand upgrade 'Upgrade plugins to newer versions from their own source'
            cand outdated 'List plugins that have newer versions at their source'
            cand search 'Search the configured registries'
            cand sync 'Make the plugins folder match [plugins] in pluginkit.toml and pluginkit.lock'
            cand verify 'Compare installed files with what was installed'
            cand registry 'Manage a static registry folder'
            cand reload 'Signal the running server to reload, after checking that it is that server'
            cand status 'Show the server''s PID, name and uptime, and plugin changes that are not live yet'
            cand cache 'Show or empty the download cache'
            cand completions 'Print shell completions (the same files are kept in completions/)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pluginkit;init'= {
            cand --kind 'The host kind, instead of detecting it'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;new'= {
            cand --template 'A custom template: a folder, or a git URL, holding template.toml'
            cand --branch 'With a git --template: the branch to use'
            cand --tag 'With a git --template: the tag to use'
            cand -o 'Where to create the plugin [default: ./NAME]'
            cand --output 'Where to create the plugin [default: ./NAME]'
            cand --level 'fba: the plugin level'
            cand --extend 'fba, with --level extend: the app the plugin extends'
            cand --description 'One line saying what the plugin does'
            cand --author 'The author [default: git config user.name and user.email]'
            cand --plugin-version 'The first version [default: 0.1.0]'
            cand --license 'The license, as an SPDX identifier [default: MIT]'
            cand -d 'Set any template value'
            cand --define 'Set any template value'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --into-plugins 'Create the plugin straight in the host''s plugins folder'
            cand --no-git 'Do not run `git init` in the new plugin'
            cand --force 'Write into a folder that is not empty'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;validate'= {
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --strict 'Fail on warnings too'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;list'= {
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --enabled 'Only enabled plugins'
            cand --disabled 'Only disabled plugins'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;info'= {
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;enable'= {
            cand --timeout 'How long --wait waits, in seconds'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --reload 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
            cand --no-reload 'Do not signal the server, even with [host] reload = "always"'
            cand --wait 'Reload, then wait until the server has (its workers were all replaced)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;disable'= {
            cand --timeout 'How long --wait waits, in seconds'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --reload 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
            cand --no-reload 'Do not signal the server, even with [host] reload = "always"'
            cand --wait 'Reload, then wait until the server has (its workers were all replaced)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;package'= {
            cand -o 'Where to write the package: a file, or a folder to put NAME-VERSION.zip in [default: the current folder]'
            cand --output 'Where to write the package: a file, or a folder to put NAME-VERSION.zip in [default: the current folder]'
            cand --source-date-epoch 'The time stamp of every entry, in seconds since 1970-01-01 UTC [default: 1980-01-01]'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --list 'Print what would go into the package, and write nothing'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;add'= {
            cand --tag 'git: install this tag'
            cand --branch 'git: install the tip of this branch'
            cand --rev 'git: install this commit (full or short)'
            cand --subdir 'git: the plugin lives in this folder of the repository'
            cand --semver 'git with --tag: the SemVer range that `upgrade` may move within'
            cand --sha256 'ZIP URL or file: the expected sha256 of the archive'
            cand --registry 'Registry to resolve names in [default: PLUGINKIT_REGISTRY, else the one named default]'
            cand --timeout 'How long --wait waits, in seconds'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --link 'Local folder: link to it instead of copying (for plugin development)'
            cand --force 'Replace an installed plugin of the same name, keeping a backup'
            cand --disabled 'Install the plugin switched off'
            cand --install-deps 'Install the plugin''s requirements.txt with uv or pip'
            cand --offline 'Use only what is cached'
            cand --reload 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
            cand --no-reload 'Do not signal the server, even with [host] reload = "always"'
            cand --wait 'Reload, then wait until the server has (its workers were all replaced)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;remove'= {
            cand --timeout 'How long --wait waits, in seconds'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --no-backup 'Delete the plugins instead of keeping a backup in .pluginkit/backups/'
            cand --force 'Remove them even when other installed plugins depend on them'
            cand --reload 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
            cand --no-reload 'Do not signal the server, even with [host] reload = "always"'
            cand --wait 'Reload, then wait until the server has (its workers were all replaced)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;restore'= {
            cand --backup 'The backup to restore [default: the latest]'
            cand --timeout 'How long --wait waits, in seconds'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --list 'List the plugin''s backups, and restore nothing'
            cand --force 'Replace an installed plugin of that name (it is backed up first)'
            cand --reload 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
            cand --no-reload 'Do not signal the server, even with [host] reload = "always"'
            cand --wait 'Reload, then wait until the server has (its workers were all replaced)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;upgrade'= {
            cand --timeout 'How long --wait waits, in seconds'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --all 'Upgrade every plugin installed from git or a registry (the default without NAMEs)'
            cand --dry-run 'Show what would change, and change nothing'
            cand --reload 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
            cand --no-reload 'Do not signal the server, even with [host] reload = "always"'
            cand --wait 'Reload, then wait until the server has (its workers were all replaced)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;outdated'= {
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;search'= {
            cand --registry 'Search only this registry'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;sync'= {
            cand --timeout 'How long --wait waits, in seconds'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --locked 'Install exactly what pluginkit.lock says, and fail if it would change'
            cand --dry-run 'Show what would change, and change nothing'
            cand --prune 'Also remove (with a backup) plugins that pluginkit did not install and [plugins] does not list'
            cand --reload 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)'
            cand --no-reload 'Do not signal the server, even with [host] reload = "always"'
            cand --wait 'Reload, then wait until the server has (its workers were all replaced)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;verify'= {
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;registry'= {
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand publish 'Add a package to a static registry folder and update its index'
            cand yank 'Mark a version yanked: not chosen by new resolutions, still installable when locked'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pluginkit;registry;publish'= {
            cand --dir 'The registry folder'
            cand --source-date-epoch 'The publication time to record, in seconds since 1970-01-01 UTC [default: now]'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;registry;yank'= {
            cand --dir 'The registry folder'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --undo 'Un-yank the version'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;registry;help'= {
            cand publish 'Add a package to a static registry folder and update its index'
            cand yank 'Mark a version yanked: not chosen by new resolutions, still installable when locked'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pluginkit;registry;help;publish'= {
        }
        &'pluginkit;registry;help;yank'= {
        }
        &'pluginkit;registry;help;help'= {
        }
        &'pluginkit;reload'= {
            cand --pid 'The server''s process id'
            cand --pidfile 'A file holding the server''s process id [default: [host] pidfile]'
            cand --process-name 'What the process must be called: its name, its title''s first word or the script it runs [default: [host] process-name, else gunicorn, uwsgi, granian, uvicorn or hypercorn]'
            cand --signal 'The signal to send: HUP, USR1, USR2, TERM, INT, QUIT, WINCH, TTIN or TTOU [default: [host] signal, else HUP]'
            cand --timeout 'How long --wait waits, in seconds'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand --wait 'Wait until the server has reloaded: every worker it had was replaced by a new one'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;status'= {
            cand --pid 'The server''s process id'
            cand --pidfile 'A file holding the server''s process id [default: [host] pidfile]'
            cand --process-name 'What the process must be called: its name, its title''s first word or the script it runs [default: [host] process-name, else gunicorn, uwsgi, granian, uvicorn or hypercorn]'
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;cache'= {
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand dir 'Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else ~/.cache/pluginkit'
            cand clean 'Empty the cache: downloaded packages and registry index files, fetched again when needed'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pluginkit;cache;dir'= {
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;cache;clean'= {
            cand --format 'Output format [default: human]'
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;cache;help'= {
            cand dir 'Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else ~/.cache/pluginkit'
            cand clean 'Empty the cache: downloaded packages and registry index files, fetched again when needed'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pluginkit;cache;help;dir'= {
        }
        &'pluginkit;cache;help;clean'= {
        }
        &'pluginkit;cache;help;help'= {
        }
        &'pluginkit;completions'= {
            cand -C 'Run as if pluginkit was started in DIR'
            cand --directory 'Run as if pluginkit was started in DIR'
            cand --plugins-dir 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]'
            cand --flavor 'Check plugins against this flavor''s rules instead of detecting it per plugin'
            cand --color 'When to use colours (NO_COLOR turns them off for `auto`)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand -v 'Explain what is being done'
            cand --verbose 'Explain what is being done'
            cand -y 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand --yes 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'pluginkit;help'= {
            cand init 'Write pluginkit.toml for the host in this folder, saying what was detected'
            cand new 'Scaffold a new plugin from a built-in or custom template'
            cand validate 'Check plugin folders, a whole plugins folder, or .zip packages'
            cand list 'List the installed plugins with their version, flavor and effective state'
            cand info 'Show everything known about one plugin'
            cand enable 'Enable plugins: remove DISABLED and create ENABLED in their folders'
            cand disable 'Disable plugins: remove ENABLED and create DISABLED in their folders'
            cand package 'Build NAME-VERSION.zip from a plugin folder, reproducibly, and print its sha256'
            cand add 'Install plugins from a registry, git, a ZIP file or URL, or a local folder'
            cand remove 'Uninstall plugins, keeping a backup'
            cand restore 'Put back the latest (or a named) backup of a removed or replaced plugin'
            cand upgrade 'Upgrade plugins to newer versions from their own source'
            cand outdated 'List plugins that have newer versions at their source'
            cand search 'Search the configured registries'
            cand sync 'Make the plugins folder match [plugins] in pluginkit.toml and pluginkit.lock'
            cand verify 'Compare installed files with what was installed'
            cand registry 'Manage a static registry folder'
            cand reload 'Signal the running server to reload, after checking that it is that server'
            cand status 'Show the server''s PID, name and uptime, and plugin changes that are not live yet'
            cand cache 'Show or empty the download cache'
            cand completions 'Print shell completions (the same files are kept in completions/)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pluginkit;help;init'= {
        }
        &'pluginkit;help;new'= {
        }
        &'pluginkit;help;validate'= {
        }
        &'pluginkit;help;list'= {
        }
        &'pluginkit;help;info'= {
        }
        &'pluginkit;help;enable'= {
        }
        &'pluginkit;help;disable'= {
        }
        &'pluginkit;help;package'= {
        }
        &'pluginkit;help;add'= {
        }
        &'pluginkit;help;remove'= {
        }
        &'pluginkit;help;restore'= {
        }
        &'pluginkit;help;upgrade'= {
        }
        &'pluginkit;help;outdated'= {
        }
        &'pluginkit;help;search'= {
        }
        &'pluginkit;help;sync'= {
        }
        &'pluginkit;help;verify'= {
        }
        &'pluginkit;help;registry'= {
            cand publish 'Add a package to a static registry folder and update its index'
            cand yank 'Mark a version yanked: not chosen by new resolutions, still installable when locked'
        }
        &'pluginkit;help;registry;publish'= {
        }
        &'pluginkit;help;registry;yank'= {
        }
        &'pluginkit;help;reload'= {
        }
        &'pluginkit;help;status'= {
        }
        &'pluginkit;help;cache'= {
            cand dir 'Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else ~/.cache/pluginkit'
            cand clean 'Empty the cache: downloaded packages and registry index files, fetched again when needed'
        }
        &'pluginkit;help;cache;dir'= {
        }
        &'pluginkit;help;cache;clean'= {
        }
        &'pluginkit;help;completions'= {
        }
        &'pluginkit;help;help'= {
        }
    ]
    $completions[$command]
}
