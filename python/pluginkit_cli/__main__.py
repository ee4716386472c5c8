"""`python -m pluginkit_cli ARGS`: runs the installed `pluginkit` binary with ARGS and exits with
its exit code (as ruff's `python -m ruff`)."""

from __future__ import annotations

import os
import sys

from pluginkit_cli import find_pluginkit_bin


def _run() -> None:
    pluginkit = find_pluginkit_bin()
    if sys.platform == "win32":
        import subprocess

        # Windows has no exec: run it, and leave with its code, not a traceback, on Ctrl-C.
        try:
            completed = subprocess.run([pluginkit, *sys.argv[1:]])
        except KeyboardInterrupt:
            sys.exit(2)
        sys.exit(completed.returncode)
    else:
        os.execvp(pluginkit, [pluginkit, *sys.argv[1:]])


if __name__ == "__main__":
    _run()
