#!/usr/bin/env bash
# The HTTP benchmark of issue 12 (tests/bench/README.md, "HTTP requests against a bare Poco handler"):
# single-resource GETs, a list, summaries and milestone PATCHes on the demo data, each next to a bare
# Poco handler, on SQLite and on MariaDB in one run. Run on demand, never by CTest:
#   tests/bench/run-http-bench.sh                            # both databases, 8 s per wrk run (about 5 minutes)
#   BENCH_DATABASES=sqlite BENCH_SECONDS=4 tests/bench/run-http-bench.sh
#   BENCH_BIN=/other/tree/build/rel/captrack tests/bench/run-http-bench.sh   # an existing build, not rebuilt
#   BENCH_SKIP_BUILD=1 tests/bench/run-http-bench.sh         # use build/bench and build/bench-bare as they are
# Builds Release into build/bench (captrack) and build/bench-bare (bare_server.cpp), seeds
# `captrack seed --demo` into a fresh SQLite file and a throwaway MariaDB, signs in as an admin `bench`,
# and runs wrk with tests/bench/check-status.lua (GETs) and patch-milestone.lua (PATCHes), which check
# the status of every response. Any unexpected status, socket error or failed check is printed in the
# tables and makes the script exit 1 at the end. Everything listens on 127.0.0.1; every step has a
# timeout; servers, MariaDB and the temporary folder go on exit. The figures go to stdout and to
# build/bench/http-results-<UTC time>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
databases=${BENCH_DATABASES:-"sqlite mariadb"}
seconds=${BENCH_SECONDS:-8}
writers=16
for tool in curl wrk python3 timeout; do
    command -v "$tool" > /dev/null || { echo "needs $tool" >&2; exit 2; }
done
for db in $databases; do
    case "$db" in sqlite | mariadb) ;; *) echo "BENCH_DATABASES: unknown database $db" >&2; exit 2 ;; esac
done

mkdir -p build/bench
out=$root/build/bench/http-results-$(date -u +%Y%m%dT%H%M%SZ).txt
work=$(mktemp -d /tmp/captrack-http-bench.XXXXXX)
password="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
hz=$(getconf CLK_TCK)
server_pid=""
bare_pid=""
maria_dir=""
maria_pid=""
failures=()

log() { echo "$*" | tee -a "$out"; }
fail() { # a step the run cannot go on without
    log "FAILED: $*"
    exit 1
}
problem() { # a failed check: reported loudly now and in the tables, the run goes on, the exit code is 1
    failures+=("$*")
    log "  !!! CHECK FAILED: $*"
}

cleanup() {
    local p
    for p in "$server_pid" "$bare_pid"; do
        [ -n "$p" ] || continue
        kill "$p" 2> /dev/null || true
        for _ in $(seq 1 100); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2> /dev/null || true
        wait "$p" 2> /dev/null || true
    done
    if [ -n "$maria_dir" ]; then timeout 60 "$root/scripts/mariadb.sh" stop "$maria_dir" > /dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    for p in $(shuf -i 20000-45000 -n 200); do
        (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { echo "$p"; return 0; }
    done
    return 1
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime of a process, in clock ticks

status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

us_per() { # us_per TICKS COUNT: microseconds of CPU per request
    awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { if (n > 0) printf "%.0f", 1e6 * t / hz / n; else print "n/a" }'
}

# ---- build ----
if [ "${BENCH_SKIP_BUILD:-0}" = 1 ] || [ -n "${BENCH_BIN:-}" ]; then
    echo "== build skipped (BENCH_SKIP_BUILD / BENCH_BIN)"
else
    echo "== build (Release)"
    timeout 900 cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF > "$work/cmake.log" ||
        { tail -30 "$work/cmake.log"; exit 1; }
    timeout 1800 cmake --build build/bench -j2 --target captrack > "$work/build.log" || { tail -30 "$work/build.log"; exit 1; }
fi
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    timeout 300 cmake -S tests/bench -B build/bench-bare -DCMAKE_BUILD_TYPE=Release > "$work/cmake-bare.log" ||
        { tail -30 "$work/cmake-bare.log"; exit 1; }
    timeout 600 cmake --build build/bench-bare -j2 --target bare_server > "$work/build-bare.log" ||
        { tail -30 "$work/build-bare.log"; exit 1; }
fi
bin=$(realpath "${BENCH_BIN:-build/bench/captrack}")
bare_bin=$root/build/bench-bare/bare_server
[ -x "$bin" ] || fail "no captrack binary at $bin"
[ -x "$bare_bin" ] || fail "no bare server at $bare_bin"
cd "$work" # no etc/ and no sql/ here: the defaults apply, and the binary migrates with its own tree's sql/

log "captrack HTTP benchmark (issue 12), $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src include sql CMakeLists.txt || echo ' (+ uncommitted changes in src/)')"
log "binary: $bin (built $(date -u -r "$bin" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$bin" | cut -c1-12))${BENCH_BIN:+, from BENCH_BIN: its commit is not known here}"
log "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
log "databases: $databases; wrk -t2 -cN -d${seconds}s for GETs, -t$writers -c$writers and -t1 -c1 for PATCHes (${seconds} s, each thread stopping itself); wrk, curl, the servers and mariadbd share the machine"

run_captrack() { # run_captrack DB_URL ARGS...: a captrack command with the bench settings
    local url=$1
    shift
    timeout 300 "$bin" "$@" --set db.url="$url" --set auth.secret_file="$work/secret" --set log.level=warning
}

start_server() { # start_server DB_URL DB: sets server_pid, base, token; records start-up time and idle RSS
    local url=$1 db=$2 port t0 code=""
    port=$(free_port) || fail "no free port"
    base=http://127.0.0.1:$port
    t0=$(date +%s%N)
    "$bin" serve --set db.url="$url" --set auth.secret_file="$work/secret" --set log.level=warning \
        --set http.address=127.0.0.1 --set http.port="$port" > "$work/serve-$db.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 3000); do # <= 30 s
        code=$(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "$base/healthz" || true)
        [ "$code" = 200 ] && break
        kill -0 "$server_pid" 2> /dev/null || { cat "$work/serve-$db.log"; fail "$db: server did not start"; }
        sleep 0.01
    done
    [ "$code" = 200 ] || fail "$db: no 200 from /healthz within 30 s"
    startup_ms[$db]=$((($(date +%s%N) - t0) / 1000000))
    idle_rss[$db]=$(awk -v kb="$(status_kb "$server_pid" VmRSS)" 'BEGIN { printf "%.1f", kb / 1024 }')
    log "  server up in ${startup_ms[$db]} ms (launch to first 200 from /healthz, polled every 10 ms); idle RSS ${idle_rss[$db]} MB"
    token=$(curl -s --max-time 30 -H 'Content-Type: application/json' \
        -d "{\"username\": \"bench\", \"password\": \"$password\"}" "$base/api/v1/auth/login" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') || fail "$db: sign-in"
}

stop_server() {
    kill "$server_pid" 2> /dev/null || true
    for _ in $(seq 1 300); do kill -0 "$server_pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=""
}

sql_ids() { # sql_ids DB SQL: the first column of every row, space-separated
    case "$1" in
    sqlite) timeout 60 python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*[row[0] for row in c.execute(sys.argv[2])])
c.close()' "$sqlite_file" "$2" ;;
    mariadb) timeout 60 mariadb --no-defaults --socket="$maria_dir/mysqld.sock" -uroot -N -e "$2" captrack_test | paste -sd ' ' - ;;
    esac
}

milestone_state() { # milestone_state ID...: "id:version:progress ..." as GET /api/v1/milestones/ID answers
    timeout 60 python3 - "$base" "$token" "$@" << 'EOF'
import json, sys, urllib.request
base, token, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
state = []
for i in ids:
    request = urllib.request.Request("%s/api/v1/milestones/%s" % (base, i), headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=10) as answer:
        m = json.load(answer)
    state.append("%d:%d:%d" % (m["id"], m["version"], m["progress"]))
print(" ".join(state))
EOF
}

verify_versions() { # verify_versions BEFORE AFTER WRK_OUTPUT: every version step is one counted 200
    python3 - "$1" "$2" "$3" << 'EOF'
import re, sys
def parse(text):
    return {int(i): int(v) for i, v, _ in (e.split(":") for e in text.split())}
before, after = parse(sys.argv[1]), parse(sys.argv[2])
counted = {}
for line in open(sys.argv[3]):
    m = re.match(r"patch-check: milestone (\d+) from version (\d+) to version (\d+), ok (\d+)", line)
    if m:
        counted[int(m[1])] = (int(m[2]), int(m[3]), int(m[4]))
bad = []
for i in sorted(before):
    first, last, ok = counted.get(i, (before[i], before[i], 0))
    step = after[i] - before[i]
    if step != ok or first != before[i] or last != after[i]:
        bad.append("milestone %d: GET says version %d -> %d (+%d), the script counted %d 200s (versions %d -> %d)"
                   % (i, before[i], after[i], step, ok, first, last))
total_step = sum(after[i] - before[i] for i in before)
total_ok = sum(c[2] for c in counted.values())
per_client = sorted(c[2] for c in counted.values())
print("versions advanced by %d over %d milestones, 200s counted %d: %s (per client: %s)"
      % (total_step, len(before), total_ok, "exact" if not bad and total_step == total_ok else "MISMATCH",
         "%d" % per_client[0] if len(per_client) == 1 else "min %d, median %d, max %d"
         % (per_client[0], per_client[len(per_client) // 2], per_client[-1]) if per_client else "none"))
for line in bad:
    print("  " + line)
sys.exit(1 if bad or total_step != total_ok else 0)
EOF
}

# run_wrk KEY PID DB_PID THREADS CONNECTIONS SCRIPT URL: one wrk run of $seconds. Sets rps, cpu_us,
# db_us, p99 and checks (empty when all passed) for the caller, and logs one line.
run_wrk() {
    local key=$1 pid=$2 db_pid=$3 threads=$4 connections=$5 script=$6 url=$7
    local file=$work/wrk-$key.txt duration=$seconds cpu0 db0=0 rc=0 line responses requests
    # the PATCH threads stop themselves $seconds after their first request; wrk's -d only bounds them
    [ "$script" = patch-milestone.lua ] && duration=$((seconds + 3))
    cpu0=$(cpu_ticks "$pid")
    [ -n "$db_pid" ] && db0=$(cpu_ticks "$db_pid")
    BENCH_SECONDS=$seconds timeout $((duration + 30)) wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s \
        --latency -s "$root/tests/bench/$script" -H "Authorization: Bearer $token" "$url" > "$file" 2>&1 || rc=$?
    local cpu=$(($(cpu_ticks "$pid") - cpu0)) db_cpu=0
    [ -n "$db_pid" ] && db_cpu=$(($(cpu_ticks "$db_pid") - db0))
    checks=""
    [ "$rc" = 0 ] || checks="wrk exited with $rc"
    requests=$(awk '/requests in/ { print $1 }' "$file")
    p99=$(awk '$1 == "99%" { print $2 }' "$file")
    if [ "$script" = patch-milestone.lua ]; then
        line=$(grep -m1 '^patch-check: responses' "$file" || true)
        rps=$(sed -n 's/.*, rate \([0-9.]*\)\/s$/\1/p' <<< "$line")
        [[ "$line" == *", version jumps 0, unstopped 0,"* ]] ||
            checks="${checks:+$checks; }$(sed 's/^patch-check: //; s/, window.*//' <<< "$line")"
    else
        line=$(grep -m1 '^status-check: responses' "$file" || true)
        rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$file")
    fi
    responses=$(sed -n 's/^[a-z-]*: responses \([0-9]*\),.*/\1/p' <<< "$line")
    local unexpected
    unexpected=$(sed -n 's/.*, unexpected \([0-9]*\), by status \([^,]*\).*/\1 (\2)/p' <<< "$line")
    [ -n "$line" ] || checks="${checks:+$checks; }no status count from $script"
    case "$unexpected" in "" | "0 "*) ;; *) checks="${checks:+$checks; }$unexpected responses not 200" ;; esac
    [ "${responses:-x}" = "${requests:-y}" ] || checks="${checks:+$checks; }wrk counted ${requests:-no} requests, the script ${responses:-no} responses"
    local extra
    extra=$(grep -E 'Socket errors|Non-2xx' "$file" | sed 's/^ *//' | paste -sd ';' - || true)
    [ -z "$extra" ] || checks="${checks:+$checks; }$extra"
    [ -n "$rps" ] || { rps=0; checks="${checks:+$checks; }no rate from wrk"; }
    cpu_us=$(us_per "$cpu" "${responses:-0}")
    db_us=""
    [ -n "$db_pid" ] && db_us=$(us_per "$db_cpu" "${responses:-0}")
    local unit=req/s
    [ "$script" = patch-milestone.lua ] && unit="writes/s (200s over the threads' own window; wrk's figure divides by -d)"
    log "  wrk $key (-t$threads -c$connections): $rps $unit, ${responses:-?} responses, p99 ${p99:-?}, CPU $cpu_us us/request${db_us:+, mariadbd $db_us us/request}; ${checks:-all responses 200, no socket errors}"
    grep -m1 'first unexpected body' "$file" | sed 's/^/    /' | tee -a "$out" || true
    if [ -n "$checks" ]; then
        problem "$key: $checks"
    fi
}

declare -A row_title row_path row_connections
rows=(project milestone list summary summary64 patch16 patch1)
row_title=([project]="GET /api/v1/projects/1, 16 conns" [milestone]="GET /api/v1/milestones/1, 16 conns"
    [list]="GET /api/v1/projects?limit=25, 16 conns" [summary]="GET /api/v1/projects/1/summary, 16 conns"
    [summary64]="GET /api/v1/projects/1/summary, 64 conns (+ a probe on a 65th)"
    [patch16]="PATCH /api/v1/milestones/{id} with If-Match, 16 clients (writes/s)"
    [patch1]="PATCH /api/v1/milestones/{id} with If-Match, 1 client (writes/s)")
row_path=([project]=/api/v1/projects/1 [milestone]=/api/v1/milestones/1 [list]="/api/v1/projects?limit=25"
    [summary]=/api/v1/projects/1/summary [summary64]=/api/v1/projects/1/summary)
row_connections=([project]=16 [milestone]=16 [list]=16 [summary]=16 [summary64]=64)
# DESIGN.md "Performance targets": a share of bare (%) for the GETs, writes/s for the PATCHes
declare -A row_target=([project]=50 [milestone]=50 [list]=20 [summary64]=30 [sqlite:patch16]=2500
    [mariadb:patch16]=2500 [sqlite:patch1]=1500)

target_cell() { # target_cell DB ROW: the DESIGN.md target and whether this run met it
    local goal=${row_target[$2]:-${row_target[$1:$2]:-}} value
    [ -n "$goal" ] || { echo "–"; return; }
    if [[ "$2" == patch* ]]; then
        value=${result_rps[$1:$2]:-0}
        echo "≥ $goal/s: $(awk -v v="$value" -v g="$goal" 'BEGIN { print (v >= g) ? "met" : "missed" }')"
    else
        value=${share[$1:$2]:-0%}
        echo "≥ $goal%: $(awk -v v="${value%\%}" -v g="$goal" 'BEGIN { print (v >= g) ? "met" : "missed" }')"
    fi
}
declare -A result_rps result_cpu result_db result_checks bare_before bare_after bare_cpu share startup_ms idle_rss peak_rss seed_ms

# bare, CAPTRACK(row 1), bare, CAPTRACK(row 2), bare, ...: each row's captrack run has a bare run with the
# same wrk settings just before and just after it; consecutive rows with the same connections share one.
measure_gets() {
    local db=$1 row key last_bare="" last_connections="" last_cpu=""
    for row in project milestone list summary summary64; do
        local c=${row_connections[$row]}
        if [ "$last_connections" != "$c" ]; then
            run_wrk "$db-bare-before-$row" "$bare_pid" "" 2 "$c" check-status.lua "http://127.0.0.1:$bare_port${row_path[$row]}"
            last_bare=$rps last_cpu=$cpu_us last_connections=$c
            [ -z "$checks" ] || result_checks[$db:$row]="bare: $checks"
        fi
        bare_before[$db:$row]=$last_bare
        local probe_pid=""
        if [ "$c" -ge 64 ]; then # is every connection served? A 65th asks halfway through the run
            (sleep "$(awk -v s="$seconds" 'BEGIN { print s / 2 }')" && curl -s -o /dev/null --max-time 5 \
                -w '%{http_code} in %{time_total} s' -H "Authorization: Bearer $token" "$base${row_path[$row]}" \
                > "$work/probe-$db" 2>&1) &
            probe_pid=$!
        fi
        run_wrk "$db-$row" "$server_pid" "$maria_pid" 2 "$c" check-status.lua "$base${row_path[$row]}"
        result_rps[$db:$row]=$rps result_cpu[$db:$row]=$cpu_us result_db[$db:$row]=$db_us
        [ -z "$checks" ] || result_checks[$db:$row]="${result_checks[$db:$row]:+${result_checks[$db:$row]}; }$checks"
        if [ -n "$probe_pid" ]; then
            wait "$probe_pid" || true
            local probe
            probe=$(cat "$work/probe-$db" 2> /dev/null || true)
            log "  a 65th connection during that run got: ${probe:-nothing}"
            if [[ "$probe" != "200 "* ]]; then
                problem "$db-$row: the 65th connection got '${probe:-nothing}', not a 200"
                result_checks[$db:$row]="${result_checks[$db:$row]:+${result_checks[$db:$row]}; }65th connection: ${probe:-nothing}"
            fi
        fi
        local before_cpu=$last_cpu
        run_wrk "$db-bare-after-$row" "$bare_pid" "" 2 "$c" check-status.lua "http://127.0.0.1:$bare_port${row_path[$row]}"
        last_bare=$rps last_cpu=$cpu_us
        [ -z "$checks" ] || result_checks[$db:$row]="${result_checks[$db:$row]:+${result_checks[$db:$row]}; }bare: $checks"
        bare_after[$db:$row]=$last_bare
        bare_cpu[$db:$row]="$before_cpu / $last_cpu"
        share[$db:$row]=$(awk -v s="${result_rps[$db:$row]}" -v a="${bare_before[$db:$row]}" -v b="$last_bare" \
            'BEGIN { printf "%.1f%%", (a + b > 0) ? 200 * s / (a + b) : 0 }')
        log "  ${row_title[$row]}: captrack / mean(bare before, bare after) = ${result_rps[$db:$row]} / mean(${bare_before[$db:$row]}, $last_bare) = ${share[$db:$row]}"
    done
}

# Each of $writers clients PATCHes its own open milestone, then one client PATCHes the first of them;
# GET before and after each run checks that every counted 200 is one version written, and no other.
measure_patches() {
    local db=$1 ids state0 state1 state2 verdict
    ids=$(sql_ids "$db" "SELECT id FROM milestones WHERE status IN ('planned', 'in_progress') ORDER BY id LIMIT $writers")
    [ "$(wc -w <<< "$ids")" = "$writers" ] || fail "$db: the demo data has fewer than $writers open milestones ($ids)"
    # shellcheck disable=SC2086 # one argument per id
    state0=$(milestone_state $ids) || fail "$db: GET of the milestones"
    log "  PATCH targets (id:version:progress): $state0"
    BENCH_MILESTONES=$state0 run_wrk "$db-patch16" "$server_pid" "$maria_pid" "$writers" "$writers" patch-milestone.lua "$base/"
    result_rps[$db:patch16]=$rps result_cpu[$db:patch16]=$cpu_us result_db[$db:patch16]=$db_us
    result_checks[$db:patch16]=$checks
    # shellcheck disable=SC2086
    state1=$(milestone_state $ids) || fail "$db: GET of the milestones"
    if verdict=$(verify_versions "$state0" "$state1" "$work/wrk-$db-patch16.txt"); then :; else
        problem "$db-patch16: $verdict"
        result_checks[$db:patch16]="${result_checks[$db:patch16]:+${result_checks[$db:patch16]}; }versions: MISMATCH"
    fi
    log "  $writers clients: $verdict"
    BENCH_MILESTONES=${state1%% *} run_wrk "$db-patch1" "$server_pid" "$maria_pid" 1 1 patch-milestone.lua "$base/"
    result_rps[$db:patch1]=$rps result_cpu[$db:patch1]=$cpu_us result_db[$db:patch1]=$db_us
    result_checks[$db:patch1]=$checks
    # shellcheck disable=SC2086
    state2=$(milestone_state $ids) || fail "$db: GET of the milestones"
    if verdict=$(verify_versions "$state1" "$state2" "$work/wrk-$db-patch1.txt"); then :; else
        problem "$db-patch1: $verdict"
        result_checks[$db:patch1]="${result_checks[$db:patch1]:+${result_checks[$db:patch1]}; }versions: MISMATCH"
    fi
    log "  1 client: $verdict"
    log "  over both runs: versions before $state0"
    log "                  versions after  $state2"
}

echo "== bare Poco server"
"$bare_bin" 0 > "$work/bare.out" 2>&1 &
bare_pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/bare.out" 2> /dev/null && break; sleep 0.05; done
bare_port=$(awk '/listening/ { print $3 }' "$work/bare.out")
[ -n "$bare_port" ] || fail "bare server did not start"

for db in $databases; do
    log ""
    log "== $db"
    maria_pid=""
    case "$db" in
    sqlite)
        sqlite_file=$work/sqlite/captrack.db
        mkdir -p "$work/sqlite"
        url=sqlite:$sqlite_file
        log "  SQLite file in $work (the server's defaults: WAL, synchronous=FULL)"
        ;;
    mariadb)
        maria_dir=$work/mariadb
        url=$(timeout 120 "$root/scripts/mariadb.sh" start "$maria_dir" "$(free_port)") || fail "MariaDB did not start"
        maria_pid=$(cat "$maria_dir/server.pid")
        log "  MariaDB $(mariadbd --version | awk '{ print $3 }'), scripts/mariadb.sh settings (buffer pool 256M; innodb_flush_log_at_trx_commit=1, the default)"
        ;;
    esac
    run_captrack "$url" migrate > "$work/migrate-$db.log" 2>&1 || { tail -20 "$work/migrate-$db.log"; fail "$db: migrate"; }
    t0=$(date +%s%N)
    run_captrack "$url" seed --demo > "$work/seed-$db.log" 2>&1 || { tail -20 "$work/seed-$db.log"; fail "$db: seed --demo"; }
    seed_ms[$db]=$((($(date +%s%N) - t0) / 1000000))
    echo "$password" | run_captrack "$url" user add --username bench --role admin --password-stdin > /dev/null || fail "$db: user add"
    log "  seed --demo: ${seed_ms[$db]} ms; $(sql_ids "$db" "SELECT COUNT(*) FROM projects") projects, $(sql_ids "$db" "SELECT COUNT(*) FROM milestones") milestones"
    start_server "$url" "$db"
    measure_gets "$db"
    measure_patches "$db"
    peak_rss[$db]=$(awk -v kb="$(status_kb "$server_pid" VmHWM)" 'BEGIN { printf "%.1f", kb / 1024 }')
    log "  server peak RSS (VmHWM) after the load: ${peak_rss[$db]} MB"
    stop_server
    if [ "$db" = mariadb ]; then
        timeout 60 "$root/scripts/mariadb.sh" stop "$maria_dir" || true
        maria_dir=""
    fi

    log ""
    log "### $db"
    log ""
    log "| request | captrack | bare Poco handler (before / after) | share of bare | target (DESIGN.md) | server CPU per request (bare) |$([ "$db" = mariadb ] && echo ' mariadbd CPU per request |') checks |"
    log "|---|---|---|---|---|---|$([ "$db" = mariadb ] && echo '---|')---|"
    for row in "${rows[@]}"; do
        if [[ "$row" == patch* ]]; then
            bare="–" ratio="–" cpu="${result_cpu[$db:$row]:-–} µs"
            rate="${result_rps[$db:$row]:-–} writes/s"
        else
            bare="${bare_before[$db:$row]:-–} / ${bare_after[$db:$row]:-–} req/s" ratio=${share[$db:$row]:-–}
            cpu="${result_cpu[$db:$row]:-–} µs (${bare_cpu[$db:$row]:-–} µs)" rate="${result_rps[$db:$row]:-–} req/s"
        fi
        check=ok
        [ -z "${result_checks[$db:$row]:-}" ] || check="**FAILED: ${result_checks[$db:$row]}**"
        log "| ${row_title[$row]} | $rate | $bare | $ratio | $(target_cell "$db" "$row") | $cpu |$([ "$db" = mariadb ] && echo " ${result_db[$db:$row]:-–} µs |") $check |"
    done
done

log ""
log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
log ""
log "## Summary ($(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores, wrk -d${seconds}s)"
log ""
log "| request | SQLite req/s | share of bare | CPU µs/request | MariaDB req/s | share of bare | CPU µs/request | mariadbd CPU µs/request |"
log "|---|---|---|---|---|---|---|---|"
for row in "${rows[@]}"; do
    line="| ${row_title[$row]} |"
    for db in sqlite mariadb; do
        flag=""
        [ -z "${result_checks[$db:$row]:-}" ] || flag=" **FAILED**"
        line="$line ${result_rps[$db:$row]:-–}$flag | ${share[$db:$row]:-–} | ${result_cpu[$db:$row]:-–} |"
    done
    log "$line ${result_db[mariadb:$row]:-–} |"
done
log ""
log "| database | seed --demo | start-up (launch to first 200 /healthz) | idle RSS | peak RSS after the load (VmHWM) |"
log "|---|---|---|---|---|"
for db in $databases; do
    log "| $db | ${seed_ms[$db]:-–} ms | ${startup_ms[$db]:-–} ms | ${idle_rss[$db]:-–} MB | ${peak_rss[$db]:-–} MB |"
done
log ""
if [ "${#failures[@]}" -gt 0 ]; then
    log "FAILED: ${#failures[@]} check(s) failed:"
    for f in "${failures[@]}"; do log "  - $f"; done
    log "results written to $out"
    exit 1
fi
log "every response had the expected status, with no socket errors; PATCH versions verified"
log "results written to $out"
