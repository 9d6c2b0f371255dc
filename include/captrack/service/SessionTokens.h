#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/service/Bearer.h"

#include <Poco/Timestamp.h>

#include <cstdint>
#include <optional>
#include <string>

namespace captrack::service
{

/// Issues and verifies session tokens: HS256 JWTs with integer `iat`/`exp`, the user id as `sub`, the
/// user's token version as `ver` and `captrack` as `iss`. Whether the user still exists, is enabled and
/// is at that token version is the caller's to check (Authenticator). Immutable after construction:
/// thread-safe.
///
/// A token whose signature and claims were verified once is remembered by the thread that verified
/// it (up to REMEMBERED tokens a thread, per instance): verifying it again checks only its expiry
/// against the clock, without the HMAC, base64 and JSON parsing that cost a third of a read request.
/// Nothing else can change about a token string once its signature held; revocation is the token
/// version, which the Authenticator reads from the database on every request.
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

    /// Tokens a thread remembers at most; past that it forgets them all and starts again.
    static constexpr std::size_t REMEMBERED = 512;

private:
    [[nodiscard]] std::optional<Bearer> verifyAfresh(const std::string& jwt, Poco::Int64 now,
                                                     Poco::Int64& expiresAt) const;

    const domain::Clock& _clock;
    const std::uint64_t _instance; ///< tells this instance's remembered tokens from another's (another secret)
    std::string _secret;
    int _lifetimeSeconds;
};

} // namespace captrack::service
