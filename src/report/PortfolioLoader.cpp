#include "captrack/report/PortfolioLoader.h"

#include "captrack/storage/ReadSnapshot.h"

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

/// Which projects a load covers, as SQL over `projects`, and how the child tables name them.
struct Scope
{
    std::string where; ///< "(c1) AND (c2)" over projects, or "1 = 1"
    std::vector<Var> values;
    bool unrestricted = false; ///< every project: child tables need no project filter
    std::string children;      ///< "project_id IN (...)" for child tables (unused when unrestricted)
};

using Index = std::unordered_map<Poco::Int64, std::size_t>; ///< project id -> position in the result

Scope scopeOf(const domain::Principal& principal, const PortfolioQuery& query)
{
    auto conditions = query.conditions;
    conditions.push_back(service::AccessPolicy::visibleProjects(principal));
    const auto all = storage::allOf(conditions);
    Scope scope{all.sql, all.values, all.sql.empty(), {}};
    if (scope.unrestricted)
        scope.where = "1 = 1";
    scope.children = "project_id IN (SELECT id FROM projects WHERE " + scope.where + ")";
    return scope;
}

/// A few projects (a summary, a filtered report): the child statements name them, rather than
/// evaluate the filter again.
void nameTheProjects(Scope& scope, const std::vector<ProjectStatus>& projects)
{
    if (scope.unrestricted || projects.size() > 1000)
        return;
    scope.children = "project_id IN (";
    for (std::size_t i = 0; i < projects.size(); ++i)
        scope.children += (i ? "," : "") + std::to_string(projects[i].id);
    scope.children += ")";
    scope.values.clear();
}

/// " AND <children>" / " WHERE <alias><children>" for a child statement, "" when unrestricted.
std::string childFilter(const Scope& scope, const std::string& keyword, const std::string& alias = "")
{
    return scope.unrestricted ? std::string() : " " + keyword + " " + alias + scope.children;
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

/// The projects in scope, ordered by code (titles and reasons only where they are shown).
std::vector<ProjectStatus> loadProjects(Poco::Data::Session& session, const Scope& scope, const PortfolioQuery& query)
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
    select << "SELECT id, code, " + details + "kind, status, capability_area, budget_eur, declared_health, " + reason +
                  " FROM projects WHERE " + scope.where + " ORDER BY code";
    bindAll(select, scope);
    select, into(ids), into(codes), into(titles), into(kinds), into(statuses), into(areas), into(budgets),
        into(declared), into(reasons);
    select.execute();
    std::vector<ProjectStatus> projects(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        auto& p = projects[i];
        p.id = ids[i];
        p.code = std::move(codes[i]);
        p.title = std::move(titles[i]);
        p.kind = domain::storedValue<domain::ProjectKind>(kinds[i]);
        p.status = domain::storedValue<domain::ProjectStatus>(statuses[i]);
        p.capabilityArea = areas[i].isNull() ? "" : areas[i].value();
        p.budgetEur = budgets[i];
        if (!declared[i].isNull())
            p.declared = domain::storedValue<domain::Health>(declared[i].value());
        p.declaredReason = reasons[i].isNull() ? "" : reasons[i].value();
    }
    return projects;
}

Index indexOf(const std::vector<ProjectStatus>& projects)
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

/// Streams the milestones in chunks, folding each into its project's accumulator as rows arrive, in
/// whatever order the database gives them (no sort), so that memory holds only the milestones kept;
/// then judges each project.
void foldMilestones(Poco::Data::Session& session, const Scope& scope, const PortfolioQuery& query,
                    std::vector<ProjectStatus>& projects, const Index& index)
{
    auto accumulators = accumulatorsFor(projects.size(), query);
    std::vector<Poco::Int64> projectIds, ids, progress, weights;
    std::vector<std::string> titles, baselines, statuses;
    std::vector<Poco::Nullable<std::string>> forecasts, actuals;
    Poco::Data::Statement select(session);
    select << "SELECT project_id, id, title, baseline_date, forecast_date, actual_date, status, progress, weight "
              "FROM milestones WHERE status <> 'cancelled'" +
                  childFilter(scope, "AND");
    bindAll(select, scope);
    select, into(projectIds), into(ids), into(titles), into(baselines), into(forecasts), into(actuals), into(statuses),
        into(progress), into(weights), limit(CHUNK);
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
            m.status = domain::storedValue<domain::MilestoneStatus>(statuses[i]);
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
    }
}

/// Streams the contributions into their projects; a partner gets other partners' amounts as zero.
void loadContributions(Poco::Data::Session& session, const Scope& scope, const domain::Principal& principal,
                       std::vector<ProjectStatus>& projects, const Index& index)
{
    std::vector<Poco::Int64> projectIds, partnerIds, amounts;
    std::vector<std::string> codes, frameworks, states;
    std::vector<double> months;
    Poco::Data::Statement select(session);
    select << "SELECT c.project_id, c.partner_id, p.code, p.framework, c.state, c.amount_eur, "
              "c.person_months FROM contributions c JOIN partners p ON p.id = c.partner_id" +
                  childFilter(scope, "WHERE", "c.");
    bindAll(select, scope);
    select, into(projectIds), into(partnerIds), into(codes), into(frameworks), into(states), into(amounts),
        into(months), limit(CHUNK);
    while (!select.done())
    {
        select.execute();
        for (std::size_t i = 0; i < projectIds.size(); ++i)
        {
            ContributionFacts c{
                partnerIds[i], codes[i],  frameworks[i], domain::storedValue<domain::ContributionState>(states[i]),
                amounts[i],    months[i], true};
            if (principal.role == domain::Role::Partner && principal.partnerId != c.partnerId)
            {
                c.amountEur = 0;
                c.personMonths = 0;
                c.state.reset();
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

/// Adds each project's objective codes and mission codes, where the query wants them.
void loadLinks(Poco::Data::Session& session, const Scope& scope, const PortfolioQuery& query,
               std::vector<ProjectStatus>& projects, const Index& index)
{
    const std::pair<std::string, std::vector<std::string> ProjectStatus::*> links[] = {
        {"SELECT project_id, objective_code FROM project_objectives" + childFilter(scope, "WHERE"),
         &ProjectStatus::objectives},
        {"SELECT l.project_id, m.code FROM mission_links l JOIN missions m ON m.id = l.mission_id" +
             childFilter(scope, "WHERE", "l."),
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
}

/// The child queries run unsorted (a sort of every row costs MariaDB a filesort): order per project.
void orderWithinProjects(std::vector<ProjectStatus>& projects)
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

} // namespace

PortfolioLoader::PortfolioLoader(storage::Database& database) : _database(database) {}

std::vector<ProjectStatus> PortfolioLoader::load(const domain::Principal& principal, const PortfolioQuery& query) const
{
    // The snapshot is held while the statements run, and given back before the work on memory.
    std::vector<ProjectStatus> projects;
    {
        storage::ReadSnapshot snapshot(_database);
        projects = readAll(snapshot.session(), principal, query);
    }
    orderWithinProjects(projects);
    return projects;
}

std::vector<ProjectStatus> PortfolioLoader::load(Poco::Data::Session& session, const domain::Principal& principal,
                                                 const PortfolioQuery& query) const
{
    auto projects = readAll(session, principal, query);
    orderWithinProjects(projects);
    return projects;
}

std::vector<ProjectStatus> PortfolioLoader::readAll(Poco::Data::Session& session, const domain::Principal& principal,
                                                    const PortfolioQuery& query) const
{
    Scope scope = scopeOf(principal, query);
    auto projects = loadProjects(session, scope, query);
    if (projects.empty())
        return projects;
    nameTheProjects(scope, projects);
    const Index index = indexOf(projects);
    foldMilestones(session, scope, query, projects, index);
    loadContributions(session, scope, principal, projects, index);
    loadLinks(session, scope, query, projects, index);
    return projects;
}

} // namespace captrack::report
