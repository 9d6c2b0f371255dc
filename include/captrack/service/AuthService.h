#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/service/LoginThrottle.h"
#include "captrack/service/PasswordHasher.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/Database.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <mutex>
#include <optional>
#include <string>

namespace captrack::service
{

/// Settings of sign-in (etc/captrack.properties `auth.*`).
struct AuthOptions
{
    std::string secret; ///< HMAC key for the HS256 session tokens
    int tokenLifetimeSeconds = 28800;
    int pbkdf2Iterations = 210000;
    int failureDelayMs = 200;    ///< added to every failed sign-in
    int maxUserFailures = 5;     ///< per username within the window
    int maxAddressFailures = 20; ///< per client address within the window
    int lockoutSeconds = 900;    ///< the window
};

/// Sign-in, session and API tokens, and users' passwords. Session tokens are HS256 JWTs with integer
/// `iat`/`exp` and the user id as `sub`; every request re-reads the user, so disabling a user or
/// revoking an API token takes effect at once. API tokens (`ct_...`) are shown once and stored as
/// SHA-256 only. No password or token is ever logged. Thread-safe.
class AuthService
{
public:
    AuthService(storage::Database& database, const domain::Clock& clock, const ResourceService& resources,
                AuthOptions options);
    AuthService(const AuthService&) = delete;
    AuthService& operator=(const AuthService&) = delete;

    /// {"token", "expires_at", "user"} for valid credentials. UnauthorizedError otherwise (the same
    /// answer for an unknown user, a wrong password or a disabled user); TooManyRequestsError while
    /// the username or the address is locked out.
    Poco::JSON::Object::Ptr login(const std::string& username, const std::string& password, const std::string& address);
    /// The principal of a bearer token (session JWT or API token); UnauthorizedError when it is not
    /// valid, expired, revoked, or its user is disabled.
    [[nodiscard]] domain::Principal authenticate(const std::string& bearer) const;

    /// Creates a user from client input that includes `password`.
    domain::Record createUser(const domain::Principal& actor, const domain::Record& input) const;
    /// Updates a user; input may include `password` (which sets a new one).
    domain::Record updateUser(const domain::Principal& actor, Poco::Int64 id, const domain::Record& input,
                              std::optional<Poco::Int64> expectedVersion) const;

    /// Creates an API token for the principal from {"name", "expires_in_days"?}; the answer carries
    /// the token itself, which is never shown again.
    Poco::JSON::Object::Ptr createApiToken(const domain::Principal& principal, const Poco::JSON::Object& input) const;
    [[nodiscard]] Poco::JSON::Array::Ptr listApiTokens(const domain::Principal& principal) const;
    /// Revokes one of the principal's tokens; NotFoundError when it has no such token.
    void revokeApiToken(const domain::Principal& principal, Poco::Int64 id) const;

    /// When there is no user at all, creates `admin` with a random password and returns that password.
    std::optional<std::string> createFirstAdminIfNone() const;
    /// A random password for people to type (24 characters).
    [[nodiscard]] static std::string randomPassword();
    /// 422 unless the password is 10 to 200 characters.
    static void checkPasswordRule(const std::string& password, FieldErrors& errors);

    [[nodiscard]] const PasswordHasher& hasher() const { return _hasher; }

private:
    [[nodiscard]] std::string issueSessionToken(Poco::Int64 userId, Poco::Timestamp& expires) const;
    [[nodiscard]] std::optional<Poco::Int64> verifySessionToken(const std::string& token) const;
    [[nodiscard]] std::optional<Poco::Int64> verifyApiToken(const std::string& token) const;
    void storePassword(Poco::Data::Session& session, Poco::Int64 userId, const std::string& password) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    const ResourceService& _resources;
    AuthOptions _options;
    PasswordHasher _hasher;
    /// Verified against for unknown users, so timing does not tell them apart; made on first need,
    /// which keeps start-up fast.
    [[nodiscard]] const std::string& dummyHash() const;
    mutable std::once_flag _dummyOnce;
    mutable std::string _dummyHash;
    mutable LoginThrottle _throttle;
};

/// Reads the HMAC secret from the file, creating it (mode 0600, 32 random bytes as hex) when absent.
[[nodiscard]] std::string loadOrCreateSecret(const std::string& path);

} // namespace captrack::service
