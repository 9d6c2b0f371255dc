#pragma once

#include "captrack/report/MissionImpact.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/ReportFormat.h"
#include "captrack/report/StatusSummary.h"
#include "captrack/report/Trend.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace captrack::report
{

/// A rendered report: its body and its media type.
struct Rendered
{
    std::string body;
    std::string contentType;
};

/// The format named `text` (the `format` query parameter) if a status summary is given in it: json, md,
/// html or txt. BadRequestError otherwise. Stateless, thread-safe.
[[nodiscard]] ReportFormat summaryFormat(const std::string& text);
/// The same for a portfolio report: json, csv, md or html. For checking before anything is built.
[[nodiscard]] ReportFormat portfolioFormat(const std::string& text);

/// The status summary as the API's JSON answer (keys, key order and number types as docs/HTTP.md gives
/// them). Thread-safe; throws only std::bad_alloc.
[[nodiscard]] Poco::JSON::Object::Ptr summaryJson(const StatusSummary& summary);
/// Renders a status summary as json, md, html or txt, every format from the same struct and so with the
/// same numbers. BadRequestError for another format. Thread-safe.
[[nodiscard]] Rendered renderSummary(const StatusSummary& summary, ReportFormat format);

/// The portfolio report as the API's JSON answer (keys, key order and number types as docs/HTTP.md
/// gives them). Thread-safe; throws only std::bad_alloc.
[[nodiscard]] Poco::JSON::Object::Ptr portfolioJson(const PortfolioReport& report);
/// Renders a portfolio report as json, csv (RFC 4180, UTF-8, header row), md or html (one self-contained
/// page with inline SVG charts, fit to print), every format from the same struct and so with the same
/// numbers. BadRequestError for another format. Thread-safe.
[[nodiscard]] Rendered renderPortfolio(const PortfolioReport& report, ReportFormat format);

/// A milestone trend as the API's JSON answer (its chart: report/TrendChart.h). Thread-safe.
[[nodiscard]] Poco::JSON::Object::Ptr trendJson(const Trend& trend);
/// A mission's impact as the API's JSON answer. Thread-safe.
[[nodiscard]] Poco::JSON::Object::Ptr missionImpactJson(const MissionImpact& impact);

} // namespace captrack::report
