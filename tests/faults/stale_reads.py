#!/usr/bin/env python3
"""Trial 1, stale reads with a warm session pool (SQLite and MariaDB).

Warmers keep the server's pooled database sessions busy with reads. Each round a writer PATCHes one
milestone (If-Match) and, as soon as the PATCH is acknowledged, 16 readers GET it at once, each on its
own keep-alive connection, and the writer reads it back: every read older than the acknowledged
version is stale. Then a user added by `captrack user add` (another process) signs in at once, 16
times in parallel; then a second server on the same database PATCHes the milestone and 16 readers of
the first server GET it at once.
Passes with 0 stale reads, 0 refused sign-ins and no 5xx."""

import threading
import time

import faultlib as F

READERS = 16
WARMERS = 6


class Readers:
    """16 threads, each with its own connection, that GET one path at once when released."""

    def __init__(self, port, token, path):
        self.path = path
        self.clients = [F.Client(port, token) for _ in range(READERS)]
        self.start = threading.Barrier(READERS + 1)
        self.done = threading.Barrier(READERS + 1)
        self.results = [None] * READERS
        self.stop = False
        self.threads = F.run_threads([lambda i=i: self._run(i) for i in range(READERS)])

    def _run(self, index):
        client = self.clients[index]
        while True:
            self.start.wait()
            if self.stop:
                return
            try:
                reply = client.get(self.path)
                version = reply.json().get("version") if reply.status == 200 else None
                self.results[index] = (reply.status, version)
            except Exception as error:  # noqa: BLE001 - every outcome is a figure
                self.results[index] = (type(error).__name__, None)
            self.done.wait()

    def read_all(self):
        """Releases the readers, waits for their answers: [(status, version)]."""
        self.start.wait()
        self.done.wait()
        return list(self.results)

    def close(self):
        self.stop = True
        self.start.wait()
        F.join_all(self.threads, 10)


def warm(port, token, paths, stop, tally):
    client = F.Client(port, token)
    index = 0
    while not stop.is_set():
        path = paths[index % len(paths)]
        index += 1
        try:
            tally.add(client.get(path).status)
        except Exception as error:  # noqa: BLE001
            tally.add(type(error).__name__)


def bad_answer(key):
    """Any answer to a reader or warmer but 200 with a version (a 404 or 401 would hide a stale read as
    well as a 5xx), and a 5xx or no answer at all (an exception's name) to a sign-in; refused sign-ins
    are counted on their own."""
    text = str(key)
    if text.startswith("login "):
        text = text[len("login "):]
        return not text.isdigit() or int(text) >= 500
    return text != "200"


def count_stale(results, acked, tally):
    stale = 0
    for status, version in results:
        tally.add(status if status != 200 or version is not None else "200 without a version")
        if status == 200 and version is not None and version < acked:
            stale += 1
    return stale


def trial(ctx, kind, number, rounds, cli_rounds, second_rounds):
    failures = []
    db = ctx.fresh_database(kind)
    a, token, client, project = F.signed_in_server(ctx, db, f"FLT-STALE-{number}")
    milestone = F.expect(F.create_milestone(client, project["id"], "Stale read probe", F.day(0)), 201, "milestone")
    mid, version = milestone["id"], milestone["version"]
    path = f"/api/v1/milestones/{mid}"
    paths = [path, f"/api/v1/projects/{project['id']}/milestones", f"/api/v1/projects/{project['id']}",
             f"/api/v1/projects/{project['id']}/summary", "/api/v1/partners?limit=5", "/api/v1/me"]
    stop = threading.Event()
    warm_tally = F.Tally()
    warmers = F.run_threads([lambda: warm(a.port, token, paths, stop, warm_tally) for _ in range(WARMERS)])
    readers = Readers(a.port, token, path)
    read_tally = F.Tally()
    time.sleep(0.5)  # the pool fills with sessions that have served reads
    dates = F.Counter()

    # 1. Own server: PATCH acknowledged, then 16 concurrent GETs.
    stale = own_stale = 0
    for _ in range(rounds):
        reply = F.patch_milestone(client, mid, version, {"forecast_date": F.day(dates.next())})
        acked = F.expect(reply, 200, "PATCH")["version"]
        version = acked
        stale += count_stale(readers.read_all(), acked, read_tally)
        own = client.get(path)  # the writer reads its own write back too
        own_stale += count_stale([(own.status, own.json().get("version") if own.status == 200 else None)], acked,
                                 read_tally)
        time.sleep(0.02)
    stale += own_stale
    reads = rounds * (READERS + 1)
    F.log(f"  [{kind} #{number}] after own PATCH: {stale} stale of {reads} reads ({100.0 * stale / reads:.1f}%), "
          f"of which the writer's own read back: {own_stale} of {rounds}")
    if stale:
        failures.append(f"{kind}: {stale}/{reads} reads older than the acknowledged PATCH")

    # 2. A user added by another process signs in at once.
    refused = 0
    attempts = 0
    for n in range(cli_rounds):
        username = f"fresh-{number}-{n}"
        F.add_user(ctx, db, username, "reviewer", a.secret)
        results = [None] * READERS

        def login(i, username=username, results=results):
            try:
                results[i] = F.Client(a.port).request("POST", "/api/v1/auth/login",
                                                      {"username": username, "password": F.PASSWORD}).status
            except Exception as error:  # noqa: BLE001
                results[i] = type(error).__name__

        F.join_all(F.run_threads([lambda i=i: login(i) for i in range(READERS)]), 60)
        attempts += len(results)
        refused += sum(1 for status in results if status != 200)
        for status in results:
            read_tally.add(f"login {status}")
    F.log(f"  [{kind} #{number}] user added by the CLI: {refused} of {attempts} immediate sign-ins refused")
    if refused:
        failures.append(f"{kind}: {refused}/{attempts} sign-ins of a user just added by `captrack user add` refused")

    # 3. A second server writes; the first server's next reads see it.
    b = ctx.server(db, "b", secret=a.secret)
    b.start()
    other = b.client(token)
    stale_b = 0
    for _ in range(second_rounds):
        reply = F.patch_milestone(other, mid, version, {"forecast_date": F.day(dates.next())})
        acked = F.expect(reply, 200, "PATCH on the second server")["version"]
        version = acked
        stale_b += count_stale(readers.read_all(), acked, read_tally)
        time.sleep(0.02)
    reads_b = second_rounds * READERS
    F.log(f"  [{kind} #{number}] after a second server's PATCH: {stale_b} stale of {reads_b} reads "
          f"({100.0 * stale_b / reads_b:.1f}%)")
    if stale_b:
        failures.append(f"{kind}: {stale_b}/{reads_b} reads older than a second server's acknowledged PATCH")

    stop.set()
    F.join_all(warmers, 30)
    readers.close()
    F.log(f"  [{kind} #{number}] answers to readers: {read_tally}; to warmers: {warm_tally}")
    errors = {k: v for tally in (read_tally, warm_tally) for k, v in tally.counts.items() if bad_answer(k)}
    if errors:
        failures.append(f"{kind}: unexpected answers {errors}")
    b.stop()
    a.stop()
    return (stale, reads, refused, attempts, stale_b, reads_b), failures


def body(ctx):
    rounds, cli_rounds, second_rounds = (40, 5, 20) if ctx.long else (20, 2, 10)
    failures = []
    for kind in ctx.databases:
        totals = [0] * 6
        for number in range(1, ctx.trials + 1):
            figures, found = trial(ctx, kind, number, rounds, cli_rounds, second_rounds)
            totals = [t + f for t, f in zip(totals, figures)]
            failures += found
        F.log(f"stale-reads {kind}: {ctx.trials} trial(s); own PATCH: {totals[0]}/{totals[1]} stale; "
              f"CLI user sign-ins refused: {totals[2]}/{totals[3]}; second server's PATCH: "
              f"{totals[4]}/{totals[5]} stale")
    return failures


if __name__ == "__main__":
    F.main_guard(lambda: F.run_trial("stale-reads", __doc__, body))
