#pragma once

#include "captrack/domain/StatusRules.h"

#include <optional>
#include <string>
#include <vector>

namespace captrack::report
{

/// One recorded forecast of a milestone: the day the change was made and the date then due.
struct TrendPoint
{
    std::string at; ///< YYYY-MM-DD, the first ten characters of the recorded time
    std::optional<domain::Date> due;
};

/// One milestone of a trend: its dates, its slip against the compared baseline, its forecasts over time.
struct TrendMilestone
{
    Poco::Int64 id = 0;
    std::string title;
    domain::MilestoneStatus status = domain::MilestoneStatus::Planned;
    domain::Date baseline = domain::Date::fromDays(0);
    domain::Date comparedTo = domain::Date::fromDays(0); ///< the named baseline's date, or `baseline`
    domain::Date due = domain::Date::fromDays(0);
    std::optional<domain::Date> actual;
    long slipDays = 0; ///< (actual when done, else due) − comparedTo
    std::vector<TrendPoint> points;
};

/// The milestone trend analysis of a project (ScheduleAnalysis::trend); rendered as JSON
/// (report/Renderers.h) or as a chart (report/TrendChart.h).
struct Trend
{
    Poco::Int64 projectId = 0;
    std::string projectCode;
    std::optional<std::string> baseline; ///< the named baseline compared with; none: the current one
    std::vector<TrendMilestone> milestones;
};

} // namespace captrack::report
