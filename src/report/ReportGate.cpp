#include "captrack/report/ReportGate.h"

#include "captrack/Errors.h"
#include "captrack/storage/InstanceName.h"
#include "captrack/storage/RecordStore.h"
#include "captrack/storage/StorageFault.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <thread>

namespace captrack::report
{

using namespace Poco::Data::Keywords;

namespace
{
std::size_t capacityOf(const ReportLimits& limits)
{
    if (limits.maxConcurrent > 0)
        return limits.maxConcurrent;
    return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

Poco::Int64 nowSeconds()
{
    return static_cast<Poco::Int64>(Poco::Timestamp().epochTime());
}
} // namespace

ReportGate::Permit::Permit(Permit&& other) noexcept : _pGate(other._pGate), _slot(other._slot)
{
    other._pGate = nullptr;
}

ReportGate::Permit::~Permit()
{
    if (_pGate)
        _pGate->release(_slot);
}

ReportGate::ReportGate(storage::Database& database, const ReportLimits& limits)
    : _database(database), _capacity(capacityOf(limits)), _retryAfterSeconds(std::max(1, limits.retryAfterSeconds))
{
}

void ReportGate::refuse() const
{
    throw OverloadedError("the servers are building as many reports as they build at once; try again later",
                          _retryAfterSeconds);
}

ReportGate::Permit ReportGate::admit()
{
    {
        const std::lock_guard<std::mutex> lock(_mutex);
        if (_admitted >= _capacity)
            refuse();
        ++_admitted;
    }
    try
    {
        return Permit(*this, claimSlot());
    }
    catch (...)
    {
        const std::lock_guard<std::mutex> lock(_mutex);
        --_admitted;
        throw;
    }
}

int ReportGate::claimSlot()
{
    for (int round = 0; round < 2; ++round)
    {
        // All slots taken: a server may have died holding some; free what has expired and look again.
        if (round == 1 && purgeExpired() == 0)
            break;
        auto pLease = _database.lease();
        const Poco::Int64 expires = nowSeconds() + PERMIT_LEASE_SECONDS;
        for (int slot = 1; slot <= static_cast<int>(_capacity); ++slot)
        {
            try
            {
                pLease->session() << "INSERT INTO report_permits (slot, holder, expires_at) VALUES (?, ?, ?)",
                    bind(slot), bind(storage::instanceName()), bind(expires), now;
                return slot;
            }
            catch (const Poco::Data::DataException& e)
            {
                // Taken by a build here or elsewhere (a duplicate key; on Galera a certification conflict).
                if (!storage::isConstraintViolation(e) &&
                    storage::classifyStorageError(e) != storage::StorageFault::Conflict)
                    throw;
            }
        }
    }
    refuse();
}

void ReportGate::release(int slot) noexcept
{
    try
    {
        auto pLease = _database.lease();
        pLease->session() << "DELETE FROM report_permits WHERE slot = ? AND holder = ?", bind(slot),
            bind(storage::instanceName()), now;
    }
    catch (const Poco::Exception& e)
    {
        Poco::Logger::get("captrack.report")
            .warning("report permit %d not released (it expires on its own): %s", slot, e.displayText());
    }
    const std::lock_guard<std::mutex> lock(_mutex);
    --_admitted;
}

std::size_t ReportGate::purgeExpired()
{
    auto pLease = _database.lease();
    Poco::Data::Statement purge(pLease->session());
    purge << "DELETE FROM report_permits WHERE expires_at < ?", bind(nowSeconds());
    return purge.execute();
}

} // namespace captrack::report
