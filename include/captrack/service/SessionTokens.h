#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/service/Bearer.h"

#include <Poco/Timestamp.h>

#include <optional>
#include <string>

namespace captrack::service
{

/// Issues and verifies session tokens: HS256 JWTs with integer `iat`/`exp`, the user id as `sub`, the
/// user's token version as `ver` and `captrack` as `iss`. Whether the user still exists, is enabled and
/// is at that token version is the caller's to check (Authenticator). Immutable after construction:
/// thread-safe.
class SessionTokens
{
public:
    /// Poco::InvalidArgumentException when the secret is shorter than 32 characters.
    SessionTokens(const domain::Clock& clock, std::string secret, int lifetimeSeconds);

    /// A token for the bearer, valid from now for the configured lifetime; `expires` is set to its end.
    [[nodiscard]] std::string issue(const Bearer& bearer, Poco::Timestamp& expires) const;
    /// What the token names when its signature (compared in constant time; HS256 only, never `none` or
    /// another algorithm), issuer, expiry, version and subject hold; nullopt for anything else. Never
    /// throws for a malformed token.
    [[nodiscard]] std::optional<Bearer> verify(const std::string& jwt) const;

private:
    const domain::Clock& _clock;
    std::string _secret;
    int _lifetimeSeconds;
};

} // namespace captrack::service
