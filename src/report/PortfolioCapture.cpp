// ReportService's capture of a portfolio's state, for report snapshots (issue 14): what a snapshot keeps
// besides its renderings, so that "what changed" can compare two snapshots, or a snapshot and now.

#include "captrack/report/ReportService.h"

#include "captrack/domain/Vocabulary.h"
#include "captrack/storage/ReadSnapshot.h"

#include <algorithm>
#include <malloc.h>
#include <set>

namespace captrack::report
{

namespace
{
std::optional<std::string> nameOrNone(const std::optional<domain::Health>& health)
{
    return health ? std::optional<std::string>(std::string(domain::nameText(*health))) : std::nullopt;
}

storage::ProjectStateRow projectState(ProjectFacts&& facts, Poco::Int64 baselines)
{
    storage::ProjectStateRow row;
    row.projectId = facts.id;
    row.code = std::move(facts.code);
    row.title = std::move(facts.title);
    row.status = std::string(domain::nameText(facts.status));
    row.declaredHealth = nameOrNone(facts.declared);
    if (facts.declared)
        row.declaredReason = std::move(facts.declaredReason);
    row.computedHealth = nameOrNone(facts.computed.health);
    row.healthReasons = std::move(facts.computed.reasons);
    row.effectiveHealth = nameOrNone(facts.effective);
    row.baselines = baselines;
    row.budgetEur = facts.budgetEur;
    return row;
}

/// Keeps the rows whose project is one of `ids`.
template <typename Row> void keepProjects(std::vector<Row>& rows, const std::set<Poco::Int64>& ids)
{
    rows.erase(std::remove_if(rows.begin(), rows.end(), [&ids](const Row& row) { return !ids.count(row.projectId); }),
               rows.end());
}
} // namespace

storage::PortfolioState ReportService::captureState(Poco::Data::Session& session, const domain::Principal& principal,
                                                    const PortfolioRequest& request) const
{
    std::vector<std::optional<domain::Health>> healthFilter;
    PortfolioQuery query = queryFor(request, healthFilter);
    // Every milestone of every project, so that each is judged with its reasons; none are kept past this.
    query.keepAllMilestones = true;
    query.keepAllForFirst = static_cast<std::size_t>(-1); // every project's reasons, not only the first 300
    query.withObjectives = false;
    query.withMissions = false;
    auto projects = _loader.load(session, principal, query);
    const auto baselines = storage::SnapshotStore::baselineCounts(session);
    storage::PortfolioState state;
    state.asOf = query.asOf.toString();
    std::set<Poco::Int64> ids;
    for (auto& facts : projects)
    {
        if (!healthFilter.empty() &&
            std::find(healthFilter.begin(), healthFilter.end(), facts.effective) == healthFilter.end())
            continue;
        ids.insert(facts.id);
        const auto count = baselines.find(facts.id);
        state.projects.push_back(projectState(std::move(facts), count == baselines.end() ? 0 : count->second));
    }
    projects.clear();
    std::sort(state.projects.begin(), state.projects.end(),
              [](const auto& a, const auto& b) { return a.projectId < b.projectId; });
    state.milestones = storage::SnapshotStore::liveMilestones(session);
    keepProjects(state.milestones, ids);
    state.contributions = storage::SnapshotStore::liveContributions(session);
    keepProjects(state.contributions, ids);
    return state;
}

ReportService::Capture ReportService::capture(const ReportGate::Permit&, const domain::Principal& principal,
                                              const PortfolioRequest& request) const
{
    PortfolioRequest withTimelines = request;
    withTimelines.includeProjects = true;
    Capture capture;
    std::size_t loaded = 0;
    {
        storage::ReadSnapshot snapshot(_database);
        capture.report = build(snapshot.session(), principal, withTimelines, loaded);
        capture.state = captureState(snapshot.session(), principal, request);
    }
    malloc_trim(0); // as portfolio(): a capture is rare and holds the whole portfolio in memory at once
    return capture;
}

storage::PortfolioState ReportService::currentState(const ReportGate::Permit&, const domain::Principal& principal,
                                                    const PortfolioRequest& request) const
{
    storage::ReadSnapshot snapshot(_database);
    return captureState(snapshot.session(), principal, request);
}

} // namespace captrack::report
