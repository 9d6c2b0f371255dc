#!/usr/bin/env python3
"""Trial 6, deadlocks (MariaDB, and SQLite for comparison).

Pairs of milestones are made to depend on each other at the same moment: for each pair, one client
PATCHes A with `depends_on: [B]` while another PATCHes B with `depends_on: [A]` (8 pairs at once, 16
clients released together). On MariaDB each PATCH locks its own milestone and then needs a shared lock
on the other one for the foreign key of milestone_dependencies: a deadlock, which InnoDB breaks by
failing one of the two. That transaction must be retried whole (and then refused as a cycle, 422),
never answered 500; and the two must never both succeed, which would store a dependency cycle.

Passes when no answer is 5xx other than 503 with problem+json and Retry-After, no pair is acknowledged
twice, no dependency cycle is stored, and every acknowledged edge is stored."""

import threading

import faultlib as F

PAIRS = 8


def trial(ctx, kind, number, rounds):
    failures = []
    db = ctx.fresh_database(kind)
    server, token, client, project = F.signed_in_server(ctx, db, f"FLT-LOCK-{number}")
    milestones = [F.expect(F.create_milestone(client, project["id"], f"Lock {i}"), 201, "milestone")["id"]
                  for i in range(2 * PAIRS * rounds)]
    clients = [server.client(token) for _ in range(2 * PAIRS)]
    tally = F.Tally()
    examples = {}
    acknowledged = []  # (from, to)
    both = 0
    for r in range(rounds):
        base = r * 2 * PAIRS
        results = [None] * (2 * PAIRS)
        start = threading.Barrier(2 * PAIRS)

        def patch(i, base=base, results=results, start=start):
            pair, side = divmod(i, 2)
            a, b = milestones[base + 2 * pair], milestones[base + 2 * pair + 1]
            mine, other = (a, b) if side == 0 else (b, a)
            start.wait()
            try:
                reply = F.patch_milestone(clients[i], mine, 1, {"depends_on": [other]})
                results[i] = (reply.status, mine, other, reply)
            except Exception as error:  # noqa: BLE001
                results[i] = (type(error).__name__, mine, other, None)

        stuck = F.join_all(F.run_threads([lambda i=i: patch(i) for i in range(2 * PAIRS)]), 60)
        if stuck:
            failures.append(f"{kind}: {len(stuck)} PATCHes of round {r + 1} without an answer after 60 s")
            break
        for pair in range(PAIRS):
            two = results[2 * pair:2 * pair + 2]
            oks = 0
            for status, mine, other, reply in two:
                tally.add(status)
                if status == 200:
                    oks += 1
                    acknowledged.append((mine, other))
                elif reply is not None and status not in (200, 422):
                    examples.setdefault(status, reply.detail()[:100])
                    if status == 503 and not (reply.is_problem() and reply.header("retry-after")):
                        tally.add("503 without problem+json and Retry-After")
            both += oks == 2
    store = F.Store(ctx, db)
    edges = {(int(a), int(b)) for a, b in store.rows("SELECT milestone_id, depends_on_id FROM milestone_dependencies")}
    cycles = sum(1 for a, b in edges if a < b and (b, a) in edges)
    missing = sum(1 for edge in acknowledged if edge not in edges)
    deadlocks = server.log_text().count("Deadlock found")
    server.stop()
    F.log(f"  [{kind} #{number}] {rounds} rounds of {PAIRS} crossing pairs: answers {tally}; pairs acknowledged "
          f"twice {both}; cycles stored {cycles}; acknowledged edges missing {missing}; 'Deadlock found' in the server "
          f"log {deadlocks}" + (f"; examples {examples}" if examples else ""))
    bad = {k: v for k, v in tally.counts.items()
           if not (isinstance(k, int) and (k < 500 or k == 503)) and not str(k).startswith("503 without")}
    if bad:
        failures.append(f"{kind}: answers {bad}")
    if tally.get("503 without problem+json and Retry-After"):
        failures.append(f"{kind}: {tally.get('503 without problem+json and Retry-After')} 503s without Retry-After")
    if both or cycles:
        failures.append(f"{kind}: {both} pairs both acknowledged, {cycles} dependency cycles stored")
    if missing:
        failures.append(f"{kind}: {missing} acknowledged dependencies not stored")
    return failures, tally, cycles, deadlocks


def body(ctx):
    rounds = 40 if ctx.long else 10
    failures = []
    for kind in ctx.databases:
        answers = F.Tally()
        cycles = deadlocks = 0
        for number in range(1, ctx.trials + 1):
            found, tally, c, d = trial(ctx, kind, number, rounds)
            failures += found
            cycles += c
            deadlocks += d
            answers.merge(tally)
        F.log(f"deadlocks {kind}: {ctx.trials} trial(s), {ctx.trials * rounds * PAIRS} crossing pairs: answers "
              f"{answers}; cycles stored {cycles}; 'Deadlock found' in server logs {deadlocks}")
    return failures


if __name__ == "__main__":
    F.main_guard(lambda: F.run_trial("deadlocks", __doc__, body))
