#include "ApiAssertions.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;

class ContributionApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ContributionApiTest);
    CPPUNIT_TEST(testCreateUnderProjectAnswers201WithDefaultsAndReadsBack);
    CPPUNIT_TEST(testMissingProjectIs404AndWritesNothing);
    CPPUNIT_TEST(testAmountAndPersonMonthsMustNotBeNegative);
    CPPUNIT_TEST(testUnknownPartnerAndBadEnumsAre422);
    CPPUNIT_TEST(testPatchAndDeleteNeedTheCurrentVersion);
    CPPUNIT_TEST(testPartnerContributionsByIdOrCode);
    CPPUNIT_TEST(testProjectListFiltersByPartnerMissionAndText);
    CPPUNIT_TEST(testProjectListRejectsUnknownFilterValues);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        _fieldTrial = s.create(API + "/projects", R"({"code": "SPS-2027-001", "title": "Field trial of sensors",
            "kind": "scientific", "capability_area": "CYB", "objectives": ["SO1"]})");
        _training = s.create(API + "/projects", R"({"code": "SPS-2027-002", "title": "Mine clearance training",
            "kind": "capability", "objectives": ["SO6"]})");
        s.create(API + "/projects", R"({"code": "SPS-2027-003", "title": "Dormant", "kind": "capability"})");
        _ukr = number(s.get(API + "/partners/UKR"), "id");
        _ita = number(s.get(API + "/partners/ITA"), "id");
        _jor = number(s.get(API + "/partners/JOR"), "id");
    }
    void tearDown() override { _pServer.reset(); }

    void testCreateUnderProjectAnswers201WithDefaultsAndReadsBack()
    {
        auto& s = *_pServer;
        const auto created = s.post(contributions(_fieldTrial), R"({"partner_id": )" + std::to_string(_ukr) +
                                                                    R"(, "role": "lead_nation", "kind": "personnel",
            "amount_eur": 125000, "person_months": 2.5, "description": "Two engineers"})");
        expectStatus("POST contribution", 201, created);
        const auto id = number(created, "id");
        CPPUNIT_ASSERT_EQUAL(contribution(id), created.header("Location"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"1\""), created.header("ETag"));
        CPPUNIT_ASSERT_EQUAL(_fieldTrial, number(created, "project_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("pledged"), text(created, "state"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(125000), number(created, "amount_eur"));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(2.5, created.json()->getValue<double>("person_months"), 1e-9);

        const auto read = s.get(contribution(id));
        expectStatus("GET contribution", 200, read);
        CPPUNIT_ASSERT_EQUAL(created.body, read.body);
        const auto list = s.get(contributions(_fieldTrial));
        expectStatus("GET project contributions", 200, list);
        CPPUNIT_ASSERT_EQUAL(std::to_string(id), column(list, "id"));
        CPPUNIT_ASSERT_EQUAL(std::string(), column(s.get(contributions(_training)), "id"));

        const auto defaults =
            s.post(contributions(_training), R"({"partner_id": )" + std::to_string(_ita) + R"(, "role": "observer",
            "kind": "data"})");
        expectStatus("POST with defaults", 201, defaults);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), number(defaults, "amount_eur"));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.0, defaults.json()->getValue<double>("person_months"), 1e-9);
        CPPUNIT_ASSERT_EQUAL(std::string("null"), text(defaults, "description"));
    }

    void testMissingProjectIs404AndWritesNothing()
    {
        auto& s = *_pServer;
        const std::string body = R"({"partner_id": )" + std::to_string(_ukr) + R"(, "role": "contributor",
            "kind": "funding"})";
        Unchanged unchanged(s, {"contributions"});
        expectProblem("POST under missing project", 404, s.post(API + "/projects/99999/contributions", body));
        expectProblem("GET under missing project", 404, s.get(API + "/projects/99999/contributions"));
        expectProblem("GET missing contribution", 404, s.get(contribution(99999)));
        unchanged.check("missing project");
    }

    void testAmountAndPersonMonthsMustNotBeNegative()
    {
        auto& s = *_pServer;
        struct Case
        {
            std::string extra;
            std::string fields; ///< "" when the create must succeed
        };
        const std::vector<Case> cases{
            {R"("amount_eur": -1)", "amount_eur"},
            {R"("amount_eur": 10.5)", "amount_eur"},
            {R"("amount_eur": "100")", "amount_eur"},
            {R"("amount_eur": null)", "amount_eur"},
            {R"("person_months": -0.5)", "person_months"},
            {R"("person_months": "3")", "person_months"},
            {R"("person_months": true)", "person_months"},
            {R"("amount_eur": -5, "person_months": -1)", "amount_eur,person_months"},
            {R"("amount_eur": 0, "person_months": 0)", ""},
            {R"("person_months": 0.25)", ""},
            {R"("amount_eur": 9000000000, "person_months": 12)", ""},
        };
        for (const auto& c : cases)
        {
            const std::string body = R"({"partner_id": )" + std::to_string(_ukr) +
                                     R"(, "role": "contributor", "kind": "funding", )" + c.extra + "}";
            Unchanged unchanged(s, {"contributions"});
            const auto result = s.post(contributions(_fieldTrial), body);
            if (c.fields.empty())
                expectStatus(body, 201, result);
            else
            {
                expectInvalid(body, c.fields, result);
                unchanged.check(body);
            }
        }
        const auto big = s.get(contributions(_fieldTrial) + "?sort=-amount_eur&limit=1");
        CPPUNIT_ASSERT_EQUAL(std::string("9000000000"), column(big, "amount_eur"));
        const auto quarter = s.get(contributions(_fieldTrial) + "?sort=amount_eur,person_months&limit=1&offset=1");
        CPPUNIT_ASSERT_EQUAL(std::string("0.25"), column(quarter, "person_months"));

        const auto id = s.create(contributions(_training), R"({"partner_id": )" + std::to_string(_jor) +
                                                               R"(, "role": "contributor", "kind": "funding"})");
        Unchanged unchanged(s, {}, {contribution(id)});
        expectInvalid("PATCH negative amount", "amount_eur", s.patch(contribution(id), R"({"amount_eur": -10})", 1));
        expectInvalid("PATCH negative months", "person_months",
                      s.patch(contribution(id), R"({"person_months": -0.1})", 1));
        unchanged.check("PATCH negatives");
    }

    void testUnknownPartnerAndBadEnumsAre422()
    {
        auto& s = *_pServer;
        struct Case
        {
            std::string body;
            std::string fields;
        };
        const std::vector<Case> cases{
            {R"({"partner_id": 99999, "role": "contributor", "kind": "funding"})", "partner_id"},
            {R"({"partner_id": "UKR", "role": "contributor", "kind": "funding"})", "partner_id"},
            {R"({"partner_id": 0, "role": "contributor", "kind": "funding"})", "partner_id"},
            {R"({"role": "contributor", "kind": "funding"})", "partner_id"},
            {R"({"partner_id": )" + std::to_string(_ukr) + R"(, "role": "sponsor", "kind": "cash", "state": "paid"})",
             "kind,role,state"},
            {R"({"partner_id": )" + std::to_string(_ukr) + R"(, "role": "contributor", "kind": "funding",
                "description": ")" +
                 std::string(2001, 'd') + R"("})",
             "description"},
            {"{}", "kind,partner_id,role"},
        };
        for (const auto& c : cases)
        {
            Unchanged unchanged(s, {"contributions"});
            expectInvalid(c.body, c.fields, s.post(contributions(_fieldTrial), c.body));
            unchanged.check(c.body);
        }
        const auto id = s.create(contributions(_fieldTrial), R"({"partner_id": )" + std::to_string(_ukr) +
                                                                 R"(, "role": "contributor", "kind": "funding"})");
        Unchanged unchanged(s, {}, {contribution(id)});
        expectInvalid("PATCH unknown partner", "partner_id", s.patch(contribution(id), R"({"partner_id": 99999})", 1));
        expectInvalid("PATCH project_id", "project_id",
                      s.patch(contribution(id), R"({"project_id": )" + std::to_string(_training) + "}", 1));
        unchanged.check("PATCH unknown partner");
    }

    void testPatchAndDeleteNeedTheCurrentVersion()
    {
        auto& s = *_pServer;
        const auto id = s.create(contributions(_fieldTrial), R"({"partner_id": )" + std::to_string(_ukr) +
                                                                 R"(, "role": "contributor", "kind": "funding",
            "amount_eur": 1000})");
        const auto committed =
            s.patch(contribution(id), R"({"state": "committed", "partner_id": )" + std::to_string(_ita) + "}", 1);
        expectStatus("PATCH state", 200, committed);
        CPPUNIT_ASSERT_EQUAL(std::string("\"2\""), committed.header("ETag"));
        CPPUNIT_ASSERT_EQUAL(std::string("committed"), text(committed, "state"));
        CPPUNIT_ASSERT_EQUAL(_ita, number(committed, "partner_id"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1000), number(committed, "amount_eur"));

        Unchanged unchanged(s, {"contributions"}, {contribution(id)});
        expectProblem("stale PATCH", 412, s.patch(contribution(id), R"({"state": "delivered"})", 1));
        expectProblem("PATCH without If-Match", 428, s.request("PATCH", contribution(id), R"({"state": "delivered"})"));
        expectProblem("stale DELETE", 412, s.request("DELETE", contribution(id), "", ifMatch(1)));
        expectProblem("DELETE without If-Match", 428, s.request("DELETE", contribution(id)));
        unchanged.check("stale contribution writes");

        expectStatus("DELETE", 204, s.request("DELETE", contribution(id), "", ifMatch(2)));
        expectProblem("GET deleted", 404, s.get(contribution(id)));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), number(s.get(contributions(_fieldTrial)), "total"));
    }

    void testPartnerContributionsByIdOrCode()
    {
        auto& s = *_pServer;
        contribute(_fieldTrial, _ukr, "delivered");
        contribute(_training, _ukr, "pledged");
        contribute(_fieldTrial, _ita, "committed");
        struct Case
        {
            std::string path;
            std::string projects;
        };
        const std::vector<Case> cases{
            {"/partners/UKR/contributions", std::to_string(_fieldTrial) + "," + std::to_string(_training)},
            {"/partners/" + std::to_string(_ukr) + "/contributions",
             std::to_string(_fieldTrial) + "," + std::to_string(_training)},
            {"/partners/UKR/contributions?state=delivered", std::to_string(_fieldTrial)},
            {"/partners/UKR/contributions?limit=1&offset=1", std::to_string(_training)},
            {"/partners/ITA/contributions", std::to_string(_fieldTrial)},
            {"/partners/JOR/contributions", ""},
        };
        for (const auto& c : cases)
        {
            const auto result = s.get(API + c.path);
            expectStatus(c.path, 200, result);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.path, c.projects, column(result, "project_id"));
        }
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), number(s.get(API + "/partners/UKR/contributions?limit=1"), "total"));
        expectProblem("partner_id is fixed by the path", 400,
                      s.get(API + "/partners/UKR/contributions?partner_id=" + std::to_string(_ita)));
        expectProblem("unknown partner code", 404, s.get(API + "/partners/XXX/contributions"));
    }

    void testProjectListFiltersByPartnerMissionAndText()
    {
        auto& s = *_pServer;
        contribute(_fieldTrial, _ukr, "pledged");
        contribute(_fieldTrial, _ukr, "committed"); // twice: the project is still listed once
        contribute(_fieldTrial, _ita, "pledged");
        contribute(_training, _jor, "delivered");
        const auto kfor = number(s.get(API + "/missions/KFOR"), "id");
        const auto nmi = number(s.get(API + "/missions/NMI"), "id");
        link(_fieldTrial, kfor);
        link(_training, nmi);
        const std::string p1 = "SPS-2027-001", p2 = "SPS-2027-002", p3 = "SPS-2027-003";
        struct Case
        {
            std::string query;
            std::string codes;
        };
        const std::vector<Case> cases{
            {"", p1 + "," + p2 + "," + p3},
            {"?partner=UKR", p1},
            {"?partner=" + std::to_string(_jor), p2},
            {"?partner=UKR,JOR", p1 + "," + p2},
            {"?mission=KFOR", p1},
            {"?mission=" + std::to_string(nmi), p2},
            {"?q=FIELD", p1},
            {"?q=sps-2027-00", p1 + "," + p2 + "," + p3},
            {"?q=2027-003", p3},
            {"?partner=UKR&mission=NMI", ""},
            {"?partner=JOR&q=mine", p2},
            {"?partner=XXX", ""},
        };
        for (const auto& c : cases)
        {
            const auto result = s.get(API + "/projects" + c.query);
            expectStatus("projects" + c.query, 200, result);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.query, c.codes, column(result, "code"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                c.query, Poco::Int64(c.codes.empty() ? 0 : std::count(c.codes.begin(), c.codes.end(), ',') + 1),
                number(result, "total"));
        }
    }

    void testProjectListRejectsUnknownFilterValues()
    {
        auto& s = *_pServer;
        for (const char* query : {"?framework=OTAN", "?framework=", "?partner=", "?status=open", "?colour=red"})
            expectProblem(std::string("projects") + query, 400, s.get(API + "/projects" + query));
    }

private:
    [[nodiscard]] static std::string contributions(Poco::Int64 project)
    {
        return API + "/projects/" + std::to_string(project) + "/contributions";
    }
    [[nodiscard]] static std::string contribution(Poco::Int64 id)
    {
        return API + "/contributions/" + std::to_string(id);
    }
    void contribute(Poco::Int64 project, Poco::Int64 partner, const std::string& state)
    {
        _pServer->create(contributions(project), R"({"partner_id": )" + std::to_string(partner) +
                                                     R"(, "role": "contributor", "kind": "funding", "state": ")" +
                                                     state + R"("})");
    }
    void link(Poco::Int64 project, Poco::Int64 mission)
    {
        _pServer->create(API + "/projects/" + std::to_string(project) + "/missions",
                         R"({"mission_id": )" + std::to_string(mission) + R"(, "relation": "direct_support"})");
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _fieldTrial = 0;
    Poco::Int64 _training = 0;
    Poco::Int64 _ukr = 0;
    Poco::Int64 _ita = 0;
    Poco::Int64 _jor = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContributionApiTest);
