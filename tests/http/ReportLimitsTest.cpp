#include "ApiAssertions.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <optional>
#include <thread>
#include <vector>

using namespace captrack;
using namespace captrack::test::api;
using captrack::test::HttpTestServer;

/// Issue 8, finding 8: the cost of reports is bounded. With reports.max_concurrent builds holding a
/// permit (held here by the test itself, so that "a build in progress" needs no timing), one more
/// portfolio report or mission impact answers 503 with Retry-After at once, while one-project reports
/// still answer; a permit comes back when its build ends, however it ends; list_limit stops at 1000.
class ReportLimitsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReportLimitsTest);
    CPPUNIT_TEST(testBuildBeyondTheLimitIs503WithRetryAfter);
    CPPUNIT_TEST(testOneProjectReportsNeedNoPermit);
    CPPUNIT_TEST(testBuildsUpToTheLimitAnswer);
    CPPUNIT_TEST(testFailedBuildGivesItsPermitBack);
    CPPUNIT_TEST(testBadRequestsAre400EvenWithEveryPermitTaken);
    CPPUNIT_TEST(testTheDefaultLimitIsTheCoreCount);
    CPPUNIT_TEST(testListLimitStopsAt1000);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { start(1); }
    void tearDown() override { _pServer.reset(); }

    void testBuildBeyondTheLimitIs503WithRetryAfter()
    {
        auto& s = *_pServer;
        expectStatus("portfolio before", 200, s.get(PORTFOLIO));
        std::optional<report::ReportGate::Permit> held(s.server().reports().admit());
        for (const std::string& path :
             {PORTFOLIO, PORTFOLIO + "?format=csv", PORTFOLIO + "?format=html", API + "/missions/KFOR/impact"})
        {
            const auto refused = s.get(path);
            expectProblem("GET " + path + " while a build holds the only permit", 503, refused);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string("2"), refused.header("Retry-After"));
        }
        held.reset();
        expectStatus("portfolio once the build ended", 200, s.get(PORTFOLIO));
        expectStatus("impact once the build ended", 200, s.get(API + "/missions/KFOR/impact"));
    }

    void testOneProjectReportsNeedNoPermit()
    {
        auto& s = *_pServer;
        const auto held = s.server().reports().admit();
        const std::string project = API + "/projects/" + std::to_string(_project);
        expectStatus("summary", 200, s.get(project + "/summary"));
        expectStatus("trend", 200, s.get(project + "/trend?format=svg"));
        expectStatus("portfolio", 503, s.get(PORTFOLIO));
    }

    void testBuildsUpToTheLimitAnswer()
    {
        start(3);
        auto& reports = _pServer->server().reports();
        const auto first = reports.admit();
        const auto second = reports.admit();
        expectStatus("third build of three", 200, _pServer->get(PORTFOLIO + "?group_by=partner"));
        const auto third = reports.admit();
        expectStatus("fourth build of three", 503, _pServer->get(PORTFOLIO));
    }

    void testFailedBuildGivesItsPermitBack()
    {
        auto& s = *_pServer;
        // The mission is looked up by the build, under its permit: each failure must give it back.
        for (int i = 0; i < 3; ++i)
            expectProblem("impact of a missing mission", 404, s.get(API + "/missions/NOPE/impact"));
        expectStatus("portfolio after failed builds", 200, s.get(PORTFOLIO));
        expectStatus("impact after failed builds", 200, s.get(API + "/missions/KFOR/impact"));
    }

    /// What the request itself gets wrong is a 400 before a permit is asked for: with the only permit
    /// taken it is still a 400, not a 503 that would have the client retry the same mistake.
    void testBadRequestsAre400EvenWithEveryPermitTaken()
    {
        auto& s = *_pServer;
        const auto held = s.server().reports().admit();
        for (const char* query : {"?group_by=colour", "?format=pdf", "?status=finished", "?health=purple",
                                  "?list_limit=1001", "?colour=red", "?as_of=2027-02-30", "?partner="})
            expectProblem(std::string("portfolio") + query + " with every permit taken", 400, s.get(PORTFOLIO + query));
        expectProblem("impact?as_of=yesterday with every permit taken", 400,
                      s.get(API + "/missions/KFOR/impact?as_of=yesterday"));
        expectStatus("a good portfolio request is still refused", 503, s.get(PORTFOLIO));
    }

    void testTheDefaultLimitIsTheCoreCount()
    {
        start(0);
        auto& reports = _pServer->server().reports();
        std::vector<report::ReportGate::Permit> held;
        const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
        for (std::size_t i = 0; i + 1 < cores; ++i)
            held.push_back(reports.admit());
        expectStatus("the last of " + std::to_string(cores) + " builds", 200, _pServer->get(PORTFOLIO));
        held.push_back(reports.admit());
        expectStatus("one build more than the cores", 503, _pServer->get(PORTFOLIO));
    }

    void testListLimitStopsAt1000()
    {
        auto& s = *_pServer;
        for (const char* limit : {"0", "1", "1000"})
            expectStatus(std::string("list_limit=") + limit, 200, s.get(PORTFOLIO + "?list_limit=" + limit));
        for (const char* limit : {"1001", "100000", "99999999999"})
            expectProblem(std::string("list_limit=") + limit, 400, s.get(PORTFOLIO + "?list_limit=" + limit));
    }

private:
    /// A server admitting `maxConcurrent` builds (0: the default, one per core) over one project
    /// linked to KFOR with an overdue milestone.
    void start(std::size_t maxConcurrent)
    {
        _pServer.reset();
        _pServer = std::make_unique<HttpTestServer>(
            [maxConcurrent](app::ServerOptions& options) { options.reports.maxConcurrent = maxConcurrent; });
        auto& s = *_pServer;
        s.seedReference();
        _project = s.create(API + "/projects", R"({"code": "RPT-1", "title": "Reported", "kind": "capability",
            "status": "implementation", "visibility": "public"})");
        const std::string project = API + "/projects/" + std::to_string(_project);
        s.create(project + "/milestones", R"({"title": "Late", "baseline_date": "2027-01-01"})");
        s.create(project + "/missions", R"({"mission_id": )" +
                                            std::to_string(number(s.get(API + "/missions/KFOR"), "id")) +
                                            R"(, "relation": "direct_support"})");
    }

    inline static const std::string PORTFOLIO = "/api/v1/reports/portfolio";
    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _project = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReportLimitsTest);
