#include "captrack/report/ScheduleAnalysis.h"

#include "captrack/Metrics.h"

#include "captrack/storage/PortfolioScope.h"
#include "captrack/storage/ReadSnapshot.h"
#include "captrack/storage/ScheduleRows.h"

#include "captrack/Errors.h"

#include <set>

namespace captrack::report
{

using domain::Date;
using domain::MilestoneFacts;
using storage::ScheduleRows;

namespace
{
/// A milestone on the walk's stack: its projection so far and the next of its links to follow.
struct Visit
{
    const MilestoneFacts* milestone;
    Date projected;
    std::multimap<Poco::Int64, Poco::Int64>::const_iterator next, end;
};

/// Sets finish[id] of `start` and of every milestone it depends on, through whole chains, depth first
/// with an explicit stack (a chain of 100,000 links must not exhaust the thread's stack). A link to a
/// milestone still on the stack closes a cycle and is cut; a link to an unknown id is ignored.
void walkPredecessors(const MilestoneFacts& start, const std::map<Poco::Int64, const MilestoneFacts*>& byId,
                      const std::multimap<Poco::Int64, Poco::Int64>& dependsOn, std::map<Poco::Int64, Date>& finish)
{
    std::vector<Visit> stack;
    std::set<Poco::Int64> onStack;
    const auto enter = [&](const MilestoneFacts& m) {
        if (finish.count(m.id))
            return;
        if (m.isDone() && m.actual)
        {
            finish.emplace(m.id, *m.actual);
            return;
        }
        const auto links = dependsOn.equal_range(m.id);
        stack.push_back({&m, m.due(), links.first, links.second});
        onStack.insert(m.id);
    };
    enter(start);
    while (!stack.empty())
    {
        const std::size_t top = stack.size() - 1; // an index: enter() may reallocate the stack
        if (stack[top].next == stack[top].end)
        {
            const Visit done = stack[top];
            stack.pop_back();
            onStack.erase(done.milestone->id);
            finish.emplace(done.milestone->id, done.projected);
            if (!stack.empty())
                stack.back().projected = std::max(stack.back().projected, done.projected);
            continue;
        }
        const Poco::Int64 predecessorId = (stack[top].next++)->second;
        const auto predecessor = byId.find(predecessorId);
        if (predecessor == byId.end() || onStack.count(predecessorId))
            continue;
        enter(*predecessor->second); // pushes it, or finishes it at once when it is done or known
        if (const auto known = finish.find(predecessorId); known != finish.end())
            stack[top].projected = std::max(stack[top].projected, known->second);
    }
}
} // namespace

std::map<Poco::Int64, Date> projectedFinish(const std::vector<MilestoneFacts>& milestones,
                                            const std::multimap<Poco::Int64, Poco::Int64>& dependsOn)
{
    std::map<Poco::Int64, const MilestoneFacts*> byId;
    for (const auto& m : milestones)
        byId[m.id] = &m;
    std::map<Poco::Int64, Date> finish;
    for (const auto& m : milestones)
        walkPredecessors(m, byId, dependsOn, finish);
    return finish;
}

namespace
{
/// The open milestones of a project that are overdue, slipped past amber, or pushed by a predecessor
/// projected to finish after they are due (ScheduleAnalysis::missionImpact).
std::vector<LateMilestone> lateMilestones(const ProjectFacts& p,
                                          const std::multimap<Poco::Int64, Poco::Int64>& dependsOn, const Date& asOf,
                                          const domain::HealthThresholds& thresholds)
{
    const auto finish = projectedFinish(p.milestones, dependsOn);
    std::vector<LateMilestone> late;
    for (const auto& m : p.milestones)
    {
        if (!m.isOpen())
            continue;
        const long overdue = m.overdueDays(asOf), slip = m.slipDays();
        const long pushed = finish.at(m.id).daysSince(m.due());
        if (overdue == 0 && slip <= thresholds.amberSlipDays && pushed <= 0)
            continue;
        LateMilestone item{m.id,    m.title, m.baseline,           m.due(), finish.at(m.id),
                           overdue, slip,    std::max(0L, pushed), {}};
        const auto range = dependsOn.equal_range(m.id);
        for (auto it = range.first; it != range.second; ++it)
            if (finish.count(it->second) && finish.at(it->second) > m.due())
                item.pushedBy.push_back(it->second);
        late.push_back(std::move(item));
    }
    return late;
}

/// One milestone of a trend: its dates, its slip against `reference` and its forecasts over time.
TrendMilestone trendMilestone(const MilestoneFacts& m, const Date& reference, std::vector<TrendPoint> points)
{
    const long slip = (m.isDone() && m.actual ? *m.actual : m.due()).daysSince(reference);
    return {m.id, m.title, m.status, m.baseline, reference, m.due(), m.actual, slip, std::move(points)};
}

/// Each milestone's recorded forecasts (the baseline where none was forecast), oldest first.
std::map<Poco::Int64, std::vector<TrendPoint>> historyOf(Poco::Data::Session& session, Poco::Int64 projectId)
{
    std::map<Poco::Int64, std::vector<TrendPoint>> history;
    for (auto& row : ScheduleRows::milestoneHistory(session, projectId))
        history[row.milestoneId].push_back({row.at.substr(0, 10), row.forecast ? row.forecast : row.baseline});
    return history;
}
} // namespace

ScheduleAnalysis::ScheduleAnalysis(storage::Database& database, const domain::Clock& clock,
                                   domain::HealthThresholds thresholds)
    : _database(database), _clock(clock), _thresholds(thresholds), _loader(database)
{
}

Trend ScheduleAnalysis::trend(const domain::Principal& principal, Poco::Int64 projectId,
                              const std::optional<std::string>& baselineName) const
{
    const metrics::ReportTimer timer(metrics::Report::Trend);
    PortfolioQuery query;
    query.conditions.push_back(storage::PortfolioScope::projectIs(projectId));
    query.asOf = _clock.today();
    query.thresholds = _thresholds;
    query.keepAllMilestones = true;
    // The project, its history and its baseline as of one moment.
    storage::ReadSnapshot snapshot(_database);
    auto& session = snapshot.session();
    const auto projects = _loader.load(session, principal, query);
    if (projects.empty())
        throw NotFoundError("no project with id " + std::to_string(projectId));
    std::map<Poco::Int64, Date> compared;
    if (baselineName)
    {
        auto baseline = ScheduleRows::namedBaseline(session, projectId, *baselineName);
        if (!baseline)
            throw NotFoundError("no baseline '" + *baselineName + "'");
        compared = std::move(baseline->dates);
    }
    auto history = historyOf(session, projectId);
    Trend out{projectId, projects.front().code, baselineName, {}};
    for (const auto& m : projects.front().milestones)
    {
        const auto named = compared.find(m.id);
        if (baselineName && named == compared.end())
            continue; // added after that baseline was taken
        const Date reference = named != compared.end() ? named->second : m.baseline;
        out.milestones.push_back(trendMilestone(m, reference, std::move(history[m.id])));
    }
    return out;
}

MissionImpact ScheduleAnalysis::missionImpact(const domain::Principal& principal, const std::string& missionIdOrCode,
                                              std::optional<domain::Date> asOf) const
{
    const metrics::ReportTimer timer(metrics::Report::MissionImpact);
    // The mission, its projects and their dependencies as of one moment.
    storage::ReadSnapshot snapshot(_database);
    auto& session = snapshot.session();
    const auto mission = ScheduleRows::missionByIdOrCode(session, missionIdOrCode);
    if (!mission)
        throw NotFoundError("no mission " + missionIdOrCode);
    PortfolioQuery query;
    query.conditions.push_back(storage::PortfolioScope::supportsMission(mission->id));
    query.asOf = asOf.value_or(_clock.today());
    query.thresholds = _thresholds;
    query.keepAllMilestones = true;
    const auto projects = _loader.load(session, principal, query);
    const auto dependsOn = ScheduleRows::missionDependencies(session, mission->id);
    std::map<Poco::Int64, std::string> relations;
    for (auto& link : ScheduleRows::missionLinks(session, mission->id))
        relations[link.projectId] = std::move(link.relation);

    MissionImpact out{mission->id, mission->code, query.asOf, {}, static_cast<Poco::Int64>(projects.size()), 0};
    for (const auto& p : projects)
    {
        auto late = lateMilestones(p, dependsOn, query.asOf, _thresholds);
        out.projectsWithLateMilestones += late.empty() ? 0 : 1;
        out.projects.push_back({p.id, p.code, p.title, relations[p.id], p.effective, std::move(late)});
    }
    return out;
}

} // namespace captrack::report
