#include "CommitGroup.h"

#include "Query.h"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Logger.h>
#include <sqlite3.h>

namespace captrack::storage
{

namespace
{
/// The queue whose turn this thread holds, if any (GroupedWrite refuses a second one: it would wait for
/// itself).
thread_local const CommitQueue* tTurnHeld = nullptr;

/// A savepoint keeps the original of every page its work changes, to undo it (the sub-journal). SQLite
/// keeps that in memory up to 64 KiB and moves it into a temporary file past that, which one PATCH with
/// its history and audit rows reaches: a file created and deleted per group. -1 keeps them in memory
/// always (a 4 MiB threshold made the synthetic seeder's large INSERT ... SELECT fail with SQLITE_FULL
/// on SQLite 3.40.1 when the journal spilled). Before any connection opens (sqlite3_config refuses
/// once SQLite is initialised).
const bool subJournalsInMemory = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1) == SQLITE_OK;

/// The savepoint of one writer's work within its group; the writers of a group run one after another,
/// so one name serves them all.
constexpr const char* SAVEPOINT = "SAVEPOINT captrack_write";
constexpr const char* RELEASE = "RELEASE captrack_write";
constexpr const char* ROLLBACK_TO = "ROLLBACK TO captrack_write";

sqlite3* handleOf(Poco::Data::Session& session)
{
    return Poco::Data::SQLite::Utility::dbHandle(session);
}

/// The Poco SQLite exception for result code `rc` on `db` (DatabaseFullException, IOErrorException ...),
/// so that StorageFault classifies it as it classifies a statement's.
std::unique_ptr<Poco::Exception> errorOf(sqlite3* db, int rc, const std::string& context)
{
    // Poco names the primary result codes only.
    const int primary = rc & 0xff;
    if (primary != SQLITE_OK && primary != SQLITE_ROW && primary != SQLITE_DONE)
    {
        try
        {
            Poco::Data::SQLite::Utility::throwException(db, primary, context);
        }
        catch (const Poco::Exception& e)
        {
            return std::unique_ptr<Poco::Exception>(e.clone());
        }
    }
    return std::make_unique<Poco::Data::SQLite::TransactionException>("the write transaction ended unexpectedly",
                                                                      context);
}

/// Turns deferred foreign keys off again when a work turned them on (a restore does): a setting of the
/// whole transaction, which must not carry over to the next member. Read first: setting any flag pragma
/// expires every prepared statement of the connection, the whole statement cache.
void stopDeferringForeignKeys(Poco::Data::Session& session)
{
    if (Query(session, "PRAGMA defer_foreign_keys").single() != 0)
        Query(session, "PRAGMA defer_foreign_keys = OFF").run();
}

/// Runs one statement of the transaction's own (BEGIN, SAVEPOINT, COMMIT ...) through the session's
/// cached prepared statement.
void run(Poco::Data::Session& session, const char* sql)
{
    Query(session, sql).run();
}
} // namespace

CommitQueue& Database::commitQueue()
{
    std::call_once(_commitQueueOnce, [this] { _pCommitQueue = std::make_shared<CommitQueue>(*this); });
    return *_pCommitQueue;
}

Database::WriteCounts Database::writeCounts()
{
    return _url.dialect == Dialect::SQLite ? commitQueue().counts() : WriteCounts{};
}

std::unique_lock<std::mutex> CommitQueue::awaitTurn()
{
    ++_waiting;
    std::unique_lock<std::mutex> turn;
    try
    {
        turn = _database.writeLock();
    }
    catch (...)
    {
        --_waiting;
        throw;
    }
    --_waiting;
    return turn;
}

std::shared_ptr<CommitGroup> CommitQueue::openGroup()
{
    if (_pOpen)
    {
        sqlite3* db = handleOf(_pOpen->pLease->session());
        if (!sqlite3_get_autocommit(db))
            return _pOpen;
        // The group's transaction is gone (SQLite rolled it back after an error nobody saw through): its
        // members fail, and this writer begins a group of its own, never a SAVEPOINT that would start and
        // commit a transaction alone.
        abandonGroup(*errorOf(db, sqlite3_errcode(db), "the write transaction was rolled back"));
    }
    auto pGroup = std::make_shared<CommitGroup>();
    pGroup->pLease = _database.lease();
    auto& session = pGroup->pLease->session();
    // IMMEDIATE: the write lock at once, so that another process writing (`captrack user add`) is waited
    // for here, under the busy timeout, and the work never meets it half way.
    run(session, "BEGIN IMMEDIATE");
    sqlite3_commit_hook(handleOf(session), countCommit, this);
    pGroup->openedAt = std::chrono::steady_clock::now();
    _pOpen = pGroup;
    return pGroup;
}

int CommitQueue::countCommit(void* pQueue)
{
    ++static_cast<CommitQueue*>(pQueue)->_commits;
    return 0; // go on with the COMMIT
}

void CommitQueue::endTurn(std::unique_lock<std::mutex>& turn) noexcept
{
    if (_pOpen)
    {
        // Whoever waits for a turn now joins this group and ends it later; nobody waiting means nobody
        // will, so the group commits now.
        const bool nobodyWaits = _waiting.load() == 0;
        if (_pOpen->members == 0)
        {
            if (nobodyWaits)
                closeOpenGroup(nullptr);
        }
        else if (nobodyWaits || _pOpen->members >= MAX_MEMBERS ||
                 std::chrono::steady_clock::now() - _pOpen->openedAt >= MAX_OPEN)
        {
            commitOpenGroup();
        }
    }
    turn.unlock();
}

void CommitQueue::commitOpenGroup() noexcept
{
    const int members = _pOpen->members;
    try
    {
        run(_pOpen->pLease->session(), "COMMIT");
        _acknowledged += static_cast<std::uint64_t>(members);
        closeOpenGroup(nullptr);
    }
    catch (const Poco::Exception& e)
    {
        Poco::Logger::get("captrack.storage")
            .warning("the COMMIT of %d write transactions failed; none of them is saved: %s", members, e.displayText());
        closeOpenGroup(std::unique_ptr<Poco::Exception>(e.clone()));
    }
}

void CommitQueue::abandonGroup(const Poco::Exception& failure) noexcept
{
    if (!_pOpen)
        return;
    Poco::Logger::get("captrack.storage")
        .warning("a write transaction shared by %d writers was lost; none of them is saved: %s", _pOpen->members,
                 failure.displayText());
    closeOpenGroup(std::unique_ptr<Poco::Exception>(failure.clone()));
}

void CommitQueue::discardOpenGroup() noexcept
{
    if (_pOpen)
        closeOpenGroup(nullptr);
}

void CommitQueue::closeOpenGroup(std::unique_ptr<Poco::Exception> pFailure) noexcept
{
    const std::shared_ptr<CommitGroup> pGroup = std::move(_pOpen);
    _pOpen.reset();
    auto& session = pGroup->pLease->session();
    sqlite3* db = handleOf(session);
    sqlite3_commit_hook(db, nullptr, nullptr);
    // After a failed COMMIT SQLite may keep the transaction open, or have rolled it back itself.
    if (!sqlite3_get_autocommit(db))
    {
        try
        {
            run(session, "ROLLBACK");
        }
        catch (const Poco::Exception& e)
        {
            Poco::Logger::get("captrack.storage").warning("rollback failed, closing the session: " + e.displayText());
            pGroup->pLease->discard();
        }
    }
    pGroup->pLease.reset();
    {
        const std::lock_guard<std::mutex> lock(_outcomeMutex);
        pGroup->pFailure = std::move(pFailure);
        pGroup->settled = true;
    }
    _settled.notify_all();
}

const Poco::Exception* CommitQueue::failureOf(const CommitGroup& group)
{
    std::unique_lock<std::mutex> lock(_outcomeMutex);
    _settled.wait(lock, [&] { return group.settled; });
    return group.pFailure.get(); // set once, before `settled`
}

void CommitQueue::awaitOutcome(const CommitGroup& group)
{
    if (const Poco::Exception* pFailure = failureOf(group))
        pFailure->rethrow();
}

GroupedWrite::GroupedWrite(CommitQueue& queue) : _queue(queue)
{
    if (tTurnHeld == &queue)
        throw Poco::IllegalStateException("a write transaction is open in this thread already: a second one "
                                          "would wait for it forever");
    _turn = queue.awaitTurn();
    _pTurnBefore = tTurnHeld;
    tTurnHeld = &queue;
    try
    {
        _pGroup = queue.openGroup();
        // The first member needs no savepoint: the transaction holds nothing but its work, and a failure
        // rolls it back whole.
        _afterOthers = _pGroup->members > 0;
        if (_afterOthers)
            run(_pGroup->pLease->session(), SAVEPOINT);
        _open = true;
    }
    catch (...)
    {
        endTurn();
        throw;
    }
}

GroupedWrite::~GroupedWrite()
{
    abandon();
}

Poco::Data::Session& GroupedWrite::session()
{
    if (!_open)
        throw Poco::InvalidAccessException("the write transaction is over");
    return _pGroup->pLease->session();
}

sqlite3* GroupedWrite::handle()
{
    return handleOf(_pGroup->pLease->session());
}

void GroupedWrite::commit()
{
    if (!_open)
        throw Poco::InvalidAccessException("the write transaction is over");
    try
    {
        releaseSavepoint();
    }
    catch (...)
    {
        abandon();
        throw;
    }
    _joined = true;
    ++_pGroup->members;
    endTurn();
    _queue.awaitOutcome(*_pGroup);
}

void GroupedWrite::releaseSavepoint()
{
    sqlite3* db = handle();
    // SQLite rolls the whole transaction back after some I/O, full-disk and out-of-memory errors; a work
    // that caught one and went on must not be acknowledged, and the group is gone with it.
    if (sqlite3_get_autocommit(db))
    {
        _open = false;
        const auto pError = errorOf(db, sqlite3_errcode(db), "the write transaction was rolled back");
        _queue.abandonGroup(*pError);
        pError->rethrow();
    }
    // Deferred foreign keys are checked here, as the work's own COMMIT would: left to the group's
    // COMMIT, a violation would fail every member.
    int pending = 0, highest = 0;
    sqlite3_db_status(db, SQLITE_DBSTATUS_DEFERRED_FKS, &pending, &highest, 0);
    if (pending > 0)
        throw Poco::Data::SQLite::ConstraintViolationException("FOREIGN KEY constraint failed", RELEASE);
    // Before the RELEASE, so that a failure leaves nothing behind.
    stopDeferringForeignKeys(session());
    if (_afterOthers)
        run(session(), RELEASE);
    _open = false;
}

void GroupedWrite::rollbackSavepoint() noexcept
{
    _open = false;
    sqlite3* db = handle();
    if (sqlite3_get_autocommit(db))
    {
        _queue.abandonGroup(*errorOf(db, sqlite3_errcode(db), "the write transaction was rolled back"));
        return;
    }
    if (!_afterOthers)
    {
        _queue.discardOpenGroup();
        return;
    }
    try
    {
        run(_pGroup->pLease->session(), ROLLBACK_TO);
        run(_pGroup->pLease->session(), RELEASE);
        stopDeferringForeignKeys(_pGroup->pLease->session());
    }
    catch (const Poco::Exception& e)
    {
        _queue.abandonGroup(e);
    }
}

void GroupedWrite::abandon() noexcept
{
    if (_open)
        rollbackSavepoint();
    endTurn();
}

void GroupedWrite::endTurn() noexcept
{
    if (!_turn.owns_lock())
        return;
    tTurnHeld = _pTurnBefore;
    _queue.endTurn(_turn);
}

const Poco::Exception* GroupedWrite::lostChangesRead()
{
    abandon();
    if (_joined || !_afterOthers)
        return nullptr;
    return _queue.failureOf(*_pGroup);
}

} // namespace captrack::storage
