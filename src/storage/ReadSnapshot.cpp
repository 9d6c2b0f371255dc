#include "captrack/storage/ReadSnapshot.h"

#include <Poco/Logger.h>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
/// Runs one statement; logs a failure instead of throwing (for destructors). A session whose
/// connection is gone has nothing left open, and the pool drops it.
bool runLogged(Poco::Data::Session& session, const std::string& sql) noexcept
{
    try
    {
        session << sql, now;
        return true;
    }
    catch (const Poco::Exception& e)
    {
        Poco::Logger::get("captrack.storage").error("read snapshot: " + sql + " failed: " + e.displayText());
    }
    catch (const std::exception& e)
    {
        Poco::Logger::get("captrack.storage").error("read snapshot: " + sql + " failed: " + e.what());
    }
    return false;
}
} // namespace

ReadSnapshot::ReadSnapshot(Database& database) : _dialect(database.dialect()), _pLease(database.lease())
{
    try
    {
        begin();
    }
    catch (...)
    {
        end();
        throw;
    }
}

ReadSnapshot::~ReadSnapshot()
{
    end();
}

void ReadSnapshot::begin()
{
    auto& session = _pLease->session();
    if (_dialect == Dialect::MySQL)
    {
        // The statements are issued by hand, not through Session::begin(): Poco 1.11's MySQL begin()
        // turns autocommit off and commit() never turns it back on. Only REPEATABLE READ gives a
        // consistent snapshot (InnoDB ignores WITH CONSISTENT SNAPSHOT at other levels, which the
        // pool's sessions may use); without SESSION the level applies to the next transaction only.
        session << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", now;
        session << "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", now;
        return;
    }
    session << "BEGIN", now;
    // A deferred SQLite transaction takes its snapshot at its first read: read now, so that the
    // snapshot is the database as of the constructor, not as of the caller's first query.
    int tables = 0;
    session << "SELECT COUNT(*) FROM sqlite_master", into(tables), now;
}

void ReadSnapshot::end() noexcept
{
    auto& session = _pLease->session();
    if (!runLogged(session, "COMMIT"))
        runLogged(session, "ROLLBACK");
    // Whatever the session came with (Poco's MySQL begin() may have left autocommit off), it goes back
    // to the pool in autocommit, so its next user's reads see the present.
    if (_dialect == Dialect::MySQL)
        runLogged(session, "SET autocommit = 1");
}

} // namespace captrack::storage
