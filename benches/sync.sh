#!/usr/bin/env bash
# Benchmark: `pluginkit sync` of 50 plugins from an HTTP registry, against the same 50 packages
# fetched one after another with `curl -sf -o` and unpacked with `unzip -q` (what a user would
# otherwise script), and a second `pluginkit sync` with nothing to do. The registry is a folder
# made with `pluginkit registry publish`, served on 127.0.0.1 by a small Python server that waits
# BENCH_DELAY_MS before answering each request, to stand for a real network.
# Figures and how to read them: BENCHMARKS.md.
#
# Usage (from the repository root):  bash benches/sync.sh [--regen]
#   --regen   regenerate the plugin trees under target/bench/sync/ even if they are there
#
# Environment:
#   BENCH_DELAY_MS      delay the server adds to every request, in ms [50]
#   BENCH_RUNS          timed runs per command of the cold sync comparison [10]
#   BENCH_WARM_RUNS     timed runs of the second sync (nothing to do) [30]
#   BENCH_WARMUP        warmup runs per command [1]
#   BENCH_IDLE_WAIT     how long to wait for an idle machine before timing, in seconds [300]
#   BENCH_UNPACK_DIR    where the host pluginkit syncs and the curl + unzip output live
#                       [/dev/shm/pluginkit-bench-sync, a tmpfs, when it has 1 GiB free; else
#                       target/bench/sync]
#   BENCH_BASELINE      a git revision: also time pluginkit built at it, as pluginkit@<commit>,
#                       beside the current build (see benches/lib.sh, build_baseline) [none]
#
# Everything lives under target/bench/sync/: the plugin trees (src/), their packages (pkgs/), the
# registry folder (registry/, published again on every run by this build), the download cache
# (cache/, PLUGINKIT_CACHE_DIR), the server's script and request log, hyperfine's exports and the
# summary. The host pluginkit syncs (host/) and the curl + unzip output (curl-out/) are in
# BENCH_UNPACK_DIR, a tmpfs by default (removed at the end): on this VM's ext4, creating
# thousands of files right after deleting thousands makes the kernel step over every recently
# deleted inode, and both tools' system time then grew run after run (see BENCHMARKS.md,
# "Installing").
set -euo pipefail

BENCH_SCRIPT=sync.sh
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
    *) die "unknown argument: $arg (usage: bash benches/sync.sh [--regen])" ;;
    esac
done

enter_repository

DELAY_MS=${BENCH_DELAY_MS:-50}
RUNS=${BENCH_RUNS:-10}
WARM_RUNS=${BENCH_WARM_RUNS:-30}
WARMUP=${BENCH_WARMUP:-1}
IDLE_WAIT=${BENCH_IDLE_WAIT:-300}
[[ $DELAY_MS =~ ^[0-9]+$ ]] || die "BENCH_DELAY_MS must be a whole number of milliseconds"
mkdir -p target/bench/sync
BENCH=$(cd target/bench/sync && pwd)
SRC=$BENCH/src        # SRC/VERSION/pNN: the plugin trees
PKGS=$BENCH/pkgs      # pNN-VERSION.zip, written by pluginkit package
REGISTRY=$BENCH/registry
REMOVE_UNPACK=0
if [[ -n ${BENCH_UNPACK_DIR:-} ]]; then
    UNPACK=$BENCH_UNPACK_DIR
elif [[ -d /dev/shm ]] && (($(df -k --output=avail /dev/shm | tail -1) > 1024 * 1024)); then
    UNPACK=/dev/shm/pluginkit-bench-sync
    REMOVE_UNPACK=1
else
    UNPACK=$BENCH
fi
mkdir -p "$UNPACK"
UNPACK=$(cd "$UNPACK" && pwd)
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ $REMOVE_UNPACK == 1 ]]; then
        rm -rf "$UNPACK"
    fi
}
trap cleanup EXIT
HOST=$UNPACK/host     # the host pluginkit syncs
CACHE=$BENCH/cache    # PLUGINKIT_CACHE_DIR
CURL_OUT=$UNPACK/curl-out
LOG=$BENCH/requests.log # one line per request the server answered
PK=$BENCH/pluginkit   # a copy of target/release/pluginkit, so a rebuild meanwhile changes nothing
PY=${PYTHON:-python3}
NPLUGINS=50
GEN_VERSION=1 # bump when the generator changes: the trees are then regenerated
export PLUGINKIT_CACHE_DIR=$CACHE
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01: the same packages and index on every run

command -v hyperfine >/dev/null || die "hyperfine is missing (apt-get install hyperfine)"
command -v curl >/dev/null || die "curl is missing (apt-get install curl)"
command -v "$PY" >/dev/null || die "$PY is missing"
if ! command -v unzip >/dev/null; then
    say "installing unzip"
    apt-get install -y unzip >/dev/null || die "unzip is missing and could not be installed"
fi

# --- 1. Build --------------------------------------------------------------------------------
build_pluginkit "$PK"
build_baseline
SOURCE_STATE=$(source_state)

# --- 2. The plugins --------------------------------------------------------------------------
# 50 plugins p01..p50 of 20-60 files and 100-500 KB each: Python modules, templates, a
# stylesheet and a script, a JSON config, locale files and a few small images (random bytes, as
# incompressible as real PNGs). Every plugin has 1.0.0; every 4th also 1.1.0 (which `^1.0` picks)
# and every 10th also 2.0.0 (which it must not); every 5th depends on p01.
if [[ $REGEN == 1 || ! -f $SRC/.generated || $(cat "$SRC/.generated") != "$GEN_VERSION" ]]; then
    say "generating $NPLUGINS plugins under $SRC"
    rm -rf "$SRC" "$SRC.tmp"
    mkdir -p "$SRC.tmp"
    "$PY" - "$SRC.tmp" "$NPLUGINS" <<'PY'
import json, os, random, sys

root, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(20260504)  # fixed seed: the same plugins on every machine
WORDS = ("user order item plugin config session token request response cache query record "
         "field value index page author notice message status result error account payment "
         "invoice channel event handler service schema model router backend tenant").split()

def ident():
    return "_".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))

def python_source(target):
    out = ['"""' + " ".join(rng.choice(WORDS) for _ in range(10)) + '."""', "",
           "import logging", f"from .{ident()} import {ident()}", "", "log = logging.getLogger(__name__)", ""]
    size = sum(len(l) + 1 for l in out)
    while size < target:
        body = [f"def {ident()}({', '.join(ident() for _ in range(rng.randint(0, 3)))}) -> dict:",
                f'    """Return the {rng.choice(WORDS)} for {rng.choice(WORDS)} {rng.randint(1, 9999)}."""']
        for _ in range(rng.randint(2, 10)):
            body.append(f"    {ident()} = {ident()}.get({rng.choice(WORDS)!r}, {rng.randint(0, 100000)})")
            if rng.random() < 0.3:
                body.append(f"    if {ident()} > {rng.randint(0, 500)}:")
                body.append(f"        log.info({'%s ' + rng.choice(WORDS)!r}, {ident()})")
        body += [f"    return {{{rng.choice(WORDS)!r}: {ident()}}}", "", ""]
        out += body
        size += sum(len(l) + 1 for l in body)
    return "\n".join(out)

def template(target):
    out, size = ["{% extends 'base.html' %}", "{% block content %}"], 40
    while size < target:
        line = (f'<div class="{rng.choice(WORDS)}-{rng.choice(WORDS)} col-{rng.randint(1, 12)}">'
                f"{{{{ {ident()}.{rng.choice(WORDS)} | default('{rng.choice(WORDS)}') }}}}</div>")
        out.append(line)
        size += len(line) + 1
    return "\n".join(out + ["{% endblock %}"])

def stylesheet(target):
    out, size = [], 0
    while size < target:
        rule = (f".{rng.choice(WORDS)}-{rng.choice(WORDS)} {{ margin: {rng.randint(0, 24)}px; "
                f"color: #{rng.randrange(16**6):06x}; display: {rng.choice(['flex', 'block', 'grid'])}; }}")
        out.append(rule)
        size += len(rule) + 1
    return "\n".join(out)

def script(target):
    out, size = [], 0
    while size < target:
        f = (f"function {ident()}(a, b) {{ return a.{rng.choice(WORDS)} + b[{rng.randint(0, 99)}] "
             f"|| \"{rng.choice(WORDS)}{rng.randint(0, 9999)}\"; }}")
        out.append(f)
        size += len(f) + 1
    return "\n".join(out)

def messages(target):
    out, size = [], 0
    while size < target:
        line = f'msgid "{ident()}"\nmsgstr "{" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8)))}"\n'
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)

def plugin(n):
    """The files of plugin n at 1.0.0: {relative path: bytes}."""
    name = f"p{n:02d}"
    nfiles = rng.randint(20, 60)
    budget = rng.randint(100_000, 500_000)
    files = {"README.md": f"# {name}\n\nA plugin generated by benches/sync.sh.\n\n"
                          + " ".join(rng.choice(WORDS) for _ in range(200)) + "\n",
             "__init__.py": f'"""{name}."""\n\nfrom .api import router\n',
             "config.json": json.dumps({ident(): rng.randint(0, 1000) for _ in range(rng.randint(5, 40))}, indent=2) + "\n",
             "static/style.css": None, "static/app.js": None}
    nimages = rng.randint(1, 4)
    for i in range(nimages):
        files[f"static/img/{rng.choice(WORDS)}{i}.png"] = rng.randbytes(rng.randint(2_000, 12_000))
    nlocales = rng.randint(1, 3)
    for lang in ["de", "fr", "zh_CN", "es"][:nlocales]:
        files[f"locale/{lang}/messages.po"] = None
    ntemplates = rng.randint(2, 8)
    for i in range(ntemplates):
        files[f"templates/{name}/{rng.choice(WORDS)}_{i}.html"] = None
    modules = max(nfiles - 2 - len(files), 1)
    dirs = ["api", "service", "crud", "schema", "model", "utils"]
    for i in range(modules):
        files[f"{dirs[i % len(dirs)]}/{ident()}_{i}.py"] = None
    todo = [k for k, v in files.items() if v is None]
    used = sum(len(v) for v in files.values() if v is not None)
    weights = [rng.uniform(0.3, 3.0) for _ in todo]
    left = max(budget - used, 20_000)
    for path, w in zip(todo, weights):
        target = max(int(left * w / sum(weights)), 200)
        if path.endswith(".py"):
            files[path] = python_source(target)
        elif path.endswith(".html"):
            files[path] = template(target)
        elif path.endswith(".css"):
            files[path] = stylesheet(target)
        elif path.endswith(".js"):
            files[path] = script(target)
        else:
            files[path] = messages(target)
    return name, files

def write(version, name, files, deps):
    base = os.path.join(root, version, name)
    manifest = (f'[plugin]\nname = "{name}"\nversion = "{version}"\n'
                f'summary = "Benchmark plugin {name}: {" ".join(rng.choice(WORDS) for _ in range(4))}"\n'
                f'author = "bench"\nlicense = "MIT"\n')
    if deps:
        manifest += "\n[dependencies]\n" + "".join(f'{d} = "^1.0"\n' for d in deps)
    for rel, data in list(files.items()) + [("plugin.toml", manifest)]:
        path = os.path.join(base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())

for n in range(1, count + 1):
    name, files = plugin(n)
    deps = ["p01"] if n % 5 == 0 else []
    write("1.0.0", name, files, deps)
    if n % 4 == 0:  # a later minor release: a changed module and a changelog
        files = dict(files)
        changed = next(k for k in files if k.endswith(".py") and k != "__init__.py")
        files[changed] = python_source(len(files[changed]))
        files["CHANGELOG.md"] = "# 1.1.0\n\n- " + " ".join(rng.choice(WORDS) for _ in range(12)) + "\n"
        write("1.1.0", name, files, deps)
    if n % 10 == 0:  # a major release outside ^1.0
        files = dict(files)
        files["BREAKING.md"] = "# 2.0.0\n\n" + " ".join(rng.choice(WORDS) for _ in range(30)) + "\n"
        write("2.0.0", name, files, deps)
PY
    echo "$GEN_VERSION" >"$SRC.tmp/.generated"
    mv "$SRC.tmp" "$SRC"
else
    say "reusing the plugins under $SRC (--regen to regenerate)"
fi

# The packages and the registry are made again on every run, with this build.
say "packaging and publishing them into $REGISTRY"
rm -rf "$PKGS" "$REGISTRY"
mkdir -p "$PKGS"
for dir in "$SRC"/*/p*; do
    version=$(basename "$(dirname "$dir")")
    name=$(basename "$dir")
    "$PK" --quiet package "$dir" -o "$PKGS/$name-$version.zip" >/dev/null ||
        die "pluginkit package $dir failed"
done
# Oldest first, as a registry grows.
for version in 1.0.0 1.1.0 2.0.0; do
    for zip in "$PKGS"/p*-"$version".zip; do
        "$PK" --quiet registry publish "$zip" --dir "$REGISTRY" >/dev/null ||
            die "pluginkit registry publish $zip failed"
    done
done
PACKAGES=$(find "$REGISTRY/files" -name '*.zip' | wc -l)
# What `^1.0` picks, read from the index files: NAME VERSION URL SHA256, one line per plugin.
"$PY" - "$REGISTRY" >"$BENCH/wanted.txt" <<'PY'
import json, os, sys
root = sys.argv[1]
for f in sorted(os.listdir(os.path.join(root, "index"))):
    index = json.load(open(os.path.join(root, "index", f)))
    ones = [v for v in index["versions"] if v["version"].split(".")[0] == "1" and not v["yanked"]]
    best = max(ones, key=lambda v: tuple(int(x) for x in v["version"].split(".")))
    print(index["name"], best["version"], best["url"], best["sha256"])
PY
[[ $(wc -l <"$BENCH/wanted.txt") == "$NPLUGINS" ]] || die "the registry does not index $NPLUGINS plugins"
WANTED_BYTES=$(awk '{print $3}' "$BENCH/wanted.txt" | (cd "$REGISTRY" && xargs stat -c %s) | awk '{s += $1} END {print s}')
WANTED_FILES=$(while read -r n v _; do find "$SRC/$v/$n" -type f | wc -l; done <"$BENCH/wanted.txt" |
    awk '{s += $1} END {print s}')
WANTED_UNPACKED=$(while read -r n v _; do du -sb --apparent-size "$SRC/$v/$n" | cut -f1; done <"$BENCH/wanted.txt" |
    awk '{s += $1} END {print s}')
say "registry: $NPLUGINS plugins, $PACKAGES packages; the 50 that ^1.0 picks hold $WANTED_FILES files, $((WANTED_UNPACKED / 1000)) KB unpacked, $((WANTED_BYTES / 1000)) KB packed"

# --- 3. The server ---------------------------------------------------------------------------
cat >"$BENCH/server.py" <<'PY'
"""A static file server for the sync benchmark: http.server, one thread per connection, that
waits DELAY_MS before answering each request (a stand-in for the network) and answers
If-None-Match with 304 (the ETag is the file's mtime and size, as nginx makes it). It prints its
port on stdout once it listens and logs one line per request to LOG."""
import functools, http.server, os, sys, threading, time

root, delay, log_path = sys.argv[1], int(sys.argv[2]) / 1000, sys.argv[3]
log_lock = threading.Lock()
log = open(log_path, "a", buffering=1)

class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
    disable_nagle_algorithm = True  # TCP_NODELAY, as nginx sets it: else delayed ACKs add 40 ms
    etag = None

    def do_GET(self):
        time.sleep(delay)
        super().do_GET()

    def do_HEAD(self):
        time.sleep(delay)
        super().do_HEAD()

    def send_head(self):
        path = self.translate_path(self.path)
        self.etag = None
        if os.path.isfile(path):
            st = os.stat(path)
            self.etag = f'"{st.st_mtime_ns:x}-{st.st_size:x}"'
            tags = [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]
            if self.etag in tags or "*" in tags:
                self.send_response(304)
                self.end_headers()
                return None
        return super().send_head()

    def end_headers(self):
        if self.etag:
            self.send_header("ETag", self.etag)
        super().end_headers()

    def log_request(self, code="-", size="-"):
        with log_lock:
            log.write(f"{time.time():.3f} {self.command} {self.path} {code}\n")

    def log_message(self, *args):
        pass

class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128

server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=root))
print(server.server_address[1], flush=True)
server.serve_forever()
PY
: >"$LOG"
coproc SERVER { exec "$PY" "$BENCH/server.py" "$REGISTRY" "$DELAY_MS" "$LOG"; } # sets SERVER_PID
read -r -t 10 PORT <&"${SERVER[0]}" || die "the registry server did not start"
BASE=http://127.0.0.1:$PORT/
curl -sf -o /dev/null "${BASE}search.json" || die "the registry server does not answer at $BASE"
say "serving $REGISTRY at $BASE with ${DELAY_MS} ms added to every request (pid $SERVER_PID)"

# --- 4. The host and the commands ------------------------------------------------------------
rm -rf "$HOST" "$CACHE" "$CURL_OUT"
mkdir -p "$HOST"
{
    printf '[host]\nplugins-dir = "plugins"\n\n[registries.default]\nindex = "%s"\n\n[plugins]\n' "$BASE"
    awk '{print $1}' "$BENCH/wanted.txt" | while read -r n; do printf '%s = "^1.0"\n' "$n"; done
} >"$HOST/pluginkit.toml"
cp "$HOST/pluginkit.toml" "$BENCH/pluginkit.toml.orig"
# The loop a user would write: each package in turn, fetched and unpacked.
awk -v base="$BASE" '{print $1, base $3}' "$BENCH/wanted.txt" >"$BENCH/urls.txt"
cat >"$BENCH/curl-unzip.sh" <<'SH'
# curl-unzip.sh URLS OUT: fetch each "NAME URL" of URLS with curl and unpack it into OUT/plugins.
set -e
mkdir -p "$2/zips" "$2/plugins"
while read -r name url; do
    curl -sf -o "$2/zips/$name.zip" "$url"
    unzip -q "$2/zips/$name.zip" -d "$2/plugins"
done <"$1"
SH
# The clean-ups are hyperfine's --prepare, outside the timing; `sync` so that the previous run's
# writeback does not land in the next timing. pluginkit.toml is put back as it was (sync does not
# change it, but a failed run must not leave the next one a different file).
COLD_PREP="rm -rf $HOST/plugins $HOST/.pluginkit $HOST/pluginkit.lock $CACHE && cp $BENCH/pluginkit.toml.orig $HOST/pluginkit.toml && sync"
CACHED_PREP="rm -rf $HOST/plugins $HOST/.pluginkit $HOST/pluginkit.lock && cp $BENCH/pluginkit.toml.orig $HOST/pluginkit.toml && sync"
CURL_PREP="rm -rf $CURL_OUT && sync"
PK_CMD="$PK -C $HOST sync --quiet" # --quiet after the subcommand: where a baseline takes it too
CURL_CMD="bash $BENCH/curl-unzip.sh $BENCH/urls.txt $CURL_OUT"
requests() { wc -l <"$LOG"; }

# --- 5. Correctness first --------------------------------------------------------------------
tree_sums() { (cd "$1" && find . -type f ! -name ENABLED ! -name DISABLED -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }
say "checking: a cold sync installs all $NPLUGINS"
eval "$COLD_PREP"
before=$(requests)
START=$(date +%s.%N)
$PK -C "$HOST" sync >"$BENCH/first-sync.txt" 2>&1 || {
    cat "$BENCH/first-sync.txt" >&2
    die "pluginkit sync failed"
}
END=$(date +%s.%N)
COLD_REQUESTS=$(($(requests) - before))
# Where that sync's time went, from the server's log (each line is stamped as the answer starts,
# after the delay): the index files, the packages, and what came after the last package.
PHASES=$(tail -n "$COLD_REQUESTS" "$LOG" | awk -v s="$START" -v e="$END" '
    $3 ~ /^\/index\// { if (!fi) fi = $1; li = $1 }
    $3 ~ /^\/files\// { if (!fp) fp = $1; lp = $1 }
    END { printf "first index answered at %.0f ms, last at %.0f ms; packages answered from %.0f to %.0f ms; done at %.0f ms",
          (fi - s) * 1000, (li - s) * 1000, (fp - s) * 1000, (lp - s) * 1000, (e - s) * 1000 }')
COLD_GETS=$(tail -n "$COLD_REQUESTS" "$LOG" | awk '{print $3}' | sort | uniq -c | awk '$1 > 1' | wc -l)
"$PY" - "$HOST" "$BENCH/wanted.txt" "$PK" <<'PY' || die "the installed plugins are not the ones wanted"
import json, subprocess, sys
host, wanted, pk = sys.argv[1:4]
want = {l.split()[0]: l.split()[1] for l in open(wanted)}
listed = json.loads(subprocess.run([pk, "-C", host, "list", "--format", "json"], check=True,
                                   capture_output=True, text=True).stdout)
plugins = listed["plugins"] if isinstance(listed, dict) else listed
got = {p["name"]: p["version"] for p in plugins}
if got != want:
    missing = sorted(set(want) - set(got))
    wrong = sorted(n for n in want if n in got and got[n] != want[n])
    sys.exit(f"list shows {len(got)} plugins; missing {missing}, other versions {wrong}")
bad = [p["name"] for p in plugins if p.get("valid") is False]
if bad:
    sys.exit(f"list calls {bad} invalid")
lock = open(f"{host}/pluginkit.lock").read()
for line in open(wanted):
    sha = line.split()[3]
    if f'"{sha}"' not in lock:
        sys.exit(f"pluginkit.lock does not record {line.split()[0]}'s sha256 {sha}")
print(f"    list shows the {len(got)} plugins at the versions ^1.0 picks; pluginkit.lock records their sha256",
      file=sys.stderr)
PY
$PK -C "$HOST" verify >/dev/null || die "pluginkit verify fails after the sync"
say "    verify passes; the cold sync made $COLD_REQUESTS requests ($COLD_GETS paths asked more than once)"
say "    its timeline: $PHASES"
say "checking: curl + unzip unpack the same files"
eval "$CURL_PREP"
$CURL_CMD || die "the curl + unzip loop failed"
PK_SUM=$(tree_sums "$HOST/plugins")
[[ $PK_SUM == "$(tree_sums "$CURL_OUT/plugins")" ]] || die "pluginkit sync and curl + unzip unpacked different files"
say "    the same $(find "$CURL_OUT/plugins" -type f | wc -l) files (tree digest $PK_SUM)"
say "checking: a second sync has nothing to do and asks the server nothing"
before=$(requests)
SECOND=$($PK -C "$HOST" sync --format json) || die "the second pluginkit sync failed"
[[ $(echo "$SECOND" | "$PY" -c 'import json, sys; d = json.load(sys.stdin); print(d["version"], len(d["actions"]))') == "1 0" ]] ||
    die "the second sync did something: $SECOND"
$PK -C "$HOST" sync | grep -q "^$NPLUGINS plugins in sync" || die "the second sync does not say all $NPLUGINS are in sync"
WARM_REQUESTS=$(($(requests) - before))
((WARM_REQUESTS == 0)) || die "the second sync, with nothing to do, made $WARM_REQUESTS requests to the server"
say "    nothing to do ($WARM_REQUESTS requests)"
say "checking: a sync with the download cache full (new host) installs the same files"
eval "$CACHED_PREP"
before=$(requests)
$PK_CMD >/dev/null || die "pluginkit sync with a full cache failed"
CACHED_REQUESTS=$(($(requests) - before))
CACHED_304=$(tail -n "$CACHED_REQUESTS" "$LOG" | awk '$4 == 304' | wc -l)
[[ $(tree_sums "$HOST/plugins") == "$PK_SUM" ]] || die "the sync from the cache unpacked different files"
say "    the same files; $CACHED_REQUESTS requests ($CACHED_304 answered 304 Not Modified)"

# Peak memory of one cold sync.
RSS_PK=
if [[ -x /usr/bin/time ]]; then
    eval "$COLD_PREP"
    # shellcheck disable=SC2086 # the command is plain words, split on purpose
    /usr/bin/time -v -o "$BENCH/time.txt" $PK_CMD >/dev/null 2>&1 || die "pluginkit sync failed under /usr/bin/time"
    RSS_PK=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH/time.txt")
    say "    peak RSS of a cold sync: $RSS_PK KiB"
fi
rm -rf "$CURL_OUT"
sync

# --- 6. A quiet machine ----------------------------------------------------------------------
wait_for_idle

# --- 7. Timings ------------------------------------------------------------------------------
say "timing: sync $NPLUGINS plugins from the registry ($RUNS runs, $WARMUP warmup)"
with_baseline \
    -n "pluginkit sync (cold)" --prepare "$COLD_PREP" "$PK_CMD" \
    -n "pluginkit sync (cache full, new host)" --prepare "$CACHED_PREP" "$PK_CMD" \
    -n "curl + unzip loop" --prepare "$CURL_PREP" "$CURL_CMD"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --export-markdown "$BENCH/sync.md" --export-json "$BENCH/sync.json" "${HF[@]}" >&2
# Leave the host synced for the second-sync timing.
eval "$CACHED_PREP"
$PK_CMD >/dev/null
WARM_REQUESTS_NOTE=""
if [[ -n $BASE_PK ]]; then
    # The baseline's second sync, timed after this build's, finds the host as this build left
    # it: say whether that is nothing to do for it too (it asks the server nothing).
    before=$(requests)
    BASE_SYNC=$(baseline_cmd "$PK_CMD")
    $BASE_SYNC >/dev/null || die "$BASE_NAME sync failed on the synced host"
    BASE_WARM_REQUESTS=$(($(requests) - before))
    say "    $BASE_NAME's sync on the host this build synced made $BASE_WARM_REQUESTS requests"
    WARM_REQUESTS_NOTE=" (with $BASE_NAME's runs; one of its syncs alone: $BASE_WARM_REQUESTS)"
fi
before=$(requests)
say "timing: a second sync, nothing to do ($WARM_RUNS runs, 3 warmup)"
with_baseline -n "pluginkit sync (nothing to do)" "$PK_CMD"
hyperfine --style basic --warmup 3 --runs "$WARM_RUNS" \
    --export-markdown "$BENCH/sync-warm.md" --export-json "$BENCH/sync-warm.json" "${HF[@]}" >&2
WARM_TIMED_REQUESTS=$(($(requests) - before))
BUSY_AFTER=$(cpu_busy)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$CURL_OUT"

# --- 8. Summary ------------------------------------------------------------------------------
SUMMARY=$BENCH/summary.txt
"$PY" - "$BENCH/sync.json" "$BENCH/sync-warm.json" "$SOURCE_STATE" "$BUSY_BEFORE" "$LOAD_BEFORE" \
    "$BUSY_AFTER" "$LOAD_AFTER" "$DELAY_MS" "$NPLUGINS" "$PACKAGES" "$WANTED_FILES" \
    "$WANTED_UNPACKED" "$WANTED_BYTES" "$COLD_REQUESTS" "$CACHED_REQUESTS" "$CACHED_304" \
    "$WARM_TIMED_REQUESTS" "${RSS_PK:-0}" "$PHASES" "$UNPACK ($(df -T "$UNPACK" | awk 'NR == 2 {print $2}'))" \
    "$WARM_REQUESTS_NOTE" <<'PY' | tee "$SUMMARY"
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
w = json.load(open(sys.argv[2]))["results"][0]  # this build's, the first
source, busy_before, load_before, busy_after, load_after = sys.argv[3:8]
delay, nplugins, packages, files, unpacked, packed = (int(x) for x in sys.argv[8:14])
cold_requests, cached_requests, cached_304, warm_requests, rss = (int(x) for x in sys.argv[14:19])
phases, unpack, warm_note = sys.argv[19:22]
cold, cached, loop = r["pluginkit sync (cold)"], r["pluginkit sync (cache full, new host)"], r["curl + unzip loop"]
def ms(x): return f'{x["mean"] * 1000:8.1f} ms ± {(x["stddev"] or 0) * 1000:6.1f}'
def cpu(x): return f'cpu {(x["user"] + x["system"]) * 1000:7.1f} ms'
print()
print(f"pluginkit at {source}")
print(f"machine {busy_before}% busy (load {load_before}) before the timings, {busy_after}% (load {load_after}) after")
print(f"sync {nplugins} plugins ({files} files, {unpacked / 1e6:.1f} MB unpacked, {packed / 1e6:.1f} MB packed) from a registry"
      f" of {packages} packages served with {delay} ms per request, into {unpack}; wall-clock mean ± σ, user+system CPU")
print(f"    {'pluginkit sync, cold':<40}{ms(cold)}   {cpu(cold)}   {cold_requests} requests"
      + (f"   peak RSS {rss / 1024:.1f} MiB" if rss else ""))
print(f"    {'pluginkit sync, cache full, new host':<40}{ms(cached)}   {cpu(cached)}   {cached_requests} requests ({cached_304} 304)")
print(f"    {'curl + unzip loop':<40}{ms(loop)}   {cpu(loop)}   {nplugins} requests")
ratio = loop["mean"] / cold["mean"]
print(f"    curl + unzip / pluginkit sync (cold): {ratio:.2f}x   target >= 4x: {'MET' if ratio >= 4 else 'MISSED'}")
floor = nplugins * delay / 1000
print(f"    the loop's floor from the delay alone: {floor * 1000:.0f} ms ({nplugins} requests in turn);"
      f" pluginkit's, {cold_requests} requests 16 at a time (PARALLEL_DOWNLOADS in src/ops/resolve.rs): {-(-cold_requests // 16) * delay:.0f} ms")
print(f"    timeline of the untimed cold sync checked first: {phases}")
print(f"second sync, nothing to do: {ms(w)}   {cpu(w)}   max {max(w['times']) * 1000:.1f} ms"
      f"   {warm_requests} requests{warm_note}   target < 100 ms: {'MET' if w['mean'] < 0.1 else 'MISSED'}")
PY
baseline_summary "sync $NPLUGINS plugins" "$BENCH/sync.json" "second sync, nothing to do" "$BENCH/sync-warm.json" |
    tee -a "$SUMMARY"
say "tables: $BENCH/sync.md, $BENCH/sync-warm.md; summary: $SUMMARY"
