#include "captrack/report/ReportGate.h"

#include "captrack/Errors.h"
#include "captrack/storage/ReportPermits.h"

#include <Poco/Logger.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <thread>

namespace captrack::report
{

using storage::ReportPermits;

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
        // A slot may be taken by a build here or elsewhere: try the next.
        for (int slot = 1; slot <= static_cast<int>(_capacity); ++slot)
            if (ReportPermits::claim(pLease->session(), slot, expires))
                return slot;
    }
    refuse();
}

void ReportGate::release(int slot) noexcept
{
    try
    {
        auto pLease = _database.lease();
        ReportPermits::release(pLease->session(), slot);
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
    return ReportPermits::purgeExpired(pLease->session(), nowSeconds());
}

} // namespace captrack::report
