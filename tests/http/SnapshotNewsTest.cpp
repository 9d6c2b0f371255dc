#include "ApiAssertions.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack::test::api;
using captrack::test::HttpTestServer;

namespace
{
const std::string SNAPSHOTS = API + "/reports/snapshots";
} // namespace

/// A published snapshot's news (issue 14, items 1, 4 and 5), queued in the publication's transaction:
/// mail to each reviewer with an address, once per snapshot, with what changed since the snapshot before
/// it (nothing for a reviewer who opted out, nor for a lead); the snapshot.published webhook event.
class SnapshotNewsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SnapshotNewsTest);
    CPPUNIT_TEST(testReviewersHearOfEachSnapshotWithWhatChanged);
    CPPUNIT_TEST(testEachSnapshotIsAWebhookEventOfItsTransaction);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        // Mail on, towards a relay nobody listens at: the outbox keeps what was queued.
        _pServer = std::make_unique<HttpTestServer>([](captrack::app::ServerOptions& options) {
            options.mail.smtp.host = "127.0.0.1";
            options.mail.smtp.port = 9;
            options.mail.smtp.sender = "captrack@example.org";
            options.mail.webBaseUrl = "https://captrack.example.org";
        });
        auto& s = *_pServer;
        s.seedReference();
        _reviewer = s.addUser("rev", "reviewer");
        const auto quiet = s.addUser("quiet", "reviewer");
        const auto lead = s.addUser("lead", "lead");
        expectStatus("address", 200,
                     s.patch(API + "/users/" + std::to_string(_reviewer), R"({"email": "rev@example.org"})", 1));
        expectStatus("opted out", 200,
                     s.patch(API + "/users/" + std::to_string(quiet),
                             R"({"email": "quiet@example.org", "email_reminders": false})", 1));
        expectStatus("a lead", 200,
                     s.patch(API + "/users/" + std::to_string(lead), R"({"email": "lead@example.org"})", 1));
        _project = s.create(API + "/projects", R"({"code": "P-1", "title": "One", "kind": "capability",
            "status": "implementation"})");
    }
    void tearDown() override { _pServer.reset(); }

    void testReviewersHearOfEachSnapshotWithWhatChanged()
    {
        auto& s = *_pServer;
        s.signIn("rev");
        const auto first = number(s.post(SNAPSHOTS, R"({"name": "First"})"), "id");
        s.signIn("admin");
        expectStatus("declared", 200,
                     s.patch(API + "/projects/" + std::to_string(_project),
                             R"({"declared_health": "red", "declared_reason": "Late parts"})", 1));
        const auto second = number(s.post(SNAPSHOTS, R"({"name": "Second"})"), "id");
        // One mail per snapshot, to the one reviewer who gets mail.
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("mail_outbox WHERE kind = 'snapshot'"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2),
                             s.count("mail_outbox WHERE kind = 'snapshot' AND user_id = " + std::to_string(_reviewer)));
        const std::string where = " FROM mail_outbox WHERE kind = 'snapshot' AND period_key = '";
        CPPUNIT_ASSERT_EQUAL(std::string("captrack: snapshot \"First\" published"),
                             s.scalar("SELECT subject" + where + std::to_string(first) + "'"));
        const std::string body = s.scalar("SELECT body" + where + std::to_string(first) + "'");
        CPPUNIT_ASSERT_MESSAGE(body, body.find("first snapshot") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(
            std::string("captrack: snapshot \"Second\" published: 1 health changes, 0 milestones newly overdue "
                        "since \"First\""),
            s.scalar("SELECT subject" + where + std::to_string(second) + "'"));
        const std::string changes = s.scalar("SELECT body" + where + std::to_string(second) + "'");
        CPPUNIT_ASSERT_MESSAGE(changes, changes.find("| P-1 | One | green | red |") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(changes, changes.find("https://captrack.example.org/#/snapshots") != std::string::npos);
    }

    void testEachSnapshotIsAWebhookEventOfItsTransaction()
    {
        auto& s = *_pServer;
        // One endpoint for snapshots, one narrowed to a project (which a snapshot, of no project, skips).
        s.create(API + "/webhooks", R"({"url": "http://127.0.0.1:9/all", "secret": "0123456789abcdef-all",
            "events": ["snapshot.published"]})");
        s.create(API + "/webhooks", R"({"url": "http://127.0.0.1:9/one", "secret": "0123456789abcdef-one",
            "events": ["snapshot.published"], "project_id": )" +
                                        std::to_string(_project) + "}");
        s.signIn("rev");
        s.post(SNAPSHOTS, R"({"name": "First"})");
        s.post(SNAPSHOTS, R"({"name": "Second"})");
        expectProblem("a refused publication", 409, s.post(SNAPSHOTS, R"({"name": "Second"})"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), s.count("webhook_outbox WHERE event = 'snapshot.published'"));
        const std::string data = s.scalar("SELECT data FROM webhook_outbox WHERE event = 'snapshot.published' "
                                          "ORDER BY id DESC LIMIT 1");
        CPPUNIT_ASSERT_MESSAGE(data, data.find("\"name\":\"Second\"") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(data, data.find("\"since\":\"First\"") != std::string::npos);
    }

private:
    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _reviewer = 0, _project = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SnapshotNewsTest);
