#pragma once

#include "captrack/storage/Database.h"

#include <Poco/Exception.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>

namespace captrack::storage
{

/// One write unit of work: leases a session, takes the database's write lock and begins a
/// transaction (SQLite: BEGIN IMMEDIATE). commit() makes it durable; destroying it uncommitted rolls
/// everything back, so an exception anywhere in a write leaves nothing behind. Not shared between
/// threads. Prefer inTransaction(), which also runs the work again after a deadlock or a Galera
/// certification conflict.
class Transaction
{
public:
    explicit Transaction(Database& database);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    [[nodiscard]] Poco::Data::Session& session() { return _pLease->session(); }
    [[nodiscard]] Database& database() { return _database; }
    void commit();
    /// After the work failed: whether the database had aborted the transaction without a statement
    /// saying so (Galera), so that whatever the work read after the abort, and the error it raised from
    /// it (a 404, a 412, a row it had just inserted missing), are not to be believed.
    [[nodiscard]] bool abortedSilently() noexcept { return _pLease->abortedSilently(); }

private:
    Database& _database;
    std::unique_lock<std::mutex> _writeLock;
    std::unique_ptr<SessionLease> _pLease;
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

/// Runs work(Transaction&) in a write transaction and commits it. When the database aborts it for a
/// deadlock or a Galera certification conflict the whole transaction runs again, from its first read,
/// up to TRANSACTION_ATTEMPTS times; after that the conflict reaches the client as a 503. So does a
/// transaction Galera aborted without telling, whatever error the work raised from what it read after
/// the abort. The work must therefore do nothing outside the transaction that cannot happen twice.
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
            if (retryAfter(e, attempt))
                continue;
            if (!(txn && txn->abortedSilently() && retryAfterSilentAbort(e.displayText(), attempt)))
                throw;
        }
        catch (const std::exception& e)
        {
            if (!(txn && txn->abortedSilently() && retryAfterSilentAbort(e.what(), attempt)))
                throw;
        }
    }
}

} // namespace captrack::storage
