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
    int pbkdf2Iterations = 600000; ///< OWASP's figure for PBKDF2-HMAC-SHA256
    int failureDelayMs = 200;      ///< added to every failed sign-in
    int maxUserFailures = 5;       ///< per username within the window
    int maxAddressFailures = 20;   ///< per client address within the window
    int lockoutSeconds = 900;      ///< the window
};

/// Sign-in, session and API tokens, and users' passwords. Session tokens are HS256 JWTs with integer
/// `iat`/`exp`, the user id as `sub` and the user's token version as `ver`; API tokens (`ct_...`) are
/// shown once, stored as SHA-256 only, and keep the token version they were created under. Every
/// request re-reads the user: a disabled user, a revoked token or a token of an older version (a
/// password change or reset, a disable, a sign-out everywhere) is refused at once. Credentials (tokens,
/// passwords, sign-outs) are managed only by a principal signed in with a password (a session) or by
/// the system, never through an API token. No password or token is ever logged. Thread-safe.
class AuthService
{
public:
    AuthService(storage::Database& database, const domain::Clock& clock, const ResourceService& resources,
                AuthOptions options);
    AuthService(const AuthService&) = delete;
    AuthService& operator=(const AuthService&) = delete;

    /// TooManyRequestsError while the client address is locked out of sign-in; the sign-in route calls
    /// it before it parses the body.
    void checkSignInAddress(const std::string& address);
    /// {"token", "token_type", "expires_at", "user"} for valid credentials. UnauthorizedError otherwise
    /// (the same answer for an unknown user, a wrong password or a disabled user); TooManyRequestsError
    /// while the username or the address is locked out. The username is normalised (signInName).
    Poco::JSON::Object::Ptr login(const std::string& username, const std::string& password, const std::string& address);
    /// The principal of a bearer token (session JWT or API token); UnauthorizedError when it is not
    /// valid, expired, revoked, of an older token version, or its user is disabled.
    [[nodiscard]] domain::Principal authenticate(const std::string& bearer) const;

    /// Creates a user from client input that includes `password`.
    domain::Record createUser(const domain::Principal& actor, const domain::Record& input) const;
    /// Updates a user; input may include `password` (a reset). A reset, and `disabled: true`, end every
    /// session and API token of the user and are audited as such. ForbiddenError for a reset by a
    /// principal signed in with an API token.
    domain::Record updateUser(const domain::Principal& actor, Poco::Int64 id, const domain::Record& input,
                              std::optional<Poco::Int64> expectedVersion) const;

    /// The principal changes its own password: input {"current_password", "password"} (and `version`
    /// unless `expectedVersion` is given). ForbiddenError with an API token; PreconditionRequired/
    /// Failed for a missing or stale version; ValidationError for any other field, a missing or wrong
    /// current password (counted as a failed sign-in) or a new password that breaks the rule;
    /// TooManyRequestsError while locked out. Ends every session and API token of the user and answers
    /// like login, with a fresh session token for the caller.
    Poco::JSON::Object::Ptr changeOwnPassword(const domain::Principal& principal, const Poco::JSON::Object& input,
                                              std::optional<Poco::Int64> expectedVersion, const std::string& address);
    /// Ends every session and API token of the principal itself (this request's included).
    /// ForbiddenError with an API token.
    void signOutEverywhere(const domain::Principal& principal) const;
    /// Ends every session and API token of another user: what the AccessPolicy lets change users
    /// (admins). ForbiddenError otherwise or with an API token; NotFoundError when there is no such user.
    void signOutUser(const domain::Principal& actor, Poco::Int64 userId) const;

    /// Creates an API token for the principal from {"name", "expires_in_days"?}; the answer carries
    /// the token itself, which is never shown again. ForbiddenError with an API token.
    Poco::JSON::Object::Ptr createApiToken(const domain::Principal& principal, const Poco::JSON::Object& input) const;
    /// The principal's own API tokens (never the tokens themselves).
    [[nodiscard]] Poco::JSON::Array::Ptr listOwnApiTokens(const domain::Principal& principal) const;
    /// A user's API tokens, for whoever may read that user (admins; a user its own).
    [[nodiscard]] Poco::JSON::Array::Ptr listUserApiTokens(const domain::Principal& actor, Poco::Int64 userId) const;
    /// Revokes one of the principal's tokens; NotFoundError when it has no such live token;
    /// ForbiddenError with an API token.
    void revokeOwnApiToken(const domain::Principal& principal, Poco::Int64 tokenId) const;
    /// Revokes a token of another user, for whoever may change users (admins); NotFoundError when the
    /// user has no such live token; ForbiddenError otherwise or with an API token.
    void revokeUserApiToken(const domain::Principal& actor, Poco::Int64 userId, Poco::Int64 tokenId) const;

    /// When there is no user at all, creates `admin` with a random password and returns that password.
    std::optional<std::string> createFirstAdminIfNone() const;
    /// A random password for people to type (24 characters).
    [[nodiscard]] static std::string randomPassword();
    /// 422 unless the password is 10 to 200 characters.
    static void checkPasswordRule(const std::string& password, FieldErrors& errors);
    /// A typed username as the users table holds it (trimmed, lower case, as usernames are created),
    /// or nullopt when no user can have it (too long, or a character usernames cannot contain). The
    /// sign-in throttle keys on it, so "Alice " and "alice" share one count.
    [[nodiscard]] static std::optional<std::string> signInName(const std::string& typed);

    /// The sign-in throttle (for diagnostics and tests of its bound).
    [[nodiscard]] LoginThrottle& throttle() { return _throttle; }

private:
    /// What a bearer token names: its user and the token version it was issued under.
    struct Bearer
    {
        Poco::Int64 userId;
        Poco::Int64 tokenVersion;
    };
    [[nodiscard]] std::string issueSessionToken(const Bearer& bearer, Poco::Timestamp& expires) const;
    [[nodiscard]] std::optional<Bearer> verifySessionToken(const std::string& token) const;
    [[nodiscard]] std::optional<Bearer> verifyApiToken(const std::string& token) const;
    /// The answer of a sign-in: a fresh session token and the user.
    [[nodiscard]] Poco::JSON::Object::Ptr sessionAnswer(const Bearer& bearer) const;
    /// The user signing in, when the name is a user's, its password is right and it is not disabled;
    /// upgrades a hash made with fewer iterations than configured.
    [[nodiscard]] std::optional<Bearer> checkPassword(const std::string& name, const std::string& password) const;
    void upgradeHash(Poco::Int64 userId, const std::string& oldHash, const std::string& password) const;
    void storePassword(Poco::Data::Session& session, Poco::Int64 userId, const std::string& password) const;
    /// Raises the user's token version and marks its live API tokens revoked, ending everything issued
    /// before; records an audit event saying why, with `changes` (JSON of field -> {old, new}).
    void endSessions(Poco::Data::Session& session, const domain::Principal& actor, Poco::Int64 userId,
                     const std::string& at, Poco::JSON::Object& changes) const;
    /// ForbiddenError unless the principal signed in with a password (or is the system).
    static void requirePasswordSession(const domain::Principal& principal, const std::string& what);
    /// NotFoundError when there is no such user, ForbiddenError unless the AccessPolicy lets the actor
    /// change it.
    void checkMayChangeUser(const domain::Principal& actor, Poco::Int64 userId) const;
    /// Verifies the principal's current password for a password change, counted by the sign-in throttle;
    /// adds a field error when it is wrong.
    void verifyCurrentPassword(const domain::Principal& principal, const std::string& password,
                               const std::string& address, FieldErrors& errors);
    /// Stores the new password if the user is still at `expectedVersion` (PreconditionFailedError
    /// otherwise) and ends its sessions; returns the user's new token version.
    Poco::Int64 replaceOwnPassword(const domain::Principal& principal, const std::string& password,
                                   Poco::Int64 expectedVersion) const;
    /// The user's current token version.
    [[nodiscard]] Poco::Int64 tokenVersionOf(Poco::Data::Session& session, Poco::Int64 userId) const;
    [[nodiscard]] Poco::JSON::Array::Ptr tokensOf(Poco::Int64 userId) const;
    void revokeToken(const domain::Principal& actor, Poco::Int64 userId, Poco::Int64 tokenId) const;

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

/// Reads the HMAC secret from the file. An existing file that group or others may read or write is
/// refused (Poco::FileAccessDeniedException saying to `chmod 600` it). An absent one is created with
/// 32 random bytes as hex, mode 0600, in directories created 0700.
[[nodiscard]] std::string loadOrCreateSecret(const std::string& path);

} // namespace captrack::service
