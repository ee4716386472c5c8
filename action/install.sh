#!/usr/bin/env bash
# The action's install step: put `pluginkit` on the job's PATH.
#
# Reads only environment variables:
#   INPUT_INSTALL      pip (default): pluginkit-cli from PyPI, into a virtualenv of its own (a
#                      runner's system Python may refuse installs: PEP 668); cargo: build the
#                      action's own checkout; none: pluginkit is on PATH already
#   INPUT_VERSION      the pluginkit-cli version for pip (default the latest)
#   GITHUB_ACTION_PATH the action's checkout (what cargo builds)
#   RUNNER_TEMP        where the virtualenv or the build goes
#   GITHUB_PATH        the file a step adds folders to the next steps' PATH with
set -euo pipefail

temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
case "${INPUT_INSTALL:-pip}" in
  pip)
    python="$(command -v python3 || command -v python || true)"
    if [ -z "$python" ]; then
      echo "::error title=pluginkit could not be installed::no python3 on PATH; add actions/setup-python before this action, or use install: cargo"
      exit 1
    fi
    venv="$temp/pluginkit-venv"
    "$python" -m venv "$venv"
    bin="$venv/bin"
    if [ -d "$venv/Scripts" ]; then
      bin="$venv/Scripts" # Windows
    fi
    spec="pluginkit-cli"
    if [ -n "${INPUT_VERSION:-}" ]; then
      spec="pluginkit-cli==${INPUT_VERSION#v}"
    fi
    "$bin/python" -m pip install --disable-pip-version-check --quiet "$spec"
    ;;
  cargo)
    root="$temp/pluginkit-cargo"
    cargo install --locked --path "${GITHUB_ACTION_PATH:?GitHub Actions sets GITHUB_ACTION_PATH}" --root "$root"
    bin="$root/bin"
    ;;
  none)
    exit 0
    ;;
  *)
    echo "::error title=pluginkit could not be installed::install: '${INPUT_INSTALL}' is none of pip, cargo, none"
    exit 2
    ;;
esac
echo "$bin" >> "${GITHUB_PATH:?GitHub Actions sets GITHUB_PATH}"
echo "pluginkit installed in $bin"
