#!/usr/bin/env python3
"""Reminders by e-mail end to end, with Debian's python3-aiosmtpd as the relay (docs/OPERATING-mail.md).

    mail_digest.py CAPTRACK

The real binary serves a fresh SQLite database seeded with `captrack seed --demo`, mailing to an aiosmtpd
sink on a free port, with a digest period of PERIOD seconds (mail.digest.period_seconds: the binary has
no settable clock, so the schedule is shortened instead). demo-lead gets an address from an admin
(PATCH /users/{id}); demo-admin leads one project and sets its own (PATCH /me/reminders); demo-reviewer
sets one and opts out. Each digest is parsed back with Python's email package and checked: recipient,
subject ("captrack: N milestones need your update", N the milestones listed), MIME headers, that every
overdue or due-soon milestone is one the lead's GET /me/needs-update lists, that every link is
<base>/#/projects/<the milestone's project>, and one digest per lead and period. A forecast moved later
must be listed as slipped in the next period's digest. Then the relay stops: the next period's digests
fail (the log says so) and are sent once the relay is back, still one per lead and period; SIGTERM ends the
server within 5 s. Last, an aiosmtpd that requires STARTTLS and AUTH (a self-signed certificate made with
openssl): without the certificate trusted nothing is sent and no credential given; with it
(mail.smtp.ca_file) the digests arrive after STARTTLS and AUTH PLAIN. Exits non-zero on the first
failure; 77 (skipped) when python3-aiosmtpd is not installed.
"""
import email
import email.policy
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

CAPTRACK = os.path.abspath(sys.argv[1])
PERIOD = 4
BASE_URL = "https://captrack.example.org/portfolio"
PASSWORDS = {"demo-admin": "pw-mail-admin-0123456", "demo-lead": "pw-mail-lead-0123456",
             "demo-reviewer": "pw-mail-reviewer-0123456"}
ADDRESSES = {"demo-lead": "lead@example.org", "demo-admin": "admin@example.org"}
SMTP_PASSWORD = "relay-secret-0123"


def fail(message):
    sys.exit(f"FAIL: {message}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, method="GET", token=None, body=None, headers=None):
    """(status, body as JSON or bytes); status 0 when nothing answers."""
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    request = urllib.request.Request(url, method=method, headers=headers, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError):
        return 0, b""


def expect(status, answer, what):
    if answer[0] != status:
        fail(f"{what}: {answer[0]} {answer[1]!r:.300}")
    return answer[1]


class Sink:
    """An aiosmtpd relay that keeps every message it accepts, and can be stopped and started again. With
    `tls`, it requires STARTTLS and then AUTH (aiosmtpd refuses MAIL before either), and keeps the logins."""

    def __init__(self, port, tls=None):
        from aiosmtpd.controller import Controller
        self.port, self.messages, self.logins, self.lock = port, [], [], threading.Lock()
        self.controller_class, self.controller, self.tls = Controller, None, tls

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult
        with self.lock:
            self.logins.append((mechanism, auth_data.login, auth_data.password))
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"captrack", SMTP_PASSWORD.encode()))

    def start(self):
        options = {}
        if self.tls:
            options = dict(tls_context=self.tls, require_starttls=True, authenticator=self.authenticate,
                           auth_required=True, auth_require_tls=True)
        self.controller = self.controller_class(self, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def parsed(self):
        with self.lock:
            return [(to, email.message_from_bytes(raw, policy=email.policy.default)) for to, raw in self.messages]


def run(args, env, stdin=""):
    done = subprocess.run([CAPTRACK, *args], env=env, input=stdin, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        fail(f"captrack {' '.join(args)}: exit {done.returncode}\n{done.stdout}{done.stderr}")


def wait_until(what, condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def digests(sink):
    """{(recipient, period): [message, ...]} of the digests received so far."""
    out = {}
    for to, message in sink.parsed():
        if message["X-Captrack-Kind"] == "digest":
            out.setdefault((to[0], message["X-Captrack-Period"]), []).append(message)
    return out


ITEM = re.compile(r"^- (\S+) '(.*)' \(milestone (\d+)\): (.*)\n  (\S+)$", re.MULTILINE)


def sections(body):
    """{section heading: [(milestone id, what, link)]} of a digest's body."""
    out = {}
    for block in body.split("\n\n"):
        heading, _, rest = block.partition("\n")
        items = [(int(m.group(3)), m.group(4), m.group(5)) for m in ITEM.finditer(rest)]
        if items:
            out[heading.split(" (")[0] if heading.startswith("Slipped") else heading] = items
    return out


def check_digest(message, user, token, base):
    """Checks one digest of `user`; returns its sections."""
    if message["To"] != ADDRESSES[user] or "captrack@example.org" not in message["From"]:
        fail(f"{user}'s digest: To {message['To']}, From {message['From']}")
    if message.get_content_type() != "text/plain" or message.get_content_charset() != "utf-8":
        fail(f"{user}'s digest: {message['Content-Type']}")
    if not str(message["X-Mailer"]).startswith("captrack/") or message["Date"] is None:
        fail(f"{user}'s digest: X-Mailer {message['X-Mailer']}, Date {message['Date']}")
    body = message.get_content()
    found = sections(body)
    ids = {item[0] for items in found.values() for item in items}
    match = re.fullmatch(r"captrack: (\d+) milestones? needs? your update", str(message["Subject"]))
    if not match or int(match.group(1)) != len(ids) or not ids:
        fail(f"{user}'s digest: subject {message['Subject']!r} but {len(ids)} milestones listed:\n{body}")
    listed = {item["id"] for item in expect(200, call(base + "/api/v1/me/needs-update", token=token),
                                            f"needs-update of {user}")["items"]}
    for heading, items in found.items():
        for milestone_id, _, link in items:
            if not heading.startswith("Slipped") and milestone_id not in listed:
                fail(f"{user}'s digest lists milestone {milestone_id} under {heading!r}; needs-update does not")
            milestone = expect(200, call(f"{base}/api/v1/milestones/{milestone_id}", token=token), "milestone")
            if link != f"{BASE_URL}/#/projects/{milestone['project_id']}":
                fail(f"{user}'s digest: milestone {milestone_id} links to {link}")
    if f"{BASE_URL}/#/reminders" not in body:
        fail(f"{user}'s digest does not say where to opt out")
    return found


def period_key(at):
    start = int(at) - int(at) % PERIOD
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start))


def sign_in(base):
    tokens = {}
    for user, password in PASSWORDS.items():
        answer = expect(200, call(base + "/api/v1/auth/login", "POST", body={"username": user, "password": password}),
                        f"sign-in of {user}")
        tokens[user] = answer["token"]
    return tokens


def set_addresses(base, tokens):
    """demo-lead's address by an admin; demo-admin's own and a project to lead; the reviewer opts out."""
    admin = tokens["demo-admin"]
    lead = expect(200, call(base + "/api/v1/users?username=demo-lead", token=admin), "users")["items"][0]
    expect(200, call(f"{base}/api/v1/users/{lead['id']}", "PATCH", admin, {"email": ADDRESSES["demo-lead"]},
                     {"If-Match": f'"{lead["version"]}"'}), "PATCH demo-lead's email")
    mine = expect(200, call(base + "/api/v1/me/reminders", token=admin), "GET /me/reminders")
    if mine["email"] is not None or mine["email_reminders"] is not True or mine["mail_enabled"] is not True:
        fail(f"demo-admin's settings before: {mine}")
    expect(422, call(base + "/api/v1/me/reminders", "PATCH", admin, {"email": "not an address"},
                     {"If-Match": f'"{mine["version"]}"'}), "a bad address")
    expect(200, call(base + "/api/v1/me/reminders", "PATCH", admin, {"email": ADDRESSES["demo-admin"]},
                     {"If-Match": f'"{mine["version"]}"'}), "PATCH demo-admin's reminders")
    reviewer = expect(200, call(base + "/api/v1/me/reminders", token=tokens["demo-reviewer"]), "reviewer's")
    answer = expect(200, call(base + "/api/v1/me/reminders", "PATCH", tokens["demo-reviewer"],
                              {"email": "reviewer@example.org", "email_reminders": False, "version": reviewer["version"]}),
                    "the reviewer opts out")
    if answer["email_reminders"] is not False:
        fail(f"the reviewer's opt-out: {answer}")
    # demo-admin leads the project of the last milestone on demo-lead's list, so that both have something.
    items = [i for i in expect(200, call(base + "/api/v1/me/needs-update", token=tokens["demo-lead"]),
                               "needs-update")["items"] if set(i["reasons"]) & {"overdue", "due_soon"}]
    projects = sorted({i["project_id"] for i in items})
    if len(projects) < 2:
        fail(f"the demo lead should have milestones to update in two projects or more: {projects}")
    project = expect(200, call(f"{base}/api/v1/projects/{projects[-1]}", token=admin), "project")
    me = expect(200, call(base + "/api/v1/me", token=admin), "me")
    expect(200, call(f"{base}/api/v1/projects/{project['id']}", "PATCH", admin, {"lead_user_id": me["id"]},
                     {"If-Match": f'"{project["version"]}"'}), "demo-admin leads a project")


def leads_digests_after(sink, after):
    """The periods later than `after` in which both leads have a digest, in order."""
    found = digests(sink)
    periods = sorted({p for (_, p) in found if p > after})
    return [p for p in periods if all((ADDRESSES[u], p) in found for u in ADDRESSES)]


def check_slip(sink, base, tokens):
    """A forecast moved 10 days later is listed as slipped in the next period's digest."""
    token = tokens["demo-lead"]
    while time.time() % PERIOD < 1.2:  # not in the second the period began: history times are whole seconds
        time.sleep(0.2)
    item = [i for i in expect(200, call(base + "/api/v1/me/needs-update", token=token), "needs-update")["items"]
            if set(i["reasons"]) & {"overdue", "due_soon"}][0]
    old_due = item["forecast_date"] or item["baseline_date"]
    year, month, day = map(int, old_due.split("-"))
    new_due = time.strftime("%Y-%m-%d", time.gmtime(time.mktime((year, month, day, 12, 0, 0, 0, 0, 0)) + 10 * 86400))
    changed_in = period_key(time.time())
    expect(200, call(f"{base}/api/v1/milestones/{item['id']}", "PATCH", token, {"forecast_date": new_due},
                     {"If-Match": f'"{item["version"]}"'}), "moving a forecast later")
    wait_until("the digest after the slip", lambda: leads_digests_after(sink, changed_in), 4 * PERIOD)
    period = leads_digests_after(sink, changed_in)[0]
    message = digests(sink)[(ADDRESSES["demo-lead"], period)][0]
    slipped = check_digest(message, "demo-lead", token, base).get("Slipped since the last digest", [])
    if (item["id"], f"due {new_due}, was {old_due} (+10 days)") not in [(i, w) for i, w, _ in slipped]:
        fail(f"milestone {item['id']} moved from {old_due} to {new_due} is not listed as slipped in period "
             f"{period}: {slipped}\n{message.get_content()}")
    print(f"the forecast moved 10 days later is listed as slipped in the digest of {period}")


def check_retry(sink, log_path):
    """The relay stops: a period's digests fail, and are sent once it is back."""
    sink.stop()
    failed = set()

    def failures():
        failed.update(re.findall(r"\(digest (\S+) to user \d+\) not sent", open(log_path).read()))
        return failed

    wait_until("a digest that the stopped relay could not take", failures, 3 * PERIOD)
    sink.start()
    print(f"relay stopped: the digests of {sorted(failed)} failed; relay started again")
    found = lambda: digests(sink)  # noqa: E731
    wait_until("the failed digests, sent once the relay is back",
               lambda: all((ADDRESSES[u], p) in found() for u in ADDRESSES for p in failures()), 4 * PERIOD)
    print(f"the digests of {sorted(failed)} reached the relay once it was back")


def serve(env, log_path, settings):
    """A captrack server with these settings, started; (process, base URL)."""
    port = free_port()
    settings = {"http.port": port, "mail.sender": "captrack@example.org", "mail.poll_seconds": 1,
                "mail.retry_seconds": 1, "mail.web_base_url": BASE_URL + "/", **settings}
    args = [CAPTRACK, "serve"] + [a for key, value in settings.items() for a in ("--set", f"{key}={value}")]
    server = subprocess.Popen(args, env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_until("captrack to start", lambda: call(base + "/healthz")[0] == 200 or server.poll() is not None, 60)
    if server.poll() is not None:
        fail(f"captrack did not start:\n{open(log_path).read()}")
    return server, base


def stop(server):
    """SIGTERM; fails unless the server exits 0 within 5 s (the mail worker must not hold it)."""
    server.terminate()
    started = time.monotonic()
    code = server.wait(timeout=60)
    if code != 0 or time.monotonic() - started > 5:
        fail(f"captrack stopped with {code} after {time.monotonic() - started:.1f} s")
    return time.monotonic() - started


def check_starttls(work, env):
    """STARTTLS and AUTH PLAIN against an aiosmtpd that requires both: with the relay's certificate trusted
    (mail.smtp.ca_file) the digests arrive; without, nothing is sent (in clear or otherwise) and the log
    says why."""
    import logging
    import ssl
    import warnings
    # aiosmtpd logs the refused handshake with a traceback, and warns about its own deprecated API.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="Session.login_data is deprecated")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{work}/relay.key",
                    "-out", f"{work}/relay.pem", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost"], check=True, capture_output=True)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(f"{work}/relay.pem", f"{work}/relay.key")
    sink = Sink(free_port(), tls)
    sink.start()
    relay = {"mail.smtp.host": "localhost", "mail.smtp.port": sink.port, "mail.starttls": "required",
             "mail.smtp.username": "captrack", "mail.digest.period_seconds": PERIOD}
    secret_env = dict(env, CAPTRACK_MAIL_SMTP_PASSWORD=SMTP_PASSWORD)
    try:
        log_path = f"{work}/untrusted.log"
        server, _ = serve(secret_env, log_path, relay)
        wait_until("a refused certificate in the log", lambda: " not sent, attempt " in open(log_path).read(), 3 * PERIOD)
        stop(server)
        if sink.messages or sink.logins:
            fail(f"mail or credentials reached a relay whose certificate is not trusted: {sink.logins}")
        print("untrusted relay certificate: nothing sent, no credentials given; the log says: " +
              re.search(r"not sent, attempt .*", open(log_path).read()).group(0)[:160])
        server, _ = serve(secret_env, f"{work}/tls.log", {**relay, "mail.smtp.ca_file": f"{work}/relay.pem"})
        wait_until("digests through STARTTLS", lambda: len(digests(sink)) >= len(ADDRESSES), 3 * PERIOD)
        stop(server)
    finally:
        sink.stop()
    if {login for login in sink.logins} != {("PLAIN", b"captrack", SMTP_PASSWORD.encode())}:
        fail(f"logins: {sink.logins}")
    print(f"trusted relay: {len(sink.messages)} digests through STARTTLS and AUTH PLAIN (aiosmtpd refuses "
          "MAIL without both)")


def main():
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        print("SKIP: python3-aiosmtpd is not installed (scripts/install-deps.sh --test installs it)")
        return 77
    work = tempfile.mkdtemp(prefix="captrack-mail.")
    env = dict(os.environ, CAPTRACK_DB_URL=f"sqlite:{work}/captrack.db")
    run(["seed", "--demo"], env)
    for user, password in PASSWORDS.items():
        run(["user", "passwd", "--username", user, "--password-stdin"], env, password + "\n")
    sink = Sink(free_port())
    sink.start()
    log_path = f"{work}/captrack.log"
    server, base = serve(env, log_path, {"mail.smtp.host": "127.0.0.1", "mail.smtp.port": sink.port,
                                         "mail.digest.period_seconds": PERIOD})
    try:
        tokens = sign_in(base)
        set_addresses(base, tokens)
        ready = period_key(time.time())
        wait_until("a digest to each lead", lambda: leads_digests_after(sink, ready), 3 * PERIOD)
        period = leads_digests_after(sink, ready)[0]
        for user in ADDRESSES:
            found = check_digest(digests(sink)[(ADDRESSES[user], period)][0], user, tokens[user], base)
            print(f"{user}'s digest of {period}: " + ", ".join(f"{len(v)} {k}" for k, v in found.items()))
        check_slip(sink, base, tokens)
        check_retry(sink, log_path)
    finally:
        stopped_in = stop(server)
        sink.stop()
    everything = digests(sink)
    twice = {key: len(messages) for key, messages in everything.items() if len(messages) != 1}
    recipients = {to for to, _ in everything}
    if twice or recipients != set(ADDRESSES.values()):
        fail(f"digests more than once: {twice}; recipients {recipients}")
    print(f"{len(everything)} digests, one per lead and period; none to the reviewer, who opted out; "
          f"SIGTERM ended the server in {stopped_in:.1f} s")
    check_starttls(work, env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
