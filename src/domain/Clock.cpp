#include "captrack/domain/Clock.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>

namespace captrack::domain
{

Date Clock::today() const
{
    const Poco::DateTime utc(now());
    return Date::fromParts(utc.year(), static_cast<unsigned>(utc.month()), static_cast<unsigned>(utc.day()));
}

std::string Clock::nowText() const
{
    return rfc3339(now());
}

std::string rfc3339(const Poco::Timestamp& at)
{
    return Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%SZ");
}

} // namespace captrack::domain
