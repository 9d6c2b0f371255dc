#include "captrack/http/Router.h"

#include "captrack/Errors.h"

#include <array>
#include <string_view>

namespace captrack::http
{

namespace
{
/// Calls `take` with each segment of a path, keeping empty ones; "" and "/" have none.
template <class Take> void forEachSegment(std::string_view path, Take take)
{
    if (path.empty() || path == "/")
        return;
    std::size_t start = path.front() == '/' ? 1 : 0;
    for (;;)
    {
        const auto slash = path.find('/', start);
        take(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos)
            return;
        start = slash + 1;
    }
}

bool isParameter(const std::string& segment)
{
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}
} // namespace

class Router::Segments
{
public:
    /// Views into `path`, which must outlive this.
    explicit Segments(std::string_view path)
    {
        forEachSegment(path, [this](std::string_view segment) {
            if (_count < INLINE)
                _inline[_count] = segment;
            else
                _more.push_back(segment);
            ++_count;
        });
    }
    [[nodiscard]] std::size_t size() const { return _count; }
    [[nodiscard]] std::string_view operator[](std::size_t i) const
    {
        return i < INLINE ? _inline[i] : _more[i - INLINE];
    }

private:
    static constexpr std::size_t INLINE = 16;
    std::array<std::string_view, INLINE> _inline {};
    std::vector<std::string_view> _more;
    std::size_t _count = 0;
};

std::vector<std::string> pathSegments(const std::string& path)
{
    std::vector<std::string> segments;
    forEachSegment(path, [&segments](std::string_view segment) { segments.emplace_back(segment); });
    return segments;
}

void Router::add(const std::string& method, const std::string& pattern, RouteHandler handler, RouteOptions options,
                 RouteDoc doc)
{
    auto segments = pathSegments(pattern);
    int literals = 0;
    for (const auto& segment : segments)
        literals += !segment.empty() && segment.front() == '{' ? 0 : 1;
    if (_bySegmentCount.size() <= segments.size())
        _bySegmentCount.resize(segments.size() + 1);
    _bySegmentCount[segments.size()].push_back(_routes.size());
    _routes.push_back({method, pattern, std::move(segments), literals, std::move(handler), options, std::move(doc)});
}

const std::vector<std::size_t>& Router::routesOfLength(std::size_t segments) const
{
    static const std::vector<std::size_t> none;
    return segments < _bySegmentCount.size() ? _bySegmentCount[segments] : none;
}

bool Router::matches(const Route& route, const Segments& segments, std::map<std::string, std::string>* params)
{
    if (route.segments.size() != segments.size())
        return false;
    for (std::size_t i = 0; i < segments.size(); ++i)
    {
        const std::string& expected = route.segments[i];
        if (segments[i].empty())
            return false;
        if (isParameter(expected))
        {
            if (params)
                (*params)[expected.substr(1, expected.size() - 2)] = std::string(segments[i]);
        }
        else if (expected != segments[i])
        {
            return false;
        }
    }
    return true;
}

const Router::Route* Router::find(const std::string& method, const Segments& segments, bool& pathKnown) const
{
    // Literal segments win over parameters, so /projects/summary-like literals never shadow each other:
    // pick the matching route with the most literal segments.
    const Route* best = nullptr;
    int bestLiterals = -1;
    pathKnown = false;
    for (const std::size_t index : routesOfLength(segments.size()))
    {
        const Route& route = _routes[index];
        if (!matches(route, segments, nullptr))
            continue;
        pathKnown = true;
        if (route.method != method)
            continue;
        if (route.literals > bestLiterals)
        {
            best = &route;
            bestLiterals = route.literals;
        }
    }
    return best;
}

const RouteOptions* Router::optionsFor(const std::string& method, const std::string& path) const
{
    bool pathKnown = false;
    const Route* route = find(method, Segments(path), pathKnown);
    return route ? &route->options : nullptr;
}

std::optional<RouteInfo> Router::match(const std::string& method, const std::string& path) const
{
    bool pathKnown = false;
    if (const Route* route = find(method, Segments(path), pathKnown))
        return RouteInfo{route->method, route->pattern, route->options, route->doc};
    return std::nullopt;
}

std::optional<std::size_t> Router::indexOf(const std::string& method, const std::string& path) const
{
    bool pathKnown = false;
    if (const Route* route = find(method, Segments(path), pathKnown))
        return static_cast<std::size_t>(route - _routes.data());
    return std::nullopt;
}

ApiResponse Router::dispatch(ApiRequest& request, const SignIn& signIn, std::size_t* pMatched) const
{
    const Segments segments(request.path());
    bool pathKnown = false;
    const Route* best = find(request.method(), segments, pathKnown);
    if (!best)
    {
        if (pathKnown)
            throw MethodNotAllowedError(request.method() + " is not allowed on " + request.path());
        throw NotFoundError("no resource at " + request.path());
    }
    if (pMatched)
        *pMatched = static_cast<std::size_t>(best - _routes.data());
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
    const Segments segments(path);
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
        out.push_back({route.method, route.pattern, route.options, route.doc});
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
