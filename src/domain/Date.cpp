#include "captrack/domain/Date.h"

#include <cstdio>

namespace captrack::domain
{

namespace
{
// Day counting after Howard Hinnant's public-domain "days_from_civil" derivation.
long daysFromCivil(long y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

void civilFromDays(long z, long& y, unsigned& m, unsigned& d)
{
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<long>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

bool isLeap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned daysInMonth(long y, unsigned m)
{
    static const unsigned lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : lengths[m - 1];
}

bool readDigits(const std::string& text, std::size_t from, std::size_t count, long& out)
{
    out = 0;
    for (std::size_t i = from; i < from + count; ++i)
    {
        if (text[i] < '0' || text[i] > '9')
            return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}
} // namespace

std::optional<Date> Date::parse(const std::string& text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    long y = 0, m = 0, d = 0;
    if (!readDigits(text, 0, 4, y) || !readDigits(text, 5, 2, m) || !readDigits(text, 8, 2, d))
        return std::nullopt;
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > static_cast<long>(daysInMonth(y, static_cast<unsigned>(m))))
        return std::nullopt;
    return Date(daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
}

Date Date::fromParts(int year, unsigned month, unsigned day)
{
    return Date(daysFromCivil(year, month, day));
}

std::string Date::toString() const
{
    long y = 0;
    unsigned m = 0, d = 0;
    civilFromDays(_days, y, m, d);
    char buffer[48]; // large enough for any long year, so the compiler can prove no truncation
    std::snprintf(buffer, sizeof buffer, "%04ld-%02u-%02u", y, m, d);
    return buffer;
}

} // namespace captrack::domain
