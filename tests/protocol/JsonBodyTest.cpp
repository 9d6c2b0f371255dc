#include "captrack/http/JsonBody.h"
#include "captrack/Errors.h"

#include <cppunit/extensions/HelperMacros.h>

using captrack::BadRequestError;
using captrack::http::JsonLimits;
using captrack::http::parseJsonObject;

/// The JSON body decoder: one object, bounded before the parser allocates anything.
class JsonBodyTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(JsonBodyTest);
    CPPUNIT_TEST(testObjectsParse);
    CPPUNIT_TEST(testMalformedOrOtherValuesAreRefused);
    CPPUNIT_TEST(testValueAndDepthLimits);
    CPPUNIT_TEST_SUITE_END();

public:
    void testObjectsParse()
    {
        const auto object = parseJsonObject(R"({"a": [1, 2, {"b": "x,y:{["}], "c": -12.5e3, "d": null})");
        CPPUNIT_ASSERT_EQUAL(std::string("x,y:{["), object->getArray("a")->getObject(2)->getValue<std::string>("b"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), parseJsonObject(R"({"a":1,"b":2,"c":3,"d":4})")->size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(999999999999999999),
                             parseJsonObject(R"({"n": 999999999999999999})")->getValue<Poco::Int64>("n"));
    }

    void testMalformedOrOtherValuesAreRefused()
    {
        const char* const cases[] = {"",
                                     "[]",
                                     "1",
                                     "\"x\"",
                                     "{",
                                     "{\"a\":}",
                                     "{\"a\": 1,}",
                                     "{\"a\": \"\\u0000\"}",
                                     "{\"n\": 1234567890123456789}",
                                     "{\"n\": -18446744073709551617}",
                                     "nul"};
        for (const char* body : cases)
            CPPUNIT_ASSERT_THROW_MESSAGE(body, (void)parseJsonObject(body), BadRequestError);
    }

    void testValueAndDepthLimits()
    {
        const JsonLimits limits{10, 3};
        CPPUNIT_ASSERT_NO_THROW((void)parseJsonObject(R"({"a":[1,2,3],"b":{"c":4}})", limits));
        CPPUNIT_ASSERT_THROW((void)parseJsonObject(R"({"a":[1,2,3,4,5,6,7,8,9,10]})", limits), BadRequestError);
        CPPUNIT_ASSERT_THROW((void)parseJsonObject(R"({"a":{"b":{"c":{}}}})", limits), BadRequestError);
        // The default bounds: a 1 MiB body of tiny values is refused by the scan, not parsed.
        std::string bomb = "{\"a\":[";
        while (bomb.size() < (1 << 20))
            bomb += "0,";
        bomb += "0]}";
        CPPUNIT_ASSERT_THROW((void)parseJsonObject(bomb), BadRequestError);
        CPPUNIT_ASSERT_THROW((void)parseJsonObject(std::string(100, '[') + std::string(100, ']')), BadRequestError);
        // Brackets, commas and colons inside strings are text, not structure.
        CPPUNIT_ASSERT_NO_THROW((void)parseJsonObject("{\"s\": \"" + std::string(50000, ',') + "\"}"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonBodyTest);
