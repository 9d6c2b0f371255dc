#include "captrack/storage/StorageFault.h"
#include "captrack/Errors.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/SQLiteException.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace captrack;
using storage::StorageFault;

namespace
{
/// A MySQL statement error as Poco 1.11's connector words it.
Poco::Data::MySQL::StatementException mysqlError(int code, const std::string& text)
{
    return Poco::Data::MySQL::StatementException("[Comment]: mysql_stmt_execute error\t[mysql_stmt_error]: " + text +
                                                 "\t[mysql_stmt_errno]: " + std::to_string(code) +
                                                 "\t[mysql_stmt_sqlstate]: HY000");
}
} // namespace

/// Every database error has a meaning: a conflict to retry, a 503 with Retry-After, a 507, or none (a
/// fault of the code, which stays a 500).
class StorageFaultTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StorageFaultTest);
    CPPUNIT_TEST(testMysqlErrorsByNumber);
    CPPUNIT_TEST(testSqliteErrorsByType);
    CPPUNIT_TEST(testClientErrorsCarryTheirStatus);
    CPPUNIT_TEST_SUITE_END();

public:
    void testMysqlErrorsByNumber()
    {
        CPPUNIT_ASSERT_EQUAL(1213, storage::mysqlErrorNumber(mysqlError(1213, "Deadlock found")));
        CPPUNIT_ASSERT(classify(mysqlError(1213, "WSREP detected deadlock/conflict")) == StorageFault::Conflict);
        CPPUNIT_ASSERT(classify(mysqlError(1205, "Lock wait timeout exceeded")) == StorageFault::Busy);
        for (int code : {2002, 2003, 2006, 2013, 1047, 1053, 1927, 4031})
            CPPUNIT_ASSERT(classify(mysqlError(code, "gone")) == StorageFault::Unavailable);
        CPPUNIT_ASSERT(classify(mysqlError(1114, "The table 'x' is full")) == StorageFault::Full);
        CPPUNIT_ASSERT(classify(mysqlError(1030, "Got error 28 \"No space left on device\" from storage engine")) ==
                       StorageFault::Full);
        CPPUNIT_ASSERT(classify(mysqlError(1290, "--read-only")) == StorageFault::ReadOnly);
        // A constraint or a syntax error is the caller's business, not the database's state.
        CPPUNIT_ASSERT(classify(mysqlError(1062, "Duplicate entry")) == StorageFault::None);
        CPPUNIT_ASSERT(classify(mysqlError(1064, "You have an error in your SQL syntax")) == StorageFault::None);
        CPPUNIT_ASSERT(classify(Poco::Data::ConnectionFailedException(
                           "Can't connect to server on '127.0.0.1' (111)")) == StorageFault::Unavailable);
    }

    void testSqliteErrorsByType()
    {
        namespace SQLite = Poco::Data::SQLite;
        CPPUNIT_ASSERT(classify(SQLite::DatabaseFullException("database or disk is full")) == StorageFault::Full);
        CPPUNIT_ASSERT(classify(SQLite::ReadOnlyException("attempt to write a readonly database")) ==
                       StorageFault::ReadOnly);
        CPPUNIT_ASSERT(classify(SQLite::IOErrorException("disk I/O error")) == StorageFault::ReadOnly);
        CPPUNIT_ASSERT(classify(SQLite::DBLockedException("database is locked")) == StorageFault::Busy);
        CPPUNIT_ASSERT(classify(SQLite::ConstraintViolationException("UNIQUE constraint failed")) ==
                       StorageFault::None);
        CPPUNIT_ASSERT(classify(Poco::InvalidArgumentException("not a database error")) == StorageFault::None);
    }

    void testClientErrorsCarryTheirStatus()
    {
        CPPUNIT_ASSERT(!storage::clientErrorFor(Poco::Data::SQLite::ConstraintViolationException("x")));
        const auto pFull =
            storage::clientErrorFor(Poco::Data::SQLite::DatabaseFullException("database or disk is full"));
        CPPUNIT_ASSERT(dynamic_cast<const InsufficientStorageError*>(pFull.get()));
        CPPUNIT_ASSERT(pFull->message().find("out of space") != std::string::npos);
        const auto pDown = storage::clientErrorFor(mysqlError(2013, "Lost connection to server during query"));
        CPPUNIT_ASSERT(dynamic_cast<const UnavailableError*>(pDown.get()));
        // The driver's words (host names, SQL) stay in the log.
        CPPUNIT_ASSERT(pDown->message().find("Lost connection") == std::string::npos);
    }

private:
    static StorageFault classify(const Poco::Exception& e) { return storage::classifyStorageError(e); }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StorageFaultTest);
