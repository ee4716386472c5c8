# Shared by the benchmark scripts, which source it: messages, waiting for a quiet machine (the
# figures are only as good as the machine is quiet; another engineer may be building in the same
# VM), building the binary that is timed, and naming what was measured. Set BENCH_SCRIPT to the
# script's name before sourcing, for the error messages.

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
    cd "$(dirname "${BASH_SOURCE[0]}")/.."
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
