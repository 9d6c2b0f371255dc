#pragma once

#include "captrack/http/Router.h"
#include "captrack/service/BaselineService.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/Database.h"

namespace captrack::http
{

/// Adds the probes and every route of the core API (docs/HTTP.md "API conventions") to the router.
/// The services must outlive the router.
void addCoreApi(Router& router, storage::Database& database, const service::ResourceService& resources,
                const service::BaselineService& baselines);

} // namespace captrack::http
