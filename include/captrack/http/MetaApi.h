#pragma once

#include "captrack/http/Router.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace captrack::http
{

/// The label people see for a name of a closed set, the same in every set it belongs to:
/// "in_progress" -> "In progress", "EAPC" -> "EAPC — Partnership for Peace", "none" (no health) ->
/// "No health". The one table of such labels; the web page takes it from GET /api/v1/meta. Never
/// throws but std::bad_alloc; stateless, safe for concurrent use.
[[nodiscard]] std::string labelOf(const std::string& name);

/// The body of GET /api/v1/meta: `sets` (each closed set of domain::everyNamedSet(), the partner
/// frameworks and the portfolio report's groupings, by key, each a list of names in their order) and
/// `labels` (every one of those names -> labelOf(name), plus "none"). Built anew on each call; safe
/// for concurrent use. docs/WEB.md "What the page takes from the server".
[[nodiscard]] Poco::JSON::Object::Ptr metaJson();

/// Adds `GET /api/v1/meta` (signed in, any role, no body): metaJson(), built once here, answered with
/// `Cache-Control: private, max-age=3600` (it changes only with the server's version). Not
/// thread-safe (like Router::add); the route it adds is.
void addMetaApi(Router& router);

} // namespace captrack::http
