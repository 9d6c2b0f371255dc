#!/usr/bin/env python3
"""The outsider's attacks of issue 8, measured against a running captrack (run-security-bench.sh).

Usage: attacks.py PORT SERVER_PID ADMIN_PASSWORD PARTNER_PASSWORD
Prints one block of figures per attack; exits non-zero when an attack is not refused or bounded.
Standard library only.
"""
import http.client
import json
import socket
import statistics
import sys
import threading
import time

PORT, PID = int(sys.argv[1]), int(sys.argv[2])
ADMIN_PASSWORD, PARTNER_PASSWORD = sys.argv[3], sys.argv[4]
FAILURES = []


def rss_kb():
    with open(f"/proc/{PID}/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def request(method, path, body=None, token=None, content_type="application/json", connection=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {}
    if token:
        headers["Authorization"] = "Bearer " + token
    if body is not None:
        headers["Content-Type"] = content_type
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, data
    except (ConnectionError, http.client.HTTPException) as error:
        return 0, str(error).encode()
    finally:
        if own:
            connection.close()


def sign_in(username, password):
    status, data = request("POST", "/api/v1/auth/login", json.dumps({"username": username, "password": password}))
    if status != 200:
        sys.exit(f"sign-in of {username} failed: {status} {data[:200]}")
    return json.loads(data)["token"]


def expect(what, ok):
    print(f"  {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        FAILURES.append(what)


def bomb(size=1 << 20):
    head = '{"username": ['
    return head + "0," * ((size - len(head) - 3) // 2) + "0]}"


def memory_bombs(admin):
    print("== 1 MiB bodies of tiny JSON values (finding 3)")
    body = bomb()
    before, _ = rss_kb()
    cases = [
        ("anonymous POST /api/v1/auth/login", "/api/v1/auth/login", None, 413),
        ("anonymous POST /api/v1/partners", "/api/v1/partners", None, 401),
        ("bogus token POST /api/v1/partners", "/api/v1/partners", "ct_" + "0" * 64, 401),
        ("admin POST /api/v1/partners", "/api/v1/partners", admin, 400),
    ]
    for name, path, token, status in cases:
        statuses = [request("POST", path, body, token)[0] for _ in range(20)]
        rss, peak = rss_kb()
        expect(f"{name} x20: statuses {sorted(set(statuses))} (want {status}); RSS {rss / 1024:.1f} MiB, "
               f"growth {(rss - before) / 1024:+.1f} MiB, peak {peak / 1024:.1f} MiB", set(statuses) == {status})
    rss, peak = rss_kb()
    expect(f"RSS after 80 bombs {rss / 1024:.1f} MiB (start {before / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB): "
           f"growth under 32 MiB", rss - before < 32 * 1024)


def health_latency(samples):
    connection = socket.create_connection(("127.0.0.1", PORT), timeout=15)
    start = time.perf_counter()
    connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answer = connection.recv(64)
    samples.append((time.perf_counter() - start) * 1000 if answer.startswith(b"HTTP/1.1 200") else float("inf"))
    connection.close()


def slow_clients(count=300, seconds=12):
    print(f"== {count} slow clients dribbling a request line, 1 byte each per 0.5 s (finding 4)")
    sockets = []
    for i in range(count):
        s = socket.create_connection(("127.0.0.1", PORT))
        s.sendall(b"GET /heal" if i % 2 else b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        sockets.append(s)
    samples, stop = [], time.time() + seconds
    while time.time() < stop:
        for s in sockets:
            try:
                s.send(b"t")
            except OSError:
                pass
        health_latency(samples)
        time.sleep(0.5)
    closed = 0
    for s in sockets:
        s.settimeout(0.2)
        try:
            data = s.recv(64)
            closed += data == b"" or data.startswith(b"HTTP/1.1 408")
        except OSError:
            closed += 1
        s.close()
    worst = max(samples)
    expect(f"/healthz with {count} slow clients: {len(samples)} probes, median {statistics.median(samples):.1f} ms, "
           f"max {worst:.1f} ms (want < 3000 ms)", worst < 3000)
    expect(f"slow clients closed by the server after the deadline: {closed} of {count}", closed == count)


def timed_gets(token, path, rounds):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        status, _ = request("GET", path, token=token, connection=connection)
        times.append((time.perf_counter() - start) * 1e6)
        if status != 404:
            FAILURES.append(f"{path} answered {status}")
    connection.close()
    return times


def hidden_versus_missing(admin, partner, rounds=3000):
    print("== a partner's GET of a hidden project's code vs a code that does not exist (finding 7)")
    status, data = request("GET", "/api/v1/projects?visibility=restricted&limit=1", token=admin)
    hidden = json.loads(data)["items"][0]["code"]
    missing = "ZZ-NONE-0001"
    paths = [f"/api/v1/projects/{hidden}", f"/api/v1/projects/{missing}",
             f"/api/v1/projects/{hidden}/summary", f"/api/v1/projects/{missing}/summary"]
    for path in paths:
        timed_gets(partner, path, 200)  # warm up
    results = {path: [] for path in paths}
    for _ in range(5):  # interleaved, so drift hits both alike
        for path in paths:
            results[path] += timed_gets(partner, path, rounds // 5)
    for kind in ("", "/summary"):
        h = statistics.median(results[f"/api/v1/projects/{hidden}{kind}"])
        m = statistics.median(results[f"/api/v1/projects/{missing}{kind}"])
        expect(f"GET /projects/{{code}}{kind}: hidden {h:.0f} us, missing {m:.0f} us (median of {rounds}), "
               f"ratio {h / m:.2f} (want 0.8..1.25)", 0.8 <= h / m <= 1.25)


def sign_in_race(username="demo-reviewer", parallel=16):
    print(f"== {parallel} parallel wrong passwords for one username (finding 6)")
    statuses, barrier = [], threading.Barrier(parallel)

    def guess():
        body = json.dumps({"username": username, "password": "wrong-password-0"})
        barrier.wait()
        statuses.append(request("POST", "/api/v1/auth/login", body)[0])

    threads = [threading.Thread(target=guess) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures, throttled = statuses.count(401), statuses.count(429)
    expect(f"{failures} x 401 and {throttled} x 429 (want at most 5 x 401, the rest 429)",
           failures <= 5 and failures + throttled == parallel)


def main():
    admin = sign_in("demo-admin", ADMIN_PASSWORD)
    partner = sign_in("demo-partner", PARTNER_PASSWORD)
    rss, _ = rss_kb()
    print(f"server pid {PID}, RSS at start {rss / 1024:.1f} MiB")
    memory_bombs(admin)
    slow_clients()
    hidden_versus_missing(admin, partner)
    sign_in_race()
    print("FAILED: " + "; ".join(FAILURES) if FAILURES else "all attacks refused or bounded")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
