#include "captrack/service/LoginThrottle.h"

#include "captrack/Errors.h"

namespace captrack::service
{

LoginThrottle::LoginThrottle(const domain::Clock& clock, int maxUserFailures, int maxAddressFailures, int windowSeconds)
    : _clock(clock), _maxUserFailures(maxUserFailures), _maxAddressFailures(maxAddressFailures),
      _window(static_cast<Poco::Timestamp::TimeDiff>(windowSeconds) * Poco::Timestamp::resolution())
{
}

int LoginThrottle::retryAfter(const std::map<std::string, Entry>& entries, const std::string& key, int limit) const
{
    const auto it = entries.find(key);
    if (it == entries.end() || it->second.failures < limit)
        return 0;
    const auto elapsed = _clock.now() - it->second.first;
    if (elapsed >= _window)
        return 0;
    return static_cast<int>((_window - elapsed) / Poco::Timestamp::resolution()) + 1;
}

void LoginThrottle::check(const std::string& username, const std::string& address)
{
    std::lock_guard<std::mutex> lock(_mutex);
    const int wait =
        std::max(retryAfter(_byUser, username, _maxUserFailures), retryAfter(_byAddress, address, _maxAddressFailures));
    if (wait > 0)
        throw TooManyRequestsError("too many failed sign-ins; try again later", wait);
}

void LoginThrottle::count(std::map<std::string, Entry>& entries, const std::string& key)
{
    auto& entry = entries[key];
    const auto now = _clock.now();
    if (entry.failures == 0 || now - entry.first >= _window)
    {
        entry.failures = 0;
        entry.first = now;
    }
    ++entry.failures;
}

void LoginThrottle::recordFailure(const std::string& username, const std::string& address)
{
    std::lock_guard<std::mutex> lock(_mutex);
    // Bound memory under a flood of made-up usernames: forget expired entries when the map grows.
    if (_byUser.size() > 100000)
        _byUser.clear();
    if (_byAddress.size() > 100000)
        _byAddress.clear();
    count(_byUser, username);
    count(_byAddress, address);
}

void LoginThrottle::recordSuccess(const std::string& username)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _byUser.erase(username);
}

} // namespace captrack::service
