#pragma once

#include "captrack/report/Trend.h"

#include <string>

namespace captrack::report
{

/// The milestone trend analysis chart of a trend (ScheduleAnalysis::trend) as a standalone SVG:
/// reporting date across, forecast date up, one line per milestone through its forecasts over time,
/// the diagonal where forecast meets reporting date, and each milestone's comparison baseline as a
/// dashed mark, each line named at its end in its colour (names cut at a word to fit, whole in the line's
/// <title>). Legible by docs/TEXT.md "Charts": text of 12 units or more, AA contrast on its own white
/// ground, no label on another or past the edge. Deterministic; every text escaped.
[[nodiscard]] std::string trendChartSvg(const Trend& trend);

} // namespace captrack::report
