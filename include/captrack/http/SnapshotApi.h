#pragma once

#include "captrack/http/Router.h"
#include "captrack/report/ReportService.h"
#include "captrack/report/SnapshotService.h"

namespace captrack::http
{

/// Adds the report snapshots (docs/HTTP.md "Report snapshots"): `GET`/`POST /reports/snapshots`,
/// `GET`/`DELETE /reports/snapshots/{id or name}` and `GET /reports/snapshots/{id or name}/portfolio`
/// (json, csv, md, html, xlsx: as stored at publication). The services must outlive the router; the
/// handlers are safe for concurrent use.
void addSnapshotApi(Router& router, const report::SnapshotService& snapshots, const report::ReportService& reports);

/// Adds `GET /reports/changes?from=&to=&format=` (what changed between two snapshots, or a snapshot and
/// now: json, csv, md, html) and `GET /projects/{id}/health-history` (a project's health at each
/// snapshot). Staff only, like the snapshots.
void addChangesApi(Router& router, const report::SnapshotService& snapshots);

} // namespace captrack::http
