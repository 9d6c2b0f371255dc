#pragma once

// Folder-private: the inline SVG charts of the HTML reports. Output depends only on the arguments
// (no randomness, no clock), so the same report always renders the same bytes.

#include <Poco/Types.h>

#include <string>

namespace captrack::report::detail
{

/// Projects counted by effective health (a report's `totals.health`).
struct HealthCounts
{
    Poco::Int64 green = 0;
    Poco::Int64 amber = 0;
    Poco::Int64 red = 0;
    Poco::Int64 none = 0;
};

/// A coordinate with at most one decimal, written the same in every locale ("12.5", "-3", "0").
[[nodiscard]] std::string svgNumber(double value);

/// A horizontal bar chart of the four health counts with counts and shares as labels, an accessible
/// <title>/<desc>, and `idPrefix` making its element ids unique in the page.
[[nodiscard]] std::string healthBarChart(const HealthCounts& counts, const std::string& idPrefix);

/// A slim progress bar for `percent` (clamped to 0..100) with the value as its accessible name.
[[nodiscard]] std::string progressBar(Poco::Int64 percent);

} // namespace captrack::report::detail
