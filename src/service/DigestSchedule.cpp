#include "captrack/service/DigestSchedule.h"

#include "captrack/domain/Clock.h"

namespace captrack::service
{

namespace
{
constexpr Poco::Int64 DAY = 86400;
constexpr Poco::Int64 WEEK = 7 * DAY;

/// 1 Monday .. 7 Sunday of a day counted from 1970-01-01, a Thursday.
int weekdayOf(Poco::Int64 day)
{
    return static_cast<int>((day + 3) % 7) + 1;
}

DigestPeriod periodFrom(Poco::Int64 start, Poco::Int64 length)
{
    return {start, start - length, domain::rfc3339(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(start)))};
}
} // namespace

DigestPeriod digestPeriodAt(const DigestOptions& options, const Poco::Timestamp& now)
{
    const Poco::Int64 seconds = static_cast<Poco::Int64>(now.epochTime());
    if (options.periodSeconds > 0)
        return periodFrom(seconds - seconds % options.periodSeconds, options.periodSeconds);
    const Poco::Int64 today = seconds / DAY;
    const Poco::Int64 daysBack = (weekdayOf(today) - options.weekday + 7) % 7;
    Poco::Int64 start = (today - daysBack) * DAY + options.hourUtc * Poco::Int64(3600);
    if (start > seconds)
        start -= WEEK; // today is the weekday, before the hour: last week's period still runs
    return periodFrom(start, WEEK);
}

} // namespace captrack::service
