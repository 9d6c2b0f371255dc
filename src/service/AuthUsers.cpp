// AuthService: users' passwords, and ending a user's sessions (password changes and resets,
// disables, sign-outs everywhere).

#include "captrack/Errors.h"
#include "captrack/domain/Wording.h"
#include "captrack/service/AuditLog.h"
#include "captrack/service/AuthService.h"
#include "captrack/service/Catalogue.h"
#include "captrack/storage/Transaction.h"

#include <Poco/Nullable.h>
#include <Poco/Thread.h>

#include <algorithm>
#include <sstream>

namespace captrack::service
{

using domain::Principal;
using domain::Record;
using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

namespace
{
/// Splits `password` off client input.
std::optional<std::string> takePassword(Record& input, FieldErrors& errors)
{
    const auto it = input.find("password");
    if (it == input.end())
        return std::nullopt;
    std::optional<std::string> password;
    if (!it->second.isString())
        errors.push_back({"password", "must be text"});
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

/// Sets {"old": .., "new": ..} for one field of an audit event's changes.
void setChange(Poco::JSON::Object& changes, const std::string& field, const Var& before, const Var& after)
{
    Poco::JSON::Object::Ptr pair = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    pair->set("old", before);
    pair->set("new", after);
    changes.set(field, pair);
}

bool requestsDisable(const Record& input)
{
    const auto it = input.find("disabled");
    return it != input.end() && it->second.isBoolean() && it->second.extract<bool>();
}
} // namespace

void AuthService::requirePasswordSession(const Principal& principal, const std::string& what)
{
    if (principal.credential == domain::Credential::ApiToken)
        throw ForbiddenError("an API token cannot " + what + ": sign in with a password (POST /api/v1/auth/login)");
}

void AuthService::checkMayChangeUser(const Principal& actor, Poco::Int64 userId) const
{
    const auto& users = Catalogue::instance().users;
    // Before the lookup, so that a non-admin does not learn which user ids exist.
    _resources.policy().checkReadById(actor, users, userId);
    const Record user = _resources.get(actor, users, userId);
    auto pLease = _database.lease();
    _resources.policy().checkWrite(pLease->session(), actor, users, &user, &user);
}

void AuthService::storePassword(Poco::Data::Session& session, Poco::Int64 userId, const std::string& password) const
{
    session << "UPDATE users SET password_hash = ? WHERE id = ?", bind(_hasher.hash(password)), bind(userId), now;
}

void AuthService::endSessions(Poco::Data::Session& session, const Principal& actor, Poco::Int64 userId,
                              const std::string& at, Poco::JSON::Object& changes) const
{
    session << "UPDATE users SET token_version = token_version + 1 WHERE id = ?", bind(userId), now;
    // The version alone ends them; marking them revoked shows it in the token lists.
    session << "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", bind(at), bind(userId),
        now;
    setChange(changes, "sessions", Var(), Var("ended"));
    std::ostringstream text;
    changes.stringify(text);
    AuditLog::recordRaw(session, actor, at, "update", "user", userId, std::nullopt, text.str());
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
    const bool resets = input.count("password") > 0;
    if (resets)
        requirePasswordSession(actor, "reset a password");
    // One's own password changes only with the current one (PATCH /me), so a stolen admin session
    // cannot take the account over by "resetting" its own password.
    if (resets && !actor.isSystem() && actor.userId == id)
        throw ForbiddenError("change your own password with PATCH /api/v1/me, which asks for the current one");
    const auto password = takePassword(input, errors);
    InTransaction endsSessions;
    // Disabling ends the user's sessions even when it was disabled already: re-enabling later must never
    // revive a token, and a repeated disable costs only a version.
    if (resets || requestsDisable(input))
        endsSessions = [&](Poco::Data::Session& session, const Record& stored) {
            throwIfAny(errors);
            Poco::JSON::Object changes(Poco::JSON_PRESERVE_KEY_ORDER);
            if (password)
            {
                storePassword(session, domain::recordId(stored), *password);
                setChange(changes, "password", Var(), Var(actor.userId == id ? "changed" : "reset"));
            }
            endSessions(session, actor, domain::recordId(stored), *domain::textField(stored, "updated_at"), changes);
        };
    return withExtraErrors(errors, [&] {
        return _resources.update(actor, Catalogue::instance().users, id, input, expectedVersion, endsSessions);
    });
}

void AuthService::signOutEverywhere(const Principal& principal) const
{
    requirePasswordSession(principal, "sign out everywhere");
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        Poco::JSON::Object changes(Poco::JSON_PRESERVE_KEY_ORDER);
        endSessions(txn.session(), principal, principal.userId, _clock.nowText(), changes);
    });
}

void AuthService::signOutUser(const Principal& actor, Poco::Int64 userId) const
{
    requirePasswordSession(actor, "sign a user out");
    checkMayChangeUser(actor, userId);
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        Poco::JSON::Object changes(Poco::JSON_PRESERVE_KEY_ORDER);
        endSessions(txn.session(), actor, userId, _clock.nowText(), changes);
    });
}

namespace
{
/// A password change as sent to PATCH /api/v1/me.
struct PasswordChange
{
    std::optional<std::string> current;
    std::optional<std::string> next;
    Record version; ///< `version` when the body names it
};

PasswordChange passwordChangeFrom(const Poco::JSON::Object& input, FieldErrors& errors)
{
    PasswordChange change;
    for (const auto& [key, value] : input)
    {
        if (key == "version")
            change.version[key] = value;
        else if (key != "current_password" && key != "password")
            errors.push_back({key, "cannot be changed here: an administrator changes it (PATCH /api/v1/users/{id})"});
        else if (!value.isString() || value.extract<std::string>().empty())
            errors.push_back({key, "is required, as text"});
        else
            (key == "password" ? change.next : change.current) = value.extract<std::string>();
    }
    if (!input.has("current_password"))
        errors.push_back({"current_password", "is required"});
    if (!input.has("password"))
        errors.push_back({"password", "is required: the new password"});
    if (change.next)
        AuthService::checkPasswordRule(*change.next, errors);
    return change;
}
} // namespace

Poco::JSON::Object::Ptr AuthService::changeOwnPassword(const Principal& principal, const Poco::JSON::Object& input,
                                                       std::optional<Poco::Int64> expectedVersion,
                                                       const std::string& address)
{
    requirePasswordSession(principal, "change a password");
    FieldErrors errors;
    const PasswordChange change = passwordChangeFrom(input, errors);
    const Poco::Int64 expected = expectedVersionOf(change.version, expectedVersion);
    if (change.current)
        verifyCurrentPassword(principal, *change.current, address, errors);
    throwIfAny(errors);
    const Poco::Int64 tokenVersion = replaceOwnPassword(principal, *change.next, expected);
    return sessionAnswer(Bearer{principal.userId, tokenVersion});
}

void AuthService::verifyCurrentPassword(const Principal& principal, const std::string& password,
                                        const std::string& address, FieldErrors& errors)
{
    // A stolen session must not become a way to guess the password: the same reservation as sign-in.
    _throttle.reserve(principal.username, address);
    Poco::Nullable<std::string> hash;
    try
    {
        auto pLease = _database.lease();
        pLease->session() << "SELECT password_hash FROM users WHERE id = ?", bind(principal.userId), into(hash), now;
    }
    catch (...)
    {
        _throttle.cancel(principal.username, address);
        throw;
    }
    if (!hash.isNull() && _hasher.verify(password, hash.value()))
    {
        _throttle.succeeded(principal.username, address);
        return;
    }
    if (_options.failureDelayMs > 0)
        Poco::Thread::sleep(_options.failureDelayMs);
    errors.push_back({"current_password", "is not your current password"});
}

Poco::Int64 AuthService::replaceOwnPassword(const Principal& principal, const std::string& password,
                                            Poco::Int64 expectedVersion) const
{
    const std::string hashed = _hasher.hash(password); // slow: before the write lock is taken
    return storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        Poco::Int64 version = 0, tokenVersion = 0;
        session << std::string("SELECT version, token_version FROM users WHERE id = ?") + _database.lockRowsSuffix(),
            bind(principal.userId), into(version), into(tokenVersion), now;
        if (version != expectedVersion)
            throw PreconditionFailedError(domain::changedMeanwhile("user", version, expectedVersion));
        const std::string at = _clock.nowText();
        session << "UPDATE users SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?",
            bind(hashed), bind(at), bind(principal.userId), now;
        Poco::JSON::Object changes(Poco::JSON_PRESERVE_KEY_ORDER);
        setChange(changes, "version", Var(version), Var(version + 1));
        setChange(changes, "password", Var(), Var("changed"));
        endSessions(session, principal, principal.userId, at, changes);
        return tokenVersion + 1;
    });
}

} // namespace captrack::service
