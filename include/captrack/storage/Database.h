#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Semaphore.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace captrack::storage
{

/// The SQL dialects captrack runs on. One SQL code path serves both; the few differences
/// (auto-increment ids, row locks) are asked of Database.
enum class Dialect
{
    SQLite,
    MySQL,
};

/// Where the database is, parsed from the `db.url` setting:
/// `sqlite:PATH` (PATH may be `:memory:`) or `mysql://USER:PASSWORD@HOST:PORT/NAME`.
struct DatabaseUrl
{
    Dialect dialect = Dialect::SQLite;
    std::string connector;        ///< Poco::Data connector name
    std::string connectionString; ///< Poco::Data connection string
    std::string display;          ///< the URL with any password masked, for logs
    std::string sqlitePath;       ///< SQLite only

    /// Throws Poco::InvalidArgumentException for an unknown or malformed URL.
    [[nodiscard]] static DatabaseUrl parse(const std::string& url);
};

class Database;

/// A session borrowed from the pool for one unit of work; returned when the lease dies.
class SessionLease
{
public:
    SessionLease(Poco::Data::Session session, Poco::Semaphore& slots);
    ~SessionLease();
    SessionLease(const SessionLease&) = delete;
    SessionLease& operator=(const SessionLease&) = delete;

    [[nodiscard]] Poco::Data::Session& session() { return *_session; }

private:
    std::optional<Poco::Data::Session> _session;
    Poco::Semaphore& _slots;
};

/// The connection pool and the facts about the database behind it. Safe for concurrent use by many
/// threads: each unit of work leases its own session. On SQLite, writers are serialised in-process
/// (writeLock) so concurrent writes queue on a mutex instead of on SQLite's busy handler.
class Database
{
public:
    /// Opens the pool (sessions are created on demand, at most maxSessions). Registers the connectors.
    /// A SQLite database file, its folder and its WAL/SHM files are made private to the server's
    /// user first (see makeSqliteFilesPrivate in src/storage/SqliteFiles.h); throws
    /// Poco::FileAccessDeniedException when they cannot be.
    Database(const DatabaseUrl& url, std::size_t maxSessions);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    [[nodiscard]] Dialect dialect() const noexcept { return _url.dialect; }
    [[nodiscard]] const DatabaseUrl& url() const noexcept { return _url; }

    /// Leases a session, waiting up to 10 s for a free one; throws UnavailableError after that or
    /// when the database cannot be reached.
    [[nodiscard]] std::unique_ptr<SessionLease> lease();

    /// Held for the whole of a write transaction. Serialises writers on SQLite; free on MySQL.
    [[nodiscard]] std::unique_lock<std::mutex> writeLock();

    /// The SQL that yields the id of the row the session inserted last.
    [[nodiscard]] const char* lastInsertIdSql() const noexcept;
    /// The suffix that locks the rows a SELECT reads until the transaction ends ("" on SQLite,
    /// whose writers are already serialised).
    [[nodiscard]] const char* lockRowsSuffix() const noexcept;

    /// True when a trivial query succeeds.
    [[nodiscard]] bool ping();

private:
    DatabaseUrl _url;
    std::size_t _maxSessions;
    std::unique_ptr<Poco::Data::SessionPool> _pPool;
    Poco::Semaphore _slots;
    std::mutex _writeMutex;
};

} // namespace captrack::storage
