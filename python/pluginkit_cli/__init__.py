"""The `pluginkit` command, installed from the `pluginkit-cli` wheel.

The wheel holds the compiled binary as a script; this package only finds it, for
`python -m pluginkit_cli` and for programs that want its path.
"""

from __future__ import annotations

from ._find_pluginkit import PluginkitNotFound, find_pluginkit_bin

__all__ = ["PluginkitNotFound", "find_pluginkit_bin"]
