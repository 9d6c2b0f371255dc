#include "captrack/service/LoginThrottle.h"

#include "captrack/Errors.h"
#include "captrack/Metrics.h"
#include "captrack/storage/Transaction.h"

#include <algorithm>

namespace captrack::service
{

using storage::FailureWindow;
using storage::ThrottleScope;

namespace
{
const char* const LOCKED = "too many failed sign-ins; try again later";

Poco::Int64 seconds(int count)
{
    return static_cast<Poco::Int64>(count) * Poco::Timestamp::resolution();
}
} // namespace

LoginThrottle::LoginThrottle(storage::Database& database, const domain::Clock& clock, const ThrottleLimits& limits)
    : _database(database), _clock(clock), _limits(limits), _store(database)
{
}

int LoginThrottle::retryAfter(const FailureWindow& window, int limit, Poco::Int64 now) const
{
    const Poco::Int64 elapsed = now - window.windowStart;
    if (window.failures < limit || elapsed >= seconds(_limits.windowSeconds))
        return 0;
    return static_cast<int>((seconds(_limits.windowSeconds) - elapsed) / Poco::Timestamp::resolution()) + 1;
}

void LoginThrottle::checkAddress(const std::string& address)
{
    auto pLease = _database.lease();
    const auto window = _store.find(pLease->session(), ThrottleScope::Address, address);
    if (!window)
        return;
    if (const int wait = retryAfter(*window, _limits.maxAddressFailures, _clock.now().epochMicroseconds()); wait > 0)
    {
        metrics::process().signInThrottles.add();
        throw TooManyRequestsError(LOCKED, wait);
    }
}

void LoginThrottle::reserve(const std::string& usernameKey, const std::string& address)
{
    std::vector<Key> keys{{ThrottleScope::Address, address, _limits.maxAddressFailures}};
    if (!usernameKey.empty())
        keys.push_back({ThrottleScope::Username, usernameKey, _limits.maxUserFailures});
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        const Poco::Int64 at = _clock.now().epochMicroseconds();
        for (const Key& key : keys)
            _store.ensure(session, key.scope, key.value, at);
        std::vector<FailureWindow> windows(keys.size());
        int wait = 0;
        for (std::size_t i = 0; i < keys.size(); ++i)
        {
            windows[i] = _store.find(session, keys[i].scope, keys[i].value, true).value_or(FailureWindow{});
            wait = std::max(wait, retryAfter(windows[i], keys[i].limit, at));
        }
        if (wait > 0)
        {
            metrics::process().signInThrottles.add();
            throw TooManyRequestsError(LOCKED, wait);
        }
        countFailures(session, keys, windows, at);
    });
}

void LoginThrottle::countFailures(Poco::Data::Session& session, const std::vector<Key>& keys,
                                  const std::vector<FailureWindow>& windows, Poco::Int64 at) const
{
    for (std::size_t i = 0; i < keys.size(); ++i)
    {
        // A new window begins with the first failure after the last one has passed.
        const bool fresh = windows[i].failures == 0 || at - windows[i].windowStart >= seconds(_limits.windowSeconds);
        const FailureWindow counted =
            fresh ? FailureWindow{at, 1} : FailureWindow{windows[i].windowStart, windows[i].failures + 1};
        _store.set(session, keys[i].scope, keys[i].value, counted);
    }
}

void LoginThrottle::succeeded(const std::string& usernameKey, const std::string& address)
{
    // Rows are locked address first, then user, in every transaction here, so that two never wait for
    // each other.
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        _store.uncount(txn.session(), ThrottleScope::Address, address);
        _store.remove(txn.session(), ThrottleScope::Username, usernameKey);
    });
}

void LoginThrottle::cancel(const std::string& usernameKey, const std::string& address)
{
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        _store.uncount(txn.session(), ThrottleScope::Address, address);
        if (!usernameKey.empty())
            _store.uncount(txn.session(), ThrottleScope::Username, usernameKey);
    });
}

std::size_t LoginThrottle::purgeExpired()
{
    const Poco::Int64 before = _clock.now().epochMicroseconds() - seconds(_limits.windowSeconds);
    return storage::inTransaction(_database,
                                  [&](storage::Transaction& txn) { return _store.purgeBefore(txn.session(), before); });
}

std::size_t LoginThrottle::trackedUsernames()
{
    auto pLease = _database.lease();
    return _store.countTracked(pLease->session(), ThrottleScope::Username);
}

} // namespace captrack::service
