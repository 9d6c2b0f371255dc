#!/usr/bin/env python3
"""A scripted month of the demo portfolio, and what "What changed" says of it (docs/HTTP.md).

    demo_month.py CAPTRACK

The real binary serves a fresh SQLite database seeded with `captrack seed --demo`. demo-reviewer
publishes "Month start" (as of today); then, through the API as demo-admin, a month of work: two open
milestones done, two forecasts moved 21 days later, one milestone cancelled, one added, one pledged
contribution committed, one project declared red, one finalising project closed, one baseline taken,
one project added. demo-reviewer publishes "Month end" as of 30 days later. GET /api/v1/reports/changes
must report each scripted change in its list, nothing it did not make (besides milestones that became
overdue in those 30 days, each checked against its due date), and totals before and after that add up;
the Markdown, CSV and HTML forms are written to demo-month/changes.* under the current folder (CTest's:
the build's tests/) for reading. Prints a summary of the changes (the note on issue 14 quotes it). Exits non-zero on the first
failure.
"""
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CAPTRACK = os.path.abspath(sys.argv[1])
PASSWORDS = {"demo-admin": "pw-month-admin-0123456", "demo-reviewer": "pw-month-reviewer-0123456"}


def fail(message):
    sys.exit(f"FAIL: {message}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    def __init__(self, base, token=None):
        self.base, self.token = base, token

    def call(self, method, path, body=None, if_match=None, raw=False):
        headers = {"Authorization": "Bearer " + self.token} if self.token else {}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        if if_match is not None:
            headers["If-Match"] = f'"{if_match}"'
        request = urllib.request.Request(self.base + "/api/v1" + path, method=method, headers=headers, data=data)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                payload = response.read()
                return payload if raw else (json.loads(payload) if payload else None)
        except urllib.error.HTTPError as error:
            fail(f"{method} {path}: {error.code} {error.read()[:300]!r}")

    def items(self, path):
        separator = "&" if "?" in path else "?"
        return self.call("GET", f"{path}{separator}limit=500")["items"]


def run(args, env, stdin=""):
    done = subprocess.run([CAPTRACK, *args], env=env, input=stdin, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        fail(f"captrack {' '.join(args)}: exit {done.returncode}\n{done.stdout}{done.stderr}")


def sign_in(base, user):
    token = Api(base).call("POST", "/auth/login", {"username": user, "password": PASSWORDS[user]})["token"]
    return Api(base, token)


def due(milestone):
    return milestone["forecast_date"] or milestone["baseline_date"]


def script_month(admin, today):
    """Makes the month's changes; returns what each list of the changes must hold, as sets of keys."""
    projects = admin.items("/projects?sort=code")
    running = [p for p in projects if p["status"] in ("implementation", "finalisation")]
    open_milestones = [(p, m) for p in running for m in admin.items(f"/projects/{p['id']}/milestones")
                       if m["status"] in ("planned", "in_progress")]
    expected = {"milestones": set(), "projects": set(), "contributions": set(), "health": set()}
    for _, m in open_milestones[:2]:
        admin.call("PATCH", f"/milestones/{m['id']}", {"status": "done", "actual_date": today.isoformat(),
                                                      "progress": 100}, m["version"])
        expected["milestones"].add(("completed", m["id"]))
    for _, m in open_milestones[2:4]:
        later = (datetime.date.fromisoformat(due(m)) + datetime.timedelta(days=21)).isoformat()
        admin.call("PATCH", f"/milestones/{m['id']}", {"forecast_date": later}, m["version"])
        expected["milestones"].add(("slipped", m["id"]))
    _, dropped = open_milestones[4]
    admin.call("PATCH", f"/milestones/{dropped['id']}", {"status": "cancelled"}, dropped["version"])
    expected["milestones"].add(("cancelled", dropped["id"]))
    added = admin.call("POST", f"/projects/{running[0]['id']}/milestones",
                       {"title": "Lessons learned workshop", "baseline_date": (today + datetime.timedelta(days=120)).isoformat()})
    expected["milestones"].add(("added", added["id"]))
    pledged = next(c for p in running for c in admin.items(f"/projects/{p['id']}/contributions") if c["state"] == "pledged" and c["amount_eur"] > 0)
    admin.call("PATCH", f"/contributions/{pledged['id']}", {"state": "committed"}, pledged["version"])
    expected["contributions"].add(("state", pledged["id"]))
    red = next(p for p in running if p["declared_health"] != "red" and p["status"] == "implementation")
    admin.call("PATCH", f"/projects/{red['id']}", {"declared_health": "red",
                                                   "declared_reason": "Prototype failed its sea trial"}, red["version"])
    expected["health"].add(red["id"])
    closing = next(p for p in running if p["status"] == "finalisation" and p["id"] != red["id"])
    closing = admin.call("GET", f"/projects/{closing['id']}")
    admin.call("PATCH", f"/projects/{closing['id']}", {"status": "closed"}, closing["version"])
    expected["projects"].add(("closed", closing["id"]))
    baselined = running[1] if running[1]["id"] != closing["id"] else running[2]
    admin.call("POST", f"/projects/{baselined['id']}/baselines", {"name": "Month re-plan", "reason": "Board decision"})
    expected["projects"].add(("rebaselined", baselined["id"]))
    new = admin.call("POST", "/projects", {"code": "DEMO-MONTH-001", "title": "Follow-on study", "kind": "scientific",
                                            "status": "pipeline", "visibility": "public"})
    expected["projects"].add(("added", new["id"]))
    return expected


def check(changes, expected, end):
    keys = lambda items, key: {(i["change"], i[key]) for i in items}
    milestones = keys(changes["milestones"], "milestone_id")
    extra = milestones - expected["milestones"]
    for change, mid in extra:
        item = next(i for i in changes["milestones"] if i["milestone_id"] == mid and i["change"] == change)
        # Besides the script's, only milestones that fell overdue in the 30 days, or a slip it caused.
        if change != "newly_overdue" or item["due_after"] >= end.isoformat():
            fail(f"unexpected milestone change {item}")
    if not expected["milestones"] <= milestones:
        fail(f"milestone changes missing: {expected['milestones'] - milestones}")
    projects = keys(changes["projects"], "project_id")
    if projects != expected["projects"]:
        fail(f"project changes {projects}, expected {expected['projects']}")
    if keys(changes["contributions"], "contribution_id") != expected["contributions"]:
        fail(f"contribution changes {changes['contributions']}")
    health = {h["project_id"] for h in changes["health"]}
    if not expected["health"] <= health:
        fail(f"health change of the red project missing: {changes['health']}")
    before, after = changes["totals"]["before"], changes["totals"]["after"]
    if after["projects"] != before["projects"] + 1:
        fail(f"projects {before['projects']} -> {after['projects']}")
    # One milestone added and one cancelled: the count of milestones holds; two more are done.
    if after["milestones"]["total"] != before["milestones"]["total"]:
        fail(f"milestones {before['milestones']} -> {after['milestones']}")
    if after["milestones"]["done"] != before["milestones"]["done"] + 2:
        fail(f"milestones done {before['milestones']} -> {after['milestones']}")
    moved = changes["contributions"][0]
    if after["contributions"]["committed_eur"] != before["contributions"]["committed_eur"] + moved["amount_eur_after"]:
        fail(f"committed EUR {before['contributions']} -> {after['contributions']} for {moved}")
    for side in (before, after):
        if sum(side["health"].values()) != side["projects"]:
            fail(f"health counts {side['health']} do not add up to {side['projects']} projects")


def main():
    work = tempfile.mkdtemp(prefix="captrack-month.")
    env = dict(os.environ, CAPTRACK_DB_URL=f"sqlite:{work}/captrack.db")
    run(["seed", "--demo"], env)
    for user, password in PASSWORDS.items():
        run(["user", "passwd", "--username", user, "--password-stdin"], env, password + "\n")
    port = free_port()
    server = subprocess.Popen([CAPTRACK, "serve", "--set", f"http.port={port}"], env=env,
                              stdout=open(f"{work}/captrack.log", "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        admin, reviewer = sign_in(base, "demo-admin"), sign_in(base, "demo-reviewer")
        today = datetime.datetime.now(datetime.timezone.utc).date()
        end = today + datetime.timedelta(days=30)
        reviewer.call("POST", "/reports/snapshots", {"name": "Month start"})
        expected = script_month(admin, today)
        reviewer.call("POST", "/reports/snapshots", {"name": "Month end", "as_of": end.isoformat()})
        changes = reviewer.call("GET", "/reports/changes?from=Month%20start&to=Month%20end")
        check(changes, expected, end)
        out = os.path.join(os.getcwd(), "demo-month")
        os.makedirs(out, exist_ok=True)
        for form in ("md", "csv", "html"):
            with open(os.path.join(out, f"changes.{form}"), "wb") as file:
                file.write(reviewer.call("GET", f"/reports/changes?from=Month%20start&to=Month%20end&format={form}",
                                         raw=True))
        before, after = changes["totals"]["before"], changes["totals"]["after"]
        count = lambda change: sum(1 for m in changes["milestones"] if m["change"] == change)
        print(f"Month start ({today}) -> Month end ({end}): {len(changes['health'])} health changes, "
              f"{len(changes['projects'])} project changes, {len(changes['milestones'])} milestone changes "
              f"({count('completed')} completed, {count('slipped')} slipped, {count('newly_overdue')} newly overdue, "
              f"{count('added')} added, {count('cancelled')} cancelled), {len(changes['contributions'])} contribution "
              f"changes; health green/amber/red/none {list(before['health'].values())} -> "
              f"{list(after['health'].values())}; overdue {before['milestones']['overdue']} -> "
              f"{after['milestones']['overdue']}; committed EUR {before['contributions']['committed_eur']} -> "
              f"{after['contributions']['committed_eur']}")
        for h in changes["health"]:
            reasons = "; ".join(h["to"]["reasons"]) or ("declared" if h["to"]["declared"] else "no computed health")
            print(f"  {h['project_code']}: {h['from']['effective']} -> {h['to']['effective']} ({reasons})")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
