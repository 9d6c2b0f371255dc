#pragma once

// Folder-private helpers of the report renderers: reading the report JSON defensively and escaping
// user text for each output format. Stateless and safe for concurrent use.

#include "captrack/report/PortfolioReport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace captrack::report::detail
{

/// The value at `key` as text; "" when absent or null.
[[nodiscard]] std::string textAt(const Poco::JSON::Object& object, const std::string& key);

/// The value at `key` as text, or `absent` when it is missing or null (e.g. a health that is not set).
[[nodiscard]] std::string textOr(const Poco::JSON::Object& object, const std::string& key, const std::string& absent);

/// The whole number at `key`; 0 when absent or null, fractions rounded to the nearest whole.
[[nodiscard]] Poco::Int64 integerAt(const Poco::JSON::Object& object, const std::string& key);

/// The number at `key` written as the JSON writer writes it ("12.5", "3"); "0" when absent or null.
[[nodiscard]] std::string numberAt(const Poco::JSON::Object& object, const std::string& key);

/// The object at `key`, or an empty object when absent, null or not an object. Never null.
[[nodiscard]] Poco::JSON::Object::Ptr objectAt(const Poco::JSON::Object& object, const std::string& key);

/// The array at `key`, or an empty array when absent, null or not an array. Never null.
[[nodiscard]] Poco::JSON::Array::Ptr arrayAt(const Poco::JSON::Object& object, const std::string& key);

/// Element `index` of `array` as an object, or an empty object when it is not one. Never null.
[[nodiscard]] Poco::JSON::Object::Ptr objectIn(const Poco::JSON::Array& array, std::size_t index);

/// The elements of a string array joined with ", " ("" for an empty array).
[[nodiscard]] std::string joined(const Poco::JSON::Array& array);

/// The echoed filters as "status: implementation, pipeline; framework: EAPC", or "none".
[[nodiscard]] std::string filtersText(const Poco::JSON::Object& filters);
/// The same for a report's filters as given.
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
