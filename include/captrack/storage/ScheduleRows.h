#pragma once

#include "captrack/domain/Date.h"

#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace captrack::storage
{

/// A mission's id and code.
struct MissionRow
{
    Poco::Int64 id = 0;
    std::string code;
};

/// A named baseline of a project: its id and the baseline date of each milestone it holds.
struct BaselineDates
{
    Poco::Int64 id = 0;
    std::map<Poco::Int64, domain::Date> dates; ///< by milestone id
};

/// One recorded change of a milestone's dates.
struct HistoryRow
{
    Poco::Int64 milestoneId = 0;
    std::string at; ///< when the change was made, as stored
    domain::Date baseline = domain::Date::fromDays(0);
    std::optional<domain::Date> forecast;
};

/// A project's link to a mission.
struct MissionLinkRow
{
    Poco::Int64 projectId = 0;
    std::string relation;
};

/// The reads of the schedule analysis (trends and mission impact), each one statement or two on the
/// caller's session. They do not check visibility: the caller reads the projects through PortfolioRows
/// first. Every call throws Poco::Data::DataException on a database error. Stateless; safe for concurrent
/// use on different sessions.
class ScheduleRows
{
public:
    /// The mission whose id (a decimal number, domain::isDecimalNumber) or else code is `idOrCode`; none
    /// when there is no such mission.
    [[nodiscard]] static std::optional<MissionRow> missionByIdOrCode(Poco::Data::Session& session,
                                                                     const std::string& idOrCode);
    /// The project's baseline called `name`; none when it has none of that name.
    [[nodiscard]] static std::optional<BaselineDates> namedBaseline(Poco::Data::Session& session, Poco::Int64 projectId,
                                                                    const std::string& name);
    /// The date changes of the project's milestones, by milestone id, oldest first.
    [[nodiscard]] static std::vector<HistoryRow> milestoneHistory(Poco::Data::Session& session, Poco::Int64 projectId);
    /// Every (milestone, predecessor) dependency of a milestone of a project linked to the mission.
    [[nodiscard]] static std::multimap<Poco::Int64, Poco::Int64> missionDependencies(Poco::Data::Session& session,
                                                                                     Poco::Int64 missionId);
    /// The projects linked to the mission, with their relation to it.
    [[nodiscard]] static std::vector<MissionLinkRow> missionLinks(Poco::Data::Session& session, Poco::Int64 missionId);
};

} // namespace captrack::storage
