#!/usr/bin/env python3
"""Trial 4, a full disk (SQLite on a small tmpfs; needs root to mount it).

The SQLite database lives on an 8 MiB tmpfs. A filler file takes every free byte but 1 MiB, then a
client keeps writing (new milestones with long titles, PATCHes of one milestone) until writes are refused.
Every refused write must be 507 application/problem+json whose detail says the storage is full (never
500); reads must keep working; nothing refused may be half-written. Then the filler is deleted and
writes must succeed again. Finally every acknowledged write is stored with its history and audit row,
and `PRAGMA integrity_check` is ok. The tmpfs is unmounted on every way out."""

import atexit
import os
import subprocess
import time

import faultlib as F

SIZE = "8m"
HEADROOM = 1024 * 1024


def as_root(command):
    """The command itself as root, else through `sudo -n` (as scripts/test.sh installs packages)."""
    return command if os.geteuid() == 0 else ["sudo", "-n", *command]


class Tmpfs:
    def __init__(self, path):
        self.path = path
        self.mounted = False

    def mount(self):
        self.path.mkdir(parents=True, exist_ok=True)
        # mode 0777: the server (this user) writes there even when sudo mounted it
        done = subprocess.run(as_root(["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0777", "tmpfs",
                                       str(self.path)]), capture_output=True, text=True)
        if done.returncode != 0:
            return done.stderr.strip() or f"mount exited {done.returncode}"
        self.mounted = True
        atexit.register(self.unmount)
        return None

    def unmount(self):
        if self.mounted:
            for _ in range(50):
                if subprocess.run(as_root(["umount", str(self.path)]), capture_output=True).returncode == 0:
                    break
                time.sleep(0.1)
            else:
                subprocess.run(as_root(["umount", "-l", str(self.path)]), capture_output=True)
            self.mounted = False


def fill(path):
    """Writes a file until the file system is full; returns its size."""
    written = 0
    chunk = b"\0" * 65536
    with open(path, "wb", buffering=0) as out:
        while True:
            try:
                written += out.write(chunk)
            except OSError:
                break
        while True:  # the last few bytes, in small pieces
            try:
                if out.write(b"\0" * 512) == 0:
                    break
                written += 512
            except OSError:
                break
    return written


def says_full(reply):
    text = reply.detail().lower()
    return "full" in text or "space" in text


def trial(ctx, number, attempts_limit):
    failures = []
    mount = Tmpfs(ctx.workdir / f"tmpfs{number}")
    problem = mount.mount()
    if problem:
        F.log(f"disk-full: cannot mount a tmpfs ({problem}); this trial needs root")
        return None, None
    try:
        db = f"sqlite:{mount.path}/captrack.db"
        server, _, client, project = F.signed_in_server(ctx, db, f"FLT-DISK-{number}", f"disk{number}")
        dates = F.Counter()
        acks, refused_titles = [], []
        milestone = F.expect(F.create_milestone(client, project["id"], "Disk probe", F.day(dates.next())), 201, "m")
        mid, version = milestone["id"], milestone["version"]
        acks.append((mid, version, None))
        filler = mount.path / "filler"
        filled = fill(filler)
        # Leave a little room, so the disk fills up in the middle of the writes rather than before them.
        filled = max(0, filled - HEADROOM)
        os.truncate(filler, filled)
        statuses = F.Tally()
        refusals = []
        long_title = "x" * 180
        attempt = 0
        consecutive = 0
        while attempt < attempts_limit and consecutive < 20:
            attempt += 1
            forecast = F.day(dates.next())
            if attempt % 2:
                title = f"{long_title} {forecast}"
                reply = F.create_milestone(client, project["id"], title, forecast)
                ok = reply.status == 201
                if ok:
                    acks.append((reply.json()["id"], 1, forecast))
                else:
                    refused_titles.append(title)
            else:
                reply = F.patch_milestone(client, mid, version, {"forecast_date": forecast})
                ok = reply.status == 200
                if ok:
                    version = reply.json()["version"]
                    acks.append((mid, version, forecast))
            statuses.add(reply.status)
            if not ok:
                refusals.append(reply)
            consecutive = 0 if ok else consecutive + 1
        # Reads go on while the disk is full.
        reads = F.Tally()
        for path in (f"/api/v1/milestones/{mid}", f"/api/v1/projects/{project['id']}/milestones?limit=500",
                     f"/api/v1/projects/{project['id']}/summary", f"/api/v1/milestones/{mid}/history") * 5:
            reads.add(client.get(path).status)
        # Space again: writes succeed.
        os.unlink(filler)
        after = F.Tally()
        for _ in range(20):
            forecast = F.day(dates.next())
            reply = F.patch_milestone(client, mid, version, {"forecast_date": forecast})
            after.add(reply.status)
            if reply.status == 200:
                version = reply.json()["version"]
                acks.append((mid, version, forecast))
        server.stop()
        store = F.Store(ctx, db)
        integrity = store.integrity()
        figures, found, _ = F.check_acknowledged(store, acks)
        failures += found
        half = 0
        for title in refused_titles:
            quoted = title.replace("'", "''")
            half += int(store.rows(f"SELECT COUNT(*) FROM milestones WHERE title = '{quoted}'")[0][0])
        right = [r for r in refusals if r.status == 507 and r.is_problem() and says_full(r)]
        example = refusals[0] if refusals else None
        F.log(f"  [sqlite #{number}] filler {filled // 1024} KiB; {attempt} writes filling the disk: {statuses}; "
              f"{len(right)}/{len(refusals)} refusals were 507 problem+json saying full"
              + (f" (first: {example.status} {example.header('content-type')} {example.detail()[:80]!r})"
                 if example else ""))
        F.log(f"  [sqlite #{number}] reads while full: {reads}; writes after freeing space: {after}; "
              f"{figures}; refused writes found stored: {half}; integrity {integrity}")
        if not refusals:
            failures.append(f"the disk never filled in {attempt} writes")
        if len(right) != len(refusals):
            failures.append(f"{len(refusals) - len(right)}/{len(refusals)} refused writes were not 507 "
                            f"problem+json saying the storage is full (got {statuses})")
        if statuses.get(500):
            failures.append(f"{statuses.get(500)} writes answered 500")
        if reads.get(200) != reads.total():
            failures.append(f"reads while full: {reads}")
        if after.get(200) != after.total():
            failures.append(f"writes after freeing space: {after}")
        if half:
            failures.append(f"{half} refused writes were stored")
        if integrity != "ok":
            failures.append(f"integrity check: {integrity}")
        return failures, statuses
    finally:
        ctx.stop_all()
        mount.unmount()


def body(ctx):
    if "sqlite" not in ctx.databases:
        return None
    failures = []
    answers = F.Tally()
    for number in range(1, ctx.trials + 1):
        found, statuses = trial(ctx, number, 3000 if ctx.long else 1500)
        if found is None:
            return None
        answers.merge(statuses)
        failures += [f"#{number}: {f}" for f in found]
    F.log(f"disk-full sqlite: {ctx.trials} trial(s); answers to writes while the disk filled: {answers}")
    return failures


if __name__ == "__main__":
    F.main_guard(lambda: F.run_trial("disk-full", __doc__, body))
