#pragma once

#include "captrack/domain/Clock.h"

#include <map>
#include <mutex>
#include <string>

namespace captrack::service
{

/// Limits failed sign-ins per username and per client address: after `maxFailures` failures within
/// the window, that key is locked until the window has passed since its first failure. Kept in
/// memory (per server instance). Thread-safe.
class LoginThrottle
{
public:
    LoginThrottle(const domain::Clock& clock, int maxUserFailures, int maxAddressFailures, int windowSeconds);

    /// Throws TooManyRequestsError (with Retry-After) when the username or the address is locked.
    void check(const std::string& username, const std::string& address);
    /// Counts one failure for both keys.
    void recordFailure(const std::string& username, const std::string& address);
    /// Clears the username's failures after a successful sign-in.
    void recordSuccess(const std::string& username);

private:
    struct Entry
    {
        int failures = 0;
        Poco::Timestamp first;
    };
    int retryAfter(const std::map<std::string, Entry>& entries, const std::string& key, int limit) const;
    void count(std::map<std::string, Entry>& entries, const std::string& key);

    const domain::Clock& _clock;
    int _maxUserFailures;
    int _maxAddressFailures;
    Poco::Timestamp::TimeDiff _window;
    std::mutex _mutex;
    std::map<std::string, Entry> _byUser;
    std::map<std::string, Entry> _byAddress;
};

} // namespace captrack::service
