#pragma once

#include <optional>
#include <string>

namespace captrack::domain
{

/// A calendar day (proleptic Gregorian, no time zone), stored as days since 1970-01-01.
/// Values are cheap to copy and compare.
/// Immutable: safe to share between threads.
class Date
{
public:
    /// Parses strictly `YYYY-MM-DD` (a real day, years 1900..9999); nullopt for anything else.
    [[nodiscard]] static std::optional<Date> parse(const std::string& text);
    /// Builds a date from its parts; the caller guarantees they form a real day.
    [[nodiscard]] static Date fromParts(int year, unsigned month, unsigned day);
    [[nodiscard]] static Date fromDays(long days) { return Date(days); }

    [[nodiscard]] long days() const noexcept { return _days; }
    [[nodiscard]] std::string toString() const;
    /// Whole days from `earlier` to this date (negative when this date is before it).
    [[nodiscard]] long daysSince(const Date& earlier) const noexcept { return _days - earlier._days; }
    [[nodiscard]] Date plusDays(long n) const noexcept { return Date(_days + n); }

    bool operator==(const Date& o) const noexcept { return _days == o._days; }
    bool operator!=(const Date& o) const noexcept { return _days != o._days; }
    bool operator<(const Date& o) const noexcept { return _days < o._days; }
    bool operator<=(const Date& o) const noexcept { return _days <= o._days; }
    bool operator>(const Date& o) const noexcept { return _days > o._days; }
    bool operator>=(const Date& o) const noexcept { return _days >= o._days; }

private:
    explicit Date(long days) : _days(days) {}
    long _days;
};

} // namespace captrack::domain
