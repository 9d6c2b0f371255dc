#include "captrack/storage/Transaction.h"

#include <Poco/Logger.h>

namespace captrack::storage
{

Transaction::Transaction(Database& database) : _database(database), _writeLock(database.writeLock())
{
    _pLease = database.lease();
    _pLease->session().begin();
    _open = true;
}

Transaction::~Transaction()
{
    if (!_open)
        return;
    try
    {
        _pLease->session().rollback();
    }
    catch (const Poco::Exception& e)
    {
        Poco::Logger::get("captrack.storage").error("rollback failed: " + e.displayText());
    }
}

void Transaction::commit()
{
    _pLease->session().commit();
    _open = false;
}

} // namespace captrack::storage
