#pragma once

#include "captrack/http/Router.h"
#include "captrack/service/ListFilters.h"
#include "captrack/service/ResourceService.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace captrack::http
{

/// Where one resource lives in the API and what its lists accept.
struct ResourceRoutes
{
    const service::Resource& resource;
    std::string collectionPath; ///< e.g. /api/v1/projects or /api/v1/projects/{parent}/milestones
    std::string itemPath;       ///< e.g. /api/v1/milestones/{id}; "" when items live under the collection
    std::vector<service::ListFilter> filters;
    /// For nested items addressed by something other than their id (mission links by mission):
    /// finds the record id from the request; NotFoundError when there is none.
    std::function<Poco::Int64(const ApiRequest&)> itemId;
    /// Builds an item's Location from the stored record.
    std::function<std::string(const domain::Record&)> location;
};

/// Adds list, get, create, update (PATCH) and delete routes for a resource, with DESIGN.md's
/// conventions: pagination envelope, filters, sort, ETag, If-Match, 201 + Location, 204.
void addResourceRoutes(Router& router, const service::ResourceService& service, const ResourceRoutes& routes);

/// Parses limit, offset and sort, the spec's filterable fields, `q` and the extra filters of a list
/// request; BadRequestError for unknown parameters or bad values.
[[nodiscard]] storage::ListQuery parseListQuery(const ApiRequest& request, const domain::ResourceSpec& spec,
                                                const std::vector<service::ListFilter>& filters,
                                                const std::vector<std::string>& fixedParams = {},
                                                const std::set<std::string>& hiddenFields = {});

/// BadRequestError naming the first query parameter that is not one of `names`.
void allowQueryParameters(const ApiRequest& request, const std::vector<std::string>& names);

/// The text as a whole number in [min, max] (plain digits only), or nullopt.
[[nodiscard]] std::optional<std::size_t> wholeNumberIn(const std::string& text, std::size_t min, std::size_t max);

/// A whole-number query parameter in [min, max], or fallback when absent; BadRequestError otherwise.
[[nodiscard]] std::size_t queryNumber(const ApiRequest& request, const std::string& name, std::size_t min,
                                      std::size_t max, std::size_t fallback);

/// The JSON envelope of a page: {"items", "total", "limit", "offset"}.
[[nodiscard]] ApiResponse pageResponse(const domain::ResourceSpec& spec, const storage::Page& page,
                                       const storage::ListQuery& query);

/// The version a DELETE expects: If-Match, or `version` in a JSON body that holds nothing else, or both when
/// they agree (service::expectedVersionOf); nullopt when neither is sent. ValidationError (422) for any
/// other member of the body.
[[nodiscard]] std::optional<Poco::Int64> versionToDelete(const ApiRequest& request);

/// For a request that takes no input: its body must be empty or `{}`; ValidationError (422) naming each
/// member of any other object, so that a request is never carried out with part of it ignored.
void expectNoFields(const ApiRequest& request);

/// A single record as JSON with its ETag.
[[nodiscard]] ApiResponse recordResponse(int status, const domain::ResourceSpec& spec, const domain::Record& record);

} // namespace captrack::http
