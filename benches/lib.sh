# Shared by the benchmark scripts, which source it: messages, and waiting for a quiet machine
# (the figures are only as good as the machine is quiet; another engineer may be building in the
# same VM). Set BENCH_SCRIPT to the script's name before sourcing, for the error messages.

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
