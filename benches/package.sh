#!/usr/bin/env bash
# Benchmark: `pluginkit package` against `zip -r -X -6` and against Python's zipfile
# (ZIP_DEFLATED, compresslevel=6, what FastAPI Best Architecture uses to zip a plugin), on one
# generated plugin of realistic size: a few thousand files (Python sources, templates, static
# text assets, images, fonts, data files and binary blobs; about 200 MB, partly compressible).
# Figures and how to read them: BENCHMARKS.md.
#
# Usage (from the repository root):  bash benches/package.sh [--regen] [--generate-only]
#   --regen           regenerate the plugin tree under target/bench/ even if it is already there
#   --generate-only   make the plugin tree and stop (benches/install.sh installs it packaged)
#
# Environment:
#   BENCH_RUNS         timed runs per command [10]
#   BENCH_WARMUP       warmup runs per command [1]
#   BENCH_IDLE_WAIT    how long to wait for an idle machine before timing, in seconds [300]
#   BENCH_BASELINE     a git revision: also time pluginkit built at it, as pluginkit@<commit>,
#                      beside the current build (see benches/lib.sh, build_baseline) [none]
#
# Everything it makes lives under target/bench/: the plugin (target/bench/pkg/bigplugin), the
# packages each tool writes (target/bench/pkg-out/), hyperfine's exports and the summary.
set -euo pipefail

BENCH_SCRIPT=package.sh
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REGEN=0
GENERATE_ONLY=0
for arg in "$@"; do
    case "$arg" in
    --regen) REGEN=1 ;;
    --generate-only) GENERATE_ONLY=1 ;;
    -h | --help)
        print_help
        exit 0
        ;;
    *) die "unknown argument: $arg (usage: bash benches/package.sh [--regen] [--generate-only])" ;;
    esac
done

enter_repository

RUNS=${BENCH_RUNS:-10}
WARMUP=${BENCH_WARMUP:-1}
IDLE_WAIT=${BENCH_IDLE_WAIT:-300}
BENCH=target/bench
TREE=$BENCH/pkg # holds the plugin folder bigplugin/
PLUGIN=$TREE/bigplugin
OUT=$BENCH/pkg-out
PK=$BENCH/pluginkit-package # a copy of target/release/pluginkit, so a rebuild meanwhile changes nothing
PY=${PYTHON:-python3}
GEN_VERSION=1 # bump when the generator changes: the tree is then regenerated

command -v hyperfine >/dev/null || die "hyperfine is missing (apt-get install hyperfine)"
command -v taskset >/dev/null || die "taskset is missing (apt-get install util-linux)"
command -v "$PY" >/dev/null || die "$PY is missing"
if ! command -v zip >/dev/null || ! command -v unzip >/dev/null; then
    say "installing zip and unzip"
    apt-get install -y zip unzip >/dev/null || die "zip/unzip are missing and could not be installed"
fi

# --- 1. Build --------------------------------------------------------------------------------
if [[ $GENERATE_ONLY == 0 ]]; then
    mkdir -p "$OUT"
    build_pluginkit "$PK"
    build_baseline
fi
mkdir -p "$BENCH"
SOURCE_STATE=$(source_state)

# --- 2. The plugin tree ----------------------------------------------------------------------
if [[ $REGEN == 1 || ! -f $TREE/.generated || $(cat "$TREE/.generated") != "$GEN_VERSION" ]]; then
    say "generating $PLUGIN"
    rm -rf "$TREE" "$TREE.tmp"
    mkdir -p "$TREE.tmp"
    "$PY" - "$TREE.tmp/bigplugin" <<'PY'
import os, random, struct, sys

root = sys.argv[1]
rng = random.Random(20260501)  # fixed seed: the same tree on every machine

def write(rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

WORDS = ("user order item plugin config session token request response cache query record "
         "field value index page author notice message status result error account payment "
         "invoice channel event handler service schema model router backend tenant").split()

def ident():
    return "_".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))

def python_source(target):
    out = ['"""' + " ".join(rng.choice(WORDS) for _ in range(12)) + '."""',
           "from __future__ import annotations", "",
           "import logging", f"from backend.plugin.{ident()} import {ident()}, {ident()}", "",
           "log = logging.getLogger(__name__)", ""]
    size = sum(len(l) + 1 for l in out)
    while size < target:
        name, args = ident(), ", ".join(ident() for _ in range(rng.randint(0, 4)))
        body = [f"def {name}({args}) -> dict:",
                f'    """Return the {rng.choice(WORDS)} for {rng.choice(WORDS)} {rng.randint(1, 9999)}."""']
        for _ in range(rng.randint(2, 12)):
            body.append(f"    {ident()} = {ident()}.get({rng.choice(WORDS)!r}, {rng.randint(0, 100000)})")
            if rng.random() < 0.3:
                body.append(f"    if {ident()} > {rng.randint(0, 500)}:")
                body.append(f"        log.info({'%s ' + rng.choice(WORDS)!r}, {ident()})")
        body += [f"    return {{{rng.choice(WORDS)!r}: {ident()}}}", "", ""]
        out += body
        size += sum(len(l) + 1 for l in body)
    return "\n".join(out)

def template(target):
    out = ["{% extends 'base.html' %}", "{% block content %}"]
    size = 40
    while size < target:
        w = rng.choice(WORDS)
        line = (f'<div class="{w}-{rng.choice(WORDS)} col-{rng.randint(1, 12)}">'
                f"{{{{ {ident()}.{rng.choice(WORDS)} | default('{rng.choice(WORDS)}') }}}}</div>")
        out.append(line)
        size += len(line) + 1
    out.append("{% endblock %}")
    return "\n".join(out)

def minified(target):
    parts, size = [], 0
    while size < target:
        p = (f"function {ident()}(a,b){{return a.{rng.choice(WORDS)}+b[{rng.randint(0, 99)}]"
             f"||\"{rng.choice(WORDS)}{rng.randint(0, 99999)}\"}};")
        parts.append(p)
        size += len(p)
    return "".join(parts)

def incompressible(size):
    return rng.randbytes(size)

def floats(size):
    # Model weights: float32 values near zero; deflate gets a little out of the exponents.
    n = size // 4
    return struct.pack(f"<{n}f", *(rng.gauss(0, 0.05) for _ in range(n)))

def table(target):
    rows, size = ["id,created,user,amount,status,comment"], 40
    while size < target:
        r = (f"{len(rows)},2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},"
             f"{ident()},{rng.randint(0, 100000) / 100:.2f},{rng.choice(WORDS)},"
             f"{' '.join(rng.choice(WORDS) for _ in range(rng.randint(0, 8)))}")
        rows.append(r)
        size += len(r) + 1
    return "\n".join(rows)

write("plugin.toml", """[plugin]
summary = "A plugin of realistic size for benchmarks"
version = "1.0.0"
description = "Generated by benches/package.sh: sources, templates, static assets and data"
author = "bench"
tags = ["other"]
database = ["mysql", "postgresql"]

[app]
router = ["v1"]
""")
write("README.md", "# bigplugin\n\nGenerated for the package benchmark.\n")
write("__init__.py", "")
write("api/router.py", "from fastapi import APIRouter\nv1 = APIRouter()\n")
for i in range(1600):  # about 18 MB of Python
    write(f"{['api/v1', 'service', 'crud', 'schema', 'model', 'utils'][i % 6]}/m{i:04d}_{rng.choice(WORDS)}.py",
          python_source(rng.randint(2_000, 20_000)))
write("model/__init__.py", "")
for db in ("mysql", "postgresql"):
    for sql in ("init", "destroy", "init_snowflake", "destroy_snowflake"):
        write(f"sql/{db}/{sql}.sql", f"-- {sql} for {db}\n" + table(50_000))
for i in range(500):  # about 3 MB of templates
    write(f"templates/{rng.choice(WORDS)}/t{i:03d}.html", template(rng.randint(1_000, 10_000)))
for i in range(300):  # about 25 MB of minified JavaScript and CSS
    write(f"static/js/bundle{i:03d}.min.js", minified(rng.randint(5_000, 160_000)))
for i in range(400):  # about 60 MB of images: already compressed, so incompressible
    ext = "png" if i % 2 else "jpg"
    write(f"static/img/i{i:03d}.{ext}", incompressible(rng.randint(10_000, 300_000)))
for i in range(20):
    write(f"static/fonts/f{i:02d}.woff2", incompressible(rng.randint(20_000, 120_000)))
for i in range(8):  # 24 MB of CSV data, highly compressible
    write(f"data/export{i}.csv", table(3_000_000))
write("data/weights.bin", floats(24_000_000))  # 24 MB of model weights, slightly compressible
write("data/archive.bin", incompressible(32_000_000))  # 32 MB, incompressible
write("data/dict.sqlite", table(12_000_000))  # a database dump: compressible
PY
    echo "$GEN_VERSION" >"$TREE.tmp/.generated"
    mv "$TREE.tmp" "$TREE"
else
    say "reusing $PLUGIN (--regen to regenerate)"
fi
FILES=$(find "$PLUGIN" -type f | wc -l)
BYTES=$(du -sb --apparent-size "$PLUGIN" | cut -f1)
say "the plugin: $FILES files, $((BYTES / 1000000)) MB"
[[ $GENERATE_ONLY == 1 ]] && exit 0
# The same plugin without what does not compress (images, fonts, the random blob): a comparison
# of deflate alone, where pluginkit cannot gain by storing entries. Hard links, so it is cheap.
TEXT_TREE=$BENCH/pkg-text
rm -rf "$TEXT_TREE"
mkdir -p "$TEXT_TREE"
cp -al "$PLUGIN" "$TEXT_TREE/bigplugin"
rm -rf "$TEXT_TREE/bigplugin/static/img" "$TEXT_TREE/bigplugin/static/fonts" "$TEXT_TREE/bigplugin/data/archive.bin"
TEXT_FILES=$(find "$TEXT_TREE/bigplugin" -type f | wc -l)
TEXT_BYTES=$(du -sb --apparent-size "$TEXT_TREE/bigplugin" | cut -f1)
say "the plugin without its incompressible files: $TEXT_FILES files, $((TEXT_BYTES / 1000000)) MB"

# The Python zipfile packer: FBA's way (os.walk, ZIP_DEFLATED), at the same level as the others.
cat >"$BENCH/pyzip.py" <<'PY'
import os, sys, zipfile
src, dest = sys.argv[1], sys.argv[2]
name = os.path.basename(src.rstrip("/"))
with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
    for folder, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            path = os.path.join(folder, f)
            zf.write(path, os.path.join(name, os.path.relpath(path, src)))
PY

PK_ZIP=$OUT/bigplugin-1.0.0.zip
ZIP_ZIP=$OUT/zip.zip
PY_ZIP=$OUT/python.zip
# Each tool writes a fresh file: zip would otherwise update the archive of the previous run.
PK_CMD="$PK package $PLUGIN -o $PK_ZIP"
# One CPU: the writer, the dispatcher and the compression thread then share it.
PK1_CMD="taskset -c 0 $PK package $PLUGIN -o $PK_ZIP"
ZIP_CMD="sh -c 'cd $TREE && rm -f ../pkg-out/zip.zip && zip -q -r -X -6 ../pkg-out/zip.zip bigplugin'"
PY_CMD="$PY $BENCH/pyzip.py $PLUGIN $PY_ZIP"
PK_TEXT_CMD="$PK package $TEXT_TREE/bigplugin -o $OUT/text-pk.zip"
ZIP_TEXT_CMD="sh -c 'cd $TEXT_TREE && rm -f ../pkg-out/text-zip.zip && zip -q -r -X -6 ../pkg-out/text-zip.zip bigplugin'"
PY_TEXT_CMD="$PY $BENCH/pyzip.py $TEXT_TREE/bigplugin $OUT/text-python.zip"

# --- 3. Correctness first --------------------------------------------------------------------
say "checking: all three write a package of the same files that unzip -t accepts"
rm -f "$PK_ZIP" "$ZIP_ZIP" "$PY_ZIP"
$PK_CMD --quiet >/dev/null
eval "$ZIP_CMD"
$PY_CMD
for z in "$PK_ZIP" "$ZIP_ZIP" "$PY_ZIP"; do
    unzip -tq "$z" >/dev/null || die "unzip -t failed on $z"
done
listing() { unzip -Z1 "$1" | grep -v '/$' | LC_ALL=C sort; }
[[ $(listing "$PK_ZIP") == "$(listing "$ZIP_ZIP")" ]] || die "pluginkit and zip packaged different files"
[[ $(listing "$PK_ZIP") == "$(listing "$PY_ZIP")" ]] || die "pluginkit and Python packaged different files"
[[ $(listing "$PK_ZIP" | wc -l) == "$FILES" ]] || die "the package does not hold the plugin's $FILES files"
"$PK" validate "$PK_ZIP" >/dev/null || die "pluginkit validate refuses $PK_ZIP"
SHA1=$(sha256sum "$PK_ZIP" | cut -d' ' -f1)
RAYON_NUM_THREADS=1 $PK_CMD --quiet >/dev/null
SHA2=$(sha256sum "$PK_ZIP" | cut -d' ' -f1)
[[ $SHA1 == "$SHA2" ]] || die "two and one threads gave different packages ($SHA1, $SHA2)"
say "    the same $FILES files in all three; pluginkit's sha256 $SHA1 with 1 or 2 threads"
$PK_TEXT_CMD --quiet >/dev/null
eval "$ZIP_TEXT_CMD"
$PY_TEXT_CMD
[[ $(listing "$OUT/text-pk.zip") == "$(listing "$OUT/text-zip.zip")" ]] || die "pluginkit and zip packaged different files (compressible files only)"
[[ $(listing "$OUT/text-pk.zip") == "$(listing "$OUT/text-python.zip")" ]] || die "pluginkit and Python packaged different files (compressible files only)"
SIZES="$(stat -c %s "$PK_ZIP") $(stat -c %s "$ZIP_ZIP") $(stat -c %s "$PY_ZIP")"
TEXT_SIZES="$(stat -c %s "$OUT/text-pk.zip") $(stat -c %s "$OUT/text-zip.zip") $(stat -c %s "$OUT/text-python.zip")"
sync

# --- 4. A quiet machine ----------------------------------------------------------------------
wait_for_idle

# --- 5. Timings ------------------------------------------------------------------------------
# CPU time the whole machine spent, in clock ticks: compared with what the timed commands used,
# it shows whether anything else ran during the timings (the busy checks only see before and
# after).
busy_ticks() {
    local user nice system irq softirq steal
    read -r _ user nice system _ _ irq softirq steal _ </proc/stat
    echo $((user + nice + system + irq + softirq + steal))
}
TICKS_BEFORE=$(busy_ticks)
TIME_BEFORE=$(date +%s.%N)
say "timing: package one plugin of $FILES files ($RUNS runs, $WARMUP warmup)"
with_baseline \
    -n "pluginkit package" "$PK_CMD" \
    -n "pluginkit package (1 CPU)" "$PK1_CMD" \
    -n "zip -r -X -6" "$ZIP_CMD" \
    -n "Python zipfile (level 6)" "$PY_CMD"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --export-markdown "$BENCH/package.md" --export-json "$BENCH/package.json" "${HF[@]}" >&2
say "timing: the same without its incompressible files, $TEXT_FILES files"
with_baseline \
    -n "pluginkit package" "$PK_TEXT_CMD" \
    -n "zip -r -X -6" "$ZIP_TEXT_CMD" \
    -n "Python zipfile (level 6)" "$PY_TEXT_CMD"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --export-markdown "$BENCH/package-text.md" --export-json "$BENCH/package-text.json" "${HF[@]}" >&2
TICKS_AFTER=$(busy_ticks)
TIME_AFTER=$(date +%s.%N)
BUSY_AFTER=$(cpu_busy)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# Seconds of CPU the machine spent during the timings, and how long they took.
MACHINE_CPU=$(awk -v t="$((TICKS_AFTER - TICKS_BEFORE))" -v hz="$(getconf CLK_TCK)" 'BEGIN { print t / hz }')
TIMINGS_WALL=$(awk -v a="$TIME_BEFORE" -v b="$TIME_AFTER" 'BEGIN { print b - a }')

# --- 6. Peak memory --------------------------------------------------------------------------
declare -A RSS
if [[ -x /usr/bin/time ]]; then
    say "peak memory (/usr/bin/time -v)"
    maxrss() { # maxrss CMD: "Maximum resident set size" in kB
        eval "/usr/bin/time -v -o $BENCH/package-time.txt $1" >/dev/null 2>&1 || true
        awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH/package-time.txt"
    }
    RSS[pk]=$(maxrss "$PK_CMD")
    RSS[pk1]=$(maxrss "$PK1_CMD")
    RSS[zip]=$(maxrss "$ZIP_CMD")
    RSS[py]=$(maxrss "$PY_CMD")
else
    say "/usr/bin/time is missing (apt-get install time): no peak memory figures"
fi

# --- 7. Summary ------------------------------------------------------------------------------
SUMMARY=$BENCH/package-summary.txt
"$PY" - "$BENCH/package.json" "$FILES" "$BYTES" "$SIZES" "${RSS[pk]:-}" "${RSS[pk1]:-}" \
    "${RSS[zip]:-}" "${RSS[py]:-}" "$BUSY_BEFORE" "$LOAD_BEFORE" "$BUSY_AFTER" "$LOAD_AFTER" \
    "$SOURCE_STATE" "$BENCH/package-text.json" "$TEXT_FILES" "$TEXT_BYTES" "$TEXT_SIZES" \
    "$MACHINE_CPU" "$TIMINGS_WALL" "$WARMUP" <<'PY' | tee "$SUMMARY"
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
files, size = int(sys.argv[2]), int(sys.argv[3])
sizes = [int(s) for s in sys.argv[4].split()]
rss = dict(zip(["pk", "pk1", "zip", "py"], sys.argv[5:9]))
busy_before, load_before, busy_after, load_after, source = sys.argv[9:14]
pk, pk1 = r["pluginkit package"], r["pluginkit package (1 CPU)"]
zp, py = r["zip -r -X -6"], r["Python zipfile (level 6)"]
def ms(x): return f'{x["mean"] * 1000:8.1f} ms ± {(x["stddev"] or 0) * 1000:6.1f}'
def cpu(x): return f'cpu {(x["user"] + x["system"]) * 1000:8.1f} ms'
def mb(k): return f'{int(rss[k]) / 1024:7.1f} MB' if rss[k] else "    n/a"
def row(label, x, k, out):
    print(f"    {label:<34}{ms(x)}   {cpu(x)}   peak RSS {mb(k)}   package {out / 1e6:6.1f} MB")
print()
print(f"pluginkit at {source}")
print(f"machine {busy_before}% busy (load {load_before}) before the timings, {busy_after}% (load {load_after}) after")
print(f"package one plugin, {files} files, {size / 1e6:.1f} MB: wall-clock mean ± σ, user+system CPU, peak RSS")
row("pluginkit package", pk, "pk", sizes[0])
row("pluginkit package, 1 CPU", pk1, "pk1", sizes[0])
row("zip -r -X -6", zp, "zip", sizes[1])
row("Python zipfile, level 6", py, "py", sizes[2])
vs_zip, vs_py = pk["mean"] / zp["mean"], py["mean"] / pk["mean"]
print(f"    ratio pluginkit / zip: {vs_zip:.2f}   target <= 1.0: {'MET' if vs_zip <= 1.0 else 'MISSED'}"
      f"   (1 CPU {pk1['mean'] / zp['mean']:.2f})")
print(f"    Python zipfile / pluginkit: {vs_py:.1f}x   target >= 3x: {'MET' if vs_py >= 3 else 'MISSED'}"
      f"   (1 CPU {py['mean'] / pk1['mean']:.1f}x)")
t = {x["command"]: x for x in json.load(open(sys.argv[14]))["results"]}
tfiles, tsize = int(sys.argv[15]), int(sys.argv[16])
tsizes = [int(s) for s in sys.argv[17].split()]
tpk, tzp, tpy = t["pluginkit package"], t["zip -r -X -6"], t["Python zipfile (level 6)"]
print(f"the same without its incompressible files, {tfiles} files, {tsize / 1e6:.1f} MB:")
for label, x, out in [("pluginkit package", tpk, tsizes[0]), ("zip -r -X -6", tzp, tsizes[1]),
                      ("Python zipfile, level 6", tpy, tsizes[2])]:
    print(f"    {label:<34}{ms(x)}   {cpu(x)}   package {out / 1e6:6.1f} MB")
print(f"    ratio pluginkit / zip: {tpk['mean'] / tzp['mean']:.2f}; Python zipfile / pluginkit: "
      f"{tpy['mean'] / tpk['mean']:.1f}x; by CPU time {(tpy['user'] + tpy['system']) / (tpk['user'] + tpk['system']):.1f}x")
# Everything else that ran during the timings: the machine's CPU time minus the commands'.
machine_cpu, wall, warmup = float(sys.argv[18]), float(sys.argv[19]), int(sys.argv[20])
ours = sum((x["user"] + x["system"]) * (len(x["times"]) + warmup)
           for x in list(r.values()) + list(t.values()))
other = max(machine_cpu - ours, 0) / wall
print(f"other work during the timings (other processes, and the kernel writing the packages to "
      f"disk): {other * 100:.0f}% of one CPU on average"
      + ("" if other < 0.25 else ": the machine was busy, expect noisy figures and run again"))
PY
baseline_summary "package one plugin" "$BENCH/package.json" \
    "the same without its incompressible files" "$BENCH/package-text.json" | tee -a "$SUMMARY"
say "tables: $BENCH/package.md, $BENCH/package-text.md; summary: $SUMMARY"
