#include "captrack/service/AuthService.h"

#include "captrack/Errors.h"
#include "captrack/domain/Specs.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/RecordJson.h"
#include "captrack/storage/Transaction.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Nullable.h>
#include <Poco/String.h>
#include <Poco/Thread.h>

namespace captrack::service
{

using domain::Principal;
using domain::Record;
using namespace Poco::Data::Keywords;

namespace
{
std::string rfc3339(const Poco::Timestamp& at)
{
    return Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%SZ");
}

domain::Role roleFrom(const std::string& name)
{
    if (const auto role = domain::parseName<domain::Role>(name))
        return *role;
    throw UnauthorizedError("the user has no valid role");
}

ThrottleLimits throttleLimits(const AuthOptions& options)
{
    return ThrottleLimits{options.maxUserFailures, options.maxAddressFailures, options.lockoutSeconds};
}
} // namespace

AuthService::AuthService(storage::Database& database, const domain::Clock& clock, const ResourceService& resources,
                         AuthOptions options)
    : _database(database), _clock(clock), _resources(resources), _options(std::move(options)),
      _hasher(_options.pbkdf2Iterations), _throttle(database, clock, throttleLimits(_options))
{
    if (_options.secret.size() < 32)
        throw Poco::InvalidArgumentException("the token secret must be at least 32 characters");
}

const std::string& AuthService::dummyHash() const
{
    std::call_once(_dummyOnce, [this] { _dummyHash = _hasher.hash(randomHex(16)); });
    return _dummyHash;
}

void AuthService::checkPasswordRule(const std::string& password, FieldErrors& errors)
{
    if (password.size() < 10 || password.size() > 200)
        errors.push_back({"password", "must be 10 to 200 characters"});
}

std::string AuthService::randomPassword()
{
    return randomHex(12);
}

std::optional<std::string> AuthService::signInName(const std::string& typed)
{
    const domain::FieldSpec& field = *domain::userSpec().field("username");
    // Refused before anything is copied, so a huge name never reaches the throttle or the database.
    if (typed.size() > 4 * field.maxLength)
        return std::nullopt;
    // Usernames are created in lower case and compared exactly (BINARY on SQLite, utf8mb4_bin on
    // MariaDB): lower-casing the typed name is the one folding under which two names are the same user.
    const std::string name = Poco::toLower(Poco::trim(typed));
    if (name.empty() || name.size() > field.maxLength ||
        (!field.allowedCharacters.empty() && name.find_first_not_of(field.allowedCharacters) != std::string::npos))
        return std::nullopt;
    return name;
}

void AuthService::checkSignInAddress(const std::string& address)
{
    _throttle.checkAddress(address);
}

Poco::JSON::Object::Ptr AuthService::login(const std::string& username, const std::string& password,
                                           const std::string& address)
{
    const auto name = signInName(username);
    // Reserved before the password is hashed: parallel guesses cannot all pass a check made earlier.
    _throttle.reserve(name.value_or(""), address);
    std::optional<Bearer> bearer;
    try
    {
        if (name)
            bearer = checkPassword(*name, password);
    }
    catch (...)
    {
        _throttle.cancel(name.value_or(""), address); // the database failed, not the guess
        throw;
    }
    if (!bearer)
    {
        if (_options.failureDelayMs > 0)
            Poco::Thread::sleep(_options.failureDelayMs);
        throw UnauthorizedError("invalid username or password");
    }
    _throttle.succeeded(*name, address);
    return sessionAnswer(*bearer);
}

std::optional<AuthService::Bearer> AuthService::checkPassword(const std::string& name,
                                                              const std::string& password) const
{
    Poco::Nullable<std::string> hash;
    Poco::Int64 userId = 0, disabled = 1, tokenVersion = 0;
    {
        auto pLease = _database.lease();
        std::string username = name;
        pLease->session() << "SELECT id, password_hash, disabled, token_version FROM users WHERE username = ?",
            use(username), into(userId), into(hash), into(disabled), into(tokenVersion), now;
    }
    // Unknown users cost the same hash as known ones, so timing does not reveal which usernames exist.
    const bool known = userId != 0 && !hash.isNull();
    const bool passwordOk = _hasher.verify(password, known ? hash.value() : dummyHash()) && known;
    if (!passwordOk || disabled != 0)
        return std::nullopt;
    if (_hasher.needsRehash(hash.value()))
        upgradeHash(userId, hash.value(), password);
    return Bearer{userId, tokenVersion};
}

void AuthService::upgradeHash(Poco::Int64 userId, const std::string& oldHash, const std::string& password) const
{
    const std::string upgraded = _hasher.hash(password);
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        // Only over the hash just verified: a password changed meanwhile stays changed. The password itself
        // does not change, so nothing ends and nothing is audited.
        txn.session() << "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?", bind(upgraded),
            bind(userId), bind(oldHash), now;
    });
}

Poco::JSON::Object::Ptr AuthService::sessionAnswer(const Bearer& bearer) const
{
    Poco::Timestamp expires;
    const std::string token = issueSessionToken(bearer, expires);
    const Record user = _resources.get(Principal::system(), Catalogue::instance().users, bearer.userId);
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("token", token);
    body->set("token_type", "Bearer");
    body->set("expires_at", rfc3339(expires));
    body->set("user", recordToJson(domain::userSpec(), user));
    return body;
}

Principal AuthService::authenticate(const std::string& token) const
{
    const bool apiToken = token.rfind("ct_", 0) == 0;
    const auto bearer = apiToken ? verifyApiToken(token) : verifySessionToken(token);
    if (!bearer)
        throw UnauthorizedError("the token is not valid (expired, revoked or tampered with)");
    auto pLease = _database.lease();
    Poco::Int64 id = bearer->userId, found = 0, disabled = 1, tokenVersion = -1;
    std::string username, role;
    Poco::Nullable<Poco::Int64> partnerId;
    pLease->session() << "SELECT id, username, role, partner_id, disabled, token_version FROM users WHERE id = ?",
        use(id), into(found), into(username), into(role), into(partnerId), into(disabled), into(tokenVersion), now;
    if (found == 0 || disabled != 0)
        throw UnauthorizedError("the token's user is disabled or gone");
    if (tokenVersion != bearer->tokenVersion)
        throw UnauthorizedError("the token has ended (a password change or reset, a disable or a sign-out "
                                "everywhere came after it): sign in again");
    Principal principal{found, username, roleFrom(role), std::nullopt,
                        apiToken ? domain::Credential::ApiToken : domain::Credential::Session};
    if (!partnerId.isNull())
        principal.partnerId = partnerId.value();
    if (principal.role == domain::Role::Partner && !principal.partnerId)
        throw UnauthorizedError("the partner user has no partner");
    return principal;
}

std::optional<std::string> AuthService::createFirstAdminIfNone() const
{
    {
        auto pLease = _database.lease();
        Poco::Int64 users = 0;
        pLease->session() << "SELECT COUNT(*) FROM users", into(users), now;
        if (users > 0)
            return std::nullopt;
    }
    const std::string password = randomPassword();
    try
    {
        createUser(
            Principal::system(),
            {{"username", "admin"}, {"display_name", "Administrator"}, {"role", "admin"}, {"password", password}});
    }
    catch (const ConflictError&)
    {
        return std::nullopt; // another server starting at the same time created it first
    }
    return password;
}

} // namespace captrack::service
