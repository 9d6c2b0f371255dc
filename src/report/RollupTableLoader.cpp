#include "RollupTableLoader.h"

#include "ProjectIndex.h"

#include "captrack/service/AccessPolicy.h"
#include "captrack/storage/PortfolioRows.h"
#include "captrack/storage/RollupRows.h"

#include <algorithm>
#include <unordered_map>

namespace captrack::report
{

using storage::PortfolioRows;
using storage::PortfolioScope;
using storage::RollupRows;
using Project = PortfolioTable::Project;

namespace
{

/// Step 1: the projects in scope with their milestone roll-ups, judged by the status rules as of the day.
void readProjects(Poco::Data::Session& session, const PortfolioScope& scope, const PortfolioQuery& query,
                  Grouping groupBy, const std::vector<std::optional<domain::Health>>& healthFilter,
                  PortfolioTable& table)
{
    RollupRows::projectFigures(session, scope, [&](storage::ProjectRollupRow&& row) {
        Project p;
        p.id = row.project.id;
        p.kind = row.project.kind;
        p.status = row.project.status;
        p.effective =
            domain::effectiveHealth(row.project.declared, row.open.health(p.status, query.asOf, query.thresholds));
        if (groupBy == Grouping::CapabilityArea && !row.project.capabilityArea.empty())
            p.area = table.keys.numberOf(row.project.capabilityArea);
        p.budgetEur = row.project.budgetEur;
        p.total = static_cast<int>(row.milestonesTotal);
        p.done = static_cast<int>(row.milestonesDone);
        p.included = healthFilter.empty() ||
                     std::find(healthFilter.begin(), healthFilter.end(), p.effective) != healthFilter.end();
        table.projects.push_back(std::move(p));
    });
}

/// Step 2, what depends on the day: the open milestones due by the end of the look-ahead are the overdue
/// ones (each project's count) and those due soon.
void addDueMilestones(Poco::Data::Session& session, const PortfolioScope& scope, const PortfolioQuery& query,
                      const ProjectIndex& positions, PortfolioTable& table)
{
    table.due.reserve(table.projects.size());
    const auto take = [&](storage::DueMilestone&& due) {
        const std::size_t at = positions.find(due.projectId);
        if (at == ProjectIndex::NONE)
            return;
        if (due.due < query.asOf)
            ++table.projects[at].overdue;
        table.due.push_back({static_cast<std::uint32_t>(at), due.milestoneId, due.due});
    };
    RollupRows::openMilestonesDueBy(session, scope, query.asOf.plusDays(query.lookAheadDays), take);
}

/// Puts rows that came in any order into ranges by project (a counting sort), setting each project's range.
template <class Row>
void intoRanges(std::vector<std::pair<std::uint32_t, Row>>& rows, std::uint32_t Project::*first,
                std::uint32_t Project::*count, PortfolioTable& table, std::vector<Row>& out)
{
    for (const auto& row : rows)
        ++(table.projects[row.first].*count);
    std::uint32_t next = 0;
    for (auto& p : table.projects)
    {
        p.*first = next;
        next += p.*count;
    }
    out.resize(rows.size());
    std::vector<std::uint32_t> filled(table.projects.size(), 0);
    for (auto& [at, row] : rows)
        out[table.projects[at].*first + filled[at]++] = std::move(row);
}

/// Step 3: each project's contributions, a partner at a time, as the principal may see them. They come a
/// project at a time, so each project's range of shares is where they are appended.
void addShares(Poco::Data::Session& session, const PortfolioScope& scope, const domain::Principal& principal,
               const ProjectIndex& positions, PortfolioTable& table)
{
    std::unordered_map<Poco::Int64, std::pair<std::uint32_t, std::uint32_t>> partnerKeys;
    for (const auto& [id, label] : RollupRows::partnerLabels(session))
        partnerKeys.emplace(id, std::make_pair(table.keys.numberOf(label.framework), table.keys.numberOf(label.code)));
    table.shares.reserve(3 * table.projects.size()); // about as many as a portfolio has
    RollupRows::contributions(session, scope, [&](storage::PartnerRollupRow&& row) {
        const std::size_t at = positions.find(row.projectId);
        const auto keys = partnerKeys.find(row.partnerId);
        if (at == ProjectIndex::NONE || keys == partnerKeys.end())
            return;
        Project& p = table.projects[at];
        if (p.shares == 0)
            p.firstShare = static_cast<std::uint32_t>(table.shares.size());
        poco_assert(p.firstShare + p.shares == table.shares.size()); // the rows come ordered by project
        PortfolioTable::Share s;
        s.framework = keys->second.first;
        s.partner = keys->second.second;
        s.visible = service::AccessPolicy::seesContributionDetails(principal, row.partnerId);
        if (s.visible)
        {
            s.euros = {row.pledgedEur, row.committedEur, row.deliveredEur};
            s.personMonths = row.personMonths;
        }
        table.shares.push_back(s);
        ++p.shares;
    });
}

/// Step 4: the objective or mission codes, when the report groups by them.
void addLinks(Poco::Data::Session& session, const PortfolioScope& scope, Grouping groupBy,
              const ProjectIndex& positions, PortfolioTable& table)
{
    if (groupBy != Grouping::Objective && groupBy != Grouping::Mission)
        return;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> links;
    for (auto& link : groupBy == Grouping::Objective ? PortfolioRows::objectives(session, scope)
                                                     : PortfolioRows::missions(session, scope))
        if (const std::size_t at = positions.find(link.projectId); at != ProjectIndex::NONE)
            links.emplace_back(static_cast<std::uint32_t>(at), table.keys.numberOf(link.code));
    intoRanges(links, &Project::firstLink, &Project::links, table, table.links);
}
} // namespace

PortfolioTable RollupTableLoader::load(Poco::Data::Session& session, const domain::Principal& principal,
                                       const PortfolioQuery& query, Grouping groupBy,
                                       const std::vector<std::optional<domain::Health>>& healthFilter)
{
    PortfolioScope scope(query.conditions, service::AccessPolicy::visibleProjects(principal));
    PortfolioTable table;
    readProjects(session, scope, query, groupBy, healthFilter, table);
    if (table.projects.empty())
        return table;
    std::vector<Poco::Int64> ids;
    ids.reserve(table.projects.size());
    for (const auto& p : table.projects)
        ids.push_back(p.id);
    scope.narrowTo(ids);
    const ProjectIndex positions(ids);
    addDueMilestones(session, scope, query, positions, table);
    addShares(session, scope, principal, positions, table);
    addLinks(session, scope, groupBy, positions, table);
    return table;
}

} // namespace captrack::report
