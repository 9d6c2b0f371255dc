#include "captrack/storage/PortfolioRows.h"

#include "Query.h"

namespace captrack::storage
{

using domain::Date;

namespace
{
std::optional<Date> optionalDate(const Query& q, int column)
{
    return q.isNull(column) ? std::nullopt : Date::parse(q.text(column));
}

std::string textOrEmpty(const Query& q, int column)
{
    return q.isNull(column) ? std::string() : q.text(column);
}

void bindAll(Query& query, const std::vector<Poco::Dynamic::Var>& values)
{
    for (const auto& value : values)
        query.bind(value);
}

/// A scope's SQL is cached on the session unless it carries a list of ids (PortfolioScope::isReusable).
Query::Reuse reuseOf(const PortfolioScope& scope)
{
    return scope.isReusable() ? Query::Reuse::Yes : Query::Reuse::No;
}

/// The sinks run no statement while the rows stream (MySQL reads them as they arrive).
constexpr auto STREAMED = Query::Rows::Streamed;
} // namespace

std::vector<ProjectRow> PortfolioRows::projects(Poco::Data::Session& session, const PortfolioScope& scope,
                                                Titles titles)
{
    // SUBSTR(x, 1, 0) keeps the column's string type where the text is not wanted.
    const bool read = titles == Titles::Read;
    Query q(session,
            "SELECT id, code, " + std::string(read ? "title" : "SUBSTR(title, 1, 0)") +
                ", kind, status, capability_area, budget_eur, declared_health, " +
                (read ? "declared_reason" : "SUBSTR(declared_reason, 1, 0)") + " FROM projects WHERE " +
                scope.projectsWhere() + " ORDER BY code",
            reuseOf(scope), STREAMED);
    bindAll(q, scope._values);
    std::vector<ProjectRow> out;
    while (q.next())
    {
        ProjectRow p{q.integer(0),
                     q.text(1),
                     textOrEmpty(q, 2),
                     domain::storedValue<domain::ProjectKind>(q.textView(3)),
                     domain::storedValue<domain::ProjectStatus>(q.textView(4)),
                     textOrEmpty(q, 5),
                     q.integer(6),
                     std::nullopt,
                     textOrEmpty(q, 8)};
        if (!q.isNull(7))
            p.declared = domain::storedValue<domain::Health>(q.textView(7));
        out.push_back(std::move(p));
    }
    return out;
}

void PortfolioRows::milestones(Poco::Data::Session& session, const PortfolioScope& scope,
                               const Sink<MilestoneRow>& take)
{
    Query q(session,
            "SELECT project_id, id, title, baseline_date, forecast_date, actual_date, status, progress, weight "
            "FROM milestones WHERE status <> 'cancelled'" +
                scope.childFilter("AND"),
            reuseOf(scope), STREAMED);
    bindAll(q, scope._childValues);
    while (q.next())
    {
        MilestoneRow row;
        row.projectId = q.integer(0);
        auto& m = row.milestone;
        m.id = q.integer(1);
        m.title = q.text(2);
        m.baseline = *Date::parse(q.text(3));
        m.forecast = optionalDate(q, 4);
        m.actual = optionalDate(q, 5);
        m.status = domain::storedValue<domain::MilestoneStatus>(q.textView(6));
        m.progress = static_cast<int>(q.integer(7));
        m.weight = static_cast<int>(q.integer(8));
        take(std::move(row));
    }
}

void PortfolioRows::contributions(Poco::Data::Session& session, const PortfolioScope& scope,
                                  const Sink<ContributionRow>& take)
{
    Query q(session,
            "SELECT c.project_id, c.partner_id, p.code, p.framework, c.state, c.amount_eur, "
            "c.person_months FROM contributions c JOIN partners p ON p.id = c.partner_id" +
                scope.childFilter("WHERE", "c."),
            reuseOf(scope), STREAMED);
    bindAll(q, scope._childValues);
    while (q.next())
        take({q.integer(0), q.integer(1), q.text(2), q.text(3),
              domain::storedValue<domain::ContributionState>(q.textView(4)), q.integer(5), q.real(6)});
}

std::vector<ProjectLink> PortfolioRows::links(Poco::Data::Session& session, const PortfolioScope& scope,
                                              const std::string& sql)
{
    Query q(session, sql, reuseOf(scope), STREAMED);
    bindAll(q, scope._childValues);
    std::vector<ProjectLink> out;
    while (q.next())
        out.push_back({q.integer(0), q.text(1)});
    return out;
}

std::vector<ProjectLink> PortfolioRows::objectives(Poco::Data::Session& session, const PortfolioScope& scope)
{
    return links(session, scope,
                 "SELECT project_id, objective_code FROM project_objectives" + scope.childFilter("WHERE"));
}

std::vector<ProjectLink> PortfolioRows::missions(Poco::Data::Session& session, const PortfolioScope& scope)
{
    return links(session, scope,
                 "SELECT l.project_id, m.code FROM mission_links l JOIN missions m ON m.id = l.mission_id" +
                     scope.childFilter("WHERE", "l."));
}

} // namespace captrack::storage
