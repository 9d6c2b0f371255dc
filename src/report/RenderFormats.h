#pragma once

// Folder-private: one function per report and format, called by Renderers.cpp once the format is
// known. Each returns the whole document and is safe for concurrent use.

#include "captrack/report/MissionImpact.h"
#include "captrack/report/PortfolioReport.h"
#include "captrack/report/Renderers.h"
#include "captrack/report/StatusSummary.h"
#include "captrack/report/Trend.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace captrack::report::detail
{

/// The status summary as JSON (docs/HTTP.md): the API's answer, key order and number types fixed.
[[nodiscard]] Poco::JSON::Object::Ptr summaryJson(const StatusSummary& summary);
/// The status summary as Markdown.
[[nodiscard]] std::string summaryMarkdown(const StatusSummary& summary);
/// The status summary as plain text (UTF-8).
[[nodiscard]] std::string summaryPlainText(const StatusSummary& summary);
/// The status summary as one self-contained HTML page with a health badge.
[[nodiscard]] std::string summaryHtml(const StatusSummary& summary);

/// The portfolio report as JSON (docs/HTTP.md): the API's answer, key order and number types fixed.
[[nodiscard]] Poco::JSON::Object::Ptr portfolioJson(const PortfolioReport& report);
/// The portfolio rows and totals as RFC 4180 CSV with a header row and a final TOTAL line.
[[nodiscard]] std::string portfolioCsv(const PortfolioReport& report);
/// The portfolio report as Markdown: title, filters, rows table with totals, overdue and due-soon lists.
[[nodiscard]] std::string portfolioMarkdown(const PortfolioReport& report);
/// The portfolio report as one self-contained, printable HTML page with inline SVG charts.
[[nodiscard]] std::string portfolioHtml(const PortfolioReport& report);

/// What changed between two states (ChangesJson.cpp, ChangesText.cpp, ChangesHtml.cpp).
[[nodiscard]] Poco::JSON::Object::Ptr changesJson(const PortfolioChanges& changes);
[[nodiscard]] std::string changesCsv(const PortfolioChanges& changes);
[[nodiscard]] std::string changesMarkdown(const PortfolioChanges& changes);
[[nodiscard]] std::string changesHtml(const PortfolioChanges& changes);

/// The status summary as an Excel workbook: sheets Summary (each figure with its JSON field), Health
/// reasons, Missions.
[[nodiscard]] std::string summaryXlsx(const StatusSummary& summary);
/// The portfolio report as an Excel workbook: sheets Summary (filters and totals, each with its JSON
/// field), Groups (the rows, then the totals row outside the filter), Overdue, Due soon and, when the
/// report has them, Projects.
[[nodiscard]] std::string portfolioXlsx(const PortfolioReport& report);
/// A page of records as an Excel workbook: sheets Summary (the page's counts and the sums of its euro and
/// number fields over the values shown) and one sheet of the records, a column per field of the spec.
[[nodiscard]] std::string recordsXlsx(const RecordPage& page);

/// A milestone trend as JSON (docs/HTTP.md).
[[nodiscard]] Poco::JSON::Object::Ptr trendJson(const Trend& trend);
/// A mission's impact as JSON (docs/HTTP.md).
[[nodiscard]] Poco::JSON::Object::Ptr missionImpactJson(const MissionImpact& impact);

} // namespace captrack::report::detail
