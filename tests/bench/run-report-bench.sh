#!/usr/bin/env bash
# The portfolio-report and summary benchmark of DESIGN.md "Performance targets" (tests/bench/README.md): each
# report is also timed against the database's own command-line client running the bare GROUP BY of the same
# milestones and contributions (sqlite3, mariadb), as a ratio (goal <= 0.33).
# Run on demand, never by CTest:
#   tests/bench/run-report-bench.sh                                  # SQLite and MariaDB, 10k and 100k projects
#   BENCH_DATABASES=sqlite BENCH_SCALES=10000 tests/bench/run-report-bench.sh
#   BENCH_PERF=1 tests/bench/run-report-bench.sh                     # also perf-profile one report at the top scale
# Builds Release into build/bench (and the bare Poco server into build/bench-bare), starts a throwaway
# MariaDB, seeds with `captrack seed --synthetic N` (growing 10k -> 100k: the seeder tops up), serves on
# 127.0.0.1 only, and bounds every step with a timeout. The figures go to stdout and to
# build/bench/results-<UTC time>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scales=${BENCH_SCALES:-"10000 100000"}
databases=${BENCH_DATABASES:-"sqlite mariadb"}
repeat=${BENCH_REPEAT:-5}
wrk_seconds=${BENCH_WRK_SECONDS:-10}
as_of=2027-03-01
top_scale=$(echo "$scales" | tr ' ' '\n' | sort -n | tail -1)

mkdir -p build/bench
out=$root/build/bench/results-$(date -u +%Y%m%dT%H%M%SZ).txt
work=$(mktemp -d /tmp/captrack-bench.XXXXXX)
password="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
server_pid=""
bare_pid=""
maria_dir=""

log() { echo "$*" | tee -a "$out"; }
fail() { log "FAILED: $*"; exit 1; }

cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2> /dev/null || true; fi
    if [ -n "$bare_pid" ]; then kill "$bare_pid" 2> /dev/null || true; fi
    wait 2> /dev/null || true
    if [ -n "$maria_dir" ]; then "$root/scripts/mariadb.sh" stop "$maria_dir" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    for p in $(shuf -i 20000-45000 -n 200); do
        (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { echo "$p"; return 0; }
    done
    return 1
}

# the median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# min and median of the numbers on stdin, in milliseconds
min_median_ms() {
    sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
                                        printf "min %.0f ms, median %.0f ms", v[1] * 1000, m * 1000 }'
}

cpu_seconds() { # utime + stime of a process, in seconds
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

echo "== build (Release)"
timeout 900 cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF > "$work/cmake.log"
timeout 1800 cmake --build build/bench -j2 --target captrack > "$work/build.log" || { tail -30 "$work/build.log"; exit 1; }
timeout 300 cmake -S tests/bench -B build/bench-bare -DCMAKE_BUILD_TYPE=Release -DCAPTRACK_BUILD_DIR="$root/build/bench" \
    > "$work/cmake-bare.log"
timeout 600 cmake --build build/bench-bare -j2 > "$work/build-bare.log" || { tail -30 "$work/build-bare.log"; exit 1; }
bin=$root/build/bench/captrack
cd "$work" # no etc/captrack.properties here: the defaults apply, overridden below

log "captrack report benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (+ uncommitted changes)')"
log "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
log "scales: $scales; databases: $databases; $repeat runs per report; wrk -t2 -c64 -d${wrk_seconds}s"

run_captrack() { # run_captrack DB_URL ARGS...: a captrack command with the bench settings, <= 30 min
    local url=$1
    shift
    timeout 1800 "$bin" "$@" --set db.url="$url" --set auth.secret_file="$work/secret" --set paths.sql="$root/sql" \
        --set log.level=warning
}

start_server() { # start_server DB_URL LABEL: sets server_pid, port, base, token
    local url=$1 label=$2
    port=$(free_port)
    base=http://127.0.0.1:$port
    local t0
    t0=$(date +%s%N)
    "$bin" serve --set db.url="$url" --set auth.secret_file="$work/secret" --set paths.sql="$root/sql" \
        --set log.level=warning --set http.port="$port" > "$work/serve-$label.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 3000); do # <= 30 s
        [ "$(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "$base/healthz")" = 200 ] && break
        kill -0 "$server_pid" 2> /dev/null || { cat "$work/serve-$label.log"; fail "server did not start"; }
        sleep 0.01
    done
    log "  server up in $((($(date +%s%N) - t0) / 1000000)) ms (launch to first 200 from /healthz, polled every 10 ms); idle RSS $(($(status_kb "$server_pid" VmRSS) / 1024)) MB"
    token=$(curl -s --max-time 30 -H 'Content-Type: application/json' \
        -d "{\"username\": \"bench\", \"password\": \"$password\"}" "$base/api/v1/auth/login" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') || fail "sign-in"
}

stop_server() {
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=""
}

time_report() { # time_report LABEL QUERY: repeat GET /reports/portfolio?QUERY, print min/median
    local label=$1 query=$2 times="" result cpu0 db0=""
    cpu0=$(cpu_seconds "$server_pid")
    [ -n "${maria_pid:-}" ] && db0=$(cpu_seconds "$maria_pid")
    for _ in $(seq 1 "$repeat"); do
        result=$(curl -s -o "$work/body" -w '%{http_code} %{time_total} %{size_download}' --max-time 120 \
            -H "Authorization: Bearer $token" "$base/api/v1/reports/portfolio?$query")
        read -r code seconds size <<< "$result"
        [ "$code" = 200 ] || { head -c 400 "$work/body"; fail "$label: HTTP $code"; }
        times="$times $seconds"
    done
    local cpu
    cpu="server CPU $(awk -v a="$cpu0" -v b="$(cpu_seconds "$server_pid")" -v n="$repeat" 'BEGIN { printf "%.2f", (b - a) / n }') s/report"
    [ -n "$db0" ] && cpu="$cpu, mariadbd CPU $(awk -v a="$db0" -v b="$(cpu_seconds "$maria_pid")" -v n="$repeat" 'BEGIN { printf "%.2f", (b - a) / n }') s/report"
    report_median=$(echo "$times" | tr ' ' '\n' | grep . | median)
    log "  $label: $(echo "$times" | tr ' ' '\n' | grep . | min_median_ms); runs (s):$times; $size bytes; $cpu"
}

# The bare GROUP BY aggregation of the milestones and contributions that a portfolio report covers
# (per project: milestones by status, overdue and due within 90 days as of $as_of; contribution sums by
# state and person-months), run by the database's own command-line client, its output thrown away.
cli_aggregation_sql() {
    local late
    case "$1" in
    sqlite) late="CAST(julianday('$as_of') - julianday(COALESCE(forecast_date, baseline_date)) AS INTEGER)" ;;
    mariadb) late="DATEDIFF('$as_of', COALESCE(forecast_date, baseline_date))" ;;
    esac
    cat << SQL
SELECT project_id, COUNT(*), SUM(status = 'done'), SUM(status <> 'done' AND $late > 0),
       SUM(status <> 'done' AND $late BETWEEN -90 AND 0)
  FROM milestones WHERE status <> 'cancelled' GROUP BY project_id;
SELECT project_id, SUM(CASE WHEN state = 'pledged' THEN amount_eur ELSE 0 END),
       SUM(CASE WHEN state = 'committed' THEN amount_eur ELSE 0 END),
       SUM(CASE WHEN state = 'delivered' THEN amount_eur ELSE 0 END), SUM(person_months)
  FROM contributions GROUP BY project_id;
SQL
}

time_cli() { # time_cli DB: runs the CLI aggregation $repeat times; sets cli_median (s)
    local db=$1 times="" t0 t1 client
    cli_aggregation_sql "$db" > "$work/aggregation.sql"
    for _ in $(seq 1 "$repeat"); do
        t0=$(date +%s%N)
        case "$db" in
        sqlite)
            client=sqlite3
            timeout 300 sqlite3 "$sqlite_file" < "$work/aggregation.sql" > /dev/null
            ;;
        mariadb)
            client=mariadb
            timeout 300 mariadb --no-defaults --socket="$maria_dir/mysqld.sock" -uroot -N captrack_test \
                < "$work/aggregation.sql" > /dev/null
            ;;
        esac
        t1=$(date +%s%N)
        times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
    done
    cli_median=$(echo "$times" | tr ' ' '\n' | grep . | median)
    log "  CLI ($client) GROUP BY of milestones and contributions: $(echo "$times" | tr ' ' '\n' | grep . | min_median_ms); runs (s):$times"
}

ratio_to_cli() { # ratio_to_cli LABEL: the last report's median over the CLI's
    log "  $1: report / CLI = $(awk -v r="$report_median" -v c="$cli_median" 'BEGIN { printf "%.2f", r / c }') (goal <= 0.33)"
}

check_totals() { # the JSON report in $work/body covers every project
    python3 - "$1" "$work/body" << 'EOF' | tee -a "$out"
import json, sys
n, report = int(sys.argv[1]), json.load(open(sys.argv[2]))
t = report["totals"]
print("  report check: totals.projects=%d (expected %d), health %s, milestones %s, %d rows, %d overdue listed (of %s), %d due soon listed"
      % (t["projects"], n, t["health"], t["milestones"], len(report["rows"]), len(report["overdue"]),
         report.get("overdue_total", len(report["overdue"])), len(report["due_soon"])))
sys.exit(0 if t["projects"] == n else 1)
EOF
}

project_id_range() { # prints "MIN MAX COUNT" of the projects table
    case "$1" in
    sqlite) python3 -c "import sqlite3, sys; print(*sqlite3.connect(sys.argv[1]).execute('SELECT MIN(id), MAX(id), COUNT(*) FROM projects').fetchone())" "$sqlite_file" ;;
    mariadb) mariadb --no-defaults --socket="$maria_dir/mysqld.sock" -uroot -N -e 'SELECT MIN(id), MAX(id), COUNT(*) FROM projects' captrack_test | tr '\t' ' ' ;;
    esac
}

run_wrk() { # run_wrk LABEL URL PID [DB_PID]: prints req/s; logs wrk's figures and the CPU time per request
    local label=$1 url=$2 pid=$3 db_pid=${4:-} cpu0 db0=""
    cpu0=$(cpu_seconds "$pid")
    [ -n "$db_pid" ] && db0=$(cpu_seconds "$db_pid")
    timeout $((wrk_seconds + 30)) wrk -t2 -c64 -d"${wrk_seconds}s" --timeout 5s --latency -s "$root/tests/bench/random-project-summary.lua" \
        -H "Authorization: Bearer $token" "$url" > "$work/wrk-$label.txt" 2>&1
    local rps errors non2xx p99 requests cpu db_cpu=""
    cpu=$(awk -v a="$cpu0" -v b="$(cpu_seconds "$pid")" 'BEGIN { print b - a }')
    requests=$(awk '/requests in/ { print $1 }' "$work/wrk-$label.txt")
    [ -n "$db_pid" ] && db_cpu=$(awk -v a="$db0" -v b="$(cpu_seconds "$db_pid")" -v n="$requests" 'BEGIN { printf "%.0f", 1e6 * (b - a) / n }')
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk-$label.txt")
    errors=$(grep -m1 'Socket errors' "$work/wrk-$label.txt" | sed 's/^ *//' || true)
    non2xx=$(grep -m1 'Non-2xx' "$work/wrk-$label.txt" | sed 's/^ *//' || true)
    p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk-$label.txt")
    log "  wrk $label: $rps req/s, p99 $p99, server CPU $(awk -v c="$cpu" -v n="$requests" 'BEGIN { printf "%.0f", 1e6 * c / n }') us/request${db_cpu:+, mariadbd CPU $db_cpu us/request}${errors:+, $errors}${non2xx:+, $non2xx}" >&2
    echo "$rps"
}

measure_summary() { # summary req/s between two bare runs, and a starvation probe
    local range min max count
    range=$(project_id_range "$1")
    read -r min max count <<< "$range"
    [ $((max - min + 1)) = "$count" ] || log "  note: project ids are not contiguous ($range); some summaries will be 404"
    export BENCH_MIN_ID=$min BENCH_MAX_ID=$max
    local bare1 summary bare2 probe
    bare1=$(run_wrk bare-before "http://127.0.0.1:$bare_port/" "$bare_pid")
    (sleep $((wrk_seconds / 2)) && curl -s -o /dev/null --max-time 3 -w '%{http_code} in %{time_total} s' \
        -H "Authorization: Bearer $token" "$base/api/v1/projects/$min/summary" > "$work/probe" 2>&1) &
    local probe_pid=$!
    summary=$(run_wrk summary "$base/" "$server_pid" "${maria_pid:-}")
    wait "$probe_pid" || true
    probe=$(cat "$work/probe")
    bare2=$(run_wrk bare-after "http://127.0.0.1:$bare_port/" "$bare_pid")
    log "  summary/bare = $summary / mean($bare1, $bare2) = $(awk -v s="$summary" -v a="$bare1" -v b="$bare2" 'BEGIN { printf "%.1f%%", 100 * s / ((a + b) / 2) }') (target >= 50%); a 65th connection during the summary run got: $probe"
}

echo "== bare Poco server"
"$root/build/bench-bare/bare_server" 0 > "$work/bare.out" &
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
        ;;
    mariadb)
        maria_dir=$work/mariadb
        url=$(timeout 120 "$root/scripts/mariadb.sh" start "$maria_dir" "$(free_port)")
        maria_pid=$(cat "$maria_dir/server.pid")
        log "  MariaDB $(mariadbd --version | awk '{ print $3 }'), scripts/mariadb.sh settings (buffer pool 256M, flush_log_at_trx_commit=1)"
        ;;
    *) fail "unknown database $db" ;;
    esac
    run_captrack "$url" migrate > /dev/null
    echo "$password" | run_captrack "$url" user add --username bench --role admin --password-stdin > /dev/null
    for n in $scales; do
        log "-- $db, $n projects"
        t0=$(date +%s%N)
        run_captrack "$url" seed --synthetic "$n" > "$work/seed.log" 2>&1 || { tail -20 "$work/seed.log"; fail "seed"; }
        log "  seed --synthetic $n: $((($(date +%s%N) - t0) / 1000000)) ms wall; $(grep '^synthetic portfolio' "$work/seed.log")"
        log "  seeder: $(grep '^synthetic:' "$work/seed.log" | tail -1)"
        start_server "$url" "$db-$n"
        time_cli "$db"
        time_report "JSON group_by=framework" "as_of=$as_of&group_by=framework"
        check_totals "$n" || fail "totals.projects != $n"
        ratio_to_cli "JSON group_by=framework"
        time_report "CSV  group_by=framework" "as_of=$as_of&group_by=framework&format=csv"
        ratio_to_cli "CSV  group_by=framework"
        time_report "JSON group_by=partner  " "as_of=$as_of&group_by=partner"
        ratio_to_cli "JSON group_by=partner  "
        log "  server peak RSS (VmHWM) after these $((3 * repeat)) reports: $(($(status_kb "$server_pid" VmHWM) / 1024)) MB (goal <= 256 MB)"
        if [ "$n" = "$top_scale" ]; then
            if [ "${BENCH_PERF:-0}" = 1 ]; then
                timeout 120 perf record -F 999 -g -p "$server_pid" -o "$work/perf-$db.data" > /dev/null 2>&1 &
                perf_pid=$!
                sleep 1
                curl -s -o /dev/null --max-time 120 -H "Authorization: Bearer $token" "$base/api/v1/reports/portfolio?as_of=$as_of&group_by=framework"
                kill -INT "$perf_pid"
                wait "$perf_pid" || true
                log "  perf, one JSON report at $n projects (self time, top entries):"
                perf report -i "$work/perf-$db.data" --no-children -g none --sort dso,symbol --percent-limit 1.5 --stdio \
                    2> /dev/null | grep -E '^ +[0-9]' | head -25 | cut -c1-170 | sed -E 's/ +$//; s/^ +/    /' | tee -a "$out"
            fi
            measure_summary "$db"
        fi
        stop_server
        if [ "$n" = "$top_scale" ]; then
            log "  phases, in-process and single-threaded (tests/bench/report_phases.cpp):"
            BENCH_TOKEN=$token BENCH_SECRET_FILE=$work/secret timeout 600 "$root/build/bench-bare/report_phases" "$url" "$as_of" 3 |
                sed 's/^/  /' | tee -a "$out"
        fi
    done
    if [ "$db" = mariadb ]; then
        "$root/scripts/mariadb.sh" stop "$maria_dir"
        maria_dir=""
    fi
done
log ""
log "results written to $out"
