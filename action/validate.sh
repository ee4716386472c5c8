#!/usr/bin/env bash
# The action's validate steps: `pluginkit validate` in the working folder, as GitHub annotations
# (FORMAT=github) or as a SARIF file for code scanning (FORMAT=sarif). pluginkit makes the paths
# relative to GITHUB_WORKSPACE itself, so annotations attach to the files from any
# working-directory.
#
# Reads only environment variables:
#   FORMAT                github or sarif
#   INPUT_ARGS            more arguments for validate, split at spaces
#   INPUT_STRICT          true: warnings fail too
#   INPUT_EXPECT_VERSION  the version every plugin must have (a leading v allowed); empty: the
#                         pushed tag when the run is for one (GITHUB_REF_TYPE=tag,
#                         GITHUB_REF_NAME); none: no version check
#   INPUT_SARIF           (FORMAT=sarif) the file to write, relative to GITHUB_WORKSPACE
set -euo pipefail

args=(validate --format "${FORMAT:-github}")
if [ "${INPUT_STRICT:-false}" = true ]; then
  args+=(--strict)
fi
expect="${INPUT_EXPECT_VERSION:-}"
if [ -z "$expect" ] && [ "${GITHUB_REF_TYPE:-}" = tag ]; then
  expect="${GITHUB_REF_NAME:-}"
fi
if [ -n "$expect" ] && [ "$expect" != none ]; then
  args+=(--expect-version "$expect")
fi
read -r -a extra <<< "${INPUT_ARGS:-}"
# "${extra[@]}" of an empty array is an error under `set -u` in bash before 4.4 (macOS's).
args+=(${extra[@]+"${extra[@]}"})

if [ "${FORMAT:-github}" != sarif ]; then
  exec pluginkit "${args[@]}"
fi

out="${INPUT_SARIF:?the sarif input names the file to write}"
case "$out" in
  /*) ;;
  *) out="${GITHUB_WORKSPACE:-.}/$out" ;;
esac
mkdir -p "$(dirname "$out")"
status=0
pluginkit "${args[@]}" > "$out" || status=$?
echo "wrote $out"
# Findings (exit 1) fail the validate step, not this one: the log is what this step is for. A
# run that could not start (exit 2) still wrote its log, with the failure in it.
if [ "$status" -eq 1 ]; then
  exit 0
fi
exit "$status"
