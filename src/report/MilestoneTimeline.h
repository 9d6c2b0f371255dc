#pragma once

// Folder-private: the per-project milestone timeline of the HTML portfolio report.

#include "captrack/report/PortfolioReport.h"

#include <cstddef>
#include <string>

namespace captrack::report::detail
{

/// At most this many milestone lanes are drawn per project; a note says how many were left out.
constexpr std::size_t MAX_TIMELINE_LANES = 60;

/// The milestones of one project (of the portfolio report's `projects`) as inline SVG:
/// one lane per milestone on a date axis shared by its lanes, month/year ticks, the baseline as a
/// hollow circle, the forecast (or due) date as a filled circle joined to it by a line, the actual
/// date of a done milestone as a diamond, and a dashed "as of" line at `asOf`. A lane is red when the
/// milestone slipped more than 14 days or is overdue. Legible by docs/TEXT.md "Charts" (names cut at a word,
/// whole in the lane's <title>; tick labels thinned). `idPrefix` makes the element ids unique in the page.
/// Deterministic: the output depends only on the arguments. A note instead when there are no milestones.
[[nodiscard]] std::string milestoneTimeline(const TimelineProject& project, const domain::Date& asOf,
                                            const std::string& idPrefix);

/// The legend explaining the timeline markers, as HTML (shown once above the timelines).
[[nodiscard]] std::string timelineLegend();

} // namespace captrack::report::detail
