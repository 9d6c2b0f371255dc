// Fuzzes path normalisation (captrack::http::parseRequestTarget) and routing: the input is a
// request-target; an accepted one goes through the router of a real ApiServer (built once, never
// started), as the dispatcher does. Checks that an accepted path is in normal form (so that one path
// names one route however it is spelled), that decoding did not change the segment structure, and
// that routing answers consistently and deny-by-default: outside the few public API paths below, no
// /api/ route runs without sign-in.
#include "FuzzSupport.h"

#include "captrack/Errors.h"
#include "captrack/app/ApiServer.h"
#include "captrack/http/RequestTarget.h"

#include <Poco/URI.h>

#include <algorithm>
#include <memory>

namespace
{
using captrack::fuzz::check;
using captrack::http::Access;

/// The only API paths a route may serve without sign-in. A new public API route belongs here, after review.
const std::string PUBLIC_API_PATHS[] = {"/api/v1/auth/login", "/api/v1/openapi.json"};
const std::string METHODS[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

/// The router of `captrack routes`: an ApiServer over an empty SQLite database in memory.
struct RoutingFixture
{
    captrack::storage::Database database{captrack::storage::DatabaseUrl::parse("sqlite::memory:"), 1};
    captrack::domain::SystemClock clock;
    std::unique_ptr<captrack::app::ApiServer> pServer;

    RoutingFixture()
    {
        captrack::app::ServerOptions options;
        options.auth.secret = std::string(64, 'f');
        options.auth.pbkdf2Iterations = 1;
        pServer = std::make_unique<captrack::app::ApiServer>(database, clock, options);
    }
};

/// Built on first use (from LLVMFuzzerInitialize) and kept for the process, like the server's router.
const captrack::http::Router& router()
{
    static const RoutingFixture fixture;
    return fixture.pServer->router();
}

std::vector<std::string> splitAtSlashes(const std::string& path)
{
    std::vector<std::string> segments;
    std::size_t start = 1;
    for (std::size_t slash; (slash = path.find('/', start)) != std::string::npos; start = slash + 1)
        segments.push_back(path.substr(start, slash - start));
    segments.push_back(path.substr(start));
    return segments;
}

void checkNormalForm(const std::string& rawPath, const std::string& path)
{
    check(!path.empty() && path[0] == '/', "an accepted path does not start with '/'");
    check(std::count(path.begin(), path.end(), '/') == std::count(rawPath.begin(), rawPath.end(), '/'),
          "decoding changed the number of segments: " + path);
    check(captrack::fuzz::isStrictUtf8(path), "an accepted path is not UTF-8");
    if (path == "/")
        return;
    for (const auto& segment : splitAtSlashes(path))
    {
        check(!segment.empty() && segment != "." && segment != "..", "an accepted path has segment '" + segment + "'");
        check(segment.find('\\') == std::string::npos, "an accepted path has a backslash");
        check(std::none_of(segment.begin(), segment.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }),
              "an accepted path has a control character");
    }
    // The normal form names itself: encoded again, it parses back to the same path.
    std::string encoded;
    for (const auto& segment : splitAtSlashes(path))
    {
        std::string part;
        Poco::URI::encode(segment, "/?#%\\;", part);
        encoded += "/" + part;
    }
    check(captrack::http::parseRequestTarget(encoded).path == path, "the path does not survive re-encoding");
}

void checkRouting(const captrack::http::Router& router, const std::string& path)
{
    const std::string allowed = router.allowedMethods(path);
    for (const auto& method : METHODS)
    {
        const auto* pOptions = router.optionsFor(method, path);
        if (!pOptions)
            continue;
        check(allowed.find(method) != std::string::npos, method + " routes " + path + " but is not allowed there");
        check(pOptions->maxBodyBytes <= (1u << 20), "a route takes bodies over 1 MiB");
        if (pOptions->access == Access::Public && path.rfind("/api/", 0) == 0)
            check(std::find(std::begin(PUBLIC_API_PATHS), std::end(PUBLIC_API_PATHS), path) !=
                      std::end(PUBLIC_API_PATHS),
                  method + " " + path + " is served without sign-in");
    }
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    (void)router();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string target = captrack::fuzz::inputText(data, size);
    captrack::http::RequestTarget parsed;
    try
    {
        parsed = captrack::http::parseRequestTarget(target);
    }
    catch (const captrack::BadRequestError&)
    {
        return 0;
    }
    checkNormalForm(target.substr(0, target.find('?')), parsed.path);
    for (const auto& [name, value] : parsed.query)
        check(name.size() + value.size() <= target.size(), "a query parameter is longer than the target");
    checkRouting(router(), parsed.path);
    return 0;
}
