#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/service/Bearer.h"
#include "captrack/service/LoginThrottle.h"
#include "captrack/service/PasswordHasher.h"
#include "captrack/service/ResourceService.h"
#include "captrack/service/SessionTokens.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/UserStore.h"

#include <Poco/JSON/Object.h>

#include <mutex>
#include <optional>
#include <string>

namespace captrack::service
{

/// Signing in with a username and a password, and every other check of a password typed by a person,
/// under the sign-in throttle: each attempt is reserved before its password is hashed, every failure
/// waits the failure delay, and an unknown user costs the same hash as a known one. A hash made with
/// fewer iterations than configured is upgraded at sign-in. No password is ever logged. Thread-safe.
class SignIn
{
public:
    SignIn(storage::Database& database, const ResourceService& resources, const PasswordHasher& hasher,
           const SessionTokens& sessions, LoginThrottle& throttle, int failureDelayMs);
    SignIn(const SignIn&) = delete;
    SignIn& operator=(const SignIn&) = delete;

    /// TooManyRequestsError while the client address is locked out of sign-in; the sign-in route calls
    /// it before it parses the body.
    void checkAddress(const std::string& address);
    /// {"token", "token_type", "expires_at", "user"} for valid credentials. UnauthorizedError otherwise
    /// (the same answer for an unknown user, a wrong password or a disabled user); TooManyRequestsError
    /// while the username or the address is locked out. The username is normalised (signInName).
    Poco::JSON::Object::Ptr login(const std::string& username, const std::string& password, const std::string& address);
    /// True when `password` is the principal's current one. Counted by the sign-in throttle like a
    /// sign-in (TooManyRequestsError while locked out), so that a stolen session is no way to guess it;
    /// false only after the failure delay.
    bool verifyCurrentPassword(const domain::Principal& principal, const std::string& password,
                               const std::string& address);
    /// The answer of a sign-in: a fresh session token for the bearer and its user (read as the system).
    [[nodiscard]] Poco::JSON::Object::Ptr answer(const Bearer& bearer) const;

    /// A typed username as the users table holds it (trimmed, lower case, as usernames are created),
    /// or nullopt when no user can have it (too long, or a character usernames cannot contain). The
    /// sign-in throttle keys on it, so "Alice " and "alice" share one count.
    [[nodiscard]] static std::optional<std::string> signInName(const std::string& typed);

private:
    /// The user signing in, when the name is a user's, its password is right and it is not disabled;
    /// upgrades a hash made with fewer iterations than configured.
    [[nodiscard]] std::optional<Bearer> checkPassword(const std::string& name, const std::string& password) const;
    /// Stores a hash of the configured iterations over `oldHash`, unless the password changed meanwhile.
    void upgradeHash(Poco::Int64 userId, const std::string& oldHash, const std::string& password) const;
    /// Waits the failure delay (auth.failure_delay_ms).
    void delayFailure() const;
    /// Verified against for unknown users, so timing does not tell them apart; made on first need,
    /// which keeps start-up fast.
    [[nodiscard]] const std::string& dummyHash() const;

    storage::Database& _database;
    const ResourceService& _resources;
    const PasswordHasher& _hasher;
    const SessionTokens& _sessions;
    LoginThrottle& _throttle;
    int _failureDelayMs;
    storage::UserStore _users;
    mutable std::once_flag _dummyOnce;
    mutable std::string _dummyHash;
};

} // namespace captrack::service
