#pragma once

#include "captrack/http/Router.h"
#include "captrack/service/LeadWorklist.h"

namespace captrack::http
{

/// Adds `GET /api/v1/me/needs-update` (signed in; the service refuses partners): the milestones of
/// the caller's own projects that need an update, with query parameters `as_of`, `look_ahead_days` and
/// `stale_days`. The worklist must outlive the router.
void addLeadApi(Router& router, const service::LeadWorklist& worklist);

} // namespace captrack::http
