#pragma once

#include "captrack/domain/Vocabulary.h"

#include <Poco/Types.h>

#include <optional>
#include <string>

namespace captrack::domain
{

/// How a principal proved who it is.
enum class Credential
{
    System,       ///< the server's own writes (migrations, seeding, command-line tools)
    Session,      ///< a session token from POST /api/v1/auth/login
    ApiToken,     ///< a long-lived API token (`ct_...`)
    CalendarFeed, ///< the secret of a calendar feed URL: reads that user's feed, nothing else
    CommandLine,  ///< a user named to a command-line tool (`captrack import --username U`) by the server's operator
};

/// Who is acting in a request: carried from the HTTP layer into every service call, recorded in
/// audit events and history. Every field is given explicitly: there is no default principal, so a
/// principal that nobody resolved cannot exist (deny by default).
struct Principal
{
    Poco::Int64 userId; ///< the users row; 0 only for the system principal
    std::string username;
    Role role;
    std::optional<Poco::Int64> partnerId; ///< set for the partner role only
    Credential credential;

    /// The principal of the server's own writes (reference data, demo seed, command-line tools).
    [[nodiscard]] static Principal system()
    {
        return Principal{0, "system", Role::Admin, std::nullopt, Credential::System};
    }
    [[nodiscard]] bool isSystem() const { return credential == Credential::System; }
};

} // namespace captrack::domain
