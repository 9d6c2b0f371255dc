#pragma once

#include "captrack/domain/Record.h"
#include "captrack/storage/RecordStore.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <string>
#include <vector>

namespace captrack::storage
{

/// One change of a milestone's dates, status or progress (table milestone_history).
struct MilestoneHistoryRow
{
    Poco::Int64 milestoneId = 0;
    Poco::Int64 projectId = 0;
    std::string at;
    std::optional<Poco::Int64> userId; ///< none for the server's own writes
    std::string action;                ///< create, update, delete
    std::optional<std::string> baselineDate, forecastDate, actualDate, status;
    Poco::Int64 progress = 0;
};

/// One change of a project's declared health or reason (table health_history).
struct HealthHistoryRow
{
    Poco::Int64 projectId = 0;
    std::string at;
    std::optional<Poco::Int64> userId;
    std::optional<std::string> declaredHealth, declaredReason;
};

/// The append-only histories of milestones and of projects' declared health. Every call runs on the
/// caller's session (and so in its transaction) and throws the driver's exceptions. Stateless; safe
/// for concurrent use.
class HistoryStore
{
public:
    static void appendMilestone(Poco::Data::Session& session, const MilestoneHistoryRow& row);
    static void appendHealth(Poco::Data::Session& session, const HealthHistoryRow& row);
    /// A milestone's history rows that also meet `visible` (a condition over a project child's table,
    /// e.g. service::AccessPolicy::visibleRecords for milestones; empty for all), oldest first, as
    /// records (see BaselineStore): id, milestone_id, project_id, at, user_id, action, baseline_date,
    /// forecast_date, actual_date, status, progress.
    [[nodiscard]] static std::vector<domain::Record> milestoneHistory(Poco::Data::Session& session,
                                                                      Poco::Int64 milestoneId,
                                                                      const Condition& visible);
};

} // namespace captrack::storage
