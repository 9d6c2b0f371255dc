#include "Query.h"
#include "StatementCache.h"
#include "TestDatabase.h"
#include "captrack/storage/RecordStore.h"

#include <Poco/Data/DataException.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack;
using storage::Query;

/// The prepared statements of the hot paths (src/storage/Query.h): every kind of value goes in and comes
/// back unchanged, through the session's cache or without one, nested, past the cache's capacity, and a
/// failing statement throws the connector's exception (classified as before) and leaves the statement
/// usable.
class QueryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(QueryTest);
    CPPUNIT_TEST(testValuesRoundTrip);
    CPPUNIT_TEST(testStatementsArePreparedOncePerSession);
    CPPUNIT_TEST(testNestedUseOfOneStatement);
    CPPUNIT_TEST(testCacheStaysWithinItsCapacity);
    CPPUNIT_TEST(testFailuresAreTheConnectorsAndLeaveTheStatementUsable);
    CPPUNIT_TEST(testAFailedStatementIsPreparedAgain);
    CPPUNIT_TEST(testSessionOutsideThePool);
    CPPUNIT_TEST(testStreamedRowsLeftUnreadDoNotBlockTheSession);
    CPPUNIT_TEST(testNumbersReadAsTheyAreAskedFor);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _pDb = std::make_unique<test::TestDatabase>();
        auto pLease = _pDb->database().lease();
        Query(pLease->session(), "CREATE TABLE query_probe (id BIGINT NOT NULL PRIMARY KEY, n BIGINT NULL, "
                                 "r DOUBLE NULL, s TEXT NULL)")
            .run();
    }

    void tearDown() override
    {
        {
            auto pLease = _pDb->database().lease();
            Query(pLease->session(), "DROP TABLE query_probe").run();
        }
        _pDb.reset();
    }

    void testValuesRoundTrip()
    {
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        // Longer than a MariaDB column buffer's first 256 bytes, with 2-, 3- and 4-byte UTF-8.
        std::string longText;
        for (int i = 0; i < 300; ++i)
            longText += "é€😀";
        const Poco::Int64 big = 9007199254740993; // not a double
        CPPUNIT_ASSERT_EQUAL(Poco::UInt64(1),
                             Query(session, "INSERT INTO query_probe (id, n, r, s) VALUES (?, ?, ?, ?)")
                                 .bind(Poco::Int64(1))
                                 .bind(big)
                                 .bind(-2.5)
                                 .bind(longText)
                                 .run());
        Query(session, "INSERT INTO query_probe (id, n, r, s) VALUES (?, ?, ?, ?)")
            .bind(Poco::Int64(2))
            .bindNull()
            .bind(std::optional<double>())
            .bind(Poco::Dynamic::Var())
            .run();
        Query(session, "INSERT INTO query_probe (id, n, r, s) VALUES (?, ?, ?, ?)")
            .bind(Poco::Dynamic::Var(Poco::Int64(3)))
            .bind(Poco::Dynamic::Var(true))
            .bind(Poco::Dynamic::Var(0.125))
            .bind(Poco::Dynamic::Var(std::string("short")))
            .run();

        Query rows(session, "SELECT id, n, r, s FROM query_probe ORDER BY id");
        CPPUNIT_ASSERT(rows.next());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rows.integer(0));
        CPPUNIT_ASSERT_EQUAL(big, rows.integer(1));
        CPPUNIT_ASSERT_EQUAL(-2.5, rows.real(2));
        CPPUNIT_ASSERT_EQUAL(longText, rows.text(3));
        CPPUNIT_ASSERT(rows.next());
        CPPUNIT_ASSERT(rows.isNull(1) && rows.isNull(2) && rows.isNull(3));
        CPPUNIT_ASSERT(!rows.optionalInteger(1).has_value());
        CPPUNIT_ASSERT(!rows.optionalText(3).has_value());
        CPPUNIT_ASSERT(rows.next());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rows.integer(1));
        CPPUNIT_ASSERT_EQUAL(0.125, rows.real(2));
        CPPUNIT_ASSERT_EQUAL(std::string("short"), rows.text(3));
        CPPUNIT_ASSERT(!rows.next());
        CPPUNIT_ASSERT(!rows.next());

        CPPUNIT_ASSERT_EQUAL(Poco::UInt64(2),
                             Query(session, "UPDATE query_probe SET n = ? WHERE id >= ?").bind(7).bind(2).run());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), Query(session, "SELECT COUNT(*) FROM query_probe").single());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(-1), Query(session, "SELECT n FROM query_probe WHERE id = 99").single(-1));
    }

    void testStatementsArePreparedOncePerSession()
    {
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        auto* pCache = storage::StatementCache::of(session);
        CPPUNIT_ASSERT(pCache != nullptr);
        const auto before = pCache->size();
        for (Poco::Int64 id = 1; id <= 5; ++id)
            Query(session, "INSERT INTO query_probe (id, n) VALUES (?, ?)").bind(id).bind(id * 10).run();
        for (Poco::Int64 id = 1; id <= 5; ++id)
            CPPUNIT_ASSERT_EQUAL(id * 10, Query(session, "SELECT n FROM query_probe WHERE id = ?").bind(id).single());
        CPPUNIT_ASSERT_EQUAL(before + 2, pCache->size());
        // Reuse::No: run once, never cached.
        CPPUNIT_ASSERT_EQUAL(
            Poco::Int64(5),
            Query(session, "SELECT COUNT(*) FROM query_probe WHERE id IN (1,2,3,4,5)", Query::Reuse::No).single());
        CPPUNIT_ASSERT_EQUAL(before + 2, pCache->size());
    }

    void testNestedUseOfOneStatement()
    {
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        for (Poco::Int64 id = 1; id <= 3; ++id)
            Query(session, "INSERT INTO query_probe (id, n) VALUES (?, ?)").bind(id).bind(id).run();
        const std::string sql = "SELECT id, n FROM query_probe WHERE id >= ? ORDER BY id";
        Poco::Int64 pairs = 0, sum = 0;
        Query outer(session, sql);
        outer.bind(1);
        while (outer.next())
        {
            Query inner(session, sql); // the cached statement is busy: this one is a statement of its own
            inner.bind(outer.integer(0));
            while (inner.next())
            {
                ++pairs;
                sum += inner.integer(1);
            }
        }
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(6), pairs); // 3 + 2 + 1
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(14), sum);  // (1+2+3) + (2+3) + 3
    }

    void testCacheStaysWithinItsCapacity()
    {
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        const auto* pCache = storage::StatementCache::of(session);
        const std::size_t texts = storage::StatementCache::CAPACITY + 20;
        for (std::size_t i = 0; i < texts; ++i)
        {
            const auto value = static_cast<Poco::Int64>(i);
            CPPUNIT_ASSERT_EQUAL(value, Query(session, "SELECT " + std::to_string(i) + " + ?").bind(0).single(-1));
        }
        CPPUNIT_ASSERT(pCache->size() <= storage::StatementCache::CAPACITY);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), Query(session, "SELECT 1 + ?").bind(2).single());
    }

    void testFailuresAreTheConnectorsAndLeaveTheStatementUsable()
    {
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        const std::string insert = "INSERT INTO query_probe (id, n) VALUES (?, ?)";
        Query(session, insert).bind(1).bind(1).run();
        bool duplicate = false;
        try
        {
            Query(session, insert).bind(1).bind(2).run();
        }
        catch (const Poco::Data::DataException& e)
        {
            duplicate = storage::isConstraintViolation(e);
        }
        CPPUNIT_ASSERT_MESSAGE("a duplicate key is a constraint violation, as with Poco's statements", duplicate);
        CPPUNIT_ASSERT_EQUAL(Poco::UInt64(1), Query(session, insert).bind(2).bind(2).run());
        CPPUNIT_ASSERT_THROW(Query(session, "SELECT no_such_column FROM query_probe").run(), Poco::Data::DataException);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), Query(session, "SELECT COUNT(*) FROM query_probe").single());
    }

    /// A statement that failed is finalized, not kept: on MySQL one whose result failed half-way (as a
    /// Galera abort makes it) left the client waiting, at its next execution, for the rest of the old result.
    void testAFailedStatementIsPreparedAgain()
    {
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        const auto* pCache = storage::StatementCache::of(session);
        const std::string insert = "INSERT INTO query_probe (id, n) VALUES (?, ?)";
        Query(session, insert).bind(1).bind(1).run();
        Query(session, insert).bind(2).bind(2).run();
        const auto cached = pCache->size();
        CPPUNIT_ASSERT_THROW(Query(session, insert).bind(1).bind(3).run(), Poco::Data::DataException);
        // SQLite's reset clears the failure: the statement stays; MySQL's is finalized.
        CPPUNIT_ASSERT_EQUAL(_pDb->isMySql() ? cached - 1 : cached, pCache->size());
        CPPUNIT_ASSERT_EQUAL(Poco::UInt64(1), Query(session, insert).bind(3).bind(3).run());
        CPPUNIT_ASSERT_EQUAL(cached, pCache->size());
        if (!_pDb->isMySql())
            return; // SQLite takes a scalar subquery's first row
        // Fails after its columns were described, while its rows are read: twice, then the session serves.
        const std::string midResult = "SELECT id, (SELECT n FROM query_probe) FROM query_probe";
        for (int round = 0; round < 2; ++round)
            CPPUNIT_ASSERT_THROW((void)Query(session, midResult).single(), Poco::Data::DataException);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), Query(session, "SELECT COUNT(*) FROM query_probe").single());
    }

    void testSessionOutsideThePool()
    {
        if (_pDb->isMySql())
            return; // the pool's sessions are the only MySQL sessions the server opens
        Poco::Data::Session own("SQLite", ":memory:");
        CPPUNIT_ASSERT(storage::StatementCache::of(own) == nullptr);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(42), Query(own, "SELECT 40 + ?").bind(2).single());
    }

    void testStreamedRowsLeftUnreadDoNotBlockTheSession()
    {
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        for (Poco::Int64 id = 1; id <= 50; ++id)
            Query(session, "INSERT INTO query_probe (id, s) VALUES (?, ?)").bind(id).bind(std::string(300, 'x')).run();
        for (int round = 0; round < 3; ++round)
        {
            Query rows(session, "SELECT id, s FROM query_probe ORDER BY id", Query::Reuse::Yes, Query::Rows::Streamed);
            CPPUNIT_ASSERT(rows.next());
            CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), rows.integer(0));
            CPPUNIT_ASSERT_EQUAL(std::string(300, 'x'), std::string(rows.textView(1)));
        } // 49 rows unread: dropped when the query ends
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(50), Query(session, "SELECT COUNT(*) FROM query_probe").single());
        Poco::Int64 streamed = 0;
        Query all(session, "SELECT id FROM query_probe", Query::Reuse::No, Query::Rows::Streamed);
        while (all.next())
            ++streamed;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(50), streamed);
    }

    void testNumbersReadAsTheyAreAskedFor()
    {
        auto pLease = _pDb->database().lease();
        auto& session = pLease->session();
        Query(session, "INSERT INTO query_probe (id, n, r) VALUES (1, 9007199254740993, 0.5), (2, 7, 1.25)").run();
        // SUM of whole numbers is a decimal without a fraction on MariaDB: exact as an integer.
        Query sums(session, "SELECT SUM(n), SUM(r), MAX(n), COUNT(*) FROM query_probe");
        CPPUNIT_ASSERT(sums.next());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(9007199254741000), sums.integer(0));
        CPPUNIT_ASSERT_EQUAL(1.75, sums.real(1));
        CPPUNIT_ASSERT_EQUAL(std::string("9007199254740993"), std::string(sums.textView(2)));
        CPPUNIT_ASSERT_EQUAL(2.0, sums.real(3));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), sums.text(3));
    }

private:
    std::unique_ptr<test::TestDatabase> _pDb;
};

CPPUNIT_TEST_SUITE_REGISTRATION(QueryTest);
