#pragma once

#include "captrack/domain/ResourceSpec.h"
#include "captrack/report/MissionImpact.h"
#include "captrack/report/PortfolioChanges.h"
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

/// A page of records of one resource as a list route answers it (the items already redacted for the
/// caller, as its JSON has them), for the formats other than JSON. Refers to what it names.
struct RecordPage
{
    const domain::ResourceSpec& spec;
    std::string sheetName; ///< the records' sheet, e.g. "Contributions" (at most 31 characters)
    const std::vector<domain::Record>& items;
    Poco::Int64 total = 0;
    std::size_t limit = 0;
    std::size_t offset = 0;
};

/// The format named `text` (the `format` query parameter) if a status summary is given in it: json, md,
/// html, txt or xlsx. BadRequestError otherwise. Stateless, thread-safe.
[[nodiscard]] ReportFormat summaryFormat(const std::string& text);
/// The same for a portfolio report: json, csv, md, html or xlsx. For checking before anything is built.
[[nodiscard]] ReportFormat portfolioFormat(const std::string& text);
/// The same for a list that can be downloaded (a partner's contributions): json or xlsx.
[[nodiscard]] ReportFormat listFormat(const std::string& text);
/// The same for what changed between two snapshots: json, csv, md or html.
[[nodiscard]] ReportFormat changesFormat(const std::string& text);
/// The Content-Type an answer in a format carries ("text/csv; charset=utf-8"): the one place it is
/// named, for the renderers, the routes and the OpenAPI document.
[[nodiscard]] const char* contentTypeOf(ReportFormat format);

/// The status summary as the API's JSON answer (keys, key order and number types as docs/HTTP.md gives
/// them). Thread-safe; throws only std::bad_alloc.
[[nodiscard]] Poco::JSON::Object::Ptr summaryJson(const StatusSummary& summary);
/// Renders a status summary as json, md, html, txt or xlsx (an Excel workbook), every format from the same struct and
/// so with the same numbers. BadRequestError for another format. Thread-safe.
[[nodiscard]] Rendered renderSummary(const StatusSummary& summary, ReportFormat format);

/// The portfolio report as the API's JSON answer (keys, key order and number types as docs/HTTP.md
/// gives them). Thread-safe; throws only std::bad_alloc.
[[nodiscard]] Poco::JSON::Object::Ptr portfolioJson(const PortfolioReport& report);
/// Renders a portfolio report as json, csv (RFC 4180, UTF-8, header row), md, html (one self-contained
/// page with inline SVG charts, fit to print) or xlsx (an Excel workbook, a sheet per table), every format from the
/// same struct and so with the same numbers. BadRequestError for another format. Thread-safe.
[[nodiscard]] Rendered renderPortfolio(const PortfolioReport& report, ReportFormat format);

/// A page of records as an Excel workbook (xlsx): a summary sheet and a sheet of the records, a column per
/// field, each value in its type (numbers, euros, dates); a value the JSON has as null is an empty cell.
/// Poco::IOException when the workbook cannot be written (its temporary file). Thread-safe.
[[nodiscard]] Rendered renderRecordsXlsx(const RecordPage& page);

/// What changed between two states of the portfolio as the API's JSON answer. Thread-safe.
[[nodiscard]] Poco::JSON::Object::Ptr changesJson(const PortfolioChanges& changes);
/// Renders what changed as json, csv (one line per change, totals first), md or html (one self-contained
/// page, each health change drawn from one colour to the other). BadRequestError for another format.
[[nodiscard]] Rendered renderChanges(const PortfolioChanges& changes, ReportFormat format);

/// A milestone trend as the API's JSON answer (its chart: report/TrendChart.h). Thread-safe.
[[nodiscard]] Poco::JSON::Object::Ptr trendJson(const Trend& trend);
/// A mission's impact as the API's JSON answer. Thread-safe.
[[nodiscard]] Poco::JSON::Object::Ptr missionImpactJson(const MissionImpact& impact);

} // namespace captrack::report
