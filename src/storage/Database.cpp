#include "captrack/storage/Database.h"

#include "PooledSession.h"
#include "SqliteFiles.h"
#include "captrack/Errors.h"
#include "captrack/storage/StorageFault.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/UTF8String.h>

#include <chrono>
#include <sqlite3.h>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
/// A MySQL row lock wait this long fails the statement (1205, a 503) instead of holding a worker for
/// the server's default 50 s.
constexpr int LOCK_WAIT_SECONDS = 10;

/// SQLite's own lower() folds ASCII letters only; this one folds all of Unicode like MariaDB's, so
/// searches (`q=`) find the same rows on both databases.
void utf8Lower(sqlite3_context* context, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
    {
        sqlite3_result_null(context);
        return;
    }
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    const std::string lowered = Poco::UTF8::toLower(std::string(text ? text : ""));
    sqlite3_result_text(context, lowered.c_str(), static_cast<int>(lowered.size()), SQLITE_TRANSIENT);
}

void registerConnectors()
{
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::MySQL::Connector::registerConnector();
    });
}

/// True when the server is a Galera node with replication on (MariaDB always knows @@wsrep_on; MySQL
/// proper does not, which means no Galera).
bool wsrepOn(Poco::Data::Session& session)
{
    try
    {
        Poco::Int64 on = 0;
        session << "SELECT @@wsrep_on", into(on), now;
        return on != 0;
    }
    catch (const Poco::Data::DataException&)
    {
        return false;
    }
}
} // namespace

Database::Database(const DatabaseUrl& url, std::size_t maxSessions)
    : _url(url), _maxSessions(url.sqlitePath == ":memory:" ? 1 : maxSessions),
      _slots(static_cast<int>(_maxSessions), static_cast<int>(_maxSessions))
{
    registerConnectors();
    if (_url.dialect == Dialect::SQLite && _url.sqlitePath != ":memory:")
        makeSqliteFilesPrivate(_url.sqlitePath);
    // One session at once, as Poco's pool did: a database that cannot be opened fails the start.
    putIdle(open(), false);
}

Database::~Database()
{
    std::lock_guard<std::mutex> guard(_idleMutex);
    for (auto& pPooled : _idle)
    {
        try
        {
            pPooled->close();
        }
        catch (const Poco::Exception&)
        {
            // the connection may be gone already
        }
    }
    _idle.clear();
}

void Database::customize(Poco::Data::Session& session)
{
    if (_url.dialect == Dialect::SQLite)
    {
        std::string mode;
        session << "PRAGMA journal_mode=WAL", into(mode), now;
        session << "PRAGMA synchronous=FULL", now;
        session << "PRAGMA foreign_keys=ON", now;
        sqlite3_create_function_v2(Poco::Data::SQLite::Utility::dbHandle(session), "lower", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, utf8Lower, nullptr, nullptr, nullptr);
        return;
    }
    session << "SET SESSION innodb_lock_wait_timeout = " + std::to_string(LOCK_WAIT_SECONDS), now;
    // Writes run at READ COMMITTED: every statement reads the latest committed rows (a write that waited
    // for a project's turn then sees what the writer before it committed), and searches lock the rows
    // they find, not the gaps between them. At REPEATABLE READ two transactions that each deleted a
    // project's missing roll-up rows held the same gap and deadlocked on their inserts (concurrent
    // project creates failed after five attempts). Read snapshots ask for REPEATABLE READ themselves.
    session << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", now;
    // On Galera, a read waits until this node has applied every write set committed anywhere before it
    // began: a client reads its own write whichever node served the write.
    if (wsrepOn(session))
    {
        session << "SET SESSION wsrep_sync_wait = 1", now;
        // The guard rows of write transactions (SessionLease::beginGuardedWrite): per session, never replicated.
        session << "CREATE TEMPORARY TABLE IF NOT EXISTS captrack_txn_guard (n BIGINT NOT NULL PRIMARY KEY) "
                   "ENGINE=InnoDB",
            now;
        _galera = true;
    }
}

std::unique_ptr<PooledSession> Database::open()
{
    Poco::Data::Session session(_url.connector, _url.connectionString);
    customize(session);
    return std::make_unique<PooledSession>(std::move(session), _failedChecks.load());
}

std::unique_ptr<PooledSession> Database::takeIdle()
{
    std::lock_guard<std::mutex> guard(_idleMutex);
    if (_idle.empty())
        return nullptr;
    auto pPooled = std::move(_idle.back());
    _idle.pop_back();
    return pPooled;
}

bool Database::answers(PooledSession& pooled) const
{
    if (_url.dialect != Dialect::MySQL)
        return true;
    const bool longIdle =
        std::chrono::steady_clock::now() - pooled.returnedAt > std::chrono::seconds(IDLE_CHECK_SECONDS);
    if (!pooled.suspect && !longIdle && pooled.checkedAt == _failedChecks.load())
        return true;
    return mysqlAnswers(pooled.session);
}

std::unique_ptr<SessionLease> Database::lease()
{
    if (!_slots.tryWait(0))
    {
        ++_waits;
        const auto waitStarted = std::chrono::steady_clock::now();
        const bool got = _slots.tryWait(10000);
        _waitMicroseconds += static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - waitStarted)
                .count());
        if (!got)
        {
            ++_timeouts;
            throw UnavailableError("no database session became free within 10 s");
        }
    }
    ++_inUse;
    try
    {
        for (auto pPooled = takeIdle(); pPooled; pPooled = takeIdle())
        {
            if (answers(*pPooled))
            {
                pPooled->suspect = false;
                pPooled->checkedAt = _failedChecks.load();
                return std::make_unique<SessionLease>(*this, std::move(pPooled));
            }
            // The server went away (restarted, failed over): every idle session is checked before use.
            ++_failedChecks;
            Poco::Logger::get("captrack.storage").warning("a pooled database session did not answer; dropped");
            try
            {
                pPooled->close();
            }
            catch (const Poco::Exception&)
            {
                // already gone
            }
        }
        return std::make_unique<SessionLease>(*this, open());
    }
    catch (const Poco::Exception& e)
    {
        --_inUse;
        _slots.set();
        if (classifyStorageError(e) == StorageFault::None)
            throw;
        Poco::Logger::get("captrack.storage").error("cannot open a database session: " + e.displayText());
        throw UnavailableError("the database cannot be reached; try again shortly");
    }
}

void Database::putIdle(std::unique_ptr<PooledSession> pPooled, bool suspect)
{
    if (!pPooled)
        return;
    pPooled->suspect = suspect;
    pPooled->returnedAt = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> guard(_idleMutex);
    _idle.push_back(std::move(pPooled));
}

void Database::giveBack(std::unique_ptr<PooledSession> pPooled, bool suspect)
{
    putIdle(std::move(pPooled), suspect);
    --_inUse;
    _slots.set();
}

PoolFigures Database::poolFigures() const
{
    PoolFigures figures;
    figures.max = _maxSessions;
    figures.inUse = _inUse.load();
    {
        std::lock_guard<std::mutex> guard(_idleMutex);
        figures.idle = _idle.size();
    }
    figures.waits = _waits.load();
    figures.waitMicroseconds = _waitMicroseconds.load();
    figures.timeouts = _timeouts.load();
    return figures;
}

std::unique_lock<std::mutex> Database::writeLock()
{
    if (_url.dialect == Dialect::SQLite)
        return std::unique_lock<std::mutex>(_writeMutex);
    return std::unique_lock<std::mutex>();
}

const char* Database::lastInsertIdSql() const noexcept
{
    return _url.dialect == Dialect::SQLite ? "SELECT last_insert_rowid()" : "SELECT LAST_INSERT_ID()";
}

const char* Database::lockRowsSuffix() const noexcept
{
    return _url.dialect == Dialect::SQLite ? "" : " FOR UPDATE";
}

std::string Database::ensureRowSql(const std::string& into, const std::string& anyColumn) const
{
    return ensureRowStatement(_url.dialect, into, anyColumn);
}

std::string ensureRowStatement(Dialect dialect, const std::string& into, const std::string& anyColumn)
{
    if (dialect == Dialect::SQLite)
        return "INSERT OR IGNORE INTO " + into;
    return "INSERT INTO " + into + " ON DUPLICATE KEY UPDATE " + anyColumn + " = " + anyColumn;
}

bool Database::ready()
{
    try
    {
        auto pLease = lease();
        int one = 0;
        pLease->session() << "SELECT 1", into(one), now;
        if (one != 1)
            return false;
        if (!_galera)
            return true;
        std::string name, state, readyName, readyValue;
        pLease->session() << "SHOW STATUS LIKE 'wsrep_local_state_comment'", into(name), into(state), now;
        pLease->session() << "SHOW STATUS LIKE 'wsrep_ready'", into(readyName), into(readyValue), now;
        if (state == "Synced" && readyValue == "ON")
            return true;
        // A node that is joining, donating or cut off: let the pool reconnect (through the load balancer).
        pLease->discard();
        return false;
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

} // namespace captrack::storage
