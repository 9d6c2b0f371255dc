#include "ApiAssertions.h"
#include "RacingRequest.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cppunit/extensions/HelperMacros.h>

#include <future>
#include <set>
#include <vector>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;

class BaselineApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BaselineApiTest);
    CPPUNIT_TEST(testBaselineCopiesForecastsIntoBaselineDates);
    CPPUNIT_TEST(testBaselineBumpsVersionAndAppendsHistoryOnlyForMovedMilestones);
    CPPUNIT_TEST(testNameAndReasonAreRequiredAndNothingIsWrittenWithoutThem);
    CPPUNIT_TEST(testDuplicateNameIs409AndLeavesMilestonesAlone);
    CPPUNIT_TEST(testConcurrentBaselinesOfOneNameGiveOne201AndThe409s);
    CPPUNIT_TEST(testListAndGetByIdAndByName);
    CPPUNIT_TEST(testMissingProjectIs404);
    CPPUNIT_TEST(testBaselineOfOtherProjectIsNotFound);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        auto& s = *(_pServer = std::make_unique<HttpTestServer>());
        s.seedReference();
        _project = s.create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability"})");
        _other = s.create(API + "/projects", R"({"code": "P-2", "title": "Two", "kind": "capability"})");
        _slipped = s.create(milestones(_project),
                            R"({"title": "Slipped", "baseline_date": "2027-04-01", "forecast_date": "2027-05-01"})");
        _unforecast = s.create(milestones(_project), R"({"title": "Unforecast", "baseline_date": "2027-06-01"})");
        _onTime = s.create(milestones(_project),
                           R"({"title": "On time", "baseline_date": "2027-07-01", "forecast_date": "2027-07-01"})");
        _elsewhere =
            s.create(milestones(_other),
                     R"({"title": "Elsewhere", "baseline_date": "2027-04-01", "forecast_date": "2027-08-01"})");
    }
    void tearDown() override { _pServer.reset(); }

    void testBaselineCopiesForecastsIntoBaselineDates()
    {
        auto& s = *_pServer;
        const auto taken = s.post(baselines(_project), R"({"name": "Rebaseline 2027", "reason": "Board decision 7"})");
        expectStatus("POST baseline", 201, taken);
        const auto id = number(taken, "id");
        CPPUNIT_ASSERT_EQUAL(baselines(_project) + "/" + std::to_string(id), taken.header("Location"));
        CPPUNIT_ASSERT_EQUAL(_project, number(taken, "project_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("Rebaseline 2027"), text(taken, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("Board decision 7"), text(taken, "reason"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:00Z"), text(taken, "created_at"));
        // The snapshot keeps each milestone's old baseline next to the new one.
        const auto items = taken.json()->getArray("items");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), items->size());
        struct Expected
        {
            Poco::Int64 milestone;
            std::string baseline, previous, forecast;
        };
        const std::vector<Expected> expected{{_slipped, "2027-05-01", "2027-04-01", "2027-05-01"},
                                             {_unforecast, "2027-06-01", "2027-06-01", "null"},
                                             {_onTime, "2027-07-01", "2027-07-01", "2027-07-01"}};
        for (std::size_t i = 0; i < expected.size(); ++i)
        {
            const auto item = items->getObject(static_cast<unsigned>(i));
            const auto& e = expected[i];
            const std::string what = "item " + std::to_string(i);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, e.milestone, item->getValue<Poco::Int64>("milestone_id"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, e.baseline, item->getValue<std::string>("baseline_date"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, e.previous, item->getValue<std::string>("previous_baseline_date"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, e.forecast,
                                         item->get("forecast_date").isEmpty()
                                             ? std::string("null")
                                             : item->getValue<std::string>("forecast_date"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, e.baseline, text(s.get(milestone(e.milestone)), "baseline_date"));
        }
        // Forecasts stay, and the other project's milestones are untouched.
        CPPUNIT_ASSERT_EQUAL(std::string("2027-05-01"), text(s.get(milestone(_slipped)), "forecast_date"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-04-01"), text(s.get(milestone(_elsewhere)), "baseline_date"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number(s.get(milestone(_elsewhere)), "version"));
    }

    void testBaselineBumpsVersionAndAppendsHistoryOnlyForMovedMilestones()
    {
        auto& s = *_pServer;
        const auto audits = s.count("audit_events");
        expectStatus("POST baseline", 201, s.post(baselines(_project), R"({"name": "B1", "reason": "Replan"})"));
        const auto slipped = s.get(milestone(_slipped));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), number(slipped, "version"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"2\""), slipped.header("ETag"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number(s.get(milestone(_unforecast)), "version"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number(s.get(milestone(_onTime)), "version"));
        // One audit event for the baseline, one for the moved milestone.
        CPPUNIT_ASSERT_EQUAL(audits + 2, s.count("audit_events"));

        const auto history = s.get(milestone(_slipped) + "/history");
        CPPUNIT_ASSERT_EQUAL(std::string("create,update"), column(history, "action"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-04-01,2027-05-01"), column(history, "baseline_date"));
        CPPUNIT_ASSERT_EQUAL(std::string("create"), column(s.get(milestone(_unforecast) + "/history"), "action"));
        CPPUNIT_ASSERT_EQUAL(std::string("create"), column(s.get(milestone(_onTime) + "/history"), "action"));

        // A client holding the pre-baseline version is refused.
        expectProblem("PATCH with pre-baseline version", 412,
                      s.patch(milestone(_slipped), R"({"forecast_date": "2027-05-15"})", 1));
        expectStatus("PATCH with current version", 200,
                     s.patch(milestone(_slipped), R"({"forecast_date": "2027-05-15"})", 2));
    }

    void testNameAndReasonAreRequiredAndNothingIsWrittenWithoutThem()
    {
        auto& s = *_pServer;
        struct Case
        {
            std::string body;
            std::string fields;
        };
        const std::vector<Case> cases{
            {"{}", "name,reason"},
            {R"({"name": "B1"})", "reason"},
            {R"({"reason": "Replan"})", "name"},
            {R"({"name": "  ", "reason": "Replan"})", "name"},
            {R"({"name": null, "reason": 5})", "name,reason"},
            {R"({"name": ")" + std::string(101, 'n') + R"(", "reason": "Replan"})", "name"},
            {R"({"name": "B1", "reason": "Replan", "created_by": 1})", "created_by"},
        };
        for (const auto& c : cases)
        {
            Unchanged unchanged(s, {"baselines", "baseline_items", "milestone_history"},
                                {milestone(_slipped), baselines(_project)});
            expectInvalid(c.body, c.fields, s.post(baselines(_project), c.body));
            unchanged.check(c.body);
        }
        Unchanged unchanged(s, {"baselines", "baseline_items"}, {milestone(_slipped)});
        expectProblem("array body", 400, s.post(baselines(_project), R"(["B1", "Replan"])"));
        expectProblem("no body", 400, s.post(baselines(_project), ""));
        unchanged.check("unreadable bodies");
    }

    void testDuplicateNameIs409AndLeavesMilestonesAlone()
    {
        auto& s = *_pServer;
        s.create(baselines(_project), R"({"name": "B1", "reason": "First"})");
        expectStatus("slip again", 200, s.patch(milestone(_slipped), R"({"forecast_date": "2027-06-15"})", 2));
        Unchanged unchanged(s, {"baselines", "baseline_items", "milestone_history"},
                            {milestone(_slipped), milestone(_unforecast), baselines(_project)});
        expectProblem("duplicate name", 409, s.post(baselines(_project), R"({"name": "B1", "reason": "Second"})"));
        expectProblem("duplicate name after trim", 409,
                      s.post(baselines(_project), R"({"name": " B1 ", "reason": "Second"})"));
        unchanged.check("duplicate baseline");
        CPPUNIT_ASSERT_EQUAL(std::string("2027-05-01"), text(s.get(milestone(_slipped)), "baseline_date"));
        // The same name is free in another project.
        expectStatus("same name elsewhere", 201, s.post(baselines(_other), R"({"name": "B1", "reason": "Other"})"));
    }

    /// Requests taking the same name at once (on MariaDB each reads "no such name" before either commits):
    /// one is stored, every other is the 409 of a duplicate name, never a 500.
    void testConcurrentBaselinesOfOneNameGiveOne201AndThe409s()
    {
        auto& s = *_pServer;
        // The fixture's keep-alive connection holds a server thread: free it for the racers.
        s.request("GET", "/healthz", "", {{"Connection", "close"}});
        const std::string path = baselines(_project);
        for (int round = 0; round < 4; ++round)
        {
            const std::string body = R"({"name": "Race )" + std::to_string(round) + R"(", "reason": "Same time"})";
            std::promise<void> gate;
            const std::shared_future<void> start = gate.get_future().share();
            std::vector<std::future<int>> racers;
            for (int i = 0; i < 6; ++i)
                racers.push_back(std::async(std::launch::async, [&s, &path, &body, start] {
                    return captrack::test::postWhenReleased(s.port(), path, body, s.token(), start).status;
                }));
            gate.set_value();
            std::multiset<int> statuses;
            for (auto& racer : racers)
                statuses.insert(racer.get());
            CPPUNIT_ASSERT_EQUAL_MESSAGE("round " + std::to_string(round), std::size_t(1), statuses.count(201));
            CPPUNIT_ASSERT_EQUAL_MESSAGE("round " + std::to_string(round), std::size_t(5), statuses.count(409));
        }
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), s.count("baselines"));
    }

    void testListAndGetByIdAndByName()
    {
        auto& s = *_pServer;
        const auto first = s.create(baselines(_project), R"({"name": "Initial plan", "reason": "Kick-off"})");
        s.patch(milestone(_unforecast), R"({"forecast_date": "2027-06-20"})", 1);
        const auto second = s.create(baselines(_project), R"({"name": "Replan Q2", "reason": "Supplier late"})");

        const auto list = s.get(baselines(_project));
        expectStatus("GET baselines", 200, list);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), number(list, "total"));
        CPPUNIT_ASSERT_EQUAL(std::to_string(first) + "," + std::to_string(second), column(list, "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("Initial plan,Replan Q2"), column(list, "name"));
        CPPUNIT_ASSERT_EQUAL(std::string("Kick-off,Supplier late"), column(list, "reason"));
        CPPUNIT_ASSERT_EQUAL(std::string(), column(s.get(baselines(_other)), "id"));

        std::string encoded;
        Poco::URI::encode("Replan Q2", "", encoded);
        const auto byId = s.get(baselines(_project) + "/" + std::to_string(second));
        const auto byName = s.get(baselines(_project) + "/" + encoded);
        expectStatus("GET by id", 200, byId);
        expectStatus("GET by name", 200, byName);
        CPPUNIT_ASSERT_EQUAL(byId.body, byName.body);
        CPPUNIT_ASSERT_EQUAL(std::string("Replan Q2"), text(byId, "name"));
        // The second snapshot saw the first one's dates as its previous baselines.
        const auto item = byId.json()->getArray("items")->getObject(1);
        CPPUNIT_ASSERT_EQUAL(std::string("2027-06-01"), item->getValue<std::string>("previous_baseline_date"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-06-20"), item->getValue<std::string>("baseline_date"));
        const auto firstItem = s.get(baselines(_project) + "/" + std::to_string(first)).json();
        CPPUNIT_ASSERT_EQUAL(std::string("2027-06-01"),
                             firstItem->getArray("items")->getObject(1)->getValue<std::string>("baseline_date"));

        expectProblem("GET unknown name", 404, s.get(baselines(_project) + "/Nope"));
        expectProblem("GET unknown id", 404, s.get(baselines(_project) + "/99999"));
    }

    void testMissingProjectIs404()
    {
        auto& s = *_pServer;
        Unchanged unchanged(s, {"baselines", "baseline_items"});
        expectProblem("POST under missing project", 404,
                      s.post(API + "/projects/99999/baselines", R"({"name": "B1", "reason": "Replan"})"));
        expectProblem("POST under missing project, bad body", 404, s.post(API + "/projects/99999/baselines", "{}"));
        expectProblem("GET list of missing project", 404, s.get(API + "/projects/99999/baselines"));
        expectProblem("GET one of missing project", 404, s.get(API + "/projects/99999/baselines/1"));
        expectProblem("GET under project code", 404, s.get(API + "/projects/P-1/baselines"));
        unchanged.check("missing project");
    }

    void testBaselineOfOtherProjectIsNotFound()
    {
        auto& s = *_pServer;
        const auto id = s.create(baselines(_project), R"({"name": "Mine", "reason": "Replan"})");
        expectProblem("GET by id via other project", 404, s.get(baselines(_other) + "/" + std::to_string(id)));
        expectProblem("GET by name via other project", 404, s.get(baselines(_other) + "/Mine"));
        // An id of more than 18 digits names no baseline, not the one its first 18 digits name.
        std::string padded = std::to_string(id);
        padded = std::string(18 - padded.size(), '0') + padded + "7";
        expectStatus("GET by id, 18 digits", 200, s.get(baselines(_project) + "/" + padded.substr(0, 18)));
        expectProblem("GET by an id of 19 digits", 404, s.get(baselines(_project) + "/" + padded));
    }

private:
    [[nodiscard]] static std::string baselines(Poco::Int64 project)
    {
        return API + "/projects/" + std::to_string(project) + "/baselines";
    }
    [[nodiscard]] static std::string milestones(Poco::Int64 project)
    {
        return API + "/projects/" + std::to_string(project) + "/milestones";
    }
    [[nodiscard]] static std::string milestone(Poco::Int64 id) { return API + "/milestones/" + std::to_string(id); }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _project = 0;
    Poco::Int64 _other = 0;
    Poco::Int64 _slipped = 0;
    Poco::Int64 _unforecast = 0;
    Poco::Int64 _onTime = 0;
    Poco::Int64 _elsewhere = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(BaselineApiTest);
