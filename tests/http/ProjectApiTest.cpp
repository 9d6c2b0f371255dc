#include "HttpTestServer.h"

#include <cppunit/extensions/HelperMacros.h>

using captrack::test::HttpTestServer;

class ProjectApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ProjectApiTest);
    CPPUNIT_TEST(testCreateGetUpdateDelete);
    CPPUNIT_TEST(testValidationListsEveryBadField);
    CPPUNIT_TEST(testMalformedJsonIs400AndWritesNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>();
        _pServer->seedReference();
    }
    void tearDown() override { _pServer.reset(); }

    void testCreateGetUpdateDelete()
    {
        auto& s = *_pServer;
        const auto created = s.post("/api/v1/projects", R"({"code": "SPS-2027-014", "title": "Field trial",
            "kind": "scientific", "capability_area": "CYB", "objectives": ["SO6", "SO1"], "budget_eur": 300000})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const auto id = created.json()->getValue<Poco::Int64>("id");
        CPPUNIT_ASSERT_EQUAL("/api/v1/projects/" + std::to_string(id), created.header("Location"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"1\""), created.header("ETag"));

        const auto read = s.get("/api/v1/projects/" + std::to_string(id));
        CPPUNIT_ASSERT_EQUAL(200, read.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Field trial"), read.json()->getValue<std::string>("title"));
        CPPUNIT_ASSERT_EQUAL(std::string("SO1"), read.json()->getArray("objectives")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(200, s.get("/api/v1/projects/SPS-2027-014").status);

        const auto updated = s.patch("/api/v1/projects/" + std::to_string(id), R"({"status": "implementation"})", 1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(updated.body, 200, updated.status);
        CPPUNIT_ASSERT_EQUAL(std::string("\"2\""), updated.header("ETag"));
        const auto stale = s.patch("/api/v1/projects/" + std::to_string(id), R"({"status": "closed"})", 1);
        CPPUNIT_ASSERT_EQUAL(412, stale.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), stale.contentType);
        const auto noVersion = s.request("PATCH", "/api/v1/projects/" + std::to_string(id), R"({"status": "closed"})");
        CPPUNIT_ASSERT_EQUAL(428, noVersion.status);
        CPPUNIT_ASSERT_EQUAL(std::string("implementation"),
                             s.get("/api/v1/projects/" + std::to_string(id)).json()->getValue<std::string>("status"));

        const auto list = s.get("/api/v1/projects?status=implementation&sort=-updated_at&limit=10");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.body, 200, list.status);
        CPPUNIT_ASSERT_EQUAL(1, list.json()->getValue<int>("total"));
        CPPUNIT_ASSERT_EQUAL(10, list.json()->getValue<int>("limit"));

        CPPUNIT_ASSERT_EQUAL(428, s.request("DELETE", "/api/v1/projects/" + std::to_string(id)).status);
        CPPUNIT_ASSERT_EQUAL(
            204, s.request("DELETE", "/api/v1/projects/" + std::to_string(id), "", {{"If-Match", "\"2\""}}).status);
        CPPUNIT_ASSERT_EQUAL(404, s.get("/api/v1/projects/" + std::to_string(id)).status);
    }

    void testValidationListsEveryBadField()
    {
        auto& s = *_pServer;
        const auto result = s.post("/api/v1/projects", R"({"code": "X", "title": "", "kind": "secret",
            "budget_eur": -1, "end_date": "2027-02-30", "unknown": 1})");
        CPPUNIT_ASSERT_EQUAL(422, result.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), result.contentType);
        const auto errors = result.json()->getArray("errors");
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), errors->size());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("projects"));
    }

    void testMalformedJsonIs400AndWritesNothing()
    {
        auto& s = *_pServer;
        CPPUNIT_ASSERT_EQUAL(400, s.post("/api/v1/projects", "{\"code\": ").status);
        CPPUNIT_ASSERT_EQUAL(400, s.post("/api/v1/projects", "[1, 2]").status);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("projects"));
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProjectApiTest);
