#!/usr/bin/env python3
"""Trial 3, MariaDB killed and restarted under load.

8 clients read and PATCH milestones through one server while a prober asks /readyz every 100 ms.
MariaDB is killed with SIGKILL, left down for a few seconds, and started again on its data. While it
is down, every answer must be 503 application/problem+json with Retry-After (never 500) and /readyz
must say 503. Measured: seconds from MariaDB answering a ping again to the first successful request;
after that the server must serve without errors (every pooled session revalidated), and every write
acknowledged before the kill must be stored with its history and audit rows."""

import threading
import time

import faultlib as F

CLIENTS = 8


class Events:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = []  # (sent, answered, kind, status, problem, retry_after, detail)

    def add(self, *event):
        with self.lock:
            self.items.append(event)


def load(client, project_id, mid, version, dates, events, acks, stop):
    index = 0
    while not stop.is_set():
        index += 1
        sent = time.monotonic()
        kind = "PATCH" if index % 2 else "GET"
        try:
            if kind == "PATCH":
                forecast = F.day(dates.next())
                reply = F.patch_milestone(client, mid, version, {"forecast_date": forecast})
                if reply.status == 200:
                    version = reply.json()["version"]
                    acks.append((mid, version, forecast))
                elif reply.status == 412:
                    again = time.monotonic()
                    fresh = client.get(f"/api/v1/milestones/{mid}")
                    # Judged like every other answer (a 500 here was not counted before).
                    events.add(again, time.monotonic(), "GET", fresh.status, fresh.is_problem(),
                               fresh.header("retry-after"), fresh.detail() if fresh.status >= 400 else "")
                    if fresh.status == 200:
                        version = fresh.json()["version"]
            else:
                reply = client.get(f"/api/v1/projects/{project_id}/milestones" if index % 4 == 0
                                   else f"/api/v1/milestones/{mid}")
            events.add(sent, time.monotonic(), kind, reply.status, reply.is_problem(), reply.header("retry-after"),
                       reply.detail() if reply.status >= 400 else "")
        except Exception as error:  # noqa: BLE001 - no answer at all is an outcome too
            events.add(sent, time.monotonic(), kind, type(error).__name__, False, None, str(error))
            time.sleep(0.05)
            reply = None
        if reply is None or reply.status >= 500:
            time.sleep(0.01)  # a client that honours Retry-After would wait longer; keep the pressure on


def probe_ready(port, stop, events):
    client = F.Client(port, timeout=10)
    while not stop.is_set():
        sent = time.monotonic()
        try:
            status = client.get("/readyz").status
        except Exception as error:  # noqa: BLE001
            status = type(error).__name__
        events.add(sent, time.monotonic(), "readyz", status, True, None, "")
        time.sleep(0.1)


def trial(ctx, number, down_seconds):
    failures = []
    mariadb = ctx.mariadb
    db = ctx.fresh_database("mariadb")
    server, token, client, project = F.signed_in_server(ctx, db, f"FLT-MDB-{number}")
    dates = F.Counter()
    milestones = [F.expect(F.create_milestone(client, project["id"], f"Restart {i}", F.day(dates.next())), 201,
                           "milestone") for i in range(CLIENTS)]
    events, ready = Events(), Events()
    acks = [[(m["id"], m["version"], None)] for m in milestones]
    stop = threading.Event()
    threads = F.run_threads([lambda i=i: load(server.client(token), project["id"], milestones[i]["id"],
                                              milestones[i]["version"], dates, events, acks[i], stop)
                             for i in range(CLIENTS)])
    threads += F.run_threads([lambda: probe_ready(server.port, stop, ready)])
    time.sleep(1.0)
    mariadb.script("kill")
    killed = time.monotonic()
    acked_before_kill = sum(len(a) for a in acks)
    time.sleep(down_seconds)
    restarting = time.monotonic()
    starter = threading.Thread(target=mariadb.script, args=("start-existing",), daemon=True)
    starter.start()
    answered = None
    while time.monotonic() - restarting < 120:
        if mariadb.answers():
            answered = time.monotonic()
            break
        time.sleep(0.02)
    starter.join(120)
    if answered is None:
        stop.set()
        F.join_all(threads, 30)
        return ["MariaDB did not answer within 120 s of its restart"], None, {}
    # Keep the load on until the first success after MariaDB answers, then 3 s more.
    first_ok = None
    deadline = answered + 60
    while time.monotonic() < deadline:
        with events.lock:
            for sent, done, kind, status, *_ in events.items:
                if sent >= answered and status in (200, 201) and (first_ok is None or done < first_ok):
                    first_ok = done
        if first_ok and time.monotonic() > first_ok + 3:
            break
        time.sleep(0.05)
    stop.set()
    F.join_all(threads, 30)

    # While down: requests sent after the kill and answered before MariaDB was started again.
    down = [e for e in events.items if e[0] >= killed and e[1] <= restarting]
    by_status = F.Tally()
    for e in down:
        by_status.add(e[3])
    right = [e for e in down if e[3] == 503 and e[4] and e[5]]
    all_fives = [e for e in events.items if isinstance(e[3], int) and e[3] >= 500]
    five_hundreds = [e for e in events.items if e[3] == 500]
    no_retry = [e for e in all_fives if e[3] == 503 and not (e[4] and e[5])]
    ready_down = [e for e in ready.items if e[0] >= killed and e[1] <= restarting]
    ready_wrong = [e for e in ready_down if e[3] != 503]
    recovery = (first_ok - answered) if first_ok else None
    after = [e for e in events.items if first_ok and e[0] >= first_ok + 1.0]
    after_errors = [e for e in after if e[3] not in (200, 201, 412)]
    F.log(f"  [mariadb #{number}] down {restarting - killed:.2f} s (answering {answered - killed:.2f} s after the "
          f"kill): {len(down)} answers while down ({by_status}); "
          f"{len(right)} were 503 problem+json with Retry-After; 500s in the whole run: {len(five_hundreds)}; "
          f"/readyz while down: {len(ready_down) - len(ready_wrong)}/{len(ready_down)} said 503")
    examples = {}
    for e in all_fives:
        examples.setdefault((e[3], bool(e[5])), e[6][:100])
    if examples:
        F.log(f"  [mariadb #{number}] examples: " + "; ".join(f"{k[0]}{' +Retry-After' if k[1] else ''}: {v!r}"
                                                          for k, v in examples.items()))
    F.log(f"  [mariadb #{number}] recovery: first success "
          + (f"{recovery:.2f} s after MariaDB answered" if recovery is not None else "never (60 s)")
          + f"; answers after it (from +1 s): {len(after)}, of which not 2xx/412: {len(after_errors)}")
    if not down:
        failures.append("no request was answered while MariaDB was down")
    if len(right) != len(down):
        failures.append(f"{len(down) - len(right)}/{len(down)} answers while MariaDB was down were not "
                        f"503 problem+json with Retry-After")
    if five_hundreds:
        failures.append(f"{len(five_hundreds)} answers were 500")
    if no_retry:
        failures.append(f"{len(no_retry)} 503 answers without problem+json and Retry-After")
    if ready_wrong or not ready_down:
        failures.append(f"/readyz while down: {len(ready_wrong)} of {len(ready_down)} not 503")
    if recovery is None:
        failures.append("no successful request within 60 s of MariaDB answering again")
    if after_errors:
        failures.append(f"{len(after_errors)} errors more than 1 s after the first success "
                        f"(e.g. {after_errors[0][3]} {after_errors[0][6][:80]!r})")
    flat = [a for per in acks for a in per]
    figures, found, lost = F.check_acknowledged(F.Store(ctx, db), flat)
    failures += found
    F.log(f"  [mariadb #{number}] {figures} ({acked_before_kill} acknowledged before the kill)")
    server.stop()
    stats = {"down answers": len(down), "503 problem+json with Retry-After": len(right),
             "500 (whole run)": len(five_hundreds), "503 without Retry-After (whole run)": len(no_retry),
             "readyz while down": len(ready_down),
             "readyz not 503": len(ready_wrong), "errors after recovery": len(after_errors),
             "acknowledged": len(flat), "lost": lost}
    return failures, recovery, stats


def body(ctx):
    if not ctx.mariadb or "mariadb" not in ctx.databases:
        F.log("mariadb-restart: no MariaDB given, skipped")
        return None
    down_seconds = 5.0 if ctx.long else 3.0
    failures, recoveries, totals = [], [], {}
    for number in range(1, ctx.trials + 1):
        found, recovery, stats = trial(ctx, number, down_seconds)
        failures += [f"#{number}: {f}" for f in found]
        if recovery is not None:
            recoveries.append(recovery)
        for key, value in stats.items():
            totals[key] = totals.get(key, 0) + value
    F.log("mariadb-restart: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    if recoveries:
        F.log(f"mariadb-restart: {ctx.trials} trial(s); seconds from MariaDB answering to the first success: "
              f"min {min(recoveries):.2f}, median {F.percentile(recoveries, 0.5):.2f}, max {max(recoveries):.2f}")
    return failures


if __name__ == "__main__":
    F.main_guard(lambda: F.run_trial("mariadb-restart", __doc__, body))
