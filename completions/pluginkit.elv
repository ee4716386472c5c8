# pluginkit's completions for elvish: `pluginkit completions --help` says where this goes.
eval (E:PLUGINKIT_COMPLETE=elvish pluginkit | slurp)
