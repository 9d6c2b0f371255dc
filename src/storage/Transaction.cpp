#include "captrack/storage/Transaction.h"

#include "captrack/storage/StorageFault.h"

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

bool retryAfter(const Poco::Exception& error, int attempt)
{
    if (attempt >= TRANSACTION_ATTEMPTS || classifyStorageError(error) != StorageFault::Conflict)
        return false;
    // Backoff doubling from 4 ms, with full jitter so the transactions that collided do not collide again.
    thread_local Poco::Random random = [] {
        Poco::Random seeded;
        seeded.seed();
        return seeded;
    }();
    const int ceilingMs = 4 << attempt;
    const int waitMs = 1 + static_cast<int>(random.next(static_cast<Poco::UInt32>(ceilingMs)));
    Poco::Logger::get("captrack.storage")
        .warning("retrying transaction (attempt %d of %d) in %d ms after a conflict: %s", attempt + 1,
                 TRANSACTION_ATTEMPTS, waitMs, error.displayText());
    Poco::Thread::sleep(waitMs);
    return true;
}

} // namespace captrack::storage
