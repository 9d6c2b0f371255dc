#include "captrack/service/MailDelivery.h"
#include "Instants.h"
#include "TestDatabase.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/MailOutbox.h"
#include "captrack/service/OutboxReader.h"
#include "captrack/service/ResourceService.h"

#include <Poco/Net/NetException.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <memory>
#include <mutex>
#include <thread>

using namespace captrack;
using captrack::testing::at;
using namespace Poco::Data::Keywords;

namespace
{
/// A relay that keeps what it accepts, or refuses everything while down. Thread-safe.
class FakeRelay : public service::MailRelay
{
public:
    void send(const service::MailEnvelope& mail) override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (down)
            throw Poco::Net::ConnectionRefusedException("127.0.0.1:25");
        ++_accepted[mail.to + " " + mail.periodKey];
    }
    std::map<std::string, int> accepted()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _accepted;
    }
    bool down = false;

private:
    std::mutex _mutex;
    std::map<std::string, int> _accepted;
};
} // namespace

/// service::MailDelivery: a message is marked sent only after the relay took it, retried with backoff
/// while the relay is down, and sent once by two servers delivering at the same time.
class MailDeliveryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MailDeliveryTest);
    CPPUNIT_TEST(testRetriedAfterTheRelayFailedAndSentOnce);
    CPPUNIT_TEST(testBackoffDoublesUpToItsCap);
    CPPUNIT_TEST(testTwoServersSendEachMessageOnce);
    CPPUNIT_TEST(testAnExpiredLeaseIsTakenOver);
    CPPUNIT_TEST(testSentMailIsPurgedAfterNinetyDays);
    CPPUNIT_TEST(testMailGoesOnlyToWhoStillGetsItAtTheirAddressOfNow);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pDb = std::make_unique<test::TestDatabase>(true);
        _pClock = std::make_unique<domain::FixedClock>(at("2027-03-01T10:00:00Z"));
        service::ResourceService resources(_pDb->database(), *_pClock);
        _user = domain::recordId(resources.create(
            domain::Principal::system(), service::Catalogue::instance().users,
            {{"username", "rita"}, {"display_name", "Rita"}, {"role", "reviewer"}, {"email", "rita@example.org"}}));
    }

    void tearDown() override { _pDb.reset(); }

    void testRetriedAfterTheRelayFailedAndSentOnce()
    {
        queue(1);
        FakeRelay relay;
        service::MailDelivery delivery(_pDb->database(), *_pClock, relay, 60, "server-a");
        relay.down = true;
        auto round = delivery.deliverDue();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), round.failed);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number("SELECT attempts FROM mail_outbox"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND "
                                                    "claimed_by IS NULL AND next_attempt_at = " +
                                                    std::to_string(_pClock->now().epochTime() + 60)));
        CPPUNIT_ASSERT(text("last_error").find("127.0.0.1:25") != std::string::npos);
        relay.down = false;
        round = delivery.deliverDue(); // not due again before the backoff
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), round.sent + round.failed);
        _pClock->advance(60 * SECOND);
        round = delivery.deliverDue();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), round.sent);
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:01:00Z"), text("sent_at"));
        CPPUNIT_ASSERT_EQUAL(1, relay.accepted()["rita@example.org period-0"]);
        _pClock->advance(3600 * SECOND);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), delivery.deliverDue().sent);
        CPPUNIT_ASSERT_EQUAL(1, relay.accepted()["rita@example.org period-0"]);
    }

    void testBackoffDoublesUpToItsCap()
    {
        FakeRelay relay;
        const service::MailDelivery delivery(_pDb->database(), *_pClock, relay, 60, "server-a");
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(60), delivery.retryDelay(1));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(120), delivery.retryDelay(2));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1920), delivery.retryDelay(6));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3600), delivery.retryDelay(7));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3600), delivery.retryDelay(1000));
    }

    void testTwoServersSendEachMessageOnce()
    {
        queue(120);
        FakeRelay relayA, relayB;
        service::MailDelivery a(_pDb->database(), *_pClock, relayA, 60, "server-a");
        service::MailDelivery b(_pDb->database(), *_pClock, relayB, 60, "server-b");
        std::size_t sentA = 0, sentB = 0;
        std::thread first([&] {
            for (int i = 0; i < 3; ++i)
                sentA += a.deliverDue().sent;
        });
        std::thread second([&] {
            for (int i = 0; i < 3; ++i)
                sentB += b.deliverDue().sent;
        });
        first.join();
        second.join();
        CPPUNIT_ASSERT_EQUAL(std::size_t(120), sentA + sentB);
        auto all = relayA.accepted();
        for (const auto& [key, times] : relayB.accepted())
        {
            CPPUNIT_ASSERT_MESSAGE(key + " sent by both servers", all.count(key) == 0);
            all[key] = times;
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(120), all.size());
        for (const auto& [key, times] : all)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(key, 1, times);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), number("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL"));
    }

    /// A server that died holding a claim leaves it to the others once the lease has run out.
    void testAnExpiredLeaseIsTakenOver()
    {
        queue(1);
        {
            auto pLease = _pDb->database().lease();
            pLease->session() << "UPDATE mail_outbox SET claimed_by = 'dead', claimed_until = ?",
                bind(static_cast<Poco::Int64>(_pClock->now().epochTime()) + 300), now;
        }
        FakeRelay relay;
        service::MailDelivery delivery(_pDb->database(), *_pClock, relay, 60, "server-a");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), delivery.deliverDue().sent);
        _pClock->advance(301 * SECOND);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), delivery.deliverDue().sent);
    }

    /// Sent mail goes after 90 days; unsent mail stays whatever its age (it is still to be sent).
    void testSentMailIsPurgedAfterNinetyDays()
    {
        queue(2);
        FakeRelay relay;
        relay.down = true;
        service::MailDelivery delivery(_pDb->database(), *_pClock, relay, 60, "server-a");
        (void)delivery.deliverDue(); // the first fails and stops the round: one sent later, one not
        relay.down = false;
        _pClock->advance(60 * SECOND);
        (void)delivery.deliverDue();
        relay.down = true;
        queue(1, 2);
        const service::OutboxReader reader(_pDb->database(), *_pClock);
        _pClock->advance(90 * DAY);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), reader.purgeOldSent());
        _pClock->advance(61 * SECOND);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), reader.purgeOldSent());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), number("SELECT COUNT(*) FROM mail_outbox"));
    }

    void testMailGoesOnlyToWhoStillGetsItAtTheirAddressOfNow()
    {
        // Queued for the reviewer rita (a snapshot's figures) while the relay was down.
        queue(3);
        FakeRelay relay;
        service::MailDelivery delivery(_pDb->database(), *_pClock, relay, 60, "server-a");
        // Rita moved to another address: the mail goes there.
        setUser({{"email", "rita@new.example.org"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), delivery.deliverDue().sent);
        CPPUNIT_ASSERT_EQUAL(1, relay.accepted()["rita@new.example.org period-0"]);
        // Rita is a lead now: a snapshot's mail for reviewers is not hers any more, nor if she opted out or
        // was disabled; each is ended unsent, and never taken again.
        queue(3, 3);
        setUser({{"role", "lead"}});
        const auto round = delivery.deliverDue();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), round.sent);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), relay.accepted().size());
        CPPUNIT_ASSERT_EQUAL(std::string("not sent: the user is no longer a reviewer"),
                             scalar("SELECT last_error FROM mail_outbox WHERE period_key = 'period-3'"));
        setUser({{"role", "reviewer"}});
        queue(1, 6);
        setUser({{"email_reminders", false}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), delivery.deliverDue().sent);
        setUser({{"email_reminders", true}});
        queue(1, 7);
        setUser({{"disabled", true}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), delivery.deliverDue().sent);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), relay.accepted().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), delivery.deliverDue().sent); // nothing left to take
    }

private:
    /// Changes rita's user record as an admin would.
    void setUser(const domain::Record& changes)
    {
        service::ResourceService resources(_pDb->database(), *_pClock);
        const auto& users = service::Catalogue::instance().users;
        const auto current = resources.get(domain::Principal::system(), users, _user);
        (void)resources.update(domain::Principal::system(), users, _user, changes,
                               domain::intField(current, "version"));
    }

    static constexpr Poco::Timestamp::TimeDiff DAY = 86400LL * 1000000;
    static constexpr Poco::Timestamp::TimeDiff SECOND = 1000000;

    void queue(int messages, int first = 0)
    {
        const service::MailOutbox outbox(*_pClock, true);
        auto pLease = _pDb->database().lease();
        for (int i = first; i < first + messages; ++i)
            CPPUNIT_ASSERT(
                outbox.enqueue(pLease->session(), _user, "snapshot", "period-" + std::to_string(i), "subject", "body"));
    }

    std::string scalar(const std::string& sql)
    {
        auto pLease = _pDb->database().lease();
        std::string value;
        pLease->session() << sql, into(value), now;
        return value;
    }

    /// The whole number a query answers.
    Poco::Int64 number(const std::string& sql)
    {
        auto pLease = _pDb->database().lease();
        Poco::Int64 value = -1;
        pLease->session() << sql, into(value), now;
        return value;
    }

    /// A text column of the first outbox row ("" for NULL).
    std::string text(const std::string& column)
    {
        return scalar("SELECT " + column + " FROM mail_outbox ORDER BY id LIMIT 1");
    }

    std::unique_ptr<test::TestDatabase> _pDb;
    std::unique_ptr<domain::FixedClock> _pClock;
    Poco::Int64 _user = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MailDeliveryTest);
