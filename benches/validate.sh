#!/usr/bin/env bash
# Benchmark: `pluginkit validate --flavor fba` against check-jsonschema (the FBA project's own
# JSON schema for plugin.toml) on 10,000 generated FBA plugins, and `pluginkit list` on 1,000
# native plugins. Figures and how to read them: BENCHMARKS.md.
#
# Usage (from the repository root):  bash benches/validate.sh [--regen]
#   --regen   regenerate the plugin trees under target/bench/ even if they are already there
#
# Environment:
#   PLUGINKIT_BENCH_SCHEMA   the FBA JSON schema [../shared/corpus/fba/plugin.schema.json]
#   BENCH_RUNS               timed runs per command for validate [10]
#   BENCH_LIST_RUNS          timed runs per command for list [30]
#   BENCH_WARMUP             warmup runs per command [1]
#   BENCH_IDLE_WAIT          how long to wait for an idle machine before timing, in seconds [300]
#   BENCH_BASELINE           a git revision: also time pluginkit built at it, as
#                            pluginkit@<commit>, beside the current build (see benches/lib.sh,
#                            build_baseline) [none]
#
# Everything it makes lives under target/: target/bench-venv (check-jsonschema), target/bench
# (the plugin trees, hyperfine's exports and the summary).
set -euo pipefail

BENCH_SCRIPT=validate.sh
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
    *) die "unknown argument: $arg (usage: bash benches/validate.sh [--regen])" ;;
    esac
done

enter_repository

SCHEMA=${PLUGINKIT_BENCH_SCHEMA:-../shared/corpus/fba/plugin.schema.json}
RUNS=${BENCH_RUNS:-10}
LIST_RUNS=${BENCH_LIST_RUNS:-30}
WARMUP=${BENCH_WARMUP:-1}
[[ -f "$SCHEMA" ]] || die "the FBA JSON schema $SCHEMA does not exist; set PLUGINKIT_BENCH_SCHEMA to its path"
SCHEMA=$(cd "$(dirname "$SCHEMA")" && pwd)/$(basename "$SCHEMA")

BENCH=target/bench
VENV=target/bench-venv
FBA=$BENCH/fba10k
NATIVE=$BENCH/native1k
FILES=$BENCH/fba10k.files0 # the 10,000 plugin.toml paths, NUL-separated
PK=$BENCH/pluginkit # a copy of target/release/pluginkit, so a rebuild meanwhile changes nothing
CJS=$VENV/bin/check-jsonschema
GEN_VERSION=2 # bump when the generator changes: the trees are then regenerated

# The version before FBA's real layout was known rejects the generated plugins (api/v1/sys/), as
# it rejected FBA's own: its runs exit 1, and are timed all the same.
BASELINE_MAY_FAIL=1

# --- 1. Build --------------------------------------------------------------------------------
build_pluginkit "$PK"
build_baseline
# The file-system floor (benches/fs_floor.rs): the system calls FBA's rules need, nothing else.
say "cargo bench --bench fs_floor --no-run"
FLOOR_BIN=$(cargo bench --bench fs_floor --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "fs_floor" and m.get("executable"):
        print(m["executable"])')
[[ -x $FLOOR_BIN ]] || die "cargo bench --bench fs_floor --no-run built no executable"
FLOOR=$BENCH/fs-floor
cp "$FLOOR_BIN" "$FLOOR.tmp" && mv "$FLOOR.tmp" "$FLOOR"
SOURCE_STATE=$(source_state)

# --- 2. check-jsonschema in a virtualenv -----------------------------------------------------
if [[ ! -x $CJS ]]; then
    say "creating $VENV and installing check-jsonschema"
    [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check check-jsonschema
fi
[[ -x $CJS ]] || die "check-jsonschema is not installed in $VENV"

# --- 3. The plugin trees ---------------------------------------------------------------------
mkdir -p "$BENCH"
if [[ $REGEN == 1 || ! -f $BENCH/.generated || $(cat "$BENCH/.generated") != "$GEN_VERSION" ]]; then
    say "generating $FBA (10,000 FBA plugins) and $NATIVE (1,000 native plugins)"
    rm -rf "$FBA" "$NATIVE" "$FILES" "$BENCH/.generated" "$BENCH/.gen-tmp"
    mkdir -p "$BENCH/.gen-tmp"
    "$VENV/bin/python" - "$BENCH/.gen-tmp" <<'PY'
import os, sys

out = sys.argv[1]

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

# --- 10,000 FBA plugins, modelled on ../shared/corpus/fba/*/plugin.toml ---
SUMMARIES = ["参数配置", "数据字典", "通知公告", "电子邮件", "代码生成", "OAuth 2.0",
             "Audit log", "Task scheduler", "File storage", "Payment gateway"]
DESCRIPTIONS = ["通常用于动态配置系统参数和前端工程数据展示", "通常用于约束前端工程数据展示",
                "用于发布系统内部通知、公告", "提供邮件发送功能，支持验证码、通知等场景",
                "Keeps a searchable record of who changed what, and when",
                "Runs periodic jobs and shows their history in the admin"]
AUTHORS = ["wu-clan", "downdawn", "Ada Lovelace <ada@example.com>", "fba-contrib"]
API_NAMES = ["config", "dict_data", "dict_type", "notice", "audit_log", "job", "file",
             "order", "webhook", "token"]
API_TAGS = ["系统参数配置", "系统字典数据", "系统字典类型", "系统通知公告", "Audit", "Jobs",
            "Files", "Orders", "Webhooks", "Tokens"]
API_PY = '''from fastapi import APIRouter

from backend.common.response.response_schema import ResponseModel, response_base

router = APIRouter()


@router.get('', summary='{summary}')
async def get_all_{name}() -> ResponseModel:
    return response_base.success()
'''
ROUTER_PY = '''from fastapi import APIRouter

from backend.core.conf import settings
from backend.plugin.{plugin}.api.v1.{plugin} import router as {plugin}_router

v1 = APIRouter(prefix=settings.FASTAPI_API_V1_PATH)
v1.include_router({plugin}_router, prefix='/{plugin}', tags=['{summary}'])
'''

fba = os.path.join(out, "fba10k")
paths = []
for i in range(10000):
    name = f"p{i:05d}"
    d = os.path.join(fba, name)
    summary = SUMMARIES[i % len(SUMMARIES)]
    lines = [
        "[plugin]",
        f'summary = "{summary}"',
        f'version = "{i % 3}.{i % 17}.{i % 101}"',
        f'description = "{DESCRIPTIONS[i % len(DESCRIPTIONS)]} ({name})"',
        f'author = "{AUTHORS[i % len(AUTHORS)]}"',
        'tags = ["other"]',
        'database = ["mysql", "postgresql"]',
        "",
        "[app]",
    ]
    if i % 2 == 0:
        # extend-level, in FBA's own layout: [app] extend, one or two [api.<stem>] tables, and
        # api/v1/sys/<stem>.py each (FBA walks api/ and looks each file up by its stem)
        lines.append('extend = "admin"')
        k = i // 2
        apis = [k % len(API_NAMES)] + ([(k + 3) % len(API_NAMES)] if i % 4 == 0 else [])
        for a in apis:
            api = API_NAMES[a]
            prefix = "/" + api.replace("_", "-") + "s"
            lines += ["", f"[api.{api}]", f'prefix = "{prefix}"', f'tags = "{API_TAGS[a]}"']
            write(os.path.join(d, "api", "v1", "sys", f"{api}.py"), API_PY.format(summary=summary, name=api))
        for pkg in ["api", "api/v1", "api/v1/sys"]:
            write(os.path.join(d, pkg, "__init__.py"), "")
    else:
        # app-level, as FBA's code_generator: [app] router, [settings] with upper-case keys,
        # api/router.py and the modules it includes under api/v1/
        lines.append('router = ["v1"]')
        up = name.upper()
        lines += [
            "",
            "[settings]",
            f"{up}_EXPIRE_SECONDS = {60 + i % 600}  # {1 + i % 10} 分钟",
            f'{up}_REDIS_PREFIX = "fba:{name}:captcha"',
        ]
        if i % 3 == 1:
            lines += [f'{up}_HOST = "smtp.example.com"', f"{up}_PORT = 465", f"{up}_SSL = true"]
        write(os.path.join(d, "api", "__init__.py"), "")
        write(os.path.join(d, "api", "router.py"), ROUTER_PY.format(plugin=name, summary=summary))
        write(os.path.join(d, "api", "v1", "__init__.py"), "")
        write(os.path.join(d, "api", "v1", f"{name}.py"), API_PY.format(summary=summary, name=name))
    write(os.path.join(d, "plugin.toml"), "\n".join(lines) + "\n")
    write(os.path.join(d, "README.md"), f"# {summary}\n\n{name}: a generated FBA plugin for the pluginkit benchmark.\n")
    write(os.path.join(d, "__init__.py"), "")
    paths.append(f"target/bench/fba10k/{name}/plugin.toml")

with open(os.path.join(out, "fba10k.files0"), "w") as f:
    f.write("\0".join(paths) + "\0")

# --- 1,000 native plugins; a third carry an ENABLED or DISABLED marker ---
native = os.path.join(out, "native1k")
for i in range(1000):
    name = f"p{i:04d}"
    d = os.path.join(native, name)
    write(os.path.join(d, "plugin.toml"), "\n".join([
        "[plugin]",
        f'name = "{name}"',
        'version = "1.2.3"',
        f'summary = "Generated native plugin number {i}"',
        'author = "Ada <ada@example.com>"',
        'license = "MIT"',
    ]) + "\n")
    write(os.path.join(d, "README.md"), f"# {name}\n\nA generated native plugin.\n")
    if i % 3 == 0:
        write(os.path.join(d, "ENABLED" if i % 2 == 0 else "DISABLED"), "")
PY
    mv "$BENCH/.gen-tmp/fba10k" "$FBA"
    mv "$BENCH/.gen-tmp/native1k" "$NATIVE"
    mv "$BENCH/.gen-tmp/fba10k.files0" "$FILES"
    rmdir "$BENCH/.gen-tmp"
    echo "$GEN_VERSION" >"$BENCH/.generated"
else
    say "reusing $FBA and $NATIVE (--regen to regenerate)"
fi

# FBA's six built-in plugins, in the shapes of ../shared/corpus/fba/*/FILES.txt (the test fixtures).
REAL=$BENCH/fba6
REAL_NAMES=(code_generator config dict email notice oauth2)
rm -rf "$REAL"
mkdir -p "$REAL"
# Every file FILES.txt lists: the manifest, README and requirements as they are, the Python
# modules and SQL scripts as small stand-ins (as tests/it/support/mod.rs rebuilds them).
for p in "${REAL_NAMES[@]}"; do
    while IFS= read -r f; do
        mkdir -p "$(dirname "$REAL/$p/$f")"
        if [[ -f tests/fixtures/fba/$p/$f ]]; then
            cp "tests/fixtures/fba/$p/$f" "$REAL/$p/$f"
        elif [[ $f == api/router.py ]]; then
            printf 'from fastapi import APIRouter\nv1 = APIRouter()\n' >"$REAL/$p/$f"
        elif [[ $f == api/*.py && $f != */__init__.py ]]; then
            printf 'from fastapi import APIRouter\nrouter = APIRouter()\n' >"$REAL/$p/$f"
        elif [[ $f == *.sql ]]; then
            printf -- '-- sql\n' >"$REAL/$p/$f"
        else
            : >"$REAL/$p/$f"
        fi
    done <"tests/fixtures/fba/$p/FILES.txt"
done
REAL_TOMLS=$(printf "$REAL/%s/plugin.toml " "${REAL_NAMES[@]}")

# check-jsonschema gets every path on one command line when they fit (they do on Linux: ~390 kB
# against a 2 MB ARG_MAX); xargs only splits if they do not, and the whole xargs run is timed.
ARGMAX=$(getconf ARG_MAX)
XARGS_S=$((ARGMAX - 65536))
CJS_CMD="xargs -0 -s $XARGS_S -a $FILES $CJS --schemafile $SCHEMA"
BATCHES=$(xargs -0 -s "$XARGS_S" -a "$FILES" sh -c 'echo $#' sh 2>/dev/null | wc -l)
NFILES=$(tr -cd '\0' <"$FILES" | wc -c)
[[ $NFILES == 10000 ]] || die "$FILES lists $NFILES files, not 10000 (try --regen)"

# --- 4. Correctness first --------------------------------------------------------------------
say "checking: pluginkit validate $FBA --flavor fba --format json"
set +e
PK_JSON=$("$PK" validate "$FBA" --flavor fba --format json)
rc=$?
set -e
[[ $rc == 0 ]] || {
    echo "$PK_JSON" | head -50 >&2
    die "pluginkit validate exited $rc on $FBA"
}
read -r CHECKED ERRORS WARNINGS < <(printf '%s' "$PK_JSON" | "$VENV/bin/python" -c '
import json, sys
s = json.load(sys.stdin)["summary"]
print(s["checked"], s["errors"], s["warnings"])')
say "    \"checked\": $CHECKED, errors: $ERRORS, warnings: $WARNINGS"
[[ $CHECKED == 10000 ]] || die "pluginkit validate reported \"checked\": $CHECKED, not 10000"
[[ $ERRORS == 0 && $WARNINGS == 0 ]] || die "pluginkit validate found $ERRORS error(s), $WARNINGS warning(s) in the generated plugins"

say "checking: pluginkit validate $REAL --flavor fba (FBA's six built-in plugins)"
REAL_JSON=$("$PK" validate "$REAL" --flavor fba --format json) || {
    echo "$REAL_JSON" | head -50 >&2
    die "pluginkit validate rejected FBA's own plugins in $REAL"
}
read -r CHECKED ERRORS WARNINGS < <(printf '%s' "$REAL_JSON" | "$VENV/bin/python" -c '
import json, sys
s = json.load(sys.stdin)["summary"]
print(s["checked"], s["errors"], s["warnings"])')
[[ $CHECKED == 6 && $ERRORS == 0 && $WARNINGS == 0 ]] ||
    die "pluginkit validate on $REAL: \"checked\": $CHECKED, $ERRORS error(s), $WARNINGS warning(s)"
# shellcheck disable=SC2086 # the six paths, split on purpose
$CJS --schemafile "$SCHEMA" $REAL_TOMLS >"$BENCH/check-jsonschema-real.out" 2>&1 || {
    cat "$BENCH/check-jsonschema-real.out" >&2
    die "check-jsonschema rejected FBA's own plugin.toml files"
}

say "checking: check-jsonschema over the same 10,000 plugin.toml ($BATCHES invocation(s))"
$CJS_CMD >"$BENCH/check-jsonschema.out" 2>&1 || {
    tail -30 "$BENCH/check-jsonschema.out" >&2
    die "check-jsonschema rejected some of the generated plugin.toml files"
}

say "checking: pluginkit --plugins-dir $NATIVE list --format json"
"$PK" --plugins-dir "$NATIVE" list --format json >"$BENCH/list-output.json"
"$VENV/bin/python" - "$BENCH/list-output.json" <<'PY' || die "pluginkit list did not list the 1,000 native plugins as expected"
import json, sys, collections
plugins = json.load(open(sys.argv[1]))["plugins"]
sources = collections.Counter(p["state_source"] for p in plugins)
invalid = [p["name"] for p in plugins if not p["valid"]]
print(f"    list: {len(plugins)} plugins, state sources {dict(sources)}, invalid {len(invalid)}", file=sys.stderr)
assert len(plugins) == 1000, len(plugins)
assert not invalid, invalid[:5]
assert {p["flavor"] for p in plugins} == {"pluginkit"}, {p["flavor"] for p in plugins}  # the native flavor
PY

# Both checkers must really check: each must reject a manifest that breaks the schema (a version
# that is not x.y.z, and an [api] table without its tags).
NEG=$BENCH/negative/pneg
rm -rf "$NEG"
mkdir -p "$NEG"
sed -e 's/^version = .*/version = "1.0"/' -e '/^tags = "/d' "$FBA/p00000/plugin.toml" >"$NEG/plugin.toml"
cp "$FBA/p00000/README.md" "$FBA/p00000/__init__.py" "$NEG/"
cp -r "$FBA/p00000/api" "$NEG/"
if "$PK" validate "$NEG" --flavor fba >/dev/null 2>&1; then die "negative control: pluginkit accepted $NEG/plugin.toml"; fi
if "$CJS" --schemafile "$SCHEMA" "$NEG/plugin.toml" >/dev/null 2>&1; then die "negative control: check-jsonschema accepted $NEG/plugin.toml"; fi
say "negative control: both reject $NEG/plugin.toml"

# Flush what generation (or anything else) left dirty, so writeback does not land in the timings.
sync

# The figures are only as good as the machine is quiet: wait for it (BENCH_IDLE_WAIT).
IDLE_WAIT=${BENCH_IDLE_WAIT:-300}
wait_for_idle

# --- 5. Timings ------------------------------------------------------------------------------
PK_VALIDATE="$PK validate $FBA --flavor fba"
PK_VALIDATE_1T="env RAYON_NUM_THREADS=1 $PK validate $FBA --flavor fba"
CJS_ONE="$CJS --schemafile $SCHEMA $FBA/p00000/plugin.toml"
PK_LIST="$PK --plugins-dir $NATIVE list"
PK_LIST_JSON="$PK --plugins-dir $NATIVE list --format json"

if [[ -z ${BENCH_NO_HYPERFINE:-} ]] && ! command -v hyperfine >/dev/null; then
    say "hyperfine is missing: trying apt-get install -y hyperfine"
    if command -v apt-get >/dev/null; then
        apt-get install -y hyperfine >/dev/null 2>&1 ||
            { apt-get update >/dev/null 2>&1 && apt-get install -y hyperfine >/dev/null 2>&1; } ||
            say "could not install hyperfine; falling back to a timing loop"
    fi
fi

# Fallback: mean of N runs with date +%s%N; writes the same JSON and Markdown as hyperfine.
loop_bench() { # loop_bench WARMUP RUNS MD JSON NAME CMD [NAME CMD]...
    local warmup=$1 runs=$2 md=$3 json=$4
    shift 4
    local results=() name cmd i t0 t1 times
    printf '| Command | Mean [ms] | Runs |\n|:---|---:|---:|\n' >"$md"
    while (($#)); do
        name=$1 cmd=$2
        shift 2
        for ((i = 0; i < warmup; i++)); do bash -c "$cmd" >/dev/null 2>&1; done
        times=()
        for ((i = 0; i < runs; i++)); do
            t0=$(date +%s%N)
            bash -c "$cmd" >/dev/null 2>&1
            t1=$(date +%s%N)
            times+=("$(((t1 - t0) / 1000))")
        done
        results+=("$name" "${times[*]}")
    done
    "$VENV/bin/python" - "$md" "$json" "${results[@]}" <<'PY'
import json, statistics, sys
md, js, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
out = []
with open(md, "a") as f:
    for name, times in zip(rest[::2], rest[1::2]):
        t = [int(x) / 1e6 for x in times.split()]
        out.append({"command": name, "mean": statistics.mean(t),
                    "stddev": statistics.stdev(t) if len(t) > 1 else 0, "times": t})
        f.write(f"| `{name}` | {statistics.mean(t) * 1000:.1f} | {len(t)} |\n")
json.dump({"results": out}, open(js, "w"), indent=2)
PY
}

bench() { # bench WARMUP RUNS STEM NAME CMD [NAME CMD]...; with BENCH_BASELINE, the baseline's too
    local warmup=$1 runs=$2 stem=$3
    shift 3
    local args=() pairs=() i
    while (($#)); do
        args+=(-n "$1" "$2")
        shift 2
    done
    with_baseline "${args[@]}"
    if [[ -z ${BENCH_NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null; then
        hyperfine --style basic --warmup "$warmup" --runs "$runs" \
            --export-markdown "$stem.md" --export-json "$stem.json" "${HF[@]}" >&2
    else
        for ((i = 0; i < ${#HF[@]}; i += 3)); do pairs+=("${HF[i + 1]}" "${HF[i + 2]}"); done
        loop_bench "$warmup" "$runs" "$stem.md" "$stem.json" "${pairs[@]}"
    fi
}

say "timing validate: pluginkit vs check-jsonschema, 10,000 FBA plugins ($RUNS runs, $WARMUP warmup)"
bench "$WARMUP" "$RUNS" "$BENCH/validate" \
    "pluginkit validate" "$PK_VALIDATE" \
    "pluginkit validate (1 thread)" "$PK_VALIDATE_1T" \
    "file-system floor" "$FLOOR $FBA" \
    "check-jsonschema" "$CJS_CMD" \
    "check-jsonschema, 1 file (startup)" "$CJS_ONE"

say "timing validate: pluginkit vs check-jsonschema, FBA's six built-in plugins ($LIST_RUNS runs, 3 warmup)"
bench 3 "$LIST_RUNS" "$BENCH/validate-real" \
    "pluginkit validate, 6 real" "$PK validate $REAL --flavor fba" \
    "check-jsonschema, 6 real" "$CJS --schemafile $SCHEMA $REAL_TOMLS"

say "timing list: 1,000 native plugins ($LIST_RUNS runs, 3 warmup)"
bench 3 "$LIST_RUNS" "$BENCH/list" \
    "pluginkit list" "$PK_LIST" \
    "pluginkit list --format json" "$PK_LIST_JSON"

# --- 6. Peak memory --------------------------------------------------------------------------
declare -A RSS
if [[ -x /usr/bin/time ]]; then
    say "peak memory (/usr/bin/time -v)"
    maxrss() { # maxrss CMD: "Maximum resident set size" in kB, of the command and its children
        # shellcheck disable=SC2086 # the commands are plain words, split on purpose
        /usr/bin/time -v -o "$BENCH/time.txt" $1 >/dev/null 2>&1 || true
        awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH/time.txt"
    }
    RSS[validate]=$(maxrss "$PK_VALIDATE")
    RSS[validate1t]=$(maxrss "$PK_VALIDATE_1T")
    RSS[cjs]=$(maxrss "$CJS_CMD")
    RSS[list]=$(maxrss "$PK_LIST")
    RSS[listjson]=$(maxrss "$PK_LIST_JSON")
else
    say "/usr/bin/time is missing (apt-get install time): no peak memory figures"
fi

# --- 7. Summary ------------------------------------------------------------------------------
SUMMARY=$BENCH/summary.txt
"$VENV/bin/python" - "$BENCH/validate.json" "$BENCH/list.json" "$BENCH/validate-real.json" \
    "${RSS[validate]:-}" "${RSS[validate1t]:-}" "${RSS[cjs]:-}" "${RSS[list]:-}" "${RSS[listjson]:-}" \
    "$BATCHES" "$BUSY_BEFORE" "$(cpu_busy)" "$SOURCE_STATE" <<'PY' | tee "$SUMMARY"
import json, sys
v = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
l = {r["command"]: r for r in json.load(open(sys.argv[2]))["results"]}
real = {r["command"]: r for r in json.load(open(sys.argv[3]))["results"]}
rss = dict(zip(["validate", "validate1t", "cjs", "list", "listjson"], sys.argv[4:9]))
batches, busy_before, busy_after, source = sys.argv[9:13]
def ms(r): return f'{r["mean"] * 1000:8.1f} ms ± {(r["stddev"] or 0) * 1000:5.1f}'
def cpu(r):  # user + system CPU time (hyperfine only)
    return f'cpu {(r["user"] + r["system"]) * 1000:7.1f} ms' if r.get("user") is not None else "cpu     n/a"
def mb(k): return f'{int(rss[k]) / 1024:7.1f} MB' if rss[k] else "      n/a"
pk, pk1, cjs = v["pluginkit validate"], v["pluginkit validate (1 thread)"], v["check-jsonschema"]
cjs1 = v["check-jsonschema, 1 file (startup)"]
ls, lj = l["pluginkit list"], l["pluginkit list --format json"]
ratio, ratio1 = cjs["mean"] / pk["mean"], cjs["mean"] / pk1["mean"]
def row(label, r, k=None, note=""):
    print(f"    {label:<42}{ms(r)}   {cpu(r)}   peak RSS {mb(k) if k else '      -   '}{note}")
def met(ok): return "MET" if ok else "MISSED"
print()
print(f"pluginkit at {source}; machine busy {busy_before}% before the timings, {busy_after}% after")
print("Summary: wall-clock mean ± σ, user+system CPU time, peak RSS (/usr/bin/time -v)")
print("  validate, 10,000 FBA plugins")
row("pluginkit validate --flavor fba", pk, "validate")
row("pluginkit validate, RAYON_NUM_THREADS=1", pk1, "validate1t")
row(f"check-jsonschema ({batches} invocation(s))", cjs, "cjs")
row("check-jsonschema on 1 file (its startup)", cjs1)
floor = v["file-system floor"]
row("the file-system floor (benches/fs_floor.rs)", floor)
print(f"    ratio check-jsonschema / pluginkit: {ratio:.1f}x   target >= 20x: {met(ratio >= 20)}")
print(f"      (check-jsonschema / the file-system floor: {cjs['mean'] / floor['mean']:.1f}x; "
      f"pluginkit takes {pk['mean'] / floor['mean']:.2f}x the floor)")
print(f"      (vs 1 thread: {ratio1:.1f}x; check-jsonschema's startup taken off: "
      f"{(cjs['mean'] - cjs1['mean']) / pk['mean']:.1f}x", end="")
if pk.get("user") is not None:
    print(f"; by CPU time: {(cjs['user'] + cjs['system']) / (pk['user'] + pk['system']):.1f}x", end="")
print(")")
print("  validate, FBA's six built-in plugins")
rpk, rcjs = real["pluginkit validate, 6 real"], real["check-jsonschema, 6 real"]
row("pluginkit validate --flavor fba", rpk)
row("check-jsonschema", rcjs)
rratio = rcjs["mean"] / rpk["mean"]
print(f"    ratio check-jsonschema / pluginkit: {rratio:.1f}x   target >= 20x: {met(rratio >= 20)}")
print("  list, 1,000 native plugins   target < 50 ms")
row("pluginkit list", ls, "list", f"   {met(ls['mean'] < 0.05)}")
row("pluginkit list --format json", lj, "listjson", f"   {met(lj['mean'] < 0.05)}")
PY
baseline_summary "validate, 10,000 FBA plugins" "$BENCH/validate.json" "validate, FBA's six built-in plugins" "$BENCH/validate-real.json" "list, 1,000 native plugins" "$BENCH/list.json" |
    tee -a "$SUMMARY"
say "tables: $BENCH/validate.md $BENCH/list.md; summary: $SUMMARY"
