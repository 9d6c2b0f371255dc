#!/usr/bin/env python3
"""The cluster fault trial (issue 9): captrack servers behind haproxy on a three-node MariaDB Galera
cluster (scripts/galera.sh), 16 clients writing through haproxy, one Galera node killed with SIGKILL
mid-run and restarted later.

Each client, in a loop: creates a contribution, or races an If-Match PATCH on one of a few shared
milestones (GET, then PATCH with the version read; 200, 412 or 503 counted), and after each
acknowledged write reads it back through haproxy at once (read-your-own-write; an older version or a
404 is a stale read). Mid-trial one node is SIGKILLed (`galera.sh kill-node`), later restarted
(`galera.sh start-node`, which waits until it is Synced and back in haproxy's pool).

After each trial: every acknowledged write is there (through the API, and on every node directly via
cluster_check), no lost update (each raced milestone's final version is 1 + its acknowledged PATCHes,
more only by PATCHes whose outcome the client could not know, and it has one history row per
version), the nodes hold identical data (cluster_check), no response was a 500. Figures printed:
acknowledged writes, lost writes, lost updates, stale reads, 503s, recovery seconds after the kill,
node rejoin seconds, transactions retried (lines "retrying transaction" in the servers' logs).

    tests/faults/cluster_trial.py [--short | --long] [--trials N] [--seconds S] [--clients 16]
                                  [--dir DIR] [--reuse] [--keep] [--direct] [--captrack BIN]
                                  [--cluster-check BIN]

--short: one trial of 20 s (CI); default 3 trials of 45 s (each node killed once); --long 5 trials of
60 s. --reuse: use the cluster already running in DIR (started by galera.sh) instead of starting one;
it is left running. --direct: clients spread their requests over the captrack servers themselves,
bypassing haproxy (to tell haproxy's part from the servers'). Every answer to a write must carry what
the request sent, or it counts as a mismatch.
Exit 0 when every check of every trial passed, 1 when one failed, 77 when it cannot run here.
Python 3 standard library only.
"""

import argparse
import collections
import http.client
import json
import os
import random
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import faultlib as F

REPO = Path(__file__).resolve().parents[2]
GALERA = REPO / "scripts" / "galera.sh"
SHARED_MILESTONES = 4
RETRY_LINE = "retrying transaction"


def log(*parts):
    print(*parts, flush=True)


# ---------------------------------------------------------------------------------------------------
# HTTP


class Spread:
    """Requests spread at random over several servers, without haproxy (--direct). One per thread."""

    def __init__(self, urls, token, seed):
        self.clients = [Client(url, token) for url in urls]
        self.rng = random.Random(seed)

    def request(self, *args, **kwargs):
        return self.rng.choice(self.clients).request(*args, **kwargs)

    def close(self):
        for client in self.clients:
            client.close()


class Client:
    """One keep-alive HTTP connection to haproxy, as one user. Not thread-safe: one per thread."""

    def __init__(self, url, token=None, timeout=30):
        host, port = url.removeprefix("http://").split(":")
        self.host, self.port, self.timeout = host, int(port), timeout
        self.token = token
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        """Returns (status, headers, parsed body or None); status None when no response came."""
        all_headers = {"Accept": "application/json"}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            all_headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        all_headers.update(headers or {})
        # A GET on a kept-alive connection that the other side closed while it was idle is sent again
        # once on a new connection; a write never is (its outcome would be unknown).
        for attempt in (1, 2):
            reused = self.connection is not None
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                raw = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.close()
                if not (reused and method == "GET" and attempt == 1):
                    return None, {}, None
        response_headers = {k.lower(): v for k, v in response.getheaders()}
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        if response.status == 503:
            # A polite client waits as told (at most a second here) instead of hammering a busy server.
            retry_after = response_headers.get("retry-after", "")
            time.sleep(min(1.0, float(retry_after)) if retry_after.isdigit() else 0.2)
        return response.status, response_headers, parsed

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# ---------------------------------------------------------------------------------------------------
# What the clients saw


class Record:
    """Figures of one trial, shared by the client threads (every method takes the lock)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()  # (operation, status) -> count; status "none": no response
        self.proxy_errors = collections.Counter()  # 5xx that did not come from captrack (haproxy's own)
        self.contributions = {}  # id -> acknowledged version
        self.acked_patches = collections.Counter()  # milestone id -> PATCHes answered 200
        self.acked_versions = collections.defaultdict(list)  # milestone id -> versions the 200s gave
        self.acked_details = []  # one dict per PATCH answered 200: what was sent, what came back, when
        self.unknown_patches = collections.Counter()  # milestone id -> PATCHes without a clear answer
        self.stale_reads = collections.Counter()  # "contribution" / "milestone" -> count
        self.mismatched = []  # 2xx answers whose content is not what the request sent
        self.writes = []  # (started, finished, succeeded) of every write attempt
        self.acked = []  # {"table", "id", "version"} for cluster_check --writes
        self.crashed = []  # clients that stopped on an exception before the end

    def response(self, operation, status, headers):
        with self.lock:
            self.statuses[(operation, status if status is not None else "none")] += 1
            if status is not None and status >= 500 and "problem+json" not in headers.get("content-type", ""):
                self.proxy_errors[status] += 1

    def write(self, started, succeeded):
        with self.lock:
            self.writes.append((started, time.monotonic(), succeeded))

    def contribution(self, cid, version):
        with self.lock:
            self.contributions[cid] = version
            self.acked.append({"table": "contributions", "id": cid, "version": version})

    def patch(self, mid, status, version, detail):
        with self.lock:
            if status == 200:
                self.acked_patches[mid] += 1
                self.acked_versions[mid].append(version)
                self.acked_details.append(detail)
                self.acked.append({"table": "milestones", "id": mid, "version": version})
            elif status != 412:
                self.unknown_patches[mid] += 1

    def crash(self, what):
        with self.lock:
            self.crashed.append(what)

    def mismatch(self, what):
        with self.lock:
            self.mismatched.append(what)

    def stale(self, kind):
        with self.lock:
            self.stale_reads[kind] += 1

    def count(self, status):
        return sum(n for (_, s), n in self.statuses.items() if s == status)


def version_of(headers, body):
    etag = headers.get("etag", "").strip('"')
    if etag.isdigit():
        return int(etag)
    return body.get("version") if isinstance(body, dict) else None


def run_client(number, url, token, trial, stop, record):
    """One client until `stop` is set: creates contributions and races If-Match PATCHes."""
    rng = random.Random(f"{trial.name}/{number}")
    client = Spread(url.split(), token, number) if " " in url else Client(url, token)
    sequence = 0
    try:
        while not stop.is_set():
            sequence += 1
            if rng.random() < 0.4:
                create_contribution(client, rng, trial, number, sequence, record)
            else:
                race_patch(client, rng, trial, record)
    except Exception as error:  # noqa: BLE001 - e.g. a 2xx without the body it promises
        # A client that dies quietly would leave the trial with less load and fewer checks, yet passing.
        record.crash(f"client {number}: {type(error).__name__}: {error}")
    finally:
        client.close()


def create_contribution(client, rng, trial, number, sequence, record):
    body = {"partner_id": rng.choice(trial.partners), "role": "contributor", "kind": "funding",
            "state": "pledged", "amount_eur": rng.randint(0, 1_000_000),
            "description": f"cluster trial {trial.name} client {number} write {sequence}"}
    started = time.monotonic()
    status, headers, created = client.request("POST", f"/api/v1/projects/{trial.project}/contributions", body)
    record.response("create", status, headers)
    record.write(started, status == 201)
    if status != 201:
        return
    cid, version = created["id"], version_of(headers, created)
    record.contribution(cid, version)
    if created.get("description") != body["description"]:
        record.mismatch({"sent": body["description"], "answered": created.get("description"), "id": cid})
    status, headers, read = client.request("GET", f"/api/v1/contributions/{cid}")
    record.response("read-back", status, headers)
    if status == 404 or (status == 200 and (version_of(headers, read) or 0) < version):
        record.stale("contribution")


def race_patch(client, rng, trial, record):
    mid = rng.choice(trial.milestones)
    status, headers, milestone = client.request("GET", f"/api/v1/milestones/{mid}")
    record.response("get", status, headers)
    if status != 200:
        return
    version = version_of(headers, milestone)
    # A value other than the current one, so that every acknowledged PATCH is a change.
    progress = (milestone["progress"] + rng.randint(1, 100)) % 101
    started = time.monotonic()
    status, headers, patched = client.request("PATCH", f"/api/v1/milestones/{mid}", {"progress": progress},
                                              {"If-Match": f'"{version}"'})
    record.response("patch", status, headers)
    record.write(started, status in (200, 412))
    new_version = version_of(headers, patched) if status == 200 else None
    record.patch(mid, status, new_version, {
        "milestone": mid, "if_match": version, "version": new_version, "progress": progress,
        "answered_progress": patched.get("progress") if isinstance(patched, dict) else None,
        "sent": round(started, 3), "answered": round(time.monotonic(), 3)})
    if status != 200:
        return
    if patched.get("progress") != progress:
        record.mismatch({"milestone": mid, "if_match": version, "sent": progress, "answered": patched.get("progress"),
                         "version": new_version})
    status, headers, read = client.request("GET", f"/api/v1/milestones/{mid}")
    record.response("read-back", status, headers)
    if status == 200 and (version_of(headers, read) or 0) < new_version:
        record.stale("milestone")


# ---------------------------------------------------------------------------------------------------
# The cluster


def read_env(path):
    values = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = shlex.split(value)[0] if value else ""
    return values


def galera(*args, check=True):
    result = subprocess.run([str(GALERA), *args], capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    if check and result.returncode != 0:
        raise RuntimeError(f"galera.sh {' '.join(args)} failed:\n{output}")
    return output


def retry_lines(env):
    total = 0
    for path in env["CAPTRACK_LOGS"].split():
        with open(path, errors="replace") as log_file:
            total += sum(1 for line in log_file if RETRY_LINE in line)
    return total


def create_admin(env):
    username = f"trial-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(18)
    settings = dict(os.environ, CAPTRACK_DB_URL=env["DB_URL"], CAPTRACK_AUTH_SECRET_FILE=env["CAPTRACK_SECRET_FILE"])
    subprocess.run([env["CAPTRACK_BIN"], "user", "add", "--config", env["CAPTRACK_CONFIG"], "--username", username,
                    "--role", "admin", "--password-stdin"], input=password + "\n", text=True, check=True,
                   env=settings, capture_output=True)
    client = Client(env["HTTP_URL"])
    # The user was written through haproxy to some node; sign-in may reach another one.
    for _ in range(50):
        status, _, body = client.request("POST", "/api/v1/auth/login", {"username": username, "password": password})
        if status == 200:
            return body["token"]
        time.sleep(0.1)
    raise RuntimeError(f"cannot sign in as the new admin {username} (last status {status})")


class Trial:
    """One trial's data: a project of its own with a few shared milestones."""

    def __init__(self, name, client):
        self.name = name
        status, _, partners = client.request("GET", "/api/v1/partners?limit=100&status=active")
        if status != 200:
            raise RuntimeError(f"GET /partners answered {status}")
        self.partners = [p["id"] for p in partners["items"]]
        code = f"CLUSTER-{name}"
        status, _, project = client.request("POST", "/api/v1/projects", {
            "code": code, "title": f"Cluster trial {name}", "kind": "capability", "capability_area": "C3",
            "objectives": ["SO1"], "status": "implementation", "visibility": "public", "budget_eur": 1000})
        if status != 201:
            raise RuntimeError(f"creating project {code} answered {status}: {project}")
        self.project = project["id"]
        self.milestones = []
        self.setup_stale_reads = 0
        for number in range(SHARED_MILESTONES):
            self.milestones.append(self.create_milestone(client, number))

    def create_milestone(self, client, number):
        # A 404 here is a stale read of the project just created (counted); try again for up to 5 s.
        for _ in range(50):
            status, _, milestone = client.request("POST", f"/api/v1/projects/{self.project}/milestones", {
                "title": f"Raced milestone {number + 1}", "baseline_date": "2027-06-01"})
            if status == 201:
                return milestone["id"]
            if status != 404:
                break
            self.setup_stale_reads += 1
            time.sleep(0.1)
        raise RuntimeError(f"creating a milestone answered {status}: {milestone}")


# ---------------------------------------------------------------------------------------------------
# One trial


def run_trial(number, options, env, token, check_binary):
    name = f"{os.getpid()}-{number}"
    admin = Client(env["HTTP_URL"], token)
    trial = Trial(name, admin)
    record = Record()
    retries_before = retry_lines(env)
    node = (number - 1) % 3 + 1
    stop = threading.Event()
    url = env["CAPTRACK_SERVER_URLS"] if options.direct else env["HTTP_URL"]
    threads = [threading.Thread(target=run_client, args=(c, url, token, trial, stop, record))
               for c in range(options.clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        killed, restarted, rejoined, rejoin_output = fault_schedule(options, env, node, started)
        # Some load on the whole cluster again after the rejoin, then stop.
        time.sleep(max(3.0, started + options.seconds - time.monotonic()))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    ended = time.monotonic()
    figures = {"seconds": round(ended - started, 1), "killed node": node,
               "stale reads while setting up (404 for the project just created)": trial.setup_stale_reads}
    figures.update(recovery(record, killed, restarted))
    figures["rejoin seconds (restart to Synced)"] = synced_seconds(rejoin_output)
    figures["rejoin seconds (restart to back in haproxy)"] = round(rejoined - restarted, 1)
    problems = verify(trial, record, admin, env, check_binary, figures, name)
    figures["transactions retried"] = retry_lines(env) - retries_before
    # Without these the trial passed on a cluster that never served a write again after losing a node
    # (503s are allowed, and the writes acknowledged before the kill were enough).
    if figures["recovery seconds (kill to the first success of a write sent after it)"] is None:
        problems.append("no write sent after the kill succeeded")
    if not any(ok for sent, _, ok in record.writes if sent >= rejoined):
        problems.append("no write sent after the node rejoined succeeded")
    return figures, problems


def fault_schedule(options, env, node, started):
    """Kills `node` at a quarter of the trial, restarts it at half; returns when it is back in haproxy's pool."""
    time.sleep(max(0.0, started + options.seconds * 0.25 - time.monotonic()))
    killed = time.monotonic()
    log(f"  {killed - started:5.1f} s  " + galera("kill-node", env["CLUSTER_DIR"], str(node)))
    time.sleep(max(0.0, started + options.seconds * 0.5 - time.monotonic()))
    restarted = time.monotonic()
    rejoin_output = galera("start-node", env["CLUSTER_DIR"], str(node))
    rejoined = time.monotonic()
    for line in rejoin_output.splitlines():
        log(f"  {time.monotonic() - started:5.1f} s  {line}")
    return killed, restarted, rejoined, rejoin_output


def synced_seconds(output):
    found = re.search(r"Synced in ([0-9.]+) s", output)
    return float(found.group(1)) if found else None


def recovery(record, killed, restarted):
    """Recovery after the kill, from the writes' times (a 412 counts as a success: the database answered):
    until a write sent after the kill succeeded, the longest stall of writes after the kill and when
    writes flowed again, failed writes before and after the kill and the last one."""
    writes = sorted(record.writes)
    first_success = min((done for sent, done, ok in writes if ok and sent >= killed), default=None)
    failures = [done for sent, done, ok in writes if not ok]
    successes = sorted(done for sent, done, ok in writes if ok)
    gaps = [(b - a, a) for a, b in zip(successes, successes[1:]) if b >= killed]
    longest, at = max(gaps, default=(0.0, killed))
    after = [done for done in failures if done >= killed]
    return {
        "recovery seconds (kill to the first success of a write sent after it)":
            round(first_success - killed, 2) if first_success is not None else None,
        "longest stall of writes after the kill (s)": round(longest, 2),
        "  writes flowing again, seconds after the kill": round(at + longest - killed, 2),
        "failed writes before the kill": len(failures) - len(after),
        "failed writes after the kill": len(after),
        "  the last one, seconds after the kill": round(max(after) - killed, 2) if after else 0.0,
        "seconds from kill to restart": round(restarted - killed, 1),
    }


def node_query(url, sql):
    """Rows of a query on one node, directly (the mariadb client; password through the environment),
    after the node has applied what the cluster committed (wsrep_sync_wait)."""
    parts = urllib.parse.urlsplit(url)
    result = subprocess.run(
        ["mariadb", "--no-defaults", "-h", parts.hostname, "-P", str(parts.port), "-u", parts.username,
         parts.path.lstrip("/"), "-N", "-B", "-e", "SET SESSION wsrep_sync_wait = 1; " + sql],
        env=dict(os.environ, MYSQL_PWD=urllib.parse.unquote(parts.password or "")),
        capture_output=True, text=True, check=True)
    return [line.split("\t") for line in result.stdout.splitlines()]


def check_started_together(env):
    """galera.sh starts every server at once on the empty database: the migrations each applied once (the
    servers' start lines add up to the files; every node's schema_migrations holds each file once), and
    one first administrator. Returns the failed checks."""
    files = sorted(p.name for p in (REPO / "sql" / "mysql").glob("*.sql"))
    # Each server logs its start line just after it starts listening: wait for every line.
    deadline = time.monotonic() + 10
    while True:
        logs = [Path(path).read_text(errors="replace") for path in env["CAPTRACK_LOGS"].split()]
        applied = [int(m.group(1)) for m in (re.search(r"(\d+) migration\(s\) applied", t) for t in logs) if m]
        if len(applied) == len(logs) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    admins = sum("created the administrator" in text for text in logs)
    failures = []
    if len(applied) != len(logs) or sum(applied) != len(files):
        failures.append(f"servers started together applied {applied} migrations, there are {len(files)} files")
    if admins != 1:
        failures.append(f"{admins} servers created the first administrator")
    for url in env["NODE_URLS"].split():
        names = [row[0] for row in node_query(url, "SELECT name FROM schema_migrations ORDER BY name")]
        users = node_query(url, "SELECT COUNT(*) FROM users")[0][0]
        if names != files or users != "1":
            failures.append(f"node {urllib.parse.urlsplit(url).port}: schema_migrations {names}, {users} users")
    log(f"== {len(logs)} servers started at once on the empty database: migrations applied per server {applied} "
        f"({len(files)} files), {admins} first administrator, every node checked")
    return failures


def stored_milestones(env, milestones):
    """{id: (version, history rows)} as node 1 holds them (cluster_check proves the others the same)."""
    ids = ", ".join(str(m) for m in milestones)
    url = env["NODE_URLS"].split()[0]
    versions = {int(i): int(v) for i, v in node_query(url, f"SELECT id, version FROM milestones WHERE id IN ({ids})")}
    history = {int(i): int(n) for i, n in node_query(
        url, f"SELECT milestone_id, COUNT(*) FROM milestone_history WHERE milestone_id IN ({ids}) GROUP BY 1")}
    return {m: (versions.get(m, 0), history.get(m, 0)) for m in milestones}


def audit_check(env, trial, record):
    """Compares the acknowledged PATCHes with the audit trail, which is written in the same transaction as
    the change. Returns (lost updates, versions written twice, audited updates that changed nothing):
    a PATCH is lost when no audited update of its milestone to its version carries the progress it sent,
    or when another update to the same version was audited too (two writes from one version: one of
    them is not in the stored row)."""
    ids = ", ".join(str(m) for m in trial.milestones)
    audited = collections.defaultdict(list)
    unchanged = 0
    for entity_id, changes in node_query(env["NODE_URLS"].split()[0],
                                         "SELECT entity_id, changes FROM audit_events WHERE entity = 'milestone' "
                                         f"AND action = 'update' AND entity_id IN ({ids})"):
        change = json.loads(changes)
        if "version" not in change:
            unchanged += 1
            continue
        audited[(int(entity_id), change["version"]["new"])].append(change.get("progress", {}).get("new"))
    missing = [d for d in record.acked_details if d["progress"] not in audited.get((d["milestone"], d["version"]), [])]
    doubled = {key: written for key, written in audited.items() if len(written) > 1}
    for detail in missing[:5]:
        log(f"  acknowledged PATCH not in the audit trail: {detail}; audited for that version: "
            f"{audited.get((detail['milestone'], detail['version']))}")
    for (mid, version), written in list(doubled.items())[:5]:
        acks = [d for d in record.acked_details if d["milestone"] == mid and d["version"] == version]
        log(f"  milestone {mid} version {version} written {len(written)} times (progress {written}); "
            f"acknowledged: {acks}")
    return len(missing) + sum(len(w) - 1 for w in doubled.values()), len(doubled), unchanged


def stale_after_run(trial, record, admin, stored):
    """Acknowledged writes that a read through haproxy after the run shows older, or not at all."""
    stale = []
    for cid, version in sorted(record.contributions.items()):
        status, headers, body = admin.request("GET", f"/api/v1/contributions/{cid}")
        if status != 200 or (version_of(headers, body) or 0) < version:
            stale.append(f"contribution {cid}: {status}, version {version_of(headers, body)} < {version}")
    for mid in trial.milestones:
        status, headers, body = admin.request("GET", f"/api/v1/milestones/{mid}")
        if status != 200 or version_of(headers, body) != stored[mid][0]:
            stale.append(f"milestone {mid}: {status}, version {version_of(headers, body)}, stored {stored[mid][0]}")
        status, _, history = admin.request("GET", f"/api/v1/milestones/{mid}/history")
        if status != 200 or history["total"] != stored[mid][1]:
            stale.append(f"milestone {mid} history: {status}, {(history or {}).get('total')} rows, "
                         f"stored {stored[mid][1]}")
    for line in stale[:5]:
        log(f"  read after the run: {line}")
    return len(stale)


ROLLUP_RECOMPUTED = {
    # storage::RollupStore's statements (migration 006) as SELECTs over what the node stores, for MySQL.
    "project_rollups": (
        "SELECT project_id, milestones_total, milestones_done, weight_sum, weighted_progress, earliest_open_due, "
        "largest_open_slip, largest_slip FROM project_rollups ORDER BY project_id",
        "SELECT p.id, COUNT(m.id), COALESCE(SUM(m.status = 'done'), 0), COALESCE(SUM(m.weight), 0), "
        "COALESCE(SUM(m.weight * CASE WHEN m.status = 'done' THEN 100 ELSE m.progress END), 0), "
        "MIN(CASE WHEN m.status <> 'done' THEN COALESCE(m.forecast_date, m.baseline_date) END), "
        "MAX(CASE WHEN m.status <> 'done' THEN DATEDIFF(COALESCE(m.forecast_date, m.baseline_date), "
        "m.baseline_date) END), MAX(DATEDIFF(CASE WHEN m.status = 'done' AND m.actual_date IS NOT NULL THEN "
        "m.actual_date ELSE COALESCE(m.forecast_date, m.baseline_date) END, m.baseline_date)) "
        "FROM projects p LEFT JOIN milestones m ON m.project_id = p.id AND m.status <> 'cancelled' "
        "GROUP BY p.id ORDER BY p.id"),
    "open_milestones": (
        "SELECT milestone_id, project_id, due_date FROM open_milestones ORDER BY milestone_id",
        "SELECT id, project_id, COALESCE(forecast_date, baseline_date) FROM milestones "
        "WHERE status NOT IN ('done', 'cancelled') ORDER BY id"),
    "contribution_rollups": (
        "SELECT project_id, partner_id, contributions, pledged_eur, committed_eur, delivered_eur, person_months "
        "FROM contribution_rollups ORDER BY project_id, partner_id",
        "SELECT project_id, partner_id, COUNT(*), SUM(CASE WHEN state = 'pledged' THEN amount_eur ELSE 0 END), "
        "SUM(CASE WHEN state = 'committed' THEN amount_eur ELSE 0 END), "
        "SUM(CASE WHEN state = 'delivered' THEN amount_eur ELSE 0 END), SUM(person_months) FROM contributions "
        "GROUP BY project_id, partner_id ORDER BY project_id, partner_id"),
}


def rollup_check(env):
    """Roll-up rows (kept by every write in its own transaction) that differ from what the node's
    milestones and contributions give when computed again: two nodes' writers of one project must be
    certified against each other (their turn changes the project's roll-up row), or one of them leaves the
    roll-ups of its own snapshot. Read on node 1 (cluster_check proves the others the same)."""
    url = env["NODE_URLS"].split()[0]
    wrong = 0
    for table, (stored_sql, recomputed_sql) in ROLLUP_RECOMPUTED.items():
        stored, recomputed = node_query(url, stored_sql), node_query(url, recomputed_sql)
        if stored != recomputed:
            differing = [pair for pair in zip(stored, recomputed) if pair[0] != pair[1]]
            wrong += max(1, len(differing)) + abs(len(stored) - len(recomputed))
            log(f"  {table}: {len(stored)} rows stored, {len(recomputed)} computed again; first differences "
                f"(stored, computed): {differing[:3]}")
    return wrong


def wait_for_quiet(env, settle_polls=4, limit=60.0):
    """Waits until the cluster has stopped committing: every node at the same wsrep_last_committed, the same
    for settle_polls polls in a row (0.5 s apart). A request whose client gave up (no answer) may still be
    running in a server, and a write it commits between the checker's snapshots of two nodes would show
    as a difference between them. Returns the seconds waited, or None if it never settled."""
    start = time.monotonic()
    last, same = None, 0
    while time.monotonic() - start < limit:
        try:
            positions = tuple(node_query(url, "SHOW GLOBAL STATUS LIKE 'wsrep_last_committed'")[0][1]
                              for url in env["NODE_URLS"].split())
        except (subprocess.CalledProcessError, IndexError):
            positions = None
        quiet = positions is not None and len(set(positions)) == 1 and positions == last
        same = same + 1 if quiet else 0
        if same >= settle_polls:
            return time.monotonic() - start
        last = positions
        time.sleep(0.5)
    return None


def run_cluster_check(check_binary, env, record, name):
    waited = wait_for_quiet(env)
    log(f"  cluster quiet after {waited:.1f} s" if waited is not None else "  cluster never quiet in 60 s")
    writes_file = Path(env["CLUSTER_DIR"]) / f"trial-{name}-writes.jsonl"
    writes_file.write_text("".join(json.dumps(w) + "\n" for w in record.acked))
    check = subprocess.run([check_binary, "--writes", str(writes_file), *env["NODE_URLS"].split()],
                           capture_output=True, text=True)
    output = (check.stdout + check.stderr).strip()
    if check.returncode != 0:
        log("  cluster_check:\n" + "\n".join("    " + line for line in output.splitlines()))
    found = re.search(r"lost writes: (\d+)", output)
    lost = int(found.group(1)) if found else None
    return check.returncode, (output.splitlines() or ["no output"])[-1], lost


def verify(trial, record, admin, env, check_binary, figures, name):
    """The checks after a trial; fills in figures, returns the failed checks."""
    check_status, verdict, lost_writes = run_cluster_check(check_binary, env, record, name)
    stored = stored_milestones(env, trial.milestones)
    rollups_wrong = rollup_check(env)
    below = duplicates = unexplained = history_mismatches = 0
    for mid in trial.milestones:
        final, history = stored[mid]
        expected = 1 + record.acked_patches[mid]
        below += max(0, expected - final)
        # Two PATCHes acknowledged with the same new version: at most one of them is stored.
        versions = record.acked_versions[mid]
        duplicates += len(versions) - len(set(versions))
        # PATCHes the client saw fail without knowing the outcome (no answer, 5xx) may still have committed.
        unexplained += max(0, final - expected - record.unknown_patches[mid])
        history_mismatches += 1 if history != final else 0
        log(f"  milestone {mid}: stored version {final}, history rows {history}, acknowledged PATCHes "
            f"{record.acked_patches[mid]}, PATCHes of unknown outcome {record.unknown_patches[mid]}")
    lost_updates, doubled, unchanged = audit_check(env, trial, record)
    stale_later = stale_after_run(trial, record, admin, stored)
    acknowledged = len(record.contributions) + sum(record.acked_patches.values())
    statuses = collections.Counter()
    for (operation, status), count in record.statuses.items():
        statuses[f"{operation} {status}"] += count
    stale_reads = sum(record.stale_reads.values())
    figures.update({
        "acknowledged writes": acknowledged,
        "  contributions created (201)": len(record.contributions),
        "  PATCHes acknowledged (200)": sum(record.acked_patches.values()),
        "PATCHes refused as stale (412)": record.statuses[("patch", 412)],
        "lost writes": lost_writes,
        "lost updates (audit trail: acknowledged PATCH missing, or a version written twice)": lost_updates,
        "  the same new version acknowledged twice": duplicates,
        "  stored versions short of 1 + acknowledged PATCHes": below,
        "  versions written twice (audit trail)": doubled,
        "  audited updates that changed nothing": unchanged,
        "PATCHes that wrote although not acknowledged (beyond unknown outcomes)": unexplained,
        "milestones whose history rows do not match their version": history_mismatches,
        "answers whose content is not what was sent": len(record.mismatched),
        "roll-up rows that differ from the rows computed again": rollups_wrong,
        "stale reads (read-your-own-write)": stale_reads,
        "  of contributions": record.stale_reads["contribution"],
        "  of milestones": record.stale_reads["milestone"],
        "stale reads after the run (acknowledged writes read back through haproxy)": stale_later,
        "responses 503": record.count(503),
        "responses 500": record.count(500),
        "other 5xx": sum(n for (_, s), n in record.statuses.items() if isinstance(s, int) and s > 500 and s != 503),
        "5xx from haproxy itself": sum(record.proxy_errors.values()),
        "requests without a response": record.count("none"),
        "clients stopped by an exception": len(record.crashed),
        "cluster_check": verdict,
        "responses": dict(sorted(statuses.items())),
    })
    checks = [(lost_writes == 0, f"{lost_writes} acknowledged writes lost"),
              (lost_updates == 0, f"{lost_updates} lost updates"),
              (duplicates == 0, f"{duplicates} versions acknowledged twice"),
              (below == 0, f"stored versions {below} short of the acknowledged PATCHes"),
              (doubled == 0, f"{doubled} milestone versions written twice"),
              (unexplained == 0, f"{unexplained} PATCHes wrote without being acknowledged"),
              (history_mismatches == 0, f"{history_mismatches} milestones with history rows != version"),
              (not record.mismatched, f"{len(record.mismatched)} answers not matching their request, e.g. "
                                      f"{record.mismatched[:2]}"),
              (stale_reads == 0, f"{stale_reads} stale reads"),
              (rollups_wrong == 0, f"{rollups_wrong} roll-up rows differ from their rows computed again"),
              (stale_later == 0, f"{stale_later} stale reads after the run"),
              (figures["responses 500"] == 0, f"{figures['responses 500']} responses 500"),
              (check_status == 0, f"cluster_check: {verdict}"),
              (acknowledged > 0, "no write was acknowledged"),
              (not record.crashed, f"{len(record.crashed)} clients stopped early: {record.crashed[:2]}")]
    return [why for ok, why in checks if not ok]


# ---------------------------------------------------------------------------------------------------


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--short", action="store_true", help="one trial of 20 s (CI)")
    size.add_argument("--long", action="store_true", help="5 trials of 60 s")
    parser.add_argument("--trials", type=int)
    parser.add_argument("--seconds", type=float, help="length of each trial (the node is killed at 1/4, "
                                                         "restarted at 1/2)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--servers", type=int, default=3, help="captrack servers behind haproxy")
    parser.add_argument("--direct", action="store_true",
                        help="clients spread their requests over the captrack servers themselves, not through haproxy")
    workdir = os.environ.get("CAPTRACK_FAULTS_WORKDIR")
    parser.add_argument("--dir", default=str(Path(workdir) / "cluster") if workdir else str(REPO / "build/cluster"),
                        help="the cluster's folder (galera.sh start DIR)")
    parser.add_argument("--reuse", action="store_true", help="use the cluster already running in --dir")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running afterwards")
    parser.add_argument("--captrack", default=os.environ.get("CAPTRACK_BIN", ""))
    parser.add_argument("--cluster-check", default="")
    args = parser.parse_args()
    args.trials = args.trials or (1 if args.short else 5 if args.long else 3)
    args.seconds = args.seconds or (20.0 if args.short else 60.0 if args.long else 45.0)
    return args


def find_cluster_check(given):
    candidates = [given] if given else []
    if os.environ.get("CAPTRACK_BUILD_DIR"):
        candidates.append(os.path.join(os.environ["CAPTRACK_BUILD_DIR"], "tests", "cluster_check"))
    candidates += [str(REPO / "build" / kind / "tests" / "cluster_check") for kind in ("dev", "release", "test")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def cannot_run():
    """Why the trial cannot run on this machine, or None."""
    for tool in ("mariadbd", "haproxy", "rsync", "curl"):
        if not shutil.which(tool):
            return f"{tool} is not installed (scripts/install-deps.sh --test)"
    if not Path("/usr/lib/galera/libgalera_smm.so").exists():
        return "galera-4 is not installed (scripts/install-deps.sh --test)"
    return None


def main():
    args = arguments()
    # A SIGTERM (run.sh's time limit) leaves through SystemExit, so the cluster is stopped below: its
    # nodes, haproxy and servers run in sessions of their own, which no signal to this one reaches.
    signal.signal(signal.SIGTERM, F.exit_on_signal)
    why = cannot_run()
    if why:
        log(f"SKIP cluster: {why}")
        return 77
    check_binary = find_cluster_check(args.cluster_check)
    if not check_binary:
        log("FAIL cluster: no cluster_check binary (cmake --build BUILD --target cluster_check, or --cluster-check)")
        return 1
    started_here = not args.reuse
    failures = []
    try:
        if started_here:
            command = ["start", args.dir, "--servers", str(args.servers)]
            if args.captrack:
                command += ["--captrack", args.captrack]
            log(f"== starting the cluster in {args.dir}")
            log(galera(*command))
        env = read_env(Path(args.dir) / "cluster.env")
        if started_here:
            failures += check_started_together(env)
        failures += run_trials(args, env, check_binary)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
        failures.append(f"cannot run: {error}")
    finally:
        if started_here and not args.keep:
            log(galera("stop", args.dir, check=False))
    if failures:
        log("FAIL cluster: " + "; ".join(failures))
        return 1
    log("PASS cluster")
    return 0


def run_trials(args, env, check_binary):
    """Every trial, its figures and the totals; returns the failed checks."""
    token = create_admin(env)
    via = "spread over the servers" if args.direct else f"through haproxy {env['HTTP_URL']}"
    log(f"== {args.trials} trial(s) of {args.seconds:.0f} s, {args.clients} clients {via}, "
        f"{len(env['CAPTRACK_PIDS'].split())} captrack servers, 3 Galera nodes")
    totals = collections.Counter()
    failures = []
    for number in range(1, args.trials + 1):
        log(f"== trial {number}")
        try:
            figures, problems = run_trial(number, args, env, token, check_binary)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
            figures, problems = {}, [f"trial broken off: {error}"]
        for key, value in figures.items():
            log(f"  {key}: {value}")
            if isinstance(value, (int, float)) and not isinstance(value, bool) and key != "killed node":
                totals[key] += value
        for problem in problems:
            log(f"  FAILED: {problem}")
        failures += [f"trial {number}: {p}" for p in problems]
    log(f"== totals over {args.trials} trial(s)")
    for key in ("acknowledged writes", "lost writes",
                "lost updates (audit trail: acknowledged PATCH missing, or a version written twice)",
                "  versions written twice (audit trail)", "answers whose content is not what was sent",
                "stale reads (read-your-own-write)",
                "stale reads after the run (acknowledged writes read back through haproxy)", "responses 503",
                "responses 500", "requests without a response", "transactions retried"):
        log(f"  {key.strip()}: {totals[key]}")
    return failures

if __name__ == "__main__":
    sys.exit(main())
