#include "WebhookFixture.h"

#include "captrack/storage/Transaction.h"

using captrack::test::ReceivedHook;
using captrack::test::WebhookReceiver;
using namespace captrack::test::webhooks;

/// Which writes make which events (docs/HTTP.md "Webhooks"): the event and project filters, deletes,
/// inactive endpoints, health changes (once per baseline or import), snapshot.published through
/// service::Webhooks::enqueue, and none from a refused write.
class WebhookEventsTest : public WebhookFixture
{
    CPPUNIT_TEST_SUITE(WebhookEventsTest);
    CPPUNIT_TEST(testEventAndProjectFilters);
    CPPUNIT_TEST(testHealthChangesAreEvents);
    CPPUNIT_TEST(testABaselineOrAnImportIsOneHealthChange);
    CPPUNIT_TEST(testASnapshotPublishedReachesEndpointsWithoutAProject);
    CPPUNIT_TEST(testARefusedWriteAddsNoEvent);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEventAndProjectFilters()
    {
        auto& s = *_pServer;
        WebhookReceiver other;
        const Poco::Int64 mine = webhook(R"(["contribution.changed"])", _p1);
        (void)webhookAt(other.url(), R"(["contribution.changed", "milestone.changed"])", std::nullopt);
        (void)milestone(_p1, "2027-04-01");
        (void)milestone(_p2, "2027-04-01");
        s.create(API + "/projects/" + str(_p2) + "/contributions", contribution());
        s.create(API + "/projects/" + str(_p1) + "/contributions", contribution());
        (void)_pWorker->runOnce();
        const auto got = _receiver.received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), got.size());
        CPPUNIT_ASSERT_EQUAL(std::string("contribution.changed"), got[0].headers.at("x-captrack-event"));
        CPPUNIT_ASSERT_EQUAL(_p1, parsed(got[0].body)->getValue<Poco::Int64>("project_id"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), other.received().size());
        // A delete is an event too, with the record as it was.
        const Poco::Int64 gone = s.create(API + "/projects/" + str(_p1) + "/contributions", contribution());
        expectStatus("DELETE", 204, s.request("DELETE", API + "/contributions/" + str(gone), "", ifMatch(1)));
        (void)_pWorker->runOnce();
        const auto deleted = parsed(_receiver.received().back().body);
        CPPUNIT_ASSERT_EQUAL(std::string("delete"), deleted->getValue<std::string>("action"));
        CPPUNIT_ASSERT_EQUAL(gone, deleted->getObject("data")->getValue<Poco::Int64>("id"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _receiver.received().size());
        // An inactive endpoint gets nothing more.
        expectStatus("deactivate", 200, s.patch(API + "/webhooks/" + str(mine), R"({"active": false})", 1));
        s.create(API + "/projects/" + str(_p1) + "/contributions", contribution());
        (void)_pWorker->runOnce();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _receiver.received().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(7), other.received().size());
    }

    void testHealthChangesAreEvents()
    {
        auto& s = *_pServer;
        (void)webhook(R"(["project.health_changed"])");
        const Poco::Int64 m = milestone(_p1, "2027-04-01"); // due in a month, no slip: green
        s.patch(API + "/milestones/" + str(m), R"({"forecast_date": "2027-04-10"})", 1); // 9 days: still green
        s.patch(API + "/milestones/" + str(m), R"({"forecast_date": "2027-04-20"})", 2); // 19 days: amber
        s.patch(API + "/milestones/" + str(m), R"({"title": "Renamed"})", 3);
        s.patch(API + "/projects/" + str(_p1), R"({"declared_health": "red", "declared_reason": "Funding"})", 1);
        s.patch(API + "/projects/" + str(_p1), R"({"declared_reason": "Funding cut"})", 2);
        (void)_pWorker->runOnce();
        const auto got = _receiver.received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), got.size());
        const auto first = parsed(got[0].body)->getObject("data");
        CPPUNIT_ASSERT_EQUAL(std::string("green"), first->getValue<std::string>("from"));
        CPPUNIT_ASSERT_EQUAL(std::string("amber"), first->getValue<std::string>("to"));
        CPPUNIT_ASSERT_EQUAL(std::string("P1"), first->getValue<std::string>("project_code"));
        const auto second = parsed(got[1].body)->getObject("data");
        CPPUNIT_ASSERT_EQUAL(std::string("amber"), second->getValue<std::string>("from"));
        CPPUNIT_ASSERT_EQUAL(std::string("red"), second->getValue<std::string>("to"));
    }

    void testABaselineOrAnImportIsOneHealthChange()
    {
        auto& s = *_pServer;
        (void)webhook(R"(["project.health_changed"])");
        WebhookReceiver milestones;
        (void)webhookAt(milestones.url(), R"(["milestone.changed"])", std::nullopt);
        // 105 days of slip (red), then 19 (amber: no change). The baseline takes both to 0 in one step: one
        // change to green, never red to amber to green.
        const Poco::Int64 m1 = milestone(_p1, "2027-04-01"), m2 = milestone(_p1, "2027-04-01");
        expectStatus("slip", 200, s.patch(API + "/milestones/" + str(m1), R"({"forecast_date": "2027-07-15"})", 1));
        expectStatus("slip", 200, s.patch(API + "/milestones/" + str(m2), R"({"forecast_date": "2027-04-20"})", 1));
        expectStatus("baseline", 201,
                     s.post(API + "/projects/" + str(_p1) + "/baselines", R"({"name": "BL2", "reason": "Re-plan"})"));
        const auto imported = s.request("POST", API + "/import/milestones",
                                        "project_id,title,baseline_date\r\nP1,Late one,2027-02-01\r\n"
                                        "P1,Late two,2027-02-10\r\n",
                                        {{"Content-Type", "text/csv"}});
        expectStatus("import", 200, imported);
        (void)_pWorker->runOnce();
        const auto got = _receiver.received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), got.size()); // the second slip changes nothing; one each after
        const std::pair<const char*, const char*> moves[] = {{"green", "red"}, {"red", "green"}, {"green", "amber"}};
        for (std::size_t i = 0; i < got.size(); ++i)
        {
            const auto data = parsed(got[i].body)->getObject("data");
            CPPUNIT_ASSERT_EQUAL(std::string(moves[i].first), data->getValue<std::string>("from"));
            CPPUNIT_ASSERT_EQUAL(std::string(moves[i].second), data->getValue<std::string>("to"));
        }
        // Two created, two slipped, two moved by the baseline, two imported.
        CPPUNIT_ASSERT_EQUAL(std::size_t(8), milestones.received().size());
    }

    void testASnapshotPublishedReachesEndpointsWithoutAProject()
    {
        auto& s = *_pServer;
        (void)webhook(R"(["snapshot.published"])");
        WebhookReceiver filtered;
        (void)webhookAt(filtered.url(), R"(["snapshot.published"])", _p1);
        captrack::storage::inTransaction(s.db().database(), [](captrack::storage::Transaction& txn) {
            captrack::service::Webhooks::enqueue(txn.session(), captrack::domain::WebhookEvent::SnapshotPublished,
                                                 std::nullopt, "publish", R"({"id":7,"name":"2027 Q1 review"})",
                                                 "2027-03-01T10:00:00Z");
        });
        (void)_pWorker->runOnce();
        const auto got = _receiver.received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), got.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2027 Q1 review"),
                             parsed(got[0].body)->getObject("data")->getValue<std::string>("name"));
        CPPUNIT_ASSERT(parsed(got[0].body)->isNull("project_id"));
        CPPUNIT_ASSERT(filtered.received().empty());
    }

    void testARefusedWriteAddsNoEvent()
    {
        auto& s = *_pServer;
        (void)webhook(R"(["milestone.changed"])");
        const Poco::Int64 m = milestone(_p1, "2027-04-01");
        expectProblem("stale PATCH", 412, s.patch(API + "/milestones/" + str(m), R"({"progress": 5})", 7));
        expectProblem("bad PATCH", 422, s.patch(API + "/milestones/" + str(m), R"({"progress": 500})", 1));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), s.count("webhook_outbox"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookEventsTest);
