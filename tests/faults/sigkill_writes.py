#!/usr/bin/env python3
"""Trial 2, SIGKILL under 8 writing clients (SQLite and MariaDB).

8 clients each create milestones and PATCH them (If-Match, a new forecast date each time), recording
every acknowledged write (milestone id, version, forecast date). The server is killed with SIGKILL at
a random moment mid-run and started again on the same database. Then, read behind the server's back:
every acknowledged write is stored, with exactly one history row for its date, and each milestone has
as many history rows and audit rows as versions; SQLite `PRAGMA integrity_check` (MariaDB `CHECK
TABLE`) is ok; the restarted server serves every acknowledged milestone at its stored version."""

import random
import threading
import time

import faultlib as F

WRITERS = 8
PATCHES_PER_MILESTONE = 4


def writer(client, project_id, name, dates, acks, tally, stop):
    """Creates a milestone, PATCHes it a few times, again, until the server stops answering."""
    while not stop.is_set():
        try:
            forecast = F.day(dates.next())
            reply = F.create_milestone(client, project_id, f"{name} {forecast}", forecast)
            tally.add(reply.status)
            if reply.status != 201:
                continue
            body = reply.json()
            mid, version = body["id"], body["version"]
            acks.append((mid, version, forecast))
            for _ in range(PATCHES_PER_MILESTONE):
                forecast = F.day(dates.next())
                reply = F.patch_milestone(client, mid, version, {"forecast_date": forecast})
                tally.add(reply.status)
                if reply.status != 200:
                    break
                version = reply.json()["version"]
                acks.append((mid, version, forecast))
        except OSError as error:  # the server is gone: nothing more is acknowledged
            tally.add(type(error).__name__)
            return
        except Exception as error:  # noqa: BLE001 - e.g. a reply cut short by the kill
            tally.add(type(error).__name__)
            return


def trial(ctx, kind, number, window):
    failures = []
    db = ctx.fresh_database(kind)
    server, token, _, project = F.signed_in_server(ctx, db, f"FLT-KILL-{number}")
    dates = F.Counter()
    tally = F.Tally()
    stop = threading.Event()
    acks = [[] for _ in range(WRITERS)]
    threads = F.run_threads([lambda i=i: writer(server.client(token), project["id"], f"W{i}", dates, acks[i],
                                                tally, stop) for i in range(WRITERS)])
    delay = random.uniform(*window)
    time.sleep(delay)
    # A server that had died by itself would fail the writers just as well: the kill must be ours.
    alive_at_kill = server.running()
    server.kill()  # SIGKILL
    stop.set()
    stuck = F.join_all(threads, 60)
    if stuck:
        failures.append(f"{kind}: {len(stuck)} writers still waiting 60 s after the kill")
    all_acks = [a for per in acks for a in per]
    if not alive_at_kill:
        failures.append(f"{kind}: the server had exited by itself before the kill: {server.log_tail(5)}")
    if not all_acks:
        failures.append(f"{kind}: no write was acknowledged before the kill, so none could be checked")
    started = time.monotonic()
    server.start()
    restart = time.monotonic() - started
    store = F.Store(ctx, db)
    integrity = store.integrity()
    figures, found, _ = F.check_acknowledged(store, all_acks)
    failures += [f"{kind}: {f}" for f in found]
    if integrity != "ok":
        failures.append(f"{kind}: integrity check: {integrity}")
    # The restarted server answers with what is stored.
    client = server.client(token)
    last = {}
    for mid, version, _ in all_acks:
        last[mid] = max(version, last.get(mid, 0))
    wrong = 0
    stored = store.milestone_facts()
    for mid in random.sample(sorted(last), min(50, len(last))):
        reply = client.get(f"/api/v1/milestones/{mid}")
        if reply.status != 200 or reply.json()["version"] != stored[mid][0]:
            wrong += 1
    if wrong:
        failures.append(f"{kind}: {wrong} milestones served by the restarted server differ from what is stored")
    fives = {k: v for k, v in tally.counts.items() if isinstance(k, int) and k >= 500}
    if fives:
        failures.append(f"{kind}: answers {fives} before the kill")
    F.log(f"  [{kind} #{number}] killed after {delay:.2f} s: {figures}; integrity {integrity}; "
          f"restart {restart:.2f} s; answers {tally}")
    server.stop()
    return len(all_acks), failures, restart


def body(ctx):
    window = (2.0, 6.0) if ctx.long else (1.0, 2.5)
    failures = []
    for kind in ctx.databases:
        total = 0
        restarts = []
        before = len(failures)
        for number in range(1, ctx.trials + 1):
            acks, found, restart = trial(ctx, kind, number, window)
            total += acks
            restarts.append(restart)
            failures += found
        F.log(f"sigkill-writes {kind}: {ctx.trials} trial(s), {total} acknowledged writes, "
              f"{'problems: ' + str(len(failures) - before) if len(failures) > before else '0 lost'}; "
              f"restart to /healthz {min(restarts):.2f}-{max(restarts):.2f} s")
    return failures


if __name__ == "__main__":
    F.main_guard(lambda: F.run_trial("sigkill-writes", __doc__, body))
