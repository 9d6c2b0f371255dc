#include "captrack/service/Authenticator.h"

#include "captrack/Errors.h"
#include "captrack/domain/Vocabulary.h"

namespace captrack::service
{

using domain::Principal;

namespace
{
domain::Role roleFrom(const std::string& name)
{
    if (const auto role = domain::parseName<domain::Role>(name))
        return *role;
    throw UnauthorizedError("the user has no valid role");
}
} // namespace

Authenticator::Authenticator(storage::Database& database, const SessionTokens& sessions, const ApiTokens& apiTokens)
    : _database(database), _sessions(sessions), _apiTokens(apiTokens), _users(database)
{
}

Principal Authenticator::authenticate(const std::string& token) const
{
    const bool apiToken = token.rfind("ct_", 0) == 0;
    const auto bearer = apiToken ? _apiTokens.resolve(token) : _sessions.verify(token);
    if (!bearer)
        throw UnauthorizedError("the token is not valid (expired, revoked or tampered with)");
    auto pLease = _database.lease();
    const auto user = _users.findById(pLease->session(), bearer->userId);
    if (!user || user->disabled)
        throw UnauthorizedError("the token's user is disabled or gone");
    if (user->tokenVersion != bearer->tokenVersion)
        throw UnauthorizedError("the token has ended (a password change or reset, a disable or a sign-out "
                                "everywhere came after it): sign in again");
    Principal principal{user->id, user->username, roleFrom(user->role), user->partnerId,
                        apiToken ? domain::Credential::ApiToken : domain::Credential::Session};
    if (principal.role == domain::Role::Partner && !principal.partnerId)
        throw UnauthorizedError("the partner user has no partner");
    return principal;
}

} // namespace captrack::service
