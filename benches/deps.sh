#!/usr/bin/env bash
# Benchmark: `pluginkit deps --check` on 50 plugins (one resolver run over every plugin's
# requirements.txt, with uv, and with pip's resolver), against what FBA does at every start-up:
# one `uv pip install -r PLUGIN/requirements.txt` per plugin (backend/plugin/requirements.py,
# install_requirements, at FBA 2e86d79), here with --dry-run so that nothing is installed and
# every run does the same work; and the same loop with pip (`python -m pip install --dry-run
# -r`), for a host without uv. The packages are wheels this script builds, served as a PEP 503
# simple index on 127.0.0.1 (`python3 -m http.server`); nothing reaches the public index.
# Figures and how to read them: BENCHMARKS.md.
#
# Usage (from the repository root):  bash benches/deps.sh [--regen]
#   --regen   regenerate target/bench/deps/ even if it is already there
#
# Environment:
#   N                 how many plugins [50] (N=3 checks that the script runs)
#   BENCH_RUNS        timed runs per command [10]
#   BENCH_WARMUP      warmup runs per command (they fill uv's and pip's caches) [1]
#   BENCH_IDLE_WAIT   seconds to wait at most for the machine to be idle before timing [300]
#   BENCH_PK          time this pluginkit binary instead of building target/release/pluginkit
#   BENCH_BASELINE    a git revision: also time pluginkit built at it, as pluginkit@<commit>,
#                     beside the current build (see benches/lib.sh, build_baseline) [none]
#   UV                the uv binary [uv on the PATH, else target/uv-venv/bin/uv, which
#                     tests/it/support/venvs.rs builds]
#
# Everything lives under target/bench/deps/: the wheels and the index (index/), the host with
# its plugins and virtualenv (host/), uv's and pip's caches, hyperfine's exports and the summary.
set -euo pipefail

BENCH_SCRIPT=deps.sh
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
    *) die "unknown argument: $arg (usage: bash benches/deps.sh [--regen])" ;;
    esac
done

enter_repository

NPLUGINS=${N:-50}
RUNS=${BENCH_RUNS:-10}
WARMUP=${BENCH_WARMUP:-1}
IDLE_WAIT=${BENCH_IDLE_WAIT:-300}
[[ $NPLUGINS =~ ^[1-9][0-9]*$ ]] || die "N must be a positive whole number"
mkdir -p target/bench/deps
BENCH=$(cd target/bench/deps && pwd)
INDEX=$BENCH/index
HOST=$BENCH/host-$NPLUGINS
PY=${PYTHON:-python3}
GEN_VERSION=1 # bump when the generator changes: the trees are then regenerated
export UV_CACHE_DIR=$BENCH/uv-cache
export PIP_CACHE_DIR=$BENCH/pip-cache
# The machine's own index configuration stays out: only the bench's index is asked.
export PIP_CONFIG_FILE=/dev/null UV_NO_CONFIG=1
unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL UV_EXTRA_INDEX_URL UV_FIND_LINKS VIRTUAL_ENV

command -v hyperfine >/dev/null || die "hyperfine is missing (apt-get install hyperfine)"
command -v "$PY" >/dev/null || die "$PY is missing"
UV=${UV:-$(command -v uv || true)}
[[ -n $UV ]] || UV=$PWD/target/uv-venv/bin/uv
[[ -x $UV ]] || die "uv is missing: put it on the PATH, set UV, or run \`cargo test --test it python_deps\` once (it builds target/uv-venv)"
UV_BIN=$(cd "$(dirname "$UV")" && pwd)
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT

# --- 1. Build --------------------------------------------------------------------------------
if [[ -n ${BENCH_PK:-} ]]; then
    PK=$(cd "$(dirname "$BENCH_PK")" && pwd)/$(basename "$BENCH_PK")
    [[ -x $PK ]] || die "BENCH_PK=$BENCH_PK is not an executable"
else
    build_pluginkit "$BENCH/pluginkit"
fi
build_baseline
SOURCE_STATE=$(source_state)

# --- 2. The index: 20 libraries in 5 versions each, as wheels ----------------------------------
# lib00..lib19, versions 1.0..1.4; every third library depends on the next one (`>=1.0,<2`), so
# resolution has transitive work to do, as real plugins' requirements do.
if [[ $REGEN == 1 || ! -f $INDEX/.generated || $(cat "$INDEX/.generated") != "$GEN_VERSION" ]]; then
    say "building the wheels and the simple index under $INDEX"
    rm -rf "$INDEX"
    "$PY" - "$INDEX" <<'PY'
import base64, hashlib, pathlib, sys, zipfile
root = pathlib.Path(sys.argv[1])
files = root / "files"
files.mkdir(parents=True)
names = [f"lib{i:02d}" for i in range(20)]
for i, name in enumerate(names):
    links = []
    for minor in range(5):
        version = f"1.{minor}"
        info = f"{name}-{version}.dist-info"
        content = {f"{name}/__init__.py": f"VERSION = {version!r}\n".encode()}
        meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        if i % 3 == 0 and i + 1 < len(names):
            meta += f"Requires-Dist: {names[i + 1]}>=1.0,<2\n"
        content[f"{info}/METADATA"] = meta.encode()
        content[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: pluginkit-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        record = ""
        for path, data in content.items():
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record += f"{path},sha256={digest},{len(data)}\n"
        content[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
        wheel = files / f"{name}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as z:
            for path, data in content.items():
                z.writestr(path, data)
        sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
        links.append(f'<a href="../../files/{wheel.name}#sha256={sha}">{wheel.name}</a>')
    page = root / "simple" / name
    page.mkdir(parents=True)
    (page / "index.html").write_text("<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n")
(root / "simple" / "index.html").write_text(
    "<!DOCTYPE html><html><body>\n" + "\n".join(f'<a href="{n}/">{n}</a>' for n in names) + "\n")
PY
    echo "$GEN_VERSION" >"$INDEX/.generated"
fi

# --- 3. The host: N plugins, each asking for 2 or 3 libraries, all compatible ------------------
if [[ $REGEN == 1 || ! -f $HOST/.generated || $(cat "$HOST/.generated") != "$GEN_VERSION" ]]; then
    say "generating a host with $NPLUGINS plugins under $HOST"
    rm -rf "$HOST"
    mkdir -p "$HOST/plugins"
    "$PY" -m venv "$HOST/.venv"
    "$PY" - "$HOST" "$NPLUGINS" <<'PY'
import pathlib, random, sys
host, count = pathlib.Path(sys.argv[1]), int(sys.argv[2])
rng = random.Random(20261206)  # the same plugins on every machine
(host / "pluginkit.toml").write_text(
    f'[host]\nplugins-dir = "plugins"\npython = "{host / ".venv/bin/python"}"\n')
for n in range(1, count + 1):
    name = f"p{n:02d}"
    d = host / "plugins" / name
    d.mkdir(parents=True)
    (d / "plugin.toml").write_text(
        f'[plugin]\nname = "{name}"\nversion = "1.0.0"\nsummary = "Plugin {n}"\n'
        f'author = "Ada <ada@example.com>"\nlicense = "MIT"\n')
    (d / "README.md").write_text(f"# {name}\n")
    lines = ["# what this plugin needs"]
    for lib in rng.sample(range(20), rng.randint(2, 3)):
        low = rng.randint(0, 2)
        lines.append(f"lib{lib:02d}>=1.{low},<2")
    (d / "requirements.txt").write_text("\n".join(lines) + "\n")
PY
    echo "$GEN_VERSION" >"$HOST/.generated"
fi
VENV_PY=$HOST/.venv/bin/python

# --- 4. The index server -----------------------------------------------------------------------
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" -m http.server --bind 127.0.0.1 --directory "$INDEX" "$PORT" >"$BENCH/server.log" 2>&1 &
SERVER_PID=$!
URL=http://127.0.0.1:$PORT/simple/
"$PY" - "$URL" <<'PY' || die "the index server did not start (see $BENCH/server.log)"
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1).read()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
export PIP_INDEX_URL=$URL UV_INDEX_URL=$URL

# The commands. PATH decides the resolver pluginkit finds: uv's folder first, or none of it.
NO_UV_PATH=/usr/bin:/bin
WITH_UV_PATH=$UV_BIN:/usr/bin:/bin
PK_UV="env PATH=$WITH_UV_PATH $PK -C $HOST deps --check"
PK_PIP="env PATH=$NO_UV_PATH $PK -C $HOST deps --check"
# FBA's start-up, plugin after plugin (its own check whether a plugin's requirements are already
# installed is skipped: on a fresh host none are).
FBA_UV="sh -c 'for f in $HOST/plugins/*/requirements.txt; do $UV pip install --dry-run --quiet --python $VENV_PY -r \$f || exit 1; done'"
FBA_PIP="sh -c 'for f in $HOST/plugins/*/requirements.txt; do $VENV_PY -m pip install --dry-run --quiet --disable-pip-version-check -r \$f || exit 1; done'"

say "checking that each command runs"
for cmd in "$PK_UV" "$PK_PIP" "$FBA_UV" "$FBA_PIP"; do
    eval "$cmd" >/dev/null || die "failed: $cmd"
done

# --- 5. Timings ------------------------------------------------------------------------------
wait_for_idle
say "timing: $NPLUGINS plugins' requirements ($RUNS runs, $WARMUP warmup)"
with_baseline \
    -n "pluginkit deps --check (uv)" "$PK_UV" \
    -n "pluginkit deps --check (pip)" "$PK_PIP" \
    -n "FBA start-up: uv pip install --dry-run per plugin" "$FBA_UV" \
    -n "pip install --dry-run per plugin" "$FBA_PIP"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --export-markdown "$BENCH/deps.md" --export-json "$BENCH/deps.json" "${HF[@]}" >&2
BUSY_AFTER=$(cpu_busy)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 6. Summary ------------------------------------------------------------------------------
SUMMARY=$BENCH/summary.txt
"$PY" - "$BENCH/deps.json" "$SOURCE_STATE" "$BUSY_BEFORE" "$LOAD_BEFORE" "$BUSY_AFTER" \
    "$LOAD_AFTER" "$NPLUGINS" "$("$UV" --version)" "$("$VENV_PY" -m pip --version | cut -d' ' -f1-2)" <<'PY' | tee "$SUMMARY"
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
source, busy_before, load_before, busy_after, load_after, n, uv, pip = sys.argv[2:10]
def ms(x): return f'{x["mean"] * 1000:8.1f} ms ± {(x["stddev"] or 0) * 1000:6.1f}'
def cpu(x): return f'cpu {(x["user"] + x["system"]) * 1000:7.1f} ms'
print()
print(f"pluginkit at {source}; {uv}; {pip}")
print(f"machine {busy_before}% busy (load {load_before}) before the timings, {busy_after}% (load {load_after}) after")
print(f"the requirements of {n} plugins against a local index; wall-clock mean ± σ, user+system CPU")
for name, x in r.items():
    print(f"    {name:<52}{ms(x)}   {cpu(x)}")
pk_uv, fba_uv = r["pluginkit deps --check (uv)"], r["FBA start-up: uv pip install --dry-run per plugin"]
pk_pip, fba_pip = r["pluginkit deps --check (pip)"], r["pip install --dry-run per plugin"]
print(f"    with uv:  one resolver run per plugin takes {fba_uv['mean'] / pk_uv['mean']:.2f}x the time of pluginkit's one run over all {n}")
print(f"    with pip: one resolver run per plugin takes {fba_pip['mean'] / pk_pip['mean']:.2f}x the time of pluginkit's one run over all {n}")
PY
baseline_summary "deps --check, $NPLUGINS plugins" "$BENCH/deps.json" | tee -a "$SUMMARY"
say "table: $BENCH/deps.md; summary: $SUMMARY"
