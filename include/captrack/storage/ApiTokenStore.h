#pragma once

#include "captrack/storage/Database.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <string>
#include <vector>

namespace captrack::storage
{

/// An API token to store: only the digest of the token itself is ever kept.
struct NewApiToken
{
    Poco::Int64 userId = 0;
    std::string name;
    std::string digest; ///< SHA-256 of the token, hex
    std::string createdAt;
    std::optional<std::string> expiresAt;
    Poco::Int64 tokenVersion = 0; ///< the user's token version when it was created
};

/// What a presented API token grants, as stored.
struct ApiTokenGrant
{
    Poco::Int64 userId = 0;
    std::optional<std::string> expiresAt;
    std::optional<std::string> revokedAt;
    Poco::Int64 tokenVersion = 0;
};

/// One API token as its owner and admins see it (never the token or its digest).
struct ApiTokenSummary
{
    Poco::Int64 id = 0;
    std::string name;
    std::string createdAt;
    std::optional<std::string> expiresAt;
    std::optional<std::string> revokedAt;
};

/// Table `api_tokens`. Each call runs on the caller's session, and so in the caller's transaction.
/// Stateless: safe for concurrent use. Driver errors propagate (Poco::Data exceptions).
class ApiTokenStore
{
public:
    explicit ApiTokenStore(const Database& database);

    /// Stores a token; returns its id.
    Poco::Int64 insert(Poco::Data::Session& session, const NewApiToken& token) const;
    /// The token with this digest, if any (revoked and expired ones included).
    [[nodiscard]] std::optional<ApiTokenGrant> findByDigest(Poco::Data::Session& session,
                                                            const std::string& digest) const;
    /// Every token of the user, revoked ones included, oldest first.
    [[nodiscard]] std::vector<ApiTokenSummary> listOfUser(Poco::Data::Session& session, Poco::Int64 userId) const;
    /// True when the user has a token with this id that is not revoked.
    [[nodiscard]] bool isLive(Poco::Data::Session& session, Poco::Int64 tokenId, Poco::Int64 userId) const;
    /// Marks the token revoked at `at`.
    void revoke(Poco::Data::Session& session, Poco::Int64 tokenId, const std::string& at) const;
    /// Marks every token of the user that is not revoked yet revoked at `at`.
    void revokeAllOfUser(Poco::Data::Session& session, Poco::Int64 userId, const std::string& at) const;

private:
    const Database& _database;
};

} // namespace captrack::storage
