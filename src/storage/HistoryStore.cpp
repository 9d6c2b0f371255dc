#include "captrack/storage/HistoryStore.h"

#include "NullableColumns.h"

#include "captrack/storage/BaselineStore.h"

#include "Query.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

namespace captrack::storage
{

using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

void HistoryStore::appendMilestone(Poco::Data::Session& session, const MilestoneHistoryRow& row)
{
    Query(session, "INSERT INTO milestone_history (milestone_id, project_id, at, user_id, action, baseline_date, "
                   "forecast_date, actual_date, status, progress) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(row.milestoneId)
        .bind(row.projectId)
        .bind(row.at)
        .bind(row.userId)
        .bind(row.action)
        .bind(row.baselineDate)
        .bind(row.forecastDate)
        .bind(row.actualDate)
        .bind(row.status)
        .bind(row.progress)
        .run();
}

void HistoryStore::appendHealth(Poco::Data::Session& session, const HealthHistoryRow& row)
{
    Query(session, "INSERT INTO health_history (project_id, at, user_id, declared_health, declared_reason) "
                   "VALUES (?, ?, ?, ?, ?)")
        .bind(row.projectId)
        .bind(row.at)
        .bind(row.userId)
        .bind(row.declaredHealth)
        .bind(row.declaredReason)
        .run();
}

std::vector<domain::Record> HistoryStore::milestoneHistory(Poco::Data::Session& session, Poco::Int64 milestoneId,
                                                           const Condition& visible)
{
    // Rows of a project the principal may not see are left out by the same statement.
    const auto rowsSeen = allOf({{"milestone_id = ?", {Var(milestoneId)}}, visible});
    Poco::Data::Statement select(session);
    select << "SELECT id, milestone_id, project_id, at, user_id, action, baseline_date, forecast_date, actual_date, "
              "status, progress FROM milestone_history WHERE " +
                  rowsSeen.sql + " ORDER BY id";
    for (const auto& value : rowsSeen.values)
        bindValue(select, value);
    return rowsAsRecords(select);
}

} // namespace captrack::storage
