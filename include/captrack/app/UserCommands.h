#pragma once

#include "captrack/service/AuthService.h"
#include "captrack/service/ResourceService.h"

#include <iosfwd>
#include <map>
#include <string>

namespace captrack::app
{

/// What `captrack user ...` was given on the command line.
struct UserCommandInput
{
    std::string action; ///< add, passwd, disable, enable, sign-out, list
    std::string username;
    std::string role;
    std::string partnerCode;
    std::string displayName;
    bool passwordFromStdin = false;
};

/// The `captrack user` commands and the demo users, over the same services as the API (validated,
/// audited as the system). Passwords come from standard input and are never echoed. `passwd`, `disable`
/// and `sign-out` end every session and API token of the user (AuthService).
class UserCommands
{
public:
    UserCommands(const service::ResourceService& resources, service::AuthService& auth);

    /// Runs one command; throws ValidationError/NotFoundError/ConflictError like the API would.
    void run(const UserCommandInput& input, std::istream& in, std::ostream& out) const;

    /// Creates (or, when they exist, gives new passwords to) one demo user per role: demo-admin,
    /// demo-lead (made lead of some demo projects), demo-reviewer and demo-partner (for Moldova,
    /// which contributes to projects of every visibility). Returns username -> new password.
    [[nodiscard]] std::map<std::string, std::string> resetDemoUsers() const;

private:
    [[nodiscard]] Poco::Int64 userId(const std::string& username) const;
    void setPassword(const std::string& username, const std::string& password) const;

    const service::ResourceService& _resources;
    service::AuthService& _auth;
};

} // namespace captrack::app
