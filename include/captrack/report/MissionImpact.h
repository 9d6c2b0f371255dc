#pragma once

#include "captrack/domain/StatusRules.h"

#include <optional>
#include <string>
#include <vector>

namespace captrack::report
{

/// A milestone of a supporting project that is overdue, slipped past amber, or pushed by a predecessor.
struct LateMilestone
{
    Poco::Int64 id = 0;
    std::string title;
    domain::Date baseline = domain::Date::fromDays(0);
    domain::Date due = domain::Date::fromDays(0);
    domain::Date projectedFinish = domain::Date::fromDays(0);
    long overdueDays = 0;
    long slipDays = 0;
    long pushedDays = 0;               ///< projected finish − due, at least 0
    std::vector<Poco::Int64> pushedBy; ///< predecessors projected to finish after the milestone is due
};

/// A project supporting the mission, with its late milestones.
struct ProjectImpact
{
    Poco::Int64 projectId = 0;
    std::string projectCode;
    std::string title;
    std::string relation; ///< as stored in the mission link
    std::optional<domain::Health> effective;
    std::vector<LateMilestone> lateMilestones;
};

/// The impact of slips on a mission (ScheduleAnalysis::missionImpact); rendered as JSON by
/// report/Renderers.h.
struct MissionImpact
{
    Poco::Int64 missionId = 0;
    std::string missionCode;
    domain::Date asOf = domain::Date::fromDays(0);
    std::vector<ProjectImpact> projects;
    Poco::Int64 projectsTotal = 0;
    int projectsWithLateMilestones = 0;
};

} // namespace captrack::report
