#include "captrack/storage/Transaction.h"

#include "CommitGroup.h"
#include "captrack/storage/StorageFault.h"

#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Logger.h>
#include <Poco/Random.h>
#include <Poco/Thread.h>

namespace captrack::storage
{

Transaction::Transaction(Database& database) : _database(database)
{
    if (database.dialect() == Dialect::SQLite)
    {
        _pGrouped = std::make_unique<GroupedWrite>(database.commitQueue());
        return;
    }
    _pLease = database.lease();
    _pLease->begin(TransactionKind::Write);
}

Transaction::~Transaction() = default;

Poco::Data::Session& Transaction::session()
{
    return _pGrouped ? _pGrouped->session() : _pLease->session();
}

void Transaction::commit()
{
    if (_pGrouped)
        _pGrouped->commit();
    else
        _pLease->commit();
}

const Poco::Exception* Transaction::lostChangesRead()
{
    if (!_pGrouped)
        return nullptr;
    _pGrouped->abandon();
    return _pGrouped->lostChangesRead();
}

namespace
{
/// Waits a short backoff before attempt `attempt` + 1 and logs it: doubling from 4 ms, with full jitter
/// so that the transactions that collided do not collide again.
void backOff(int attempt, const std::string& why)
{
    thread_local Poco::Random random = [] {
        Poco::Random seeded;
        seeded.seed();
        return seeded;
    }();
    const int ceilingMs = 4 << attempt;
    const int waitMs = 1 + static_cast<int>(random.next(static_cast<Poco::UInt32>(ceilingMs)));
    Poco::Logger::get("captrack.storage")
        .warning("retrying transaction (attempt %d of %d) in %d ms after a conflict: %s", attempt + 1,
                 TRANSACTION_ATTEMPTS, waitMs, why);
    Poco::Thread::sleep(waitMs);
}
} // namespace

bool retryAfter(const Poco::Exception& error, int attempt)
{
    if (attempt >= TRANSACTION_ATTEMPTS || classifyStorageError(error) != StorageFault::Conflict)
        return false;
    backOff(attempt, error.displayText());
    return true;
}

bool runAgainAfter(std::optional<Transaction>& txn, const Poco::Exception* pError, const std::string& what, int attempt)
{
    // First, so that on SQLite the failed work's part is rolled back and the writers waiting go on.
    const Poco::Exception* pLost = txn ? txn->lostChangesRead() : nullptr;
    if (pError && retryAfter(*pError, attempt))
        return true;
    if (txn && txn->abortedSilently())
        return retryAfterSilentAbort(what, attempt);
    if (!pLost)
        return false;
    if (attempt >= TRANSACTION_ATTEMPTS)
        pLost->rethrow();
    backOff(attempt, "it had read changes of other writers whose commit then failed (" + pLost->displayText() +
                         "; then: " + what + ")");
    return true;
}

bool retryAfterSilentAbort(const std::string& what, int attempt)
{
    if (attempt >= TRANSACTION_ATTEMPTS)
        throw Poco::Data::MySQL::TransactionException(
            "[Comment]: the transaction was aborted by a conflicting write\t[mysql_errno]: 1213");
    backOff(attempt, "aborted by a conflicting write without a word (then: " + what + ")");
    return true;
}

} // namespace captrack::storage
