#include "captrack/storage/ApiTokenStore.h"

#include "NullableColumns.h"

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

ApiTokenStore::ApiTokenStore(const Database& database) : _database(database) {}

Poco::Int64 ApiTokenStore::insert(Poco::Data::Session& session, const NewApiToken& token) const
{
    Poco::Nullable<std::string> expiresAt;
    if (token.expiresAt)
        expiresAt = *token.expiresAt;
    session << "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at, token_version) "
               "VALUES (?, ?, ?, ?, ?, ?)",
        bind(token.userId), bind(token.name), bind(token.digest), bind(token.createdAt), use(expiresAt),
        bind(token.tokenVersion), now;
    Poco::Int64 id = 0;
    session << _database.lastInsertIdSql(), into(id), now;
    return id;
}

std::optional<ApiTokenGrant> ApiTokenStore::findByDigest(Poco::Data::Session& session, const std::string& digest) const
{
    std::string hash = digest;
    Poco::Int64 userId = 0, tokenVersion = 0;
    Poco::Nullable<std::string> expiresAt, revokedAt;
    session << "SELECT user_id, expires_at, revoked_at, token_version FROM api_tokens WHERE token_hash = ?", use(hash),
        into(userId), into(expiresAt), into(revokedAt), into(tokenVersion), now;
    if (userId == 0)
        return std::nullopt;
    return ApiTokenGrant{userId, optionalOf(expiresAt), optionalOf(revokedAt), tokenVersion};
}

std::vector<ApiTokenSummary> ApiTokenStore::listOfUser(Poco::Data::Session& session, Poco::Int64 userId) const
{
    std::vector<Poco::Int64> ids;
    std::vector<std::string> names, created;
    std::vector<Poco::Nullable<std::string>> expires, revoked;
    session << "SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id",
        bind(userId), into(ids), into(names), into(created), into(expires), into(revoked), now;
    std::vector<ApiTokenSummary> tokens;
    tokens.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        tokens.push_back({ids[i], names[i], created[i], optionalOf(expires[i]), optionalOf(revoked[i])});
    return tokens;
}

bool ApiTokenStore::isLive(Poco::Data::Session& session, Poco::Int64 tokenId, Poco::Int64 userId) const
{
    Poco::Int64 found = 0;
    session << "SELECT COUNT(*) FROM api_tokens WHERE id = ? AND user_id = ? AND revoked_at IS NULL", bind(tokenId),
        bind(userId), into(found), now;
    return found > 0;
}

void ApiTokenStore::revoke(Poco::Data::Session& session, Poco::Int64 tokenId, const std::string& at) const
{
    session << "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", bind(at), bind(tokenId), now;
}

void ApiTokenStore::revokeAllOfUser(Poco::Data::Session& session, Poco::Int64 userId, const std::string& at) const
{
    session << "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", bind(at), bind(userId),
        now;
}

} // namespace captrack::storage
