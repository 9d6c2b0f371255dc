#include "captrack/storage/ScheduleRows.h"

#include "NullableColumns.h"

#include "captrack/domain/DecimalId.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

namespace captrack::storage
{

using domain::Date;
using namespace Poco::Data::Keywords;

std::optional<MissionRow> ScheduleRows::missionByIdOrCode(Poco::Data::Session& session, const std::string& idOrCode)
{
    std::vector<Poco::Int64> ids;
    std::vector<std::string> codes;
    std::string key = idOrCode;
    if (const auto number = domain::decimalNumber(key))
        session << "SELECT id, code FROM missions WHERE id = ?", bind(*number), into(ids), into(codes), now;
    else
        session << "SELECT id, code FROM missions WHERE code = ?", bind(key), into(ids), into(codes), now;
    if (ids.empty())
        return std::nullopt;
    return MissionRow{ids.front(), codes.front()};
}

std::optional<BaselineDates> ScheduleRows::namedBaseline(Poco::Data::Session& session, Poco::Int64 projectId,
                                                         const std::string& name)
{
    std::vector<Poco::Int64> ids;
    std::string wanted = name;
    session << "SELECT id FROM baselines WHERE project_id = ? AND name = ?", use(projectId), use(wanted), into(ids),
        now;
    if (ids.empty())
        return std::nullopt;
    BaselineDates baseline{ids.front(), {}};
    std::vector<Poco::Int64> milestones;
    std::vector<std::string> dates;
    session << "SELECT milestone_id, baseline_date FROM baseline_items WHERE baseline_id = ?", use(baseline.id),
        into(milestones), into(dates), now;
    for (std::size_t i = 0; i < milestones.size(); ++i)
        baseline.dates.emplace(milestones[i], *Date::parse(dates[i]));
    return baseline;
}

std::vector<HistoryRow> ScheduleRows::milestoneHistory(Poco::Data::Session& session, Poco::Int64 projectId)
{
    std::vector<Poco::Int64> ids;
    std::vector<std::string> ats, baselines;
    std::vector<Poco::Nullable<std::string>> forecasts;
    session << "SELECT milestone_id, at, baseline_date, forecast_date FROM milestone_history WHERE project_id = ? "
               "ORDER BY milestone_id, id",
        use(projectId), into(ids), into(ats), into(baselines), into(forecasts), now;
    std::vector<HistoryRow> out;
    out.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        const auto forecast = optionalOf(forecasts[i]);
        out.push_back(
            {ids[i], std::move(ats[i]), *Date::parse(baselines[i]), forecast ? Date::parse(*forecast) : std::nullopt});
    }
    return out;
}

std::multimap<Poco::Int64, Poco::Int64> ScheduleRows::missionDependencies(Poco::Data::Session& session,
                                                                          Poco::Int64 missionId)
{
    std::vector<Poco::Int64> owners, targets;
    session << "SELECT d.milestone_id, d.depends_on_id FROM milestone_dependencies d JOIN milestones m ON "
               "m.id = d.milestone_id WHERE m.project_id IN (SELECT project_id FROM mission_links WHERE mission_id "
               "= ?)",
        use(missionId), into(owners), into(targets), now;
    std::multimap<Poco::Int64, Poco::Int64> dependsOn;
    for (std::size_t i = 0; i < owners.size(); ++i)
        dependsOn.emplace(owners[i], targets[i]);
    return dependsOn;
}

std::vector<MissionLinkRow> ScheduleRows::missionLinks(Poco::Data::Session& session, Poco::Int64 missionId)
{
    std::vector<Poco::Int64> projectIds;
    std::vector<std::string> relations;
    session << "SELECT project_id, relation FROM mission_links WHERE mission_id = ?", use(missionId), into(projectIds),
        into(relations), now;
    std::vector<MissionLinkRow> out;
    out.reserve(projectIds.size());
    for (std::size_t i = 0; i < projectIds.size(); ++i)
        out.push_back({projectIds[i], std::move(relations[i])});
    return out;
}

} // namespace captrack::storage
