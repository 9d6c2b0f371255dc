#include "captrack/storage/ReadSnapshot.h"

#include "Query.h"

#include <Poco/Logger.h>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

ReadSnapshot::ReadSnapshot(Database& database) : _dialect(database.dialect()), _pLease(database.lease())
{
    auto& session = _pLease->session();
    _pLease->begin(TransactionKind::Snapshot); // at REPEATABLE READ whatever the sessions' level
    // A deferred SQLite transaction takes its snapshot at its first read: read now, so that the
    // snapshot is the database as of the constructor, not as of the caller's first query. (A failure
    // here leaves the transaction to the lease, which rolls it back.)
    if (_dialect == Dialect::SQLite)
        Query(session, "SELECT COUNT(*) FROM sqlite_master").run();
}

ReadSnapshot::~ReadSnapshot()
{
    try
    {
        _pLease->commit();
    }
    catch (const Poco::Exception& e)
    {
        // The lease rolls back what is left open when it ends, or drops a session that cannot.
        Poco::Logger::get("captrack.storage").error("ending a read snapshot failed: " + e.displayText());
    }
}

} // namespace captrack::storage
