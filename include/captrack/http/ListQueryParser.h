#pragma once

#include "captrack/http/ApiRequest.h"
#include "captrack/http/Router.h"
#include "captrack/service/ListFilters.h"
#include "captrack/storage/RecordStore.h"

#include <set>
#include <string>
#include <vector>

namespace captrack::http
{

/// Parses limit, offset and sort, the spec's filterable fields, `q` and the extra filters of a list
/// request (docs/HTTP.md "Lists"); BadRequestError (400) for unknown parameters or bad values. Parameters
/// in `fixedParams` are set by the route itself and refused from the client; `hiddenFields` may be
/// neither filtered nor sorted by; `routeParams` are read by the route itself (e.g. `format`) and
/// skipped here. Pure; thread-safe.
[[nodiscard]] storage::ListQuery parseListQuery(const ApiRequest& request, const domain::ResourceSpec& spec,
                                                const std::vector<service::ListFilter>& filters,
                                                const std::vector<std::string>& fixedParams = {},
                                                const std::set<std::string>& hiddenFields = {},
                                                const std::set<std::string>& routeParams = {});

/// The JSON envelope of a page: {"items", "total", "limit", "offset"}, status 200.
[[nodiscard]] ApiResponse pageResponse(const domain::ResourceSpec& spec, const storage::Page& page,
                                       const storage::ListQuery& query);

} // namespace captrack::http
