#pragma once

#include "captrack/http/ApiRequest.h"
#include "captrack/service/ResourceService.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace captrack::http
{

// The query-parameter and path-parameter rules every route shares (docs/HTTP.md "API conventions"):
// one helper each, so that every route refuses and answers the same way. All are free functions of
// the request they are given: stateless and safe to call from any thread.

/// BadRequestError (400) naming the first query parameter that is not one of `names` (and saying which
/// the route takes, or that it takes none when `names` is empty). Returns normally otherwise.
void allowOnly(const ApiRequest& request, const std::vector<std::string>& names);

/// The text as a whole number in [min, max]: one to twelve decimal digits (domain::isDecimalNumber, no
/// sign or space), or none. Never throws.
[[nodiscard]] std::optional<std::size_t> wholeNumberIn(const std::string& text, std::size_t min, std::size_t max);

/// A whole-number query parameter in [min, max], or `fallback` when absent; BadRequestError (400)
/// naming the parameter and the range otherwise.
[[nodiscard]] std::size_t queryNumber(const ApiRequest& request, const std::string& name, std::size_t min,
                                      std::size_t max, std::size_t fallback);

/// Whether idOrCode also checks that an id names a record the principal may see.
enum class IdCheck
{
    Later, ///< the caller's next step (get, update, remove) checks it
    Now,   ///< the caller uses the id elsewhere (a parent, a mission of a link): NotFoundError now
};

/// The id of the record that path parameter `param` names by its id (all digits: request.idParam's
/// rules, NotFoundError for a malformed one) or, for a resource with a `code`, by its code among the
/// records the principal may see (a hidden code is not found by the same work as a missing one).
/// NotFoundError "no <entity> with code|id ..." when there is none. Reads the database (one statement)
/// for a code, and for an id with IdCheck::Now.
[[nodiscard]] Poco::Int64 idOrCode(const service::ResourceService& resources, const service::Resource& resource,
                                   const ApiRequest& request, const std::string& param, IdCheck check);

} // namespace captrack::http
