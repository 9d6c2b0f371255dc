// AuthService: API tokens for scripts (create, list, revoke), for their owner and for admins.

#include "captrack/Errors.h"
#include "captrack/domain/ResourceSpec.h"
#include "captrack/domain/TextRules.h"
#include "captrack/domain/Utf8.h"
#include "captrack/domain/Wording.h"
#include "captrack/service/AuditLog.h"
#include "captrack/service/AuthService.h"
#include "captrack/service/Catalogue.h"
#include "captrack/storage/Transaction.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Nullable.h>
#include <Poco/String.h>

namespace captrack::service
{

using domain::Principal;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
constexpr std::size_t MAX_NAME_CHARACTERS = 200;
constexpr Poco::Int64 MAX_DAYS = 3650;

/// The token's name, trimmed; a field error when it is missing, too long or holds unsafe characters
/// (or is not UTF-8).
std::string tokenName(const Poco::JSON::Object& input, FieldErrors& errors)
{
    if (!input.has("name") || !input.get("name").isString() || Poco::trim(input.getValue<std::string>("name")).empty())
    {
        errors.push_back({"name", "is required: say what the token is for"});
        return {};
    }
    const std::string name = Poco::trim(input.getValue<std::string>("name"));
    // The one text rule of every stored text (docs/TEXT.md): a token's name must read as what it is.
    if (const auto problem = domain::plainTextProblem(name, domain::TextLines::Single))
    {
        errors.push_back({"name", *problem});
        return {};
    }
    if (domain::utf8::codePointCount(name) > MAX_NAME_CHARACTERS)
        errors.push_back({"name", "must be at most " + std::to_string(MAX_NAME_CHARACTERS) + " characters"});
    return name;
}

/// When the token expires, from `expires_in_days` (a JSON whole number, never a boolean or a string);
/// null when not given.
Poco::Nullable<std::string> tokenExpiry(const Poco::JSON::Object& input, const Poco::Timestamp& now,
                                        FieldErrors& errors)
{
    if (!input.has("expires_in_days") || input.get("expires_in_days").isEmpty())
        return {};
    const Var days = input.get("expires_in_days");
    // Poco's Var calls a boolean an integer (true is 1): a boolean is not a number of days.
    const auto whole = domain::wholeNumberValue(days);
    if (!whole || *whole < 1 || *whole > MAX_DAYS)
    {
        errors.push_back({"expires_in_days", "must be a whole number from 1 to " + std::to_string(MAX_DAYS)});
        return {};
    }
    const Poco::Timestamp at = now + days.convert<Poco::Int64>() * 86400 * Poco::Timestamp::resolution();
    return Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%SZ");
}
} // namespace

Poco::Int64 AuthService::tokenVersionOf(Poco::Data::Session& session, Poco::Int64 userId) const
{
    Poco::Int64 version = 0;
    session << std::string("SELECT token_version FROM users WHERE id = ?") + _database.lockRowsSuffix(), bind(userId),
        into(version), now;
    return version;
}

Poco::JSON::Object::Ptr AuthService::createApiToken(const Principal& principal, const Poco::JSON::Object& input) const
{
    // An API token minting tokens could outlive its own revocation.
    requirePasswordSession(principal, "create API tokens");
    FieldErrors errors;
    std::string name = tokenName(input, errors);
    Poco::Nullable<std::string> expiresAt = tokenExpiry(input, _clock.now(), errors);
    for (const auto& [key, value] : input)
        if (key != "name" && key != "expires_in_days")
            errors.push_back({key, domain::notAFieldOf("API token")});
    throwIfAny(errors);

    const std::string token = "ct_" + randomHex(32);
    std::string hash = sha256Hex(token), at = _clock.nowText();
    Poco::Int64 userId = principal.userId, id = 0;
    {
        storage::inTransaction(_database, [&](storage::Transaction& txn) {
            auto& session = txn.session();
            // Created under the user's current token version: a later sign-out everywhere ends it too.
            Poco::Int64 tokenVersion = tokenVersionOf(session, userId);
            session << "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at, token_version) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                use(userId), use(name), use(hash), use(at), use(expiresAt), use(tokenVersion), now;
            session << _database.lastInsertIdSql(), into(id), now;
            AuditLog::recordRaw(session, principal, at, "create", "api_token", id, std::nullopt,
                                AuditLog::change("name", Var(), Var(name)));
        });
    }
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("id", id);
    body->set("name", name);
    body->set("token", token);
    body->set("created_at", at);
    body->set("expires_at", expiresAt.isNull() ? Var() : Var(expiresAt.value()));
    return body;
}

Poco::JSON::Array::Ptr AuthService::tokensOf(Poco::Int64 userId) const
{
    auto pLease = _database.lease();
    std::vector<Poco::Int64> ids;
    std::vector<std::string> names, created;
    std::vector<Poco::Nullable<std::string>> expires, revoked;
    pLease->session() << "SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = ? "
                         "ORDER BY id",
        use(userId), into(ids), into(names), into(created), into(expires), into(revoked), now;
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("id", ids[i]);
        item->set("name", names[i]);
        item->set("created_at", created[i]);
        item->set("expires_at", expires[i].isNull() ? Var() : Var(expires[i].value()));
        item->set("revoked_at", revoked[i].isNull() ? Var() : Var(revoked[i].value()));
        items->add(item);
    }
    return items;
}

Poco::JSON::Array::Ptr AuthService::listOwnApiTokens(const Principal& principal) const
{
    return tokensOf(principal.userId);
}

Poco::JSON::Array::Ptr AuthService::listUserApiTokens(const Principal& actor, Poco::Int64 userId) const
{
    // The user's read rules: admins read anyone, a user itself; 404 for a missing user.
    const auto user = _resources.get(actor, Catalogue::instance().users, userId);
    return tokensOf(domain::recordId(user));
}

void AuthService::revokeOwnApiToken(const Principal& principal, Poco::Int64 tokenId) const
{
    requirePasswordSession(principal, "revoke API tokens");
    revokeToken(principal, principal.userId, tokenId);
}

void AuthService::revokeUserApiToken(const Principal& actor, Poco::Int64 userId, Poco::Int64 tokenId) const
{
    requirePasswordSession(actor, "revoke API tokens");
    checkMayChangeUser(actor, userId);
    revokeToken(actor, userId, tokenId);
}

void AuthService::revokeToken(const Principal& actor, Poco::Int64 userId, Poco::Int64 tokenId) const
{
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        Poco::Int64 found = 0;
        session << "SELECT COUNT(*) FROM api_tokens WHERE id = ? AND user_id = ? AND revoked_at IS NULL", bind(tokenId),
            bind(userId), into(found), now;
        if (found == 0)
            throw NotFoundError("no such token");
        const std::string at = _clock.nowText();
        session << "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", bind(at), bind(tokenId), now;
        AuditLog::recordRaw(session, actor, at, "update", "api_token", tokenId, std::nullopt,
                            AuditLog::change("revoked_at", Var(), Var(at)));
    });
}

} // namespace captrack::service
