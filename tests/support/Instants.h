#pragma once

#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

#include <string>

namespace captrack::testing
{

/// The instant an RFC 3339 UTC text names, e.g. at("2027-03-01T10:00:00Z"), for fixed test clocks.
inline Poco::Timestamp at(const std::string& text)
{
    int tz = 0;
    return Poco::DateTimeParser::parse("%Y-%m-%dT%H:%M:%SZ", text, tz).timestamp();
}

} // namespace captrack::testing
