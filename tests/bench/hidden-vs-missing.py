#!/usr/bin/env python3
"""Times a partner's GET of projects it may not see against GETs of projects that do not exist.

docs/DOMAIN.md "Who uses it": a partner asking for a project it may not see gets the 404 of a project that
does not exist, and issue 8 asks that it cost the same, so that timing does not tell them apart.
Run on demand (never by CTest), against a Release build:

    tests/bench/hidden-vs-missing.py build/release/captrack [ROUNDS] [DB_URL]

DB_URL (default: a SQLite file in the temporary folder) may name an empty MariaDB database. It seeds the demo portfolio into a temporary folder, serves it on a free 127.0.0.1 port, signs in as
demo-partner (Moldova) and sends ROUNDS (default 3000) rounds of interleaved requests, one of each
probe per round in a shuffled order, on one keep-alive connection. It prints the median, mean and 90th
percentile of each probe in milliseconds, and checks that every probe answered 404.
"""
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

PROBES = [
    ("hidden code (restricted)", "/api/v1/projects/DEMO-DCB-003"),
    ("hidden code (participants)", "/api/v1/projects/DEMO-OCC-002"),
    ("missing code", "/api/v1/projects/DEMO-ZZZ-999"),
    ("hidden id (restricted)", "/api/v1/projects/{DEMO-DCB-003}"),
    ("missing id", "/api/v1/projects/999999"),
    ("hidden project's milestones", "/api/v1/projects/{DEMO-DCB-003}/milestones"),
    ("missing project's milestones", "/api/v1/projects/999999/milestones"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(conn, path, token, body=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request("POST" if body is not None else "GET", path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def sign_in(conn, username, password):
    status, body = request(conn, "/api/v1/auth/login", None,
                           json.dumps({"username": username, "password": password}))
    if status != 200:
        sys.exit("sign-in of %s: %d %s" % (username, status, body))
    return json.loads(body)["token"]


def main():
    binary = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    work = tempfile.mkdtemp(prefix="captrack-timing.")
    port = free_port()
    common = ["--set", "log.level=warning", "--set", "http.port=%d" % port]
    if len(sys.argv) > 3:
        common += ["--set", "db.url=" + sys.argv[3]]
    seeded = subprocess.run([binary, "seed", "--demo"] + common, cwd=work, check=True, capture_output=True,
                            text=True).stdout
    passwords = dict(re.findall(r"^\s+(demo-\w+)\s+(\S+)$", seeded, re.M))
    server = subprocess.Popen([binary, "serve"] + common, cwd=work, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(500):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.01)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        admin = sign_in(conn, "demo-admin", passwords["demo-admin"])
        ids = {}
        for code in ("DEMO-DCB-003",):
            ids["{" + code + "}"] = str(json.loads(request(conn, "/api/v1/projects/" + code, admin)[1])["id"])
        token = sign_in(conn, "demo-partner", passwords["demo-partner"])
        probes = []
        for name, path in PROBES:
            for key, value in ids.items():
                path = path.replace(key, value)
            probes.append((name, path))
        times = {name: [] for name, _ in probes}
        for name, path in probes * 200:  # warm-up
            request(conn, path, token)
        for _ in range(rounds):
            random.shuffle(probes)
            for name, path in probes:
                started = time.perf_counter()
                status, _ = request(conn, path, token)
                times[name].append((time.perf_counter() - started) * 1000)
                if status != 404:
                    sys.exit("%s (%s) answered %d, not 404" % (name, path, status))
        print("%-30s %8s %8s %8s   (ms, %d requests each)" % ("probe", "median", "mean", "p90", rounds))
        for name, _ in PROBES:
            t = sorted(times[name])
            print("%-30s %8.3f %8.3f %8.3f" % (name, statistics.median(t), statistics.mean(t),
                                               t[int(len(t) * 0.9)]))
    finally:
        server.terminate()
        server.wait()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
