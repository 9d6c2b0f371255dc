#pragma once

#include "captrack/http/PrincipalResolver.h"
#include "captrack/http/Router.h"
#include "captrack/service/AuditReader.h"
#include "captrack/service/AuthService.h"
#include "captrack/service/ResourceService.h"

namespace captrack::http
{

/// Resolves `Authorization: Bearer <token>` (session JWT or API token) through the AuthService.
class BearerResolver : public PrincipalResolver
{
public:
    explicit BearerResolver(const service::AuthService& auth) : _auth(auth) {}
    [[nodiscard]] domain::Principal resolve(const ApiRequest& request) const override;

private:
    const service::AuthService& _auth;
};

/// Adds sign-in (`/auth/login`, public), `/me` (read; PATCH changes one's password), `/me/sign-out`,
/// `/me/tokens`, `/users` with `/users/{id}/tokens` and `/users/{id}/sign-out`, and `/audit`. The
/// services must outlive the router.
void addAuthApi(Router& router, service::AuthService& auth, const service::ResourceService& resources,
                const service::AuditReader& audit);

} // namespace captrack::http
