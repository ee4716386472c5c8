# shellcheck shell=bash
# Shared by the benchmark scripts, which source it: messages, waiting for a quiet machine (the
# figures are only as good as the machine is quiet; another engineer may be building in the same
# VM), building the binary that is timed and the baseline it is timed against (BENCH_BASELINE),
# and naming what was measured. Set BENCH_SCRIPT to the script's name before sourcing, for the
# error messages.

die() {
    echo "${BENCH_SCRIPT:-bench}: error: $*" >&2
    exit 1
}
say() { printf '==> %s\n' "$*" >&2; }

# Percent of all CPUs busy over one second, from /proc/stat.
cpu_busy() {
    local a b a1 a2 a3 a4 a5 a6 a7 a8 b1 b2 b3 b4 b5 b6 b7 b8
    read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ </proc/stat
    sleep 1
    read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ </proc/stat
    a=$((b1 + b2 + b3 + b6 + b7 + b8 - a1 - a2 - a3 - a6 - a7 - a8))
    b=$((a + b4 + b5 - a4 - a5))
    echo $((b > 0 ? 100 * a / b : 0))
}

# Wait up to IDLE_WAIT seconds for the CPUs to be at most 10% busy, saying so; sets BUSY_BEFORE
# and LOAD_BEFORE, and warns when the machine never got quiet.
wait_for_idle() {
    local waited=0
    BUSY_BEFORE=$(cpu_busy)
    while ((BUSY_BEFORE > 10 && waited < IDLE_WAIT)); do
        say "the machine is ${BUSY_BEFORE}% busy (load $(cut -d' ' -f1-3 /proc/loadavg)): waiting for it to be idle ($waited/${IDLE_WAIT}s)"
        sleep 9
        waited=$((waited + 10))
        BUSY_BEFORE=$(cpu_busy)
    done
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
    if ((BUSY_BEFORE > 10)); then
        say "WARNING: still ${BUSY_BEFORE}% busy after ${IDLE_WAIT}s (load $LOAD_BEFORE): expect noisy figures"
    fi
    say "machine ${BUSY_BEFORE}% busy, load average $LOAD_BEFORE"
}

# The script's header comment (its usage), for --help.
print_help() {
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
}

# Work from the repository's root, wherever the script was started from.
enter_repository() {
    cd "$(dirname "${BASH_SOURCE[0]}")/.." || die "cannot enter the repository"
    [[ -f Cargo.toml && -d src ]] || die "run from the pluginkit repository (no Cargo.toml next to benches/)"
}

# Build pluginkit in release mode and time a copy at $1, so that a rebuild while the benchmark
# runs changes nothing it measures (the copy is renamed into place: fine while one runs); sets
# PK to the copy's absolute path.
build_pluginkit() {
    local dest=$1
    say "cargo build --release"
    cargo build --release --quiet
    [[ -x target/release/pluginkit ]] || die "target/release/pluginkit was not built"
    mkdir -p "$(dirname "$dest")"
    cp target/release/pluginkit "$dest.tmp.$$" && mv -f "$dest.tmp.$$" "$dest"
    PK=$(cd "$(dirname "$dest")" && pwd)/$(basename "$dest")
}

# The baseline, BENCH_BASELINE=<git revision>: pluginkit built at that revision, timed beside
# the current build in every comparison that times pluginkit, so that one run shows whether a
# change made anything slower. build_baseline builds it in release mode in a temporary git
# worktree, target/bench/baseline/<commit>/worktree, removed (and unregistered) once built; the
# binary stays, as target/bench/baseline/<commit>/pluginkit, and later runs reuse it. Its cargo
# target dir, target/bench/baseline/target, is its own (the build does not touch
# target/release) and is shared by the baselines, so another revision only rebuilds what
# changed. Sets BASE_PK (the binary's absolute path), BASE_COMMIT, BASE_REV (the short commit)
# and BASE_NAME (pluginkit@BASE_REV); without BENCH_BASELINE, leaves them empty.
build_baseline() {
    BASE_PK='' BASE_COMMIT='' BASE_REV='' BASE_NAME=''
    [[ -n ${BENCH_BASELINE:-} ]] || return 0
    BASE_COMMIT=$(git rev-parse --verify --quiet "$BENCH_BASELINE^{commit}") ||
        die "BENCH_BASELINE=$BENCH_BASELINE is not a revision of this repository"
    BASE_REV=$(git rev-parse --short "$BASE_COMMIT")
    BASE_NAME=pluginkit@$BASE_REV
    local root dir
    mkdir -p target/bench/baseline
    root=$(cd target/bench/baseline && pwd)
    dir=$root/$BASE_COMMIT
    # Under a lock on the shared target dir, so that two scripts started together build it once
    # and one's build cannot replace the binary another is about to copy. In a subshell, whose
    # EXIT trap removes the worktree however the build ends; set -e does not hold in it (it is
    # tested with ||), so each step exits on failure.
    (
        flock 8
        [[ ! -x $dir/pluginkit ]] || exit 0
        wt=$dir/worktree
        remove_worktree() {
            if [[ -e $wt ]] && ! git worktree remove --force "$wt" 2>/dev/null; then
                rm -rf "$wt"
                git worktree prune
            fi
        }
        remove_worktree # what an interrupted build left
        trap remove_worktree EXIT
        say "building $BASE_NAME ($BASE_COMMIT) in release mode, in a temporary worktree $wt"
        mkdir -p "$dir"
        # --force: also when an earlier run's worktree was deleted but is still registered.
        git worktree add --force --detach --quiet "$wt" "$BASE_COMMIT" || exit 1
        (cd "$wt" && cargo build --release --quiet --target-dir "$root/target") || exit 1
        cp "$root/target/release/pluginkit" "$dir/pluginkit.tmp.$$" || exit 1
        mv -f "$dir/pluginkit.tmp.$$" "$dir/pluginkit"
    ) 8>"$root/build.lock" || die "could not build $BASE_NAME (BENCH_BASELINE=$BENCH_BASELINE)"
    BASE_PK=$dir/pluginkit
    "$BASE_PK" --version >/dev/null || die "$BASE_PK does not run"
    say "baseline: $BASE_NAME, $BASE_PK"
}

# baseline_cmd CMD: CMD with the baseline's binary in place of the one measured ($PK, a word of
# CMD).
baseline_cmd() {
    local c=" $1 "
    c=${c//" $PK "/" $BASE_PK "}
    c=${c#" "}
    c=${c%" "}
    # BASELINE_MAY_FAIL: the baseline judges the inputs by older rules and may exit 1 on them;
    # its time is still the time to read and judge them (one `sh` more per run).
    if [[ -n ${BASELINE_MAY_FAIL:-} ]]; then c="sh -c '$c || true'"; fi
    echo "$c"
}

# with_baseline [-n NAME [--prepare PREPARE] CMD]...: sets HF to the same hyperfine arguments,
# with, when BENCH_BASELINE is set, each command that runs $PK followed by its twin that runs
# the baseline's binary instead: same arguments, same --prepare, named NAME with pluginkit made
# pluginkit@<short commit> ("pluginkit add" -> "pluginkit@4cbfe80 add"). Every command must
# have -n; --prepare, if any command has it, every command (hyperfine pairs them in order).
with_baseline() {
    HF=()
    local name prep cmd has_prep
    while (($#)); do
        [[ $1 == -n && $# -ge 3 ]] || die "with_baseline: expected -n NAME [--prepare PREPARE] CMD, got: $*"
        name=$2
        shift 2
        has_prep=0
        if [[ $1 == --prepare ]]; then
            has_prep=1 prep=$2
            shift 2
        fi
        cmd=$1
        shift
        local twins=("$name" "$cmd")
        if [[ -n ${BASE_PK:-} && " $cmd " == *" $PK "* ]]; then
            if [[ $name == pluginkit* ]]; then
                twins+=("$BASE_NAME${name#pluginkit}" "$(baseline_cmd "$cmd")")
            else
                twins+=("$name ($BASE_NAME)" "$(baseline_cmd "$cmd")")
            fi
        fi
        while ((${#twins[@]})); do
            HF+=(-n "${twins[0]}")
            if ((has_prep)); then HF+=(--prepare "$prep"); fi
            HF+=("${twins[1]}")
            twins=("${twins[@]:2}")
        done
    done
}

# baseline_summary TITLE EXPORT [TITLE EXPORT]...: when BENCH_BASELINE is set, every pluginkit
# command of these hyperfine JSON exports beside its baseline twin, and the ratio current /
# baseline of the wall-clock means (below 1: faster now), ± what the two σ allow, and of the CPU
# time (user + system) where the export has it.
baseline_summary() {
    [[ -n ${BASE_PK:-} ]] || return 0
    python3 - "$BASE_NAME" "$BASE_COMMIT" "${SOURCE_STATE:-$(source_state)}" "$@" <<'PY'
import json, math, sys
base, commit, current, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def ms(x): return f'{x["mean"] * 1000:8.1f} ms ± {(x["stddev"] or 0) * 1000:6.1f}'
def cpu(x): return x["user"] + x["system"] if x.get("user") is not None else None
print(f"against the baseline {base} (commit {commit}); current: {current}")
print("  wall-clock mean ± σ of each; current / baseline by wall clock (± from the two σ), by CPU")
for title, path in zip(rest[::2], rest[1::2]):
    r = {x["command"]: x for x in json.load(open(path))["results"]}
    print(f"  {title}")
    for name, b in r.items():
        if name.startswith(base):  # "pluginkit@REV add" is the twin of "pluginkit add"
            name = "pluginkit" + name[len(base):]
        elif name.endswith(f" ({base})"):  # and "NAME (pluginkit@REV)" of "NAME"
            name = name[:-len(f" ({base})")]
        else:
            continue
        c = r.get(name)
        if c is None:
            continue
        ratio = c["mean"] / b["mean"]
        if c["stddev"] is None or b["stddev"] is None:  # one run: no σ
            err = "  ?"
        else:
            err = f'{ratio * math.hypot(c["stddev"] / c["mean"], b["stddev"] / b["mean"]):4.2f}'
        by_cpu = f"   by CPU {cpu(c) / cpu(b):5.2f}" if cpu(c) and cpu(b) else ""
        print(f"    {name:<40}{ms(c)}   {base}{ms(b)}   ratio {ratio:5.2f} ± {err}{by_cpu}")
PY
}

# What was measured: the commit, and a hash of the uncommitted changes to the sources (tracked
# or new) if there are any.
source_state() {
    local state
    state=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    if ! git diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null ||
        [[ -n $(git ls-files --others --exclude-standard -- src 2>/dev/null) ]]; then
        state+=" + uncommitted changes to src (diff sha256 $( (git diff HEAD -- src Cargo.toml Cargo.lock &&
            git ls-files --others --exclude-standard -z -- src | xargs -0r cat) | sha256sum | cut -c1-12))"
    fi
    echo "$state"
}
