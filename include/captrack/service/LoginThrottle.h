#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/LoginFailureStore.h"

#include <string>
#include <vector>

namespace captrack::service
{

/// How many failed sign-ins LoginThrottle allows.
struct ThrottleLimits
{
    int maxUserFailures = 5;     ///< per username within the window
    int maxAddressFailures = 20; ///< per client address within the window
    int windowSeconds = 900;
};

/// Limits sign-in attempts per username and per client address, counted in the database (table
/// `sign_in_failures`) so that every server behind a load balancer counts the same attempts: N servers
/// give an attacker no more guesses than one. An attempt is reserved before its password is checked
/// and counts as a failure from then on unless it succeeds, so parallel guesses cannot overtake the
/// limit: both keys are locked and counted in one transaction (on Galera a concurrent reservation on
/// another node is a certification conflict, and the transaction runs again). A key with the limit of
/// failures is locked until the window has passed since its first failure. Username keys are normalised
/// by the caller (SignIn::signInName). Rows whose window has passed are deleted by purgeExpired()
/// (the housekeeping job). Every call may also throw what the database throws (UnavailableError,
/// Poco::Data exceptions). Thread-safe.
class LoginThrottle
{
public:
    LoginThrottle(storage::Database& database, const domain::Clock& clock, const ThrottleLimits& limits);

    /// TooManyRequestsError while the address is locked; one read, for before a request body is parsed.
    void checkAddress(const std::string& address);
    /// Reserves one attempt for the username (empty: a name no user can have, only the address counts)
    /// and the address, atomically: TooManyRequestsError, reserving nothing, when either is locked.
    void reserve(const std::string& usernameKey, const std::string& address);
    /// The reserved attempt succeeded: clears the username's failures and gives the address its
    /// attempt back.
    void succeeded(const std::string& usernameKey, const std::string& address);
    /// The reserved attempt could not be checked (the database failed): gives both keys their attempt back.
    void cancel(const std::string& usernameKey, const std::string& address);
    /// Deletes the keys whose window has passed; returns how many.
    std::size_t purgeExpired();

    /// How many usernames have failures counted (for tests).
    [[nodiscard]] std::size_t trackedUsernames();

private:
    struct Key
    {
        storage::ThrottleScope scope;
        const std::string& value;
        int limit;
    };
    /// Seconds until the key may try again (0: now), from its window and failures at `now`.
    [[nodiscard]] int retryAfter(const storage::FailureWindow& window, int limit, Poco::Int64 now) const;
    /// Counts one more failure for each key (a new window when the last has passed), in the reserving
    /// transaction, after each key's row has been locked and read.
    void countFailures(Poco::Data::Session& session, const std::vector<Key>& keys,
                       const std::vector<storage::FailureWindow>& windows, Poco::Int64 at) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    ThrottleLimits _limits;
    storage::LoginFailureStore _store;
};

} // namespace captrack::service
