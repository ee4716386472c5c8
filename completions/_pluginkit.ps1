
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pluginkit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pluginkit'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pluginkit' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the command (its help lists them)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write pluginkit.toml for the host in this folder, saying what was detected')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Scaffold a new plugin from a built-in or custom template')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check plugin folders, a whole plugins folder, or .zip packages')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the installed plugins with their version, flavor and effective state')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show everything known about one plugin')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable plugins: remove DISABLED and create ENABLED in their folders')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable plugins: remove ENABLED and create DISABLED in their folders')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Build NAME-VERSION.zip from a plugin folder, reproducibly, and print its sha256')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Install plugins from a registry, git, a ZIP file or URL, or a local folder')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Uninstall plugins, keeping a backup')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Put back the latest (or a named) backup of a removed or replaced plugin')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Upgrade plugins to newer versions from their own source')
            [CompletionResult]::new('outdated', 'outdated', [CompletionResultType]::ParameterValue, 'List plugins that have newer versions at their source')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search the configured registries')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make the plugins folder match [plugins] in pluginkit.toml and pluginkit.lock')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Compare installed files with what was installed')
            [CompletionResult]::new('registry', 'registry', [CompletionResultType]::ParameterValue, 'Manage a static registry folder')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'Signal the running server to reload, after checking that it is that server')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the server''s PID, name and uptime, and plugin changes that are not live yet')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show or empty the download cache')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (the same files are kept in completions/)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pluginkit;init' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'The host kind, instead of detecting it')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;new' {
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'A custom template: a folder, or a git URL, holding template.toml')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'With a git --template: the branch to use')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'With a git --template: the tag to use')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to create the plugin [default: ./NAME]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to create the plugin [default: ./NAME]')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'fba: the plugin level')
            [CompletionResult]::new('--extend', '--extend', [CompletionResultType]::ParameterName, 'fba, with --level extend: the app the plugin extends')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'One line saying what the plugin does')
            [CompletionResult]::new('--author', '--author', [CompletionResultType]::ParameterName, 'The author [default: git config user.name and user.email]')
            [CompletionResult]::new('--plugin-version', '--plugin-version', [CompletionResultType]::ParameterName, 'The first version [default: 0.1.0]')
            [CompletionResult]::new('--license', '--license', [CompletionResultType]::ParameterName, 'The license, as an SPDX identifier [default: MIT]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Set any template value')
            [CompletionResult]::new('--define', '--define', [CompletionResultType]::ParameterName, 'Set any template value')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--into-plugins', '--into-plugins', [CompletionResultType]::ParameterName, 'Create the plugin straight in the host''s plugins folder')
            [CompletionResult]::new('--no-git', '--no-git', [CompletionResultType]::ParameterName, 'Do not run `git init` in the new plugin')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write into a folder that is not empty')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;validate' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail on warnings too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--enabled', '--enabled', [CompletionResultType]::ParameterName, 'Only enabled plugins')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Only disabled plugins')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;info' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;enable' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--reload', '--reload', [CompletionResultType]::ParameterName, 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)')
            [CompletionResult]::new('--no-reload', '--no-reload', [CompletionResultType]::ParameterName, 'Do not signal the server, even with [host] reload = "always"')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Reload, then wait until the server has (its workers were all replaced)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;disable' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--reload', '--reload', [CompletionResultType]::ParameterName, 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)')
            [CompletionResult]::new('--no-reload', '--no-reload', [CompletionResultType]::ParameterName, 'Do not signal the server, even with [host] reload = "always"')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Reload, then wait until the server has (its workers were all replaced)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;package' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the package: a file, or a folder to put NAME-VERSION.zip in [default: the current folder]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the package: a file, or a folder to put NAME-VERSION.zip in [default: the current folder]')
            [CompletionResult]::new('--source-date-epoch', '--source-date-epoch', [CompletionResultType]::ParameterName, 'The time stamp of every entry, in seconds since 1970-01-01 UTC [default: 1980-01-01]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Print what would go into the package, and write nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;add' {
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'git: install this tag')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'git: install the tip of this branch')
            [CompletionResult]::new('--rev', '--rev', [CompletionResultType]::ParameterName, 'git: install this commit (full or short)')
            [CompletionResult]::new('--subdir', '--subdir', [CompletionResultType]::ParameterName, 'git: the plugin lives in this folder of the repository')
            [CompletionResult]::new('--semver', '--semver', [CompletionResultType]::ParameterName, 'git with --tag: the SemVer range that `upgrade` may move within')
            [CompletionResult]::new('--sha256', '--sha256', [CompletionResultType]::ParameterName, 'ZIP URL or file: the expected sha256 of the archive')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Registry to resolve names in [default: PLUGINKIT_REGISTRY, else the one named default]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--link', '--link', [CompletionResultType]::ParameterName, 'Local folder: link to it instead of copying (for plugin development)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an installed plugin of the same name, keeping a backup')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Install the plugin switched off')
            [CompletionResult]::new('--install-deps', '--install-deps', [CompletionResultType]::ParameterName, 'Install the plugin''s requirements.txt with uv or pip')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only what is cached')
            [CompletionResult]::new('--reload', '--reload', [CompletionResultType]::ParameterName, 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)')
            [CompletionResult]::new('--no-reload', '--no-reload', [CompletionResultType]::ParameterName, 'Do not signal the server, even with [host] reload = "always"')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Reload, then wait until the server has (its workers were all replaced)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;remove' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--no-backup', '--no-backup', [CompletionResultType]::ParameterName, 'Delete the plugins instead of keeping a backup in .pluginkit/backups/')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove them even when other installed plugins depend on them')
            [CompletionResult]::new('--reload', '--reload', [CompletionResultType]::ParameterName, 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)')
            [CompletionResult]::new('--no-reload', '--no-reload', [CompletionResultType]::ParameterName, 'Do not signal the server, even with [host] reload = "always"')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Reload, then wait until the server has (its workers were all replaced)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;restore' {
            [CompletionResult]::new('--backup', '--backup', [CompletionResultType]::ParameterName, 'The backup to restore [default: the latest]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the plugin''s backups, and restore nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an installed plugin of that name (it is backed up first)')
            [CompletionResult]::new('--reload', '--reload', [CompletionResultType]::ParameterName, 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)')
            [CompletionResult]::new('--no-reload', '--no-reload', [CompletionResultType]::ParameterName, 'Do not signal the server, even with [host] reload = "always"')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Reload, then wait until the server has (its workers were all replaced)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;upgrade' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Upgrade every plugin installed from git or a registry (the default without NAMEs)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, and change nothing')
            [CompletionResult]::new('--reload', '--reload', [CompletionResultType]::ParameterName, 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)')
            [CompletionResult]::new('--no-reload', '--no-reload', [CompletionResultType]::ParameterName, 'Do not signal the server, even with [host] reload = "always"')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Reload, then wait until the server has (its workers were all replaced)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;outdated' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;search' {
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Search only this registry')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;sync' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Install exactly what pluginkit.lock says, and fail if it would change')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, and change nothing')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also remove (with a backup) plugins that pluginkit did not install and [plugins] does not list')
            [CompletionResult]::new('--reload', '--reload', [CompletionResultType]::ParameterName, 'After the change succeeded, signal the server named by [host] pidfile to reload ([host] reload = "always" makes this the default)')
            [CompletionResult]::new('--no-reload', '--no-reload', [CompletionResultType]::ParameterName, 'Do not signal the server, even with [host] reload = "always"')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Reload, then wait until the server has (its workers were all replaced)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;verify' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;registry' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Add a package to a static registry folder and update its index')
            [CompletionResult]::new('yank', 'yank', [CompletionResultType]::ParameterValue, 'Mark a version yanked: not chosen by new resolutions, still installable when locked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pluginkit;registry;publish' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The registry folder')
            [CompletionResult]::new('--source-date-epoch', '--source-date-epoch', [CompletionResultType]::ParameterName, 'The publication time to record, in seconds since 1970-01-01 UTC [default: now]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;registry;yank' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The registry folder')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--undo', '--undo', [CompletionResultType]::ParameterName, 'Un-yank the version')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;registry;help' {
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Add a package to a static registry folder and update its index')
            [CompletionResult]::new('yank', 'yank', [CompletionResultType]::ParameterValue, 'Mark a version yanked: not chosen by new resolutions, still installable when locked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pluginkit;registry;help;publish' {
            break
        }
        'pluginkit;registry;help;yank' {
            break
        }
        'pluginkit;registry;help;help' {
            break
        }
        'pluginkit;reload' {
            [CompletionResult]::new('--pid', '--pid', [CompletionResultType]::ParameterName, 'The server''s process id')
            [CompletionResult]::new('--pidfile', '--pidfile', [CompletionResultType]::ParameterName, 'A file holding the server''s process id [default: [host] pidfile]')
            [CompletionResult]::new('--process-name', '--process-name', [CompletionResultType]::ParameterName, 'What the process must be called: its name, its title''s first word or the script it runs [default: [host] process-name, else gunicorn, uwsgi, granian, uvicorn or hypercorn]')
            [CompletionResult]::new('--signal', '--signal', [CompletionResultType]::ParameterName, 'The signal to send: HUP, USR1, USR2, TERM, INT, QUIT, WINCH, TTIN or TTOU [default: [host] signal, else HUP]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, in seconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the server has reloaded: every worker it had was replaced by a new one')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;status' {
            [CompletionResult]::new('--pid', '--pid', [CompletionResultType]::ParameterName, 'The server''s process id')
            [CompletionResult]::new('--pidfile', '--pidfile', [CompletionResultType]::ParameterName, 'A file holding the server''s process id [default: [host] pidfile]')
            [CompletionResult]::new('--process-name', '--process-name', [CompletionResultType]::ParameterName, 'What the process must be called: its name, its title''s first word or the script it runs [default: [host] process-name, else gunicorn, uwsgi, granian, uvicorn or hypercorn]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;cache' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('dir', 'dir', [CompletionResultType]::ParameterValue, 'Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else ~/.cache/pluginkit')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Empty the cache: downloaded packages and registry index files, fetched again when needed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pluginkit;cache;dir' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;cache;clean' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: human]')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;cache;help' {
            [CompletionResult]::new('dir', 'dir', [CompletionResultType]::ParameterValue, 'Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else ~/.cache/pluginkit')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Empty the cache: downloaded packages and registry index files, fetched again when needed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pluginkit;cache;help;dir' {
            break
        }
        'pluginkit;cache;help;clean' {
            break
        }
        'pluginkit;cache;help;help' {
            break
        }
        'pluginkit;completions' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if pluginkit was started in DIR')
            [CompletionResult]::new('--plugins-dir', '--plugins-dir', [CompletionResultType]::ParameterName, 'The plugins folder [default: [host] plugins-dir in pluginkit.toml, else plugins/]')
            [CompletionResult]::new('--flavor', '--flavor', [CompletionResultType]::ParameterName, 'Check plugins against this flavor''s rules instead of detecting it per plugin')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for `auto`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Never prompt: take defaults and proceed (implied without a terminal or with CI set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'pluginkit;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write pluginkit.toml for the host in this folder, saying what was detected')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Scaffold a new plugin from a built-in or custom template')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check plugin folders, a whole plugins folder, or .zip packages')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the installed plugins with their version, flavor and effective state')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show everything known about one plugin')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable plugins: remove DISABLED and create ENABLED in their folders')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable plugins: remove ENABLED and create DISABLED in their folders')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Build NAME-VERSION.zip from a plugin folder, reproducibly, and print its sha256')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Install plugins from a registry, git, a ZIP file or URL, or a local folder')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Uninstall plugins, keeping a backup')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Put back the latest (or a named) backup of a removed or replaced plugin')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Upgrade plugins to newer versions from their own source')
            [CompletionResult]::new('outdated', 'outdated', [CompletionResultType]::ParameterValue, 'List plugins that have newer versions at their source')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search the configured registries')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make the plugins folder match [plugins] in pluginkit.toml and pluginkit.lock')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Compare installed files with what was installed')
            [CompletionResult]::new('registry', 'registry', [CompletionResultType]::ParameterValue, 'Manage a static registry folder')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'Signal the running server to reload, after checking that it is that server')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the server''s PID, name and uptime, and plugin changes that are not live yet')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show or empty the download cache')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (the same files are kept in completions/)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pluginkit;help;init' {
            break
        }
        'pluginkit;help;new' {
            break
        }
        'pluginkit;help;validate' {
            break
        }
        'pluginkit;help;list' {
            break
        }
        'pluginkit;help;info' {
            break
        }
        'pluginkit;help;enable' {
            break
        }
        'pluginkit;help;disable' {
            break
        }
        'pluginkit;help;package' {
            break
        }
        'pluginkit;help;add' {
            break
        }
        'pluginkit;help;remove' {
            break
        }
        'pluginkit;help;restore' {
            break
        }
        'pluginkit;help;upgrade' {
            break
        }
        'pluginkit;help;outdated' {
            break
        }
        'pluginkit;help;search' {
            break
        }
        'pluginkit;help;sync' {
            break
        }
        'pluginkit;help;verify' {
            break
        }
        'pluginkit;help;registry' {
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Add a package to a static registry folder and update its index')
            [CompletionResult]::new('yank', 'yank', [CompletionResultType]::ParameterValue, 'Mark a version yanked: not chosen by new resolutions, still installable when locked')
            break
        }
        'pluginkit;help;registry;publish' {
            break
        }
        'pluginkit;help;registry;yank' {
            break
        }
        'pluginkit;help;reload' {
            break
        }
        'pluginkit;help;status' {
            break
        }
        'pluginkit;help;cache' {
            [CompletionResult]::new('dir', 'dir', [CompletionResultType]::ParameterValue, 'Print the cache folder: $PLUGINKIT_CACHE_DIR, else $XDG_CACHE_HOME/pluginkit, else ~/.cache/pluginkit')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Empty the cache: downloaded packages and registry index files, fetched again when needed')
            break
        }
        'pluginkit;help;cache;dir' {
            break
        }
        'pluginkit;help;cache;clean' {
            break
        }
        'pluginkit;help;completions' {
            break
        }
        'pluginkit;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
