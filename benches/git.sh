#!/usr/bin/env bash
# Benchmark: `pluginkit add git://...` (libgit2, a shallow depth-1 fetch) against
# `git clone --depth 1` of the same repository from the same local `git daemon`, on two
# generated repositories: a small plugin (23 files, 5 commits) and a big one (5,000 Python
# sources in nested folders, 2,000 commits of history), and the peak memory of both.
# Figures and how to read them: BENCHMARKS.md.
#
# Usage (from the repository root):  bash benches/git.sh [--regen] [--generate-only]
#   --regen           regenerate the repositories under target/bench/git/ even if they are there
#   --generate-only   make the repositories and stop
#
# Environment:
#   BENCH_RUNS         timed runs per command on the big repository [10]
#   BENCH_SMALL_RUNS   timed runs per command on the small repository [20]
#   BENCH_WARMUP       warmup runs per command [1]
#   BENCH_IDLE_WAIT    how long to wait for an idle machine before timing, in seconds [300]
#   BENCH_GIT_PORT     the port git daemon listens on, on 127.0.0.1 [a free one]
#   BENCH_UNPACK_DIR   where the two tools write [/dev/shm/pluginkit-bench-git, a tmpfs, when
#                      it has 1 GiB free; else target/bench/git/unpack]
#   BENCH_BASELINE     a git revision: also time pluginkit built at it, as pluginkit@<commit>,
#                      beside the current build (see benches/lib.sh, build_baseline) [none]
#
# The bare repositories (target/bench/git/repos/), hyperfine's exports and the summary live
# under target/bench/git/. The script serves the repositories with
# `git daemon --reuseaddr --listen=127.0.0.1 --port=PORT --base-path=... --export-all`, killed
# when it exits. The tools write into BENCH_UNPACK_DIR, emptied before every run (outside the
# timing) and removed at the end; a tmpfs for the reason benches/install.sh gives (ext4 without
# a journal makes creating files right after deleting thousands slow and erratic).
set -euo pipefail

BENCH_SCRIPT=git.sh
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
    *) die "unknown argument: $arg (usage: bash benches/git.sh [--regen] [--generate-only])" ;;
    esac
done

enter_repository

RUNS=${BENCH_RUNS:-10}
SMALL_RUNS=${BENCH_SMALL_RUNS:-20}
WARMUP=${BENCH_WARMUP:-1}
IDLE_WAIT=${BENCH_IDLE_WAIT:-300}
BENCH=target/bench/git
REPOS=$BENCH/repos # git daemon's --base-path: smallgit.git, biggit.git
if [[ -n ${BENCH_UNPACK_DIR:-} ]]; then
    UNPACK=$BENCH_UNPACK_DIR
elif [[ -d /dev/shm ]] && (($(df -k --output=avail /dev/shm | tail -1) > 1024 * 1024)); then
    UNPACK=/dev/shm/pluginkit-bench-git
else
    UNPACK=$BENCH/unpack
fi
HOST=$UNPACK/host # a pluginkit host: pluginkit.toml, plugins/, .pluginkit/
CLONE_OUT=$UNPACK/clone
PK=$BENCH/pluginkit # a copy of target/release/pluginkit, so a rebuild meanwhile changes nothing
PY=${PYTHON:-python3}
GEN_VERSION=1 # bump when the generator changes: the repositories are then regenerated

command -v hyperfine >/dev/null || die "hyperfine is missing (apt-get install hyperfine)"
command -v git >/dev/null || die "git is missing"
git daemon -h >/dev/null 2>&1 || [[ $? == 129 ]] || die "git daemon is missing (apt-get install git-daemon-run, or a git with its daemon)"
command -v "$PY" >/dev/null || die "$PY is missing"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time): it measures the peak memory"

# --- 1. Build --------------------------------------------------------------------------------
mkdir -p "$BENCH"
if [[ $GENERATE_ONLY == 0 ]]; then
    build_pluginkit "$PK"
    build_baseline
fi
SOURCE_STATE=$(source_state)
LIBGIT2=$(awk '/^name = "libgit2-sys"/ { getline; print $3 }' Cargo.lock | tr -d '"')

# --- 2. The repositories ---------------------------------------------------------------------
# One generator for both, writing a `git fast-import` stream: every commit, blob, date and name
# comes from a fixed seed, so the commit ids are the same on every machine.
generate() { # generate NAME: target/bench/git/repos/NAME.git
    local repo=$REPOS/$1.git
    rm -rf "$repo" "$repo.tmp"
    git init --quiet --bare "$repo.tmp"
    git -C "$repo.tmp" symbolic-ref HEAD refs/heads/main
    "$PY" - "$1" <<'PY' | git -C "$repo.tmp" fast-import --quiet
import random, sys

name = sys.argv[1]
out = sys.stdout.buffer
WORDS = ("user order item plugin config session token request response cache query record "
         "field value index page author notice message status result error account payment "
         "invoice channel event handler service schema model router backend tenant").split()

if name == "smallgit":
    rng = random.Random(20260504)  # fixed seeds: the same repositories on every machine
    COMMITS, FIRST_FILES, ADDED_PER_COMMIT, TOUCHED = 5, 12, 2, (1, 3)
    SUMMARY = "A small plugin for the git install benchmark"
else:
    rng = random.Random(20260505)
    COMMITS, FIRST_FILES, ADDED_PER_COMMIT, TOUCHED = 2000, 1000, 2, (1, 4)
    SUMMARY = "A plugin of 5,000 sources and 2,000 commits for the git install benchmark"

def ident():
    return "_".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))

def function():
    name, args = ident(), ", ".join(ident() for _ in range(rng.randint(0, 4)))
    body = [f"def {name}({args}) -> dict:",
            f'    """Return the {rng.choice(WORDS)} for {rng.choice(WORDS)} {rng.randint(1, 9999)}."""']
    for _ in range(rng.randint(2, 10)):
        body.append(f"    {ident()} = {ident()}.get({rng.choice(WORDS)!r}, {rng.randint(0, 100000)})")
        if rng.random() < 0.3:
            body.append(f"    if {ident()} > {rng.randint(0, 500)}:")
            body.append(f"        log.info({'%s ' + rng.choice(WORDS)!r}, {ident()})")
    body.append(f"    return {{{rng.choice(WORDS)!r}: {ident()}}}")
    return "\n".join(body) + "\n"

def new_source():
    # A few KB: a header and functions, kept as a list so that commits can edit a few of them.
    header = ('"""' + " ".join(rng.choice(WORDS) for _ in range(10)) + '."""\n'
              "from __future__ import annotations\n\nimport logging\n\n"
              f"from {name}.{rng.choice(WORDS)} import {ident()}\n\nlog = logging.getLogger(__name__)\n")
    parts, size, target = [header], len(header), rng.randint(1_000, 6_000)
    while size < target:
        parts.append(function())
        size += len(parts[-1])
    return parts

def render(parts):
    return "\n\n".join(parts).encode()

def edit(parts):
    # What a commit does to a file: rewrite, add or drop a function or two.
    for _ in range(rng.randint(1, 2)):
        what = rng.random()
        if what < 0.5 and len(parts) > 1:
            parts[rng.randrange(1, len(parts))] = function()
        elif what < 0.8 or len(parts) < 3:
            parts.insert(rng.randrange(1, len(parts) + 1), function())
        else:
            del parts[rng.randrange(1, len(parts))]

files = {}  # path -> parts
modes = {}  # path -> git mode
counter = 0

def new_path():
    global counter
    counter += 1
    if name == "smallgit":
        folder = f"{name}/{rng.choice(['api', 'service', 'schema', 'utils'])}"
    else:
        depth = rng.randint(1, 3)
        folder = "/".join([name] + [rng.choice(WORDS) for _ in range(depth)])
    return f"{folder}/m{counter:04d}_{rng.choice(WORDS)}.py"

def data(blob):
    out.write(b"data %d\n" % len(blob))
    out.write(blob)
    out.write(b"\n")

def commit(n, message, changed):
    when = 1767225600 + n * 3607  # 2026-01-01 onwards, fixed
    who = b"Bench Author <bench@example.com> %d +0000\n" % when
    out.write(b"commit refs/heads/main\nmark :%d\nauthor " % (n + 1) + who + b"committer " + who)
    data(message.encode())
    if n > 0:
        out.write(b"from :%d\n" % n)
    for path in changed:
        blob = files[path] if isinstance(files[path], bytes) else render(files[path])
        out.write(f"M {modes.get(path, '100644')} inline {path}\n".encode())
        data(blob)

manifest = f"""[plugin]
name = "{name}"
version = "1.0.0"
summary = "{SUMMARY}"
author = "bench <bench@example.com>"
license = "MIT"
""".encode()
files["plugin.toml"] = manifest
files["README.md"] = f"# {name}\n\nGenerated by benches/git.sh.\n".encode()
first = ["plugin.toml", "README.md"]
for _ in range(FIRST_FILES):
    path = new_path()
    files[path] = new_source()
    first.append(path)
if name == "smallgit":
    # One executable file, so that the comparison covers the mode too.
    files[f"{name}/cli.py"] = ["#!/usr/bin/env python3\n" + function()]
    modes[f"{name}/cli.py"] = "100755"
    first.append(f"{name}/cli.py")
commit(0, f"Start {name}\n", first)
for n in range(1, COMMITS):
    changed = []
    for _ in range(ADDED_PER_COMMIT):
        path = new_path()
        files[path] = new_source()
        changed.append(path)
    sources = [p for p in files if p.endswith(".py") and p not in changed]
    for path in rng.sample(sources, rng.randint(*TOUCHED)):
        edit(files[path])
        changed.append(path)
    commit(n, f"{rng.choice(['Add', 'Fix', 'Refactor', 'Update'])} {ident().replace('_', ' ')} ({n})\n", changed)
out.write(b"done\n")
print(f"{name}: {len(files)} files, {COMMITS} commits", file=sys.stderr)
PY
    # Packed as a server keeps it: one pack, deltas computed afresh.
    git -C "$repo.tmp" repack -a -d -f -q
    git -C "$repo.tmp" pack-refs --all
    mv "$repo.tmp" "$repo"
}
if [[ $REGEN == 1 || ! -f $BENCH/.generated || $(cat "$BENCH/.generated") != "$GEN_VERSION" ||
    ! -d $REPOS/smallgit.git || ! -d $REPOS/biggit.git ]]; then
    say "generating $REPOS/smallgit.git and $REPOS/biggit.git (git fast-import)"
    rm -f "$BENCH/.generated"
    mkdir -p "$REPOS"
    generate smallgit
    generate biggit
    echo "$GEN_VERSION" >"$BENCH/.generated"
else
    say "reusing the repositories under $REPOS (--regen to regenerate)"
fi
REPOS=$(cd "$REPOS" && pwd)
describe_repo() { # describe_repo NAME: "files bytes commits pack-bytes head"
    local repo=$REPOS/$1.git
    echo "$(git -C "$repo" ls-tree -r main | wc -l)" \
        "$(git -C "$repo" ls-tree -r -l main | awk '{ s += $4 } END { print s }')" \
        "$(git -C "$repo" rev-list --count main)" \
        "$(du -sb "$repo/objects/pack" | cut -f1)" \
        "$(git -C "$repo" rev-parse main)"
}
read -r SMALL_FILES SMALL_BYTES SMALL_COMMITS SMALL_PACK SMALL_HEAD <<<"$(describe_repo smallgit)"
read -r BIG_FILES BIG_BYTES BIG_COMMITS BIG_PACK BIG_HEAD <<<"$(describe_repo biggit)"
say "smallgit.git: $SMALL_FILES files ($SMALL_BYTES bytes) at main, $SMALL_COMMITS commits, pack $SMALL_PACK bytes, main at $SMALL_HEAD"
say "biggit.git: $BIG_FILES files ($BIG_BYTES bytes) at main, $BIG_COMMITS commits, pack $BIG_PACK bytes, main at $BIG_HEAD"
[[ $GENERATE_ONLY == 1 ]] && exit 0

# --- 3. The server ---------------------------------------------------------------------------
mkdir -p "$HOST"
HOST=$(cd "$HOST" && pwd)
UNPACK=$(cd "$UNPACK" && pwd)
CLONE_OUT=$UNPACK/clone
DAEMON_PID=
cleanup() {
    if [[ -n $DAEMON_PID ]]; then
        kill "$DAEMON_PID" 2>/dev/null || true
        wait "$DAEMON_PID" 2>/dev/null || true
    fi
    rm -rf "$UNPACK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [[ -n ${BENCH_GIT_PORT:-} ]]; then
    PORT=$BENCH_GIT_PORT
else
    PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
git daemon --reuseaddr --listen=127.0.0.1 --port="$PORT" --base-path="$REPOS" --export-all \
    "$REPOS" >"$BENCH/daemon.log" 2>&1 &
DAEMON_PID=$!
URL=git://127.0.0.1:$PORT
for _ in $(seq 50); do
    kill -0 "$DAEMON_PID" 2>/dev/null || die "git daemon exited: $(cat "$BENCH/daemon.log")"
    git ls-remote "$URL/smallgit.git" >/dev/null 2>&1 && break
    sleep 0.2
done
[[ $(git ls-remote "$URL/biggit.git" refs/heads/main | cut -f1) == "$BIG_HEAD" ]] ||
    die "git daemon does not serve $URL/biggit.git (log: $BENCH/daemon.log)"
say "git daemon (pid $DAEMON_PID) serves $REPOS at $URL; the tools write into $UNPACK ($(df -T "$UNPACK" | awk 'NR == 2 {print $2}'))"

HOST_TOML=$(pwd)/$BENCH/pluginkit.toml # what each run's host starts from
printf '[host]\nplugins-dir = "plugins"\n' >"$HOST_TOML"
cp "$HOST_TOML" "$HOST/pluginkit.toml"
# Each run starts from a fresh host (or no clone); the clean-up and a sync, so that the
# previous run's writeback does not land in the next timing, are outside the timing.
PK_PREP="rm -rf $HOST/plugins $HOST/.pluginkit $HOST/pluginkit.lock && cp $HOST_TOML $HOST/pluginkit.toml && sync"
CLONE_PREP="rm -rf $CLONE_OUT && sync"
commands() { # commands NAME: the two commands for one repository
    PK_CMD="$PK -C $HOST add $URL/$1.git"
    CLONE_CMD="git clone --quiet --depth 1 $URL/$1.git $CLONE_OUT"
}

# --- 4. Correctness first --------------------------------------------------------------------
# Every file's path, executable bit and sha256; the clone's .git and pluginkit's state markers
# left out.
tree_listing() {
    (cd "$1" && find . -path ./.git -prune -o \( -type f -o -type l \) ! -name ENABLED ! -name DISABLED -print0 |
        LC_ALL=C sort -z | while IFS= read -r -d '' f; do
            printf '%s %s %s\n' "$(sha256sum <"$f" | cut -c1-64)" "$([[ -x $f ]] && echo x || echo -)" "$f"
        done)
}
check() { # check NAME FILES HEAD
    say "checking $1: pluginkit add installs what git clone --depth 1 checks out"
    commands "$1"
    eval "$PK_PREP"
    $PK_CMD >/dev/null || die "pluginkit add $URL/$1.git failed"
    eval "$CLONE_PREP"
    $CLONE_CMD || die "git clone --depth 1 $URL/$1.git failed"
    [[ $(git -C "$CLONE_OUT" rev-list --count HEAD) == 1 ]] || die "git clone --depth 1 fetched more than one commit"
    "$PK" -C "$HOST" verify >/dev/null || die "pluginkit verify fails after the install"
    [[ -d $HOST/plugins/$1 ]] || die "pluginkit did not install $HOST/plugins/$1"
    tree_listing "$HOST/plugins/$1" >"$BENCH/$1-pluginkit.txt"
    tree_listing "$CLONE_OUT" >"$BENCH/$1-clone.txt"
    diff -q <(cut -d' ' -f3- "$BENCH/$1-pluginkit.txt") <(cut -d' ' -f3- "$BENCH/$1-clone.txt") >/dev/null ||
        die "pluginkit and git clone wrote different file lists (diff $BENCH/$1-pluginkit.txt $BENCH/$1-clone.txt)"
    cmp -s "$BENCH/$1-pluginkit.txt" "$BENCH/$1-clone.txt" ||
        die "pluginkit and git clone wrote different contents or modes (diff $BENCH/$1-pluginkit.txt $BENCH/$1-clone.txt)"
    [[ $(wc -l <"$BENCH/$1-clone.txt") == "$2" ]] || die "the checkout does not hold the repository's $2 files"
    grep -q "#$3" "$HOST/pluginkit.lock" || die "pluginkit.lock does not record the commit $3: $(cat "$HOST/pluginkit.lock")"
    grep -Eq "#[0-9a-f]{40}([^0-9a-f]|$)" "$HOST/pluginkit.lock" || die "pluginkit.lock records no #<40 hex> commit"
    say "    the same $2 files, modes and sha256s (tree digest $(sha256sum <"$BENCH/$1-clone.txt" | cut -c1-16)); pluginkit.lock records #$3"
    rm -rf "$CLONE_OUT"
    sync
}
check smallgit "$SMALL_FILES" "$SMALL_HEAD"
check biggit "$BIG_FILES" "$BIG_HEAD"
cp "$HOST/pluginkit.lock" "$BENCH/pluginkit.lock.example"

# --- 5. A quiet machine ----------------------------------------------------------------------
wait_for_idle

# --- 6. Peak memory, and the server's share --------------------------------------------------
# CPU time the whole machine spent, in clock ticks: minus what the client used, it is about what
# the server (git daemon's upload-pack and pack-objects) spent answering it.
busy_ticks() {
    local user nice system irq softirq steal
    read -r _ user nice system _ _ irq softirq steal _ </proc/stat
    echo $((user + nice + system + irq + softirq + steal))
}
HZ=$(getconf CLK_TCK)
declare -A RSS SERVER
measure() { # measure KEY PREP CMD: peak RSS (KiB) of CMD over 3 runs, the server's mean CPU seconds
    local t0 t1 client rss max=0 server=0
    for _ in 1 2 3; do
        eval "$2"
        t0=$(busy_ticks)
        eval "/usr/bin/time -v -o $BENCH/time.txt $3" >/dev/null 2>&1 || die "$3 failed"
        t1=$(busy_ticks)
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH/time.txt")
        if ((rss > max)); then max=$rss; fi
        client=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$BENCH/time.txt")
        server=$(awk -v t="$((t1 - t0))" -v hz="$HZ" -v c="$client" -v sum="$server" 'BEGIN { s = t / hz - c; print sum + (s > 0 ? s : 0) }')
    done
    RSS[$1]=$max
    SERVER[$1]=$(awk -v s="$server" 'BEGIN { printf "%.2f", s / 3 }')
}
for repo in smallgit biggit; do
    say "peak memory and the server's CPU, $repo (/usr/bin/time -v)"
    commands "$repo"
    measure "pk-$repo" "$PK_PREP" "$PK_CMD"
    measure "clone-$repo" "$CLONE_PREP" "$CLONE_CMD"
    say "    pluginkit add: ${RSS[pk-$repo]} KiB (server ${SERVER[pk-$repo]} s of CPU);" \
        "git clone --depth 1: ${RSS[clone-$repo]} KiB (server ${SERVER[clone-$repo]} s)"
done
rm -rf "$CLONE_OUT"
sync

# --- 7. Timings ------------------------------------------------------------------------------
timing() { # timing NAME RUNS EXPORT
    commands "$1"
    with_baseline \
        -n "pluginkit add" --prepare "$PK_PREP" "$PK_CMD" \
        -n "git clone --depth 1" --prepare "$CLONE_PREP" "$CLONE_CMD"
    hyperfine --style basic --warmup "$WARMUP" --runs "$2" \
        --export-markdown "$BENCH/$3.md" --export-json "$BENCH/$3.json" "${HF[@]}" >&2
}
TICKS_BEFORE=$(busy_ticks)
TIME_BEFORE=$(date +%s.%N)
say "timing: the big repository, $BIG_FILES files, $BIG_COMMITS commits ($RUNS runs, $WARMUP warmup)"
timing biggit "$RUNS" git-big
say "timing: the small repository, $SMALL_FILES files, $SMALL_COMMITS commits ($SMALL_RUNS runs, $WARMUP warmup)"
timing smallgit "$SMALL_RUNS" git-small
TICKS_AFTER=$(busy_ticks)
TIME_AFTER=$(date +%s.%N)
BUSY_AFTER=$(cpu_busy)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
MACHINE_CPU=$(awk -v t="$((TICKS_AFTER - TICKS_BEFORE))" -v hz="$HZ" 'BEGIN { print t / hz }')
TIMINGS_WALL=$(awk -v a="$TIME_BEFORE" -v b="$TIME_AFTER" 'BEGIN { print b - a }')
rm -rf "$CLONE_OUT"

# --- 8. Summary ------------------------------------------------------------------------------
SUMMARY=$BENCH/summary.txt
"$PY" - "$SOURCE_STATE" "${LIBGIT2:-unknown}" "$(git --version)" "$BUSY_BEFORE" "$LOAD_BEFORE" \
    "$BUSY_AFTER" "$LOAD_AFTER" "$MACHINE_CPU" "$TIMINGS_WALL" "$WARMUP" \
    "$UNPACK ($(df -T "$UNPACK" | awk 'NR == 2 {print $2}'))" \
    "$BENCH/git-big.json" "$BIG_FILES" "$BIG_BYTES" "$BIG_COMMITS" "$BIG_PACK" \
    "${RSS[pk-biggit]}" "${RSS[clone-biggit]}" "${SERVER[pk-biggit]}" "${SERVER[clone-biggit]}" \
    "$BENCH/git-small.json" "$SMALL_FILES" "$SMALL_BYTES" "$SMALL_COMMITS" "$SMALL_PACK" \
    "${RSS[pk-smallgit]}" "${RSS[clone-smallgit]}" "${SERVER[pk-smallgit]}" "${SERVER[clone-smallgit]}" \
    <<'PY' | tee "$SUMMARY"
import json, sys
(source, libgit2, gitv, busy_before, load_before, busy_after, load_after, machine_cpu, wall,
 warmup, unpack) = sys.argv[1:12]
def ms(x): return f'{x["mean"] * 1000:8.1f} ms ± {(x["stddev"] or 0) * 1000:6.1f}'
def cpu(x): return (x["user"] + x["system"])
print()
print(f"pluginkit at {source} (libgit2-sys {libgit2}); {gitv}")
print(f"machine {busy_before}% busy (load {load_before}) before the timings, {busy_after}% (load {load_after}) after")
print(f"the tools write into {unpack}; wall-clock mean ± σ, the client's user+system CPU, "
      "the server's CPU for one run (machine minus client), peak RSS of the client")
ours = 0.0
for what, args in [("the big repository", sys.argv[12:21]), ("the small repository", sys.argv[21:30])]:
    export, files, size, commits, pack, rss_pk, rss_clone, srv_pk, srv_clone = args
    r = {x["command"]: x for x in json.load(open(export))["results"]}
    pk, cl = r["pluginkit add"], r["git clone --depth 1"]
    ours += sum(cpu(x) * (len(x["times"]) + int(warmup)) for x in r.values())  # with a baseline's
    print(f"{what}: {int(files)} files, {int(size) / 1e6:.1f} MB at main, {int(commits)} commits, "
          f"pack {int(pack) / 1e6:.1f} MB")
    for label, x, rss, srv in [("pluginkit add", pk, rss_pk, srv_pk), ("git clone --depth 1", cl, rss_clone, srv_clone)]:
        print(f"    {label:<22}{ms(x)}   cpu {cpu(x) * 1000:8.1f} ms   server cpu {float(srv) * 1000:7.0f} ms"
              f"   peak RSS {int(rss) / 1024:6.1f} MiB")
    ratio = pk["mean"] / cl["mean"]
    print(f"    ratio pluginkit / git clone: {ratio:.2f}   target <= 1.2: {'MET' if ratio <= 1.2 else 'MISSED'}"
          f"   (by the client's CPU time {cpu(pk) / cpu(cl):.2f})")
other = max(float(machine_cpu) - ours, 0) / float(wall)
print(f"other work during the timings (git daemon's side of each fetch, other processes, the kernel): "
      f"{other * 100:.0f}% of one CPU on average")
PY
baseline_summary "the big repository" "$BENCH/git-big.json" "the small repository" "$BENCH/git-small.json" |
    tee -a "$SUMMARY"
say "tables: $BENCH/git-big.md, $BENCH/git-small.md; summary: $SUMMARY"
