#include "captrack/service/Webhooks.h"

#include <cppunit/extensions/HelperMacros.h>

using captrack::service::WebhookOptions;
using captrack::service::Webhooks;

/// The parts of a delivery that need no database: the signature, the body, the backoff.
class WebhooksTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WebhooksTest);
    CPPUNIT_TEST(testSignatureIsHmacSha256OfTimestampDotBody);
    CPPUNIT_TEST(testBodyCarriesTheRowAndItsData);
    CPPUNIT_TEST(testBackoffDoublesUpToTheCap);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSignatureIsHmacSha256OfTimestampDotBody()
    {
        // Python: hmac.new(b"Jefe", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
        CPPUNIT_ASSERT_EQUAL(std::string("sha256=fa5f6481efc59da48b19c9dc10196c9953e5651f8304b3a318b6b87d70272e0a"),
                             Webhooks::signature("Jefe", "1700000000", R"({"a":1})"));
        CPPUNIT_ASSERT(Webhooks::signature("Jefe", "1700000001", R"({"a":1})") !=
                       Webhooks::signature("Jefe", "1700000000", R"({"a":1})"));
    }

    void testBodyCarriesTheRowAndItsData()
    {
        captrack::storage::WebhookDeliveryJob job;
        job.id = 42;
        job.event = "milestone.changed";
        job.action = "update";
        job.projectId = 7;
        job.data = R"({"id":3,"title":"Trial \"B\""})";
        job.occurredAt = "2027-03-01T10:00:00Z";
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"id":42,"event":"milestone.changed","action":"update",)"
                                         R"("occurred_at":"2027-03-01T10:00:00Z","project_id":7,)"
                                         R"("data":{"id":3,"title":"Trial \"B\""}})"),
                             Webhooks::body(job));
        job.projectId.reset();
        CPPUNIT_ASSERT(Webhooks::body(job).find(R"("project_id":null)") != std::string::npos);
    }

    void testBackoffDoublesUpToTheCap()
    {
        const WebhookOptions options; // 10 s, capped at an hour
        const std::pair<int, long> cases[] = {{1, 10}, {2, 20}, {3, 40}, {4, 80}, {9, 2560}, {10, 3600}, {60, 3600}};
        for (const auto& [attempts, seconds] : cases)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(attempts), seconds,
                                         Webhooks::retryDelaySeconds(attempts, options));
        WebhookOptions small;
        small.retryBaseSeconds = 1;
        small.retryCapSeconds = 2;
        CPPUNIT_ASSERT_EQUAL(2L, Webhooks::retryDelaySeconds(5, small));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhooksTest);
