#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/service/ApiTokens.h"
#include "captrack/service/SessionTokens.h"
#include "captrack/storage/Database.h"
#include "captrack/storage/UserStore.h"

#include <string>

namespace captrack::service
{

/// Who a bearer token (a session token or an API token `ct_...`) is. Every request re-reads the user:
/// a disabled user, a revoked token or a token of an older token version (a password change or reset,
/// a disable, a sign-out everywhere) is refused at once. Stateless apart from references to
/// thread-safe objects: thread-safe.
class Authenticator
{
public:
    Authenticator(storage::Database& database, const SessionTokens& sessions, const ApiTokens& apiTokens);

    /// The principal of a bearer token, its credential Session or ApiToken; UnauthorizedError when the
    /// token is not valid, expired, revoked, of an older token version, or its user is disabled, gone,
    /// of no known role, or a partner user without a partner.
    [[nodiscard]] domain::Principal authenticate(const std::string& bearer) const;

private:
    storage::Database& _database;
    const SessionTokens& _sessions;
    const ApiTokens& _apiTokens;
    storage::UserStore _users;
};

} // namespace captrack::service
