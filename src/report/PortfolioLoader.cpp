#include "captrack/report/PortfolioLoader.h"

#include "captrack/service/AccessPolicy.h"

#include <Poco/Nullable.h>

#include <algorithm>
#include <unordered_map>

namespace captrack::report
{

using domain::Date;
using domain::MilestoneFacts;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
constexpr std::size_t CHUNK = 20000;

struct Scope
{
    std::string where; ///< "(c1) AND (c2)" over projects, or "1 = 1"
    std::vector<Var> values;
    bool unrestricted = false; ///< every project: child tables need no project filter
};

Scope scopeOf(const domain::Principal& principal, const PortfolioQuery& query)
{
    Scope scope;
    auto conditions = query.conditions;
    const auto visible = service::AccessPolicy::visibleProjects(principal);
    if (!visible.sql.empty())
        conditions.push_back(visible);
    for (const auto& c : conditions)
    {
        scope.where += (scope.where.empty() ? "(" : " AND (") + c.sql + ")";
        scope.values.insert(scope.values.end(), c.values.begin(), c.values.end());
    }
    scope.unrestricted = scope.where.empty();
    if (scope.unrestricted)
        scope.where = "1 = 1";
    return scope;
}

void bindAll(Poco::Data::Statement& statement, const Scope& scope)
{
    for (const auto& value : scope.values)
        storage::bindValue(statement, value);
}

std::optional<Date> optionalDate(const Poco::Nullable<std::string>& text)
{
    return text.isNull() ? std::nullopt : Date::parse(text.value());
}

/// Keeps what a portfolio report lists: overdue milestones and open ones due within the look-ahead.
bool isNotable(const MilestoneFacts& m, const PortfolioQuery& query)
{
    if (!m.isOpen())
        return false;
    return m.overdueDays(query.asOf) > 0 ||
           (m.due() >= query.asOf && m.due().daysSince(query.asOf) <= query.lookAheadDays);
}

} // namespace

PortfolioLoader::PortfolioLoader(storage::Database& database) : _database(database) {}

std::vector<ProjectStatus> PortfolioLoader::load(const domain::Principal& principal, const PortfolioQuery& query) const
{
    const Scope projectScope = scopeOf(principal, query);
    Scope scope = projectScope; // for the child tables, set once the projects are known
    std::string inScope = "project_id IN (SELECT id FROM projects WHERE " + scope.where + ")";
    auto pLease = _database.lease();
    auto& session = pLease->session();

    std::vector<ProjectStatus> projects;
    std::unordered_map<Poco::Int64, std::size_t> index;
    {
        std::vector<Poco::Int64> ids, budgets;
        std::vector<std::string> codes, titles, kinds, statuses;
        std::vector<Poco::Nullable<std::string>> areas, declared, reasons;
        Poco::Data::Statement select(session);
        // Titles and reasons only where they are shown (summaries, the HTML report's timelines): on a
        // large portfolio they are most of a project's memory.
        // (SUBSTR(x, 1, 0) keeps the column's string type: a bare '' or NULL is a type Poco's MySQL
        // connector cannot extract.)
        const std::string details = query.keepAllMilestones ? "title, " : "SUBSTR(title, 1, 0), ";
        const std::string reason = query.keepAllMilestones ? "declared_reason" : "SUBSTR(declared_reason, 1, 0)";
        select << "SELECT id, code, " + details + "kind, status, capability_area, budget_eur, declared_health, " +
                      reason + " FROM projects WHERE " + projectScope.where + " ORDER BY code";
        bindAll(select, projectScope);
        select, into(ids), into(codes), into(titles), into(kinds), into(statuses), into(areas), into(budgets),
            into(declared), into(reasons);
        select.execute();
        projects.resize(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i)
        {
            auto& p = projects[i];
            p.id = ids[i];
            p.code = std::move(codes[i]);
            p.title = std::move(titles[i]);
            p.kind = std::move(kinds[i]);
            p.status = std::move(statuses[i]);
            p.capabilityArea = areas[i].isNull() ? "" : areas[i].value();
            p.budgetEur = budgets[i];
            if (!declared[i].isNull())
                p.declared = declared[i].value();
            p.declaredReason = reasons[i].isNull() ? "" : reasons[i].value();
            index[p.id] = i;
        }
    }

    if (projects.empty())
        return projects;
    // A few projects (a summary, a filtered report): name them, rather than make every child
    // statement evaluate the filter again.
    if (!scope.unrestricted && projects.size() <= 1000)
    {
        inScope = "project_id IN (";
        for (std::size_t i = 0; i < projects.size(); ++i)
            inScope += (i ? "," : "") + std::to_string(projects[i].id);
        inScope += ")";
        scope.values.clear();
    }

    {
        // Streamed in chunks and folded into one accumulator per project as rows arrive, in whatever
        // order the database gives them (no sort), so memory holds only the milestones kept.
        // Reasons and the next milestone (strings) only where they will be shown: summaries, trends.
        std::vector<domain::StatusAccumulator> accumulators;
        accumulators.reserve(projects.size());
        for (std::size_t i = 0; i < projects.size(); ++i)
            accumulators.emplace_back(query.asOf, query.thresholds,
                                      query.keepAllMilestones && i < query.keepAllForFirst);
        std::vector<Poco::Int64> projectIds, ids, progress, weights;
        std::vector<std::string> titles, baselines, statuses;
        std::vector<Poco::Nullable<std::string>> forecasts, actuals;
        Poco::Data::Statement select(session);
        select << "SELECT project_id, id, title, baseline_date, forecast_date, actual_date, status, progress, weight "
                  "FROM milestones WHERE status <> 'cancelled'" +
                      (scope.unrestricted ? std::string() : " AND " + inScope);
        bindAll(select, scope);
        select, into(projectIds), into(ids), into(titles), into(baselines), into(forecasts), into(actuals),
            into(statuses), into(progress), into(weights), limit(CHUNK);
        while (!select.done())
        {
            select.execute();
            for (std::size_t i = 0; i < ids.size(); ++i)
            {
                const auto at = index.find(projectIds[i]);
                if (at == index.end())
                    continue;
                MilestoneFacts m;
                m.id = ids[i];
                m.title = std::move(titles[i]);
                m.baseline = *Date::parse(baselines[i]);
                m.forecast = optionalDate(forecasts[i]);
                m.actual = optionalDate(actuals[i]);
                m.status = std::move(statuses[i]);
                m.progress = static_cast<int>(progress[i]);
                m.weight = static_cast<int>(weights[i]);
                accumulators[at->second].add(m);
                if ((query.keepAllMilestones && at->second < query.keepAllForFirst) || isNotable(m, query))
                    projects[at->second].milestones.push_back(std::move(m));
            }
            for (auto* v : {&projectIds, &ids, &progress, &weights})
                v->clear();
            for (auto* v : {&titles, &baselines, &statuses})
                v->clear();
            forecasts.clear();
            actuals.clear();
        }
        for (std::size_t i = 0; i < projects.size(); ++i)
        {
            auto& p = projects[i];
            p.computed = accumulators[i].takeVerdict(p.status);
            p.rollup = accumulators[i].takeRollup();
            p.effective = domain::effectiveHealth(p.declared, p.computed.health);
            std::sort(p.milestones.begin(), p.milestones.end(),
                      [](const MilestoneFacts& x, const MilestoneFacts& y) { return x.id < y.id; });
        }
        std::vector<domain::StatusAccumulator>().swap(accumulators);
    }

    {
        std::vector<Poco::Int64> projectIds, partnerIds, amounts;
        std::vector<std::string> codes, frameworks, states;
        std::vector<double> months;
        Poco::Data::Statement select(session);
        select << "SELECT c.project_id, c.partner_id, p.code, p.framework, c.state, c.amount_eur, "
                  "c.person_months FROM contributions c JOIN partners p ON p.id = c.partner_id" +
                      (scope.unrestricted ? std::string() : " WHERE c." + inScope);
        bindAll(select, scope);
        select, into(projectIds), into(partnerIds), into(codes), into(frameworks), into(states), into(amounts),
            into(months), limit(CHUNK);
        while (!select.done())
        {
            select.execute();
            for (std::size_t i = 0; i < projectIds.size(); ++i)
            {
                ContributionFacts c{partnerIds[i], codes[i], frameworks[i], states[i], amounts[i], months[i], true};
                if (principal.role == domain::Role::Partner && principal.partnerId != c.partnerId)
                {
                    c.amountEur = 0;
                    c.personMonths = 0;
                    c.state.clear();
                    c.amountVisible = false;
                }
                if (const auto at = index.find(projectIds[i]); at != index.end())
                    projects[at->second].contributions.push_back(std::move(c));
            }
            for (auto* v : {&projectIds, &partnerIds, &amounts})
                v->clear();
            for (auto* v : {&codes, &frameworks, &states})
                v->clear();
            months.clear();
        }
    }

    const std::pair<std::string, std::vector<std::string> ProjectStatus::*> links[] = {
        {"SELECT project_id, objective_code FROM project_objectives" +
             (scope.unrestricted ? std::string() : " WHERE " + inScope),
         &ProjectStatus::objectives},
        {"SELECT l.project_id, m.code FROM mission_links l JOIN missions m ON m.id = l.mission_id" +
             (scope.unrestricted ? std::string() : " WHERE l." + inScope),
         &ProjectStatus::missions}};
    for (const auto& [sql, member] : links)
    {
        if ((member == &ProjectStatus::objectives && !query.withObjectives) ||
            (member == &ProjectStatus::missions && !query.withMissions))
            continue;
        std::vector<Poco::Int64> projectIds;
        std::vector<std::string> codes;
        Poco::Data::Statement select(session);
        select << sql;
        bindAll(select, scope);
        select, into(projectIds), into(codes);
        select.execute();
        for (std::size_t i = 0; i < projectIds.size(); ++i)
            if (const auto at = index.find(projectIds[i]); at != index.end())
                (projects[at->second].*member).push_back(codes[i]);
    }
    // The child queries run unsorted (a sort of every row costs MariaDB a filesort); order per project.
    for (auto& p : projects)
    {
        std::sort(p.objectives.begin(), p.objectives.end());
        std::sort(p.missions.begin(), p.missions.end());
        p.contributions.shrink_to_fit();
    }
    return projects;
}

} // namespace captrack::report
