#include "WebhookFixture.h"

#include "captrack/storage/WebhookStore.h"

#include <thread>

using captrack::test::ReceivedHook;
using captrack::test::WebhookReceiver;
using namespace captrack::test::webhooks;

/// How events are sent (docs/HTTP.md "Webhooks"): signed, in order, once; retried with backoff while the
/// endpoint's later events wait; given up after the last attempt; an https endpoint that fails TLS.
class WebhookDeliveryTest : public WebhookFixture
{
    CPPUNIT_TEST_SUITE(WebhookDeliveryTest);
    CPPUNIT_TEST(testDeliveriesAreSignedAndInOrder);
    CPPUNIT_TEST(testAFailingEventHoldsBackItsEndpointUntilRetried);
    CPPUNIT_TEST(testAfterTheLastAttemptTheEventFailsAndTheQueueMovesOn);
    CPPUNIT_TEST(testAnHttpsEndpointWithoutTlsFailsTheAttempt);
    CPPUNIT_TEST(testTwoWorkersNeverSendAnEventTwice);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTwoWorkersNeverSendAnEventTwice()
    {
        auto& s = *_pServer;
        WebhookReceiver other;
        (void)webhook(R"(["milestone.changed"])");
        (void)webhookAt(other.url(), R"(["milestone.changed"])", std::nullopt);
        for (int i = 0; i < 10; ++i)
            (void)milestone(i % 2 ? _p1 : _p2, "2027-04-01");
        // What a second server sees while the first holds the heads it claimed: nothing to send (not the
        // held events, nor the endpoints' later ones). After the first records its attempts, the next heads.
        const auto& deliveries = s.server().webhookDeliveries();
        const auto held = deliveries.claimDue(16);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), held.size()); // one head per endpoint
        CPPUNIT_ASSERT(deliveries.claimDue(16).empty());
        {
            // A server that read the heads before those claims committed: its own claim must fail.
            const Poco::Int64 now = s.clock().now().epochTime();
            auto pLease = s.db().database().lease();
            CPPUNIT_ASSERT(!captrack::storage::WebhookStore::claim(pLease->session(), held[0].id, "another server", now,
                                                                   now + 60));
        }
        for (const auto& job : held)
            deliveries.record(job, 200, "recorded by the test");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), deliveries.claimDue(16).size());
        s.clock().advance(61 * Poco::Timestamp::resolution()); // those leases run out unrecorded
        // Two workers (two servers' worth) claim from one outbox at the same moment, round after round.
        captrack::app::WebhookWorker second(s.server().webhookDeliveries());
        std::size_t sentBySecond = 0;
        std::thread racer([&] { sentBySecond = second.runOnce(); });
        const std::size_t sentByFirst = _pWorker->runOnce();
        racer.join();
        CPPUNIT_ASSERT_EQUAL(std::size_t(18), sentByFirst + sentBySecond + _pWorker->runOnce());
        for (const auto* receiver : {&_receiver, &other})
        {
            const auto got = receiver->received();
            CPPUNIT_ASSERT_EQUAL(std::size_t(9), got.size());
            for (std::size_t i = 1; i < got.size(); ++i) // each once, in order
                CPPUNIT_ASSERT(parsed(got[i].body)->getValue<Poco::Int64>("id") >
                               parsed(got[i - 1].body)->getValue<Poco::Int64>("id"));
        }
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookDeliveryTest);
