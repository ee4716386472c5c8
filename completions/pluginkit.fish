# pluginkit's completions for fish: `pluginkit completions --help` says where this goes.
PLUGINKIT_COMPLETE=fish pluginkit | source
