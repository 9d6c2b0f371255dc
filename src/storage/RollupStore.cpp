#include "captrack/storage/RollupStore.h"

#include "captrack/storage/Database.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/String.h>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
Dialect dialectOf(Poco::Data::Session& session)
{
    return Poco::icompare(session.connector(), Poco::Data::SQLite::Connector::KEY) == 0 ? Dialect::SQLite
                                                                                        : Dialect::MySQL;
}

/// Whole days from the date `earlier` to the date `later` (both 'YYYY-MM-DD'), as domain::Date::daysSince.
std::string daysBetween(Dialect dialect, const std::string& later, const std::string& earlier)
{
    if (dialect == Dialect::MySQL)
        return "DATEDIFF(" + later + ", " + earlier + ")";
    return "CAST(julianday(" + later + ") - julianday(" + earlier + ") AS INTEGER)";
}

/// The statements below recompute the roll-ups of the projects whose id is `op ?` ("= ?" one project,
/// ">= ?" a range). They are migration 006's, with that condition added.
std::string projectRollupsSql(Dialect dialect, const std::string& op)
{
    const std::string due = "COALESCE(m.forecast_date, m.baseline_date)";
    const std::string reached =
        "CASE WHEN m.status = 'done' AND m.actual_date IS NOT NULL THEN m.actual_date ELSE " + due + " END";
    return "INSERT INTO project_rollups (project_id, milestones_total, milestones_done, weight_sum, "
           "weighted_progress, earliest_open_due, largest_open_slip, largest_slip) "
           "SELECT p.id, COUNT(m.id), COALESCE(SUM(m.status = 'done'), 0), COALESCE(SUM(m.weight), 0), "
           "COALESCE(SUM(m.weight * CASE WHEN m.status = 'done' THEN 100 ELSE m.progress END), 0), "
           "MIN(CASE WHEN m.status <> 'done' THEN " +
           due + " END), MAX(CASE WHEN m.status <> 'done' THEN " + daysBetween(dialect, due, "m.baseline_date") +
           " END), MAX(" + daysBetween(dialect, reached, "m.baseline_date") +
           ") FROM projects p LEFT JOIN milestones m ON m.project_id = p.id AND m.status <> 'cancelled' "
           "WHERE p.id " +
           op + " ? GROUP BY p.id";
}

std::string openMilestonesSql(const std::string& op)
{
    return "INSERT INTO open_milestones (milestone_id, project_id, due_date) "
           "SELECT m.id, m.project_id, COALESCE(m.forecast_date, m.baseline_date) FROM milestones m "
           "WHERE m.status NOT IN ('done', 'cancelled') AND m.project_id " +
           op + " ?";
}

std::string contributionRollupsSql(const std::string& op)
{
    return "INSERT INTO contribution_rollups (project_id, partner_id, contributions, pledged_eur, committed_eur, "
           "delivered_eur, person_months) "
           "SELECT c.project_id, c.partner_id, COUNT(*), "
           "SUM(CASE WHEN c.state = 'pledged' THEN c.amount_eur ELSE 0 END), "
           "SUM(CASE WHEN c.state = 'committed' THEN c.amount_eur ELSE 0 END), "
           "SUM(CASE WHEN c.state = 'delivered' THEN c.amount_eur ELSE 0 END), SUM(c.person_months) "
           "FROM contributions c WHERE c.project_id " +
           op + " ? GROUP BY c.project_id, c.partner_id";
}

void refreshMilestonesWhere(Poco::Data::Session& session, const std::string& op, Poco::Int64 projectId)
{
    session << "DELETE FROM project_rollups WHERE project_id " + op + " ?", use(projectId), now;
    session << projectRollupsSql(dialectOf(session), op), use(projectId), now;
    session << "DELETE FROM open_milestones WHERE project_id " + op + " ?", use(projectId), now;
    session << openMilestonesSql(op), use(projectId), now;
}

void refreshContributionsWhere(Poco::Data::Session& session, const std::string& op, Poco::Int64 projectId)
{
    session << "DELETE FROM contribution_rollups WHERE project_id " + op + " ?", use(projectId), now;
    session << contributionRollupsSql(op), use(projectId), now;
}
} // namespace

void RollupStore::takeTurn(Poco::Data::Session& session, Poco::Int64 projectId)
{
    session << ensureRowStatement(dialectOf(session), "project_rollups (project_id) VALUES (?)", "milestones_total"),
        use(projectId), now;
}

std::optional<Poco::Int64> RollupStore::projectOf(Poco::Data::Session& session, const std::string& table,
                                                  Poco::Int64 id)
{
    poco_assert(table == "milestones" || table == "contributions");
    std::vector<Poco::Int64> projects;
    session << "SELECT project_id FROM " + table + " WHERE id = ?", use(id), into(projects), now;
    return projects.empty() ? std::nullopt : std::optional<Poco::Int64>(projects.front());
}

void RollupStore::refreshMilestones(Poco::Data::Session& session, Poco::Int64 projectId)
{
    refreshMilestonesWhere(session, "=", projectId);
}

void RollupStore::refreshContributions(Poco::Data::Session& session, Poco::Int64 projectId)
{
    refreshContributionsWhere(session, "=", projectId);
}

void RollupStore::forgetProject(Poco::Data::Session& session, Poco::Int64 projectId)
{
    for (const char* table : {"project_rollups", "open_milestones", "contribution_rollups"})
        session << std::string("DELETE FROM ") + table + " WHERE project_id = ?", use(projectId), now;
}

void RollupStore::rebuildFrom(Poco::Data::Session& session, Poco::Int64 firstProjectId)
{
    refreshMilestonesWhere(session, ">=", firstProjectId);
    refreshContributionsWhere(session, ">=", firstProjectId);
}

bool RollupStore::isDerivedTable(const std::string& table)
{
    return table == "project_rollups" || table == "open_milestones" || table == "contribution_rollups";
}

} // namespace captrack::storage
