#!/usr/bin/env bash
# Benchmark: `pluginkit validate` on 10,000 Flask-PluginKit plugins, against what a
# Flask-PluginKit user runs today to find out whether their plugins load: a Flask app that
# creates a PluginManager over the same plugins folder (it imports every plugin). Figures and
# how to read them: BENCHMARKS.md, "Flask-PluginKit".
#
# Usage (from the repository root):  bash benches/flask.sh [--regen]
#   --regen   regenerate target/bench/flask10k even if it is already there
#
# Environment:
#   BENCH_RUNS        timed runs per command [10]
#   BENCH_WARMUP      warmup runs per command [1]
#   BENCH_IDLE_WAIT   seconds to wait at most for the machine to be idle before timing [300]
#   BENCH_BASELINE    a git revision: also time pluginkit built at it, as pluginkit@<commit>,
#                     beside the current build (see benches/lib.sh, build_baseline) [none]
#
# Everything it makes lives under target/: target/flask-venv (Flask-PluginKit, shared with
# tests/flask_pluginkit_e2e.rs), target/bench/flask10k (the host and its plugins),
# target/bench/flask-* (hyperfine's exports and the summary).
set -euo pipefail

BENCH_SCRIPT=flask.sh
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REGEN=0
for arg in "$@"; do
    case "$arg" in
    --regen) REGEN=1 ;;
    -h | --help)
        print_help
        exit 0
        ;;
    *) die "unknown argument: $arg (usage: bash benches/flask.sh [--regen])" ;;
    esac
done

enter_repository

RUNS=${BENCH_RUNS:-10}
WARMUP=${BENCH_WARMUP:-1}
IDLE_WAIT=${BENCH_IDLE_WAIT:-300}

BENCH=target/bench
VENV=target/flask-venv
PY=$VENV/bin/python
HOST=$BENCH/flask10k          # pluginkit.toml, app.py, plugins/ with 10,000 plugins
EMPTY=$BENCH/flask-empty      # the same app over an empty plugins folder: its startup
NEG=$BENCH/flask-negative     # one broken plugin, which both must refuse
PK=$BENCH/pluginkit-flask     # a copy of target/release/pluginkit: a rebuild meanwhile changes nothing
PYC=$PWD/$BENCH/flask-pycache # the app's compiled bytecode (PYTHONPYCACHEPREFIX), kept out of the plugins
GEN_VERSION=1                 # bump when the generator changes: the tree is then regenerated
# The same pins as tests/it/support/venvs.rs (REQUIREMENTS), which shares the venv: keep them
# in step, or each will rebuild it for the other.
REQUIREMENTS=(
    Flask-PluginKit==3.12.1
    Flask==3.1.3
    Werkzeug==3.1.9
    Jinja2==3.1.6
    MarkupSafe==3.0.4
    itsdangerous==2.2.0
    click==8.5.1
    blinker==1.9.0
    semver==3.1.1
    gunicorn==27.0.1
    setproctitle==1.3.8
)

# --- 1. Build --------------------------------------------------------------------------------
build_pluginkit "$PK"
build_baseline
SOURCE_STATE=$(source_state)

# --- 2. Flask-PluginKit in target/flask-venv -------------------------------------------------
# Built as the e2e test builds it: under a lock on target/flask-venv.lock, and marked ready
# (pluginkit-ready.txt, the pins one per line) only once pip has finished.
WANTED=$(printf '%s\n' "${REQUIREMENTS[@]}")
venv_ready() { [[ -x $PY && -f $VENV/pluginkit-ready.txt && "$(cat "$VENV/pluginkit-ready.txt")" == "$WANTED" ]]; }
if ! venv_ready; then
    command -v python3 >/dev/null || die "python3 is missing: it is needed to install Flask-PluginKit"
    exec 9>target/flask-venv.lock
    flock 9
    if ! venv_ready; then
        say "creating $VENV: ${REQUIREMENTS[*]}"
        rm -rf "$VENV"
        python3 -m venv "$VENV"
        "$PY" -m pip install --quiet --disable-pip-version-check --no-input "${REQUIREMENTS[@]}"
        printf '%s\n' "${REQUIREMENTS[@]}" >"$VENV/pluginkit-ready.txt.tmp"
        mv "$VENV/pluginkit-ready.txt.tmp" "$VENV/pluginkit-ready.txt"
    fi
    flock -u 9
    exec 9>&-
fi
FPK_VERSION=$("$PY" -c 'from flask_pluginkit.version import __version__; print(__version__)')
[[ $FPK_VERSION == 3.12.1 ]] || die "$VENV holds Flask-PluginKit $FPK_VERSION, not 3.12.1"

# --- 3. The host and its 10,000 plugins ------------------------------------------------------
# The app is what Flask-PluginKit's documentation sets up: app.py beside plugins/, a Flask app,
# a PluginManager with the default plugins_base (the app's root) and plugins_folder.
APP_PY='from flask import Flask
from flask_pluginkit import PluginManager

app = Flask(__name__)
pm = PluginManager(app)

if __name__ == "__main__":
    print(len(pm.get_all_plugins), len(pm.get_enabled_plugins))
'
if [[ $REGEN == 1 || ! -f $HOST/.generated || $(cat "$HOST/.generated") != "$GEN_VERSION" ]]; then
    say "generating $HOST (10,000 Flask-PluginKit plugins)"
    rm -rf "$HOST" "$HOST.tmp"
    mkdir -p "$HOST.tmp"
    "$PY" - "$HOST.tmp" <<'PY'
import os, sys

out = sys.argv[1]
NAMES = ["Demo", "Audit log", "Captcha", "Mailer", "Markdown", "Sitemap", "Search", "Upload",
         "Comments", "RSS feed", "二维码", "访问统计"]
AUTHORS = ["Mr.tao <>", "staugur <me@tcw.im>", "Ada Lovelace <ada@example.com>",
           "Grace Hopper <grace@example.com>", "plugin-team"]
LICENSES = ["MIT", "BSD 3-Clause", "Apache-2.0", "GPL-3.0-or-later"]
DESCRIPTIONS = ["Adds a page to the admin", "Sends mail when something happens",
                "Renders Markdown in templates", "用于发布系统内部通知、公告",
                "Keeps a record of who changed what, and when"]


def layout(i, name):
    """One plugin's __init__.py, in one of the ways authors write them."""
    version = f"{i % 4}.{i % 13}.{i % 97}"
    author = AUTHORS[i % len(AUTHORS)]
    desc = DESCRIPTIONS[i % len(DESCRIPTIONS)]
    lic = LICENSES[i % len(LICENSES)]
    state = "disabled" if i % 20 == 0 else "enabled"
    url = f"https://plugins.example.com/{name}"
    pname = f"{NAMES[i % len(NAMES)]} {i:05d}"
    appver = '__appversion__ = ">=3.0.0, <4.0.0"\n' if i % 5 == 0 else ""
    kind = i % 4
    if kind == 0:  # the documentation's style: double quotes, one per line
        return (f'# -*- coding: utf-8 -*-\n\n__plugin_name__ = "{pname}"\n__version__ = "{version}"\n'
                f'__author__ = "{author}"\n__description__ = "{desc}"\n__url__ = "{url}"\n'
                f'__license__ = "{lic}"\n__state__ = "{state}"\n{appver}\n\n'
                'def register():\n    return {}\n')
    if kind == 1:  # single quotes, a module docstring
        return (f"'''{pname}: {desc}.'''\n\n__plugin_name__ = '{pname}'\n__version__ = '{version}'\n"
                f"__author__ = '{author}'\n__description__ = '{desc}'\n__url__ = '{url}'\n"
                f"__license__ = '{lic}'\n__state__ = '{state}'\n{appver}\n\n"
                "def register():\n    return {}\n")
    if kind == 2:  # black-formatted: long values parenthesised and split over lines
        return (f'"""\n{pname}\n{"~" * len(pname)}\n\n{desc}.\n"""\n\n__plugin_name__ = "{pname}"\n'
                f'__version__ = "{version}"\n__author__ = "{author}"\n__description__ = (\n'
                f'    "{desc}, "\n    "and more besides"\n)\n__url__ = (\n    "https://plugins.example.com/"\n'
                f'    "{name}"\n)\n__license__ = "{lic}"\n__state__ = "{state}"\n{appver}\n\n'
                'def register():\n    return dict()\n')
    # triple-quoted values, register assigned from a private function, CRLF line endings
    return (f'__plugin_name__ = """{pname}"""\n__version__ = """{version}"""\n'
            f"__author__ = '''{author}'''\n__description__ = \"\"\"{desc}\"\"\"\n__url__ = '{url}'\n"
            f'__license__ = "{lic}"\n__state__ = "{state}"\n{appver}\n\n'
            'def _register():\n    return {}\n\n\nregister = _register\n').replace("\n", "\r\n")


plugins = os.path.join(out, "plugins")
os.makedirs(plugins)
open(os.path.join(plugins, "__init__.py"), "w").close()
for i in range(10000):
    name = f"p{i:05d}"
    os.makedirs(os.path.join(plugins, name))
    with open(os.path.join(plugins, name, "__init__.py"), "w", encoding="utf-8", newline="") as f:
        f.write(layout(i, name))
PY
    printf '[host]\nplugins-dir = "plugins"\nversion = "3.12.1"  # the Flask-PluginKit version: what __appversion__ is checked against\n' >"$HOST.tmp/pluginkit.toml"
    printf '%s' "$APP_PY" >"$HOST.tmp/app.py"
    echo "$GEN_VERSION" >"$HOST.tmp/.generated"
    mv "$HOST.tmp" "$HOST"
else
    say "reusing $HOST (--regen to regenerate)"
fi
rm -rf "$EMPTY" "$NEG"
mkdir -p "$EMPTY/plugins" "$NEG/plugins/pbad"
: >"$EMPTY/plugins/__init__.py"
: >"$NEG/plugins/__init__.py"
printf '%s' "$APP_PY" >"$EMPTY/app.py"
printf '%s' "$APP_PY" >"$NEG/app.py"
cp "$HOST/pluginkit.toml" "$EMPTY/" && cp "$HOST/pluginkit.toml" "$NEG/"
sed 's/^__version__ = .*/__version__ = "1.0"/' "$HOST/plugins/p00001/__init__.py" >"$NEG/plugins/pbad/__init__.py"

# How the app runs. Python compiles each plugin's source to bytecode on import; an app that may
# write it (the default) reuses it on the next start, one under PYTHONDONTWRITEBYTECODE=1 (set
# in many container images, and in this VM's environment) compiles every plugin on every start.
# The first is Flask-PluginKit's best case and gives the headline figure; both are timed. The
# bytecode goes to $PYC rather than into __pycache__ folders among the plugins, and stale
# __pycache__ folders are removed, so the no-bytecode run really compiles.
FPK_APP="env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$PYC $PY $HOST/app.py"
FPK_NOPYC="env -u PYTHONPYCACHEPREFIX PYTHONDONTWRITEBYTECODE=1 $PY $HOST/app.py"
FPK_EMPTY="env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$PYC $PY $EMPTY/app.py"
find "$HOST/plugins" -name __pycache__ -type d -prune -exec rm -rf {} +

# --- 4. Correctness first --------------------------------------------------------------------
# This first run of the app also writes its bytecode cache, which the timed runs then reuse.
say "checking: Flask-PluginKit loads the 10,000 plugins ($FPK_APP)"
# shellcheck disable=SC2086 # the commands are plain words, split on purpose
read -r FPK_ALL FPK_ENABLED < <($FPK_APP) || die "the Flask-PluginKit app failed on $HOST"
say "    Flask-PluginKit: $FPK_ALL plugins loaded, $FPK_ENABLED enabled"
[[ $FPK_ALL == 10000 ]] || die "Flask-PluginKit loaded $FPK_ALL plugins, not 10000"
[[ $FPK_ENABLED == 9500 ]] || die "Flask-PluginKit enabled $FPK_ENABLED plugins, not 9500 (1 in 20 says disabled)"
# shellcheck disable=SC2086
read -r E_ALL _ < <($FPK_EMPTY) || die "the Flask-PluginKit app failed on $EMPTY"
[[ $E_ALL == 0 ]] || die "Flask-PluginKit loaded $E_ALL plugins from the empty folder"
# shellcheck disable=SC2086
read -r N_ALL _ < <($FPK_NOPYC) || die "the Flask-PluginKit app failed on $HOST without bytecode"
[[ $N_ALL == 10000 ]] || die "Flask-PluginKit loaded $N_ALL plugins without bytecode, not 10000"
[[ -z $(find "$HOST/plugins" -name __pycache__ -print -quit) ]] || die "bytecode was written among the plugins"

say "checking: $PK -C $HOST validate plugins --format json"
set +e
PK_JSON=$("$PK" -C "$HOST" validate plugins --format json)
rc=$?
set -e
[[ $rc == 0 ]] || {
    echo "$PK_JSON" | head -50 >&2
    die "pluginkit validate exited $rc on $HOST/plugins"
}
read -r CHECKED ERRORS WARNINGS < <(printf '%s' "$PK_JSON" | "$PY" -c '
import json, sys
s = json.load(sys.stdin)["summary"]
print(s["checked"], s["errors"], s["warnings"])')
say "    pluginkit: \"checked\": $CHECKED, errors: $ERRORS, warnings: $WARNINGS"
[[ $CHECKED == 10000 ]] || die "pluginkit validate reported \"checked\": $CHECKED, not 10000"
[[ $ERRORS == 0 && $WARNINGS == 0 ]] || die "pluginkit validate found $ERRORS error(s), $WARNINGS warning(s) in the generated plugins"
[[ $("$PK" validate "$HOST/plugins" --format json | "$PY" -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["checked"], s["errors"])') == "10000 0" ]] ||
    die "pluginkit validate $HOST/plugins (from the repository root) does not check 10,000 plugins without errors"

# Both must really check: each must refuse a plugin whose version is "1.0".
if "$PY" "$NEG/app.py" >/dev/null 2>"$BENCH/flask-negative.err"; then die "negative control: Flask-PluginKit loaded $NEG/plugins/pbad"; fi
grep -q VersionError "$BENCH/flask-negative.err" || die "negative control: Flask-PluginKit failed, but not with VersionError: $(tail -3 "$BENCH/flask-negative.err")"
if "$PK" -C "$NEG" validate plugins >/dev/null 2>&1; then die "negative control: pluginkit accepted $NEG/plugins/pbad"; fi
say "negative control: both refuse $NEG/plugins/pbad (__version__ = \"1.0\")"

sync

# --- 5. A quiet machine ----------------------------------------------------------------------
wait_for_idle

# --- 6. Timings ------------------------------------------------------------------------------
PK_VALIDATE="$PK -C $HOST validate plugins"
PK_VALIDATE_1T="env RAYON_NUM_THREADS=1 $PK -C $HOST validate plugins"

command -v hyperfine >/dev/null || die "hyperfine is missing (apt-get install hyperfine)"
say "timing: pluginkit validate vs a Flask-PluginKit app, 10,000 plugins ($RUNS runs, $WARMUP warmup)"
with_baseline \
    -n "pluginkit validate" "$PK_VALIDATE" \
    -n "pluginkit validate (1 thread)" "$PK_VALIDATE_1T" \
    -n "Flask-PluginKit app" "$FPK_APP" \
    -n "Flask-PluginKit app, no bytecode" "$FPK_NOPYC" \
    -n "Flask-PluginKit app, no plugins (startup)" "$FPK_EMPTY"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --export-markdown "$BENCH/flask.md" --export-json "$BENCH/flask.json" "${HF[@]}" >&2
BUSY_AFTER=$(cpu_busy)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 7. Peak memory --------------------------------------------------------------------------
declare -A RSS
if [[ -x /usr/bin/time ]]; then
    say "peak memory (/usr/bin/time -v)"
    maxrss() { # maxrss CMD: "Maximum resident set size" in kB, of the command and its children
        # shellcheck disable=SC2086 # the commands are plain words, split on purpose
        /usr/bin/time -v -o "$BENCH/flask-time.txt" $1 >/dev/null 2>&1 || true
        awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH/flask-time.txt"
    }
    RSS[pk]=$(maxrss "$PK_VALIDATE")
    RSS[pk1]=$(maxrss "$PK_VALIDATE_1T")
    RSS[fpk]=$(maxrss "$FPK_APP")
    RSS[nopyc]=$(maxrss "$FPK_NOPYC")
    RSS[empty]=$(maxrss "$FPK_EMPTY")
else
    say "/usr/bin/time is missing (apt-get install time): no peak memory figures"
fi

# --- 8. Summary ------------------------------------------------------------------------------
SUMMARY=$BENCH/flask-summary.txt
"$PY" - "$BENCH/flask.json" "${RSS[pk]:-}" "${RSS[pk1]:-}" "${RSS[fpk]:-}" "${RSS[nopyc]:-}" "${RSS[empty]:-}" \
    "$BUSY_BEFORE" "$LOAD_BEFORE" "$BUSY_AFTER" "$LOAD_AFTER" "$SOURCE_STATE" <<'PY' | tee "$SUMMARY"
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
rss = dict(zip(["pk", "pk1", "fpk", "nopyc", "empty"], sys.argv[2:7]))
busy_before, load_before, busy_after, load_after, source = sys.argv[7:12]
pk, pk1 = r["pluginkit validate"], r["pluginkit validate (1 thread)"]
fpk, empty = r["Flask-PluginKit app"], r["Flask-PluginKit app, no plugins (startup)"]
nopyc = r["Flask-PluginKit app, no bytecode"]
def ms(x): return f'{x["mean"] * 1000:8.1f} ms ± {(x["stddev"] or 0) * 1000:6.1f}'
def cpu(x): return f'cpu {(x["user"] + x["system"]) * 1000:8.1f} ms'
def mb(k): return f'{int(rss[k]) / 1024:7.1f} MB' if rss[k] else "    n/a"
def row(label, x, k):
    print(f"    {label:<48}{ms(x)}   {cpu(x)}   peak RSS {mb(k)}")
ratio = fpk["mean"] / pk["mean"]
print()
print(f"pluginkit at {source}")
print(f"machine {busy_before}% busy (load {load_before}) before the timings, {busy_after}% (load {load_after}) after")
print("validate 10,000 Flask-PluginKit plugins: wall-clock mean ± σ, user+system CPU, peak RSS")
row("pluginkit validate", pk, "pk")
row("pluginkit validate, RAYON_NUM_THREADS=1", pk1, "pk1")
row("Flask-PluginKit app (PluginManager)", fpk, "fpk")
row("Flask-PluginKit app, PYTHONDONTWRITEBYTECODE=1", nopyc, "nopyc")
row("Flask-PluginKit app, empty plugins folder", empty, "empty")
print(f"    ratio Flask-PluginKit / pluginkit: {ratio:.1f}x   target >= 10x: {'MET' if ratio >= 10 else 'MISSED'}")
print(f"      vs 1 thread: {fpk['mean'] / pk1['mean']:.1f}x; app startup taken off: "
      f"{(fpk['mean'] - empty['mean']) / pk['mean']:.1f}x (1 thread {(fpk['mean'] - empty['mean']) / pk1['mean']:.1f}x); "
      f"by CPU time: {(fpk['user'] + fpk['system']) / (pk['user'] + pk['system']):.1f}x")
print(f"    without bytecode: {nopyc['mean'] / pk['mean']:.1f}x (1 thread {nopyc['mean'] / pk1['mean']:.1f}x)")
PY
baseline_summary "validate 10,000 Flask-PluginKit plugins" "$BENCH/flask.json" | tee -a "$SUMMARY"
say "table: $BENCH/flask.md; summary: $SUMMARY"
