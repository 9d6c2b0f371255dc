#pragma once

#include "captrack/report/MilestoneCalendar.h"

#include <string>
#include <string_view>
#include <vector>

namespace captrack::report
{

/// Writes iCalendar (RFC 5545) content lines: CRLF line ends, lines folded to at most 75 octets (a
/// continuation line begins with one space, counted in its 75) and never inside a UTF-8 sequence, TEXT
/// values escaped. A value; not shared between threads.
class ICalendarWriter
{
public:
    /// `BEGIN:<component>`.
    void begin(std::string_view component);
    /// `END:<component>`.
    void end(std::string_view component);
    /// A property whose value is written as given (dates, times, URIs, parameters in `name`).
    void property(std::string_view name, std::string_view value);
    /// A TEXT property: the value escaped (escapedText).
    void text(std::string_view name, std::string_view value);
    /// What was written.
    [[nodiscard]] const std::string& content() const noexcept { return _out; }

    /// `\`, `;` and `,` escaped with a backslash, a line break (LF, CRLF or CR) as `\n`; what no output
    /// may carry (domain::displayableText: invalid UTF-8, other controls but HTAB, ...) as U+FFFD.
    [[nodiscard]] static std::string escapedText(std::string_view value);
    /// The content line folded and ended with CRLF.
    [[nodiscard]] static std::string folded(std::string_view line);

    /// Octets of a content line before it is folded.
    static constexpr std::size_t MAX_LINE_OCTETS = 75;

private:
    std::string _out;
};

/// What a milestone calendar says of itself.
struct CalendarHeader
{
    std::string name;      ///< X-WR-CALNAME
    std::string uidDomain; ///< the right-hand side of each event's UID (`milestone-<id>@<uidDomain>`)
    std::string stamp;     ///< when the feed was made, RFC 3339 UTC (each DTSTAMP)
    std::string webBase;   ///< "http://host:port" of the web page for each event's URL; "" for none
};

/// The milestones as a VCALENDAR: one all-day VEVENT per milestone on its due day (DTEND the day
/// after), SUMMARY "<project code>: <title>", DESCRIPTION with project title, status, progress and
/// slip, STATUS CANCELLED for a cancelled milestone and CONFIRMED otherwise, LAST-MODIFIED its
/// updated_at, URL its project's page.
[[nodiscard]] std::string milestoneCalendarText(const std::vector<CalendarMilestone>& milestones,
                                                const CalendarHeader& header);

} // namespace captrack::report
