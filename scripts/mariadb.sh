#!/usr/bin/env bash
# Starts or stops a throwaway MariaDB server for the tests, without systemd.
#   scripts/mariadb.sh start DIR PORT   -> prints the db.url of an empty database `captrack_test`
#       (a second empty database, `captrack_restore`, on the same server and for the same user, is
#       the target of the restore tests: tests/storage/BackupRestoreTest.cpp; a third, `captrack_reports`,
#       holds the demo data of the workbook downloads test: tests/report/xlsx_downloads.py)
#   scripts/mariadb.sh stop DIR
#   scripts/mariadb.sh kill DIR                 -> SIGKILL, as a crash would (tests/faults/)
#   scripts/mariadb.sh start-existing DIR PORT  -> starts again on the data DIR keeps (crash recovery)
set -euo pipefail
action=$1; DIR=$2; PORT=${3:-3307}; SOCK=$DIR/mysqld.sock

# Starts mariadbd on $DIR/data and waits until it answers.
serve() {
    mariadbd --no-defaults --user="$(id -un)" --datadir="$DIR/data" --socket="$SOCK" \
        --pid-file="$DIR/mysqld.pid" --port="$PORT" --bind-address=127.0.0.1 \
        --innodb-buffer-pool-size=256M --max-connections=500 \
        --log-error="$DIR/err.log" > /dev/null 2>&1 &
    echo $! > "$DIR/server.pid"
    for _ in $(seq 1 300); do
        mariadb-admin --no-defaults --socket="$SOCK" -uroot ping > /dev/null 2>&1 && break
        kill -0 "$(cat "$DIR/server.pid")" 2> /dev/null || { tail -20 "$DIR/err.log" >&2; exit 1; }
        sleep 0.1
    done
    mariadb-admin --no-defaults --socket="$SOCK" -uroot ping > /dev/null 2>&1 || { echo "MariaDB did not start" >&2; tail -20 "$DIR/err.log" >&2; exit 1; }
}

case "$action" in
start)
    rm -rf "$DIR"; mkdir -p "$DIR"
    mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$DIR/data" \
        --auth-root-authentication-method=normal --skip-test-db > "$DIR/install.log" 2>&1
    serve
    mariadb --no-defaults --socket="$SOCK" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS captrack_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE DATABASE IF NOT EXISTS captrack_restore CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE DATABASE IF NOT EXISTS captrack_reports CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS 'captrack'@'localhost' IDENTIFIED BY 'captrack';
CREATE USER IF NOT EXISTS 'captrack'@'127.0.0.1' IDENTIFIED BY 'captrack';
GRANT ALL PRIVILEGES ON captrack_test.* TO 'captrack'@'localhost', 'captrack'@'127.0.0.1';
GRANT ALL PRIVILEGES ON captrack_restore.* TO 'captrack'@'localhost', 'captrack'@'127.0.0.1';
GRANT ALL PRIVILEGES ON captrack_reports.* TO 'captrack'@'localhost', 'captrack'@'127.0.0.1';
SQL
    echo "mysql://captrack:captrack@127.0.0.1:$PORT/captrack_test"
    ;;
start-existing)
    [ -d "$DIR/data/mysql" ] || { echo "no MariaDB data in $DIR/data" >&2; exit 1; }
    serve
    echo "mysql://captrack:captrack@127.0.0.1:$PORT/captrack_test"
    ;;
kill)
    if [ -f "$DIR/server.pid" ]; then
        pid=$(cat "$DIR/server.pid")
        kill -KILL "$pid" 2> /dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.05; done
    fi
    ;;
stop)
    if [ -S "$SOCK" ]; then
        mariadb-admin --no-defaults --socket="$SOCK" -uroot shutdown > /dev/null 2>&1 || true
    fi
    if [ -f "$DIR/server.pid" ]; then
        pid=$(cat "$DIR/server.pid")
        for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
        # Not gone after 10 s: SIGTERM, then SIGKILL; return only once it has exited, since callers
        # delete its data folder next.
        kill "$pid" 2> /dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2> /dev/null || true
    fi
    ;;
*)
    echo "usage: $0 start DIR PORT | start-existing DIR PORT | stop DIR | kill DIR" >&2; exit 2 ;;
esac
