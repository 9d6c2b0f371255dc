#include "captrack/report/ReportGate.h"

#include "captrack/Errors.h"

#include <algorithm>
#include <thread>

namespace captrack::report
{

namespace
{
std::size_t capacityOf(const ReportLimits& limits)
{
    if (limits.maxConcurrent > 0)
        return limits.maxConcurrent;
    return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}
} // namespace

ReportGate::Permit::Permit(Permit&& other) noexcept : _pGate(other._pGate)
{
    other._pGate = nullptr;
}

ReportGate::Permit::~Permit()
{
    if (_pGate)
        _pGate->release();
}

ReportGate::ReportGate(const ReportLimits& limits)
    : _capacity(capacityOf(limits)), _retryAfterSeconds(std::max(1, limits.retryAfterSeconds))
{
}

ReportGate::Permit ReportGate::admit()
{
    const std::lock_guard<std::mutex> lock(_mutex);
    if (_admitted >= _capacity)
        throw OverloadedError("the server is building as many reports as it builds at once; try again later",
                              _retryAfterSeconds);
    ++_admitted;
    return Permit(*this);
}

void ReportGate::release() noexcept
{
    const std::lock_guard<std::mutex> lock(_mutex);
    --_admitted;
}

} // namespace captrack::report
