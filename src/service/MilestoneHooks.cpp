#include "MilestoneHooks.h"

#include <Poco/Nullable.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace captrack::service
{

using domain::Record;
using namespace Poco::Data::Keywords;

namespace
{
const char* const TRACKED_FIELDS[] = {"baseline_date", "forecast_date", "actual_date", "status", "progress"};

Poco::Nullable<std::string> nullableText(const Record& record, const char* name)
{
    const auto value = domain::textField(record, name);
    return value ? Poco::Nullable<std::string>(*value) : Poco::Nullable<std::string>();
}

Poco::Nullable<Poco::Int64> actorId(const WriteContext& context)
{
    return context.actor.userId ? Poco::Nullable<Poco::Int64>(context.actor.userId) : Poco::Nullable<Poco::Int64>();
}

void appendHistory(Poco::Data::Session& session, const WriteContext& context, const Record& milestone,
                   const std::string& action)
{
    session << "INSERT INTO milestone_history (milestone_id, project_id, at, user_id, action, baseline_date, "
               "forecast_date, actual_date, status, progress) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bind(domain::recordId(milestone)), bind(*domain::intField(milestone, "project_id")), bind(context.at),
        bind(actorId(context)), bind(action), bind(nullableText(milestone, "baseline_date")),
        bind(nullableText(milestone, "forecast_date")), bind(nullableText(milestone, "actual_date")),
        bind(nullableText(milestone, "status")), bind(domain::intField(milestone, "progress").value_or(0)), now;
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
    Poco::Int64 projectId = *domain::intField(after, "project_id");
    std::vector<Poco::Int64> ids, owners, targets;
    session << "SELECT id FROM milestones WHERE project_id = ?", use(projectId), into(ids), now;
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
    // committed graph: the project's graph row makes them take turns (a row lock; on Galera a
    // certification conflict, and the loser runs again), and the graph is read with a locking read, so
    // the later one sees the earlier one's edge.
    session << context.store.ensureRowSql("dependency_graph_versions (project_id, version) VALUES (?, 0)", "version"),
        use(projectId), now;
    session << "UPDATE dependency_graph_versions SET version = version + 1 WHERE project_id = ?", use(projectId), now;
    // Only the edges are locked (the subquery is a plain read): locking the project's milestones too
    // would deadlock with a concurrent write that holds one of them and waits for the graph row.
    session << "SELECT d.milestone_id, d.depends_on_id FROM milestone_dependencies d "
               "WHERE d.milestone_id IN (SELECT id FROM milestones WHERE project_id = ?)" +
                   context.store.lockRowsSuffix(),
        use(projectId), into(owners), into(targets), now;
    std::map<Poco::Int64, std::vector<Poco::Int64>> edges;
    for (std::size_t i = 0; i < owners.size(); ++i)
        if (owners[i] != self)
            edges[owners[i]].push_back(targets[i]);
    edges[self] = dependsOn;
    for (auto id : dependsOn)
        if (reaches(edges, id, self))
            errors.push_back({"depends_on", "milestone " + std::to_string(id) +
                                                " already depends on this one: that would make a loop"});
}

void MilestoneHooks::afterWrite(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                                const Record* before) const
{
    if (before)
    {
        bool changed = false;
        for (const char* name : TRACKED_FIELDS)
            changed = changed || domain::textField(*before, name) != domain::textField(after, name);
        if (!changed)
            return;
    }
    appendHistory(session, context, after, before ? "update" : "create");
}

void MilestoneHooks::afterDelete(Poco::Data::Session& session, const WriteContext& context, const Record& before) const
{
    appendHistory(session, context, before, "delete");
}

void ProjectHooks::afterWrite(Poco::Data::Session& session, const WriteContext& context, const Record& after,
                              const Record* before) const
{
    const auto health = domain::textField(after, "declared_health");
    const auto reason = domain::textField(after, "declared_reason");
    if (before ? health == domain::textField(*before, "declared_health") &&
                     reason == domain::textField(*before, "declared_reason")
               : !health)
        return;
    Poco::Int64 projectId = domain::recordId(after);
    session << "INSERT INTO health_history (project_id, at, user_id, declared_health, declared_reason) "
               "VALUES (?, ?, ?, ?, ?)",
        use(projectId), bind(context.at), bind(actorId(context)), bind(nullableText(after, "declared_health")),
        bind(nullableText(after, "declared_reason")), now;
}

} // namespace captrack::service
