#include "captrack/report/PortfolioLoader.h"

#include "captrack/storage/PortfolioRows.h"
#include "captrack/storage/ReadSnapshot.h"

#include "captrack/service/AccessPolicy.h"

#include <algorithm>
#include <unordered_map>

namespace captrack::report
{

using domain::MilestoneFacts;
using storage::PortfolioRows;
using storage::PortfolioScope;

namespace
{
using Index = std::unordered_map<Poco::Int64, std::size_t>; ///< project id -> position in the result

/// Keeps what a portfolio report lists: overdue milestones and open ones due within the look-ahead.
bool isNotable(const MilestoneFacts& m, const PortfolioQuery& query)
{
    if (!m.isOpen())
        return false;
    return m.overdueDays(query.asOf) > 0 ||
           (m.due() >= query.asOf && m.due().daysSince(query.asOf) <= query.lookAheadDays);
}

ProjectFacts statusOf(storage::ProjectRow&& row)
{
    ProjectFacts p;
    p.id = row.id;
    p.code = std::move(row.code);
    p.title = std::move(row.title);
    p.kind = row.kind;
    p.status = row.status;
    p.capabilityArea = std::move(row.capabilityArea);
    p.budgetEur = row.budgetEur;
    p.declared = row.declared;
    p.declaredReason = std::move(row.declaredReason);
    return p;
}

/// Step 1: the projects in scope, ordered by code (titles and reasons only where they are shown: on a
/// large portfolio they are most of a project's memory).
std::vector<ProjectFacts> readProjects(Poco::Data::Session& session, const PortfolioScope& scope,
                                       const PortfolioQuery& query)
{
    auto rows = PortfolioRows::projects(
        session, scope, query.keepAllMilestones ? PortfolioRows::Titles::Read : PortfolioRows::Titles::Omit);
    std::vector<ProjectFacts> projects;
    projects.reserve(rows.size());
    for (auto& row : rows)
        projects.push_back(statusOf(std::move(row)));
    return projects;
}

Index indexOf(const std::vector<ProjectFacts>& projects)
{
    Index index;
    for (std::size_t i = 0; i < projects.size(); ++i)
        index[projects[i].id] = i;
    return index;
}

/// One accumulator per project, judging from every milestone; reasons and the next milestone
/// (strings) only where they will be shown (summaries, trends, the first HTML timelines).
std::vector<domain::StatusAccumulator> accumulatorsFor(std::size_t count, const PortfolioQuery& query)
{
    std::vector<domain::StatusAccumulator> accumulators;
    accumulators.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        accumulators.emplace_back(query.asOf, query.thresholds, query.keepAllMilestones && i < query.keepAllForFirst);
    return accumulators;
}

/// Step 2: streams the milestones, folding each into its project's accumulator as rows arrive (no sort),
/// so that memory holds only the milestones kept; then judges each project by the status rules.
void foldMilestones(Poco::Data::Session& session, const PortfolioScope& scope, const PortfolioQuery& query,
                    std::vector<ProjectFacts>& projects, const Index& index)
{
    auto accumulators = accumulatorsFor(projects.size(), query);
    PortfolioRows::milestones(session, scope, [&](storage::MilestoneRow&& row) {
        const auto at = index.find(row.projectId);
        if (at == index.end())
            return;
        accumulators[at->second].add(row.milestone);
        if ((query.keepAllMilestones && at->second < query.keepAllForFirst) || isNotable(row.milestone, query))
            projects[at->second].milestones.push_back(std::move(row.milestone));
    });
    for (std::size_t i = 0; i < projects.size(); ++i)
    {
        auto& p = projects[i];
        p.computed = accumulators[i].takeVerdict(p.status);
        p.rollup = accumulators[i].takeRollup();
        p.effective = domain::effectiveHealth(p.declared, p.computed.health);
    }
}

/// What a principal sees of a contribution: without service::AccessPolicy::seesContributionDetails
/// (a partner on another partner's contribution) its amounts are zero and its state unknown.
ContributionFacts factsFor(storage::ContributionRow&& row, const domain::Principal& principal)
{
    ContributionFacts c{
        row.partnerId, std::move(row.partnerCode), std::move(row.framework), row.state, row.amountEur, row.personMonths,
        true};
    if (!service::AccessPolicy::seesContributionDetails(principal, c.partnerId))
    {
        c.amountEur = 0;
        c.personMonths = 0;
        c.state.reset();
        c.amountVisible = false;
    }
    return c;
}

/// Step 3: streams the contributions into their projects.
void addContributions(Poco::Data::Session& session, const PortfolioScope& scope, const domain::Principal& principal,
                      std::vector<ProjectFacts>& projects, const Index& index)
{
    PortfolioRows::contributions(session, scope, [&](storage::ContributionRow&& row) {
        if (const auto at = index.find(row.projectId); at != index.end())
            projects[at->second].contributions.push_back(factsFor(std::move(row), principal));
    });
}

void addCodes(std::vector<storage::ProjectLink>&& links, std::vector<std::string> ProjectFacts::*member,
              std::vector<ProjectFacts>& projects, const Index& index)
{
    for (auto& link : links)
        if (const auto at = index.find(link.projectId); at != index.end())
            (projects[at->second].*member).push_back(std::move(link.code));
}

/// Step 4: each project's objective codes and mission codes, where the query wants them.
void addLinks(Poco::Data::Session& session, const PortfolioScope& scope, const PortfolioQuery& query,
              std::vector<ProjectFacts>& projects, const Index& index)
{
    if (query.withObjectives)
        addCodes(PortfolioRows::objectives(session, scope), &ProjectFacts::objectives, projects, index);
    if (query.withMissions)
        addCodes(PortfolioRows::missions(session, scope), &ProjectFacts::missions, projects, index);
}

/// Step 5, on memory: the child reads come unsorted, so order within each project.
void orderWithinProjects(std::vector<ProjectFacts>& projects)
{
    for (auto& p : projects)
    {
        std::sort(p.milestones.begin(), p.milestones.end(),
                  [](const MilestoneFacts& x, const MilestoneFacts& y) { return x.id < y.id; });
        std::sort(p.objectives.begin(), p.objectives.end());
        std::sort(p.missions.begin(), p.missions.end());
        p.contributions.shrink_to_fit();
    }
}

std::vector<Poco::Int64> idsOf(const std::vector<ProjectFacts>& projects)
{
    std::vector<Poco::Int64> ids;
    ids.reserve(projects.size());
    for (const auto& p : projects)
        ids.push_back(p.id);
    return ids;
}

} // namespace

PortfolioLoader::PortfolioLoader(storage::Database& database) : _database(database) {}

std::vector<ProjectFacts> PortfolioLoader::load(const domain::Principal& principal, const PortfolioQuery& query) const
{
    // The snapshot is held while the statements run, and given back before the work on memory.
    std::vector<ProjectFacts> projects;
    {
        storage::ReadSnapshot snapshot(_database);
        projects = readAll(snapshot.session(), principal, query);
    }
    orderWithinProjects(projects);
    return projects;
}

std::vector<ProjectFacts> PortfolioLoader::load(Poco::Data::Session& session, const domain::Principal& principal,
                                                const PortfolioQuery& query) const
{
    auto projects = readAll(session, principal, query);
    orderWithinProjects(projects);
    return projects;
}

std::vector<ProjectFacts> PortfolioLoader::readAll(Poco::Data::Session& session, const domain::Principal& principal,
                                                   const PortfolioQuery& query) const
{
    PortfolioScope scope(query.conditions, service::AccessPolicy::visibleProjects(principal));
    auto projects = readProjects(session, scope, query);
    if (projects.empty())
        return projects;
    scope.narrowTo(idsOf(projects));
    const Index index = indexOf(projects);
    foldMilestones(session, scope, query, projects, index);
    addContributions(session, scope, principal, projects, index);
    addLinks(session, scope, query, projects, index);
    return projects;
}

} // namespace captrack::report
