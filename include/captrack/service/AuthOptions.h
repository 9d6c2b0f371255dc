#pragma once

#include <string>

namespace captrack::service
{

/// Settings of sign-in (etc/captrack.properties `auth.*`).
struct AuthOptions
{
    std::string secret; ///< HMAC key for the HS256 session tokens
    int tokenLifetimeSeconds = 28800;
    int pbkdf2Iterations = 600000; ///< OWASP's figure for PBKDF2-HMAC-SHA256
    int failureDelayMs = 200;      ///< added to every failed sign-in
    int maxUserFailures = 5;       ///< per username within the window
    int maxAddressFailures = 20;   ///< per client address within the window
    int lockoutSeconds = 900;      ///< the window
};

} // namespace captrack::service
