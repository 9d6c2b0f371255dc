#include "ApiAssertions.h"
#include "XmlCheck.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <sstream>
#include <string>

using namespace captrack::test::api;
using captrack::test::HttpResult;
using captrack::test::HttpTestServer;

namespace
{
const std::string SNAPSHOTS = API + "/reports/snapshots";
const std::string CHANGES = API + "/reports/changes";

/// "change:title" of each item of a list of the changes, or "change:code" for projects.
std::set<std::string> changesIn(const HttpResult& result, const std::string& list, const std::string& key)
{
    std::set<std::string> out;
    const auto items = result.json()->getArray(list);
    for (std::size_t i = 0; i < items->size(); ++i)
    {
        const auto item = items->getObject(static_cast<unsigned>(i));
        out.insert(item->getValue<std::string>("change") + ":" + item->getValue<std::string>(key));
    }
    return out;
}

Poco::JSON::Object::Ptr firstWith(const HttpResult& result, const std::string& list, const std::string& change)
{
    const auto items = result.json()->getArray(list);
    for (std::size_t i = 0; i < items->size(); ++i)
        if (items->getObject(static_cast<unsigned>(i))->getValue<std::string>("change") == change)
            return items->getObject(static_cast<unsigned>(i));
    CPPUNIT_FAIL("no " + change + " in " + list + ": " + result.body);
    return nullptr;
}
} // namespace

/// What changed between two report snapshots, or a snapshot and now (issue 14, item 2), through the real
/// server: a scripted set of changes between two snapshots, each found once in its list, with the totals
/// before and after, in every format; a project's health at each snapshot; staff only.
class ChangesApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ChangesApiTest);
    CPPUNIT_TEST(testEveryScriptedChangeIsReportedOnce);
    CPPUNIT_TEST(testNowIsTheLivePortfolioJudgedToday);
    CPPUNIT_TEST(testEveryFormatCarriesTheChanges);
    CPPUNIT_TEST(testHealthHistoryAndAccess);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        s.addUser("rev", "reviewer");
        s.addUser("ukr", "partner", s.partnerId("UKR"));
        _p1 = s.create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability",
            "status": "implementation", "visibility": "public", "budget_eur": 500000})");
        _p2 = s.create(API + "/projects", R"({"code": "P-2", "title": "Two", "kind": "scientific",
            "status": "finalisation", "budget_eur": 100000})");
        _done = milestone(_p1, R"({"title": "To finish", "baseline_date": "2027-04-01"})");
        _slips = milestone(_p1, R"({"title": "To slip", "baseline_date": "2027-05-01"})");
        _soonLate = milestone(_p1, R"({"title": "Soon late", "baseline_date": "2027-03-10"})");
        _dropped = milestone(_p2, R"({"title": "To drop", "baseline_date": "2027-06-01"})");
        _pledge = s.create(API + "/projects/" + std::to_string(_p1) + "/contributions",
                           R"({"partner_id": )" + std::to_string(s.partnerId("UKR")) +
                               R"(, "role": "contributor", "kind": "funding", "amount_eur": 120000})");
        s.signIn("rev");
        expectStatus("before", 201, s.post(SNAPSHOTS, R"({"name": "Before"})"));
        // Three weeks of changes (sessions signed in before have expired by then).
        s.clock().advance(Poco::Timespan(20, 0, 0, 0, 0).totalMicroseconds()); // 2027-03-21: "Soon late" is late
        s.signIn("admin");
        patchMilestone(_done, R"({"status": "done", "actual_date": "2027-03-15", "progress": 100})");
        patchMilestone(_slips, R"({"forecast_date": "2027-05-21"})");
        patchMilestone(_dropped, R"({"status": "cancelled"})");
        milestone(_p1, R"({"title": "New step", "baseline_date": "2027-09-01"})");
        expectStatus("committed", 200,
                     s.patch(API + "/contributions/" + std::to_string(_pledge), R"({"state": "committed"})", 1));
        s.create(API + "/projects/" + std::to_string(_p2) + "/contributions",
                 R"({"partner_id": )" + std::to_string(s.partnerId("JOR")) +
                     R"(, "role": "observer", "kind": "data", "amount_eur": 5000})");
        expectStatus("declared", 200,
                     s.patch(API + "/projects/" + std::to_string(_p1),
                             R"({"declared_health": "red", "declared_reason": "Supplier failed"})", 1));
        expectStatus("closed", 200, s.patch(API + "/projects/" + std::to_string(_p2), R"({"status": "closed"})", 1));
        expectStatus("baseline", 201,
                     s.post(API + "/projects/" + std::to_string(_p2) + "/baselines",
                            R"({"name": "Rebaseline", "reason": "Closing"})"));
        s.create(API + "/projects", R"({"code": "P-3", "title": "Three", "kind": "capability"})");
        s.signIn("rev");
    }
    void tearDown() override { _pServer.reset(); }

    void testEveryScriptedChangeIsReportedOnce()
    {
        auto& s = *_pServer;
        expectStatus("after", 201, s.post(SNAPSHOTS, R"({"name": "After"})"));
        const auto changes = s.get(CHANGES + "?from=Before&to=After");
        expectStatus("changes", 200, changes);
        CPPUNIT_ASSERT((std::set<std::string>{"completed:To finish", "slipped:To slip", "newly_overdue:Soon late",
                                              "cancelled:To drop", "added:New step"}) ==
                       changesIn(changes, "milestones", "title"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(20),
                             firstWith(changes, "milestones", "slipped")->getValue<Poco::Int64>("days"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(11),
                             firstWith(changes, "milestones", "newly_overdue")->getValue<Poco::Int64>("days"));
        CPPUNIT_ASSERT((std::set<std::string>{"closed:P-2", "rebaselined:P-2", "added:P-3"}) ==
                       changesIn(changes, "projects", "project_code"));
        CPPUNIT_ASSERT((std::set<std::string>{"state:UKR", "added:JOR"}) ==
                       changesIn(changes, "contributions", "partner_code"));
        const auto moved = firstWith(changes, "contributions", "state");
        CPPUNIT_ASSERT_EQUAL(std::string("pledged"), moved->getValue<std::string>("state_before"));
        CPPUNIT_ASSERT_EQUAL(std::string("committed"), moved->getValue<std::string>("state_after"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(120000), moved->getValue<Poco::Int64>("amount_eur_after"));
        // P-1 went red (declared), P-2 lost its computed health when it closed.
        const auto health = changes.json()->getArray("health");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), health->size());
        const auto p1 = health->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("P-1"), p1->getValue<std::string>("project_code"));
        CPPUNIT_ASSERT_EQUAL(std::string("green"), p1->getObject("from")->getValue<std::string>("effective"));
        CPPUNIT_ASSERT_EQUAL(std::string("red"), p1->getObject("to")->getValue<std::string>("effective"));
        CPPUNIT_ASSERT(p1->getObject("to")->getArray("reasons")->size() > 0);
        // Totals before and after, counted by the status rules.
        const auto totals = changes.json()->getObject("totals");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), totals->getObject("before")->getValue<Poco::Int64>("projects"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), totals->getObject("after")->getValue<Poco::Int64>("projects"));
        CPPUNIT_ASSERT_EQUAL(
            Poco::Int64(120000),
            totals->getObject("before")->getObject("contributions")->getValue<Poco::Int64>("pledged_eur"));
        CPPUNIT_ASSERT_EQUAL(
            Poco::Int64(120000),
            totals->getObject("after")->getObject("contributions")->getValue<Poco::Int64>("committed_eur"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1),
                             totals->getObject("after")->getObject("milestones")->getValue<Poco::Int64>("overdue"));
        // Compared with itself, nothing changed.
        const auto same = s.get(CHANGES + "?from=After&to=After");
        for (const char* list : {"health", "projects", "milestones", "contributions"})
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), same.json()->getArray(list)->size());
    }

    void testNowIsTheLivePortfolioJudgedToday()
    {
        auto& s = *_pServer;
        expectStatus("after", 201, s.post(SNAPSHOTS, R"({"name": "After"})"));
        const auto toNow = s.get(CHANGES + "?from=Before");
        const auto toAfter = s.get(CHANGES + "?from=Before&to=After");
        expectStatus("to now", 200, toNow);
        CPPUNIT_ASSERT_EQUAL(std::string("now"), toNow.json()->getObject("to")->getValue<std::string>("snapshot"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-21"), toNow.json()->getObject("to")->getValue<std::string>("as_of"));
        // The same changes, item for item, and the same totals: "now" is the live portfolio judged today.
        for (const char* list : {"health", "projects", "milestones", "contributions"})
        {
            std::ostringstream now, after;
            toNow.json()->getArray(list)->stringify(now);
            toAfter.json()->getArray(list)->stringify(after);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(list, after.str(), now.str());
        }
        std::ostringstream nowTotals, afterTotals;
        toNow.json()->getObject("totals")->stringify(nowTotals);
        toAfter.json()->getObject("totals")->stringify(afterTotals);
        CPPUNIT_ASSERT_EQUAL(afterTotals.str(), nowTotals.str());
    }

    void testEveryFormatCarriesTheChanges()
    {
        auto& s = *_pServer;
        const auto csv = s.get(CHANGES + "?from=Before&format=csv");
        expectStatus("csv", 200, csv);
        CPPUNIT_ASSERT_EQUAL(std::string("text/csv; charset=utf-8"), csv.contentType);
        CPPUNIT_ASSERT(csv.header("Content-Disposition").find("changes-2027-03-01-2027-03-21.csv") !=
                       std::string::npos);
        // A header, 13 totals and one line per change (3 projects, 5 milestones, 2 contributions), four per
        // health change (effective, computed, declared, reasons: 2 projects).
        std::size_t lines = 0;
        for (std::size_t at = csv.body.find("\r\n"); at != std::string::npos; at = csv.body.find("\r\n", at + 2))
            ++lines;
        CPPUNIT_ASSERT_EQUAL(std::size_t(1 + 13 + 10 + 2 * 4), lines);
        CPPUNIT_ASSERT(csv.body.find("milestones,P-1,To slip,slipped,2027-05-01,2027-05-21,20,,") != std::string::npos);
        const auto md = s.get(CHANGES + "?from=Before&format=md");
        expectStatus("md", 200, md);
        for (const char* heading : {"## Totals", "## Health", "## Projects", "## Milestones", "## Contributions"})
            CPPUNIT_ASSERT_MESSAGE(heading, md.body.find(heading) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(md.body, md.body.find("| To slip | Slipped | 2027-05-01 | 2027-05-21 | 20 |") !=
                                            std::string::npos);
        const auto html = s.get(CHANGES + "?from=Before&format=html");
        expectStatus("html", 200, html);
        const auto problem = captrack::test::htmlAsXmlProblem(html.body);
        CPPUNIT_ASSERT_MESSAGE(problem.value_or(""), !problem);
        // The health change drawn: P-1's green badge, then its red one.
        const auto row = html.body.find("<td>P-1</td>");
        CPPUNIT_ASSERT(row != std::string::npos);
        const auto green = html.body.find("badge green", row), red = html.body.find("badge red", row);
        CPPUNIT_ASSERT(green != std::string::npos && red != std::string::npos && green < red);
        expectProblem("no xlsx", 400, s.get(CHANGES + "?from=Before&format=xlsx"));
    }

    void testHealthHistoryAndAccess()
    {
        auto& s = *_pServer;
        expectStatus("after", 201, s.post(SNAPSHOTS, R"({"name": "After"})"));
        const auto history = s.get(API + "/projects/" + std::to_string(_p1) + "/health-history");
        expectStatus("history", 200, history);
        const auto items = history.json()->getArray("items");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), items->size());
        CPPUNIT_ASSERT_EQUAL(std::string("Before"), items->getObject(0)->getValue<std::string>("snapshot"));
        CPPUNIT_ASSERT_EQUAL(std::string("green"), items->getObject(0)->getValue<std::string>("effective_health"));
        CPPUNIT_ASSERT_EQUAL(std::string("red"), items->getObject(1)->getValue<std::string>("effective_health"));
        CPPUNIT_ASSERT_EQUAL(std::string("Supplier failed"),
                             items->getObject(1)->getValue<std::string>("declared_reason"));
        expectProblem("no from", 400, s.get(CHANGES));
        expectProblem("unknown snapshot", 404, s.get(CHANGES + "?from=Nothing"));
        s.signIn("ukr");
        expectProblem("a partner", 403, s.get(CHANGES + "?from=Before"));
        expectProblem("a partner's history", 403, s.get(API + "/projects/" + std::to_string(_p1) + "/health-history"));
    }

private:
    Poco::Int64 milestone(Poco::Int64 project, const std::string& body)
    {
        return _pServer->create(API + "/projects/" + std::to_string(project) + "/milestones", body);
    }
    void patchMilestone(Poco::Int64 id, const std::string& body)
    {
        const auto path = API + "/milestones/" + std::to_string(id);
        const auto current = _pServer->get(path);
        expectStatus("PATCH " + body, 200, _pServer->patch(path, body, number(current, "version")));
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _p1 = 0, _p2 = 0, _done = 0, _slips = 0, _soonLate = 0, _dropped = 0, _pledge = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ChangesApiTest);
