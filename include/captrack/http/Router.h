#pragma once

#include "captrack/http/ApiRequest.h"

#include <functional>
#include <string>
#include <vector>

namespace captrack::http
{

using RouteHandler = std::function<ApiResponse(ApiRequest&)>;

/// Who may call a route. Deny by default: a route needs a signed-in principal unless it is
/// registered as Public.
enum class Access
{
    SignedIn, ///< a valid session or API token; the handler gets ApiRequest::principal()
    Public,   ///< anyone: health probes, sign-in, the OpenAPI document, the web page's files
};

/// What a route declares where it is registered.
struct RouteOptions
{
    Access access = Access::SignedIn;
    std::size_t maxBodyBytes = 1 << 20; ///< larger bodies get 413 before they are read
};

/// Small bodies only: sign-in, tokens and passwords.
inline constexpr std::size_t SMALL_BODY_BYTES = 4 << 10;

/// The route table: method + path pattern (`/api/v1/projects/{id}/milestones`) -> handler.
/// Filled once at start, then only read: safe for concurrent dispatch.
class Router
{
public:
    /// Adds a route. `{name}` matches one non-empty path segment and is passed as a param.
    void add(const std::string& method, const std::string& pattern, RouteHandler handler, RouteOptions options = {});

    /// Runs the handler for the request. NotFoundError when no pattern matches the path,
    /// MethodNotAllowedError (with the allowed methods) when only the method is wrong.
    ApiResponse dispatch(ApiRequest& request) const;

    /// The methods allowed on a path, comma-separated ("" when no pattern matches).
    [[nodiscard]] std::string allowedMethods(const std::string& path) const;

    /// Every route as "METHOD pattern", in the order added.
    [[nodiscard]] std::vector<std::string> routes() const;

private:
    struct Route
    {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        RouteHandler handler;
        RouteOptions options;
    };
    static bool matches(const Route& route, const std::vector<std::string>& segments,
                        std::map<std::string, std::string>* params);

    std::vector<Route> _routes;
};

/// Splits a path into its non-empty segments.
[[nodiscard]] std::vector<std::string> pathSegments(const std::string& path);

} // namespace captrack::http
