#pragma once

#include "captrack/storage/Database.h"

#include <Poco/Exception.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace captrack::storage
{

class GroupedWrite;

/// One write unit of work, begun by the constructor; commit() makes it durable; destroying it uncommitted
/// rolls everything of it back, so an exception anywhere in a write leaves nothing behind. Not shared
/// between threads. Prefer inTransaction(), which also runs the work again after a deadlock or a Galera
/// certification conflict.
///  - MySQL: a session of its own and `START TRANSACTION`; writers run concurrently.
///  - SQLite: the writer waits for its turn (the database's write lock) and runs in a savepoint of the
///    transaction that the writers queued together share (a commit group). commit() releases the
///    savepoint and returns once the COMMIT holding it has returned, which is one fsync for all of them;
///    a failed work rolls back its savepoint only. docs/STORAGE.md "Write transactions".
class Transaction
{
public:
    /// Throws UnavailableError when no session becomes free, Poco::IllegalStateException when this thread
    /// has a write transaction open already, and what beginning the transaction throws.
    explicit Transaction(Database& database);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    /// The session the work runs on; only while this object lives and before commit().
    [[nodiscard]] Poco::Data::Session& session();
    [[nodiscard]] Database& database() { return _database; }
    /// Durable when it returns. Throws the database's error when the COMMIT fails: then nothing of the
    /// work was written (on SQLite nothing of its commit group either).
    void commit();
    /// After the work failed: whether the database had aborted the transaction without a statement
    /// saying so (Galera), so that whatever the work read after the abort, and the error it raised from
    /// it (a 404, a 412, a row it had just inserted missing), are not to be believed.
    [[nodiscard]] bool abortedSilently() noexcept { return _pLease && _pLease->abortedSilently(); }
    /// After the work failed, SQLite: rolls back the work's part and lets the other writers go on; then,
    /// when the work ran after other writers of its commit group (it read their changes) and that group's
    /// COMMIT failed, returns that failure: the work's error may stem from changes that never happened.
    /// Null otherwise, and always on MySQL (where it does nothing: the transaction ends with this object).
    [[nodiscard]] const Poco::Exception* lostChangesRead();

private:
    Database& _database;
    std::unique_ptr<SessionLease> _pLease;   ///< MySQL
    std::unique_ptr<GroupedWrite> _pGrouped; ///< SQLite
};

/// How often inTransaction() runs a transaction at most before the conflict becomes a 503.
constexpr int TRANSACTION_ATTEMPTS = 5;

/// True when the error ends attempt number `attempt` of a transaction with a conflict worth running it
/// again (deadlock, certification failure) and attempts remain; then waits a short, jittered backoff
/// first. Logs each retry ("retrying transaction").
[[nodiscard]] bool retryAfter(const Poco::Exception& error, int attempt);

/// The same for a transaction the database aborted silently (Transaction::abortedSilently) while its
/// work failed with `what`; when no attempt remains, throws the conflict (a 503 for the client).
[[nodiscard]] bool retryAfterSilentAbort(const std::string& what, int attempt);

/// After attempt `attempt` of `txn` failed with `what` (`pError` when it was a Poco::Exception): whether
/// to run the transaction again (a conflict, a silent Galera abort, or, on SQLite, changes read from a
/// commit group that then failed). Throws the reason instead when no attempt remains for the last two.
[[nodiscard]] bool runAgainAfter(std::optional<Transaction>& txn, const Poco::Exception* pError,
                                 const std::string& what, int attempt);

/// Runs work(Transaction&) in a write transaction and commits it; returns what the work returned once it
/// is durable. When the database aborts it for a deadlock or a Galera certification conflict the whole
/// transaction runs again, from its first read, up to TRANSACTION_ATTEMPTS times; after that the conflict
/// reaches the client as a 503. So does a transaction Galera aborted without telling, whatever error the
/// work raised from what it read after the abort, and on SQLite a work that failed after reading changes
/// of its commit group that were then not committed. The work must therefore do nothing outside the
/// transaction that cannot happen twice, and must not begin another transaction in its thread.
template <typename Work> auto inTransaction(Database& database, Work&& work)
{
    using Result = std::invoke_result_t<Work&, Transaction&>;
    for (int attempt = 1;; ++attempt)
    {
        std::optional<Transaction> txn;
        try
        {
            txn.emplace(database);
            if constexpr (std::is_void_v<Result>)
            {
                work(*txn);
                txn->commit();
                return;
            }
            else
            {
                Result result = work(*txn);
                txn->commit();
                return result;
            }
        }
        catch (const Poco::Exception& e)
        {
            if (!runAgainAfter(txn, &e, e.displayText(), attempt))
                throw;
        }
        catch (const std::exception& e)
        {
            if (!runAgainAfter(txn, nullptr, e.what(), attempt))
                throw;
        }
    }
}

} // namespace captrack::storage
