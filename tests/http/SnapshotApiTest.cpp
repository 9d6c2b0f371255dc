#include "ApiAssertions.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

using namespace captrack::test::api;
using captrack::test::HttpResult;
using captrack::test::HttpTestServer;

namespace
{
const std::string SNAPSHOTS = API + "/reports/snapshots";
const char* const FORMATS[] = {"json", "csv", "md", "html", "xlsx"};

std::string sha256(const std::string& bytes)
{
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes);
    return Poco::DigestEngine::digestToHex(engine.digest());
}
} // namespace

/// Report snapshots through the real server (issue 14): a portfolio report published under a name is
/// served back byte for byte in every format, whatever changed since; staff only; publish and delete
/// by role, audited; a refused publication writes nothing.
class SnapshotApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SnapshotApiTest);
    CPPUNIT_TEST(testSnapshotIsTheLiveReportAndStaysSoAfterChanges);
    CPPUNIT_TEST(testSnapshotKeepsTheStateItWasBuiltFrom);
    CPPUNIT_TEST(testWhoMayPublishReadAndDelete);
    CPPUNIT_TEST(testBadPublicationsAreRefusedAndWriteNothing);
    CPPUNIT_TEST(testFiltersAndParametersAreKeptAndListed);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        s.addUser("rev", "reviewer");
        s.addUser("lead", "lead");
        s.addUser("ukr", "partner", s.partnerId("UKR"));
        _project = s.create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability",
            "status": "implementation", "visibility": "public", "budget_eur": 500000})");
        _late = s.create(API + "/projects/" + std::to_string(_project) + "/milestones",
                         R"({"title": "Late", "baseline_date": "2027-01-10"})");
        s.create(API + "/projects/" + std::to_string(_project) + "/milestones",
                 R"({"title": "Soon", "baseline_date": "2027-03-20"})");
        _cancelled = s.create(API + "/projects/" + std::to_string(_project) + "/milestones",
                              R"({"title": "Dropped", "baseline_date": "2027-05-01", "status": "cancelled"})");
        _contribution = s.create(API + "/projects/" + std::to_string(_project) + "/contributions",
                                 R"({"partner_id": )" + std::to_string(s.partnerId("UKR")) +
                                     R"(, "role": "contributor", "kind": "funding", "amount_eur": 120000})");
        s.signIn("rev");
    }
    void tearDown() override { _pServer.reset(); }

    void testSnapshotIsTheLiveReportAndStaysSoAfterChanges()
    {
        auto& s = *_pServer;
        const auto published = s.post(SNAPSHOTS, R"({"name": "2027 Q1 review", "group_by": "framework"})");
        expectStatus("publish", 201, published);
        const auto id = number(published, "id");
        CPPUNIT_ASSERT_EQUAL(SNAPSHOTS + "/" + std::to_string(id), published.header("Location"));
        std::map<std::string, HttpResult> atPublication;
        // A second later: a workbook carries the report's date, not the time it was written.
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));
        for (const char* format : FORMATS)
        {
            const std::string query = std::string("?format=") + format;
            const auto stored = s.get(SNAPSHOTS + "/" + std::to_string(id) + "/portfolio" + query);
            const auto live = s.get(API + "/reports/portfolio" + query + "&group_by=framework");
            expectStatus(format, 200, stored);
            CPPUNIT_ASSERT_MESSAGE(format, stored.body == live.body);
            CPPUNIT_ASSERT_EQUAL(live.contentType, stored.contentType);
            CPPUNIT_ASSERT_EQUAL(live.header("Content-Disposition"), stored.header("Content-Disposition"));
            CPPUNIT_ASSERT_EQUAL("\"" + sha256(stored.body) + "\"", stored.header("ETag"));
            atPublication.emplace(format, stored);
        }
        CPPUNIT_ASSERT_EQUAL(sha256(atPublication.at("json").body), text(published, "content_hash"));

        // The portfolio changes: a milestone done, a contribution committed, a health declared, a project added.
        s.signIn("admin");
        const auto late = s.get(API + "/milestones/" + std::to_string(_late));
        expectStatus("milestone done", 200,
                     s.patch(API + "/milestones/" + std::to_string(_late),
                             R"({"status": "done", "actual_date": "2027-02-20", "progress": 100})",
                             number(late, "version")));
        expectStatus("committed", 200,
                     s.patch(API + "/contributions/" + std::to_string(_contribution), R"({"state": "committed"})", 1));
        s.create(API + "/projects", R"({"code": "P-2", "title": "Two", "kind": "scientific"})");
        s.signIn("rev");

        for (const char* format : FORMATS)
        {
            const auto again = s.get(std::string(SNAPSHOTS) + "/2027%20Q1%20review/portfolio?format=" + format);
            expectStatus(format, 200, again);
            CPPUNIT_ASSERT_MESSAGE(format, again.body == atPublication.at(format).body);
        }
        const auto liveNow = s.get(API + "/reports/portfolio?group_by=framework");
        CPPUNIT_ASSERT_MESSAGE("the live report moved on", liveNow.body != atPublication.at("json").body);
    }

    void testSnapshotKeepsTheStateItWasBuiltFrom()
    {
        auto& s = *_pServer;
        const auto id = number(s.post(SNAPSHOTS, R"({"name": "state"})"), "id");
        const std::string where = " WHERE snapshot_id = " + std::to_string(id);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.count("snapshot_projects" + where));
        // Every milestone, the cancelled one included, and every contribution.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), s.count("snapshot_milestones" + where));
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), s.scalar("SELECT status FROM snapshot_milestones" + where +
                                                                " AND milestone_id = " + std::to_string(_cancelled)));
        CPPUNIT_ASSERT_EQUAL(std::string("120000"), s.scalar("SELECT amount_eur FROM snapshot_contributions" + where));
        // The health judged at the snapshot's date (2027-03-01: "Late" is 50 days overdue), with its reasons.
        CPPUNIT_ASSERT_EQUAL(std::string("red"), s.scalar("SELECT computed_health FROM snapshot_projects" + where));
        const std::string reasons = s.scalar("SELECT health_reasons FROM snapshot_projects" + where);
        CPPUNIT_ASSERT_MESSAGE(reasons, reasons.find("overdue 50 days") != std::string::npos);
    }

    void testWhoMayPublishReadAndDelete()
    {
        auto& s = *_pServer;
        const auto id = std::to_string(number(s.post(SNAPSHOTS, R"({"name": "by the reviewer"})"), "id"));
        s.signIn("lead");
        expectProblem("a lead publishes", 403, s.post(SNAPSHOTS, R"({"name": "by a lead"})"));
        expectStatus("a lead reads", 200, s.get(SNAPSHOTS + "/" + id));
        s.signIn("ukr");
        expectProblem("a partner lists", 403, s.get(SNAPSHOTS));
        expectProblem("a partner reads", 403, s.get(SNAPSHOTS + "/" + id));
        expectProblem("a partner reads the report", 403, s.get(SNAPSHOTS + "/" + id + "/portfolio"));
        expectProblem("a partner publishes", 403, s.post(SNAPSHOTS, R"({"name": "by a partner"})"));
        s.signIn("rev");
        expectProblem("a reviewer deletes", 403, s.request("DELETE", SNAPSHOTS + "/" + id));
        s.signIn("admin");
        expectStatus("an admin deletes", 204, s.request("DELETE", SNAPSHOTS + "/" + id));
        expectProblem("deleted", 404, s.get(SNAPSHOTS + "/" + id));
        for (const char* table : {"report_snapshots", "snapshot_renderings", "snapshot_projects", "snapshot_milestones",
                                  "snapshot_contributions"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(table, Poco::Int64(0), s.count(table));
        // Both acts are in the audit trail, under their users.
        CPPUNIT_ASSERT_EQUAL(std::string("2"),
                             s.scalar("SELECT COUNT(*) FROM audit_events WHERE entity = 'report_snapshot' AND "
                                      "entity_id = " +
                                      id));
        CPPUNIT_ASSERT_EQUAL(std::string("delete"),
                             s.scalar("SELECT action FROM audit_events WHERE entity = "
                                      "'report_snapshot' AND user_id = " +
                                      s.scalar("SELECT id FROM users WHERE username = 'admin'")));
    }

    void testBadPublicationsAreRefusedAndWriteNothing()
    {
        auto& s = *_pServer;
        expectStatus("first", 201, s.post(SNAPSHOTS, R"({"name": "Taken"})"));
        const auto before = s.count("report_snapshots");
        expectInvalid("no name", "name", s.post(SNAPSHOTS, R"({"group_by": "status"})"));
        expectInvalid("digits", "name", s.post(SNAPSHOTS, R"({"name": "2027"})"));
        expectInvalid("two lines", "name", s.post(SNAPSHOTS, R"({"name": "a\nb"})"));
        expectInvalid("not text", "name", s.post(SNAPSHOTS, R"({"name": 2027.5})"));
        expectInvalid("now", "name", s.post(SNAPSHOTS, R"({"name": "Now"})"));
        expectInvalid("a slash", "name", s.post(SNAPSHOTS, R"({"name": "2026/Q4"})"));
        expectInvalid("grouping", "group_by", s.post(SNAPSHOTS, R"({"name": "x", "group_by": "colour"})"));
        expectInvalid("date", "as_of", s.post(SNAPSHOTS, R"({"name": "x", "as_of": "2027-02-30"})"));
        expectInvalid("filter", "filters.colour", s.post(SNAPSHOTS, R"({"name": "x", "filters": {"colour": "red"}})"));
        expectInvalid("value", "filters", s.post(SNAPSHOTS, R"({"name": "x", "filters": {"health": ["purple"]}})"));
        expectInvalid("member", "format", s.post(SNAPSHOTS, R"({"name": "x", "format": "csv"})"));
        expectProblem("taken", 409, s.post(SNAPSHOTS, R"({"name": " Taken "})"));
        expectProblem("a format the report has not", 400, s.get(SNAPSHOTS + "/Taken/portfolio?format=svg"));
        expectProblem("missing", 404, s.get(SNAPSHOTS + "/Nothing/portfolio"));
        CPPUNIT_ASSERT_EQUAL(before, s.count("report_snapshots"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.count("audit_events WHERE entity = 'report_snapshot'"));
    }

    void testFiltersAndParametersAreKeptAndListed()
    {
        auto& s = *_pServer;
        const auto published = s.post(SNAPSHOTS, R"({"name": "EAPC at new year", "as_of": "2027-01-01",
            "group_by": "partner", "list_limit": 5, "filters": {"framework": "EAPC", "status": ["implementation"]}})");
        expectStatus("publish", 201, published);
        const auto json = published.json();
        CPPUNIT_ASSERT_EQUAL(std::string("2027-01-01"), json->getValue<std::string>("as_of"));
        CPPUNIT_ASSERT_EQUAL(std::string("partner"), json->getValue<std::string>("group_by"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(5), json->getValue<Poco::Int64>("list_limit"));
        CPPUNIT_ASSERT_EQUAL(std::string("EAPC"),
                             json->getObject("filters")->getArray("framework")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), json->getArray("formats")->size());
        // The stored report is the live one of the same parameters.
        const auto stored = s.get(SNAPSHOTS + "/EAPC%20at%20new%20year/portfolio");
        const auto live = s.get(API + "/reports/portfolio?as_of=2027-01-01&group_by=partner&list_limit=5&"
                                      "framework=EAPC&status=implementation");
        CPPUNIT_ASSERT_EQUAL(live.body, stored.body);
        expectStatus("second", 201, s.post(SNAPSHOTS, R"({"name": "later"})"));
        const auto list = s.get(SNAPSHOTS + "?limit=1");
        expectStatus("list", 200, list);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), number(list, "total"));
        CPPUNIT_ASSERT_EQUAL(std::string("later"),
                             list.json()->getArray("items")->getObject(0)->getValue<std::string>("name"));
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _project = 0, _late = 0, _cancelled = 0, _contribution = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SnapshotApiTest);
