#include "captrack/storage/PortfolioRows.h"

#include "NullableColumns.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

namespace captrack::storage
{

using domain::Date;
using namespace Poco::Data::Keywords;
using OptionalText = Poco::Nullable<std::string>;

namespace
{
std::optional<Date> optionalDate(const OptionalText& text)
{
    const auto value = optionalOf(text);
    return value ? Date::parse(*value) : std::nullopt;
}

std::string textOrEmpty(const OptionalText& text)
{
    return optionalOf(text).value_or(std::string());
}

/// The milestones statement's columns, one chunk at a time.
struct MilestoneColumns
{
    std::vector<Poco::Int64> projectIds, ids, progress, weights;
    std::vector<std::string> titles, baselines, statuses;
    std::vector<OptionalText> forecasts, actuals;

    MilestoneRow row(std::size_t i)
    {
        MilestoneRow out;
        out.projectId = projectIds[i];
        auto& m = out.milestone;
        m.id = ids[i];
        m.title = std::move(titles[i]);
        m.baseline = *Date::parse(baselines[i]);
        m.forecast = optionalDate(forecasts[i]);
        m.actual = optionalDate(actuals[i]);
        m.status = domain::storedValue<domain::MilestoneStatus>(statuses[i]);
        m.progress = static_cast<int>(progress[i]);
        m.weight = static_cast<int>(weights[i]);
        return out;
    }
    void clear()
    {
        for (auto* v : {&projectIds, &ids, &progress, &weights})
            v->clear();
        for (auto* v : {&titles, &baselines, &statuses})
            v->clear();
        forecasts.clear();
        actuals.clear();
    }
};

/// The contributions statement's columns, one chunk at a time.
struct ContributionColumns
{
    std::vector<Poco::Int64> projectIds, partnerIds, amounts;
    std::vector<std::string> codes, frameworks, states;
    std::vector<double> months;

    ContributionRow row(std::size_t i)
    {
        return {projectIds[i],
                partnerIds[i],
                std::move(codes[i]),
                std::move(frameworks[i]),
                domain::storedValue<domain::ContributionState>(states[i]),
                amounts[i],
                months[i]};
    }
    void clear()
    {
        for (auto* v : {&projectIds, &partnerIds, &amounts})
            v->clear();
        for (auto* v : {&codes, &frameworks, &states})
            v->clear();
        months.clear();
    }
};

} // namespace

std::vector<ProjectRow> PortfolioRows::projects(Poco::Data::Session& session, const PortfolioScope& scope,
                                                Titles titles)
{
    std::vector<Poco::Int64> ids, budgets;
    std::vector<std::string> codes, titleTexts, kinds, statuses;
    std::vector<OptionalText> areas, declared, reasons;
    // SUBSTR(x, 1, 0) keeps the column's string type: a bare '' or NULL is a type Poco's MySQL connector
    // cannot extract.
    const bool read = titles == Titles::Read;
    Poco::Data::Statement select(session);
    select << "SELECT id, code, " + std::string(read ? "title" : "SUBSTR(title, 1, 0)") +
                  ", kind, status, capability_area, budget_eur, declared_health, " +
                  (read ? "declared_reason" : "SUBSTR(declared_reason, 1, 0)") + " FROM projects WHERE " +
                  scope.projectsWhere() + " ORDER BY code";
    scope.bindProjectsTo(select);
    select, into(ids), into(codes), into(titleTexts), into(kinds), into(statuses), into(areas), into(budgets),
        into(declared), into(reasons);
    select.execute();
    std::vector<ProjectRow> out;
    out.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        ProjectRow p{ids[i],
                     std::move(codes[i]),
                     std::move(titleTexts[i]),
                     domain::storedValue<domain::ProjectKind>(kinds[i]),
                     domain::storedValue<domain::ProjectStatus>(statuses[i]),
                     textOrEmpty(areas[i]),
                     budgets[i],
                     std::nullopt,
                     textOrEmpty(reasons[i])};
        if (!declared[i].isNull())
            p.declared = domain::storedValue<domain::Health>(declared[i].value());
        out.push_back(std::move(p));
    }
    return out;
}

void PortfolioRows::milestones(Poco::Data::Session& session, const PortfolioScope& scope,
                               const Sink<MilestoneRow>& take)
{
    MilestoneColumns c;
    Poco::Data::Statement select(session);
    select << "SELECT project_id, id, title, baseline_date, forecast_date, actual_date, status, progress, weight "
              "FROM milestones WHERE status <> 'cancelled'" +
                  scope.childFilter("AND");
    scope.bindChildrenTo(select);
    select, into(c.projectIds), into(c.ids), into(c.titles), into(c.baselines), into(c.forecasts), into(c.actuals),
        into(c.statuses), into(c.progress), into(c.weights), limit(CHUNK);
    while (!select.done())
    {
        select.execute();
        for (std::size_t i = 0; i < c.ids.size(); ++i)
            take(c.row(i));
        c.clear();
    }
}

void PortfolioRows::contributions(Poco::Data::Session& session, const PortfolioScope& scope,
                                  const Sink<ContributionRow>& take)
{
    ContributionColumns c;
    Poco::Data::Statement select(session);
    select << "SELECT c.project_id, c.partner_id, p.code, p.framework, c.state, c.amount_eur, "
              "c.person_months FROM contributions c JOIN partners p ON p.id = c.partner_id" +
                  scope.childFilter("WHERE", "c.");
    scope.bindChildrenTo(select);
    select, into(c.projectIds), into(c.partnerIds), into(c.codes), into(c.frameworks), into(c.states), into(c.amounts),
        into(c.months), limit(CHUNK);
    while (!select.done())
    {
        select.execute();
        for (std::size_t i = 0; i < c.projectIds.size(); ++i)
            take(c.row(i));
        c.clear();
    }
}

std::vector<ProjectLink> PortfolioRows::links(Poco::Data::Session& session, const PortfolioScope& scope,
                                              const std::string& sql)
{
    std::vector<Poco::Int64> projectIds;
    std::vector<std::string> codes;
    Poco::Data::Statement select(session);
    select << sql;
    scope.bindChildrenTo(select);
    select, into(projectIds), into(codes);
    select.execute();
    std::vector<ProjectLink> out;
    out.reserve(projectIds.size());
    for (std::size_t i = 0; i < projectIds.size(); ++i)
        out.push_back({projectIds[i], std::move(codes[i])});
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
