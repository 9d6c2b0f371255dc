#include "PooledSession.h"
#include "Query.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/StorageFault.h"

#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <mysql/mysql.h>

#include <exception>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
MYSQL* mysqlHandle(Poco::Data::Session& session)
{
    return Poco::AnyCast<MYSQL*>(session.getProperty("handle"));
}

const char* beginSql(Dialect dialect, TransactionKind kind)
{
    if (dialect == Dialect::SQLite)
        return kind == TransactionKind::Write ? "BEGIN IMMEDIATE" : "BEGIN";
    return kind == TransactionKind::Write ? "START TRANSACTION"
                                          : "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";
}
} // namespace

void runMysqlStatement(Poco::Data::Session& session, const char* sql)
{
    MYSQL* handle = mysqlHandle(session);
    if (mysql_real_query(handle, sql, static_cast<unsigned long>(std::char_traits<char>::length(sql))) != 0)
        throw Poco::Data::MySQL::TransactionException(sql, handle);
}

bool mysqlAnswers(Poco::Data::Session& session)
{
    return mysql_ping(mysqlHandle(session)) == 0;
}

SessionLease::SessionLease(Database& database, std::unique_ptr<PooledSession> pPooled)
    : _database(database), _pPooled(std::move(pPooled)), _uncaughtAtStart(std::uncaught_exceptions())
{
}

SessionLease::~SessionLease()
{
    if (_inTransaction)
    {
        try
        {
            rollback();
        }
        catch (const Poco::Exception& e)
        {
            Poco::Logger::get("captrack.storage").warning("rollback failed, closing the session: " + e.displayText());
            _discard = true;
        }
    }
    const bool unwinding = std::uncaught_exceptions() > _uncaughtAtStart;
    if (_discard)
    {
        try
        {
            _pPooled->close();
        }
        catch (const Poco::Exception&)
        {
            // closing a dead connection may fail; the session is dropped either way
        }
        _pPooled.reset();
    }
    _database.giveBack(std::move(_pPooled), unwinding);
}

Poco::Data::Session& SessionLease::session()
{
    return _pPooled->session;
}

void SessionLease::run(const char* sql)
{
    if (_database.dialect() == Dialect::MySQL)
        runMysqlStatement(_pPooled->session, sql);
    else
        Query(_pPooled->session, sql).run();
}

void SessionLease::begin(TransactionKind kind)
{
    if (_inTransaction)
        throw Poco::InvalidAccessException("a transaction is open on this session already");
    if (kind == TransactionKind::Write && _database.isGalera())
    {
        beginGuardedWrite();
        return;
    }
    // Sessions run at READ COMMITTED (Database::customize), where InnoDB ignores WITH CONSISTENT SNAPSHOT:
    // a snapshot asks for REPEATABLE READ, for this one transaction.
    if (kind == TransactionKind::Snapshot && _database.dialect() == Dialect::MySQL)
        run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    run(beginSql(_database.dialect(), kind));
    _inTransaction = true;
}

// On Galera a write transaction can be aborted by a conflicting write set from another node at any
// statement (a brute-force abort). MariaDB should report it on the next statement, but a prepared
// statement sometimes runs on as if nothing happened: with autocommit on, the rest of the "transaction"
// would then commit statement by statement. So Galera writes run with autocommit off (whatever follows
// an abort stays uncommitted) and carry a guard row in a temporary table, which is not replicated and
// is rolled back with the transaction: a guard missing at COMMIT means the transaction was aborted, and
// it is rolled back and reported as the conflict it was (1213), to be run again.
void SessionLease::beginGuardedWrite()
{
    runMysqlStatement(_pPooled->session, "SET autocommit = 0");
    _inTransaction = true;
    _guarded = true;
    ++_pPooled->guard;
    runMysqlStatement(_pPooled->session, "DELETE FROM captrack_txn_guard");
    const std::string mark = "INSERT INTO captrack_txn_guard (n) VALUES (" + std::to_string(_pPooled->guard) + ")";
    runMysqlStatement(_pPooled->session, mark.c_str());
}

bool SessionLease::guardHeld()
{
    Poco::Int64 held = 0;
    _pPooled->session << "SELECT COUNT(*) FROM captrack_txn_guard WHERE n = ?", bind(_pPooled->guard), into(held), now;
    return held == 1;
}

bool SessionLease::abortedSilently() noexcept
{
    if (!_guarded || !_inTransaction)
        return false;
    try
    {
        return !guardHeld();
    }
    catch (const Poco::Exception& error)
    {
        return classifyStorageError(error) == StorageFault::Conflict;
    }
}

void SessionLease::commit()
{
    // A COMMIT that fails leaves the transaction to the lease's end, which rolls back what is left of
    // it (SQLite keeps a transaction open after a busy or full COMMIT) or drops the session.
    if (_guarded)
    {
        if (!guardHeld())
            throw Poco::Data::MySQL::TransactionException(
                "[Comment]: the transaction was aborted by a conflicting write\t[mysql_errno]: 1213");
        run("COMMIT");
        _inTransaction = false;
        _guarded = false;
        runMysqlStatement(_pPooled->session, "SET autocommit = 1");
        return;
    }
    run("COMMIT");
    _inTransaction = false;
}

void SessionLease::rollback()
{
    _inTransaction = false;
    run("ROLLBACK");
    if (_guarded)
    {
        _guarded = false;
        runMysqlStatement(_pPooled->session, "SET autocommit = 1");
    }
}

} // namespace captrack::storage
