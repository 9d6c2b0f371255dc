#include "captrack/storage/LoginFailureStore.h"

#include <Poco/Data/Statement.h>

#include <vector>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
/// The scope as table `sign_in_failures` holds it.
std::string scopeText(ThrottleScope scope)
{
    return scope == ThrottleScope::Username ? "user" : "address";
}
} // namespace

LoginFailureStore::LoginFailureStore(const Database& database) : _database(database) {}

void LoginFailureStore::ensure(Poco::Data::Session& session, ThrottleScope scope, const std::string& key,
                               Poco::Int64 at) const
{
    session << _database.ensureRowSql(
        "sign_in_failures (scope, throttle_key, window_start, failures) VALUES (?, ?, ?, 0)", "failures"),
        bind(scopeText(scope)), bind(key), bind(at), now;
}

std::optional<FailureWindow> LoginFailureStore::find(Poco::Data::Session& session, ThrottleScope scope,
                                                     const std::string& key, bool lockForUpdate) const
{
    std::vector<Poco::Int64> starts;
    std::vector<int> failures;
    session << "SELECT window_start, failures FROM sign_in_failures WHERE scope = ? AND throttle_key = ?" +
                   std::string(lockForUpdate ? _database.lockRowsSuffix() : ""),
        bind(scopeText(scope)), bind(key), into(starts), into(failures), now;
    if (starts.empty())
        return std::nullopt;
    return FailureWindow{starts[0], failures[0]};
}

void LoginFailureStore::set(Poco::Data::Session& session, ThrottleScope scope, const std::string& key,
                            const FailureWindow& window) const
{
    session << "UPDATE sign_in_failures SET window_start = ?, failures = ? WHERE scope = ? AND throttle_key = ?",
        bind(window.windowStart), bind(window.failures), bind(scopeText(scope)), bind(key), now;
}

void LoginFailureStore::uncount(Poco::Data::Session& session, ThrottleScope scope, const std::string& key) const
{
    session << "UPDATE sign_in_failures SET failures = failures - 1 WHERE scope = ? AND throttle_key = ? AND "
               "failures > 0",
        bind(scopeText(scope)), bind(key), now;
}

void LoginFailureStore::remove(Poco::Data::Session& session, ThrottleScope scope, const std::string& key) const
{
    session << "DELETE FROM sign_in_failures WHERE scope = ? AND throttle_key = ?", bind(scopeText(scope)), bind(key),
        now;
}

std::size_t LoginFailureStore::purgeBefore(Poco::Data::Session& session, Poco::Int64 before) const
{
    Poco::Data::Statement purge(session);
    purge << "DELETE FROM sign_in_failures WHERE window_start < ?", bind(before);
    return purge.execute();
}

std::size_t LoginFailureStore::countTracked(Poco::Data::Session& session, ThrottleScope scope) const
{
    Poco::Int64 count = 0;
    session << "SELECT COUNT(*) FROM sign_in_failures WHERE scope = ? AND failures > 0", bind(scopeText(scope)),
        into(count), now;
    return static_cast<std::size_t>(count);
}

} // namespace captrack::storage
