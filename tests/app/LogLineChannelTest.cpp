#include "LogLineChannel.h"

#include <Poco/AutoPtr.h>
#include <Poco/PatternFormatter.h>

#include <cppunit/extensions/HelperMacros.h>

using captrack::app::LogLineChannel;

/// The server's log lines are what the PatternFormatter of the first releases wrote (scripts and
/// operators read them): "%Y-%m-%dT%H:%M:%SZ %p %s: %t" in UTC, for every priority and any text.
class LogLineChannelTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LogLineChannelTest);
    CPPUNIT_TEST(testLinesAreThePatternFormattersLines);
    CPPUNIT_TEST_SUITE_END();

public:
    void testLinesAreThePatternFormattersLines()
    {
        Poco::AutoPtr<Poco::PatternFormatter> formatter = new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%SZ %p %s: %t");
        formatter->setProperty("times", "UTC");
        const std::vector<std::string> texts{"GET /api/v1/projects/1 200 0.12ms req-1", "", "100% %s %d é € 😀",
                                             "two\nlines"};
        // Instants across a second, a day and a year boundary, and one in 2038.
        const std::vector<Poco::Timestamp::TimeVal> instants{0, 1798761599999999, 1798761600000000, 2240524800123456};
        std::size_t compared = 0;
        for (int priority = Poco::Message::PRIO_FATAL; priority <= Poco::Message::PRIO_TRACE; ++priority)
            for (const auto& text : texts)
                for (const auto instant : instants)
                {
                    Poco::Message message("captrack.access", text, static_cast<Poco::Message::Priority>(priority));
                    message.setTime(Poco::Timestamp(instant));
                    std::string expected;
                    formatter->format(message, expected);
                    CPPUNIT_ASSERT_EQUAL(expected, LogLineChannel::lineOf(message));
                    ++compared;
                }
        CPPUNIT_ASSERT_EQUAL(std::size_t(8 * 4 * 4), compared);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogLineChannelTest);
