#include "ApiAssertions.h"
#include "WebhookReceiver.h"

#include "captrack/app/WebhookWorker.h"
#include "captrack/storage/Transaction.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;
using captrack::test::ReceivedHook;
using captrack::test::WebhookReceiver;

namespace
{
const std::string SECRET = "a-webhook-secret-0123456789";

/// Poco's HMACEngine needs the block and digest sizes that SHA2Engine lacks (shared/reference/toolchain.md).
struct Sha256Engine : Poco::SHA2Engine
{
    enum
    {
        BLOCK_SIZE = 64,
        DIGEST_SIZE = 32
    };
    Sha256Engine() : Poco::SHA2Engine(SHA_256) {}
};

/// The signature computed here, independently of the server's code.
std::string expectedSignature(const std::string& timestamp, const std::string& body)
{
    Poco::HMACEngine<Sha256Engine> hmac(SECRET);
    hmac.update(timestamp + "." + body);
    return "sha256=" + Poco::DigestEngine::digestToHex(hmac.digest());
}

Poco::JSON::Object::Ptr parsed(const std::string& text)
{
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}
} // namespace

/// Webhook deliveries through the real server (docs/HTTP.md "Webhooks"): the server's own worker is off, and
/// the test runs one (app::WebhookWorker::runOnce) against a local receiver, so that every step is in the
/// test's hands and the clock is the server's fixed one.
class WebhookDeliveryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebhookDeliveryTest);
    CPPUNIT_TEST(testDeliveriesAreSignedAndInOrder);
    CPPUNIT_TEST(testAFailingEventHoldsBackItsEndpointUntilRetried);
    CPPUNIT_TEST(testAfterTheLastAttemptTheEventFailsAndTheQueueMovesOn);
    CPPUNIT_TEST(testEventAndProjectFilters);
    CPPUNIT_TEST(testHealthChangesAreEvents);
    CPPUNIT_TEST(testABaselineOrAnImportIsOneHealthChange);
    CPPUNIT_TEST(testASnapshotPublishedReachesEndpointsWithoutAProject);
    CPPUNIT_TEST(testARefusedWriteAddsNoEvent);
    CPPUNIT_TEST(testAnHttpsEndpointWithoutTlsFailsTheAttempt);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>([](captrack::app::ServerOptions& options) {
            options.webhooks.deliver = false;
            options.webhooks.maxAttempts = 3;
            options.webhooks.timeoutMs = 1000; // the TLS test waits for it once
        });
        _pServer->seedReference();
        _pWorker = std::make_unique<captrack::app::WebhookWorker>(_pServer->server().webhookDeliveries());
        _p1 = project("P1", "implementation");
        _p2 = project("P2", "implementation");
    }

    void tearDown() override
    {
        _pWorker.reset();
        _pServer.reset();
    }

    void testDeliveriesAreSignedAndInOrder()
    {
        auto& s = *_pServer;
        const Poco::Int64 hook = webhook(R"(["milestone.changed"])");
        const Poco::Int64 m = milestone(_p1, "2027-04-01");
        s.patch(API + "/milestones/" + str(m), R"({"progress": 10})", 1);
        s.patch(API + "/milestones/" + str(m), R"({"progress": 20})", 2);
        CPPUNIT_ASSERT(_receiver.received().empty()); // nothing is sent from a request's thread
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), _pWorker->runOnce());

        const auto got = _receiver.received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), got.size());
        Poco::Int64 lastId = 0;
        const char* actions[] = {"create", "update", "update"};
        for (std::size_t i = 0; i < got.size(); ++i)
        {
            const ReceivedHook& h = got[i];
            CPPUNIT_ASSERT_EQUAL(std::string("/hook"), h.path);
            CPPUNIT_ASSERT_EQUAL(std::string("milestone.changed"), h.headers.at("x-captrack-event"));
            CPPUNIT_ASSERT_EQUAL(std::to_string(s.clock().now().epochTime()), h.headers.at("x-captrack-timestamp"));
            CPPUNIT_ASSERT_EQUAL(expectedSignature(h.headers.at("x-captrack-timestamp"), h.body),
                                 h.headers.at("x-captrack-signature"));
            CPPUNIT_ASSERT_EQUAL(std::string("application/json"), h.headers.at("content-type"));
            CPPUNIT_ASSERT_EQUAL(0u, static_cast<unsigned>(h.headers.at("user-agent").rfind("captrack/", 0)));
            const auto body = parsed(h.body);
            const Poco::Int64 id = body->getValue<Poco::Int64>("id");
            CPPUNIT_ASSERT_EQUAL(std::to_string(id), h.headers.at("x-captrack-delivery"));
            CPPUNIT_ASSERT_MESSAGE("in order", id > lastId);
            lastId = id;
            CPPUNIT_ASSERT_EQUAL(std::string(actions[i]), body->getValue<std::string>("action"));
            CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:00Z"), body->getValue<std::string>("occurred_at"));
            CPPUNIT_ASSERT_EQUAL(_p1, body->getValue<Poco::Int64>("project_id"));
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(10 * static_cast<Poco::Int64>(i)),
                                 body->getObject("data")->getValue<Poco::Int64>("progress"));
        }
        // The last payload's data is the milestone exactly as the API answers it.
        CPPUNIT_ASSERT_EQUAL(s.get(API + "/milestones/" + str(m)).body,
                             got.back().body.substr(got.back().body.find("\"data\":") + 7,
                                                    got.back().body.size() - got.back().body.find("\"data\":") - 8));
        // A tampered body no longer matches its signature: the check above can fail.
        CPPUNIT_ASSERT(expectedSignature(got[0].headers.at("x-captrack-timestamp"), got[0].body + " ") !=
                       got[0].headers.at("x-captrack-signature"));
        const auto log = s.get(API + "/webhooks/" + str(hook) + "/deliveries");
        expectStatus("deliveries", 200, log);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), number(log, "total"));
        const auto newest = log.json()->getArray("items")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("delivered"), newest->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(1, newest->getValue<int>("attempts"));
        CPPUNIT_ASSERT_EQUAL(200, newest->getValue<int>("last_status"));
        CPPUNIT_ASSERT_EQUAL(std::string("thanks"), newest->getValue<std::string>("last_response"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pWorker->runOnce()); // sent once
    }

    void testAFailingEventHoldsBackItsEndpointUntilRetried()
    {
        auto& s = *_pServer;
        const Poco::Int64 hook = webhook(R"(["milestone.changed"])");
        _receiver.answerWith({500, 503});
        const Poco::Int64 m = milestone(_p1, "2027-04-01");
        s.patch(API + "/milestones/" + str(m), R"({"progress": 50})", 1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pWorker->runOnce()); // the first fails; the second waits
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pWorker->runOnce()); // not due before the backoff
        s.clock().advance(10 * Poco::Timestamp::resolution());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pWorker->runOnce()); // 503: now 20 s
        s.clock().advance(19 * Poco::Timestamp::resolution());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _pWorker->runOnce());
        s.clock().advance(1 * Poco::Timestamp::resolution());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), _pWorker->runOnce()); // delivered, then the next one at once

        const auto got = _receiver.received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), got.size());
        for (std::size_t i = 0; i < 3; ++i)
            CPPUNIT_ASSERT_EQUAL(got[0].body, got[i].body); // the same event, the same body, until delivered
        CPPUNIT_ASSERT(parsed(got[3].body)->getValue<Poco::Int64>("id") >
                       parsed(got[0].body)->getValue<Poco::Int64>("id"));
        const auto items = s.get(API + "/webhooks/" + str(hook) + "/deliveries").json()->getArray("items");
        CPPUNIT_ASSERT_EQUAL(3, items->getObject(1)->getValue<int>("attempts"));
        CPPUNIT_ASSERT_EQUAL(std::string("delivered"), items->getObject(1)->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(1, items->getObject(0)->getValue<int>("attempts"));
    }

    void testAfterTheLastAttemptTheEventFailsAndTheQueueMovesOn()
    {
        auto& s = *_pServer;
        const Poco::Int64 hook = webhook(R"(["milestone.changed"])");
        _receiver.answerWith({500, 500, 500});
        const Poco::Int64 m = milestone(_p1, "2027-04-01");
        s.patch(API + "/milestones/" + str(m), R"({"progress": 50})", 1);
        for (int i = 0; i < 3; ++i)
        {
            (void)_pWorker->runOnce();
            s.clock().advance(3600 * Poco::Timestamp::resolution());
        }
        const auto items = s.get(API + "/webhooks/" + str(hook) + "/deliveries").json()->getArray("items");
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), items->getObject(1)->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(3, items->getObject(1)->getValue<int>("attempts"));
        CPPUNIT_ASSERT_EQUAL(500, items->getObject(1)->getValue<int>("last_status"));
        CPPUNIT_ASSERT_EQUAL(std::string("delivered"), items->getObject(0)->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), _receiver.received().size());
    }

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
        // An inactive endpoint gets nothing more.
        expectStatus("deactivate", 200, s.patch(API + "/webhooks/" + str(mine), R"({"active": false})", 1));
        s.create(API + "/projects/" + str(_p1) + "/contributions", contribution());
        (void)_pWorker->runOnce();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _receiver.received().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), other.received().size());
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

    void testAnHttpsEndpointWithoutTlsFailsTheAttempt()
    {
        auto& s = *_pServer;
        // The receiver speaks plain HTTP: the TLS handshake fails, and the attempt with it.
        const std::string url = "https" + _receiver.url().substr(4);
        const Poco::Int64 hook = webhookAt(url, R"(["milestone.changed"])", std::nullopt);
        (void)milestone(_p1, "2027-04-01");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _pWorker->runOnce());
        const auto item = s.get(API + "/webhooks/" + str(hook) + "/deliveries").json()->getArray("items")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), item->getValue<std::string>("status"));
        CPPUNIT_ASSERT(item->isNull("last_status"));
        CPPUNIT_ASSERT(!item->getValue<std::string>("last_response").empty());
        CPPUNIT_ASSERT(!item->isNull("next_attempt_at"));
    }

private:
    static std::string str(Poco::Int64 id) { return std::to_string(id); }

    Poco::Int64 project(const std::string& code, const std::string& status)
    {
        return _pServer->create(API + "/projects", R"({"code": ")" + code + R"(", "title": "Project )" + code +
                                                       R"(", "kind": "capability", "status": ")" + status + "\"}");
    }

    Poco::Int64 milestone(Poco::Int64 projectId, const std::string& baseline)
    {
        return _pServer->create(API + "/projects/" + str(projectId) + "/milestones",
                                R"({"title": "Trial", "baseline_date": ")" + baseline + "\"}");
    }

    std::string contribution() const
    {
        return R"({"partner_id": )" + str(_pServer->partnerId("UKR")) +
               R"(, "role": "contributor", "kind": "funding", "amount_eur": 1000})";
    }

    Poco::Int64 webhookAt(const std::string& url, const std::string& events, std::optional<Poco::Int64> projectId)
    {
        return _pServer->create(API + "/webhooks", R"({"url": ")" + url + R"(", "secret": ")" + SECRET +
                                                       R"(", "events": )" + events + R"(, "project_id": )" +
                                                       (projectId ? str(*projectId) : "null") + "}");
    }

    Poco::Int64 webhook(const std::string& events, std::optional<Poco::Int64> projectId = std::nullopt)
    {
        return webhookAt(_receiver.url(), events, projectId);
    }

    WebhookReceiver _receiver;
    std::unique_ptr<HttpTestServer> _pServer;
    std::unique_ptr<captrack::app::WebhookWorker> _pWorker;
    Poco::Int64 _p1 = 0, _p2 = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookDeliveryTest);
