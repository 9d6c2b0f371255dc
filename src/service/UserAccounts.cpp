#include "captrack/service/UserAccounts.h"

#include "captrack/Errors.h"
#include "captrack/domain/Vocabulary.h"
#include "captrack/service/Catalogue.h"
#include "captrack/service/PasswordPolicy.h"

#include <algorithm>

namespace captrack::service
{

using domain::Principal;
using domain::Record;
using Poco::Dynamic::Var;

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
        PasswordPolicy::check(*password, errors);
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

bool requestsDisable(const Record& input)
{
    const auto it = input.find("disabled");
    return it != input.end() && it->second.isBoolean() && it->second.extract<bool>();
}
} // namespace

UserAccounts::UserAccounts(storage::Database& database, const ResourceService& resources, const PasswordHasher& hasher,
                           const SignOut& signOut)
    : _database(database), _resources(resources), _hasher(hasher), _signOut(signOut), _users(database)
{
}

void UserAccounts::storePassword(Poco::Data::Session& session, Poco::Int64 userId, const std::string& password) const
{
    _users.setPasswordHash(session, userId, _hasher.hash(password));
}

Record UserAccounts::createUser(const Principal& actor, const Record& rawInput) const
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

Record UserAccounts::updateUser(const Principal& actor, Poco::Int64 id, const Record& rawInput,
                                std::optional<Poco::Int64> expectedVersion) const
{
    Record input = rawInput;
    FieldErrors errors;
    const bool resets = input.count("password") > 0;
    if (resets)
        CredentialGuard::requirePasswordSession(actor, "reset a password");
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
            AuditChanges changes;
            if (password)
            {
                storePassword(session, domain::recordId(stored), *password);
                changes.set("password", Var(), Var(actor.userId == id ? "changed" : "reset"));
            }
            _signOut.endSessions(session, actor, domain::recordId(stored), *domain::textField(stored, "updated_at"),
                                 changes);
        };
    return withExtraErrors(errors, [&] {
        return _resources.update(actor, Catalogue::instance().users, id, input, expectedVersion, endsSessions);
    });
}

std::optional<Poco::Int64> UserAccounts::findId(const std::string& username) const
{
    auto pLease = _database.lease();
    const auto user = _users.findByUsername(pLease->session(), username);
    return user ? std::optional<Poco::Int64>(user->id) : std::nullopt;
}

std::optional<std::string> UserAccounts::createFirstAdminIfNone() const
{
    {
        auto pLease = _database.lease();
        if (_users.hasAny(pLease->session()))
            return std::nullopt;
    }
    const std::string password = PasswordPolicy::randomPassword();
    try
    {
        createUser(Principal::system(), {{"username", "admin"},
                                         {"display_name", "Administrator"},
                                         {"role", domain::nameText(domain::Role::Admin)},
                                         {"password", password}});
    }
    catch (const ConflictError&)
    {
        return std::nullopt; // another server starting at the same time created it first
    }
    return password;
}

} // namespace captrack::service
