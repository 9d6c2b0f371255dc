#pragma once

#include "captrack/http/Router.h"

#include <string>

namespace captrack::test
{

struct HttpResult;

/// Keeps every answer the HTTP tests get, for tests/openapi/validate.mjs to check against the OpenAPI
/// document: when CAPTRACK_RESPONSE_LOG names a folder, each call appends one JSON line to
/// <folder>/responses-<pid>.jsonl: the method, the target, the route that served it (as the router
/// matches it; null when none did), the JSON request body it answered, the status, the content type and,
/// for a JSON answer, its body. Does nothing when the variable is unset. Thread-safe.
void logResponse(const http::Router& router, const std::string& method, const std::string& target,
                 const std::string& requestBody, const HttpResult& result);

} // namespace captrack::test
