#!/usr/bin/env bash
# Benchmark: `pluginkit add x.zip` against `unzip -q` and against Python's zipfile.extractall
# (what FastAPI Best Architecture's ZIP install does) on one generated 1 GiB plugin package,
# mostly incompressible (random "model" and asset files, plus a few thousand small sources), and
# pluginkit's peak memory while installing it (the target: under 64 MiB). For comparison, the
# same three on a plugin of the usual kind (4,000 small Python sources, 27 MB, compressible) and
# on the 200 MB FBA plugin that benches/package.sh packages (made with its --generate-only).
# Figures and how to read them: BENCHMARKS.md.
#
# Usage (from the repository root):  bash benches/install.sh [--regen]
#   --regen   regenerate the package under target/bench/ even if it is already there
#
# Environment:
#   BENCH_RUNS         timed runs per command on the 1 GiB package [5]
#   BENCH_SMALL_RUNS   timed runs per command on the small plugin [20]
#   BENCH_FBA_RUNS     timed runs per command on the FBA plugin of the package benchmark [10]
#   BENCH_WARMUP       warmup runs per command [1]
#   BENCH_IDLE_WAIT    how long to wait for an idle machine before timing, in seconds [300]
#   BENCH_UNPACK_DIR   where the three tools unpack [/dev/shm/pluginkit-bench-install, a
#                      tmpfs, when it has 4 GiB free; else target/bench/install/unpack]
#   BENCH_BASELINE     a git revision: also time pluginkit built at it, as pluginkit@<commit>,
#                      beside the current build (see benches/lib.sh, build_baseline) [none]
#
# The plugin tree, its package, hyperfine's exports and the summary live under
# target/bench/install/. The tools unpack into BENCH_UNPACK_DIR, emptied before every run
# (outside the timing) and removed at the end. Why a tmpfs by default: on an ext4 mounted
# without a journal (this VM's disk), creating thousands of files right after deleting
# thousands makes the kernel skip over every recently deleted inode (ext4's recently_deleted()),
# which took half of each tool's time and varied by 50% with the deletion history.
set -euo pipefail

BENCH_SCRIPT=install.sh
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
    *) die "unknown argument: $arg (usage: bash benches/install.sh [--regen])" ;;
    esac
done

enter_repository

RUNS=${BENCH_RUNS:-5}
SMALL_RUNS=${BENCH_SMALL_RUNS:-20}
FBA_RUNS=${BENCH_FBA_RUNS:-10}
WARMUP=${BENCH_WARMUP:-1}
IDLE_WAIT=${BENCH_IDLE_WAIT:-300}
BENCH=target/bench/install
TREE=$BENCH/tree # holds the plugin folder big/
ZIP=$BENCH/big-1.0.0.zip
SMALL_ZIP=$BENCH/small-1.0.0.zip
FBA_TREE=target/bench/pkg # benches/package.sh's plugin: target/bench/pkg/bigplugin
FBA_ZIP=$BENCH/bigplugin-1.0.0.zip
if [[ -n ${BENCH_UNPACK_DIR:-} ]]; then
    UNPACK=$BENCH_UNPACK_DIR
elif [[ -d /dev/shm ]] && (($(df -k --output=avail /dev/shm | tail -1) > 4 * 1024 * 1024)); then
    UNPACK=/dev/shm/pluginkit-bench-install
else
    UNPACK=$BENCH/unpack
fi
HOST=$UNPACK/host # a pluginkit host: pluginkit.toml, plugins/, .pluginkit/
UNZIP_OUT=$UNPACK/unzip-out
PY_OUT=$UNPACK/python-out
PK=$BENCH/pluginkit # a copy of target/release/pluginkit, so a rebuild meanwhile changes nothing
PY=${PYTHON:-python3}
GEN_VERSION=1 # bump when the generator changes: the packages are then regenerated

command -v hyperfine >/dev/null || die "hyperfine is missing (apt-get install hyperfine)"
command -v "$PY" >/dev/null || die "$PY is missing"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time): it measures the peak memory"
if ! command -v zip >/dev/null || ! command -v unzip >/dev/null; then
    say "installing zip and unzip"
    apt-get install -y zip unzip >/dev/null || die "zip/unzip are missing and could not be installed"
fi

# --- 1. Build --------------------------------------------------------------------------------
build_pluginkit "$PK"
build_baseline
SOURCE_STATE=$(source_state)

# --- 2. The package --------------------------------------------------------------------------
if [[ $REGEN == 1 || ! -f $BENCH/.generated || $(cat "$BENCH/.generated") != "$GEN_VERSION" || ! -f $ZIP ]]; then
    say "generating $TREE/big (1 GiB) and packing it with zip -6 into $ZIP"
    rm -rf "$TREE" "$ZIP" "$BENCH/.generated"
    mkdir -p "$TREE"
    "$PY" - "$TREE/big" <<'PY'
import os, random, sys

root = sys.argv[1]
rng = random.Random(20260502)  # fixed seed: the same package on every machine

def write(rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

WORDS = ("user order item plugin config session token request response cache query record "
         "field value index page author notice message status result error account payment").split()

write("plugin.toml", """[plugin]
name = "big"
version = "1.0.0"
summary = "A 1 GiB plugin for the install benchmark"
author = "bench <bench@example.com>"
license = "MIT"
""")
write("README.md", "# big\n\nGenerated by benches/install.sh.\n")
total = 0
# About 32 MiB of small, compressible sources: the per-file work of an install.
i = 0
while total < 32 * 1024 * 1024:
    lines = [f"def {rng.choice(WORDS)}_{n}(x):\n    return x.{rng.choice(WORDS)} + {n}\n"
             for n in range(rng.randint(20, 400))]
    text = "".join(lines)
    write(f"src/{rng.choice(WORDS)}/m{i:04d}.py", text)
    total += len(text)
    i += 1
# 62 files of 16 MiB of random bytes: weights, images, archives; deflate cannot shrink them.
for n in range(62):
    write(f"data/blob{n:02d}.bin", rng.randbytes(16 * 1024 * 1024))
    total += 16 * 1024 * 1024
print(f"{i} sources, {total} bytes", file=sys.stderr)
PY
    (cd "$TREE" && zip -q -r -X -6 "$(pwd)/../$(basename "$ZIP")" big)
    echo "$GEN_VERSION" >"$BENCH/.generated"
else
    say "reusing $ZIP (--regen to regenerate)"
fi
if [[ $REGEN == 1 || ! -f $SMALL_ZIP || $(cat "$BENCH/.generated-small" 2>/dev/null) != "$GEN_VERSION" ]]; then
    say "generating $TREE/small and packing it with zip -6 into $SMALL_ZIP"
    rm -rf "$TREE/small" "$SMALL_ZIP"
    "$PY" - "$TREE/small" <<'PY'
import os, random, sys

root = sys.argv[1]
rng = random.Random(20260503)
WORDS = ("user order item plugin config session token request response cache query record "
         "field value index page author notice message status result error account payment").split()

def write(rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)

write("plugin.toml", """[plugin]
name = "small"
version = "1.0.0"
summary = "A plugin of 4,000 small sources for the install benchmark"
author = "bench <bench@example.com>"
license = "MIT"
""")
write("README.md", "# small\n\nGenerated by benches/install.sh.\n")
for i in range(4000):
    write(f"src/{rng.choice(WORDS)}/m{i:04d}.py",
          "".join(f"def {rng.choice(WORDS)}_{n}(x):\n    return x.{rng.choice(WORDS)} + {n}\n"
                  for n in range(rng.randint(20, 300))))
PY
    (cd "$TREE" && zip -q -r -X -6 "$(pwd)/../$(basename "$SMALL_ZIP")" small)
    echo "$GEN_VERSION" >"$BENCH/.generated-small"
fi
if [[ ! -f $FBA_TREE/.generated ]]; then
    say "generating the package benchmark's plugin (bash benches/package.sh --generate-only)"
    bash benches/package.sh --generate-only
fi
if [[ ! -f $FBA_ZIP || $FBA_TREE/.generated -nt $FBA_ZIP ]]; then
    say "packing $FBA_TREE/bigplugin with zip -6 into $FBA_ZIP"
    rm -f "$FBA_ZIP"
    (cd "$FBA_TREE" && zip -q -r -X -6 "$OLDPWD/$FBA_ZIP" bigplugin)
fi
ZIP=$(cd "$(dirname "$ZIP")" && pwd)/$(basename "$ZIP")
FBA_ZIP=$(cd "$(dirname "$FBA_ZIP")" && pwd)/$(basename "$FBA_ZIP")
SMALL_ZIP=$(cd "$(dirname "$SMALL_ZIP")" && pwd)/$(basename "$SMALL_ZIP")
FILES=$(find "$TREE/big" -type f | wc -l)
BYTES=$(du -sb --apparent-size "$TREE/big" | cut -f1)
ZIP_BYTES=$(stat -c %s "$ZIP")
SMALL_FILES=$(find "$TREE/small" -type f | wc -l)
SMALL_BYTES=$(du -sb --apparent-size "$TREE/small" | cut -f1)
SMALL_ZIP_BYTES=$(stat -c %s "$SMALL_ZIP")
FBA_FILES=$(find "$FBA_TREE/bigplugin" -type f | wc -l)
FBA_BYTES=$(du -sb --apparent-size "$FBA_TREE/bigplugin" | cut -f1)
FBA_ZIP_BYTES=$(stat -c %s "$FBA_ZIP")
say "the package: $FILES files, $BYTES bytes unpacked, $ZIP_BYTES bytes packed"
say "the small plugin: $SMALL_FILES files, $SMALL_BYTES bytes unpacked, $SMALL_ZIP_BYTES bytes packed"
say "the FBA plugin: $FBA_FILES files, $FBA_BYTES bytes unpacked, $FBA_ZIP_BYTES bytes packed"

# The Python unpacker: FBA's way (zipfile.ZipFile(...).extractall).
cat >"$BENCH/pyunzip.py" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as zf:
    zf.extractall(sys.argv[2])
PY

mkdir -p "$HOST"
HOST=$(cd "$HOST" && pwd)
UNPACK=$(cd "$UNPACK" && pwd)
trap 'rm -rf "$UNPACK"' EXIT
say "unpacking into $UNPACK ($(df -T "$UNPACK" | awk 'NR == 2 {print $2}'))"
printf '[host]\nplugins-dir = "plugins"\n' >"$HOST/pluginkit.toml"
# Each run starts from an empty host (or folder); the clean-up and a sync, so that the previous
# run's writeback does not land in the next timing, are outside the timing.
PK_PREP="rm -rf $HOST/plugins $HOST/.pluginkit $HOST/pluginkit.lock && sync"
UNZIP_PREP="rm -rf $UNZIP_OUT && sync"
PY_PREP="rm -rf $PY_OUT && sync"
commands() { # commands ZIP: the four commands for one package
    PK_CMD="$PK -C $HOST add $1"
    PK1_CMD="env RAYON_NUM_THREADS=1 $PK -C $HOST add $1"
    UNZIP_CMD="unzip -q $1 -d $UNZIP_OUT"
    PY_CMD="$PY $BENCH/pyunzip.py $1 $PY_OUT"
}

# --- 3. Correctness first --------------------------------------------------------------------
tree_sums() { (cd "$1" && find . -type f ! -name ENABLED ! -name DISABLED -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }
check() { # check ZIP NAME FILES
    say "checking $2: the three unpack the same files"
    commands "$1"
    eval "$PK_PREP" && $PK_CMD >/dev/null
    eval "$UNZIP_PREP" && $UNZIP_CMD
    eval "$PY_PREP" && $PY_CMD
    local sum
    sum=$(tree_sums "$HOST/plugins/$2")
    [[ $sum == "$(tree_sums "$UNZIP_OUT/$2")" ]] || die "pluginkit and unzip unpacked different files"
    [[ $sum == "$(tree_sums "$PY_OUT/$2")" ]] || die "pluginkit and Python unpacked different files"
    "$PK" -C "$HOST" verify >/dev/null || die "pluginkit verify fails after the install"
    grep -q "sha256 = \"$(sha256sum "$1" | cut -d' ' -f1)\"" "$HOST/pluginkit.lock" ||
        die "pluginkit.lock does not record the package's sha256"
    say "    the same $3 files from all three (tree digest $sum)"
    rm -rf "$UNZIP_OUT" "$PY_OUT"
    sync
}
check "$SMALL_ZIP" small "$SMALL_FILES"
check "$FBA_ZIP" bigplugin "$FBA_FILES"
check "$ZIP" big "$FILES"

# --- 4. Peak memory --------------------------------------------------------------------------
say "peak memory installing the 1 GiB package (/usr/bin/time -v)"
commands "$ZIP"
maxrss() { # maxrss PREP CMD: "Maximum resident set size" in KiB
    eval "$1"
    eval "/usr/bin/time -v -o $BENCH/time.txt $2" >/dev/null 2>&1 || die "$2 failed"
    awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH/time.txt"
}
RSS_PK=$(maxrss "$PK_PREP" "$PK_CMD")
RSS_PK1=$(maxrss "$PK_PREP" "$PK1_CMD")
RSS_UNZIP=$(maxrss "$UNZIP_PREP" "$UNZIP_CMD")
RSS_PY=$(maxrss "$PY_PREP" "$PY_CMD")
say "    pluginkit add: $RSS_PK KiB (1 thread: $RSS_PK1 KiB), unzip: $RSS_UNZIP KiB, Python: $RSS_PY KiB"
rm -rf "$UNZIP_OUT" "$PY_OUT"

# --- 5. A quiet machine ----------------------------------------------------------------------
wait_for_idle

# --- 6. Timings ------------------------------------------------------------------------------
timing() { # timing ZIP RUNS EXPORT
    commands "$1"
    with_baseline \
        -n "pluginkit add" --prepare "$PK_PREP" "$PK_CMD" \
        -n "pluginkit add (1 thread)" --prepare "$PK_PREP" "$PK1_CMD" \
        -n "unzip -q" --prepare "$UNZIP_PREP" "$UNZIP_CMD" \
        -n "Python zipfile.extractall" --prepare "$PY_PREP" "$PY_CMD"
    hyperfine --style basic --warmup "$WARMUP" --runs "$2" \
        --export-markdown "$BENCH/$3.md" --export-json "$BENCH/$3.json" "${HF[@]}" >&2
}
say "timing: install one 1 GiB package ($RUNS runs, $WARMUP warmup)"
timing "$ZIP" "$RUNS" install
say "timing: install the small plugin ($SMALL_RUNS runs, $WARMUP warmup)"
timing "$SMALL_ZIP" "$SMALL_RUNS" install-small
say "timing: install the FBA plugin of the package benchmark ($FBA_RUNS runs, $WARMUP warmup)"
timing "$FBA_ZIP" "$FBA_RUNS" install-fba
BUSY_AFTER=$(cpu_busy)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$UNZIP_OUT" "$PY_OUT"

# --- 7. Summary ------------------------------------------------------------------------------
SUMMARY=$BENCH/summary.txt
"$PY" - "$BENCH/install.json" "$FILES" "$BYTES" "$ZIP_BYTES" "$RSS_PK" "$RSS_PK1" "$RSS_UNZIP" \
    "$RSS_PY" "$BUSY_BEFORE" "$LOAD_BEFORE" "$BUSY_AFTER" "$LOAD_AFTER" "$SOURCE_STATE" \
    "$UNPACK ($(df -T "$UNPACK" | awk 'NR == 2 {print $2}'))" "$BENCH/install-small.json" \
    "$SMALL_FILES" "$SMALL_BYTES" "$SMALL_ZIP_BYTES" "$BENCH/install-fba.json" "$FBA_FILES" \
    "$FBA_BYTES" "$FBA_ZIP_BYTES" <<'PY' | tee "$SUMMARY"
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
files, size, packed = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rss = dict(zip(["pk", "pk1", "unzip", "py"], (int(v) for v in sys.argv[5:9])))
busy_before, load_before, busy_after, load_after, source, unpack = sys.argv[9:15]
pk, pk1 = r["pluginkit add"], r["pluginkit add (1 thread)"]
uz, py = r["unzip -q"], r["Python zipfile.extractall"]
def ms(x): return f'{x["mean"] * 1000:8.1f} ms ± {(x["stddev"] or 0) * 1000:6.1f}'
def cpu(x): return f'cpu {(x["user"] + x["system"]) * 1000:8.1f} ms'
def row(label, x, k):
    print(f"    {label:<30}{ms(x)}   {cpu(x)}   peak RSS {rss[k] / 1024:6.1f} MiB")
print()
print(f"pluginkit at {source}")
print(f"machine {busy_before}% busy (load {load_before}) before the timings, {busy_after}% (load {load_after}) after")
print(f"install one package: {files} files, {size / 2**30:.2f} GiB unpacked, {packed / 2**30:.2f} GiB packed,"
      f" into {unpack}; wall-clock mean ± σ, user+system CPU, peak RSS")
row("pluginkit add", pk, "pk")
row("pluginkit add, 1 thread", pk1, "pk1")
row("unzip -q", uz, "unzip")
row("Python zipfile.extractall", py, "py")
vs_unzip, vs_py = pk["mean"] / uz["mean"], py["mean"] / pk["mean"]
print(f"    peak RSS of pluginkit add: {rss['pk'] / 1024:.1f} MiB   target < 64 MiB: {'MET' if rss['pk'] < 64 * 1024 else 'MISSED'}")
print(f"    ratio pluginkit / unzip: {vs_unzip:.2f}   target <= 1.0: {'MET' if vs_unzip <= 1.0 else 'MISSED'}"
      f"   (1 thread {pk1['mean'] / uz['mean']:.2f})")
print(f"    Python zipfile / pluginkit: {vs_py:.1f}x   target >= 3x: {'MET' if vs_py >= 3 else 'MISSED'}"
      f"   (1 thread {py['mean'] / pk1['mean']:.1f}x)")
def other(what, export, files, size, packed):
    s = {x["command"]: x for x in json.load(open(export))["results"]}
    files, size, packed = int(files), int(size), int(packed)
    print(f"{what}: {files} files, {size / 1e6:.1f} MB unpacked, {packed / 1e6:.1f} MB packed")
    for label, key in [("pluginkit add", "pluginkit add"), ("pluginkit add, 1 thread", "pluginkit add (1 thread)"),
                       ("unzip -q", "unzip -q"), ("Python zipfile.extractall", "Python zipfile.extractall")]:
        print(f"    {label:<30}{ms(s[key])}   {cpu(s[key])}")
    pk, pk1, uz, py = (s[k] for k in ["pluginkit add", "pluginkit add (1 thread)", "unzip -q", "Python zipfile.extractall"])
    print(f"    ratio pluginkit / unzip: {pk['mean'] / uz['mean']:.2f} (1 thread {pk1['mean'] / uz['mean']:.2f});"
          f" Python zipfile / pluginkit: {py['mean'] / pk['mean']:.1f}x (1 thread {py['mean'] / pk1['mean']:.1f}x)")
other("the small plugin", *sys.argv[15:19])
other("the FBA plugin of the package benchmark", *sys.argv[19:23])
PY
baseline_summary "install one package (1 GiB)" "$BENCH/install.json" "the small plugin" "$BENCH/install-small.json" \
    "the FBA plugin of the package benchmark" "$BENCH/install-fba.json" | tee -a "$SUMMARY"
say "tables: $BENCH/install.md, $BENCH/install-small.md, $BENCH/install-fba.md; summary: $SUMMARY"
