#include "captrack/service/AuthService.h"

#include "captrack/Errors.h"
#include "captrack/domain/Specs.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/RecordJson.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Nullable.h>
#include <Poco/Thread.h>

#include <algorithm>

namespace captrack::service
{

using domain::Principal;
using domain::Record;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
std::string rfc3339(const Poco::Timestamp& at)
{
    return Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%SZ");
}

domain::Role roleFrom(const std::string& name)
{
    if (name == "admin")
        return domain::Role::Admin;
    if (name == "lead")
        return domain::Role::Lead;
    if (name == "reviewer")
        return domain::Role::Reviewer;
    if (name == "partner")
        return domain::Role::Partner;
    throw UnauthorizedError("the user has no valid role");
}

/// Splits `password` off client input.
std::optional<std::string> takePassword(Record& input, FieldErrors& errors)
{
    const auto it = input.find("password");
    if (it == input.end())
        return std::nullopt;
    std::optional<std::string> password;
    if (!it->second.isString())
        errors.push_back({"password", "must be a string"});
    else
        password = it->second.extract<std::string>();
    input.erase(it);
    if (password)
        AuthService::checkPasswordRule(*password, errors);
    return password;
}

/// Runs a write, adding `extra` errors to a ValidationError it throws (or throwing them alone).
template <typename Write> Record withExtraErrors(const FieldErrors& extra, Write write)
{
    try
    {
        Record result = write();
        throwIfAny(extra);
        return result;
    }
    catch (const ValidationError& e)
    {
        FieldErrors all = e.errors();
        for (const auto& error : extra)
            if (std::none_of(all.begin(), all.end(),
                             [&](const FieldError& x) { return x.field == error.field && x.message == error.message; }))
                all.push_back(error);
        throw ValidationError(all);
    }
}
} // namespace

AuthService::AuthService(storage::Database& database, const domain::Clock& clock, const ResourceService& resources,
                         AuthOptions options)
    : _database(database), _clock(clock), _resources(resources), _options(std::move(options)),
      _hasher(_options.pbkdf2Iterations),
      _throttle(clock, _options.maxUserFailures, _options.maxAddressFailures, _options.lockoutSeconds)
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

Poco::JSON::Object::Ptr AuthService::login(const std::string& username, const std::string& password,
                                           const std::string& address)
{
    _throttle.check(username, address);
    Poco::Nullable<std::string> hash;
    Poco::Int64 userId = 0, disabled = 1;
    {
        auto pLease = _database.lease();
        std::string name = username;
        pLease->session() << "SELECT id, password_hash, disabled FROM users WHERE username = ?", use(name),
            into(userId), into(hash), into(disabled), now;
    }
    // Unknown users cost the same hash as known ones, so timing does not reveal which usernames exist.
    const bool passwordOk = _hasher.verify(password, hash.isNull() ? dummyHash() : hash.value()) && !hash.isNull();
    if (!passwordOk || userId == 0 || disabled != 0)
    {
        _throttle.recordFailure(username, address);
        if (_options.failureDelayMs > 0)
            Poco::Thread::sleep(_options.failureDelayMs);
        throw UnauthorizedError("invalid username or password");
    }
    _throttle.recordSuccess(username);
    if (_hasher.needsRehash(hash.value()))
    {
        auto pLease = _database.lease();
        storePassword(pLease->session(), userId, password);
    }
    Poco::Timestamp expires;
    const std::string token = issueSessionToken(userId, expires);
    const Record user = _resources.get(Principal::system(), Catalogue::instance().users, userId);
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("token", token);
    body->set("token_type", "Bearer");
    body->set("expires_at", rfc3339(expires));
    body->set("user", recordToJson(domain::userSpec(), user));
    return body;
}

Principal AuthService::authenticate(const std::string& bearer) const
{
    const auto userId = bearer.rfind("ct_", 0) == 0 ? verifyApiToken(bearer) : verifySessionToken(bearer);
    if (!userId)
        throw UnauthorizedError("the token is not valid (expired, revoked or tampered with)");
    auto pLease = _database.lease();
    Poco::Int64 id = *userId, disabled = 1;
    std::string username, role;
    Poco::Nullable<Poco::Int64> partnerId;
    Poco::Int64 found = 0;
    pLease->session() << "SELECT id, username, role, partner_id, disabled FROM users WHERE id = ?", use(id),
        into(found), into(username), into(role), into(partnerId), into(disabled), now;
    if (found == 0 || disabled != 0)
        throw UnauthorizedError("the token's user is disabled or gone");
    Principal principal{found, username, roleFrom(role), std::nullopt,
                        bearer.rfind("ct_", 0) == 0 ? domain::Credential::ApiToken : domain::Credential::Session};
    if (!partnerId.isNull())
        principal.partnerId = partnerId.value();
    if (principal.role == domain::Role::Partner && !principal.partnerId)
        throw UnauthorizedError("the partner user has no partner");
    return principal;
}

void AuthService::storePassword(Poco::Data::Session& session, Poco::Int64 userId, const std::string& password) const
{
    std::string hashed = _hasher.hash(password);
    session << "UPDATE users SET password_hash = ? WHERE id = ?", use(hashed), use(userId), now;
}

Record AuthService::createUser(const Principal& actor, const Record& rawInput) const
{
    Record input = rawInput;
    FieldErrors errors;
    const auto password = takePassword(input, errors);
    if (!password)
        errors.push_back({"password", "is required"});
    return withExtraErrors(errors, [&] {
        return _resources.create(actor, Catalogue::instance().users, input, std::nullopt,
                                 [&](Poco::Data::Session& session, const Record& stored) {
                                     throwIfAny(errors);
                                     storePassword(session, domain::recordId(stored), *password);
                                 });
    });
}

Record AuthService::updateUser(const Principal& actor, Poco::Int64 id, const Record& rawInput,
                               std::optional<Poco::Int64> expectedVersion) const
{
    Record input = rawInput;
    FieldErrors errors;
    const auto password = takePassword(input, errors);
    InTransaction setPassword;
    if (password || !errors.empty())
        setPassword = [&](Poco::Data::Session& session, const Record& stored) {
            throwIfAny(errors);
            storePassword(session, domain::recordId(stored), *password);
        };
    return withExtraErrors(errors, [&] {
        return _resources.update(actor, Catalogue::instance().users, id, input, expectedVersion, setPassword);
    });
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
    createUser(Principal::system(),
               {{"username", "admin"}, {"display_name", "Administrator"}, {"role", "admin"}, {"password", password}});
    return password;
}

} // namespace captrack::service
