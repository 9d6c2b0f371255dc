#include "captrack/storage/StorageFault.h"
#include "captrack/Errors.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Data/SQLite/SQLiteException.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <utility>
#include <vector>

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
    CPPUNIT_TEST(testEveryNamedErrorHasItsMeaning);
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
        // The server's message quotes user data before the real number: never taken for it.
        const auto quoting = mysqlError(1062, "Duplicate entry 'x [mysql_stmt_errno]: 2013 error 28 ' for key 'code'");
        CPPUNIT_ASSERT_EQUAL(1062, storage::mysqlErrorNumber(quoting));
        CPPUNIT_ASSERT(classify(quoting) == StorageFault::None);
        CPPUNIT_ASSERT(classify(mysqlError(1064, "near 'Got error 28 from storage engine'")) == StorageFault::None);
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

    /// Every error number and type StorageFault.cpp names, each with its meaning: a case dropped or moved
    /// to another group fails here (the tests above sample a few of each).
    void testEveryNamedErrorHasItsMeaning()
    {
        const std::pair<StorageFault, std::vector<int>> groups[] = {
            {StorageFault::Conflict, {1213, 1020}},
            {StorageFault::Busy, {1205}},
            {StorageFault::Unavailable, {1040, 1047, 1053, 1077, 1927, 2002, 2003, 2005, 2006, 2013, 2026, 2055, 4031}},
            {StorageFault::Full, {1021, 1114}},
            {StorageFault::ReadOnly, {1036, 1290, 1792, 1015}},
        };
        for (const auto& [fault, codes] : groups)
            for (int code : codes)
                CPPUNIT_ASSERT_MESSAGE(std::to_string(code), classify(mysqlError(code, "message")) == fault);
        CPPUNIT_ASSERT(classify(Poco::Data::NotConnectedException("not connected")) == StorageFault::Unavailable);
        CPPUNIT_ASSERT(classify(Poco::Data::SessionUnavailableException("gone")) == StorageFault::Unavailable);
        namespace SQLite = Poco::Data::SQLite;
        CPPUNIT_ASSERT(classify(SQLite::TableLockedException("database table is locked")) == StorageFault::Busy);
        CPPUNIT_ASSERT(classify(SQLite::CantOpenDBFileException("unable to open database file")) ==
                       StorageFault::Unavailable);
        // The status each meaning gets, in words that name no host, statement or driver.
        const std::pair<std::unique_ptr<Poco::Exception>, int> answers[] = {
            {storage::clientErrorFor(mysqlError(1213, "Deadlock found when trying to get lock")), 503},
            {storage::clientErrorFor(mysqlError(1205, "Lock wait timeout exceeded")), 503},
            {storage::clientErrorFor(mysqlError(2003, "Can't connect to server on 'db7.internal'")), 503},
            {storage::clientErrorFor(mysqlError(1114, "The table 'audit_events' is full")), 507},
            {storage::clientErrorFor(mysqlError(1290, "--read-only")), 507},
        };
        for (const auto& [pError, status] : answers)
        {
            CPPUNIT_ASSERT(pError);
            CPPUNIT_ASSERT_EQUAL(status == 503, dynamic_cast<const UnavailableError*>(pError.get()) != nullptr);
            CPPUNIT_ASSERT_EQUAL(status == 507, dynamic_cast<const InsufficientStorageError*>(pError.get()) != nullptr);
            for (const char* internal : {"Deadlock", "Lock wait", "db7", "audit_events", "--read-only", "mysql"})
                CPPUNIT_ASSERT_MESSAGE(pError->message(), pError->message().find(internal) == std::string::npos);
        }
    }

private:
    static StorageFault classify(const Poco::Exception& e) { return storage::classifyStorageError(e); }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StorageFaultTest);
