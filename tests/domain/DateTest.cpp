#include "captrack/domain/Date.h"

#include <cppunit/extensions/HelperMacros.h>

using captrack::domain::Date;

class DateTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DateTest);
    CPPUNIT_TEST(testParseAcceptsRealDaysOnly);
    CPPUNIT_TEST(testRoundTripAndArithmetic);
    CPPUNIT_TEST_SUITE_END();

public:
    void testParseAcceptsRealDaysOnly()
    {
        struct Case
        {
            const char* text;
            bool valid;
        };
        const Case cases[] = {
            {"2027-03-01", true},        {"2024-02-29", true},  {"2023-02-29", false}, {"2000-02-29", true},
            {"1900-02-29", false},       {"2027-13-01", false}, {"2027-00-10", false}, {"2027-04-31", false},
            {"2027-3-01", false},        {"27-03-01", false},   {"2027/03/01", false}, {"", false},
            {"2027-03-01T00:00", false}, {"abcd-ef-gh", false}, {"1899-12-31", false}, {"9999-12-31", true},
        };
        for (const auto& c : cases)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.text, c.valid, Date::parse(c.text).has_value());
    }

    void testRoundTripAndArithmetic()
    {
        const auto a = *Date::parse("2026-11-26");
        const auto b = *Date::parse("2027-03-01");
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-26"), a.toString());
        CPPUNIT_ASSERT_EQUAL(95L, b.daysSince(a));
        CPPUNIT_ASSERT_EQUAL(-95L, a.daysSince(b));
        CPPUNIT_ASSERT_EQUAL(std::string("2024-03-01"), Date::parse("2024-02-28")->plusDays(2).toString());
        CPPUNIT_ASSERT_EQUAL(0L, Date::parse("1970-01-01")->days());
        CPPUNIT_ASSERT(a < b);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DateTest);
