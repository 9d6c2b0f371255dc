#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Date.h"
#include "captrack/report/Grouping.h"
#include "captrack/report/SnapshotService.h"

#include <optional>
#include <string>

namespace captrack::report
{

/// When the server publishes a snapshot of its own (settings snapshots.schedule*).
struct SnapshotScheduleOptions
{
    enum class Every
    {
        Never,
        Daily,
        Weekly,
        Monthly,
    };
    Every every = Every::Never;
    int day = 1;     ///< monthly: the day of the month, 1 to 28; weekly: the weekday, 1 (Monday) to 7
    int hourUtc = 6; ///< 0 to 23
    Grouping groupBy = Grouping::Status;
};

/// One period of a schedule: the scheduled moment it starts at, its day and its key.
struct SchedulePeriod
{
    Poco::Timestamp start;
    domain::Date day = domain::Date::fromDays(0);
    std::string key; ///< "monthly:2027-04-01": unique per schedule and period (report_snapshots.schedule_period)
};

/// The period `now` falls in: the latest scheduled moment at or before it. None for Every::Never. Pure.
[[nodiscard]] std::optional<SchedulePeriod> periodAt(const SnapshotScheduleOptions& options, Poco::Timestamp now);

/// The schedule's one job: once the current period has begun and has no snapshot, publish the portfolio
/// report (the schedule's grouping, no filters, as of the period's day) as "Scheduled YYYY-MM-DD", by the
/// server itself. Exactly once per period whatever number of servers share the database and however
/// often they restart: the period's key is a unique column of the snapshot's own row, so the database
/// keeps the lease, and a second publisher's insert is refused. A missed period (every server down at
/// its start) is published at the next check within it; earlier periods are not caught up.
/// app::Housekeeping runs it every few minutes on one server. Safe for concurrent use.
class SnapshotSchedule
{
public:
    SnapshotSchedule(const SnapshotService& snapshots, const domain::Clock& clock, SnapshotScheduleOptions options);

    /// True when this call published the current period's snapshot. Throws what publishing throws
    /// (OverloadedError while every report permit is taken: the next check tries again).
    bool publishIfDue() const;

    [[nodiscard]] const SnapshotScheduleOptions& options() const { return _options; }

private:
    const SnapshotService& _snapshots;
    const domain::Clock& _clock;
    SnapshotScheduleOptions _options;
};

} // namespace captrack::report
