"""Where pip, uv and pipx put the `pluginkit` binary that the wheel carries as a script.

The places are those ruff's `find_ruff_bin` looks in (python/ruff/_find_ruff.py), for the
same installs: a virtualenv or the system (`sysconfig`'s scripts folder), `pip install --prefix`
(`<prefix>/bin` above `lib/pythonX.Y/site-packages/pluginkit_cli`), `pip install --target`
(`<target>/bin` beside the package) and `pip install --user` (the user scheme's scripts).
"""

from __future__ import annotations

import os
import sys
import sysconfig
from fnmatch import fnmatch


class PluginkitNotFound(FileNotFoundError):
    """The wheel's `pluginkit` binary is in none of the places an installer puts scripts."""


def find_pluginkit_bin() -> str:
    """Return the path of the installed `pluginkit` binary."""
    exe = "pluginkit" + (sysconfig.get_config_var("EXE") or "")
    package = os.path.dirname(os.path.abspath(__file__))
    if sys.platform == "win32":
        above = _join(_strip_tail(package, "Lib/site-packages/pluginkit_cli"), "Scripts")
    else:
        above = _join(_strip_tail(package, "lib/python*/site-packages/pluginkit_cli"), "bin")
    candidates = [
        sysconfig.get_path("scripts"),
        sysconfig.get_path("scripts", vars={"base": sys.base_prefix}),
        above,
        _join(_strip_tail(package, "pluginkit_cli"), "bin"),
        sysconfig.get_path("scripts", scheme=_user_scheme()),
    ]
    looked = []
    for folder in candidates:
        if not folder or folder in looked:
            continue
        looked.append(folder)
        path = os.path.join(folder, exe)
        if os.path.isfile(path):
            return path
    places = "\n".join(f"  {folder}" for folder in looked)
    raise PluginkitNotFound(
        f"the pluginkit binary is in none of these folders:\n{places}\n"
        "reinstall it: pip install --force-reinstall pluginkit-cli"
    )


def _strip_tail(path: str, tail: str) -> str | None:
    """`path` without its last components when they match `tail` (`/`-separated, `*`
    wildcards, compared case-insensitively as Windows paths are), else None."""
    parts = path.split(os.sep)
    wanted = tail.split("/")
    if len(parts) <= len(wanted):
        return None
    ends = zip(reversed(parts), reversed(wanted))
    if not all(fnmatch(part.lower(), pattern.lower()) for part, pattern in ends):
        return None
    return os.sep.join(parts[: -len(wanted)])


def _join(folder: str | None, *parts: str) -> str | None:
    return os.path.join(folder, *parts) if folder else None


def _user_scheme() -> str:
    if sys.version_info >= (3, 10):
        return sysconfig.get_preferred_scheme("user")
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and getattr(sys, "_framework", None):
        return "osx_framework_user"
    return "posix_user"
