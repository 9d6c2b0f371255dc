#include "captrack/service/MailOptions.h"

#include <Poco/String.h>

#include <array>

namespace captrack::service
{

namespace
{
constexpr std::array<const char*, 7> WEEKDAYS{"monday", "tuesday",  "wednesday", "thursday",
                                              "friday", "saturday", "sunday"};
constexpr std::array<std::pair<StartTlsMode, const char*>, 3> START_TLS{
    {{StartTlsMode::Auto, "auto"}, {StartTlsMode::Required, "required"}, {StartTlsMode::Off, "off"}}};
} // namespace

const char* weekdayName(int weekday)
{
    return weekday >= 1 && weekday <= 7 ? WEEKDAYS[static_cast<std::size_t>(weekday - 1)] : "";
}

std::optional<int> weekdayNumber(const std::string& name)
{
    for (std::size_t i = 0; i < WEEKDAYS.size(); ++i)
        if (Poco::icompare(name, WEEKDAYS[i]) == 0)
            return static_cast<int>(i + 1);
    return std::nullopt;
}

const char* startTlsName(StartTlsMode mode)
{
    for (const auto& [value, name] : START_TLS)
        if (value == mode)
            return name;
    return "";
}

std::optional<StartTlsMode> startTlsMode(const std::string& name)
{
    for (const auto& [value, text] : START_TLS)
        if (Poco::icompare(name, text) == 0)
            return value;
    return std::nullopt;
}

} // namespace captrack::service
