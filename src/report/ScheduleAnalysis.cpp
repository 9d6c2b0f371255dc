#include "captrack/report/ScheduleAnalysis.h"

#include "captrack/storage/PortfolioScope.h"
#include "captrack/storage/ReadSnapshot.h"
#include "captrack/storage/ScheduleRows.h"

#include "captrack/Errors.h"

#include <Poco/JSON/Array.h>

#include <set>

namespace captrack::report
{

using domain::Date;
using domain::MilestoneFacts;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;
using storage::ScheduleRows;

namespace
{
Var dateOrNull(const std::optional<Date>& date)
{
    return date ? Var(date->toString()) : Var();
}

Array::Ptr trendPoints(const std::vector<std::pair<std::string, std::optional<Date>>>& history)
{
    Array::Ptr points = new Array;
    for (const auto& [at, due] : history)
    {
        Object::Ptr point = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        point->set("at", at.substr(0, 10));
        point->set("due", dateOrNull(due));
        points->add(point);
    }
    return points;
}

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
Array::Ptr lateMilestones(const ProjectStatus& p, const std::multimap<Poco::Int64, Poco::Int64>& dependsOn,
                          const Date& asOf, const domain::HealthThresholds& thresholds)
{
    const auto finish = projectedFinish(p.milestones, dependsOn);
    Array::Ptr late = new Array;
    for (const auto& m : p.milestones)
    {
        if (!m.isOpen())
            continue;
        const long overdue = m.overdueDays(asOf), slip = m.slipDays();
        const long pushed = finish.at(m.id).daysSince(m.due());
        if (overdue == 0 && slip <= thresholds.amberSlipDays && pushed <= 0)
            continue;
        Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("id", m.id);
        item->set("title", m.title);
        item->set("baseline_date", m.baseline.toString());
        item->set("due", m.due().toString());
        item->set("projected_finish", finish.at(m.id).toString());
        item->set("overdue_days", static_cast<Poco::Int64>(overdue));
        item->set("slip_days", static_cast<Poco::Int64>(slip));
        item->set("pushed_days", static_cast<Poco::Int64>(std::max(0L, pushed)));
        Array::Ptr pushedBy = new Array;
        const auto range = dependsOn.equal_range(m.id);
        for (auto it = range.first; it != range.second; ++it)
            if (finish.count(it->second) && finish.at(it->second) > m.due())
                pushedBy->add(it->second);
        item->set("pushed_by", pushedBy);
        late->add(item);
    }
    return late;
}

/// One milestone of a trend: its dates, its slip against `reference` and its forecasts over time.
Object::Ptr trendMilestone(const MilestoneFacts& m, const Date& reference,
                           const std::vector<std::pair<std::string, std::optional<Date>>>& history)
{
    Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("id", m.id);
    item->set("title", m.title);
    item->set("status", domain::nameText(m.status));
    item->set("baseline_date", m.baseline.toString());
    item->set("compared_to", reference.toString());
    item->set("due", m.due().toString());
    item->set("actual_date", dateOrNull(m.actual));
    item->set("slip_days",
              static_cast<Poco::Int64>((m.isDone() && m.actual ? *m.actual : m.due()).daysSince(reference)));
    item->set("points", trendPoints(history));
    return item;
}
} // namespace

ScheduleAnalysis::ScheduleAnalysis(storage::Database& database, const domain::Clock& clock,
                                   domain::HealthThresholds thresholds)
    : _database(database), _clock(clock), _thresholds(thresholds), _loader(database)
{
}

Poco::JSON::Object::Ptr ScheduleAnalysis::trend(const domain::Principal& principal, Poco::Int64 projectId,
                                                const std::optional<std::string>& baselineName) const
{
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
    std::map<Poco::Int64, std::vector<std::pair<std::string, std::optional<Date>>>> history;
    for (auto& row : ScheduleRows::milestoneHistory(session, projectId))
        history[row.milestoneId].emplace_back(std::move(row.at), row.forecast ? row.forecast : row.baseline);

    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("project_id", projectId);
    out->set("project_code", projects.front().code);
    out->set("baseline", baselineName ? Var(*baselineName) : Var());
    Array::Ptr milestones = new Array;
    for (const auto& m : projects.front().milestones)
    {
        const auto named = compared.find(m.id);
        if (baselineName && named == compared.end())
            continue; // added after that baseline was taken
        const Date reference = named != compared.end() ? named->second : m.baseline;
        milestones->add(trendMilestone(m, reference, history[m.id]));
    }
    out->set("milestones", milestones);
    return out;
}

Poco::JSON::Object::Ptr ScheduleAnalysis::missionImpact(const domain::Principal& principal,
                                                        const std::string& missionIdOrCode,
                                                        std::optional<domain::Date> asOf) const
{
    // The mission, its projects and their dependencies as of one moment.
    storage::ReadSnapshot snapshot(_database);
    auto& session = snapshot.session();
    const auto mission = ScheduleRows::missionByIdOrCode(session, missionIdOrCode);
    if (!mission)
        throw NotFoundError("no mission " + missionIdOrCode);
    const Poco::Int64 missionId = mission->id;
    const std::string& missionCode = mission->code;
    PortfolioQuery query;
    query.conditions.push_back(storage::PortfolioScope::supportsMission(missionId));
    query.asOf = asOf.value_or(_clock.today());
    query.thresholds = _thresholds;
    query.keepAllMilestones = true;
    const auto projects = _loader.load(session, principal, query);

    const auto dependsOn = ScheduleRows::missionDependencies(session, missionId);
    std::map<Poco::Int64, std::string> relations;
    for (auto& link : ScheduleRows::missionLinks(session, missionId))
        relations[link.projectId] = std::move(link.relation);

    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("mission_id", missionId);
    out->set("mission_code", missionCode);
    out->set("as_of", query.asOf.toString());
    Array::Ptr items = new Array;
    int atRisk = 0;
    for (const auto& p : projects)
    {
        const Array::Ptr late = lateMilestones(p, dependsOn, query.asOf, _thresholds);
        atRisk += late->size() > 0 ? 1 : 0;
        Object::Ptr project = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        project->set("project_id", p.id);
        project->set("project_code", p.code);
        project->set("title", p.title);
        project->set("relation", relations[p.id]);
        project->set("effective_health", p.effective ? Var(domain::nameText(*p.effective)) : Var());
        project->set("late_milestones", late);
        items->add(project);
    }
    out->set("projects", items);
    out->set("projects_total", static_cast<Poco::Int64>(projects.size()));
    out->set("projects_with_late_milestones", atRisk);
    return out;
}

} // namespace captrack::report
