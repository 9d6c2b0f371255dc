#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/service/PasswordHasher.h"
#include "captrack/service/SignIn.h"
#include "captrack/service/SignOut.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/UserStore.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace captrack::service
{

/// A principal changes its own password (PATCH /api/v1/me), proving it with the current one. Only a
/// principal signed in with a password may; the check of the current password counts as a sign-in
/// attempt (SignIn::verifyCurrentPassword). Thread-safe.
class PasswordChange
{
public:
    PasswordChange(storage::Database& database, const domain::Clock& clock, const PasswordHasher& hasher,
                   SignIn& signIn, const SignOut& signOut);

    /// Input {"current_password", "password"} (and `version` unless `expectedVersion` is given).
    /// ForbiddenError with an API token; PreconditionRequired/Failed for a missing or stale version;
    /// ValidationError for any other field, a missing or wrong current password (counted as a failed
    /// sign-in) or a new password that breaks the rule; TooManyRequestsError while locked out. Ends
    /// every session and API token of the user and answers like a sign-in, with a fresh session token
    /// for the caller.
    Poco::JSON::Object::Ptr changeOwnPassword(const domain::Principal& principal, const Poco::JSON::Object& input,
                                              std::optional<Poco::Int64> expectedVersion, const std::string& address);

private:
    /// Stores the new password if the user is still at `expectedVersion` (PreconditionFailedError
    /// otherwise) and ends its sessions; returns the user's new token version.
    Poco::Int64 replaceOwnPassword(const domain::Principal& principal, const std::string& password,
                                   Poco::Int64 expectedVersion) const;

    storage::Database& _database;
    const domain::Clock& _clock;
    const PasswordHasher& _hasher;
    SignIn& _signIn;
    const SignOut& _signOut;
    storage::UserStore _users;
};

} // namespace captrack::service
