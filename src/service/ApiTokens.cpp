#include "captrack/service/ApiTokens.h"

#include "captrack/Errors.h"
#include "captrack/domain/Clock.h"
#include "captrack/domain/ResourceSpec.h"
#include "captrack/domain/TextRules.h"
#include "captrack/domain/Utf8.h"
#include "captrack/domain/Wording.h"
#include "captrack/service/AuditLog.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/Crypto.h"
#include "captrack/storage/Transaction.h"

#include <Poco/String.h>

namespace captrack::service
{

using domain::Principal;
using Poco::Dynamic::Var;

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
/// none when not given.
std::optional<std::string> tokenExpiry(const Poco::JSON::Object& input, const Poco::Timestamp& now, FieldErrors& errors)
{
    if (!input.has("expires_in_days") || input.get("expires_in_days").isEmpty())
        return std::nullopt;
    const Var days = input.get("expires_in_days");
    // Poco's Var calls a boolean an integer (true is 1): a boolean is not a number of days.
    const auto whole = domain::wholeNumberValue(days);
    if (!whole || *whole < 1 || *whole > MAX_DAYS)
    {
        errors.push_back({"expires_in_days", "must be a whole number from 1 to " + std::to_string(MAX_DAYS)});
        return std::nullopt;
    }
    const Poco::Timestamp at = now + days.convert<Poco::Int64>() * 86400 * Poco::Timestamp::resolution();
    return domain::rfc3339(at);
}

Var varOf(const std::optional<std::string>& text)
{
    return text ? Var(*text) : Var();
}

/// The answer of a create: the stored token and, this once, the token itself.
Poco::JSON::Object::Ptr createdAnswer(Poco::Int64 id, const storage::NewApiToken& stored, const std::string& token)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("id", id);
    body->set("name", stored.name);
    body->set("token", token);
    body->set("created_at", stored.createdAt);
    body->set("expires_at", varOf(stored.expiresAt));
    return body;
}
} // namespace

ApiTokens::ApiTokens(storage::Database& database, const domain::Clock& clock, const ResourceService& resources,
                     const CredentialGuard& guard)
    : _database(database), _clock(clock), _resources(resources), _guard(guard), _tokens(database), _users(database)
{
}

Poco::JSON::Object::Ptr ApiTokens::create(const Principal& principal, const Poco::JSON::Object& input) const
{
    // An API token minting tokens could outlive its own revocation.
    CredentialGuard::requirePasswordSession(principal, "create API tokens");
    FieldErrors errors;
    storage::NewApiToken stored;
    stored.name = tokenName(input, errors);
    stored.expiresAt = tokenExpiry(input, _clock.now(), errors);
    for (const auto& [key, value] : input)
        if (key != "name" && key != "expires_in_days")
            errors.push_back({key, domain::notAFieldOf("API token")});
    throwIfAny(errors);

    const std::string token = "ct_" + randomHex(32);
    stored.digest = sha256Hex(token);
    stored.createdAt = _clock.nowText();
    stored.userId = principal.userId;
    Poco::Int64 id = 0;
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        // Created under the user's current token version: a later sign-out everywhere ends it too.
        stored.tokenVersion = _users.lockTokenVersion(session, stored.userId);
        id = _tokens.insert(session, stored);
        AuditLog::recordRaw(session, principal, stored.createdAt, "create", domain::Entity::ApiToken, id, std::nullopt,
                            AuditLog::change("name", Var(), Var(stored.name)));
    });
    return createdAnswer(id, stored, token);
}

Poco::JSON::Array::Ptr ApiTokens::tokensOf(Poco::Int64 userId) const
{
    auto pLease = _database.lease();
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (const auto& token : _tokens.listOfUser(pLease->session(), userId))
    {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("id", token.id);
        item->set("name", token.name);
        item->set("created_at", token.createdAt);
        item->set("expires_at", varOf(token.expiresAt));
        item->set("revoked_at", varOf(token.revokedAt));
        items->add(item);
    }
    return items;
}

Poco::JSON::Array::Ptr ApiTokens::listOwn(const Principal& principal) const
{
    return tokensOf(principal.userId);
}

Poco::JSON::Array::Ptr ApiTokens::listOfUser(const Principal& actor, Poco::Int64 userId) const
{
    // The user's read rules: admins read anyone, a user itself; 404 for a missing user.
    const auto user = _resources.get(actor, Catalogue::instance().users, userId);
    return tokensOf(domain::recordId(user));
}

void ApiTokens::revokeOwn(const Principal& principal, Poco::Int64 tokenId) const
{
    CredentialGuard::requirePasswordSession(principal, "revoke API tokens");
    revoke(principal, principal.userId, tokenId);
}

void ApiTokens::revokeOfUser(const Principal& actor, Poco::Int64 userId, Poco::Int64 tokenId) const
{
    CredentialGuard::requirePasswordSession(actor, "revoke API tokens");
    _guard.checkMayChangeUser(actor, userId);
    revoke(actor, userId, tokenId);
}

void ApiTokens::revoke(const Principal& actor, Poco::Int64 userId, Poco::Int64 tokenId) const
{
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        if (!_tokens.isLive(session, tokenId, userId))
            throw NotFoundError("no such token");
        const std::string at = _clock.nowText();
        _tokens.revoke(session, tokenId, at);
        AuditLog::recordRaw(session, actor, at, "update", domain::Entity::ApiToken, tokenId, std::nullopt,
                            AuditLog::change("revoked_at", Var(), Var(at)));
    });
}

std::optional<Bearer> ApiTokens::resolve(const std::string& token) const
{
    auto pLease = _database.lease();
    const auto grant = _tokens.findByDigest(pLease->session(), sha256Hex(token));
    if (!grant || grant->revokedAt)
        return std::nullopt;
    if (grant->expiresAt && *grant->expiresAt <= _clock.nowText())
        return std::nullopt;
    return Bearer{grant->userId, grant->tokenVersion};
}

} // namespace captrack::service
