#include "ApiAssertions.h"

#include "captrack/service/MailOutbox.h"

#include <Poco/Stopwatch.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;

/// GET and PATCH /api/v1/me/reminders, the user's `email` and `email_reminders` through PATCH
/// /users/{id}, the admins' GET /api/v1/mail/outbox, and a server with mail on (relay down) stopping at once.
class MailApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MailApiTest);
    CPPUNIT_TEST(testUsersReadAndChangeTheirOwnSettings);
    CPPUNIT_TEST(testOnlyTheseFieldsAndOnlyAddresses);
    CPPUNIT_TEST(testAdminsSetAnyonesAddress);
    CPPUNIT_TEST(testAdminsReadTheOutbox);
    CPPUNIT_TEST(testAServerWithMailOnStopsAtOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void testUsersReadAndChangeTheirOwnSettings()
    {
        HttpTestServer s;
        const Poco::Int64 lena = s.addUser("lena", "lead");
        s.signIn("lena");
        auto settings = s.get(API + "/me/reminders");
        expectStatus("GET", 200, settings);
        CPPUNIT_ASSERT_EQUAL(std::string("null"), text(settings, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("true"), text(settings, "email_reminders"));
        CPPUNIT_ASSERT_EQUAL(std::string("false"), text(settings, "mail_enabled"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"1\""), settings.header("ETag"));
        const auto digest = settings.json()->getObject("digest");
        CPPUNIT_ASSERT_EQUAL(std::string("monday"), digest->getValue<std::string>("weekday"));
        CPPUNIT_ASSERT_EQUAL(6, digest->getValue<int>("hour_utc"));
        CPPUNIT_ASSERT_EQUAL(30, digest->getValue<int>("look_ahead_days"));

        settings = s.patch(API + "/me/reminders", R"({"email": "lena@example.org"})", 1);
        expectStatus("PATCH email", 200, settings);
        CPPUNIT_ASSERT_EQUAL(std::string("lena@example.org"), text(settings, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), text(settings, "version"));
        settings = s.request("PATCH", API + "/me/reminders", R"({"email_reminders": false, "version": 2})");
        expectStatus("PATCH opt-out with version in the body", 200, settings);
        CPPUNIT_ASSERT_EQUAL(std::string("false"), text(settings, "email_reminders"));
        const auto me = s.get(API + "/me");
        CPPUNIT_ASSERT_EQUAL(std::string("lena@example.org"), text(me, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("false"), text(me, "email_reminders"));
        CPPUNIT_ASSERT_EQUAL(std::string("lead"), text(me, "role"));
        // Audited in the user's own name, like any change of a user.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("audit_events WHERE entity = 'user' AND action = 'update' AND "
                                                     "entity_id = " +
                                                     std::to_string(lena) + " AND user_id = " + std::to_string(lena)));
        settings = s.patch(API + "/me/reminders", R"({"email": null, "email_reminders": true})", 3);
        expectStatus("PATCH removes the address", 200, settings);
        CPPUNIT_ASSERT_EQUAL(std::string("null"), text(settings, "email"));
    }

    void testOnlyTheseFieldsAndOnlyAddresses()
    {
        HttpTestServer s;
        s.addUser("lena", "lead");
        s.signIn("lena");
        expectInvalid("the role", "role", s.patch(API + "/me/reminders", R"({"role": "admin"})", 1));
        expectInvalid("a bad address", "email", s.patch(API + "/me/reminders", R"({"email": "lena"})", 1));
        expectInvalid("not a boolean", "email_reminders",
                      s.patch(API + "/me/reminders", R"({"email_reminders": "no"})", 1));
        expectProblem("no version", 428, s.request("PATCH", API + "/me/reminders", R"({"email": "a@example.org"})"));
        expectProblem("stale", 412, s.patch(API + "/me/reminders", R"({"email": "a@example.org"})", 7));
        const auto me = s.get(API + "/me");
        CPPUNIT_ASSERT_EQUAL(std::string("lead"), text(me, "role"));
        CPPUNIT_ASSERT_EQUAL(std::string("null"), text(me, "email"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), text(me, "version"));
    }

    void testAdminsSetAnyonesAddress()
    {
        HttpTestServer s;
        const Poco::Int64 rita = s.addUser("rita", "reviewer");
        const auto answer = s.patch(API + "/users/" + std::to_string(rita),
                                    R"({"email": "rita@example.org", "email_reminders": false})", 1);
        expectStatus("admin PATCH", 200, answer);
        CPPUNIT_ASSERT_EQUAL(std::string("rita@example.org"), text(answer, "email"));
        expectInvalid("admin, bad address", "email",
                      s.patch(API + "/users/" + std::to_string(rita), R"({"email": "rita@@example.org"})", 2));
        s.signIn("rita");
        CPPUNIT_ASSERT_EQUAL(std::string("false"), text(s.get(API + "/me/reminders"), "email_reminders"));
        expectProblem("rita may not change another user", 403,
                      s.patch(API + "/users/" + std::to_string(rita), R"({"email": "x@example.org"})", 2));
    }

    void testAdminsReadTheOutbox()
    {
        HttpTestServer s;
        const Poco::Int64 rita = s.addUser("rita", "reviewer");
        expectStatus("rita's address", 200,
                     s.patch(API + "/users/" + std::to_string(rita), R"({"email": "rita@example.org"})", 1));
        {
            const captrack::service::MailOutbox outbox(s.clock(), true);
            auto pLease = s.db().database().lease();
            CPPUNIT_ASSERT(outbox.enqueue(pLease->session(), rita, "snapshot", "7", "Q1 review", "what changed"));
            CPPUNIT_ASSERT(outbox.enqueue(pLease->session(), rita, "snapshot", "8", "Q2 review", "what changed"));
        }
        auto page = s.get(API + "/mail/outbox?state=unsent&limit=1");
        expectStatus("outbox", 200, page);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), text(page, "total"));
        const auto item = page.json()->getArray("items")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("8"), item->getValue<std::string>("period_key"));
        CPPUNIT_ASSERT_EQUAL(std::string("rita@example.org"), item->getValue<std::string>("recipient"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-03-01T10:00:00Z"), item->getValue<std::string>("next_attempt_at"));
        CPPUNIT_ASSERT(item->get("sent_at").isEmpty() && !item->has("body"));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), text(s.get(API + "/mail/outbox?state=sent"), "total"));
        expectProblem("bad state", 400, s.get(API + "/mail/outbox?state=later"));
        s.signIn("rita");
        expectProblem("a reviewer", 403, s.get(API + "/mail/outbox"));
    }

    /// The mail worker runs beside the requests and stops with the server, even with the relay down.
    void testAServerWithMailOnStopsAtOnce()
    {
        auto pServer = std::make_unique<HttpTestServer>([](captrack::app::ServerOptions& options) {
            options.mail.smtp.host = "127.0.0.1";
            options.mail.smtp.port = 9; // discard: nothing listens
            options.mail.pollSeconds = 3600;
        });
        expectStatus("mail on", 200, pServer->get(API + "/me/reminders"));
        CPPUNIT_ASSERT_EQUAL(std::string("true"), text(pServer->get(API + "/me/reminders"), "mail_enabled"));
        Poco::Stopwatch stopping;
        stopping.start();
        pServer.reset();
        CPPUNIT_ASSERT_MESSAGE(std::to_string(stopping.elapsed()), stopping.elapsed() < 2000000);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MailApiTest);
