#include "captrack/report/RollupLoader.h"

#include "ProjectIndex.h"

#include "captrack/service/AccessPolicy.h"
#include "captrack/storage/PortfolioRows.h"
#include "captrack/storage/RollupRows.h"

#include <algorithm>
#include <deque>
#include <iterator>
#include <unordered_map>

namespace captrack::report
{

using domain::ContributionState;
using storage::PortfolioRows;
using storage::PortfolioScope;
using storage::RollupRows;

namespace
{
ProjectFacts factsOf(storage::ProjectRollupRow&& row, const PortfolioQuery& query)
{
    ProjectFacts p;
    p.id = row.project.id;
    p.code = std::move(row.project.code);
    p.title = std::move(row.project.title);
    p.kind = row.project.kind;
    p.status = row.project.status;
    p.capabilityArea = std::move(row.project.capabilityArea);
    p.budgetEur = row.project.budgetEur;
    p.declared = row.project.declared;
    p.declaredReason = std::move(row.project.declaredReason);
    p.computed.health = row.open.health(p.status, query.asOf, query.thresholds);
    p.rollup.total = static_cast<int>(row.milestonesTotal);
    p.rollup.done = static_cast<int>(row.milestonesDone);
    p.rollup.maxSlipDays = row.largestSlip.value_or(0);
    p.rollup.progress = domain::weightedProgress(row.weightedProgress, row.weightSum);
    p.effective = domain::effectiveHealth(p.declared, p.computed.health);
    return p;
}

/// Step 1: the projects in scope with their milestone roll-ups, judged by the status rules as of the day.
std::vector<ProjectFacts> readProjects(Poco::Data::Session& session, const PortfolioScope& scope,
                                       const PortfolioQuery& query)
{
    // Gathered in a deque, which never moves what it holds as it grows, then moved once into place.
    std::deque<ProjectFacts> read;
    RollupRows::projects(session, scope,
                         query.keepAllMilestones ? PortfolioRows::Titles::Read : PortfolioRows::Titles::Omit,
                         [&](storage::ProjectRollupRow&& row) { read.push_back(factsOf(std::move(row), query)); });
    return {std::make_move_iterator(read.begin()), std::make_move_iterator(read.end())};
}

std::size_t keptWhole(const std::vector<ProjectFacts>& projects, const PortfolioQuery& query)
{
    return query.keepAllMilestones ? std::min(projects.size(), query.keepAllForFirst) : 0;
}

/// Step 2, what depends on the day: the open milestones due by the end of the look-ahead are the overdue
/// ones (each project's count) and those due soon; each project keeps them for the report's lists (what
/// the lists need: id and due day), but for those that get all their milestones in step 5.
void addDueMilestones(Poco::Data::Session& session, const PortfolioScope& scope, const PortfolioQuery& query,
                      std::vector<ProjectFacts>& projects, const ProjectIndex& index)
{
    const std::size_t whole = keptWhole(projects, query);
    const auto take = [&](storage::DueMilestone&& due) {
        const std::size_t at = index.find(due.projectId);
        if (at == ProjectIndex::NONE)
            return;
        auto& p = projects[at];
        if (due.due < query.asOf)
            ++p.rollup.overdue;
        if (at < whole)
            return;
        domain::MilestoneFacts m;
        m.id = due.milestoneId;
        m.baseline = due.due;
        m.status = domain::MilestoneStatus::Planned; // open: planned or in progress
        p.milestones.push_back(std::move(m));
    };
    RollupRows::openMilestonesDueBy(session, scope, query.asOf.plusDays(query.lookAheadDays), take);
}

/// One partner's contributions to one project as the principal sees them: an entry per state it has
/// amounts in (its person-months on the first), or one entry without amounts; for a partner, another
/// partner's without its amounts or state (service::AccessPolicy::seesContributionDetails).
void addPartner(std::vector<ContributionFacts>& out, const storage::PartnerRollupRow& row,
                const storage::PartnerLabel& label, const domain::Principal& principal)
{
    if (!service::AccessPolicy::seesContributionDetails(principal, row.partnerId))
    {
        out.push_back({row.partnerId, label.code, label.framework, std::nullopt, 0, 0, false});
        return;
    }
    const std::size_t first = out.size();
    const std::pair<ContributionState, Poco::Int64> sums[] = {{ContributionState::Pledged, row.pledgedEur},
                                                              {ContributionState::Committed, row.committedEur},
                                                              {ContributionState::Delivered, row.deliveredEur}};
    for (const auto& [state, amount] : sums)
        if (amount != 0)
            out.push_back({row.partnerId, label.code, label.framework, state, amount, 0, true});
    if (out.size() == first)
        out.push_back({row.partnerId, label.code, label.framework, ContributionState::Pledged, 0, 0, true});
    out[first].personMonths = row.personMonths;
}

/// Step 3: each project's contributions, a partner at a time. A project's rows mostly come one after
/// another (the roll-ups are written a project at a time): they are gathered and appended together.
void addContributions(Poco::Data::Session& session, const PortfolioScope& scope, const domain::Principal& principal,
                      std::vector<ProjectFacts>& projects, const ProjectIndex& index)
{
    const auto labels = RollupRows::partnerLabels(session);
    std::vector<ContributionFacts> gathered;
    std::size_t of = ProjectIndex::NONE;
    const auto flush = [&] {
        if (of == ProjectIndex::NONE)
            return;
        auto& into = projects[of].contributions;
        into.reserve(into.size() + gathered.size());
        std::move(gathered.begin(), gathered.end(), std::back_inserter(into));
        gathered.clear();
    };
    RollupRows::contributions(session, scope, [&](storage::PartnerRollupRow&& row) {
        const std::size_t at = index.find(row.projectId);
        const auto label = labels.find(row.partnerId);
        if (at == ProjectIndex::NONE || label == labels.end())
            return;
        if (at != of)
        {
            flush();
            of = at;
        }
        addPartner(gathered, row, label->second, principal);
    });
    flush();
}

void addCodes(std::vector<storage::ProjectLink>&& links, std::vector<std::string> ProjectFacts::*member,
              std::vector<ProjectFacts>& projects, const ProjectIndex& index)
{
    for (auto& link : links)
        if (const std::size_t at = index.find(link.projectId); at != ProjectIndex::NONE)
            (projects[at].*member).push_back(std::move(link.code));
}

/// Step 4: each project's objective codes and mission codes, where the query wants them.
void addLinks(Poco::Data::Session& session, const PortfolioScope& scope, const PortfolioQuery& query,
              std::vector<ProjectFacts>& projects, const ProjectIndex& index)
{
    if (query.withObjectives)
        addCodes(PortfolioRows::objectives(session, scope), &ProjectFacts::objectives, projects, index);
    if (query.withMissions)
        addCodes(PortfolioRows::missions(session, scope), &ProjectFacts::missions, projects, index);
}

/// Step 5: every milestone (not cancelled) of the projects kept whole, for the HTML timelines.
void addWholeProjects(Poco::Data::Session& session, const PortfolioQuery& query, std::vector<ProjectFacts>& projects,
                      const ProjectIndex& index)
{
    const std::size_t whole = keptWhole(projects, query);
    if (whole == 0)
        return;
    std::vector<Poco::Int64> ids;
    for (std::size_t i = 0; i < whole; ++i)
        ids.push_back(projects[i].id);
    PortfolioScope scope({PortfolioScope::projectIn(ids)}, storage::Condition{});
    scope.narrowTo(ids);
    PortfolioRows::milestones(session, scope, [&](storage::MilestoneRow&& row) {
        if (const std::size_t at = index.find(row.projectId); at != ProjectIndex::NONE)
            projects[at].milestones.push_back(std::move(row.milestone));
    });
}

/// Step 6, on memory: the child reads come unsorted, so order within each project.
void orderWithinProjects(std::vector<ProjectFacts>& projects)
{
    for (auto& p : projects)
    {
        std::sort(p.milestones.begin(), p.milestones.end(),
                  [](const domain::MilestoneFacts& x, const domain::MilestoneFacts& y) { return x.id < y.id; });
        std::sort(p.objectives.begin(), p.objectives.end());
        std::sort(p.missions.begin(), p.missions.end());
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

std::vector<ProjectFacts> RollupLoader::load(Poco::Data::Session& session, const domain::Principal& principal,
                                             const PortfolioQuery& query)
{
    PortfolioScope scope(query.conditions, service::AccessPolicy::visibleProjects(principal));
    auto projects = readProjects(session, scope, query);
    if (projects.empty())
        return projects;
    scope.narrowTo(idsOf(projects));
    const ProjectIndex index(idsOf(projects));
    addDueMilestones(session, scope, query, projects, index);
    addContributions(session, scope, principal, projects, index);
    addLinks(session, scope, query, projects, index);
    addWholeProjects(session, query, projects, index);
    orderWithinProjects(projects);
    return projects;
}

void RollupLoader::addListedNames(Poco::Data::Session& session, PortfolioReport& report)
{
    std::vector<Poco::Int64> ids;
    for (const auto* list : {&report.overdue, &report.dueSoon})
        for (const auto& item : list->items)
            if (item.title.empty() || item.projectCode.empty())
                ids.push_back(item.milestoneId);
    if (ids.empty())
        return;
    const auto names = RollupRows::milestoneNames(session, ids);
    for (auto* list : {&report.overdue, &report.dueSoon})
        for (auto& item : list->items)
            if (const auto found = names.find(item.milestoneId); found != names.end())
            {
                if (item.title.empty())
                    item.title = found->second.title;
                if (item.projectCode.empty())
                    item.projectCode = found->second.projectCode;
            }
}

} // namespace captrack::report
