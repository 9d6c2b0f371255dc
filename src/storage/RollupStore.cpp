#include "captrack/storage/RollupStore.h"

#include "Query.h"

#include "captrack/storage/Database.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/String.h>

namespace captrack::storage
{

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

/// projectRollupsSql for one project written over its row, which stays in place (it is the project's turn,
/// held by the writer: storage::RollupStore::takeTurn), instead of deleted and inserted again.
std::string projectRollupUpsertSql(Dialect dialect)
{
    static const char* const COLUMNS[] = {"milestones_total",  "milestones_done",   "weight_sum",  "weighted_progress",
                                          "earliest_open_due", "largest_open_slip", "largest_slip"};
    std::string set;
    for (const char* column : COLUMNS)
        set += std::string(set.empty() ? "" : ", ") + column + " = " +
               (dialect == Dialect::MySQL ? "VALUES(" + std::string(column) + ")" : "excluded." + std::string(column));
    // SQLite needs the SELECT's WHERE (it has one) to tell its ON CONFLICT from a join's ON.
    return projectRollupsSql(dialect, "=") +
           (dialect == Dialect::MySQL ? " ON DUPLICATE KEY UPDATE " : " ON CONFLICT(project_id) DO UPDATE SET ") + set;
}

/// On MySQL, the clause that lets a recomputation's INSERT ... SELECT write over a row that another Galera
/// node's writer of the same project inserted after this transaction's DELETE: at READ COMMITTED the
/// DELETE locks no key it did not find (a newly open milestone, a new partner's contribution), so that
/// write set is applied here without a conflict, and the INSERT then failed as a duplicate key (a 500 in
/// the cluster trial). The values written are this recomputation's, from rows that include the other's
/// commit: where they differ from the row's, the row changes and certification orders the two writers;
/// where they do not, the row already holds them.
std::string newKeysTaken(Dialect dialect, std::initializer_list<const char*> columns)
{
    if (dialect != Dialect::MySQL)
        return "";
    std::string set;
    for (const char* column : columns)
        set += std::string(set.empty() ? "" : ", ") + column + " = VALUES(" + column + ")";
    return " ON DUPLICATE KEY UPDATE " + set;
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

/// The statements of one refresh, built once per dialect and condition (prepared once per session). The
/// refresh of one project writes its roll-up row in place (no delete): the writer holds the project's
/// turn, which changed that row already (RollupStore::takeTurn), so on Galera the row is in the write set
/// even when the values computed are the ones stored, and two nodes' writers of one project conflict.
/// A refresh of a range of projects (after a restore or a bulk seed) deletes and inserts.
struct RefreshStatements
{
    bool inPlace; ///< insertProjectRollups writes over the row: no deleteProjectRollups first
    std::string deleteProjectRollups, insertProjectRollups, deleteOpenMilestones, insertOpenMilestones,
        deleteContributionRollups, insertContributionRollups;

    RefreshStatements(Dialect dialect, const std::string& op)
        : inPlace(op == "="), deleteProjectRollups("DELETE FROM project_rollups WHERE project_id " + op + " ?"),
          insertProjectRollups(inPlace ? projectRollupUpsertSql(dialect) : projectRollupsSql(dialect, op)),
          deleteOpenMilestones("DELETE FROM open_milestones WHERE project_id " + op + " ?"),
          insertOpenMilestones(openMilestonesSql(op) + newKeysTaken(dialect, {"project_id", "due_date"})),
          deleteContributionRollups("DELETE FROM contribution_rollups WHERE project_id " + op + " ?"),
          insertContributionRollups(contributionRollupsSql(op) +
                                    newKeysTaken(dialect, {"contributions", "pledged_eur", "committed_eur",
                                                           "delivered_eur", "person_months"}))
    {
    }
};

enum class Projects
{
    One,    ///< project_id = ?
    FromOn, ///< project_id >= ?
};

const RefreshStatements& statementsFor(Poco::Data::Session& session, Projects projects)
{
    static const RefreshStatements sqliteOne(Dialect::SQLite, "="), sqliteFrom(Dialect::SQLite, ">="),
        mysqlOne(Dialect::MySQL, "="), mysqlFrom(Dialect::MySQL, ">=");
    const bool one = projects == Projects::One;
    if (dialectOf(session) == Dialect::SQLite)
        return one ? sqliteOne : sqliteFrom;
    return one ? mysqlOne : mysqlFrom;
}

void runFor(Poco::Data::Session& session, const std::string& sql, Poco::Int64 projectId)
{
    Query(session, sql).bind(projectId).run();
}

void refreshMilestonesWhere(Poco::Data::Session& session, Projects projects, Poco::Int64 projectId,
                            RollupStore::MilestoneParts parts = RollupStore::MilestoneParts::FiguresAndDue)
{
    const auto& sql = statementsFor(session, projects);
    if (!sql.inPlace)
        runFor(session, sql.deleteProjectRollups, projectId);
    runFor(session, sql.insertProjectRollups, projectId);
    if (parts == RollupStore::MilestoneParts::Figures)
        return;
    runFor(session, sql.deleteOpenMilestones, projectId);
    runFor(session, sql.insertOpenMilestones, projectId);
}

void refreshContributionsWhere(Poco::Data::Session& session, Projects projects, Poco::Int64 projectId)
{
    const auto& sql = statementsFor(session, projects);
    runFor(session, sql.deleteContributionRollups, projectId);
    runFor(session, sql.insertContributionRollups, projectId);
}
} // namespace

void RollupStore::takeTurn(Poco::Data::Session& session, Poco::Int64 projectId)
{
    static const std::string sqlite = "INSERT INTO project_rollups (project_id, turns) VALUES (?, 1) "
                                      "ON CONFLICT(project_id) DO UPDATE SET turns = turns + 1";
    static const std::string mysql =
        "INSERT INTO project_rollups (project_id, turns) VALUES (?, 1) ON DUPLICATE KEY UPDATE turns = turns + 1";
    runFor(session, dialectOf(session) == Dialect::SQLite ? sqlite : mysql, projectId);
}

std::optional<ProjectHealthInputs> RollupStore::healthInputs(Poco::Data::Session& session, Poco::Int64 projectId)
{
    Query query(session, "SELECT p.code, p.status, p.declared_health, r.earliest_open_due, r.largest_open_slip "
                         "FROM projects p LEFT JOIN project_rollups r ON r.project_id = p.id WHERE p.id = ?");
    query.bind(projectId);
    if (!query.next())
        return std::nullopt;
    return ProjectHealthInputs{query.text(0), query.text(1), query.optionalText(2), query.optionalText(3),
                               query.optionalInteger(4)};
}

std::optional<Poco::Int64> RollupStore::projectOf(Poco::Data::Session& session, const std::string& table,
                                                  Poco::Int64 id)
{
    poco_assert(table == "milestones" || table == "contributions");
    Query query(session, table == "milestones" ? "SELECT project_id FROM milestones WHERE id = ?"
                                               : "SELECT project_id FROM contributions WHERE id = ?");
    query.bind(id);
    return query.next() ? std::optional<Poco::Int64>(query.integer(0)) : std::nullopt;
}

void RollupStore::refreshMilestones(Poco::Data::Session& session, Poco::Int64 projectId, MilestoneParts parts)
{
    refreshMilestonesWhere(session, Projects::One, projectId, parts);
}

void RollupStore::refreshContributions(Poco::Data::Session& session, Poco::Int64 projectId)
{
    refreshContributionsWhere(session, Projects::One, projectId);
}

void RollupStore::forgetProject(Poco::Data::Session& session, Poco::Int64 projectId)
{
    const auto& sql = statementsFor(session, Projects::One);
    for (const auto* statement : {&sql.deleteProjectRollups, &sql.deleteOpenMilestones, &sql.deleteContributionRollups})
        runFor(session, *statement, projectId);
}

void RollupStore::rebuildFrom(Poco::Data::Session& session, Poco::Int64 firstProjectId)
{
    refreshMilestonesWhere(session, Projects::FromOn, firstProjectId);
    refreshContributionsWhere(session, Projects::FromOn, firstProjectId);
}

bool RollupStore::isDerivedTable(const std::string& table)
{
    return table == "project_rollups" || table == "open_milestones" || table == "contribution_rollups";
}

} // namespace captrack::storage
