#include "captrack/service/SignOut.h"

#include "captrack/service/AuditLog.h"
#include "captrack/storage/Transaction.h"

namespace captrack::service
{

using domain::Principal;
using Poco::Dynamic::Var;

SignOut::SignOut(storage::Database& database, const domain::Clock& clock, const CredentialGuard& guard)
    : _database(database), _clock(clock), _guard(guard), _users(database), _tokens(database), _feeds(database)
{
}

void SignOut::endSessions(Poco::Data::Session& session, const Principal& actor, Poco::Int64 userId,
                          const std::string& at, AuditChanges& changes) const
{
    _users.raiseTokenVersion(session, userId);
    // The version alone ends them (calendar feeds too); marking them revoked shows it in the token lists.
    _tokens.revokeAllOfUser(session, userId, at);
    _feeds.revokeAllOfUser(session, userId, at);
    changes.set("sessions", Var(), Var("ended"));
    AuditLog::recordRaw(session, actor, at, "update", domain::Entity::User, userId, std::nullopt, changes.json());
}

void SignOut::signOutEverywhere(const Principal& principal) const
{
    CredentialGuard::requirePasswordSession(principal, "sign out everywhere");
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        AuditChanges changes;
        endSessions(txn.session(), principal, principal.userId, _clock.nowText(), changes);
    });
}

void SignOut::signOutUser(const Principal& actor, Poco::Int64 userId) const
{
    CredentialGuard::requirePasswordSession(actor, "sign a user out");
    _guard.checkMayChangeUser(actor, userId);
    storage::inTransaction(_database, [&](storage::Transaction& txn) {
        AuditChanges changes;
        endSessions(txn.session(), actor, userId, _clock.nowText(), changes);
    });
}

} // namespace captrack::service
