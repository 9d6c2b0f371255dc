#include "TestDatabase.h"
#include "captrack/Errors.h"
#include "captrack/app/Seeder.h"
#include "captrack/domain/Clock.h"
#include "captrack/storage/Migrator.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/Session.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace captrack;
using namespace Poco::Data::Keywords;

namespace
{
/// Lets two threads wait for each other once.
class Rendezvous
{
public:
    void arriveAndWait()
    {
        std::unique_lock<std::mutex> lock(_mutex);
        if (++_arrived >= 2)
            _ready.notify_all();
        _ready.wait_for(lock, std::chrono::seconds(5), [this] { return _arrived >= 2; });
    }

private:
    std::mutex _mutex;
    std::condition_variable _ready;
    int _arrived = 0;
};
} // namespace

/// A transaction the database aborts for a deadlock (or, on Galera, a certification conflict) runs again
/// as a whole; several servers starting at once on an empty database apply each migration exactly once
/// and store each reference record once.
class TransactionRetryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TransactionRetryTest);
    CPPUNIT_TEST(testDeadlockedTransactionRunsAgainAndBothCommit);
    CPPUNIT_TEST(testOtherErrorsAreNotRetried);
    CPPUNIT_TEST(testServersMigratingAtOnceApplyEachFileOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDeadlockedTransactionRunsAgainAndBothCommit()
    {
        test::TestDatabase db(true);
        auto& database = db.database();
        {
            auto pLease = database.lease();
            pLease->session() << "CREATE TABLE crossing (id INTEGER NOT NULL PRIMARY KEY, value BIGINT NOT NULL)", now;
            pLease->session() << "INSERT INTO crossing (id, value) VALUES (1, 0), (2, 0)", now;
        }
        std::atomic<int> runs{0};
        Rendezvous bothLocked;
        // Each thread locks one row, waits until the other holds the other row, then wants it: on MariaDB
        // one of them is chosen as the deadlock victim. SQLite serialises writers, so nobody waits there.
        const auto crossing = [&](int first, int second) {
            storage::inTransaction(database, [&](storage::Transaction& txn) {
                const bool firstRun = runs.fetch_add(1) < 2;
                txn.session() << "UPDATE crossing SET value = value + 1 WHERE id = ?", bind(first), now;
                if (firstRun && !db.isMySql())
                    return;
                if (firstRun)
                    bothLocked.arriveAndWait();
                txn.session() << "UPDATE crossing SET value = value + 1 WHERE id = ?", bind(second), now;
            });
        };
        std::thread one(crossing, 1, 2), two(crossing, 2, 1);
        one.join();
        two.join();
        Poco::Int64 total = 0;
        auto pLease = database.lease();
        pLease->session() << "SELECT SUM(value) FROM crossing", into(total), now;
        if (db.isMySql())
        {
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(4), total); // both transactions whole, once each
            CPPUNIT_ASSERT(runs.load() >= 3);            // the victim ran again
        }
        else
        {
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), total);
        }
    }

    void testOtherErrorsAreNotRetried()
    {
        test::TestDatabase db;
        int runs = 0;
        CPPUNIT_ASSERT_THROW(storage::inTransaction(db.database(),
                                                    [&](storage::Transaction&) {
                                                        ++runs;
                                                        throw ConflictError("a duplicate code");
                                                    }),
                             ConflictError);
        CPPUNIT_ASSERT_EQUAL(1, runs);
        // A database error that is no conflict (here a duplicate key) is not run again either: the check
        // above throws no database error at all, so a retry of every database error would pass it.
        {
            auto pLease = db.database().lease();
            pLease->session() << "CREATE TABLE retry_probe (id INTEGER NOT NULL PRIMARY KEY)", now;
        }
        int inserts = 0;
        CPPUNIT_ASSERT_THROW(storage::inTransaction(db.database(),
                                                    [&](storage::Transaction& txn) {
                                                        ++inserts;
                                                        txn.session() << "INSERT INTO retry_probe (id) VALUES (1)", now;
                                                        txn.session() << "INSERT INTO retry_probe (id) VALUES (1)", now;
                                                    }),
                             Poco::Data::DataException);
        CPPUNIT_ASSERT_EQUAL(1, inserts);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), countProbeRows(db));
    }

    void testServersMigratingAtOnceApplyEachFileOnce()
    {
        test::TestDatabase db(true, false);
        const auto url = storage::DatabaseUrl::parse(db.url());
        const domain::FixedClock clock(Poco::Timestamp(1800000000LL * Poco::Timestamp::resolution()));
        std::atomic<int> failures{0};
        std::mutex appliedMutex;
        std::vector<std::string> appliedByAll;
        std::vector<std::thread> servers;
        for (int i = 0; i < 4; ++i)
            servers.emplace_back([&] {
                try
                {
                    storage::Database own(url, 2);
                    const auto applied = storage::Migrator(own, test::TestDatabase::sqlRoot()).migrate();
                    // and, as `captrack serve` does next, the reference data: each code stored once
                    (void)app::Seeder(own, clock, test::TestDatabase::sqlRoot() + "/seed").loadReference();
                    std::lock_guard<std::mutex> guard(appliedMutex);
                    appliedByAll.insert(appliedByAll.end(), applied.begin(), applied.end());
                }
                catch (const Poco::Exception&)
                {
                    ++failures;
                }
            });
        for (auto& server : servers)
            server.join();
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        const auto files = storage::Migrator(db.database(), test::TestDatabase::sqlRoot()).available();
        CPPUNIT_ASSERT_EQUAL(files.size(), appliedByAll.size());
        CPPUNIT_ASSERT_EQUAL(files.size(), std::set<std::string>(appliedByAll.begin(), appliedByAll.end()).size());
        Poco::Int64 recorded = 0;
        auto pLease = db.database().lease();
        pLease->session() << "SELECT COUNT(*) FROM schema_migrations", into(recorded), now;
        CPPUNIT_ASSERT_EQUAL(static_cast<Poco::Int64>(files.size()), recorded);
        const auto again = app::Seeder(db.database(), clock, test::TestDatabase::sqlRoot() + "/seed").loadReference();
        CPPUNIT_ASSERT_EQUAL(0, again.created);
        CPPUNIT_ASSERT(again.skipped > 0);
    }

private:
    static std::string countProbeRows(test::TestDatabase& db)
    {
        Poco::Int64 rows = -1;
        auto pLease = db.database().lease();
        pLease->session() << "SELECT COUNT(*) FROM retry_probe", into(rows), now;
        return std::to_string(rows);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TransactionRetryTest);
