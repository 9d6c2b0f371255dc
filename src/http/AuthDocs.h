#pragma once

#include "captrack/http/RouteDoc.h"

namespace captrack::http::docs
{

/// What the OpenAPI document says of the routes of AuthApi.cpp: signing in, one's own account and
/// tokens, the audit trail, users and their credentials.

[[nodiscard]] RouteDoc login();
[[nodiscard]] RouteDoc me();
[[nodiscard]] RouteDoc changeOwnPassword();
[[nodiscard]] RouteDoc signOutEverywhere();
[[nodiscard]] RouteDoc listOwnTokens();
[[nodiscard]] RouteDoc createToken();
[[nodiscard]] RouteDoc revokeOwnToken();
[[nodiscard]] RouteDoc audit();
[[nodiscard]] RouteDoc listUsers();
[[nodiscard]] RouteDoc createUser();
[[nodiscard]] RouteDoc getUser();
[[nodiscard]] RouteDoc updateUser();
[[nodiscard]] RouteDoc listTokensOfUser();
[[nodiscard]] RouteDoc revokeTokenOfUser();
[[nodiscard]] RouteDoc signOutUser();

} // namespace captrack::http::docs
