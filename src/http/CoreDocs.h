#pragma once

#include "captrack/http/RouteDoc.h"

namespace captrack::http::docs
{

/// What the OpenAPI document says of the routes of CoreApi.cpp that are not a resource's five: the
/// probes, a partner's contributions, baselines and a milestone's history.

[[nodiscard]] RouteDoc healthz();
[[nodiscard]] RouteDoc readyz();
[[nodiscard]] RouteDoc partnerContributions();
[[nodiscard]] RouteDoc listBaselines();
[[nodiscard]] RouteDoc takeBaseline();
[[nodiscard]] RouteDoc getBaseline();
[[nodiscard]] RouteDoc milestoneHistory();

} // namespace captrack::http::docs
