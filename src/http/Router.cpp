#include "captrack/http/Router.h"

#include "captrack/Errors.h"

namespace captrack::http
{

std::vector<std::string> pathSegments(const std::string& path)
{
    std::vector<std::string> segments;
    std::string current;
    for (char c : path)
    {
        if (c == '/')
        {
            if (!current.empty())
                segments.push_back(current);
            current.clear();
        }
        else
        {
            current += c;
        }
    }
    if (!current.empty())
        segments.push_back(current);
    return segments;
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

ApiResponse Router::dispatch(ApiRequest& request) const
{
    const auto segments = pathSegments(request.path());
    // Literal segments win over parameters, so /projects/summary-like literals never shadow each other:
    // pick the matching route with the most literal segments.
    const Route* best = nullptr;
    int bestLiterals = -1;
    bool pathKnown = false;
    for (const auto& route : _routes)
    {
        if (!matches(route, segments, nullptr))
            continue;
        pathKnown = true;
        if (route.method != request.method())
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
    if (!best)
    {
        if (pathKnown)
            throw MethodNotAllowedError(request.method() + " is not allowed on " + request.path());
        throw NotFoundError("no resource at " + request.path());
    }
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

std::vector<std::string> Router::routes() const
{
    std::vector<std::string> out;
    for (const auto& route : _routes)
        out.push_back(route.method + " " + route.pattern);
    return out;
}

} // namespace captrack::http
