#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Semaphore.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

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

/// What the session pool is doing, for `/metrics`.
struct PoolFigures
{
    std::size_t max = 0;                ///< db.pool.max
    std::size_t inUse = 0;              ///< sessions leased now
    std::size_t idle = 0;               ///< open sessions waiting in the pool
    std::uint64_t waits = 0;            ///< leases that found no free session and waited
    std::uint64_t waitMicroseconds = 0; ///< how long they waited, in all
    std::uint64_t timeouts = 0;         ///< leases that gave up after 10 s (answered 503)
};

class Database;
struct PooledSession;
class CommitQueue;

/// See Database::ensureRowSql.
[[nodiscard]] std::string ensureRowStatement(Dialect dialect, const std::string& into, const std::string& anyColumn);

/// How a transaction begins on a lease.
enum class TransactionKind
{
    Write,    ///< SQLite `BEGIN IMMEDIATE` (the write lock at once); MySQL `START TRANSACTION`
    Snapshot, ///< one consistent read snapshot: SQLite `BEGIN`; MySQL `START TRANSACTION WITH CONSISTENT
              ///< SNAPSHOT, READ ONLY`
};

/// A session borrowed from the pool for one unit of work; returned when the lease dies. Outside a
/// transaction begun here the session runs in autocommit, so every statement reads the present. A
/// transaction still open when the lease dies is rolled back; a session whose rollback fails (its
/// connection is gone) is closed instead of returned, and one returned while an exception was
/// unwinding is checked (a ping) before its next use.
/// Used by one thread at a time, like the session it lends.
class SessionLease
{
public:
    SessionLease(Database& database, std::unique_ptr<PooledSession> pPooled);
    ~SessionLease();
    SessionLease(const SessionLease&) = delete;
    SessionLease& operator=(const SessionLease&) = delete;

    [[nodiscard]] Poco::Data::Session& session();

    /// Begins a transaction; throws Poco::InvalidAccessException when one is open already.
    void begin(TransactionKind kind);
    /// Commits the open transaction: durable when this returns. The session is in autocommit after.
    void commit();
    /// Rolls the open transaction back. The session is in autocommit after.
    void rollback();
    [[nodiscard]] bool inTransaction() const noexcept { return _inTransaction; }
    /// True when the open write transaction is known to have been aborted by the database although no
    /// statement said so (Galera: its guard row is gone, or asking fails with the abort's 1213). Always
    /// false on SQLite and plain MariaDB, whose aborts every statement reports.
    [[nodiscard]] bool abortedSilently() noexcept;
    /// Closes the session when the lease ends instead of returning it to the pool.
    void discard() noexcept { _discard = true; }

private:
    void run(const char* sql);
    void beginGuardedWrite();
    [[nodiscard]] bool guardHeld();

    Database& _database;
    std::unique_ptr<PooledSession> _pPooled;
    int _uncaughtAtStart;
    bool _inTransaction = false;
    bool _guarded = false; ///< a Galera write with autocommit off and a guard row (beginGuardedWrite)
    bool _discard = false;
};

/// The connection pool and the facts about the database behind it. Safe for concurrent use by many
/// threads: each unit of work leases its own session. On SQLite, writers are serialised in-process
/// (writeLock) so concurrent writes queue on a mutex instead of on SQLite's busy handler, and the
/// writers queued together share one COMMIT (docs/STORAGE.md "Write transactions").
///
/// The pool is captrack's own (Poco 1.11's SessionPool neither checks a MySQL connection before
/// handing it out nor ends what Session::begin() started): sessions are handed out most recently
/// used first; a MySQL session idle for more than IDLE_CHECK_SECONDS, returned while an error was
/// unwinding, or older than the last failed check is pinged first, and one that does not answer is
/// closed and replaced.
class Database
{
public:
    /// Sessions idle this long are pinged before they are handed out again (MySQL).
    static constexpr int IDLE_CHECK_SECONDS = 5;

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
    /// The pool's figures now (a moment's view: each figure is read on its own).
    [[nodiscard]] PoolFigures poolFigures() const;

    /// Held while a write transaction's work runs. Serialises writers on SQLite; free on MySQL.
    [[nodiscard]] std::unique_lock<std::mutex> writeLock();

    /// What SQLite's write transactions have done so far: `commits` is the COMMITs SQLite has begun on
    /// them (counted by its commit hook; each one fsync), `transactions` the write transactions
    /// acknowledged; under concurrency several share one COMMIT. `waiting` is how many writers wait for
    /// their turn now. All 0 on MySQL. For tests and benchmarks.
    struct WriteCounts
    {
        std::uint64_t commits = 0;
        std::uint64_t transactions = 0;
        int waiting = 0;
    };
    [[nodiscard]] WriteCounts writeCounts();

    /// The SQL that yields the id of the row the session inserted last.
    [[nodiscard]] const char* lastInsertIdSql() const noexcept;
    /// The suffix that locks the rows a SELECT reads until the transaction ends ("" on SQLite,
    /// whose writers are already serialised).
    [[nodiscard]] const char* lockRowsSuffix() const noexcept;

    /// An INSERT of `into` ("table (columns) VALUES (...)") that leaves an existing row with the same key
    /// as it is but write-locked until the transaction ends (SQLite: INSERT OR IGNORE, its writers being
    /// serialised; MySQL: ON DUPLICATE KEY UPDATE of `anyColumn` to itself, an exclusive lock at once, where
    /// INSERT IGNORE's shared lock would deadlock two transactions that go on to update the row).
    [[nodiscard]] std::string ensureRowSql(const std::string& into, const std::string& anyColumn) const;

    /// True when a trivial query succeeds and, on a Galera node, the node is Synced and ready.
    [[nodiscard]] bool ready();
    /// True when the MySQL server is a Galera node with replication on (known once a session opened).
    [[nodiscard]] bool isGalera() const noexcept { return _galera; }

private:
    friend class SessionLease;
    friend class Transaction;
    /// The SQLite writers' queue (src/storage/CommitGroup.cpp, where this is defined); made on first use.
    [[nodiscard]] CommitQueue& commitQueue();
    std::unique_ptr<PooledSession> open();
    std::unique_ptr<PooledSession> takeIdle();
    [[nodiscard]] bool answers(PooledSession& pooled) const;
    void putIdle(std::unique_ptr<PooledSession> pPooled, bool suspect);
    /// Takes a session back from a lease (null when the lease dropped it) and frees its slot.
    void giveBack(std::unique_ptr<PooledSession> pPooled, bool suspect);
    void customize(Poco::Data::Session& session);

    DatabaseUrl _url;
    std::size_t _maxSessions;
    Poco::Semaphore _slots;
    std::atomic<std::size_t> _inUse{0};
    std::atomic<std::uint64_t> _waits{0}, _waitMicroseconds{0}, _timeouts{0};
    mutable std::mutex _idleMutex;
    std::vector<std::unique_ptr<PooledSession>> _idle; ///< most recently returned last
    std::atomic<std::uint64_t> _failedChecks{0};       ///< sessions older than this count are checked
    std::atomic<bool> _galera{false};
    std::mutex _writeMutex;
    std::once_flag _commitQueueOnce;
    std::shared_ptr<CommitQueue> _pCommitQueue; ///< shared_ptr: deleted where CommitQueue is complete
};

} // namespace captrack::storage
