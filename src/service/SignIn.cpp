#include "captrack/service/SignIn.h"

#include "captrack/Errors.h"
#include "captrack/Metrics.h"
#include "captrack/domain/Clock.h"
#include "captrack/domain/Specs.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/Crypto.h"
#include "captrack/service/RecordJson.h"
#include "captrack/storage/Transaction.h"

#include <Poco/String.h>
#include <Poco/Thread.h>

namespace captrack::service
{

using domain::Principal;
using domain::Record;

SignIn::SignIn(storage::Database& database, const ResourceService& resources, const PasswordHasher& hasher,
               const SessionTokens& sessions, LoginThrottle& throttle, int failureDelayMs)
    : _database(database), _resources(resources), _hasher(hasher), _sessions(sessions), _throttle(throttle),
      _failureDelayMs(failureDelayMs), _users(database)
{
}

const std::string& SignIn::dummyHash() const
{
    std::call_once(_dummyOnce, [this] { _dummyHash = _hasher.hash(randomHex(16)); });
    return _dummyHash;
}

void SignIn::delayFailure() const
{
    if (_failureDelayMs > 0)
        Poco::Thread::sleep(_failureDelayMs);
}

std::optional<std::string> SignIn::signInName(const std::string& typed)
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

void SignIn::checkAddress(const std::string& address)
{
    _throttle.checkAddress(address);
}

Poco::JSON::Object::Ptr SignIn::login(const std::string& username, const std::string& password,
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
        metrics::process().signInFailures.add();
        delayFailure();
        throw UnauthorizedError("invalid username or password");
    }
    _throttle.succeeded(*name, address);
    return answer(*bearer);
}

std::optional<Bearer> SignIn::checkPassword(const std::string& name, const std::string& password) const
{
    std::optional<storage::UserSignIn> user;
    {
        auto pLease = _database.lease();
        user = _users.findByUsername(pLease->session(), name);
    }
    // Unknown users cost the same hash as known ones, so timing does not reveal which usernames exist.
    const bool known = user && user->passwordHash;
    const bool passwordOk = _hasher.verify(password, known ? *user->passwordHash : dummyHash()) && known;
    if (!passwordOk || user->disabled)
        return std::nullopt;
    if (_hasher.needsRehash(*user->passwordHash))
        upgradeHash(user->id, *user->passwordHash, password);
    return Bearer{user->id, user->tokenVersion};
}

void SignIn::upgradeHash(Poco::Int64 userId, const std::string& oldHash, const std::string& password) const
{
    const std::string upgraded = _hasher.hash(password);
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        // Only over the hash just verified: a password changed meanwhile stays changed. The password itself
        // does not change, so nothing ends and nothing is audited.
        _users.replacePasswordHash(txn.session(), userId, oldHash, upgraded);
    });
}

bool SignIn::verifyCurrentPassword(const Principal& principal, const std::string& password, const std::string& address)
{
    // A stolen session must not become a way to guess the password: the same reservation as sign-in.
    _throttle.reserve(principal.username, address);
    std::optional<std::string> hash;
    try
    {
        auto pLease = _database.lease();
        hash = _users.passwordHash(pLease->session(), principal.userId);
    }
    catch (...)
    {
        _throttle.cancel(principal.username, address);
        throw;
    }
    if (hash && _hasher.verify(password, *hash))
    {
        _throttle.succeeded(principal.username, address);
        return true;
    }
    metrics::process().signInFailures.add();
    delayFailure();
    return false;
}

Poco::JSON::Object::Ptr SignIn::answer(const Bearer& bearer) const
{
    Poco::Timestamp expires;
    const std::string token = _sessions.issue(bearer, expires);
    const Record user = _resources.get(Principal::system(), Catalogue::instance().users, bearer.userId);
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("token", token);
    body->set("token_type", "Bearer");
    body->set("expires_at", domain::rfc3339(expires));
    body->set("user", recordToJson(domain::userSpec(), user));
    return body;
}

} // namespace captrack::service
