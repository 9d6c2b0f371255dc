#!/usr/bin/env python3
"""Backup and restore end to end, through the real binary (docs/OPERATING-backup.md).

    backup_restore.py CAPTRACK [MYSQL_URL_OF_A_SCRATCH_DATABASE]

A server runs on a SQLite database with the demo data while a client creates projects through the
API; `captrack backup` runs meanwhile. Then: the file is 0600; every project acknowledged (201) before
the backup began is in it; `captrack restore` loads it into a new SQLite database (and into the given
MariaDB database, which is dropped and created again first), a second restore into the same database
is refused with exit code 65 and changes nothing, and a backup of each restored database holds the
same rows as the original backup. Refused with exit code 65, changing nothing: a truncated backup (the
target keeps no table, not even a migrated one) and `backup --from FILE` (FILE is left as it was).
A restore from a pipe (read once) loads the same rows. Exits non-zero on the first failure.
"""
import json
import os
import re
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import faultlib as F

CAPTRACK = os.path.abspath(sys.argv[1])
SCRATCH_MYSQL = sys.argv[2] if len(sys.argv) > 2 else ""


def run(work, url, *args, expect=0):
    env = dict(os.environ, CAPTRACK_DB_URL=url)
    done = subprocess.run([CAPTRACK, *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != expect:
        sys.exit(f"captrack {' '.join(args)} on {url}: exit {done.returncode}, expected {expect}\n"
                 f"{done.stdout}{done.stderr}")
    return done


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def wait_ready(port, server):
    for _ in range(300):
        if server.poll() is not None:
            sys.exit(f"captrack serve exited with {server.returncode}")
        try:
            if request(port, "GET", "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("captrack serve did not become ready in 30 s")


def rows_of(path):
    """Every line of a backup but its header (which carries the time) and its end (the digest)."""
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")[1:-2]


def project_codes(path):
    codes, table = set(), None
    header = None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f):
            if number == 0:
                header = json.loads(line)
                continue
            if line.startswith('{"table"'):
                table = json.loads(line)["table"]
            elif table == "projects" and line.startswith("["):
                columns = next(t["columns"] for t in header["tables"] if t["name"] == "projects")
                codes.add(json.loads(line)[columns.index("code")])
    return codes


def mysql_args(url):
    parts = urllib.parse.urlsplit(url)
    return ["mariadb", "--no-defaults", "-h", parts.hostname, "-P", str(parts.port or 3306),
            "-u", parts.username, "-p" + (parts.password or ""), parts.path.lstrip("/")]


def table_count(url):
    if url.startswith("sqlite:"):
        with sqlite3.connect(url[len("sqlite:"):]) as db:
            return db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    done = subprocess.run(mysql_args(url) + ["-N", "-e", "SHOW TABLES"], check=True, capture_output=True, text=True)
    return len(done.stdout.split())


class ProjectWriter(threading.Thread):
    """Creates projects through the API until stopped; keeps the codes the server acknowledged."""

    def __init__(self, port, token):
        super().__init__(daemon=True)
        self.port, self.token = port, token
        self.acknowledged, self.stopping, self.failure = [], threading.Event(), None

    def run(self):
        number = 0
        while not self.stopping.is_set():
            number += 1
            code = f"E2E-{number:05d}"
            try:
                status, _ = request(self.port, "POST", "/api/v1/projects",
                                    {"code": code, "title": "Backup under load", "kind": "capability"}, self.token)
            except Exception as error:  # noqa: BLE001 - the loops of main() wait on `failure`
                self.failure = f"POST /api/v1/projects failed: {error!r}"
                return
            if status != 201:
                self.failure = f"POST /api/v1/projects answered {status}"
                return
            self.acknowledged.append(code)

    def wait_for(self, count, seconds=120):
        """Until `count` projects are acknowledged, the writer failed, or `seconds` passed."""
        deadline = time.monotonic() + seconds
        while len(self.acknowledged) < count and self.failure is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.failure is None, self.failure
        assert len(self.acknowledged) >= count, f"{len(self.acknowledged)} projects written in {seconds} s"


def main():
    with tempfile.TemporaryDirectory() as work:
        source = "sqlite:" + os.path.join(work, "source.db")
        seeded = run(work, source, "seed", "--demo").stdout
        password = re.search(r"^\s*demo-admin\s+(\S+)$", seeded, re.M).group(1)
        port = free_port()
        server = subprocess.Popen([CAPTRACK, "serve", "--set", f"http.port={port}"], cwd=work,
                                  env=dict(os.environ, CAPTRACK_DB_URL=source),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(port, server)
            status, signed_in = request(port, "POST", "/api/v1/auth/login",
                                        {"username": "demo-admin", "password": password})
            assert status == 200, f"sign-in answered {status}"
            writer = ProjectWriter(port, signed_in["token"])
            writer.start()
            writer.wait_for(20)
            before = list(writer.acknowledged)
            backup = os.path.join(work, "captrack.backup")
            run(work, source, "backup", "--to", backup)
            writer.wait_for(len(before) + 5)
            writer.stopping.set()
            writer.join()
            assert writer.failure is None, writer.failure
        finally:
            server.terminate()
            server.wait(timeout=30)

        assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600, "the backup file is not 0600"
        with open(backup, "rb") as f:
            whole = f.read()
        refused = run(work, source, "backup", "--from", backup, expect=65)
        assert "is for restore" in refused.stderr, refused.stderr
        with open(backup, "rb") as f:
            assert f.read() == whole, "backup --from FILE changed FILE"
        truncated = os.path.join(work, "truncated.backup")
        with open(truncated, "wb") as f:
            f.write(whole[:whole.rindex(b"\n", 0, len(whole) // 2) + 1])
        missing = set(before) - project_codes(backup)
        assert not missing, f"acknowledged before the backup began, not in it: {sorted(missing)}"

        targets = ["sqlite:" + os.path.join(work, "restored.db")]
        if SCRATCH_MYSQL:
            F.recreate_mysql_database(SCRATCH_MYSQL)
            targets.append(SCRATCH_MYSQL)
        for target in targets:
            refused = run(work, target, "restore", "--from", truncated, expect=65)
            assert "backup is incomplete" in refused.stderr, refused.stderr
            assert table_count(target) == 0, f"a refused restore left tables in {target}"
            run(work, target, "restore", "--from", backup)
            refused = run(work, target, "restore", "--from", backup, expect=65)
            assert "is not empty" in refused.stderr, refused.stderr
            again = os.path.join(work, "again.backup")
            run(work, target, "backup", "--to", again)
            assert rows_of(again) == rows_of(backup), f"a backup of {target} differs from the original"
        # A pipe is read once (restore --from <(zcat FILE.gz)): the restore checks it as it loads.
        piped = "sqlite:" + os.path.join(work, "piped.db")
        env = dict(os.environ, CAPTRACK_DB_URL=piped)
        done = subprocess.run([CAPTRACK, "restore", "--from", "/dev/stdin"], cwd=work, env=env, input=whole,
                              capture_output=True, timeout=300)
        assert done.returncode == 0, f"restore from a pipe: exit {done.returncode}\n{done.stdout}{done.stderr}"
        run(work, piped, "backup", "--to", again)
        assert rows_of(again) == rows_of(backup), "a backup of the database restored from a pipe differs"
        print(f"ok: {len(before)} projects acknowledged before the backup, all restored; "
              f"{len(writer.acknowledged)} written in all; restored into {len(targets)} database(s)")


if __name__ == "__main__":
    main()
