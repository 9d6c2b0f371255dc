#!/usr/bin/env python3
"""Webhooks survive a crash between commit and delivery (issue 14, item 5; docs/HTTP.md "Webhooks").

The real binary on SQLite: an admin registers an endpoint whose receiver is not listening yet, a lead's
writes make two `milestone.changed` events (committed in the writes' transactions), and the server is
SIGKILLed before it could deliver either. The receiver then starts, the server restarts on the same
database, and the receiver must get each event exactly once, in order, each with a valid HMAC-SHA256
signature over "<timestamp>.<body>"; the delivery log must say so too. Then a server whose worker waits
for an endpoint that never answers (10 s timeout) is sent SIGTERM and must exit 0 at once.

Usage: crash_delivery.py --captrack BINARY [--ports FIRST-LAST]. Prints PASS or FAIL; exits 0 or 1."""

import hashlib
import hmac
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))
import faultlib as F  # noqa: E402

SECRET = "crash-trial-secret-0123456789"
# Deliveries looked for every 100 ms; a refused attempt retried after 1 s (at most 2 s).
SETTINGS = {"webhooks.poll_ms": "100", "webhooks.retry_base_seconds": "1", "webhooks.retry_cap_seconds": "2",
            "webhooks.timeout_ms": "1000"}


class Receiver:
    """An HTTP endpoint that keeps every request (headers, body) and answers 200."""

    def __init__(self, port):
        self.requests = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.requests.append((dict(self.headers.items()), body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self):
        with self.lock:
            return list(self.requests)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def unused_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_deliveries(received, failures):
    ids = []
    for headers, body in received:
        expected = "sha256=" + hmac.new(SECRET.encode(), headers["X-Captrack-Timestamp"].encode() + b"." + body,
                                        hashlib.sha256).hexdigest()
        if headers.get("X-Captrack-Signature") != expected:
            failures.append(f"bad signature on delivery {headers.get('X-Captrack-Delivery')}")
        payload = json.loads(body)
        if str(payload["id"]) != headers.get("X-Captrack-Delivery"):
            failures.append("the body's id is not X-Captrack-Delivery")
        ids.append((payload["id"], payload["action"], payload["data"]["progress"]))
    if [action for _, action, _ in ids] != ["create", "update"] or sorted(ids) != ids:
        failures.append(f"not the two events in order: {ids[:6]}")
    if len({i for i, _, _ in ids}) != len(ids):
        failures.append(f"an event delivered twice: {ids[:6]}")
    return ids


def trial(ctx):
    failures = []
    db = ctx.fresh_database("sqlite", "hooks")
    F.add_user(ctx, db, "admin", "admin")
    server = ctx.server(db, "a", SETTINGS).start()
    admin = server.client(F.sign_in(server.port, "admin"))
    port = unused_port()  # nobody listens there yet: every attempt is refused
    hook = F.expect(admin.request("POST", "/api/v1/webhooks", {
        "url": f"http://127.0.0.1:{port}/hook", "secret": SECRET, "events": ["milestone.changed"]}), 201, "webhook")
    project = F.create_project(admin, "HOOK-1")
    milestone = F.expect(F.create_milestone(admin, project["id"], "Crash trial"), 201, "milestone")
    F.expect(F.patch_milestone(admin, milestone["id"], 1, {"progress": 40}), 200, "patch")
    server.kill()  # SIGKILL: both events committed, neither delivered
    log = F.log
    log(f"killed with 2 events committed and the receiver down (port {port})")

    receiver = Receiver(port)
    try:
        server.start()
        started = time.monotonic()
        while len(receiver.received()) < 2 and time.monotonic() - started < 30:
            time.sleep(0.05)
        log(f"after the restart: {len(receiver.received())} deliveries in {time.monotonic() - started:.1f} s")
        time.sleep(1.5)  # long enough for a duplicate to arrive, were one sent
        received = receiver.received()
    finally:
        receiver.close()
    if len(received) != 2:
        failures.append(f"{len(received)} deliveries, not 2")
    log(f"delivered: {check_deliveries(received, failures)}")
    admin = server.client(F.sign_in(server.port, "admin"))
    entries = F.expect(admin.get(f"/api/v1/webhooks/{hook['id']}/deliveries"), 200, "delivery log")["items"]
    if [e["status"] for e in entries] != ["delivered", "delivered"]:
        failures.append(f"the log says {[(e['status'], e['attempts']) for e in entries][:6]}")
    server.stop()
    stop_during_attempt(ctx, db, hook["id"], failures)
    return failures


def stop_during_attempt(ctx, db, hook_id, failures):
    """SIGTERM while an attempt waits for an endpoint that never answers (10 s timeout): the server must
    still stop at once (the attempt is cut and stays pending)."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections complete in the kernel; nothing is ever read or answered
    try:
        server = ctx.server(db, "b", {**SETTINGS, "webhooks.timeout_ms": "10000"}).start()
        admin = server.client(F.sign_in(server.port, "admin"))
        hook = F.expect(admin.get(f"/api/v1/webhooks/{hook_id}"), 200, "webhook")
        F.expect(admin.request("PATCH", f"/api/v1/webhooks/{hook_id}",
                               {"url": f"http://127.0.0.1:{silent.getsockname()[1]}/hook"},
                               {"If-Match": f'"{hook["version"]}"'}), 200, "point at a silent endpoint")
        F.expect(F.patch_milestone(admin, 1, 2, {"progress": 60}), 200, "patch")
        time.sleep(0.5)  # the attempt is now waiting for an answer
        started = time.monotonic()
        server.stop()
        seconds = time.monotonic() - started
        F.log(f"SIGTERM during an attempt: exit {server.process.returncode} after {seconds:.2f} s")
        if server.process.returncode != 0 or seconds > 3:
            failures.append(f"stop during an attempt: exit {server.process.returncode} after {seconds:.1f} s")
    finally:
        silent.close()


if __name__ == "__main__":
    sys.exit(F.run_trial("webhooks-crash-delivery", __doc__, trial))
