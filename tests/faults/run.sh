#!/usr/bin/env bash
# The fault suite (tests/faults/README.md): starts its own MariaDB on a free port, runs every trial
# against real captrack servers on SQLite and MariaDB, prints each trial's figures and a PASS/FAIL line,
# and exits non-zero when any trial fails.
#
#   tests/faults/run.sh [--short | --long] [--captrack BIN] [--only NAME[,NAME...]] [--keep]
#
#   --short  the CTest form (faults.short): one trial of each, about a minute on 2 cores (default)
#   --long   10 trials of each with a bigger load, and the Galera cluster trial; figures for the README
#   --only   run just these trials (stale-reads sigkill-writes ifmatch-race deadlocks concurrent-start
#            disk-full mariadb-restart sigterm cluster)
#   --keep   keep the whole scratch folder (server logs, databases, MariaDB's data); without it the
#            folder is deleted after a clean run, and only MariaDB's data after a failed one
#
# Environment: CAPTRACK_BIN (instead of --captrack), CAPTRACK_FAULTS_MARIADB=0 (SQLite only, MariaDB
# trials skipped), CAPTRACK_FAULTS_CLUSTER_SHORT=0|1 (the cluster trial in --short: default when
# scripts/galera.sh and cluster_trial.py exist).
# Time limits, so that a hung trial fails and everything is still stopped and unmounted here before
# CTest's TIMEOUT (900 s) would kill the runner with SIGKILL, traps and all:
# CAPTRACK_FAULTS_TRIAL_LIMIT (seconds one trial may take; --short 300, --long none) and
# CAPTRACK_FAULTS_BUDGET (seconds for all trials; --short 720, --long none); 0 is no limit. A trial
# past its limit gets SIGTERM (it stops its own servers), SIGKILL 60 s later, and fails.
# When CI is set, a trial that skips itself (exit 77: no root for the tmpfs, Galera not installed)
# fails instead, so that CI never passes without having run it; CAPTRACK_FAULTS_ALLOW_SKIP=1 allows it.
#
# Trials written by others are called with --short or --long and these variables, and judged by their
# exit code (0 pass, 77 skip, anything else fail): CAPTRACK_BIN, CAPTRACK_SOURCE_DIR, CAPTRACK_BUILD_DIR
# (CTest's build folder, else the binary's folder), CAPTRACK_FAULTS_WORKDIR (a scratch folder of their own), CAPTRACK_FAULTS_MARIADB_DIR,
# CAPTRACK_FAULTS_MARIADB_PORT, CAPTRACK_FAULTS_MARIADB_URL (an empty database of their own on the
# suite's MariaDB), CAPTRACK_FAULTS_HTTP_PORTS (FIRST-LAST, ports they may use).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=$root/tests/faults

mode=short
binary=${CAPTRACK_BIN:-}
only=""
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
    --short) mode=short ;;
    --long) mode=long ;;
    --captrack) binary=$2; shift ;;
    --only) only=",$2,"; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$binary" ]; then
    for candidate in build/dev/captrack build/test/captrack build/release/captrack; do
        [ -x "$candidate" ] && { binary=$candidate; break; }
    done
fi
if [ -z "$binary" ] || [ ! -x "$binary" ]; then echo "no captrack binary: give --captrack BIN" >&2; exit 2; fi
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
# Debian's Python 3 (standard library only); any python3 on the PATH otherwise.
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)
export PYTHONDONTWRITEBYTECODE=1

work=$(mktemp -d "${TMPDIR:-/tmp}/captrack-faults.XXXXXX")
# Traversable by others: the Galera nodes of the cluster trial run as user mysql when root starts them
# (scripts/galera.sh) and keep their data below this folder. What is secret in it is 0600 on its own.
chmod 755 "$work"
mariadb_dir=$work/mariadb
mariadb_started=0
trial_pid="" # the running trial (its `timeout`), stopped first on the way out
cleanup() {
    local status=$?
    set +e
    if [ -n "$trial_pid" ]; then
        # timeout passes the signal on to the trial's process group, and SIGKILLs it 60 s later.
        kill -TERM "$trial_pid" 2> /dev/null
        wait "$trial_pid" 2> /dev/null
    fi
    # Trials stop what they start; these are the nets under them (a trial killed with SIGKILL): a
    # Galera cluster (its processes run in sessions of their own), the suite's MariaDB, a tmpfs.
    find "$work" -maxdepth 4 -name settings.env -path '*/cluster/*' 2> /dev/null | while read -r settings; do
        "$root/scripts/galera.sh" stop "$(dirname "$settings")" > /dev/null 2>&1 || true
    done
    if [ $mariadb_started = 1 ]; then "$root/scripts/mariadb.sh" stop "$mariadb_dir" || true; fi
    grep -o " ${work}[^ ]*" /proc/mounts 2> /dev/null | while read -r mounted; do umount -l "$mounted" || true; done
    if [ $keep = 1 ]; then
        echo "faults: logs and databases kept in $work"
    elif [ $status = 0 ]; then
        rm -rf "$work"
    else
        # Hundreds of MB of InnoDB files and Galera caches; the trials' logs and SQLite files stay.
        rm -rf "$mariadb_dir/data" "$work"/cluster/cluster/node*/data
        echo "faults: logs kept in $work"
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 143' TERM INT

wanted() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }

if wanted stale-reads || wanted sigkill-writes || wanted ifmatch-race || wanted deadlocks \
    || wanted concurrent-start || wanted mariadb-restart || wanted sigterm || wanted cluster; then
    if [ "${CAPTRACK_FAULTS_MARIADB:-1}" != 0 ]; then
        port=""
        for p in $(seq 3450 3469); do
            (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { port=$p; break; }
        done
        [ -n "$port" ] || { echo "no free MariaDB port in 3450-3469" >&2; exit 1; }
        echo "== MariaDB on port $port"
        mariadb_started=1
        mariadb_url=$(scripts/mariadb.sh start "$mariadb_dir" "$port")
        export CAPTRACK_FAULTS_MARIADB_DIR=$mariadb_dir CAPTRACK_FAULTS_MARIADB_PORT=$port
    fi
fi
export CAPTRACK_BIN=$binary CAPTRACK_SOURCE_DIR=$root CAPTRACK_FAULTS_WORKDIR=$work
# The build folder (where tests/cluster_check is built): CTest gives it; by hand, the binary's folder.
export CAPTRACK_BUILD_DIR=${CAPTRACK_BUILD_DIR:-$(dirname "$binary")}
databases=both
[ "${CAPTRACK_FAULTS_MARIADB:-1}" = 0 ] && databases=sqlite

if [ $mode = short ]; then trial_limit=${CAPTRACK_FAULTS_TRIAL_LIMIT:-300} budget=${CAPTRACK_FAULTS_BUDGET:-720}
else trial_limit=${CAPTRACK_FAULTS_TRIAL_LIMIT:-0} budget=${CAPTRACK_FAULTS_BUDGET:-0}; fi
[ "$budget" -gt 0 ] && budget_end=$((SECONDS + budget))
strict=0
[ -n "${CI:-}" ] && [ "${CI:-}" != false ] && [ "${CAPTRACK_FAULTS_ALLOW_SKIP:-0}" != 1 ] && strict=1

names=()
results=()
seconds=()
failed=0
# record NAME RESULT MS: a trial's line of the summary.
record() {
    names+=("$1"); results+=("$2")
    seconds+=("$(($3 / 1000)).$(($3 % 1000 / 100))")
    if [ "$2" = FAIL ]; then failed=$((failed + 1)); fi
}
# run NAME COMMAND...: one trial within its time limit; its output as it comes, then its result.
run() {
    local name=$1 started status result limit=$trial_limit
    shift
    echo "== $name"
    if [ "$budget" -gt 0 ]; then
        local left=$((budget_end - SECONDS))
        if [ "$left" -lt 30 ]; then
            echo "FAIL $name: not run, the suite's time budget of ${budget} s is spent (CAPTRACK_FAULTS_BUDGET)"
            record "$name" FAIL 0
            return
        fi
        if [ "$limit" = 0 ] || [ "$left" -lt "$limit" ]; then limit=$left; fi
    fi
    started=$(date +%s%N)
    # In the background and waited for: a TERM or INT to this script is then acted on at once
    # (cleanup stops the trial) instead of after the trial.
    timeout --kill-after=60 "$limit" "$@" &
    trial_pid=$!
    set +e
    wait "$trial_pid"
    status=$?
    set -e
    trial_pid=""
    local ms=$((($(date +%s%N) - started) / 1000000))
    case $status in
    0) result=PASS ;;
    77)
        result=SKIP
        if [ $strict = 1 ]; then
            echo "FAIL $name: skipped itself, and CI is set (CAPTRACK_FAULTS_ALLOW_SKIP=1 allows it)"
            result=FAIL
        fi
        ;;
    *)
        result=FAIL
        if [ "$limit" != 0 ] && [ $((ms / 1000)) -ge "$limit" ]; then
            echo "FAIL $name: stopped at its time limit of $limit s (exit $status)"
        fi
        ;;
    esac
    record "$name" $result $ms
}
# skip NAME WHY: a trial left out by this run's settings, said so in the summary.
skip() { echo "== $1"; echo "SKIP $1: $2"; record "$1" SKIP 0; }

own=(--"$mode" --ports 18300-18379)
wanted stale-reads && run stale-reads "$python" "$here/stale_reads.py" "${own[@]}" --database $databases
wanted sigkill-writes && run sigkill-writes "$python" "$here/sigkill_writes.py" "${own[@]}" --database $databases
wanted ifmatch-race && run ifmatch-race "$python" "$here/ifmatch_race.py" "${own[@]}" --database $databases
wanted deadlocks && run deadlocks "$python" "$here/deadlocks.py" "${own[@]}" --database $databases
wanted concurrent-start && run concurrent-start "$python" "$here/concurrent_start.py" "${own[@]}" --database $databases
wanted disk-full && run disk-full "$python" "$here/disk_full.py" "${own[@]}" --database sqlite
if wanted mariadb-restart; then
    if [ $databases = both ]; then
        run mariadb-restart "$python" "$here/mariadb_restart.py" "${own[@]}" --database mariadb
    else
        skip mariadb-restart "no MariaDB (CAPTRACK_FAULTS_MARIADB=0)"
    fi
fi

# Trials of other authors: each gets a database of its own on the suite's MariaDB, its own scratch
# folder and ports 18380-18399.
external() {
    local name=$1 script=$2
    shift 2
    if [ ! -f "$here/$script" ]; then
        # A file that is not there yet, or no more: in CI that is a failure, like a skip (above).
        run "$name" sh -c "echo 'SKIP $name: tests/faults/$script is not there'; exit 77"
        return
    fi
    local db="faults_${name//-/_}"
    if [ $databases = both ]; then
        mariadb --no-defaults --socket="$mariadb_dir/mysqld.sock" -uroot -e "CREATE DATABASE $db
            CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
            GRANT ALL PRIVILEGES ON $db.* TO 'captrack'@'localhost', 'captrack'@'127.0.0.1';"
        export CAPTRACK_FAULTS_MARIADB_URL=${mariadb_url%/*}/$db
    fi
    mkdir -p "$work/$name"
    CAPTRACK_FAULTS_WORKDIR=$work/$name CAPTRACK_FAULTS_HTTP_PORTS=18380-18399 \
        run "$name" "$python" "$here/$script" --"$mode" "$@"
}
wanted sigterm && external sigterm sigterm_trial.py
# The Galera cluster trial: always in --long; in --short when scripts/galera.sh exists (it must then
# keep its short form under about two minutes), unless CAPTRACK_FAULTS_CLUSTER_SHORT=0.
if wanted cluster; then
    cluster_short=${CAPTRACK_FAULTS_CLUSTER_SHORT:-auto}
    if [ $mode = long ] || [ "$cluster_short" = 1 ] \
        || { [ "$cluster_short" = auto ] && [ -x scripts/galera.sh ]; }; then
        external cluster cluster_trial.py
    else
        skip cluster "runs in --long (or --short once scripts/galera.sh exists)"
    fi
fi

echo "== faults ($mode) summary"
passed=0
skipped=0
for i in "${!names[@]}"; do
    printf '  %-16s %s  %6s s\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}"
    if [ "${results[$i]}" = PASS ]; then passed=$((passed + 1)); fi
    if [ "${results[$i]}" = SKIP ]; then skipped=$((skipped + 1)); fi
done
echo "faults: $passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
