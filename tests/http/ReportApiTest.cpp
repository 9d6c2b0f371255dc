#include "HttpTestServer.h"
#include "SvgCheck.h"

#include <Poco/JSON/Array.h>

#include <map>

#include <cppunit/extensions/HelperMacros.h>

using captrack::test::HttpTestServer;
using Poco::JSON::Object;

/// Summaries and portfolio reports over a hand-worked portfolio, through the real server and database
/// (as of 2027-03-01):
///  A (implementation, EAPC UKR 100k committed + ITA 50k delivered): M1 overdue exactly 30 days,
///    M2 done, M3 cancelled and 200 days late (ignored) -> amber, progress 50.
///  B (implementation, UKR 20k pledged): M4 overdue 31 days, M5 slipped 15 days -> red.
///  C (closed, JOR): M6 late but the project is closed -> no health.
///  D (finalisation, no contributions): M7 slipped exactly 14 days, due in 44 days -> green.
///  (B's M5 is due in 76 days: it is due soon too.)
class ReportApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ReportApiTest);
    CPPUNIT_TEST(testSummaryFollowsTheRules);
    CPPUNIT_TEST(testPortfolioRowsTotalsAndLists);
    CPPUNIT_TEST(testPartnerSeesOnlyItsOwnAmounts);
    CPPUNIT_TEST(testBadParametersAre400);
    CPPUNIT_TEST(testTrendFollowsForecastsAndBaselines);
    CPPUNIT_TEST(testMissionImpactFollowsDependencyChains);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        _a = project("RPT-A", "implementation", 1000000);
        _b = project("RPT-B", "implementation", 200000);
        _c = project("RPT-C", "closed", 30000);
        _d = project("RPT-D", "finalisation", 5000);
        milestone(_a, R"("title": "M1", "baseline_date": "2027-01-30")");
        milestone(_a, R"("title": "M2", "baseline_date": "2026-06-01", "status": "done", "actual_date": "2026-06-01")");
        milestone(_a, R"("title": "M3", "baseline_date": "2026-08-13", "status": "cancelled")");
        milestone(_b, R"("title": "M4", "baseline_date": "2027-01-29")");
        milestone(_b, R"("title": "M5", "baseline_date": "2027-05-01", "forecast_date": "2027-05-16")");
        milestone(_c, R"("title": "M6", "baseline_date": "2026-01-01")");
        milestone(_d, R"("title": "M7", "baseline_date": "2027-03-31", "forecast_date": "2027-04-14")");
        contribute(_a, "UKR", "committed", 100000, "2.5");
        contribute(_a, "ITA", "delivered", 50000, "1");
        contribute(_b, "UKR", "pledged", 20000, "0");
        contribute(_c, "JOR", "delivered", 7000, "0");
        s.create("/api/v1/projects/" + std::to_string(_a) + "/missions",
                 R"({"mission_id": 1, "relation": "direct_support"})");
    }
    void tearDown() override { _pServer.reset(); }

    void testSummaryFollowsTheRules()
    {
        auto& s = *_pServer;
        const auto a = summary(_a);
        CPPUNIT_ASSERT_EQUAL(std::string("amber"), a->getValue<std::string>("computed_health"));
        CPPUNIT_ASSERT_EQUAL(std::string("amber"), a->getValue<std::string>("effective_health"));
        CPPUNIT_ASSERT_EQUAL(std::string("M-1 'M1' overdue 30 days"),
                             a->getArray("health_reasons")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(50, a->getValue<int>("progress"));
        CPPUNIT_ASSERT_EQUAL(2, a->getObject("milestones")->getValue<int>("total"));
        CPPUNIT_ASSERT_EQUAL(1, a->getObject("milestones")->getValue<int>("overdue"));
        CPPUNIT_ASSERT_EQUAL(std::string("M1"), a->getObject("next_milestone")->getValue<std::string>("title"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(100000),
                             a->getObject("contributions")->getValue<Poco::Int64>("committed_eur"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(50000), a->getObject("contributions")->getValue<Poco::Int64>("delivered_eur"));
        CPPUNIT_ASSERT_EQUAL(3.5, a->getObject("contributions")->getValue<double>("person_months"));
        CPPUNIT_ASSERT_EQUAL(1, a->getObject("contributions")->getObject("by_framework")->getValue<int>("EAPC"));
        CPPUNIT_ASSERT_EQUAL(std::string("KFOR"), a->getArray("missions")->getElement<std::string>(0));
        CPPUNIT_ASSERT(a->getValue<std::string>("text").find("AMBER") != std::string::npos);

        CPPUNIT_ASSERT_EQUAL(std::string("red"), summary(_b)->getValue<std::string>("computed_health"));
        CPPUNIT_ASSERT(summary(_c)->get("computed_health").isEmpty());
        CPPUNIT_ASSERT_EQUAL(std::string("green"), summary(_d)->getValue<std::string>("computed_health"));
        CPPUNIT_ASSERT_EQUAL(14, summary(_d)->getObject("milestones")->getValue<int>("max_slip_days"));

        // A declared health wins, and both stay visible.
        CPPUNIT_ASSERT_EQUAL(200, s.patch("/api/v1/projects/" + std::to_string(_b),
                                          R"({"declared_health": "amber", "declared_reason": "Recovery agreed"})", 1)
                                      .status);
        const auto b = summary(_b);
        CPPUNIT_ASSERT_EQUAL(std::string("red"), b->getValue<std::string>("computed_health"));
        CPPUNIT_ASSERT_EQUAL(std::string("amber"), b->getValue<std::string>("effective_health"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.count("health_history WHERE project_id = " + std::to_string(_b)));
        // Another day, another verdict: as of 2027-01-31 M1 is 1 day late and M4 2 days.
        const auto earlier = s.get("/api/v1/projects/" + std::to_string(_a) + "/summary?as_of=2027-01-31");
        CPPUNIT_ASSERT_EQUAL(std::string("M-1 'M1' overdue 1 days"),
                             earlier.json()->getArray("health_reasons")->getElement<std::string>(0));
    }

    void testPortfolioRowsTotalsAndLists()
    {
        const auto report = portfolio("group_by=framework");
        const auto totals = report->getObject("totals");
        CPPUNIT_ASSERT_EQUAL(4, totals->getValue<int>("projects"));
        const auto health = totals->getObject("health");
        CPPUNIT_ASSERT_EQUAL(1, health->getValue<int>("green"));
        CPPUNIT_ASSERT_EQUAL(1, health->getValue<int>("amber"));
        CPPUNIT_ASSERT_EQUAL(1, health->getValue<int>("red"));
        CPPUNIT_ASSERT_EQUAL(1, health->getValue<int>("none"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1235000), totals->getValue<Poco::Int64>("budget_eur"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(57000),
                             totals->getObject("contributions")->getValue<Poco::Int64>("delivered_eur"));
        CPPUNIT_ASSERT_EQUAL(6, totals->getObject("milestones")->getValue<int>("total"));

        // EAPC (UKR): A and B; MD (JOR): C; NATO (ITA): A; D has no partner.
        const auto rows = report->getArray("rows");
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), rows->size());
        const auto eapc = rows->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("EAPC"), eapc->getValue<std::string>("key"));
        CPPUNIT_ASSERT_EQUAL(2, eapc->getValue<int>("projects"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(100000),
                             eapc->getObject("contributions")->getValue<Poco::Int64>("committed_eur"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), eapc->getObject("contributions")->getValue<Poco::Int64>("delivered_eur"));
        CPPUNIT_ASSERT(rows->getObject(3)->get("key").isEmpty());

        const auto overdue = report->getArray("overdue");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), overdue->size()); // M4 31, M1 30, M6 (closed project still lists it)
        CPPUNIT_ASSERT_EQUAL(std::string("M6"), overdue->getObject(0)->getValue<std::string>("title"));
        CPPUNIT_ASSERT_EQUAL(std::string("M4"), overdue->getObject(1)->getValue<std::string>("title"));
        CPPUNIT_ASSERT_EQUAL(31, overdue->getObject(1)->getValue<int>("overdue_days"));
        const auto soon = report->getArray("due_soon");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), soon->size()); // M7 in 44 days, M5 in 76 (within 90)
        CPPUNIT_ASSERT_EQUAL(44, soon->getObject(0)->getValue<int>("days_left"));
        CPPUNIT_ASSERT_EQUAL(76, soon->getObject(1)->getValue<int>("days_left"));

        const auto red = portfolio("health=red&group_by=health");
        CPPUNIT_ASSERT_EQUAL(1, red->getObject("totals")->getValue<int>("projects"));
        const auto byPartner = portfolio("partner=UKR&group_by=partner");
        CPPUNIT_ASSERT_EQUAL(2, byPartner->getObject("totals")->getValue<int>("projects"));
        CPPUNIT_ASSERT_EQUAL(1, portfolio("mission=KFOR")->getObject("totals")->getValue<int>("projects"));
    }

    void testPartnerSeesOnlyItsOwnAmounts()
    {
        auto& s = *_pServer;
        s.addUser("ukr", "partner", s.partnerId("UKR"));
        s.signIn("ukr");
        const auto report = portfolio("group_by=partner");
        const auto contributions = report->getObject("totals")->getObject("contributions");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), contributions->getValue<Poco::Int64>("delivered_eur")); // ITA's and JOR's
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(100000), contributions->getValue<Poco::Int64>("committed_eur"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(20000), contributions->getValue<Poco::Int64>("pledged_eur"));
        CPPUNIT_ASSERT_EQUAL(std::string::npos,
                             s.get("/api/v1/reports/portfolio?group_by=partner&as_of=2027-03-01").body.find("50000"));
        const auto a = summary(_a);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), a->getObject("contributions")->getValue<Poco::Int64>("delivered_eur"));
        CPPUNIT_ASSERT_EQUAL(2, a->getObject("contributions")->getValue<int>("partners"));
    }

    void testBadParametersAre400()
    {
        auto& s = *_pServer;
        for (const char* query : {"group_by=colour", "as_of=2027-02-30", "health=blue", "status=open", "colour=red",
                                  "list_limit=-1", "framework=XX"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(query, 400, s.get(std::string("/api/v1/reports/portfolio?") + query).status);
        CPPUNIT_ASSERT_EQUAL(400, s.get("/api/v1/projects/" + std::to_string(_a) + "/summary?as_of=tomorrow").status);
        CPPUNIT_ASSERT_EQUAL(400, s.get("/api/v1/projects/" + std::to_string(_a) + "/summary?format=pdf").status);
        CPPUNIT_ASSERT_EQUAL(404, s.get("/api/v1/projects/999999/summary").status);
    }

    void testTrendFollowsForecastsAndBaselines()
    {
        auto& s = *_pServer;
        const auto id = s.create("/api/v1/projects/" + std::to_string(_d) + "/milestones",
                                 R"({"title": "Trial", "baseline_date": "2027-06-01"})");
        const std::string path = "/api/v1/milestones/" + std::to_string(id);
        CPPUNIT_ASSERT_EQUAL(200, s.patch(path, R"({"forecast_date": "2027-06-20"})", 1).status);
        CPPUNIT_ASSERT_EQUAL(201, s.post("/api/v1/projects/" + std::to_string(_d) + "/baselines",
                                         R"({"name": "Replan", "reason": "Trial site moved"})")
                                      .status);
        CPPUNIT_ASSERT_EQUAL(200, s.patch(path, R"({"forecast_date": "2027-07-10"})", 3).status);

        const auto trend = s.get("/api/v1/projects/" + std::to_string(_d) + "/trend");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(trend.body, 200, trend.status);
        const auto milestones = trend.json()->getArray("milestones");
        Poco::JSON::Object::Ptr trial;
        for (std::size_t i = 0; i < milestones->size(); ++i)
            if (milestones->getObject(static_cast<unsigned>(i))->getValue<Poco::Int64>("id") == id)
                trial = milestones->getObject(static_cast<unsigned>(i));
        CPPUNIT_ASSERT(trial);
        // create, first forecast, the baseline move, second forecast
        const auto points = trial->getArray("points");
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), points->size());
        CPPUNIT_ASSERT_EQUAL(std::string("2027-06-01"), points->getObject(0)->getValue<std::string>("due"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-07-10"), points->getObject(3)->getValue<std::string>("due"));
        CPPUNIT_ASSERT_EQUAL(20, trial->getValue<int>("slip_days")); // against the current baseline 2027-06-20

        const auto named = s.get("/api/v1/projects/" + std::to_string(_d) + "/trend?baseline=Replan");
        CPPUNIT_ASSERT_EQUAL(200, named.status);
        CPPUNIT_ASSERT(named.body.find("\"compared_to\":\"2027-06-20\"") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(404, s.get("/api/v1/projects/" + std::to_string(_d) + "/trend?baseline=Nope").status);
        const auto svg = s.get("/api/v1/projects/" + std::to_string(_d) + "/trend?format=svg");
        CPPUNIT_ASSERT_EQUAL(200, svg.status);
        CPPUNIT_ASSERT_EQUAL(std::string("image/svg+xml"), svg.contentType);
        CPPUNIT_ASSERT(svg.body.rfind("<svg", 0) == 0 && svg.body.find("<polyline") != std::string::npos);
        const auto problems = captrack::test::legibilityProblems(svg.body); // ChartLegibilityTest has the cases
        CPPUNIT_ASSERT_MESSAGE(problems.empty() ? "" : problems.front(), problems.empty());
    }

    void testMissionImpactFollowsDependencyChains()
    {
        auto& s = *_pServer;
        // On A (linked to KFOR): M1 is 30 days late; X depends on M1, Y on X; both due before M1 can finish?
        // M1 is due 2027-01-30 and not done, so its projected finish is its due date: X (due 2027-01-20)
        // is pushed 10 days, and Y (due 2027-01-25, after X) 5 days through the chain.
        const std::string milestones = "/api/v1/projects/" + std::to_string(_a) + "/milestones";
        const auto m1 = std::stoll(s.scalar("SELECT id FROM milestones WHERE title = 'M1'"));
        const auto x = s.create(milestones, R"({"title": "X", "baseline_date": "2027-01-20", "depends_on": [)" +
                                                std::to_string(m1) + "]}");
        const auto y = s.create(milestones, R"({"title": "Y", "baseline_date": "2027-01-25", "depends_on": [)" +
                                                std::to_string(x) + "]}");
        const auto result = s.get("/api/v1/missions/KFOR/impact?as_of=2027-03-01");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 200, result.status);
        const auto body = result.json();
        CPPUNIT_ASSERT_EQUAL(1, body->getValue<int>("projects_total"));
        const auto late = body->getArray("projects")->getObject(0)->getArray("late_milestones");
        std::map<Poco::Int64, Poco::JSON::Object::Ptr> byId;
        for (std::size_t i = 0; i < late->size(); ++i)
            byId[late->getObject(static_cast<unsigned>(i))->getValue<Poco::Int64>("id")] =
                late->getObject(static_cast<unsigned>(i));
        CPPUNIT_ASSERT_EQUAL(10, byId.at(x)->getValue<int>("pushed_days"));
        CPPUNIT_ASSERT_EQUAL(5, byId.at(y)->getValue<int>("pushed_days"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-01-30"), byId.at(y)->getValue<std::string>("projected_finish"));
        CPPUNIT_ASSERT_EQUAL(x, byId.at(y)->getArray("pushed_by")->getElement<Poco::Int64>(0));
        CPPUNIT_ASSERT_EQUAL(404, s.get("/api/v1/missions/NOPE/impact").status);
        CPPUNIT_ASSERT_EQUAL(0, s.get("/api/v1/missions/NMI/impact").json()->getValue<int>("projects_total"));
    }

private:
    Poco::Int64 project(const std::string& code, const std::string& status, Poco::Int64 budget)
    {
        return _pServer->create("/api/v1/projects",
                                R"({"code": ")" + code + R"(", "title": ")" + code +
                                    R"(", "kind": "capability", "visibility": "public", "status": ")" + status +
                                    R"(", "budget_eur": )" + std::to_string(budget) + "}");
    }
    void milestone(Poco::Int64 project, const std::string& fields)
    {
        _pServer->create("/api/v1/projects/" + std::to_string(project) + "/milestones", "{" + fields + "}");
    }
    void contribute(Poco::Int64 project, const std::string& partner, const std::string& state, Poco::Int64 amount,
                    const std::string& months)
    {
        _pServer->create("/api/v1/projects/" + std::to_string(project) + "/contributions",
                         R"({"partner_id": )" + std::to_string(_pServer->partnerId(partner)) +
                             R"(, "role": "contributor", "kind": "funding", "state": ")" + state +
                             R"(", "amount_eur": )" + std::to_string(amount) + R"(, "person_months": )" + months + "}");
    }
    Object::Ptr summary(Poco::Int64 project)
    {
        const auto result = _pServer->get("/api/v1/projects/" + std::to_string(project) + "/summary?as_of=2027-03-01");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 200, result.status);
        return result.json();
    }
    Object::Ptr portfolio(const std::string& query)
    {
        const auto result = _pServer->get("/api/v1/reports/portfolio?as_of=2027-03-01&" + query);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 200, result.status);
        return result.json();
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _a = 0, _b = 0, _c = 0, _d = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReportApiTest);
