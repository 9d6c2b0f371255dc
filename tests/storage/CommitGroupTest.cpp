#include "TestDatabase.h"
#include "captrack/Errors.h"
#include "captrack/storage/StorageFault.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/Session.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <vector>

using namespace captrack;
using namespace Poco::Data::Keywords;

namespace
{
using Work = std::function<void(storage::Transaction&)>;

void createTables(storage::Database& database)
{
    const std::string text = database.dialect() == storage::Dialect::MySQL ? "LONGTEXT" : "TEXT";
    auto pLease = database.lease();
    for (const char* table : {"grouped", "grouped_audit"})
        pLease->session() << std::string("CREATE TABLE ") + table +
                                 " (id BIGINT NOT NULL PRIMARY KEY, writer BIGINT NOT NULL, payload " + text +
                                 " NOT NULL)",
            now;
}

/// One write as a service makes it: the change and its audit row, in one transaction.
void insertRow(storage::Transaction& txn, Poco::Int64 id, Poco::Int64 writer, const std::string& payload = "x")
{
    txn.session() << "INSERT INTO grouped (id, writer, payload) VALUES (?, ?, ?)", bind(id), bind(writer),
        bind(payload), now;
    txn.session() << "INSERT INTO grouped_audit (id, writer, payload) VALUES (?, ?, 'audit')", bind(id), bind(writer),
        now;
}

std::set<Poco::Int64> storedIds(storage::Database& database, const std::string& table = "grouped")
{
    std::vector<Poco::Int64> ids;
    auto pLease = database.lease();
    pLease->session() << "SELECT id FROM " + table, into(ids), now;
    return {ids.begin(), ids.end()};
}

/// How a write ended: acknowledged, or the storage fault (or other error) it failed with.
struct Outcome
{
    bool acknowledged = false;
    storage::StorageFault fault = storage::StorageFault::None;
    std::string error;
};

Outcome attempt(storage::Database& database, const Work& work)
{
    Outcome outcome;
    try
    {
        storage::inTransaction(database, work);
        outcome.acknowledged = true;
    }
    catch (const Poco::Exception& e)
    {
        outcome.fault = storage::classifyStorageError(e);
        outcome.error = e.displayText();
    }
    return outcome;
}

/// Runs writes in the order given, each on a thread of its own, so that they share one commit group on
/// SQLite: each write holds its turn, before its work runs, until the next writer waits for one
/// (Database::writeCounts().waiting), so each joins the group of the writers before it, and the last
/// commits it. On MySQL they just run one after another's start.
std::vector<Outcome> runAsOneGroup(storage::Database& database, const std::vector<Work>& works)
{
    const std::size_t count = works.size();
    std::vector<Outcome> outcomes(count);
    const auto started = std::make_unique<std::atomic<bool>[]>(count);
    const bool sqlite = database.dialect() == storage::Dialect::SQLite;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const auto waitUntil = [&](const std::function<bool()>& condition) {
        while (!condition() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
    };
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < count; ++i)
        threads.emplace_back([&, i] {
            if (i > 0)
                waitUntil([&] { return started[i - 1].load(); });
            outcomes[i] = attempt(database, [&](storage::Transaction& txn) {
                started[i] = true;
                if (sqlite && i + 1 < count)
                    waitUntil([&] { return database.writeCounts().waiting > 0; });
                works[i](txn);
            });
            started[i] = true; // also when the transaction did not begin: the next one goes on
        });
    for (auto& thread : threads)
        thread.join();
    return outcomes;
}

/// Lowers this process's file size limit (RLIMIT_FSIZE) for as long as it lives: a write past it fails
/// with EFBIG, which SQLite reports as an I/O error, as it would a failing disk. SIGXFSZ is ignored
/// meanwhile (it would end the process).
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        ::getrlimit(RLIMIT_FSIZE, &_before);
        _previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lowered = _before;
        lowered.rlim_cur = bytes;
        CPPUNIT_ASSERT_EQUAL(0, ::setrlimit(RLIMIT_FSIZE, &lowered));
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &_before);
        std::signal(SIGXFSZ, _previousHandler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    rlimit _before{};
    void (*_previousHandler)(int) = SIG_DFL;
};

/// Empties the WAL file (all of it copied into the database), so that the next COMMIT writes it from
/// its first byte.
void emptyWal(storage::Database& database)
{
    int busy = -1, frames = -1, copied = -1;
    auto pLease = database.lease();
    pLease->session() << "PRAGMA wal_checkpoint(TRUNCATE)", into(busy), into(frames), into(copied), now;
    CPPUNIT_ASSERT_EQUAL(0, busy);
}

constexpr rlim_t WAL_LIMIT = 64 * 1024;
const std::string BIGGER_THAN_WAL_LIMIT(3 * WAL_LIMIT, 'w');
} // namespace

/// Issue 12: on SQLite the writers waiting for the write lock together share one COMMIT (one fsync),
/// each in a savepoint of its own; every write is still acknowledged only once the COMMIT holding it
/// has returned, a failing writer takes nothing of the others with it, and a failing COMMIT fails
/// every writer of its group. docs/STORAGE.md "Write transactions". The same writes run on MariaDB,
/// without the SQLite-only counts and faults.
class CommitGroupTest : public CppUnit::TestFixture
{
    static constexpr int ATTEMPTS = 5;

    CPPUNIT_TEST_SUITE(CommitGroupTest);
    CPPUNIT_TEST(testConcurrentWritesAreAllStoredWithFewerCommitsThanWrites);
    CPPUNIT_TEST(testWritersQueuedTogetherShareOneCommit);
    CPPUNIT_TEST(testFailingWriterLeavesNothingAndTheOthersCommit);
    CPPUNIT_TEST(testFailingFirstWriterLeavesNothingAndTheOthersCommit);
    CPPUNIT_TEST(testDeferredForeignKeysAreCheckedForEachWriter);
    CPPUNIT_TEST(testFailedCommitFailsEveryWriterOfItsGroup);
    CPPUNIT_TEST(testWorkThatReadChangesOfAFailedGroupRunsAgain);
    CPPUNIT_TEST(testTransactionInsideATransactionIsRefused);
    CPPUNIT_TEST(testMemoryDatabaseServesWritersAndReaders);
    CPPUNIT_TEST_SUITE_END();

public:
    void testConcurrentWritesAreAllStoredWithFewerCommitsThanWrites()
    {
        test::TestDatabase db(true);
        createTables(db.database());
        constexpr int WRITERS = 16, WRITES = 40;
        std::vector<std::vector<Poco::Int64>> acknowledged(WRITERS);
        std::atomic<int> failures{0};
        storage::Database::WriteCounts counts;
        {
            // A database of its own, closed before the check: the rows must be in the file.
            storage::Database writer(storage::DatabaseUrl::parse(db.url()), 32);
            std::vector<std::thread> threads;
            for (int w = 0; w < WRITERS; ++w)
                threads.emplace_back([&, w] {
                    for (int i = 0; i < WRITES; ++i)
                    {
                        const Poco::Int64 id = w * 1000 + i;
                        if (attempt(writer, [&](storage::Transaction& txn) { insertRow(txn, id, w); }).acknowledged)
                            acknowledged[w].push_back(id);
                        else
                            ++failures;
                    }
                });
            for (auto& thread : threads)
                thread.join();
            counts = writer.writeCounts();
        }
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        storage::Database reopened(storage::DatabaseUrl::parse(db.url()), 2);
        const auto rows = storedIds(reopened), audits = storedIds(reopened, "grouped_audit");
        CPPUNIT_ASSERT_EQUAL(std::size_t(WRITERS * WRITES), rows.size());
        for (const auto& ids : acknowledged)
            for (const Poco::Int64 id : ids)
                CPPUNIT_ASSERT(rows.count(id) == 1 && audits.count(id) == 1);
        if (db.isMySql())
            return;
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(WRITERS * WRITES), counts.transactions);
        CPPUNIT_ASSERT_MESSAGE("commits " + std::to_string(counts.commits) + " for " +
                                   std::to_string(counts.transactions) + " writes",
                               counts.commits > 0 && counts.commits < counts.transactions);
    }

    void testWritersQueuedTogetherShareOneCommit()
    {
        // A group stays open for CommitQueue::MAX_OPEN (20 ms) at most: on a machine too loaded to run the
        // four writers within it, they commit in more groups. Each attempt either shows them grouped or
        // is not a test of grouping at all; five attempts in a row that never group fail.
        for (int attempt = 1; attempt <= ATTEMPTS; ++attempt)
            if (fourWritersShareOneCommit(attempt == ATTEMPTS))
                return;
    }

    /// True when the four queued writers shared one COMMIT; false (or a failure, when `last`) otherwise.
    bool fourWritersShareOneCommit(bool last)
    {
        test::TestDatabase db(true);
        auto& database = db.database();
        createTables(database);
        // Alone, a writer commits at once: one COMMIT for one write.
        CPPUNIT_ASSERT(attempt(database, [](storage::Transaction& txn) { insertRow(txn, 1, 0); }).acknowledged);
        const auto alone = database.writeCounts();
        std::vector<Work> works;
        for (Poco::Int64 w = 1; w <= 4; ++w)
            works.push_back([w](storage::Transaction& txn) { insertRow(txn, 100 + w, w); });
        for (const auto& outcome : runAsOneGroup(database, works))
            CPPUNIT_ASSERT_MESSAGE(outcome.error, outcome.acknowledged);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), storedIds(database).size());
        if (db.isMySql())
            return true;
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), alone.commits);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), alone.transactions);
        const auto together = database.writeCounts();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), together.transactions);
        if (together.commits != 2 && !last)
            return false;
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), together.commits); // the four writers' one COMMIT
        return true;
    }

    void testFailingWriterLeavesNothingAndTheOthersCommit()
    {
        test::TestDatabase db(true);
        auto& database = db.database();
        createTables(database);
        int failingRuns = 0;
        const std::vector<Work> works{
            [](storage::Transaction& txn) { insertRow(txn, 1, 1); },
            [&](storage::Transaction& txn) {
                ++failingRuns;
                insertRow(txn, 2, 2);
                insertRow(txn, 1, 2); // the first writer's id: a duplicate key
            },
            [](storage::Transaction& txn) { insertRow(txn, 3, 3); },
        };
        const auto outcomes = runAsOneGroup(database, works);
        CPPUNIT_ASSERT_MESSAGE(outcomes[0].error, outcomes[0].acknowledged);
        CPPUNIT_ASSERT(!outcomes[1].acknowledged);
        CPPUNIT_ASSERT(outcomes[1].fault == storage::StorageFault::None); // the constraint, as thrown
        CPPUNIT_ASSERT_MESSAGE(outcomes[2].error, outcomes[2].acknowledged);
        CPPUNIT_ASSERT_EQUAL(1, failingRuns);
        CPPUNIT_ASSERT((std::set<Poco::Int64>{1, 3}) == storedIds(database));
        CPPUNIT_ASSERT((std::set<Poco::Int64>{1, 3}) == storedIds(database, "grouped_audit"));
        if (!db.isMySql())
            CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), database.writeCounts().commits);
    }

    void testFailingFirstWriterLeavesNothingAndTheOthersCommit()
    {
        test::TestDatabase db(true);
        auto& database = db.database();
        createTables(database);
        // The first member of a group runs in the transaction itself, without a savepoint: its failure
        // rolls the transaction back, and the writers waiting begin another.
        const std::vector<Work> works{
            [](storage::Transaction& txn) {
                insertRow(txn, 1, 1);
                throw ConflictError("refused after writing");
            },
            [](storage::Transaction& txn) { insertRow(txn, 2, 2); },
            [](storage::Transaction& txn) { insertRow(txn, 3, 3); },
        };
        const auto outcomes = runAsOneGroup(database, works);
        CPPUNIT_ASSERT(!outcomes[0].acknowledged);
        CPPUNIT_ASSERT_MESSAGE(outcomes[1].error, outcomes[1].acknowledged);
        CPPUNIT_ASSERT_MESSAGE(outcomes[2].error, outcomes[2].acknowledged);
        CPPUNIT_ASSERT((std::set<Poco::Int64>{2, 3}) == storedIds(database));
        CPPUNIT_ASSERT((std::set<Poco::Int64>{2, 3}) == storedIds(database, "grouped_audit"));
        if (!db.isMySql())
            CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), database.writeCounts().commits);
    }

    void testDeferredForeignKeysAreCheckedForEachWriter()
    {
        test::TestDatabase db(true);
        if (db.isMySql())
            return; // PRAGMA defer_foreign_keys is SQLite's (a restore sets it)
        auto& database = db.database();
        createTables(database);
        {
            auto pLease = database.lease();
            pLease->session() << "CREATE TABLE grouped_child (id BIGINT NOT NULL PRIMARY KEY, "
                                 "parent_id BIGINT NOT NULL REFERENCES grouped (id))",
                now;
        }
        bool refusedAtOnce = false;
        const std::vector<Work> works{
            [](storage::Transaction& txn) { insertRow(txn, 1, 1); },
            [](storage::Transaction& txn) {
                // Its own COMMIT would refuse the dangling reference: so does the end of its part.
                txn.session() << "PRAGMA defer_foreign_keys = ON", now;
                txn.session() << "INSERT INTO grouped_child (id, parent_id) VALUES (1, 99)", now;
            },
            [&](storage::Transaction& txn) {
                // The deferral ended with the previous writer's part: this statement is refused at once.
                try
                {
                    txn.session() << "INSERT INTO grouped_child (id, parent_id) VALUES (2, 98)", now;
                }
                catch (const Poco::Data::DataException&)
                {
                    refusedAtOnce = true;
                }
                insertRow(txn, 3, 3);
            },
        };
        const auto outcomes = runAsOneGroup(database, works);
        CPPUNIT_ASSERT_MESSAGE(outcomes[0].error, outcomes[0].acknowledged);
        CPPUNIT_ASSERT(!outcomes[1].acknowledged);
        CPPUNIT_ASSERT_MESSAGE(outcomes[1].error, outcomes[1].error.find("FOREIGN KEY") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(outcomes[2].error, outcomes[2].acknowledged);
        CPPUNIT_ASSERT(refusedAtOnce);
        CPPUNIT_ASSERT((std::set<Poco::Int64>{1, 3}) == storedIds(database));
        CPPUNIT_ASSERT(storedIds(database, "grouped_child").empty());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), database.writeCounts().commits);
    }

    void testFailedCommitFailsEveryWriterOfItsGroup()
    {
        test::TestDatabase db(true);
        if (db.isMySql())
            return; // a SQLite COMMIT's fault; MariaDB's are the fault suite's (tests/faults)
        auto& database = db.database();
        createTables(database);
        emptyWal(database);
        std::vector<Work> works;
        for (Poco::Int64 w = 1; w <= 3; ++w)
            works.push_back([w](storage::Transaction& txn) { insertRow(txn, w, w, BIGGER_THAN_WAL_LIMIT); });
        std::vector<Outcome> outcomes;
        {
            const FileSizeLimit limit(WAL_LIMIT);
            outcomes = runAsOneGroup(database, works);
        }
        for (const auto& outcome : outcomes)
        {
            CPPUNIT_ASSERT(!outcome.acknowledged);
            // a 507 for the client: "the database refuses writes", nothing saved
            CPPUNIT_ASSERT_MESSAGE(outcome.error, outcome.fault == storage::StorageFault::ReadOnly ||
                                                      outcome.fault == storage::StorageFault::Full);
        }
        CPPUNIT_ASSERT(storedIds(database).empty());
        CPPUNIT_ASSERT(storedIds(database, "grouped_audit").empty());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), database.writeCounts().commits); // the one that failed
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), database.writeCounts().transactions);
        // The writers go on once the file system takes writes again.
        CPPUNIT_ASSERT(attempt(database, [](storage::Transaction& txn) { insertRow(txn, 9, 9); }).acknowledged);
        CPPUNIT_ASSERT((std::set<Poco::Int64>{9}) == storedIds(database));
        std::string integrity;
        auto pLease = database.lease();
        pLease->session() << "PRAGMA integrity_check", into(integrity), now;
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), integrity);
    }

    void testWorkThatReadChangesOfAFailedGroupRunsAgain()
    {
        // As testWritersQueuedTogetherShareOneCommit: an attempt whose two writers did not share a group
        // (a loaded machine) tests nothing; five in a row fail.
        for (int attempt = 1; attempt <= ATTEMPTS; ++attempt)
            if (workRunsAgainAfterItsGroupFailed(attempt == ATTEMPTS))
                return;
    }

    bool workRunsAgainAfterItsGroupFailed(bool last)
    {
        test::TestDatabase db(true);
        if (db.isMySql())
            return true;
        auto& database = db.database();
        createTables(database);
        emptyWal(database);
        int runs = 0;
        const std::vector<Work> works{
            [](storage::Transaction& txn) { insertRow(txn, 1, 1, BIGGER_THAN_WAL_LIMIT); },
            [&](storage::Transaction& txn) {
                ++runs;
                // A refusal based on the first writer's change, which its group then fails to commit: the
                // refusal is not to be believed, and the work runs again, on what was committed.
                if (storedCount(txn, 1) > 0)
                    throw ConflictError("row 1 exists");
                insertRow(txn, 2, 2);
            },
        };
        std::vector<Outcome> outcomes;
        {
            // A small COMMIT fits below the limit: the second run's is stored.
            const FileSizeLimit limit(WAL_LIMIT);
            outcomes = runAsOneGroup(database, works);
        }
        CPPUNIT_ASSERT(!outcomes[0].acknowledged);
        CPPUNIT_ASSERT(outcomes[0].fault == storage::StorageFault::ReadOnly ||
                       outcomes[0].fault == storage::StorageFault::Full);
        CPPUNIT_ASSERT_MESSAGE(outcomes[1].error, outcomes[1].acknowledged);
        CPPUNIT_ASSERT((std::set<Poco::Int64>{2}) == storedIds(database));
        if (runs == 1 && !last)
            return false; // the second writer ran in a group of its own: nothing to run again
        CPPUNIT_ASSERT_EQUAL(2, runs);
        return true;
    }

    void testTransactionInsideATransactionIsRefused()
    {
        test::TestDatabase db(true);
        if (db.isMySql())
            return; // each transaction has a session of its own there
        createTables(db.database());
        // It would wait for its own thread's turn forever.
        CPPUNIT_ASSERT_THROW(storage::inTransaction(db.database(),
                                                    [&](storage::Transaction& txn) {
                                                        insertRow(txn, 1, 1);
                                                        storage::inTransaction(db.database(),
                                                                               [](storage::Transaction&) {});
                                                    }),
                             Poco::IllegalStateException);
        CPPUNIT_ASSERT(storedIds(db.database()).empty());
        CPPUNIT_ASSERT(attempt(db.database(), [](storage::Transaction& txn) { insertRow(txn, 2, 2); }).acknowledged);
    }

    void testMemoryDatabaseServesWritersAndReaders()
    {
        // SQLite `:memory:` has one session: the group's, while it is open; readers wait for it.
        test::TestDatabase db;
        auto& database = db.database();
        createTables(database);
        constexpr int WRITERS = 4, READERS = 2, ROUNDS = 25;
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int w = 0; w < WRITERS; ++w)
            threads.emplace_back([&, w] {
                for (int i = 0; i < ROUNDS; ++i)
                {
                    const auto write = [&](storage::Transaction& txn) { insertRow(txn, w * 100 + i, w); };
                    if (!attempt(database, write).acknowledged)
                        ++failures;
                }
            });
        for (int r = 0; r < READERS; ++r)
            threads.emplace_back([&] {
                for (int i = 0; i < ROUNDS; ++i)
                    (void)storedIds(database);
            });
        for (auto& thread : threads)
            thread.join();
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(WRITERS * ROUNDS), storedIds(database).size());
    }

private:
    static Poco::Int64 storedCount(storage::Transaction& txn, Poco::Int64 id)
    {
        Poco::Int64 count = 0;
        txn.session() << "SELECT COUNT(*) FROM grouped WHERE id = ?", bind(id), into(count), now;
        return count;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CommitGroupTest);
