#pragma once

#include "captrack/report/SnapshotSchedule.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <map>
#include <string>

namespace captrack::app
{

/// The snapshots.schedule* settings' defaults (app::Settings::defaults adds them).
void addScheduleDefaults(std::map<std::string, std::string>& out);

/// The snapshot schedule of the settings: snapshots.schedule (off, daily, weekly, monthly),
/// snapshots.schedule_day (monthly: 1 to 28; weekly: 1, Monday, to 7), snapshots.schedule_hour_utc
/// (0 to 23), snapshots.schedule_group_by (a portfolio grouping). Poco::InvalidArgumentException naming
/// the setting that is wrong.
[[nodiscard]] report::SnapshotScheduleOptions scheduleOptions(const Poco::Util::AbstractConfiguration& config);

} // namespace captrack::app
