#include "captrack/http/Router.h"

#include "captrack/Errors.h"

namespace captrack::http
{

std::vector<std::string> pathSegments(const std::string& path)
{
    std::vector<std::string> segments;
    if (path.empty() || path == "/")
        return segments;
    std::size_t start = path.front() == '/' ? 1 : 0;
    for (;;)
    {
        const auto slash = path.find('/', start);
        segments.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos)
            return segments;
        start = slash + 1;
    }
}

void Router::add(const std::string& method, const std::string& pattern, RouteHandler handler, RouteOptions options)
{
    _routes.push_back({method, pattern, pathSegments(pattern), std::move(handler), options});
}

bool Router::matches(const Route& route, const std::vector<std::string>& segments,
                     std::map<std::string, std::string>* params)
{
    if (route.segments.size() != segments.size())
        return false;
    for (std::size_t i = 0; i < segments.size(); ++i)
    {
        const std::string& expected = route.segments[i];
        if (segments[i].empty())
            return false;
        if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}')
        {
            if (params)
                (*params)[expected.substr(1, expected.size() - 2)] = segments[i];
        }
        else if (expected != segments[i])
        {
            return false;
        }
    }
    return true;
}

const Router::Route* Router::find(const std::string& method, const std::vector<std::string>& segments,
                                  bool& pathKnown) const
{
    // Literal segments win over parameters, so /projects/summary-like literals never shadow each other:
    // pick the matching route with the most literal segments.
    const Route* best = nullptr;
    int bestLiterals = -1;
    pathKnown = false;
    for (const auto& route : _routes)
    {
        if (!matches(route, segments, nullptr))
            continue;
        pathKnown = true;
        if (route.method != method)
            continue;
        int literals = 0;
        for (const auto& s : route.segments)
            literals += s.front() == '{' ? 0 : 1;
        if (literals > bestLiterals)
        {
            best = &route;
            bestLiterals = literals;
        }
    }
    return best;
}

const RouteOptions* Router::optionsFor(const std::string& method, const std::string& path) const
{
    bool pathKnown = false;
    const Route* route = find(method, pathSegments(path), pathKnown);
    return route ? &route->options : nullptr;
}

std::optional<RouteInfo> Router::match(const std::string& method, const std::string& path) const
{
    bool pathKnown = false;
    if (const Route* route = find(method, pathSegments(path), pathKnown))
        return RouteInfo{route->method, route->pattern, route->options};
    return std::nullopt;
}

ApiResponse Router::dispatch(ApiRequest& request, const SignIn& signIn) const
{
    const auto segments = pathSegments(request.path());
    bool pathKnown = false;
    const Route* best = find(request.method(), segments, pathKnown);
    if (!best)
    {
        if (pathKnown)
            throw MethodNotAllowedError(request.method() + " is not allowed on " + request.path());
        throw NotFoundError("no resource at " + request.path());
    }
    // Deny by default: only a route registered as Public runs without a proven principal.
    if (best->options.access != Access::Public)
        request.setPrincipal(signIn(request));
    std::map<std::string, std::string> params;
    matches(*best, segments, &params);
    request.setParams(std::move(params));
    return best->handler(request);
}

std::string Router::allowedMethods(const std::string& path) const
{
    const auto segments = pathSegments(path);
    std::string allowed;
    for (const auto& route : _routes)
        if (matches(route, segments, nullptr) && allowed.find(route.method) == std::string::npos)
            allowed += (allowed.empty() ? "" : ", ") + route.method;
    return allowed;
}

std::vector<RouteInfo> Router::table() const
{
    std::vector<RouteInfo> out;
    for (const auto& route : _routes)
        out.push_back({route.method, route.pattern, route.options});
    return out;
}

std::vector<std::string> Router::routes() const
{
    std::vector<std::string> out;
    for (const auto& route : table())
        out.push_back(route.name());
    return out;
}

} // namespace captrack::http
