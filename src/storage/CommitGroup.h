#pragma once

#include "captrack/storage/Database.h"

#include <Poco/Exception.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

struct sqlite3;

namespace captrack::storage
{

/// One SQLite write transaction (`BEGIN IMMEDIATE` on a leased session) that the work of several
/// writers shares, each in a savepoint of its own, committed by one COMMIT (one fsync) for all of them.
/// docs/STORAGE.md "Write transactions". Its fields belong to CommitQueue.
struct CommitGroup
{
    std::unique_ptr<SessionLease> pLease;
    std::chrono::steady_clock::time_point openedAt;
    int members = 0;      ///< writers whose work succeeded and is in the transaction
    bool settled = false; ///< the COMMIT has returned, or the group was lost (under the queue's outcome mutex)
    std::unique_ptr<Poco::Exception> pFailure; ///< why nothing of the group was committed; null after a COMMIT
};

/// The SQLite writers of one Database: they take turns (the database's write lock) to run their work in
/// the open CommitGroup, and the writer whose turn ends when nobody else is waiting for one commits it.
/// Safe for concurrent use by many threads. Unused on MySQL, whose writers run concurrently and whose
/// server groups their commits itself (InnoDB's group commit).
class CommitQueue
{
public:
    /// A group commits once it has this many members, even with writers waiting...
    static constexpr int MAX_MEMBERS = 64;
    /// ...or once it has been open this long, so that its first members and other processes wait no longer.
    static constexpr std::chrono::milliseconds MAX_OPEN{20};

    explicit CommitQueue(Database& database) : _database(database) {}
    CommitQueue(const CommitQueue&) = delete;
    CommitQueue& operator=(const CommitQueue&) = delete;

    /// Waits for this thread's turn: the database's write lock, counted as waiting meanwhile.
    [[nodiscard]] std::unique_lock<std::mutex> awaitTurn();
    /// The open group, opened first when there is none (a lease and `BEGIN IMMEDIATE`, which waits for
    /// another process's write lock up to the busy timeout). During a turn only; throws what opening throws.
    [[nodiscard]] std::shared_ptr<CommitGroup> openGroup();
    /// Ends a turn: commits the open group first when no other writer waits for a turn, or when it is full
    /// or old enough; rolls it back when it has no member. Never throws: a failed COMMIT is the members'
    /// outcome. Unlocks `turn`.
    void endTurn(std::unique_lock<std::mutex>& turn) noexcept;
    /// Rolls back the open group during a turn, when it holds no member's work. Never throws.
    void discardOpenGroup() noexcept;
    /// Gives up the group during a turn: rolls back whatever is left of its transaction and settles it
    /// with `failure` for every member. Never throws.
    void abandonGroup(const Poco::Exception& failure) noexcept;
    /// Waits until `group` is settled; throws a copy of its failure, if any.
    void awaitOutcome(const CommitGroup& group);
    /// True when `group` was settled with a failure; waits for it first.
    [[nodiscard]] const Poco::Exception* failureOf(const CommitGroup& group);

    [[nodiscard]] Database::WriteCounts counts() const noexcept
    {
        return {_commits.load(), _acknowledged.load(), _waiting.load()};
    }

private:
    void commitOpenGroup() noexcept;
    void closeOpenGroup(std::unique_ptr<Poco::Exception> pFailure) noexcept;
    static int countCommit(void* pQueue);

    Database& _database;
    std::atomic<int> _waiting{0};
    std::shared_ptr<CommitGroup> _pOpen; ///< guarded by the write lock
    std::mutex _outcomeMutex;
    std::condition_variable _settled;
    std::atomic<std::uint64_t> _commits{0};
    std::atomic<std::uint64_t> _acknowledged{0};
};

/// One writer's part of a CommitGroup, run during the writer's turn: a savepoint, or for the group's first
/// member the transaction itself. Used by Transaction on SQLite; one thread.
class GroupedWrite
{
public:
    /// Waits for a turn, joins (or opens) the group and begins the savepoint. Throws what opening the
    /// group throws (UnavailableError, a busy database) with nothing begun, and
    /// Poco::IllegalStateException when this thread has a turn already (a transaction inside a
    /// transaction would wait for itself).
    explicit GroupedWrite(CommitQueue& queue);
    /// Abandons the work if it is still running (see abandon()).
    ~GroupedWrite();
    GroupedWrite(const GroupedWrite&) = delete;
    GroupedWrite& operator=(const GroupedWrite&) = delete;

    [[nodiscard]] Poco::Data::Session& session();
    /// The work succeeded: releases its savepoint into the group, ends the turn and returns once the COMMIT
    /// that holds it has returned. Throws the COMMIT's error (nothing of the work was written), or the
    /// error that failed the work's own part (a deferred foreign key), which then leaves nothing behind.
    void commit();
    /// The work failed (or is given up): rolls its own part back and ends the turn; the other members of the
    /// group go on. Never throws; a rollback that fails gives up the whole group.
    void abandon() noexcept;
    /// After abandon(): whether the work may have read other members' changes that were never committed
    /// (it ran after them in a group whose COMMIT failed), so that its error is not to be believed. Waits
    /// for the group's outcome when the work ran after other members. Null when not.
    [[nodiscard]] const Poco::Exception* lostChangesRead();

private:
    [[nodiscard]] sqlite3* handle();
    void releaseSavepoint();
    void rollbackSavepoint() noexcept;
    void endTurn() noexcept;

    CommitQueue& _queue;
    std::unique_lock<std::mutex> _turn;
    const CommitQueue* _pTurnBefore = nullptr; ///< the turn this thread held before (of another database)
    std::shared_ptr<CommitGroup> _pGroup;
    bool _afterOthers = false; ///< the group had members when the work began: it saw their changes, and
                               ///< the work runs in a savepoint (the first member's is the transaction)
    bool _open = false;        ///< the work's part is neither released into the group nor rolled back
    bool _joined = false;      ///< the work's changes are in the group
};

} // namespace captrack::storage
