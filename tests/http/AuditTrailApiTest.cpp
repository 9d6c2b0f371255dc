#include "ApiAssertions.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>

using namespace captrack::test;
using namespace captrack::test::api;

/// GET /api/v1/audit names people and things: each event's `user_name` (the display name of its user;
/// null for the server's own writes) and `entity_label` (a label of the record, from the event's own
/// changes once the record is gone), for reviewers and admins only.
class AuditTrailApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AuditTrailApiTest);
    CPPUNIT_TEST(testEveryKindOfRecordIsNamed);
    CPPUNIT_TEST(testDeletedRecordsAreNamedFromTheirChanges);
    CPPUNIT_TEST(testPeopleAreNamedAndTheSystemIsNot);
    CPPUNIT_TEST(testOnlyAuditReadersSeeTheNames);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        _leadId = s.addUser("lead1", "lead");
        s.addUser("reviewer", "reviewer");
        s.addUser("ukr", "partner", s.partnerId("UKR"));
        s.signIn("lead1");
        _project = s.create(API + "/projects", R"({"code": "AUD-1", "title": "Field trial of a mine detector",
                                                   "kind": "scientific", "visibility": "public"})");
        _milestone =
            s.create(projectPath() + "/milestones", R"({"title": "Trial plan", "baseline_date": "2027-05-01"})");
        _contribution =
            s.create(projectPath() + "/contributions", R"({"partner_id": )" + std::to_string(s.partnerId("UKR")) +
                                                           R"(, "role": "co_director", "kind": "funding"})");
        s.create(projectPath() + "/missions", R"({"mission_id": 1, "relation": "direct_support"})");
        s.create(projectPath() + "/baselines", R"({"name": "Plan A", "reason": "Agreed at kick-off"})");
        s.signIn("admin");
        s.create(API + "/me/tokens", R"({"name": "nightly export"})");
    }
    void tearDown() override { _pServer.reset(); }

    void testEveryKindOfRecordIsNamed()
    {
        const auto labels = labelsByEntity(readAudit());
        CPPUNIT_ASSERT_EQUAL(std::string("AUD-1 \u2014 Field trial of a mine detector"), labels.at("project"));
        CPPUNIT_ASSERT_EQUAL(std::string("Trial plan"), labels.at("milestone"));
        CPPUNIT_ASSERT_EQUAL(std::string("Ukraine: funding"), labels.at("contribution"));
        CPPUNIT_ASSERT_EQUAL(std::string("KFOR"), labels.at("mission_link"));
        CPPUNIT_ASSERT_EQUAL(std::string("Plan A"), labels.at("baseline"));
        CPPUNIT_ASSERT_EQUAL(std::string("nightly export"), labels.at("api_token"));
        CPPUNIT_ASSERT_EQUAL(std::string("CYB \u2014 Cyber defence"), labels.at("capability_area"));
        CPPUNIT_ASSERT_EQUAL(std::string("SO6 \u2014 Support operations"), labels.at("objective"));
        CPPUNIT_ASSERT_EQUAL(std::string("NMI \u2014 NATO Mission Iraq"), labels.at("mission"));
        CPPUNIT_ASSERT_EQUAL(std::string("JOR \u2014 Jordan"), labels.at("partner"));
        CPPUNIT_ASSERT_EQUAL(std::string("ukr"), labels.at("user"));
        // A renamed record is named as it is now, in its older events too.
        auto& s = *_pServer;
        expectStatus("rename", 200, s.patch(projectPath(), R"({"title": "Mine detector trial"})", 1));
        const auto events = readAudit("?entity=project");
        CPPUNIT_ASSERT_EQUAL(std::string("AUD-1 \u2014 Mine detector trial,AUD-1 \u2014 Mine detector trial"),
                             column(events, "entity_label"));
    }

    void testDeletedRecordsAreNamedFromTheirChanges()
    {
        auto& s = *_pServer;
        expectStatus("delete milestone", 204,
                     s.request("DELETE", API + "/milestones/" + std::to_string(_milestone), "", ifMatch(1)));
        expectStatus("delete contribution", 204,
                     s.request("DELETE", API + "/contributions/" + std::to_string(_contribution), "", ifMatch(1)));
        expectStatus("delete link", 204, s.request("DELETE", projectPath() + "/missions/1", "", ifMatch(1)));
        for (const char* entity : {"milestone", "contribution", "mission_link"})
        {
            const auto events = readAudit(std::string("?entity=") + entity);
            CPPUNIT_ASSERT_EQUAL(std::string("delete,create"), column(events, "action"));
            const std::string label = entity == std::string("milestone")      ? "Trial plan"
                                      : entity == std::string("contribution") ? "Ukraine: funding"
                                                                              : "KFOR";
            CPPUNIT_ASSERT_EQUAL(label + "," + label, column(events, "entity_label"));
        }
        // An event whose changes do not hold the label of a record gone gets null, not a guess.
        const auto milestone =
            s.create(projectPath() + "/milestones", R"({"title": "Gone", "baseline_date": "2027-06-01"})");
        expectStatus("progress", 200,
                     s.patch(API + "/milestones/" + std::to_string(milestone), R"({"progress": 50})", 1));
        expectStatus("delete", 204,
                     s.request("DELETE", API + "/milestones/" + std::to_string(milestone), "", ifMatch(2)));
        // The update's changes name only the progress; the create and the delete name the title.
        CPPUNIT_ASSERT_EQUAL(std::string("Gone,null,Gone"),
                             column(readAudit("?entity=milestone&limit=3"), "entity_label"));
    }

    void testPeopleAreNamedAndTheSystemIsNot()
    {
        const auto events = readAudit("?user=" + std::to_string(_leadId) + "&entity=project");
        CPPUNIT_ASSERT_EQUAL(std::string("User lead1"), column(events, "user_name"));
        // HttpTestServer::addUser writes as the server itself: no user, no name.
        const auto users = readAudit("?entity=user");
        CPPUNIT_ASSERT_EQUAL(std::string("null,null,null,null"), column(users, "user_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("null,null,null,null"), column(users, "user_name"));
        // The existing members stay, each name after the id it names (the first item's, in the body's order).
        std::size_t at = 0;
        for (const char* key : {"id", "at", "user_id", "user_name", "action", "entity", "entity_id", "entity_label",
                                "project_id", "changes"})
        {
            const auto next = events.body.find("\"" + std::string(key) + "\":", at);
            CPPUNIT_ASSERT_MESSAGE(std::string(key) + " in order: " + events.body, next != std::string::npos);
            at = next;
        }
    }

    void testOnlyAuditReadersSeeTheNames()
    {
        auto& s = *_pServer;
        for (const char* reader : {"reviewer", "admin"})
        {
            s.signIn(reader);
            expectStatus(reader, 200, s.get(API + "/audit"));
        }
        for (const char* other : {"lead1", "ukr"})
        {
            s.signIn(other);
            const auto refused = s.get(API + "/audit?entity=project");
            expectProblem(other, 403, refused);
            CPPUNIT_ASSERT_EQUAL(std::string::npos, refused.body.find("User lead1"));
            CPPUNIT_ASSERT_EQUAL(std::string::npos, refused.body.find("Field trial"));
        }
    }

private:
    std::string projectPath() const { return API + "/projects/" + std::to_string(_project); }

    HttpResult readAudit(const std::string& query = "?limit=500")
    {
        auto& s = *_pServer;
        s.signIn("reviewer");
        const auto result = s.get(API + "/audit" + query);
        expectStatus("GET /audit" + query, 200, result);
        s.signIn("admin");
        return result;
    }

    /// The label of the newest event of each entity kind.
    static std::map<std::string, std::string> labelsByEntity(const HttpResult& result)
    {
        std::map<std::string, std::string> labels;
        const auto items = result.json()->getArray("items");
        for (std::size_t i = 0; i < items->size(); ++i)
        {
            const auto item = items->getObject(static_cast<unsigned>(i));
            const auto label = item->get("entity_label");
            labels.emplace(item->getValue<std::string>("entity"), label.isEmpty() ? "null" : label.toString());
        }
        return labels;
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _leadId = 0, _project = 0, _milestone = 0, _contribution = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuditTrailApiTest);
