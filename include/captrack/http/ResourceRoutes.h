#pragma once

#include "captrack/http/ListQueryParser.h"
#include "captrack/http/RequestParameters.h"
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
    /// What the OpenAPI document says of `{id}` when itemId reads it in its own way; unnamed otherwise.
    ParamDoc itemParameter = {};
};

/// Adds list, get, create, update (PATCH) and delete routes for a resource, with the conventions of
/// docs/HTTP.md: pagination envelope, filters, sort, ETag, If-Match, 201 + Location, 204. Call while the
/// router is being built (not thread-safe); the routes it adds are safe for concurrent requests.
/// (The list parser and the shared parameter helpers are in ListQueryParser.h and RequestParameters.h,
/// included here for the routes that use them.)
void addResourceRoutes(Router& router, const service::ResourceService& service, const ResourceRoutes& routes);

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
