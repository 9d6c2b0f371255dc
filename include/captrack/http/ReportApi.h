#pragma once

#include "captrack/http/Router.h"
#include "captrack/report/ReportService.h"
#include "captrack/report/ScheduleAnalysis.h"

namespace captrack::http
{

/// Adds `GET /projects/{id}/summary`, `/reports/portfolio` (every format), `/projects/{id}/trend`
/// (JSON or SVG) and `/missions/{id or code}/impact`.
void addReportApi(Router& router, const report::ReportService& reports, const report::ScheduleAnalysis& schedule);

} // namespace captrack::http
