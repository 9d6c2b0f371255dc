#include "captrack/http/RequestTarget.h"
#include "captrack/Errors.h"

#include <cppunit/extensions/HelperMacros.h>

using captrack::http::parseRequestTarget;

/// A path names one route whatever way it is spelled, or it is refused before routing.
class RequestTargetTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RequestTargetTest);
    CPPUNIT_TEST(testPathsInNormalFormAreDecoded);
    CPPUNIT_TEST(testPathsNotInNormalFormAreRefused);
    CPPUNIT_TEST(testQueryParametersAreDecoded);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPathsInNormalFormAreDecoded()
    {
        const std::pair<const char*, const char*> cases[] = {
            {"/", "/"},
            {"/healthz", "/healthz"},
            {"/api/v1/projects/SPS-2027-014", "/api/v1/projects/SPS-2027-014"},
            {"/api/v1/projects/1/baselines/Re-plan%201", "/api/v1/projects/1/baselines/Re-plan 1"},
            {"/api/v1/projects/1/baselines/%D0%9F%D0%BB%D0%B0%D0%BD", "/api/v1/projects/1/baselines/План"},
            {"/a/.b/..c/...", "/a/.b/..c/..."},
        };
        for (const auto& [raw, path] : cases)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(raw, std::string(path), parseRequestTarget(raw).path);
    }

    void testPathsNotInNormalFormAreRefused()
    {
        const char* const cases[] = {
            "",
            "api/v1/users",
            "//api/v1/users",
            "///api/v1/projects",
            "/api//v1/users",
            "/api/v1/users/",
            "/%2fapi/v1/users",
            "/%2Fapi/v1/users",
            "/api%5cv1/users",
            "/api\\v1/users",
            "/./api/v1/users",
            "/api/v1/../v1/users",
            "/api/v1/%2e/users",
            "/api/v1/%2E%2E/users",
            "/api/v1/users%00",
            "/api/v1/users%0a",
            "/api/v1/users%7f",
            "/api/v1/users%",
            "/api/v1/users%4",
            "/api/v1/users%zz",
            "/api/v1/users%C0%AF",
            "/api/v1/users%ED%A0%80",
            "/api/v1/users%FF",
            "/api/v1/users#x",
        };
        for (const char* raw : cases)
            CPPUNIT_ASSERT_THROW_MESSAGE(raw, (void)parseRequestTarget(raw), captrack::BadRequestError);
    }

    void testQueryParametersAreDecoded()
    {
        const auto target = parseRequestTarget("/api/v1/projects?q=mine%20detector&status=a,b&limit=5");
        CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/projects"), target.path);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), target.query.size());
        CPPUNIT_ASSERT_EQUAL(std::string("mine detector"), target.query[0].second);
        CPPUNIT_ASSERT_EQUAL(std::string("a,b"), target.query[1].second);
        CPPUNIT_ASSERT(parseRequestTarget("/x?").query.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestTargetTest);
