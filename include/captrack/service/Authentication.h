#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/service/ApiTokens.h"
#include "captrack/service/AuthOptions.h"
#include "captrack/service/Authenticator.h"
#include "captrack/service/CredentialGuard.h"
#include "captrack/service/LoginThrottle.h"
#include "captrack/service/PasswordChange.h"
#include "captrack/service/PasswordHasher.h"
#include "captrack/service/ResourceService.h"
#include "captrack/service/SessionTokens.h"
#include "captrack/service/SignIn.h"
#include "captrack/service/SignOut.h"
#include "captrack/service/UserAccounts.h"
#include "captrack/storage/Database.h"

namespace captrack::service
{

/// Wiring only: builds the authentication services over one database from the `auth.*` settings,
/// each given the others it needs, and hands each out for its callers to use. Throws
/// Poco::InvalidArgumentException for auth.pbkdf2_iterations below 1 or a secret shorter than 32
/// characters. The services are thread-safe.
class Authentication
{
public:
    Authentication(storage::Database& database, const domain::Clock& clock, const ResourceService& resources,
                   const AuthOptions& options);
    Authentication(const Authentication&) = delete;
    Authentication& operator=(const Authentication&) = delete;

    [[nodiscard]] SignIn& signIn() { return _signIn; }
    [[nodiscard]] const Authenticator& authenticator() const { return _authenticator; }
    [[nodiscard]] const UserAccounts& users() const { return _users; }
    [[nodiscard]] PasswordChange& passwordChange() { return _passwordChange; }
    [[nodiscard]] const SignOut& signOut() const { return _signOut; }
    [[nodiscard]] const ApiTokens& apiTokens() const { return _apiTokens; }
    /// The sign-in throttle (for its housekeeping and tests of its bound).
    [[nodiscard]] LoginThrottle& throttle() { return _throttle; }

private:
    PasswordHasher _hasher; ///< first: a bad iteration count is the first error, as it always was
    SessionTokens _sessions;
    LoginThrottle _throttle;
    CredentialGuard _guard;
    SignIn _signIn;
    SignOut _signOut;
    ApiTokens _apiTokens;
    UserAccounts _users;
    PasswordChange _passwordChange;
    Authenticator _authenticator;
};

} // namespace captrack::service
