#include "captrack/storage/ReportPermits.h"

#include "captrack/storage/InstanceName.h"
#include "captrack/storage/RecordStore.h"
#include "captrack/storage/StorageFault.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/Statement.h>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

bool ReportPermits::claim(Poco::Data::Session& session, int slot, Poco::Int64 expiresAt)
{
    try
    {
        session << "INSERT INTO report_permits (slot, holder, expires_at) VALUES (?, ?, ?)", bind(slot),
            bind(instanceName()), bind(expiresAt), now;
        return true;
    }
    catch (const Poco::Data::DataException& e)
    {
        if (!isConstraintViolation(e) && classifyStorageError(e) != StorageFault::Conflict)
            throw;
        return false;
    }
}

void ReportPermits::release(Poco::Data::Session& session, int slot)
{
    session << "DELETE FROM report_permits WHERE slot = ? AND holder = ?", bind(slot), bind(instanceName()), now;
}

std::size_t ReportPermits::purgeExpired(Poco::Data::Session& session, Poco::Int64 nowSeconds)
{
    Poco::Data::Statement purge(session);
    purge << "DELETE FROM report_permits WHERE expires_at < ?", bind(nowSeconds);
    return purge.execute();
}

} // namespace captrack::storage
