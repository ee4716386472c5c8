# pluginkit's completions for bash: `pluginkit completions --help` says where this goes.
if command -v pluginkit >/dev/null 2>&1; then
    eval "$(PLUGINKIT_COMPLETE=bash pluginkit)"
fi
