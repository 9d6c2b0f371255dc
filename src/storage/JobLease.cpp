#include "captrack/storage/JobLease.h"

#include "captrack/storage/InstanceName.h"
#include "captrack/storage/StorageFault.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/Statement.h>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

bool claimJobPeriod(Database& database, const std::string& job, Poco::Int64 periodStart)
{
    auto pLease = database.lease();
    auto& session = pLease->session();
    try
    {
        session << database.ensureRowSql("job_leases (job, holder, period_start) VALUES (?, '', -1)", "holder"),
            bind(job), now;
        // One UPDATE decides: the row lock (or Galera's certification) lets one server move the period on.
        Poco::Data::Statement claim(session);
        claim << "UPDATE job_leases SET holder = ?, period_start = ? WHERE job = ? AND period_start < ?",
            bind(instanceName()), bind(periodStart), bind(job), bind(periodStart);
        return claim.execute() == 1;
    }
    catch (const Poco::Data::DataException& e)
    {
        if (classifyStorageError(e) == StorageFault::Conflict)
            return false;
        throw;
    }
}

} // namespace captrack::storage
