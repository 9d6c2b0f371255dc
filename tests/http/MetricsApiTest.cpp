#include "ApiAssertions.h"
#include "HttpTestServer.h"
#include "captrack/Version.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <sstream>

using captrack::test::HttpResult;
using captrack::test::HttpTestServer;
using namespace captrack::test::api;

namespace
{
/// The samples of an exposition: "name{labels}" -> value (comments and blank lines skipped).
std::map<std::string, double> samplesOf(const std::string& text)
{
    std::map<std::string, double> samples;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
    {
        if (line.empty() || line[0] == '#')
            continue;
        const auto space = line.rfind(' ');
        CPPUNIT_ASSERT_MESSAGE(line, space != std::string::npos);
        double value = 0;
        CPPUNIT_ASSERT_MESSAGE(line, Poco::NumberParser::tryParseFloat(line.substr(space + 1), value));
        CPPUNIT_ASSERT_MESSAGE("twice: " + line, samples.emplace(line.substr(0, space), value).second);
    }
    return samples;
}

double valueOf(const std::map<std::string, double>& samples, const std::string& key)
{
    const auto it = samples.find(key);
    return it == samples.end() ? 0.0 : it->second;
}

std::string requests(const std::string& route, const std::string& method, int status)
{
    return "captrack_http_requests_total{route=\"" + route + "\",method=\"" + method + "\",status=\"" +
           std::to_string(status) + "\"}";
}
} // namespace

/// GET /metrics: Prometheus' text format with what the server did, and only for those allowed to read it.
/// (tests/metrics/prometheus_scrape.py has Debian's Prometheus scrape a running server.)
class MetricsApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MetricsApiTest);
    CPPUNIT_TEST(testRequestsAreCountedByRouteTemplateMethodAndStatus);
    CPPUNIT_TEST(testLatencyHistogramsAreCumulativeAndEndAtTheirCount);
    CPPUNIT_TEST(testSignInFailuresThrottlesReportsPoolAndBuildAreExposed);
    CPPUNIT_TEST(testOnlyAllowedAddressesOrTheTokenMayReadTheMetrics);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>([](captrack::app::ServerOptions& options) {
            options.auth.maxUserFailures = 2;
            options.auth.failureDelayMs = 0;
            options.metrics.networks = captrack::http::MetricsAccess::parseNetworks("127.0.0.1, ::1");
        });
        _pServer->seedReference();
    }
    void tearDown() override { _pServer.reset(); }

    std::map<std::string, double> scrape()
    {
        const auto answer = _pServer->get("/metrics");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain; version=0.0.4; charset=utf-8"), answer.contentType);
        return samplesOf(answer.body);
    }

    void testRequestsAreCountedByRouteTemplateMethodAndStatus()
    {
        auto& s = *_pServer;
        const auto project = s.create("/api/v1/projects", R"({"code": "P-1", "title": "One", "kind": "capability"})");
        const auto before = scrape();
        for (int i = 0; i < 3; ++i)
            expectStatus("GET project", 200, s.get("/api/v1/projects/" + std::to_string(project)));
        expectProblem("missing project", 404, s.get("/api/v1/projects/987654"));
        expectProblem("nothing there", 404, s.get("/no/such/path-4711"));
        expectProblem("wrong method", 405, s.request("PUT", "/api/v1/projects"));
        const std::string token = s.token();
        s.useToken("");
        expectProblem("not signed in", 401, s.get("/api/v1/projects"));
        s.useToken(token);

        const auto after = scrape();
        const auto delta = [&](const std::string& key) { return valueOf(after, key) - valueOf(before, key); };
        CPPUNIT_ASSERT_EQUAL(3.0, delta(requests("/api/v1/projects/{id}", "GET", 200)));
        CPPUNIT_ASSERT_EQUAL(1.0, delta(requests("/api/v1/projects/{id}", "GET", 404)));
        CPPUNIT_ASSERT_EQUAL(1.0, delta(requests("unmatched", "GET", 404)));
        CPPUNIT_ASSERT_EQUAL(1.0, delta(requests("unmatched", "PUT", 405)));
        CPPUNIT_ASSERT_EQUAL(1.0, delta(requests("/api/v1/projects", "GET", 401)));
        // The scrape before this one is counted, and is in flight while it writes.
        CPPUNIT_ASSERT_EQUAL(1.0, delta(requests("/metrics", "GET", 200)));
        CPPUNIT_ASSERT_EQUAL(1.0, valueOf(after, "captrack_http_requests_in_flight"));
        // A path is never a label: a client cannot add series.
        const std::string text = s.get("/metrics").body;
        CPPUNIT_ASSERT(text.find("4711") == std::string::npos);
        CPPUNIT_ASSERT(text.find("987654") == std::string::npos);
    }

    void testLatencyHistogramsAreCumulativeAndEndAtTheirCount()
    {
        auto& s = *_pServer;
        for (int i = 0; i < 5; ++i)
            expectStatus("GET partners", 200, s.get("/api/v1/partners"));
        const auto samples = scrape();
        const std::string series = "route=\"/api/v1/partners\",method=\"GET\"";
        double previous = 0;
        int buckets = 0;
        for (const auto& [key, value] : samples)
            if (Poco::startsWith(key, "captrack_http_request_duration_seconds_bucket{" + series + ",le=\"") &&
                key.find("+Inf") == std::string::npos)
            {
                ++buckets;
                CPPUNIT_ASSERT(value >= 0);
            }
        CPPUNIT_ASSERT_EQUAL(14, buckets);
        // Cumulative in the order of the bounds.
        for (const char* bound : {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
                                  "1", "2.5", "5", "10", "+Inf"})
        {
            const double value =
                valueOf(samples, "captrack_http_request_duration_seconds_bucket{" + series + ",le=\"" + bound + "\"}");
            CPPUNIT_ASSERT_MESSAGE(bound, value >= previous);
            previous = value;
        }
        const double count = valueOf(samples, "captrack_http_request_duration_seconds_count{" + series + "}");
        CPPUNIT_ASSERT(count >= 5);
        CPPUNIT_ASSERT_EQUAL(count, previous);
        CPPUNIT_ASSERT(valueOf(samples, "captrack_http_request_duration_seconds_sum{" + series + "}") > 0);
    }

    void testSignInFailuresThrottlesReportsPoolAndBuildAreExposed()
    {
        auto& s = *_pServer;
        s.addUser("lena", "lead");
        const auto project = s.create("/api/v1/projects", R"({"code": "P-2", "title": "Two", "kind": "capability"})");
        const auto before = scrape();
        const std::string wrong = R"({"username": "lena", "password": "not-her-password-1"})";
        const std::string token = s.token();
        s.useToken("");
        expectProblem("wrong password", 401, s.post("/api/v1/auth/login", wrong));
        expectProblem("wrong password", 401, s.post("/api/v1/auth/login", wrong));
        expectProblem("throttled", 429, s.post("/api/v1/auth/login", wrong));
        s.useToken(token);
        expectStatus("summary", 200, s.get("/api/v1/projects/" + std::to_string(project) + "/summary"));
        expectStatus("portfolio", 200, s.get("/api/v1/reports/portfolio"));

        const auto after = scrape();
        const auto delta = [&](const std::string& key) { return valueOf(after, key) - valueOf(before, key); };
        CPPUNIT_ASSERT_EQUAL(2.0, delta("captrack_sign_in_failures_total"));
        CPPUNIT_ASSERT_EQUAL(1.0, delta("captrack_sign_in_throttled_total"));
        CPPUNIT_ASSERT_EQUAL(1.0, delta("captrack_report_build_duration_seconds_count{report=\"summary\"}"));
        CPPUNIT_ASSERT_EQUAL(1.0, delta("captrack_report_build_duration_seconds_count{report=\"portfolio\"}"));
        CPPUNIT_ASSERT(after.count("captrack_db_pool_max_sessions") == 1);
        CPPUNIT_ASSERT(valueOf(after, "captrack_db_pool_max_sessions") >= 1);
        CPPUNIT_ASSERT(valueOf(after, "captrack_db_pool_sessions_idle") >= 1);
        CPPUNIT_ASSERT(after.count("captrack_db_pool_sessions_in_use") == 1);
        CPPUNIT_ASSERT(after.count("captrack_db_pool_waits_total") == 1);
        CPPUNIT_ASSERT_EQUAL(1.0,
                             valueOf(after, std::string("captrack_build_info{version=\"") + captrack::VERSION + "\"}"));
        CPPUNIT_ASSERT(valueOf(after, "captrack_start_time_seconds") > 1.7e9);
    }

    void testOnlyAllowedAddressesOrTheTokenMayReadTheMetrics()
    {
        HttpTestServer closed([](captrack::app::ServerOptions& options) {
            options.metrics.networks = captrack::http::MetricsAccess::parseNetworks("10.0.0.0/8, ::2/128");
            options.metrics.token = "metrics-token-0123456789";
        });
        expectProblem("not allowed", 403, closed.get("/metrics"));
        closed.useToken("metrics-token-012345678");
        expectProblem("a wrong token", 403, closed.get("/metrics"));
        closed.useToken("metrics-token-0123456789");
        const auto opened = closed.get("/metrics");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(opened.body, 200, opened.status);
        CPPUNIT_ASSERT(opened.body.find("captrack_build_info") != std::string::npos);

        HttpTestServer noToken([](captrack::app::ServerOptions& options) {
            options.metrics.networks = captrack::http::MetricsAccess::parseNetworks("");
        });
        noToken.useToken("");
        expectProblem("no address, no token", 403, noToken.get("/metrics"));
        // A user's session is not a way in.
        const auto asAdmin = HttpTestServer([](captrack::app::ServerOptions& options) {
                                 options.metrics.networks = {};
                             }).get("/metrics");
        CPPUNIT_ASSERT_EQUAL(403, asAdmin.status);

        for (const char* bad : {"10.0.0.0/33", "::1/129", "localhost", "10.0.0.0/x", "1.2.3", "::ffff:10.0.0.0/104"})
            CPPUNIT_ASSERT_THROW_MESSAGE(bad, (void)captrack::http::MetricsAccess::parseNetworks(bad),
                                         Poco::InvalidArgumentException);
        captrack::http::MetricsAccess access;
        access.networks = captrack::http::MetricsAccess::parseNetworks("192.168.4.0/22, 2001:db8::/32");
        CPPUNIT_ASSERT(access.allowsAddress(Poco::Net::IPAddress("192.168.7.255")));
        CPPUNIT_ASSERT(!access.allowsAddress(Poco::Net::IPAddress("192.168.8.0")));
        CPPUNIT_ASSERT(access.allowsAddress(Poco::Net::IPAddress("::ffff:192.168.5.1")));
        CPPUNIT_ASSERT(access.allowsAddress(Poco::Net::IPAddress("2001:db8:1::1")));
        CPPUNIT_ASSERT(!access.allowsAddress(Poco::Net::IPAddress("2001:db9::1")));
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MetricsApiTest);
