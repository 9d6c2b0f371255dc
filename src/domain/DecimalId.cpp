#include "captrack/domain/DecimalId.h"

namespace captrack::domain
{

bool isAllDigits(std::string_view text) noexcept
{
    if (text.empty())
        return false;
    for (const char c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

bool isDecimalNumber(std::string_view text) noexcept
{
    return text.size() <= MAX_DECIMAL_DIGITS && isAllDigits(text);
}

std::optional<Poco::Int64> decimalNumber(std::string_view text) noexcept
{
    if (!isDecimalNumber(text))
        return std::nullopt;
    Poco::Int64 value = 0;
    for (const char c : text)
        value = value * 10 + (c - '0');
    return value;
}

std::optional<Poco::Int64> decimalId(std::string_view text) noexcept
{
    const auto value = decimalNumber(text);
    if (!value || *value <= 0)
        return std::nullopt;
    return value;
}

} // namespace captrack::domain
