#include "captrack/storage/RollupRows.h"

#include "Query.h"

namespace captrack::storage
{

using domain::Date;

namespace
{
std::string textOf(const Query& q, int column)
{
    return q.text(column);
}

/// Binds the values of a report's query in order.
void bindAll(Query& query, const std::vector<Poco::Dynamic::Var>& values)
{
    for (const auto& value : values)
        query.bind(value);
}

// A report's queries stream their rows (MySQL: read as they arrive); the sinks run no statement meanwhile.
// Their SQL carries the filters and, once narrowed, literal project ids: prepared for one report
// (Reuse::No), never pushing the request paths' statements out of the session's cache.
constexpr auto STREAMED = Query::Rows::Streamed;

std::optional<Date> dateOf(const Query& q, int column)
{
    return q.isNull(column) ? std::nullopt : Date::parse(textOf(q, column));
}

std::optional<long> daysOf(const Query& q, int column)
{
    return q.isNull(column) ? std::nullopt : std::optional<long>(static_cast<long>(q.integer(column)));
}

/// The roll-up columns of a project row, from column `at` on (RollupRows::projects, projectFigures).
const char* const ROLLUP_COLUMNS = "COALESCE(r.milestones_total, 0), COALESCE(r.milestones_done, 0), "
                                   "COALESCE(r.weight_sum, 0), COALESCE(r.weighted_progress, 0), r.earliest_open_due, "
                                   "r.largest_open_slip, r.largest_slip";

void readRollup(const Query& q, int at, ProjectRollupRow& row)
{
    row.milestonesTotal = q.integer(at);
    row.milestonesDone = q.integer(at + 1);
    row.weightSum = q.integer(at + 2);
    row.weightedProgress = q.integer(at + 3);
    row.open.earliestDue = dateOf(q, at + 4);
    row.open.largestSlip = daysOf(q, at + 5);
    row.largestSlip = daysOf(q, at + 6);
}

/// Columns: id, kind, status, capability_area, budget_eur, declared_health, the roll-up's, and then, when
/// `named`, code, title and declared reason (when `titles`).
ProjectRollupRow projectRow(const Query& q, bool named, bool titles)
{
    ProjectRollupRow row;
    auto& p = row.project;
    p.id = q.integer(0);
    p.kind = domain::storedValue<domain::ProjectKind>(q.textView(1));
    p.status = domain::storedValue<domain::ProjectStatus>(q.textView(2));
    p.capabilityArea = textOf(q, 3);
    p.budgetEur = q.integer(4);
    if (!q.isNull(5))
        p.declared = domain::storedValue<domain::Health>(q.textView(5));
    readRollup(q, 6, row);
    if (named)
        p.code = textOf(q, 13);
    if (titles)
    {
        p.title = textOf(q, 14);
        p.declaredReason = textOf(q, 15);
    }
    return row;
}

std::string projectsSql(const std::string& where, const std::string& named, const std::string& order)
{
    // A project without a roll-up row (none is) would count as one without milestones.
    return "SELECT projects.id, projects.kind, projects.status, projects.capability_area, projects.budget_eur, "
           "projects.declared_health, " +
           std::string(ROLLUP_COLUMNS) + named +
           " FROM projects LEFT JOIN project_rollups r ON r.project_id = projects.id WHERE " + where + order;
}

} // namespace

void RollupRows::projects(Poco::Data::Session& session, const PortfolioScope& scope, PortfolioRows::Titles titles,
                          const Sink<ProjectRollupRow>& take)
{
    const bool read = titles == PortfolioRows::Titles::Read;
    Query query(session,
                projectsSql(scope.projectsWhere(),
                            read ? ", projects.code, projects.title, projects.declared_reason" : ", projects.code",
                            " ORDER BY projects.code"),
                Query::Reuse::No, STREAMED);
    bindAll(query, scope._values);
    while (query.next())
        take(projectRow(query, true, read));
}

void RollupRows::projectFigures(Poco::Data::Session& session, const PortfolioScope& scope,
                                const Sink<ProjectRollupRow>& take)
{
    Query query(session, projectsSql(scope.projectsWhere(), "", ""), Query::Reuse::No, STREAMED);
    bindAll(query, scope._values);
    while (query.next())
        take(projectRow(query, false, false));
}

void RollupRows::contributions(Poco::Data::Session& session, const PortfolioScope& scope,
                               const Sink<PartnerRollupRow>& take)
{
    Query q(session,
            "SELECT project_id, partner_id, pledged_eur, committed_eur, delivered_eur, person_months FROM "
            "contribution_rollups" +
                scope.childFilter("WHERE") + " ORDER BY project_id, partner_id",
            Query::Reuse::No, STREAMED);
    bindAll(q, scope._childValues);
    while (q.next())
        take({q.integer(0), q.integer(1), q.integer(2), q.integer(3), q.integer(4), q.real(5)});
}

void RollupRows::openMilestonesDueBy(Poco::Data::Session& session, const PortfolioScope& scope, const Date& lastDay,
                                     const Sink<DueMilestone>& take)
{
    Query q(session,
            "SELECT project_id, milestone_id, due_date FROM open_milestones WHERE due_date <= ?" +
                scope.childFilter("AND"),
            Query::Reuse::No, STREAMED);
    // Dates are compared as text: a day past the calendar's last ("10000-01-02") would sort before every
    // stored date and find none.
    static const Date LAST_DAY = Date::fromParts(9999, 12, 31);
    q.bind((LAST_DAY < lastDay ? LAST_DAY : lastDay).toString());
    bindAll(q, scope._childValues);
    while (q.next())
    {
        const auto due = Date::parse(textOf(q, 2));
        if (due)
            take({q.integer(0), q.integer(1), *due});
    }
}

std::unordered_map<Poco::Int64, MilestoneNames> RollupRows::milestoneNames(Poco::Data::Session& session,
                                                                           const std::vector<Poco::Int64>& ids)
{
    std::unordered_map<Poco::Int64, MilestoneNames> names;
    // Ids are numbers: listed in the statement, a thousand at a time.
    constexpr std::size_t PER_STATEMENT = 1000;
    for (std::size_t first = 0; first < ids.size(); first += PER_STATEMENT)
    {
        std::string list;
        for (std::size_t i = first; i < ids.size() && i < first + PER_STATEMENT; ++i)
            list += (list.empty() ? "" : ",") + std::to_string(ids[i]);
        Query q(
            session,
            "SELECT m.id, m.title, p.code FROM milestones m JOIN projects p ON p.id = m.project_id WHERE m.id IN (" +
                list + ")",
            Query::Reuse::No, STREAMED);
        while (q.next())
            names.emplace(q.integer(0), MilestoneNames{q.text(1), q.text(2)});
    }
    return names;
}

std::unordered_map<Poco::Int64, PartnerLabel> RollupRows::partnerLabels(Poco::Data::Session& session)
{
    std::unordered_map<Poco::Int64, PartnerLabel> labels;
    Query q(session, "SELECT id, code, framework FROM partners", Query::Reuse::Yes, STREAMED);
    while (q.next())
        labels.emplace(q.integer(0), PartnerLabel{q.text(1), q.text(2)});
    return labels;
}

} // namespace captrack::storage
