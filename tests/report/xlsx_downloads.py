#!/usr/bin/env python3
"""Excel workbooks end to end (format=xlsx), through the real binary and openpyxl.

    xlsx_downloads.py CAPTRACK [MYSQL_URL_OF_A_SCRATCH_DATABASE]

Seeds the demo portfolio (SQLite, or the given MariaDB database, dropped and created again first),
serves it, and for the reviewer, the lead and the partner downloads the portfolio report (grouped two
ways, and filtered), a project summary and a partner's contributions as workbooks. Each workbook is
opened with openpyxl and compared cell by cell with the JSON answer to the same request: every figure
of the Summary sheet with the JSON field it names, every row of Groups (then the totals row), Overdue,
Due soon and Contributions; Projects against the projects the user may list and their summaries. It
checks the cells' types and formats (numbers, euros with a euro format, Excel dates with a date
format), frozen header rows and each table's autofilter range, the download headers, a 400 for an
unknown format, that the server leaves no temporary file behind, and that a partner's workbooks hold
no project code hidden from it and no amount of another partner. Exits non-zero on the first failure.
"""
import datetime
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))
import faultlib as F  # noqa: E402 - the tests' shared Python, one folder over

try:
    import openpyxl
except ImportError:
    sys.exit("openpyxl is missing: install python3-openpyxl (scripts/install-deps.sh --test)")

CAPTRACK = os.path.abspath(sys.argv[1])
SCRATCH_MYSQL = sys.argv[2] if len(sys.argv) > 2 else ""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TITLE = '=HYPERLINK("http://example.invalid","click")'
EURO_FORMAT = '#,##0 "€"'
DATE_FORMAT = "yyyy-mm-dd"
GROUP_FIGURES = ["projects", "health.green", "health.amber", "health.red", "health.none", "milestones.total",
                 "milestones.done", "milestones.overdue", "budget_eur", "contributions.pledged_eur",
                 "contributions.committed_eur", "contributions.delivered_eur", "contributions.person_months"]


def fail(message):
    sys.exit("FAIL: " + message)


def check(condition, message):
    if not condition:
        fail(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    def __init__(self, port, token=None):
        self.port, self.token = port, token

    def call(self, method, path, body=None):
        """(status, headers, bytes)."""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/v1{path}", data=data, headers=headers,
                                     method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def json(self, path):
        status, _, body = self.call("GET", path)
        check(status == 200, f"GET {path} answered {status}: {body[:300]!r}")
        return json.loads(body)

    def workbook(self, path, filename):
        status, headers, body = self.call("GET", path)
        check(status == 200, f"GET {path} answered {status}: {body[:300]!r}")
        check(headers.get("Content-Type") == XLSX, f"GET {path}: Content-Type {headers.get('Content-Type')}")
        disposition = headers.get("Content-Disposition")
        check(disposition == f'attachment; filename="{filename}"', f"GET {path}: Content-Disposition {disposition}")
        check(body[:2] == b"PK", f"GET {path}: not a zip file")
        COMPARED["workbooks"] += 1
        book = openpyxl.load_workbook(io.BytesIO(body))
        for sheet in book:
            for row in sheet.iter_rows():
                for cell in row:
                    check(cell.data_type != "f", f"GET {path}: {sheet.title}!{cell.coordinate} is a formula")
        return book


def with_query(path, **params):
    return path + ("&" if "?" in path else "?") + urllib.parse.urlencode(params)


def lookup(document, dotted):
    value = document
    for part in dotted.split("."):
        check(isinstance(value, dict) and part in value, f"the JSON has no {dotted}")
        value = value[part]
    return value


COMPARED = {"cells": 0, "workbooks": 0}


def same_value(cell, expected, where):
    """The cell holds the JSON value in its own type: null empty, numbers numbers, dates dates, text text."""
    COMPARED["cells"] += 1
    value = cell.value
    if expected is None:
        check(value is None, f"{where}: {value!r} where the JSON has null")
    elif isinstance(expected, bool):
        check(value is expected, f"{where}: {value!r}, JSON {expected!r}")
    elif isinstance(expected, (int, float)):
        check(isinstance(value, (int, float)) and not isinstance(value, bool),
              f"{where}: {value!r} is not a number (JSON {expected!r})")
        check(abs(value - expected) < 1e-9, f"{where}: {value!r}, JSON {expected!r}")
    elif isinstance(expected, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", expected):
        check(isinstance(value, datetime.datetime), f"{where}: {value!r} is not a date (JSON {expected})")
        check(value.date().isoformat() == expected, f"{where}: {value.date()}, JSON {expected}")
        check(cell.number_format == DATE_FORMAT, f"{where}: date format {cell.number_format!r}")
    elif isinstance(expected, list):
        check(value == ", ".join(str(v) for v in expected), f"{where}: {value!r}, JSON {expected!r}")
    else:
        check(value == expected, f"{where}: {value!r}, JSON {expected!r}")


def check_euro_format(cell, field, where):
    if field.endswith("_eur") and cell.value is not None:
        check(cell.number_format == EURO_FORMAT, f"{where}: euro cell with format {cell.number_format!r}")


def table_rows(sheet, headers, data_rows, what):
    """The sheet's data rows as cell lists, after checking the header row, the frozen pane and the filter."""
    header = [c.value for c in sheet[1]]
    check(header == headers, f"{what}: headers {header}, expected {headers}")
    check(sheet.freeze_panes == "A2", f"{what}: frozen pane {sheet.freeze_panes}, expected A2")
    last_column = openpyxl.utils.get_column_letter(len(headers))
    expected_filter = f"A1:{last_column}{1 + data_rows}"
    ref = sheet.auto_filter.ref or ""
    ref = ref if ":" in ref else f"{ref}:{ref}"  # a range of one cell is written as that cell
    check(ref == expected_filter, f"{what}: autofilter {sheet.auto_filter.ref}, expected {expected_filter}")
    return [list(row) for row in sheet.iter_rows(min_row=2)]


def check_figures_sheet(sheet, document, what, derived=None):
    """Every row of a Summary sheet: the value equals the JSON field its API field names."""
    rows = [r for r in sheet.iter_rows(min_row=2)]
    table_rows(sheet, ["Figure", "Value", "API field"], len(rows), what)
    check(len(rows) > 3, f"{what}: only {len(rows)} figures")
    for label, cell, field in rows:
        where = f"{what} '{label.value}' ({field.value})"
        if derived and field.value in derived:
            expected = derived[field.value]
        elif field.value.startswith("filters."):
            expected = ", ".join(lookup(document, field.value))
        else:
            expected = lookup(document, field.value)
        same_value(cell, expected, where)
        check_euro_format(cell, field.value, where)
    return {field.value: cell.value for _, cell, field in rows}


def check_portfolio(api, query, stem, visible_projects, as_of):
    path = with_query("/reports/portfolio?" + query, as_of=as_of)
    document = api.json(path)
    book = api.workbook(with_query(path, format="xlsx"), f"portfolio-{as_of}.xlsx")
    expected_sheets = ["Summary", "Groups", "Overdue", "Due soon", "Projects"]
    check(book.sheetnames == expected_sheets, f"{stem}: sheets {book.sheetnames}")
    check_figures_sheet(book["Summary"], document, f"{stem} Summary")

    headers = ["Key", "Label", "Projects", "Green", "Amber", "Red", "No health", "Milestones", "Done", "Overdue",
               "Budget (EUR)", "Pledged (EUR)", "Committed (EUR)", "Delivered (EUR)", "Person-months"]
    rows = table_rows(book["Groups"], headers, len(document["rows"]), f"{stem} Groups")
    check(len(rows) == len(document["rows"]) + 1, f"{stem} Groups: {len(rows)} rows for "
                                                    f"{len(document['rows'])} groups and the totals")
    for number, (cells, row) in enumerate(zip(rows, document["rows"] + [document["totals"]])):
        where = f"{stem} Groups row {number + 2}"
        if number < len(document["rows"]):
            same_value(cells[0], row["key"], where + " key")
            same_value(cells[1], row["label"], where + " label")
        else:
            check(cells[0].value == "Total" and cells[0].font.b, f"{where}: the totals row starts {cells[0].value!r}")
        for cell, field in zip(cells[2:], GROUP_FIGURES):
            same_value(cell, lookup(row, field), f"{where} {field}")
            check_euro_format(cell, field, f"{where} {field}")

    for sheet, key, days in (("Overdue", "overdue", "overdue_days"), ("Due soon", "due_soon", "days_left")):
        headers = ["Project id", "Project code", "Milestone id", "Title", "Due",
                   "Days overdue" if key == "overdue" else "Days left"]
        rows = table_rows(book[sheet], headers, len(document[key]), f"{stem} {sheet}")
        check(len(rows) == len(document[key]), f"{stem} {sheet}: {len(rows)} rows, JSON {len(document[key])}")
        for number, (cells, item) in enumerate(zip(rows, document[key])):
            for cell, field in zip(cells, ["project_id", "project_code", "milestone_id", "title", "due", days]):
                same_value(cell, item[field], f"{stem} {sheet} row {number + 2} {field}")

    headers = ["Id", "Code", "Title", "Status", "Effective health", "Progress"]
    listed = [p for p in visible_projects if filtered_in(p, query)]
    rows = table_rows(book["Projects"], headers, len(listed), f"{stem} Projects")
    check(sorted(r[1].value for r in rows) == sorted(p["code"] for p in listed),
          f"{stem} Projects: {sorted(r[1].value for r in rows)}, expected {sorted(p['code'] for p in listed)}")
    by_id = {p["id"]: p for p in listed}
    for cells in rows:
        project = by_id[cells[0].value]
        summary = api.json(f"/projects/{project['id']}/summary?as_of={as_of}")
        where = f"{stem} Projects {project['code']}"
        for cell, expected in zip(cells[1:], [project["code"], project["title"], project["status"],
                                              summary["effective_health"], summary["progress"]]):
            same_value(cell, expected, where)
        check(cells[5].number_format == '0"%"', f"{where}: progress format {cells[5].number_format!r}")
    return book, document


def filtered_in(project, query):
    params = urllib.parse.parse_qs(query)
    return all(project[name] in values[0].split(",") for name, values in params.items() if name in ("status",))


def check_summary(api, project_id, as_of):
    path = f"/projects/{project_id}/summary?as_of={as_of}"
    document = api.json(path)
    book = api.workbook(with_query(path, format="xlsx"), f"summary-{document['project_code']}.xlsx")
    check(book.sheetnames == ["Summary", "Health reasons", "Missions"], f"summary sheets {book.sheetnames}")
    derived = {}
    if document["next_milestone"] is None:
        derived = {"next_milestone.id": None, "next_milestone.title": None, "next_milestone.due": None}
    figures = check_figures_sheet(book["Summary"], document, f"summary {project_id}", derived)
    for framework in document["contributions"]["by_framework"]:
        check(f"contributions.by_framework.{framework}" in figures, f"summary {project_id}: no {framework} row")
    for sheet, key in (("Health reasons", "health_reasons"), ("Missions", "missions")):
        rows = table_rows(book[sheet], ["Reason" if key == "health_reasons" else "Mission"], len(document[key]),
                          f"summary {project_id} {sheet}")
        check([r[0].value for r in rows] == document[key], f"summary {project_id} {sheet}: "
                                                             f"{[r[0].value for r in rows]}, JSON {document[key]}")
    return book, document


def check_contributions(api, partner, query=""):
    path = f"/partners/{partner}/contributions" + (f"?{query}" if query else "")
    document = api.json(path)
    partner_id = api.json(f"/partners/{partner}")["id"]
    book = api.workbook(with_query(path, format="xlsx"), f"contributions-partner-{partner_id}.xlsx")
    check(book.sheetnames == ["Summary", "Contributions"], f"contributions sheets {book.sheetnames}")
    items = document["items"]
    shown = lambda field: sum(i[field] for i in items if i[field] is not None)  # noqa: E731
    derived = {"items (count)": len(items), "items[].amount_eur (sum)": shown("amount_eur"),
               "items[].person_months (sum)": shown("person_months")}
    check_figures_sheet(book["Summary"], document, f"contributions of {partner}", derived)
    sheet = book["Contributions"]
    headers = [c.value for c in sheet[1]]
    check(items == [] or headers == list(items[0].keys()), f"contribution columns {headers}")
    rows = table_rows(sheet, headers, len(items), f"contributions of {partner}")
    check(len(rows) == len(items), f"contributions of {partner}: {len(rows)} rows, JSON {len(items)}")
    for number, (cells, item) in enumerate(zip(rows, items)):
        for cell, field in zip(cells, headers):
            same_value(cell, item[field], f"contributions of {partner} row {number + 2} {field}")
            check_euro_format(cell, field, f"contributions of {partner} row {number + 2} {field}")
    return book, document


def every_cell_text(book):
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if value is not None:
                    yield sheet.title, value


def check_nothing_hidden(book, what, hidden_codes):
    for sheet, value in every_cell_text(book):
        for code in hidden_codes:
            check(code not in str(value), f"{what}: sheet {sheet} names the hidden project {code}")


def check_unknown_format(api, path):
    status, headers, body = api.call("GET", with_query(path, format="xlsx2"))
    check(status == 400, f"GET {path}&format=xlsx2 answered {status}")
    check(headers.get("Content-Type", "").startswith("application/problem+json"), f"{path}: {headers}")
    check(b"xlsx" in body, f"{path}: the 400 does not list xlsx: {body!r}")


def run(work, url, *args):
    env = dict(os.environ, CAPTRACK_DB_URL=url)
    done = subprocess.run([CAPTRACK, *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    check(done.returncode == 0, f"captrack {' '.join(args)}: exit {done.returncode}\n{done.stdout}{done.stderr}")
    return done.stdout


def serve(work, url, port):
    temp = os.path.join(work, "tmp")
    os.mkdir(temp)
    log = open(os.path.join(work, "serve.log"), "wb")  # noqa: SIM115 - the server's, closed with the folder
    server = subprocess.Popen([CAPTRACK, "serve", "--set", f"http.port={port}"], cwd=work,
                              env=dict(os.environ, CAPTRACK_DB_URL=url, TMPDIR=temp + "/"),
                              stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        check(server.poll() is None, f"captrack serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
                if response.status == 200:
                    return server, temp
        except OSError:
            pass
        time.sleep(0.1)
    fail("captrack serve did not become ready in 30 s")


def sign_in(port, seeded, username):
    password = re.search(rf"^\s*{username}\s+(\S+)$", seeded, re.M).group(1)
    status, _, body = Api(port).call("POST", "/auth/login", {"username": username, "password": password})
    check(status == 200, f"sign-in of {username} answered {status}")
    return Api(port, json.loads(body)["token"])


def check_role(api, role, everything, as_of):
    visible = api.json("/projects?limit=500")["items"]
    hidden = sorted({p["code"] for p in everything} - {p["code"] for p in visible})
    books = []
    for query, stem in (("group_by=framework", "by framework"), ("group_by=partner", "by partner"),
                        ("group_by=status&status=implementation", "implementation by status")):
        book, document = check_portfolio(api, query, f"{role} portfolio {stem}", visible, as_of)
        books.append((book, document))
    summaries = []
    for project in visible[:6]:
        summaries.append(check_summary(api, project["id"], as_of))
    for book, _ in books + summaries:
        check_nothing_hidden(book, f"{role} workbook", hidden)
    return visible, hidden, books, summaries


def main():
    with tempfile.TemporaryDirectory() as work:
        url = "sqlite:" + os.path.join(work, "demo.db")
        if SCRATCH_MYSQL:
            F.recreate_mysql_database(SCRATCH_MYSQL)
            url = SCRATCH_MYSQL
        seeded = run(work, url, "seed", "--demo")
        port = free_port()
        server, temp = serve(work, url, port)
        try:
            reviewer = sign_in(port, seeded, "demo-reviewer")
            lead = sign_in(port, seeded, "demo-lead")
            partner = sign_in(port, seeded, "demo-partner")
            # Text that looks like a formula is a string cell, never a formula (checked in every workbook).
            status, _, body = lead.call("POST", "/projects", {
                "code": "XLSX-FORMULA", "title": FORMULA_TITLE, "kind": "capability", "status": "implementation",
                "visibility": "public", "budget_eur": 1})
            check(status == 201, f"creating the formula-titled project answered {status}: {body!r}")
            everything = reviewer.json("/projects?limit=500")["items"]
            as_of = reviewer.json("/reports/portfolio")["as_of"]

            _, _, reviewer_books, _ = check_role(reviewer, "reviewer", everything, as_of)
            titles = [r[2] for r in reviewer_books[0][0]["Projects"].iter_rows(min_row=2)]
            check(any(c.value == FORMULA_TITLE and c.data_type == "s" for c in titles),
                  "the formula-like title is not a string cell of the Projects sheet")
            check_role(lead, "lead", everything, as_of)
            _, hidden, partner_books, _ = check_role(partner, "partner", everything, as_of)
            check(hidden, "the demo partner sees every project: the partner checks would prove nothing")

            # The partner's figures leave out other partners' amounts: its totals are below the reviewer's.
            partner_totals = partner_books[0][1]["totals"]["contributions"]
            reviewer_totals = reviewer_books[0][1]["totals"]["contributions"]
            check(sum(partner_totals[k] for k in ("pledged_eur", "committed_eur", "delivered_eur")) <
                  sum(reviewer_totals[k] for k in ("pledged_eur", "committed_eur", "delivered_eur")),
                  "the partner's portfolio totals are not below the reviewer's")

            own = partner.json("/me")["partner_id"]
            own_book, own_page = check_contributions(partner, str(own))
            check(own_page["items"], "the demo partner has no contribution")
            check(all(i["amount_eur"] is not None for i in own_page["items"]), "the partner's own amounts are hidden")
            check_contributions(partner, str(own), "limit=2&offset=1&sort=-id")

            # Another partner on a project the partner shares: its amounts are null in JSON, empty cells here.
            others = [c for p in {i["project_id"] for i in own_page["items"]}
                      for c in partner.json(f"/projects/{p}/contributions?limit=500")["items"]
                      if c["partner_id"] != own]
            check(others, "no other partner shares a project with the demo partner")
            other = others[0]["partner_id"]
            other_book, other_page = check_contributions(partner, str(other))
            check(all(i["amount_eur"] is None for i in other_page["items"]), "another partner's amounts are shown")
            amounts = [r[6].value for r in other_book["Contributions"].iter_rows(min_row=2)]
            check(amounts and all(a is None for a in amounts), f"another partner's amounts in the workbook: {amounts}")
            _, reviewer_view = check_contributions(reviewer, str(other))
            check(any(i["amount_eur"] for i in reviewer_view["items"]), "the other partner has no amount to hide")
            for value in {i["amount_eur"] for i in reviewer_view["items"]} - {None, 0}:
                for _, cell in every_cell_text(other_book):
                    check(cell != value, f"the partner's workbook holds another partner's amount {value}")
            check_nothing_hidden(own_book, "partner contributions", hidden)
            check_nothing_hidden(other_book, "other partner's contributions", hidden)

            for api, path in ((reviewer, "/reports/portfolio"), (reviewer, f"/projects/{everything[0]['id']}/summary"),
                              (partner, f"/partners/{own}/contributions")):
                check_unknown_format(api, path)
            left = os.listdir(temp)
            check(left == [], f"the server left temporary files: {left}")
        finally:
            server.terminate()
            server.wait(timeout=30)
        # A clean stop: in a sanitizer build a leak or an error report makes the exit code non-zero.
        with open(os.path.join(work, "serve.log"), encoding="utf-8", errors="replace") as f:
            check(server.returncode == 0, f"captrack serve exited with {server.returncode}:\n{f.read()[-3000:]}")
    print(f"PASS: {COMPARED['workbooks']} workbooks, {COMPARED['cells']} cells equal to their JSON for reviewer, lead "
          "and partner" + (" on MariaDB" if SCRATCH_MYSQL else ""))


if __name__ == "__main__":
    main()
