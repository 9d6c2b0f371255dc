#!/usr/bin/env bash
# A local three-node MariaDB Galera cluster, haproxy in front of it and of N captrack servers, without
# systemd: for the cluster fault trial (tests/faults/cluster_trial.py) and for trying a scaled-out
# captrack on one machine (docs/OPERATING-cluster.md).
#
#   scripts/galera.sh start DIR [--servers N] [--captrack BIN]   a fresh cluster in DIR (emptied first);
#                                        N captrack servers (default 2; 0 for the database only)
#   scripts/galera.sh stop DIR           stops everything started in DIR; leaves no process behind
#   scripts/galera.sh kill-node DIR I    SIGKILLs Galera node I (1..3)
#   scripts/galera.sh start-node DIR I   restarts node I: it rejoins (IST, or SST) and is waited for until Synced
#   scripts/galera.sh status DIR         the nodes' Galera state, haproxy's view, the servers' /readyz
#
# start writes DIR/cluster.env (mode 0600, shell-sourceable: HTTP_URL, DB_URL, NODE_URLS, the pids) and
# prints the URLs. Node I's configuration is DIR/nodeI/my.cnf, made from etc/galera/node.cnf; haproxy's
# is DIR/haproxy.cfg, made from etc/haproxy/captrack.cfg. Ports, all on 127.0.0.1 (override by env):
#   CLUSTER_DB_PORT     (3400)  node I's SQL port is +I, haproxy's SQL frontend +10
#   CLUSTER_GALERA_PORT (4600)  node I's group communication +10*I, its IST +10*I+1, its SST +10*I+2
#   CLUSTER_HTTP_PORT   (18100) haproxy's HTTP frontend; captrack server J listens on +J
set -euo pipefail
# Logs, pid files, the password files and the token secret are their owner's alone.
umask 077
root=$(cd "$(dirname "$0")/.." && pwd)
NODES=3
DB_BASE=${CLUSTER_DB_PORT:-3400}
GALERA_BASE=${CLUSTER_GALERA_PORT:-4600}
HTTP_BASE=${CLUSTER_HTTP_PORT:-18100}
# Set by start, kept in DIR/settings.env for the other commands (load_settings).
SERVERS=0
DB_PASSWORD=""
CAPTRACK_BIN=""
# The nodes run as `mysql` when started by root, as MariaDB's packages do: the rsync daemon of a state
# transfer, started by root, would switch to user `nobody` and could not write the joiner's data folder.
DB_USER=$(id -un)
[ "$(id -u)" -eq 0 ] && id mysql > /dev/null 2>&1 && DB_USER=mysql

usage() {
    echo "usage: $0 start DIR [--servers N] [--captrack BIN] | stop DIR | status DIR" >&2
    echo "       $0 kill-node DIR I | start-node DIR I" >&2
    exit 2
}
die() { echo "galera.sh: $*" >&2; exit 1; }

# A process is alive when it exists and is not a zombie (nothing may reap the orphans here).
alive() {
    local state
    state=$(ps -o stat= -p "$1" 2> /dev/null) || return 1
    [[ $state != Z* ]]
}
pid_of() { if [ -f "$1" ]; then cat "$1"; fi; }
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

node_port() { echo $((DB_BASE + $1)); }
galera_port() { echo $((GALERA_BASE + 10 * $1)); }
node_dir() { echo "$DIR/node$1"; }
# Runs SQL on node I as root through its socket.
node_sql() {
    local i=$1; shift
    mariadb --no-defaults --socket="$(node_dir "$i")/mysqld.sock" -uroot -N -B "$@"
}
node_state() { node_sql "$1" -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2> /dev/null | cut -f2; }

write_node_config() {
    local i=$1 d peers="" p
    d=$(node_dir "$i")
    for p in $(seq 1 $NODES); do peers+="${peers:+,}127.0.0.1:$(galera_port "$p")"; done
    sed -e "s|@DATADIR@|$d/data|" -e "s|@SOCKET@|$d/mysqld.sock|" -e "s|@PIDFILE@|$d/mysqld.pid|" \
        -e "s|@ERRLOG@|$d/err.log|" -e "s|@PORT@|$(node_port "$i")|g" -e "s|@PEERS@|$peers|" \
        -e "s|@NODE_NAME@|node$i|" -e "s|@GALERA_PORT@|$(galera_port "$i")|g" \
        -e "s|@IST_PORT@|$(($(galera_port "$i") + 1))|g" -e "s|@SST_PORT@|$(($(galera_port "$i") + 2))|g" \
        "$root/etc/galera/node.cnf" > "$d/my.cnf"
}

# The position a node killed without a clean shutdown had reached, from its InnoDB logs (what
# mysqld_safe does with --wsrep-recover), so that it rejoins by IST rather than a full copy.
recovered_position() {
    local d
    d=$(node_dir "$1")
    mariadbd --defaults-file="$d/my.cnf" --user="$DB_USER" --wsrep-recover --log-error="$d/recover.log" \
        > /dev/null 2>&1 || true
    sed -n 's/.*WSREP: Recovered position: \([0-9a-f-]*:-\{0,1\}[0-9]*\).*/\1/p' "$d/recover.log" | tail -1
}

# Launches mariadbd for node I in its own session (so a signal to the caller's group does not reach
# it); extra arguments go to mariadbd.
launch_node() {
    local i=$1 d; shift
    d=$(node_dir "$i")
    setsid mariadbd --defaults-file="$d/my.cnf" --user="$DB_USER" "$@" > /dev/null 2>&1 &
    echo $! > "$d/server.pid"
}

# Waits (at most 300 s: a full state transfer copies the whole database) until node I is Synced.
wait_synced() {
    local i=$1 pid
    pid=$(pid_of "$(node_dir "$i")/server.pid")
    for _ in $(seq 1 3000); do
        [ "$(node_state "$i")" = Synced ] && return 0
        alive "$pid" || { tail -30 "$(node_dir "$i")/err.log" >&2; die "node $i exited while starting"; }
        sleep 0.1
    done
    tail -30 "$(node_dir "$i")/err.log" >&2
    die "node $i is not Synced after 300 s"
}

create_database() {
    local password=$1
    node_sql 1 <<SQL
CREATE DATABASE IF NOT EXISTS captrack CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS 'captrack'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS 'captrack'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON captrack.* TO 'captrack'@'127.0.0.1', 'captrack'@'localhost';
CREATE USER IF NOT EXISTS 'haproxy_check'@'127.0.0.1';
SQL
}

write_haproxy_config() {
    local servers=$1 galera="" http="" i
    for i in $(seq 1 $NODES); do
        galera+="    server node$i 127.0.0.1:$(node_port "$i") check\n"
    done
    for i in $(seq 1 "$servers"); do
        http+="    server captrack$i 127.0.0.1:$((HTTP_BASE + i)) check\n"
    done
    for i in $(seq 1 "$servers"); do
        http+="    server captrack$i-unchecked 127.0.0.1:$((HTTP_BASE + i)) backup\n"
    done
    sed -e "s|@DB_PORT@|$((DB_BASE + 10))|g" -e "s|@HTTP_PORT@|$HTTP_BASE|g" \
        -e "s|@STATS_SOCKET@|$DIR/haproxy.sock|" -e "s|@CHECK_SCRIPT@|$root/etc/haproxy/galera-check.sh|" \
        -e "s|@ERRORFILE_503@|$root/etc/haproxy/503.http|" \
        -e "s|^    # @GALERA_SERVERS@\$|${galera%\\n}|" -e "s|^    # @CAPTRACK_SERVERS@\$|${http%\\n}|" \
        "$root/etc/haproxy/captrack.cfg" > "$DIR/haproxy.cfg"
}

# Writes DIR/cluster.env from the current pid files (start-node changes a node's pid).
write_env() {
    local i url_list="" node_pids="" server_urls="" server_pids="" server_logs=""
    for i in $(seq 1 $NODES); do
        url_list+="${url_list:+ }mysql://captrack:$DB_PASSWORD@127.0.0.1:$(node_port "$i")/captrack"
        node_pids+="${node_pids:+ }$(pid_of "$(node_dir "$i")/server.pid")"
    done
    for i in $(seq 1 "$SERVERS"); do
        server_urls+="${server_urls:+ }http://127.0.0.1:$((HTTP_BASE + i))"
        server_pids+="${server_pids:+ }$(pid_of "$DIR/server$i/server.pid")"
        server_logs+="${server_logs:+ }$DIR/server$i/server.log"
    done
    cat > "$DIR/cluster.env" <<ENV
# Written by scripts/galera.sh; source it: . $DIR/cluster.env
CLUSTER_DIR='$DIR'
HTTP_URL='http://127.0.0.1:$HTTP_BASE'
DB_URL='mysql://captrack:$DB_PASSWORD@127.0.0.1:$((DB_BASE + 10))/captrack'
NODE_URLS='$url_list'
NODE_PIDS='$node_pids'
HAPROXY_PID='$(pid_of "$DIR/haproxy.pid")'
CAPTRACK_BIN='$CAPTRACK_BIN'
CAPTRACK_CONFIG='$root/etc/captrack.properties'
CAPTRACK_SECRET_FILE='$DIR/captrack.secret'
CAPTRACK_SERVER_URLS='$server_urls'
CAPTRACK_PIDS='$server_pids'
CAPTRACK_LOGS='$server_logs'
ENV
}

# The settings start chose (ports, password, servers), for the commands that follow it.
load_settings() {
    [ -f "$DIR/settings.env" ] || die "no cluster in $DIR (run start first)"
    # shellcheck disable=SC1091
    . "$DIR/settings.env"
}

start_nodes() {
    local i started
    for i in $(seq 1 $NODES); do
        mkdir -p "$(node_dir "$i")/data"
        write_node_config "$i"
        chown -R "$DB_USER" "$(node_dir "$i")"
    done
    # Only the first node is initialised; the others receive its data by SST when they join.
    mariadb-install-db --defaults-file="$(node_dir 1)/my.cnf" --user="$DB_USER" --skip-test-db \
        --auth-root-authentication-method=normal > "$(node_dir 1)/install.log" 2>&1 ||
        { tail -20 "$(node_dir 1)/install.log" >&2; die "mariadb-install-db failed"; }
    for i in $(seq 1 $NODES); do
        started=$(now)
        if [ "$i" = 1 ]; then launch_node 1 --wsrep-new-cluster; else launch_node "$i"; fi
        wait_synced "$i"
        echo "node $i Synced in $(seconds_since "$started") s (port $(node_port "$i"))"
    done
}

start_haproxy() {
    write_haproxy_config "$1"
    haproxy -c -q -f "$DIR/haproxy.cfg" || die "haproxy refuses $DIR/haproxy.cfg"
    setsid haproxy -db -f "$DIR/haproxy.cfg" > "$DIR/haproxy.log" 2>&1 &
    echo $! > "$DIR/haproxy.pid"
}

wait_database_through_haproxy() {
    local password=$1
    for _ in $(seq 1 100); do
        mariadb --no-defaults -h127.0.0.1 -P$((DB_BASE + 10)) -ucaptrack -p"$password" captrack \
            -e 'SELECT 1' > /dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "the database does not answer through haproxy (see $DIR/haproxy.log)"
}

# Starts captrack server I in DIR/serverI (its console output, the first admin's password included,
# goes to DIR/serverI/server.log, readable by its owner only).
launch_server() {
    local i=$1 url=$2 d=$DIR/server$1
    mkdir -p "$d"
    (
        cd "$d"
        export CAPTRACK_DB_URL=$url CAPTRACK_AUTH_SECRET_FILE=$DIR/captrack.secret CAPTRACK_HTTP_PORT=$((HTTP_BASE + i))
        exec setsid "$CAPTRACK_BIN" serve --config "$root/etc/captrack.properties" > "$d/server.log" 2>&1
    ) &
    echo $! > "$d/server.pid"
}

wait_server_ready() {
    local i=$1
    for _ in $(seq 1 300); do
        curl -sf -o /dev/null "http://127.0.0.1:$((HTTP_BASE + i))/readyz" && return 0
        if ! alive "$(pid_of "$DIR/server$i/server.pid")"; then
            tail -20 "$DIR/server$i/server.log" >&2
            die "captrack server $i exited"
        fi
        sleep 0.1
    done
    die "captrack server $i is not ready after 30 s"
}

start_servers() {
    local servers=$1 password=$2 i url
    url="mysql://captrack:$password@127.0.0.1:$((DB_BASE + 10))/captrack"
    # One secret for every server, so a token signed by one is valid on all (auth.secret_file).
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$DIR/captrack.secret"
    echo >> "$DIR/captrack.secret"
    # All servers at once on the empty database, as an operator's hosts boot: the migrations take a
    # lock row in the database (each applied once), reference data and the first administrator are
    # written once (one server's log has the password). cluster_trial.py checks exactly that.
    for i in $(seq 1 "$servers"); do launch_server "$i" "$url"; done
    for i in $(seq 1 "$servers"); do wait_server_ready "$i"; done
    # haproxy takes a server into rotation after two good checks.
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null "http://127.0.0.1:$HTTP_BASE/readyz" && return 0
        sleep 0.1
    done
    die "captrack does not answer through haproxy"
}

start() {
    local servers=2 password started
    CAPTRACK_BIN=""
    while [ $# -gt 0 ]; do
        case "$1" in
        --servers) servers=$2; shift 2 ;;
        --captrack) CAPTRACK_BIN=$(realpath "$2"); shift 2 ;;
        *) usage ;;
        esac
    done
    if [ -z "$CAPTRACK_BIN" ] && [ "$servers" -gt 0 ]; then
        for candidate in "$root/build/release/captrack" "$root/build/dev/captrack"; do
            [ -x "$candidate" ] && { CAPTRACK_BIN=$candidate; break; }
        done
        [ -n "$CAPTRACK_BIN" ] || die "no captrack binary: build it or give --captrack BIN"
    fi
    if [ -f "$DIR/settings.env" ]; then
        echo "stopping what still runs in $DIR"
        (load_settings; stop)
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    # Others may pass through (the nodes' user), not list: the secrets in it are files of mode 0600.
    chmod 711 "$DIR"
    started=$(now)
    password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
    printf "DB_PASSWORD='%s'\nSERVERS=%s\nCAPTRACK_BIN='%s'\nDB_BASE=%s\nGALERA_BASE=%s\nHTTP_BASE=%s\n" \
        "$password" "$servers" "$CAPTRACK_BIN" "$DB_BASE" "$GALERA_BASE" "$HTTP_BASE" > "$DIR/settings.env"
    load_settings
    start_nodes
    create_database "$password"
    start_haproxy "$servers"
    wait_database_through_haproxy "$password"
    [ "$servers" -gt 0 ] && start_servers "$servers" "$password"
    write_env
    # shellcheck disable=SC1091
    . "$DIR/cluster.env"
    echo "cluster up in $(seconds_since "$started") s"
    echo "HTTP_URL=$HTTP_URL   (haproxy over $servers captrack server(s): $CAPTRACK_SERVER_URLS)"
    echo "DB_URL=$DB_URL   (haproxy over the Synced nodes)"
    echo "NODE_URLS=$NODE_URLS"
    echo "settings and pids: $DIR/cluster.env"
    local admin_log
    admin_log=$(grep -l "created the administrator" "$DIR"/server*/server.log 2> /dev/null | head -1 || true)
    [ -z "$admin_log" ] || echo "first administrator: username admin, password in $admin_log"
}

# Sends SIGTERM to a pid file's process, waits up to `seconds`, then SIGKILLs it.
stop_process() {
    local pid_file=$1 seconds=$2 pid
    pid=$(pid_of "$pid_file")
    [ -n "$pid" ] || return 0
    if alive "$pid"; then
        kill -TERM "$pid" 2> /dev/null || true
        for _ in $(seq 1 $((seconds * 10))); do alive "$pid" || break; sleep 0.1; done
        if alive "$pid"; then
            echo "$pid_file: still running after ${seconds}s, SIGKILL" >&2
            kill -KILL "$pid" 2> /dev/null || true
        fi
    fi
    rm -f "$pid_file"
}

stop() {
    local i d
    for d in "$DIR"/server*/; do
        [ -d "$d" ] && stop_process "$d/server.pid" 30
    done
    stop_process "$DIR/haproxy.pid" 10
    # The last node to stop is the one a restart of the whole cluster would bootstrap from.
    for i in $(seq $NODES -1 1); do
        d=$(node_dir "$i")
        [ -d "$d" ] || continue
        if alive "$(pid_of "$d/server.pid")"; then
            node_sql "$i" -e 'SHUTDOWN' 2> /dev/null || true
        fi
        stop_process "$d/server.pid" 60
        # An rsync daemon of an SST cut short by a killed node.
        for helper in "$d/data/rsync_sst.pid" "$d/data/stunnel.pid"; do stop_process "$helper" 5; done
    done
    echo "stopped $DIR"
}

kill_node() {
    local i=$1 pid
    pid=$(pid_of "$(node_dir "$i")/server.pid")
    if [ -z "$pid" ] || ! alive "$pid"; then die "node $i is not running"; fi
    kill -KILL "$pid"
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    echo "node $i (pid $pid) killed with SIGKILL at $(date -u +%H:%M:%S.%N | cut -c1-12)"
}

start_node() {
    local i=$1 started position log lines transfer=SST
    log=$(node_dir "$i")/err.log
    alive "$(pid_of "$(node_dir "$i")/server.pid")" && die "node $i is running"
    started=$(now)
    lines=$(wc -l < "$log")
    position=$(recovered_position "$i")
    if [ -n "$position" ]; then launch_node "$i" --wsrep-start-position="$position"; else launch_node "$i"; fi
    wait_synced "$i"
    write_env
    transfer=$(tail -n +$((lines + 1)) "$log" | sed -n -e 's/.*WSREP: \(IST\|SST\) received.*/\1/p' \
        -e 's/.*state transfer needed: no.*/no state transfer/p' | tail -1)
    echo "node $i rejoined (${transfer:-?}), Synced in $(seconds_since "$started") s" \
        "(recovered position ${position:-none})"
    wait_haproxy_up "node$i"
    echo "node $i back in haproxy's pool $(seconds_since "$started") s after the restart"
}

# haproxy's view of one server (UP, DOWN, ...), through its stats socket; empty when it cannot tell.
haproxy_state() {
    [ -S "$DIR/haproxy.sock" ] && command -v socat > /dev/null || return 0
    echo "show stat" | socat stdio "unix-connect:$DIR/haproxy.sock" 2> /dev/null |
        awk -F, -v name="$1" '$2 == name { print $18 }'
}

wait_haproxy_up() {
    local state
    for _ in $(seq 1 100); do
        state=$(haproxy_state "$1")
        [ -z "$state" ] || [ "$state" = UP ] && return 0
        sleep 0.1
    done
    die "haproxy does not take $1 back (state $state)"
}

status() {
    local i pid state size
    for i in $(seq 1 $NODES); do
        pid=$(pid_of "$(node_dir "$i")/server.pid")
        if [ -n "$pid" ] && alive "$pid"; then
            state=$(node_state "$i")
            size=$(node_sql "$i" -e "SHOW STATUS LIKE 'wsrep_cluster_size'" 2> /dev/null | cut -f2)
            echo "node $i  pid $pid  port $(node_port "$i")  ${state:-not answering}  cluster size ${size:-?}"
        else
            echo "node $i  down"
        fi
    done
    if ! alive "$(pid_of "$DIR/haproxy.pid")"; then
        echo "haproxy  down"
    elif [ -S "$DIR/haproxy.sock" ] && command -v socat > /dev/null; then
        echo "show stat" | socat stdio "unix-connect:$DIR/haproxy.sock" |
            awk -F, '$2 != "FRONTEND" && $2 != "BACKEND" && NR > 1 && $1 != "" { print "haproxy  " $1 "/" $2 "  " $18 }'
    else
        echo "haproxy  running (install socat to see its servers)"
    fi
    for i in $(seq 1 "$SERVERS"); do
        echo "captrack $i  http://127.0.0.1:$((HTTP_BASE + i))  readyz $(curl -s -o /dev/null -w '%{http_code}' \
            "http://127.0.0.1:$((HTTP_BASE + i))/readyz" || true)"
    done
}

[ $# -ge 2 ] || usage
action=$1
DIR=$(realpath -m "$2")
shift 2
case "$action" in
start) start "$@" ;;
stop) [ $# -eq 0 ] || usage; load_settings; stop ;;
kill-node) [ $# -eq 1 ] || usage; load_settings; kill_node "$1" ;;
start-node) [ $# -eq 1 ] || usage; load_settings; start_node "$1" ;;
status) [ $# -eq 0 ] || usage; load_settings; status ;;
*) usage ;;
esac
