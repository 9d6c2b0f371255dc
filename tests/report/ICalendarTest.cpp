#include "captrack/report/ICalendar.h"
#include "captrack/Version.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace captrack;
using report::ICalendarWriter;

namespace
{
/// The content lines of iCalendar text, unfolded (RFC 5545 3.1); fails the test on a line that does not
/// end in CRLF, is longer than 75 octets or begins a continuation inside a UTF-8 sequence.
std::vector<std::string> unfoldedLines(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size())
    {
        const std::size_t end = text.find("\r\n", start);
        CPPUNIT_ASSERT_MESSAGE("a line without CRLF", end != std::string::npos);
        const std::string line = text.substr(start, end - start);
        CPPUNIT_ASSERT_MESSAGE("a bare LF or CR in: " + line, line.find_first_of("\r\n") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("longer than 75 octets: " + line, line.size() <= 75);
        if (!line.empty() && line[0] == ' ')
        {
            CPPUNIT_ASSERT_MESSAGE("a continuation first", !lines.empty());
            CPPUNIT_ASSERT_MESSAGE("folded inside a UTF-8 sequence",
                                   line.size() < 2 || (static_cast<unsigned char>(line[1]) & 0xC0) != 0x80);
            lines.back() += line.substr(1);
        }
        else
            lines.push_back(line);
        start = end + 2;
    }
    return lines;
}

report::CalendarMilestone milestone(Poco::Int64 id, const std::string& title)
{
    report::CalendarMilestone m;
    m.id = id;
    m.projectId = 7;
    m.title = title;
    m.projectCode = "SPS-2027-014";
    m.projectTitle = "Field trial, phase 1; \"mine\" detector";
    m.status = domain::MilestoneStatus::InProgress;
    m.progress = 40;
    m.due = *domain::Date::parse("2027-05-31");
    m.slipDays = 12;
    m.updatedAt = "2027-02-28T09:15:00Z";
    return m;
}

bool has(const std::vector<std::string>& lines, const std::string& line)
{
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}
} // namespace

/// The iCalendar writer (RFC 5545): escaping, folding, and the milestone feed's shape.
class ICalendarTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ICalendarTest);
    CPPUNIT_TEST(testTextIsEscaped);
    CPPUNIT_TEST(testLongLinesFoldAt75OctetsOutsideUtf8Sequences);
    CPPUNIT_TEST(testShortLinesAreNotFolded);
    CPPUNIT_TEST(testMilestoneEvent);
    CPPUNIT_TEST(testCancelledMilestoneAndEmptyCalendar);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTextIsEscaped()
    {
        const std::vector<std::pair<std::string, std::string>> cases{
            {"plain", "plain"},
            {"a,b;c\\d", "a\\,b\\;c\\\\d"},
            {"one\ntwo\r\nthree\rfour", "one\\ntwo\\nthree\\nfour"},
            {"tab\there", "tab\there"},
            {"bell\x07", "bell\xEF\xBF\xBD"},
            {"bad \xFF byte", "bad \xEF\xBF\xBD byte"},
            {"Польовий: тест", "Польовий: тест"},
            {"", ""},
        };
        for (const auto& [input, expected] : cases)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(input, expected, ICalendarWriter::escapedText(input));
    }

    void testLongLinesFoldAt75OctetsOutsideUtf8Sequences()
    {
        // Two-, three- and four-byte characters at every offset against the 75-octet boundary.
        for (const std::string piece : {"П", "€", "🛰", "a"})
            for (std::size_t prefix = 0; prefix < 6; ++prefix)
            {
                std::string value(prefix, 'x');
                while (value.size() < 400)
                    value += piece;
                const std::string line = "SUMMARY:" + value;
                const std::string text = ICalendarWriter::folded(line);
                const auto lines = unfoldedLines(text);
                CPPUNIT_ASSERT_EQUAL(std::size_t(1), lines.size());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(piece + " after " + std::to_string(prefix), line, lines.front());
            }
    }

    void testShortLinesAreNotFolded()
    {
        const std::string line(75, 'y');
        CPPUNIT_ASSERT_EQUAL(line + "\r\n", ICalendarWriter::folded(line));
        CPPUNIT_ASSERT_EQUAL(line.substr(0, 75) + "\r\n y\r\n", ICalendarWriter::folded(line + "y"));
    }

    void testMilestoneEvent()
    {
        report::CalendarHeader header{"captrack milestones (lead)", "captrack.example.org", "2027-03-01T10:00:00Z",
                                      "https://captrack.example.org"};
        const std::string text =
            report::milestoneCalendarText({milestone(115, "Field trial, site B; the long one")}, header);
        const auto lines = unfoldedLines(text);
        CPPUNIT_ASSERT_EQUAL(std::string("BEGIN:VCALENDAR"), lines.front());
        CPPUNIT_ASSERT_EQUAL(std::string("END:VCALENDAR"), lines.back());
        CPPUNIT_ASSERT(has(lines, "VERSION:2.0"));
        CPPUNIT_ASSERT(has(lines, std::string("PRODID:-//captrack//captrack ") + VERSION + "//EN"));
        CPPUNIT_ASSERT(has(lines, "X-WR-CALNAME:captrack milestones (lead)"));
        CPPUNIT_ASSERT(has(lines, "BEGIN:VEVENT"));
        CPPUNIT_ASSERT(has(lines, "UID:milestone-115@captrack.example.org"));
        CPPUNIT_ASSERT(has(lines, "DTSTAMP:20270301T100000Z"));
        CPPUNIT_ASSERT(has(lines, "DTSTART;VALUE=DATE:20270531"));
        CPPUNIT_ASSERT(has(lines, "DTEND;VALUE=DATE:20270601"));
        CPPUNIT_ASSERT(has(lines, "SUMMARY:SPS-2027-014: Field trial\\, site B\\; the long one"));
        CPPUNIT_ASSERT(has(lines, "DESCRIPTION:Project: SPS-2027-014 — Field trial\\, phase 1\\; \"mine\" "
                                  "detector\\nStatus: in_progress\\nProgress: 40%\\nSlip: +12 days against the "
                                  "baseline"));
        CPPUNIT_ASSERT(has(lines, "STATUS:CONFIRMED"));
        CPPUNIT_ASSERT(has(lines, "LAST-MODIFIED:20270228T091500Z"));
        CPPUNIT_ASSERT(has(lines, "URL:https://captrack.example.org/#/projects/7"));
        CPPUNIT_ASSERT(has(lines, "END:VEVENT"));
    }

    void testCancelledMilestoneAndEmptyCalendar()
    {
        report::CalendarHeader header{"c", "h", "2027-03-01T10:00:00Z", ""};
        auto cancelled = milestone(9, "Dropped");
        cancelled.status = domain::MilestoneStatus::Cancelled;
        cancelled.slipDays = -3;
        const auto lines = unfoldedLines(report::milestoneCalendarText({cancelled}, header));
        CPPUNIT_ASSERT(has(lines, "STATUS:CANCELLED"));
        CPPUNIT_ASSERT(!has(lines, "URL:/#/projects/7"));
        bool early = false;
        for (const auto& line : lines)
            early = early || line.find("Slip: -3 days against the baseline") != std::string::npos;
        CPPUNIT_ASSERT(early);

        const auto empty = unfoldedLines(report::milestoneCalendarText({}, header));
        for (const auto& line : empty)
            CPPUNIT_ASSERT_MESSAGE(line, line.find("VEVENT") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("END:VCALENDAR"), empty.back());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ICalendarTest);
