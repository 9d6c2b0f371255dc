#pragma once

#include "captrack/storage/Database.h"

#include <Poco/Data/Session.h>

#include <cstddef>
#include <optional>
#include <string>

namespace captrack::storage
{

/// What a sign-in throttle key names.
enum class ThrottleScope
{
    Username, ///< a normalised username
    Address,  ///< a client address
};

/// A key's failed sign-ins: how many within the window that began at `windowStart` (microseconds
/// since the epoch).
struct FailureWindow
{
    Poco::Int64 windowStart = 0;
    int failures = 0;
};

/// Table `sign_in_failures`: the failed sign-ins counted per username and per client address, shared
/// by every server on the database. Each call runs on the caller's session, and so in the caller's
/// transaction. Stateless: safe for concurrent use. Driver errors propagate (Poco::Data exceptions).
class LoginFailureStore
{
public:
    explicit LoginFailureStore(const Database& database);

    /// Creates the key's row, with no failures and its window starting at `at`, unless it exists; either
    /// way the row is write-locked until the transaction ends (Database::ensureRowSql).
    void ensure(Poco::Data::Session& session, ThrottleScope scope, const std::string& key, Poco::Int64 at) const;
    /// The key's failures, if it has a row; lockForUpdate locks the row until the transaction ends.
    [[nodiscard]] std::optional<FailureWindow> find(Poco::Data::Session& session, ThrottleScope scope,
                                                    const std::string& key, bool lockForUpdate = false) const;
    /// Sets the key's window and count (its row must exist).
    void set(Poco::Data::Session& session, ThrottleScope scope, const std::string& key,
             const FailureWindow& window) const;
    /// Counts one failure fewer for the key, never below zero.
    void uncount(Poco::Data::Session& session, ThrottleScope scope, const std::string& key) const;
    /// Forgets the key's failures.
    void remove(Poco::Data::Session& session, ThrottleScope scope, const std::string& key) const;
    /// Deletes every key whose window began before `before`; returns how many.
    std::size_t purgeBefore(Poco::Data::Session& session, Poco::Int64 before) const;
    /// How many keys of the scope have failures counted.
    [[nodiscard]] std::size_t countTracked(Poco::Data::Session& session, ThrottleScope scope) const;

private:
    const Database& _database;
};

} // namespace captrack::storage
