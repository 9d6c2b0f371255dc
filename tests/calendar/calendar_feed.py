#!/usr/bin/env python3
"""Calendar feeds read by a real iCalendar parser (docs/HTTP.md "Calendar feeds").

    calendar_feed.py CAPTRACK

The real binary serves a fresh SQLite database seeded with `captrack seed --demo`. demo-lead and
demo-partner (Moldova) each make a feed (POST /api/v1/me/calendar); python3-icalendar parses both, and
every event must match the JSON API's milestones of that user: one event per milestone of each project
the user may list, on its forecast date (else its baseline date), with its project's code and its title
as the summary, nothing else. Every project in the partner's feed must answer the partner's GET, and
the demo portfolio's projects the partner may not see must be absent. A revoked feed answers 404, as
an unknown one does, with the same body. No secret reaches the server's log. Exits non-zero on the first
failure; 77 (skipped) when python3-icalendar is not installed.
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
PASSWORDS = {"demo-lead": "pw-calendar-lead-0123456", "demo-partner": "pw-calendar-partner-0123456"}


def fail(message):
    sys.exit(f"FAIL: {message}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, method="GET", token=None, body=None):
    """(status, content type, body bytes); status 0 when nothing answers."""
    headers = {"Authorization": "Bearer " + token} if token else {}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    request = urllib.request.Request(url, method=method, headers=headers, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()
    except (urllib.error.URLError, ConnectionError):
        return 0, "", b""


def json_of(base, path, token):
    status, _, body = call(base + path, token=token)
    if status != 200:
        fail(f"GET {path}: {status} {body[:300]!r}")
    return json.loads(body)


def everything(base, path, token):
    """Every item of a list, page by page."""
    items, offset = [], 0
    while True:
        separator = "&" if "?" in path else "?"
        page = json_of(base, f"{path}{separator}limit=500&offset={offset}", token)
        items += page["items"]
        offset += len(page["items"])
        if offset >= page["total"] or not page["items"]:
            return items


def run(args, env, stdin=""):
    done = subprocess.run([CAPTRACK, *args], env=env, input=stdin, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        fail(f"captrack {' '.join(args)}: exit {done.returncode}\n{done.stdout}{done.stderr}")


def expected_events(base, token):
    """{uid suffix: (date, summary)} of the JSON API's milestones of every project the user may list."""
    expected = {}
    for project in everything(base, "/api/v1/projects", token):
        for milestone in everything(base, f"/api/v1/projects/{project['id']}/milestones", token):
            due = milestone["forecast_date"] or milestone["baseline_date"]
            expected[milestone["id"]] = (datetime.date.fromisoformat(due),
                                         f"{project['code']}: {milestone['title']}")
    return expected


def check_feed(icalendar, base, user, token, feed_url):
    status, content_type, body = call(feed_url)
    if status != 200 or not content_type.startswith("text/calendar"):
        fail(f"{user}'s feed: {status} {content_type}")
    calendar = icalendar.Calendar.from_ical(body)
    if str(calendar.get("VERSION")) != "2.0" or "captrack" not in str(calendar.get("PRODID")):
        fail(f"{user}'s feed: VERSION {calendar.get('VERSION')} PRODID {calendar.get('PRODID')}")
    events = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID"))
        milestone_id = int(uid.split("@")[0].removeprefix("milestone-"))
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND")
        if isinstance(start, datetime.datetime) or end - start != datetime.timedelta(days=1):
            fail(f"{user}'s event {uid}: not one whole day ({start!r} to {end!r})")
        if milestone_id in events:
            fail(f"{user}'s feed: UID {uid} twice")
        events[milestone_id] = (start, str(event.get("SUMMARY")))
        for name in ("DTSTAMP", "DESCRIPTION", "LAST-MODIFIED"):
            if event.get(name) is None:
                fail(f"{user}'s event {uid} has no {name}")
    expected = expected_events(base, token)
    if events != expected:
        missing = sorted(set(expected) - set(events))[:5]
        extra = sorted(set(events) - set(expected))[:5]
        wrong = [(k, events[k], expected[k]) for k in set(events) & set(expected) if events[k] != expected[k]][:3]
        fail(f"{user}'s feed differs from the API: missing {missing}, extra {extra}, different {wrong}")
    print(f"{user}: {len(events)} events, each as the API shows its milestone")
    return events


def main():
    try:
        import icalendar
    except ImportError:
        print("SKIP: python3-icalendar is not installed (scripts/install-deps.sh --test installs it)")
        return 77
    work = tempfile.mkdtemp(prefix="captrack-calendar.")
    env = dict(os.environ, CAPTRACK_DB_URL=f"sqlite:{work}/captrack.db")
    run(["seed", "--demo"], env)
    for user, password in PASSWORDS.items():
        run(["user", "passwd", "--username", user, "--password-stdin"], env, password + "\n")
    port = free_port()
    log_path = f"{work}/captrack.log"
    server = subprocess.Popen([CAPTRACK, "serve", "--set", f"http.port={port}", "--set", "log.level=information"],
                              env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while call(base + "/healthz")[0] != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                fail(f"captrack did not start:\n{open(log_path).read()}")
            time.sleep(0.2)

        tokens, feeds, events = {}, {}, {}
        for user, password in PASSWORDS.items():
            status, _, body = call(base + "/api/v1/auth/login", "POST",
                                   body={"username": user, "password": password})
            if status != 200:
                fail(f"sign-in of {user}: {status} {body!r}")
            tokens[user] = json.loads(body)["token"]
            status, _, body = call(base + "/api/v1/me/calendar", "POST", tokens[user])
            if status != 201:
                fail(f"POST /me/calendar as {user}: {status} {body!r}")
            feeds[user] = json.loads(body)["url"]
            events[user] = check_feed(icalendar, base, user, tokens[user], feeds[user])

        # The partner's feed: only projects the partner may GET, and fewer than the lead's.
        lead_projects = {code.split(":")[0] for _, code in events["demo-lead"].values()}
        partner_projects = {code.split(":")[0] for _, code in events["demo-partner"].values()}
        for code in partner_projects:
            status, _, _ = call(f"{base}/api/v1/projects/{code}", token=tokens["demo-partner"])
            if status != 200:
                fail(f"demo-partner's feed holds {code}, which demo-partner may not GET ({status})")
        hidden = lead_projects - partner_projects
        if not partner_projects or not hidden:
            fail(f"the demo partner should see some projects and not others: sees {len(partner_projects)} "
                 f"of {len(lead_projects)}")
        for code in hidden:
            status, _, _ = call(f"{base}/api/v1/projects/{code}", token=tokens["demo-partner"])
            if status == 200:
                fail(f"demo-partner's feed leaves out {code}, which it may see: its milestones are missing")
        print(f"demo-partner: {len(partner_projects)} projects, none of the {len(hidden)} hidden from it")

        # Revoked: 404, exactly as an address that never was.
        status, _, _ = call(base + "/api/v1/me/calendar", "DELETE", tokens["demo-partner"])
        if status != 204:
            fail(f"DELETE /me/calendar: {status}")
        revoked = call(feeds["demo-partner"])
        unknown = call(f"{base}/calendar/{'0' * 64}.ics")
        if revoked[0] != 404 or revoked != unknown or "problem+json" not in revoked[1]:
            fail(f"the revoked feed answered {revoked[0]} {revoked[1]} {revoked[2][:200]!r}, "
                 f"an unknown one {unknown[0]} {unknown[1]} {unknown[2][:200]!r}")
        print("the revoked feed answers 404, as an unknown one does")
    finally:
        server.terminate()
        server.wait(timeout=60)
    log = open(log_path).read()
    for user, url in feeds.items():
        secret = url.rsplit("/", 1)[1].removesuffix(".ics")
        if secret in log:
            fail(f"{user}'s feed secret is in the server's log")
    if "GET /calendar/***** 200" not in log:
        fail("the access log shows no feed request (is the access log on?)")
    print("no secret in the server's log")
    return 0


if __name__ == "__main__":
    sys.exit(main())
