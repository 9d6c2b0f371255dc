#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/service/ThrottleTable.h"

#include <mutex>
#include <string>

namespace captrack::service
{

/// How many failed sign-ins LoginThrottle allows, and how many keys it remembers.
struct ThrottleLimits
{
    int maxUserFailures = 5;     ///< per username within the window
    int maxAddressFailures = 20; ///< per client address within the window
    int windowSeconds = 900;
    std::size_t capacity = 20000; ///< usernames, and again addresses, tracked at most
};

/// Limits sign-in attempts per username and per client address. An attempt is reserved before its
/// password is checked and counts as a failure from then on unless it succeeds, so parallel guesses
/// cannot overtake the limit: of N simultaneous wrong guesses at most `maxUserFailures` are checked,
/// the rest are refused (TooManyRequestsError, with Retry-After). Username keys are normalised by the
/// caller (AuthService::signInName). The state is bounded without forgetting locked keys (see
/// ThrottleTable). Kept in memory, per server instance. Thread-safe.
class LoginThrottle
{
public:
    LoginThrottle(const domain::Clock& clock, const ThrottleLimits& limits);

    /// TooManyRequestsError while the address is locked; cheap, for before a request body is parsed.
    void checkAddress(const std::string& address);
    /// Reserves one attempt for the username (empty: a name no user can have, only the address counts)
    /// and the address, atomically: TooManyRequestsError, reserving nothing, when either is locked.
    void reserve(const std::string& usernameKey, const std::string& address);
    /// The reserved attempt succeeded: clears the username's failures and gives the address its
    /// attempt back.
    void succeeded(const std::string& usernameKey, const std::string& address);
    /// The reserved attempt could not be checked (the database failed): gives both keys their attempt back.
    void cancel(const std::string& usernameKey, const std::string& address);

    /// How many usernames and addresses are tracked (for tests of the bound).
    [[nodiscard]] std::size_t trackedUsernames();
    [[nodiscard]] std::size_t trackedAddresses();

private:
    const domain::Clock& _clock;
    std::mutex _mutex;
    ThrottleTable _byUser;
    ThrottleTable _byAddress;
};

} // namespace captrack::service
