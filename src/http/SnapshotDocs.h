#pragma once

#include "captrack/http/RouteDoc.h"

namespace captrack::http::docs
{

/// What the OpenAPI document says of the routes of SnapshotApi.cpp and ChangesApi.cpp.

[[nodiscard]] RouteDoc listSnapshots();
[[nodiscard]] RouteDoc publishSnapshot();
[[nodiscard]] RouteDoc getSnapshot();
[[nodiscard]] RouteDoc snapshotPortfolio();
[[nodiscard]] RouteDoc deleteSnapshot();
[[nodiscard]] RouteDoc portfolioChanges();
[[nodiscard]] RouteDoc healthHistory();

} // namespace captrack::http::docs
