"""Shared pieces of the fault trials (tests/faults/README.md): captrack servers started and killed,
keep-alive HTTP clients, fresh databases (SQLite files, MariaDB databases), direct reads of what is
stored behind the server's back, and the checks every trial makes of acknowledged writes.

Python 3 standard library only. Every trial prints its figures and one `PASS name` or `FAIL name: why`
line, and exits 0 (pass), 1 (fail) or 77 (skipped: cannot run here, e.g. no MariaDB or no root)."""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "faults-Password-4711"
# Fast sign-in for the trials: fewer PBKDF2 rounds, no failure delay, no lockout to hit by accident.
AUTH_SETTINGS = {
    "auth.pbkdf2_iterations": "1000",
    "auth.failure_delay_ms": "0",
    "auth.max_user_failures": "1000000",
    "auth.max_address_failures": "1000000",
}


def log(*parts):
    print(*parts, flush=True)


# ---------------------------------------------------------------------------------------------------
# Command line shared by the trials


def trial_arguments(description):
    parser = argparse.ArgumentParser(description=description)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--short", action="store_true", help="the CTest form (default)")
    size.add_argument("--long", action="store_true", help="more trials, bigger load")
    parser.add_argument("--trials", type=int, help="repetitions (default: 1 short, 10 long)")
    parser.add_argument("--captrack", default=os.environ.get("CAPTRACK_BIN", ""), help="the captrack binary")
    parser.add_argument("--workdir", default=os.environ.get("CAPTRACK_FAULTS_WORKDIR", ""),
                        help="scratch folder (default: a new one under /tmp)")
    parser.add_argument("--mariadb-dir", default=os.environ.get("CAPTRACK_FAULTS_MARIADB_DIR", ""),
                        help="folder of a MariaDB started by scripts/mariadb.sh (run.sh passes its own)")
    parser.add_argument("--mariadb-port", type=int, default=int(os.environ.get("CAPTRACK_FAULTS_MARIADB_PORT", "0")))
    parser.add_argument("--ports", default=os.environ.get("CAPTRACK_FAULTS_HTTP_PORTS", "18300-18379"),
                        help="HTTP ports the trial's servers may use, FIRST-LAST")
    parser.add_argument("--database", choices=["sqlite", "mariadb", "both"], default="both")
    return parser


class Context:
    """What a trial needs from its command line: binary, scratch folder, ports, the MariaDB to use."""

    def __init__(self, args, name):
        self.name = name
        self.long = bool(args.long)
        self.trials = args.trials or (10 if self.long else 1)
        binary = args.captrack or _default_binary()
        if not binary or not os.access(binary, os.X_OK):
            raise SystemExit(f"{name}: no captrack binary (give --captrack or CAPTRACK_BIN)")
        self.binary = os.path.abspath(binary)
        if args.workdir:
            self.workdir = Path(args.workdir).resolve() / name
        else:
            self.workdir = Path(f"/tmp/captrack-faults-{os.getpid()}") / name
        self.workdir.mkdir(parents=True, exist_ok=True)
        first, last = (int(p) for p in args.ports.split("-"))
        self.port_range = (first, last)
        self.mariadb = MariaDb(args.mariadb_dir, args.mariadb_port) if args.mariadb_dir else None
        self.databases = ["sqlite", "mariadb"] if args.database == "both" else [args.database]
        if "mariadb" in self.databases and not self.mariadb:
            log(f"{name}: no MariaDB given (--mariadb-dir); MariaDB parts skipped")
            self.databases = [d for d in self.databases if d != "mariadb"]
        self._counter = 0
        self._servers = []

    def fresh_name(self, stem):
        self._counter += 1
        return f"{stem}{self._counter}"

    def fresh_database(self, kind, stem="faults"):
        """A db.url of an empty database of the given kind."""
        name = self.fresh_name(f"{self.name.replace('-', '_')}_{stem}_")
        if kind == "sqlite":
            folder = self.workdir / name
            shutil.rmtree(folder, ignore_errors=True)  # a --workdir used before: the database must be empty
            folder.mkdir(parents=True)
            return f"sqlite:{folder}/captrack.db"
        return self.mariadb.create_database(name)

    def server(self, db_url, name="a", settings=None, secret=None):
        server = Server(self, db_url, name, settings or {}, secret)
        self._servers.append(server)
        return server

    def stop_all(self):
        for server in self._servers:
            server.kill()

    def free_port(self):
        first, last = self.port_range
        taken = {s.port for s in self._servers if s.running()}
        candidates = list(range(first, last + 1))
        random.shuffle(candidates)
        for port in candidates:
            if port not in taken and port_free(port):
                return port
        raise RuntimeError(f"no free HTTP port in {first}-{last}")


def port_free(port):
    """Whether a server could listen on 127.0.0.1:port now. Bound as the server binds (Poco sets
    SO_REUSEADDR): a port left in TIME_WAIT is free, a listening one is not."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _default_binary():
    for candidate in ("build/dev/captrack", "build/test/captrack", "build/release/captrack"):
        path = REPO / candidate
        if path.exists():
            return str(path)
    return ""


def exit_on_signal(number, _frame):
    """SIGTERM handler: run.sh's time limit (or anyone) stopping a trial must not leave its servers, a
    tmpfs or a cluster behind. Python's default would end the process at once; leaving through
    SystemExit runs the `finally` blocks and atexit instead."""
    raise SystemExit(128 + number)


def run_trial(name, description, body):
    """Parses the shared arguments, runs `body(ctx)` (which returns a list of failure strings) and prints
    the PASS/FAIL line. Servers left running are killed on the way out."""
    parser = trial_arguments(description)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, exit_on_signal)
    ctx = Context(args, name)
    started = time.monotonic()
    failures = []
    try:
        failures = body(ctx)
    except Exception as error:  # a trial that breaks is a failed trial, with its reason shown
        import traceback
        traceback.print_exc()
        failures = [f"trial raised {type(error).__name__}: {error}"]
    finally:
        ctx.stop_all()
    seconds = time.monotonic() - started
    if failures is None:
        log(f"SKIP {name} ({seconds:.1f} s)")
        return 77
    if failures:
        log(f"FAIL {name} ({seconds:.1f} s): " + "; ".join(failures[:8]) + (" ..." if len(failures) > 8 else ""))
        return 1
    log(f"PASS {name} ({seconds:.1f} s)")
    return 0


# ---------------------------------------------------------------------------------------------------
# captrack servers


class Server:
    """One `captrack serve` process on a database, its log in the trial's folder."""

    def __init__(self, ctx, db_url, name, settings, secret):
        self.ctx = ctx
        self.db_url = db_url
        self.name = name
        self.secret = secret or str(ctx.workdir / "captrack.secret")
        self.settings = {"log.level": "warning", **AUTH_SETTINGS, **settings}
        self.port = None
        self.process = None
        self.log_path = None
        self.starts = 0

    def command(self, *args):
        return command(self.ctx, self.db_url, *args, secret=self.secret, settings=self.settings)

    def start(self, timeout=60.0):
        return self.launch().wait_healthy(timeout)

    def launch(self):
        """Starts the process and returns at once (several servers starting together: launch each, then
        wait_healthy each)."""
        self.port = self.port or self.ctx.free_port()
        self.starts += 1
        self.log_path = self.ctx.workdir / f"server-{self.name}-{self.port}-{self.starts}.log"
        argv = self.command("serve", "--set", f"http.port={self.port}")
        with open(self.log_path, "wb") as out:
            self.process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            cwd=self.ctx.workdir)
        return self

    def wait_healthy(self, timeout=60.0):
        why = wait_healthy(self.process, self.port, timeout)
        if why:
            raise RuntimeError(f"server {self.name} {why}: {self.log_tail()}")
        return self

    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill(self, sig=signal.SIGKILL):
        if self.running():
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stop(self):
        self.kill(signal.SIGTERM)

    def client(self, token=None, timeout=15.0):
        return Client(self.port, token, timeout)

    def log_tail(self, lines=15):
        try:
            return " | ".join(Path(self.log_path).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def log_text(self):
        try:
            return Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""


def wait_healthy(process, port, timeout=60.0):
    """Waits until a just started `captrack serve` answers /healthz with 200. Returns None, or why not
    (it exited, or did not answer in time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"exited with {process.returncode}"
        try:
            if Client(port, timeout=2).get("/healthz").status == 200:
                return None
        except OSError:
            pass
        time.sleep(0.02)
    return f"did not answer /healthz within {timeout} s"


def recreate_mysql_database(url):
    """Drops the database a mysql:// db.url names and creates it again, empty, as the URL's own user (which
    needs the privileges on it: scripts/mariadb.sh grants them on its scratch databases)."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    subprocess.run(["mariadb", "--no-defaults", "-h", parts.hostname, "-P", str(parts.port or 3306),
                    "-u", parts.username, "-p" + (parts.password or ""), "-e",
                    f"DROP DATABASE IF EXISTS `{name}`; "
                    f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"], check=True)


def command(ctx, db_url, *args, secret=None, settings=None):
    """argv of a captrack command on the given database."""
    argv = [ctx.binary, *args, "--set", f"db.url={db_url}", "--set", f"paths.sql={REPO / 'sql'}",
            "--set", f"auth.secret_file={secret or ctx.workdir / 'captrack.secret'}"]
    for key, value in (settings or AUTH_SETTINGS).items():
        argv += ["--set", f"{key}={value}"]
    return argv


def add_user(ctx, db_url, username, role="admin", secret=None):
    """`captrack user add` as a separate process (the CLI an operator would run)."""
    argv = command(ctx, db_url, "user", "add", "--username", username, "--role", role, "--password-stdin",
                   secret=secret)
    done = subprocess.run(argv, input=PASSWORD + "\n", capture_output=True, text=True, cwd=ctx.workdir, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"captrack user add {username}: {done.returncode} {done.stdout} {done.stderr}")


# ---------------------------------------------------------------------------------------------------
# HTTP


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def header(self, name):
        return self.headers.get(name.lower())

    def is_problem(self):
        """An application/problem+json body whose status matches the response's."""
        if not (self.header("content-type") or "").startswith("application/problem+json"):
            return False
        try:
            body = self.json()
        except ValueError:
            return False
        return isinstance(body, dict) and body.get("status") == self.status and "title" in body

    def detail(self):
        try:
            body = self.json()
            return str(body.get("detail", "")) if isinstance(body, dict) else ""
        except ValueError:
            return self.body[:200].decode("utf-8", "replace")


class Client:
    """One keep-alive connection to a server (http.client); reconnects when the server closed it."""

    def __init__(self, port, token=None, timeout=15.0):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.connection = None

    def close(self):
        if self.connection:
            self.connection.close()
            self.connection = None

    def request(self, method, path, body=None, headers=None):
        send = {"Host": f"127.0.0.1:{self.port}"}
        if self.token:
            send["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            send["Content-Type"] = "application/json"
        send.update(headers or {})
        for attempt in (1, 2):
            reused = self.connection is not None
            if not reused:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=data, headers=send)
                reply = self.connection.getresponse()
                payload = reply.read()
                headers_in = {k.lower(): v for k, v in reply.getheaders()}
                if headers_in.get("connection", "").lower() == "close":
                    self.close()
                return Response(reply.status, headers_in, payload)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.close()
                # A kept-alive connection the server had closed while idle: send once more on a new one.
                if not reused or attempt == 2:
                    raise error
            except BaseException:
                self.close()
                raise
        raise AssertionError("unreachable")

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)


def sign_in(port, username, password=PASSWORD):
    reply = Client(port).request("POST", "/api/v1/auth/login", {"username": username, "password": password})
    if reply.status != 200:
        raise RuntimeError(f"sign-in of {username} answered {reply.status}: {reply.body[:200]!r}")
    return reply.json()["token"]


def expect(reply, status, what):
    if reply.status != status:
        raise RuntimeError(f"{what}: expected {status}, got {reply.status}: {reply.body[:300]!r}")
    return reply.json()


def create_project(client, code):
    return expect(client.request("POST", "/api/v1/projects", {
        "code": code, "title": f"Fault trial {code}", "kind": "capability", "status": "implementation",
        "visibility": "public", "budget_eur": 1000}), 201, f"create project {code}")


def create_milestone(client, project_id, title, forecast=None):
    body = {"title": title, "baseline_date": "2030-01-01"}
    if forecast:
        body["forecast_date"] = forecast
    return client.request("POST", f"/api/v1/projects/{project_id}/milestones", body)


def patch_milestone(client, milestone_id, version, body):
    return client.request("PATCH", f"/api/v1/milestones/{milestone_id}", body, {"If-Match": f'"{version}"'})


def day(n):
    """A distinct valid date for each n >= 0 (2030-01-01 plus n days), so every write changes a date."""
    import datetime
    return (datetime.date(2030, 1, 1) + datetime.timedelta(days=n)).isoformat()


class Counter:
    """A thread-safe counter for unique values."""

    def __init__(self, start=0):
        self._value = start
        self._lock = threading.Lock()

    def next(self):
        with self._lock:
            self._value += 1
            return self._value


class Tally:
    """Counts of answers by status, kept across threads, with a few examples of each odd one."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.examples = {}

    def add(self, key, example=None):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            if example is not None and key not in self.examples:
                self.examples[key] = example

    def get(self, key):
        return self.counts.get(key, 0)

    def total(self):
        return sum(self.counts.values())

    def merge(self, other):
        """Adds another tally's counts to this one (totals over trials)."""
        with self.lock:
            for key, value in other.counts.items():
                self.counts[key] = self.counts.get(key, 0) + value

    def __str__(self):
        return ", ".join(f"{k}: {v}" for k, v in sorted(self.counts.items(), key=lambda kv: str(kv[0]))) or "none"


# ---------------------------------------------------------------------------------------------------
# Databases, read behind the server's back


class MariaDb:
    """A MariaDB started by scripts/mariadb.sh in `folder` (root over its socket, user captrack over TCP)."""

    def __init__(self, folder, port):
        self.folder = Path(folder).resolve()
        self.port = port
        self.socket = self.folder / "mysqld.sock"

    def sql(self, statement, database=None, timeout=60):
        argv = ["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", "--batch", "--skip-column-names",
                "--raw"]
        if database:
            argv.append(database)
        done = subprocess.run(argv, input=statement, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"mariadb: {done.stderr.strip()}")
        return [line.split("\t") for line in done.stdout.splitlines()]

    def create_database(self, name):
        self.sql(f"DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;"
                 f"GRANT ALL PRIVILEGES ON {name}.* TO 'captrack'@'localhost', 'captrack'@'127.0.0.1';")
        return f"mysql://captrack:captrack@127.0.0.1:{self.port}/{name}"

    def answers(self):
        done = subprocess.run(["mariadb-admin", "--no-defaults", f"--socket={self.socket}", "-uroot",
                               "--connect-timeout=1", "ping"], capture_output=True, timeout=10)
        return done.returncode == 0

    def script(self, action):
        done = subprocess.run([str(REPO / "scripts/mariadb.sh"), action, str(self.folder), str(self.port)],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"scripts/mariadb.sh {action}: {done.stderr.strip()}")
        return done.stdout.strip()


class Store:
    """Read access to a trial's database without the server: sqlite3 on the file, or the mariadb client."""

    def __init__(self, ctx, db_url):
        self.ctx = ctx
        self.db_url = db_url
        self.kind = "sqlite" if db_url.startswith("sqlite:") else "mariadb"
        self.path = db_url[len("sqlite:"):] if self.kind == "sqlite" else None
        self.database = db_url.rsplit("/", 1)[1] if self.kind == "mariadb" else None

    def rows(self, statement):
        if self.kind == "sqlite":
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                return [tuple("" if v is None else str(v) for v in row) for row in connection.execute(statement)]
            finally:
                connection.close()
        return [tuple("" if v == "NULL" else v for v in row) for row in self.ctx.mariadb.sql(statement, self.database)]

    def integrity(self):
        """`PRAGMA integrity_check` on SQLite, `CHECK TABLE` on MariaDB: 'ok' or what is wrong."""
        if self.kind == "sqlite":
            result = [r[0] for r in self.rows("PRAGMA integrity_check")]
            return "ok" if result == ["ok"] else "; ".join(result[:5])
        bad = []
        for table in ("milestones", "milestone_history", "audit_events", "contributions", "projects"):
            for row in self.rows(f"CHECK TABLE {table}"):
                if row[2] in ("error", "warning") or (row[2] == "status" and row[3] != "OK"):
                    bad.append(" ".join(row))
        return "ok" if not bad else "; ".join(bad)

    def milestone_facts(self):
        """{id: (version, history rows, audit rows, set of forecast dates in history)} of every milestone."""
        facts = {}
        for mid, version in self.rows("SELECT id, version FROM milestones"):
            facts[int(mid)] = [int(version), 0, 0, {}]
        for mid, forecast, count in self.rows("SELECT milestone_id, forecast_date, COUNT(*) FROM milestone_history "
                                              "GROUP BY milestone_id, forecast_date"):
            entry = facts.setdefault(int(mid), [0, 0, 0, {}])
            entry[1] += int(count)
            entry[3][forecast] = int(count)
        for mid, count in self.rows(
                "SELECT entity_id, COUNT(*) FROM audit_events WHERE entity = 'milestone' GROUP BY entity_id"):
            facts.setdefault(int(mid), [0, 0, 0, {}])[2] = int(count)
        return facts


def check_acknowledged(store, acks, what="write"):
    """Every acknowledged milestone write (id, version, forecast date) is stored: the milestone at that
    version or later, exactly one history row with that date, and as many history and audit rows as the
    milestone has versions (create + one per update). Returns (figures, failures, lost)."""
    facts = store.milestone_facts()
    failures = []
    lost = 0
    for mid, version, forecast in acks:
        entry = facts.get(mid)
        if not entry or entry[0] < version or entry[0] == 0:
            lost += 1
            if len(failures) < 5:
                failures.append(f"acknowledged {what} of milestone {mid} v{version} is missing "
                                f"(stored: {entry[0] if entry else 'no row'})")
            continue
        if forecast is not None and entry[3].get(forecast, 0) != 1:
            lost += 1
            if len(failures) < 5:
                failures.append(f"milestone {mid} v{version}: {entry[3].get(forecast, 0)} history rows with "
                                f"forecast {forecast}, expected 1")
    milestones = {mid for mid, _, _ in acks}
    unbalanced = [mid for mid in milestones if mid in facts and not (facts[mid][0] == facts[mid][1] == facts[mid][2])]
    for mid in unbalanced[:5]:
        version, history, audit, _ = facts[mid]
        failures.append(f"milestone {mid}: version {version} but {history} history and {audit} audit rows")
    figures = (f"{len(acks)} acknowledged, {lost} lost, {len(milestones)} milestones, "
               f"{len(unbalanced)} with history/audit rows not matching their version")
    return figures, failures, lost


# ---------------------------------------------------------------------------------------------------
# Small helpers


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run_threads(targets):
    threads = [threading.Thread(target=t, daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    return threads


def join_all(threads, timeout=120):
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [t for t in threads if t.is_alive()]


def setup_admin(ctx, server, username="faults-admin"):
    """Creates an admin with the CLI (before the server starts, so no first admin is made)."""
    add_user(ctx, server.db_url, username, "admin", server.secret)
    return username


def signed_in_server(ctx, db_url, project_code, name="a"):
    """The start of most trials: a server on `db_url` whose admin was made by the CLI, started, signed
    in, with a project of its own. Returns (server, token, client, project)."""
    server = ctx.server(db_url, name)
    setup_admin(ctx, server)
    server.start()
    token = sign_in(server.port, "faults-admin")
    client = server.client(token)
    return server, token, client, create_project(client, project_code)


def main_guard(fn):
    try:
        sys.exit(fn())
    except KeyboardInterrupt:
        sys.exit(130)
