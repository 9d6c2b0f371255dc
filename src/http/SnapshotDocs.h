#pragma once

#include "captrack/http/RouteDoc.h"

namespace captrack::http::docs
{

/// What the OpenAPI document says of the routes of SnapshotApi.cpp.

[[nodiscard]] RouteDoc listSnapshots();
[[nodiscard]] RouteDoc publishSnapshot();
[[nodiscard]] RouteDoc getSnapshot();
[[nodiscard]] RouteDoc snapshotPortfolio();
[[nodiscard]] RouteDoc deleteSnapshot();

} // namespace captrack::http::docs
