#pragma once

#include "captrack/http/PrincipalResolver.h"
#include "captrack/service/Authenticator.h"

namespace captrack::http
{

/// Resolves `Authorization: Bearer <token>` (session JWT or API token) through the Authenticator;
/// UnauthorizedError when the header is missing, not `Bearer <token>`, or the token is not valid.
/// Thread-safe.
class BearerResolver : public PrincipalResolver
{
public:
    explicit BearerResolver(const service::Authenticator& authenticator) : _authenticator(authenticator) {}
    [[nodiscard]] domain::Principal resolve(const ApiRequest& request) const override;

private:
    const service::Authenticator& _authenticator;
};

} // namespace captrack::http
