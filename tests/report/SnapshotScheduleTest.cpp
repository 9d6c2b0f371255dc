#include "captrack/report/SnapshotSchedule.h"

#include <Poco/DateTimeParser.h>

#include <cppunit/extensions/HelperMacros.h>

using captrack::report::periodAt;
using captrack::report::SnapshotScheduleOptions;

namespace
{
Poco::Timestamp at(const std::string& text)
{
    int tz = 0;
    return Poco::DateTimeParser::parse("%Y-%m-%dT%H:%M:%SZ", text, tz).timestamp();
}

std::string keyAt(const SnapshotScheduleOptions& options, const std::string& time)
{
    const auto period = periodAt(options, at(time));
    return period ? period->key : "none";
}
} // namespace

/// report::periodAt: the latest scheduled moment at or before now, for each kind of schedule.
class SnapshotScheduleTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SnapshotScheduleTest);
    CPPUNIT_TEST(testMonthlyPeriodsBeginOnTheirDayAndHour);
    CPPUNIT_TEST(testWeeklyAndDailyPeriods);
    CPPUNIT_TEST_SUITE_END();

public:
    void testMonthlyPeriodsBeginOnTheirDayAndHour()
    {
        SnapshotScheduleOptions monthly;
        monthly.every = SnapshotScheduleOptions::Every::Monthly;
        monthly.day = 1;
        monthly.hourUtc = 6;
        CPPUNIT_ASSERT_EQUAL(std::string("monthly:2027-03-01"), keyAt(monthly, "2027-04-01T05:59:59Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("monthly:2027-04-01"), keyAt(monthly, "2027-04-01T06:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("monthly:2027-04-01"), keyAt(monthly, "2027-04-30T23:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("monthly:2026-12-01"), keyAt(monthly, "2027-01-01T00:00:00Z"));
        monthly.day = 28;
        CPPUNIT_ASSERT_EQUAL(std::string("monthly:2027-02-28"), keyAt(monthly, "2027-03-27T12:00:00Z"));
        const auto period = periodAt(monthly, at("2027-03-28T07:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-28"), period->day.toString());
        CPPUNIT_ASSERT(period->start == at("2027-03-28T06:00:00Z"));
        CPPUNIT_ASSERT(!periodAt(SnapshotScheduleOptions{}, at("2027-03-28T07:00:00Z")));
    }

    void testWeeklyAndDailyPeriods()
    {
        SnapshotScheduleOptions weekly;
        weekly.every = SnapshotScheduleOptions::Every::Weekly;
        weekly.day = 1; // Monday; 2027-03-01 is one
        weekly.hourUtc = 6;
        CPPUNIT_ASSERT_EQUAL(std::string("weekly:2027-02-22"), keyAt(weekly, "2027-03-01T05:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("weekly:2027-03-01"), keyAt(weekly, "2027-03-01T06:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("weekly:2027-03-01"), keyAt(weekly, "2027-03-07T23:59:59Z"));
        weekly.day = 7; // Sunday
        CPPUNIT_ASSERT_EQUAL(std::string("weekly:2027-02-28"), keyAt(weekly, "2027-03-03T12:00:00Z"));
        SnapshotScheduleOptions daily;
        daily.every = SnapshotScheduleOptions::Every::Daily;
        daily.hourUtc = 23;
        CPPUNIT_ASSERT_EQUAL(std::string("daily:2027-02-28"), keyAt(daily, "2027-03-01T22:59:59Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("daily:2027-03-01"), keyAt(daily, "2027-03-01T23:00:00Z"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SnapshotScheduleTest);
