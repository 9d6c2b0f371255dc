#include "TestDatabase.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <sqlite3.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using namespace captrack;
using namespace Poco::Data::Keywords;

namespace
{
constexpr std::size_t WARM_SESSIONS = 6;

Poco::Int64 readValue(Poco::Data::Session& session)
{
    Poco::Int64 value = -1;
    session << "SELECT value FROM fresh_probe WHERE id = 1", into(value), now;
    return value;
}

void writeValue(storage::Database& database, Poco::Int64 value)
{
    storage::inTransaction(database, [&](storage::Transaction& txn) {
        txn.session() << "UPDATE fresh_probe SET value = ? WHERE id = 1", bind(value), now;
    });
}

/// True when the session has no transaction open (autocommit on, nothing running in InnoDB).
bool idleInAutocommit(storage::Database& database, Poco::Data::Session& session)
{
    if (database.dialect() == storage::Dialect::SQLite)
        return sqlite3_get_autocommit(Poco::Data::SQLite::Utility::dbHandle(session)) != 0;
    Poco::Int64 autocommit = 0, open = 1;
    session << "SELECT @@autocommit, @@in_transaction", into(autocommit), into(open), now;
    return autocommit == 1 && open == 0;
}

/// Leases `count` sessions at once (so every one of a warm pool is used) and hands each to `use`.
template <typename Use> void onEverySession(storage::Database& database, std::size_t count, Use use)
{
    std::vector<std::unique_ptr<storage::SessionLease>> leases;
    for (std::size_t i = 0; i < count; ++i)
        leases.push_back(database.lease());
    for (auto& pLease : leases)
        use(*pLease);
}
} // namespace

/// Every request reads the present: no pooled session keeps a transaction (and its old snapshot) open
/// after its unit of work, on SQLite and on MariaDB, whatever the unit of work did.
class FreshReadTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FreshReadTest);
    CPPUNIT_TEST(testWarmPoolReadsEveryAcknowledgedWrite);
    CPPUNIT_TEST(testNoSessionReturnsWithATransactionOpen);
    CPPUNIT_TEST(testConcurrentReadersNeverSeeOlderThanAcknowledged);
    CPPUNIT_TEST(testAnotherServersWriteIsSeenByTheNextRead);
    CPPUNIT_TEST(testSnapshotReadsOneMomentAndEnds);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pDb = std::make_unique<test::TestDatabase>(true);
        auto pLease = _pDb->database().lease();
        pLease->session() << "CREATE TABLE fresh_probe (id INTEGER NOT NULL PRIMARY KEY, value BIGINT NOT NULL)", now;
        pLease->session() << "INSERT INTO fresh_probe (id, value) VALUES (1, 0)", now;
    }

    void tearDown() override { _pDb.reset(); }

    void testWarmPoolReadsEveryAcknowledgedWrite()
    {
        auto& database = _pDb->database();
        // Each session writes once and reads once: the pattern that left MySQL sessions in an old snapshot.
        onEverySession(database, WARM_SESSIONS, [](storage::SessionLease& lease) {
            lease.begin(storage::TransactionKind::Write);
            lease.commit();
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), readValue(lease.session()));
        });
        for (Poco::Int64 value = 1; value <= 5; ++value)
        {
            writeValue(database, value);
            onEverySession(database, WARM_SESSIONS, [&](storage::SessionLease& lease) {
                CPPUNIT_ASSERT_EQUAL(value, readValue(lease.session()));
            });
        }
    }

    void testNoSessionReturnsWithATransactionOpen()
    {
        auto& database = _pDb->database();
        try
        {
            storage::inTransaction(database, [](storage::Transaction& txn) {
                txn.session() << "UPDATE fresh_probe SET value = 99 WHERE id = 1", now;
                throw Poco::RuntimeException("the work failed half way");
            });
            CPPUNIT_FAIL("the work's exception must reach the caller");
        }
        catch (const Poco::RuntimeException&)
        {
        }
        {
            auto pLease = database.lease();
            pLease->begin(storage::TransactionKind::Snapshot);
            (void)readValue(pLease->session()); // and the lease ends without commit or rollback
        }
        onEverySession(database, WARM_SESSIONS, [&](storage::SessionLease& lease) {
            CPPUNIT_ASSERT(idleInAutocommit(database, lease.session()));
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), readValue(lease.session()));
        });
    }

    void testConcurrentReadersNeverSeeOlderThanAcknowledged()
    {
        auto& database = _pDb->database();
        std::atomic<Poco::Int64> acknowledged{0};
        std::atomic<bool> done{false};
        std::atomic<int> stale{0}, reads{0};
        std::vector<std::thread> readers;
        for (int i = 0; i < 4; ++i)
            readers.emplace_back([&] {
                while (!done)
                {
                    const Poco::Int64 floor = acknowledged.load();
                    auto pLease = database.lease();
                    if (readValue(pLease->session()) < floor)
                        ++stale;
                    ++reads;
                }
            });
        for (Poco::Int64 value = 1; value <= 200; ++value)
        {
            writeValue(database, value);
            acknowledged = value;
        }
        done = true;
        for (auto& reader : readers)
            reader.join();
        CPPUNIT_ASSERT(reads > 0);
        CPPUNIT_ASSERT_EQUAL(0, stale.load());
    }

    void testAnotherServersWriteIsSeenByTheNextRead()
    {
        auto& database = _pDb->database();
        onEverySession(database, WARM_SESSIONS, [](storage::SessionLease& lease) { (void)readValue(lease.session()); });
        // A second pool on the same database: another server, or the command line.
        storage::Database other(storage::DatabaseUrl::parse(_pDb->url()), 2);
        for (Poco::Int64 value = 10; value < 13; ++value)
        {
            writeValue(other, value);
            onEverySession(database, WARM_SESSIONS, [&](storage::SessionLease& lease) {
                CPPUNIT_ASSERT_EQUAL(value, readValue(lease.session()));
            });
        }
    }

    void testSnapshotReadsOneMomentAndEnds()
    {
        auto& database = _pDb->database();
        {
            auto pLease = database.lease();
            pLease->begin(storage::TransactionKind::Snapshot);
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), readValue(pLease->session()));
            writeValue(database, 7); // committed by another session while the snapshot is open
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(0), readValue(pLease->session()));
            pLease->commit();
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(7), readValue(pLease->session()));
        }
        onEverySession(database, WARM_SESSIONS, [&](storage::SessionLease& lease) {
            CPPUNIT_ASSERT(idleInAutocommit(database, lease.session()));
        });
    }

private:
    std::unique_ptr<test::TestDatabase> _pDb;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FreshReadTest);
