#pragma once

#include "captrack/http/Router.h"
#include "captrack/service/AuditReader.h"
#include "captrack/service/Authentication.h"
#include "captrack/service/ResourceService.h"

namespace captrack::http
{

/// Adds sign-in (`/auth/login`, public), `/me` (read; PATCH changes one's password), `/me/sign-out`,
/// `/me/tokens`, `/users` with `/users/{id}/tokens` and `/users/{id}/sign-out`, and `/audit`. The
/// services must outlive the router.
void addAuthApi(Router& router, service::Authentication& auth, const service::ResourceService& resources,
                const service::AuditReader& audit);

} // namespace captrack::http
