#include "captrack/report/SnapshotSchedule.h"

#include "captrack/Errors.h"

#include <Poco/Logger.h>

namespace captrack::report
{

namespace
{
constexpr Poco::Int64 SECONDS_PER_DAY = 86400;

Poco::Timestamp at(const domain::Date& day, int hour)
{
    return Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(day.days() * SECONDS_PER_DAY + hour * 3600));
}

/// The latest day at or before `today` that the rule picks, where `picks(day)` says whether a day is one.
template <typename Picks> domain::Date latestDay(domain::Date today, Picks picks)
{
    while (!picks(today))
        today = today.plusDays(-1);
    return today;
}

int dayOfMonth(const domain::Date& day)
{
    return std::stoi(day.toString().substr(8, 2));
}

/// ISO weekday, 1 (Monday) to 7: 1970-01-01 was a Thursday.
int weekday(const domain::Date& day)
{
    const long fromMonday = ((day.days() % 7) + 7 + 3) % 7;
    return static_cast<int>(fromMonday) + 1;
}

const char* nameOf(SnapshotScheduleOptions::Every every)
{
    switch (every)
    {
    case SnapshotScheduleOptions::Every::Daily:
        return "daily";
    case SnapshotScheduleOptions::Every::Weekly:
        return "weekly";
    case SnapshotScheduleOptions::Every::Monthly:
        return "monthly";
    case SnapshotScheduleOptions::Every::Never:
        break;
    }
    return "never";
}
} // namespace

std::optional<SchedulePeriod> periodAt(const SnapshotScheduleOptions& options, Poco::Timestamp now)
{
    using Every = SnapshotScheduleOptions::Every;
    if (options.every == Every::Never)
        return std::nullopt;
    const auto today = domain::Date::fromDays(static_cast<long>(now.epochTime() / SECONDS_PER_DAY));
    auto picks = [&options](const domain::Date& day) {
        switch (options.every)
        {
        case Every::Daily:
            return true;
        case Every::Weekly:
            return weekday(day) == options.day;
        case Every::Monthly:
            return dayOfMonth(day) == options.day;
        case Every::Never:
            break;
        }
        return false;
    };
    domain::Date day = latestDay(today, picks);
    if (now < at(day, options.hourUtc))
        day = latestDay(day.plusDays(-1), picks);
    return SchedulePeriod{at(day, options.hourUtc), day, std::string(nameOf(options.every)) + ":" + day.toString()};
}

SnapshotSchedule::SnapshotSchedule(const SnapshotService& snapshots, const domain::Clock& clock,
                                   SnapshotScheduleOptions options)
    : _snapshots(snapshots), _clock(clock), _options(options)
{
}

bool SnapshotSchedule::publishIfDue() const
{
    const auto period = periodAt(_options, _clock.now());
    if (!period || _snapshots.periodPublished(period->key))
        return false;
    PortfolioRequest request;
    request.groupBy = _options.groupBy;
    request.asOf = period->day;
    const std::string name = "Scheduled " + period->day.toString();
    // A name a user took already: the period's key in brackets makes it the schedule's own.
    for (const std::string& candidate : {name, name + " (" + period->key + ")"})
    {
        try
        {
            _snapshots.publish(domain::Principal::system(), candidate, request, period->key);
            Poco::Logger::get("captrack.snapshots").information("published the scheduled snapshot " + candidate);
            return true;
        }
        catch (const ConflictError&)
        {
            if (_snapshots.periodPublished(period->key))
                return false; // another server published this period first
        }
    }
    return false;
}

} // namespace captrack::report
