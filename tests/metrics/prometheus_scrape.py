#!/usr/bin/env python3
"""Debian's Prometheus scrapes a running captrack (docs/OPERATING-metrics.md).

    prometheus_scrape.py CAPTRACK

A server runs on a fresh SQLite database with no address allowed to read /metrics and a metrics token
set through the environment (CAPTRACK_METRICS_TOKEN). Prometheus (the `prometheus` package) scrapes it
every second twice over: job `captrack` with the token as its bearer credentials, job
`captrack-no-token` without. Then Prometheus' HTTP API must show up == 1 for the first and up == 0 for
the second, and the first's series with their labels: requests by route template, method and status,
the latency histogram, the database pool, sign-in failures, build info with captrack's version.
`promtool check metrics` must find nothing to say about the exposition. Exits non-zero on the first
failure; 77 (skipped) when prometheus is not installed.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

CAPTRACK = os.path.abspath(sys.argv[1])
TOKEN = "metrics-token-for-the-scrape-test-0123456789"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, token=None, timeout=10):
    """(status, body); status 0 when nothing answers."""
    headers = {"Authorization": "Bearer " + token} if token else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, ConnectionError):
        return 0, ""


def wait_for(what, check, limit=60.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.25)
    sys.exit(f"FAIL: {what} within {limit:.0f} s")


def query(prometheus, expression):
    """The instant vector of a PromQL expression: [(labels, value)]."""
    status, body = get(f"{prometheus}/api/v1/query?" + urllib.parse.urlencode({"query": expression}))
    if status != 200:
        sys.exit(f"FAIL: query {expression}: {status} {body}")
    answer = json.loads(body)
    return [(item["metric"], float(item["value"][1])) for item in answer["data"]["result"]]


def main():
    if not shutil.which("prometheus") or not shutil.which("promtool"):
        print("SKIP: prometheus is not installed (scripts/install-deps.sh --test installs it)")
        return 77
    work = tempfile.mkdtemp(prefix="captrack-prometheus.")
    processes = []
    try:
        env = dict(os.environ, CAPTRACK_DB_URL=f"sqlite:{work}/captrack.db", CAPTRACK_METRICS_TOKEN=TOKEN)
        for args in (["migrate"], ["user", "add", "--username", "scraper-admin", "--role", "admin",
                                   "--password-stdin"]):
            done = subprocess.run([CAPTRACK, *args], env=env, input="pw-scraper-admin-0123456\n",
                                  capture_output=True, text=True, timeout=120)
            if done.returncode != 0:
                sys.exit(f"FAIL: captrack {' '.join(args)}: {done.stdout}{done.stderr}")
        port = free_port()
        server = subprocess.Popen([CAPTRACK, "serve", "--set", f"http.port={port}", "--set", "metrics.allow="],
                                  env=env, stdout=open(f"{work}/captrack.log", "w"), stderr=subprocess.STDOUT)
        processes.append(server)
        base = f"http://127.0.0.1:{port}"
        wait_for("captrack answering /healthz", lambda: get(base + "/healthz")[0] == 200 if server.poll() is None
                 else sys.exit(f"FAIL: captrack exited: {open(work + '/captrack.log').read()}"))

        # Something to count: a sign-in refused, one accepted, a list read, a path that is not there.
        login = urllib.request.Request(base + "/api/v1/auth/login", method="POST",
                                       headers={"Content-Type": "application/json"},
                                       data=json.dumps({"username": "scraper-admin", "password": "wrong-0123456"}).encode())
        try:
            urllib.request.urlopen(login, timeout=30)
        except urllib.error.HTTPError as error:
            assert error.code == 401, error.code
        get(base + "/no/such/path")
        status, _ = get(base + "/metrics")
        if status != 403:
            sys.exit(f"FAIL: /metrics without the token from a denied address answered {status}, not 403")

        # The exposition, linted by Prometheus' own tool.
        status, exposition = get(base + "/metrics", TOKEN)
        if status != 200:
            sys.exit(f"FAIL: /metrics with the token answered {status}")
        lint = subprocess.run(["promtool", "check", "metrics"], input=exposition, capture_output=True, text=True)
        if lint.returncode != 0 or lint.stdout.strip() or lint.stderr.strip():
            sys.exit(f"FAIL: promtool check metrics (exit {lint.returncode}):\n{lint.stdout}{lint.stderr}")

        with open(f"{work}/token", "w") as token_file:
            token_file.write(TOKEN)
        with open(f"{work}/prometheus.yml", "w") as config:
            config.write(f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: captrack
    authorization:
      type: Bearer
      credentials_file: {work}/token
    static_configs:
      - targets: ["127.0.0.1:{port}"]
  - job_name: captrack-no-token
    static_configs:
      - targets: ["127.0.0.1:{port}"]
""")
        prometheus_port = free_port()
        prometheus = f"http://127.0.0.1:{prometheus_port}"
        processes.append(subprocess.Popen(
            ["prometheus", f"--config.file={work}/prometheus.yml", f"--storage.tsdb.path={work}/data",
             f"--web.listen-address=127.0.0.1:{prometheus_port}"],
            stdout=open(f"{work}/prometheus.log", "w"), stderr=subprocess.STDOUT))
        wait_for("Prometheus ready", lambda: get(prometheus + "/-/ready")[0] == 200)

        def scraped():
            up = {labels["job"]: value for labels, value in query(prometheus, "up")}
            return up if len(up) == 2 else None
        up = wait_for("both jobs scraped once", scraped)
        if up != {"captrack": 1.0, "captrack-no-token": 0.0}:
            sys.exit(f"FAIL: up is {up}, expected 1 with the token and 0 without")

        expected = {
            'captrack_http_requests_total{job="captrack",route="/api/v1/auth/login",method="POST",status="401"}': 1,
            'captrack_http_requests_total{job="captrack",route="unmatched",method="GET",status="404"}': 1,
            'captrack_http_requests_total{job="captrack",route="/healthz",method="GET",status="200"}': None,
            'captrack_http_request_duration_seconds_bucket{job="captrack",route="/api/v1/auth/login",le="+Inf"}': 1,
            'captrack_http_requests_in_flight{job="captrack"}': None,
            'captrack_db_pool_max_sessions{job="captrack"}': None,
            'captrack_db_pool_sessions_idle{job="captrack"}': None,
            'captrack_sign_in_failures_total{job="captrack"}': 1,
            'captrack_report_build_duration_seconds_count{job="captrack",report="portfolio"}': 0,
            'captrack_start_time_seconds{job="captrack"}': None,
        }
        version = subprocess.run([CAPTRACK, "--version"], capture_output=True, text=True).stdout.split()[-1]
        expected[f'captrack_build_info{{job="captrack",version="{version}"}}'] = 1
        for expression, value in expected.items():
            found = query(prometheus, expression)
            if len(found) != 1 or (value is not None and found[0][1] != value):
                sys.exit(f"FAIL: {expression} is {found}, expected one series" +
                         (f" of value {value}" if value is not None else ""))
            print(f"  {expression} = {found[0][1]:g}")
        print(f"PASS: Prometheus scraped captrack {version}: up 1 with the token, 0 without; "
              f"{len(expected)} series with their labels")
        return 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
