#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/domain/StatusRules.h"
#include "captrack/report/MissionImpact.h"
#include "captrack/report/PortfolioLoader.h"
#include "captrack/report/Trend.h"
#include "captrack/storage/Database.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace captrack::report
{

/// Milestone trend analysis of a project and the impact of slips on the missions projects support.
/// Each answer is a few set-based queries. Respects the principal's visibility. Safe for concurrent use.
class ScheduleAnalysis
{
public:
    ScheduleAnalysis(storage::Database& database, const domain::Clock& clock, domain::HealthThresholds thresholds);

    /// For each milestone of the project: its forecast over time from history (one point per change,
    /// with the date the change was made), and its slip against the current baseline or, given a
    /// baseline name, against that named baseline. NotFoundError for a project (or baseline) the
    /// principal may not see or that does not exist.
    [[nodiscard]] Trend trend(const domain::Principal& principal, Poco::Int64 projectId,
                              const std::optional<std::string>& baselineName) const;

    /// The projects supporting a mission with their effective health and their late, slipped or
    /// pushed milestones; a milestone is pushed when a predecessor (depends_on, finish-to-start,
    /// followed through whole chains) is projected to finish after the milestone is due.
    /// The mission is named by id or code; NotFoundError when there is none.
    [[nodiscard]] MissionImpact missionImpact(const domain::Principal& principal, const std::string& missionIdOrCode,
                                              std::optional<domain::Date> asOf) const;

private:
    storage::Database& _database;
    const domain::Clock& _clock;
    domain::HealthThresholds _thresholds;
    PortfolioLoader _loader;
};

/// The projected finish of each milestone: actual date when done, else the later of its own due
/// date and the projected finish of every predecessor. Cycles (which validation prevents) are cut.
[[nodiscard]] std::map<Poco::Int64, domain::Date> projectedFinish(
    const std::vector<domain::MilestoneFacts>& milestones, const std::multimap<Poco::Int64, Poco::Int64>& dependsOn);

} // namespace captrack::report
