#include "HttpTestServer.h"

#include <cppunit/extensions/HelperMacros.h>

using captrack::test::HttpTestServer;

/// Checks behind the server's back (IndependentReader: Connector/C++ on MariaDB, the sqlite3 C API
/// on SQLite) that every acknowledged write is stored with its audit event and history, and that a
/// rejected write leaves no trace.
class StoredWritesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StoredWritesTest);
    CPPUNIT_TEST(testAcknowledgedWritesAreStored);
    CPPUNIT_TEST(testRejectedWritesLeaveNoTrace);
    CPPUNIT_TEST(testEveryUpdateAnswersWhatTheNextReadGives);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>();
        _pServer->seedReference();
    }
    void tearDown() override { _pServer.reset(); }

    void testAcknowledgedWritesAreStored()
    {
        auto& s = *_pServer;
        const auto project = s.create("/api/v1/projects", R"({"code": "SPS-2027-001", "title": "Détecteur ✓ 🚀",
            "kind": "scientific", "objectives": ["SO1"], "budget_eur": 9007199254740})");
        const std::string p = std::to_string(project);
        CPPUNIT_ASSERT_EQUAL(std::string("Détecteur ✓ 🚀"), s.scalar("SELECT title FROM projects WHERE id = " + p));
        CPPUNIT_ASSERT_EQUAL(std::string("9007199254740"), s.scalar("SELECT budget_eur FROM projects WHERE id = " + p));
        CPPUNIT_ASSERT_EQUAL(std::string("SO1"),
                             s.scalar("SELECT objective_code FROM project_objectives WHERE project_id = " + p));

        const auto milestone =
            s.create("/api/v1/projects/" + p + "/milestones", R"({"title": "Trial", "baseline_date": "2027-05-01"})");
        const std::string m = std::to_string(milestone);
        const auto moved = s.patch("/api/v1/milestones/" + m, R"({"forecast_date": "2027-06-15", "progress": 30})", 1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(moved.body, 200, moved.status);
        CPPUNIT_ASSERT_EQUAL(std::string("2027-06-15"),
                             s.scalar("SELECT forecast_date FROM milestones WHERE id = " + m));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), s.scalar("SELECT version FROM milestones WHERE id = " + m));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("milestone_history WHERE milestone_id = " + m));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-06-15"),
                             s.scalar("SELECT forecast_date FROM milestone_history WHERE milestone_id = " + m +
                                      " AND action = 'update'"));
        const std::string audit =
            s.scalar("SELECT changes FROM audit_events WHERE entity = 'milestone' AND action = 'update'");
        CPPUNIT_ASSERT_MESSAGE(audit, audit.find("\"forecast_date\":{\"old\":null,\"new\":\"2027-06-15\"}") !=
                                          std::string::npos);

        const auto partner = s.scalar("SELECT id FROM partners WHERE code = 'UKR'");
        const auto contribution = s.create("/api/v1/projects/" + p + "/contributions",
                                           R"({"partner_id": )" + partner +
                                               R"(, "role": "co_director", "kind": "funding", "amount_eur": 125000,
                                                  "person_months": 2.5})");
        CPPUNIT_ASSERT_EQUAL(std::string("125000"), s.scalar("SELECT amount_eur FROM contributions WHERE id = " +
                                                             std::to_string(contribution)));
        CPPUNIT_ASSERT_EQUAL(2.5, std::stod(s.scalar("SELECT person_months FROM contributions WHERE id = " +
                                                     std::to_string(contribution))));

        CPPUNIT_ASSERT_EQUAL(
            201, s.post("/api/v1/projects/" + p + "/baselines", R"({"name": "B1", "reason": "Re-plan"})").status);
        CPPUNIT_ASSERT_EQUAL(std::string("2027-06-15"),
                             s.scalar("SELECT baseline_date FROM milestones WHERE id = " + m));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-05-01"),
                             s.scalar("SELECT previous_baseline_date FROM baseline_items WHERE milestone_id = " + m));
        // project + milestone create + update + baseline move + contribution + baseline
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(6), s.count("audit_events WHERE project_id = " + p));
    }

    void testRejectedWritesLeaveNoTrace()
    {
        auto& s = *_pServer;
        const auto project =
            s.create("/api/v1/projects", R"({"code": "SPS-2027-002", "title": "T", "kind": "capability"})");
        const std::string p = std::to_string(project);
        const auto milestone =
            s.create("/api/v1/projects/" + p + "/milestones", R"({"title": "Trial", "baseline_date": "2027-05-01"})");
        const std::string m = std::to_string(milestone);
        const Poco::Int64 auditBefore = s.count("audit_events");
        const Poco::Int64 historyBefore = s.count("milestone_history");

        CPPUNIT_ASSERT_EQUAL(412, s.patch("/api/v1/milestones/" + m, R"({"forecast_date": "2027-09-01"})", 5).status);
        CPPUNIT_ASSERT_EQUAL(428, s.request("PATCH", "/api/v1/milestones/" + m, R"({"progress": 10})").status);
        CPPUNIT_ASSERT_EQUAL(422,
                             s.patch("/api/v1/milestones/" + m, R"({"status": "done", "progress": 20})", 1).status);
        CPPUNIT_ASSERT_EQUAL(400, s.patch("/api/v1/milestones/" + m, R"({"progress": )", 1).status);
        CPPUNIT_ASSERT_EQUAL(
            409, s.post("/api/v1/projects", R"({"code": "SPS-2027-002", "title": "T", "kind": "capability"})").status);
        CPPUNIT_ASSERT_EQUAL(422, s.post("/api/v1/projects/" + p + "/contributions",
                                         R"({"partner_id": 999999, "role": "observer", "kind": "data"})")
                                      .status);
        CPPUNIT_ASSERT_EQUAL(422, s.post("/api/v1/projects/" + p + "/baselines", R"({"name": ""})").status);
        CPPUNIT_ASSERT_EQUAL(409, s.request("DELETE", "/api/v1/projects/" + p, "", {{"If-Match", "\"1\""}}).status);

        CPPUNIT_ASSERT_EQUAL(std::string("NULL"), s.scalar("SELECT forecast_date FROM milestones WHERE id = " + m));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), s.scalar("SELECT version FROM milestones WHERE id = " + m));
        CPPUNIT_ASSERT_EQUAL(std::string("planned"), s.scalar("SELECT status FROM milestones WHERE id = " + m));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.count("projects"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("contributions"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), s.count("baselines"));
        CPPUNIT_ASSERT_EQUAL(auditBefore, s.count("audit_events"));
        CPPUNIT_ASSERT_EQUAL(historyBefore, s.count("milestone_history"));
    }

    /// An update answers with what it wrote, not with the row read back (ResourceService::update): every
    /// resource's fields, in values a database could store differently from how they were sent (trailing
    /// spaces and lines, characters outside the BMP, fractions, unsorted lists with repeats, booleans,
    /// nulls), must come back from the next read byte for byte.
    void testEveryUpdateAnswersWhatTheNextReadGives()
    {
        auto& s = *_pServer;
        const auto project = std::to_string(s.create("/api/v1/projects", R"({"code": "P-1", "title": "One",
            "kind": "capability", "objectives": ["SO1"]})"));
        const auto partner = s.scalar("SELECT id FROM partners WHERE code = 'UKR'");
        const auto contribution =
            std::to_string(s.create("/api/v1/projects/" + project + "/contributions",
                                    R"({"partner_id": )" + partner + R"(, "role": "contributor", "kind": "funding"})"));
        const auto milestone = std::to_string(s.create("/api/v1/projects/" + project + "/milestones",
                                                       R"({"title": "M", "baseline_date": "2027-05-01"})"));
        const auto user = std::to_string(s.create(
            "/api/v1/users",
            R"({"username": "lena", "display_name": "Lena", "role": "reviewer", "password": "correct-horse-battery"})"));
        const auto kfor = s.scalar("SELECT id FROM missions WHERE code = 'KFOR'");
        s.create("/api/v1/projects/" + project + "/missions",
                 R"({"mission_id": )" + kfor + R"(, "relation": "direct_support"})");
        struct Step
        {
            std::string path, body;
        };
        const std::vector<Step> steps{
            {"/api/v1/projects/" + project,
             R"({"title": "  Détecteur ✓ 🚀  ", "description": "two\nlines\n\n", "objectives": ["SO6", "SO1", "SO6"],
                 "budget_eur": 9999999999999, "capability_area": " CYB ", "start_date": "2027-01-31",
                 "declared_health": "amber", "declared_reason": "late parts "})"},
            {"/api/v1/projects/" + project,
             R"({"objectives": [], "description": null, "declared_health": null, "declared_reason": null})"},
            {"/api/v1/contributions/" + contribution,
             R"({"person_months": 0.1, "amount_eur": 0, "state": "committed", "description": "tab\there "})"},
            {"/api/v1/contributions/" + contribution, R"({"person_months": 1e-7})"},
            {"/api/v1/contributions/" + contribution, R"({"person_months": 123456.789012345})"},
            {"/api/v1/milestones/" + milestone, R"({"progress": 40, "weight": 1000, "forecast_date": "2027-02-28"})"},
            {"/api/v1/users/" + user, R"({"disabled": true, "display_name": "Lena 🚀 "})"},
            {"/api/v1/partners/UKR", R"({"name": "Ukraine  "})"},
            {"/api/v1/missions/KFOR", R"({"region": " Balkans ", "end_date": null})"},
            {"/api/v1/projects/" + project + "/missions/KFOR",
             R"({"note": "after\naction ", "relation": "lessons_learned"})"},
        };
        for (const auto& step : steps)
        {
            const auto before = s.get(step.path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step.path + ": " + before.body, 200, before.status);
            const auto version = before.json()->getValue<Poco::Int64>("version");
            const auto patched = s.patch(step.path, step.body, version);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step.body + ": " + patched.body, 200, patched.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step.body, s.get(step.path).body, patched.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step.body, version + 1, patched.json()->getValue<Poco::Int64>("version"));
        }
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StoredWritesTest);
