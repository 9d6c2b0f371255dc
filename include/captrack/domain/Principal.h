#pragma once

#include <Poco/Types.h>

#include <optional>
#include <string>

namespace captrack::domain
{

/// The four roles of DESIGN.md ("Who uses it").
enum class Role
{
    Admin,
    Lead,
    Reviewer,
    Partner,
};

/// Who is acting in a request: carried from the HTTP layer into every service call, recorded in
/// audit events and history.
struct Principal
{
    Poco::Int64 userId = 0; ///< 0 for the system itself (migrations, seeding)
    std::string username;
    Role role = Role::Admin;
    std::optional<Poco::Int64> partnerId; ///< set for the partner role only

    /// The principal of the server's own writes (reference data, demo seed).
    [[nodiscard]] static Principal system() { return Principal{0, "system", Role::Admin, std::nullopt}; }
};

[[nodiscard]] const char* roleName(Role role);

} // namespace captrack::domain
