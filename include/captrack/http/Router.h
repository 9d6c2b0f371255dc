#pragma once

#include "captrack/http/ApiRequest.h"
#include "captrack/http/RouteDoc.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace captrack::http
{

/// Where every route of the JSON API lives: `/api/v1/...`.
inline constexpr const char* API_ROOT = "/api/v1";

using RouteHandler = std::function<ApiResponse(ApiRequest&)>;

/// Who may call a route. Deny by default: a route needs a signed-in principal unless it is
/// registered as Public.
enum class Access
{
    SignedIn, ///< a valid session or API token; the handler gets ApiRequest::principal()
    Public,   ///< anyone: health probes, sign-in, the web page's files
};

/// The media type a route's request body must declare (415 otherwise).
enum class BodyType
{
    Json, ///< application/json
    Csv,  ///< text/csv (imports)
};

/// What a route declares where it is registered.
struct RouteOptions
{
    Access access = Access::SignedIn;
    std::size_t maxBodyBytes = 1 << 20; ///< larger bodies get 413 before they are read
    BodyType body = BodyType::Json;
};

/// Small bodies only: sign-in, tokens and passwords.
inline constexpr std::size_t SMALL_BODY_BYTES = 4 << 10;

/// One registered route as the router knows it, without its handler: what match() and table() answer.
struct RouteInfo
{
    std::string method;  ///< "GET", "POST", ...
    std::string pattern; ///< "/api/v1/projects/{parent}/milestones"
    RouteOptions options;
    RouteDoc doc; ///< what the OpenAPI document says of it

    /// "METHOD pattern", as routes() and `captrack routes` print it.
    [[nodiscard]] std::string name() const { return method + " " + pattern; }
};

/// The route table: method + path pattern (`/api/v1/projects/{id}/milestones`) -> handler.
/// Filled once at start (add() is not thread-safe), then only read: every const call is safe for
/// concurrent use. How a request reaches it: docs/HTTP.md.
class Router
{
public:
    /// Adds a route. `{name}` matches one non-empty path segment and is passed as a param; `doc` is what
    /// the OpenAPI document says of it. Throws nothing of its own; not thread-safe (call before serving).
    void add(const std::string& method, const std::string& pattern, RouteHandler handler, RouteOptions options = {},
             RouteDoc doc = {});

    /// Signs a request in: the principal its credentials prove, or UnauthorizedError.
    using SignIn = std::function<domain::Principal(const ApiRequest&)>;

    /// Runs the handler for the request, after signing it in unless the matched route is Public.
    /// NotFoundError when no pattern matches the path, MethodNotAllowedError (with the allowed
    /// methods) when only the method is wrong, UnauthorizedError from signIn. `pMatched`, when given,
    /// receives the index in table() of the route that matched, before anything can throw.
    ApiResponse dispatch(ApiRequest& request, const SignIn& signIn, std::size_t* pMatched = nullptr) const;

    /// The index in table() of the route dispatch() would run for a method and a path in normal form,
    /// or none.
    [[nodiscard]] std::optional<std::size_t> indexOf(const std::string& method, const std::string& path) const;

    /// The options of the route a request would run, or null when none matches. `path` is a path in
    /// normal form, without its query. Never throws; no allocation beyond splitting the path (the
    /// transport calls it for every request head, before the body is read).
    [[nodiscard]] const RouteOptions* optionsFor(const std::string& method, const std::string& path) const;

    /// The route dispatch() would run for a method and a path (without its query): among the patterns
    /// that match, the one with the most literal segments; none when no pattern matches the path with
    /// that method. The one matching rule of the server, for tests and tools. Throws only std::bad_alloc.
    [[nodiscard]] std::optional<RouteInfo> match(const std::string& method, const std::string& path) const;

    /// The methods allowed on a path, comma-separated ("" when no pattern matches).
    [[nodiscard]] std::string allowedMethods(const std::string& path) const;

    /// Every route, in the order added.
    [[nodiscard]] std::vector<RouteInfo> table() const;

    /// Every route as "METHOD pattern" (RouteInfo::name), in the order added.
    [[nodiscard]] std::vector<std::string> routes() const;

private:
    struct Route
    {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        int literals; ///< segments that are not `{name}`: the most specific match wins
        RouteHandler handler;
        RouteOptions options;
        RouteDoc doc;
    };
    /// A path's segments as views into it (no allocation for paths of up to 16 segments).
    class Segments;
    static bool matches(const Route& route, const Segments& segments, std::map<std::string, std::string>* params);
    /// The route for a method and path (the one with the most literal segments), or null;
    /// pathKnown tells whether any method matches the path.
    const Route* find(const std::string& method, const Segments& segments, bool& pathKnown) const;

    /// The routes that a path of so many segments may match, in the order added.
    [[nodiscard]] const std::vector<std::size_t>& routesOfLength(std::size_t segments) const;

    std::vector<Route> _routes;
    std::vector<std::vector<std::size_t>> _bySegmentCount; ///< indexes into _routes, by their segment count
};

/// Splits a path into its segments, keeping empty ones (so `//x` matches no route); "/" has none.
[[nodiscard]] std::vector<std::string> pathSegments(const std::string& path);

} // namespace captrack::http
