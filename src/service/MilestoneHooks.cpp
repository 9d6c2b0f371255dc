#include "MilestoneHooks.h"

#include "ProjectTurn.h"
#include "WebhookEvents.h"

#include "captrack/domain/Specs.h"
#include "captrack/storage/DependencyStore.h"
#include "captrack/storage/HistoryStore.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace captrack::service
{

using domain::Record;

namespace
{
const char* const TRACKED_FIELDS[] = {"baseline_date", "forecast_date", "actual_date", "status", "progress"};
/// The fields the project's milestone roll-up is computed from (storage::RollupStore).
const char* const FIGURE_FIELDS[] = {"baseline_date", "forecast_date", "actual_date", "status", "progress", "weight"};
/// The fields that decide whether a milestone is open and when it is due (the open_milestones roll-up).
const char* const DUE_FIELDS[] = {"baseline_date", "forecast_date", "status"};

template <std::size_t N> bool anyDiffers(const char* const (&names)[N], const Record& before, const Record& after)
{
    return std::any_of(std::begin(names), std::end(names), [&](const char* name) {
        return domain::textField(before, name) != domain::textField(after, name);
    });
}

/// Refreshes what the write may have changed of the project's roll-ups (all of them for a new milestone).
/// Computed health reads only the open milestones' due days and slips, so only a write that changes
/// those (DUE_FIELDS) can change it: the project's health is watched across that refresh alone.
void refreshRollups(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                    const Record* before)
{
    using Parts = storage::RollupStore::MilestoneParts;
    if (before && !anyDiffers(FIGURE_FIELDS, *before, after))
        return; // a title or the dependencies
    const bool due = !before || anyDiffers(DUE_FIELDS, *before, after);
    const Poco::Int64 project = *domain::intField(after, "project_id");
    if (!due)
    {
        storage::RollupStore::refreshMilestones(session, project, Parts::Figures);
        return;
    }
    const HealthWatch health(session, project, context.at, context.thresholds);
    storage::RollupStore::refreshMilestones(session, project, Parts::FiguresAndDue);
    health.publishIfChanged(session);
}

std::optional<Poco::Int64> actorId(const WriteContext& context)
{
    return context.actor.userId ? std::optional<Poco::Int64>(context.actor.userId) : std::nullopt;
}

void appendHistory(Poco::Data::Session& session, const WriteContext& context, const Record& milestone,
                   const std::string& action)
{
    storage::MilestoneHistoryRow row;
    row.milestoneId = domain::recordId(milestone);
    row.projectId = *domain::intField(milestone, "project_id");
    row.at = context.at;
    row.userId = actorId(context);
    row.action = action;
    row.baselineDate = domain::textField(milestone, "baseline_date");
    row.forecastDate = domain::textField(milestone, "forecast_date");
    row.actualDate = domain::textField(milestone, "actual_date");
    row.status = domain::textField(milestone, "status");
    row.progress = domain::intField(milestone, "progress").value_or(0);
    storage::HistoryStore::appendMilestone(session, row);
}

/// True when following depends_on edges from `start` reaches `target`.
bool reaches(const std::map<Poco::Int64, std::vector<Poco::Int64>>& edges, Poco::Int64 start, Poco::Int64 target)
{
    std::set<Poco::Int64> seen;
    std::vector<Poco::Int64> stack{start};
    while (!stack.empty())
    {
        const Poco::Int64 node = stack.back();
        stack.pop_back();
        if (node == target)
            return true;
        if (!seen.insert(node).second)
            continue;
        const auto it = edges.find(node);
        if (it != edges.end())
            stack.insert(stack.end(), it->second.begin(), it->second.end());
    }
    return false;
}
} // namespace

void MilestoneHooks::check(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                           const Record* before, FieldErrors& errors) const
{
    const auto dependsOn = domain::idListField(after, "depends_on");
    if (dependsOn.empty())
        return;
    if (before)
    {
        // The dependencies it had were checked when written, and none can leave its project since.
        auto had = domain::idListField(*before, "depends_on");
        std::sort(had.begin(), had.end());
        auto now = dependsOn;
        std::sort(now.begin(), now.end());
        if (had == now)
            return;
    }
    const Poco::Int64 projectId = *domain::intField(after, "project_id");
    const auto ids = storage::DependencyStore::milestoneIdsOf(session, projectId);
    const std::set<Poco::Int64> sameProject(ids.begin(), ids.end());
    const Poco::Int64 self = before ? domain::recordId(*before) : 0;
    for (auto id : dependsOn)
    {
        if (id == self)
            errors.push_back({"depends_on", "a milestone cannot depend on itself"});
        else if (!sameProject.count(id))
            errors.push_back({"depends_on", "milestone " + std::to_string(id) + " is not part of this project"});
    }
    if (!errors.empty() || !before)
        return; // a new milestone has no dependants yet, so it cannot close a cycle
    const auto had = domain::idListField(*before, "depends_on");
    if (std::all_of(dependsOn.begin(), dependsOn.end(),
                    [&](Poco::Int64 id) { return std::find(had.begin(), had.end(), id) != had.end(); }))
        return; // no new edge, no new cycle
    // Two writes that each add an edge could close a cycle between them while each sees only the
    // committed graph: the project's graph row makes them take turns, and the graph is read with a
    // locking read, so the later one sees the earlier one's edge (storage::DependencyStore).
    storage::DependencyStore::takeTurn(session, context.store, projectId);
    std::map<Poco::Int64, std::vector<Poco::Int64>> edges;
    for (const auto& [owner, target] : storage::DependencyStore::lockedEdges(session, context.store, projectId))
        if (owner != self)
            edges[owner].push_back(target);
    edges[self] = dependsOn;
    for (auto id : dependsOn)
        if (reaches(edges, id, self))
            errors.push_back({"depends_on", "milestone " + std::to_string(id) +
                                                " already depends on this one: that would make a loop"});
}

void MilestoneHooks::lockFirst(Poco::Data::Session& session, const WriteTarget& target) const
{
    takeProjectTurn(session, "milestones", target);
}

void MilestoneHooks::afterWrite(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                                const Record* before) const
{
    if (context.deferredRollups)
        context.deferredRollups->insert(*domain::intField(after, "project_id"));
    else
        refreshRollups(session, context, after, before);
    publishRecordChange(session, context, domain::WebhookEvent::MilestoneChanged, domain::milestoneSpec(), after,
                        before ? "update" : "create");
    if (before && !anyDiffers(TRACKED_FIELDS, *before, after))
        return;
    appendHistory(session, context, after, before ? "update" : "create");
}

void MilestoneHooks::afterDelete(Poco::Data::Session& session, const WriteContext& context, const Record& before) const
{
    const Poco::Int64 project = *domain::intField(before, "project_id");
    const HealthWatch health(session, project, context.at, context.thresholds);
    storage::RollupStore::refreshMilestones(session, project);
    health.publishIfChanged(session);
    publishRecordChange(session, context, domain::WebhookEvent::MilestoneChanged, domain::milestoneSpec(), before,
                        "delete");
    appendHistory(session, context, before, "delete");
}

} // namespace captrack::service
