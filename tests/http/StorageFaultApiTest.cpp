#include "HttpTestServer.h"
#include "captrack/storage/Database.h"

#include <Poco/Data/Session.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <vector>

using captrack::test::HttpResult;
using captrack::test::HttpTestServer;
using namespace Poco::Data::Keywords;

namespace
{
/// Runs a statement on every session of the server's pool at once (per-connection settings).
void onEveryPooledSession(captrack::storage::Database& database, const std::string& sql)
{
    std::vector<std::unique_ptr<captrack::storage::SessionLease>> leases;
    for (int i = 0; i < 8; ++i)
        leases.push_back(database.lease());
    for (auto& pLease : leases)
        pLease->session() << sql, now;
}

void assertProblem(const HttpResult& result, int status)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, status, result.status);
    CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), result.contentType);
}
} // namespace

/// A database that is lost, full or busy is never a 500: 503 with Retry-After while it cannot serve
/// (and the pool replaces the dead sessions), 507 while it cannot store, and nothing half written.
class StorageFaultApiTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StorageFaultApiTest);
    CPPUNIT_TEST(testLostConnectionsAnswer503UntilReplaced);
    CPPUNIT_TEST(testFullDatabaseAnswers507AndKeepsReading);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pServer = std::make_unique<HttpTestServer>();
        _pServer->seedReference();
        _project = _pServer->create("/api/v1/projects", R"({"code": "SPS-2027-001", "title": "Sensor",
            "kind": "scientific", "objectives": ["SO1"]})");
    }
    void tearDown() override { _pServer.reset(); }

    /// MariaDB: every connection of the server's pool is killed (as a database restart or a failover
    /// does); each request then answers 200, or 503 with Retry-After, and the pool recovers at once.
    void testLostConnectionsAnswer503UntilReplaced()
    {
        auto& s = *_pServer;
        if (!s.db().isMySql())
            return; // SQLite has no connection to lose
        const std::string path = "/api/v1/projects/" + std::to_string(_project);
        onEveryPooledSession(s.db().database(), "SELECT 1"); // eight warm sessions
        killServerConnections();
        int unavailable = 0;
        for (int i = 0; i < 12; ++i)
        {
            const auto answer = s.get(path);
            if (answer.status == 503)
            {
                assertProblem(answer, 503);
                CPPUNIT_ASSERT(!answer.header("Retry-After").empty());
                ++unavailable;
                continue;
            }
            CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 200, answer.status);
        }
        CPPUNIT_ASSERT(unavailable <= 2); // the first failed check makes the pool check every idle session
        const auto patched = s.patch(path, R"({"title": "Sensor 2"})", 1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(patched.body, 200, patched.status);
    }

    /// SQLite at its size limit (max_page_count: the same SQLITE_FULL a full disk gives): 507 problem+json
    /// saying so, nothing of the refused write stored, reads on; writes succeed once there is room again.
    void testFullDatabaseAnswers507AndKeepsReading()
    {
        auto& s = *_pServer;
        if (s.db().isMySql())
            return; // the fault suite fills a real disk (tests/faults)
        auto& database = s.db().database();
        Poco::Int64 pages = 0;
        {
            auto pLease = database.lease();
            pLease->session() << "PRAGMA page_count", into(pages), now;
        }
        onEveryPooledSession(database, "PRAGMA max_page_count = " + std::to_string(pages + 4));
        const std::string milestones = "/api/v1/projects/" + std::to_string(_project) + "/milestones";
        const std::string longTitle(180, 'x');
        HttpResult refused;
        int created = 0;
        for (int i = 0; i < 2000; ++i)
        {
            refused = s.post(milestones,
                             R"({"title": ")" + longTitle + std::to_string(i) + R"(", "baseline_date": "2027-05-01"})");
            if (refused.status != 201)
                break;
            ++created;
        }
        assertProblem(refused, 507);
        CPPUNIT_ASSERT(refused.json()->getValue<std::string>("detail").find("out of space") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(created), s.count("milestones"));
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(created), s.count("audit_events WHERE entity = 'milestone'"));
        CPPUNIT_ASSERT_EQUAL(200, s.get(milestones).status);

        onEveryPooledSession(database, "PRAGMA max_page_count = 1073741823");
        const auto after = s.post(milestones, R"({"title": "Room again", "baseline_date": "2027-05-01"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(after.body, 201, after.status);
    }

private:
    void killServerConnections()
    {
        // A session of its own (a second pool) may see and kill the other connections of its user.
        captrack::storage::Database admin(captrack::storage::DatabaseUrl::parse(_pServer->db().url()), 1);
        auto pLease = admin.lease();
        std::vector<Poco::Int64> ids;
        pLease->session()
            << "SELECT id FROM information_schema.PROCESSLIST WHERE user = SUBSTRING_INDEX(USER(), '@', 1) "
               "AND id <> CONNECTION_ID()",
            into(ids), now;
        CPPUNIT_ASSERT(ids.size() >= 8);
        for (Poco::Int64 id : ids)
            pLease->session() << "KILL CONNECTION " + std::to_string(id), now;
    }

    std::unique_ptr<HttpTestServer> _pServer;
    Poco::Int64 _project = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StorageFaultApiTest);
