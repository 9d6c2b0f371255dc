#include "captrack/service/CredentialGuard.h"

#include "captrack/Errors.h"
#include "captrack/service/Catalogue.h"

namespace captrack::service
{

using domain::Principal;
using domain::Record;

CredentialGuard::CredentialGuard(storage::Database& database, const ResourceService& resources)
    : _database(database), _resources(resources)
{
}

void CredentialGuard::requirePasswordSession(const Principal& principal, const std::string& what)
{
    // A calendar feed's principal only ever reads its feed; it never reaches a route that would ask.
    if (principal.credential == domain::Credential::ApiToken ||
        principal.credential == domain::Credential::CalendarFeed)
        throw ForbiddenError("an API token cannot " + what + ": sign in with a password (POST /api/v1/auth/login)");
}

void CredentialGuard::checkMayChangeUser(const Principal& actor, Poco::Int64 userId) const
{
    const auto& users = Catalogue::instance().users;
    // Before the lookup, so that a non-admin does not learn which user ids exist.
    _resources.policy().checkReadById(actor, users, userId);
    const Record user = _resources.get(actor, users, userId);
    auto pLease = _database.lease();
    _resources.policy().checkWrite(pLease->session(), actor, users, &user, &user);
}

} // namespace captrack::service
