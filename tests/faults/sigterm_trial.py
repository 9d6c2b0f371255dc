#!/usr/bin/env python3
"""SIGTERM trial (issue 9, items 6 and 7; docs/HTTP.md "Stopping"): real captrack processes stopped
with SIGTERM while a long portfolio report runs and while 8 clients write.

  tests/faults/sigterm_trial.py [--short | --long] [--captrack BIN] [--workdir DIR] [--ports FIRST-LAST]
                                [--mariadb-url URL [--mariadb-dir DIR]]

report   a synthetic portfolio big enough that a report takes >= 0.2 s (--short: 10,000 projects, more if
         the build is fast; --long: 100,000): the HTML report, the slowest (it reads every project's
         milestones for its timelines; JSON and CSV read the roll-ups and take a third of that). SIGTERM
         mid-report: the report completes 200 with a whole document (Connection: close), a new connect during the grace is refused, an
         idle keep-alive connection is closed at once, the process exits 0.
grace    the same with http.shutdown_grace_seconds below the report's time: the report is cut (closed
         without an answer), the log names it, the process exits 75; and a second SIGTERM during a long
         grace cuts at once (exit 75).
writes   8 clients PATCH their own milestone (If-Match) on keep-alive connections; SIGTERM: every
         request answered or refused before it was read, none cut short, exit 0; afterwards every
         acknowledged write is there (history row, audit row, final version), and nothing else:
         read with Python's sqlite3 and through a fresh server (on MariaDB too with --mariadb-url or
         CAPTRACK_FAULTS_MARIADB_URL: through the fresh server, and with the mariadb client when the
         MariaDB's folder is known, --mariadb-dir or CAPTRACK_FAULTS_MARIADB_DIR).

Python 3 standard library only. Prints figures, `FAIL ...` for each failed check and one summary line;
exits 0 when every check passed, 1 otherwise, 2 on a usage or setup error. Environment (from
tests/faults/run.sh): CAPTRACK_BIN, CAPTRACK_FAULTS_WORKDIR, CAPTRACK_FAULTS_HTTP_PORTS,
CAPTRACK_FAULTS_MARIADB_URL, CAPTRACK_FAULTS_MARIADB_DIR.
"""

import argparse
import datetime
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import faultlib as F

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "sigterm-Trial-Password-4711"
REPORT = "/api/v1/reports/portfolio?group_by=partner&format=html"
# The shortest report the trial can time its signals in (SIGTERM at a fifth of it, a grace of a tenth).
LONG_ENOUGH = 0.2
EXIT_TEMPFAIL = 75
FAILURES = []
FIGURES = {}
SERVERS = []  # every server started, killed on the way out if still running


class Fatal(Exception):
    """The trial cannot go on (no binary, a server that does not start): exit 2."""


def say(*parts):
    print(*parts, flush=True)


def check(ok, what, detail=""):
    say(("ok    " if ok else "FAIL  ") + what + ("" if ok or not detail else f": {detail}"))
    if not ok:
        FAILURES.append(what)
    return ok


class Setup:
    """Binary, scratch folder and ports of this run."""

    def __init__(self, args):
        binary = args.captrack or next((str(REPO / d / "captrack") for d in ("build/dev", "build/test", "build/release")
                                        if os.access(REPO / d / "captrack", os.X_OK)), "")
        if not binary or not os.access(binary, os.X_OK):
            raise Fatal("no captrack binary (--captrack or CAPTRACK_BIN)")
        self.binary = os.path.abspath(binary)
        self.workdir = Path(args.workdir or tempfile.mkdtemp(prefix="captrack-sigterm-")).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        first, last = (int(p) for p in args.ports.split("-"))
        self.ports = list(range(first, last + 1))
        self.next_port = 0
        self.secret = self.workdir / "secret"

    def free_port(self):
        """The next port of --ports free now (round the range: those of stopped servers come back)."""
        for _ in self.ports:
            port = self.ports[self.next_port % len(self.ports)]
            self.next_port += 1
            if F.port_free(port):
                return port
        raise Fatal("no free port in --ports")

    def settings(self, db_url, extra=None):
        values = {"db.url": db_url, "auth.secret_file": str(self.secret), "auth.pbkdf2_iterations": "1000",
                  "auth.failure_delay_ms": "0", "reports.max_concurrent": "4"}
        values.update(extra or {})
        return [arg for key, value in values.items() for arg in ("--set", f"{key}={value}")]

    def cli(self, db_url, *args, stdin=None, tolerate=None):
        done = subprocess.run([self.binary, *args, *self.settings(db_url)], input=stdin, capture_output=True,
                              text=True, cwd=self.workdir)
        if done.returncode != 0 and not (tolerate and tolerate in done.stderr + done.stdout):
            raise Fatal(f"captrack {' '.join(args)} failed: {done.stderr or done.stdout}")
        return done.stdout

    def add_user(self, db_url, username, role):
        """Adds the user (its password PASSWORD); one already there (a MariaDB database used again) is kept."""
        self.cli(db_url, "user", "add", "--username", username, "--role", role, "--password-stdin", stdin=PASSWORD,
                 tolerate="already exists")


class Server:
    """One `captrack serve` process with its log."""

    def __init__(self, setup, db_url, name, grace):
        self.port = setup.free_port()
        self.log_path = setup.workdir / f"{name}.log"
        extra = {"http.port": str(self.port), "http.shutdown_grace_seconds": str(grace)}
        with open(self.log_path, "w") as log_file:
            self.process = subprocess.Popen([setup.binary, "serve", *setup.settings(db_url, extra)], cwd=setup.workdir,
                                            stdout=log_file, stderr=subprocess.STDOUT)
        SERVERS.append(self)
        why = F.wait_healthy(self.process, self.port, 60)
        if why:
            raise Fatal(f"the server {why}; {self.log_path}:\n{self.log()[-2000:]}")

    def signal(self, number=signal.SIGTERM):
        self.process.send_signal(number)

    def wait(self, timeout):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def log(self):
        return self.log_path.read_text(errors="replace")

    def sign_in(self, username):
        status, _, body = request(self.port, "POST", "/api/v1/auth/login",
                                  {"username": username, "password": PASSWORD})
        if status != 200:
            raise Fatal(f"sign-in of {username}: {status} {body[:200]!r}")
        return json.loads(body)["token"]


def request(port, method, path, body=None, token=None, headers=None, timeout=60, connection=None):
    """One request (on `connection` when given, else a new one); (status, headers lower-cased, body)."""
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        if connection is None:
            conn.close()


# ----------------------------------------------------------------------------------------------------
# report: SIGTERM while a long report runs


def report_database(setup, projects):
    """A SQLite file with `projects` synthetic projects (seed tops an existing one up) and a reviewer."""
    path = setup.workdir / "report.db"
    url = f"sqlite:{path}"
    fresh = not path.exists()
    started = time.monotonic()
    setup.cli(url, "seed", "--synthetic", str(projects))
    if fresh:
        setup.add_user(url, "trial-reviewer", "reviewer")
    say(f"      seeded {projects} projects in {time.monotonic() - started:.1f} s")
    return url


def timed_report(server, token):
    started = time.monotonic()
    status, _, body = request(server.port, "GET", REPORT, token=token)
    return status, time.monotonic() - started, body


class ReportInFlight(threading.Thread):
    """The report on a connection of its own, timed against the SIGTERM."""

    def __init__(self, server, token):
        super().__init__(daemon=True)
        self.server, self.token = server, token
        self.status, self.headers, self.body, self.error, self.done = None, {}, b"", None, None
        self.start()

    def run(self):
        try:
            self.status, self.headers, self.body = request(self.server.port, "GET", REPORT, token=self.token,
                                                           timeout=120)
        except (OSError, http.client.HTTPException) as error:
            self.error = repr(error)
        self.done = time.monotonic()


def refused_after(port, since, limit=2.0):
    """Connects until one is refused; seconds from `since` to the refusal (None if none in `limit`)."""
    while time.monotonic() < since + limit:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return time.monotonic() - since
        except OSError:
            pass
        time.sleep(0.002)
    return None


class IdleWatch(threading.Thread):
    """Waits on an idle keep-alive connection; `closed` is when the server closed it without a word."""

    def __init__(self, sock, limit=30.0):
        super().__init__(daemon=True)
        self.sock, self.closed = sock, None
        sock.settimeout(limit)
        self.start()

    def run(self):
        try:
            data = self.sock.recv(1)
        except ConnectionResetError:
            data = b""
        except socket.timeout:
            return
        if data == b"":
            self.closed = time.monotonic()


def trial_report(setup, url, projects):
    say(f"== report: SIGTERM during a report over {projects} projects (grace 30 s)")
    server = Server(setup, url, "report", 30)
    token = server.sign_in("trial-reviewer")
    status, seconds, _ = timed_report(server, token)
    check(status == 200, "warm-up report answers 200", status)
    status, seconds, _ = timed_report(server, token)
    say(f"      report time {seconds:.3f} s")
    if seconds < LONG_ENOUGH:
        server.signal()
        server.wait(60)
        return seconds
    idle = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    request(server.port, "GET", "/healthz", connection=idle)
    watch = IdleWatch(idle.sock)
    report = ReportInFlight(server, token)
    time.sleep(0.2 * seconds)
    killed = time.monotonic()
    server.signal()
    refused = refused_after(server.port, killed)
    report.join(180)
    watch.join(30)
    idle_closed = watch.closed - killed if watch.closed else None
    code = server.wait(60)
    exited = time.monotonic()
    body_ok = False
    if report.status == 200:
        body_ok = (len(report.body) == int(report.headers.get("content-length", -1))
                   and report.body.rstrip().endswith(b"</html>"))
    check(refused is not None and report.done is not None and killed + refused < report.done,
          "a new connect during the grace is refused", f"refused after {refused} s")
    check(idle_closed is not None and report.done is not None and killed + idle_closed < report.done,
          "an idle keep-alive connection is closed at once", f"closed after {idle_closed} s")
    check(report.status == 200 and body_ok, "the report in flight completes 200 with its whole body",
          f"status {report.status}, error {report.error}, {len(report.body)} bytes")
    check(report.headers.get("connection") == "close", "it carries Connection: close", report.headers)
    check(report.done is not None and report.done > killed, "the SIGTERM came while the report ran")
    check(code == 0, "the server exits 0", code)
    say(f"      figures: report {seconds:.3f} s; SIGTERM at {0.2 * seconds:.3f} s into the next; "
        f"connect refused {1000 * (refused or 0):.1f} ms after SIGTERM; idle connection closed "
        f"{1000 * (idle_closed or 0):.1f} ms after; report answered {report.done - killed:.3f} s after; "
        f"exit {code} {exited - killed:.3f} s after SIGTERM; requests in flight 1")
    FIGURES["report"] = f"report {seconds:.2f} s over {projects} projects, SIGTERM to exit {exited - killed:.2f} s"
    return seconds


def trial_grace(setup, url, report_seconds):
    # Early in the report and a short grace, so that it runs out even when this machine's load makes
    # the report faster than the one measured.
    grace = round(min(0.1, report_seconds / 10), 3)
    say(f"== grace: a grace of {grace} s runs out during the report")
    server = Server(setup, url, "grace", grace)
    token = server.sign_in("trial-reviewer")
    report = ReportInFlight(server, token)
    time.sleep(0.15 * report_seconds)
    killed = time.monotonic()
    server.signal()
    report.join(180)
    code = server.wait(60)
    exited = time.monotonic()
    check(report.status is None and report.error is not None, "the report is cut: closed without an answer",
          f"status {report.status}")
    check("cut GET " + REPORT in server.log(), "the log names the request cut")
    check(code == EXIT_TEMPFAIL, f"the server exits {EXIT_TEMPFAIL} (requests were cut)", code)
    say(f"      figures: exit {code} {exited - killed:.3f} s after SIGTERM (grace {grace} s)")

    say("== grace: a second SIGTERM cuts at once (grace 30 s)")
    server = Server(setup, url, "second-signal", 30)
    token = server.sign_in("trial-reviewer")
    report = ReportInFlight(server, token)
    time.sleep(0.15 * report_seconds)
    server.signal()
    # Two SIGTERMs pending at once are one: send the second once the server has taken the first.
    deadline = time.monotonic() + 10
    while "SIGTERM: stopping" not in server.log() and time.monotonic() < deadline:
        time.sleep(0.01)
    again = time.monotonic()
    server.signal()
    report.join(180)
    code = server.wait(60)
    exited = time.monotonic()
    check(report.status is None and code == EXIT_TEMPFAIL, f"the report is cut and the server exits {EXIT_TEMPFAIL}",
          f"status {report.status}, exit {code}")
    check(exited - again < 1.0, "within a second of the second SIGTERM", f"{exited - again:.3f} s")


# ----------------------------------------------------------------------------------------------------
# writes: SIGTERM under 8 writing clients


def write_body(n):
    forecast = datetime.date(2027, 6, 1) + datetime.timedelta(days=n % 3000)
    return {"forecast_date": forecast.isoformat(), "progress": n % 101}


class Writer(threading.Thread):
    """PATCHes one milestone on a keep-alive connection until the server refuses to connect."""

    def __init__(self, port, token, milestone, killed):
        super().__init__(daemon=True)
        self.port, self.token, self.milestone, self.killed = port, token, milestone, killed
        self.acknowledged = []  # (version, body) of every write answered 200
        self.in_flight = 0  # answered, sent before the SIGTERM and answered after
        self.unanswered = 0  # closed before the server read it (after the SIGTERM), then refused
        self.problems = []
        self.start()

    def run(self):
        version, conn = 1, None
        while True:
            conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            body = write_body(version)
            sent = time.monotonic()
            try:
                status, _, answer = request(self.port, "PATCH", f"/api/v1/milestones/{self.milestone}", body,
                                            self.token, {"If-Match": f'"{version}"'}, connection=conn)
            except ConnectionRefusedError:
                return
            except (OSError, http.client.HTTPException) as error:
                if self.killed[0] is None or isinstance(error, http.client.IncompleteRead):
                    self.problems.append(f"{self.milestone} v{version}: {error!r}")
                    return
                self.unanswered += 1
                conn.close()
                conn = None
                continue
            if status != 200:
                self.problems.append(f"{self.milestone} v{version}: {status} {answer[:200]!r}")
                return
            killed = self.killed[0]
            if killed is not None and sent < killed <= time.monotonic():
                self.in_flight += 1
            self.acknowledged.append((version + 1, body))
            version += 1


def stored_sqlite(path, milestones):
    """{milestone: (version, [(forecast, progress) of each update in order], audit updates)}; integrity."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    stored = {}
    for m in milestones:
        version = db.execute("SELECT version FROM milestones WHERE id = ?", (m,)).fetchone()[0]
        rows = db.execute("SELECT forecast_date, progress FROM milestone_history WHERE milestone_id = ? "
                          "AND action = 'update' ORDER BY id", (m,)).fetchall()
        audits = db.execute("SELECT COUNT(*) FROM audit_events WHERE entity = 'milestone' AND action = 'update' "
                            "AND entity_id = ?", (m,)).fetchone()[0]
        stored[m] = (version, [tuple(r) for r in rows], audits)
    db.close()
    return stored, integrity


def stored_mariadb(mariadb_dir, url, milestones):
    """As stored_sqlite, on MariaDB: read with the mariadb client as root over the socket of the suite's
    MariaDB (run.sh's CAPTRACK_FAULTS_MARIADB_DIR), not through captrack, whose reads are under test."""
    server, database = F.MariaDb(mariadb_dir, 0), url.rsplit("/", 1)[1]
    ids = ", ".join(str(m) for m in milestones)
    versions = dict(server.sql(f"SELECT id, version FROM milestones WHERE id IN ({ids})", database))
    rows = {str(m): [] for m in milestones}
    for mid, forecast, progress in server.sql("SELECT milestone_id, forecast_date, progress FROM milestone_history "
                                              f"WHERE milestone_id IN ({ids}) AND action = 'update' ORDER BY id",
                                              database):
        rows[mid].append((forecast, int(progress)))
    audits = dict(server.sql("SELECT entity_id, COUNT(*) FROM audit_events WHERE entity = 'milestone' AND "
                             f"action = 'update' AND entity_id IN ({ids}) GROUP BY entity_id", database))
    return {m: (int(versions[str(m)]), rows[str(m)], int(audits.get(str(m), 0))) for m in milestones}


def stored_by_server(setup, url, milestones):
    server = Server(setup, url, "fresh", 30)
    token = server.sign_in("trial-lead")
    stored = {}
    for m in milestones:
        _, _, body = request(server.port, "GET", f"/api/v1/milestones/{m}", token=token)
        _, _, history = request(server.port, "GET", f"/api/v1/milestones/{m}/history", token=token)
        items = [i for i in json.loads(history)["items"] if i.get("action") == "update"]
        rows = [(i.get("forecast_date"), i.get("progress")) for i in items]
        stored[m] = (json.loads(body)["version"], rows, None)
    server.signal()
    server.wait(30)
    return stored


def compare(writers, stored, where):
    acknowledged = sum(len(w.acknowledged) for w in writers)
    present, extra = 0, 0
    for w in writers:
        version, rows, audits = stored[w.milestone]
        for (_, body), row in zip(w.acknowledged, rows):
            present += row == (body["forecast_date"], body["progress"])
        extra += max(0, len(rows) - len(w.acknowledged)) + max(0, version - 1 - len(w.acknowledged))
        if audits is not None:
            extra += max(0, audits - len(w.acknowledged))
            present -= max(0, len(w.acknowledged) - audits)
    check(present == acknowledged and extra == 0, f"{where}: every acknowledged write present, nothing else",
          f"{present} of {acknowledged} present, {extra} unacknowledged")
    return present


def trial_writes(setup, kind, url, seconds, sqlite_path=None, mariadb_dir=None):
    say(f"== writes ({kind}): SIGTERM under 8 writing clients after {seconds} s")
    setup.add_user(url, "trial-lead", "lead")
    server = Server(setup, url, f"writes-{kind}", 30)
    token = server.sign_in("trial-lead")
    _, _, body = request(server.port, "POST", "/api/v1/projects",
                         {"code": f"SIG-{int(time.time() * 1000) % 10**8}", "title": "SIGTERM trial",
                          "kind": "capability"}, token)
    project = json.loads(body)["id"]
    milestones = [json.loads(request(server.port, "POST", f"/api/v1/projects/{project}/milestones",
                                     {"title": f"M{i}", "baseline_date": "2027-05-01"}, token)[2])["id"]
                  for i in range(8)]
    killed = [None]
    writers = [Writer(server.port, token, m, killed) for m in milestones]
    time.sleep(seconds)
    killed[0] = time.monotonic()
    server.signal()
    for w in writers:
        w.join(120)
    code = server.wait(60)
    exited = time.monotonic()
    problems = [p for w in writers for p in w.problems]
    check(not problems and all(not w.is_alive() for w in writers), "no request failed or was cut short",
          "; ".join(problems[:5]))
    in_flight = sum(w.in_flight for w in writers)
    check(in_flight > 0, "requests were in flight at the SIGTERM, and answered", in_flight)
    check(code == 0, "the server exits 0", code)
    acknowledged = sum(len(w.acknowledged) for w in writers)
    if sqlite_path:
        stored, integrity = stored_sqlite(sqlite_path, milestones)
        check(integrity == "ok", "sqlite integrity_check ok", integrity)
        compare(writers, stored, "read with sqlite3")
    if mariadb_dir:
        compare(writers, stored_mariadb(mariadb_dir, url, milestones), "read with the mariadb client")
    present = compare(writers, stored_by_server(setup, url, milestones), "read through a fresh server")
    say(f"      figures: {acknowledged} writes acknowledged, {present} present; {in_flight} in flight at SIGTERM, "
        f"{sum(w.unanswered for w in writers)} closed unread (not applied); exit {code} "
        f"{exited - killed[0]:.3f} s after SIGTERM")
    totals = FIGURES.setdefault(kind, [0, 0, 0])
    for i, value in enumerate((acknowledged, present, in_flight)):
        totals[i] += value


def run(args):
    setup = Setup(args)
    say(f"sigterm trial ({'long' if args.long else 'short'}): {setup.binary}, scratch {setup.workdir}")

    projects = 100000 if args.long else 10000
    url = report_database(setup, projects)
    seconds = trial_report(setup, url, projects)
    while seconds < LONG_ENOUGH and projects < 100000:
        projects = min(100000, int(projects * 1.3 / max(seconds, 0.05)))
        say(f"      a report over this database takes {seconds:.3f} s: growing it to {projects} projects")
        url = report_database(setup, projects)
        seconds = trial_report(setup, url, projects)
    if check(seconds >= LONG_ENOUGH, f"a report takes at least {LONG_ENOUGH} s", f"{seconds:.3f} s"):
        trial_grace(setup, url, seconds)

    write_seconds = 5 if args.long else 1.5
    for round_number in range(3 if args.long else 1):
        path = setup.workdir / f"writes-{round_number}.db"
        trial_writes(setup, "sqlite", f"sqlite:{path}", write_seconds, path)
    if args.mariadb_url:
        trial_writes(setup, "mariadb", args.mariadb_url, write_seconds, mariadb_dir=args.mariadb_dir)

    figures = [FIGURES.get("report", "no report")] + [
        f"{kind}: {totals[0]} writes acknowledged, {totals[1]} present, {totals[2]} in flight at SIGTERM"
        for kind, totals in FIGURES.items() if kind != "report"]
    verdict = "PASS" if not FAILURES else "FAIL"
    say(f"{verdict} sigterm ({'long' if args.long else 'short'}): {len(FAILURES)} failed check(s)"
        + (f" ({', '.join(FAILURES)})" if FAILURES else "") + "; " + "; ".join(figures))
    return 0 if not FAILURES else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--short", action="store_true", help="seconds, for CI (default)")
    size.add_argument("--long", action="store_true", help="the 100,000-project report, longer write load")
    parser.add_argument("--captrack", default=os.environ.get("CAPTRACK_BIN", ""))
    parser.add_argument("--workdir", default=os.environ.get("CAPTRACK_FAULTS_WORKDIR", ""))
    parser.add_argument("--ports", default=os.environ.get("CAPTRACK_FAULTS_HTTP_PORTS", "18200-18299"))
    parser.add_argument("--mariadb-url", default=os.environ.get("CAPTRACK_FAULTS_MARIADB_URL", ""))
    parser.add_argument("--mariadb-dir", default=os.environ.get("CAPTRACK_FAULTS_MARIADB_DIR", ""),
                        help="the folder of the MariaDB of --mariadb-url (scripts/mariadb.sh), to read it directly")
    args = parser.parse_args()
    mode = "long" if args.long else "short"
    signal.signal(signal.SIGTERM, F.exit_on_signal)  # so that the `finally` below runs
    try:
        return run(args)
    except Fatal as error:
        say(f"FAIL sigterm ({mode}): cannot run: {error}")
        return 2
    except Exception as error:  # a check that could not be made fails too, with its one line
        say(f"FAIL sigterm ({mode}): {error!r}")
        raise
    finally:
        # A check that broke off (or a time limit) leaves no server running.
        for server in SERVERS:
            if server.process.poll() is None:
                server.process.kill()
                server.process.wait()


if __name__ == "__main__":
    sys.exit(main())
