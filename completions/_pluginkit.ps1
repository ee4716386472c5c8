# pluginkit's completions for PowerShell: `pluginkit completions --help` says where this goes.
$env:PLUGINKIT_COMPLETE = "powershell"
pluginkit | Out-String | Invoke-Expression
Remove-Item Env:\PLUGINKIT_COMPLETE
