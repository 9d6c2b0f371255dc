#!/bin/sh
# haproxy external check of one Galera node: exit 0 when it is Synced and ready for queries.
# haproxy calls it as: galera-check.sh PROXY_ADDRESS PROXY_PORT NODE_ADDRESS NODE_PORT
# It signs in as `haproxy_check`, a user with no privilege and no password that may connect from the
# haproxy host only (CREATE USER 'haproxy_check'@'127.0.0.1'; SHOW STATUS needs no grant).
# A node that is starting, joining, donating by rsync or cut off from the primary component
# (wsrep_local_state other than 4, or wsrep_ready OFF) is reported down.
status=$(mariadb --no-defaults --connect-timeout=1 -h "$3" -P "$4" -u haproxy_check -N -B \
    -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state', 'wsrep_ready')" 2> /dev/null) || exit 1
echo "$status" | grep -q '^wsrep_local_state[[:space:]]4$' || exit 1
echo "$status" | grep -q '^wsrep_ready[[:space:]]ON$' || exit 1
exit 0
