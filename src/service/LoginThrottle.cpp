#include "captrack/service/LoginThrottle.h"

#include "captrack/Errors.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Data/Session.h>

#include <algorithm>
#include <vector>

namespace captrack::service
{

using namespace Poco::Data::Keywords;

namespace
{
const char* const LOCKED = "too many failed sign-ins; try again later";
const char* const USER = "user";
const char* const ADDRESS = "address";

Poco::Int64 seconds(int count)
{
    return static_cast<Poco::Int64>(count) * Poco::Timestamp::resolution();
}
} // namespace

LoginThrottle::LoginThrottle(storage::Database& database, const domain::Clock& clock, const ThrottleLimits& limits)
    : _database(database), _clock(clock), _limits(limits)
{
}

int LoginThrottle::retryAfter(Poco::Int64 windowStart, int failures, int limit, Poco::Int64 now) const
{
    const Poco::Int64 elapsed = now - windowStart;
    if (failures < limit || elapsed >= seconds(_limits.windowSeconds))
        return 0;
    return static_cast<int>((seconds(_limits.windowSeconds) - elapsed) / Poco::Timestamp::resolution()) + 1;
}

void LoginThrottle::checkAddress(const std::string& address)
{
    auto pLease = _database.lease();
    std::vector<Poco::Int64> starts;
    std::vector<int> failures;
    pLease->session() << "SELECT window_start, failures FROM sign_in_failures WHERE scope = ? AND throttle_key = ?",
        bind(std::string(ADDRESS)), bind(address), into(starts), into(failures), now;
    if (starts.empty())
        return;
    if (const int wait =
            retryAfter(starts[0], failures[0], _limits.maxAddressFailures, _clock.now().epochMicroseconds());
        wait > 0)
        throw TooManyRequestsError(LOCKED, wait);
}

void LoginThrottle::reserve(const std::string& usernameKey, const std::string& address)
{
    std::vector<Key> keys{{ADDRESS, address, _limits.maxAddressFailures}};
    if (!usernameKey.empty())
        keys.push_back({USER, usernameKey, _limits.maxUserFailures});
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        const Poco::Int64 at = _clock.now().epochMicroseconds();
        for (const Key& key : keys)
            session << _database.ensureRowSql(
                "sign_in_failures (scope, throttle_key, window_start, failures) VALUES (?, ?, ?, 0)", "failures"),
                bind(std::string(key.scope)), bind(key.value), bind(at), now;
        std::vector<Poco::Int64> starts(keys.size());
        std::vector<int> failures(keys.size());
        int wait = 0;
        for (std::size_t i = 0; i < keys.size(); ++i)
        {
            session << "SELECT window_start, failures FROM sign_in_failures WHERE scope = ? AND throttle_key = ?" +
                           std::string(_database.lockRowsSuffix()),
                bind(std::string(keys[i].scope)), bind(keys[i].value), into(starts[i]), into(failures[i]), now;
            wait = std::max(wait, retryAfter(starts[i], failures[i], keys[i].limit, at));
        }
        if (wait > 0)
            throw TooManyRequestsError(LOCKED, wait);
        for (std::size_t i = 0; i < keys.size(); ++i)
        {
            // A new window begins with the first failure after the last one has passed.
            const bool fresh = failures[i] == 0 || at - starts[i] >= seconds(_limits.windowSeconds);
            const Poco::Int64 start = fresh ? at : starts[i];
            const int counted = fresh ? 1 : failures[i] + 1;
            session
                << "UPDATE sign_in_failures SET window_start = ?, failures = ? WHERE scope = ? AND throttle_key = ?",
                bind(start), bind(counted), bind(std::string(keys[i].scope)), bind(keys[i].value), now;
        }
    });
}

void LoginThrottle::uncount(Poco::Data::Session& session, const char* scope, const std::string& key)
{
    session << "UPDATE sign_in_failures SET failures = failures - 1 WHERE scope = ? AND throttle_key = ? AND "
               "failures > 0",
        bind(std::string(scope)), bind(key), now;
}

void LoginThrottle::succeeded(const std::string& usernameKey, const std::string& address)
{
    // Rows are locked address first, then user, in every transaction here, so that two never wait for
    // each other.
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        uncount(txn.session(), ADDRESS, address);
        txn.session() << "DELETE FROM sign_in_failures WHERE scope = ? AND throttle_key = ?", bind(std::string(USER)),
            bind(usernameKey), now;
    });
}

void LoginThrottle::cancel(const std::string& usernameKey, const std::string& address)
{
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        uncount(txn.session(), ADDRESS, address);
        if (!usernameKey.empty())
            uncount(txn.session(), USER, usernameKey);
    });
}

std::size_t LoginThrottle::purgeExpired()
{
    const Poco::Int64 before = _clock.now().epochMicroseconds() - seconds(_limits.windowSeconds);
    return storage::inTransaction(_database, [&](storage::Transaction& txn) {
        Poco::Data::Statement purge(txn.session());
        purge << "DELETE FROM sign_in_failures WHERE window_start < ?", bind(before);
        return purge.execute();
    });
}

std::size_t LoginThrottle::tracked(const char* scope)
{
    auto pLease = _database.lease();
    Poco::Int64 count = 0;
    pLease->session() << "SELECT COUNT(*) FROM sign_in_failures WHERE scope = ? AND failures > 0",
        bind(std::string(scope)), into(count), now;
    return static_cast<std::size_t>(count);
}

std::size_t LoginThrottle::trackedUsernames()
{
    return tracked(USER);
}

std::size_t LoginThrottle::trackedAddresses()
{
    return tracked(ADDRESS);
}

} // namespace captrack::service
