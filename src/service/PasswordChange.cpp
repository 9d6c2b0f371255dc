#include "captrack/service/PasswordChange.h"

#include "captrack/Errors.h"
#include "captrack/domain/Wording.h"
#include "captrack/service/AuditChanges.h"
#include "captrack/service/CredentialGuard.h"
#include "captrack/service/PasswordPolicy.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/Transaction.h"

namespace captrack::service
{

using domain::Principal;
using domain::Record;
using Poco::Dynamic::Var;

namespace
{
/// A password change as sent to PATCH /api/v1/me.
struct PasswordChangeInput
{
    std::optional<std::string> current;
    std::optional<std::string> next;
    Record version; ///< `version` when the body names it
};

PasswordChangeInput passwordChangeFrom(const Poco::JSON::Object& input, FieldErrors& errors)
{
    PasswordChangeInput change;
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
        PasswordPolicy::check(*change.next, errors);
    return change;
}
} // namespace

PasswordChange::PasswordChange(storage::Database& database, const domain::Clock& clock, const PasswordHasher& hasher,
                               SignIn& signIn, const SignOut& signOut)
    : _database(database), _clock(clock), _hasher(hasher), _signIn(signIn), _signOut(signOut), _users(database)
{
}

Poco::JSON::Object::Ptr PasswordChange::changeOwnPassword(const Principal& principal, const Poco::JSON::Object& input,
                                                          std::optional<Poco::Int64> expectedVersion,
                                                          const std::string& address)
{
    CredentialGuard::requirePasswordSession(principal, "change a password");
    FieldErrors errors;
    const PasswordChangeInput change = passwordChangeFrom(input, errors);
    const Poco::Int64 expected = expectedVersionOf(change.version, expectedVersion);
    if (change.current && !_signIn.verifyCurrentPassword(principal, *change.current, address))
        errors.push_back({"current_password", "is not your current password"});
    throwIfAny(errors);
    const Poco::Int64 tokenVersion = replaceOwnPassword(principal, *change.next, expected);
    return _signIn.answer(Bearer{principal.userId, tokenVersion});
}

Poco::Int64 PasswordChange::replaceOwnPassword(const Principal& principal, const std::string& password,
                                               Poco::Int64 expectedVersion) const
{
    const std::string hashed = _hasher.hash(password); // slow: before the write lock is taken
    return storage::inTransaction(_database, [&](storage::Transaction& txn) {
        auto& session = txn.session();
        const storage::UserVersions versions = _users.lockVersions(session, principal.userId);
        if (versions.version != expectedVersion)
            throw PreconditionFailedError(
                domain::changedMeanwhile(domain::nameText(domain::Entity::User), versions.version, expectedVersion));
        const std::string at = _clock.nowText();
        _users.changePassword(session, principal.userId, hashed, at);
        AuditChanges changes;
        changes.set("version", Var(versions.version), Var(versions.version + 1));
        changes.set("password", Var(), Var("changed"));
        _signOut.endSessions(session, principal, principal.userId, at, changes);
        return versions.tokenVersion + 1;
    });
}

} // namespace captrack::service
