#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/service/Bearer.h"
#include "captrack/service/CredentialGuard.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/ApiTokenStore.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/UserStore.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace captrack::service
{

/// API tokens for scripts (`ct_` and 64 hex digits), for their owner and for admins. A token is shown
/// once, when it is created, and stored as its SHA-256 only; it keeps the token version it was created
/// under, so a password change or reset, a disable or a sign-out everywhere ends it too. Tokens are
/// managed only by a principal signed in with a password, never through an API token (CredentialGuard).
/// Every change is audited. No token is ever logged. Stateless apart from references to thread-safe
/// objects: thread-safe.
class ApiTokens
{
public:
    ApiTokens(storage::Database& database, const domain::Clock& clock, const ResourceService& resources,
              const CredentialGuard& guard);

    /// Creates an API token for the principal from {"name", "expires_in_days"?}; the answer carries
    /// the token itself, which is never shown again. ForbiddenError with an API token; ValidationError
    /// for a missing or bad name or expiry, or any other field.
    Poco::JSON::Object::Ptr create(const domain::Principal& principal, const Poco::JSON::Object& input) const;
    /// The principal's own API tokens (never the tokens themselves).
    [[nodiscard]] Poco::JSON::Array::Ptr listOwn(const domain::Principal& principal) const;
    /// A user's API tokens, for whoever may read that user (admins; a user its own); NotFoundError
    /// otherwise or when there is no such user.
    [[nodiscard]] Poco::JSON::Array::Ptr listOfUser(const domain::Principal& actor, Poco::Int64 userId) const;
    /// Revokes one of the principal's tokens; NotFoundError when it has no such live token;
    /// ForbiddenError with an API token.
    void revokeOwn(const domain::Principal& principal, Poco::Int64 tokenId) const;
    /// Revokes a token of another user, for whoever may change users (admins); NotFoundError when the
    /// user has no such live token; ForbiddenError otherwise or with an API token.
    void revokeOfUser(const domain::Principal& actor, Poco::Int64 userId, Poco::Int64 tokenId) const;

    /// What a presented API token names, when it is known, not revoked and not expired; nullopt
    /// otherwise. Whether its user is still at that token version is the caller's to check.
    [[nodiscard]] std::optional<Bearer> resolve(const std::string& token) const;

private:
    [[nodiscard]] Poco::JSON::Array::Ptr tokensOf(Poco::Int64 userId) const;
    void revoke(const domain::Principal& actor, Poco::Int64 userId, Poco::Int64 tokenId) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    const ResourceService& _resources;
    const CredentialGuard& _guard;
    storage::ApiTokenStore _tokens;
    storage::UserStore _users;
};

} // namespace captrack::service
