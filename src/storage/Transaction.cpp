#include "captrack/storage/Transaction.h"

#include "captrack/storage/StorageFault.h"

#include <Poco/Data/MySQL/MySQLException.h>
#include <Poco/Logger.h>
#include <Poco/Random.h>
#include <Poco/Thread.h>

namespace captrack::storage
{

Transaction::Transaction(Database& database) : _database(database), _writeLock(database.writeLock())
{
    _pLease = database.lease();
    _pLease->begin(TransactionKind::Write);
}

void Transaction::commit()
{
    _pLease->commit();
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

bool retryAfterSilentAbort(const std::string& what, int attempt)
{
    if (attempt >= TRANSACTION_ATTEMPTS)
        throw Poco::Data::MySQL::TransactionException(
            "[Comment]: the transaction was aborted by a conflicting write\t[mysql_errno]: 1213");
    backOff(attempt, "aborted by a conflicting write without a word (then: " + what + ")");
    return true;
}

} // namespace captrack::storage
