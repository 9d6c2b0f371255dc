#include "captrack/service/LoginThrottle.h"

#include "captrack/Errors.h"

#include <algorithm>

namespace captrack::service
{

namespace
{
Poco::Timestamp::TimeDiff seconds(int count)
{
    return static_cast<Poco::Timestamp::TimeDiff>(count) * Poco::Timestamp::resolution();
}

const char* const LOCKED = "too many failed sign-ins; try again later";
} // namespace

LoginThrottle::LoginThrottle(const domain::Clock& clock, const ThrottleLimits& limits)
    : _clock(clock), _byUser(limits.maxUserFailures, seconds(limits.windowSeconds), limits.capacity),
      _byAddress(limits.maxAddressFailures, seconds(limits.windowSeconds), limits.capacity)
{
}

void LoginThrottle::checkAddress(const std::string& address)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (const int wait = _byAddress.retryAfter(address, _clock.now()); wait > 0)
        throw TooManyRequestsError(LOCKED, wait);
}

void LoginThrottle::reserve(const std::string& usernameKey, const std::string& address)
{
    std::lock_guard<std::mutex> lock(_mutex);
    const Poco::Timestamp now = _clock.now();
    const int wait =
        std::max(usernameKey.empty() ? 0 : _byUser.retryAfter(usernameKey, now), _byAddress.retryAfter(address, now));
    if (wait > 0)
        throw TooManyRequestsError(LOCKED, wait);
    _byAddress.count(address, now);
    if (usernameKey.empty())
        return;
    try
    {
        _byUser.count(usernameKey, now);
    }
    catch (...)
    {
        _byAddress.uncount(address);
        throw;
    }
}

void LoginThrottle::succeeded(const std::string& usernameKey, const std::string& address)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _byUser.forget(usernameKey);
    _byAddress.uncount(address);
}

void LoginThrottle::cancel(const std::string& usernameKey, const std::string& address)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _byUser.uncount(usernameKey);
    _byAddress.uncount(address);
}

std::size_t LoginThrottle::trackedUsernames()
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _byUser.size();
}

std::size_t LoginThrottle::trackedAddresses()
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _byAddress.size();
}

} // namespace captrack::service
