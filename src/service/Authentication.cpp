#include "captrack/service/Authentication.h"

namespace captrack::service
{

Authentication::Authentication(storage::Database& database, const domain::Clock& clock,
                               const ResourceService& resources, const AuthOptions& options)
    : _hasher(options.pbkdf2Iterations), _sessions(clock, options.secret, options.tokenLifetimeSeconds),
      _throttle(database, clock,
                ThrottleLimits{options.maxUserFailures, options.maxAddressFailures, options.lockoutSeconds}),
      _guard(database, resources), _signIn(database, resources, _hasher, _sessions, _throttle, options.failureDelayMs),
      _signOut(database, clock, _guard), _apiTokens(database, clock, resources, _guard),
      _users(database, resources, _hasher, _signOut), _passwordChange(database, clock, _hasher, _signIn, _signOut),
      _authenticator(database, _sessions, _apiTokens)
{
}

} // namespace captrack::service
