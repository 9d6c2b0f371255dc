#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace captrack::report
{

/// The milestone trend analysis chart of a trend (ScheduleAnalysis::trend) as a standalone SVG:
/// reporting date across, forecast date up, one line per milestone through its forecasts over time,
/// the diagonal where forecast meets reporting date, and each milestone's comparison baseline as a
/// dashed mark. Deterministic; every text escaped.
[[nodiscard]] std::string trendChartSvg(const Poco::JSON::Object& trend);

} // namespace captrack::report
