#include "captrack/app/ScheduleSettings.h"

#include "captrack/app/Settings.h"

#include "captrack/domain/Vocabulary.h"

#include <Poco/Exception.h>

namespace captrack::app
{

namespace
{
int inRange(const Poco::Util::AbstractConfiguration& config, const std::string& key, int min, int max)
{
    return static_cast<int>(Settings::wholeNumberIn(config, key, min, max));
}
} // namespace

void addScheduleDefaults(std::map<std::string, std::string>& out)
{
    const report::SnapshotScheduleOptions defaults;
    out["snapshots.schedule"] = "off";
    out["snapshots.schedule_day"] = std::to_string(defaults.day);
    out["snapshots.schedule_hour_utc"] = std::to_string(defaults.hourUtc);
    out["snapshots.schedule_group_by"] = std::string(domain::nameText(defaults.groupBy));
}

report::SnapshotScheduleOptions scheduleOptions(const Poco::Util::AbstractConfiguration& config)
{
    using Every = report::SnapshotScheduleOptions::Every;
    report::SnapshotScheduleOptions options;
    const std::string every = config.getString("snapshots.schedule");
    if (every == "off")
        options.every = Every::Never;
    else if (every == "daily")
        options.every = Every::Daily;
    else if (every == "weekly")
        options.every = Every::Weekly;
    else if (every == "monthly")
        options.every = Every::Monthly;
    else
        throw Poco::InvalidArgumentException("snapshots.schedule", "must be off, daily, weekly or monthly");
    options.day = inRange(config, "snapshots.schedule_day", 1, options.every == Every::Weekly ? 7 : 28);
    options.hourUtc = inRange(config, "snapshots.schedule_hour_utc", 0, 23);
    const auto grouping = domain::parseName<report::Grouping>(config.getString("snapshots.schedule_group_by"));
    if (!grouping)
        throw Poco::InvalidArgumentException("snapshots.schedule_group_by", "must be a portfolio report's grouping");
    options.groupBy = *grouping;
    return options;
}

} // namespace captrack::app
