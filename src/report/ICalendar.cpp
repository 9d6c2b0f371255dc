#include "captrack/report/ICalendar.h"

#include "captrack/Version.h"
#include "captrack/domain/TextRules.h"

#include <string>

namespace captrack::report
{

namespace
{
constexpr const char* CRLF = "\r\n";

bool isUtf8Continuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

/// "2027-03-01" as "20270301"; "2027-03-01T10:00:00Z" as "20270301T100000Z".
std::string basicFormat(std::string_view iso)
{
    std::string out;
    for (const char c : iso)
        if (c != '-' && c != ':')
            out += c;
    return out;
}

std::string signedDays(long days)
{
    return (days > 0 ? "+" : "") + std::to_string(days) + (days == 1 || days == -1 ? " day" : " days");
}

std::string descriptionOf(const CalendarMilestone& milestone)
{
    return "Project: " + milestone.projectCode + " — " + milestone.projectTitle +
           "\nStatus: " + domain::nameText(milestone.status) + "\nProgress: " + std::to_string(milestone.progress) +
           "%\nSlip: " + signedDays(milestone.slipDays) + " against the baseline";
}

void writeEvent(ICalendarWriter& out, const CalendarMilestone& milestone, const CalendarHeader& header)
{
    out.begin("VEVENT");
    out.property("UID", "milestone-" + std::to_string(milestone.id) + "@" + header.uidDomain);
    out.property("DTSTAMP", basicFormat(header.stamp));
    out.property("DTSTART;VALUE=DATE", basicFormat(milestone.due.toString()));
    out.property("DTEND;VALUE=DATE", basicFormat(milestone.due.plusDays(1).toString()));
    out.text("SUMMARY", milestone.projectCode + ": " + milestone.title);
    out.text("DESCRIPTION", descriptionOf(milestone));
    out.property("STATUS", milestone.status == domain::MilestoneStatus::Cancelled ? "CANCELLED" : "CONFIRMED");
    out.property("TRANSP", "TRANSPARENT");
    if (!milestone.updatedAt.empty())
        out.property("LAST-MODIFIED", basicFormat(milestone.updatedAt));
    if (!header.webBase.empty())
        out.property("URL", header.webBase + "/#/projects/" + std::to_string(milestone.projectId));
    out.end("VEVENT");
}
} // namespace

void ICalendarWriter::begin(std::string_view component)
{
    property("BEGIN", component);
}

void ICalendarWriter::end(std::string_view component)
{
    property("END", component);
}

void ICalendarWriter::property(std::string_view name, std::string_view value)
{
    std::string line(name);
    line += ':';
    line += value;
    _out += folded(line);
}

void ICalendarWriter::text(std::string_view name, std::string_view value)
{
    property(name, escapedText(value));
}

std::string ICalendarWriter::escapedText(std::string_view value)
{
    // What no output may carry (invalid UTF-8, controls, bidirectional controls) becomes U+FFFD first.
    const std::string shown = domain::displayableText(std::string(value));
    std::string out;
    out.reserve(shown.size());
    for (std::size_t i = 0; i < shown.size(); ++i)
    {
        const char c = shown[i];
        if (c == '\\' || c == ';' || c == ',')
            (out += '\\') += c;
        else if (c == '\n' || c == '\r')
        {
            out += "\\n";
            if (c == '\r' && i + 1 < shown.size() && shown[i + 1] == '\n')
                ++i;
        }
        else
            out += c;
    }
    return out;
}

std::string ICalendarWriter::folded(std::string_view line)
{
    std::string out;
    out.reserve(line.size() + line.size() / 60 * 3 + 2);
    std::size_t start = 0;
    std::size_t room = MAX_LINE_OCTETS;
    while (line.size() - start > room)
    {
        std::size_t cut = start + room;
        // Back to the start of the UTF-8 sequence the cut would split.
        while (cut > start && isUtf8Continuation(line[cut]))
            --cut;
        out.append(line, start, cut - start);
        out += CRLF;
        out += ' ';
        start = cut;
        room = MAX_LINE_OCTETS - 1; // the leading space is part of the line
    }
    out.append(line, start, std::string_view::npos);
    out += CRLF;
    return out;
}

std::string milestoneCalendarText(const std::vector<CalendarMilestone>& milestones, const CalendarHeader& header)
{
    ICalendarWriter out;
    out.begin("VCALENDAR");
    out.property("VERSION", "2.0");
    out.property("PRODID", std::string("-//captrack//captrack ") + VERSION + "//EN");
    out.property("CALSCALE", "GREGORIAN");
    out.property("METHOD", "PUBLISH");
    out.text("X-WR-CALNAME", header.name);
    for (const auto& milestone : milestones)
        writeEvent(out, milestone, header);
    out.end("VCALENDAR");
    return out.content();
}

} // namespace captrack::report
