#pragma once

// Folder-private helpers of the report renderers: writing figures and escaping user text for each
// output format. Stateless and safe for concurrent use.

#include "captrack/report/PortfolioReport.h"

#include <string>

namespace captrack::report::detail
{

/// A report's filters as given, as "status: implementation, pipeline; framework: EAPC", or "none".
[[nodiscard]] std::string filtersText(const ReportFilters& filters);
/// A fractional number as the JSON output writes it (person-months: "12.5", "0").
[[nodiscard]] std::string decimalText(double value);

/// A setting name for people: "capability_area" -> "capability area".
[[nodiscard]] std::string humanName(std::string name);

/// The text with its first (ASCII) letter upper-cased: "amber" -> "Amber".
[[nodiscard]] std::string capitalised(std::string text);

/// The one escaper of HTML and XML (SVG): replaces what no format may carry (domain::displayableText:
/// invalid UTF-8, control characters but tab, LF and CR, bidirectional controls, non-characters) by
/// U+FFFD, then escapes & < > " ' so the text is safe in content and in quoted attribute values.
[[nodiscard]] std::string escapeHtml(const std::string& text);

/// Backslash-escapes Markdown punctuation (and a leading #), folds line breaks into spaces and replaces
/// what displayableText replaces, so user text can neither form markup or raw HTML nor break a table row.
[[nodiscard]] std::string escapeMarkdown(const std::string& text);

/// Line breaks and tabs folded into spaces, for one-line plain-text fields.
[[nodiscard]] std::string oneLine(const std::string& text);

} // namespace captrack::report::detail
