#pragma once

#include "captrack/service/ResourceService.h"
#include "captrack/service/SignOut.h"
#include "captrack/service/UserAccounts.h"

#include <iosfwd>
#include <map>
#include <optional>
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
/// and `sign-out` end every session and API token of the user (SignOut). Stateless apart from
/// references to thread-safe services: thread-safe (each call writes to its own streams).
class UserCommands
{
public:
    UserCommands(const service::ResourceService& resources, const service::UserAccounts& accounts,
                 const service::SignOut& signOut);

    /// Runs one command; throws ValidationError/NotFoundError/ConflictError like the API would.
    void run(const UserCommandInput& input, std::istream& in, std::ostream& out) const;

    /// Creates (or, when they exist, gives new passwords to) one demo user per role: demo-admin,
    /// demo-lead (made lead of some demo projects), demo-reviewer and demo-partner (for Moldova,
    /// which contributes to projects of every visibility). Returns username -> new password.
    [[nodiscard]] std::map<std::string, std::string> resetDemoUsers() const;

private:
    /// The id of the user named so; NotFoundError when there is none.
    [[nodiscard]] Poco::Int64 userId(const std::string& username) const;
    /// The id of the record of `resource` (partners, projects) with this code, if any.
    [[nodiscard]] std::optional<Poco::Int64> idByCode(const service::Resource& resource, const std::string& code) const;
    /// Resets the user's password (as the system: every session and API token of the user ends).
    void setPassword(const std::string& username, const std::string& password) const;
    /// `list`: every user, one a line, by username.
    void list(std::ostream& out) const;
    /// `add`: creates the user of the command line with the password.
    void addUser(const UserCommandInput& input, const std::string& password, std::ostream& out) const;
    /// `disable` (ends every session and API token of the user) and `enable`.
    void setDisabled(const std::string& username, bool disabled, std::ostream& out) const;
    /// Makes `lead` the lead of the demo projects that have none.
    void leadDemoProjects(Poco::Int64 lead) const;

    const service::ResourceService& _resources;
    const service::UserAccounts& _accounts;
    const service::SignOut& _signOut;
};

} // namespace captrack::app
