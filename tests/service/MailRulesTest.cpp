#include "Instants.h"
#include "captrack/service/DigestSchedule.h"
#include "captrack/service/MailOptions.h"
#include "captrack/service/MailRelay.h"

#include <Poco/Net/NetException.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack;
using captrack::testing::at;
using service::StartTlsMode;

/// The pure rules of reminders by e-mail: digest periods, the STARTTLS decision (what aiosmtpd in the
/// script test cannot show: it offers no STARTTLS there), EHLO parsing, setting names.
class MailRulesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MailRulesTest);
    CPPUNIT_TEST(testWeeklyPeriodsBeginOnTheWeekdayAndHour);
    CPPUNIT_TEST(testShortPeriodsAreMultiplesFromTheEpoch);
    CPPUNIT_TEST(testStartTlsDecision);
    CPPUNIT_TEST(testEhloExtensions);
    CPPUNIT_TEST(testSettingNames);
    CPPUNIT_TEST_SUITE_END();

public:
    void testWeeklyPeriodsBeginOnTheWeekdayAndHour()
    {
        const service::DigestOptions monday6{1, 6, 0};
        // 2027-03-01 is a Monday.
        const struct
        {
            const char* now;
            service::DigestOptions options;
            const char* start;
            const char* previous;
        } cases[] = {
            {"2027-03-01T10:00:00Z", monday6, "2027-03-01T06:00:00Z", "2027-02-22T06:00:00Z"},
            {"2027-03-01T06:00:00Z", monday6, "2027-03-01T06:00:00Z", "2027-02-22T06:00:00Z"},
            {"2027-03-01T05:59:59Z", monday6, "2027-02-22T06:00:00Z", "2027-02-15T06:00:00Z"},
            {"2027-03-07T23:59:59Z", monday6, "2027-03-01T06:00:00Z", "2027-02-22T06:00:00Z"},
            {"2027-03-03T12:00:00Z", {5, 0, 0}, "2027-02-26T00:00:00Z", "2027-02-19T00:00:00Z"},
            {"2027-03-05T00:00:00Z", {5, 0, 0}, "2027-03-05T00:00:00Z", "2027-02-26T00:00:00Z"},
            {"2027-03-07T22:30:00Z", {7, 23, 0}, "2027-02-28T23:00:00Z", "2027-02-21T23:00:00Z"},
        };
        for (const auto& c : cases)
        {
            const auto period = service::digestPeriodAt(c.options, at(c.now));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.now, std::string(c.start), period.key);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.now, at(c.previous).epochTime(), std::time_t(period.previousStart));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.now, at(c.start).epochTime(), std::time_t(period.start));
        }
    }

    void testShortPeriodsAreMultiplesFromTheEpoch()
    {
        const auto period = service::digestPeriodAt({1, 6, 4}, at("2027-03-01T10:00:07Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:04Z"), period.key);
        CPPUNIT_ASSERT_EQUAL(period.start - 4, period.previousStart);
    }

    void testStartTlsDecision()
    {
        CPPUNIT_ASSERT(service::useStartTls(StartTlsMode::Auto, true));
        CPPUNIT_ASSERT(!service::useStartTls(StartTlsMode::Auto, false));
        CPPUNIT_ASSERT(service::useStartTls(StartTlsMode::Required, true));
        CPPUNIT_ASSERT_THROW((void)service::useStartTls(StartTlsMode::Required, false), Poco::Net::SMTPException);
        CPPUNIT_ASSERT(!service::useStartTls(StartTlsMode::Off, true));
        CPPUNIT_ASSERT(!service::useStartTls(StartTlsMode::Off, false));
    }

    void testEhloExtensions()
    {
        const std::string answer = "250-relay.example.org Hello\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n"
                                   "250-STARTTLS\r\n250-AUTH LOGIN PLAIN\r\n250 HELP";
        CPPUNIT_ASSERT(service::ehloOffers(answer, "STARTTLS"));
        CPPUNIT_ASSERT(service::ehloOffers(answer, "starttls"));
        CPPUNIT_ASSERT(service::ehloOffers(answer, "HELP"));
        CPPUNIT_ASSERT_EQUAL(std::string("LOGIN PLAIN"), *service::ehloExtension(answer, "AUTH"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), *service::ehloExtension(answer, "8BITMIME"));
        CPPUNIT_ASSERT(!service::ehloOffers("250-relay Hello\r\n250-STARTTLSX\r\n250 SIZE 10", "STARTTLS"));
        CPPUNIT_ASSERT(!service::ehloOffers("250 relay Hello STARTTLS", "STARTTLS")); // the greeting line
    }

    void testSettingNames()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("monday"), std::string(service::weekdayName(1)));
        CPPUNIT_ASSERT_EQUAL(std::string("sunday"), std::string(service::weekdayName(7)));
        CPPUNIT_ASSERT_EQUAL(5, *service::weekdayNumber("Friday"));
        CPPUNIT_ASSERT(!service::weekdayNumber("fri"));
        CPPUNIT_ASSERT(StartTlsMode::Required == *service::startTlsMode("REQUIRED"));
        CPPUNIT_ASSERT_EQUAL(std::string("off"), std::string(service::startTlsName(StartTlsMode::Off)));
        CPPUNIT_ASSERT(!service::startTlsMode("yes"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MailRulesTest);
