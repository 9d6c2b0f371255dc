#include "ApiAssertions.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;

class MissionLinkApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MissionLinkApiTest);
    CPPUNIT_TEST(testLinkAnswers201AndReadsBackByMissionIdAndCode);
    CPPUNIT_TEST(testDuplicateLinkIs409ButOtherProjectMayLinkTheSameMission);
    CPPUNIT_TEST(testLinkValidationIs422AndMissingProjectIs404);
    CPPUNIT_TEST(testPatchChangesRelationAndNeedsTheCurrentVersion);
    CPPUNIT_TEST(testMissionCannotBeChangedOnceLinked);
    CPPUNIT_TEST(testDeleteRemovesLinkButNotMission);
    CPPUNIT_TEST(testLinkIsOnlyVisibleUnderItsOwnProject);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        _project = s.create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability"})");
        _other = s.create(API + "/projects", R"({"code": "P-2", "title": "Two", "kind": "capability"})");
        _kfor = number(s.get(API + "/missions/KFOR"), "id");
        _nmi = number(s.get(API + "/missions/NMI"), "id");
    }
    void tearDown() override { _pServer.reset(); }

    void testLinkAnswers201AndReadsBackByMissionIdAndCode()
    {
        auto& s = *_pServer;
        const auto created =
            s.post(links(_project), R"({"mission_id": )" + std::to_string(_kfor) +
                                        R"(, "relation": "direct_support", "note": "Route clearance"})");
        expectStatus("POST link", 201, created);
        CPPUNIT_ASSERT_EQUAL(link(_project, std::to_string(_kfor)), created.header("Location"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"1\""), created.header("ETag"));
        CPPUNIT_ASSERT_EQUAL(_project, number(created, "project_id"));
        CPPUNIT_ASSERT_EQUAL(_kfor, number(created, "mission_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("Route clearance"), text(created, "note"));

        for (const auto& key : {std::to_string(_kfor), std::string("KFOR")})
        {
            const auto read = s.get(link(_project, key));
            expectStatus("GET link by " + key, 200, read);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(key, created.body, read.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(key, std::string("\"1\""), read.header("ETag"));
        }
        const auto list = s.get(links(_project));
        expectStatus("GET links", 200, list);
        CPPUNIT_ASSERT_EQUAL(std::to_string(_kfor), column(list, "mission_id"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number(list, "total"));
        CPPUNIT_ASSERT_EQUAL(std::string(), column(s.get(links(_other)), "mission_id"));
    }

    void testDuplicateLinkIs409ButOtherProjectMayLinkTheSameMission()
    {
        auto& s = *_pServer;
        const std::string body = R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "interoperability"})";
        s.create(links(_project), body);
        Unchanged unchanged(s, {"mission_links"}, {link(_project, "KFOR")});
        expectProblem("duplicate link", 409, s.post(links(_project), body));
        expectProblem("duplicate link, other relation", 409,
                      s.post(links(_project),
                             R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "lessons_learned"})"));
        unchanged.check("duplicate link");
        expectStatus("same mission, other project", 201, s.post(links(_other), body));
        expectStatus("other mission, same project", 201,
                     s.post(links(_project),
                            R"({"mission_id": )" + std::to_string(_nmi) + R"(, "relation": "capacity_building"})"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), s.count("mission_links"));
    }

    void testLinkValidationIs422AndMissingProjectIs404()
    {
        auto& s = *_pServer;
        struct Case
        {
            std::string body;
            std::string fields;
        };
        const std::vector<Case> cases{
            {R"({"mission_id": 99999, "relation": "direct_support"})", "mission_id"},
            {R"({"mission_id": "KFOR", "relation": "direct_support"})", "mission_id"},
            {R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "moral_support"})", "relation"},
            {R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "direct_support", "note": ")" +
                 std::string(2001, 'n') + R"("})",
             "note"},
            {R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "direct_support", "project_id": )" +
                 std::to_string(_other) + "}",
             "project_id"},
            {"{}", "mission_id,relation"},
        };
        for (const auto& c : cases)
        {
            Unchanged unchanged(s, {"mission_links"});
            expectInvalid(c.body, c.fields, s.post(links(_project), c.body));
            unchanged.check(c.body);
        }
        Unchanged unchanged(s, {"mission_links"});
        const std::string body = R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "direct_support"})";
        expectProblem("POST under missing project", 404, s.post(API + "/projects/99999/missions", body));
        expectProblem("GET under missing project", 404, s.get(API + "/projects/99999/missions"));
        expectProblem("GET link under missing project", 404, s.get(API + "/projects/99999/missions/KFOR"));
        unchanged.check("missing project");
    }

    void testPatchChangesRelationAndNeedsTheCurrentVersion()
    {
        auto& s = *_pServer;
        s.create(links(_project), R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "direct_support"})");
        const auto updated =
            s.patch(link(_project, "KFOR"), R"({"relation": "lessons_learned", "note": "After action review"})", 1);
        expectStatus("PATCH link by code", 200, updated);
        CPPUNIT_ASSERT_EQUAL(std::string("\"2\""), updated.header("ETag"));
        CPPUNIT_ASSERT_EQUAL(std::string("lessons_learned"), text(updated, "relation"));
        const auto byId = s.patch(link(_project, std::to_string(_kfor)), R"({"note": null})", 2);
        expectStatus("PATCH link by id", 200, byId);
        CPPUNIT_ASSERT_EQUAL(std::string("null"), text(byId, "note"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"3\""), byId.header("ETag"));

        Unchanged unchanged(s, {"mission_links"}, {link(_project, "KFOR")});
        expectProblem("stale PATCH", 412, s.patch(link(_project, "KFOR"), R"({"relation": "direct_support"})", 2));
        expectProblem("PATCH without If-Match", 428,
                      s.request("PATCH", link(_project, "KFOR"), R"({"relation": "direct_support"})"));
        expectInvalid("PATCH bad relation", "relation", s.patch(link(_project, "KFOR"), R"({"relation": "none"})", 3));
        expectProblem("PATCH unlinked mission", 404, s.patch(link(_project, "NMI"), R"({"note": "x"})", 1));
        expectProblem("PATCH unknown mission", 404, s.patch(link(_project, "ISAF"), R"({"note": "x"})", 1));
        unchanged.check("rejected link PATCHes");
    }

    void testMissionCannotBeChangedOnceLinked()
    {
        auto& s = *_pServer;
        s.create(links(_project), R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "direct_support"})");
        Unchanged unchanged(s, {"mission_links"}, {link(_project, "KFOR")});
        expectInvalid("PATCH mission_id", "mission_id",
                      s.patch(link(_project, "KFOR"), R"({"mission_id": )" + std::to_string(_nmi) + "}", 1));
        unchanged.check("PATCH mission_id");
        expectProblem("no link to NMI appeared", 404, s.get(link(_project, "NMI")));
    }

    void testDeleteRemovesLinkButNotMission()
    {
        auto& s = *_pServer;
        s.create(links(_project), R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "direct_support"})");
        Unchanged unchanged(s, {"mission_links"}, {link(_project, "KFOR")});
        expectProblem("DELETE without If-Match", 428, s.request("DELETE", link(_project, "KFOR")));
        expectProblem("stale DELETE", 412, s.request("DELETE", link(_project, "KFOR"), "", ifMatch(2)));
        expectProblem("DELETE unlinked mission", 404, s.request("DELETE", link(_project, "NMI"), "", ifMatch(1)));
        unchanged.check("rejected link DELETEs");

        const auto audits = s.count("audit_events");
        expectStatus("DELETE link", 204, s.request("DELETE", link(_project, "KFOR"), "", ifMatch(1)));
        CPPUNIT_ASSERT_EQUAL(audits + 1, s.count("audit_events"));
        expectProblem("GET deleted link", 404, s.get(link(_project, "KFOR")));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("mission_links"));
        expectStatus("the mission stays", 200, s.get(API + "/missions/KFOR"));
        // With the link gone the mission is no longer referenced, and may be linked again.
        expectStatus("link again", 201,
                     s.post(links(_project),
                            R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "interoperability"})"));
    }

    void testLinkIsOnlyVisibleUnderItsOwnProject()
    {
        auto& s = *_pServer;
        s.create(links(_project), R"({"mission_id": )" + std::to_string(_kfor) + R"(, "relation": "direct_support"})");
        Unchanged unchanged(s, {"mission_links"}, {link(_project, "KFOR")});
        expectProblem("GET via other project", 404, s.get(link(_other, "KFOR")));
        expectProblem("PATCH via other project", 404, s.patch(link(_other, "KFOR"), R"({"note": "x"})", 1));
        expectProblem("DELETE via other project", 404, s.request("DELETE", link(_other, "KFOR"), "", ifMatch(1)));
        unchanged.check("other project");
    }

private:
    [[nodiscard]] static std::string links(Poco::Int64 project)
    {
        return API + "/projects/" + std::to_string(project) + "/missions";
    }
    [[nodiscard]] static std::string link(Poco::Int64 project, const std::string& mission)
    {
        return links(project) + "/" + mission;
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _project = 0;
    Poco::Int64 _other = 0;
    Poco::Int64 _kfor = 0;
    Poco::Int64 _nmi = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MissionLinkApiTest);
