#!/usr/bin/env python3
"""Trial 7, several servers starting at once on one empty database (SQLite and MariaDB; the Galera
cluster is started the same way by scripts/galera.sh, and cluster_trial.py checks it there).

4 `captrack serve` processes (6 in --long) are launched together on a database that has no table yet;
each migrates it, loads the reference data and, finding no user, tries to create the first
administrator. Then: every server is healthy and ready; the migrations the servers say they applied
add up to the migration files, each applied once (no server applied one another had applied, none
failed on a table already there); `schema_migrations` holds each file once; the reference records
added by all servers add up to what one server adds alone; exactly one server created the
administrator, there is one user, and its password (printed by that server) signs in on every server."""

import re
import time

import faultlib as F

APPLIED = re.compile(r"(\d+) migration\(s\) applied, (\d+) reference record\(s\) added")
ADMIN_PASSWORD = re.compile(r"created the administrator\.\s+username: admin\s+password: (\S+)")
SETTINGS = {"log.level": "information"}


def migration_files(kind):
    folder = F.REPO / "sql" / ("sqlite" if kind == "sqlite" else "mysql")
    return sorted(p.name for p in folder.glob("*.sql"))


def started_counts(server, wait=10.0):
    """(migrations applied, reference records added) from the server's start line, or None. The line is
    logged just after the server starts listening, so a healthy server may not have written it yet."""
    deadline = time.monotonic() + wait
    while True:
        found = APPLIED.search(server.log_text())
        if found:
            return int(found.group(1)), int(found.group(2))
        if time.monotonic() > deadline:
            return None
        time.sleep(0.05)


def reference_alone(ctx, kind):
    """The reference records one server adds to an empty database on its own."""
    server = ctx.server(ctx.fresh_database(kind, "alone"), "alone", SETTINGS).start()
    counts = started_counts(server)
    server.stop()
    if not counts:
        raise RuntimeError(f"the lone server logged no start line: {server.log_tail(5)}")
    return counts[1]


def trial(ctx, kind, number, count, expected_reference):
    failures = []
    db = ctx.fresh_database(kind, "together")
    servers = [ctx.server(db, f"s{number}-{i}", SETTINGS) for i in range(count)]
    for server in servers:
        server.launch()
    for server in servers:
        server.wait_healthy()
    files = migration_files(kind)
    counts = [started_counts(server) for server in servers]
    if None in counts:
        failures.append(f"{kind}: {counts.count(None)} server(s) logged no start line")
        counts = [c for c in counts if c]
    applied = sum(c[0] for c in counts)
    added = sum(c[1] for c in counts)
    if applied != len(files):
        failures.append(f"{kind}: the servers applied {applied} migrations in all, there are {len(files)} files")
    if added != expected_reference:
        failures.append(f"{kind}: the servers added {added} reference records in all, one alone adds "
                        f"{expected_reference}")
    store = F.Store(ctx, db)
    recorded = [row[0] for row in store.rows("SELECT name FROM schema_migrations ORDER BY name")]
    if recorded != files:
        failures.append(f"{kind}: schema_migrations holds {recorded}, the files are {files}")
    users = int(store.rows("SELECT COUNT(*) FROM users")[0][0])
    passwords = [m.group(1) for m in (ADMIN_PASSWORD.search(s.log_text()) for s in servers) if m]
    if users != 1 or len(passwords) != 1:
        failures.append(f"{kind}: {users} user(s) stored, {len(passwords)} server(s) created the administrator")
    unready = [s.name for s in servers if F.Client(s.port).get("/readyz").status != 200]
    if unready:
        failures.append(f"{kind}: not ready: {unready}")
    if passwords:
        refused = [s.name for s in servers if F.Client(s.port).request(
            "POST", "/api/v1/auth/login", {"username": "admin", "password": passwords[0]}).status != 200]
        if refused:
            failures.append(f"{kind}: the administrator's password refused by {refused}")
    F.log(f"  [{kind} #{number}] {count} servers: migrations applied per server {[c[0] for c in counts]}, "
          f"reference records added {[c[1] for c in counts]}, {len(passwords)} first administrator, "
          f"{len(recorded)} rows in schema_migrations")
    for server in servers:
        server.stop()
    return failures


def body(ctx):
    count = 6 if ctx.long else 4
    failures = []
    for kind in ctx.databases:
        expected = reference_alone(ctx, kind)
        before = len(failures)
        for number in range(1, ctx.trials + 1):
            failures += trial(ctx, kind, number, count, expected)
        F.log(f"concurrent-start {kind}: {ctx.trials} trial(s) of {count} servers on an empty database, "
              f"{len(failures) - before} problem(s)")
    return failures


if __name__ == "__main__":
    F.main_guard(lambda: F.run_trial("concurrent-start", __doc__, body))
