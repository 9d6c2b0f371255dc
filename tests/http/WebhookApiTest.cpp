#include "ApiAssertions.h"

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;

namespace
{
const std::string SECRET = "endpoint-secret-0123456789";
} // namespace

/// The admins' webhook endpoints as a resource (docs/HTTP.md "Webhooks"): the secret written and never
/// answered nor audited, URLs and events checked, versions as on every resource, others refused.
class WebhookApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebhookApiTest);
    CPPUNIT_TEST(testTheSecretIsWrittenButNeverAnswered);
    CPPUNIT_TEST(testUrlsAndEventsAreChecked);
    CPPUNIT_TEST(testUpdatesAndDeletesNeedTheVersion);
    CPPUNIT_TEST(testOnlyAdminsSeeWebhooks);
    CPPUNIT_TEST(testAProjectAnEndpointNamesIsNotDeleted);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>(
            [](captrack::app::ServerOptions& options) { options.webhooks.deliver = false; });
    }

    void tearDown() override { _pServer.reset(); }

    void testTheSecretIsWrittenButNeverAnswered()
    {
        auto& s = *_pServer;
        const auto made = s.post(API + "/webhooks", body("https://hooks.example.org/captrack"));
        expectStatus("POST /webhooks", 201, made);
        const std::string item = API + "/webhooks/" + std::to_string(number(made, "id"));
        CPPUNIT_ASSERT_EQUAL(item, made.header("Location"));
        CPPUNIT_ASSERT(made.json()->isNull("secret"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://hooks.example.org/captrack"), text(made, "url"));
        CPPUNIT_ASSERT_EQUAL(true, made.json()->getValue<bool>("active"));
        const auto changed = s.patch(item, R"({"secret": "another-secret-9876543210"})", 1);
        expectStatus("PATCH secret", 200, changed);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), number(changed, "version"));
        CPPUNIT_ASSERT_EQUAL(std::string("another-secret-9876543210"),
                             s.scalar("SELECT secret FROM webhooks WHERE id = " + std::to_string(number(made, "id"))));
        for (const auto& path : {item, API + "/webhooks", API + "/audit?entity=webhook"})
        {
            const auto answer = s.get(path);
            expectStatus(path, 200, answer);
            CPPUNIT_ASSERT_MESSAGE(answer.body, answer.body.find(SECRET) == std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(answer.body, answer.body.find("another-secret") == std::string::npos);
        }
        CPPUNIT_ASSERT(s.get(API + "/audit?entity=webhook").body.find(R"X("new":"(set)")X") != std::string::npos);
        expectProblem("filter by secret", 400, s.get(API + "/webhooks?secret=x"));
        expectProblem("sort by secret", 400, s.get(API + "/webhooks?sort=secret"));
    }

    void testUrlsAndEventsAreChecked()
    {
        auto& s = *_pServer;
        for (const char* url : {"ftp://example.org/x", "example.org/hook", "http:///nohost", "https://u:p@example.org/",
                                "javascript:alert(1)"})
        {
            const auto refused = s.post(API + "/webhooks", body(url));
            expectProblem(url, 422, refused);
            CPPUNIT_ASSERT_EQUAL(std::string("url"), errorFields(refused));
        }
        const auto noEvents = s.post(API + "/webhooks",
                                     R"({"url": "http://127.0.0.1:9/h", "secret": ")" + SECRET + R"(", "events": []})");
        expectProblem("no events", 422, noEvents);
        CPPUNIT_ASSERT_EQUAL(std::string("events"), errorFields(noEvents));
        const auto unknown = s.post(API + "/webhooks", R"({"url": "http://127.0.0.1:9/h", "secret": ")" + SECRET +
                                                           R"(", "events": ["project.deleted"]})");
        expectProblem("unknown event", 422, unknown);
        const auto shortSecret =
            s.post(API + "/webhooks",
                   R"({"url": "http://127.0.0.1:9/h", "secret": "short", "events": ["milestone.changed"]})");
        expectProblem("short secret", 422, shortSecret);
        CPPUNIT_ASSERT_EQUAL(std::string("secret"), errorFields(shortSecret));
        expectProblem("missing project", 422,
                      s.post(API + "/webhooks", R"({"url": "http://127.0.0.1:9/h", "secret": ")" + SECRET +
                                                    R"(", "events": ["milestone.changed"], "project_id": 987654})"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("webhooks"));
    }

    void testUpdatesAndDeletesNeedTheVersion()
    {
        auto& s = *_pServer;
        const std::string item = API + "/webhooks/" + std::to_string(s.create(API + "/webhooks", body("http://a.b/c")));
        expectProblem("PATCH without If-Match", 428, s.request("PATCH", item, R"({"active": false})"));
        expectProblem("stale PATCH", 412, s.patch(item, R"({"active": false})", 9));
        const auto patched = s.patch(item, R"({"events": ["project.health_changed", "milestone.changed"]})", 1);
        expectStatus("PATCH events", 200, patched);
        CPPUNIT_ASSERT_EQUAL(std::string("\"2\""), patched.header("ETag"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), patched.json()->getArray("events")->size());
        expectStatus("DELETE", 204, s.request("DELETE", item, "", ifMatch(2)));
        expectProblem("GET deleted", 404, s.get(item));
        expectProblem("deliveries of deleted", 404, s.get(item + "/deliveries"));
    }

    void testOnlyAdminsSeeWebhooks()
    {
        auto& s = *_pServer;
        const std::string item = API + "/webhooks/" + std::to_string(s.create(API + "/webhooks", body("http://a.b/c")));
        s.addUser("rev", "reviewer");
        s.signIn("rev");
        expectProblem("reviewer list", 403, s.get(API + "/webhooks"));
        expectProblem("reviewer get", 403, s.get(item));
        expectProblem("reviewer log", 403, s.get(item + "/deliveries"));
        expectProblem("reviewer post", 403, s.post(API + "/webhooks", body("http://a.b/d")));
        s.signIn("admin");
        const auto log = s.get(item + "/deliveries?limit=5");
        expectStatus("admin log", 200, log);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), number(log, "limit"));
        expectProblem("unknown parameter", 400, s.get(item + "/deliveries?since=1"));
    }

    void testAProjectAnEndpointNamesIsNotDeleted()
    {
        auto& s = *_pServer;
        const Poco::Int64 project =
            s.create(API + "/projects", R"({"code": "P1", "title": "Project", "kind": "capability"})");
        const Poco::Int64 hook =
            s.create(API + "/webhooks", R"({"url": "http://127.0.0.1:9/h", "secret": ")" + SECRET +
                                            R"(", "events": ["milestone.changed"], "project_id": )" +
                                            std::to_string(project) + "}");
        const std::string projectPath = API + "/projects/" + std::to_string(project);
        expectProblem("DELETE a project an endpoint names", 409, s.request("DELETE", projectPath, "", ifMatch(1)));
        expectStatus("the endpoint names none", 200,
                     s.patch(API + "/webhooks/" + std::to_string(hook), R"({"project_id": null})", 1));
        expectStatus("DELETE the project", 204, s.request("DELETE", projectPath, "", ifMatch(1)));
    }

private:
    static std::string body(const std::string& url)
    {
        return R"({"url": ")" + url + R"(", "secret": ")" + SECRET + R"(", "events": ["milestone.changed"]})";
    }

    std::unique_ptr<HttpTestServer> _pServer;
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookApiTest);
