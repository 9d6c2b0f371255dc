#pragma once

#include "captrack/http/Router.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/ReportService.h"
#include "captrack/report/ScheduleAnalysis.h"

namespace captrack::http
{

/// Adds `GET /projects/{id}/summary` (json, md, html, txt, xlsx), `/reports/portfolio` (json, csv, md,
/// html, xlsx), `/projects/{id}/trend` (json, svg) and `/missions/{id or code}/impact` (json). Each route
/// parses its `format` (and the portfolio its `group_by`) once into report::ReportFormat /
/// report::Grouping and refuses a bad request with 400 before it takes a report permit (docs/HTTP.md).
/// `reports` and `schedule` must outlive the router; the handlers are safe for concurrent use.
void addReportApi(Router& router, const report::ReportService& reports, const report::ScheduleAnalysis& schedule);

/// A rendered document as a 200 answer with its media type; a CSV or an Excel workbook is a download
/// (`Content-Disposition: attachment; filename="<filename>.csv"` or `.xlsx`). Pure.
[[nodiscard]] ApiResponse downloadResponse(report::Rendered&& rendered, report::ReportFormat format,
                                           const std::string& filename);
/// The same for a report document, with the headers its format needs besides: an HTML page may load
/// nothing (Content-Security-Policy).
[[nodiscard]] ApiResponse renderedReportResponse(report::Rendered&& rendered, report::ReportFormat format,
                                                 const std::string& filename);

} // namespace captrack::http
