#pragma once

#include "captrack/http/Router.h"
#include "captrack/service/ResourceService.h"
#include "captrack/service/Webhooks.h"

namespace captrack::http
{

/// Admins' webhook endpoints (docs/HTTP.md "Webhooks"): the resource routes of /api/v1/webhooks (the
/// secret write-only) and GET /api/v1/webhooks/{id}/deliveries, the delivery log. Everybody else gets
/// 403. Call while the router is being built.
void addWebhookApi(Router& router, const service::ResourceService& resources,
                   const service::WebhookDeliveries& deliveries);

} // namespace captrack::http
