#!/usr/bin/env python3
"""Trial 5, two servers racing If-Match on one database (MariaDB, and SQLite on one file).

Two servers share one database; 16 clients, half on each, race to update one milestone: GET it, then
PATCH it with If-Match and a forecast date no other attempt uses. 200 is an acknowledged update, 412
a lost race (the client reads again). No update may be lost: the final version is 1 + the acknowledged
PATCHes, no two acknowledgements carry the same version, and the milestone has as many history and
audit rows as versions, each acknowledged date exactly once. Busy answers (503 with Retry-After) are
counted; 500 fails the trial."""

import threading
import time

import faultlib as F

CLIENTS = 16


# What a racer may be answered: a GET 200 (or busy), a PATCH 200, 412 (lost the race) or busy. A 4xx
# such as 400 or 404 would only make the trial acknowledge less, so it counts against it as a 5xx does.
EXPECTED = {"GET 200", "GET 503", "PATCH 200", "PATCH 412", "PATCH 503", "503 without problem+json and Retry-After"}


def bad_answer(key):
    """An answer the race does not expect (a 500, a 4xx other than 412), or none at all (an exception's name)."""
    return key not in EXPECTED


def racer(client, mid, dates, acks, tally, examples, stop):
    version = None
    while not stop.is_set():
        try:
            if version is None:
                reply = client.get(f"/api/v1/milestones/{mid}")
                tally.add(f"GET {reply.status}")
                if reply.status != 200:
                    examples.setdefault(f"GET {reply.status}", reply.detail()[:100])
                    time.sleep(0.01)
                    continue
                version = reply.json()["version"]
            forecast = F.day(dates.next())
            reply = F.patch_milestone(client, mid, version, {"forecast_date": forecast})
            tally.add(f"PATCH {reply.status}")
            if reply.status == 200:
                acks.append((mid, reply.json()["version"], forecast))
                version = reply.json()["version"]
            else:
                version = None
                if reply.status != 412:
                    examples.setdefault(f"PATCH {reply.status}", reply.detail()[:100])
                    if reply.status == 503 and not (reply.is_problem() and reply.header("retry-after")):
                        tally.add("503 without problem+json and Retry-After")
        except Exception as error:  # noqa: BLE001
            tally.add(type(error).__name__)
            version = None
            time.sleep(0.05)


def trial(ctx, kind, number, seconds):
    failures = []
    db = ctx.fresh_database(kind)
    a, token, client, project = F.signed_in_server(ctx, db, f"FLT-RACE-{number}")
    b = ctx.server(db, "b", secret=a.secret)
    b.start()
    dates = F.Counter()
    first = F.day(dates.next())
    milestone = F.expect(F.create_milestone(client, project["id"], "Race", first), 201, "milestone")
    mid = milestone["id"]
    acks = [[] for _ in range(CLIENTS)]
    tally, examples = F.Tally(), {}
    stop = threading.Event()
    servers = [a, b]
    threads = F.run_threads([lambda i=i: racer(servers[i % 2].client(token), mid, dates, acks[i], tally, examples,
                                               stop) for i in range(CLIENTS)])
    time.sleep(seconds)
    stop.set()
    stuck = F.join_all(threads, 60)
    if stuck:
        failures.append(f"{kind}: {len(stuck)} clients still waiting 60 s after the end")
    flat = [x for per in acks for x in per]
    versions = [v for _, v, _ in flat]
    duplicates = len(versions) - len(set(versions))
    stored = F.Store(ctx, db).milestone_facts()[mid]
    final = stored[0]
    figures, found, _ = F.check_acknowledged(F.Store(ctx, db), flat + [(mid, 1, first)])
    failures += [f"{kind}: {f}" for f in found]
    lost = 1 + len(flat) - final  # > 0: acknowledged updates overwritten; < 0: updates stored unacknowledged
    F.log(f"  [{kind} #{number}] {seconds:.0f} s: answers {tally}")
    F.log(f"  [{kind} #{number}] acknowledged PATCHes {len(flat)}, final version {final} (expected "
          f"{1 + len(flat)}), history rows {stored[1]}, audit rows {stored[2]}, versions acknowledged twice "
          f"{duplicates}" + (f"; examples {examples}" if examples else ""))
    if final != 1 + len(flat):
        failures.append(f"{kind}: final version {final} but 1 + {len(flat)} acknowledged PATCHes"
                        + (f" ({lost} lost updates)" if lost > 0 else " (updates stored without acknowledgement)"))
    if duplicates:
        failures.append(f"{kind}: {duplicates} versions acknowledged to two clients (lost updates)")
    wrong = {k: v for k, v in tally.counts.items() if bad_answer(k)}
    if wrong:
        failures.append(f"{kind}: answers {wrong}")
    if tally.get("503 without problem+json and Retry-After"):
        failures.append(f"{kind}: {tally.get('503 without problem+json and Retry-After')} 503s without Retry-After")
    if not flat:
        failures.append(f"{kind}: no PATCH was acknowledged")
    if not tally.get("PATCH 412"):
        failures.append(f"{kind}: no PATCH was refused with 412: the clients never raced, nothing was tested")
    a.stop()
    b.stop()
    return failures, len(flat), tally, max(0, lost) + duplicates


def body(ctx):
    seconds = 10.0 if ctx.long else 3.0
    failures = []
    for kind in ctx.databases:
        total = 0
        conflicts = 0
        busy = 0
        errors = 0
        lost = 0
        for number in range(1, ctx.trials + 1):
            found, acked, tally, lost_here = trial(ctx, kind, number, seconds)
            lost += lost_here
            failures += found
            total += acked
            conflicts += tally.get("PATCH 412")
            busy += tally.get("PATCH 503") + tally.get("GET 503")
            errors += sum(v for k, v in tally.counts.items() if bad_answer(k))
        F.log(f"ifmatch-race {kind}: {ctx.trials} trial(s), 2 servers, {CLIENTS} clients: {total} acknowledged "
              f"PATCHes, {conflicts} refused with 412, {busy} answered 503, {errors} answered otherwise (or not "
              f"at all), {lost} lost updates")
    return failures


if __name__ == "__main__":
    F.main_guard(lambda: F.run_trial("ifmatch-race", __doc__, body))
