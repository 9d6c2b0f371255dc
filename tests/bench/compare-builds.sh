#!/usr/bin/env bash
# Compares two captrack builds on the same data, interleaved, so that their ratio holds on a noisy
# shared machine (tests/bench/README.md, "Before and after a refactor").
#   tests/bench/compare-builds.sh BEFORE_BINARY AFTER_BINARY
#   BENCH_ROUNDS=5 BENCH_SCALE=100000 tests/bench/compare-builds.sh OLD/captrack NEW/captrack
#   BENCH_DATABASE=mariadb tests/bench/compare-builds.sh OLD/captrack NEW/captrack
# Seeds ONE database once with BEFORE (`seed --synthetic BENCH_SCALE`) and adds the admin `bench`. Then,
# for each of BENCH_ROUNDS rounds, starts both builds (on SQLite each on a fresh copy of the seeded file)
# and measures them interleaved: request by request for the portfolio and mission reports (before after,
# after before, ...), in blocks of 20 kept-alive requests for one project's summary (JSON, HTML) and trend,
# and one wrk run of summaries each (the first side alternates by round). Interleaving this finely keeps
# the load of other work on the machine out of the ratio. Prints one table (before median, after median,
# after/before) and writes it, with each round's figures, to build/bench/compare-<UTC time>.txt.
# Everything listens on 127.0.0.1 only; every step has a timeout; the trap removes servers and files.
# Each binary finds its own migrations (it is started outside any source tree, so `paths.sql` falls back
# to the sql/ folder of the tree it was built from).
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 BEFORE_BINARY AFTER_BINARY" >&2
    exit 2
fi
cd "$(dirname "$0")/../.."
root=$PWD
before_bin=$(realpath "$1")
after_bin=$(realpath "$2")
for b in "$before_bin" "$after_bin"; do
    [ -x "$b" ] || { echo "not an executable: $b" >&2; exit 2; }
done
for tool in curl wrk python3 timeout; do
    command -v "$tool" > /dev/null || { echo "needs $tool" >&2; exit 2; }
done

scale=${BENCH_SCALE:-10000}
rounds=${BENCH_ROUNDS:-3}
repeat=${BENCH_REPEAT:-5}
latency_requests=${BENCH_LATENCY_REQUESTS:-200}
wrk_threads=${BENCH_WRK_THREADS:-2}
wrk_connections=${BENCH_WRK_CONNECTIONS:-16}
wrk_seconds=${BENCH_WRK_SECONDS:-5}
database=${BENCH_DATABASE:-sqlite}
maria_port=${BENCH_MARIADB_PORT:-3399}
as_of=2027-03-01
case "$database" in sqlite | mariadb) ;; *) echo "BENCH_DATABASE must be sqlite or mariadb" >&2; exit 2 ;; esac

mkdir -p build/bench
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/build/bench/compare-$stamp.txt
work=$(mktemp -d /tmp/captrack-compare.XXXXXX)
samples=$work/samples.tsv
: > "$samples"
password="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
maria_dir=""
declare -A pid=()

log() { echo "$*" | tee -a "$out"; }
fail() {
    log "FAILED: $*"
    exit 1
}

cleanup() {
    local p
    for p in "${pid[@]}"; do
        kill -KILL "$p" 2> /dev/null || true
        wait "$p" 2> /dev/null || true
    done
    if [ -n "$maria_dir" ]; then timeout 60 "$root/scripts/mariadb.sh" stop "$maria_dir" > /dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

free_port() {
    for p in $(shuf -i 20000-45000 -n 200); do
        port_free "$p" && { echo "$p"; return 0; }
    done
    return 1
}

cpu_ms() { # utime + stime of a process, in milliseconds
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", 1000 * ($14 + $15) / hz }' "/proc/$1/stat"
}

status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# record SIDE ROUND FIGURE UNIT BETTER VALUE...: one line per sample for the table. The k-th value of
# a side pairs with the k-th value of the other side in the same round: taken next to it in time (and,
# for the per-project latencies, of the same project).
record() {
    local side=$1 round=$2 figure=$3 unit=$4 better=$5 k=0
    shift 5
    local v
    for v in "$@"; do
        k=$((k + 1))
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$side" "$round" "$k" "$figure" "$unit" "$better" "$v" >> "$samples"
    done
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

run_captrack() { # run_captrack BINARY DB_URL ARGS...: a captrack command with the bench settings
    local bin=$1 url=$2
    shift 2
    timeout 1800 "$bin" "$@" --set db.url="$url" --set auth.secret_file="$work/secret" --set log.level=warning
}

describe_binary() {
    local bin=$1
    echo "$bin ($(stat -c %s "$bin") bytes, built $(date -u -r "$bin" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$bin" | cut -c1-12))"
}

log "captrack build comparison, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "before: $(describe_binary "$before_bin")"
log "after:  $(describe_binary "$after_bin")"
log "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
log "database: $database, $scale synthetic projects; $rounds rounds (both builds up, interleaved; before first in odd rounds); $repeat runs per report; $latency_requests requests per per-project latency; wrk -t$wrk_threads -c$wrk_connections -d${wrk_seconds}s"

cd "$work" # no etc/captrack.properties and no sql/ here: defaults, each binary's own sql/, the --set below

# ---- the one database, seeded once with BEFORE ----
case "$database" in
sqlite)
    master=$work/master/captrack.db
    mkdir -p "$work/master"
    seed_url=sqlite:$master
    ;;
mariadb)
    port_free "$maria_port" || fail "port $maria_port is taken (set BENCH_MARIADB_PORT)"
    maria_dir=$work/mariadb
    seed_url=$(timeout 120 "$root/scripts/mariadb.sh" start "$maria_dir" "$maria_port")
    ;;
esac
t0=$(date +%s%N)
run_captrack "$before_bin" "$seed_url" seed --synthetic "$scale" > "$work/seed.log" 2>&1 || { tail -20 "$work/seed.log"; fail "seed"; }
echo "$password" | run_captrack "$before_bin" "$seed_url" user add --username bench --role admin --password-stdin > /dev/null ||
    fail "user add"
log "seeded with before in $((($(date +%s%N) - t0) / 1000000)) ms: $(grep -m1 '^synthetic portfolio' "$work/seed.log" || tail -1 "$work/seed.log")"

sql_query() { # sql_query SQL: one row, space-separated, from the seeded database
    case "$database" in
    sqlite) python3 -c "import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*c.execute(sys.argv[2]).fetchone())
c.close()" "$master" "$1" ;;
    mariadb) timeout 60 mariadb --no-defaults --socket="$maria_dir/mysqld.sock" -uroot -N -e "$1" captrack_test | tr '\t' ' ' ;;
    esac
}
read -r min_id max_id count <<< "$(sql_query 'SELECT MIN(id), MAX(id), COUNT(*) FROM projects')"
[ "$count" = "$scale" ] || fail "the seeded database has $count projects, expected $scale"
[ $((max_id - min_id + 1)) = "$count" ] || fail "project ids are not contiguous ($min_id..$max_id, $count): wrk would ask for missing ones"
read -r mission_id mission_links <<< "$(sql_query 'SELECT mission_id, COUNT(*) AS n FROM mission_links GROUP BY mission_id ORDER BY n DESC, mission_id LIMIT 1')"
log "projects $min_id..$max_id; mission impact on mission $mission_id ($mission_links linked projects)"
# 20 projects spread over the ids, the same for both builds, for the per-project latencies
latency_ids=$(awk -v lo="$min_id" -v hi="$max_id" 'BEGIN { for (i = 0; i < 20; i++) printf "%d ", lo + int(i * (hi - lo) / 20) }')
if [ "$database" = sqlite ]; then
    [ ! -e "$master-wal" ] || [ ! -s "$master-wal" ] || fail "$master-wal is not empty after seeding"
fi

# ---- the servers: in each round both builds serve, each on its own copy of the database ----
declare -A bin=([before]=$before_bin [after]=$after_bin) base=() token=()

order() { # order N: the two sides, before first when N is odd
    if [ $(($1 % 2)) = 1 ]; then echo "before after"; else echo "after before"; fi
}

start_server() { # start_server SIDE ROUND: sets pid, base and token of SIDE
    local side=$1 round=$2 url port label=$1-$2
    case "$database" in
    sqlite)
        rm -rf "$work/run-$side"
        mkdir -p "$work/run-$side"
        cp "$master" "$work/run-$side/captrack.db"
        url=sqlite:$work/run-$side/captrack.db
        ;;
    mariadb) url=$seed_url ;;
    esac
    port=$(free_port) || fail "no free port"
    base[$side]=http://127.0.0.1:$port
    "${bin[$side]}" serve --set db.url="$url" --set auth.secret_file="$work/secret" --set log.level=warning \
        --set http.address=127.0.0.1 --set http.port="$port" --set http.shutdown_grace_seconds=2 > "$work/serve-$label.log" 2>&1 &
    pid[$side]=$!
    local up=""
    for _ in $(seq 1 600); do # <= 60 s, migrations included
        if [ "$(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "${base[$side]}/healthz")" = 200 ]; then
            up=1
            break
        fi
        kill -0 "${pid[$side]}" 2> /dev/null || { cat "$work/serve-$label.log"; fail "$label: server exited"; }
        sleep 0.1
    done
    [ -n "$up" ] || fail "$label: no 200 from /healthz within 60 s"
    token[$side]=$(curl -s --max-time 30 -H 'Content-Type: application/json' \
        -d "{\"username\": \"bench\", \"password\": \"$password\"}" "${base[$side]}/api/v1/auth/login" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') || fail "$label: sign-in"
}

stop_server() { # stop_server SIDE: SIGTERM, then SIGKILL after 10 s
    local p=${pid[$1]}
    kill -TERM "$p" 2> /dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$p" 2> /dev/null || break
        sleep 0.1
    done
    kill -KILL "$p" 2> /dev/null || true
    wait "$p" 2> /dev/null || true
    unset "pid[$1]"
}

get() { # get SIDE PATH: one authenticated GET (new connection) into $work/body; prints "CODE SECONDS"
    curl -s -o "$work/body" -w '%{http_code} %{time_total}' --max-time 120 -H "Authorization: Bearer ${token[$1]}" \
        "${base[$1]}$2" || echo "000 0"
}

# time_repeated ROUND FIGURE PATH [CHECK]: BENCH_REPEAT GETs per side, alternating sides request by request
# (before after, after before, ...); asserts 200 (and totals.projects == CHECK); records the wall times and,
# for the portfolio reports, the server CPU per request (/proc ticks are 10 ms: too coarse for the small
# mission report)
time_repeated() {
    local round=$1 figure=$2 path=$3 check=${4:-} code seconds side i
    local -A times=() cpu0=()
    for side in before after; do cpu0[$side]=$(cpu_ms "${pid[$side]}"); done
    for i in $(seq 1 "$repeat"); do
        for side in $(order $((round + i + 1))); do
            read -r code seconds <<< "$(get "$side" "$path")"
            [ "$code" = 200 ] || { head -c 400 "$work/body"; echo; fail "$side: $figure: HTTP $code"; }
            if [ -n "$check" ]; then
                python3 -c 'import json, sys
n = json.load(open(sys.argv[2]))["totals"]["projects"]
sys.exit(0 if n == int(sys.argv[1]) else "totals.projects = %d, expected %s" % (n, sys.argv[1]))' "$check" "$work/body" ||
                    fail "$side: $figure: totals"
            fi
            times[$side]="${times[$side]:-} $(awk -v s="$seconds" 'BEGIN { printf "%.2f", 1000 * s }')"
        done
    done
    local line="    $figure:" cpu
    local -a values
    for side in before after; do
        cpu=$(awk -v a="${cpu0[$side]}" -v b="$(cpu_ms "${pid[$side]}")" -v n="$repeat" 'BEGIN { printf "%.1f", (b - a) / n }')
        read -r -a values <<< "${times[$side]}"
        record "$side" "$round" "$figure (ms)" ms lower "${values[@]}"
        case "$path" in
        */reports/portfolio*) record "$side" "$round" "$figure, server CPU (ms/request)" ms lower "$cpu" ;;
        esac
        line="$line $side median $(echo "${times[$side]}" | median) ms of${times[$side]}, CPU $cpu ms/request;"
    done
    echo "$line" >> "$out"
}

# time_keepalive ROUND FIGURE SUFFIX: BENCH_LATENCY_REQUESTS GETs per side of /api/v1/projects/{id}SUFFIX,
# in blocks of 20 (the 20 latency projects, one kept-alive connection), alternating sides block by block;
# asserts 200, records the wall times
time_keepalive() {
    local round=$1 figure=$2 suffix=$3 side block id
    local -A times=()
    for side in before after; do
        : > "$work/curl-$side.cfg"
        for id in $latency_ids; do
            printf 'url = "%s/api/v1/projects/%s%s"\noutput = "/dev/null"\n' "${base[$side]}" "$id" "$suffix" >> "$work/curl-$side.cfg"
        done
    done
    for block in $(seq 1 $(((latency_requests + 19) / 20))); do
        for side in $(order $((round + block + 1))); do
            curl -s --max-time 120 -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer ${token[$side]}" \
                -K "$work/curl-$side.cfg" > "$work/latency" || fail "$side: $figure: curl"
            awk '$1 != 200 { bad++ } END { exit bad ? 1 : 0 }' "$work/latency" ||
                fail "$side: $figure: not all 200 ($(awk '{ print $1 }' "$work/latency" | sort | uniq -c | tr '\n' ' '))"
            [ "$(wc -l < "$work/latency")" = 20 ] || fail "$side: $figure: $(wc -l < "$work/latency") answers to 20 requests"
            times[$side]="${times[$side]:-}$(awk '{ printf " %.3f", 1000 * $2 }' "$work/latency")"
        done
    done
    local line="    $figure:"
    local -a values
    for side in before after; do
        read -r -a values <<< "${times[$side]}"
        record "$side" "$round" "$figure (ms)" ms lower "${values[@]}"
        line="$line $side median $(echo "${times[$side]}" | median) ms over ${#values[@]} requests;"
    done
    echo "$line" >> "$out"
}

run_wrk() { # run_wrk SIDE ROUND: summary throughput, random projects
    local side=$1 round=$2 cpu0
    cpu0=$(cpu_ms "${pid[$side]}")
    BENCH_MIN_ID=$min_id BENCH_MAX_ID=$max_id timeout $((wrk_seconds + 30)) wrk -t"$wrk_threads" -c"$wrk_connections" \
        -d"${wrk_seconds}s" --timeout 5s --latency -s "$root/tests/bench/random-project-summary.lua" \
        -H "Authorization: Bearer ${token[$side]}" "${base[$side]}/" > "$work/wrk.txt" 2>&1 || { cat "$work/wrk.txt"; fail "$side: wrk"; }
    local rps requests p50 p99 non2xx errors cpu
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")
    requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
    p50=$(awk '$1 == "50%" { print $2 }' "$work/wrk.txt")
    p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")
    non2xx=$(grep -m1 'Non-2xx' "$work/wrk.txt" | sed 's/^ *//' || true)
    errors=$(grep -m1 'Socket errors' "$work/wrk.txt" | sed 's/^ *//' || true)
    if [ -z "$rps" ] || [ -z "$requests" ]; then
        cat "$work/wrk.txt"
        fail "$side: wrk output"
    fi
    [ -z "$non2xx" ] || fail "$side: wrk summaries: $non2xx"
    cpu=$(awk -v a="$cpu0" -v b="$(cpu_ms "${pid[$side]}")" -v n="$requests" 'BEGIN { printf "%.0f", 1000 * (b - a) / n }')
    record "$side" "$round" "summary throughput, wrk (req/s)" req/s higher "$rps"
    record "$side" "$round" "summary, server CPU under wrk (us/request)" us lower "$cpu"
    echo "    wrk summaries, $side: $rps req/s, p50 $p50, p99 $p99, server CPU $cpu us/request${errors:+, $errors}" >> "$out"
    [ -z "$errors" ] || log "  note: $side round $round: wrk $errors"
}

log ""
for round in $(seq 1 "$rounds"); do
    t0=$(date +%s%N)
    first=$(order "$round" | cut -d' ' -f1)
    echo "  round $round, $first first (load $(cut -d' ' -f1 /proc/loadavg))" >> "$out"
    for side in $(order "$round"); do start_server "$side" "$round"; done
    for side in $(order "$round"); do # warm-up, not recorded: the first report and summary of a fresh server
        read -r code _ <<< "$(get "$side" "/api/v1/reports/portfolio?as_of=$as_of&group_by=framework")"
        [ "$code" = 200 ] || fail "$side: warm-up report: HTTP $code"
        read -r code _ <<< "$(get "$side" "/api/v1/projects/$min_id/summary?as_of=$as_of")"
        [ "$code" = 200 ] || fail "$side: warm-up summary: HTTP $code"
    done
    time_repeated "$round" "report JSON group_by=framework" "/api/v1/reports/portfolio?as_of=$as_of&group_by=framework" "$scale"
    time_repeated "$round" "report JSON group_by=partner" "/api/v1/reports/portfolio?as_of=$as_of&group_by=partner" "$scale"
    time_repeated "$round" "report CSV group_by=framework" "/api/v1/reports/portfolio?as_of=$as_of&group_by=framework&format=csv"
    time_repeated "$round" "mission impact" "/api/v1/missions/$mission_id/impact?as_of=$as_of"
    time_keepalive "$round" "summary JSON" "/summary?as_of=$as_of"
    time_keepalive "$round" "summary HTML" "/summary?as_of=$as_of&format=html"
    time_keepalive "$round" "trend JSON" "/trend"
    for side in $(order "$round"); do run_wrk "$side" "$round"; done
    for side in $(order "$round"); do
        record "$side" "$round" "server peak RSS (MB)" MB lower "$(awk -v k="$(status_kb "${pid[$side]}" VmHWM)" 'BEGIN { printf "%.1f", k / 1024 }')"
        stop_server "$side"
    done
    log "  round $round ($first first): done in $((($(date +%s%N) - t0) / 1000000)) ms, load $(cut -d' ' -f1 /proc/loadavg)"
done

log ""
log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$samples" << 'EOF' | tee -a "$out"
import collections, statistics, sys

samples = collections.OrderedDict()
for line in open(sys.argv[1]):
    side, rnd, k, figure, unit, better, value = line.rstrip("\n").split("\t")
    entry = samples.setdefault(figure, {"better": better, "before": {}, "after": {}})
    entry[side][(int(rnd), int(k))] = float(value)

def fmt(v):
    return "%.0f" % v if abs(v) >= 100 else "%.1f" % v if abs(v) >= 10 else "%.2f" % v

def round_medians(values):
    rounds = sorted({r for r, _ in values})
    return " ".join(fmt(statistics.median(v for (r, _), v in values.items() if r == n)) for n in rounds)

print("| figure | before median | after median | after/before | paired after/before | better | per-round medians, before / after |")
print("|---|---|---|---|---|---|---|")
for figure, e in samples.items():
    b = statistics.median(e["before"].values())
    a = statistics.median(e["after"].values())
    pairs = [e["after"][key] / e["before"][key] for key in e["before"] if key in e["after"] and e["before"][key]]
    paired = "%.3f" % statistics.median(pairs) if pairs else "-"
    print("| %s | %s | %s | %.3f | %s | %s | %s / %s |" % (figure, fmt(b), fmt(a), a / b if b else float("nan"), paired,
                                                     e["better"], round_medians(e["before"]), round_medians(e["after"])))
print()
print("after/before: ratio of the two medians, each pooling every sample of every round (reports: rounds x")
print("BENCH_REPEAT; per-project latencies: rounds x BENCH_LATENCY_REQUESTS; wrk, CPU per request, peak RSS:")
print("one figure per round). paired: median of the ratios of samples taken next to each other (same round,")
print("same position; same project for the per-project latencies). Above 1 is slower for times, CPU and memory,")
print("faster for req/s.")
EOF
log "written to $out"
