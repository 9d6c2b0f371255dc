#pragma once

#include "captrack/http/Router.h"

#include <string>

namespace captrack::http
{

/// Where the OpenAPI document is served (public).
inline constexpr const char* OPENAPI_PATH = "/api/v1/openapi.json";

/// The OpenAPI 3.1 document of every route of `router`, as JSON text: built from the route table and
/// each route's RouteDoc (docs/HTTP.md "The OpenAPI document"), never kept beside them. Throws
/// std::logic_error naming the route whose RouteDoc is broken (a schema that is not JSON, a path
/// parameter the pattern lacks, a named schema given twice with two texts, an unknown header).
[[nodiscard]] std::string openApiDocument(const Router& router);

/// Adds GET /api/v1/openapi.json (public). Add it after every other route: the document is built from
/// the router, once, when first asked for, and served as the same bytes (with an ETag) from then on.
void addOpenApiRoute(Router& router);

} // namespace captrack::http
