#include "captrack/domain/DecimalId.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack::domain;

class DecimalIdTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(DecimalIdTest);
    CPPUNIT_TEST(testOnlyPlainDigitsAreNumbers);
    CPPUNIT_TEST(testIdsAreAboveZeroAndFitSixtyFourBits);
    CPPUNIT_TEST_SUITE_END();

public:
    void testOnlyPlainDigitsAreNumbers()
    {
        for (const char* text : {"", "-1", "+1", " 1", "1 ", "0x1", "1e3", "１", "12a"})
        {
            CPPUNIT_ASSERT_MESSAGE(text, !isDecimalNumber(text));
            CPPUNIT_ASSERT_MESSAGE(text, !decimalNumber(text));
        }
        CPPUNIT_ASSERT(decimalNumber("007") == Poco::Int64(7));
        CPPUNIT_ASSERT(decimalNumber("0") == Poco::Int64(0));
        CPPUNIT_ASSERT(isAllDigits("1234567890123456789012"));
        CPPUNIT_ASSERT(!isAllDigits("12 3"));
    }

    void testIdsAreAboveZeroAndFitSixtyFourBits()
    {
        CPPUNIT_ASSERT(!decimalId("0"));
        CPPUNIT_ASSERT(!decimalId("000"));
        CPPUNIT_ASSERT(decimalId("999999999999999999") == Poco::Int64(999999999999999999));
        CPPUNIT_ASSERT(!decimalId("9223372036854775807")); // 19 digits: refused before parsing
        CPPUNIT_ASSERT(!decimalId("99999999999999999999"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DecimalIdTest);
