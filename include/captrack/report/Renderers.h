#pragma once

#include "captrack/report/PortfolioReport.h"
#include "captrack/report/ReportFormat.h"

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

/// Renders a status summary (the JSON of buildStatusSummary) as md, html or txt (a format of
/// summaryFormat but json), with the same numbers as the JSON. BadRequestError for another format.
/// Thread-safe.
[[nodiscard]] Rendered renderSummary(const Poco::JSON::Object& summary, ReportFormat format);

/// The portfolio report as the API's JSON answer (keys, key order and number types as docs/HTTP.md
/// gives them). Thread-safe; throws only std::bad_alloc.
[[nodiscard]] Poco::JSON::Object::Ptr portfolioJson(const PortfolioReport& report);
/// Renders a portfolio report as json, csv (RFC 4180, UTF-8, header row), md or html (one self-contained
/// page with inline SVG charts, fit to print), every format from the same struct and so with the same
/// numbers. BadRequestError for another format. Thread-safe.
[[nodiscard]] Rendered renderPortfolio(const PortfolioReport& report, ReportFormat format);

} // namespace captrack::report
