#include "captrack/storage/RollupRows.h"

#include "NativeQuery.h"

namespace captrack::storage
{

using domain::Date;

namespace
{
std::string textOf(const NativeQuery& q, int column)
{
    return std::string(q.text(column));
}

std::optional<Date> dateOf(const NativeQuery& q, int column)
{
    return q.isNull(column) ? std::nullopt : Date::parse(textOf(q, column));
}

std::optional<long> daysOf(const NativeQuery& q, int column)
{
    return q.isNull(column) ? std::nullopt : std::optional<long>(static_cast<long>(q.integer(column)));
}

ProjectRollupRow projectRow(const NativeQuery& q)
{
    ProjectRollupRow row;
    auto& p = row.project;
    p.id = q.integer(0);
    p.code = textOf(q, 1);
    p.title = textOf(q, 2);
    p.kind = domain::storedValue<domain::ProjectKind>(q.text(3));
    p.status = domain::storedValue<domain::ProjectStatus>(q.text(4));
    p.capabilityArea = textOf(q, 5);
    p.budgetEur = q.integer(6);
    if (!q.isNull(7))
        p.declared = domain::storedValue<domain::Health>(q.text(7));
    p.declaredReason = textOf(q, 8);
    row.milestonesTotal = q.integer(9);
    row.milestonesDone = q.integer(10);
    row.weightSum = q.integer(11);
    row.weightedProgress = q.integer(12);
    row.open.earliestDue = dateOf(q, 13);
    row.open.largestSlip = daysOf(q, 14);
    row.largestSlip = daysOf(q, 15);
    return row;
}

std::vector<Poco::Dynamic::Var> concat(std::vector<Poco::Dynamic::Var> a, const std::vector<Poco::Dynamic::Var>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}
} // namespace

std::vector<ProjectRollupRow> RollupRows::projects(Poco::Data::Session& session, const PortfolioScope& scope,
                                                   PortfolioRows::Titles titles)
{
    // A project without a roll-up row (none is) would count as one without milestones.
    const bool read = titles == PortfolioRows::Titles::Read;
    const std::string sql =
        "SELECT projects.id, projects.code, " + std::string(read ? "projects.title" : "''") +
        ", projects.kind, projects.status, projects.capability_area, projects.budget_eur, projects.declared_health, " +
        (read ? "projects.declared_reason" : "''") +
        ", COALESCE(r.milestones_total, 0), COALESCE(r.milestones_done, 0), COALESCE(r.weight_sum, 0), "
        "COALESCE(r.weighted_progress, 0), r.earliest_open_due, r.largest_open_slip, r.largest_slip "
        "FROM projects LEFT JOIN project_rollups r ON r.project_id = projects.id WHERE " +
        scope.projectsWhere() + " ORDER BY projects.code";
    const auto pQuery = NativeQuery::run(session, sql, scope._values);
    std::vector<ProjectRollupRow> rows;
    while (pQuery->next())
        rows.push_back(projectRow(*pQuery));
    return rows;
}

void RollupRows::contributions(Poco::Data::Session& session, const PortfolioScope& scope,
                               const Sink<PartnerRollupRow>& take)
{
    const auto pQuery = NativeQuery::run(session,
                                         "SELECT project_id, partner_id, contributions, pledged_eur, committed_eur, "
                                         "delivered_eur, person_months FROM contribution_rollups" +
                                             scope.childFilter("WHERE"),
                                         scope._childValues);
    auto& q = *pQuery;
    while (q.next())
        take({q.integer(0), q.integer(1), q.integer(2), q.integer(3), q.integer(4), q.integer(5), q.real(6)});
}

void RollupRows::openMilestonesDueBy(Poco::Data::Session& session, const PortfolioScope& scope, const Date& lastDay,
                                     const Sink<DueMilestone>& take)
{
    const auto pQuery = NativeQuery::run(
        session,
        "SELECT project_id, milestone_id, due_date FROM open_milestones WHERE due_date <= ?" + scope.childFilter("AND"),
        concat({Poco::Dynamic::Var(lastDay.toString())}, scope._childValues));
    auto& q = *pQuery;
    while (q.next())
    {
        const auto due = Date::parse(textOf(q, 2));
        if (due)
            take({q.integer(0), q.integer(1), *due});
    }
}

std::unordered_map<Poco::Int64, std::string> RollupRows::milestoneTitles(Poco::Data::Session& session,
                                                                         const std::vector<Poco::Int64>& ids)
{
    std::unordered_map<Poco::Int64, std::string> titles;
    // Ids are numbers: listed in the statement, a thousand at a time.
    constexpr std::size_t PER_STATEMENT = 1000;
    for (std::size_t first = 0; first < ids.size(); first += PER_STATEMENT)
    {
        std::string list;
        for (std::size_t i = first; i < ids.size() && i < first + PER_STATEMENT; ++i)
            list += (list.empty() ? "" : ",") + std::to_string(ids[i]);
        const auto pQuery = NativeQuery::run(session, "SELECT id, title FROM milestones WHERE id IN (" + list + ")");
        while (pQuery->next())
            titles.emplace(pQuery->integer(0), textOf(*pQuery, 1));
    }
    return titles;
}

std::unordered_map<Poco::Int64, PartnerLabel> RollupRows::partnerLabels(Poco::Data::Session& session)
{
    std::unordered_map<Poco::Int64, PartnerLabel> labels;
    const auto pQuery = NativeQuery::run(session, "SELECT id, code, framework FROM partners");
    while (pQuery->next())
        labels.emplace(pQuery->integer(0), PartnerLabel{textOf(*pQuery, 1), textOf(*pQuery, 2)});
    return labels;
}

} // namespace captrack::storage
