#pragma once

#include "captrack/http/Router.h"
#include "captrack/report/ReportService.h"

namespace captrack::http
{

/// Adds `GET /projects/{id}/summary` and `GET /reports/portfolio` in every format.
void addReportApi(Router& router, const report::ReportService& reports);

} // namespace captrack::http
