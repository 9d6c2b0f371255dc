#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/domain/Principal.h"
#include "captrack/service/AuditChanges.h"
#include "captrack/service/CredentialGuard.h"
#include "captrack/storage/ApiTokenStore.h"
#include "captrack/storage/CalendarFeedStore.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/UserStore.h"

#include <Poco/Data/Session.h>

#include <string>

namespace captrack::service
{

/// Ends every session and API token of a user at once: the user's token version goes up (every token
/// carries the version it was issued under) and its live API tokens are marked revoked. Used by a
/// sign-out everywhere, and by password changes and resets and disables (UserAccounts, PasswordChange).
/// Each ending is audited as an update of the user. Stateless apart from references to thread-safe
/// objects: thread-safe.
class SignOut
{
public:
    SignOut(storage::Database& database, const domain::Clock& clock, const CredentialGuard& guard);

    /// Ends every session and API token of the principal itself (this request's included).
    /// ForbiddenError with an API token.
    void signOutEverywhere(const domain::Principal& principal) const;
    /// Ends every session and API token of another user: what the AccessPolicy lets change users
    /// (admins). ForbiddenError otherwise or with an API token; NotFoundError when there is no such user.
    void signOutUser(const domain::Principal& actor, Poco::Int64 userId) const;

    /// Ends everything issued to the user before, on the caller's session (in its transaction), and
    /// records an audit event by `actor` at `at` with `changes` plus {"sessions": {"old": null, "new":
    /// "ended"}}.
    void endSessions(Poco::Data::Session& session, const domain::Principal& actor, Poco::Int64 userId,
                     const std::string& at, AuditChanges& changes) const;

private:
    storage::Database& _database;
    const domain::Clock& _clock;
    const CredentialGuard& _guard;
    storage::UserStore _users;
    storage::ApiTokenStore _tokens;
    storage::CalendarFeedStore _feeds;
};

} // namespace captrack::service
